"""PostgreSQL writes: no pipeline mode, bounded statements, a lock per case.

Apart from `storage` because psycopg is optional (the `postgres` extra): the store's
environment names `PostgresCaseRecorder` (eventsourcing's APPLICATION_RECORDER_TOPIC)
and eventsourcing imports this module only for a PostgreSQL store.

Why not eventsourcing's own `insert_events`: it sends the LOCK TABLE, the NOTIFY and
one INSERT of every event in psycopg's pipeline mode, then calls `pipeline.sync()`.
psycopg 3.3's pipeline loop stops sending as soon as its queue of commands is empty,
even when libpq still holds unsent bytes of the last one (PQflush answered "more to
send"), then waits for the server's answer. A message larger than what the socket
takes at once (an INSERT of ~15,000 facts, or one 10 MB field) is left half sent: the
server waits for its end, the client for the server, forever, holding eventsourcing's
EXCLUSIVE lock on the events table, so every writer of the store waits too (see
docs/architecture.md, "Writing to PostgreSQL"). Here the same statements run as plain
`execute()` calls, which send every byte before they wait, and the events go in
statements of at most `INSERT_CHUNK_ROWS` events, all in one transaction.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
import uuid
from collections.abc import Iterator, Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
)
from psycopg import Cursor
from psycopg import errors as pg_errors
from psycopg.rows import DictRow
from psycopg.sql import SQL, Composed, Identifier

from plandebt.errors import StorageError
from plandebt.storage import (
    HEADS_TABLE,
    INSERT_CHUNK_BYTES,
    INSERT_CHUNK_ROWS,
    KEEPALIVE_SECONDS,
    STATEMENT_TIMEOUT,
    busy,
)

#: The first key of plandebt's advisory locks ("pldb"): the second is a hash of the
#: schema and the case's stream, so other users of advisory locks in the same
#: database, and plandebt stores in other schemas, do not share our locks.
LOCK_CLASS = 0x706C6462


class PostgresCaseRecorder(PostgresApplicationRecorder):
    """eventsourcing's application recorder, writing as described above."""

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        if not stored_events:
            return []
        with self._write() as curs:
            return self._insert_all(curs, stored_events)

    @contextlib.contextmanager
    def writing(self, stream_ids: Sequence[uuid.UUID]) -> Iterator[PostgresWrite]:
        """A transaction holding the write lock of each stream (advisory locks,
        taken in one order by every writer, so two writers never deadlock),
        committed when the block ends."""
        with self._write() as curs:
            for key in self.lock_keys(stream_ids):
                curs.execute(SQL("SELECT pg_advisory_xact_lock(%s, %s)"), key)
            yield PostgresWrite(self, curs)

    def settle(self, stream_ids: Sequence[uuid.UUID]) -> None:
        """Returns once no writer holds these streams' locks (a shared lock, taken
        and given back)."""
        with self._write() as curs:
            for key in self.lock_keys(stream_ids):
                curs.execute(SQL("SELECT pg_advisory_xact_lock_shared(%s, %s)"), key)

    def create_heads(self) -> None:
        """The table of each case's head (see `storage.HEADS_TABLE`)."""
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                SQL(
                    "CREATE TABLE IF NOT EXISTS {0}.{1} (originator_id uuid PRIMARY "
                    "KEY, position bigint NOT NULL, hash text NOT NULL)"
                ).format(Identifier(self.datastore.schema), Identifier(HEADS_TABLE))
            )

    def read_head(self, stream_id: uuid.UUID) -> tuple[int, str] | None:
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                SQL(
                    "SELECT position, hash FROM {0}.{1} WHERE originator_id = %s"
                ).format(Identifier(self.datastore.schema), Identifier(HEADS_TABLE)),
                (stream_id,),
            )
            row = curs.fetchone()
        return None if row is None else (int(row["position"]), str(row["hash"]))

    def lock_keys(self, stream_ids: Sequence[uuid.UUID]) -> list[tuple[int, int]]:
        keys = set()
        for stream_id in stream_ids:
            digest = hashlib.blake2b(
                f"{self.datastore.schema}/{stream_id}".encode(), digest_size=4
            ).digest()
            keys.add((LOCK_CLASS, int.from_bytes(digest, "big", signed=True)))
        return sorted(keys)

    @contextlib.contextmanager
    def _write(self) -> Iterator[Cursor[DictRow]]:
        """A transaction whose waits are bounded: lock_timeout for any lock, and
        statement_timeout for any statement (idle_in_transaction_session_timeout
        is set on every connection by eventsourcing's pool)."""
        lock_timeout = self.datastore.lock_timeout
        with self.datastore.get_connection() as conn:
            try:
                with conn.transaction(), conn.cursor() as curs:
                    curs.execute(
                        SQL("SET LOCAL lock_timeout = '{0}s'").format(lock_timeout)
                    )
                    curs.execute(
                        SQL("SET LOCAL statement_timeout = '{0}s'").format(
                            STATEMENT_TIMEOUT
                        )
                    )
                    yield curs
            except pg_errors.LockNotAvailable as e:
                raise busy() from e
            except pg_errors.QueryCanceled as e:
                raise StorageError(
                    f"a statement of the write ran past {STATEMENT_TIMEOUT} s and "
                    "was cancelled; nothing was written"
                ) from e
            except pg_errors.IdleInTransactionSessionTimeout as e:
                raise StorageError(
                    "the server ended the write, idle for too long; nothing was written"
                ) from e

    def _insert_all(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent]
    ) -> list[int]:
        # eventsourcing's EXCLUSIVE lock on the events table (so notification ids
        # are in commit order, which readers of the log rely on) and its NOTIFY.
        self._lock_table(curs)
        self._notify_channel(curs)
        ids: list[int] = []
        statement = insert_statement(self, returning=True)
        for chunk in chunks(stored_events):
            curs.execute(statement, columns(chunk))
            ids.extend(row["notification_id"] for row in curs.fetchall())
        return ids


class PostgresWrite:
    """The write session `storage.writing` yields on PostgreSQL."""

    def __init__(self, recorder: PostgresCaseRecorder, curs: Cursor[DictRow]) -> None:
        self.recorder = recorder
        self.curs = curs
        self.touched = time.monotonic()

    def keepalive(self) -> None:
        # A statement a second at most: the transaction is never idle for longer
        # than the writer takes to check one command.
        now = time.monotonic()
        if now - self.touched >= KEEPALIVE_SECONDS:
            self.curs.execute(SQL("SELECT 1"))
            self.touched = now

    def insert(self, stored: Sequence[StoredEvent]) -> None:
        if stored:
            self.recorder._insert_all(self.curs, stored)
        self.touched = time.monotonic()

    def set_heads(self, heads: Sequence[tuple[uuid.UUID, int, str]]) -> None:
        schema = Identifier(self.recorder.datastore.schema)
        statement = SQL(
            "INSERT INTO {0}.{1} (originator_id, position, hash) VALUES (%s, %s, %s) "
            "ON CONFLICT (originator_id) DO UPDATE SET position = EXCLUDED.position, "
            "hash = EXCLUDED.hash"
        ).format(schema, Identifier(HEADS_TABLE))
        for head in heads:
            self.curs.execute(statement, head)

    def replace(self, stored: Sequence[StoredEvent]) -> None:
        statement = SQL(
            "UPDATE {0}.{1} SET state = %s "
            "WHERE originator_id = %s AND originator_version = %s"
        ).format(
            Identifier(self.recorder.datastore.schema),
            Identifier(self.recorder.events_table_name),
        )
        for s in stored:
            self.curs.execute(
                statement, (s.state, s.originator_id, s.originator_version)
            )
            self.keepalive()


def insert_statement(
    recorder: PostgresAggregateRecorder, *, returning: bool
) -> Composed:
    """The INSERT of a run of events into the recorder's table, given as four
    arrays sent in binary (eventsourcing sends one array of a composite type as
    text, which psycopg escapes byte by byte: ten times slower for our JSON)."""
    statement = SQL(
        "INSERT INTO {0}.{1} (originator_id, originator_version, topic, state) "
        "SELECT * FROM unnest(%b::{2}[], %b::bigint[], %b::text[], %b::bytea[])"
    ).format(
        Identifier(recorder.datastore.schema),
        Identifier(recorder.events_table_name),
        SQL(_ID_TYPES[recorder.datastore.originator_id_type]),
    )
    return statement + SQL(" RETURNING notification_id") if returning else statement


_ID_TYPES = {"uuid": "uuid", "text": "text"}


def columns(stored_events: Sequence[StoredEvent]) -> tuple[list[Any], ...]:
    return (
        [s.originator_id for s in stored_events],
        [s.originator_version for s in stored_events],
        [s.topic for s in stored_events],
        [s.state for s in stored_events],
    )


def put_snapshot(recorder: PostgresAggregateRecorder, stored: StoredEvent) -> None:
    """Inserts one snapshot (eventsourcing's `put` would escape its large state as
    text); a snapshot already there is eventsourcing's IntegrityError."""
    with recorder.datastore.transaction(commit=True) as curs:
        curs.execute(
            SQL("SET LOCAL statement_timeout = '{0}s'").format(STATEMENT_TIMEOUT)
        )
        curs.execute(insert_statement(recorder, returning=False), columns([stored]))


def chunks(stored_events: Sequence[StoredEvent]) -> Iterator[Sequence[StoredEvent]]:
    """The events in runs of at most INSERT_CHUNK_ROWS events and (unless one event
    is larger) INSERT_CHUNK_BYTES bytes."""
    start, size = 0, 0
    for i, stored in enumerate(stored_events):
        if i > start and (
            i - start >= INSERT_CHUNK_ROWS
            or size + len(stored.state) > INSERT_CHUNK_BYTES
        ):
            yield stored_events[start:i]
            start, size = i, 0
        size += len(stored.state)
    if start < len(stored_events):
        yield stored_events[start:]


def delete_events(
    recorder: PostgresAggregateRecorder,
    stream_id: uuid.UUID,
    versions: Sequence[int],
    before: int | None,
) -> None:
    """Deletes a stream's rows at these versions, and below `before`, from an
    aggregate recorder's table (the snapshots: pruning)."""
    statement = SQL(
        "DELETE FROM {0}.{1} WHERE originator_id = %s "
        "AND (originator_version = ANY(%s) OR originator_version < %s)"
    ).format(
        Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name)
    )
    with recorder.datastore.transaction(commit=True) as curs:
        curs.execute(statement, (stream_id, list(versions), before or 0))
