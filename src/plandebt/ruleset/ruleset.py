"""The rules of one version (`Ruleset`): read through typed accessors (or like a
mapping), changed only into a new ruleset by overrides."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import TypeVar

import attrs

from plandebt.errors import InvalidInputError, RuleTypeError
from plandebt.money import Money
from plandebt.ruleset.coercion import coerce
from plandebt.ruleset.overrides import read_toml
from plandebt.ruleset.rule import KINDS, Rule, RuleValue, value_text

_V = TypeVar("_V", bool, int, Decimal, Fraction, Money, str)

#: Whole-number units that have an accessor of their own, so that a number of months
#: is never used as days.
_DURATIONS = ("days", "months", "years")

#: Keys the ruleset no longer has: numbers the law gives that no check of plandebt
#: reads (docs/ruleset.md lists them with their article). Overriding one is refused
#: with this reason, so that a value a user sets never silently does nothing.
RETIRED = frozenset(
    {
        "payment_nullity_action_years",
        "known_creditor_notice_days",
        "disputed_claim_answer_days",
        "claims_statement_objection_months",
        "observation_initial_months",
        "observation_renewal_months",
        "observation_exceptional_extension_months_rj",
        "rj_progress_review_months",
        "public_creditor_silence_months",
        "creditor_classes_apply",
        "classes_mandatory_min_employees",
        "classes_mandatory_min_turnover_with_employees",
        "classes_mandatory_min_turnover",
        "plan_modification_comment_days",
        "ags_liquidation_pay_months",
        "ags_pse_agreement_exclusion_months",
        "pse_min_redundancies",
        "pse_min_headcount",
    }
)

#: Yearly tables: rules `<table>_<year>` read by `money_by_year`. An override may add
#: a year the data files do not hold (a new PMSS): it is then tagged U, with the
#: article of the table.
YEARLY_TABLES = ("pmss",)
_YEARLY = re.compile(r"^(" + "|".join(YEARLY_TABLES) + r")_(\d{4})$")


def _as_rules(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    return tuple(rules)


@attrs.frozen
class Ruleset(Mapping[str, RuleValue]):
    """The rules of one version.

    Code reads a number with the accessor of its type, which refuses a rule of
    another type or unit (`RuleTypeError`): ``rules.years("plan_max_years")`` is an
    int, ``rules.money("small_claim_max")`` a Money. It also reads like a mapping,
    ``rules["plan_max_years"]``, whose values are the `RuleValue` union: for reports
    and loops over every rule, not for arithmetic."""

    version: str
    rules: tuple[Rule, ...] = attrs.field(converter=_as_rules)
    _index: Mapping[str, Rule] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        index: dict[str, Rule] = {}
        for rule in self.rules:
            if rule.key in index:
                raise InvalidInputError("rules", rule.key, "is defined twice")
            index[rule.key] = rule
        object.__setattr__(self, "_index", MappingProxyType(index))

    def __getitem__(self, key: str) -> RuleValue:
        return self.rule(key).value

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    # --- typed reads ------------------------------------------------------------------

    def flag(self, key: str) -> bool:
        """A yes/no rule (``deadline_extended_to_next_working_day``)."""
        return self._read(key, "flag", bool)

    def integer(self, key: str) -> int:
        """A whole number of any unit (a plan year, a headcount, a ratio); durations
        have their own accessors, `days`, `months` and `years`."""
        return self._read(key, "integer", int)

    def days(self, key: str) -> int:
        """A whole number of days (``plan_default_grace_days``)."""
        return self._read(key, "integer", int, unit="days")

    def months(self, key: str) -> int:
        """A whole number of months (``declaration_deadline_months``)."""
        return self._read(key, "integer", int, unit="months")

    def years(self, key: str) -> int:
        """A whole number of years (``plan_max_years``)."""
        return self._read(key, "integer", int, unit="years")

    def decimal(self, key: str) -> Decimal:
        """An exact decimal (the percents: ``min_annuity_percent`` is ``5``, not
        ``0.05``)."""
        return self._read(key, "decimal", Decimal)

    def fraction(self, key: str) -> Fraction:
        """An exact fraction (``severance_months_pay_per_year``, 1/4)."""
        return self._read(key, "fraction", Fraction)

    def money(self, key: str) -> Money:
        """An amount (``small_claim_max``)."""
        return self._read(key, "money", Money)

    def text(self, key: str) -> str:
        """A text rule (``public_holidays``)."""
        return self._read(key, "text", str)

    def money_by_year(self, table: str, year: int) -> Money | None:
        """The amount a yearly table gives for `year` (``money_by_year("pmss",
        2024)`` reads ``pmss_2024``), or None when it holds no such year."""
        if table not in YEARLY_TABLES:
            raise KeyError(f"no yearly table {table!r} in ruleset {self.version}")
        key = f"{table}_{year}"
        return self.money(key) if key in self._index else None

    def _read(
        self, key: str, kind: str, python_type: type[_V], unit: str | None = None
    ) -> _V:
        rule = self.rule(key)
        value = rule.value
        # The kind, not isinstance alone: a flag (bool) is also an int.
        if (
            rule.kind == kind
            and isinstance(value, python_type)
            and unit in (None, rule.unit)
        ):
            return value
        raise RuleTypeError(
            key,
            _describe(kind, unit),
            _describe(rule.kind, rule.unit),
            f"read it with {_accessor(rule)}",
        )

    def rule(self, key: str) -> Rule:
        try:
            return self._index[key]
        except KeyError:
            raise KeyError(f"no rule {key!r} in ruleset {self.version}") from None

    def overridden(self) -> list[Rule]:
        """The rules a user changed, in catalogue order (what reports must show)."""
        return [rule for rule in self.rules if rule.overridden]

    def with_overrides(
        self, overrides: Mapping[str, object], source: str = "python"
    ) -> Ruleset:
        """A new ruleset with these values, each marked overridden (even when equal
        to the default: the user pinned it). Raises on the first refused key; self
        is never changed."""
        if not isinstance(overrides, Mapping):
            raise InvalidInputError(
                "overrides", overrides, "must be a mapping of rule key to value"
            )
        if not (isinstance(source, str) and source.strip()):
            raise InvalidInputError(
                "source", source, "must name where the overrides come from"
            )
        changed = dict(self._index)
        added: list[str] = []
        for key, raw in overrides.items():
            rule = self._known(key, raw)
            new = key not in self._index
            changed[key] = attrs.evolve(
                rule,
                value=coerce(rule, raw),
                overridden=True,
                source=source,
                # Overriding twice still shows the version's own value as the default;
                # a year added to a table has none.
                default=None
                if new
                else rule.default
                if rule.overridden
                else rule.value,
            )
            if new and key not in added:
                added.append(key)
        return Ruleset(
            self.version,
            [changed[rule.key] for rule in self.rules] + [changed[k] for k in added],
        )

    def from_toml(self, path: str | os.PathLike[str]) -> Ruleset:
        """This ruleset with the overrides of a TOML file (format: the package's
        docstring)."""
        version, overrides = read_toml(path, self)
        if version is not None and version != self.version:
            raise InvalidInputError(
                "version",
                version,
                f"{os.fspath(path)} was written for ruleset {version}, "
                f"this case uses {self.version}",
            )
        return self.with_overrides(overrides, source=os.fspath(path))

    def as_table(self) -> list[dict[str, object]]:
        """One row per rule, values as text, for the CLI and reports."""
        return [
            {
                "key": rule.key,
                "value": rule.value_text(),
                "unit": rule.unit,
                "article": rule.article,
                "confidence": rule.confidence,
                "overridden": rule.overridden,
                "source": rule.source,
                "default": "" if rule.default is None else value_text(rule.default),
                "note": rule.note,
            }
            for rule in self.rules
        ]

    def _known(self, key: object, raw: object) -> Rule:
        if isinstance(key, str) and key in self._index:
            return self._index[key]
        if isinstance(key, str) and (m := _YEARLY.match(key)) is not None:
            # A year the table does not hold yet: shaped like the table's last one.
            last = max(
                (r for r in self.rules if _YEARLY.match(r.key)),
                key=lambda r: r.key,
                default=None,
            )
            if last is not None and last.key.startswith(m.group(1) + "_"):
                return attrs.evolve(
                    last,
                    key=key,
                    confidence="U",
                    note=f"{m.group(1).upper()} of {m.group(2)}, added by an override: "
                    "not in plandebt's data, check its source.",
                    overridden=False,
                    source="",
                    default=None,
                )
        # Imported here: the versions are built from this class.
        from plandebt.ruleset.versions import versions_with

        name = str(key)
        if name in RETIRED:
            raise InvalidInputError(
                name,
                raw,
                "was retired from the ruleset: no check of plandebt reads it, so a "
                "value for it would change nothing (docs/ruleset.md, 'Numbers "
                "plandebt does not use')",
            )
        reason = f"is not a rule of ruleset {self.version}"
        others = [v for v in versions_with(name) if v != self.version]
        if others:
            reason += f" (it exists only in {', '.join(others)})"
        else:
            close = difflib.get_close_matches(name, self._index, n=3)
            if close:
                reason += f"; did you mean {', '.join(close)}?"
        raise InvalidInputError(name, raw, reason)


def _describe(kind: str, unit: str | None) -> str:
    what = KINDS[kind][1]
    return what if unit is None or kind == "flag" else f"{what} in {unit}"


def _accessor(rule: Rule) -> str:
    """The typed accessor that reads `rule`."""
    if rule.kind == "integer" and rule.unit in _DURATIONS:
        return f"Ruleset.{rule.unit}() or Ruleset.integer()"
    return f"Ruleset.{rule.kind}()"
