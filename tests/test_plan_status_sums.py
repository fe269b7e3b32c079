"""The plan status read from running totals (each schedule's dues by date, each
claim's dividends by date and by position, `projections.plan._StatusSums` and
`CaseIndex.received`) is the status summed plainly from the schedule's instalments
and the claims' facts, at every (as_of, known_at), asked in a drawn order so that
what was prepared is reused, and while facts keep arriving."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.helpers import CASE, open_basic_case
from tests.test_balances_bisect import dividends_scanned
from tests.test_balances_properties import record_each

from plandebt import Fact, Ledger
from plandebt.events import InstalmentRemitted, PlanCompleted, PlanResolved
from plandebt.projections.index import CaseIndex
from plandebt.projections.plan import (
    PlanStatus,
    RemissionState,
    plan_schedule,
    plan_status,
)
from plandebt.strategies import case_histories, plan_histories


def days_of(facts: list[Fact]) -> list[date]:
    """Every date a fact is effective on or an instalment falls due on, with a day
    either side."""
    days: set[date] = set()
    for fact in facts:
        on = fact.effective_on
        days.update((on - timedelta(1), on, on + timedelta(1)))
    return sorted(days)


def with_due_dates(index: CaseIndex, days: list[date]) -> list[date]:
    schedule = plan_schedule(index)
    dues = {on for on, _m in schedule.dates} if schedule else set()
    around = {d + timedelta(k) for d in dues for k in (-1, 0, 1)}
    return sorted(set(days) | around)


def summed_plainly(
    index: CaseIndex, as_of: date, position: int
) -> tuple[dict[str, list[int]], list[tuple[str, int, date, RemissionState]]]:
    """Each creditor's figures (scheduled, due, distributed, reserved, behind,
    remission contingent, acquired, lapsed, overpaid) and each option remission,
    summed from the schedule's instalments and the facts as known at `position`."""
    state = index.state
    schedule = plan_schedule(index, as_of, position)
    assert schedule is not None
    plan = [f for f in index.about("plan", position) if f.effective_on <= as_of]
    ended = [
        f.effective_on for f in plan if isinstance(f, PlanResolved | PlanCompleted)
    ]
    ended_on = ended[0] if ended else None
    remittances = [
        (f.effective_on, f.amount.cents)
        for f in plan
        if isinstance(f, InstalmentRemitted)
    ]
    instalments = [
        (on, i.amount.cents)
        for c in schedule.claims
        for i, on in zip(c.instalments, c.dues, strict=True)
    ]
    remissions = []
    for c in schedule.claims:
        amount = c.base.cents - c.scheduled.cents - c.forfeited.cents
        if amount <= 0 or not c.dues:
            continue
        term = max(c.dues)
        checked = min(as_of, term, ended_on or as_of)
        paid = sum(cents for on, cents in remittances if on <= checked)
        owed = sum(cents for on, cents in instalments if on <= term)
        if paid >= owed:
            remission = RemissionState.ACQUIRED
        elif as_of > term or (ended_on is not None and as_of >= ended_on):
            remission = RemissionState.LAPSED
        else:
            remission = RemissionState.CONTINGENT
        remissions.append((c.claim, amount, term, remission))
    column = {
        RemissionState.CONTINGENT: 5,
        RemissionState.ACQUIRED: 6,
        RemissionState.LAPSED: 7,
    }
    states = {claim: (amount, s) for claim, amount, _t, s in remissions}
    rows: dict[str, list[int]] = {}
    for c in schedule.claims:
        due = sum(
            i.amount.cents
            for i, on in zip(c.instalments, c.dues, strict=True)
            if on <= as_of
        )
        got = sum(
            cents
            for on, cents in dividends_scanned(state, c.claim, position)
            if on <= as_of
        )
        row = rows.setdefault(c.creditor, [0] * 9)
        row[0] += c.scheduled.cents
        row[1] += due
        row[2] += got
        row[3] += max(0, due - got) if c.provisional else 0
        row[4] += 0 if c.provisional else max(0, due - got)
        row[8] += max(0, got - due)
        if c.claim in states:
            amount, s = states[c.claim]
            row[column[s]] += amount
    return rows, remissions


def figures(status: PlanStatus) -> dict[str, list[int]]:
    return {
        p.creditor: [
            m.cents
            for m in (
                p.scheduled,
                p.due,
                p.distributed,
                p.reserved,
                p.behind,
                p.contingent_remission,
                p.acquired_remission,
                p.lapsed_remission,
                p.overpaid,
            )
        ]
        for p in status.creditors
    }


def check_every_status(index: CaseIndex, days: list[date], order: list[int]) -> None:
    pairs = [(p, d) for p in range(index.head + 1) for d in days]
    for i in order:
        position, day = pairs[i % len(pairs)]
        status = plan_status(index, day, position)
        if status.adopted_on is None:
            continue
        rows, remissions = summed_plainly(index, day, position)
        assert figures(status) == rows, (day, position)
        assert [
            (r.claim, r.amount.cents, r.term, r.state) for r in status.remissions
        ] == remissions, (day, position)
        assert status.distributed.cents == sum(r[2] for r in rows.values())


@settings(max_examples=40, deadline=None)
@given(plan_histories(), st.lists(st.integers(0, 10**6), min_size=40, max_size=150))
def test_status_from_running_totals_is_the_status_summed_plainly(
    facts: list[Fact], order: list[int]
) -> None:
    ledger = record_each(facts)
    index = ledger.index("CASE-1")
    days = with_due_dates(index, days_of(facts))
    check_every_status(index, days, order)


@settings(max_examples=15, deadline=None)
@given(plan_histories(), st.lists(st.integers(0, 10**6), min_size=5, max_size=15))
def test_running_totals_follow_the_facts_that_arrive(
    facts: list[Fact], order: list[int]
) -> None:
    """Asked after each fact of the plan's life, the running totals prepared for
    earlier questions are not reused once they are stale."""
    ledger = record_each(facts[:1])
    for fact in facts[1:]:
        ledger.record(fact)
        index = ledger.index("CASE-1")
        check_every_status(index, with_due_dates(index, days_of(facts)), order)


@settings(max_examples=60, deadline=None)
@given(case_histories(max_operations=20), st.lists(st.integers(0, 10**6), max_size=60))
def test_dividends_received_by_a_date_are_the_ones_scanned(
    facts: list[Fact], order: list[int]
) -> None:
    """`CaseIndex.received` over histories with corrections and voids of payments,
    and payments recorded out of date order, at every position and around every
    date, in a drawn order."""
    ledger = record_each(facts)
    index = ledger.index("CASE-1")
    claims = list(index.claims)
    days = days_of(facts)
    pairs = [(p, d) for p in range(index.head + 1) for d in days]
    for i in [*order, *range(len(pairs))]:
        position, day = pairs[i % len(pairs)]
        assert index.received(claims, position, day) == [
            sum(
                cents
                for on, cents in dividends_scanned(index.state, claim, position)
                if on <= day
            )
            for claim in claims
        ], (position, day)


def test_a_rejected_claim_joins_the_plan_with_its_first_dividend_once_asked_before() -> (
    None
):
    """A claim rejected before the adoption is not scheduled; a plan dividend paid
    on it afterwards puts it in the plan for nothing, so that what it received shows
    as overpaid. The schedule kept from a question asked before that dividend is
    not the one after it (the dividend marks the schedules)."""
    ledger = Ledger.open("memory")
    open_basic_case(ledger)
    ledger.admit_claim(CASE, "C1", decided_on=date(2022, 9, 1))
    ledger.reject_claim(CASE, "C2", decided_on=date(2022, 9, 1))
    ledger.adopt_plan(
        CASE,
        adopted_on=date(2023, 3, 20),
        duration_years=10,
        supervisor="Me S",
        options=[{"option": "uniform", "percents": ["10"] * 10}],
        uniform_option="uniform",
    )
    on = date(2024, 6, 1)
    before = ledger.plan_status(CASE, on)
    assert "C2" not in {c.claim for c in ledger.schedule(CASE, on).claims}
    ledger.pay(CASE, "C2", amount="100.00", basis="plan_dividend", paid_on=on)
    after = ledger.plan_status(CASE, on)
    assert "C2" in {c.claim for c in ledger.schedule(CASE, on).claims}
    assert after.overpaid.cents == before.overpaid.cents + 10000
    assert after.distributed.cents == before.distributed.cents + 10000
    # As known before the dividend, the claim is still out of the plan.
    known = ledger.index(CASE).head - 1
    assert ledger.plan_status(CASE, on, known_at=known) == attrs.evolve(
        before, known_at=known
    )
