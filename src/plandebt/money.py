"""Exact money: integer cents and a currency.

Floats never come near an amount: they are refused at the boundary. Every split
(percentages of a claim, an amount across creditors) is done on integers with one
documented rule so that the parts add up to the whole, to the cent, by construction.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

import attrs

from plandebt import limits
from plandebt.errors import InvalidInputError

DEFAULT_CURRENCY = "EUR"

# Separators accepted between groups of thousands: space, no-break space,
# narrow no-break space (French typography), apostrophe (Swiss), underscore.
_GROUPING = " \u00a0\u202f'_"
# ASCII digits only: other scripts' digits ("١٢", "１２") and superscripts are refused.
_AMOUNT = re.compile(r"([+-]?)([0-9]+)(?:\.([0-9]*))?")


def _check_cents(instance: Any, attribute: attrs.Attribute[int], value: Any) -> None:
    if type(value) is not int:  # bool is an int subclass and is refused too
        raise InvalidInputError(
            "cents", value, "must be an integer number of cents (no float, no bool)"
        )


def _check_currency(instance: Any, attribute: attrs.Attribute[str], value: Any) -> None:
    if not (
        isinstance(value, str)
        and len(value) == 3
        and value.isascii()
        and value.isalpha()
        and value.isupper()
    ):
        raise InvalidInputError("currency", value, "must be an ISO 4217 code like EUR")


@attrs.frozen(order=False)
class Money:
    """An amount of money: integer cents and an ISO currency (EUR by default)."""

    cents: int = attrs.field(validator=_check_cents)
    currency: str = attrs.field(default=DEFAULT_CURRENCY, validator=_check_currency)

    # --- construction -------------------------------------------------------------

    @classmethod
    def _of(cls, cents: int, currency: str = DEFAULT_CURRENCY) -> Money:
        """Builds Money from values already known to be valid (an int computed from
        Money, a currency taken from one), skipping the validators on hot paths."""
        money = object.__new__(cls)
        object.__setattr__(money, "cents", cents)
        object.__setattr__(money, "currency", currency)
        return money

    @classmethod
    def zero(cls, currency: str = DEFAULT_CURRENCY) -> Money:
        return cls(0, currency)

    @classmethod
    def parse(
        cls, text: str, currency: str = DEFAULT_CURRENCY, field: str = "amount"
    ) -> Money:
        """Parses "3447000.00", "3 447 000,00", "3447000", "3,447,000.00",
        "-12,5", optionally followed by "€" or the currency code.

        Refuses more than two decimals rather than rounding: an amount that is not
        a whole number of cents is a mistake in the input, not something to guess.
        Refuses digits other than ASCII ones, and amounts over plandebt's largest
        (`limits.MAX_AMOUNT_CENTS`, 10^12).
        """
        if not isinstance(text, str):
            raise InvalidInputError(field, text, "an amount must be given as a string")
        raw = text.strip()
        for suffix in ("€", currency):
            if raw.endswith(suffix):
                raw = raw[: -len(suffix)].strip()
        for ch in _GROUPING:
            raw = raw.replace(ch, "")
        if "," in raw and "." in raw:
            # The separator that comes last is the decimal one; the other groups.
            if raw.rfind(",") > raw.rfind("."):
                raw = raw.replace(".", "").replace(",", ".")
            else:
                raw = raw.replace(",", "")
        elif raw.count(",") == 1:
            raw = raw.replace(",", ".")
        match = _AMOUNT.fullmatch(raw)
        if not match:
            raise InvalidInputError(field, text, "is not an amount like 3447000.00")
        sign, units, decimals = match.groups()
        decimals = decimals or ""
        if len(decimals) > 2:
            raise InvalidInputError(field, text, "has more than two decimals")
        # Counted before converting: Python converts at most 4,300 digits.
        if len(units.lstrip("0")) > limits.MAX_AMOUNT_UNITS:
            raise limits.amount_too_large(field, text)
        cents = int(units) * 100 + int((decimals + "00")[:2])
        limits.check_cents(cents, field, text)
        return cls._of(-cents if sign == "-" else cents, currency)

    @classmethod
    def coerce(
        cls, value: Any, currency: str = DEFAULT_CURRENCY, field: str = "amount"
    ) -> Money:
        """Turns boundary input into Money: Money as is, a string parsed, a Decimal
        with at most two decimals. Floats and bare integers are refused: a float is
        inexact, and a bare integer is ambiguous (euros or cents?)."""
        if isinstance(value, Money):
            return value
        if isinstance(value, str):
            return cls.parse(value, currency, field)
        if isinstance(value, Decimal):
            if not value.is_finite():
                raise InvalidInputError(field, value, "is not a finite amount")
            if value.adjusted() >= limits.MAX_AMOUNT_UNITS:
                raise limits.amount_too_large(field, value)
            try:
                exact = value.quantize(Decimal("0.01"))
            except InvalidOperation as e:
                raise InvalidInputError(
                    field, value, "has more than two decimals"
                ) from e
            if exact != value:
                raise InvalidInputError(field, value, "has more than two decimals")
            return cls(int(exact * 100), currency)
        if isinstance(value, float):
            raise InvalidInputError(
                field,
                value,
                'floats are refused: give a string like "1234.56" or Money(cents)',
            )
        raise InvalidInputError(
            field, value, 'give a string like "1234.56", a Decimal or Money(cents)'
        )

    # --- arithmetic ---------------------------------------------------------------

    def _same(self, other: Any) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise InvalidInputError(
                "currency",
                other.currency,
                f"cannot mix {self.currency} and {other.currency}",
            )
        return other

    def __add__(self, other: Money) -> Money:
        return Money._of(self.cents + self._same(other).cents, self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money._of(self.cents - self._same(other).cents, self.currency)

    def __neg__(self) -> Money:
        return Money._of(-self.cents, self.currency)

    def __abs__(self) -> Money:
        return Money._of(abs(self.cents), self.currency)

    def __mul__(self, factor: int) -> Money:
        if type(factor) is not int:
            raise TypeError("Money can only be multiplied by an int; use scale()")
        return Money(self.cents * factor, self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        return self.cents < self._same(other).cents

    def __le__(self, other: Money) -> bool:
        return self.cents <= self._same(other).cents

    def __gt__(self, other: Money) -> bool:
        return self.cents > self._same(other).cents

    def __ge__(self, other: Money) -> bool:
        return self.cents >= self._same(other).cents

    def __bool__(self) -> bool:
        return self.cents != 0

    @property
    def is_positive(self) -> bool:
        return self.cents > 0

    @property
    def is_negative(self) -> bool:
        return self.cents < 0

    def scale(self, ratio: Fraction | Decimal | int) -> Money:
        """This amount times an exact ratio, rounded half away from zero to the cent.

        Used for one-off percentages; to cut a whole into parts use `split` or
        `cumulative_parts`, which guarantee the parts add up."""
        return Money(
            round_half_away(Fraction(self.cents) * _fraction(ratio)), self.currency
        )

    def split(self, weights: Sequence[int | Fraction | Decimal]) -> list[Money]:
        """Splits into parts proportional to `weights` that add up exactly.

        Largest-remainder method: every part gets the floor of its exact share, then
        the cents left over go one by one to the largest remainders; ties go to the
        earliest part, so the result is deterministic."""
        fracs = [_fraction(w) for w in weights]
        if not fracs or any(f < 0 for f in fracs) or sum(fracs) == 0:
            raise InvalidInputError(
                "weights",
                list(weights),
                "need at least one positive weight and none negative",
            )
        total = sum(fracs)
        sign = -1 if self.cents < 0 else 1
        whole = abs(self.cents)
        exact = [Fraction(whole) * f / total for f in fracs]
        floors = [int(e) for e in exact]  # exact >= 0, so int() is the floor
        left = whole - sum(floors)
        order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - floors[i]), i))
        for i in order[:left]:
            floors[i] += 1
        return [Money(sign * c, self.currency) for c in floors]

    def cumulative_parts(
        self, percents: Sequence[Fraction | Decimal | int]
    ) -> list[Money]:
        """Cuts this amount into instalments of the given percentages.

        Cumulative rounding: part k = round(total × cum%ₖ) − round(total × cum%ₖ₋₁),
        rounding half away from zero. Each part differs from its exact value by less
        than a cent, and the parts add up to round(total × Σ%) — exactly the total
        when the percentages add up to 100."""
        cumulative = _cumulative_fractions(tuple(percents))
        parts: list[Money] = []
        previous = 0
        for numerator, denominator in cumulative:
            # round(cents × cum% / 100) on integers: the same value as with
            # Fractions, without building one per instalment.
            current = _divide_half_away(self.cents * numerator, denominator * 100)
            parts.append(Money._of(current - previous, self.currency))
            previous = current
        return parts

    # --- display ------------------------------------------------------------------

    def plain(self) -> str:
        """'-3447000.00': what the journal and --json use; Money.parse reads it back."""
        sign = "-" if self.cents < 0 else ""
        units, cents = divmod(abs(self.cents), 100)
        return f"{sign}{units}.{cents:02d}"

    def french(self, symbol: bool = True) -> str:
        """'3 447 000,00 €' (French grouping by spaces, decimal comma)."""
        sign = "-" if self.cents < 0 else ""
        units, cents = divmod(abs(self.cents), 100)
        grouped = f"{units:,}".replace(",", " ")
        text = f"{sign}{grouped},{cents:02d}"
        if symbol:
            text += " €" if self.currency == "EUR" else f" {self.currency}"
        return text

    def __str__(self) -> str:
        return f"{self.plain()} {self.currency}"


def _fraction(value: Fraction | Decimal | int) -> Fraction:
    if isinstance(value, float):
        raise InvalidInputError("ratio", value, "floats are refused")
    if isinstance(value, bool):
        raise InvalidInputError("ratio", value, "is not a number")
    return Fraction(value)


@functools.lru_cache(maxsize=1024)
def _cumulative_fractions(
    percents: tuple[Fraction | Decimal | int, ...],
) -> tuple[tuple[int, int], ...]:
    """Running totals of the percentages, as (numerator, denominator) pairs. Cached:
    a plan cuts every claim with the same few patterns."""
    out = []
    cum = Fraction(0)
    for p in percents:
        cum += _fraction(p)
        out.append((cum.numerator, cum.denominator))
    return tuple(out)


def _divide_half_away(numerator: int, denominator: int) -> int:
    """numerator / denominator (denominator > 0) rounded half away from zero."""
    quotient, remainder = divmod(abs(numerator), denominator)
    if 2 * remainder >= denominator:
        quotient += 1
    return quotient if numerator >= 0 else -quotient


def round_half_away(value: Fraction) -> int:
    """Rounds an exact fraction to the nearest integer, halves away from zero (the
    commercial rounding French accounting uses, not banker's rounding)."""
    sign = -1 if value < 0 else 1
    magnitude = abs(value)
    whole = int(magnitude)
    if magnitude - whole >= Fraction(1, 2):
        whole += 1
    return sign * whole


def total(amounts: Iterable[Money], currency: str = DEFAULT_CURRENCY) -> Money:
    """The sum of amounts (zero in `currency` for none)."""
    result = Money.zero(currency)
    for amount in amounts:
        result = result + amount
    return result
