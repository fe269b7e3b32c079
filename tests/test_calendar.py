"""Specifications of the plan calendar: anniversaries, plan years, lateness."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from dateutil.easter import easter as dateutil_easter
from hypothesis import given
from hypothesis import strategies as st

from plandebt.calendar import (
    add_months,
    anniversary,
    days_late,
    easter,
    is_working_day,
    next_working_day,
    parse_holidays,
    plan_year,
    plan_year_bounds,
)
from plandebt.errors import InvalidInputError
from plandebt.ruleset import ruleset_for

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
years = st.integers(min_value=0, max_value=30)


# --- anniversary ----------------------------------------------------------------


def test_anniversary_of_29_february_falls_on_28_february_in_common_years():
    assert anniversary(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert anniversary(date(2024, 2, 29), 3) == date(2027, 2, 28)


def test_anniversary_of_29_february_is_29_february_again_in_leap_years():
    # Counted from the adoption date, not from the previous anniversary.
    assert anniversary(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_anniversary_zero_is_the_start_itself():
    assert anniversary(date(2023, 6, 15), 0) == date(2023, 6, 15)


@given(dates, years)
def test_anniversary_keeps_month_and_day_except_29_february(start, k):
    moved = anniversary(start, k)
    assert moved.year == start.year + k
    if (start.month, start.day) == (2, 29) and moved.day != 29:
        assert (moved.month, moved.day) == (2, 28)
    else:
        assert (moved.month, moved.day) == (start.month, start.day)


@given(dates, years)
def test_anniversaries_are_strictly_increasing(start, k):
    assert anniversary(start, k) < anniversary(start, k + 1)


@pytest.mark.parametrize("bad", [1.0, "1", True, None])
def test_anniversary_refuses_a_non_integer_number_of_years(bad):
    with pytest.raises(InvalidInputError) as err:
        anniversary(date(2024, 1, 1), bad)
    assert err.value.field == "years"


def test_anniversary_refuses_a_datetime():
    with pytest.raises(InvalidInputError) as err:
        anniversary(datetime(2024, 1, 1, 12, 0), 1)
    assert err.value.field == "start"


# --- add_months -----------------------------------------------------------------


def test_add_months_clamps_to_the_end_of_a_shorter_month():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)


def test_add_months_crosses_years():
    assert add_months(date(2024, 11, 15), 13) == date(2025, 12, 15)


def test_a_year_late_first_payment_is_later_than_the_first_anniversary():
    # Primer §8: a year-1 payment at adoption + 13 months breaks L626-18 al. 4.
    adopted = date(2024, 3, 10)
    assert add_months(adopted, 13) > anniversary(adopted, 1)
    assert add_months(adopted, 12) == anniversary(adopted, 1)


@given(dates, st.integers(min_value=-240, max_value=240))
def test_add_months_lands_in_the_right_month_never_later_day(start, months):
    moved = add_months(start, months)
    assert moved.year * 12 + moved.month == start.year * 12 + start.month + months
    assert moved.day <= start.day


# --- plan_year ------------------------------------------------------------------


def test_plan_year_is_zero_before_adoption():
    assert plan_year(date(2024, 5, 1), date(2024, 4, 30)) == 0


def test_plan_year_one_starts_on_the_adoption_day_and_ends_the_day_before():
    adopted = date(2024, 5, 1)
    assert plan_year(adopted, adopted) == 1
    assert plan_year(adopted, date(2025, 4, 30)) == 1
    assert plan_year(adopted, date(2025, 5, 1)) == 2


def test_plan_year_of_a_29_february_adoption_turns_on_28_february():
    adopted = date(2024, 2, 29)
    assert plan_year(adopted, date(2025, 2, 27)) == 1
    assert plan_year(adopted, date(2025, 2, 28)) == 2
    assert plan_year(adopted, date(2028, 2, 28)) == 4
    assert plan_year(adopted, date(2028, 2, 29)) == 5


@given(dates, years)
def test_the_kth_anniversary_opens_plan_year_k_plus_1(adopted, k):
    assert plan_year(adopted, anniversary(adopted, k)) == k + 1


@given(dates, years)
def test_the_day_before_an_anniversary_closes_the_previous_plan_year(adopted, k):
    assert plan_year(adopted, anniversary(adopted, k + 1) - timedelta(days=1)) == k + 1


@given(dates, st.integers(min_value=0, max_value=20 * 366))
def test_plan_year_bounds_contain_the_day(adopted, offset):
    on = adopted + timedelta(days=offset)
    start, end = plan_year_bounds(adopted, plan_year(adopted, on))
    assert start <= on < end


def test_plan_year_bounds_are_consecutive_anniversaries():
    adopted = date(2024, 2, 29)
    assert plan_year_bounds(adopted, 1) == (date(2024, 2, 29), date(2025, 2, 28))
    assert plan_year_bounds(adopted, 2) == (date(2025, 2, 28), date(2026, 2, 28))


@pytest.mark.parametrize("bad", [0, -1])
def test_plan_year_bounds_refuse_a_year_before_the_first(bad):
    with pytest.raises(InvalidInputError) as err:
        plan_year_bounds(date(2024, 1, 1), bad)
    assert err.value.field == "year"


# --- days_late ------------------------------------------------------------------


def test_paid_on_the_due_date_is_not_late():
    due = date(2025, 5, 1)
    assert days_late(due, due, date(2025, 6, 1)) == 0


def test_paid_early_is_not_late():
    assert days_late(date(2025, 5, 1), date(2025, 4, 1), date(2025, 6, 1)) == 0


def test_paid_late_counts_the_days_after_the_due_date():
    assert days_late(date(2025, 5, 1), date(2025, 5, 11), date(2025, 12, 1)) == 10


def test_unpaid_counts_up_to_the_as_of_date():
    assert days_late(date(2025, 5, 1), None, date(2025, 5, 31)) == 30


def test_unpaid_and_not_yet_due_is_not_late():
    assert days_late(date(2025, 5, 1), None, date(2025, 4, 1)) == 0


def test_a_payment_after_the_as_of_date_is_not_known_yet():
    assert days_late(date(2025, 5, 1), date(2025, 7, 1), date(2025, 5, 21)) == 20


@given(dates, st.one_of(st.none(), dates), dates)
def test_days_late_is_never_negative(due, paid, as_of):
    assert days_late(due, paid, as_of) >= 0


# --- Easter, the French public holidays and working days (CPC art. 642) ------------

FRANCE = parse_holidays(ruleset_for(date(2024, 1, 1)).text("public_holidays"))


@pytest.mark.parametrize(
    ("year", "sunday"),
    [
        (1818, date(1818, 3, 22)),  # the earliest possible
        (1943, date(1943, 4, 25)),  # the latest possible
        (2000, date(2000, 4, 23)),
        (2008, date(2008, 3, 23)),
        (2011, date(2011, 4, 24)),
        (2019, date(2019, 4, 21)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2038, date(2038, 4, 25)),
        (2285, date(2285, 3, 22)),
    ],
)
def test_easter_sunday_of_known_years(year: int, sunday: date) -> None:
    assert easter(year) == sunday


@given(st.integers(1583, 9999))
def test_easter_agrees_with_dateutil_and_is_a_sunday_from_22_march_to_25_april(
    year: int,
) -> None:
    sunday = easter(year)
    assert sunday == dateutil_easter(year)
    assert sunday.weekday() == 6
    assert date(year, 3, 22) <= sunday <= date(year, 4, 25)


def test_easter_before_the_gregorian_calendar_is_refused() -> None:
    with pytest.raises(InvalidInputError):
        easter(1582)


@pytest.mark.parametrize(
    ("year", "movable"),
    [
        (2024, [date(2024, 4, 1), date(2024, 5, 9), date(2024, 5, 20)]),
        (2025, [date(2025, 4, 21), date(2025, 5, 29), date(2025, 6, 9)]),
        (2026, [date(2026, 4, 6), date(2026, 5, 14), date(2026, 5, 25)]),
    ],
)
def test_the_eleven_french_public_holidays_of_known_years(
    year: int, movable: list[date]
) -> None:
    # C. trav. L3133-1: 1 January, Easter Monday, 1 and 8 May, Ascension, Whit
    # Monday, 14 July, 15 August, 1 and 11 November, Christmas.
    fixed = [(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)]
    expected = {date(year, m, d) for m, d in fixed} | set(movable)
    assert FRANCE.of_year(year) == expected
    assert len(expected) == 11


@given(st.integers(1583, 9999))
def test_the_movable_holidays_fall_on_their_weekdays(year: int) -> None:
    sunday = easter(year)
    easter_monday, ascension, whit_monday = (
        sunday + timedelta(days=n) for n in (1, 39, 50)
    )
    assert (easter_monday.weekday(), ascension.weekday(), whit_monday.weekday()) == (
        0,
        3,
        0,
    )
    assert {easter_monday, ascension, whit_monday} <= FRANCE.of_year(year)


@pytest.mark.parametrize(
    ("day", "deadline"),
    [
        (date(2022, 5, 27), date(2022, 5, 27)),  # a Friday stays
        (date(2022, 5, 28), date(2022, 5, 30)),  # Saturday -> Monday
        (date(2022, 5, 29), date(2022, 5, 30)),  # Sunday -> Monday
        (date(2024, 5, 1), date(2024, 5, 2)),  # 1 May -> Thursday
        (date(2024, 5, 9), date(2024, 5, 10)),  # Ascension -> Friday
        (date(2025, 4, 19), date(2025, 4, 22)),  # Saturday, Easter, Easter Monday
        (date(2024, 12, 25), date(2024, 12, 26)),  # St Stephen is no holiday here
        (date(2026, 5, 23), date(2026, 5, 26)),  # Saturday, Sunday, Whit Monday
    ],
)
def test_a_deadline_ending_on_a_weekend_or_holiday_runs_to_the_next_working_day(
    day: date, deadline: date
) -> None:
    assert next_working_day(day, FRANCE) == deadline
    assert is_working_day(deadline, FRANCE)


def test_the_holidays_can_be_overridden_for_alsace_moselle_or_a_closure() -> None:
    alsace = parse_holidays(
        "01-01, good_friday, easter_monday, 05-01, 05-08, ascension, whit_monday, "
        "07-14, 08-15, 11-01, 11-11, 12-25, 12-26, 2024-06-10"
    )
    assert next_working_day(date(2024, 12, 25), alsace) == date(2024, 12, 27)
    assert next_working_day(date(2024, 3, 29), alsace) == date(2024, 4, 2)
    assert next_working_day(date(2024, 6, 10), alsace) == date(2024, 6, 11)
    assert next_working_day(date(2024, 6, 10), FRANCE) == date(2024, 6, 10)
    leap = parse_holidays("02-29")
    assert date(2024, 2, 29) in leap and date(2023, 2, 28) not in leap


@pytest.mark.parametrize(
    "text", ["13-01", "02-30", "easter", "2023-02-29", "01-01,", "14 juillet"]
)
def test_a_holiday_list_that_does_not_parse_is_refused_naming_the_rule(
    text: str,
) -> None:
    with pytest.raises(InvalidInputError) as refused:
        parse_holidays(text)
    assert refused.value.field == "public_holidays"
    with pytest.raises(InvalidInputError) as refused:
        ruleset_for(date(2024, 1, 1), {"public_holidays": text})
    assert refused.value.field == "public_holidays"
