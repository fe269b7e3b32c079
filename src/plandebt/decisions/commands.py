"""The commands the decider takes, and the facts each one implies.

Most commands are one fact to record (`Record`). A few imply more than the fact the
caller gives: an AGS advance implies the AGS's subrogated claims (L3253-16 C. trav.),
and a current-account advance implies the investor's new-money claim (L622-17 III 2°,
L626-10). `facts(state)` builds them from what the case holds; `decide` then checks
every one of them in order.
"""

from __future__ import annotations

from typing import TypeAlias

import attrs

from plandebt.decisions.state import COMMITMENT, CaseState
from plandebt.errors import UnknownReferenceError
from plandebt.events import (
    AgsAdvanced,
    CapitalCommitted,
    ClaimDeclared,
    ContributionReceived,
    CreditorRegistered,
    Fact,
)


@attrs.frozen
class Record:
    """Record one fact as it is given (a journal line, most of the Ledger's calls)."""

    fact: Fact

    @property
    def case(self) -> str:
        return self.fact.case

    @property
    def primary(self) -> Fact:
        """The fact the caller asked for (its client_ref makes the command idempotent)."""
        return self.fact

    def facts(self, state: CaseState) -> list[Fact]:
        return [self.fact]


@attrs.frozen
class AdvanceAgs:
    """The AGS pays an employee. Implies, before the advance: the AGS as a creditor if
    it is not registered, and its claims by subrogation, one per part it paid, at the
    rank of that part and with the employee's claim's origin date (law primer §7)."""

    advance: AgsAdvanced
    ags_creditor: str = "AGS"

    @property
    def case(self) -> str:
        return self.advance.case

    @property
    def primary(self) -> Fact:
        return self.advance

    def facts(self, state: CaseState) -> list[Fact]:
        advance = self.advance
        declared = state.declaration(advance.employee_claim)
        if declared is None:
            raise UnknownReferenceError(
                "employee_claim", advance.employee_claim, "no such claim is declared"
            )
        if advance.superprivileged_claim is None or advance.privileged_claim is None:
            advance = attrs.evolve(
                advance,
                superprivileged_claim=advance.superprivileged_claim
                or f"{advance.employee_claim}-AGS-SP",
                privileged_claim=advance.privileged_claim
                or f"{advance.employee_claim}-AGS-P",
            )
        facts: list[Fact] = []
        if state.creditor(self.ags_creditor) is None:
            facts.append(
                CreditorRegistered.build(
                    case=advance.case,
                    creditor=self.ags_creditor,
                    name="AGS",
                    creditor_kind="ags",
                    effective_on=advance.effective_on,
                )
            )
        for amount, claim, rank in (
            (
                advance.superprivileged,
                advance.superprivileged_claim,
                "ags_superprivileged",
            ),
            (advance.privileged, advance.privileged_claim, "salary_privileged"),
        ):
            if amount:
                facts.append(
                    ClaimDeclared.build(
                        case=advance.case,
                        claim=claim,
                        creditor=self.ags_creditor,
                        amount=amount,
                        origin_on=declared.origin_on,
                        rank=rank,
                        effective_on=advance.effective_on,
                        declared_by="mandataire",
                        description=f"subrogation for {advance.employee}",
                    )
                )
        return [*facts, advance]


@attrs.frozen
class ReceiveContribution:
    """Money received under a commitment. A current-account advance (it names a
    `claim`) implies the new-money claim of the commitment's investor, before it."""

    contribution: ContributionReceived

    @property
    def case(self) -> str:
        return self.contribution.case

    @property
    def primary(self) -> Fact:
        return self.contribution

    def facts(self, state: CaseState) -> list[Fact]:
        fact = self.contribution
        if fact.claim is None:
            return [fact]
        committed = state.first(COMMITMENT, fact.commitment)
        investor = (
            committed.investor
            if isinstance(committed, CapitalCommitted)
            else fact.commitment
        )
        claim = ClaimDeclared.build(
            case=fact.case,
            claim=fact.claim,
            creditor=investor,
            amount=fact.amount,
            origin_on=fact.effective_on,
            rank="new_money",
            effective_on=fact.effective_on,
            declared_by="debtor_list",
            description=f"current-account advance under {fact.commitment}",
        )
        return [claim, fact]


Command: TypeAlias = Record | AdvanceAgs | ReceiveContribution
