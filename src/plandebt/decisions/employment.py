"""Decisions on employment: departures, severance and the AGS's advances."""

from __future__ import annotations

from plandebt.decisions.branches import branch, positive, still_owed
from plandebt.decisions.state import DEPARTURE, CaseState
from plandebt.errors import (
    DuplicateError,
    InvalidInputError,
    UnknownReferenceError,
)
from plandebt.events import (
    AgsAdvanced,
    CreditorKind,
    EmployeeDeparted,
    Rank,
    SeveranceAgreed,
    SeverancePaid,
)
from plandebt.money import Money


def _departure(state: CaseState, employee: str) -> EmployeeDeparted | None:
    fact = state.first(DEPARTURE, employee)
    assert fact is None or isinstance(fact, EmployeeDeparted)
    return fact


@branch(EmployeeDeparted)
def _departed(state: CaseState, fact: EmployeeDeparted) -> None:
    if _departure(state, fact.employee) is not None:
        raise DuplicateError("employee", fact.employee, "has already left")
    if fact.seniority_months < 0:
        raise InvalidInputError(
            "seniority_months", fact.seniority_months, "cannot be negative"
        )
    if fact.monthly_pay.is_negative:
        raise InvalidInputError(
            "monthly_pay", fact.monthly_pay.plain(), "cannot be negative"
        )
    if fact.contract_on is not None and fact.contract_on > fact.effective_on:
        raise InvalidInputError(
            "contract_on",
            fact.contract_on.isoformat(),
            "a contract is concluded before it ends",
        )


@branch(SeveranceAgreed, SeverancePaid)
def _severance(state: CaseState, fact: SeveranceAgreed | SeverancePaid) -> None:
    if _departure(state, fact.employee) is None:
        raise UnknownReferenceError("employee", fact.employee, "no departure recorded")
    positive(fact.amount)


@branch(AgsAdvanced)
def _ags(state: CaseState, fact: AgsAdvanced) -> None:
    if state.declaration(fact.employee_claim) is None:
        raise UnknownReferenceError(
            "employee_claim", fact.employee_claim, "no such claim is declared"
        )
    for field in ("superprivileged", "privileged"):
        if getattr(fact, field).is_negative:
            raise InvalidInputError(
                field, getattr(fact, field).plain(), "cannot be negative"
            )
    positive(fact.amount)
    owed = still_owed(state, fact.employee_claim)
    if fact.amount > owed:
        raise InvalidInputError(
            "superprivileged",
            fact.amount.plain(),
            f"the advance exceeds the {owed.plain()} the employee is owed",
        )
    # Subrogation (L3253-16): the AGS holds the same amount, at the ranks it paid.
    for part, claim_field, rank in (
        ("superprivileged", "superprivileged_claim", Rank.AGS_SUPERPRIVILEGED),
        ("privileged", "privileged_claim", Rank.SALARY_PRIVILEGED),
    ):
        amount: Money = getattr(fact, part)
        claim = getattr(fact, claim_field)
        if not amount:
            continue
        declared = state.declaration(claim) if claim else None
        creditor = state.creditor(declared.creditor) if declared else None
        if (
            declared is None
            or declared.rank is not rank
            or declared.amount != amount
            or creditor is None
            or creditor.creditor_kind is not CreditorKind.AGS
        ):
            raise InvalidInputError(
                claim_field,
                claim,
                f"must be the AGS's {rank.value} claim of {amount.plain()}",
            )
