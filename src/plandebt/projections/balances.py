"""Creditor balances at any date, as known at any date.

For each claim: declared, admitted, paid, forgiven (remission), written off and outstanding, its
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

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date, datetime
from itertools import accumulate, compress
from typing import Any

import attrs

from plandebt.decisions.state import CaseState
from plandebt.deprecation import renamed
from plandebt.events import (
    CaseConverted,
    CaseOpened,
    ClaimAdmitted,
    ClaimDeclared,
    ClaimRejected,
    CreditorKind,
    Fact,
    Rank,
)
from plandebt.lifecycle import STEP, VALUATIONS, ClaimStatus
from plandebt.money import Money
from plandebt.projections import postings, serialise
from plandebt.projections.index import CaseIndex, KnownAt
from plandebt.projections.postings import COLUMNS, INDEX, index_of


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
    remission = _column("remission")  # debt forgiven (L626-12, L626-5)
    remitted = renamed("remitted", "remission")
    interest = _column("interest")  # recorded after the claim was declared (L622-28)
    written_off = _column("written_off")  # waived, net of what revived
    subrogated = _column("subrogated")  # moved to the AGS (L3253-16 C. trav.)

    def amount(self, column: str) -> Money:
        """The column named `column` (one of `postings.COLUMNS`)."""
        return Money._of(self.sums[index_of(column)])

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
    remission = _column("remission")
    remitted = renamed("remitted", "remission")
    interest = _column("interest")
    written_off = _column("written_off")
    subrogated = _column("subrogated")

    def amount(self, column: str) -> Money:
        return Money._of(self.sums[index_of(column)])

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
#: How a step values the claim: not at all (a procedural step), or as a decision.
_PROCEDURAL, _ADMISSION, _REJECTION = 0, 1, 2

#: What a lifecycle step tells a balance: (status, how it values the claim, its
#: decision_ref, the amount admitted (None: as declared), the rank admitted at
#: (None: as declared)).
Step = tuple[str, int, str | None, Money | None, Rank | None]
#: One row of a claim: (column or _STEP, applies from, effective date, seq, cents,
#: fact id, the step of a _STEP row or None).
Row = tuple[int, date, date, int, int, str, Step | None]


@attrs.frozen
class Declared:
    """What a balance reads of a claim's declaration."""

    creditor: str
    amount: Money
    rank: Rank
    origin_on: date
    declared_on: date

    @classmethod
    def of(cls, fact: ClaimDeclared) -> Declared:
        return cls(
            fact.creditor, fact.amount, fact.rank, fact.origin_on, fact.effective_on
        )


#: What a balance reads of a creditor's registration: (name, kind).
Registered = tuple[str, CreditorKind]


def _step(fact: Fact) -> Step:
    kind = type(fact)
    valuation = (
        _ADMISSION
        if kind is ClaimAdmitted
        else _REJECTION
        if kind is ClaimRejected
        else _PROCEDURAL
    )
    amount = getattr(fact, "amount", None) if valuation == _ADMISSION else None
    rank = getattr(fact, "rank", None) if valuation == _ADMISSION else None
    return (
        STEP[kind].value,
        valuation,
        getattr(fact, "decision_ref", None),
        # An admission naming no amount (or none) admits the declared amount.
        amount if amount else None,
        rank,
    )


def _rows(facts: Iterable[Fact], valued_on: date) -> list[Row]:
    """One row per lifecycle step and per posting of the claim's facts: (column or
    _STEP, applies from, effective date, seq, cents, fact id, step)."""
    rows: list[Row] = []
    for fact in facts:
        kind = type(fact)
        if kind in STEP:
            # A decision values the claim as at the opening judgment (L622-27);
            # procedural steps (a dispute, a foreclosure, a relief) count from the
            # day they happen.
            applies_from = valued_on if kind in VALUATIONS else fact.effective_on
            rows.append(
                (
                    _STEP,
                    applies_from,
                    fact.effective_on,
                    fact.seq or 0,
                    0,
                    fact.id,
                    _step(fact),
                )
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
                    fact.id,
                    None,
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


class ClaimRows:
    """A claim's rows at the head of the log, prepared once per change of the claim,
    and the balances already answered from them.

    When no fact the balance reads was ever corrected or voided (the claim's own,
    its declaration, its creditor's registration, the opening: `stable`), what was
    known at a position P is a prefix of the rows in recording order, and what
    counts as of a date D is those of them that apply by D. The balance is a
    function of that set of rows and of whether the creditor was registered by P;
    both are found by bisect, and each balance is computed once (`answers`), then
    shared by every (as_of, known_at) that names the same set. When the set is the
    first n rows (most queries), the balance is read from the claim's columns (the
    sums by column of the first n rows, taken in C); otherwise its rows are summed.
    Any other claim is summed again at each query. A stable claim's rows are what
    the persisted read model stores (`plandebt.readmodel`), by column."""

    __slots__ = (
        "_dates",
        "_rows",
        "answers",
        "cents",
        "columns",
        "creditor",
        "creditor_seq",
        "declared",
        "ids",
        "key",
        "opened_on",
        "ordered_from",
        "posted",
        "reach_before",
        "row_dates",
        "seqs",
        "stable",
        "steps",
    )

    def __init__(
        self,
        key: tuple[int, ...],
        rows: list[Row] | None,
        stable: bool,
        declared: Declared | None = None,
        opened_on: date | None = None,
        creditor: Registered | None = None,
        creditor_seq: int | None = None,
        by_column: tuple[
            list[int], list[date], list[int], list[int], list[str], dict[int, Any]
        ]
        | None = None,
    ) -> None:
        self.key = key
        self.stable = stable
        #: Of a stable claim: its declaration, the opening's date, its creditor's
        #: registration and the position it was recorded at (None: not registered).
        self.declared = declared
        self.opened_on = opened_on
        self.creditor = creditor
        self.creditor_seq = creditor_seq
        self._rows = rows
        if by_column is None:
            assert rows is not None
            by_column = (
                [row[0] for row in rows],
                [row[1] for row in rows],
                [row[3] for row in rows],
                [row[4] for row in rows],
                [row[5] for row in rows],
                {i: (row[2], step) for i, row in enumerate(rows) if (step := row[6])},
            )
        #: The rows by column: column (or _STEP), the date each applies from, its
        #: recording position (non-decreasing: a claim's facts are filed as they
        #: are recorded), cents, fact id; and the steps, by row: (effective on,
        #: step).
        self.columns, self.row_dates, self.seqs, self.cents, self.ids = by_column[:5]
        self.steps: dict[int, tuple[date, Step]] = by_column[5]
        row_dates = self.row_dates
        #: rows[ordered_from:] apply in recording order (dates non-decreasing)...
        start = len(row_dates) - 1 if row_dates else 0
        while start > 0 and row_dates[start - 1] <= row_dates[start]:
            start -= 1
        self.ordered_from = start
        #: ...and the latest date of the rows before them, up to each.
        self.reach_before = list(accumulate(row_dates[:start], max))
        self._dates: list[date] | None = None
        #: The columns the claim's rows post to.
        self.posted = sorted(set(self.columns) - {_STEP})
        self.answers: dict[tuple[int, date | None, bool], ClaimBalance | None] = {}

    @property
    def rows(self) -> list[Row]:
        """The rows (made from the columns on first use, for a loaded model)."""
        if self._rows is None:
            steps = self.steps
            self._rows = [
                (column, on, on, seq, cents, fact_id, None)
                if i not in steps
                else (column, on, steps[i][0], seq, cents, fact_id, steps[i][1])
                for i, (column, on, seq, cents, fact_id) in enumerate(
                    zip(
                        self.columns,
                        self.row_dates,
                        self.seqs,
                        self.cents,
                        self.ids,
                        strict=True,
                    )
                )
            ]
        return self._rows

    def sums_of_first(self, count: int) -> list[int]:
        """The cents of the first `count` rows, by column of `postings.COLUMNS`
        (summed in C: a column's rows picked by `compress`)."""
        columns, cents = self.columns[:count], self.cents[:count]
        sums = [0] * len(COLUMNS)
        for c in self.posted:
            sums[c] = sum(compress(cents, map(c.__eq__, columns)))
        return sums

    def reach(self, i: int) -> date:
        """The latest date rows[0..i] apply from."""
        before = self.reach_before
        if i < len(before):
            return before[i]
        return max(before[-1], self.row_dates[i]) if before else self.row_dates[i]

    @property
    def dates(self) -> list[date]:
        """The distinct dates rows apply from, sorted (made on first use)."""
        if self._dates is None:
            self._dates = sorted(set(self.row_dates))
        return self._dates


def _prepared(index: CaseIndex, claim: str, valued_on: date) -> ClaimRows:
    """The claim's rows at the head (cached on the index until the claim or its
    context changes)."""
    key = (len(index.claims[claim]), index.claim_touch.get(claim, 0), index.context)
    cached: ClaimRows | None = index.claim_rows.get(claim)
    if cached is not None and cached.key == key:
        return cached
    head = index.head
    rows = _rows(index.facts_about(claim, head), valued_on)
    declared = index.declaration(claim, head)
    opening = index.opening(head)
    cached = ClaimRows(key, rows, False)
    if (
        not key[1]
        and declared is not None
        and opening is not None
        and _single(index, index.state.procedure[0])
    ):
        registration = index.creditors.get(declared.creditor)
        if registration is None or _single(index, registration):
            fact = index.creditor(declared.creditor, head)
            cached = ClaimRows(
                key,
                rows,
                True,
                Declared.of(declared),
                opening.effective_on,
                (fact.name, fact.creditor_kind) if fact is not None else None,
                None if registration is None else index.versions[registration][0][0],
            )
    index.claim_rows[claim] = cached
    return cached


def prepared_rows(index: CaseIndex, claim: str) -> ClaimRows | None:
    """The claim's rows prepared at the head (None: not declared), as the balances
    read them."""
    declared = index.declaration(claim)
    opening = index.opening()
    if declared is None or opening is None:
        return None
    return _prepared(index, claim, max(opening.effective_on, declared.origin_on))


def _single(index: CaseIndex, fact_id: str) -> bool:
    """The fact has one version, its first (never corrected nor voided)."""
    versions = index.versions.get(fact_id)
    return versions is not None and len(versions) == 1 and versions[0][1] is not None


def claim_balance(
    index: CaseIndex | CaseState, claim: str, as_of: date | None, position: int
) -> ClaimBalance | None:
    """One claim's balance (None if not declared as of `as_of` at `position`).
    `as_of=None` means: everything known, whatever its date."""
    if isinstance(index, CaseIndex):
        prepared = index.claim_rows.get(claim)
        if (
            prepared is not None
            and prepared.stable
            and prepared.key[0] == len(index.claims[claim])
            and prepared.key[2] == index.context
            and prepared.key[1] == index.claim_touch.get(claim, 0)
        ):
            return answer(prepared, claim, as_of, position)
    declared = index.declaration(claim, position)
    if declared is None or (as_of is not None and declared.effective_on > as_of):
        return None
    opening = index.opening(position)
    assert opening is not None
    valued_on = max(opening.effective_on, declared.origin_on)
    if isinstance(index, CaseIndex):
        prepared = _prepared(index, claim, valued_on)
        if prepared.stable:
            return answer(prepared, claim, as_of, position)
        rows = prepared.rows
    if not isinstance(index, CaseIndex) or position < index.head:
        rows = _rows(index.facts_about(claim, position), valued_on)
    creditor = index.creditor(declared.creditor, position)
    return _summed(
        claim,
        rows,
        as_of,
        Declared.of(declared),
        (creditor.name, creditor.creditor_kind) if creditor is not None else None,
        opening.effective_on,
    )


def answer(
    prepared: ClaimRows, claim: str, as_of: date | None, position: int
) -> ClaimBalance | None:
    """A stable claim's balance, by bisect by position and by date (see
    `ClaimRows`)."""
    seqs = prepared.seqs
    recorded = len(seqs) if position >= seqs[-1] else bisect_right(seqs, position)
    creditor_seq = prepared.creditor_seq
    registered = creditor_seq is not None and creditor_seq <= position
    # The rows counted are those among the first `recorded` that apply by as_of.
    # When they are the first `last` rows, the key is `last` alone (most queries:
    # facts are mostly recorded in date order); otherwise the position and the
    # latest row date on or before as_of.
    key: tuple[int, date | None, bool]
    if as_of is None:
        key = (recorded, None, registered)
    else:
        row_dates, start = prepared.row_dates, prepared.ordered_from
        last = recorded
        if last > start:
            last = bisect_right(row_dates, as_of, start, last)
        while last and row_dates[last - 1] > as_of:
            last -= 1
        if not last:
            return None
        if prepared.reach(last - 1) <= as_of:
            key = (last, None, registered)
        else:
            dates = prepared.dates
            key = (recorded, dates[bisect_right(dates, as_of) - 1], registered)
    answers = prepared.answers
    if key in answers:
        return answers[key]
    result: ClaimBalance | None = None
    count, latest = key[0], key[1]
    declared = prepared.declared
    assert declared is not None and prepared.opened_on is not None
    creditor = prepared.creditor if registered else None
    # The declaration is the claim's first row: known once a row is.
    if count and latest is None:
        result = _first_rows(claim, prepared, count, declared, creditor)
    elif count and declared.declared_on <= latest:  # type: ignore[operator]
        result = _summed(
            claim,
            prepared.rows[:count],
            latest,
            declared,
            creditor,
            prepared.opened_on,
        )
    answers[key] = result
    return result


def _first_rows(
    claim: str,
    prepared: ClaimRows,
    count: int,
    declared: Declared,
    creditor: Registered | None,
) -> ClaimBalance:
    """The balance of the claim's first `count` rows, from its columns: what
    `_summed` gives for them, without summing them again."""
    assert prepared.opened_on is not None
    n = count - 1
    sums = prepared.sums_of_first(count)
    # The latest step, and the latest valuation, by (effective date, seq).
    status: tuple[date, int, Step] | None = None
    valuation: Step | None = None
    valued: tuple[date, int] | None = None
    seqs = prepared.seqs
    for i, (effective_on, step) in prepared.steps.items():
        if i > n:
            continue
        when = (effective_on, seqs[i])
        if status is None or when >= (status[0], status[1]):
            status = (effective_on, seqs[i], step)
        if step[1] and (valued is None or when >= valued):
            valued, valuation = when, step
    ids = prepared.ids[:count]
    if len(set(ids)) != count:  # a fact of several rows: its id once in a row
        ids = [
            fact_id for i, fact_id in enumerate(ids) if not i or ids[i - 1] != fact_id
        ]
    return _balance(
        claim,
        sums,
        ids,
        None if status is None else (status[0], status[2]),
        valuation,
        declared,
        creditor,
        prepared.opened_on,
    )


def _summed(
    claim: str,
    rows: list[Row],
    as_of: date | None,
    declared: Declared,
    creditor: Registered | None,
    opened_on: date,
) -> ClaimBalance:
    """The balance of a declared claim from its rows known at the position asked,
    its creditor's registration then (if any) and the opening's date."""
    sums = [0] * len(COLUMNS)
    # The latest step, and the latest decision valuing the claim, each by (effective
    # date, recording position).
    latest: list[tuple[tuple[date, int], Row] | None] = [None, None]
    ids: list[str] = []
    for row in rows:
        column, applies_from, effective_on, seq, cents, fact_id, step = row
        if as_of is not None and applies_from > as_of:
            continue
        if step is not None:
            when = (effective_on, seq)
            for slot in (_STATUS, _VALUATION) if step[1] else (_STATUS,):
                held = latest[slot]
                if held is None or when >= held[0]:
                    latest[slot] = (when, row)
        else:
            sums[column] += cents
        if not ids or ids[-1] != fact_id:
            ids.append(fact_id)
    held_status, held_valuation = latest
    status = held_status[1] if held_status else None
    return _balance(
        claim,
        sums,
        ids,
        None if status is None or status[6] is None else (status[2], status[6]),
        held_valuation[1][6] if held_valuation else None,
        declared,
        creditor,
        opened_on,
    )


def _balance(
    claim: str,
    sums: list[int],
    ids: list[str],
    status: tuple[date, Step] | None,
    valuation: Step | None,
    declared: Declared,
    creditor: Registered | None,
    opened_on: date,
) -> ClaimBalance:
    """A claim's balance from its column sums, the ids of its facts counted, its
    latest step (with its effective date) and its latest valuation."""
    admitted: Money | None = None
    rank = declared.rank
    if valuation is not None and valuation[1] == _ADMISSION:
        admitted = valuation[3] or declared.amount
        rank = valuation[4] or rank
    elif valuation is not None and valuation[1] == _REJECTION:
        admitted = Money._of(0)
    owed = declared.amount if admitted is None else admitted
    step = status[1] if status else None
    return ClaimBalance(
        claim=claim,
        creditor=declared.creditor,
        creditor_name=creditor[0] if creditor else declared.creditor,
        creditor_kind=creditor[1] if creditor else CreditorKind.OTHER,
        rank=rank,
        origin_on=declared.origin_on,
        declared_on=declared.declared_on,
        frozen=declared.origin_on < opened_on,
        status=step[0] if step else ClaimStatus.DECLARED.value,
        decided_on=status[0] if status else None,
        decision_ref=step[2] if step else None,
        admitted=admitted,
        sums=tuple(sums),
        outstanding=Money._of(postings.outstanding(owed.cents, sums)),
        facts=tuple(ids),
    )
