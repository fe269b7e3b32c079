"""The SQL view of money movements agrees with the in-memory projections, follows
the log exactly once and resumes after a crash."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plandebt import Ledger
from plandebt.movements import BUCKETS, MovementsView
from plandebt.strategies import support_and_employment_histories

COLUMNS = {
    "declared": "declared",
    "paid": "paid",
    "remitted": "remitted",
    "written_off": "written_off",
    "subrogated": "subrogated",
    "interest": "interest",
}


def expected(
    ledger: Ledger, case: str, as_of: date, known_at: int | None
) -> dict[str, dict[str, int]]:
    view = ledger.balances(case, as_of, known_at)
    return {
        b.claim: {bucket: getattr(b, COLUMNS[bucket]).cents for bucket in BUCKETS}
        for b in view.claims
    }


@settings(max_examples=25)
@given(
    support_and_employment_histories(),
    st.lists(st.dates(date(2015, 1, 1), date(2040, 1, 1)), min_size=1, max_size=3),
    st.data(),
)
def test_the_sql_view_agrees_with_the_projections(
    tmp_path_factory, facts, days, data
) -> None:
    folder = tmp_path_factory.mktemp("movements")
    ledger = Ledger.open("memory")
    for fact in facts:
        ledger.record(fact)
    view = MovementsView(str(folder / "movements.db"))
    view.catch_up(ledger, page_size=7)
    head = len(ledger.history("CASE-1"))
    for day in days:
        for known in {None, head, data.draw(st.integers(1, head))}:
            assert view.claim_sums("CASE-1", day, known) == expected(
                ledger, "CASE-1", day, known
            )
    view.close()


def test_the_view_follows_the_log_exactly_once_and_resumes(tmp_path) -> None:
    from plandebt.demo import CASE, illustrative_journal

    ledger = Ledger.open("memory")
    ledger.import_journal(illustrative_journal())
    path = str(tmp_path / "movements.db")
    view = MovementsView(path)
    view.catch_up(ledger, page_size=10, stop_after=3)  # then the process "stops"
    assert view.position() == 30
    view.close()

    class Crash(Exception):
        pass

    resumed = MovementsView(path)
    original = resumed._apply
    calls = {"n": 0}

    def crashing(*args):
        calls["n"] += 1
        if calls["n"] == 5:
            raise Crash  # mid-page: the page's rows and its tracking roll back together
        return original(*args)

    resumed._apply = crashing  # type: ignore[method-assign]
    with pytest.raises(Crash):
        resumed.catch_up(ledger, page_size=10)
    assert resumed.position() == 30
    resumed._apply = original  # type: ignore[method-assign]
    resumed.catch_up(ledger, page_size=10)
    resumed.catch_up(ledger)  # nothing new: nothing applied twice
    day = date(2026, 6, 30)
    assert resumed.claim_sums(CASE, day) == expected(ledger, CASE, day, None)
    by_creditor = resumed.creditor_sums(day)
    assert (
        by_creditor["URSSAF"]["paid"]
        == ledger.balances(CASE, day).by_creditor()["URSSAF"].paid.cents
    )
    resumed.close()


@pytest.mark.postgres
def test_the_view_in_postgresql_agrees_too(pg_url) -> None:
    from plandebt.demo import CASE, illustrative_journal

    ledger = Ledger.open(pg_url)
    ledger.import_journal(illustrative_journal())
    view = MovementsView(pg_url)
    view.catch_up(ledger, page_size=25)
    for day in (date(2022, 6, 1), date(2026, 6, 30)):
        assert view.claim_sums(CASE, day) == expected(ledger, CASE, day, None)
        assert view.claim_sums(CASE, day, 40) == expected(ledger, CASE, day, 40)
    view.close()
    ledger.close()


def test_the_movements_command_applies_only_what_is_new(tmp_path, capsys) -> None:
    from plandebt.cli import main

    db, view = str(tmp_path / "store.db"), str(tmp_path / "view.db")
    assert main(["--db", db, "demo"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "movements", view, "--as-of", "2026-06-30"]) == 0
    first = capsys.readouterr().out
    assert main(["--db", db, "movements", view, "--json"]) == 0
    assert '"applied": 0' in capsys.readouterr().out
    assert "URSSAF" in first


def _schemas(conn) -> set[str]:  # type: ignore[no-untyped-def]
    return {row[0] for row in conn.execute("SELECT nspname FROM pg_namespace")}


@pytest.mark.postgres
def test_a_schema_name_in_the_url_is_only_a_name(pg_url) -> None:
    import psycopg
    from psycopg.sql import SQL, Identifier
    from tests.conftest import PG_DSN

    from plandebt import StorageError
    from plandebt.demo import CASE, illustrative_journal

    schema = pg_url.partition("?schema=")[2]
    victim = f"{schema}_injected"
    injection = f'{schema}";CREATE SCHEMA {victim};--'
    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        try:
            with pytest.raises(StorageError):  # no such schema
                MovementsView(f"{PG_DSN}?schema={quote(injection)}")
            assert victim not in _schemas(conn)
        finally:
            conn.execute(SQL("DROP SCHEMA IF EXISTS {}").format(Identifier(victim)))

        # A schema whose name holds a quote is used as it is.
        odd = f'{schema}"odd'
        conn.execute(SQL("CREATE SCHEMA {}").format(Identifier(odd)))
        try:
            ledger = Ledger.open("memory")
            ledger.import_journal(illustrative_journal())
            view = MovementsView(f"{PG_DSN}?schema={quote(odd)}")
            view.catch_up(ledger)
            day = date(2026, 6, 30)
            assert view.claim_sums(CASE, day) == expected(ledger, CASE, day, None)
            view.close()
            tables = conn.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = %s", (odd,)
            ).fetchone()
            assert tables is not None and tables[0] > 0
        finally:
            conn.execute(SQL("DROP SCHEMA {} CASCADE").format(Identifier(odd)))
