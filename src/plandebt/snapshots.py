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
  a diverged state are all caught there);
- in a chained case (`plandebt.integrity`), the part's facts, hashed one after the
  other from the hash before its first position, must end on the hash the store's
  event at its last position carries: a fact changed inside a part, even with the
  part's digest recomputed, is caught there.

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

from plandebt import integrity, personal
from plandebt.events import Fact
from plandebt.storage import (
    STREAM_TOPIC,
    CaseStream,
    DamagedSnapshot,
    LedgerApplication,
    advance,
    chain_of,
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
    chain: Any = None  # {"prev", "head", "unverified"}: its facts' hashes (or None)


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
    facts = case.state.log[start:end]
    # As stored: personal fields sealed again (the same bytes: plandebt.personal).
    sealed = personal.of(app).seal
    parts = [
        texts.get(f.seq or 0) or _JSON.encode(sealed(case.state, f.to_dict()))
        for f in facts
    ]
    text = "[" + ",".join(parts) + "]"
    stream = case.stream
    chain = None
    prev = hash_at(app, case, start)
    if prev is not None:
        flags = case.unverified
        own = prev
        for fact, fact_text in zip(facts, parts, strict=True):
            own = integrity.link(fact, fact_text, own, fact.seq in flags).hash
        chain = {
            "prev": prev,
            "head": own,
            "unverified": sorted(p for p in flags if start < p <= end),
        }
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
            "chain": chain,
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


def hash_at(app: LedgerApplication, case: _Case, position: int) -> str | None:
    """The hash of the case's fact at `position` as the store holds it (the
    genesis at 0), or None if the case is not chained there."""
    if case.head_hash is None:
        return None
    if position == 0:
        return integrity.genesis(case.state.case)
    stream_id = CaseStream.create_id(case.state.case)
    events = list(app.events.get(stream_id, gt=position, lte=position + 1))
    link = integrity.Link.from_stored(chain_of(events[0])) if events else None
    return None if link is None else link.hash


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
                case.follow(chain_of(domain_event))
        if case.state.head != first - 1:
            _reset(case)
            return
        case.gap = first - 1  # to store again once loaded (see `tidy`)
    while chain:
        part = chain.pop()  # the oldest left; its text is let go once applied
        facts = _facts(part)
        at, block = None, None
        if facts is not None:
            ended = _check_end(app, stream_id, part, facts[-1][0])
            if ended is not None and _chain_holds(case, part, facts, ended[1]):
                at, block = ended
        if facts is None or at is None:
            log.warning(
                "snapshot of %s at position %d does not match the stored events; "
                "deleted, the case is read from its events from there",
                ref,
                part.last,
            )
            case.prune.append(([part.version], None))
            break
        for data, _text in facts[case.state.head - part.first + 1 :]:
            case.apply(Fact.from_stored(opened(data)))
        _follow_part(case, part, block)
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
        part = None if isinstance(found, DamagedSnapshot) else _part(found)
        if part is None:
            log.warning(
                "snapshot of stream %s at version %d is damaged; deleted",
                stream_id,
                found.originator_version,
            )
            case.prune.append(([found.originator_version], None))
            if chain:
                break  # the parts after it stay usable, the positions before are read
            lte = found.originator_version - 1  # the newest is damaged: the next
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
    return Part(version, first, last, facts, None, state.get("chain"))


_DECODER = json.JSONDecoder()


def _split(text: str) -> list[tuple[Any, str]] | None:
    """The values of a JSON array, each with its exact text (what its hash covers)."""
    if not text.startswith("["):
        return None
    out: list[tuple[Any, str]] = []
    at, end = 1, len(text)
    if text[1:2] == "]":
        return out if end == 2 else None
    while at < end:
        value, stop = _DECODER.raw_decode(text, at)
        out.append((value, text[at:stop]))
        if text[stop : stop + 1] == ",":
            at = stop + 1
            continue
        return out if text[stop:] == "]" else None
    return None


def _facts(part: Part) -> list[tuple[dict[str, Any], str]] | None:
    """The part's facts with their texts, if they are as many as its positions and
    in their order."""
    facts: Any
    if part.legacy is not None:
        try:
            facts = [(data, integrity.journal_text(data)) for data in part.legacy]
        except (TypeError, ValueError):
            return None
    else:
        try:
            facts = _split(part.text)
        except ValueError:
            return None
    if facts is None or len(facts) != part.last - part.first + 1:
        return None
    for seq, (data, _text) in enumerate(facts, start=part.first):
        if not isinstance(data, dict) or data.get("seq") != seq:
            return None
    return list(facts)


def _part_hashes(
    case: str, part: Part, facts: list[tuple[dict[str, Any], str]], prev: str
) -> str | None:
    """The hash at the part's last position, its facts hashed from `prev` (None if
    its chain block is malformed). A part cut before the chain has no block: none
    of its facts came from an unverified restore."""
    chain = part.chain
    flags: Any = [] if chain is None else chain.get("unverified")
    if chain is not None and (
        not isinstance(chain, dict) or not isinstance(flags, list)
    ):
        return None
    marked = set(flags)
    own = prev
    for data, text in facts:
        seq, at = data["seq"], data.get("recorded_at")  # seq: checked by _facts
        if not isinstance(at, str):
            return None
        own = integrity.link_hash(case, seq, at, own, seq in marked, text)
    return own


def _chain_holds(
    case: _Case, part: Part, facts: list[tuple[dict[str, Any], str]], stored: Any
) -> bool:
    """Whether the part's facts hash, from the case's head before the part, to the
    hash the store's event at the part's end carries."""
    end = integrity.Link.from_stored(stored) if stored is not None else None
    if end is None:
        return stored is None and part.chain is None  # recorded before the chain
    prev = case.head_hash
    if prev is None:
        return False
    if part.chain is not None and (
        not isinstance(part.chain, dict)
        or part.chain.get("prev") != prev
        or part.chain.get("head") != end.hash
    ):
        return False
    return _part_hashes(case.state.case, part, facts, prev) == end.hash


def _follow_part(case: _Case, part: Part, stored: Any) -> None:
    """The case's head hash and unverified positions once a part is applied."""
    end = integrity.Link.from_stored(stored) if stored is not None else None
    case.head_hash = None if end is None else end.hash
    if isinstance(part.chain, dict):
        case.unverified.update(part.chain.get("unverified", ()))


def stored_parts(
    app: LedgerApplication, stream_id: uuid.UUID
) -> list[tuple[int, Part | None]]:
    """Every snapshot the store holds of the stream, each with its part (None if it
    fails its own checks): what `plandebt verify` checks."""
    if app.snapshots is None:
        return []
    out: list[tuple[int, Part | None]] = []
    for stored in app.snapshots.recorder.select_events(stream_id):
        try:
            snapshot = typing.cast(
                Snapshot, app.snapshots.mapper.to_domain_event(stored)
            )
            part = _part(snapshot)
        except Exception:  # damaged beyond reading
            part = None
        out.append((stored.originator_version, part))
    return out


def first_difference(part: Part, hashes: Sequence[str], case: str) -> int | None:
    """The first position where a part differs from the events whose hashes are
    `hashes` (`hashes[p]`: the hash at position p), or None if it holds them."""
    facts = _facts(part)
    if facts is None:
        return part.first
    chain = part.chain
    if chain is not None and (
        not isinstance(chain, dict) or chain.get("prev") != hashes[part.first - 1]
    ):
        return part.first
    flags = [] if chain is None else chain.get("unverified")
    marked = set(flags) if isinstance(flags, list) else set()
    own = hashes[part.first - 1]
    for data, text in facts:
        seq, at = data["seq"], data.get("recorded_at")
        if not isinstance(at, str):
            return int(seq)
        own = integrity.link_hash(case, seq, at, own, seq in marked, text)
        if own != hashes[seq]:
            return int(seq)
    if chain is not None and chain.get("head") != own:
        return part.last
    return None


def _check_end(
    app: LedgerApplication, stream_id: uuid.UUID, part: Part, held: dict[str, Any]
) -> tuple[datetime, Any] | None:
    """The time and chain block of the store's event at the part's last position,
    if it carries the part's last fact (None otherwise)."""
    events = list(app.events.get(stream_id, gt=part.version - 1, lte=part.version))
    if len(events) != 1:
        return None
    data = fact_of(events[0])
    if data is None:
        return None
    try:
        stored = personal.read_stored(data)[1]
        expected = personal.read_stored(held)[1]
    except (KeyError, TypeError, ValueError):
        return None
    if stored != expected:
        return None
    at: datetime = typing.cast(Any, events[0]).timestamp
    return at, chain_of(events[0])


def _reset(case: _Case) -> None:
    from plandebt import decisions
    from plandebt.projections.index import CaseIndex

    case.stream = None
    case.state = decisions.initial_state(case.state.case)
    case.index = CaseIndex(case.state)
    case.snapshot_at = 0
    case.head_hash = integrity.genesis(case.state.case)
    case.unverified = set()


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
