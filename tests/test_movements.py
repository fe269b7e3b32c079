"""The SQL view of money movements agrees with the in-memory projections, follows
the log exactly once, resumes after a crash, and takes a schema name as a name."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plandebt import InvalidInputError, Ledger, StorageError
from plandebt.demo import CASE, illustrative_journal
from plandebt.events import Fact, PaymentMade
from plandebt.movements import BUCKETS, MovementsView
from plandebt.projections import postings
from plandebt.projections.movements import instant
from plandebt.strategies import case_histories, support_and_employment_histories

DAY = date(2026, 6, 30)
START = datetime(2030, 1, 1, tzinfo=UTC)
OFFSETS = [
    UTC,
    timezone(timedelta(hours=2)),
    timezone(timedelta(hours=-5, minutes=-30)),
]


def expected(
    ledger: Ledger, case: str, as_of: date, known_at: datetime | int | None
) -> dict[str, dict[str, int]]:
    """What the in-memory balances say, column by column of `postings.COLUMNS`."""
    view = ledger.balances(case, as_of, known_at)
    return {
        b.claim: {c.name: b.amount(c.name).cents for c in postings.COLUMNS}
        for b in view.claims
    }


def ticking(step: timedelta = timedelta(seconds=1)) -> Callable[[], datetime]:
    """A clock that moves on at each recording, so that every fact has its own
    recording time."""
    now = [START]

    def clock() -> datetime:
        now[0] += step
        return now[0]

    return clock


def demo_ledger(target: str | Path = "memory") -> Ledger:
    ledger = Ledger.open(target)
    ledger.import_journal(illustrative_journal())
    return ledger


# --- the same sums as the in-memory projections ---------------------------------------


@st.composite
def two_cases(draw: st.DrawFn) -> list[Fact]:
    """Two generated cases whose facts are recorded interleaved (their ids, "f1",
    "f2"..., are the same in both)."""
    first = draw(support_and_employment_histories(case="CASE-1"))
    second = draw(case_histories(case="CASE-2", max_operations=20))
    merged: list[Fact] = []
    while first or second:
        source = first if first and (not second or draw(st.booleans())) else second
        merged.append(source.pop(0))
    return merged


def _record(facts: list[Fact]) -> Ledger:
    ledger = Ledger.open("memory", clock=ticking())
    for fact in facts:
        ledger.record(fact)
    return ledger


def _known_ats(
    ledger: Ledger, case: str, data: st.DataObject
) -> Iterator[datetime | int | None]:
    """Positions and instants to ask at: at, just before and just after a fact's
    recording, written with several offsets."""
    history = ledger.history(case)
    yield None
    yield data.draw(st.integers(0, len(history) + 2))
    fact = data.draw(st.sampled_from(history))
    assert fact.recorded_at is not None
    moment = fact.recorded_at + data.draw(
        st.sampled_from(
            [timedelta(0), -timedelta(microseconds=1), timedelta(seconds=1)]
        )
    )
    yield moment.astimezone(data.draw(st.sampled_from(OFFSETS)))
    yield START - timedelta(days=1)


def _agrees(view: MovementsView, ledger: Ledger, data: st.DataObject) -> None:
    for case in ("CASE-1", "CASE-2"):
        for _ in range(3):
            day = data.draw(st.dates(date(2015, 1, 1), date(2040, 1, 1)))
            for known in _known_ats(ledger, case, data):
                assert view.claim_sums(case, day, known) == expected(
                    ledger, case, day, known
                ), (case, day, known)


@settings(max_examples=25)
@given(two_cases(), st.integers(1, 12), st.data())
def test_the_sql_view_agrees_with_the_projections_on_sqlite(
    tmp_path_factory: pytest.TempPathFactory,
    facts: list[Fact],
    page_size: int,
    data: st.DataObject,
) -> None:
    ledger = _record(facts)
    view = MovementsView(str(tmp_path_factory.mktemp("movements") / "view.db"))
    try:
        view.catch_up(ledger, page_size=page_size)
        _agrees(view, ledger, data)
    finally:
        view.close()


@contextmanager
def _fresh_schema(pg_url: str) -> Iterator[str]:
    """A schema of its own for each generated example, dropped afterwards."""
    import psycopg

    base, _, schema = pg_url.partition("?schema=")
    name = f"{schema}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
        try:
            yield f"{base}?schema={name}"
        finally:
            conn.execute(f'DROP SCHEMA "{name}" CASCADE')


@pytest.mark.postgres
def test_the_sql_view_agrees_with_the_projections_on_postgresql(pg_url: str) -> None:
    @settings(max_examples=5)
    @given(two_cases(), st.integers(3, 12), st.data())
    def check(facts: list[Fact], page_size: int, data: st.DataObject) -> None:
        ledger = _record(facts)
        with _fresh_schema(pg_url) as url:
            view = MovementsView(url)
            try:
                view.catch_up(ledger, page_size=page_size)
                _agrees(view, ledger, data)
            finally:
                view.close()

    check()


def test_the_view_reads_its_columns_and_rows_from_the_postings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert tuple(c.name for c in postings.COLUMNS) == BUCKETS
    # Were payments posted as interest, the view would say so, unchanged.
    monkeypatch.setitem(
        postings._POSTINGS, PaymentMade, postings._into(postings.INTEREST)
    )
    ledger = demo_ledger()
    view = MovementsView(str(tmp_path / "view.db"))
    view.catch_up(ledger)
    sums = view.claim_sums(CASE, DAY)
    assert not any(row["paid"] for row in sums.values())
    assert sums == expected(ledger, CASE, DAY, None)
    view.close()


# --- known_at is an instant -------------------------------------------------------------


def test_known_at_compares_instants_whatever_their_offset(tmp_path: Path) -> None:
    ledger = Ledger.open("memory", clock=ticking())
    ledger.import_journal(illustrative_journal()[:40])
    pay = {"paid_on": date(2023, 1, 5), "basis": "connected_setoff"}
    payment = ledger.pay(CASE, "URSSAF-1", amount="100", **pay)
    later = ledger.pay(CASE, "URSSAF-1", amount="7", **pay)
    assert payment.recorded_at is not None and later.recorded_at is not None
    view = MovementsView(str(tmp_path / "view.db"))
    view.catch_up(ledger)

    def paid(known_at: datetime) -> int:
        return view.claim_sums(CASE, DAY, known_at)["URSSAF-1"]["paid"]

    at = payment.recorded_at
    just_before = at - timedelta(microseconds=1)
    paris = timezone(timedelta(hours=2))
    assert paid(at) - paid(just_before) == 10000  # equal to its recording: included
    assert paid(at.astimezone(paris)) == paid(at)  # the same instant, +02:00
    assert paid(just_before.astimezone(paris)) == paid(just_before)
    assert paid(later.recorded_at) - paid(at) == 700
    for known in (at, just_before, at.astimezone(paris), just_before.astimezone(paris)):
        assert view.claim_sums(CASE, DAY, known) == expected(ledger, CASE, DAY, known)
    assert instant(at.astimezone(paris)) == instant(at)

    with pytest.raises(InvalidInputError) as e:
        view.claim_sums(CASE, DAY, at.replace(tzinfo=None))
    assert e.value.field == "known_at"
    with pytest.raises(InvalidInputError):
        view.creditor_sums(DAY, 3)  # type: ignore[arg-type]  # a position of which case?
    view.close()


# --- exactly once, and after a crash ----------------------------------------------------


def test_the_view_follows_the_log_exactly_once_and_resumes(tmp_path: Path) -> None:
    ledger = demo_ledger()
    path = str(tmp_path / "movements.db")
    view = MovementsView(path)
    # Three pages, then the process "stops" (the first page holds the case's start).
    first = view.catch_up(ledger, page_size=10, stop_after=3)
    assert (view.position(), first) == (30, 29)
    view.close()

    class Crash(Exception):
        pass

    resumed = MovementsView(path)
    recorder: Any = resumed.recorder
    original = recorder._apply_fact
    calls = {"n": 0}

    def crashing(*args: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 5:
            raise Crash  # mid-page: the page's rows and its position roll back together
        original(*args)

    recorder._apply_fact = crashing
    with pytest.raises(Crash):
        resumed.catch_up(ledger, page_size=10)
    assert resumed.position() == 30
    recorder._apply_fact = original
    assert first + resumed.catch_up(ledger, page_size=10) == len(ledger.history(CASE))
    assert resumed.catch_up(ledger) == 0  # nothing new: nothing applied twice
    assert resumed.claim_sums(CASE, DAY) == expected(ledger, CASE, DAY, None)
    by_creditor = resumed.creditor_sums(DAY)
    assert (
        by_creditor["URSSAF"]["paid"]
        == ledger.balances(CASE, DAY).by_creditor()["URSSAF"].amount("paid").cents
    )
    resumed.close()


_KILLED_MID_PAGE = textwrap.dedent(
    """
    import os, signal, sys
    from plandebt import Ledger
    from plandebt.movements import MovementsView

    ledger = Ledger.open(sys.argv[1])
    view = MovementsView(sys.argv[2])
    recorder = view.recorder
    original = recorder._apply_fact
    count = 0

    def dying(*args):
        global count
        count += 1
        if count == 25:  # in the third page of ten notifications
            os.kill(os.getpid(), signal.SIGKILL)
        original(*args)

    recorder._apply_fact = dying
    view.catch_up(ledger, page_size=10)
    """
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def view_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "view.db")
    url: str = request.getfixturevalue("pg_url")
    return url


def test_a_catch_up_killed_mid_page_resumes_where_it_stopped(
    tmp_path: Path, view_target: str
) -> None:
    store = tmp_path / "store.db"
    demo_ledger(store).close()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_MID_PAGE, str(store), view_target],
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()

    ledger = Ledger.open(store)
    view = MovementsView(view_target)
    assert view.position() == 20  # two pages were committed, the third was not
    # The first page held the case's start and nine facts: 19 facts were applied.
    assert view.catch_up(ledger, page_size=10) == len(ledger.history(CASE)) - 19
    assert view.claim_sums(CASE, DAY) == expected(ledger, CASE, DAY, None)
    view.close()
    ledger.close()


def test_catch_ups_running_at_once_apply_each_fact_once(
    tmp_path: Path, view_target: str
) -> None:
    ledger = demo_ledger()
    MovementsView(view_target).close()  # the tables, before the race
    views = [MovementsView(view_target) for _ in range(3)]
    counts: list[int] = []
    errors: list[BaseException] = []

    def run(view: MovementsView, page_size: int) -> None:
        try:
            counts.append(view.catch_up(ledger, page_size=page_size))
        except BaseException as e:
            errors.append(e)

    threads = [
        threading.Thread(target=run, args=(view, size))
        for view, size in zip(views, (7, 10, 13), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sum(counts) == len(ledger.history(CASE))
    assert views[0].claim_sums(CASE, DAY) == expected(ledger, CASE, DAY, None)
    for view in views:
        view.close()


def test_a_view_written_by_the_earlier_version_is_rebuilt(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "view.db"
    with sqlite3.connect(path) as old:
        old.execute("CREATE TABLE plandebt_tracking (name TEXT, position BIGINT)")
        old.execute("INSERT INTO plandebt_tracking VALUES ('movements', 224)")
        old.execute("CREATE TABLE plandebt_movements (recorded_at TEXT)")
    ledger = demo_ledger()
    view = MovementsView(str(path))
    assert view.catch_up(ledger) == len(ledger.history(CASE))
    assert view.claim_sums(CASE, DAY) == expected(ledger, CASE, DAY, None)
    view.close()
    with sqlite3.connect(path) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert not {"plandebt_tracking", "plandebt_movements"} & tables


def test_a_view_written_before_the_remission_column_was_renamed_still_adds_up(
    tmp_path: Path,
) -> None:
    """The remission column was once "remitted": rows stored under that name count
    in the remission column, with the rows written since."""
    import sqlite3

    path = tmp_path / "view.db"
    ledger = demo_ledger()
    remission = {"basis": "public_creditor", "effective_on": date(2023, 6, 1)}
    ledger.remit(CASE, "URSSAF-1", amount="100", **remission)
    view = MovementsView(str(path))
    view.catch_up(ledger)
    view.close()
    with sqlite3.connect(path) as old:
        renamed = old.execute(
            "UPDATE movements_postings SET column_name = 'remitted' "
            "WHERE column_name = 'remission'"
        ).rowcount
    assert renamed == 1
    ledger.remit(CASE, "URSSAF-1", amount="50", **remission)
    view = MovementsView(str(path))
    view.catch_up(ledger)
    sums = view.claim_sums(CASE, DAY)
    assert sums["URSSAF-1"]["remission"] == 15000 and "remitted" not in sums["URSSAF-1"]
    assert sums == expected(ledger, CASE, DAY, None)
    view.close()


# --- PostgreSQL -------------------------------------------------------------------------


@pytest.mark.postgres
def test_the_view_in_postgresql_agrees_too(pg_url: str) -> None:
    ledger = demo_ledger(pg_url)
    view = MovementsView(pg_url)
    view.catch_up(ledger, page_size=25)
    for day in (date(2022, 6, 1), DAY):
        assert view.claim_sums(CASE, day) == expected(ledger, CASE, day, None)
        assert view.claim_sums(CASE, day, 40) == expected(ledger, CASE, day, 40)
    view.close()
    ledger.close()


@pytest.mark.postgres
def test_eventsourcing_s_projection_runner_keeps_the_view_in_postgresql(
    pg_url: str,
) -> None:
    from eventsourcing.projection import ProjectionRunner

    from plandebt.projections.movements import MovementsProjection
    from plandebt.projections.movements_postgres import PostgresMovementsRecorder
    from plandebt.storage import LedgerApplication, environment

    ledger = demo_ledger(pg_url)
    with ProjectionRunner(
        application_class=LedgerApplication,
        projection_class=MovementsProjection,
        view_class=PostgresMovementsRecorder,
        env=environment(pg_url),
    ) as runner:
        ledger.pay(
            CASE,
            "URSSAF-1",
            amount="12.34",
            paid_on=date(2025, 1, 6),
            basis="connected_setoff",
        )
        runner.wait(ledger.app.recorder.max_notification_id(), timeout=20)
    view = MovementsView(pg_url)  # the tables and the position the runner wrote
    assert view.claim_sums(CASE, DAY) == expected(ledger, CASE, DAY, None)
    assert view.catch_up(ledger) == 0  # one position: nothing applied twice
    view.close()
    ledger.close()


def _schemas(conn: Any) -> set[str]:
    return {row[0] for row in conn.execute("SELECT nspname FROM pg_namespace")}


@pytest.mark.postgres
def test_a_schema_name_in_the_url_is_only_a_name(pg_url: str) -> None:
    import psycopg
    from psycopg.sql import SQL, Identifier

    base, _, schema = pg_url.partition("?schema=")
    victim = f"{schema}_injected"
    injection = f'{schema}";CREATE SCHEMA {victim};--'
    with psycopg.connect(base, autocommit=True) as conn:
        try:
            with pytest.raises(StorageError):  # no such schema
                MovementsView(f"{base}?schema={quote(injection)}")
            assert victim not in _schemas(conn)
        finally:
            conn.execute(SQL("DROP SCHEMA IF EXISTS {}").format(Identifier(victim)))

        # A schema whose name holds a quote is used as it is.
        odd = f'{schema}"odd'
        conn.execute(SQL("CREATE SCHEMA {}").format(Identifier(odd)))
        try:
            ledger = demo_ledger()
            view = MovementsView(f"{base}?schema={quote(odd)}")
            view.catch_up(ledger)
            assert view.claim_sums(CASE, DAY) == expected(ledger, CASE, DAY, None)
            view.close()
            tables = conn.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = %s", (odd,)
            ).fetchone()
            assert tables is not None and tables[0] > 0
        finally:
            conn.execute(SQL("DROP SCHEMA {} CASCADE").format(Identifier(odd)))


# --- the command ------------------------------------------------------------------------


def test_the_movements_command_applies_only_what_is_new(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from plandebt.cli import main

    db, view = str(tmp_path / "store.db"), str(tmp_path / "view.db")
    assert main(["--db", db, "demo"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "movements", view, "--as-of", "2026-06-30"]) == 0
    first = capsys.readouterr().out
    assert main(["--db", db, "movements", view, "--json"]) == 0
    assert '"applied": 0' in capsys.readouterr().out
    assert "URSSAF" in first
