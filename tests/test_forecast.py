"""Affordability (plandebt.forecast): each year's cash against the plan's annuity,
checked against hand computations at the boundaries: the year that just covers its
annuity and the year that falls short by one cent."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.helpers import CASE
from tests.test_plan import adopted_case
from tests.test_reports import assert_follows_its_schema

from plandebt import InvalidInputError, Ledger, Money
from plandebt.cli import main
from plandebt.forecast import (
    DEFAULT_GUARANTEE_FUND_RATE,
    DEFAULT_MANAGEMENT_RATE,
    Turnover,
    TurnoverYear,
    contribution,
    forecast,
    load_turnover,
    turnover_from,
)
from plandebt.money import round_half_away

#: 10 % a year of the two claims of tests.helpers.open_basic_case (1 250 000,00).
ANNUITY = Money.parse("125 000,00")


def ten_percent_plan() -> Ledger:
    return adopted_case(options=[{"option": "uniform", "percents": ["10"] * 10}])


def year(number: int, turnover: str, fixed: str = "0", support: str | None = None):
    return TurnoverYear(
        number,
        Money.parse(turnover),
        Money.parse(fixed),
        None if support is None else Money.parse(support),
    )


def test_the_defaults_are_the_seed_plans_eight_and_two_percent() -> None:
    assert (DEFAULT_MANAGEMENT_RATE, DEFAULT_GUARANTEE_FUND_RATE) == (8, 2)
    assert Turnover(()).management_rate == Decimal("8")


def test_the_year_that_just_covers_and_the_year_short_by_one_cent() -> None:
    # Year 1: 8 % of 1 562 500,00 = 125 000,00 exactly: the annuity, covered (margin 0).
    # Year 2: 8 % of 1 562 499,88 = 124 999,9904, rounded to 124 999,99: a cent short.
    # Year 3: 8 % of 1 600 000,00 = 128 000,00, less 3 000,01 of fixed costs: a cent
    # short again, but year 2 is the first.
    view = forecast(
        ten_percent_plan(),
        CASE,
        Turnover(
            (
                year(1, "1562500"),
                year(2, "1562499.88"),
                year(3, "1600000", "3000.01"),
            )
        ),
    )
    y1, y2, y3 = view.years
    assert (y1.management, y1.annuity, y1.margin, y1.short) == (
        ANNUITY,
        ANNUITY,
        Money(0),
        False,
    )
    assert (y2.management, y2.margin, y2.short) == (
        Money.parse("124999.99"),
        Money(-1),
        True,
    )
    assert (y3.cash_in, y3.margin) == (Money.parse("124999.99"), Money(-1))
    assert view.first_short is y2
    assert [y.cumulative for y in view.years] == [Money(0), Money(-1), Money(-2)]
    assert [y.due_on for y in view.years] == [
        date(2024, 3, 20),
        date(2025, 3, 20),
        date(2026, 3, 20),
    ]
    # The guarantee fund's 2 % is shown, not counted.
    assert y1.guarantee_fund == Money.parse("31250")
    assert view.to_dict()["first_short"] == {"year": 2, "short_by": "0.01"}


def test_a_half_cent_contribution_rounds_away_from_zero() -> None:
    # 2 % of 0,25 € is half a cent: one cent; 2 % of 0,24 € is 0,48 cent: none.
    assert contribution(Money(25), Decimal("2")) == Money(1)
    assert contribution(Money(24), Decimal("2")) == Money(0)
    assert contribution(Money(-25), Decimal("2")) == Money(-1)


@given(
    st.integers(0, 10**13),
    st.decimals(0, 100, places=3, allow_nan=False, allow_infinity=False),
)
def test_a_contribution_is_the_exact_share_rounded_to_the_nearest_cent(
    cents: int, rate: Decimal
) -> None:
    exact = Fraction(cents) * Fraction(rate) / 100
    got = contribution(Money(cents), rate).cents
    assert abs(Fraction(got) - exact) <= Fraction(1, 2)
    assert got == round_half_away(exact)


def test_support_tranches_count_in_the_year_whose_annuity_they_can_pay() -> None:
    ledger = ten_percent_plan()
    # Due on the first anniversary: year 1. A day later: year 2.
    ledger.commit_support(
        CASE,
        "G",
        investor="Group",
        committed_on=date(2023, 1, 5),
        tranches=[
            {"due_on": "2024-03-20", "amount": "1000"},
            {"due_on": "2024-03-21", "amount": "500"},
        ],
    )
    view = forecast(ledger, CASE, Turnover((year(1, "0"), year(2, "0"), year(3, "0"))))
    assert [y.support for y in view.years] == [
        Money.parse("1000"),
        Money.parse("500"),
        Money(0),
    ]
    # A support given in the file replaces the tranches of its year.
    given_support = Turnover((year(1, "0", support="9000"),))
    assert forecast(ledger, CASE, given_support).years[0].support == Money.parse("9000")


def test_what_is_due_at_adoption_is_paid_in_year_one(tmp_path: Path) -> None:
    ledger = ten_percent_plan()
    ledger.register_creditor(CASE, "W", name="Salarié", creditor_kind="employee")
    ledger.declare_claim(
        CASE,
        "C9",
        creditor="W",
        amount="300",
        origin_on=date(2022, 1, 31),
        rank="superprivileged_wages",
        declared_on=date(2022, 5, 3),
    )
    ledger.admit_claim(CASE, "C9", decided_on=date(2022, 9, 1))
    schedule = ledger.schedule(CASE)
    assert dict(schedule.by_year())[0] == Money.parse("300")
    view = forecast(ledger, CASE, Turnover((year(1, "1562500"),)))
    assert view.years[0].annuity == ANNUITY + Money.parse("300")


# --- the turnover file ------------------------------------------------------------------


def test_the_sample_turnover_file_reads() -> None:
    sample = Path(__file__).resolve().parents[1] / "examples" / "turnover.toml"
    turnover = load_turnover(sample)
    assert [y.year for y in turnover.years] == [1, 2, 3, 4]
    assert turnover.years[0].turnover == Money.parse("4 800 000,00")
    assert turnover.years[0].support is None and turnover.years[3].support == Money(0)
    assert turnover.management_rate == Decimal("8")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"year": [{"year": 1, "turnover": 1.5}]}, "year[1].turnover"),
        ({"year": [{"year": 1}]}, "year[1].turnover"),
        ({"year": [{"year": 0, "turnover": "1"}]}, "year[1].year"),
        (
            {"year": [{"year": 1, "turnover": "1"}, {"year": 1, "turnover": "2"}]},
            "year[2].year",
        ),
        ({"year": [{"year": 1, "turnover": "1", "costs": "2"}]}, "year[1].costs"),
        ({"year": [{"year": 1, "turnover": "-1"}]}, "year[1].turnover"),
        ({"year": [{"year": 1, "turnover": "1,001"}]}, "year[1].turnover"),
        (
            {"rates": {"management": 8.0}, "year": [{"year": 1, "turnover": "1"}]},
            "rates.management",
        ),
        (
            {"rates": {"management": "101"}, "year": [{"year": 1, "turnover": "1"}]},
            "rates.management",
        ),
        (
            {
                "rates": {"guarantee_fund": "deux"},
                "year": [{"year": 1, "turnover": "1"}],
            },
            "rates.guarantee_fund",
        ),
        ({"year": []}, "year"),
        ({"years": []}, "years"),
    ],
)
def test_a_bad_turnover_file_names_the_field(data, field: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        turnover_from(data)
    assert refused.value.field == field


def test_a_year_beyond_the_plan_is_refused() -> None:
    with pytest.raises(InvalidInputError) as refused:
        forecast(ten_percent_plan(), CASE, Turnover((year(11, "1"),)))
    assert refused.value.field == "year[11].year"


# --- the command line -------------------------------------------------------------------


def store(tmp_path: Path) -> str:
    db = str(tmp_path / "books.db")
    source = ten_percent_plan()
    with Ledger.open(db) as target:
        target.import_journal(list(source.export(CASE)), restore=True)
    return db


TURNOVER = """
[rates]
management = "8"

[[year]]
year = 1
turnover = "1 562 500,00"

[[year]]
year = 2
turnover = "1 562 499,88"
"""


def test_forecast_prints_the_first_year_short(tmp_path: Path, capsys) -> None:
    db = store(tmp_path)
    (tmp_path / "ca.toml").write_text(TURNOVER, encoding="utf-8")
    assert main(["--db", db, "forecast", "--turnover", str(tmp_path / "ca.toml")]) == 0
    out = capsys.readouterr().out
    assert "Première année insuffisante : année 2, il manque 0,01 €." in out
    assert "125 000,00 €" in out


def test_forecast_json_follows_its_schema(tmp_path: Path, capsys) -> None:
    db = store(tmp_path)
    (tmp_path / "ca.toml").write_text(TURNOVER, encoding="utf-8")
    plot = tmp_path / "f.svg"
    argv = ["--db", db, "forecast", "--turnover", str(tmp_path / "ca.toml")]
    assert main([*argv, "--json", "--plot", str(plot)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert_follows_its_schema(data)
    assert data["schema"] == "plandebt.forecast/1" and data["case"] == CASE
    assert data["known_at"]["position"] == len(ten_percent_plan().history(CASE))
    assert data["forecast"]["years"][1]["margin"] == "-0.01"
    assert plot.read_bytes().lstrip().startswith((b"<?xml", b"<svg"))


def test_a_bad_turnover_file_exits_2_and_draws_nothing(tmp_path: Path, capsys) -> None:
    db = store(tmp_path)
    (tmp_path / "ca.toml").write_text("[[year]]\nyear = 1\nturnover = 1.5\n", "utf-8")
    plot = tmp_path / "f.png"
    argv = ["--db", db, "forecast", "--turnover", str(tmp_path / "ca.toml")]
    assert main([*argv, "--plot", str(plot)]) == 2
    err = capsys.readouterr().err
    assert "year[1].turnover=1.5" in err and "Traceback" not in err
    assert not plot.exists()
    assert (
        main(["--db", db, "forecast", "--turnover", str(tmp_path / "none.toml")]) == 2
    )
    (tmp_path / "bad.toml").write_bytes(b"\xff[[")
    assert main(["--db", db, "forecast", "--turnover", str(tmp_path / "bad.toml")]) == 2
