"""How the warm queries grow with the claims of one case: the query case's shape
(claims declared and admitted, a plan, `years` of dividends) at several numbers of
claims, each query next to the same floor as row 3 (a sum of the payments over
`history(case)`), in one process and one run.

    python -m benchmarks.scaling [--claims 100,1000,10000] [--years 10]
                                 [--cases 10,100,1000]

And how `portfolio(as_of)` grows with the cases of a store (each of CASE_CLAIMS
claims and CASE_YEARS years of dividends): at a date asked before (each case's
summary kept on its index) and at new dates. Prints Markdown tables
(docs/benchmarks.md quotes them).
"""

from __future__ import annotations

import argparse
import gc
from datetime import date, timedelta

from benchmarks.floors import paid_over_history
from benchmarks.timing import percentile, sample
from benchmarks.workload import (
    ADOPTED_ON,
    FixedClock,
    Shape,
    case_setup,
    plan_year,
    portfolio_facts,
    record,
)
from plandebt.ledger import Ledger

CASE = "SCALE"
CASE_CLAIMS = 10
CASE_YEARS = 3


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

    def as_of(i: int) -> date:
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


def portfolio(cases: int) -> list[str]:
    shape = Shape(cases, CASE_CLAIMS, CASE_YEARS)
    facts = portfolio_facts(shape)
    ledger = Ledger.open("memory", clock=FixedClock())
    record(ledger, facts)
    gc.collect()
    gc.freeze()
    days = [date(ADOPTED_ON.year + k, 6, 30) for k in range(CASE_YEARS + 1)]
    for day in days:
        ledger.portfolio(day)
    kept = sample(lambda i: ledger.portfolio(days[i % len(days)]), 20, 3.0, 3)
    fresh = sample(
        lambda i: ledger.portfolio(days[i % len(days)] + timedelta(days=1 + i)),
        10,
        10.0,
        3,
    )
    ledger.close()
    gc.unfreeze()
    k50, f50 = percentile(kept, 50), percentile(fresh, 50)
    return [
        f"{cases:,}",
        f"{len(facts):,}",
        f"{k50:,.2f} ms ({k50 / cases * 1000:,.1f} µs/case)",
        f"{f50:,.0f} ms ({f50 / cases:,.2f} ms/case)",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scaling")
    parser.add_argument("--claims", default="100,1000,10000")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--cases", default="10,100,1000")
    args = parser.parse_args()
    print(
        "| claims | facts | `balances` p50 | `balances` known_at p50 | "
        "`plan_status` p50 | floor p50 (sum over `history`) | balances / floor |"
    )
    print("|---|---|---|---|---|---|---|")
    for claims in (int(c) for c in args.claims.split(",") if c):
        print("| " + " | ".join(measure(claims, args.years)) + " |", flush=True)
    print()
    print(
        f"| cases ({CASE_CLAIMS} claims, {CASE_YEARS} years each) | facts | "
        "`portfolio` p50, a date asked before | `portfolio` p50, new dates |"
    )
    print("|---|---|---|---|")
    for cases in (int(c) for c in args.cases.split(",") if c):
        print("| " + " | ".join(portfolio(cases)) + " |", flush=True)


if __name__ == "__main__":
    main()
