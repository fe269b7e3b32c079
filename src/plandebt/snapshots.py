"""Snapshots of case streams: each holds the facts recorded since the previous one.

What a case's state is made of is its whole log (an answer "as known at K" may need
any fact, in any version), so no snapshot can fold it into something smaller and
still answer every K. A snapshot here is therefore a *part* of the log: the facts of
positions `first..last`, once, as one JSON text, stored at the stream version that
follows its last fact (`last + 1`, eventsourcing's snapshot key). Parts join end to
start; a case of n facts has about n / interval parts, and the store holds each fact
once in its events and once in a part (before, every snapshot held the whole log
again: 40,000 facts made snapshots 14 times the size of the events).

Loading walks back from the newest part to the first (one lookup per part), then
applies them oldest first and reads the events after the last. Each part is checked
before it is used, and a part that fails a check is deleted and read from the events
instead (never used, never silently):

- its digest (SHA-256 of its text) and its positions (`first..last`, every fact's
  `seq` in order) must be its own;
- the store's event at its last position must carry the same fact (so the parts and
  the events they stand for cannot disagree at any part's end: a store restored
  from an older backup, a stream rewritten under the snapshots, a part written from
  a diverged state are all caught there).

Snapshots written by earlier versions (the whole log up to a version, `facts` a list)
are read as a part from position 1; once one is on the chain, every older snapshot of
the stream is redundant and deleted (pruning).

Two writers that cross the same boundary at once write the same part at the same
version: the second insert is refused by the store's key and ignored, since what is
there is what it would have written (and is checked when read).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import typing
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from eventsourcing.domain import Snapshot
from eventsourcing.persistence import IntegrityError, PersistenceError

from plandebt import personal
from plandebt.events import Fact
from plandebt.storage import (
    STREAM_TOPIC,
    CaseStream,
    LedgerApplication,
    advance,
    delete_snapshots,
    fact_of,
    put_snapshot,
    snapshot_at_or_below,
    stream_at,
)

if TYPE_CHECKING:
    from plandebt.ledger import _Case

FORMAT = 2
log = logging.getLogger("plandebt.snapshots")
_JSON = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


class Part(typing.NamedTuple):
    version: int  # the stream version it is stored at (last + 1)
    first: int
    last: int
    text: str  # the facts, as JSON (parsed when applied: one part at a time)
    legacy: list[dict[str, Any]] | None  # an earlier version's: the facts, decoded


# --- writing ----------------------------------------------------------------------------


def write(app: LedgerApplication, case: _Case, interval: int, *, to_head: bool) -> None:
    """Stores the parts the case is due: one per `interval` facts since the parts
    already cover (`case.snapshot_at`), ending on multiples of `interval`, so two
    writers cut the same parts; with `to_head`, a last part up to the head."""
    if not case.snapshots_known:
        # Read by a rebuild (which ignores snapshots): what the store holds already
        # is not cut again.
        newest = snapshot_at_or_below(app, CaseStream.create_id(case.state.case), None)
        if newest is not None:
            case.snapshot_at = max(case.snapshot_at, newest.originator_version - 1)
        case.snapshots_known = True
    head = case.state.head
    start = min(case.snapshot_at, head)
    ends = []
    if interval > 0:
        end = (start // interval + 1) * interval
        while end <= head:
            ends.append(end)
            end += interval
    if to_head and head > (ends[-1] if ends else start):
        ends.append(head)
    for end in ends:
        _put(app, case, start, end)
        start = case.snapshot_at = end


def _put(app: LedgerApplication, case: _Case, start: int, end: int) -> None:
    assert app.snapshots is not None and case.stream is not None
    texts = case.texts
    sealed = personal.of(app).seal
    text = (
        "["
        + ",".join(
            texts.get(f.seq or 0)
            # As stored: personal fields sealed again (the same bytes, see
            # plandebt.personal).
            or _JSON.encode(sealed(case.state, f.to_dict()))
            for f in case.state.log[start:end]
        )
        + "]"
    )
    stream = case.stream
    snapshot = Snapshot(
        originator_id=stream.id,
        originator_version=end + 1,
        timestamp=datetime.now(UTC),
        topic=STREAM_TOPIC,
        state={
            "format": FORMAT,
            "first": start + 1,
            "last": end,
            "count": end - start,
            "digest": _digest(text),
            "facts": text,
            # So that eventsourcing's own repository.get() still makes a stream.
            "_created_on": stream.created_on,
            "_modified_on": stream.modified_on,
            "case": case.state.case,
        },
    )
    # Another writer may have stored this part first: the same facts at the same
    # positions, which is what this one would store (and it is checked when read).
    with contextlib.suppress(IntegrityError):
        put_snapshot(app, snapshot)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf8")).hexdigest()


# --- reading ----------------------------------------------------------------------------


def load(app: LedgerApplication, case: _Case) -> None:
    """Fills a new case from its snapshots (see the module's docstring); the caller
    then reads the events after `case.stream.version`."""
    case.snapshots_known = True
    if app.snapshots is None:
        return
    ref = case.state.case
    stream_id = CaseStream.create_id(ref)
    opened = personal.of(app).open  # personal fields in clear, or erased
    chain = _chain(app, stream_id, case)  # newest first
    if not chain:
        return
    first = chain[-1].first
    if chain[-1].legacy is not None:
        case.prune.append(([], chain[-1].version))  # every older one is redundant
    if first > 1:
        # The oldest part does not reach back to the start: the positions before it
        # are read from the events.
        for domain_event in app.events.get(stream_id, lte=first):
            case.stream = advance(case.stream, domain_event)
            data = fact_of(domain_event)
            if data is not None:
                case.apply(Fact.from_stored(opened(data)))
        if case.state.head != first - 1:
            _reset(case)
            return
        case.gap = first - 1  # to store again once loaded (see `tidy`)
    while chain:
        part = chain.pop()  # the oldest left; its text is let go once applied
        facts = _facts(part)
        at = None if facts is None else _check_end(app, stream_id, part, facts[-1])
        if facts is None or at is None:
            log.warning(
                "snapshot of %s at position %d does not match the stored events; "
                "deleted, the case is read from its events from there",
                ref,
                part.last,
            )
            case.prune.append(([part.version], None))
            break
        for data in facts[case.state.head - part.first + 1 :]:
            case.apply(Fact.from_stored(opened(data)))
        case.stream = stream_at(stream_id, ref, part.version, at)
        case.snapshot_at = part.last


def _chain(app: LedgerApplication, stream_id: uuid.UUID, case: _Case) -> list[Part]:
    """The parts that join, newest first, from the newest back to the first (or to
    where one is missing or fails its own checks)."""
    assert app.snapshots is not None
    chain: list[Part] = []
    lte: int | None = None
    while True:
        found = snapshot_at_or_below(app, stream_id, lte)
        if found is None:
            break
        snapshot = typing.cast(Snapshot, found)
        part = _part(snapshot)
        if part is None:
            log.warning(
                "snapshot of stream %s at version %d is damaged; deleted",
                stream_id,
                snapshot.originator_version,
            )
            case.prune.append(([snapshot.originator_version], None))
            if chain:
                break  # the parts after it stay usable, the positions before are read
            lte = snapshot.originator_version - 1  # the newest is damaged: the next
            continue
        if chain and part.last != chain[-1].first - 1:
            break  # it does not join (parts cut by writers of other intervals)
        chain.append(part)
        if part.first == 1:
            break
        lte = part.first  # the part that ends at first - 1 is stored at `first`
    return chain


def _part(snapshot: Snapshot) -> Part | None:
    """The part a snapshot holds, or None if it fails its own checks (its digest
    and its positions; its facts are checked when applied, see `_facts`)."""
    state = snapshot.state
    version = snapshot.originator_version
    facts: Any = state.get("facts")
    if state.get("format") is None and isinstance(facts, list):
        # An earlier version's snapshot: the whole log up to its version.
        return Part(version, 1, version - 1, "", facts)
    if state.get("format") != FORMAT or not isinstance(facts, str):
        return None
    first, last = state.get("first"), state.get("last")
    if not isinstance(first, int) or not isinstance(last, int):
        return None
    if last != version - 1 or not 1 <= first <= last:
        return None
    if _digest(facts) != state.get("digest"):
        return None
    return Part(version, first, last, facts, None)


def _facts(part: Part) -> list[dict[str, Any]] | None:
    """The part's facts, if they are as many as its positions and in their order."""
    facts: Any = part.legacy
    if facts is None:
        try:
            facts = json.loads(part.text)
        except ValueError:
            return None
    if not isinstance(facts, list) or len(facts) != part.last - part.first + 1:
        return None
    for seq, data in enumerate(facts, start=part.first):
        if not isinstance(data, dict) or data.get("seq") != seq:
            return None
    return facts


def _check_end(
    app: LedgerApplication, stream_id: uuid.UUID, part: Part, held: dict[str, Any]
) -> datetime | None:
    """The time of the store's event at the part's last position, if it carries the
    part's last fact (None otherwise)."""
    events = list(app.events.get(stream_id, gt=part.version - 1, lte=part.version))
    if len(events) != 1:
        return None
    data = fact_of(events[0])
    if data is None:
        return None
    try:
        stored = Fact.from_stored(data).to_dict()
        expected = Fact.from_stored(held).to_dict()
    except (KeyError, TypeError, ValueError):
        return None
    if stored != expected:
        return None
    at: datetime = typing.cast(Any, events[0]).timestamp
    return at


def _reset(case: _Case) -> None:
    from plandebt import decisions
    from plandebt.projections.index import CaseIndex

    case.stream = None
    case.state = decisions.initial_state(case.state.case)
    case.index = CaseIndex(case.state)
    case.snapshot_at = 0


def _delete(
    app: LedgerApplication,
    stream_id: uuid.UUID,
    versions: Sequence[int] = (),
    *,
    before: int | None = None,
) -> None:
    try:
        delete_snapshots(app, stream_id, versions, before=before)
    except PersistenceError as e:  # pruning is tidying: a failure waits for next time
        log.debug("could not delete snapshots of stream %s: %s", stream_id, e)


def tidy(app: LedgerApplication, case: _Case, interval: int) -> None:
    """Deletes the snapshots `load` found damaged or redundant, and stores again the
    parts missing before the oldest one it used (after the load: a writer loads
    while it holds the store's write lock)."""
    stream_id = CaseStream.create_id(case.state.case)
    for versions, before in case.prune:
        _delete(app, stream_id, versions, before=before)
    case.prune = []
    gap, case.gap = case.gap, 0
    if gap and interval > 0 and case.stream is not None:
        start = 0
        while start < gap:
            end = min((start // interval + 1) * interval, gap)
            with contextlib.suppress(PersistenceError):
                _put(app, case, start, end)
            start = end
