"""Decisions on corrections and voids: what may change, and what rests on a fact."""

from __future__ import annotations

from datetime import date

from plandebt.decisions.branches import BRANCHES, branch
from plandebt.decisions.case import check_opened
from plandebt.decisions.claims import check_declared
from plandebt.decisions.money import check_reduction
from plandebt.decisions.state import (
    CONTRIBUTES,
    DECLARED_BY,
    EMPLOYEE,
    REVIVES,
    CaseState,
    corrected,
)
from plandebt.errors import (
    InvalidInputError,
    UnknownReferenceError,
)
from plandebt.events import (
    CapitalCommitted,
    CaseConverted,
    CaseOpened,
    ClaimDeclared,
    ClaimRelieved,
    ClaimWrittenOff,
    CreditorRegistered,
    EmployeeDeparted,
    Fact,
    FactCorrected,
    FactVoided,
    PlanAdopted,
    ReliefRequested,
    RemissionGranted,
)
from plandebt.events.base import ENVELOPE
from plandebt.money import Money


def _target(state: CaseState, fact_id: str, field: str) -> Fact:
    if fact_id not in state.versions:
        raise UnknownReferenceError(field, fact_id, "no such fact in this case")
    target = state.at(fact_id)
    if target is None:
        raise InvalidInputError(field, fact_id, "this fact is voided")
    if isinstance(target, FactCorrected | FactVoided):
        raise InvalidInputError(
            field,
            fact_id,
            "a correction is itself corrected by "
            "correcting or voiding the original fact",
        )
    return target


@branch(FactCorrected)
def _correction(state: CaseState, fact: FactCorrected) -> None:
    target = _target(state, fact.corrects, "corrects")
    if not fact.changes:
        raise InvalidInputError("changes", fact.changes, "names no field to change")
    for key in fact.changes:
        # The business date may be corrected (a wrong judgment or value date); the
        # recording position, the id and what the fact is about may not.
        if (key in ENVELOPE and key != "effective_on") or key in target.identity:
            raise InvalidInputError(
                f"changes.{key}",
                fact.changes[key],
                "cannot be corrected: void the fact and record a new one",
            )
    try:
        replacement = corrected(target, fact)
    except InvalidInputError as e:
        raise InvalidInputError(f"changes.{e.field}", e.value, e.reason) from e
    opening = state.opening()
    assert opening is not None
    if (
        not isinstance(target, CaseOpened)
        and replacement.effective_on < opening.effective_on
    ):
        raise InvalidInputError(
            "changes.effective_on",
            replacement.effective_on,
            "is before the opening judgment",
        )
    if isinstance(replacement, ClaimDeclared):
        check_declared(state, replacement, replacing=True)
        _still_consistent(state, replacement.claim, replacement.amount)
    elif isinstance(replacement, CaseOpened):
        try:
            check_opened(state, replacement)
        except InvalidInputError as e:
            raise InvalidInputError(f"changes.{e.field}", e.value, e.reason) from e
        if state.dated_before(replacement.effective_on):
            _dated_before(state, target, replacement.effective_on)
    elif isinstance(replacement, RemissionGranted | ClaimWrittenOff):
        assert isinstance(target, RemissionGranted | ClaimWrittenOff)
        check_reduction(state, replacement, replaced=target.amount)
    elif type(replacement) in BRANCHES and not isinstance(
        replacement,
        CaseConverted
        | CreditorRegistered
        | PlanAdopted
        | ReliefRequested
        | ClaimRelieved,
    ):
        BRANCHES[type(replacement)](state, replacement)


def _dated_before(state: CaseState, opening: Fact, day: date) -> None:
    """Raises, naming the first live fact (in recording order) dated before `day`
    that an opening bounds. Only run once `state.dated_before(day)` says one exists."""
    for other in state.history():
        current = state.at(other.id)
        if (
            current is not None
            and current is not opening
            and not isinstance(current, CreditorRegistered | FactCorrected | FactVoided)
            and current.effective_on < day
        ):
            raise InvalidInputError(
                "changes.effective_on",
                day.isoformat(),
                f"fact {current.id} ({current.kind}) is dated "
                f"{current.effective_on.isoformat()}, before the new opening date",
            )


def _still_consistent(state: CaseState, claim: str, declared: Money) -> None:
    admitted = state.admitted_above(claim, declared.cents)
    if admitted is not None and admitted.amount:
        raise InvalidInputError(
            "changes.amount",
            declared.plain(),
            f"is below the {admitted.amount.plain()} admitted",
        )


@branch(FactVoided)
def _void(state: CaseState, fact: FactVoided) -> None:
    target = _target(state, fact.voids, "voids")
    if isinstance(target, CaseOpened):
        raise InvalidInputError(
            "voids",
            fact.voids,
            "the opening judgment cannot be voided; correct it instead",
        )
    if isinstance(target, CreditorRegistered):
        declared = state.first(DECLARED_BY, target.creditor)
        if isinstance(declared, ClaimDeclared):
            raise InvalidInputError(
                "voids",
                fact.voids,
                f"creditor has live claim {declared.claim}: void its claims first",
            )
    other = _dependant(state, target)
    if other is not None:
        raise InvalidInputError(
            "voids",
            fact.voids,
            f"live fact {other.id} ({other.kind}) rests on it: void that first",
        )


def _dependant(state: CaseState, target: Fact) -> Fact | None:
    """The first live fact (in recording order) that would point at nothing if
    `target` were voided: what is recorded about a claim, the AGS advance and the
    contribution that name a claim, the revivals of a waiver, the contributions under
    a commitment, the severance and AGS advances of a departed employee."""
    if isinstance(target, ClaimDeclared):
        return state.resting_on(target)
    if isinstance(target, ClaimWrittenOff):
        return state.first(REVIVES, target.id)
    if isinstance(target, CapitalCommitted):
        return state.first(CONTRIBUTES, target.commitment)
    if isinstance(target, EmployeeDeparted):
        return state.first(EMPLOYEE, target.employee)
    return None
