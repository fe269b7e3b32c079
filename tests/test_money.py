from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plandebt import InvalidInputError, Money
from plandebt.strategies import money, money_texts


@pytest.mark.parametrize(
    "text, cents",
    [
        ("3447000.00", 344700000),
        ("3 447 000,00", 344700000),
        ("3447000", 344700000),
        ("3\u202f447\u202f000,00 €", 344700000),
        ("3,447,000.50", 344700050),
        ("3.447.000,50", 344700050),
        ("-12,5", -1250),
        ("0.07", 7),
        ("12 EUR", 1200),
    ],
)
def test_parses_the_ways_amounts_are_written(text: str, cents: int) -> None:
    assert Money.parse(text) == Money(cents)


@pytest.mark.parametrize(
    "text", ["1.234", "12,345", "abc", "", "1..2", "1 2 3,4,5", "€", "1e3", "0.001"]
)
def test_refuses_what_is_not_an_amount_of_cents(text: str) -> None:
    with pytest.raises(InvalidInputError) as e:
        Money.parse(text)
    assert e.value.field == "amount"


def test_refuses_floats_everywhere() -> None:
    with pytest.raises(InvalidInputError):
        Money.coerce(12.5)
    with pytest.raises(InvalidInputError):
        Money(12.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        Money(True)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        Money(100).scale(0.5)  # type: ignore[arg-type]


def test_decimal_with_more_than_two_decimals_is_refused() -> None:
    assert Money.coerce(Decimal("1.50")) == Money(150)
    with pytest.raises(InvalidInputError):
        Money.coerce(Decimal("1.505"))


def test_mixing_currencies_is_refused() -> None:
    with pytest.raises(InvalidInputError) as e:
        Money(100, "EUR") + Money(100, "USD")
    assert e.value.field == "currency"
    with pytest.raises(InvalidInputError):
        _ = Money(100, "EUR") < Money(100, "CHF")


def test_french_and_plain_display() -> None:
    assert Money(344700000).french() == "3 447 000,00 €"
    assert Money(-5).french(symbol=False) == "-0,05"
    assert Money(344700000).plain() == "3447000.00"
    assert str(Money(100, "USD")) == "1.00 USD"


@given(money_texts())
def test_parse_reads_back_every_display(pair: tuple[Money, str]) -> None:
    amount, text = pair
    assert Money.parse(text) == amount


@given(money(-(10**12), 10**12), money(-(10**12), 10**12))
def test_arithmetic_is_exact(a: Money, b: Money) -> None:
    assert (a + b) - b == a
    assert (a + b).cents == a.cents + b.cents
    assert -(-a) == a  # noqa: B002 - negation twice, on purpose


@given(
    money(-(10**12), 10**12),
    st.lists(st.integers(0, 10**6), min_size=1, max_size=30).filter(any),
)
def test_split_parts_add_up_exactly_and_stay_within_a_cent(
    amount: Money, weights: list[int]
) -> None:
    parts = amount.split(weights)
    assert sum(p.cents for p in parts) == amount.cents
    whole = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        exact = Fraction(amount.cents * weight, whole)
        assert abs(part.cents - exact) < 1


@given(
    money(0, 10**12),
    st.lists(
        st.decimals(0, 100, places=2, allow_nan=False), min_size=1, max_size=15
    ).filter(lambda ps: sum(ps) <= 100),
)
def test_cumulative_parts_add_up_to_the_rounded_whole(
    amount: Money, percents: list[Decimal]
) -> None:
    parts = amount.cumulative_parts(percents)
    expected = Fraction(amount.cents) * Fraction(sum(percents)) / 100
    assert abs(sum(p.cents for p in parts) - expected) <= Fraction(1, 2)
    for part, percent in zip(parts, percents, strict=True):
        assert abs(part.cents - Fraction(amount.cents) * Fraction(percent) / 100) < 1


@given(money(0, 10**12), st.permutations([2, 3, 5, 8, 10, 12, 12, 15, 15, 18]))
def test_cumulative_parts_of_a_full_plan_add_up_to_the_total(
    amount: Money, percents: list[int]
) -> None:
    assert sum(p.cents for p in amount.cumulative_parts(percents)) == amount.cents
