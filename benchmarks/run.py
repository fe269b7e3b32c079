"""The benchmark harness: each plandebt figure next to its floor measured in the same
run, on SQLite and/or PostgreSQL.

    python -m benchmarks.run [--small] [--events N] [--backend sqlite|postgres|both]
                             [--out docs/benchmarks.md]

(also: `--pg-url` for another server, `--no-profile`, and `--render-only` to write
the report again from the saved figures without measuring.)

It generates a synthetic portfolio of insolvency cases under a court-ordered plan:
each case is opened, registers creditors, declares and admits its claims, adopts a
10-year plan, then every plan year the debtor remits the instalment and the
supervisor pays one dividend per claim. Default: 1,000 cases × 100 claims × 10 years
of dividends (about 1.24M events; about 7.5 minutes on SQLite on a 2-core VM);
`--small`: 50 cases × 40 claims × 5 years (about 15k events, under half a minute
per backend). `--events N` keeps the shape and sets the number of cases to reach
about N events.

On each backend it measures, each figure next to its floor:

1. ingest through `Ledger.record_all` in batches, vs eventsourcing's batched
   `app.save()` of as many events of the same size into the same backend;
2. full rebuild (`Ledger.open(...).rebuild()`), vs a plain `sqlite3` / `psycopg`
   read of the stored events rows and `json.loads` of their state (SQLite: table
   `stored_events` in rowid order; PostgreSQL: `<schema>.plandebt_events`, named
   after the application, in `notification_id` order, state as bytea); and the
   same rebuild with the garbage collector off;
3. `balances` / `plan_status` / `schedule` latency (p50, p99) on a case of 1,000
   claims, as of dates across the plan and as known at positions across its log,
   vs a sum of the payments over `history(case)`, and again with the garbage
   collector off; `portfolio(as_of)` across every case, vs the same sum over every
   case (with `cases()` and the SQL view's `creditor_sums` as notes);
4. appending one fact to the loaded large case, vs a single-event `app.save()`;
5. `MovementsView.catch_up` over the whole store, vs plain reads and `executemany`
   inserts of the same rows;
6. memory: RSS of a fresh subprocess after `rebuild()` (and tracemalloc);
7. a cProfile of the rebuild ("Where the time goes"), and the main shares of a
   cProfile of `record_all` over the first 20,000 facts.

PostgreSQL: every store lives in a schema of its own (`plandebt_bench_<random>_…`),
created for the run and dropped at its end. Each run also writes its figures to
`benchmarks/results/<size>.json`; the report shows the latest figures of the other
sizes from there. The targets are those of the "Performance targets" section of the
architecture document. Timed tests are never used for this: run the harness and read
the report.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import math
import os
import platform
import pstats
import re
import resource
import secrets
import shlex
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from plandebt.events import (
    CaseOpened,
    ClaimAdmitted,
    ClaimDeclared,
    CreditorRegistered,
    Fact,
    PaymentMade,
)
from plandebt.events.plan import InstalmentRemitted, PlanAdopted
from plandebt.ledger import Ledger
from plandebt.movements import MovementsView
from plandebt.storage import STARTED_TOPIC, postgres_environment

#: What the floor of a SQL projection hard-codes (the view itself reads
#: `projections.postings`): kind -> (column, claim field, sign).
MOVEMENT_FEEDS = {
    "claim.declared": ("declared", "claim", 1),
    "payment.made": ("paid", "claim", 1),
    "remission.granted": ("remitted", "claim", 1),
    "claim.interest_accrued": ("interest", "claim", 1),
    "claim.written_off": ("written_off", "claim", 1),
    "claim.waiver_revived": ("written_off", "claim", -1),
    "ags.advanced": ("subrogated", "employee_claim", 1),
}

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
BATCH = 100
QUERY_CLAIMS = 1_000
QUERY_RUNS = 200  # at most, per query...
QUERY_BUDGET = 4.0  # ...or until this many seconds have passed (at least MIN_RUNS)
MIN_RUNS = 20
PORTFOLIO_RUNS = 20
PORTFOLIO_BUDGET = 20.0
PORTFOLIO_MIN_RUNS = 3
APPEND_RUNS = 50
MEMORY_JUDGED = 200_000  # events: below, the memory extrapolation is not judged
PROFILE_TOP = 12
OPENED_ON = date(2022, 3, 14)
DECLARED_ON = date(2022, 5, 10)
ADMITTED_ON = date(2022, 9, 20)
ADOPTED_ON = date(2023, 3, 20)
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"


# --- the synthetic portfolio (deterministic ids and amounts) ---------------------------


@dataclass(frozen=True)
class Shape:
    """cases × claims × years of plan dividends."""

    cases: int
    claims: int
    years: int

    @property
    def creditors(self) -> int:
        return max(self.claims // 4, 1)

    @property
    def per_case(self) -> int:
        # opening, creditors, declared + admitted claims, the plan, then each year
        # one remittance and one dividend per claim.
        return 1 + self.creditors + 2 * self.claims + 1 + self.years * (self.claims + 1)

    @property
    def events(self) -> int:
        return self.cases * self.per_case

    def describe(self) -> str:
        return (
            f"{self.cases:,} cases × {self.claims} claims × {self.years} years of "
            f"dividends = {self.events:,} events"
        )


SMALL = Shape(cases=50, claims=40, years=5)
DEFAULT = Shape(cases=1_000, claims=100, years=10)
PLAN_YEARS = 10  # the plan's duration; `years` of it are paid


def cents_text(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def claim_cents(k: int) -> int:
    return 1_000_000 + 1_700 * k  # 10,000.00 € + 17 € per claim number


def dividend_on(year: int) -> date:
    return ADOPTED_ON.replace(year=ADOPTED_ON.year + year)


def case_setup(case: str, claims: int, creditors: int) -> list[Fact]:
    """A case up to its plan: opening, creditors, claims declared and admitted, a
    10-year plan paying 10 % a year."""
    facts: list[Fact] = [
        CaseOpened.build(
            case=case,
            id=f"{case}-opening",
            effective_on=OPENED_ON,
            procedure="redressement_judiciaire",
            court="Tribunal judiciaire de Bench",
            debtor=f"Debtor of {case}",
            judgment_ref=f"RG {case}",
        )
    ]
    for c in range(creditors):
        facts.append(
            CreditorRegistered.build(
                case=case,
                id=f"{case}-cr-{c}",
                effective_on=OPENED_ON,
                creditor=f"CR{c}",
                name=f"Creditor number {c}",
                creditor_kind="supplier",
            )
        )
    for k in range(claims):
        facts.append(
            ClaimDeclared.build(
                case=case,
                id=f"{case}-decl-{k}",
                effective_on=DECLARED_ON,
                claim=f"CL{k}",
                creditor=f"CR{k % creditors}",
                amount=cents_text(claim_cents(k)),
                origin_on=date(2021, 12, 31),
                rank="unsecured",
                declared_by="creditor",
            )
        )
    for k in range(claims):
        facts.append(
            ClaimAdmitted.build(
                case=case,
                id=f"{case}-adm-{k}",
                effective_on=ADMITTED_ON,
                claim=f"CL{k}",
                decision_ref="Ordonnance JC 22/45",
            )
        )
    facts.append(
        PlanAdopted.build(
            case=case,
            id=f"{case}-plan",
            effective_on=ADOPTED_ON,
            duration_years=PLAN_YEARS,
            supervisor="Me Commissaire",
            options=[{"option": "uniform", "percents": ["10"] * PLAN_YEARS}],
            uniform_option="uniform",
            default_option="uniform",
        )
    )
    return facts


def plan_year(case: str, claims: int, year: int) -> list[Fact]:
    """One plan year: the debtor remits the instalment, the supervisor pays a
    dividend of 10 % on every claim."""
    due = dividend_on(year)
    total = sum(claim_cents(k) // 10 for k in range(claims))
    facts: list[Fact] = [
        InstalmentRemitted.build(
            case=case,
            id=f"{case}-remit-{year}",
            effective_on=due - timedelta(days=10),
            amount=cents_text(total),
        )
    ]
    for k in range(claims):
        facts.append(
            PaymentMade.build(
                case=case,
                id=f"{case}-div-{k}-{year}",
                effective_on=due,
                claim=f"CL{k}",
                amount=cents_text(claim_cents(k) // 10),
                basis="plan_dividend",
            )
        )
    return facts


def case_ref(c: int) -> str:
    return f"BENCH-{c:04d}"


def portfolio_facts(shape: Shape) -> list[Fact]:
    """Every case up to its plan, then year after year each case's remittance and
    dividends (the log interleaves the cases as a real office's would)."""
    facts: list[Fact] = []
    for c in range(shape.cases):
        facts += case_setup(case_ref(c), shape.claims, shape.creditors)
    for year in range(1, shape.years + 1):
        for c in range(shape.cases):
            facts += plan_year(case_ref(c), shape.claims, year)
    return facts


def query_case_facts(case: str, years: int) -> tuple[list[Fact], int]:
    """The large case of the query targets: 1,000 claims, `years` of dividends.
    Returns the facts and the length of its setup (before the first remittance)."""
    setup = case_setup(case, QUERY_CLAIMS, QUERY_CLAIMS // 10)
    facts = list(setup)
    for year in range(1, years + 1):
        facts += plan_year(case, QUERY_CLAIMS, year)
    return facts, len(setup)


def batches(facts: list[Fact], size: int = BATCH) -> Iterator[list[Fact]]:
    for i in range(0, len(facts), size):
        yield facts[i : i + size]


class FixedClock:
    """A clock that moves 1 ms per call, so that recording times are deterministic
    and every batch has its own `known_at`."""

    def __init__(self) -> None:
        self.now = datetime(2024, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=1)
        return self.now


# --- the eventsourcing floor ------------------------------------------------------------


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
    start = time.perf_counter()
    for i in range(0, len(payloads), BATCH):
        aggregate = Floor(name=f"floor-{i}")
        for data in payloads[i + 1 : i + BATCH]:
            aggregate.happen(data=data)
        app.save(aggregate)
    elapsed = time.perf_counter() - start
    app.close()
    return elapsed


# --- backends ---------------------------------------------------------------------------


class Backend:
    """Where the stores of a run live: one store (SQLite file or PostgreSQL schema)
    per label, and the plain-driver floors that read them."""

    name = ""
    title = ""
    order_column = ""

    def target(self, label: str) -> str:
        raise NotImplementedError

    def env(self, label: str) -> dict[str, str]:
        raise NotImplementedError

    def connect(self, label: str) -> Any:
        raise NotImplementedError

    def events_table(self, conn: Any, label: str) -> str:
        raise NotImplementedError

    def placeholder(self) -> str:
        return "?"

    def close(self) -> None:
        pass

    def version(self) -> str:
        raise NotImplementedError

    # --- the raw floors ------------------------------------------------------------------

    def raw_read(self, label: str) -> tuple[int, float, float]:
        """Plain driver: every row of the events table in order, json.loads of its
        state. Returns (rows, seconds, mean state bytes)."""
        start = time.perf_counter()
        conn = self.connect(label)
        table = self.events_table(conn, label)
        count = size = 0
        cursor = conn.cursor()
        cursor.execute(f"SELECT state FROM {table} ORDER BY {self.order_column}")
        for (state,) in cursor:
            json.loads(state)
            count += 1
            size += len(state)
        elapsed = time.perf_counter() - start
        cursor.close()
        conn.close()
        return count, elapsed, size / max(count, 1)

    def raw_catch_up(self, label: str, page_size: int = 1000) -> tuple[int, float]:
        """The floor of a SQL projection following the log: pages of rows read with
        the plain driver, json.loads, one movement row per money fact (creditor
        looked up in a dict) inserted with executemany, the position kept in the same
        transaction. Returns (facts applied, seconds)."""
        conn = self.connect(label)
        table = self.events_table(conn, label)
        p = self.placeholder()
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
        start = time.perf_counter()
        while True:
            cur.execute(
                f"SELECT {self.order_column}, topic, state FROM {table} "
                f"WHERE {self.order_column} > {p} ORDER BY {self.order_column} "
                f"LIMIT {page_size}",
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
        elapsed = time.perf_counter() - start
        cur.close()
        conn.close()
        return applied, elapsed


class SQLiteBackend(Backend):
    name = "sqlite"
    title = "SQLite"
    order_column = "rowid"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def target(self, label: str) -> str:
        return str(self.folder / f"{label}.db")

    def env(self, label: str) -> dict[str, str]:
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": self.target(label),
            "SQLITE_LOCK_TIMEOUT": "10",
        }

    def connect(self, label: str) -> Any:
        return sqlite3.connect(self.target(label))

    def events_table(self, conn: Any, label: str) -> str:
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table'"
        ):
            columns = {row[1] for row in conn.execute(f'PRAGMA table_info("{name}")')}
            if {"state", "topic", "originator_id"} <= columns:
                return f'"{name}"'
        raise RuntimeError(f"no events table in {self.target(label)}")

    def version(self) -> str:
        return f"SQLite {sqlite3.sqlite_version} (files in a temporary folder)"


class PostgresBackend(Backend):
    name = "postgres"
    title = "PostgreSQL"
    order_column = "notification_id"

    def __init__(self, url: str) -> None:
        import psycopg

        self.psycopg = psycopg
        self.url = url
        self.token = secrets.token_hex(4)
        self.schemas: dict[str, str] = {}
        with psycopg.connect(self.url) as conn:
            self._version = str(conn.execute("SHOW server_version").fetchone()[0])

    def schema(self, label: str) -> str:
        if label not in self.schemas:
            name = f"plandebt_bench_{self.token}_{label}"
            with self.psycopg.connect(self.url, autocommit=True) as conn:
                conn.execute(f'CREATE SCHEMA "{name}"')
            self.schemas[label] = name
        return self.schemas[label]

    def target(self, label: str) -> str:
        return f"{self.url}?schema={self.schema(label)}"

    def env(self, label: str) -> dict[str, str]:
        return postgres_environment(self.target(label))

    def connect(self, label: str) -> Any:
        conn = self.psycopg.connect(self.url)
        conn.execute(f'SET search_path TO "{self.schema(label)}"')
        conn.commit()
        return conn

    def placeholder(self) -> str:
        return "%s"

    def events_table(self, conn: Any, label: str) -> str:
        schema = self.schema(label)
        rows = conn.execute(
            "SELECT table_name, array_agg(column_name::text) FROM "
            "information_schema.columns WHERE table_schema = %s GROUP BY table_name",
            (schema,),
        ).fetchall()
        for name, columns in rows:
            if {"state", "topic", "originator_id", "notification_id"} <= set(columns):
                return f'"{schema}"."{name}"'
        raise RuntimeError(f"no events table in schema {schema}")

    def close(self) -> None:
        with self.psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute("SET lock_timeout = '30s'")
            for name in self.schemas.values():
                conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        self.schemas.clear()

    def version(self) -> str:
        return (
            f"PostgreSQL {self._version} on {self.url.split('@')[-1]} (local TCP), "
            f"psycopg {self.psycopg.__version__}; one schema per store, dropped at "
            "the end"
        )


# --- helpers --------------------------------------------------------------------------------


def sample(
    fn: Callable[[int], Any], runs: int, budget: float, min_runs: int
) -> list[float]:
    """Seconds taken by fn(1), fn(2), ... after a warm-up fn(0): `runs` calls, or
    fewer once `budget` seconds have passed (never fewer than `min_runs`)."""
    fn(0)
    times: list[float] = []
    deadline = time.perf_counter() + budget
    for i in range(1, runs + 1):
        if i > min_runs and time.perf_counter() > deadline:
            break
        start = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - start)
    return times


def percentile(times: list[float], q: float) -> float:
    """Nearest-rank percentile, in ms (with fewer than 100 samples p99 is the max)."""
    ranked = sorted(times)
    return ranked[max(0, math.ceil(q / 100 * len(ranked)) - 1)] * 1000


def rss_mb(field: str = "VmRSS") -> float:
    """This process's resident memory (VmRSS) or its peak (VmHWM), in MiB. (The
    getrusage maxrss survives exec, so a child would report its parent's peak.)"""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory_child(target: str, mode: str) -> None:
    """Run in a fresh process: open the store, rebuild, print memory figures."""
    before = rss_mb()
    if mode == "tracemalloc":
        tracemalloc.start()
    ledger = Ledger.open(target)
    count = ledger.rebuild()
    out: dict[str, float] = {"events": count}
    if mode == "tracemalloc":
        current, peak = tracemalloc.get_traced_memory()
        out.update(current_mb=current / 2**20, peak_mb=peak / 2**20)
    else:
        out.update(before_mb=before, after_mb=rss_mb(), peak_rss_mb=rss_mb("VmHWM"))
    ledger.close()
    print(json.dumps(out))


def run_child(target: str, mode: str) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--memory-child", target, mode],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def times_text(ratio: float) -> str:
    return f"{ratio:.0f}x" if ratio >= 10 else f"{ratio:.2g}x"


def rate(count: float, seconds: float) -> str:
    return f"{count / seconds:,.0f} ev/s ({seconds:.2f} s)"


# --- the measurements ----------------------------------------------------------------------


@dataclass
class Report:
    """The figures of one backend."""

    backend: str
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # the same on every backend
    local: list[str] = field(default_factory=list)  # this backend's own
    profile: dict[str, Any] = field(default_factory=dict)
    figures: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0

    def add(
        self, what: str, figure: str, floor: str, ratio: str, target: str, verdict: str
    ) -> None:
        self.rows.append([what, figure, floor, ratio, target, verdict])
        print(f"  {what}: {figure} (floor {floor}; {ratio}) {verdict}", flush=True)


def ok(flag: bool) -> str:
    return "met" if flag else "**missed**"


class Bench:
    """The measurements of one backend, in order."""

    def __init__(self, backend: Backend, shape: Shape, facts: list[Fact]) -> None:
        self.backend = backend
        self.shape = shape
        self.facts = facts
        self.report = Report(backend.name)
        self.as_of = date(ADOPTED_ON.year + shape.years // 2, 6, 30)

    def run(self, profile: bool) -> Report:
        started = time.perf_counter()
        self.ingest()
        ledger = self.rebuild()
        if profile:
            self.profile_rebuild()
            self.profile_ingest()
        self.queries()
        self.catch_up(ledger)
        self.portfolio(ledger)
        ledger.close()
        self.memory()
        self.report.seconds = time.perf_counter() - started
        return self.report

    def ingest(self) -> None:
        b, r, facts = self.backend, self.report, self.facts
        ledger = Ledger.open(b.target("ledger"), clock=FixedClock())
        start = time.perf_counter()
        for batch in batches(facts):
            ledger.record_all(batch)
        elapsed = time.perf_counter() - start
        ledger.close()
        floor_elapsed = floor_ingest(b.env("floor"), floor_payloads(facts))
        _rows, _t, plandebt_bytes = b.raw_read("ledger")
        _rows, _t, floor_bytes = b.raw_read("floor")
        ratio = elapsed / floor_elapsed
        r.figures.update(ingest=len(facts) / elapsed, ingest_ratio=ratio)
        r.add(
            f"1. ingest, `record_all` batches of {BATCH} ({len(facts):,} facts, "
            f"{self.shape.cases:,} cases)",
            rate(len(facts), elapsed),
            f"{rate(len(facts), floor_elapsed)} (eventsourcing, {BATCH} events per "
            "`save()`)",
            f"{ratio:.2f}x slower",
            "within 2x",
            ok(ratio <= 2),
        )
        r.local.append(
            f"Mean stored state: plandebt {plandebt_bytes:.0f} bytes, "
            f"floor {floor_bytes:.0f} bytes per event."
        )

    def rebuild(self) -> Ledger:
        b, r = self.backend, self.report
        start = time.perf_counter()
        ledger = Ledger.open(b.target("ledger"))
        count = ledger.rebuild()
        elapsed = time.perf_counter() - start
        rows, raw_elapsed, _size = b.raw_read("ledger")
        ratio = elapsed / raw_elapsed * rows / count
        r.figures.update(rebuild=count / elapsed, rebuild_ratio=ratio)
        r.add(
            f"2. full rebuild, `Ledger.open` + `rebuild()` ({count:,} facts)",
            rate(count, elapsed),
            f"{rate(rows, raw_elapsed)} (plain driver + `json.loads`, {rows:,} rows)",
            f"{ratio:.2f}x slower",
            "≥ 100k ev/s and within 3x",
            ok(count / elapsed >= 100_000 and ratio <= 3),
        )
        # The same rebuild with the cyclic garbage collector off: how much of the
        # time is spent in collections over the growing heap of loaded facts.
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            quiet = Ledger.open(b.target("ledger"))
            quiet.rebuild()
            quiet_elapsed = time.perf_counter() - start
        finally:
            gc.enable()
        quiet.close()
        del quiet
        gc.collect()
        start = time.perf_counter()
        gc.collect()  # a full collection, with the rebuilt store held
        pause = (time.perf_counter() - start) * 1000
        r.figures.update(rebuild_nogc=count / quiet_elapsed, gc_pause_ms=pause)
        r.local.append(
            f"2. The same rebuild with the garbage collector off (`gc.disable()`): "
            f"{rate(count, quiet_elapsed)}, "
            f"{quiet_elapsed / raw_elapsed * rows / count:.2f}x the floor. One full "
            f"`gc.collect()` with the rebuilt store in memory takes {pause:,.0f} ms."
        )
        return ledger

    def profile_rebuild(self) -> None:
        ledger = Ledger.open(self.backend.target("ledger"))
        profiler = cProfile.Profile()
        # With the collector off: its pauses would be charged to whichever function
        # allocates when a collection starts; row 2's note measures them apart.
        gc.disable()
        try:
            start = time.perf_counter()
            profiler.enable()
            count = ledger.rebuild()
            profiler.disable()
            elapsed = time.perf_counter() - start
        finally:
            gc.enable()
        ledger.close()
        self.report.profile = summarise_profile(profiler, count, elapsed)

    def profile_ingest(self) -> None:
        """cProfile of `record_all` over the first INGEST_PROFILED facts, into a
        scratch store: only the shares of the main steps are reported."""
        facts = self.facts[:INGEST_PROFILED]
        ledger = Ledger.open(self.backend.target("scratch"), clock=FixedClock())
        profiler = cProfile.Profile()
        gc.disable()
        try:
            profiler.enable()
            for batch in batches(facts):
                ledger.record_all(batch)
            profiler.disable()
        finally:
            gc.enable()
        ledger.close()
        entries = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
        self.report.profile["ingest"] = {
            "events": len(facts),
            "keys": shares(entries, INGEST_KEYS),
        }

    def queries(self) -> None:
        b, r = self.backend, self.report
        case = "BENCH-QUERY"
        facts, setup = query_case_facts(case, self.shape.years)
        target = b.target("query")
        ledger = Ledger.open(target, clock=FixedClock())
        for batch in batches(facts):
            ledger.record_all(batch)
        ledger.close()

        ledger = Ledger.open(target, clock=FixedClock())
        head = len(ledger.history(case))
        span = head - setup
        # As of dates across the plan's life (different at each call), and as known
        # at positions across the dividends (each a new position: nothing cached).
        first = ADOPTED_ON - timedelta(days=30)
        days = 365 * (self.shape.years + 1)

        def as_of(i: int) -> date:
            return first + timedelta(days=(i * 97) % days)

        def known(i: int) -> int:
            return setup + 1 + (i * 7919) % span

        def cheapest(_i: int) -> int:
            return sum(
                f.amount.cents
                for f in ledger.history(case)
                if isinstance(f, PaymentMade)
            )

        base_times = sample(cheapest, QUERY_RUNS, QUERY_BUDGET, MIN_RUNS)
        base = percentile(base_times, 50)
        label = f"({QUERY_CLAIMS:,} claims, {head:,} facts)"
        checks: list[tuple[str, Callable[[int], Any], float]] = [
            (
                f"3a. `balances(case, as_of)` {label}",
                lambda i: ledger.balances(case, as_of(i)),
                10,
            ),
            (
                "3b. `balances(case, as_of, known_at=position)`",
                lambda i: ledger.balances(case, as_of(i), known_at=known(i)),
                50,
            ),
            (
                "3c. `plan_status(case, as_of)`",
                lambda i: ledger.plan_status(case, as_of(i)),
                10,
            ),
            (
                "3d. `plan_status(case, as_of, known_at=position)`",
                lambda i: ledger.plan_status(case, as_of(i), known_at=known(i)),
                50,
            ),
            ("3e. `schedule(case)`", lambda _i: ledger.schedule(case), 10),
        ]
        for what, fn, target_ms in checks:
            times = sample(fn, QUERY_RUNS, QUERY_BUDGET, MIN_RUNS)
            p50, p99 = percentile(times, 50), percentile(times, 99)
            key = what.split(".")[0]
            r.figures[f"q{key}_p50"] = p50
            r.figures[f"q{key}_p99"] = p99
            r.add(
                what,
                f"p50 {p50:.2f} ms, p99 {p99:.2f} ms (n={len(times)})",
                f"{base:.2f} ms (p50, sum of payments over `history(case)`)",
                times_text(p50 / base),
                f"< {target_ms} ms",
                ok(p50 < target_ms) + ("" if p99 < target_ms else " (p99 over)"),
            )
        # The same queries with the cyclic garbage collector off: what of the tail
        # is collections (over every object this process holds).
        quiet: dict[str, list[float]] = {}
        for what, fn, _target in (checks[0], checks[3]):
            gc.disable()
            try:
                quiet[what[:2]] = sample(fn, QUERY_RUNS, QUERY_BUDGET, MIN_RUNS)
            finally:
                gc.enable()
        r.figures.update(
            q3a_nogc_p99=percentile(quiet["3a"], 99),
            q3d_nogc_p50=percentile(quiet["3d"], 50),
            q3d_nogc_p99=percentile(quiet["3d"], 99),
        )
        r.local.append(
            "3. With the garbage collector off (`gc.disable()`), "
            + "; ".join(
                f"{key} gives p50 {percentile(times, 50):.2f} ms, p99 "
                f"{percentile(times, 99):.2f} ms (n={len(times)})"
                for key, times in quiet.items()
            )
            + "."
        )
        r.notes.append(
            f"3. Query case: {QUERY_CLAIMS:,} claims, {QUERY_CLAIMS // 10} creditors, "
            f"{self.shape.years} years of dividends ({head:,} facts). Each call asks a "
            f"different as_of date (from {first} across {days} days) and, for "
            "`known_at`, a different log position within the dividends, so the "
            "position-keyed caches of the index are mostly cold for 3b/3d; 3a/3c/3e "
            "ask at the head, where the plan schedule is cached after the first "
            "call. Measured in the process that holds the rebuilt portfolio store "
            f"({len(self.facts):,} facts), as a server would. Verdicts on the p50; "
            "'(p99 over)' flags a p99 above the target."
        )

        # 4. One more fact on the loaded large case, next to a single-event save().
        counter = iter(range(10**9))

        def pay(_i: int) -> None:
            n = next(counter)
            ledger.pay(
                case,
                f"CL{n % QUERY_CLAIMS}",
                id=f"{case}-append-{n}",
                amount="1.00",
                paid_on=(dividend_on(1) + timedelta(days=70)).isoformat(),
                basis="plan_dividend",
            )

        append = sample(pay, APPEND_RUNS, QUERY_BUDGET, MIN_RUNS)
        ledger.close()
        floor = FloorApp(env=b.env("floor_single"))
        aggregate = Floor(name="single")
        floor.save(aggregate)
        data = floor_payloads(facts[-1:])[0]

        def save_one(_i: int) -> None:
            aggregate.happen(data=data)
            floor.save(aggregate)

        single = sample(save_one, APPEND_RUNS, QUERY_BUDGET, MIN_RUNS)
        floor.close()
        append_ms, single_ms = percentile(append, 50), percentile(single, 50)
        r.add(
            f"4. append one fact (`pay`) to the loaded case ({head:,} facts)",
            f"p50 {append_ms:.2f} ms, p99 {percentile(append, 99):.2f} ms "
            f"(n={len(append)})",
            f"{single_ms:.2f} ms (p50, single-event `app.save()`)",
            f"{append_ms / single_ms:.1f}x",
            "no full replay",
            ok(append_ms < 10 * single_ms),
        )
        r.notes.append(
            '4. "no full replay" is judged met when an append costs under 10x a '
            "single-event save; a full replay of the case would cost about the "
            f"rebuild time of {head:,} facts."
        )

    def catch_up(self, ledger: Ledger) -> None:
        b, r = self.backend, self.report
        view = MovementsView(b.target("ledger"))
        start = time.perf_counter()
        applied = view.catch_up(ledger)
        elapsed = time.perf_counter() - start
        self.view = view
        floor_applied, floor_elapsed = b.raw_catch_up("ledger")
        ratio = (elapsed / applied) / (floor_elapsed / floor_applied)
        r.figures.update(catch_up=applied / elapsed, catch_up_ratio=ratio)
        r.add(
            f"5. `MovementsView.catch_up` from scratch ({applied:,} facts)",
            rate(applied, elapsed),
            f"{rate(floor_applied, floor_elapsed)} (plain driver pages + "
            "`executemany`, 1 row per money fact)",
            f"{ratio:.1f}x slower",
            "n/a",
            "n/a",
        )

    def portfolio(self, ledger: Ledger) -> None:
        r = self.report
        refs = ledger.cases()
        years = self.shape.years

        def as_of(i: int) -> date:
            return date(ADOPTED_ON.year + i % (years + 1), 6, 30)

        def cheapest(_i: int) -> int:
            return sum(
                f.amount.cents
                for ref in refs
                for f in ledger.history(ref)
                if isinstance(f, PaymentMade)
            )

        base = sample(
            cheapest, PORTFOLIO_RUNS, PORTFOLIO_BUDGET / 4, PORTFOLIO_MIN_RUNS
        )
        times = sample(
            lambda i: ledger.portfolio(as_of(i)),
            PORTFOLIO_RUNS,
            PORTFOLIO_BUDGET,
            PORTFOLIO_MIN_RUNS,
        )
        sql = sample(
            lambda i: self.view.creditor_sums(as_of(i)),
            PORTFOLIO_RUNS,
            PORTFOLIO_BUDGET / 4,
            PORTFOLIO_MIN_RUNS,
        )
        self.view.close()
        listing = sample(
            lambda _i: ledger.cases(), PORTFOLIO_RUNS, PORTFOLIO_BUDGET / 4, 3
        )
        r.figures.update(cases_p50=percentile(listing, 50))
        r.local.append(
            f"3f. Of which `cases()` (the case list, read from the log's "
            f"`Started` events) takes p50 {percentile(listing, 50):,.1f} ms "
            f"(n={len(listing)})."
        )
        p50, p99, base50 = (
            percentile(times, 50),
            percentile(times, 99),
            percentile(base, 50),
        )
        r.figures.update(portfolio_p50=p50, portfolio_p99=p99)
        r.add(
            f"3f. `portfolio(as_of)` across all {len(refs):,} cases",
            f"p50 {p50:,.0f} ms, p99 {p99:,.0f} ms (n={len(times)})",
            f"{base50:,.0f} ms (p50, sum of payments over every case's `history`)",
            times_text(p50 / base50),
            "n/a",
            "n/a",
        )
        r.notes.append(
            "3f. `portfolio` computes `plan_status` and `balances` of every case; "
            "as_of cycles over 30 June of each plan year. The floor walks the same "
            "cases through `history` (which, like every query, first asks the store "
            "for the case's new events)."
        )
        r.figures.update(creditor_sums_p50=percentile(sql, 50))
        r.local.append(
            f"3f. For comparison the SQL view's `MovementsView.creditor_sums(as_of)` "
            f"across all cases takes p50 {percentile(sql, 50):,.1f} ms "
            f"(n={len(sql)}), after the catch-up of row 5."
        )

    def memory(self) -> None:
        b, r = self.backend, self.report
        target = b.target("ledger")
        rss = run_child(target, "rss")
        traced = run_child(target, "tracemalloc")
        count = rss["events"]
        grown = rss["peak_rss_mb"] - rss["before_mb"]
        per_million = rss["before_mb"] + grown / count * 1e6
        r.figures.update(
            peak_rss_mb=rss["peak_rss_mb"],
            rss_per_million=per_million,
            memory_events=count,
        )
        judged = count >= MEMORY_JUDGED
        r.add(
            f"6. memory: fresh process, `rebuild()` ({count:,.0f} facts)",
            f"peak RSS {rss['peak_rss_mb']:,.0f} MB (after: {rss['after_mb']:,.0f} MB) "
            f"→ {per_million:,.0f} MB for 1M events",
            f"{rss['before_mb']:.0f} MB RSS after imports; tracemalloc "
            f"{traced['current_mb']:,.0f} MB held (peak {traced['peak_mb']:,.0f})",
            "n/a",
            "well under 2 GB per 1M",
            ok(per_million < 1500) if judged else "n/a (too few events)",
        )
        r.notes.append(
            "6. Peak RSS (VmHWM) of a fresh `python -m benchmarks.run --memory-child` "
            "that opens the store and rebuilds; for 1M: the RSS after imports plus "
            "the growth to the peak, extrapolated linearly. Under "
            f"{MEMORY_JUDGED:,} events the growth is mostly fixed costs (lazy "
            "imports, the driver's buffers) and no verdict is given."
        )
        r.local.append(
            f"6. Fresh process: {rss['before_mb']:.0f} MB after imports, peak "
            f"{rss['peak_rss_mb']:.0f} MB, {rss['after_mb']:.0f} MB after `rebuild()`"
            f" of {count:,.0f} facts; tracemalloc {traced['current_mb']:.0f} MB held."
        )


def summarise_profile(
    profiler: cProfile.Profile, count: int, elapsed: float
) -> dict[str, Any]:
    stats = pstats.Stats(profiler)
    entries = stats.stats  # type: ignore[attr-defined]
    total = sum(tt for (_cc, _nc, tt, _ct, _callers) in entries.values()) or 1.0
    functions = []
    groups: dict[str, float] = {}
    for (filename, line, name), (_cc, calls, tt, ct, _callers) in entries.items():
        where = short_place(filename, line, name)
        functions.append(
            {"function": where, "calls": calls, "own": tt, "cumulative": ct}
        )
        group = place_group(filename, name)
        groups[group] = groups.get(group, 0.0) + tt
    functions.sort(key=lambda f: -f["own"])
    keys = shares(entries, PROFILE_KEYS)
    return {
        "events": count,
        "seconds": elapsed,
        "total": total,
        "top": functions[:PROFILE_TOP],
        "groups": sorted(groups.items(), key=lambda kv: -kv[1])[:8],
        "keys": keys,
    }


def shares(entries: dict[Any, Any], keys: dict[str, tuple[str, str]]) -> dict:
    """The cumulative share of all profiled time of each named function (file
    fragment, function name); the largest if several match."""
    total = sum(stat[2] for stat in entries.values()) or 1.0
    return {
        label: max(
            (
                stat[3]
                for (filename, _line, fn), stat in entries.items()
                if fn == name and fragment in filename
            ),
            default=0.0,
        )
        / total
        for label, (fragment, name) in keys.items()
    }


#: Functions whose cumulative share of the rebuild "Next steps" quotes.
PROFILE_KEYS = {
    "decode": ("plandebt/events/base.py", "from_dict"),
    "index": ("plandebt/projections/index.py", "add"),
    "read": ("eventsourcing", "select_notifications"),
    "json": ("json/__init__.py", "loads"),
}
#: The same for `record_all` (profiled on the first INGEST_PROFILED facts).
INGEST_PROFILED = 20_000
INGEST_KEYS = {
    "stage": ("plandebt/ledger.py", "_stage"),
    "decide": ("plandebt/decisions.py", "decide"),
    "event": ("eventsourcing/domain.py", "trigger"),
    "to_dict": ("plandebt/events/base.py", "to_dict"),
    "index": ("plandebt/projections/index.py", "add"),
    "stamped": ("plandebt/events/base.py", "stamped"),
    "save": ("eventsourcing/application.py", "save"),
    "load": ("plandebt/ledger.py", "_load"),
}


def short_place(filename: str, line: int, name: str) -> str:
    if filename == "~":
        return name
    for marker in ("site-packages/", "/src/"):
        if marker in filename:
            filename = filename.split(marker, 1)[1]
            break
    filename = re.sub(r".*/lib/python3\.\d+/", "", filename)
    return f"{name} ({filename}:{line})"


def place_group(filename: str, name: str) -> str:
    if filename == "~":
        for driver in ("sqlite3", "psycopg", "json", "isoformat", "strptime"):
            if driver in name:
                return f"built-in: {driver}"
        return "built-in: other"
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1].split("/")[0]
    if "/src/plandebt/" in filename:
        return "plandebt/" + filename.split("/src/plandebt/", 1)[1]
    return "stdlib: " + re.sub(r".*/lib/python3\.\d+/", "", filename)


# --- the report ------------------------------------------------------------------------------


TITLES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def machine() -> str:
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as info:
            model = next(
                (
                    line.split(":", 1)[1].strip()
                    for line in info
                    if "model name" in line
                ),
                platform.processor() or "?",
            )
    except OSError:
        model = platform.processor() or "?"
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}, {model}), "
        f"{memory:.0f} GiB RAM, {platform.machine()}, Python "
        f"{platform.python_version()}, {platform.platform()}"
    )


def table(rows: list[list[str]]) -> list[str]:
    lines = [
        "| measurement | plandebt | floor (same run) | ratio | target | verdict |",
        "|---|---|---|---|---|---|",
    ]
    ordered = sorted(rows, key=lambda row: row[0].split()[0])
    return lines + ["| " + " | ".join(row) + " |" for row in ordered]


def profile_section(title: str, profile: dict[str, Any]) -> list[str]:
    total = profile["total"]
    keys = profile["keys"]
    lines = [
        f"### {title}: `rebuild()` of {profile['events']:,} facts under cProfile "
        f"({profile['seconds']:.1f} s with the profiler on, collector off)",
        "",
        f"Cumulative shares: decoding the facts (`Fact.from_dict`) "
        f"{keys['decode']:.0%}, indexing them (`CaseIndex.add`) {keys['index']:.0%}, "
        f"reading the pages through eventsourcing (`select_notifications`, driver "
        f"included) {keys['read']:.0%}, `json.loads` {keys['json']:.0%}.",
        "",
        "| where (own time, grouped) | % of time |",
        "|---|---|",
    ]
    lines += [f"| {group} | {tt / total:.0%} |" for group, tt in profile["groups"]]
    lines += [
        "",
        "| function (top by own time) | calls | own % | cumulative % |",
        "|---|---|---|---|",
    ]
    for f in profile["top"]:
        name = str(f["function"]).replace("|", "\\|")
        lines.append(
            f"| `{name}` | {f['calls']:,} | {f['own'] / total:.1%} | "
            f"{f['cumulative'] / total:.0%} |"
        )
    return lines


def next_steps(runs: list[dict[str, Any]]) -> list[str]:
    """What the figures call for, one item per topic, from this run and the other
    sizes' latest runs (for each backend, its biggest run)."""
    best: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
    for run in runs:
        for name, report in run["reports"].items():
            events = run["shape"]["cases"]
            if name not in best or events > best[name][0]["shape"]["cases"]:
                best[name] = (run, report)
    seen = {
        f"{TITLES[name]} ({run['size']})": report["figures"]
        for name, (run, report) in best.items()
    }
    profiles = [
        (f"{TITLES[name]} ({run['size']})", report["profile"]["keys"])
        for name, (run, report) in best.items()
        if report.get("profile")
    ]

    def where(test: Callable[[dict[str, float]], bool], say: str) -> str:
        return "; ".join(
            f"{title} {say.format(**f)}" for title, f in seen.items() if test(f)
        )

    steps: list[str] = []
    slow = where(
        lambda f: f.get("rebuild_ratio", 0) > 3 or f.get("rebuild", 1e9) < 100_000,
        "{rebuild:,.0f} ev/s, {rebuild_ratio:.1f}x the floor ({rebuild_nogc:,.0f} "
        "ev/s with the garbage collector off)",
    )
    if slow:
        title, keys = profiles[0] if profiles else ("", {})
        shares = (
            f" Under the profiler ({title}), decoding the facts (`Fact.from_dict` → "
            f"`build`, a decoder per field) is {keys['decode']:.0%} of the rebuild, "
            f"`CaseIndex.add` {keys['index']:.0%}, eventsourcing's page reads (UUID "
            f"conversion and row objects included) {keys['read']:.0%}, `json.loads` "
            f"{keys['json']:.0%}."
            if keys
            else ""
        )
        steps.append(
            f"Rebuild (target ≥ 100k ev/s and within 3x of the floor): {slow}."
            f"{shares} Already done: stored facts are converted without "
            "re-validation (`Fact.from_stored`), the cyclic collector is paused "
            "during the load and what was read is frozen (`gc.freeze()`). Next: one "
            "compiled constructor per fact class, decoding facts lazily on first "
            "use, and reading the rows directly as the floor does instead of "
            "through eventsourcing's row objects."
        )
    known = where(
        lambda f: f.get("q3d_p50", 0) > 50,
        "p50 {q3d_p50:.0f} ms / p99 {q3d_p99:.0f} ms against {q3c_p50:.0f} ms at "
        "the head",
    )
    if known:
        steps.append(
            f"`plan_status(known_at=...)` on the {QUERY_CLAIMS:,}-claim case (target "
            f"< 50 ms): {known}. The plan schedule is cached by log position, so "
            "each new `known_at` recomputes every claim's instalments "
            "(`_plan_schedule`). Keying the cache on the facts the schedule depends "
            "on (the plan facts and the admissions visible at that position) would "
            "make it a hit for most positions."
        )
    tail = where(
        lambda f: (
            (f.get("q3a_p99", 0) > 10 or f.get("q3d_p99", 0) > 50)
            and f.get("q3d_nogc_p99", 1e9) < f.get("q3d_p99", 0) / 2
        ),
        "3a p99 {q3a_p99:.0f} ms ({q3a_nogc_p99:.0f} ms with the collector off), "
        "3d p99 {q3d_p99:,.0f} ms ({q3d_nogc_p99:,.0f} ms off); one full "
        "`gc.collect()` {gc_pause_ms:,.0f} ms",
    )
    if tail:
        steps.append(
            f"Tail latency: {tail}. Full collections of the cyclic garbage "
            "collector walk every object the process holds, here the loaded "
            "portfolio; `gc.freeze()` after loading (or higher gen-2 thresholds) "
            "in long-running hosts, and fewer objects per fact, would cut it."
        )
    catch = where(
        lambda f: f.get("catch_up_ratio", 0) > 3,
        "{catch_up:,.0f} ev/s, {catch_up_ratio:.0f}x the floor",
    )
    if catch:
        steps.append(
            f"`MovementsView.catch_up`: {catch}. A page's rows are already written "
            "with one `executemany` per table, each claim's creditor is "
            "remembered and the stored JSON is read directly, as the rebuild "
            "does; what remains is building each fact and keeping the latest "
            "payload of every money fact (needed to reverse a later correction): "
            "keeping payloads only for facts that are corrected later (a second "
            "pass) is the next step."
        )
    ingest = where(
        lambda f: f.get("ingest_ratio", 0) > 2,
        "{ingest:,.0f} ev/s, {ingest_ratio:.2f}x the floor",
    )
    if ingest:
        steps.append(
            f"Ingest (target within 2x of eventsourcing's batched save): {ingest}. "
            "Staging the facts (validation, building the eventsourcing event, "
            "`to_dict`, indexing) costs as much as the save or more (shares under "
            '"Where the time goes"); a cheaper event construction (the fact dict '
            "straight into the stored event) is the first candidate."
        )
    folio = where(
        lambda f: "portfolio_p50" in f,
        "p50 {portfolio_p50:,.0f} ms (of which `cases()` {cases_p50:,.0f} ms; the "
        "SQL view's creditor totals {creditor_sums_p50:,.0f} ms)",
    )
    if folio:
        steps.append(
            f"`portfolio(as_of)`: {folio}. Each case costs a `plan_status` and a "
            "`balances`, each asking the store for the case's new events, and "
            "`cases()` reads the log's start events. Checking for new events once "
            "per portfolio, keeping the case list, and serving across-case totals "
            "from the SQL view are the options."
        )
    memory = where(
        lambda f: (
            f.get("rss_per_million", 0) >= 1500
            and f.get("memory_events", 0) >= MEMORY_JUDGED
        ),
        "{rss_per_million:,.0f} MB for 1M events",
    )
    if memory:
        steps.append(
            f"Memory (target well under 2 GB for 1M events): {memory}; judge on the "
            "default size."
        )
    if "postgres" not in best or best["postgres"][0]["size"] == "small":
        steps.append(
            "Run the default size on PostgreSQL too (not run here for time); repeat "
            "runs on a quieter machine to get a spread."
        )
    return steps or ["All targets met; watch the figures as the rule set grows."]


def render(run: dict[str, Any], others: list[dict[str, Any]]) -> str:
    shape = Shape(**run["shape"])
    reports = run["reports"]
    lines = [
        "# Benchmarks",
        "",
        f"Run on {run['when']} UTC by `{run['command']}` ({run['seconds']:.0f} s in "
        "all). The harness writes this file; regenerate it with the same command.",
        "",
        f"- Size: {run['size']} — {shape.describe()} in the portfolio store, plus a "
        f"query case of {QUERY_CLAIMS:,} claims in a store of its own.",
        f"- Machine: {run['machine']}.",
    ]
    for name in reports:
        lines.append(f"- {TITLES[name]}: {run['versions'][name]}.")
    if others:
        sizes = ", ".join(
            f"{o['size']} on {' and '.join(TITLES[n] for n in o['reports'])}"
            for o in others
        )
        lines.append(f"- Also run: {sizes} (tables at the end).")
    lines += [
        "- Each figure is measured next to its floor in the same run, on the same "
        "backend. Caveat: shared 2-core VM, single run; figures vary by ±10 % or "
        "more (the PostgreSQL server shares the 2 cores with the harness).",
        "",
    ]
    for name, r in reports.items():
        lines += [
            f"## {TITLES[name]} ({run['size']}, {r['seconds']:.0f} s)",
            "",
            *table(r["rows"]),
            "",
        ]
    lines += ["Notes:", ""]
    seen: list[str] = []
    for r in reports.values():
        seen += [note for note in r["notes"] if note not in seen]
    lines += [f"- {note}" for note in seen]
    for name, r in reports.items():
        lines += [f"- {TITLES[name]}: {note}" for note in r["local"]]
    profiled = {n: r for n, r in reports.items() if r["profile"]}
    if profiled:
        lines += [
            "",
            "## Where the time goes",
            "",
            "cProfile of a second full rebuild: own time per function as a share of "
            "all profiled time (the profiler slows pure-Python code more than C "
            "calls, so Python shares are overstated). The profiled rebuild runs "
            "with the garbage collector off: its pauses would be charged to "
            "whichever function allocates when a collection starts; the notes to "
            "row 2 measure them apart.",
            "",
        ]
        for name, r in profiled.items():
            lines += [*profile_section(TITLES[name], r["profile"]), ""]
            ingest = r["profile"].get("ingest")
            if ingest:
                k = ingest["keys"]
                lines += [
                    f"Ingest, for comparison (`record_all` of the first "
                    f"{ingest['events']:,} facts under cProfile, collector off, "
                    f"cumulative "
                    f"shares): staging the facts (`_stage`) {k['stage']:.0%} — "
                    f"validation (`decisions.decide`) {k['decide']:.0%}, the "
                    f"eventsourcing event (`trigger`) {k['event']:.0%}, "
                    f"`Fact.to_dict` {k['to_dict']:.0%}, `CaseIndex.add` "
                    f"{k['index']:.0%}, `stamped` {k['stamped']:.0%} —, loading "
                    f"the case (`_load`) {k['load']:.0%}, `app.save()` "
                    f"{k['save']:.0%}.",
                    "",
                ]
    lines += ["## Next steps", ""]
    lines += [f"- {step}" for step in next_steps([run, *others])]
    for other in others:
        lines += [
            "",
            f"## Other run: {other['size']} ({other['when']} UTC, "
            f"`{other['command']}`, {other['seconds']:.0f} s)",
            "",
            f"{Shape(**other['shape']).describe()}.",
            "",
        ]
        for name, r in other["reports"].items():
            lines += [f"### {TITLES[name]}", "", *table(r["rows"]), ""]
            lines += [f"- {note}" for note in r["local"]]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def size_label(small: bool, events: int | None) -> str:
    if events is not None:
        return f"events-{events}"
    return "small" if small else "default"


def load_others(label: str) -> list[dict[str, Any]]:
    others = []
    for path in sorted(RESULTS.glob("*.json")):
        if path.stem == label:
            continue
        try:
            others.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return others


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description="Measure plandebt next to its floors; write a Markdown report.",
    )
    parser.add_argument(
        "--small",
        action="store_true",
        help=f"the small portfolio ({SMALL.describe()}); default: {DEFAULT.describe()}",
    )
    parser.add_argument(
        "--events",
        type=int,
        help="about N events: the number of cases is set to reach it",
    )
    parser.add_argument(
        "--backend", choices=["sqlite", "postgres", "both"], default="sqlite"
    )
    parser.add_argument("--out", default="docs/benchmarks.md", help="'' to skip")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("PLANDEBT_BENCH_PG", DEFAULT_PG),
        help=f"PostgreSQL server and database (default {DEFAULT_PG})",
    )
    parser.add_argument(
        "--no-profile", action="store_true", help="skip the cProfile of the rebuild"
    )
    parser.add_argument(
        "--render-only",
        action="store_true",
        help="measure nothing: write the report from benchmarks/results/<size>.json",
    )
    parser.add_argument("--memory-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child:
        memory_child(*args.memory_child)
        return 0

    label = size_label(args.small, args.events)
    if args.render_only:
        run = json.loads((RESULTS / f"{label}.json").read_text(encoding="utf-8"))
    else:
        run = measure(args, label, argv)
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / f"{label}.json").write_text(
            json.dumps(run, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    text = render(run, load_others(label))
    print()
    print(text)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text, encoding="utf-8")
    return 0


def measure(args: argparse.Namespace, label: str, argv: list[str] | None) -> dict:
    shape = SMALL if args.small else DEFAULT
    if args.events is not None:
        cases = max(1, round(args.events / shape.per_case))
        shape = Shape(cases, shape.claims, shape.years)
    names = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    words = argv if argv is not None else sys.argv[1:]
    command = shlex.join(["python", "-m", "benchmarks.run", *words])
    started = time.perf_counter()
    print(f"{label}: {shape.describe()}", flush=True)
    facts = portfolio_facts(shape)
    print(f"  generated {len(facts):,} facts in {time.perf_counter() - started:.1f} s")
    reports: dict[str, Report] = {}
    versions: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="plandebt-bench-") as folder:
        for name in names:
            print(f"{TITLES[name]}:", flush=True)
            backend: Backend = (
                SQLiteBackend(Path(folder))
                if name == "sqlite"
                else PostgresBackend(args.pg_url)
            )
            try:
                versions[name] = backend.version()
                reports[name] = Bench(backend, shape, facts).run(not args.no_profile)
            finally:
                backend.close()
    return {
        "size": label,
        "shape": asdict(shape),
        "command": command,
        "when": f"{datetime.now(UTC):%Y-%m-%d %H:%M}",
        "seconds": time.perf_counter() - started,
        "machine": machine(),
        "versions": versions,
        "reports": {name: asdict(r) for name, r in reports.items()},
    }


if __name__ == "__main__":
    raise SystemExit(main())
