"""The per-case index: every fact of a case, kept in recording order, with the
versions that corrections and voids create. It is built once when a case is loaded
and extended fact by fact as the ledger records; queries read it and never the store.

"As known at K" is a prefix of the case's log: the facts whose recording position
(`seq`) is at most the position K names. Each fact's content at that position is the
latest version recorded up to it (a correction makes a new version, a void makes an
empty one).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from plandebt.errors import InvalidInputError
from plandebt.events import (
    CapitalCommitted,
    CaseConverted,
    CaseOpened,
    ClaimDeclared,
    ContributionReceived,
    CreditorRegistered,
    EmployeeDeparted,
    Fact,
    FactCorrected,
    FactVoided,
    InstalmentRemitted,
    PaymentMade,
    PlanAdopted,
    SeveranceAgreed,
    SeverancePaid,
)

KnownAt = datetime | int | None


class CaseIndex:
    """What one case's history holds, indexed for queries at any (as_of, known_at)."""

    def __init__(self, case: str) -> None:
        self.case = case
        self.log: list[Fact] = []  # every fact, stamped, in recording order
        self._recorded: list[datetime] = []  # recorded_at by position, for bisect
        # fact id -> [(seq, content or None)], in recording order
        self.versions: dict[str, list[tuple[int, Fact | None]]] = {}
        self.claims: dict[str, list[str]] = {}  # claim id -> ids of facts about it
        self.creditors: dict[str, str] = {}  # creditor id -> registration fact id
        self.creditor_claims: dict[str, list[str]] = {}  # creditor id -> claim ids
        self.procedure: list[str] = []  # opening and conversion fact ids
        self.subjects: dict[str, list[str]] = {}  # other subjects (plan, investor...)
        self.client_refs: dict[str, str] = {}
        self._undo: list[tuple[Any, ...]] | None = None
        # Derived views keyed by the log position they were computed at: what was
        # known at a position never changes, so they stay true until a rollback.
        self.cache: dict[Any, Any] = {}
        # Positions of the facts that can change the plan's schedules (see
        # `schedule_mark`), and the ids of plan adoptions.
        self.schedule_marks: list[int] = []
        # Each claim's facts prepared for the balances at the head of the log, and a
        # counter of the corrections and voids that changed one of them.
        self.claim_rows: dict[str, Any] = {}
        self.claim_touch: dict[str, int] = {}
        self.adoptions: list[str] = []

    # --- positions --------------------------------------------------------------------

    @property
    def head(self) -> int:
        return len(self.log)

    @property
    def last_recorded_at(self) -> datetime | None:
        return self._recorded[-1] if self._recorded else None

    def position(self, known_at: KnownAt) -> int:
        """The log position that `known_at` names: None is everything recorded; an
        int is a position (the number of facts recorded); a datetime keeps the facts
        recorded at or before it."""
        if known_at is None:
            return self.head
        if isinstance(known_at, bool) or not isinstance(known_at, int | datetime):
            raise InvalidInputError(
                "known_at",
                known_at,
                "must be a datetime (with time zone) or a position",
            )
        if isinstance(known_at, int):
            if known_at < 0:
                raise InvalidInputError("known_at", known_at, "a position is >= 0")
            return min(known_at, self.head)
        if known_at.tzinfo is None:
            raise InvalidInputError("known_at", known_at, "must carry a time zone")
        return bisect.bisect_right(self._recorded, known_at)

    # --- reading ------------------------------------------------------------------------

    def at(self, fact_id: str, position: int | None = None) -> Fact | None:
        """The content of a fact as known at `position` (None: not yet recorded, or
        voided)."""
        versions = self.versions.get(fact_id)
        if not versions:
            return None
        if position is None or position >= self.head:
            return versions[-1][1]
        for seq, content in reversed(versions):
            if seq <= position:
                return content
        return None

    def facts_about(self, claim: str, position: int | None = None) -> Iterator[Fact]:
        for fact_id in self.claims.get(claim, ()):
            fact = self.at(fact_id, position)
            if fact is not None:
                yield fact

    def opening(self, position: int | None = None) -> CaseOpened | None:
        if not self.procedure:
            return None
        fact = self.at(self.procedure[0], position)
        return fact if isinstance(fact, CaseOpened) else None

    def procedure_facts(self, position: int | None = None) -> list[Fact]:
        return [f for f in (self.at(i, position) for i in self.procedure) if f]

    def declaration(
        self, claim: str, position: int | None = None
    ) -> ClaimDeclared | None:
        ids = self.claims.get(claim)
        if not ids:
            return None
        fact = self.at(ids[0], position)
        return fact if isinstance(fact, ClaimDeclared) else None

    def creditor(
        self, creditor: str, position: int | None = None
    ) -> CreditorRegistered | None:
        fact_id = self.creditors.get(creditor)
        fact = self.at(fact_id, position) if fact_id else None
        return fact if isinstance(fact, CreditorRegistered) else None

    def history(self, position: int | None = None) -> list[Fact]:
        return self.log[: self.head if position is None else position]

    # --- writing ------------------------------------------------------------------------

    def add(self, fact: Fact) -> None:
        """Indexes one stamped fact (its seq is the next position)."""
        assert fact.seq == self.head + 1 and fact.recorded_at is not None
        if self._changes_schedules(fact):
            self._append(self.schedule_marks, fact.seq)
        if isinstance(fact, PlanAdopted):
            self._append(self.adoptions, fact.id)
        self._append(self.log, fact)
        self._append(self._recorded, fact.recorded_at)
        if fact.client_ref is not None:
            self._set(self.client_refs, fact.client_ref, fact.id)
        if isinstance(fact, FactCorrected | FactVoided):
            changed = self.at(
                fact.corrects if isinstance(fact, FactCorrected) else fact.voids
            )
            for claim in claims_of(changed) if changed is not None else ():
                self._set(self.claim_touch, claim, self.claim_touch.get(claim, 0) + 1)
        if isinstance(fact, FactCorrected):
            target = self.versions[fact.corrects][-1][1]
            assert target is not None
            self._append(
                self.versions[fact.corrects], (fact.seq, corrected(target, fact))
            )
            self._set(self.versions, fact.id, [(fact.seq, fact)])
            return
        if isinstance(fact, FactVoided):
            self._append(self.versions[fact.voids], (fact.seq, None))
            self._set(self.versions, fact.id, [(fact.seq, fact)])
            return
        self._set(self.versions, fact.id, [(fact.seq, fact)])
        if isinstance(fact, CaseOpened | CaseConverted):
            self._append(self.procedure, fact.id)
        elif isinstance(fact, CreditorRegistered):
            self._set(self.creditors, fact.creditor, fact.id)
            if fact.creditor not in self.creditor_claims:
                self._set(self.creditor_claims, fact.creditor, [])
        elif isinstance(fact, ClaimDeclared):
            self._set(self.claims, fact.claim, [fact.id])
            self._append(self.creditor_claims[fact.creditor], fact.claim)
        else:
            for claim in claims_of(fact):
                self._append(self.claims[claim], fact.id)
            subject = subject_of(fact)
            if subject not in self.subjects:
                self._set(self.subjects, subject, [])
            self._append(self.subjects[subject], fact.id)

    # Batches are validated by adding their facts one by one; if one is refused, or
    # the store refuses the save, everything added since begin() is taken back.

    def begin(self) -> None:
        self._undo = []

    def commit(self) -> None:
        self._undo = None

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

    def remember(self, key: Any, compute: Any) -> Any:
        """A derived view, computed once per key (which must include the position)."""
        if key in self.cache:
            return self.cache[key]
        if len(self.cache) >= 256:
            self.cache.clear()
        value = self.cache[key] = compute()
        return value

    def rollback(self) -> None:
        assert self._undo is not None
        self.cache.clear()
        self.claim_rows.clear()
        for action in reversed(self._undo):
            if action[0] == "pop":
                action[1].pop()
            else:
                container, key, had, old = action[1:]
                if had:
                    container[key] = old
                else:
                    del container[key]
        self._undo = None

    def _append(self, seq_list: list[Any], item: Any) -> None:
        seq_list.append(item)
        if self._undo is not None:
            self._undo.append(("pop", seq_list))

    def _set(self, mapping: dict[str, Any], key: str, value: Any) -> None:
        if self._undo is not None:
            self._undo.append(("set", mapping, key, key in mapping, mapping.get(key)))
        mapping[key] = value


#: Fields that name the claims a fact is about (an AGS advance is about the employee's
#: claim it reduces).
CLAIM_FIELDS = ("claim", "employee_claim")


def claims_of(fact: Fact) -> list[str]:
    return [v for name in CLAIM_FIELDS if (v := getattr(fact, name, None)) is not None]


def subject_of(fact: Fact) -> str:
    """The key under which facts that are about neither a claim nor a creditor are
    grouped (their kind's theme: "plan", "group", "employment"...)."""
    return fact.kind.split(".", 1)[0]


def corrected(target: Fact, correction: FactCorrected) -> Fact:
    """The new version of `target` once `correction` applies: its journal form with
    the changed fields, rebuilt through the codec (so it is validated the same way)."""
    data = target.to_dict()
    data.update(correction.changes)
    return Fact.from_dict(data)
