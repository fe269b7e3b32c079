"""Affordability: can the debtor pay the plan's annuities from what it earns?

For each plan year of a turnover file, the cash the plan can count on is

    management contribution (turnover × management rate)
    + the group's support received in the year
    − the fixed costs,

against the plan's annuity of that year. The guarantee-fund contribution (turnover ×
guarantee rate) is shown but not counted: it is collected for the fund that
guarantees the activities' commitments, not for the cooperative's costs or its
creditors. Each year stands on its own (a surplus is shown carried in `cumulative`,
but a year falls short when its own cash does not cover its own annuity): the
annuities are owed on their dates, whatever was paid early.

The default rates are the seed plan's terms (a management contribution raised from
6.5 % to 8 % of turnover excluding tax, and 2 % kept for the guarantee fund): plan
terms, not legal numbers, hence library defaults here and not ruleset values.

Money is exact: each contribution is the turnover times the rate (an exact
fraction), rounded half away from zero to the cent (`Money.scale`), once per year
and per rate; every other figure is a sum of cents.

The turnover file is TOML (docs/forecast.md, examples/turnover.toml):

    [rates]                     # optional; percents of turnover excluding tax
    management = "8"
    guarantee_fund = "2"

    [[year]]
    year = 1                    # the plan year, 1 to the plan's duration
    turnover = "4 800 000,00"   # excluding tax, as text (French or plain)
    fixed_costs = "310 000,00"  # optional, default 0
    support = "1 000 000,00"    # optional, default: the case's tranches due that year
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs

from plandebt import english
from plandebt.calendar import anniversary
from plandebt.errors import InvalidInputError
from plandebt.ledger import Ledger
from plandebt.money import Money
from plandebt.projections import serialise
from plandebt.projections.index import KnownAt

#: The seed plan's contribution rates, in percent of turnover excluding tax.
DEFAULT_MANAGEMENT_RATE = Decimal("8")
DEFAULT_GUARANTEE_FUND_RATE = Decimal("2")

_YEAR_KEYS = frozenset({"year", "turnover", "fixed_costs", "support"})
_RATE_KEYS = frozenset({"management", "guarantee_fund"})


@attrs.frozen
class TurnoverYear:
    """One plan year of the turnover file."""

    year: int
    turnover: Money
    fixed_costs: Money = attrs.field(factory=Money.zero)
    support: Money | None = None  # None: the case's tranches due in the year


@attrs.frozen
class Turnover:
    years: tuple[TurnoverYear, ...]
    management_rate: Decimal = DEFAULT_MANAGEMENT_RATE  # percent
    guarantee_fund_rate: Decimal = DEFAULT_GUARANTEE_FUND_RATE  # percent


@attrs.frozen
class ForecastYear:
    year: int
    due_on: date  # the annuity's date: the year's anniversary
    turnover: Money
    management: Money
    guarantee_fund: Money  # shown, not counted in cash_in
    fixed_costs: Money
    support: Money
    cash_in: Money  # management + support - fixed costs
    annuity: Money
    margin: Money  # cash_in - annuity: negative when the year falls short
    cumulative: Money  # the margins so far, a surplus carried

    @property
    def short(self) -> bool:
        return self.margin.is_negative

    def to_dict(self) -> dict[str, Any]:
        return serialise.fields(self, short=self.short)


@attrs.frozen
class Forecast:
    case: str
    management_rate: Decimal
    guarantee_fund_rate: Decimal
    years: tuple[ForecastYear, ...]

    @property
    def first_short(self) -> ForecastYear | None:
        """The first year whose cash does not cover its annuity."""
        return next((y for y in self.years if y.short), None)

    def to_dict(self) -> dict[str, Any]:
        first = self.first_short
        return serialise.fields(
            self,
            omit=("case",),
            first_short=None
            if first is None
            else {"year": first.year, "short_by": -first.margin},
        )


def contribution(turnover: Money, rate_percent: Decimal) -> Money:
    """`rate_percent` % of `turnover`, rounded half away from zero to the cent."""
    return turnover.scale(Fraction(rate_percent) / 100)


def forecast(
    ledger: Ledger,
    case: str,
    turnover: Turnover,
    as_of: date | None = None,
    known_at: KnownAt = None,
) -> Forecast:
    """Each year of `turnover` against the plan of `case` (with the modifications
    decided by `as_of`, default: all), as known at `known_at`."""
    schedule = ledger.schedule(case, as_of, known_at)
    if schedule is None:
        raise InvalidInputError("case", case, "no plan is adopted in this case")
    adopted_on = schedule.adopted.effective_on
    duration = (
        schedule.modifications[-1].duration_years
        if schedule.modifications
        else schedule.adopted.duration_years
    )
    annuities = dict(schedule.by_year())
    # What is due at the adoption is paid in the first year.
    annuities[1] = annuities.get(1, Money(0)) + annuities.pop(0, Money(0))
    tranches = _tranches_by_year(ledger, case, adopted_on, duration, known_at)
    rows = []
    carried = Money(0)
    for entry in turnover.years:
        if entry.year > duration:
            raise InvalidInputError(
                f"year[{entry.year}].year",
                entry.year,
                f"the plan runs for {english.plural(duration, 'year')}",
            )
        management = contribution(entry.turnover, turnover.management_rate)
        support = (
            entry.support
            if entry.support is not None
            else tranches.get(entry.year, Money(0))
        )
        cash_in = management + support - entry.fixed_costs
        annuity = annuities.get(entry.year, Money(0))
        margin = cash_in - annuity
        carried += margin
        rows.append(
            ForecastYear(
                year=entry.year,
                due_on=anniversary(adopted_on, entry.year),
                turnover=entry.turnover,
                management=management,
                guarantee_fund=contribution(
                    entry.turnover, turnover.guarantee_fund_rate
                ),
                fixed_costs=entry.fixed_costs,
                support=support,
                cash_in=cash_in,
                annuity=annuity,
                margin=margin,
                cumulative=carried,
            )
        )
    return Forecast(
        case, turnover.management_rate, turnover.guarantee_fund_rate, tuple(rows)
    )


def _tranches_by_year(
    ledger: Ledger, case: str, adopted_on: date, duration: int, known_at: KnownAt
) -> dict[int, Money]:
    """The group's committed tranches by the plan year whose annuity they can pay:
    due by the year's anniversary, after the previous one."""
    end = anniversary(adopted_on, duration)
    out: dict[int, Money] = {}
    for tranche in ledger.support(case, end, known_at).tranches:
        year = next(
            (
                k
                for k in range(1, duration + 1)
                if tranche.due_on <= anniversary(adopted_on, k)
            ),
            None,
        )
        if year is not None:
            out[year] = out.get(year, Money(0)) + tranche.amount
    return out


# --- the turnover file ------------------------------------------------------------------


def load_turnover(path: str | Path) -> Turnover:
    """Reads a turnover file (TOML, see the module's docstring); a bad value is an
    InvalidInputError naming its place in the file."""
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except OSError as e:
        raise InvalidInputError(
            "turnover", str(path), f"cannot read: {e.strerror}"
        ) from e
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise InvalidInputError("turnover", str(path), f"not TOML: {e}") from e
    return turnover_from(data)


def turnover_from(data: Mapping[str, Any]) -> Turnover:
    """A Turnover from the parsed TOML document `data`."""
    unknown = sorted(set(data) - {"rates", "year"})
    if unknown:
        raise InvalidInputError(
            unknown[0], data[unknown[0]], "unknown table (rates, year)"
        )
    rates = data.get("rates", {})
    if not isinstance(rates, dict):
        raise InvalidInputError("rates", rates, "must be a table")
    _no_unknown("rates", rates, _RATE_KEYS)
    entries = data.get("year", [])
    if not isinstance(entries, list) or not entries:
        raise InvalidInputError("year", entries, "give at least one [[year]] table")
    years: list[TurnoverYear] = []
    for number, entry in enumerate(entries, start=1):
        where = f"year[{number}]"
        if not isinstance(entry, dict):
            raise InvalidInputError(where, entry, "must be a table")
        _no_unknown(where, entry, _YEAR_KEYS)
        year = entry.get("year")
        if isinstance(year, bool) or not isinstance(year, int) or year < 1:
            raise InvalidInputError(f"{where}.year", year, "must be a plan year from 1")
        if any(y.year == year for y in years):
            raise InvalidInputError(f"{where}.year", year, "is given twice")
        if "turnover" not in entry:
            raise InvalidInputError(f"{where}.turnover", None, "is required")
        turnover = _amount(f"{where}.turnover", entry["turnover"])
        if turnover.is_negative:
            raise InvalidInputError(
                f"{where}.turnover", entry["turnover"], "is negative"
            )
        fixed = _amount(f"{where}.fixed_costs", entry.get("fixed_costs", "0"))
        support = (
            _amount(f"{where}.support", entry["support"])
            if "support" in entry
            else None
        )
        years.append(TurnoverYear(year, turnover, fixed, support))
    return Turnover(
        tuple(sorted(years, key=lambda y: y.year)),
        _rate("rates.management", rates.get("management", DEFAULT_MANAGEMENT_RATE)),
        _rate(
            "rates.guarantee_fund",
            rates.get("guarantee_fund", DEFAULT_GUARANTEE_FUND_RATE),
        ),
    )


def _no_unknown(where: str, table: Mapping[str, Any], known: frozenset[str]) -> None:
    for key in sorted(set(table) - known):
        raise InvalidInputError(
            f"{where}.{key}", table[key], f"unknown key ({', '.join(sorted(known))})"
        )


def _amount(field: str, value: Any) -> Money:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # whole euros, as a TOML integer
    return Money.coerce(value, field=field)


def _rate(field: str, value: Any) -> Decimal:
    """A percentage: text ("8", "6,5") or an integer; never a float (inexact)."""
    if isinstance(value, Decimal):
        rate = value
    elif isinstance(value, int) and not isinstance(value, bool):
        rate = Decimal(value)
    elif isinstance(value, str):
        try:
            rate = Decimal(value.strip().removesuffix("%").strip().replace(",", "."))
        except InvalidOperation as e:
            raise InvalidInputError(
                field, value, "is not a percentage like 8 or 6,5"
            ) from e
    else:
        raise InvalidInputError(field, value, 'give a percentage as text, like "8"')
    if not rate.is_finite() or not 0 <= rate <= 100:
        raise InvalidInputError(field, value, "must be a percentage from 0 to 100")
    return rate
