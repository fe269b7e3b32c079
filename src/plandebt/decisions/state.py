"""The write model of one case: every fact, in recording order, with the versions
that corrections and voids create, and the lookups the decisions need.

`initial_state(case)` starts a case; `evolve(state, fact)` applies one stamped fact
and never validates (it is what a replay runs). What the state holds is the case's
history; read-side caches (prepared balance rows, derived views) live apart, in
`plandebt.projections.index.CaseIndex`, keyed by position.

"As known at K" is a prefix of the case's log: the facts whose recording position
(`seq`) is at most the position K names. Each fact's content at that position is the
latest version recorded up to it (a correction makes a new version, a void makes an
empty one).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator
from datetime import datetime

from plandebt.errors import InvalidInputError
from plandebt.events import (
    AgsAdvanced,
    CapitalCommitted,
    CaseConverted,
    CaseOpened,
    ClaimAdmitted,
    ClaimContested,
    ClaimDeclared,
    ClaimForeclosed,
    ClaimRejected,
    ClaimRelieved,
    ClaimRescheduled,
    ClaimWrittenOff,
    ConsultationAnswered,
    ContributionReceived,
    CreditorRegistered,
    EmployeeDeparted,
    Fact,
    FactCorrected,
    FactVoided,
    InstalmentRemitted,
    InterestAccrued,
    PaymentMade,
    PlanAdopted,
    PlanCompleted,
    PlanModified,
    PlanResolved,
    ReliefRequested,
    RemissionGranted,
    SeveranceAgreed,
    SeverancePaid,
    WaiverRevived,
)

KnownAt = datetime | int | None

#: Fields that name the claims a fact is about (an AGS advance is about the employee's
#: claim it reduces).
CLAIM_FIELDS = ("claim", "employee_claim")


class CaseState:
    """What one case's history holds, indexed by fact, claim, creditor and subject."""

    def __init__(self, case: str) -> None:
        self.case = case
        self.log: list[Fact] = []  # every fact, stamped, in recording order
        self.recorded: list[datetime] = []  # recorded_at by position, for bisect
        # fact id -> [(seq, content or None)], in recording order
        self.versions: dict[str, list[tuple[int, Fact | None]]] = {}
        self.claims: dict[str, list[str]] = {}  # claim id -> ids of facts about it
        self.creditors: dict[str, str] = {}  # creditor id -> registration fact id
        self.creditor_claims: dict[str, list[str]] = {}  # creditor id -> claim ids
        self.procedure: list[str] = []  # opening and conversion fact ids
        self.subjects: dict[str, list[str]] = {}  # the plan, support, employment
        self.client_refs: dict[str, str] = {}

    def fork(self) -> CaseState:
        """A copy that evolves apart from this state: what a command of several facts
        is decided on (each fact is checked against the state its predecessors make)."""
        other = CaseState(self.case)
        other.log = list(self.log)
        other.recorded = list(self.recorded)
        other.versions = {k: list(v) for k, v in self.versions.items()}
        other.claims = {k: list(v) for k, v in self.claims.items()}
        other.creditors = dict(self.creditors)
        other.creditor_claims = {k: list(v) for k, v in self.creditor_claims.items()}
        other.procedure = list(self.procedure)
        other.subjects = {k: list(v) for k, v in self.subjects.items()}
        other.client_refs = dict(self.client_refs)
        return other

    # --- positions --------------------------------------------------------------------

    @property
    def head(self) -> int:
        return len(self.log)

    @property
    def last_recorded_at(self) -> datetime | None:
        return self.recorded[-1] if self.recorded else None

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
        return bisect.bisect_right(self.recorded, known_at)

    # --- reading ----------------------------------------------------------------------

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

    def about(self, subject: str, position: int | None = None) -> list[Fact]:
        """The live facts of one subject (see `SUBJECT`), in recording order."""
        return [
            f
            for f in (self.at(i, position) for i in self.subjects.get(subject, ()))
            if f
        ]

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


def initial_state(case: str) -> CaseState:
    """The state of a case before its first fact."""
    return CaseState(case)


def evolve(state: CaseState, fact: Fact) -> CaseState:
    """Applies one stamped fact (its seq is the next position) and returns the state.

    The state is changed in place: a case may hold a million facts, and a replay
    applies them one by one. `decide` never changes the state it reads."""
    assert fact.seq == state.head + 1 and fact.recorded_at is not None
    state.log.append(fact)
    state.recorded.append(fact.recorded_at)
    if fact.client_ref is not None:
        state.client_refs[fact.client_ref] = fact.id
    EVOLVE[type(fact)](state, fact)
    return state


# --- one branch per fact kind -----------------------------------------------------------


def _new(state: CaseState, fact: Fact) -> None:
    state.versions[fact.id] = [(fact.seq or 0, fact)]


def _procedure(state: CaseState, fact: Fact) -> None:
    _new(state, fact)
    state.procedure.append(fact.id)


def _creditor(state: CaseState, fact: Fact) -> None:
    assert isinstance(fact, CreditorRegistered)
    _new(state, fact)
    state.creditors[fact.creditor] = fact.id
    state.creditor_claims.setdefault(fact.creditor, [])


def _declared(state: CaseState, fact: Fact) -> None:
    assert isinstance(fact, ClaimDeclared)
    _new(state, fact)
    state.claims[fact.claim] = [fact.id]
    state.creditor_claims[fact.creditor].append(fact.claim)


def _about_claim(state: CaseState, fact: Fact) -> None:
    _new(state, fact)
    for claim in claims_of(fact):
        state.claims[claim].append(fact.id)


def _of(subject: str) -> Callable[[CaseState, Fact], None]:
    def apply(state: CaseState, fact: Fact) -> None:
        _about_claim(state, fact)
        state.subjects.setdefault(subject, []).append(fact.id)

    return apply


def _corrected(state: CaseState, fact: Fact) -> None:
    assert isinstance(fact, FactCorrected)
    target = state.versions[fact.corrects][-1][1]
    assert target is not None
    state.versions[fact.corrects].append((fact.seq or 0, corrected(target, fact)))
    _new(state, fact)


def _voided(state: CaseState, fact: Fact) -> None:
    assert isinstance(fact, FactVoided)
    state.versions[fact.voids].append((fact.seq or 0, None))
    _new(state, fact)


#: How each fact kind changes the state. A kind missing here is a test failure
#: (tests/test_fact_kinds.py), not a silent no-op.
EVOLVE: dict[type[Fact], Callable[[CaseState, Fact], None]] = {
    CaseOpened: _procedure,
    CaseConverted: _procedure,
    CreditorRegistered: _creditor,
    ClaimDeclared: _declared,
    ClaimAdmitted: _about_claim,
    ClaimRejected: _about_claim,
    ClaimContested: _about_claim,
    ClaimForeclosed: _about_claim,
    ReliefRequested: _about_claim,
    ClaimRelieved: _about_claim,
    PaymentMade: _about_claim,
    InterestAccrued: _about_claim,
    RemissionGranted: _about_claim,
    ClaimWrittenOff: _about_claim,
    WaiverRevived: _about_claim,
    ClaimRescheduled: _about_claim,
    PlanAdopted: _of("plan"),
    ConsultationAnswered: _of("plan"),
    InstalmentRemitted: _of("plan"),
    PlanModified: _of("plan"),
    PlanResolved: _of("plan"),
    PlanCompleted: _of("plan"),
    CapitalCommitted: _of("support"),
    ContributionReceived: _of("support"),
    EmployeeDeparted: _of("employment"),
    SeveranceAgreed: _of("employment"),
    SeverancePaid: _of("employment"),
    AgsAdvanced: _of("employment"),
    FactCorrected: _corrected,
    FactVoided: _voided,
}


def claims_of(fact: Fact) -> list[str]:
    return [v for name in CLAIM_FIELDS if (v := getattr(fact, name, None)) is not None]


def corrected(target: Fact, correction: FactCorrected) -> Fact:
    """The new version of `target` once `correction` applies: its journal form with
    the changed fields, rebuilt through the codec (so it is validated the same way)."""
    data = target.to_dict()
    data.update(correction.changes)
    return Fact.from_dict(data)
