"""What a compliance check reports."""

from __future__ import annotations

import enum
from typing import Any

import attrs

from plandebt.projections import serialise
from plandebt.ruleset import Rule, RuleValue
from plandebt.ruleset.rule import value_text


class Severity(enum.Enum):
    ERROR = "error"  # the plan or a payment breaks the rule
    WARNING = "warning"  # a breach a court may overlook, or one to look into
    INFO = "info"  # something a reader should know; not a breach

    @property
    def order(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@attrs.frozen
class ValueUsed:
    """A ruleset value a finding rests on: its key, the value the check read, and
    when an override replaced it, the default of the ruleset's version."""

    key: str
    value: RuleValue
    overridden: bool = False
    default: RuleValue | None = None  # set only when overridden

    @classmethod
    def of(cls, rule: Rule) -> ValueUsed:
        return cls(rule.key, rule.value, rule.overridden, rule.default)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "value": value_text(self.value),
            "overridden": self.overridden,
            "default": None if self.default is None else value_text(self.default),
        }


@attrs.frozen
class Finding:
    """One breach or remark, with the article, what it concerns, and the ids of the
    facts that caused it."""

    rule: str
    article: str
    severity: Severity
    message: str  # in English: stable for machines and the tests
    #: The same in French, in the Code de commerce's terms, dates as 20/06/2024
    #: (every rule writes one; the default keeps a hand-made Finding valid).
    message_fr: str = ""
    evidence: tuple[str, ...] = ()
    creditor: str | None = None
    claim: str | None = None
    instalment: str | None = None  # a due date, or "year k" of an option
    confidence: str = "S"  # of the legal values the rule uses: T, S or U
    #: The ruleset values the rule rests on (its parameters, and what else it
    #: read, such as a year of a table), each saying whether it was overridden.
    values: tuple[ValueUsed, ...] = ()

    @property
    def overridden(self) -> tuple[ValueUsed, ...]:
        """The values it rests on that an override replaced."""
        return tuple(v for v in self.values if v.overridden)

    def to_dict(self) -> dict[str, Any]:
        return serialise.fields(self)
