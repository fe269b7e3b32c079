"""The head of a case's history, as a report prints it: the position of the last
fact the report is made of, and the SHA-256 of the history up to it, so that a
reader can check the figures against the books."""

from __future__ import annotations

from typing import Any

from plandebt.ledger import Ledger
from plandebt.projections.index import KnownAt

#: (position, SHA-256 in hex, or None where the chain gives no hash for it).
HistoryHead = tuple[int, str | None]


def head_of(ledger: Ledger, case: str, known_at: KnownAt = None) -> HistoryHead | None:
    """The head of `case` as known at `known_at`, or None if it holds no fact."""
    provenance = ledger.provenance(case, known_at)
    if provenance.position == 0:
        return None
    head = provenance.head
    if head is None or head.position != provenance.position:
        # A case recorded before the hash chain (docs/integrity.md: upgrade), or a
        # report as known at an earlier position than the case's head: the chain
        # keeps the hash of the head only, so the report names its position alone.
        return (provenance.position, None)
    return (head.position, head.hash)


def head_json(head: HistoryHead | None) -> dict[str, Any] | None:
    """The head in a JSON view: `{"position": N, "sha256": hex or null}`, or null."""
    return None if head is None else {"position": head[0], "sha256": head[1]}
