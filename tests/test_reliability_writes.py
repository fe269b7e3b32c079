"""Writes land: a large import into a live case, retries on a conflict, waits that
end. (docs/reliability.md lists the promises and the tests that check them.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path
from unittest import mock

import pytest
from eventsourcing.persistence import IntegrityError
from tests.helpers import CASE, open_basic_case, snapshot
from tests.reliability_workers import bulk

from plandebt import ConflictError, Ledger, Money, storage
from plandebt.cli import main
from plandebt.events import PaymentMade
from plandebt.storage import CaseStream

ROOT = Path(__file__).resolve().parent.parent
FAR = date(2030, 1, 1)
IMPORT = (
    10_000  # facts: the import takes a few seconds, the live writer pays every 20 ms
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgres":
        url: str = request.getfixturevalue("pg_url")
        return url
    return str(tmp_path / "plandebt.db")


def test_a_large_import_into_a_live_case_lands(target: str, tmp_path: Path) -> None:
    ledger = Ledger.open(target)
    open_basic_case(ledger)
    stop = tmp_path / "stop"
    live = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.reliability_workers",
            "live",
            target,
            "C1",
            str(stop),
            "live",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert live.stdout is not None
        assert live.stdout.readline().strip() == "STARTED"  # a payment every 20 ms
        # The import takes the case's write lock: the live writer waits for it
        # (instead of the import failing with a conflict every time it is tried).
        recorded = ledger.record_all(bulk(IMPORT))
        time.sleep(0.3)  # the live writer records after the import too
    finally:
        stop.touch()
        out, _ = live.communicate(timeout=60)
    payments, conflicts = (int(n) for n in out.split())
    assert len(recorded) == IMPORT
    after = ledger  # brought up to date with what the live writer recorded since
    history = after.history(CASE)
    assert len(history) == 5 + IMPORT + payments  # nothing lost, nothing twice
    live_seqs = [f.seq or 0 for f in history if (f.client_ref or "").startswith("live")]
    first_import, last_import = recorded[0].seq or 0, recorded[-1].seq or 0
    assert any(s < first_import for s in live_seqs)
    assert any(s > last_import for s in live_seqs)
    assert [f.seq for f in recorded] == list(range(first_import, last_import + 1))
    view = after.balances(CASE, FAR)
    assert view.claim("C1").paid == Money(100 * payments)
    assert view.claim("C2").paid == Money(IMPORT)
    assert conflicts == 0 or conflicts < payments  # waits, at most a rare busy retry


def _pay(ledger: Ledger, amount: str = "1.00", ref: str | None = None) -> PaymentMade:
    return ledger.pay(
        CASE,
        "C1",
        amount=amount,
        paid_on=date(2023, 1, 1),
        basis="plan_dividend",
        client_ref=ref,
    )


def _unlocked_writer_saves_first(first: Ledger, second: Ledger) -> None:
    """Makes `second`'s next write meet a payment of `first` that landed between its
    look at the store and its save, as a writer that does not take the case's
    write lock (an older plandebt, a script on eventsourcing) would leave it."""
    second.history(CASE)
    _pay(first, "3.00")
    stale = Ledger._load
    calls = []

    def stale_once(self: Ledger, ref: str, fresh: bool = False):  # type: ignore[no-untyped-def]
        calls.append(ref)
        return stale(self, ref, fresh=fresh and len(calls) > 1)

    return mock.patch.object(Ledger, "_load", stale_once)  # type: ignore[return-value]


def test_record_is_decided_again_on_the_fresh_state_after_a_conflict(store) -> None:
    first = store.open()
    open_basic_case(first)
    second = store.open()
    with _unlocked_writer_saves_first(first, second):
        paid = _pay(second, "2.00", ref="second-1")
    assert paid.seq == 7  # after the other writer's payment, not in its place
    assert store.open().balances(CASE, FAR).claim("C1").paid == Money(500)
    assert _pay(second, "2.00", ref="second-1") == paid  # and once only


def test_a_conflict_that_persists_is_a_conflict_error_and_writes_nothing(store) -> None:
    ledger = store.open()
    open_basic_case(ledger)
    before = snapshot(ledger)
    tries = []

    def refuse(*args: object, **kwargs: object) -> None:
        tries.append(1)
        raise IntegrityError("duplicate key (another writer)")

    sessions = (storage._PlainSession, storage._SQLiteSession)
    patches = [mock.patch.object(s, "insert", refuse) for s in sessions]
    if store.name == "postgres":
        from plandebt import storage_postgres

        patches.append(
            mock.patch.object(storage_postgres.PostgresWrite, "insert", refuse)
        )
    for p in patches:
        p.start()
    try:
        with pytest.raises(ConflictError, match="3 attempts"):
            _pay(ledger)
    finally:
        for p in patches:
            p.stop()
    assert len(tries) == 3
    assert snapshot(store.open()) == before


def test_the_cli_record_retries_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "plandebt.db")
    first, second = Ledger.open(db), Ledger.open(db)
    open_basic_case(first)
    journal = tmp_path / "journal.jsonl"
    fact = PaymentMade.build(
        case=CASE,
        claim="C2",
        amount="9.00",
        effective_on="2023-01-01",
        basis="plan_dividend",
    )
    journal.write_text(json.dumps(fact.payload()) + "\n")
    with (
        _unlocked_writer_saves_first(first, second),
        mock.patch("plandebt.cli.store.Ledger.open", return_value=second),
    ):
        assert main(["--db", db, "record", str(journal)]) == 0
    assert "recorded 1 facts" in capsys.readouterr().out
    view = Ledger.open(db).balances(CASE, FAR)
    assert view.claim("C1").paid == Money(300)
    assert view.claim("C2").paid == Money(900)


def test_a_writer_waits_for_the_case_then_gives_up_in_bounded_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage, "LOCK_TIMEOUT", 1)
    db = str(tmp_path / "plandebt.db")
    holder, waiter = Ledger.open(db), Ledger.open(db)
    open_basic_case(holder)
    waiter.history(CASE)
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:  # SQLite's write lock, held by another writer of the file
        with storage.writing(holder.app, [CaseStream.create_id(CASE)]):
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    assert holding.wait(10)
    started = time.monotonic()
    try:
        with pytest.raises(ConflictError, match="being written by another writer"):
            _pay(waiter)
    finally:
        release.set()
        thread.join(10)
    assert time.monotonic() - started < 5
    _pay(waiter)
    assert waiter.balances(CASE, FAR).claim("C1").paid == Money(100)


def test_a_reader_of_now_waits_for_the_write_in_progress(store) -> None:
    ledger = store.open()
    open_basic_case(ledger)
    reader = store.open()
    reader.history(CASE)
    holding, release = threading.Event(), threading.Event()
    answer: list[int] = []

    def write_slowly() -> None:
        def progress(done: int, total: int) -> None:
            holding.set()
            release.wait(10)  # the write holds the case, its times already taken

        ledger.record_all(bulk(3), progress=progress)

    writer = threading.Thread(target=write_slowly)
    writer.start()
    assert holding.wait(10)
    from datetime import UTC, datetime

    asked = threading.Thread(
        target=lambda: answer.append(
            reader.balances(CASE, FAR, known_at=datetime.now(UTC)).position
        )
    )
    asked.start()
    time.sleep(0.3)
    assert answer == []  # still waiting: the write's facts are stamped before now
    release.set()
    writer.join(10)
    asked.join(10)
    assert answer == [8]
