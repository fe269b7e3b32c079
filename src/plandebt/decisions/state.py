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

What the decisions need at the head of the log is kept up to date by `evolve`, so
that no check re-reads a claim's or a case's facts (each is O(1) or O(log n)):

- per claim (`ClaimHead`): its column sums over every live fact filed under it (the
  postings of `projections.postings`, whatever their date), its lifecycle steps and
  its valuations (admissions, rejections) sorted by (effective date, seq), the amounts
  admitted, and what each waiver of it revived;
- lookups by key (`keyed`): the live facts that name a claim (in a field that a
  correction can change; the others are counted in its head), a creditor's live
  declarations, a waiver's revivals, a commitment and its contributions, an
  employee's departure, severance and AGS advances, the plan's adoption and end;
- `dated`: how many live facts are dated on each day (what an opening may not follow).

Each is a function of the live versions only: a new fact adds its contribution, a
correction takes the old version's away and adds the new one's, a void takes it
away. tests/test_decision_heads.py checks them against the scans they replace (and
the sums against `projections.balances.claim_balance`) over generated histories.
"""

from __future__ import annotations

import bisect
from collections import ChainMap
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

import attrs

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
    PaymentsCeased,
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
from plandebt.lifecycle import STEP, VALUATIONS, ClaimStatus, status_of
from plandebt.money import Money
from plandebt.projections.postings import (
    COLUMNS,
    INDEX,
    moves_money,
    outstanding,
    postings,
)

KnownAt = datetime | int | None

#: Fields that name the claims a fact is about (an AGS advance is about the employee's
#: claim it reduces).
CLAIM_FIELDS = ("claim", "employee_claim")
#: Fields that name a claim a fact rests on: its declaration cannot be voided while
#: a live fact names it in one of them.
CLAIM_REFERENCES = (
    "claim",
    "employee_claim",
    "superprivileged_claim",
    "privileged_claim",
)

#: The keyed lookups (`CaseState.keyed`): (lookup, key) -> the live facts found there.
NAMES_CLAIM = "claim"  # key: a claim id; facts naming it in a field a correction
# can change (an AGS advance's subrogated claims, a contribution's new-money claim):
# the facts filed under a claim, which name it for good, are counted in its head
DECLARED_BY = "creditor"  # key: a creditor id; declarations of its claims
REVIVES = "waiver"  # key: a write-off's id; its revivals
COMMITMENT = "commitment"  # key: a commitment id; the commitment
CONTRIBUTES = "contribution"  # key: a commitment id; contributions under it
DEPARTURE = "departure"  # key: an employee; the departure
EMPLOYEE = "employee"  # key: an employee; severance agreed and paid, AGS advances
PLAN = "plan"  # key: ADOPTED or ENDED
ADOPTED, ENDED = "adopted", "ended"

#: Kinds an opening judgment does not bound in `dated` (a creditor may be known from
#: any date; the opening itself), besides corrections and voids, never counted.
_UNDATED = (CaseOpened, CreditorRegistered)

#: A step of a claim's lifecycle, in the order of `ClaimHead.steps`.
Step = tuple[date, int, str]  # (effective_on, seq, fact id)

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")


class ClaimHead:
    """What the decisions need of one claim, counting every live fact filed under it
    whatever its date (`evolve` keeps it; nothing else changes it). The sorted
    sequences and `revived` stay empty tuples and None, which cost nothing, until
    the claim has one (a case may hold a hundred thousand claims)."""

    __slots__ = ("admissions", "live", "revived", "steps", "sums", "valuations")

    def __init__(self) -> None:
        #: Cents by column of `postings.COLUMNS`.
        self.sums: list[int] = [0] * len(COLUMNS)
        #: How many live facts are filed under the claim, its declaration included.
        self.live = 0
        #: Procedural steps (a dispute, a foreclosure, a relief), sorted.
        self.steps: Sequence[Step] = ()
        #: Decisions valuing the claim (admissions, rejections), sorted.
        self.valuations: Sequence[Step] = ()
        #: (cents, seq, id) of the admissions that name an amount, sorted.
        self.admissions: Sequence[tuple[int, int, str]] = ()
        #: Cents revived so far, by the id of the waiver revived.
        self.revived: dict[str, int] | None = None

    def copy(self) -> ClaimHead:
        """A copy sharing nothing that either may change (tuples are shared)."""
        other = ClaimHead()
        other.sums = list(self.sums)
        other.live = self.live
        other.steps = _copied(self.steps)
        other.valuations = _copied(self.valuations)
        other.admissions = _copied(self.admissions)
        other.revived = None if self.revived is None else dict(self.revived)
        return other

    def sort_in(self, name: str, item: tuple[Any, int, str], sign: int) -> None:
        """Inserts (sign 1) or removes (sign -1) an item of one of the sorted
        sequences (`steps`, `valuations`, `admissions`)."""
        items = getattr(self, name)
        if sign > 0:
            if isinstance(items, tuple):
                setattr(self, name, [item])
            else:
                bisect.insort(items, item)
        else:
            i = bisect.bisect_left(items, item)
            assert items[i] == item, item
            del items[i]


def _copied(items: Sequence[T]) -> Sequence[T]:
    return list(items) if isinstance(items, list) else items


class CaseState:
    """What one case's history holds, indexed by fact, claim, creditor and subject."""

    #: True for a trial (`CaseState.trial`), whose mappings are layered.
    layered = False

    def __init__(self, case: str) -> None:
        self.case = case
        self.log: list[Fact] = []  # every fact, stamped, in recording order
        self.recorded: list[datetime] = []  # recorded_at by position, for bisect
        # fact id -> [(seq, content or None)], in recording order
        self.versions: MutableMapping[str, list[tuple[int, Fact | None]]] = {}
        self.claims: MutableMapping[str, list[str]] = {}  # claim id -> ids about it
        self.creditors: MutableMapping[str, str] = {}  # creditor -> registration id
        self.creditor_claims: MutableMapping[str, list[str]] = {}  # -> claim ids
        self.procedure: list[str] = []  # opening and conversion fact ids
        self.subjects: MutableMapping[str, list[str]] = {}  # plan, support, employment
        self.client_refs: MutableMapping[str, str] = {}
        # What the decisions read at the head (see the module's docstring).
        self.heads: MutableMapping[str, ClaimHead] = {}  # claim id -> its head
        # (lookup, key) -> {fact id: seq} of the live facts found there, in seq order
        self.keyed: MutableMapping[tuple[str, str], dict[str, int]] = {}
        self.dated: MutableMapping[date, int] = {}  # day -> live facts dated then

    def fork(self) -> CaseState:
        """A copy that evolves apart from this state (each keeps changing without
        the other seeing it): it shares no container either of them changes."""
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
        other.heads = {k: v.copy() for k, v in self.heads.items()}
        other.keyed = {k: dict(v) for k, v in self.keyed.items()}
        other.dated = dict(self.dated)
        return other

    def trial(self) -> CaseState:
        """A state that evolves on top of this one without changing it, in time
        independent of the case's size: what `decide` checks a command of several
        facts on. It reads through to this state, so it is only valid while this
        state does not change (`fork` makes an independent copy)."""
        return _Trial(self)

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
        return self._recorded_by(known_at)

    def _recorded_by(self, known_at: datetime) -> int:
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

    # --- at the head: what the decisions read -----------------------------------------

    def first(self, lookup: str, key: str, excluding: str | None = None) -> Fact | None:
        """The first live fact recorded under a keyed lookup (`NAMES_CLAIM`,
        `COMMITMENT`...), other than `excluding`, as last corrected."""
        for fact_id in self.keyed.get((lookup, key), ()):
            if fact_id != excluding:
                return self.at(fact_id)
        return None

    def valuation(self, claim: str) -> ClaimAdmitted | ClaimRejected | None:
        """The latest admission or rejection of a claim known (by effective date,
        then recording position), whatever its date: what the claim is worth."""
        head = self.heads.get(claim)
        if head is None or not head.valuations:
            return None
        fact = self.at(head.valuations[-1][2])
        assert isinstance(fact, ClaimAdmitted | ClaimRejected)
        return fact

    def owed(self, claim: str) -> Money:
        """What a declared claim is worth, everything known: admitted if decided,
        else declared (as `ClaimBalance.owed` at the head, as of any date)."""
        declared = self.declaration(claim)
        assert declared is not None, claim
        valuation = self.valuation(claim)
        if isinstance(valuation, ClaimAdmitted):
            return valuation.amount or declared.amount
        if isinstance(valuation, ClaimRejected):
            return Money._of(0)
        return declared.amount

    def outstanding(self, claim: str) -> Money:
        """What is still owed on a declared claim, counting everything known whatever
        its date (`claim_balance(state, claim, None, state.head).outstanding`)."""
        return Money._of(outstanding(self.owed(claim).cents, self.heads[claim].sums))

    def status_on(self, claim: str, on: date) -> ClaimStatus:
        """Where a declared claim's lifecycle stands on `on`, everything known: its
        latest step by (effective date, seq) among the procedural steps taken by
        `on` and the decisions valuing it, which count from the date they value it
        at (`claim_balance(state, claim, on, state.head).status`)."""
        head = self.heads[claim]
        declared = self.declaration(claim)
        opening = self.opening()
        assert declared is not None and opening is not None, claim
        latest: Step | None = None
        if head.valuations and max(opening.effective_on, declared.origin_on) <= on:
            latest = head.valuations[-1]
        i = bisect.bisect_right(head.steps, on, key=_effective_on)
        if i and (latest is None or head.steps[i - 1][:2] > latest[:2]):
            latest = head.steps[i - 1]
        return status_of(self.at(latest[2]) if latest else None)

    def resting_on(self, declared: ClaimDeclared) -> Fact | None:
        """The first live fact recorded (as last corrected) that names the claim
        `declared` declares in one of CLAIM_REFERENCES, other than the declaration:
        what would point at nothing if the declaration were voided."""
        claim = declared.claim
        named = self.first(NAMES_CLAIM, claim, excluding=declared.id)
        head = self.heads.get(claim)
        if head is None or head.live <= 1:  # the declaration alone
            return named
        # One is filed under the claim: find the first (a refusal names it).
        for fact_id in self.claims[claim]:
            fact = self.at(fact_id)
            if fact_id != declared.id and fact and _spec(type(fact)).on_claims:
                if named is None or (fact.seq or 0) < (named.seq or 0):
                    return fact
                break
        return named

    def admitted_above(self, claim: str, cents: int) -> ClaimAdmitted | None:
        """The first admission recorded (live, as last corrected) of a claim for more
        than `cents`, if any."""
        head = self.heads.get(claim)
        if head is None or not head.admissions or head.admissions[-1][0] <= cents:
            return None
        above = head.admissions[
            bisect.bisect_right(head.admissions, (cents, 1 << 62)) :
        ]
        fact = self.at(min(above, key=lambda a: a[1])[2])
        assert isinstance(fact, ClaimAdmitted)
        return fact

    def revived(self, claim: str, waiver: str) -> int:
        """Cents of `waiver` (a write-off of `claim`) revived so far."""
        head = self.heads.get(claim)
        if head is None or head.revived is None:
            return 0
        return head.revived.get(waiver, 0)

    def dated_before(self, day: date) -> bool:
        """Whether a live fact that an opening bounds (all but the opening, creditors,
        corrections and voids) is dated before `day`. O(distinct dates)."""
        return any(count and d < day for d, count in self.dated.items())


class _Trial(CaseState):
    """A state evolving on top of another (`CaseState.trial`): its mappings are
    ChainMaps whose first map holds what it changed, and a value of the state below
    is copied into it before it changes (`_writable`); its `log` and `recorded` hold
    only the facts evolved in it, after the `below.head` facts of the state below."""

    layered = True

    def __init__(self, below: CaseState) -> None:
        self.case = below.case
        self.below = below
        self.below_head = below.head
        self.log = []
        self.recorded = []
        self.versions = ChainMap({}, below.versions)
        self.claims = ChainMap({}, below.claims)
        self.creditors = ChainMap({}, below.creditors)
        self.creditor_claims = ChainMap({}, below.creditor_claims)
        self.procedure = list(below.procedure)  # an opening and a few conversions
        self.subjects = ChainMap({}, below.subjects)
        self.client_refs = ChainMap({}, below.client_refs)
        self.heads = ChainMap({}, below.heads)
        self.keyed = ChainMap({}, below.keyed)
        self.dated = ChainMap({}, below.dated)

    def fork(self) -> CaseState:
        raise TypeError("a trial state is not forked: fork the state below it")

    @property
    def head(self) -> int:
        return self.below_head + len(self.log)

    @property
    def last_recorded_at(self) -> datetime | None:
        return self.recorded[-1] if self.recorded else self.below.last_recorded_at

    def _recorded_by(self, known_at: datetime) -> int:
        if self.recorded and known_at >= self.recorded[0]:
            return self.below_head + bisect.bisect_right(self.recorded, known_at)
        return self.below._recorded_by(known_at)

    def history(self, position: int | None = None) -> list[Fact]:
        end = self.head if position is None else position
        return [
            *self.below.history(min(end, self.below_head)),
            *self.log[: max(0, end - self.below_head)],
        ]


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
    _track(state, fact.id, fact, (), 1)


def _creditor(state: CaseState, fact: Fact) -> None:
    assert isinstance(fact, CreditorRegistered)
    _new(state, fact)
    state.creditors[fact.creditor] = fact.id
    if fact.creditor not in state.creditor_claims:
        state.creditor_claims[fact.creditor] = []


def _declared(state: CaseState, fact: Fact) -> None:
    assert isinstance(fact, ClaimDeclared)
    _new(state, fact)
    state.claims[fact.claim] = [fact.id]
    _writable(state.creditor_claims, fact.creditor, list).append(fact.claim)
    state.heads[fact.claim] = ClaimHead()
    _track(state, fact.id, fact, (fact.claim,), 1)


def _about_claim(state: CaseState, fact: Fact) -> None:
    # The path of most facts (payments, dividends...): _track's, unrolled.
    fact_id = fact.id
    state.versions[fact_id] = [(fact.seq or 0, fact)]
    spec = _spec(type(fact))
    if spec.dated:
        day = fact.effective_on
        dated = state.dated
        dated[day] = dated.get(day, 0) + 1
    layered = state.layered
    for name in spec.filing:
        claim = getattr(fact, name)
        if claim is None:
            continue
        if layered:
            _writable(state.claims, claim, list).append(fact_id)
        else:
            state.claims[claim].append(fact_id)
        if spec.on_claims:
            _on_head(state, claim, fact_id, fact, spec, 1)
    if spec.keyed:
        _on_keys(state, fact_id, fact, 1, _lookups(fact))


def _of(subject: str) -> Callable[[CaseState, Fact], None]:
    def apply(state: CaseState, fact: Fact) -> None:
        _about_claim(state, fact)
        if subject in state.subjects:
            _writable(state.subjects, subject, list).append(fact.id)
        else:
            state.subjects[subject] = [fact.id]

    return apply


def _corrected(state: CaseState, fact: Fact) -> None:
    assert isinstance(fact, FactCorrected)
    versions = _writable(state.versions, fact.corrects, list)
    target = versions[-1][1]
    assert target is not None
    replacement = corrected(target, fact)
    _replace(state, fact.corrects, versions, target, replacement)
    versions.append((fact.seq or 0, replacement))
    _new(state, fact)


def _voided(state: CaseState, fact: Fact) -> None:
    assert isinstance(fact, FactVoided)
    versions = _writable(state.versions, fact.voids, list)
    target = versions[-1][1]
    if target is not None:
        _replace(state, fact.voids, versions, target, None)
    versions.append((fact.seq or 0, None))
    _new(state, fact)


def _replace(
    state: CaseState,
    fact_id: str,
    versions: list[tuple[int, Fact | None]],
    old: Fact,
    new: Fact | None,
) -> None:
    """Takes the old live version's contribution to the lookups away, and adds the
    new one's (none for a void). A fact stays filed under the claims its first
    version named (corrections cannot change them)."""
    first = versions[0][1]
    assert first is not None
    filed = claims_of(first)
    old_keys = _lookups(old)
    new_keys = _lookups(new) if new is not None else ()
    _track(state, fact_id, old, filed, -1, [k for k in old_keys if k not in new_keys])
    if new is not None:
        _track(
            state, fact_id, new, filed, 1, [k for k in new_keys if k not in old_keys]
        )


def _track(
    state: CaseState,
    fact_id: str,
    version: Fact,
    filed: tuple[str, ...] | list[str],
    sign: int,
    keys: list[tuple[str, str]] | None = None,
) -> None:
    """Adds (sign 1) or takes away (sign -1) what one live version of a fact
    contributes to the heads of the claims it is filed under, to `dated`, and to the
    keyed lookups `keys` (default: all of the version's)."""
    spec = _spec(type(version))
    if spec.dated:
        day = version.effective_on
        state.dated[day] = state.dated.get(day, 0) + sign
    if spec.on_claims:
        for claim in filed:
            _on_head(state, claim, fact_id, version, spec, sign)
    if spec.keyed:
        _on_keys(
            state, fact_id, version, sign, _lookups(version) if keys is None else keys
        )


def _on_head(
    state: CaseState, claim: str, fact_id: str, version: Fact, spec: _Spec, sign: int
) -> None:
    heads = state.heads
    head = _writable(heads, claim, ClaimHead.copy) if state.layered else heads[claim]
    head.live += sign
    if spec.money:
        sums = head.sums
        for p in postings(version):
            sums[INDEX[p.column.name]] += sign * p.cents
    if spec.step:
        seq = version.seq or 0
        steps = "valuations" if spec.valuation else "steps"
        head.sort_in(steps, (version.effective_on, seq, fact_id), sign)
        if isinstance(version, ClaimAdmitted) and version.amount is not None:
            head.sort_in("admissions", (version.amount.cents, seq, fact_id), sign)
    elif isinstance(version, WaiverRevived):
        if head.revived is None:
            head.revived = {}
        revived = head.revived.get(version.waiver, 0)
        head.revived[version.waiver] = revived + sign * version.amount.cents


def _on_keys(
    state: CaseState,
    fact_id: str,
    version: Fact,
    sign: int,
    keys: list[tuple[str, str]],
) -> None:
    keyed = state.keyed
    for key in keys:
        if key in keyed:
            found = _writable(keyed, key, dict)
        else:
            found = keyed[key] = {}
        if sign < 0:
            found.pop(fact_id, None)
        else:
            _add_in_order(found, fact_id, version.seq or 0)


@attrs.frozen
class _Spec:
    """What the live versions of one fact kind contribute (see `_track`)."""

    filing: tuple[str, ...]  # the fields of CLAIM_FIELDS it has (it is filed under)
    dated: bool  # counted in `dated`
    on_claims: bool  # in the heads of the claims it is filed under (`live` at least)
    money: bool  # has postings
    step: bool  # a lifecycle step...
    valuation: bool  # ...that values the claim
    unstable: tuple[str, ...]  # claim references a correction can change
    keyed: bool  # found under a keyed lookup


_SPECS: dict[type[Fact], _Spec] = {}

#: The keyed lookups a fact kind is found under besides the claims it names.
_LOOKUPS: dict[type[Fact], Callable[[Any], tuple[str, str]]] = {
    ClaimDeclared: lambda f: (DECLARED_BY, f.creditor),
    WaiverRevived: lambda f: (REVIVES, f.waiver),
    CapitalCommitted: lambda f: (COMMITMENT, f.commitment),
    ContributionReceived: lambda f: (CONTRIBUTES, f.commitment),
    EmployeeDeparted: lambda f: (DEPARTURE, f.employee),
    SeveranceAgreed: lambda f: (EMPLOYEE, f.employee),
    SeverancePaid: lambda f: (EMPLOYEE, f.employee),
    AgsAdvanced: lambda f: (EMPLOYEE, f.employee),
    PlanAdopted: lambda f: (PLAN, ADOPTED),
    PlanResolved: lambda f: (PLAN, ENDED),
    PlanCompleted: lambda f: (PLAN, ENDED),
}


def _spec(kind: type[Fact]) -> _Spec:
    spec = _SPECS.get(kind)
    if spec is None:
        fields = {a.name for a in attrs.fields(kind)}
        filing = [n for n in CLAIM_FIELDS if n in fields]
        # A fact is counted in the heads of the claims it is filed under when no
        # correction can change which they are (they are part of its identity);
        # the claims it names otherwise are found under the keyed lookup NAMES_CLAIM.
        on_claims = bool(filing) and all(n in kind.identity for n in filing)
        stable = filing if on_claims else []
        unstable = tuple(n for n in CLAIM_REFERENCES if n in fields and n not in stable)
        spec = _SPECS[kind] = _Spec(
            filing=tuple(filing),
            dated=not issubclass(kind, (*_UNDATED, FactCorrected, FactVoided)),
            on_claims=on_claims,
            money=moves_money(kind),
            step=kind in STEP,
            valuation=kind in VALUATIONS,
            unstable=unstable,
            keyed=bool(unstable) or kind in _LOOKUPS,
        )
    return spec


def _lookups(version: Fact) -> list[tuple[str, str]]:
    """The keyed lookups a live version is found under."""
    kind = type(version)
    keys = [
        (NAMES_CLAIM, value)
        for name in _spec(kind).unstable
        if (value := getattr(version, name)) is not None
    ]
    lookup = _LOOKUPS.get(kind)
    if lookup is not None:
        keys.append(lookup(version))
    return keys


def _add_in_order(found: dict[str, int], fact_id: str, seq: int) -> None:
    """Adds a fact to a lookup, whose order stays that of recording (seq). A fact
    comes last unless a correction moved it here (then the lookup is sorted again)."""
    last = next(reversed(found.values()), None) if found else None
    found[fact_id] = seq
    if last is not None and seq < last:
        ordered = sorted(found.items(), key=lambda item: item[1])
        found.clear()
        found.update(ordered)


def _effective_on(step: Step) -> date:
    return step[0]


def _writable(mapping: MutableMapping[K, V], key: K, copy: Callable[[V], V]) -> V:
    """The value at `key`, to be changed in place. In a trial (a ChainMap over the
    state below), a value still shared with the state below is first copied into the
    trial, so that the state below never changes."""
    if type(mapping) is ChainMap:  # not isinstance: ChainMap's is an ABC's, slow
        own = mapping.maps[0]
        if key not in own:
            own[key] = copy(mapping[key])
        return own[key]  # type: ignore[no-any-return]
    return mapping[key]


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
    PaymentsCeased: _of("plan"),
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
