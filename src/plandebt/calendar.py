"""Pure date helpers for a plan: anniversaries, plan years, lateness.

A plan's rhythm is set by the adoption judgment: instalments fall on its
anniversaries (law primer §5, "Due dates") and the L626-18 minimums are stated
per plan year, so everything here counts from `adopted_on`.

Every anniversary is computed from the adoption date itself, never from the
previous anniversary: a plan adopted on 29 February pays on 28 February in
common years and on 29 February again in leap years, instead of drifting to
28 February for good after the first common year.
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from typing import Any

from dateutil.relativedelta import relativedelta

from plandebt.errors import InvalidInputError

__all__ = ["add_months", "anniversary", "days_late", "plan_year", "plan_year_bounds"]


def _check_date(field: str, value: Any) -> date:
    # A datetime is a date subclass, but comparing one with a date raises
    # TypeError deep inside a computation: refuse it at the boundary instead.
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidInputError(field, value, "must be a datetime.date")
    return value


def _check_int(field: str, value: Any) -> int:
    if type(value) is not int:  # bool is an int subclass and is refused too
        raise InvalidInputError(field, value, "must be an integer")
    return value


@functools.lru_cache(maxsize=65536, typed=True)
def anniversary(start: date, years: int) -> date:
    """The date `years` years after `start` (before it if `years` is negative).

    A 29 February start falls on 28 February in common years: the judgment's
    anniversary cannot be pushed into March, which would make the plan year one
    day longer than a year and the payment one day later than the law's "one
    year" (L626-18 al. 4). dateutil's relativedelta clamps to the month's end.
    """
    _check_date("start", start)
    _check_int("years", years)
    return start + relativedelta(years=years)


def add_months(start: date, months: int) -> date:
    """The date `months` months after `start` (before it if negative).

    Clamped to the end of a shorter month (31 January + 1 month is 28 or 29
    February), for the same reason as `anniversary`: a month later must not
    spill into the month after.
    """
    _check_date("start", start)
    _check_int("months", months)
    return start + relativedelta(months=months)


def plan_year(adopted_on: date, on: date) -> int:
    """The plan year `on` falls in: 0 before adoption, 1 from the adoption date
    (included) to the first anniversary (excluded), 2 up to the second, and so on.

    Plan years start on the anniversaries of the adoption judgment, because
    that is where the annuities fall and where L626-18 counts its years from
    (the 5 % minimum from the 3rd year, 10 % from the 6th).
    """
    _check_date("adopted_on", adopted_on)
    _check_date("on", on)
    if on < adopted_on:
        return 0
    elapsed = on.year - adopted_on.year  # full years elapsed, or one too many
    if anniversary(adopted_on, elapsed) > on:
        elapsed -= 1
    return elapsed + 1


def plan_year_bounds(adopted_on: date, year: int) -> tuple[date, date]:
    """The first day of plan `year` (included) and the first day of the next
    one (excluded): (anniversary year-1, anniversary year)."""
    _check_date("adopted_on", adopted_on)
    _check_int("year", year)
    if year < 1:
        raise InvalidInputError("year", year, "plan years are numbered from 1")
    return anniversary(adopted_on, year - 1), anniversary(adopted_on, year)


def days_late(due_on: date, paid_on: date | None, as_of: date) -> int:
    """How many days a payment due on `due_on` is (or was) late, seen on `as_of`.

    Plan dividends are "portables" (L626-21): the debtor must bring them by the
    due date, unasked, so a payment made on the due date is on time and every
    day after counts. A payment not made yet, or made after `as_of` (unknown on
    that day), is late by the days elapsed up to `as_of`. Never negative.
    """
    _check_date("due_on", due_on)
    _check_date("as_of", as_of)
    if paid_on is not None:
        _check_date("paid_on", paid_on)
    settled_on = paid_on if paid_on is not None and paid_on <= as_of else as_of
    return max(0, (settled_on - due_on).days)
