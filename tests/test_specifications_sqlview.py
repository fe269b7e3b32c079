"""Specifications of the SQL view of money movements (`MovementsView`) at the edge of
"as known at": a fact recorded at K is known at K, not a microsecond before, and an
instant means the same whatever offset it is written with. The in-memory projections
(`Ledger.balances`) define the answer; the view must give the same one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.helpers import CASE, open_basic_case

from plandebt import Ledger, Money
from plandebt.movements import BUCKETS, MovementsView
from plandebt.strategies import case_histories

PARIS_SUMMER = timezone(timedelta(hours=2))
AS_OF = date(2040, 1, 1)
MICROSECOND = timedelta(microseconds=1)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def projected(
    ledger: Ledger, case: str, known_at: datetime
) -> dict[str, dict[str, int]]:
    """What the projections say, in the view's shape (cents per claim and column)."""
    view = ledger.balances(case, AS_OF, known_at=known_at)
    return {
        row.claim: {bucket: getattr(row, bucket).cents for bucket in BUCKETS}
        for row in view.claims
    }


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def view_target(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        yield str(tmp_path / "movements.db")
    else:
        yield request.getfixturevalue("pg_url")


def recorded_case() -> tuple[Ledger, list]:
    """Facts recorded at known instants, some with microseconds, three within two
    hours of each other (so that an offset of +02:00 read as text would matter)."""
    clock = Clock(utc(2022, 5, 11, 9, 0))
    ledger = Ledger.open("memory", clock=clock)
    open_basic_case(ledger)  # every fact at 09:00:00
    moments = [
        utc(2022, 5, 11, 9, 30, 0, 250_000),
        utc(2022, 5, 11, 10, 0, 0, 1),
        utc(2022, 5, 11, 10, 45),
    ]
    money_facts = []
    for n, moment in enumerate(moments, start=1):
        clock.now = moment
        money_facts.append(
            ledger.pay(
                CASE,
                "C1",
                amount=f"{n}00.00",
                paid_on=date(2023, 1, n),
                basis="plan_dividend",
            )
        )
    clock.now = utc(2022, 5, 11, 11, 0)
    money_facts.append(ledger.correct(CASE, money_facts[0].id, {"amount": "150.00"}))
    return ledger, money_facts


def test_the_view_knows_a_fact_from_its_exact_recording_time(view_target: str) -> None:
    ledger, facts = recorded_case()
    view = MovementsView(view_target)
    try:
        view.catch_up(ledger)
        for fact in facts:
            at, before = fact.recorded_at, fact.recorded_at - MICROSECOND
            assert view.claim_sums(CASE, AS_OF, at) == projected(ledger, CASE, at)
            assert view.claim_sums(CASE, AS_OF, before) == projected(
                ledger, CASE, before
            )
            # ...and the two answers differ: the fact is in one, not in the other.
            assert view.claim_sums(CASE, AS_OF, at) != view.claim_sums(
                CASE, AS_OF, before
            )
        paid = view.claim_sums(CASE, AS_OF, facts[0].recorded_at)["C1"]["paid"]
        assert paid == Money.parse("100.00").cents
        at_correction = view.claim_sums(CASE, AS_OF, facts[-1].recorded_at)
        assert at_correction["C1"]["paid"] == Money.parse("650.00").cents
    finally:
        view.close()


def test_the_view_reads_known_at_with_an_offset_as_the_same_instant(
    view_target: str,
) -> None:
    ledger, facts = recorded_case()
    view = MovementsView(view_target)
    try:
        view.catch_up(ledger)
        for fact in facts:
            for instant in (fact.recorded_at, fact.recorded_at - MICROSECOND):
                paris = instant.astimezone(PARIS_SUMMER)
                assert view.claim_sums(CASE, AS_OF, paris) == projected(
                    ledger, CASE, instant
                )
                assert view.creditor_sums(AS_OF, paris) == view.creditor_sums(
                    AS_OF, instant
                )
    finally:
        view.close()


def test_the_projections_read_known_at_with_an_offset_as_the_same_instant() -> None:
    """The reference the view is held to: the same instant, written in UTC or at
    +02:00, gives the same balances."""
    ledger, facts = recorded_case()
    for fact in facts:
        for instant in (fact.recorded_at, fact.recorded_at - MICROSECOND):
            paris = instant.astimezone(PARIS_SUMMER)
            assert ledger.balances(CASE, AS_OF, known_at=paris).claims == (
                ledger.balances(CASE, AS_OF, known_at=instant).claims
            )
    first_payment = facts[0].recorded_at.astimezone(PARIS_SUMMER)
    assert ledger.balances(CASE, AS_OF, known_at=first_payment).position == 6
    assert (
        ledger.balances(CASE, AS_OF, known_at=first_payment - MICROSECOND).position == 5
    )


@settings(
    max_examples=15,
)
@given(
    case_histories(max_operations=12),
    st.lists(st.integers(0, 3_000_000), min_size=1, max_size=40),
)
def test_at_every_recording_time_the_view_agrees_with_the_projections(
    tmp_path_factory, facts, steps
) -> None:
    """Recorded one by one, a generated history's facts get times some microseconds
    apart (sometimes the same); at each one, and a microsecond before, the view and
    the projections agree."""
    clock = Clock(utc(2024, 1, 1, 8))
    ledger = Ledger.open("memory", clock=clock)
    for n, fact in enumerate(facts):
        clock.now += timedelta(microseconds=steps[n % len(steps)])
        ledger.record(fact)
    view = MovementsView(str(tmp_path_factory.mktemp("movements") / "view.db"))
    try:
        view.catch_up(ledger)
        case = facts[0].case
        for fact in ledger.history(case):
            for instant in (fact.recorded_at, fact.recorded_at - MICROSECOND):
                assert view.claim_sums(case, AS_OF, instant) == projected(
                    ledger, case, instant
                )
    finally:
        view.close()
