"""Decisions on the case itself: the opening judgment and conversions."""

from __future__ import annotations

from plandebt.decisions.branches import branch
from plandebt.decisions.state import CaseState
from plandebt.errors import (
    InvalidInputError,
)
from plandebt.events import (
    CaseConverted,
    CaseOpened,
)
from plandebt.projections import balances as _balances


@branch(CaseOpened)
def check_opened(state: CaseState, fact: CaseOpened) -> None:
    if fact.bodacc_published_on and fact.bodacc_published_on < fact.effective_on:
        raise InvalidInputError(
            "bodacc_published_on",
            fact.bodacc_published_on.isoformat(),
            "the BODACC publishes the judgment after it is given",
        )
    if fact.cessation_on and fact.cessation_on > fact.effective_on:
        raise InvalidInputError(
            "cessation_on",
            fact.cessation_on.isoformat(),
            "cessation des paiements cannot follow the opening",
        )
    if fact.filed_on and fact.filed_on > fact.effective_on:
        raise InvalidInputError(
            "filed_on",
            fact.filed_on.isoformat(),
            "the request for the opening comes before the judgment",
        )
    check_farming(fact)


def check_farming(fact: CaseOpened) -> None:
    """The two farming facts agree, and the old single flag is not mixed with them
    (it read as both: saying it and one of them again could only contradict)."""
    if fact.agricultural and (
        fact.farming_natural_person is not None or fact.farming_business is not None
    ):
        raise InvalidInputError(
            "agricultural",
            True,
            "is the flag of older journals (a farming natural person): give "
            "farming_natural_person and farming_business instead, not both",
        )
    if fact.farming_natural_person and fact.farming_business is False:
        raise InvalidInputError(
            "farming_business",
            False,
            "a natural person farming runs a farming business (L626-18 al. 4): "
            "leave farming_business out or set it true",
        )


@branch(CaseConverted)
def _converted(state: CaseState, fact: CaseConverted) -> None:
    # The procedure in force on the conversion's date, whatever the recording order.
    current = _balances.procedure_in_force(state, fact.effective_on)
    if getattr(current, "procedure", None) == fact.procedure:
        raise InvalidInputError(
            "procedure",
            fact.procedure.value,
            "the case already is under this procedure",
        )
    if fact.cessation_on and fact.cessation_on > fact.effective_on:
        raise InvalidInputError(
            "cessation_on",
            fact.cessation_on.isoformat(),
            "cessation des paiements cannot follow the conversion judgment",
        )
