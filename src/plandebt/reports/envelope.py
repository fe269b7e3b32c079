"""The envelope of every JSON view of the reports: which view and version, the
case, the date viewed, and what was known (the log position, and when its last fact
was recorded), so that a reader can ask the same question again."""

from __future__ import annotations

from datetime import date
from typing import Any

from plandebt.ledger import Ledger
from plandebt.projections.index import KnownAt


def envelope(
    view: str,
    ledger: Ledger,
    case: str,
    as_of: date | None,
    known_at: KnownAt,
    body: Any,
) -> dict[str, Any]:
    """`{"schema": "plandebt.<view>/1", "case", "as_of", "known_at", "<view>"}`;
    the schema is `plandebt/schemas/<view>.json`."""
    index = ledger.index(case, known_at)
    position = index.position(known_at)
    recorded_at = index.log[position - 1].recorded_at if position else None
    return {
        "schema": f"plandebt.{view}/1",
        "case": case,
        "as_of": None if as_of is None else as_of.isoformat(),
        "known_at": {
            "position": position,
            "recorded_at": None if recorded_at is None else recorded_at.isoformat(),
        },
        view: body,
    }
