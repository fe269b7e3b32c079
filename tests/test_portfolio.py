"""Many cases in one store: queries across cases, and writers in separate
processes (issue: PostgreSQL at portfolio scale)."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from tests.helpers import CASE, open_basic_case, write_payments_in_a_process

from plandebt import InvalidInputError, Ledger, Money
from plandebt.cli import main
from plandebt.strategies import plan_histories


def test_what_each_creditor_is_owed_across_cases(store) -> None:
    ledger = store.open()
    for case in ("A", "B", "C"):
        open_basic_case(ledger, case)
    ledger.pay("B", "C1", amount="100", paid_on=date(2023, 1, 1), basis="plan_dividend")
    view = store.open().portfolio(date(2024, 1, 1))
    urssaf = next(c for c in view.creditors() if c.key == "URSSAF")
    assert urssaf.cases == ("A", "B", "C")
    assert urssaf.totals.outstanding == Money.parse("2699900")
    by_kind = {c.key: c for c in view.creditors(by="kind")}
    assert by_kind["bank"].totals.declared == Money.parse("1050000")
    assert view.by_phase() == {"observation": 3}


@settings(max_examples=15)
@given(plan_histories(case="A"), plan_histories(case="B"))
def test_portfolio_totals_are_the_sum_of_the_cases(first, second) -> None:
    ledger = Ledger.open("memory")
    ledger.record_all(first)
    ledger.record_all(second)
    as_of = date(2031, 1, 1)
    view = ledger.portfolio(as_of)
    cases = [ledger.balances(case, as_of) for case in ("A", "B")]
    assert view.total.outstanding.cents == sum(v.total.outstanding.cents for v in cases)
    assert (
        sum(c.totals.outstanding.cents for c in view.creditors())
        == view.total.outstanding.cents
    )
    assert view.arrears.cents == sum(
        ledger.plan_status(c, as_of).arrears.cents for c in ("A", "B")
    )


def test_known_at_across_cases_is_a_datetime() -> None:
    ticks = iter(datetime(2026, 1, d, tzinfo=UTC) for d in range(1, 29))
    ledger = Ledger.open("memory", clock=lambda: next(ticks))
    open_basic_case(ledger, "A")  # recorded 1..5 January
    open_basic_case(ledger, "B")  # 6..10 January
    view = ledger.portfolio(
        date(2024, 1, 1), known_at=datetime(2026, 1, 5, 12, tzinfo=UTC)
    )
    assert [b.case for b in view.balances] == ["A", "B"]
    assert len(view.balances[0].claims) == 2 and view.balances[1].claims == ()
    with pytest.raises(InvalidInputError):
        ledger.portfolio(date(2024, 1, 1), known_at=3)


def test_the_portfolio_command(tmp_path, capsys) -> None:
    db = str(tmp_path / "p.db")
    assert main(["--db", db, "demo"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "portfolio", "--as-of", "2026-06-30", "--by", "kind"]) == 0
    out = capsys.readouterr().out
    assert "performing" in out and "group_company" in out


def test_two_processes_writing_one_case_lose_nothing(store) -> None:
    if store.name == "memory":
        pytest.skip("the in-memory store lives in one process")
    first = store.open()
    open_basic_case(first)
    target = _target_of(first)
    count = 20
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        conflicts = pool.starmap(
            write_payments_in_a_process, [(target, "C1", count), (target, "C2", count)]
        )
    view = store.open().balances(CASE, date(2024, 1, 1))
    assert view.claim("C1").paid == Money(100 * count)
    assert view.claim("C2").paid == Money(100 * count)
    assert len(store.open().history(CASE)) == 5 + 2 * count  # nothing twice
    assert all(c >= 0 for c in conflicts)


def _target_of(ledger: Ledger) -> str:
    env = ledger.app.env
    if env.get("PERSISTENCE_MODULE") == "eventsourcing.sqlite":
        return env.get("SQLITE_DBNAME")
    user, host = env.get("POSTGRES_USER"), env.get("POSTGRES_HOST")
    port, db = env.get("POSTGRES_PORT"), env.get("POSTGRES_DBNAME")
    return f"postgresql://{user}@{host}:{port}/{db}?schema={env.get('POSTGRES_SCHEMA')}"
