"""One legal number: its value, unit, article and confidence (`Rule`), and the
types a value may have."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from plandebt.errors import InvalidInputError
from plandebt.money import Money

#: The law primer's confidence tags.
CONFIDENCE = {
    "T": "article text read in a mirror of Légifrance",
    "S": "practitioner or secondary source; article not read",
    "U": "unverified, or a plandebt policy rather than law: check and set it",
}

RuleValue = int | Decimal | Fraction | Money | bool | str

#: The types of value a rule may have, by the name the data files, the typed
#: accessors of `Ruleset` and the error messages use; each with how to say it.
KINDS: dict[str, tuple[type, str]] = {
    "flag": (bool, "a flag"),
    "integer": (int, "a whole number"),
    "decimal": (Decimal, "an exact decimal"),
    "fraction": (Fraction, "a fraction"),
    "money": (Money, "an amount of money"),
    "text": (str, "a text"),
}

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


def kind_of(value: RuleValue) -> str:
    """The name in `KINDS` of a value's type."""
    if isinstance(value, bool):  # before int: bool is an int subclass
        return "flag"
    for name, (python_type, _what) in KINDS.items():
        if isinstance(value, python_type):
            return name
    raise TypeError(f"{type(value).__name__} is not a rule value type")


def value_text(value: RuleValue) -> str:
    """A value as text: what the CLI, docs and reports show, and what an override
    given as a string reads back unchanged."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Money):
        return value.plain()
    return str(value)


def _check_key(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not (isinstance(value, str) and _KEY.match(value)):
        raise InvalidInputError("key", value, "must be snake_case")


def _check_value(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, float) or not isinstance(
        value, int | Decimal | Fraction | Money | str
    ):
        raise InvalidInputError(
            attribute.name,
            value,
            "must be an int, Decimal, Fraction, Money, bool or str",
        )


def _check_line(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not (isinstance(value, str) and value.strip() and "\n" not in value):
        raise InvalidInputError(attribute.name, value, "must be one non-empty line")


def _check_confidence(
    instance: Any, attribute: attrs.Attribute[Any], value: Any
) -> None:
    if value not in CONFIDENCE:
        raise InvalidInputError("confidence", value, "must be T, S or U")


@attrs.frozen
class Rule:
    """One legal number: value, unit, the article it comes from, how sure we are."""

    key: str = attrs.field(validator=_check_key)
    value: RuleValue = attrs.field(validator=_check_value)
    unit: str = attrs.field(validator=_check_line)
    article: str = attrs.field(validator=_check_line)
    confidence: str = attrs.field(validator=_check_confidence)
    note: str = attrs.field(validator=_check_line)
    overridden: bool = False
    #: Where an override came from ("python", a TOML path...); empty if none.
    source: str = ""
    #: The value this version of the ruleset gives, when it was overridden.
    default: RuleValue | None = None

    @property
    def kind(self) -> str:
        """The type of the value, by its name in `KINDS` ("integer", "money"...)."""
        return kind_of(self.value)

    def value_text(self) -> str:
        """The value as text; `Ruleset.with_overrides` reads it back unchanged."""
        return value_text(self.value)
