"""The head of a case's history, as a report prints it: the position of the last
fact the report is made of, and the SHA-256 of the history up to it, so that a
reader can check the figures against the books."""

from __future__ import annotations

from typing import Any

from plandebt.ledger import Ledger
from plandebt.projections.index import KnownAt

#: (position, SHA-256 in hex or None while the ledger keeps no hash).
HistoryHead = tuple[int, str | None]


def head_of(ledger: Ledger, case: str, known_at: KnownAt = None) -> HistoryHead | None:
    """The head of `case` as known at `known_at`, or None if it holds no fact."""
    position = ledger.position(case, known_at)
    if position == 0:
        return None
    # MERGE: once Ledger.head(case) -> Head(position, hash) lands (the integrity
    # branch), this line becomes, for known_at None:
    #     head = ledger.head(case); return (head.position, head.hash)
    return (position, None)


def head_json(head: HistoryHead | None) -> dict[str, Any] | None:
    """The head in a JSON view: `{"position": N, "sha256": hex or null}`, or null."""
    return None if head is None else {"position": head[0], "sha256": head[1]}
