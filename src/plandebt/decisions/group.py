"""Decisions on group support: rescheduling, waivers and revivals, commitments and
contributions."""

from __future__ import annotations

from plandebt.decisions.branches import branch, declared_claim, positive
from plandebt.decisions.plan import check_percents
from plandebt.decisions.state import COMMITMENT, CaseState
from plandebt.errors import (
    DuplicateError,
    InvalidInputError,
    UnknownReferenceError,
)
from plandebt.events import (
    CapitalCommitted,
    ClaimRescheduled,
    ClaimWrittenOff,
    ContributionForm,
    ContributionReceived,
    Rank,
    WaiverRevived,
    WriteOffClause,
)
from plandebt.money import Money


@branch(ClaimRescheduled)
def _rescheduled(state: CaseState, fact: ClaimRescheduled) -> None:
    declared_claim(state, fact)
    check_percents("percents", fact.percents)


@branch(WaiverRevived)
def _revived(state: CaseState, fact: WaiverRevived) -> None:
    declared_claim(state, fact)
    waiver = state.at(fact.waiver) if fact.waiver in state.versions else None
    if not isinstance(waiver, ClaimWrittenOff) or waiver.claim != fact.claim:
        raise UnknownReferenceError(
            "waiver", fact.waiver, f"is not a waiver of claim {fact.claim}"
        )
    if waiver.clause is not WriteOffClause.BETTER_FORTUNE:
        raise InvalidInputError(
            "waiver",
            fact.waiver,
            "a pure waiver is final: only a better-fortune clause can revive",
        )
    positive(fact.amount)
    left = waiver.amount.cents - state.revived(fact.claim, fact.waiver)
    if fact.amount.cents > left:
        raise InvalidInputError(
            "amount",
            fact.amount.plain(),
            f"exceeds the {Money(left).plain()} still waived",
        )


def _commitment(state: CaseState, commitment: str) -> CapitalCommitted | None:
    fact = state.first(COMMITMENT, commitment)
    assert fact is None or isinstance(fact, CapitalCommitted)
    return fact


@branch(CapitalCommitted)
def _committed(state: CaseState, fact: CapitalCommitted) -> None:
    if _commitment(state, fact.commitment) is not None:
        raise DuplicateError("commitment", fact.commitment, "is already recorded")
    if not fact.tranches:
        raise InvalidInputError("tranches", [], "a commitment has at least one tranche")
    for i, tranche in enumerate(fact.tranches):
        positive(tranche.amount, f"tranches[{i}].amount")


@branch(ContributionReceived)
def _received(state: CaseState, fact: ContributionReceived) -> None:
    commitment = _commitment(state, fact.commitment)
    if commitment is None:
        raise UnknownReferenceError("commitment", fact.commitment, "no such commitment")
    positive(fact.amount)
    if fact.form is not ContributionForm.CURRENT_ACCOUNT_ADVANCE:
        if fact.claim is not None:
            raise InvalidInputError(
                "claim",
                fact.claim,
                f"a {fact.form.value} is not a debt: it creates no claim",
            )
        return
    # A current-account advance is new money lent to the company: a post-opening debt
    # with the new-money privilege (L622-17 III 2°, L626-10), recorded as its claim.
    declared = state.declaration(fact.claim) if fact.claim else None
    if declared is None:
        raise UnknownReferenceError(
            "claim",
            fact.claim,
            "a current-account advance names the new-money claim recorded with it",
        )
    if (
        declared.rank is not Rank.NEW_MONEY
        or declared.amount != fact.amount
        or declared.creditor != commitment.investor
    ):
        raise InvalidInputError(
            "claim",
            fact.claim,
            f"must be the investor's new-money claim of {fact.amount.plain()}",
        )
