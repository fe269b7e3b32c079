"""The rules of one version (`Ruleset`): read like a mapping, changed only into a
new ruleset by overrides."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType

import attrs

from plandebt.errors import InvalidInputError
from plandebt.ruleset.coercion import coerce
from plandebt.ruleset.overrides import read_toml
from plandebt.ruleset.rule import Rule, RuleValue, value_text


def _as_rules(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    return tuple(rules)


@attrs.frozen
class Ruleset(Mapping[str, RuleValue]):
    """The rules of one version, read like a mapping: ``ruleset["plan_max_years"]``."""

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
        for key, raw in overrides.items():
            rule = self._known(key, raw)
            changed[key] = attrs.evolve(
                rule,
                value=coerce(rule, raw),
                overridden=True,
                source=source,
                # Overriding twice still shows the version's own value as the default.
                default=rule.default if rule.overridden else rule.value,
            )
        return Ruleset(self.version, (changed[rule.key] for rule in self.rules))

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
        # Imported here: the versions are built from this class.
        from plandebt.ruleset.versions import versions_with

        name = str(key)
        reason = f"is not a rule of ruleset {self.version}"
        others = [v for v in versions_with(name) if v != self.version]
        if others:
            reason += f" (it exists only in {', '.join(others)})"
        else:
            close = difflib.get_close_matches(name, self._index, n=3)
            if close:
                reason += f"; did you mean {', '.join(close)}?"
        raise InvalidInputError(name, raw, reason)
