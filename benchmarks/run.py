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
7. remissions recorded one by one on one claim: the time per fact at n=1,000
   and n=10,000 remissions, vs plain payments recorded one by one in a fresh case
   (a reduction's check must not grow with the claim's history);
8. a cProfile of the rebuild ("Where the time goes"), and the main shares of a
   cProfile of `record_all` over the first 20,000 facts.

PostgreSQL: every store lives in a schema of its own (`plandebt_bench_<random>_…`),
created for the run and dropped at its end. Each run also writes its figures to
`benchmarks/results/<size>.json`; the report shows the latest figures of the other
sizes from there. The targets are those of the "Performance targets" section of the
architecture document. Timed tests are never used for this: run the harness and read
the report.

This module is the command line only. The rest of the `benchmarks` package:
`workload` (the synthetic portfolio and the backends' stores), `floors` (what each
figure is set against), `timing` (the clocks both sides share), `measures` (the
measurements, one backend at a time) and `report` (the saved runs and the Markdown).
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys

from benchmarks.measures import measure, memory_child
from benchmarks.report import (
    load_others,
    load_run,
    merge_cold,
    render,
    save_run,
    size_label,
    write_report,
)
from benchmarks.workload import DEFAULT, SMALL, TITLES, shape_for

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"


def parser() -> argparse.ArgumentParser:
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
    parser.add_argument("--backend", choices=[*TITLES, "both"], default="sqlite")
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
    parser.add_argument(
        "--only-cold",
        action="store_true",
        help="measure rows 8 and 9 only, into the saved figures of the size",
    )
    # The memory measurement's fresh process (see measures.run_child).
    parser.add_argument("--memory-child", nargs=2, help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.memory_child:
        memory_child(*args.memory_child)
        return 0

    label = size_label(args.small, args.events)
    if args.render_only:
        run = load_run(label)
    else:
        words = argv if argv is not None else sys.argv[1:]
        run = measure(
            shape_for(args.small, args.events),
            label,
            list(TITLES) if args.backend == "both" else [args.backend],
            args.pg_url,
            profile=not args.no_profile,
            command=shlex.join(["python", "-m", "benchmarks.run", *words]),
            only_cold=args.only_cold,
        )
        if args.only_cold:
            run = merge_cold(load_run(label), run)
        save_run(run, label)
    text = render(run, load_others(label))
    print()
    print(text)
    if args.out:
        write_report(text, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
