"""The hash chain of each case, and what checks it (docs/integrity.md).

Every fact recorded in a case carries a *link*: the hash of the case's previous fact
(`prev`) and its own (`hash`), SHA-256 over a canonical text made of the chain's
format, the case, the fact's position, its recording time, the previous hash, whether
it came from an unverified restore, and its journal form (the compact JSON the codec
stores: `Fact.to_dict()`, personal fields sealed as `plandebt.personal` stores them).
The first fact's `prev` is the case's *genesis*, a hash of the case reference, so a
chain cannot be moved to another case.

The hash is over what the codec stores, before eventsourcing's own whole-event cipher
or compressor: it can be recomputed from the store, and a field the codec stores as
ciphertext is hashed as that ciphertext (destroying its key leaves the chain whole).

`verify_case` walks a case's stored events and its snapshots and reports the first
position where the history is not what was recorded: a fact altered, deleted,
inserted or moved, a link or a head that does not match, a snapshot that differs from
the events. The store also keeps each case's *head* (its last position and hash,
written in the same transaction as the facts), so a deleted last fact is seen too. An
auditor who wrote a head down can later prove the history up to it unchanged
(`against`). Anyone able to rewrite the whole store can recompute every hash and the
head: only a head kept outside the store (`plandebt verify --head`) proves against
that; this is a library policy, not a legal requirement.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from datetime import datetime
from typing import Any

import attrs

from plandebt.errors import InvalidInputError, StorageError
from plandebt.events import Fact

#: The chain's format, the first line of every hashed text.
CHAIN_FORMAT = "plandebt-chain/1"


_JSON = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
_HEX64 = re.compile(r"[0-9a-f]{64}")


class ChainError(StorageError):
    """The store's chain does not match its facts (run `plandebt verify`)."""


def genesis(case: str) -> str:
    """The `prev` of a case's first fact."""
    return hashlib.sha256(f"{CHAIN_FORMAT}\ngenesis\n{case}".encode()).hexdigest()


def journal_text(data: dict[str, Any]) -> str:
    """A fact's journal form as the store holds it: compact JSON, keys in the
    codec's order."""
    return _JSON.encode(data)


def link_hash(
    case: str, seq: int, recorded_at: str, prev: str, unverified: bool, text: str
) -> str:
    """The hash of a fact whose journal text is `text`."""
    head = f"{CHAIN_FORMAT}\n{case}\n{seq}\n{recorded_at}\n{prev}\n{int(unverified)}\n"
    digest = hashlib.sha256(head.encode())
    digest.update(text.encode())
    return digest.hexdigest()


@attrs.frozen
class Link:
    """What a stored fact carries of the chain."""

    prev: str
    hash: str
    unverified: bool = False

    def to_stored(self) -> dict[str, Any]:
        out: dict[str, Any] = {"prev": self.prev, "hash": self.hash}
        if self.unverified:
            out["unverified"] = True
        return out

    @staticmethod
    def from_stored(value: object) -> Link | None:
        """The link a stored chain block holds, or None if it is malformed."""
        if not isinstance(value, dict) or not set(value) <= {
            "prev",
            "hash",
            "unverified",
        }:
            return None
        prev, own, flag = value.get("prev"), value.get("hash"), value.get("unverified")
        if not (is_hash(prev) and is_hash(own)) or flag not in (None, True):
            return None
        return Link(str(prev), str(own), flag is True)


def is_hash(value: object) -> bool:
    return isinstance(value, str) and _HEX64.fullmatch(value) is not None


def link(fact: Fact, text: str, prev: str, unverified: bool = False) -> Link:
    """The link of a stamped fact whose journal text is `text`."""
    assert fact.seq is not None and fact.recorded_at is not None
    at = fact.recorded_at.isoformat()
    return Link(
        prev, link_hash(fact.case, fact.seq, at, prev, unverified, text), unverified
    )


@attrs.frozen
class Head:
    """A case's last position and the hash of its fact there: write it down, and a
    later `verify` against it proves the history up to it unchanged."""

    position: int
    hash: str

    def __str__(self) -> str:
        return f"{self.position}:{self.hash}"

    @staticmethod
    def parse(text: str) -> Head:
        """A head written POSITION:HASH (as `plandebt verify --head` prints it)."""
        position, _, digest = text.strip().partition(":")
        if not position.isascii() or not position.isdigit() or not is_hash(digest):
            raise InvalidInputError(
                "head",
                text,
                "must be POSITION:HASH, a position and 64 hexadecimal digits, as "
                "plandebt verify --head prints it",
            )
        return Head(int(position), digest)


@attrs.frozen
class Provenance:
    """What a view of a case as known at a position rests on: the facts up to that
    position, the case's head, and those of them restored unverified (by position
    and fact id), for a view or a report to cite."""

    case: str
    position: int
    head: Head | None  # the case's head (None: recorded before the chain)
    unverified: tuple[int, ...]
    unverified_facts: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "position": self.position,
            "head": None if self.head is None else _head_dict(self.head),
            "unverified": list(self.unverified),
            "unverified_facts": list(self.unverified_facts),
        }


# --- the report ------------------------------------------------------------------------

#: What a problem's `kind` says.
KINDS = {
    "altered": "a fact's stored content does not match its hash",
    "missing": "a fact is missing (deleted)",
    "inserted": "a fact was added outside plandebt",
    "reordered": "facts were moved or renumbered",
    "link": "a fact's previous hash is not the hash of the fact before it",
    "unreadable": "a stored event cannot be read",
    "unchained": "facts carry no hash (recorded before the chain, or outside it)",
    "head": "the case's head does not match its last fact",
    "snapshot": "a snapshot differs from the events it stands for",
    "read model": "the persisted read model differs from what the events give",
    "against": "the history differs from the head given to check against",
}


@attrs.frozen
class Problem:
    case: str
    position: int  # the first bad position (0: the case's start)
    kind: str  # a key of KINDS
    message: str

    def __str__(self) -> str:
        return f"{self.case}: position {self.position}: {self.kind}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "kind": self.kind,
            "message": self.message,
        }


@attrs.frozen
class CaseIntegrity:
    """What verifying one case found."""

    case: str
    facts: int  # the positions read from the store
    chained: bool
    head: Head | None  # the last position and hash, if the chain holds to it
    problems: tuple[Problem, ...]
    snapshots: int  # how many snapshots were checked
    against: Head | None = None  # the head checked against, if one was given

    @property
    def intact(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "intact": self.intact,
            "chained": self.chained,
            "facts": self.facts,
            "head": None if self.head is None else _head_dict(self.head),
            "against": None if self.against is None else _head_dict(self.against),
            "snapshots": self.snapshots,
            "problems": [p.to_dict() for p in self.problems],
        }


@attrs.frozen
class IntegrityReport:
    """`Ledger.verify`'s answer: one `CaseIntegrity` per case verified."""

    case: str | None  # the case asked for (None: every case)
    cases: tuple[CaseIntegrity, ...]
    #: Start events that cannot be read, so that no case could be named for them.
    streams: tuple[Problem, ...] = ()

    @property
    def intact(self) -> bool:
        return not self.streams and all(c.intact for c in self.cases)

    @property
    def problems(self) -> list[Problem]:
        return [*self.streams, *(p for c in self.cases for p in c.problems)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "intact": self.intact,
            "cases": [c.to_dict() for c in self.cases],
            "streams": [
                {"stream": p.case.removeprefix("stream "), **p.to_dict()}
                for p in self.streams
            ],
        }


def _head_dict(head: Head) -> dict[str, Any]:
    return {"position": head.position, "hash": head.hash}


# --- reading what is stored -------------------------------------------------------------


class Unreadable(Exception):
    """A stored event that cannot be read as plandebt writes it."""

    def __init__(self, kind: str, message: str) -> None:
        self.kind = kind
        super().__init__(message)


@attrs.frozen
class StoredFact:
    """A stored Recorded event, read: what a check or an upgrade works on."""

    version: int
    timestamp: str  # the event's own time, ISO text
    fact: dict[str, Any]  # as stored
    link: Link | None
    chain_block: object  # the stored chain block (None when there is none)


def read_stored(raw: bool, mapper: Any, stored: Any) -> StoredFact:
    """Reads one stored event of a case's stream (not its start). `raw`: no cipher
    or compressor, so the bytes are checked to be exactly what plandebt writes."""
    from plandebt.storage import RECORDED_TOPIC

    if stored.topic != RECORDED_TOPIC:
        raise Unreadable("altered", f"its topic is {stored.topic!r}, not a fact's")
    if raw:
        if not isinstance(stored.state, bytes):
            raise Unreadable("altered", "its state is stored as text, not bytes")
        try:
            obj = json.loads(stored.state)
        except (ValueError, UnicodeDecodeError) as e:
            raise Unreadable(
                "altered", f"its stored bytes are not JSON ({e})"
            ) from None
        # An event written before the chain has no "chain" key.
        if not isinstance(obj, dict) or set(obj) - {"chain"} != {"timestamp", "fact"}:
            raise Unreadable("altered", "its stored fields are not a fact's")
        if _JSON.encode(obj).encode() != bytes(stored.state):
            raise Unreadable(
                "altered", "its stored bytes are not in the form plandebt writes"
            )
        stamp = obj["timestamp"]
        if not isinstance(stamp, dict) or stamp.get("_type_") != "datetime_iso":
            raise Unreadable("altered", "its event time is not a time")
        timestamp, fact, block = stamp.get("_data_"), obj["fact"], obj.get("chain")
    else:
        try:
            event = mapper.to_domain_event(stored)
            timestamp = event.timestamp.isoformat()
        except Exception as e:  # a cipher's refusal, a damaged compression...
            raise Unreadable(
                "unreadable", f"cannot be decoded ({type(e).__name__}: {e})"
            ) from None
        fact, block = getattr(event, "fact", None), getattr(event, "chain", None)
    if not isinstance(fact, dict) or not isinstance(timestamp, str):
        raise Unreadable("altered", "it holds no fact")
    chain = None if block is None else Link.from_stored(block)
    if block is not None and chain is None:
        raise Unreadable("altered", "its chain block is malformed")
    return StoredFact(stored.originator_version, timestamp, fact, chain, block)


def normal_form(stored: StoredFact) -> tuple[Fact, str]:
    """The fact and its journal text (what its hash covers): personal fields as
    stored, sealed (`plandebt.personal`), so that erasing a person changes no hash."""
    from plandebt import personal

    try:
        fact, data = personal.read_stored(stored.fact)
        text = journal_text(data)
    except Exception as e:  # a stored fact that no longer reads as one
        raise Unreadable(
            "altered", f"it does not read as a fact ({type(e).__name__}: {e})"
        ) from None
    return fact, text


def is_normal(stored: StoredFact, text: str) -> bool:
    """Whether the stored fact is written in its journal form."""
    try:
        return journal_text(stored.fact) == text
    except (TypeError, ValueError):  # a value an earlier version stored typed
        return False


# --- verifying a case --------------------------------------------------------------------


class _Walk:
    """The state of a walk along one case's stored events."""

    def __init__(self, case: str) -> None:
        self.case = case
        self.prev = genesis(case)
        self.position = 0
        self.hashes: list[str] = [self.prev]  # hashes[p]: the hash at position p
        self.last_at: datetime | None = None
        self.chained: bool | None = None
        self.problem: Problem | None = None

    def refuse(self, position: int, kind: str, message: str) -> None:
        if self.problem is None:
            self.problem = Problem(self.case, position, kind, message)

    def step(self, stored: StoredFact, fact: Fact, text: str, raw: bool) -> None:
        """Checks the fact at the next position; records the first problem."""
        position = self.position + 1
        if stored.version - 1 != position:
            self._gap(position, stored.version - 1)
            return
        if fact.seq != position:
            self.refuse(
                position,
                "reordered",
                f"holds the fact recorded at position {fact.seq}: facts were moved "
                "or renumbered",
            )
            return
        if fact.case != self.case:
            self.refuse(position, "altered", f"holds a fact of case {fact.case!r}")
            return
        at = fact.recorded_at
        # Compared as text: "2026-01-02 10:00" is the same instant as
        # "2026-01-02T10:00", but not what plandebt wrote.
        if at is None or stored.timestamp != at.isoformat():
            self.refuse(
                position,
                "altered",
                "its event's time is not its recording time as plandebt writes it",
            )
            return
        if self.last_at is not None and at < self.last_at:
            self.refuse(
                position,
                "reordered",
                f"recorded at {at.isoformat()}, before position {position - 1}",
            )
            return
        if raw and not is_normal(stored, text):
            self.refuse(
                position, "altered", "its stored fact is not in its journal form"
            )
            return
        link_ = stored.link
        if link_ is None:
            if self.chained is None:
                self.chained = False
            elif self.chained:
                self.refuse(
                    position,
                    "unchained",
                    "this fact and those after it carry no hash (recorded by an "
                    "earlier plandebt or outside it): run plandebt upgrade "
                    "--hash-chain",
                )
                return
            self._advance(position, at, "")
            return
        if self.chained is False:
            self.refuse(
                position,
                "altered",
                "carries a hash though the facts before it carry none",
            )
            return
        self.chained = True
        if link_.prev != self.prev:
            self.refuse(
                position,
                "link",
                f"its previous hash is not the hash of position {position - 1}: a "
                "fact before it was deleted, inserted or moved",
            )
            return
        own = link_hash(
            self.case, position, at.isoformat(), link_.prev, link_.unverified, text
        )
        if own != link_.hash:
            self.refuse(
                position, "altered", "its content does not match its hash (altered)"
            )
            return
        self._advance(position, at, own)

    def _advance(self, position: int, at: datetime, own: str) -> None:
        self.position = position
        self.prev = own
        self.hashes.append(own)
        self.last_at = at

    def _gap(self, expected: int, found: int) -> None:
        if found > expected:
            self.refuse(
                expected,
                "missing",
                f"position {expected} is missing (deleted): the store goes from "
                f"{expected - 1} to {found}",
            )
        else:
            self.refuse(expected, "reordered", "the store holds a position twice")


def verify_case(app: Any, case: str, against: Head | None = None) -> CaseIntegrity:
    """Walks the case's stored events and snapshots (see the module's docstring)."""
    from plandebt import storage

    stream_id = storage.CaseStream.create_id(case)
    mapper = app.mapper
    raw = mapper.cipher is None and mapper.compressor is None
    walk = _Walk(case)
    started = False
    for stored in storage.stored_events(app, stream_id):
        if walk.problem is not None:
            break
        if stored.originator_version == 1 and stored.topic == storage.STARTED_TOPIC:
            started = _check_start(app, raw, stored, case, walk)
            continue
        if not started:
            walk.refuse(0, "missing", "the case's start event is missing (deleted)")
            break
        try:
            read = read_stored(raw, mapper, stored)
            fact, text = normal_form(read)
        except Unreadable as e:
            position = stored.originator_version - 1
            if position != walk.position + 1:
                walk._gap(walk.position + 1, position)
            else:
                walk.refuse(position, e.kind, str(e))
            break
        walk.step(read, fact, text, raw)
    if walk.problem is None:
        _check_head(app, stream_id, walk)
    snapshots = _check_snapshots(app, stream_id, walk)
    problems = [] if walk.problem is None else [walk.problem]
    problems.extend(snapshots[1])
    if against is not None:
        problems.extend(_check_against(walk, against))
    intact_to = walk.problem.position - 1 if walk.problem else walk.position
    head = (
        Head(intact_to, walk.hashes[intact_to])
        if walk.chained and intact_to > 0
        else None
    )
    if walk.chained is False and walk.problem is None:
        problems.insert(
            0,
            Problem(
                case,
                1,
                "unchained",
                "the case was recorded before the hash chain: run plandebt upgrade "
                "--hash-chain to chain it",
            ),
        )
    return CaseIntegrity(
        case,
        walk.position,
        walk.chained is True,
        head,
        tuple(problems),
        snapshots[0],
        against,
    )


def case_refs(app: Any) -> tuple[list[str], list[Problem]]:
    """The cases the store's start events name, in the order they were opened, and
    a problem for each start event that cannot be read or names another stream's
    case (what `Ledger.cases()` would raise on)."""
    from plandebt import storage

    refs: list[str] = []
    problems: list[Problem] = []
    recorder = app.recorder
    top = recorder.max_notification_id() or 0
    start = 1
    while start <= top:
        page = recorder.select_notifications(
            start=start, limit=1000, stop=top, topics=[storage.STARTED_TOPIC]
        )
        if not page:
            break
        for notification in page:
            where = f"stream {notification.originator_id}"
            try:
                ref = storage.case_of(app.mapper.to_domain_event(notification))
            except Exception as e:
                problems.append(
                    Problem(
                        where, 0, "unreadable", f"its start event cannot be read ({e})"
                    )
                )
                continue
            if storage.CaseStream.create_id(ref) != notification.originator_id:
                problems.append(
                    Problem(where, 0, "altered", f"its start event names case {ref!r}")
                )
                continue
            refs.append(ref)
        start = page[-1].id + 1
    return refs, problems


def _check_start(app: Any, raw: bool, stored: Any, case: str, walk: _Walk) -> bool:
    try:
        if raw:
            if not isinstance(stored.state, bytes):
                raise ValueError("its state is stored as text")
            obj = json.loads(stored.state)
            if _JSON.encode(obj).encode() != bytes(stored.state):
                raise ValueError("not in the form plandebt writes")
        event = app.mapper.to_domain_event(stored)
        if getattr(event, "case", None) != case:
            raise ValueError("it names another case")
    except Exception as e:
        walk.refuse(0, "altered", f"the case's start event is altered ({e})")
        return False
    return True


def _check_head(app: Any, stream_id: uuid.UUID, walk: _Walk) -> None:
    from plandebt import storage

    stored_head = storage.read_head(app, stream_id)
    if not walk.chained:
        if stored_head is not None:
            walk.refuse(
                1,
                "unchained",
                "the store's head says the case is chained, but its facts carry no "
                "hash (removed?)",
            )
        return
    if stored_head is None:
        walk.refuse(
            walk.position,
            "head",
            "the store holds no head for this chained case (deleted?)",
        )
        return
    position, digest = stored_head
    if position > walk.position:
        gone = (
            f"position {position} is"
            if position == walk.position + 1
            else f"positions {walk.position + 1} to {position} are"
        )
        walk.refuse(
            walk.position + 1,
            "missing",
            f"{gone} missing (deleted): the case's head is at {position}",
        )
    elif position < walk.position:
        walk.refuse(
            position + 1,
            "inserted",
            f"position {position + 1} and after were added after the case's head "
            f"({position}), outside plandebt",
        )
    elif digest != walk.hashes[position]:
        walk.refuse(
            position,
            "head",
            "the store's head hash is not the hash of the case's last fact",
        )


def _check_against(walk: _Walk, against: Head) -> list[Problem]:
    intact_to = walk.problem.position - 1 if walk.problem else walk.position
    if against.position > intact_to:
        if against.position > walk.position and walk.problem is None:
            reason = (
                f"the case holds {walk.position} facts, fewer than the head's "
                f"{against.position}: facts were deleted"
            )
        else:
            reason = "the history up to the head cannot be proved (see above)"
        return [
            Problem(walk.case, min(against.position, intact_to + 1), "against", reason)
        ]
    if walk.hashes[against.position] != against.hash:
        return [
            Problem(
                walk.case,
                against.position,
                "against",
                f"the hash at position {against.position} is not the head given: "
                "the history up to it was rewritten",
            )
        ]
    return []


def _check_snapshots(
    app: Any, stream_id: uuid.UUID, walk: _Walk
) -> tuple[int, list[Problem]]:
    """Every stored snapshot of the case against the events' chain."""
    from plandebt import snapshots

    problems: list[Problem] = []
    count = 0
    for version, part in snapshots.stored_parts(app, stream_id):
        count += 1
        where = f"the snapshot at version {version}"
        if part is None:
            problems.append(
                Problem(walk.case, version - 1, "snapshot", f"{where} is damaged")
            )
            continue
        if part.last > walk.position:
            problems.append(
                Problem(
                    walk.case,
                    walk.position + 1,
                    "snapshot",
                    f"{where} holds positions {part.first} to {part.last}, beyond "
                    f"the {walk.position} the events prove",
                )
            )
            continue
        bad = snapshots.first_difference(part, walk.hashes, walk.case)
        if bad is not None:
            problems.append(
                Problem(
                    walk.case,
                    bad,
                    "snapshot",
                    f"{where} (positions {part.first} to {part.last}) differs from "
                    f"the events at position {bad}",
                )
            )
    return count, problems
