"""The JSON contract of the `plandebt` command: one envelope for every view, and a
JSON Schema per view shipped beside this module (`<view>.json`).

Every `--json` output is one document built by `envelope`:

    {"schema": "plandebt.<view>/1", "case": ..., "as_of": ..., "known_at":
     {"position": ..., "recorded_at": ...}, "<view>": ...}

The schema files are written from the definitions in `plandebt.schemas.views` by
`python -m plandebt.schemas` (which also writes the key tables of docs/json.md); a
test checks that both are up to date, and validates every command's output.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["VERSION", "envelope", "schema", "schema_id"]

#: The version of every view's shape: a key removed or changing meaning makes it 2.
VERSION = 1


def schema_id(view: str) -> str:
    """The value of the envelope's "schema" key for `view`: plandebt.<view>/1."""
    return f"plandebt.{view}/{VERSION}"


def envelope(
    view: str,
    body: Any,
    *,
    case: str | None,
    as_of: date | None,
    position: int | None = None,
    recorded_at: datetime | None = None,
) -> dict[str, Any]:
    """The one JSON document a command prints for `view`: which schema it follows,
    which case (None across cases), the effective date viewed (None when the view
    has none), the point of the recording clock it was made at (`position`: how
    many facts of the case it is made of; `recorded_at`: when the last of them was
    recorded, or the datetime asked across cases; None when not given), and the
    view's own content under the key `view`."""
    return {
        "schema": schema_id(view),
        "case": case,
        "as_of": None if as_of is None else as_of.isoformat(),
        "known_at": {
            "position": position,
            "recorded_at": None if recorded_at is None else recorded_at.isoformat(),
        },
        view: body,
    }


@cache
def _text(view: str) -> str:
    return resources.files(__package__).joinpath(f"{view}.json").read_text("utf-8")


def schema(view: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of `view`'s documents, as shipped."""
    loaded: dict[str, Any] = json.loads(_text(view))
    return loaded
