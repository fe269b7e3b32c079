"""The plan over its years, as the plots draw it: at the adoption and at each
anniversary (where the annuities fall), what was due, remitted and distributed
in all, the debtor's arrears, and what is outstanding by rank."""

from __future__ import annotations

from datetime import date

import attrs

from plandebt.calendar import anniversary
from plandebt.deprecation import renamed
from plandebt.ledger import Ledger
from plandebt.money import Money
from plandebt.projections.index import KnownAt


@attrs.frozen
class YearPoint:
    year: int  # 0 at the adoption, k at the k-th anniversary
    on: date  # the view is at the end of this day
    due: Money  # cumulative
    remitted_to_supervisor: Money  # cumulative
    distributed: Money  # cumulative
    arrears: Money
    outstanding_by_rank: tuple[tuple[str, Money], ...]  # rank value, outstanding

    remitted = renamed("remitted", "remitted_to_supervisor")


def plan_series(
    ledger: Ledger, case: str, until: date | None = None, known_at: KnownAt = None
) -> tuple[YearPoint, ...]:
    """One point at the adoption and one at each anniversary up to `until` (default:
    the plan's end), as known at `known_at`; empty before any plan is adopted."""
    schedule = ledger.schedule(case, until, known_at)
    if schedule is None:
        return ()
    adopted_on = schedule.adopted.effective_on
    years = schedule.adopted.duration_years
    if schedule.modifications:
        years = schedule.modifications[-1].duration_years
    points = []
    for year in range(years + 1):
        on = anniversary(adopted_on, year)
        if until is not None and on > until:
            break
        status = ledger.plan_status(case, on, known_at)
        ranks = ledger.balances(case, on, known_at).by_rank()
        points.append(
            YearPoint(
                year=year,
                on=on,
                due=status.due,
                remitted_to_supervisor=status.remitted_to_supervisor,
                distributed=status.distributed,
                arrears=status.arrears,
                outstanding_by_rank=tuple(
                    (rank, totals.outstanding) for rank, totals in sorted(ranks.items())
                ),
            )
        )
    return tuple(points)
