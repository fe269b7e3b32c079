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
from plandebt.lifecycle import STEP, TRANSITIONS, USEFUL_RANKS, allows


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
    opening = state.opening()
    assert opening is not None  # decide_fact checked it
    if fact.useful is not None:
        if fact.origin_on < opening.effective_on:
            raise InvalidInputError(
                "useful",
                fact.useful,
                f"only a claim born after the opening of {opening.effective_on.isoformat()}"
                " can be a useful one (L622-17 I): this one arose before it",
            )
        if not fact.useful and fact.rank in USEFUL_RANKS:
            raise InvalidInputError(
                "useful",
                fact.useful,
                f"rank {fact.rank.value} is a useful claim's rank (L622-17): give the "
                "claim its own rank instead",
            )
    if fact.deferred_payment_months is not None and fact.deferred_payment_months <= 0:
        raise InvalidInputError(
            "deferred_payment_months",
            fact.deferred_payment_months,
            "a deferral is at least one month",
        )
    if fact.notice_received_on is not None:
        if not fact.published_security:
            raise InvalidInputError(
                "notice_received_on",
                fact.notice_received_on.isoformat(),
                "the personal notice starts the deadlines of a creditor holding a "
                "published security or contract only (L622-24 al. 1): set "
                "published_security",
            )
        if fact.notice_received_on < opening.effective_on:
            raise InvalidInputError(
                "notice_received_on",
                fact.notice_received_on.isoformat(),
                "the mandataire's notice follows the opening judgment of "
                f"{opening.effective_on.isoformat()}",
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


@branch(ClaimRejected, ClaimContested, ClaimForeclosed, ClaimRelieved)
def _decided(state: CaseState, fact: Fact) -> None:
    decided_claim(state, fact)
    _step(state, fact)


@branch(ReliefRequested)
def _relief_requested(state: CaseState, fact: ReliefRequested) -> None:
    declared = decided_claim(state, fact)
    # L622-26 al. 3's later-knowledge exception is recorded with what establishes it:
    # a date without its justification, or the reverse, is not a claim to the
    # exception. Whether it applies (a date after the ordinary limit) and whether the
    # request is in time are the compliance checks' (L622-26.late-relief-request).
    if fact.knowledge_on is not None:
        if fact.knowledge_on < declared.origin_on:
            raise InvalidInputError(
                "knowledge_on",
                fact.knowledge_on.isoformat(),
                f"is before the claim arose, on {declared.origin_on.isoformat()}",
            )
        if fact.knowledge_on > fact.effective_on:
            raise InvalidInputError(
                "knowledge_on",
                fact.knowledge_on.isoformat(),
                f"is after the request of {fact.effective_on.isoformat()}: a creditor "
                "asks for relief once it knows of its claim",
            )
        if not (fact.justification and fact.justification.strip()):
            raise InvalidInputError(
                "justification",
                fact.justification,
                "the later-knowledge exception (L622-26 al. 3) is recorded with what "
                "establishes that the creditor could not know of its claim before",
            )
    elif fact.justification is not None:
        raise InvalidInputError(
            "knowledge_on",
            None,
            "a justification goes with the date from which the creditor could no "
            "longer ignore its claim (L622-26 al. 3)",
        )
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
