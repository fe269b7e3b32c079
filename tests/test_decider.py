"""The decider (plandebt.decisions): `decide` never changes the state it reads, and
evolving the facts it returned gives the state that the next `decide` sees — the same
state a replay of the stored facts builds."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from tests.helpers import CASE, open_basic_case, snapshot
from tests.test_support_employment import employee_claim

from plandebt import Ledger, Money
from plandebt.decisions import (
    AdvanceAgs,
    CaseState,
    Record,
    decide,
    evolve,
    initial_state,
)
from plandebt.events import AgsAdvanced
from plandebt.strategies import case_histories, support_and_employment_histories

T0 = datetime(2030, 1, 1, tzinfo=UTC)


def _shape(state: CaseState) -> tuple[object, ...]:
    """Everything a state holds, comparable."""
    return (
        [f.to_dict() for f in state.log],
        {
            k: [(s, f.to_dict() if f else None) for s, f in v]
            for k, v in state.versions.items()
        },
        state.claims,
        state.creditors,
        state.creditor_claims,
        state.procedure,
        state.subjects,
        state.client_refs,
    )


def _decide_all(facts: list) -> CaseState:
    state = initial_state("CASE-1")
    for i, fact in enumerate(facts):
        before = _shape(state)
        decided = decide(state, Record(fact))
        assert _shape(state) == before, "decide changed the state it read"
        assert decided == [fact]
        for f in decided:
            evolve(state, f.stamped(state.head + 1, T0 + timedelta(seconds=i)))
    return state


@given(case_histories())
def test_decide_reads_the_state_and_evolve_replays_it(facts) -> None:
    incremental = _decide_all(facts)
    replayed = initial_state("CASE-1")
    for fact in incremental.log:
        evolve(replayed, fact)
    assert _shape(replayed) == _shape(incremental)


@given(support_and_employment_histories())
def test_the_ledger_state_equals_a_replay_of_what_it_stored(facts) -> None:
    ledger = Ledger.open("memory")
    ledger.record_all(facts)
    live = ledger.index("CASE-1").state
    fresh = Ledger(ledger.app)  # the same store, read again from scratch
    assert _shape(fresh.index("CASE-1").state) == _shape(live)


def test_an_ags_advance_implies_the_ags_and_its_claims_and_decide_says_so() -> None:
    ledger = Ledger.open("memory")
    open_basic_case(ledger)
    employee_claim(ledger, amount="3000.00")
    state = ledger.index(CASE).state
    advance = AgsAdvanced.build(
        case=CASE,
        employee="E1",
        employee_claim="E1-1",
        superprivileged="1000",
        privileged="2000",
        effective_on=date(2022, 10, 15),
    )
    before = _shape(state)
    facts = decide(state, AdvanceAgs(advance))
    assert _shape(state) == before
    assert [f.kind for f in facts] == [
        "creditor.registered",
        "claim.declared",
        "claim.declared",
        "ags.advanced",
    ]
    assert [getattr(f, "claim", None) for f in facts[1:3]] == [
        "E1-1-AGS-SP",
        "E1-1-AGS-P",
    ]


def test_an_ags_advance_sent_twice_under_its_client_ref_is_recorded_once() -> None:
    ledger = Ledger.open("memory")
    open_basic_case(ledger)
    employee_claim(ledger, amount="3000.00")

    def send() -> list:
        return ledger.advance_ags(
            CASE,
            "E1",
            "E1-1",
            superprivileged="1000",
            privileged="2000",
            paid_on=date(2022, 10, 15),
            client_ref="ags-E1",
        )

    first = send()
    after_first = snapshot(ledger)
    again = send()
    assert snapshot(ledger) == after_first
    assert again == [first[-1]]
    b = ledger.balances(CASE, date(2023, 1, 1)).claim("E1-1")
    assert b.subrogated == Money.parse("3000")
