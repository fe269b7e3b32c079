"""Printing a view as the one JSON document of the contract (docs/json.md): the
envelope of `plandebt.schemas.envelope`, with the recording clock read from the
ledger. Any subcommand with --json prints through `emit_case` (a view of one case)
or `emit` (across cases, or no case)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import IO, TYPE_CHECKING, Any

from plandebt.schemas import envelope

if TYPE_CHECKING:
    from plandebt.decisions.state import KnownAt
    from plandebt.ledger import Ledger

#: The keys a library view's `to_dict` repeats that the envelope carries.
ENVELOPE_KEYS = ("case", "as_of", "known_at", "position")


def dump(document: Any, out: IO[str]) -> None:
    json.dump(document, out, indent=2, ensure_ascii=False)
    out.write("\n")


def body(data: dict[str, Any]) -> dict[str, Any]:
    """A library view's dict without the keys the envelope carries (its keys are the
    library's: one name per meaning, see plandebt.schemas.views)."""
    return {k: v for k, v in data.items() if k not in ENVELOPE_KEYS}


def clock(ledger: Ledger, case: str, known_at: KnownAt) -> tuple[int, datetime | None]:
    """How many facts of `case` a view as known at `known_at` is made of, and when
    the last of them was recorded."""
    index = ledger.index(case, known_at)
    position = index.position(known_at)
    facts = index.history(position)
    return position, facts[-1].recorded_at if facts else None


def emit_case(
    out: IO[str],
    view: str,
    content: Any,
    *,
    ledger: Ledger,
    case: str,
    as_of: date | None,
    known_at: KnownAt = None,
) -> None:
    """Prints `content` as the document of `view` for one case."""
    position, recorded_at = clock(ledger, case, known_at)
    dump(
        envelope(
            view,
            content,
            case=case,
            as_of=as_of,
            position=position,
            recorded_at=recorded_at,
        ),
        out,
    )


def emit(
    out: IO[str],
    view: str,
    content: Any,
    *,
    as_of: date | None = None,
    known_at: datetime | None = None,
) -> None:
    """Prints `content` as the document of `view` across cases (or of none)."""
    dump(envelope(view, content, case=None, as_of=as_of, recorded_at=known_at), out)
