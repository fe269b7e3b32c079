"""Decisions on what moves money on a claim: payments, interest, reductions."""

from __future__ import annotations

from plandebt.decisions.branches import branch, declared_claim, positive, still_owed
from plandebt.decisions.state import CaseState
from plandebt.errors import (
    InvalidInputError,
)
from plandebt.events import (
    ClaimWrittenOff,
    InterestAccrued,
    PaymentBasis,
    PaymentMade,
    RemissionGranted,
)
from plandebt.money import Money


@branch(PaymentMade)
def _payment(state: CaseState, fact: PaymentMade) -> None:
    declared_claim(state, fact)
    positive(fact.amount)
    if fact.basis is PaymentBasis.JC_AUTHORISATION and not fact.authorisation_ref:
        raise InvalidInputError(
            "authorisation_ref",
            None,
            "a payment authorised by the juge-commissaire names the order (L622-7 II)",
        )


@branch(InterestAccrued)
def _interest(state: CaseState, fact: InterestAccrued) -> None:
    declared_claim(state, fact)
    positive(fact.amount)
    if fact.period_from and fact.period_from > fact.effective_on:
        raise InvalidInputError(
            "period_from", fact.period_from.isoformat(), "a period ends after it starts"
        )


@branch(RemissionGranted, ClaimWrittenOff)
def check_reduction(
    state: CaseState,
    fact: RemissionGranted | ClaimWrittenOff,
    replaced: Money | None = None,
) -> None:
    declared_claim(state, fact)
    positive(fact.amount)
    # A reduction cannot exceed what is still owed, whatever the date: it is checked
    # against everything known, in the far future. A corrected reduction frees what
    # its old version took.
    owed = still_owed(state, fact.claim)
    if replaced is not None:
        owed = owed + replaced
    if fact.amount > owed:
        raise InvalidInputError(
            "amount", fact.amount.plain(), f"exceeds the {owed.plain()} still owed"
        )
