"""Snapshots: idempotent under races, compact, pruned, and checked before use."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from unittest import mock

from eventsourcing.domain import Snapshot
from eventsourcing.persistence import IntegrityError, OperationalError
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.helpers import CASE, open_basic_case
from tests.reliability_workers import bulk, payment

from plandebt import Ledger, snapshots, storage
from plandebt.storage import CaseStream
from plandebt.strategies import plan_histories

FAR = date(2030, 1, 1)
STREAM = CaseStream.create_id(CASE)


def parts(ledger: Ledger) -> list[Any]:
    assert ledger.app.snapshots is not None
    return sorted(ledger.app.snapshots.get(STREAM), key=lambda p: p.originator_version)


def same_answers(
    one: Ledger, other: Ledger, case: str = CASE, *, same_store: bool = True
) -> None:
    """`other` answers as `one` does at every position (and, on the same store,
    holds the same journal)."""
    head = len(one.history(case))
    assert len(other.history(case)) == head
    for k in sorted({0, 1, head // 3, head // 2, head - 1, head}):
        for day in (date(2022, 6, 1), date(2023, 1, 1), FAR):
            assert one.balances(case, day, known_at=k) == other.balances(
                case, day, known_at=k
            )
    if same_store:
        assert list(one.export(case)) == list(other.export(case))
    else:
        assert [f.payload() for f in one.history(case)] == [
            f.payload() for f in other.history(case)
        ]


def test_two_ledgers_crossing_a_snapshot_boundary_store_it_once(store) -> None:
    first = store.open()
    first.snapshot_interval = 10
    open_basic_case(first)
    second = store.open()
    second.snapshot_interval = 10
    second.history(CASE)  # loaded before any snapshot: it will cut the same part
    for i in range(3):
        first.record(payment("C1", f"a{i}"))
    for i in range(3):
        second.record(payment("C1", f"b{i}"))  # the 10th fact: a part (1..10)
    first.record(payment("C1", "a3"))  # first crosses it too: the same part again
    assert [(p.state["first"], p.state["last"]) for p in parts(first)] == [(1, 10)]
    assert len(first.history(CASE)) == 12
    same_answers(first, store.open())


def test_concurrent_writers_around_snapshot_boundaries_never_fail(store) -> None:
    ledger = store.open()
    open_basic_case(ledger)
    writers = [store.open() for _ in range(2)]
    errors: list[BaseException] = []

    def work(writer: Ledger, tag: str) -> None:
        writer.snapshot_interval = 3
        try:
            for i in range(25):
                writer.record(payment("C1", f"{tag}-{i}"))
        except BaseException as e:
            errors.append(e)

    threads = [
        threading.Thread(target=work, args=(w, t))
        for w, t in zip(writers, ["x", "y"], strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert len(ledger.history(CASE)) == 55  # every payment once
    reloaded = store.open()
    reloaded.snapshot_interval = 0
    same_answers(ledger, reloaded)


def test_a_snapshot_the_store_refuses_never_fails_the_recording(store) -> None:
    ledger = store.open()
    ledger.snapshot_interval = 0
    open_basic_case(ledger)
    for error in (IntegrityError("already there"), OperationalError("disk full")):
        writer = store.open()
        writer.snapshot_interval = 5  # a part is due at its first recording
        with mock.patch.object(snapshots, "put_snapshot", side_effect=error) as put:
            paid = writer.record(payment("C1", f"p-{type(error).__name__}"))
        assert put.called
        assert paid.seq is not None
    # Nothing to send again: each payment was recorded once.
    assert len(store.open().history(CASE)) == 7


def test_snapshots_hold_each_fact_once(store) -> None:
    ledger = store.open()
    ledger.snapshot_interval = 100
    open_basic_case(ledger)
    ledger.record_all(bulk(1_000))
    held = parts(ledger)
    assert [(p.state["first"], p.state["last"]) for p in held] == [
        (k * 100 + 1, (k + 1) * 100) for k in range(10)
    ]
    assert sum(p.state["count"] for p in held) == 1_000
    events = ledger.app.recorder.select_events(STREAM)
    assert sum(len(p.state["facts"]) for p in held) < 1.1 * sum(
        len(e.state) for e in events
    )
    same_answers(ledger, store.open())


@settings(max_examples=15)
@given(plan_histories(), st.lists(st.integers(0, 7), min_size=2, max_size=4), st.data())
def test_answers_after_a_load_from_snapshots_equal_a_replay(
    facts, intervals, data
) -> None:
    # Writers with different intervals (and some manual snapshots) cut parts that
    # overlap or leave gaps; a new reader gets the same answers as a replay.
    plain = Ledger.open("memory", snapshot_interval=0)
    store = Ledger.open("memory")
    writers = [Ledger(store.app, snapshot_interval=i) for i in intervals]
    for fact in facts:
        plain.record(fact)
        writer = writers[data.draw(st.integers(0, len(writers) - 1))]
        writer.record(fact)
        if data.draw(st.integers(0, 9)) == 0:
            writer.snapshot(fact.case)
    reader = Ledger(store.app)
    case = facts[0].case
    same_answers(plain, reader, case, same_store=False)
    rebuilt = Ledger(store.app)
    rebuilt.rebuild()  # every event, no snapshot
    assert list(reader.export(case)) == list(rebuilt.export(case))
    for day in (date(2020, 1, 1), date(2026, 1, 1), FAR):
        assert reader.plan_status(case, day) == plain.plan_status(case, day)


def _replace_part(ledger: Ledger, version: int, change: Any) -> None:
    """Stores the part at `version` again, changed by `change(state)`."""
    (old,) = [p for p in parts(ledger) if p.originator_version == version]
    state = dict(old.state)
    change(state)
    storage.delete_snapshots(ledger.app, STREAM, [version])
    assert ledger.app.snapshots is not None
    ledger.app.snapshots.put(
        [
            Snapshot(
                originator_id=STREAM,
                originator_version=version,
                timestamp=datetime.now(UTC),
                topic=old.topic,
                state=state,
            )
        ]
    )


def _redigest(state: dict[str, Any]) -> None:
    state["digest"] = snapshots._digest(state["facts"])


def test_a_damaged_snapshot_is_noticed_deleted_and_read_from_the_events(store) -> None:
    ledger = store.open()
    ledger.snapshot_interval = 10
    open_basic_case(ledger)
    ledger.record_all(bulk(25))  # parts 1..10, 11..20, 21..30
    replay = store.open()
    replay.snapshot_interval = 0
    # A byte of the newest part changed: its digest no longer matches.
    _replace_part(
        ledger, 31, lambda s: s.update(facts=s["facts"].replace('"0.01"', '"9.99"', 1))
    )

    # The oldest part rewritten whole, digest and all, from another history: its
    # end does not carry the store's fact at position 10.
    def other_history(state: dict[str, Any]) -> None:
        held = json.loads(state["facts"])
        held[-1]["amount"] = "7.77"
        state["facts"] = json.dumps(held, separators=(",", ":"), ensure_ascii=False)
        _redigest(state)

    _replace_part(ledger, 11, other_history)
    with mock.patch.object(snapshots.log, "warning") as warned:
        reader = store.open()
        reader.snapshot_interval = 10
        same_answers(replay, reader)
    assert warned.call_count == 2
    # The damaged parts were deleted; the one before the intact part was stored
    # again from the events (the newest is cut again at the next recording).
    again = parts(store.open())
    assert [(p.state["first"], p.state["last"]) for p in again] == [(1, 10), (11, 20)]
    writer = store.open()
    writer.snapshot_interval = 10
    writer.record(payment("C1", "after"))
    assert [(p.state["first"], p.state["last"]) for p in parts(writer)] == [
        (1, 10),
        (11, 20),
        (21, 30),
    ]
    same_answers(replay, store.open())


def test_snapshots_ahead_of_the_events_are_noticed(tmp_path: Path) -> None:
    # The events restored from an older backup, the snapshots left as they were.
    path = tmp_path / "plandebt.db"
    ledger = Ledger.open(path, snapshot_interval=10)
    open_basic_case(ledger)
    ledger.record_all(bulk(25))
    ledger.close()
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM stored_events WHERE originator_version > 8")
    reader = Ledger.open(path)
    assert len(reader.history(CASE)) == 7  # what the events hold, not the parts
    assert reader.balances(CASE, FAR).claim("C2").paid.cents == 2


def _legacy_snapshot(ledger: Ledger, facts: int) -> Snapshot:
    """A snapshot as earlier versions wrote it: the whole log up to a version, as
    stored (a creditor's name sealed, as the events hold it)."""
    log = ledger.history(CASE)[:facts]
    state = ledger.index(CASE).state
    return Snapshot(
        originator_id=STREAM,
        originator_version=facts + 1,
        timestamp=datetime.now(UTC),
        topic=storage.STREAM_TOPIC,
        state={
            "_created_on": datetime.now(UTC),
            "_modified_on": datetime.now(UTC),
            "case": CASE,
            "facts": [ledger.personal.seal(state, f.to_dict()) for f in log],
        },
    )


def test_snapshots_of_earlier_versions_are_read_then_pruned(store) -> None:
    ledger = store.open()
    ledger.snapshot_interval = 0
    open_basic_case(ledger)
    ledger.record_all(bulk(25))
    assert ledger.app.snapshots is not None
    ledger.app.snapshots.put(
        [_legacy_snapshot(ledger, 10), _legacy_snapshot(ledger, 20)]
    )
    reader = store.open()
    reader.snapshot_interval = 10
    same_answers(ledger, reader)
    assert [p.originator_version for p in parts(ledger)] == [21]  # 11 was pruned
    reader.record_all(bulk(10, tag="more"))  # now 40 facts: a new part 21..30
    assert [p.originator_version for p in parts(ledger)] == [21, 31, 41]
    same_answers(reader, store.open())


def test_after_a_rebuild_the_parts_stored_are_not_cut_again(store) -> None:
    ledger = store.open()
    ledger.snapshot_interval = 10
    open_basic_case(ledger)
    ledger.record_all(bulk(35))  # parts up to 40
    rebuilt = store.open()
    rebuilt.snapshot_interval = 10
    rebuilt.rebuild()  # reads the events, not the snapshots
    with mock.patch.object(
        snapshots, "put_snapshot", wraps=storage.put_snapshot
    ) as put:
        rebuilt.record_all(bulk(10, tag="more"))  # 50 facts: one new part
    assert put.call_count == 1
    assert [p.state["last"] for p in parts(rebuilt)] == [10, 20, 30, 40, 50]
