"""Pure repayment-schedule functions: who is owed what, and when.

A schedule is a list of `Instalment`s computed from an amount, percentages per
plan year and the adoption date. Amounts come from `Money.cumulative_parts`
(cumulative rounding, integer cents), so a schedule never drifts from the claim
by a cent; dates come from `plandebt.calendar.anniversary`. Nothing here reads
or writes state: the ledger records facts, these functions only compute.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from plandebt.calendar import add_months, anniversary
from plandebt.errors import InvalidInputError
from plandebt.money import Money

__all__ = [
    "FirstDue",
    "Frequency",
    "Instalment",
    "catch_up",
    "due_by",
    "due_dates",
    "lump_sum",
    "next_due",
    "percent_schedule",
    "reschedule",
]

_HUNDRED = Decimal(100)


@attrs.frozen
class Instalment:
    """One payment of a schedule: its 1-based number, due date and amount.

    `catch_up_of` is set on the part of an instalment that falls due later than the
    instalment itself: what a decision after the adoption added to an instalment
    due before it is owed on the decision's date (L626-21; docs/plan.md), and the
    part carries the instalment's number and, here, its own due date."""

    number: int
    due_on: date
    amount: Money
    catch_up_of: date | None = None


class FirstDue(enum.Enum):
    """When the first instalment falls.

    L626-18 al. 4 requires the first payment of imposed delays within one year
    of adoption; in practice it falls on the first anniversary of the adoption
    judgment, or at adoption itself (law primer §4.4 and §5).
    """

    AT_ADOPTION = "at_adoption"  # instalment k on anniversary k-1
    FIRST_ANNIVERSARY = "first_anniversary"  # instalment k on anniversary k


class Frequency(enum.Enum):
    """How often a plan year's percentage is paid: plans pay once a year on the
    adoption's anniversaries by default, some half-yearly, quarterly or monthly.
    A year's percentage is then cut into equal periods; the L626-18 minimums are
    still judged on the year's total (law primer §4.4: "add up the payments made
    within each plan year")."""

    ANNUAL = "annual"
    HALF_YEARLY = "half_yearly"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"

    @property
    def per_year(self) -> int:
        return _PER_YEAR[self]


_PER_YEAR = {
    Frequency.ANNUAL: 1,
    Frequency.HALF_YEARLY: 2,
    Frequency.QUARTERLY: 4,
    Frequency.MONTHLY: 12,
}


def _check_amount(field: str, amount: Any) -> Money:
    if not isinstance(amount, Money):
        raise InvalidInputError(field, amount, "must be Money")
    if amount.is_negative:
        raise InvalidInputError(
            field, amount, "a schedule repays a claim: the amount cannot be negative"
        )
    return amount


def _check_date(field: str, value: Any) -> date:
    # A datetime would compare with a date only by raising TypeError later.
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidInputError(field, value, "must be a datetime.date")
    return value


def _check_percents(percents: Any) -> list[Decimal]:
    """The percentages as Decimals, or InvalidInputError on field "percents"."""
    if isinstance(percents, str | bytes) or not isinstance(percents, Sequence):
        raise InvalidInputError(
            "percents", percents, "must be a list of percentages (Decimal or int)"
        )
    if not percents:
        raise InvalidInputError(
            "percents", list(percents), "need at least one plan year"
        )
    checked: list[Decimal] = []
    for i, p in enumerate(percents, start=1):
        if isinstance(p, float):
            raise InvalidInputError(
                "percents",
                p,
                f"year {i}: floats are refused, "
                'give a Decimal like Decimal("2.5") or an int',
            )
        if isinstance(p, bool) or not isinstance(p, int | Decimal):
            raise InvalidInputError(
                "percents", p, f"year {i}: must be a Decimal or an int"
            )
        value = Decimal(p)
        if not value.is_finite():
            raise InvalidInputError("percents", p, f"year {i}: is not a number")
        if value < 0:
            raise InvalidInputError("percents", p, f"year {i}: cannot be negative")
        checked.append(value)
    if sum(checked) > _HUNDRED:
        raise InvalidInputError(
            "percents", list(percents), f"add up to {sum(checked)} %, more than 100 %"
        )
    return checked


def due_dates(
    years: int,
    adopted_on: date,
    first_due: FirstDue,
    frequency: Frequency = Frequency.ANNUAL,
) -> list[date]:
    """The due dates of `years` plan years of instalments, `frequency.per_year` a
    year, every one counted from `adopted_on` itself (never from the previous date,
    so a 31st or a 29 February does not drift: `calendar.add_months`).

    Period m (1-based, over the whole schedule) falls m periods after `adopted_on`
    with FIRST_ANNIVERSARY (annual: instalment k on the k-th anniversary; quarterly:
    the year's fourth quarter on it), and m-1 periods after with AT_ADOPTION (the
    first one on `adopted_on`, which is also how a first due date the judgment
    names is anchored)."""
    step = 12 // frequency.per_year
    offset = 0 if first_due is FirstDue.FIRST_ANNIVERSARY else -1
    count = years * frequency.per_year
    if step == 12:
        return [anniversary(adopted_on, m + offset) for m in range(1, count + 1)]
    return [add_months(adopted_on, (m + offset) * step) for m in range(1, count + 1)]


def percent_schedule(
    amount: Money,
    percents: Sequence[Decimal | int],
    adopted_on: date,
    first_due: FirstDue,
    frequency: Frequency = Frequency.ANNUAL,
) -> list[Instalment]:
    """Instalments of `percents[k-1]` % of `amount` for plan year k, one a year or,
    with another `frequency`, that percentage cut into equal periods of the year.

    Due dates (`due_dates`): with FIRST_ANNIVERSARY instalment k falls on the k-th
    anniversary of `adopted_on` (the usual reading of "first payment within one
    year", L626-18 al. 4); with AT_ADOPTION it falls on anniversary k-1, so the
    first one is due on the adoption date. Instalments are numbered from 1 over the
    whole schedule: year k's periods are numbers (k-1)·n+1 to k·n.

    Amounts are cut by cumulative rounding (`Money.cumulative_parts`) on the
    periods' exact fractions: each one is within a cent of its exact value, a
    year's periods add up to exactly the annual instalment of the same percentages
    (the cumulative sums agree at every year's end), and together they add up to
    round(amount × Σ% / 100), which is exactly `amount` when the percentages add
    up to 100. A sum under 100 is allowed: the rest is remitted or dealt with
    elsewhere (a remission, an L626-19 option); whether the plan as a whole
    repays everything is checked by the caller, not here. A 0 % year still gives
    instalments of zero, so that the periods of year k stay those of year k.

    Refuses (InvalidInputError, field "percents") an empty list, a float, a
    negative percentage and a total over 100; a negative amount (field "amount").
    The number of years is not capped here: the L626-12 maximum (10 years, 15
    for farmers) belongs to the plan, not to the arithmetic.
    """
    _check_amount("amount", amount)
    checked = _check_percents(percents)
    _check_date("adopted_on", adopted_on)
    if not isinstance(first_due, FirstDue):
        raise InvalidInputError("first_due", first_due, "must be a FirstDue")
    if not isinstance(frequency, Frequency):
        raise InvalidInputError("frequency", frequency, "must be a Frequency")
    n = frequency.per_year
    shares: list[Fraction | Decimal] = (
        list(checked)
        if n == 1
        else [Fraction(p) / n for p in checked for _period in range(n)]
    )
    parts = amount.cumulative_parts(shares)
    dates = due_dates(len(checked), adopted_on, first_due, frequency)
    return [
        Instalment(number=m, due_on=on, amount=part)
        for m, (on, part) in enumerate(zip(dates, parts, strict=True), start=1)
    ]


def lump_sum(amount: Money, due_on: date) -> list[Instalment]:
    """A single instalment of the whole amount on `due_on`.

    For claims the plan pays at once, without delay or remission: the wage,
    conciliation and new-money claims of L626-20 I and the small claims of
    L626-20 II, paid on the adoption date.
    """
    _check_amount("amount", amount)
    _check_date("due_on", due_on)
    return [Instalment(number=1, due_on=due_on, amount=amount)]


def reschedule(
    remaining: Money,
    percents: Sequence[Decimal | int],
    from_date: date,
    first_due: FirstDue,
    frequency: Frequency = Frequency.ANNUAL,
) -> list[Instalment]:
    """Spreads what remains of a claim again, counting years from `from_date`.

    A substantial modification of the plan (L626-26) is decided by the court;
    when it changes how liabilities are repaid, what remains unpaid follows a
    new schedule anchored on the modification judgment. Instalments are
    numbered from 1 again. The same rules as `percent_schedule` apply; keeping
    the modified plan within the legal maximum duration is the caller's check.
    """
    return percent_schedule(remaining, percents, from_date, first_due, frequency)


def _currency(instalments: Sequence[Instalment]) -> str:
    return instalments[0].amount.currency if instalments else Money.zero().currency


def due_by(instalments: Iterable[Instalment], on: date) -> Money:
    """The total of the instalments due on or before `on` (zero if none)."""
    _check_date("on", on)
    items = list(instalments)
    result = Money.zero(_currency(items))
    for instalment in items:
        if instalment.due_on <= on:
            result = result + instalment.amount
    return result


def next_due(instalments: Iterable[Instalment], after: date) -> Instalment | None:
    """The earliest instalment due strictly after `after`, or None when every
    instalment is already due."""
    _check_date("after", after)
    later = [i for i in instalments if i.due_on > after]
    return min(later, key=lambda i: (i.due_on, i.number)) if later else None


def catch_up(instalments: Iterable[Instalment], admitted_on: date) -> Money:
    """What a disputed claim admitted late receives at once: the instalments
    already due on `admitted_on`.

    The plan must provide for disputed claims, but their dividends are paid only
    once the claim is finally admitted (L626-21); the creditor then receives the
    annuities it missed (Cass. com. 22 Nov 2011 n°10-24.129). An instalment due
    on the admission day itself is included.
    """
    return due_by(instalments, admitted_on)
