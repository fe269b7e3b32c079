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

from plandebt.decisions.state import CaseState
from plandebt.events import (
    CaseConverted,
    CaseOpened,
    ClaimAdmitted,
    ClaimRejected,
    CreditorKind,
    Fact,
    Rank,
)
from plandebt.lifecycle import STEP, VALUATIONS, status_of
from plandebt.money import Money
from plandebt.projections import postings, serialise
from plandebt.projections.index import CaseIndex, KnownAt
from plandebt.projections.postings import COLUMNS, INDEX


def _column(name: str) -> Any:
    """A Money property reading one column of `sums`."""
    i = INDEX[name]

    def read(self: ClaimBalance | Totals) -> Money:
        return Money._of(self.sums[i])

    read.__doc__ = f"The {COLUMNS[i].label} column."
    return property(read)


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
    status: str  # its latest step: declared, admitted, contested, foreclosed...
    decided_on: date | None
    decision_ref: str | None
    admitted: Money | None  # None while no admission or rejection is known
    sums: tuple[int, ...]  # cents by column of `postings.COLUMNS`
    outstanding: Money
    facts: tuple[str, ...]  # ids of the facts this balance is made of

    declared = _column("declared")
    paid = _column("paid")
    remitted = _column("remitted")
    interest = _column("interest")  # recorded after the claim was declared (L622-28)
    written_off = _column("written_off")  # waived, net of what revived
    subrogated = _column("subrogated")  # moved to the AGS (L3253-16 C. trav.)

    def amount(self, column: str) -> Money:
        """The column named `column` (one of `postings.COLUMNS`)."""
        return Money._of(self.sums[INDEX[column]])

    @property
    def provisional(self) -> bool:
        """True while the amount owed rests on the declaration, not a decision."""
        return self.admitted is None

    @property
    def owed(self) -> Money:
        """What the claim is worth: admitted if decided, else declared."""
        return self.declared if self.admitted is None else self.admitted

    def to_dict(self) -> dict[str, Any]:
        return serialise.fields(
            self,
            omit=("sums", "facts"),
            provisional=self.provisional,
            **_amounts(self),
            facts=self.facts,
        )


#: The amount columns of a balance, in the order people read them: the declared
#: worth, the decision, every posted column, and what is left.
AMOUNT_COLUMNS: tuple[tuple[str, str], ...] = (
    (COLUMNS[0].name, COLUMNS[0].label),
    ("admitted", "admitted"),
    *((c.name, c.label) for c in COLUMNS[1:]),
    ("outstanding", "outstanding"),
)


def _amounts(view: ClaimBalance | Totals) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for name, _label in AMOUNT_COLUMNS:
        value = view.amount(name) if name in INDEX else getattr(view, name)
        out[name] = None if value is None else value.plain()
    return out


@attrs.frozen
class Totals:
    claims: int
    admitted: Money  # decided claims only
    owed: Money  # admitted where decided, declared where not
    sums: tuple[int, ...]  # cents by column of `postings.COLUMNS`
    outstanding: Money

    declared = _column("declared")
    paid = _column("paid")
    remitted = _column("remitted")
    interest = _column("interest")
    written_off = _column("written_off")
    subrogated = _column("subrogated")

    def amount(self, column: str) -> Money:
        return Money._of(self.sums[INDEX[column]])

    @classmethod
    def of(cls, balances: Iterable[ClaimBalance]) -> Totals:
        sums = [0] * len(COLUMNS)
        count = admitted = owed = outstanding = 0
        for b in balances:
            count += 1
            for i, cents in enumerate(b.sums):
                sums[i] += cents
            if b.admitted is not None:
                admitted += b.admitted.cents
            owed += b.owed.cents
            outstanding += b.outstanding.cents
        return cls(
            count,
            Money._of(admitted),
            Money._of(owed),
            tuple(sums),
            Money._of(outstanding),
        )

    def to_dict(self) -> dict[str, Any]:
        return serialise.fields(self, omit=("sums",), **_amounts(self))


@attrs.frozen
class Balances:
    case: str
    as_of: date
    known_at: datetime | int | None
    position: int  # how many recorded facts this view is made of
    procedure: str | None
    opened_on: date | None
    claims: tuple[ClaimBalance, ...]
    #: Provenance: the ids of the facts this view rests on that were restored from
    #: a journal whose hash chain was not verified (docs/integrity.md).
    unverified: tuple[str, ...] = ()

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
        return serialise.fields(
            self,
            by_creditor=self.by_creditor(),
            by_rank=self.by_rank(),
            by_freeze=self.by_freeze(),
            total=self.total,
        )


def _group(claims: Iterable[ClaimBalance], key: Any) -> dict[str, Totals]:
    groups: dict[str, list[ClaimBalance]] = {}
    for b in claims:
        groups.setdefault(key(b), []).append(b)
    return {k: Totals.of(v) for k, v in sorted(groups.items())}


#: The row kind of a lifecycle step (a status), next to the columns' indexes.
_STEP = -1
_STATUS, _VALUATION = 0, 1

Row = tuple[int, date, date, int, int, Fact]


def _rows(facts: Iterable[Fact], valued_on: date) -> list[Row]:
    """One row per lifecycle step and per posting of the claim's facts: (column or
    _STEP, applies from, effective date, seq, cents, fact)."""
    rows: list[Row] = []
    for fact in facts:
        kind = type(fact)
        if kind in STEP:
            # A decision values the claim as at the opening judgment (L622-27);
            # procedural steps (a dispute, a foreclosure, a relief) count from the
            # day they happen.
            applies_from = valued_on if kind in VALUATIONS else fact.effective_on
            rows.append(
                (_STEP, applies_from, fact.effective_on, fact.seq or 0, 0, fact)
            )
            continue
        for p in postings.postings(fact):
            rows.append(
                (
                    INDEX[p.column.name],
                    p.effective_on,
                    p.effective_on,
                    fact.seq or 0,
                    p.cents,
                    fact,
                )
            )
    return rows


def procedure_in_force(
    index: CaseIndex | CaseState, on: date, position: int | None = None
) -> CaseOpened | CaseConverted | None:
    """The opening or conversion in force on `on`: the latest effective on or before
    it (by effective date, then recording position), whatever the recording order."""
    best: CaseOpened | CaseConverted | None = None
    for f in index.procedure_facts(position):
        if (
            isinstance(f, CaseOpened | CaseConverted)
            and f.effective_on <= on
            and (
                best is None
                or (f.effective_on, f.seq or 0) >= (best.effective_on, best.seq or 0)
            )
        ):
            best = f
    return best


def balances(index: CaseIndex, as_of: date, known_at: KnownAt = None) -> Balances:
    """Every claim's balance in the case, as of `as_of`, as known at `known_at`."""
    position = index.position(known_at)
    opening = index.opening(position)
    current = procedure_in_force(index, as_of, position)
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
        procedure=current.procedure.value if current else None,
        opened_on=opening.effective_on if opening else None,
        claims=tuple(rows),
    )


def claim_balance(
    index: CaseIndex | CaseState, claim: str, as_of: date | None, position: int
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
    # At the head of the log a claim's rows are prepared once per change of it.
    if isinstance(index, CaseIndex) and position >= index.head:
        key = (len(index.claims[claim]), index.claim_touch.get(claim, 0), valued_on)
        cached = index.claim_rows.get(claim)
        if cached is None or cached[0] != key:
            cached = (key, _rows(index.facts_about(claim, position), valued_on))
            index.claim_rows[claim] = cached
        rows = cached[1]
    else:
        rows = _rows(index.facts_about(claim, position), valued_on)
    sums = [0] * len(COLUMNS)
    # The latest step, and the latest decision valuing the claim, each by (effective
    # date, recording position).
    latest: list[tuple[tuple[date, int], Fact] | None] = [None, None]
    ids: list[str] = []
    for column, applies_from, effective_on, seq, cents, fact in rows:
        if as_of is not None and applies_from > as_of:
            continue
        if column == _STEP:
            when = (effective_on, seq)
            for slot in (
                (_STATUS, _VALUATION) if type(fact) in VALUATIONS else (_STATUS,)
            ):
                held = latest[slot]
                if held is None or when >= held[0]:
                    latest[slot] = (when, fact)
        else:
            sums[column] += cents
        if not ids or ids[-1] != fact.id:
            ids.append(fact.id)
    held_status, held_valuation = latest
    status = held_status[1] if held_status else None
    valuation = held_valuation[1] if held_valuation else None
    admitted: Money | None = None
    rank = declared.rank
    if isinstance(valuation, ClaimAdmitted):
        admitted = valuation.amount or declared.amount
        rank = valuation.rank or rank
    elif isinstance(valuation, ClaimRejected):
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
        status=status_of(status).value,
        decided_on=status.effective_on if status else None,
        decision_ref=getattr(status, "decision_ref", None),
        admitted=admitted,
        sums=tuple(sums),
        outstanding=Money._of(postings.outstanding(owed.cents, sums)),
        facts=tuple(ids),
    )
