"""Where the events live: memory, a SQLite file (the embedded default) or PostgreSQL.

One event-sourced stream per court case (the consistency boundary): the stream's
events carry the facts in their journal form, so the store, the journal and the API
share one codec and eventsourcing never has to know our value types (no transcoding of
dates, enums or Money to register, and none of the type-loss pitfalls of §8 of the
eventsourcing notes).

Writing takes the case's write lock (`writing`): a process-local lock, then the store's
own (SQLite's write lock, a PostgreSQL advisory lock per case), held from before the
case is read again until the commit. Readers that ask about "now" pass the same lock
(`settle`) so that no fact recorded before their question can still be on its way.
The timeouts that bound every wait are below, and documented in docs/reliability.md.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import typing
import uuid
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote, urlparse

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import (
    ConnectionUnavailableError,
    IntegrityError,
    JSONTranscoder,
    PersistenceError,
    StoredEvent,
)
from eventsourcing.popo import POPOAggregateRecorder
from eventsourcing.sqlite import SQLiteAggregateRecorder, SQLiteApplicationRecorder
from eventsourcing.utils import get_topic

from plandebt.errors import ConflictError, StorageError

#: Environment settings the library reads when `Ledger.open()` gets no target.
PLANDEBT_DB = "PLANDEBT_DB"

#: Seconds a writer (or a reader asking about "now") waits for a case's write lock,
#: and a PostgreSQL writer for eventsourcing's lock on the events table, before it
#: gives up with a ConflictError (nothing written).
LOCK_TIMEOUT = 10
#: PostgreSQL: seconds any one statement of a write may run (a write is made of
#: statements of at most INSERT_CHUNK_ROWS events).
STATEMENT_TIMEOUT = 30
#: PostgreSQL: seconds a transaction may stay idle (the server then ends the session
#: and its locks). A writer touches its transaction every KEEPALIVE_SECONDS while it
#: checks and encodes facts, so only a writer that stopped is cut off.
IDLE_IN_TRANSACTION_TIMEOUT = 5
KEEPALIVE_SECONDS = 1.0
#: PostgreSQL: seconds to wait for a connection to the server.
CONNECT_TIMEOUT = 5
#: PostgreSQL: the most events, and bytes of events, one INSERT statement carries.
INSERT_CHUNK_ROWS = 1000
INSERT_CHUNK_BYTES = 4 * 1024 * 1024

_STREAM_NAMESPACE = uuid.UUID("6f1c2f3e-52f0-4c1e-9d55-0d5a4e2b8a11")


class CaseStream(Aggregate):
    """The recorded history of one court case: a start, then one event per fact."""

    @staticmethod
    def create_id(case: str) -> uuid.UUID:
        # Deterministic: the same case reference always names the same stream, so
        # two writers opening the same case collide instead of making two streams.
        return uuid.uuid5(_STREAM_NAMESPACE, case)

    @event("Started")
    def __init__(self, case: str) -> None:
        self.case = case

    @event("Recorded")
    def record(self, fact: dict[str, Any], chain: dict[str, Any] | None = None) -> None:
        """The fact lives in the event; the ledger's index holds the state. `chain`:
        its link in the case's hash chain (`plandebt.integrity`), None for a fact
        recorded before the chain."""


class LedgerApplication(Application[uuid.UUID]):
    name = "plandebt"
    # Snapshots of long case streams (Ledger.snapshot): a snapshot store is made.
    is_snapshotting_enabled = True

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        super().__init__(env)
        create_heads(self)
        # Writers of this application in this process (threads, or ledgers sharing
        # an in-memory store) queue here before they take the store's lock.
        self.local_lock = threading.Lock()
        self.encoder = EventEncoder(self)


STARTED_TOPIC = "plandebt.storage:CaseStream.Started"
RECORDED_TOPIC = "plandebt.storage:CaseStream.Recorded"
STREAM_TOPIC = get_topic(CaseStream)


def advance(stream: CaseStream | None, stored: object) -> CaseStream:
    """The stream once a stored event of it applies. (eventsourcing reads events as
    a protocol that does not name `mutate`; ours are aggregate events.)"""
    mutated = typing.cast(Any, stored).mutate(stream)
    assert isinstance(mutated, CaseStream)
    return mutated


def case_of(stored: object) -> str:
    """The case reference a stream's Started event carries."""
    return str(typing.cast(Any, stored).case)


def fact_of(stored: object) -> dict[str, Any] | None:
    """The fact a Recorded event carries, in stored form (None for Started)."""
    fact: dict[str, Any] | None = getattr(stored, "fact", None)
    return fact


def chain_of(stored: object) -> Any:
    """The chain block a Recorded event carries (None: none, or a Started event)."""
    return getattr(stored, "chain", None)


def stored_events(
    app: Application[uuid.UUID], stream_id: uuid.UUID, page: int = 1000
) -> Iterator[StoredEvent]:
    """The stream's stored events as the store holds them, in version order."""
    after: int | None = None
    while True:
        rows = app.recorder.select_events(stream_id, gt=after, limit=page)
        yield from rows
        if len(rows) < page:
            return
        after = rows[-1].originator_version


def stream_at(
    stream_id: uuid.UUID, case: str, version: int, at: datetime
) -> CaseStream:
    """A stream object at `version` (what the next save expects), without its events:
    the ledger keeps the facts, the stream only its place in the store."""
    stream = object.__new__(CaseStream)
    object.__setattr__(
        stream,
        "__dict__",
        {
            "_id": stream_id,
            "_version": version,
            "_pending_events": [],
            "_created_on": at,
            "_modified_on": at,
            "case": case,
        },
    )
    return stream


# --- encoding -------------------------------------------------------------------------


class EventEncoder:
    """Builds the stored form of a Recorded event.

    eventsourcing's way (trigger the event on the aggregate, then the mapper) costs
    about 60 µs a fact; the stored form is plain JSON, the same bytes the mapper
    writes (`{"timestamp": {...}, "fact": {...}}`), so when no cipher or compressor
    is configured they are written directly. The first use checks that both ways
    give the same bytes, and falls back to the mapper otherwise."""

    def __init__(self, app: Application[uuid.UUID]) -> None:
        self.mapper = app.mapper
        self._raw: bool | None = None

    def direct(self) -> bool:
        """Whether events are written directly (no cipher, no compressor)."""
        if self._raw is None:
            self._raw = self._raw_matches()
        return self._raw

    def text(self, fact: dict[str, Any]) -> str | None:
        """The fact's JSON text as the stored event will hold it, or None when the
        mapper must encode it (a cipher, a compressor, or a value JSON lacks)."""
        if not self.direct():
            return None
        try:
            return _JSON.encode(fact)
        except (TypeError, ValueError):
            return None

    def recorded(
        self,
        stream_id: uuid.UUID,
        version: int,
        at: datetime,
        fact: dict[str, Any],
        text: str | None,
        chain: dict[str, Any] | None = None,
    ) -> StoredEvent:
        """The stored Recorded event of `fact` (`text`: what `text(fact)` gave) and
        its link in the case's chain."""
        if text is None:
            return self.mapper.to_stored_event(
                _RECORDED(
                    originator_id=stream_id,
                    originator_version=version,
                    timestamp=at,
                    fact=fact,
                    chain=chain,
                )
            )
        block = "null" if chain is None else _JSON.encode(chain)
        state = f'{_STATE_HEAD}{at.isoformat()}"}},"fact":{text},"chain":{block}}}'
        return StoredEvent(
            originator_id=stream_id,
            originator_version=version,
            topic=RECORDED_TOPIC,
            state=state.encode("utf8"),
        )

    def _raw_matches(self) -> bool:
        mapper = self.mapper
        if mapper.cipher is not None or mapper.compressor is not None:
            return False
        if not isinstance(mapper.transcoder, JSONTranscoder):
            return False
        sample = {"kind": "sample", "n": 1, "text": 'é"\\', "list": [None, 1.5]}
        stream_id, at = uuid.uuid4(), datetime.now().astimezone()
        chain = {"prev": "0" * 64, "hash": "f" * 64, "unverified": True}
        direct = self.recorded(stream_id, 2, at, sample, _JSON.encode(sample), chain)
        mapped = self.recorded(stream_id, 2, at, sample, None, chain)
        unchained = self.recorded(stream_id, 2, at, sample, _JSON.encode(sample))
        return direct == mapped and unchained == self.recorded(
            stream_id, 2, at, sample, None
        )


_JSON = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
_STATE_HEAD = '{"timestamp":{"_type_":"datetime_iso","_data_":"'
#: The Recorded event class the @event decorator made (mypy does not see it).
_RECORDED: Any = getattr(CaseStream, "Recorded")  # noqa: B009


# --- the write lock -------------------------------------------------------------------


class WriteSession(Protocol):
    """The store, while a writer holds the write lock of the cases it writes."""

    def keepalive(self) -> None:
        """Tells the store the writer is still at work (PostgreSQL ends a transaction
        left idle for IDLE_IN_TRANSACTION_TIMEOUT seconds). Cheap: call it often."""

    def insert(self, stored: Sequence[StoredEvent]) -> None:
        """Inserts the events in the session's transaction (committed when the
        session ends without an error, rolled back otherwise)."""

    def set_heads(self, heads: Sequence[tuple[uuid.UUID, int, str]]) -> None:
        """Writes each stream's head (its last position and that fact's hash) in the
        session's transaction."""

    def replace(self, stored: Sequence[StoredEvent]) -> None:
        """Rewrites stored events in place (`plandebt upgrade --hash-chain` only)."""


def busy(what: str = "the case") -> ConflictError:
    return ConflictError(
        f"{what} is being written by another writer (waited {LOCK_TIMEOUT} s); "
        "nothing was written, retry"
    )


@contextlib.contextmanager
def writing(
    app: LedgerApplication, stream_ids: Sequence[uuid.UUID]
) -> Iterator[WriteSession]:
    """Holds the write lock of the given streams until the block ends, and writes
    what the block inserts in one transaction, committed at its end.

    The lock is taken before the block reads the cases again, so what it decides,
    the recording times it takes and what it saves rest on the same state: a writer
    of the same case waits (up to LOCK_TIMEOUT seconds) instead of failing with a
    conflict, and a reader of "now" waits for the commit (see `settle`)."""
    if not app.local_lock.acquire(timeout=LOCK_TIMEOUT):
        raise busy()
    try:
        recorder: Any = app.recorder
        if hasattr(recorder, "writing"):  # PostgreSQL (plandebt.storage_postgres)
            with recorder.writing(stream_ids) as session:
                yield session
        elif isinstance(recorder, SQLiteApplicationRecorder):
            with _sqlite_writing(recorder) as sqlite_session:
                yield sqlite_session
        else:  # in memory: the process-local lock is the lock
            yield _PlainSession(recorder)
    finally:
        app.local_lock.release()


def settle(app: LedgerApplication, stream_ids: Sequence[uuid.UUID]) -> None:
    """Returns once no writer holds the write lock of the given streams: a fact
    stamped before this call is committed by then (its writer stamped it while
    holding the lock), and one stamped later carries a later time."""
    if not app.local_lock.acquire(timeout=LOCK_TIMEOUT):
        raise busy()
    try:
        recorder: Any = app.recorder
        if hasattr(recorder, "settle"):  # PostgreSQL
            recorder.settle(stream_ids)
        elif isinstance(recorder, SQLiteApplicationRecorder):
            _sqlite_settle(recorder)
    finally:
        app.local_lock.release()


class _PlainSession:
    def __init__(self, recorder: Any) -> None:
        self.recorder = recorder

    def keepalive(self) -> None:
        pass

    def insert(self, stored: Sequence[StoredEvent]) -> None:
        self.recorder.insert_events(stored)

    def set_heads(self, heads: Sequence[tuple[uuid.UUID, int, str]]) -> None:
        table = _popo_heads(self.recorder)
        for stream_id, position, digest in heads:
            table[str(stream_id)] = (position, digest)

    def replace(self, stored: Sequence[StoredEvent]) -> None:
        recorder = self.recorder
        with recorder._database_lock:
            for s in stored:
                index = recorder._stored_events_index[str(s.originator_id)]
                recorder._stored_events[index[s.originator_version]] = s


class _SQLiteSession:
    def __init__(self, recorder: SQLiteApplicationRecorder, cursor: Any) -> None:
        self.statement = recorder.insert_events_statement
        self.table = recorder.events_table_name
        self.cursor = cursor

    def keepalive(self) -> None:
        pass  # SQLite has no server to tell: the write lock is held until commit

    def insert(self, stored: Sequence[StoredEvent]) -> None:
        rows = [
            (s.originator_id.hex, s.originator_version, s.topic, s.state)
            if isinstance(s.originator_id, uuid.UUID)
            else (s.originator_id, s.originator_version, s.topic, s.state)
            for s in stored
        ]
        try:
            self.cursor.executemany(self.statement, rows)
        except sqlite3.IntegrityError as e:
            raise IntegrityError(str(e)) from e

    def set_heads(self, heads: Sequence[tuple[uuid.UUID, int, str]]) -> None:
        self.cursor.executemany(
            f"INSERT INTO {HEADS_TABLE} (originator_id, position, hash) "
            "VALUES (?, ?, ?) ON CONFLICT (originator_id) DO UPDATE SET "
            "position = excluded.position, hash = excluded.hash",
            [
                (stream_id.hex, position, digest)
                for stream_id, position, digest in heads
            ],
        )

    def replace(self, stored: Sequence[StoredEvent]) -> None:
        self.cursor.executemany(
            f"UPDATE {self.table} SET state = ? "
            "WHERE originator_id = ? AND originator_version = ?",
            [(s.state, _hex(s.originator_id), s.originator_version) for s in stored],
        )


@contextlib.contextmanager
def _sqlite_immediate(recorder: SQLiteAggregateRecorder) -> Iterator[Any]:
    """A transaction that holds SQLite's write lock from its first statement
    (BEGIN IMMEDIATE: other writers, and `settle`, wait on the busy timeout)."""
    try:
        with recorder.datastore.get_connection(commit=True) as conn:
            cursor = conn.cursor()
            try:
                cursor.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as e:
                if "locked" in str(e) or "busy" in str(e):
                    raise busy() from e
                raise StorageError(f"cannot write to the store: {e}") from e
            try:
                yield cursor
            except BaseException:
                conn.rollback()
                raise
            try:
                conn.commit()
            except sqlite3.Error as e:
                conn.rollback()
                raise StorageError(f"the store refused the commit: {e}") from e
    except ConnectionUnavailableError as e:
        raise busy() from e


@contextlib.contextmanager
def _sqlite_writing(recorder: SQLiteApplicationRecorder) -> Iterator[_SQLiteSession]:
    with _sqlite_immediate(recorder) as cursor:
        yield _SQLiteSession(recorder, cursor)


def _sqlite_settle(recorder: SQLiteApplicationRecorder) -> None:
    try:
        with _sqlite_immediate(recorder):
            pass
    except StorageError:
        pass  # a store this process may not write to has no writer to wait for


def _hex(stream_id: uuid.UUID | str) -> str:
    return stream_id.hex if isinstance(stream_id, uuid.UUID) else stream_id


# --- heads ----------------------------------------------------------------------------

#: The table of each case's head: its last position and the hash of its fact there,
#: written with the facts (so a deleted last fact is seen: `plandebt verify`).
HEADS_TABLE = "plandebt_heads"


def _popo_heads(recorder: Any) -> dict[str, tuple[int, str]]:
    heads: dict[str, tuple[int, str]] = recorder.__dict__.setdefault(
        "plandebt_heads", {}
    )
    return heads


def create_heads(app: Application[uuid.UUID]) -> None:
    """Creates the heads table if missing (opening a store creates its tables)."""
    recorder: Any = app.recorder
    if hasattr(recorder, "create_heads"):  # PostgreSQL
        recorder.create_heads()
    elif isinstance(recorder, SQLiteAggregateRecorder):
        # A store opened read-only keeps no heads: reading one finds none.
        with (
            contextlib.suppress(sqlite3.Error, PersistenceError),
            recorder.datastore.transaction(commit=True) as cursor,
        ):
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {HEADS_TABLE} (originator_id TEXT "
                "PRIMARY KEY, position INTEGER NOT NULL, hash TEXT NOT NULL)"
            )


def read_head(
    app: Application[uuid.UUID], stream_id: uuid.UUID
) -> tuple[int, str] | None:
    """The stream's head as the store holds it (None: none written)."""
    recorder: Any = app.recorder
    if hasattr(recorder, "read_head"):  # PostgreSQL
        head: tuple[int, str] | None = recorder.read_head(stream_id)
        return head
    if isinstance(recorder, SQLiteAggregateRecorder):
        try:
            with recorder.datastore.transaction(commit=False) as cursor:
                cursor.execute(
                    f"SELECT position, hash FROM {HEADS_TABLE} WHERE originator_id = ?",
                    (stream_id.hex,),
                )
                row = cursor.fetchone()
        except (sqlite3.Error, PersistenceError):  # no heads table (read-only, old)
            return None
        return None if row is None else (int(row[0]), str(row[1]))
    return _popo_heads(recorder).get(str(stream_id))


# --- snapshots ----------------------------------------------------------------------


class DamagedSnapshot(typing.NamedTuple):
    """A stored snapshot that cannot be read back (its bytes were damaged)."""

    originator_version: int


def snapshot_at_or_below(
    app: Application[uuid.UUID], stream_id: uuid.UUID, lte: int | None
) -> Any | None:
    """The stream's snapshot of the highest version at or below `lte` (any, if
    None), or a DamagedSnapshot if it cannot be decoded. (The in-memory recorder
    orders by insertion, not by version.)"""
    assert app.snapshots is not None
    recorder: Any = app.snapshots.recorder
    if isinstance(recorder, POPOAggregateRecorder):
        with recorder._database_lock:
            versions = [
                v
                for v in recorder._stored_events_index[str(stream_id)]
                if lte is None or v <= lte
            ]
        if not versions:
            return None
        lte = max(versions)
        found = list(recorder.select_events(stream_id, gt=lte - 1, lte=lte))
    else:
        found = list(recorder.select_events(stream_id, lte=lte, desc=True, limit=1))
    if not found:
        return None
    try:
        return app.snapshots.mapper.to_domain_event(found[0])
    except Exception:  # damaged bytes: the caller drops it and reads the events
        return DamagedSnapshot(found[0].originator_version)


def put_snapshot(app: Application[uuid.UUID], snapshot: Any) -> None:
    """Stores one snapshot; one already stored at its version is eventsourcing's
    IntegrityError."""
    assert app.snapshots is not None
    recorder: Any = app.snapshots.recorder
    if type(recorder).__module__ == "eventsourcing.postgres":
        from plandebt.storage_postgres import put_snapshot as put

        put(recorder, app.mapper.to_stored_event(snapshot))
    else:
        app.snapshots.put([snapshot])


def delete_snapshots(
    app: Application[uuid.UUID],
    stream_id: uuid.UUID,
    versions: Sequence[int] = (),
    *,
    before: int | None = None,
) -> None:
    """Removes the stream's snapshots at these versions, and every one below
    `before` (pruning: eventsourcing has no API for it, so each recorder is told in
    its own terms)."""
    if (not versions and before is None) or app.snapshots is None:
        return
    recorder: Any = app.snapshots.recorder
    if type(recorder).__module__ == "eventsourcing.postgres":
        from plandebt.storage_postgres import delete_events

        delete_events(recorder, stream_id, versions, before)
    elif isinstance(recorder, SQLiteAggregateRecorder):
        table = recorder.events_table_name
        with recorder.datastore.transaction(commit=True) as cursor:
            cursor.executemany(
                f"DELETE FROM {table} WHERE originator_id=? AND originator_version=?",
                [(stream_id.hex, v) for v in versions],
            )
            if before is not None:
                cursor.execute(
                    f"DELETE FROM {table} WHERE originator_id=? AND originator_version<?",
                    (stream_id.hex, before),
                )
    elif isinstance(recorder, POPOAggregateRecorder):
        with recorder._database_lock:
            index = recorder._stored_events_index[str(stream_id)]
            for version in list(index):
                if version in versions or (before is not None and version < before):
                    del index[version]


def environment(target: str | os.PathLike[str] | None) -> dict[str, str]:
    """The eventsourcing settings for a target: None or "memory" (in memory), a
    "postgresql://user:password@host:port/dbname?schema=name" URL, or a file path
    (SQLite). With no target, the PLANDEBT_DB environment variable is read, then
    memory is used."""
    if target is None:
        target = os.environ.get(PLANDEBT_DB) or "memory"
    text = os.fspath(target)
    if text in ("memory", ":memory:"):
        return {"PERSISTENCE_MODULE": "eventsourcing.popo"}
    if text.startswith(("postgresql://", "postgres://")):
        from plandebt.limits import check_schema

        env = postgres_environment(text)
        if "POSTGRES_SCHEMA" in env:  # eventsourcing looks its types up unquoted
            check_schema(env["POSTGRES_SCHEMA"])
        return env
    if "://" in text:
        scheme = text.split("://", 1)[0]
        raise StorageError(
            f"unsupported store {scheme}://...: give a SQLite file path, "
            "a postgresql:// URL or memory"
        )
    path = Path(text)
    if path.parent and not path.parent.exists():
        raise StorageError(f"cannot create {text}: folder {path.parent} does not exist")
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(path),
        "SQLITE_LOCK_TIMEOUT": str(LOCK_TIMEOUT),
    }


def postgres_environment(url: str) -> dict[str, str]:
    parts = urlparse(url)
    query: Mapping[str, list[str]] = parse_qs(parts.query)
    dbname = unquote(parts.path.lstrip("/"))
    if not dbname:
        raise StorageError(f"{url}: the URL names no database")
    try:
        _ = parts.port  # raises for a port that is no number from 0 to 65535
    except ValueError as e:
        raise StorageError(f"{url}: {e}") from None
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": parts.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(parts.port or 5432),
        "POSTGRES_USER": unquote(parts.username or os.environ.get("USER", "postgres")),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
        "POSTGRES_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT),
        # eventsourcing waits this long for its lock on the events table...
        "POSTGRES_LOCK_TIMEOUT": str(LOCK_TIMEOUT),
        # ...and sets this on every connection of its pool.
        "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": str(
            IDLE_IN_TRANSACTION_TIMEOUT
        ),
        # Writes without psycopg's pipeline mode, in bounded statements, under a
        # lock per case (see plandebt.storage_postgres and docs/architecture.md).
        "APPLICATION_RECORDER_TOPIC": "plandebt.storage_postgres:PostgresCaseRecorder",
    }
    if "schema" in query:
        env["POSTGRES_SCHEMA"] = query["schema"][0]
    return env
