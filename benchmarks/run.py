"""The benchmark harness: each plandebt figure next to a baseline measured in the same
run, on SQLite files in a temporary folder.

    python -m benchmarks.run [--events N] [--out docs/benchmarks.md]

The targets are those of the "Performance targets" section of the architecture
document. Timed tests are never used for this: run the harness and read the report.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
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
from plandebt.ledger import Ledger

CASES = 20
BATCH = 100
QUERY_CLAIMS = 1_000
QUERY_RUNS = 30
APPEND_RUNS = 50
OPENED_ON = date(2022, 3, 14)

# --- synthetic facts (deterministic ids) -------------------------------------------------


def case_facts(case: str, count: int, claims: int, creditors: int) -> list[Fact]:
    """About `count` facts for one case: the opening, creditors, claims declared and
    admitted, then payments (round-robin over the claims) up to `count`."""
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
                effective_on=date(2022, 5, 10),
                claim=f"CL{k}",
                creditor=f"CR{k % creditors}",
                amount=f"{10_000 + 17 * k}.00",
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
                effective_on=date(2022, 9, 20),
                claim=f"CL{k}",
                decision_ref="Ordonnance JC 22/45",
            )
        )
    p = 0
    while len(facts) < count:
        facts.append(payment(case, f"{case}-pay-{p}", f"CL{p % claims}", p))
        p += 1
    return facts


def payment(case: str, fact_id: str, claim: str, n: int) -> PaymentMade:
    return PaymentMade.build(
        case=case,
        id=fact_id,
        effective_on=date(2023, 4, 1) + timedelta(days=n % 1500),
        claim=claim,
        amount=f"{1 + n % 97}.{n % 100:02d}",
        basis="jc_authorisation",
        authorisation_ref=f"JC{n % 1000:03d}",
    )


def portfolio(events: int) -> list[Fact]:
    per_case = max(events // CASES, 400)
    out: list[Fact] = []
    for c in range(CASES):
        out += case_facts(f"BENCH-{c:02d}", per_case, claims=150, creditors=30)
    return out


def batches(facts: list[Fact], size: int = BATCH) -> Iterator[list[Fact]]:
    for i in range(0, len(facts), size):
        yield facts[i : i + size]


class FixedClock:
    """A clock that moves 1 ms per call, so that recording times are deterministic
    and every fact has its own `known_at`."""

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


def sqlite_env(path: Path) -> dict[str, str]:
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(path),
        "SQLITE_LOCK_TIMEOUT": "10",
    }


def floor_payloads(facts: list[Fact]) -> list[dict[str, Any]]:
    """Dict payloads of the same shape and size as the stored facts."""
    now = datetime(2024, 1, 1, tzinfo=UTC).isoformat()
    return [dict(f.to_dict(), seq=i + 1, recorded_at=now) for i, f in enumerate(facts)]


def floor_ingest(path: Path, payloads: list[dict[str, Any]]) -> tuple[int, float]:
    """Saves the payloads BATCH events per `app.save()` (one aggregate per batch:
    its creation plus BATCH - 1 events). Returns (events, seconds)."""
    app = FloorApp(env=sqlite_env(path))
    count = 0
    start = time.perf_counter()
    for i in range(0, len(payloads), BATCH):
        aggregate = Floor(name=f"floor-{i}")
        for data in payloads[i + 1 : i + BATCH]:
            aggregate.happen(data=data)
        app.save(aggregate)
        count += min(BATCH, len(payloads) - i)
    elapsed = time.perf_counter() - start
    app.close()
    return count, elapsed


# --- helpers --------------------------------------------------------------------------------


def median_ms(fn: Callable[[], Any], runs: int) -> float:
    fn()  # warm
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def events_table(path: Path) -> str:
    with sqlite3.connect(path) as db:
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'"):
            columns = {row[1] for row in db.execute(f'PRAGMA table_info("{name}")')}
            if {"state", "topic", "originator_id"} <= columns:
                return name
    raise RuntimeError(f"no events table in {path}")


def raw_read(path: Path) -> tuple[int, float, float]:
    """Plain sqlite3: every row of the events table, json.loads of its state.
    Returns (rows, seconds, mean state bytes)."""
    table = events_table(path)
    start = time.perf_counter()
    db = sqlite3.connect(path)
    count = size = 0
    cursor = db.execute(f'SELECT state FROM "{table}" ORDER BY rowid')
    for (state,) in cursor:
        json.loads(state)
        count += 1
        size += len(state)
    elapsed = time.perf_counter() - start
    db.close()
    return count, elapsed, size / max(count, 1)


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


def memory_child(path: str, mode: str) -> None:
    """Run in a fresh process: open the store, rebuild, print memory figures."""
    before = rss_mb()
    if mode == "tracemalloc":
        tracemalloc.start()
    ledger = Ledger.open(path)
    count = ledger.rebuild()
    out: dict[str, float] = {"events": count}
    if mode == "tracemalloc":
        current, peak = tracemalloc.get_traced_memory()
        out.update(current_mb=current / 2**20, peak_mb=peak / 2**20)
    else:
        out.update(before_mb=before, after_mb=rss_mb(), peak_rss_mb=rss_mb("VmHWM"))
    ledger.close()
    print(json.dumps(out))


def run_child(path: Path, mode: str) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--memory-child", str(path), mode],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- the measurements ----------------------------------------------------------------------


class Report:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, str, str]] = []
        self.notes: list[str] = []

    def add(
        self,
        what: str,
        figure: str,
        baseline: str,
        ratio: str,
        target: str,
        verdict: str,
    ) -> None:
        self.rows.append((what, figure, baseline, ratio, target, verdict))
        print(
            f"  {what}: {figure} (baseline {baseline}; {ratio}) {verdict}", flush=True
        )


def ok(flag: bool) -> str:
    return "met" if flag else "**missed**"


def bench_ingest(tmp: Path, events: int, report: Report) -> tuple[Path, int]:
    facts = portfolio(events)
    path = tmp / "ledger.db"
    ledger = Ledger.open(path, clock=FixedClock())
    start = time.perf_counter()
    for batch in batches(facts):
        ledger.record_all(batch)
    elapsed = time.perf_counter() - start
    ledger.close()
    rate = len(facts) / elapsed

    payloads = floor_payloads(facts)
    floor_count, floor_elapsed = floor_ingest(tmp / "floor.db", payloads)
    floor_rate = floor_count / floor_elapsed
    _rows, _t, plandebt_bytes = raw_read(path)
    _rows, _t, floor_bytes = raw_read(tmp / "floor.db")
    ratio = floor_rate / rate
    report.add(
        f"1. ingest, `record_all` batches of {BATCH} ({len(facts):,} facts, "
        f"{CASES} cases)",
        f"{rate:,.0f} ev/s ({elapsed:.2f} s)",
        f"{floor_rate:,.0f} ev/s (eventsourcing, {BATCH} events per `save()`)",
        f"{ratio:.2f}x slower",
        "within 2x",
        ok(ratio <= 2),
    )
    report.notes.append(
        f"Mean stored state: plandebt {plandebt_bytes:.0f} bytes, "
        f"floor {floor_bytes:.0f} bytes per event."
    )
    return path, len(facts)


def bench_rebuild(path: Path, report: Report) -> None:
    ledger = Ledger.open(path)
    start = time.perf_counter()
    count = ledger.rebuild()
    elapsed = time.perf_counter() - start
    ledger.close()
    rate = count / elapsed
    rows, raw_elapsed, _size = raw_read(path)
    raw_rate = rows / raw_elapsed
    ratio = raw_rate / rate
    report.add(
        f"2. full rebuild, `Ledger.open` + `rebuild()` ({count:,} facts)",
        f"{rate:,.0f} ev/s ({elapsed:.2f} s)",
        f"{raw_rate:,.0f} ev/s (`sqlite3` + `json.loads`, {rows:,} rows)",
        f"{ratio:.2f}x slower",
        "≥ 100k ev/s and within 3x",
        ok(rate >= 100_000 and ratio <= 3),
    )


def bench_queries(tmp: Path, report: Report) -> None:
    case = "BENCH-QUERY"
    facts = case_facts(case, 2 * QUERY_CLAIMS + 101, QUERY_CLAIMS, creditors=100)
    path = tmp / "query.db"
    ledger = Ledger.open(path, clock=FixedClock())
    for batch in batches(facts):
        ledger.record_all(batch)
    ledger.adopt_plan(
        case,
        id=f"{case}-plan",
        adopted_on="2023-03-20",
        duration_years=10,
        supervisor="Me Commissaire",
        options=[{"option": "uniform", "percents": ["10"] * 10}],
        uniform_option="uniform",
        default_option="uniform",
    )
    # Two plan dividends per claim, then a few more payments.
    more: list[Fact] = []
    for k in range(QUERY_CLAIMS):
        for year in (1, 2):
            more.append(
                PaymentMade.build(
                    case=case,
                    id=f"{case}-div-{k}-{year}",
                    effective_on=date(2023 + year, 3, 20),
                    claim=f"CL{k}",
                    amount=f"{1_000 + (17 * k) // 10}.00",
                    basis="plan_dividend",
                )
            )
    for batch in batches(more):
        ledger.record_all(batch)
    ledger.close()

    ledger = Ledger.open(path, clock=FixedClock())
    head = len(ledger.history(case))
    # Halfway through the plan dividends: the plan is known, half of them are not.
    mid = (len(facts) + 1 + head) // 2
    as_of = date(2025, 6, 30)

    def cheapest() -> int:
        return sum(
            f.amount.cents for f in ledger.history(case) if isinstance(f, PaymentMade)
        )

    base = median_ms(cheapest, QUERY_RUNS)
    label = f"({QUERY_CLAIMS:,} claims, {head:,} facts)"
    checks: list[tuple[str, Callable[[], Any], float]] = [
        (
            f"3a. `balances(case, as_of)` {label}",
            lambda: ledger.balances(case, as_of),
            10,
        ),
        (
            f"3b. `balances(case, as_of, known_at={mid})`",
            lambda: ledger.balances(case, as_of, known_at=mid),
            50,
        ),
        ("3c. `plan_status(case, as_of)`", lambda: ledger.plan_status(case, as_of), 10),
        (
            f"3d. `plan_status(case, as_of, known_at={mid})`",
            lambda: ledger.plan_status(case, as_of, known_at=mid),
            50,
        ),
        ("3e. `schedule(case)`", lambda: ledger.schedule(case), 10),
    ]
    for what, fn, target in checks:
        ms = median_ms(fn, QUERY_RUNS)
        report.add(
            what,
            f"{ms:.2f} ms (median of {QUERY_RUNS})",
            f"{base:.2f} ms (sum of payments over `history(case)`)",
            f"{ms / base:.1f}x",
            f"< {target} ms",
            ok(ms < target),
        )

    # 4. One more fact on the loaded large case, next to a single-event save().
    counter = iter(range(10**9))

    def pay() -> None:
        n = next(counter)
        ledger.pay(
            case,
            f"CL{n % QUERY_CLAIMS}",
            id=f"{case}-append-{n}",
            amount="1.00",
            paid_on="2025-06-01",
            basis="plan_dividend",
        )

    append_ms = median_ms(pay, APPEND_RUNS)
    ledger.close()
    floor = FloorApp(env=sqlite_env(tmp / "floor-single.db"))
    aggregate = Floor(name="single")
    floor.save(aggregate)
    data = floor_payloads(facts[-1:])[0]

    def save_one() -> None:
        aggregate.happen(data=data)
        floor.save(aggregate)

    single_ms = median_ms(save_one, APPEND_RUNS)
    floor.close()
    report.add(
        f"4. append one fact (`pay`) to the loaded case ({head:,} facts)",
        f"{append_ms:.2f} ms (median of {APPEND_RUNS})",
        f"{single_ms:.2f} ms (single-event `app.save()`)",
        f"{append_ms / single_ms:.1f}x",
        "no full replay",
        ok(append_ms < 10 * single_ms),
    )
    report.notes.append(
        '4. "no full replay" is judged met when an append costs under 10x a '
        "single-event save; a full replay of the case would cost about the rebuild "
        f"time of {head:,} facts."
    )


def bench_memory(path: Path, events: int, report: Report) -> None:
    rss = run_child(path, "rss")
    traced = run_child(path, "tracemalloc")
    count = rss["events"] or events
    grown = rss["after_mb"] - rss["before_mb"]
    per_million = grown / count * 1e6
    traced_per_million = traced["current_mb"] / count * 1e6
    report.add(
        f"5. memory after rebuild ({count:,.0f} facts)",
        f"{grown:,.0f} MB RSS growth → {per_million:,.0f} MB per 1M events",
        f"tracemalloc: {traced['current_mb']:,.0f} MB held "
        f"(peak {traced['peak_mb']:,.0f}) → {traced_per_million:,.0f} MB per 1M",
        "n/a",
        "well under 2 GB per 1M",
        ok(per_million < 1500),
    )
    report.notes.append(
        f"5. RSS of a fresh process: {rss['before_mb']:.0f} MB after imports, "
        f"{rss['after_mb']:.0f} MB after `rebuild()` (peak {rss['peak_rss_mb']:.0f} MB); "
        "extrapolated linearly."
    )


# --- the report ------------------------------------------------------------------------------


def machine() -> str:
    return (
        f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), "
        f"{platform.machine()}, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {platform.platform()}"
    )


def render(report: Report, events: int, elapsed: float) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Run on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by "
        "`python -m benchmarks.run` "
        f"(`--events {events}`; {elapsed:.0f} s in all).",
        "",
        f"- Machine: {machine()}.",
        f"- N = {events:,} events requested; SQLite files in a temporary folder; "
        "each figure is measured next to its baseline in the same run.",
        "- Caveat: shared 2-core VM, single run; figures vary by ±10 %.",
        "",
        "| measurement | plandebt | baseline (same run) | ratio | target | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for row in report.rows:
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "Notes:", ""]
    lines += [f"- {note}" for note in report.notes]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--out", default="docs/benchmarks.md")
    parser.add_argument("--memory-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child:
        memory_child(*args.memory_child)
        return 0
    started = time.perf_counter()
    report = Report()
    with tempfile.TemporaryDirectory(prefix="plandebt-bench-") as folder:
        tmp = Path(folder)
        print(f"N = {args.events:,}", flush=True)
        path, _count = bench_ingest(tmp, args.events, report)
        bench_rebuild(path, report)
        bench_queries(tmp, report)
        bench_memory(path, args.events, report)
    text = render(report, args.events, time.perf_counter() - started)
    print()
    print(text)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
