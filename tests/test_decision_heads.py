"""What the decisions read at the head of the log — each claim's `ClaimHead`, the
keyed lookups, the dated counts (plandebt.decisions.state) — is what the scans it
replaced found and what the balances say; decisions made on it are the decisions the
scans made; a trial state (for a command of several facts) and a fork never change
the state below them; and deciding a fact does the same work in a case of a hundred
facts as in one of thousands (work counted, not timed)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime, timedelta
from types import FrameType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.helpers import CASE, open_basic_case

from plandebt import InvalidInputError, Ledger
from plandebt.decisions import (
    AdvanceAgs,
    CaseState,
    Command,
    ReceiveContribution,
    Record,
    decide,
    evolve,
    initial_state,
)
from plandebt.decisions import state as state_module
from plandebt.decisions.corrections import _dependant
from plandebt.decisions.state import (
    ADOPTED,
    COMMITMENT,
    CONTRIBUTES,
    DECLARED_BY,
    DEPARTURE,
    EMPLOYEE,
    ENDED,
    PLAN,
    REVIVES,
    ClaimHead,
)
from plandebt.errors import PlandebtError
from plandebt.events import (
    AgsAdvanced,
    CapitalCommitted,
    CaseOpened,
    ClaimAdmitted,
    ClaimContested,
    ClaimDeclared,
    ClaimForeclosed,
    ClaimRejected,
    ClaimRelieved,
    ClaimWrittenOff,
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
    PlanResolved,
    ReliefRequested,
    RemissionGranted,
    SeveranceAgreed,
    SeverancePaid,
    WaiverRevived,
)
from plandebt.lifecycle import ClaimStatus
from plandebt.money import Money
from plandebt.projections import balances
from plandebt.strategies import (
    FACT_STRATEGIES,
    case_histories,
    support_and_employment_histories,
)

T0 = datetime(2030, 1, 1, tzinfo=UTC)

#: Generated histories: plain cases, cases with support and employment, and one
#: history holding each fact kind (corrections and voids of every kind included).
HISTORIES = st.one_of(
    case_histories(), support_and_employment_histories(), *FACT_STRATEGIES.values()
)


def stamp(state: CaseState, facts: list[Fact]) -> CaseState:
    for fact in facts:
        tick = T0 + timedelta(seconds=state.head)
        evolve(state, fact.stamped(state.head + 1, tick))
    return state


def live(state: CaseState) -> list[Fact]:
    """Every live fact (not a correction or a void), as last corrected, in order."""
    return [
        f
        for f in (state.at(i) for i in state.versions)
        if f is not None and not isinstance(f, FactCorrected | FactVoided)
    ]


def declared_claims(state: CaseState) -> list[str]:
    return [c for c in state.claims if state.declaration(c) is not None]


def dates_of(state: CaseState) -> list[date]:
    """Every effective date of the history, the day before and the day after."""
    days = {f.effective_on for f in state.history()}
    return sorted({d + timedelta(k) for d in days for k in (-1, 0, 1)})


# --- the scans the lookups replaced (the code as it was) ------------------------------


def scan_commitment(state: CaseState, commitment: str) -> Fact | None:
    for f in state.about("support"):
        if isinstance(f, CapitalCommitted) and f.commitment == commitment:
            return f
    return None


def scan_departure(state: CaseState, employee: str) -> Fact | None:
    for f in state.about("employment"):
        if isinstance(f, EmployeeDeparted) and f.employee == employee:
            return f
    return None


def scan_plan(state: CaseState, kinds: Any) -> Fact | None:
    return next((f for f in state.about("plan") if isinstance(f, kinds)), None)


def scan_dependants(state: CaseState, target: Fact) -> list[Fact]:
    others = [f for f in live(state) if f.id != target.id]
    if isinstance(target, ClaimDeclared):
        claim = target.claim
        return [
            f
            for f in others
            if claim
            in (
                getattr(f, "claim", None),
                getattr(f, "employee_claim", None),
                getattr(f, "superprivileged_claim", None),
                getattr(f, "privileged_claim", None),
            )
        ]
    if isinstance(target, ClaimWrittenOff):
        return [
            f for f in others if isinstance(f, WaiverRevived) and f.waiver == target.id
        ]
    if isinstance(target, CapitalCommitted):
        return [
            f
            for f in others
            if isinstance(f, ContributionReceived) and f.commitment == target.commitment
        ]
    if isinstance(target, EmployeeDeparted):
        return [
            f
            for f in others
            if isinstance(f, SeveranceAgreed | SeverancePaid | AgsAdvanced)
            and f.employee == target.employee
        ]
    return []


def scan_declared_by(state: CaseState, creditor: str) -> ClaimDeclared | None:
    for claim in state.creditor_claims.get(creditor, ()):
        declared = state.declaration(claim)
        if declared is not None:
            return declared
    return None


def scan_revived(state: CaseState, claim: str, waiver: str) -> int:
    return sum(
        f.amount.cents
        for f in state.facts_about(claim)
        if isinstance(f, WaiverRevived) and f.waiver == waiver
    )


def scan_admitted_above(state: CaseState, claim: str, cents: int) -> Fact | None:
    for f in state.facts_about(claim):
        if isinstance(f, ClaimAdmitted) and f.amount and f.amount.cents > cents:
            return f
    return None


def scan_dated_before(state: CaseState, day: date) -> bool:
    return any(
        not isinstance(f, CaseOpened | CreditorRegistered) and f.effective_on < day
        for f in live(state)
    )


class Scanning(CaseState):
    """The state as the decisions read it before: every answer from a scan of the
    facts or from the balances (the reference the lookups must agree with)."""

    def trial(self) -> CaseState:
        copy = CaseState.fork(self)
        copy.__class__ = Scanning
        return copy

    def fork(self) -> CaseState:
        return self.trial()

    def outstanding(self, claim: str) -> Money:
        b = balances.claim_balance(self, claim, None, self.head)
        assert b is not None
        return b.outstanding

    def status_on(self, claim: str, on: date) -> ClaimStatus:
        b = balances.claim_balance(self, claim, on, self.head)
        assert b is not None
        return ClaimStatus(b.status)

    def first(self, lookup: str, key: str, excluding: str | None = None) -> Fact | None:
        scans: dict[str, Callable[[], Fact | None]] = {
            COMMITMENT: lambda: scan_commitment(self, key),
            DEPARTURE: lambda: scan_departure(self, key),
            DECLARED_BY: lambda: scan_declared_by(self, key),
            PLAN: lambda: scan_plan(
                self, PlanAdopted if key == ADOPTED else PlanResolved | PlanCompleted
            ),
        }
        if lookup in scans:
            return scans[lookup]()
        targets = {
            REVIVES: lambda: self.at(key),
            CONTRIBUTES: lambda: scan_commitment(self, key),
            EMPLOYEE: lambda: scan_departure(self, key),
        }
        target = targets[lookup]()
        found = scan_dependants(self, target) if target is not None else []
        return found[0] if found else None

    def resting_on(self, declared: ClaimDeclared) -> Fact | None:
        found = scan_dependants(self, declared)
        return found[0] if found else None

    def admitted_above(self, claim: str, cents: int) -> Any:
        return scan_admitted_above(self, claim, cents)

    def revived(self, claim: str, waiver: str) -> int:
        return scan_revived(self, claim, waiver)

    def dated_before(self, day: date) -> bool:
        return scan_dated_before(self, day)


# --- the heads agree with the balances, the lookups with the scans --------------------


@given(HISTORIES)
def test_each_claim_head_is_what_the_balances_fold_at_the_head(facts) -> None:
    state = stamp(initial_state("CASE-1"), facts)
    for claim in declared_claims(state):
        everything = balances.claim_balance(state, claim, None, state.head)
        assert everything is not None
        head = state.heads[claim]
        assert tuple(head.sums) == everything.sums, claim
        assert state.owed(claim) == everything.owed, claim
        assert state.outstanding(claim) == everything.outstanding, claim
        for day in dates_of(state):
            on = balances.claim_balance(state, claim, day, state.head)
            if on is not None:
                assert state.status_on(claim, day).value == on.status, (claim, day)


@given(HISTORIES)
def test_the_keyed_lookups_find_what_the_scans_found(facts) -> None:
    state = stamp(initial_state("CASE-1"), facts)
    facts_now = live(state)
    for f in facts_now:
        if isinstance(f, CapitalCommitted | ContributionReceived):
            assert state.first(COMMITMENT, f.commitment) == scan_commitment(
                state, f.commitment
            )
        if isinstance(f, EmployeeDeparted | SeveranceAgreed | SeverancePaid):
            assert state.first(DEPARTURE, f.employee) == scan_departure(
                state, f.employee
            )
        if isinstance(f, CreditorRegistered):
            assert state.first(DECLARED_BY, f.creditor) == scan_declared_by(
                state, f.creditor
            )
        if isinstance(f, WaiverRevived | ClaimWrittenOff):
            waiver = f.waiver if isinstance(f, WaiverRevived) else f.id
            assert state.revived(f.claim, waiver) == scan_revived(
                state, f.claim, waiver
            )
        if isinstance(f, ClaimAdmitted) and f.amount is not None:
            for cents in (0, f.amount.cents - 1, f.amount.cents):
                assert state.admitted_above(f.claim, cents) == scan_admitted_above(
                    state, f.claim, cents
                )
        # What rests on each fact: the first that a void of it would leave dangling.
        expected = scan_dependants(state, f)
        assert _dependant(state, f) == (expected[0] if expected else None), f
    assert state.first(PLAN, ADOPTED) == scan_plan(state, PlanAdopted)
    assert state.first(PLAN, ENDED) == scan_plan(state, PlanResolved | PlanCompleted)
    for day in dates_of(state):
        assert state.dated_before(day) == scan_dated_before(state, day), day


# --- the same decisions as the scans made -------------------------------------------


def outcome(state: CaseState, command: Command) -> object:
    try:
        return [f.to_dict() for f in decide(state, command)]
    except PlandebtError as e:
        return (type(e).__name__, str(e))


#: Every step of a claim's lifecycle.
STEPS = (
    ClaimAdmitted,
    ClaimRejected,
    ClaimContested,
    ClaimForeclosed,
    ReliefRequested,
    ClaimRelieved,
)


def candidates(state: CaseState) -> Iterator[Command]:
    """Facts at the edges of what the lookups decide: reductions of exactly what is
    owed and one cent more, lifecycle steps on every date, voids of every live fact,
    corrections of declarations to just above and below what was admitted, of the
    opening to every date, revivals of what is left of a waiver and one cent more."""
    case = state.case
    opening = state.opening()
    for claim in declared_claims(state):
        owed = state.outstanding(claim).cents
        for cents in {owed, owed + 1, 1}:
            if cents > 0:
                for kind in (RemissionGranted, ClaimWrittenOff):
                    extra = {"basis": "other"} if kind is RemissionGranted else {}
                    yield Record(
                        kind.build(
                            case=case,
                            claim=claim,
                            amount=Money(cents),
                            effective_on=opening.effective_on if opening else T0.date(),
                            **extra,
                        )
                    )
        declared = state.declaration(claim)
        assert declared is not None
        for day in dates_of(state)[::3]:
            for kind in STEPS:
                yield Record(kind.build(case=case, claim=claim, effective_on=day))
        admitted = [
            f.amount.cents
            for f in state.facts_about(claim)
            if isinstance(f, ClaimAdmitted) and f.amount
        ]
        for cents in {c + d for c in admitted for d in (-1, 0)} - {0}:
            yield Record(
                FactCorrected.build(
                    case=case,
                    corrects=declared.id,
                    changes={"amount": Money(cents).plain()},
                    effective_on=declared.effective_on,
                )
            )
    for f in live(state):
        yield Record(
            FactVoided.build(case=case, voids=f.id, effective_on=f.effective_on)
        )
        if isinstance(f, ClaimWrittenOff):
            left = f.amount.cents - state.revived(f.claim, f.id)
            for cents in {left, left + 1}:
                if cents > 0:
                    yield Record(
                        WaiverRevived.build(
                            case=case,
                            claim=f.claim,
                            waiver=f.id,
                            amount=Money(cents),
                            effective_on=f.effective_on,
                        )
                    )
        if isinstance(f, RemissionGranted | ClaimWrittenOff):
            freed = state.outstanding(f.claim).cents + f.amount.cents
            for cents in {freed, freed + 1}:
                yield Record(
                    FactCorrected.build(
                        case=case,
                        corrects=f.id,
                        changes={"amount": Money(cents).plain()},
                        effective_on=f.effective_on,
                    )
                )
    if opening is not None:
        for day in dates_of(state)[::2]:
            yield Record(
                FactCorrected.build(
                    case=case,
                    corrects=opening.id,
                    changes={
                        "effective_on": day.isoformat(),
                        "bodacc_published_on": day.isoformat(),
                    },
                    effective_on=opening.effective_on,
                )
            )


@settings(deadline=None)
@given(HISTORIES)
def test_every_decision_is_the_one_the_scans_made(facts) -> None:
    """The decider reading the lookups and the decider reading the scans (the code
    it replaced) accept and refuse the same facts, with the same errors: the facts
    of the history offered at several points of it, and facts at the edges."""
    cuts = sorted({0, len(facts), *range(0, len(facts), max(1, len(facts) // 4))})
    for cut in cuts:
        fast = stamp(initial_state("CASE-1"), facts[:cut])
        slow = stamp(Scanning("CASE-1"), facts[:cut])
        offered = [Record(f) for f in facts[cut : cut + 12]]
        if cut == len(facts):
            offered += list(candidates(fast))
        for command in offered:
            assert outcome(fast, command) == outcome(slow, command), command


# --- trials and forks never change the state below them ------------------------------


def shape(state: CaseState) -> tuple[object, ...]:
    """Everything a state holds, lookups included, comparable (trials included)."""

    def head(h: ClaimHead) -> tuple[object, ...]:
        return (
            h.sums,
            h.live,
            list(h.steps),
            list(h.valuations),
            list(h.admissions),
            h.revived or {},
        )

    return (
        [f.to_dict() for f in state.history()],
        {
            k: [(s, f.to_dict() if f else None) for s, f in v]
            for k, v in dict(state.versions).items()
        },
        dict(state.claims),
        dict(state.creditors),
        dict(state.creditor_claims),
        list(state.procedure),
        dict(state.subjects),
        dict(state.client_refs),
        {k: head(v) for k, v in dict(state.heads).items()},
        {k: list(v.items()) for k, v in dict(state.keyed).items() if v},
        {d: n for d, n in dict(state.dated).items() if n},
        state.head,
        state.last_recorded_at,
    )


@given(HISTORIES, st.floats(0, 1))
def test_a_trial_evolves_like_the_state_and_leaves_it_as_it_was(facts, at) -> None:
    cut = int(len(facts) * at)
    whole = stamp(initial_state("CASE-1"), facts)
    below = stamp(initial_state("CASE-1"), facts[:cut])
    before = shape(below)
    trial = stamp(below.trial(), facts[cut:])
    assert shape(below) == before, "a trial changed the state below it"
    assert shape(trial) == shape(whole)
    for known_at in (None, cut, whole.head, T0 + timedelta(seconds=cut)):
        assert trial.position(known_at) == whole.position(known_at)
    fork = stamp(below.fork(), facts[cut:])
    assert shape(below) == before, "a fork changed the state it was made from"
    assert shape(fork) == shape(whole)
    # ...and the state it was made from can change without the fork seeing it.
    stamp(below, facts[cut:])
    assert shape(fork) == shape(whole)


# --- the work of a decision does not grow with the case -----------------------------


def case_with(remissions: int) -> tuple[CaseState, dict[str, Fact]]:
    """A case with a plan, support, a departure and `remissions` remissions on one
    claim (and as many payments on another); what the candidates below refer to."""
    ledger = Ledger.open("memory", snapshot_interval=0)
    open_basic_case(ledger)
    ledger.register_creditor(
        CASE, "GROUP", name="Parent", creditor_kind="group_company"
    )
    ledger.register_creditor(CASE, "E1", name="E1", creditor_kind="employee")
    ledger.declare_claim(
        CASE,
        "E1-1",
        creditor="E1",
        amount="12000",
        origin_on=date(2022, 9, 30),
        rank="salary_privileged",
        declared_on=date(2022, 10, 3),
    )
    ledger.record_departure(
        CASE,
        "E1",
        departure="economic_dismissal",
        left_on=date(2022, 10, 1),
        seniority_months=30,
        monthly_pay="2500",
    )
    ledger.commit_support(
        CASE,
        "K1",
        investor="GROUP",
        committed_on=date(2022, 10, 1),
        tranches=[{"due_on": "2023-04-30", "amount": "1000"}],
    )
    ledger.adopt_plan(
        CASE,
        adopted_on=date(2023, 3, 20),
        duration_years=10,
        supervisor="Me S",
        options=[{"option": "u", "percents": ["10"] * 10}],
        uniform_option="u",
    )
    waiver = ledger.write_off(
        CASE, "C2", amount="100", effective_on=date(2023, 1, 5), clause="better_fortune"
    )
    remission = ledger.remit(
        CASE, "C1", amount="1.00", basis="creditor_agreement", effective_on="2023-05-01"
    )
    ledger.record_all(
        [
            f
            for i in range(remissions)
            for f in (
                RemissionGranted.build(
                    case=CASE,
                    claim="C1",
                    amount="1.00",
                    basis="creditor_agreement",
                    effective_on=date(2023, 5, 1) + timedelta(i % 10),
                ),
                PaymentMade.build(
                    case=CASE,
                    claim="C2",
                    amount="1.00",
                    basis="plan_dividend",
                    effective_on=date(2023, 5, 1) + timedelta(i % 10),
                ),
            )
        ]
    )
    state = ledger.index(CASE).state
    declared = state.declaration("C1")
    assert declared is not None
    return state, {"remission": remission, "waiver": waiver, "declared": declared}


def commands(refs: dict[str, Fact]) -> dict[str, Command]:
    day = date(2024, 2, 1)
    return {
        "payment": Record(
            PaymentMade.build(
                case=CASE,
                claim="C1",
                amount="1",
                basis="plan_dividend",
                effective_on=day,
            )
        ),
        "remission": Record(
            RemissionGranted.build(
                case=CASE, claim="C1", amount="1", basis="other", effective_on=day
            )
        ),
        "remission refused": Record(
            RemissionGranted.build(
                case=CASE, claim="C1", amount="9999999", basis="other", effective_on=day
            )
        ),
        "write-off": Record(
            ClaimWrittenOff.build(case=CASE, claim="C1", amount="1", effective_on=day)
        ),
        "interest": Record(
            InterestAccrued.build(case=CASE, claim="C1", amount="1", effective_on=day)
        ),
        "admission": Record(
            ClaimAdmitted.build(case=CASE, claim="C1", effective_on=day)
        ),
        "dispute": Record(
            ClaimContested.build(case=CASE, claim="C1", effective_on=day)
        ),
        "revival": Record(
            WaiverRevived.build(
                case=CASE,
                claim="C2",
                waiver=refs["waiver"].id,
                amount="1",
                effective_on=day,
            )
        ),
        "void of a remission": Record(
            FactVoided.build(case=CASE, voids=refs["remission"].id, effective_on=day)
        ),
        "void of a declaration (refused)": Record(
            FactVoided.build(case=CASE, voids=refs["declared"].id, effective_on=day)
        ),
        "correction of a remission": Record(
            FactCorrected.build(
                case=CASE,
                corrects=refs["remission"].id,
                changes={"amount": "2.00"},
                effective_on=day,
            )
        ),
        "correction of a declaration": Record(
            FactCorrected.build(
                case=CASE,
                corrects=refs["declared"].id,
                changes={"amount": "950000.00"},
                effective_on=day,
            )
        ),
        "severance": Record(
            SeverancePaid.build(
                case=CASE,
                employee="E1",
                amount="10",
                funding="company",
                effective_on=day,
            )
        ),
        "instalment": Record(
            InstalmentRemitted.build(case=CASE, amount="100", effective_on=day)
        ),
        "AGS advance (a trial of four facts)": AdvanceAgs(
            AgsAdvanced.build(
                case=CASE,
                employee="E1",
                employee_claim="E1-1",
                superprivileged="100",
                privileged="50",
                effective_on=day,
            )
        ),
        "current-account advance (a trial of two facts)": ReceiveContribution(
            ContributionReceived.build(
                case=CASE,
                commitment="K1",
                amount="1000",
                form="current_account_advance",
                claim="K1-CCA",
                effective_on=day,
            )
        ),
    }


#: The commands of `commands`, by name.
COMMANDS = [
    "payment",
    "remission",
    "remission refused",
    "write-off",
    "interest",
    "admission",
    "dispute",
    "revival",
    "void of a remission",
    "void of a declaration (refused)",
    "correction of a remission",
    "correction of a declaration",
    "severance",
    "instalment",
    "AGS advance (a trial of four facts)",
    "current-account advance (a trial of two facts)",
]


@contextmanager
def lines_run(counter: list[int]) -> Iterator[None]:
    """Counts the lines of Python run (every frame, comprehensions included)."""

    def trace(frame: FrameType, event: str, arg: object) -> Any:
        if event == "line":
            counter[0] += 1
        return trace

    sys.settrace(trace)
    try:
        yield
    finally:
        sys.settrace(None)


def work(state: CaseState, command: Command) -> int:
    counter = [0]
    with lines_run(counter), suppress(InvalidInputError):
        decide(state, command)
    return counter[0]


Sizes = tuple[CaseState, dict[str, Command], CaseState, dict[str, Command]]


@pytest.fixture(scope="module")
def small_and_large() -> Sizes:
    """A case of about 40 facts and one of about 3,000, each with its commands."""
    small, small_refs = case_with(10)
    large, large_refs = case_with(1500)
    assert large.head > small.head + 2900
    return small, commands(small_refs), large, commands(large_refs)


@pytest.mark.parametrize("name", COMMANDS)
def test_a_decision_does_the_same_work_whatever_the_size_of_the_case(
    small_and_large: Sizes, name: str
) -> None:
    """Lines of Python run to decide each command: the same in a case of 3,000 facts
    (1,500 remissions on the claim) as in one of 40."""
    small, small_commands, large, large_commands = small_and_large
    work(small, small_commands[name])  # warm the per-kind caches
    assert work(large, large_commands[name]) == work(small, small_commands[name])


def test_a_payment_or_a_remission_reads_no_claim_history(monkeypatch) -> None:
    """Neither the balances' fold nor any walk over a claim's or a subject's facts
    runs when a payment, a reduction, a lifecycle step or a void is decided."""
    state, refs = case_with(50)

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("a decision walked the case's facts")

    monkeypatch.setattr(balances, "claim_balance", refuse)
    for name in ("facts_about", "about", "history"):
        monkeypatch.setattr(state_module.CaseState, name, refuse)
    monkeypatch.setattr(state_module.CaseState, "fork", refuse)
    for name, command in commands(refs).items():
        try:
            decide(state, command)
        except InvalidInputError as e:
            assert name.endswith("(refused)") or name.endswith("refused"), (name, e)
