"""The read side of one case: its write state (`decisions.CaseState`) and the caches
that queries keep, keyed by log position.

What was known at a position never changes, so a view derived at position P stays
true for as long as the log holds P facts; the caches are dropped with the case if a
batch is taken back. The state is read through this object (the same lookups), so the
projections do not care which of the two they hold.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import Any, TypeVar

from plandebt.decisions.state import CaseState, KnownAt, claims_of
from plandebt.events import (
    CapitalCommitted,
    CaseOpened,
    ClaimDeclared,
    ContributionReceived,
    CreditorRegistered,
    EmployeeDeparted,
    Fact,
    FactCorrected,
    FactVoided,
    InstalmentRemitted,
    PaymentBasis,
    PaymentMade,
    PlanAdopted,
    SeveranceAgreed,
    SeverancePaid,
)

__all__ = ["CaseIndex", "KnownAt"]

T = TypeVar("T")

#: A claim's dividends as `CaseIndex._dividends` prepares them.
_Dividends = tuple[
    tuple[int, int],
    list[int],
    list[tuple[date, int]],
    tuple[list[date], list[int]] | None,
]


class CaseIndex:
    """A case's state with the read-side caches of its queries."""

    def __init__(self, state: CaseState) -> None:
        self.state = state
        # Derived views keyed by the log position they were computed at.
        self.cache: dict[Any, Any] = {}
        # Positions of the facts that can change the plan's schedules (see
        # `schedule_mark`), and the ids of plan adoptions.
        self.schedule_marks: list[int] = []
        self.adoptions: list[str] = []
        # Each claim's facts prepared for the balances at the head of the log, and a
        # counter of the corrections and voids that changed one of them.
        self.claim_rows: dict[str, Any] = {}
        self.claim_touch: dict[str, int] = {}
        # Counts the facts that may change what every claim's balance reads besides
        # its own facts (its creditor's registration, the opening): registrations,
        # corrections and voids. The answers a claim keeps are valid for one count.
        self.context = 0
        # Each claim's plan dividends at the head, with their recording positions.
        self.claim_dividends: dict[str, Any] = {}
        # The claims that received a plan dividend (see `observe`).
        self.paid_claims: set[str] = set()
        for fact in state.log:
            self.observe(fact)

    # --- the state's lookups ------------------------------------------------------------

    @property
    def case(self) -> str:
        return self.state.case

    @property
    def log(self) -> list[Fact]:
        return self.state.log

    @property
    def versions(self) -> Mapping[str, list[tuple[int, Fact | None]]]:
        return self.state.versions

    @property
    def claims(self) -> Mapping[str, list[str]]:
        return self.state.claims

    @property
    def creditors(self) -> Mapping[str, str]:
        return self.state.creditors

    @property
    def creditor_claims(self) -> Mapping[str, list[str]]:
        return self.state.creditor_claims

    @property
    def subjects(self) -> Mapping[str, list[str]]:
        return self.state.subjects

    @property
    def client_refs(self) -> Mapping[str, str]:
        return self.state.client_refs

    @property
    def head(self) -> int:
        return self.state.head

    @property
    def last_recorded_at(self) -> datetime | None:
        return self.state.last_recorded_at

    def position(self, known_at: KnownAt) -> int:
        return self.state.position(known_at)

    def at(self, fact_id: str, position: int | None = None) -> Fact | None:
        return self.state.at(fact_id, position)

    def facts_about(self, claim: str, position: int | None = None) -> Iterator[Fact]:
        return self.state.facts_about(claim, position)

    def about(self, subject: str, position: int | None = None) -> list[Fact]:
        return self.state.about(subject, position)

    def opening(self, position: int | None = None) -> CaseOpened | None:
        return self.state.opening(position)

    def procedure_facts(self, position: int | None = None) -> list[Fact]:
        return self.state.procedure_facts(position)

    def declaration(
        self, claim: str, position: int | None = None
    ) -> ClaimDeclared | None:
        return self.state.declaration(claim, position)

    def creditor(
        self, creditor: str, position: int | None = None
    ) -> CreditorRegistered | None:
        return self.state.creditor(creditor, position)

    def history(self, position: int | None = None) -> list[Fact]:
        return self.state.history(position)

    # --- caches -------------------------------------------------------------------------

    def observe(self, fact: Fact) -> None:
        """Keeps the caches true once `fact` is in the state (after `evolve`)."""
        kind = type(fact)
        if kind is PaymentMade:
            # The path of most facts of a replay, in short: a payment changes the
            # schedules only before the plan's adoption, or if it is the first plan
            # dividend on its claim (a claim without a base, rejected say, is in the
            # plan for nothing once it has received one: `plan._plan_schedule`).
            if fact.basis is PaymentBasis.PLAN_DIVIDEND:  # type: ignore[attr-defined]
                claim = fact.claim  # type: ignore[attr-defined]
                if claim not in self.paid_claims:
                    self.paid_claims.add(claim)
                    self.schedule_marks.append(fact.seq or 0)
                    return
            if self.adoptions:
                adopted = self.state.versions[self.adoptions[0]][-1][1]
                if adopted is not None and fact.effective_on >= adopted.effective_on:
                    return
            self.schedule_marks.append(fact.seq or 0)
            return
        if self._changes_schedules(fact):
            self.schedule_marks.append(fact.seq or 0)
        if kind is PlanAdopted:
            self.adoptions.append(fact.id)
        if kind in _CONTEXT:
            self.context += 1
        if isinstance(fact, FactCorrected | FactVoided):
            target = fact.corrects if isinstance(fact, FactCorrected) else fact.voids
            before = self.state.versions[target][-2][1]
            for claim in claims_of(before) if before is not None else ():
                self.claim_touch[claim] = self.claim_touch.get(claim, 0) + 1

    def dividends(self, claim: str, position: int) -> list[tuple[date, int]]:
        """The plan dividends paid on a claim as known at `position`: (value date,
        cents) in recording order. Prepared once per change of the claim; when none
        of its facts was ever corrected or voided, what was known at a position is a
        prefix of what is known at the head, found by bisect. The list is shared:
        read it, do not change it."""
        (_count, touched), seqs, dividends, _sums = self._dividends(claim)
        if position >= self.head:
            return dividends
        if not touched:
            return dividends[: bisect.bisect_right(seqs, position)]
        return [
            (f.effective_on, f.amount.cents)  # type: ignore[attr-defined]
            for f in self.facts_about(claim, position)
            if _is_dividend(f)
        ]

    def received(self, claims: Iterable[str], position: int, by: date) -> list[int]:
        """For each claim, the plan dividends paid on it with a value date by `by`,
        as known at `position`, in cents: what `dividends` lists, summed by date.
        When a claim's dividends were recorded in date order (as they mostly are)
        and none was corrected or voided, what was known at a position is a prefix
        of them in both orders, and the sum is read from their running totals by
        bisect."""
        head = self.head
        # `_dividends`' check of what was prepared, inlined (once per claim).
        facts, touches, prepared = self.claims, self.claim_touch, self.claim_dividends
        out = []
        for claim in claims:
            cached = prepared.get(claim)
            if cached is None or cached[0] != (
                len(facts.get(claim, ())),
                touches.get(claim, 0),
            ):
                cached = self._dividends(claim)
            (_count, touched), seqs, _paid, sums = cached
            if sums is None or (touched and position < head):
                out.append(
                    sum(c for on, c in self.dividends(claim, position) if on <= by)
                )
                continue
            dates, totals = sums
            n = bisect.bisect_right(dates, by)
            if position < head:
                n = min(n, bisect.bisect_right(seqs, position))
            out.append(totals[n - 1] if n else 0)
        return out

    def _dividends(self, claim: str) -> _Dividends:
        """A claim's plan dividends at the head, prepared once per change of the
        claim: (count of its facts, corrections that touched it), their positions,
        their (value date, cents), and, if in date order, their dates and running
        totals."""
        key = (len(self.claims.get(claim, ())), self.claim_touch.get(claim, 0))
        cached = self.claim_dividends.get(claim)
        if cached is None or cached[0] != key:
            paid = [f for f in self.facts_about(claim) if _is_dividend(f)]
            dividends = [(f.effective_on, f.amount.cents) for f in paid]  # type: ignore[attr-defined]
            dates = [on for on, _cents in dividends]
            sums = None
            if all(a <= b for a, b in itertools.pairwise(dates)):
                sums = (dates, list(itertools.accumulate(c for _on, c in dividends)))
            cached = (key, [f.seq or 0 for f in paid], dividends, sums)
            self.claim_dividends[claim] = cached
        return cached

    def schedule_mark(self, position: int) -> int:
        """The last position up to `position` that recorded a fact able to change the
        plan's schedules: the schedules known at `position` are those known there."""
        i = bisect.bisect_right(self.schedule_marks, position)
        return self.schedule_marks[i - 1] if i else 0

    def _changes_schedules(self, fact: Fact) -> bool:
        # Schedules rest on the plan's terms, the creditors' answers and each claim's
        # worth at adoption (payments before it, decisions, subrogation...). What
        # the debtor remits, what is paid from the adoption on, and the employment and
        # support facts that create no claim cannot change them.
        if isinstance(
            fact,
            InstalmentRemitted
            | EmployeeDeparted
            | SeveranceAgreed
            | SeverancePaid
            | CapitalCommitted,
        ):
            return False
        if isinstance(fact, ContributionReceived):
            return fact.claim is not None
        if isinstance(fact, PaymentMade) and self.adoptions:
            adopted = self.at(self.adoptions[0])
            return adopted is None or fact.effective_on < adopted.effective_on
        return True

    def remember(self, key: Any, compute: Callable[[], T]) -> T:
        """A derived view, computed once per key (which must include the position)."""
        if key in self.cache:
            return self.cache[key]  # type: ignore[no-any-return]
        if len(self.cache) >= 256:
            self.cache.clear()
        value = self.cache[key] = compute()
        return value


#: Facts that may change what a claim's balance reads besides its own facts.
_CONTEXT = frozenset({CreditorRegistered, FactCorrected, FactVoided})


def _is_dividend(fact: Fact) -> bool:
    return isinstance(fact, PaymentMade) and fact.basis is PaymentBasis.PLAN_DIVIDEND
