"""The versions of the ruleset and which one applies to a case.

Each version's rules are data, in ``data/<name>.toml`` next to this module (one table
per rule: type, value, unit, article, confidence, note; in catalogue order). A file is
read the first time its version is asked for, then kept, and is checked as strictly
as an override: a value that does not parse in its declared type, an unknown or
missing field, a rule defined twice or a file naming another version is an error, so
a mistake in the data stops the program instead of surfacing as a wrong finding.
"""

from __future__ import annotations

import functools
import os
import tomllib
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from plandebt.errors import InvalidInputError
from plandebt.ruleset.coercion import parse_value
from plandebt.ruleset.rule import KINDS, Rule
from plandebt.ruleset.ruleset import Ruleset

#: Ordonnance 2021-1193 (décret 2021-1218) applies to proceedings opened from this day.
REFORM_DATE = date(2021, 10, 1)
PRE_REFORM = "pre-2021-10-01"
POST_REFORM = "2021-10-01"

#: The data file of each version, in the package's ``data`` folder.
FILES = {PRE_REFORM: "pre_reform.toml", POST_REFORM: "post_reform.toml"}

_FIELDS = ("type", "value", "unit", "article", "confidence", "note")


def parse_version(text: str, version: str, origin: str) -> Ruleset:
    """The ruleset `version` from the TOML text of its data file (`origin` names the
    file in errors)."""
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as e:
        raise InvalidInputError(
            "ruleset_file", origin, f"is not valid TOML: {e}"
        ) from e
    unknown = set(data) - {"version", "rules"}
    if unknown:
        key = sorted(unknown)[0]
        raise InvalidInputError(
            key,
            data[key],
            f"unknown top-level key in {origin} (expected version, rules)",
        )
    if data.get("version") != version:
        raise InvalidInputError(
            "version", data.get("version"), f"{origin} must hold version {version}"
        )
    rules = data.get("rules")
    if not (isinstance(rules, dict) and rules):
        raise InvalidInputError(
            "rules", rules, f"{origin} must have [rules.<key>] tables"
        )
    return Ruleset(version, (_rule(key, table, origin) for key, table in rules.items()))


def _rule(key: str, table: Any, origin: str) -> Rule:
    where = f"rules.{key}"
    if not isinstance(table, dict):
        raise InvalidInputError(where, table, f"must be a table in {origin}")
    missing = [name for name in _FIELDS if name not in table]
    extra = sorted(set(table) - set(_FIELDS))
    if missing or extra:
        raise InvalidInputError(
            where,
            sorted(table),
            f"in {origin} must have exactly the fields {', '.join(_FIELDS)}",
        )
    kind, unit = table["type"], table["unit"]
    if kind not in KINDS:
        raise InvalidInputError(
            f"{where}.type", kind, f"in {origin} must be one of {', '.join(KINDS)}"
        )
    try:
        # A money rule's unit is its currency ("EUR").
        value = parse_value(key, kind, unit, table["value"], currency=unit)
        return Rule(
            key, value, unit, table["article"], table["confidence"], table["note"]
        )
    except InvalidInputError as e:
        raise InvalidInputError(
            f"{where}.{e.field}" if e.field != key else f"{where}.value",
            e.value,
            f"in {origin}: {e.reason}",
        ) from e


_DATA = os.path.join(os.path.dirname(__file__), "data")


@functools.cache
def _load(version: str) -> Ruleset:
    name = FILES[version]
    # A plain file read, not importlib.resources: that would add some 15 ms of
    # imports to every CLI start, and plandebt is never run from a zip archive.
    with open(os.path.join(_DATA, name), encoding="utf-8") as f:
        text = f.read()
    return parse_version(text, version, f"plandebt/ruleset/data/{name}")


def versions_with(key: str) -> list[str]:
    """The versions that hold a rule `key`."""
    return [version for version in FILES if key in _load(version)]


# --- choosing a version ---------------------------------------------------------------


def ruleset_version(version: str) -> Ruleset:
    """The ruleset of a version by name ("pre-2021-10-01" or "2021-10-01")."""
    if not (isinstance(version, str) and version in FILES):
        raise InvalidInputError(
            "version",
            version,
            f"unknown ruleset version; known: {', '.join(FILES)}",
        )
    return _load(version)


def ruleset_for(
    opened_on: date,
    overrides: Mapping[str, object] | str | os.PathLike[str] | None = None,
) -> Ruleset:
    """The ruleset for a proceeding opened on `opened_on` (the opening judgment's
    date), with optional overrides: a mapping, or the path of a TOML file."""
    # datetime is a date subclass, but an opening judgment has a date, not a time.
    if isinstance(opened_on, datetime) or not isinstance(opened_on, date):
        raise InvalidInputError(
            "opened_on", opened_on, "must be the opening judgment's date (a date)"
        )
    # Ord. 2021-1193 does not apply to proceedings already open on 1 Oct 2021.
    base = _load(PRE_REFORM if opened_on < REFORM_DATE else POST_REFORM)
    if overrides is None:
        return base
    if isinstance(overrides, str | os.PathLike):
        return base.from_toml(overrides)
    return base.with_overrides(overrides)
