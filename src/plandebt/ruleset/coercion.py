"""Reading a value in the type of a rule: an override (Python, TOML or a command
line's ``key=value``) or a value of the shipped data files.

A string is accepted for every type and parsed in it; a Python float is always
refused (it is inexact), and so is a negative number (no legal limit is negative).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from plandebt.errors import InvalidInputError
from plandebt.money import DEFAULT_CURRENCY, Money
from plandebt.ruleset.rule import Rule, RuleValue

_WHOLE = re.compile(r"^\s*\d+\s*$")


def coerce(rule: Rule, raw: object) -> RuleValue:
    """`raw` read as a new value of `rule`, in the rule's own type (and currency)."""
    currency = rule.value.currency if isinstance(rule.value, Money) else None
    return parse_value(rule.key, rule.kind, rule.unit, raw, currency)


def parse_value(
    key: str, kind: str, unit: str, raw: object, currency: str | None = None
) -> RuleValue:
    """`raw` read as a value of `kind` (a name of `KINDS`) for the rule `key`; errors
    name the key. Money is read in `currency` (the euro if not given)."""
    if isinstance(raw, float):
        raise InvalidInputError(
            key, raw, 'floats are refused: give a string like "0.5" or a Decimal'
        )
    value: RuleValue
    if kind == "flag":
        value = _as_bool(key, unit, raw)
    elif kind == "integer":
        value = _as_int(key, unit, raw)
    elif kind == "decimal":
        value = _as_decimal(key, unit, raw)
    elif kind == "fraction":
        value = _as_fraction(key, unit, raw)
    elif kind == "money":
        value = _as_money(key, unit, raw, currency or DEFAULT_CURRENCY)
    elif kind == "text":
        if not (isinstance(raw, str) and raw.strip()):
            raise InvalidInputError(key, raw, "expects a non-empty string")
        _check_text(key, unit, raw)
        value = raw
    else:
        raise InvalidInputError(key, kind, "is not a type of rule value")
    negative = (
        value.is_negative
        if isinstance(value, Money)
        else (not isinstance(value, str) and value < 0)
    )
    if negative:
        raise InvalidInputError(key, raw, "a legal limit cannot be negative")
    return value


def _check_text(key: str, unit: str, raw: str) -> None:
    """A text of a unit that has a format is read in it now, so that a mistake is
    refused with the override, not found by a check later."""
    if unit == "holidays":
        from plandebt.calendar import parse_holidays

        try:
            parse_holidays(raw)
        except InvalidInputError as e:
            raise InvalidInputError(key, raw, f"{e.value!r} {e.reason}") from e


def _wrong_type(key: str, unit: str, raw: object, expected: str) -> InvalidInputError:
    return InvalidInputError(
        key, raw, f"expects {expected} ({unit}), got {type(raw).__name__}"
    )


def _as_bool(key: str, unit: str, raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in ("true", "false"):
        return raw.strip().lower() == "true"
    raise _wrong_type(key, unit, raw, "true or false")


def _as_int(key: str, unit: str, raw: object) -> int:
    if type(raw) is int:
        return raw
    if isinstance(raw, str) and _WHOLE.match(raw):
        return int(raw)
    raise _wrong_type(key, unit, raw, "a whole number")


def _as_decimal(key: str, unit: str, raw: object) -> Decimal:
    if type(raw) is int:
        return Decimal(raw)
    if isinstance(raw, Decimal | str):
        try:
            value = Decimal(raw.strip() if isinstance(raw, str) else raw)
        except InvalidOperation:
            value = None
        if value is not None and value.is_finite():
            return value
    raise _wrong_type(key, unit, raw, 'an exact decimal like "0.5"')


def _as_fraction(key: str, unit: str, raw: object) -> Fraction:
    if isinstance(raw, Fraction) or type(raw) is int:
        return Fraction(raw)
    if isinstance(raw, Decimal) and raw.is_finite():
        return Fraction(raw)
    if isinstance(raw, str):
        try:
            return Fraction(raw.strip())
        except (ValueError, ZeroDivisionError):
            pass
    raise _wrong_type(key, unit, raw, 'a fraction like "1/3"')


def _as_money(key: str, unit: str, raw: object, currency: str) -> Money:
    if isinstance(raw, bool):
        raise _wrong_type(key, unit, raw, 'an amount like "500.00"')
    money = Money.coerce(raw, currency, field=key)
    if money.currency != currency:
        raise InvalidInputError(key, raw, f"must be in {currency}")
    return money
