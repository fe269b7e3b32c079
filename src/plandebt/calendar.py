"""Pure date helpers: a plan's anniversaries, plan years and lateness; the French
public holidays and the working days a deadline runs to.

A plan's rhythm is set by the adoption judgment: instalments fall on its
anniversaries (law primer §5, "Due dates") and the L626-18 minimums are stated
per plan year, so everything here counts from `adopted_on`.

Every anniversary is computed from the adoption date itself, never from the
previous anniversary: a plan adopted on 29 February pays on 28 February in
common years and on 29 February again in leap years, instead of drifting to
28 February for good after the first common year.

Deadlines (a declaration of claim, a request for relief) count in months from an
event and end on the same day of the month, or on the month's last day when it has
no such day (CPC art. 641 al. 2: `add_months`); one that would end on a Saturday, a
Sunday or a public holiday runs to the next working day (CPC art. 642 al. 2:
`next_working_day`). The holidays are a ruleset value (`public_holidays`, C. trav.
L3133-1), read by `parse_holidays`; the movable ones are computed from Easter.
"""

from __future__ import annotations

import calendar
import functools
import re
from datetime import date, datetime, timedelta
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from plandebt.errors import InvalidInputError

__all__ = [
    "EASTER_OFFSETS",
    "Holidays",
    "add_months",
    "anniversary",
    "days_late",
    "easter",
    "is_working_day",
    "next_working_day",
    "parse_holidays",
    "plan_year",
    "plan_year_bounds",
]


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


# --- public holidays and working days ------------------------------------------------


def easter(year: int) -> date:
    """Easter Sunday of `year` in the Gregorian calendar (1583 onwards).

    The computus: the Paschal full moon is the first ecclesiastical full moon on or
    after 21 March, found from the year's place in the 19-year lunar cycle (its
    "golden number") with the Gregorian century corrections for the solar year
    (skipped leap days) and the lunar year (the moon's drift); Easter is the Sunday
    after it. Everything is integer arithmetic, so the result is exact.
    """
    _check_int("year", year)
    if year < 1583:
        raise InvalidInputError("year", year, "the Gregorian computus starts in 1583")
    golden = year % 19  # place in the Metonic cycle, from 0
    century, of_century = divmod(year, 100)
    skipped_leaps, century_leap = divmod(century, 4)
    moon_correction = (century - (century + 8) // 25 + 1) // 3
    # Days from 21 March to the Paschal full moon, less a possible correction below.
    epact = (19 * golden + century - skipped_leaps - moon_correction + 15) % 30
    leap_quarters, leap_rest = divmod(of_century, 4)
    # Days from the full moon to the next Sunday.
    to_sunday = (32 + 2 * century_leap + 2 * leap_quarters - epact - leap_rest) % 7
    # The rare years where the full moon would fall too late (the 29- and 28-day
    # epact exceptions) are brought back a week.
    back = (golden + 11 * epact + 22 * to_sunday) // 451
    # Days after 22 March, the earliest Easter, written 31 × month + (day − 1):
    # 22 March is 3 × 31 + 21 = 114.
    days = epact + to_sunday - 7 * back + 114
    month, day = divmod(days, 31)
    return date(year, month, day + 1)


#: The movable feasts the holiday list may name, in days from Easter Sunday.
EASTER_OFFSETS = {
    "good_friday": -2,  # Alsace-Moselle (C. trav. L3134-13)
    "easter_monday": 1,  # C. trav. L3133-1 2°
    "ascension": 39,  # 5°
    "whit_monday": 50,  # 6°
}

_FIXED = re.compile(r"^(\d{2})-(\d{2})$")
_ONE_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@attrs.frozen
class Holidays:
    """The days a deadline does not end on besides weekends: fixed feasts (month,
    day), movable ones (days from Easter) and single days (a court closed, a local
    holiday decreed once)."""

    fixed: frozenset[tuple[int, int]]
    movable: frozenset[int]
    days: frozenset[date]

    def of_year(self, year: int) -> frozenset[date]:
        return _holidays_of_year(self, year)

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date) or isinstance(day, datetime):
            return False
        return day in self.days or day in self.of_year(day.year)


@functools.lru_cache(maxsize=4096)
def _holidays_of_year(holidays: Holidays, year: int) -> frozenset[date]:
    out = set()
    for month, day in holidays.fixed:
        if month == 2 and day == 29 and not calendar.isleap(year):
            continue
        out.add(date(year, month, day))
    sunday = easter(year)
    out.update(sunday + timedelta(days=offset) for offset in holidays.movable)
    return frozenset(out)


@functools.lru_cache(maxsize=64)
def parse_holidays(text: str) -> Holidays:
    """The holidays a comma-separated list names: ``MM-DD`` for a fixed feast
    (``07-14``), a movable feast of `EASTER_OFFSETS` (``whit_monday``), or a single
    ``YYYY-MM-DD`` day. Anything else is refused with an InvalidInputError naming
    ``public_holidays``."""
    fixed: set[tuple[int, int]] = set()
    movable: set[int] = set()
    days: set[date] = set()
    for raw in text.split(","):
        item = raw.strip().lower()
        if item in EASTER_OFFSETS:
            movable.add(EASTER_OFFSETS[item])
        elif (m := _FIXED.match(item)) is not None:
            month, day = int(m.group(1)), int(m.group(2))
            try:
                date(2000, month, day)  # a leap year: 02-29 is a day of the calendar
            except ValueError:
                raise InvalidInputError(
                    "public_holidays", raw.strip(), "is not a day of the year (MM-DD)"
                ) from None
            fixed.add((month, day))
        elif _ONE_DAY.match(item):
            try:
                days.add(date.fromisoformat(item))
            except ValueError:
                raise InvalidInputError(
                    "public_holidays", raw.strip(), "is not a date (YYYY-MM-DD)"
                ) from None
        else:
            raise InvalidInputError(
                "public_holidays",
                raw.strip(),
                "expected MM-DD, YYYY-MM-DD or one of " + ", ".join(EASTER_OFFSETS),
            )
    return Holidays(frozenset(fixed), frozenset(movable), frozenset(days))


def is_working_day(day: date, holidays: Holidays) -> bool:
    """Monday to Friday, and not a holiday."""
    _check_date("day", day)
    return day.weekday() < 5 and day not in holidays


def next_working_day(day: date, holidays: Holidays) -> date:
    """`day` if it is a working day, else the first working day after it: where a
    deadline that would end on `day` ends (CPC art. 642 al. 2, "prorogé jusqu'au
    premier jour ouvrable suivant")."""
    _check_date("day", day)
    while not is_working_day(day, holidays):
        day += timedelta(days=1)
    return day
