"""Reading a TOML file of overrides (its format: the package's docstring)."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Container
from decimal import Decimal
from typing import Any

from plandebt.errors import InvalidInputError


def read_toml(
    path: str | os.PathLike[str], keys: Container[str]
) -> tuple[str | None, dict[str, Any]]:
    """The optional ``version`` and the ``[overrides]`` table of the file at `path`;
    `keys` are the rule keys, to hint that one was put outside the table."""
    name = os.fspath(path)
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f, parse_float=Decimal)
    except OSError as e:
        raise InvalidInputError("overrides_file", name, f"cannot be read: {e}") from e
    except tomllib.TOMLDecodeError as e:
        raise InvalidInputError(
            "overrides_file", name, f"is not valid TOML: {e}"
        ) from e
    for key in data:
        if key not in ("version", "overrides"):
            hint = (
                " put rule values under [overrides]"
                if key in keys
                else " expected only 'version' and an [overrides] table"
            )
            raise InvalidInputError(
                key, data[key], f"unknown top-level key in {name};" + hint
            )
    version = data.get("version")
    if version is not None and not isinstance(version, str):
        raise InvalidInputError("version", version, "must be a string")
    overrides = data.get("overrides", {})
    if not isinstance(overrides, dict):
        raise InvalidInputError("overrides", overrides, "must be a TOML table")
    return version, overrides
