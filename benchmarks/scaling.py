"""How the warm queries grow with the claims of one case: the query case's shape
(claims declared and admitted, a plan, `years` of dividends) at several numbers of
claims, each query next to the same floor as row 3 (a sum of the payments over
`history(case)`), in one process and one run.

    python -m benchmarks.scaling [--claims 100,1000,10000] [--years 10]

Prints a Markdown table (docs/benchmarks.md quotes it).
"""

from __future__ import annotations

import argparse
import gc
from datetime import timedelta

from benchmarks.floors import paid_over_history
from benchmarks.timing import percentile, sample
from benchmarks.workload import (
    ADOPTED_ON,
    FixedClock,
    case_setup,
    plan_year,
    record,
)
from plandebt.ledger import Ledger

CASE = "SCALE"


def measure(claims: int, years: int) -> list[str]:
    facts = case_setup(CASE, claims, max(claims // 10, 1))
    setup = len(facts)
    for year in range(1, years + 1):
        facts += plan_year(CASE, claims, year)
    ledger = Ledger.open("memory", clock=FixedClock())
    record(ledger, facts)
    # As after `Ledger.rebuild`: what was loaded is moved out of the collector's
    # generations, so that collections do not walk it during the queries.
    gc.collect()
    gc.freeze()
    head = len(facts)
    first = ADOPTED_ON - timedelta(days=30)
    days = 365 * (years + 1)

    def as_of(i: int):  # type: ignore[no-untyped-def]
        return first + timedelta(days=(i * 97) % days)

    def known(i: int) -> int:
        return setup + 1 + (i * 7919) % (head - setup)

    runs, budget = 100, 3.0
    floor = percentile(
        sample(lambda _i: paid_over_history(ledger, (CASE,)), runs, budget, 10), 50
    )
    figures = [
        percentile(sample(fn, runs, budget, 10), 50)
        for fn in (
            lambda i: ledger.balances(CASE, as_of(i)),
            lambda i: ledger.balances(CASE, as_of(i), known_at=known(i)),
            lambda i: ledger.plan_status(CASE, as_of(i)),
        )
    ]
    ledger.close()
    gc.unfreeze()
    return [
        f"{claims:,}",
        f"{head:,}",
        *(f"{ms:.2f} ms ({ms / claims * 1000:.2f} µs/claim)" for ms in figures),
        f"{floor:.2f} ms",
        f"{figures[0] / floor:.2f}x",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scaling")
    parser.add_argument("--claims", default="100,1000,10000")
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    print(
        "| claims | facts | `balances` p50 | `balances` known_at p50 | "
        "`plan_status` p50 | floor p50 (sum over `history`) | balances / floor |"
    )
    print("|---|---|---|---|---|---|---|")
    for claims in (int(c) for c in args.claims.split(",")):
        print("| " + " | ".join(measure(claims, args.years)) + " |", flush=True)


if __name__ == "__main__":
    main()
