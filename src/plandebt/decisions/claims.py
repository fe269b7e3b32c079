"""Decisions on creditors and claims: declaration and the claim's lifecycle
(C. com. L622-24 to L622-27, L624-1 to L624-3; see plandebt.lifecycle)."""

from __future__ import annotations

from plandebt.decisions.branches import branch, decided_claim, positive
from plandebt.decisions.state import CaseState
from plandebt.errors import (
    DuplicateError,
    InvalidInputError,
    UnknownReferenceError,
)
from plandebt.events import (
    ClaimAdmitted,
    ClaimContested,
    ClaimDeclared,
    ClaimForeclosed,
    ClaimRejected,
    ClaimRelieved,
    CreditorRegistered,
    Fact,
    ReliefRequested,
)
from plandebt.lifecycle import STEP, TRANSITIONS, allows


@branch(CreditorRegistered)
def _creditor(state: CaseState, fact: CreditorRegistered) -> None:
    if state.creditor(fact.creditor) is not None:
        raise DuplicateError("creditor", fact.creditor, "this creditor is registered")


@branch(ClaimDeclared)
def check_declared(
    state: CaseState, fact: ClaimDeclared, replacing: bool = False
) -> None:
    if not replacing and fact.claim in state.claims:
        raise DuplicateError("claim", fact.claim, "a claim with this id is declared")
    if state.creditor(fact.creditor) is None:
        raise UnknownReferenceError("creditor", fact.creditor, "no such creditor")
    positive(fact.amount)
    if fact.origin_on > fact.effective_on:
        raise InvalidInputError(
            "origin_on",
            fact.origin_on.isoformat(),
            "a claim cannot be declared before it arises",
        )


@branch(ClaimAdmitted)
def _admitted(state: CaseState, fact: ClaimAdmitted) -> None:
    declared = decided_claim(state, fact)
    _step(state, fact)
    if fact.amount is not None:
        positive(fact.amount)
        if fact.amount > declared.amount:
            raise InvalidInputError(
                "amount",
                fact.amount.plain(),
                f"exceeds the declared {declared.amount.plain()}: a claim is admitted "
                "at most for what was declared",
            )


@branch(ClaimRejected, ClaimContested, ClaimForeclosed, ClaimRelieved, ReliefRequested)
def _decided(state: CaseState, fact: Fact) -> None:
    decided_claim(state, fact)
    _step(state, fact)


def _step(state: CaseState, fact: Fact) -> None:
    """The claim's lifecycle allows this step from where the claim stands on the
    step's date (see `lifecycle.TRANSITIONS`), as the balances see it
    (`CaseState.status_on`)."""
    if fact.id in state.versions:
        return  # a correction of a recorded step keeps its place in the lifecycle
    claim: str = fact.claim  # type: ignore[attr-defined]
    status = state.status_on(claim, fact.effective_on)
    step = STEP[type(fact)]
    if not allows(status, step):
        allowed = sorted(s.value for s in TRANSITIONS[status])
        raise InvalidInputError(
            "claim",
            claim,
            f"is {status.value} on {fact.effective_on.isoformat()}: a claim "
            f"{status.value} cannot become {step.value} (it may become "
            f"{' or '.join(allowed) or 'nothing else'})",
        )
