"""The commissaire's annual report on the plan's execution (C. com. L626-25 and
R626-43: the plan supervisor reports to the court on the plan's execution), for one
plan year: what fell due, what the debtor remitted, what was distributed, what was
late, the findings with their articles, the group's support, the outlook.

Plan year N is the year that ends with the N-th annuity: from the day after the
(N-1)-th anniversary of the adoption to the N-th anniversary included (year 1 starts
on the adoption day, so that what is due at the adoption counts in it), the way
`PlanSchedule.by_year` counts the annuities. The report is a view "as of" the last
day of the year, as known at `known_at`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import attrs

from plandebt import english
from plandebt.calendar import anniversary, days_late
from plandebt.compliance import Finding
from plandebt.deprecation import renamed
from plandebt.errors import InvalidInputError
from plandebt.events import InstalmentRemitted
from plandebt.forecast import Forecast, Turnover, forecast
from plandebt.ledger import Ledger, utc_now
from plandebt.money import Money
from plandebt.projections import serialise
from plandebt.projections.index import KnownAt
from plandebt.projections.plan import PlanSchedule, PlanStatus, percent_text
from plandebt.reports.head import HistoryHead, head_json, head_of
from plandebt.reports.series import YearPoint, plan_series


@attrs.frozen
class LateInstalment:
    """The debtor's instalments of one due date that were not remitted by it."""

    due_on: date
    amount: Money
    covered_on: date | None  # when the remittances reached it; None: not by year end
    days_late: int  # to `covered_on`, or to the year's last day (as_of − due date)


@attrs.frozen
class InvestorSupport:
    investor: str
    committed: Money
    received_in_year: Money
    received: Money  # since the commitment, by the year's end
    late: Money  # tranches past their due date not received in full


@attrs.frozen
class AnnualReport:
    case: str
    debtor: str
    court: str
    supervisor: str
    judgment_ref: str | None
    adopted_on: date
    duration_years: int
    year: int
    starts_on: date
    ends_on: date  # included: the view is as of this day
    prepared_on: date
    position: int  # the facts the report is made of
    head: HistoryHead | None
    due: Money  # fell due in the year
    remitted_to_supervisor: Money  # remitted in the year
    distributed: Money  # distributed in the year
    status: PlanStatus  # at the year's end: cumulative figures, each creditor
    late: tuple[LateInstalment, ...]
    findings: tuple[Finding, ...]
    support: tuple[InvestorSupport, ...]
    next_year_due: Money
    remaining: Money  # scheduled, not yet due at the year's end
    series: tuple[YearPoint, ...]
    # The affordability of the years ahead, when a turnover forecast is given.
    forecast: Forecast | None = None

    remitted = renamed("remitted", "remitted_to_supervisor")

    @property
    def percent_repaid(self) -> str:
        return percent_text(self.status.percent_repaid)

    def to_dict(self) -> dict[str, Any]:
        return serialise.fields(self, omit=("case", "head"), head=head_json(self.head))


def year_window(adopted_on: date, year: int) -> tuple[date, date]:
    """The first and last days (both included) of plan `year`, as the report counts
    it (see the module's docstring)."""
    if year < 1:
        raise InvalidInputError("year", year, "plan years are numbered from 1")
    end = anniversary(adopted_on, year)
    start = (
        adopted_on if year == 1 else anniversary(adopted_on, year - 1) + timedelta(1)
    )
    return start, end


def annual_report(
    ledger: Ledger,
    case: str,
    year: int,
    known_at: KnownAt = None,
    prepared_on: date | None = None,
    turnover: Turnover | None = None,
) -> AnnualReport:
    """The annual report of plan `year` of `case`, as known at `known_at`; with a
    `turnover` forecast, its outlook says whether the years after it are affordable
    (`plandebt.forecast`)."""
    schedule = ledger.schedule(case, None, known_at)
    if schedule is None:
        raise InvalidInputError("case", case, "no plan is adopted in this case")
    adopted = schedule.adopted
    duration = (
        schedule.modifications[-1].duration_years
        if schedule.modifications
        else adopted.duration_years
    )
    if not 1 <= year <= duration:
        raise InvalidInputError(
            "year",
            year,
            f"the plan runs for {english.plural(duration, 'year')} (1 to {duration})",
        )
    starts_on, ends_on = year_window(adopted.effective_on, year)
    before = starts_on - timedelta(1)
    # The instalments as the plan stood at the year's end: a later modification
    # does not change what was late in it.
    in_force = ledger.schedule(case, ends_on, known_at)
    assert in_force is not None  # adopted by then: the year starts with the plan
    index = ledger.index(case, known_at)
    position = index.position(known_at)
    opening = index.opening(position)
    assert opening is not None  # a plan is adopted in an opened case
    at_end = ledger.plan_status(case, ends_on, known_at)
    at_start = ledger.plan_status(case, before, known_at)
    remittances = sorted(
        (f.effective_on, f.amount.cents)
        for f in index.about("plan", position)
        if isinstance(f, InstalmentRemitted) and f.effective_on <= ends_on
    )
    return AnnualReport(
        case=case,
        debtor=opening.debtor,
        court=opening.court,
        supervisor=adopted.supervisor,
        judgment_ref=adopted.judgment_ref,
        adopted_on=adopted.effective_on,
        duration_years=duration,
        year=year,
        starts_on=starts_on,
        ends_on=ends_on,
        prepared_on=prepared_on or utc_now().date(),
        position=position,
        head=head_of(ledger, case, known_at),
        due=at_end.due - at_start.due,
        remitted_to_supervisor=(
            at_end.remitted_to_supervisor - at_start.remitted_to_supervisor
        ),
        distributed=at_end.distributed - at_start.distributed,
        status=at_end,
        late=late_instalments(in_force, remittances, starts_on, ends_on),
        findings=tuple(
            sorted(
                ledger.check(case, ends_on, known_at).findings,
                key=lambda f: (f.severity.order, f.article, f.rule),
            )
        ),
        support=_support(ledger, case, before, ends_on, known_at),
        next_year_due=_next_year(in_force, year),
        remaining=at_end.total_scheduled - at_end.due,
        series=plan_series(ledger, case, ends_on, known_at),
        forecast=None
        if turnover is None
        else _ahead(ledger, case, year, turnover, known_at),
    )


def _ahead(
    ledger: Ledger, case: str, year: int, turnover: Turnover, known_at: KnownAt
) -> Forecast:
    later = Turnover(
        tuple(y for y in turnover.years if y.year > year),
        turnover.management_rate,
        turnover.guarantee_fund_rate,
    )
    return forecast(ledger, case, later, None, known_at)


def late_instalments(
    schedule: PlanSchedule,
    remittances: list[tuple[date, int]],
    starts_on: date,
    ends_on: date,
) -> tuple[LateInstalment, ...]:
    """The due dates up to `ends_on` whose instalments the remittances (dated,
    oldest due paid first) did not cover by their date, and that concern the year:
    due in it, or still uncovered when it started. As in the plan's status and the
    finding L626-21.instalment-late, an instalment is late from the day after its
    date (covered the day after: one day late), so one due on the year's last day
    and not covered by its end is listed unpaid, 0 days late: late from the next
    year's first day, and the next report counts its days."""
    late = []
    due_total = 0
    for due_on, amount in schedule.by_date():
        if due_on > ends_on:
            break
        if not amount:
            continue  # nothing fell due: nothing can be late
        due_total += amount.cents
        covered_on = _covered_on(remittances, due_total)
        if covered_on is not None and covered_on <= due_on:
            continue
        if covered_on is not None and covered_on < starts_on:
            continue  # late, and settled before the year: an earlier report's
        days = days_late(due_on, covered_on, ends_on)
        late.append(LateInstalment(due_on, amount, covered_on, days))
    return tuple(late)


def _covered_on(remittances: list[tuple[date, int]], due_total: int) -> date | None:
    """The day the remittances reached `due_total` (date.min for nothing due)."""
    if due_total <= 0:
        return date.min
    remitted = 0
    for on, cents in remittances:
        remitted += cents
        if remitted >= due_total:
            return on
    return None


def _support(
    ledger: Ledger, case: str, before: date, ends_on: date, known_at: KnownAt
) -> tuple[InvestorSupport, ...]:
    at_end = ledger.support(case, ends_on, known_at).by_investor()
    at_start = ledger.support(case, before, known_at).by_investor()
    zero = Money(0)
    return tuple(
        InvestorSupport(
            investor=investor,
            committed=row["committed"],
            received_in_year=row["received"]
            - at_start.get(investor, {}).get("received", zero),
            received=row["received"],
            late=row["late"],
        )
        for investor, row in sorted(at_end.items())
    )


def _next_year(schedule: PlanSchedule, year: int) -> Money:
    return next((m for y, m in schedule.by_year() if y == year + 1), Money(0))
