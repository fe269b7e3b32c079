"""The floors each plandebt figure is set against, measured in the same run on the
same backend: what the same work costs without plandebt on top.

- the plain driver reading the stored rows and `json.loads` of their state (rebuild),
  and the same reads plus `executemany` inserts (the SQL view's catch-up);
- eventsourcing's own `app.save()` of as many events of the same size, in batches
  (ingest) or one at a time (an append);
- a sum of the payments over `Ledger.history` (the queries).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from benchmarks.timing import sample, timed
from benchmarks.workload import BATCH, Backend
from plandebt.events import Fact, PaymentMade
from plandebt.ledger import Ledger
from plandebt.storage import STARTED_TOPIC

#: What the floor of a SQL projection hard-codes (the view itself reads
#: `projections.postings`): kind -> (column, claim field, sign).
MOVEMENT_FEEDS = {
    "claim.declared": ("declared", "claim", 1),
    "payment.made": ("paid", "claim", 1),
    "remission.granted": ("remission", "claim", 1),
    "claim.interest_accrued": ("interest", "claim", 1),
    "claim.written_off": ("written_off", "claim", 1),
    "claim.waiver_revived": ("written_off", "claim", -1),
    "ags.advanced": ("subrogated", "employee_claim", 1),
}

# --- eventsourcing without plandebt ------------------------------------------------------


class Floor(Aggregate):
    """A minimal aggregate: one event kind with a dict payload."""

    @event("Created")
    def __init__(self, name: str) -> None:
        self.name = name

    @event("Happened")
    def happen(self, data: dict[str, Any]) -> None:
        pass


class FloorApp(Application[uuid.UUID]):
    name = "floor"


def floor_payloads(facts: list[Fact]) -> list[dict[str, Any]]:
    """Dict payloads of the same shape and size as the stored facts."""
    now = datetime(2024, 1, 1, tzinfo=UTC).isoformat()
    return [dict(f.to_dict(), seq=i + 1, recorded_at=now) for i, f in enumerate(facts)]


def floor_ingest(env: dict[str, str], payloads: list[dict[str, Any]]) -> float:
    """Saves the payloads BATCH events per `app.save()` (one aggregate per batch:
    its creation plus BATCH - 1 events). Returns the seconds taken."""
    app = FloorApp(env=env)
    with timed() as clock:
        for i in range(0, len(payloads), BATCH):
            aggregate = Floor(name=f"floor-{i}")
            for data in payloads[i + 1 : i + BATCH]:
                aggregate.happen(data=data)
            app.save(aggregate)
    app.close()
    return clock.seconds


def floor_single_saves(
    env: dict[str, str], fact: Fact, runs: int, budget: float, min_runs: int
) -> list[float]:
    """Seconds of each single-event `app.save()` of a payload the size of `fact`, onto
    one aggregate, sampled as the append it is set against."""
    app = FloorApp(env=env)
    aggregate = Floor(name="single")
    app.save(aggregate)
    data = floor_payloads([fact])[0]

    def save_one(_i: int) -> None:
        aggregate.happen(data=data)
        app.save(aggregate)

    times = sample(save_one, runs, budget, min_runs)
    app.close()
    return times


# --- the plain driver --------------------------------------------------------------------


def raw_read(backend: Backend, label: str) -> tuple[int, float, float]:
    """Plain driver: every row of the events table in order, json.loads of its
    state. Returns (rows, seconds, mean state bytes)."""
    with timed() as clock:
        conn = backend.connect(label)
        table = backend.events_table(conn, label)
        count = size = 0
        cursor = conn.cursor()
        cursor.execute(f"SELECT state FROM {table} ORDER BY {backend.order_column}")
        for (state,) in cursor:
            json.loads(state)
            count += 1
            size += len(state)
    cursor.close()
    conn.close()
    return count, clock.seconds, size / max(count, 1)


def raw_catch_up(
    backend: Backend, label: str, page_size: int = 1000
) -> tuple[int, float]:
    """The floor of a SQL projection following the log: pages of rows read with
    the plain driver, json.loads, one movement row per money fact (creditor
    looked up in a dict) inserted with executemany, the position kept in the same
    transaction. Returns (facts applied, seconds)."""
    conn = backend.connect(label)
    table = backend.events_table(conn, label)
    order = backend.order_column
    p = backend.placeholder()
    cur = conn.cursor()
    cur.execute(
        "CREATE TABLE floor_movements (case_ref TEXT, seq INTEGER, "
        "recorded_at TEXT, fact_id TEXT, claim TEXT, creditor TEXT, bucket TEXT, "
        "effective_on TEXT, cents BIGINT)"
    )
    cur.execute("CREATE TABLE floor_tracking (name TEXT PRIMARY KEY, pos BIGINT)")
    cur.execute("INSERT INTO floor_tracking VALUES ('floor', 0)")
    conn.commit()
    insert = f"INSERT INTO floor_movements VALUES ({', '.join([p] * 9)})"
    creditors: dict[tuple[str, str], str] = {}
    applied = 0
    position = 0
    with timed() as clock:
        while True:
            cur.execute(
                f"SELECT {order}, topic, state FROM {table} "
                f"WHERE {order} > {p} ORDER BY {order} LIMIT {page_size}",
                (position,),
            )
            page = cur.fetchall()
            if not page:
                break
            rows = []
            for _id, topic, state in page:
                if topic == STARTED_TOPIC:
                    continue
                fact = json.loads(state)["fact"]
                applied += 1
                feed = MOVEMENT_FEEDS.get(fact["kind"])
                if feed is None:
                    continue
                bucket, claim_field, sign = feed
                claim = fact[claim_field]
                if fact["kind"] == "claim.declared":
                    creditors[fact["case"], claim] = fact["creditor"]
                rows.append(
                    (
                        fact["case"],
                        fact["seq"],
                        fact["recorded_at"],
                        fact["id"],
                        claim,
                        creditors.get((fact["case"], claim), ""),
                        bucket,
                        fact["effective_on"],
                        sign * round(float(fact["amount"]) * 100),
                    )
                )
            position = page[-1][0]
            if rows:
                cur.executemany(insert, rows)
            cur.execute(f"UPDATE floor_tracking SET pos = {p}", (position,))
            conn.commit()
    cur.close()
    conn.close()
    return applied, clock.seconds


# --- the ledger's own history ------------------------------------------------------------


def paid_over_history(ledger: Ledger, cases: Iterable[str]) -> int:
    """The least a balance query can do: walk each case's `history` (which, like every
    query, first asks the store for new events) and add up its payments."""
    return sum(
        f.amount.cents
        for case in cases
        for f in ledger.history(case)
        if isinstance(f, PaymentMade)
    )
