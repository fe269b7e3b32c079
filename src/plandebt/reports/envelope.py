"""The envelope of the reports' JSON views: the contract's one envelope
(`plandebt.schemas.envelope`), with what was known read from the ledger (the log
position, and when its last fact was recorded), so that a reader can ask the same
question again."""

from __future__ import annotations

from datetime import date
from typing import Any

from plandebt.ledger import Ledger
from plandebt.projections.index import KnownAt
from plandebt.schemas import envelope as contract_envelope


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
    return contract_envelope(
        view, body, case=case, as_of=as_of, position=position, recorded_at=recorded_at
    )
