"""Specifications of repayment schedules (law primer §4.4, §5 and §8)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plandebt.calendar import anniversary, plan_year
from plandebt.errors import InvalidInputError
from plandebt.money import Money, round_half_away, total
from plandebt.schedules import (
    FirstDue,
    Instalment,
    catch_up,
    due_by,
    lump_sum,
    next_due,
    percent_schedule,
    reschedule,
)

ADOPTED = date(2024, 6, 12)
# The illustrative progressive schedule of law primer §8.
PRIMER_PERCENTS = [Decimal(p) for p in (2, 3, 5, 8, 10, 12, 12, 15, 15, 18)]


def euros(text: str) -> Money:
    return Money.parse(text)


def amounts(schedule: list[Instalment]) -> list[Money]:
    return [i.amount for i in schedule]


# --- strategies -----------------------------------------------------------------

claims = st.integers(min_value=0, max_value=10**11).map(Money)
first_dues = st.sampled_from(FirstDue)
adoption_dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2080, 12, 31))


@st.composite
def percents_adding_up_to(draw, hundredths_total):
    """1 to 15 non-negative percentages with at most 2 decimals, adding up to
    `hundredths_total` hundredths of a percent: cut points on [0, total]."""
    n = draw(st.integers(min_value=1, max_value=15))
    cuts = sorted(
        draw(st.lists(st.integers(0, hundredths_total), min_size=n - 1, max_size=n - 1))
    )
    bounds = [0, *cuts, hundredths_total]
    return [Decimal(b - a) / 100 for a, b in pairwise(bounds)]


percents_of_100 = percents_adding_up_to(10_000)
percents_up_to_100 = st.integers(0, 10_000).flatmap(percents_adding_up_to)


# --- properties -----------------------------------------------------------------


@given(claims, percents_up_to_100, first_dues)
def test_instalments_add_up_to_the_rounded_share_of_the_claim(
    claim, percents, first_due
):
    schedule = percent_schedule(claim, percents, ADOPTED, first_due)
    share = Fraction(claim.cents) * Fraction(sum(percents)) / 100
    assert total(amounts(schedule)) == Money(round_half_away(share))


@given(claims, percents_of_100, first_dues)
def test_instalments_add_up_exactly_to_the_claim_when_percents_make_100(
    claim, percents, first_due
):
    assert sum(percents) == 100
    schedule = percent_schedule(claim, percents, ADOPTED, first_due)
    assert total(amounts(schedule)) == claim


@given(claims, percents_up_to_100)
def test_each_instalment_is_within_a_cent_of_its_exact_value(claim, percents):
    schedule = percent_schedule(claim, percents, ADOPTED, FirstDue.FIRST_ANNIVERSARY)
    assert len(schedule) == len(percents)
    for instalment, p in zip(schedule, percents, strict=True):
        exact = Fraction(claim.cents) * Fraction(p) / 100
        assert abs(instalment.amount.cents - exact) < 1
        assert not instalment.amount.is_negative


@given(claims, percents_up_to_100, adoption_dates, first_dues)
def test_due_dates_strictly_increase_one_per_plan_year(
    claim, percents, adopted, first_due
):
    schedule = percent_schedule(claim, percents, adopted, first_due)
    assert [i.number for i in schedule] == list(range(1, len(percents) + 1))
    for earlier, later in pairwise(schedule):
        assert earlier.due_on < later.due_on
    offset = 0 if first_due is FirstDue.AT_ADOPTION else 1
    for i in schedule:
        assert plan_year(adopted, i.due_on) == i.number + offset


# --- examples -------------------------------------------------------------------


def test_seed_schedule_of_3447000_matches_the_primer_table():
    schedule = percent_schedule(
        euros("3447000.00"), PRIMER_PERCENTS, ADOPTED, FirstDue.FIRST_ANNIVERSARY
    )
    assert amounts(schedule) == [
        euros(a)
        for a in (
            "68940.00",
            "103410.00",
            "172350.00",
            "275760.00",
            "344700.00",
            "413640.00",
            "413640.00",
            "517050.00",
            "517050.00",
            "620460.00",
        )
    ]
    assert total(amounts(schedule)) == euros("3447000.00")


def test_a_10000_euro_creditor_gets_the_same_percentages_of_its_claim():
    schedule = percent_schedule(
        euros("10000"), PRIMER_PERCENTS, ADOPTED, FirstDue.FIRST_ANNIVERSARY
    )
    assert amounts(schedule) == [
        euros(a)
        for a in (
            "200",
            "300",
            "500",
            "800",
            "1000",
            "1200",
            "1200",
            "1500",
            "1500",
            "1800",
        )
    ]


def test_the_scheduled_base_after_carve_outs_matches_the_primer():
    schedule = percent_schedule(
        euros("3350000"), PRIMER_PERCENTS, ADOPTED, FirstDue.FIRST_ANNIVERSARY
    )
    assert amounts(schedule) == [
        euros(a)
        for a in (
            "67000",
            "100500",
            "167500",
            "268000",
            "335000",
            "402000",
            "402000",
            "502500",
            "502500",
            "603000",
        )
    ]


def test_first_instalment_exactly_one_year_after_adoption():
    schedule = percent_schedule(
        euros("10000"), PRIMER_PERCENTS, ADOPTED, FirstDue.FIRST_ANNIVERSARY
    )
    assert schedule[0].due_on == date(2025, 6, 12)
    assert [i.due_on for i in schedule] == [
        anniversary(ADOPTED, k) for k in range(1, 11)
    ]


def test_first_instalment_at_adoption_then_on_each_anniversary():
    schedule = percent_schedule(
        euros("10000"), PRIMER_PERCENTS, ADOPTED, FirstDue.AT_ADOPTION
    )
    assert schedule[0].due_on == ADOPTED
    assert schedule[-1].due_on == date(2033, 6, 12)


def test_a_plan_adopted_on_29_february_pays_on_28_february_in_common_years():
    schedule = percent_schedule(
        euros("1000"), [25, 25, 25, 25], date(2024, 2, 29), FirstDue.FIRST_ANNIVERSARY
    )
    assert [i.due_on for i in schedule] == [
        date(2025, 2, 28),
        date(2026, 2, 28),
        date(2027, 2, 28),
        date(2028, 2, 29),
    ]


def test_a_zero_percent_year_keeps_its_zero_instalment():
    schedule = percent_schedule(
        euros("10000"),
        [0, 0, 5, 5, 5, 10, 10, 10, 10, 10],
        ADOPTED,
        FirstDue.FIRST_ANNIVERSARY,
    )
    assert len(schedule) == 10
    assert schedule[0].amount == Money.zero()
    assert schedule[2].number == 3 and schedule[2].amount == euros("500")


def test_percents_under_100_leave_the_rest_unscheduled():
    # Primer §8: the L626-18 minimums alone add up to 65 %.
    schedule = percent_schedule(
        euros("10000"),
        [0, 0, 5, 5, 5, 10, 10, 10, 10, 10],
        ADOPTED,
        FirstDue.FIRST_ANNIVERSARY,
    )
    assert total(amounts(schedule)) == euros("6500")


def test_cumulative_rounding_spreads_the_odd_cent():
    schedule = percent_schedule(
        Money(100),
        [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")],
        ADOPTED,
        FirstDue.FIRST_ANNIVERSARY,
    )
    assert [i.amount.cents for i in schedule] == [33, 34, 33]


def test_percents_may_be_ints_or_decimals():
    as_ints = percent_schedule(euros("10000"), [50, 50], ADOPTED, FirstDue.AT_ADOPTION)
    as_decimals = percent_schedule(
        euros("10000"), [Decimal("50.00"), Decimal(50)], ADOPTED, FirstDue.AT_ADOPTION
    )
    assert as_ints == as_decimals


# --- refusals -------------------------------------------------------------------


def refused(percents, field="percents"):
    with pytest.raises(InvalidInputError) as err:
        percent_schedule(euros("10000"), percents, ADOPTED, FirstDue.FIRST_ANNIVERSARY)
    assert err.value.field == field
    return err.value


def test_float_percents_are_refused():
    error = refused([Decimal(50), 50.0])
    assert "float" in error.reason


def test_negative_percents_are_refused():
    refused([Decimal(60), Decimal(50), Decimal(-10)])


def test_percents_over_100_are_refused():
    refused([Decimal(60), Decimal("40.01")])


def test_an_empty_list_of_percents_is_refused():
    refused([])


@pytest.mark.parametrize("bad", [True, "10", Fraction(1, 3), Decimal("NaN")])
def test_percents_that_are_not_decimals_or_ints_are_refused(bad):
    refused([bad])


def test_a_percent_string_is_not_a_list():
    refused("100")


def test_a_negative_amount_is_refused():
    with pytest.raises(InvalidInputError) as err:
        percent_schedule(euros("-1"), [100], ADOPTED, FirstDue.AT_ADOPTION)
    assert err.value.field == "amount"


def test_an_unknown_first_due_is_refused():
    with pytest.raises(InvalidInputError) as err:
        percent_schedule(euros("1"), [100], ADOPTED, "first_anniversary")
    assert err.value.field == "first_due"


# --- lump sum, rescheduling -----------------------------------------------------


def test_a_lump_sum_is_one_instalment_of_the_whole_claim():
    # L626-20: superprivileged wage claims and small claims paid at adoption.
    assert lump_sum(euros("85000"), ADOPTED) == [
        Instalment(number=1, due_on=ADOPTED, amount=euros("85000"))
    ]


def test_rescheduling_spreads_what_remains_from_the_modification_date():
    modified_on = date(2027, 3, 1)
    schedule = reschedule(
        euros("2826540"), [20, 20, 20, 20, 20], modified_on, FirstDue.FIRST_ANNIVERSARY
    )
    assert [i.number for i in schedule] == [1, 2, 3, 4, 5]
    assert schedule[0].due_on == date(2028, 3, 1)
    assert total(amounts(schedule)) == euros("2826540")


# --- due_by, next_due, catch_up ---------------------------------------------------


@pytest.fixture
def seed():
    return percent_schedule(
        euros("10000"), PRIMER_PERCENTS, ADOPTED, FirstDue.FIRST_ANNIVERSARY
    )


def test_nothing_is_due_before_the_first_anniversary(seed):
    assert due_by(seed, date(2025, 6, 11)) == Money.zero()


def test_an_instalment_is_due_on_its_due_date(seed):
    assert due_by(seed, date(2025, 6, 12)) == euros("200")
    assert due_by(seed, date(2027, 6, 12)) == euros("1000")


def test_everything_is_due_after_the_last_anniversary(seed):
    assert due_by(seed, date(2040, 1, 1)) == euros("10000")


def test_due_by_of_no_instalments_is_zero():
    assert due_by([], ADOPTED) == Money.zero()


def test_next_due_is_strictly_after_the_date(seed):
    assert next_due(seed, ADOPTED) == seed[0]
    assert next_due(seed, date(2025, 6, 12)) == seed[1]
    assert next_due(seed, date(2034, 6, 12)) is None


def test_a_disputed_claim_admitted_late_catches_up_the_missed_annuities(seed):
    # L626-21, Cass. com. 22 Nov 2011: years 1 to 3 are paid at once.
    assert catch_up(seed, date(2027, 9, 1)) == euros("1000")
    assert next_due(seed, date(2027, 9, 1)).number == 4


def test_a_claim_admitted_before_the_first_instalment_has_nothing_to_catch_up(seed):
    assert catch_up(seed, ADOPTED + timedelta(days=30)) == Money.zero()


@given(claims, percents_of_100, st.integers(0, 12 * 366))
def test_catch_up_plus_what_follows_is_the_whole_claim(claim, percents, offset):
    schedule = percent_schedule(claim, percents, ADOPTED, FirstDue.AT_ADOPTION)
    admitted = ADOPTED + timedelta(days=offset)
    later = total(i.amount for i in schedule if i.due_on > admitted)
    assert catch_up(schedule, admitted) + later == claim
