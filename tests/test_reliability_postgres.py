"""PostgreSQL writes of any size complete, and no writer blocks others for long.

The hang these tests guard against: eventsourcing's insert in psycopg's pipeline mode
left large messages half sent (docs/architecture.md, "Writing to PostgreSQL"). Each
write that could hang runs in a daemon thread or a process with a deadline, so a
regression fails the test instead of stopping the run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from eventsourcing.persistence import StoredEvent
from tests.conftest import PG_DSN
from tests.helpers import CASE, open_basic_case
from tests.reliability_workers import bulk

from plandebt import ConflictError, Ledger, Money, storage
from plandebt.storage import CaseStream
from plandebt.storage_postgres import chunks

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.postgres


def schema_of(url: str) -> str:
    return url.rsplit("schema=", 1)[1]


def count(url: str, table: str = "plandebt_events") -> int:
    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        row = conn.execute(
            f'SELECT count(*) FROM "{schema_of(url)}"."{table}"'
        ).fetchone()
        assert row is not None
        return int(row[0])


def within(seconds: float, work: Callable[[], Any]) -> Any:
    """Runs `work` in a daemon thread; fails if it has not returned in time."""
    result: list[Any] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            result.append(work())
        except BaseException as e:
            errors.append(e)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    if errors:
        raise errors[0]
    return result[0]


def test_a_50000_fact_import_completes(pg_url: str) -> None:
    ledger = Ledger.open(pg_url)
    open_basic_case(ledger)
    facts = bulk(50_000)
    recorded = within(180, lambda: ledger.record_all(facts))
    assert len(recorded) == 50_000
    assert count(pg_url) == 1 + 5 + 50_000  # the stream's start, the case, the import
    # One snapshot per 1,000 facts, each holding only its own facts.
    assert count(pg_url, "plandebt_snapshots") == 50
    assert ledger.balances(CASE, date(2024, 1, 1)).claim("C2").paid == Money(50_000)


def test_one_event_of_10_mb_is_written(pg_url: str) -> None:
    ledger = Ledger.open(pg_url)
    big = StoredEvent(uuid.uuid4(), 1, "big", b"x" * (10 * 1024 * 1024))
    within(60, lambda: ledger.app.recorder.insert_events([big]))
    assert count(pg_url) == 1


def test_inserts_are_cut_in_bounded_statements() -> None:
    small = [StoredEvent(uuid.uuid4(), v, "t", b"x" * 100) for v in range(2500)]
    assert [len(c) for c in chunks(small)] == [1000, 1000, 500]
    large = [StoredEvent(uuid.uuid4(), v, "t", b"x" * 3_000_000) for v in range(3)]
    assert [len(c) for c in chunks(large)] == [1, 1, 1]  # one too large goes alone
    assert list(chunks([])) == []


def test_write_transactions_carry_bounded_timeouts(pg_url: str) -> None:
    ledger = Ledger.open(pg_url)
    with storage.writing(ledger.app, [CaseStream.create_id(CASE)]) as session:
        curs: Any = getattr(session, "curs")  # noqa: B009
        shown = {}
        for name in (
            "lock_timeout",
            "statement_timeout",
            "idle_in_transaction_session_timeout",
        ):
            curs.execute(f"SHOW {name}")
            shown[name] = next(iter(curs.fetchone().values()))
    assert shown == {
        "lock_timeout": f"{storage.LOCK_TIMEOUT}s",
        "statement_timeout": f"{storage.STATEMENT_TIMEOUT}s",
        "idle_in_transaction_session_timeout": f"{storage.IDLE_IN_TRANSACTION_TIMEOUT}s",
    }


def _pay(ledger: Ledger, claim: str = "C1", case: str = CASE) -> None:
    ledger.pay(
        case, claim, amount="1.00", paid_on=date(2023, 1, 1), basis="plan_dividend"
    )


def test_a_stopped_writer_is_cut_off_by_the_server(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "IDLE_IN_TRANSACTION_TIMEOUT", 1)
    stopped = Ledger.open(pg_url)
    open_basic_case(stopped)
    other = Ledger.open(pg_url)
    holding = threading.Event()
    outcome: list[BaseException] = []

    def stop_while_holding_the_case() -> None:
        try:
            with storage.writing(stopped.app, [CaseStream.create_id(CASE)]):
                holding.set()
                time.sleep(2.5)  # a writer that stopped: no statement, no keepalive
        except BaseException as e:
            outcome.append(e)

    thread = threading.Thread(target=stop_while_holding_the_case, daemon=True)
    thread.start()
    assert holding.wait(10)
    started = time.monotonic()
    _pay(other)  # waits for the case's lock until the server ends the stopped write
    waited = time.monotonic() - started
    thread.join(10)
    assert waited < 2.4, waited
    assert outcome, "the stopped writer's transaction should have been ended"
    assert other.balances(CASE, date(2024, 1, 1)).claim("C1").paid == Money(100)


def test_a_writer_holding_a_case_makes_its_writers_give_up_in_bounded_time(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "LOCK_TIMEOUT", 1)
    holder = Ledger.open(pg_url)
    open_basic_case(holder)
    open_basic_case(holder, "OTHER")
    waiter = Ledger.open(pg_url)
    waiter.history(CASE)
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:  # a long write that keeps working (and saying so)
        with storage.writing(holder.app, [CaseStream.create_id(CASE)]) as session:
            holding.set()
            while not release.wait(0.1):
                session.keepalive()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    assert holding.wait(10)
    try:
        started = time.monotonic()
        _pay(waiter, case="OTHER")  # another case: not held
        assert time.monotonic() - started < 1
        started = time.monotonic()
        with pytest.raises(ConflictError, match="being written by another writer"):
            _pay(waiter)
        assert time.monotonic() - started < 3
    finally:
        release.set()
        thread.join(10)
    assert waiter.balances(CASE, date(2024, 1, 1)).claim("C1").paid == Money(0)
    _pay(waiter)  # once the holder is done, the same payment lands
    assert waiter.balances(CASE, date(2024, 1, 1)).claim("C1").paid == Money(100)


def _worker(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.reliability_workers", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _wait_for_line(
    process: subprocess.Popen[str], expected: str, seconds: float
) -> None:
    line = within(seconds, lambda: process.stdout.readline() if process.stdout else "")
    assert line.strip() == expected, line


@pytest.mark.parametrize("phase", ["checking", "inserting"])
def test_a_writer_killed_mid_import_leaves_all_or_nothing(
    pg_url: str, phase: str
) -> None:
    ledger = Ledger.open(pg_url)
    open_basic_case(ledger)
    ledger.close()
    count_before = count(pg_url)
    killed = _worker("import", pg_url, "3000", phase)
    try:
        _wait_for_line(killed, "HANGING", 60)  # the write is open, the case held
    finally:
        os.kill(killed.pid, signal.SIGKILL)
        killed.wait(10)
    assert count(pg_url) == count_before  # nothing of the killed import
    # The server ends the killed writer's transaction at once: another writer, and
    # a rerun of the import, go through.
    other = Ledger.open(pg_url)
    within(15, lambda: open_basic_case(other, "OTHER"))
    started = time.monotonic()
    within(30, lambda: other.record_all(bulk(3000)))
    assert time.monotonic() - started < 30
    assert count(pg_url) == count_before + 5 + 1 + 3000
    assert Ledger.open(pg_url).balances(CASE, date(2024, 1, 1)).claim("C2").paid == (
        Money(3000)
    )
