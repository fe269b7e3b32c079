"""Group support at any date, as known at any date: what investors committed and
paid, what was late, what creditors waived (final, contingent, revived) and what the
group is still owed.

Waivers with a better-fortune clause are contingent: the waived amount may revive, an
off-balance-sheet exposure both companies disclose in their notes (law primer §6).
Capital received never changes the liability; a current-account advance does, as a
new-money claim of its own.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs

from plandebt.events import (
    CapitalCommitted,
    ClaimWrittenOff,
    Condition,
    ContributionReceived,
    CreditorKind,
    WaiverRevived,
    WriteOffClause,
)
from plandebt.money import Money
from plandebt.projections import serialise
from plandebt.projections.balances import balances
from plandebt.projections.index import CaseIndex, KnownAt
from plandebt.projections.plan import adoption


@attrs.frozen
class TrancheStatus:
    commitment: str
    investor: str
    number: int
    due_on: date
    amount: Money
    received: Money  # received by as_of, allocated to the oldest tranches first
    suspended: bool  # its condition (the plan's adoption) is not met yet
    late: bool  # not received in full by its due date, and the due date has passed

    def to_dict(self) -> dict[str, Any]:
        return serialise.fields(self)


@attrs.frozen
class WaiverStatus:
    waiver: str
    claim: str
    creditor: str
    waived_on: date
    clause: str
    amount: Money
    revived: Money

    @property
    def final(self) -> Money:
        return self.amount if self.clause == WriteOffClause.PURE.value else Money(0)

    @property
    def contingent(self) -> Money:
        """Still waived under a better-fortune clause: may revive."""
        if self.clause == WriteOffClause.PURE.value:
            return Money(0)
        return self.amount - self.revived

    def to_dict(self) -> dict[str, Any]:
        return serialise.fields(self, final=self.final, contingent=self.contingent)


@attrs.frozen
class SupportView:
    case: str
    as_of: date
    known_at: KnownAt
    tranches: tuple[TrancheStatus, ...]
    received_by_form: dict[str, Money]
    waivers: tuple[WaiverStatus, ...]
    intercompany_outstanding: dict[str, Money]  # group creditor -> outstanding

    def by_investor(self) -> dict[str, dict[str, Money]]:
        out: dict[str, dict[str, Money]] = {}
        for t in self.tranches:
            row = out.setdefault(
                t.investor,
                {"committed": Money(0), "received": Money(0), "late": Money(0)},
            )
            row["committed"] += t.amount
            row["received"] += t.received
            if t.late:
                row["late"] += t.amount - t.received
        return out

    @property
    def waived_final(self) -> Money:
        return Money(sum(w.final.cents for w in self.waivers))

    @property
    def waived_contingent(self) -> Money:
        return Money(sum(w.contingent.cents for w in self.waivers))

    @property
    def revived(self) -> Money:
        return Money(sum(w.revived.cents for w in self.waivers))

    def to_dict(self) -> dict[str, Any]:
        return serialise.fields(
            self,
            by_investor=self.by_investor(),
            waived_final=self.waived_final,
            waived_contingent=self.waived_contingent,
            revived=self.revived,
        )


def support(index: CaseIndex, as_of: date, known_at: KnownAt = None) -> SupportView:
    position = index.position(known_at)
    facts = [
        f
        for f in (index.at(i, position) for i in index.subjects.get("support", ()))
        if f is not None
    ]
    plan = adoption(index, as_of, position)
    received: dict[str, list[ContributionReceived]] = {}
    by_form: dict[str, int] = {}
    for f in facts:
        if isinstance(f, ContributionReceived) and f.effective_on <= as_of:
            received.setdefault(f.commitment, []).append(f)
            by_form[f.form.value] = by_form.get(f.form.value, 0) + f.amount.cents
    tranches: list[TrancheStatus] = []
    for c in facts:
        if not isinstance(c, CapitalCommitted) or c.effective_on > as_of:
            continue
        suspended = c.condition is Condition.PLAN_ADOPTION and plan is None
        pool = sum(f.amount.cents for f in received.get(c.commitment, []))
        ordered = sorted(enumerate(c.tranches, start=1), key=lambda p: p[1].due_on)
        for number, tranche in ordered:
            take = min(pool, tranche.amount.cents)
            pool -= take
            # Late from the day after its due date while not received in full.
            late = (
                not suspended and tranche.due_on < as_of and take < tranche.amount.cents
            )
            tranches.append(
                TrancheStatus(
                    c.commitment,
                    c.investor,
                    number,
                    tranche.due_on,
                    tranche.amount,
                    Money(take),
                    suspended,
                    late,
                )
            )
    waivers = _waivers(index, as_of, position)
    view = balances(index, as_of, position)
    intercompany: dict[str, Money] = {}
    for b in view.claims:
        if b.creditor_kind is CreditorKind.GROUP_COMPANY:
            intercompany[b.creditor] = (
                intercompany.get(b.creditor, Money(0)) + b.outstanding
            )
    return SupportView(
        index.case,
        as_of,
        known_at,
        tuple(tranches),
        {k: Money(v) for k, v in sorted(by_form.items())},
        tuple(waivers),
        dict(sorted(intercompany.items())),
    )


def _waivers(index: CaseIndex, as_of: date, position: int) -> list[WaiverStatus]:
    out = []
    for claim in index.claims:
        declared = index.declaration(claim, position)
        if declared is None:
            continue
        facts = [
            f for f in index.facts_about(claim, position) if f.effective_on <= as_of
        ]
        for w in facts:
            if isinstance(w, ClaimWrittenOff):
                revived = sum(
                    f.amount.cents
                    for f in facts
                    if isinstance(f, WaiverRevived) and f.waiver == w.id
                )
                out.append(
                    WaiverStatus(
                        w.id,
                        claim,
                        declared.creditor,
                        w.effective_on,
                        w.clause.value,
                        w.amount,
                        Money(revived),
                    )
                )
    return out
