"""Creditor balances at any date, as known at any date.

For each claim: declared, admitted, paid, remitted, written off and outstanding, its
status, and whether it is frozen (arose before the opening judgment) or post-opening;
then the same totals per creditor, per rank and for the case.

Two dates matter for a court's decision on a claim (admission, rejection): the day it
was given, and the day it values the claim at. The verification values the claim as
at the opening judgment (L622-27: a "cliché" of the claim on the opening date), so an
admission or rejection counts in balances as of any date from the opening (or from the
claim's origin, for a post-opening claim) as soon as it is known; `known_at` shows
what was known before it. Procedural steps (a dispute, a foreclosure, a relief)
count from the day they happen.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import attrs

from plandebt.events import (
    AgsAdvanced,
    ClaimAdmitted,
    ClaimContested,
    ClaimDeclared,
    ClaimForeclosed,
    ClaimRejected,
    ClaimRelieved,
    ClaimWrittenOff,
    CreditorKind,
    Fact,
    InterestAccrued,
    PaymentMade,
    Rank,
    ReliefRequested,
    RemissionGranted,
    WaiverRevived,
)
from plandebt.money import Money
from plandebt.projections.index import CaseIndex, KnownAt

_STATUS = {
    ClaimAdmitted: "admitted",
    ClaimRejected: "rejected",
    ClaimContested: "contested",
    ClaimForeclosed: "foreclosed",
    ReliefRequested: "relief_requested",
    ClaimRelieved: "relieved",
}
#: Decisions that value the claim as at the opening judgment (L622-27).
_VALUATIONS = (ClaimAdmitted, ClaimRejected)


@attrs.frozen
class ClaimBalance:
    claim: str
    creditor: str
    creditor_name: str
    creditor_kind: CreditorKind
    rank: Rank
    origin_on: date
    declared_on: date
    frozen: bool  # arose before the opening judgment: under the freeze (L622-7)
    status: str  # declared, admitted, rejected, contested, foreclosed, ...
    decided_on: date | None
    decision_ref: str | None
    declared: Money
    admitted: Money | None  # None while no admission or rejection is known
    paid: Money
    remitted: Money
    interest: Money  # interest recorded after the claim was declared (L622-28)
    written_off: Money  # waived, net of what revived (better-fortune clauses)
    subrogated: Money  # moved to the AGS by its advances (L3253-16 C. trav.)
    outstanding: Money
    facts: tuple[str, ...]  # ids of the facts this balance is made of

    @property
    def provisional(self) -> bool:
        """True while the amount owed rests on the declaration, not a decision."""
        return self.admitted is None

    @property
    def owed(self) -> Money:
        """What the claim is worth: admitted if decided, else declared."""
        return self.declared if self.admitted is None else self.admitted

    def to_dict(self) -> dict[str, Any]:
        return {
            "claim": self.claim,
            "creditor": self.creditor,
            "creditor_name": self.creditor_name,
            "creditor_kind": self.creditor_kind.value,
            "rank": self.rank.value,
            "origin_on": self.origin_on.isoformat(),
            "declared_on": self.declared_on.isoformat(),
            "frozen": self.frozen,
            "status": self.status,
            "provisional": self.provisional,
            "decided_on": self.decided_on.isoformat() if self.decided_on else None,
            "decision_ref": self.decision_ref,
            "declared": self.declared.plain(),
            "admitted": self.admitted.plain() if self.admitted is not None else None,
            "paid": self.paid.plain(),
            "remitted": self.remitted.plain(),
            "interest": self.interest.plain(),
            "written_off": self.written_off.plain(),
            "subrogated": self.subrogated.plain(),
            "outstanding": self.outstanding.plain(),
            "facts": list(self.facts),
        }


@attrs.frozen
class Totals:
    claims: int
    declared: Money
    admitted: Money  # decided claims only
    owed: Money  # admitted where decided, declared where not
    paid: Money
    remitted: Money
    interest: Money
    written_off: Money
    subrogated: Money
    outstanding: Money

    @classmethod
    def of(cls, balances: Iterable[ClaimBalance]) -> Totals:
        sums = [0] * 9
        count = 0
        for b in balances:
            count += 1
            for i, m in enumerate(
                (
                    b.declared,
                    b.admitted or Money(0),
                    b.owed,
                    b.paid,
                    b.remitted,
                    b.interest,
                    b.written_off,
                    b.subrogated,
                    b.outstanding,
                )
            ):
                sums[i] += m.cents
        return cls(count, *(Money._of(c) for c in sums))

    def to_dict(self) -> dict[str, Any]:
        return {"claims": self.claims} | {
            name: getattr(self, name).plain()
            for name in (
                "declared",
                "admitted",
                "owed",
                "paid",
                "remitted",
                "interest",
                "written_off",
                "subrogated",
                "outstanding",
            )
        }


@attrs.frozen
class Balances:
    case: str
    as_of: date
    known_at: datetime | int | None
    position: int  # how many recorded facts this view is made of
    procedure: str | None
    opened_on: date | None
    claims: tuple[ClaimBalance, ...]

    def by_creditor(self) -> dict[str, Totals]:
        return _group(self.claims, lambda b: b.creditor)

    def by_rank(self) -> dict[str, Totals]:
        return _group(self.claims, lambda b: b.rank.value)

    def by_freeze(self) -> dict[str, Totals]:
        return _group(self.claims, lambda b: "frozen" if b.frozen else "post_opening")

    @property
    def total(self) -> Totals:
        return Totals.of(self.claims)

    def claim(self, claim: str) -> ClaimBalance:
        for b in self.claims:
            if b.claim == claim:
                return b
        raise KeyError(claim)

    def to_dict(self) -> dict[str, Any]:
        known = self.known_at
        return {
            "case": self.case,
            "as_of": self.as_of.isoformat(),
            "known_at": known.isoformat() if isinstance(known, datetime) else known,
            "position": self.position,
            "procedure": self.procedure,
            "opened_on": self.opened_on.isoformat() if self.opened_on else None,
            "claims": [b.to_dict() for b in self.claims],
            "by_creditor": {k: v.to_dict() for k, v in self.by_creditor().items()},
            "by_rank": {k: v.to_dict() for k, v in self.by_rank().items()},
            "by_freeze": {k: v.to_dict() for k, v in self.by_freeze().items()},
            "total": self.total.to_dict(),
        }


def _group(claims: Iterable[ClaimBalance], key: Any) -> dict[str, Totals]:
    groups: dict[str, list[ClaimBalance]] = {}
    for b in claims:
        groups.setdefault(key(b), []).append(b)
    return {k: Totals.of(v) for k, v in sorted(groups.items())}


_STATUS_BUCKET = 0
#: Which column each money fact adds to, and with which sign.
_BUCKET = {
    PaymentMade: (1, 1),
    RemissionGranted: (2, 1),
    ClaimWrittenOff: (3, 1),
    WaiverRevived: (3, -1),
    AgsAdvanced: (4, 1),
    InterestAccrued: (5, 1),
}


def _rows(
    facts: Iterable[Fact], declared: ClaimDeclared, valued_on: date
) -> list[tuple[int, date, date, int, int, Fact]]:
    rows = []
    for fact in facts:
        if fact is declared:
            continue
        kind = type(fact)
        if kind in _STATUS:
            applies_from = valued_on if kind in _VALUATIONS else fact.effective_on
            rows.append(
                (
                    _STATUS_BUCKET,
                    applies_from,
                    fact.effective_on,
                    fact.seq or 0,
                    0,
                    fact,
                )
            )
        elif kind in _BUCKET:
            bucket, sign = _BUCKET[kind]
            rows.append(
                (
                    bucket,
                    fact.effective_on,
                    fact.effective_on,
                    fact.seq or 0,
                    sign * fact.amount.cents,
                    fact,
                )
            )  # type: ignore[attr-defined]
    return rows


def balances(index: CaseIndex, as_of: date, known_at: KnownAt = None) -> Balances:
    """Every claim's balance in the case, as of `as_of`, as known at `known_at`."""
    position = index.position(known_at)
    opening = index.opening(position)
    procedure_facts = index.procedure_facts(position)
    current = [f for f in procedure_facts if f.effective_on <= as_of]
    rows = []
    for claim in index.claims:
        row = claim_balance(index, claim, as_of, position)
        if row is not None:
            rows.append(row)
    return Balances(
        case=index.case,
        as_of=as_of,
        known_at=known_at,
        position=position,
        procedure=current[-1].procedure.value if current else None,
        opened_on=opening.effective_on if opening else None,
        claims=tuple(rows),
    )


def claim_balance(
    index: CaseIndex, claim: str, as_of: date | None, position: int
) -> ClaimBalance | None:
    """One claim's balance (None if not declared as of `as_of` at `position`).
    `as_of=None` means: everything known, whatever its date."""
    declared = index.declaration(claim, position)
    if declared is None or (as_of is not None and declared.effective_on > as_of):
        return None
    opening = index.opening(position)
    assert opening is not None
    creditor = index.creditor(declared.creditor, position)
    valued_on = max(opening.effective_on, declared.origin_on)
    # One tuple per fact about the claim: (bucket, applies from, date, seq, cents,
    # fact); at the head of the log they are prepared once per change of the claim.
    if position >= index.head:
        key = (len(index.claims[claim]), index.claim_touch.get(claim, 0), valued_on)
        cached = index.claim_rows.get(claim)
        if cached is None or cached[0] != key:
            cached = (
                key,
                _rows(index.facts_about(claim, position), declared, valued_on),
            )
            index.claim_rows[claim] = cached
        rows = cached[1]
    else:
        rows = _rows(index.facts_about(claim, position), declared, valued_on)
    sums = [0] * 6  # by bucket: 0 is the status, 1–5 the columns of _BUCKET
    status: Fact | None = None
    status_key = None
    admitted: Money | None = None
    rank = declared.rank
    ids = [declared.id]
    for bucket, applies_from, effective_on, seq, cents, fact in rows:
        if as_of is not None and applies_from > as_of:
            continue
        if bucket == _STATUS_BUCKET:
            if status_key is None or (effective_on, seq) >= status_key:
                status, status_key = fact, (effective_on, seq)
        else:
            sums[bucket] += cents
        ids.append(fact.id)
    paid, remitted, written_off, subrogated, interest = sums[1:6]
    if isinstance(status, ClaimAdmitted):
        admitted = status.amount or declared.amount
        rank = status.rank or rank
    elif isinstance(status, ClaimRejected):
        admitted = Money._of(0)
    owed = declared.amount if admitted is None else admitted
    return ClaimBalance(
        claim=claim,
        creditor=declared.creditor,
        creditor_name=creditor.name if creditor else declared.creditor,
        creditor_kind=creditor.creditor_kind if creditor else CreditorKind.OTHER,
        rank=rank,
        origin_on=declared.origin_on,
        declared_on=declared.effective_on,
        frozen=declared.origin_on < opening.effective_on,
        status=_STATUS[type(status)] if status else "declared",
        decided_on=status.effective_on if status else None,
        decision_ref=getattr(status, "decision_ref", None),
        declared=declared.amount,
        admitted=admitted,
        paid=Money._of(paid),
        remitted=Money._of(remitted),
        interest=Money._of(interest),
        written_off=Money._of(written_off),
        subrogated=Money._of(subrogated),
        outstanding=Money._of(
            owed.cents + interest - paid - remitted - written_off - subrogated
        ),
        facts=tuple(ids),
    )
