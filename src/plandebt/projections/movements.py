"""A materialised view of money movements in SQL (SQLite or PostgreSQL), for queries
across a whole portfolio without loading every case.

One row per posting (`postings.postings(fact)`): what a fact adds to one column of
one claim (`postings.COLUMNS`), with its effective date and its recording position
(case, seq) and instant. A correction adds the reversal of the old version's rows
and the rows of the new one (`index.corrected`, the same rebuild the in-memory index
makes), both at the correction's position; a void adds the reversal. So a sum over
the rows with `effective_on <= D` and `seq <= K` (or recorded at or before K) is the
view as of D as known at K. A fact kind given postings lands here with no change.

It is an eventsourcing projection: the view is a tracking recorder of the library
(`SQLiteTrackingRecorder`, `PostgresTrackingRecorder`) that writes its rows and the
position it has applied in one transaction, so each notification is applied exactly
once and a crash loses nothing; `MovementsProjection` applies an event as
`ProjectionRunner` hands it over (PostgreSQL). `MovementsView.catch_up()` pulls
pages of the log instead, on every engine: a SQLite application recorder cannot be
subscribed to (docs/architecture.md says more). The in-memory projections define
what these sums mean; tests compare the two over generated histories.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import PersistenceError, Tracking, TrackingRecorder
from eventsourcing.projection import Projection
from eventsourcing.sqlite import SQLiteFactory, SQLiteTrackingRecorder
from eventsourcing.utils import Environment

from plandebt import personal
from plandebt.decisions.state import corrected
from plandebt.errors import InvalidInputError, StorageError
from plandebt.events import ClaimDeclared, Fact, FactCorrected, FactVoided
from plandebt.projections.postings import COLUMNS, DECLARED, FORMER_NAMES, postings
from plandebt.storage import STARTED_TOPIC, LedgerApplication, postgres_environment

if TYPE_CHECKING:
    from plandebt.ledger import Ledger

#: The names of the columns the view adds up, in the order of `postings.COLUMNS`.
BUCKETS: tuple[str, ...] = tuple(column.name for column in COLUMNS)

#: The projection's name: the environment prefix of its settings, and the prefix of
#: its tables (PostgreSQL's tracking table is "movements_tracking").
NAME = "movements"

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def instant(moment: datetime) -> int:
    """A recording time as the view stores it: UTC microseconds since 1970, which
    order as time does whatever offset the datetime was written with."""
    return (moment - _EPOCH) // _MICROSECOND


# --- the SQL, written once for both engines ---------------------------------------------
#
# `?` marks a parameter and `{name}` a table or index; each engine renders them
# (PostgreSQL quotes every identifier and qualifies tables with the schema).

_TABLES = {
    "postings": f"{NAME}_postings",
    "facts": f"{NAME}_facts",
    "claims": f"{NAME}_claims",
}
_INDEXES = {
    "postings_claim": f"{NAME}_postings_claim",
    "postings_fact": f"{NAME}_postings_fact",
}
#: The tables of the view as plandebt wrote it before it was a projection (its
#: recording times as text, its position in a table of its own): dropped when the
#: view opens, so that it is rebuilt from the log.
_EARLIER_TABLES = (
    "plandebt_movements",
    "plandebt_facts",
    "plandebt_claims",
    "plandebt_tracking",
)

_CREATE = (
    """CREATE TABLE IF NOT EXISTS {postings} (
        case_ref TEXT NOT NULL, seq BIGINT NOT NULL, recorded_at BIGINT NOT NULL,
        fact_id TEXT NOT NULL, claim TEXT NOT NULL, creditor TEXT NOT NULL,
        column_name TEXT NOT NULL, effective_on TEXT NOT NULL, cents BIGINT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS {postings_claim} ON {postings} (case_ref, claim)",
    "CREATE INDEX IF NOT EXISTS {postings_fact} ON {postings} (case_ref, fact_id)",
    # The latest version of each fact that has postings, for its corrections.
    """CREATE TABLE IF NOT EXISTS {facts} (
        case_ref TEXT NOT NULL, fact_id TEXT NOT NULL, payload TEXT,
        PRIMARY KEY (case_ref, fact_id))""",
    """CREATE TABLE IF NOT EXISTS {claims} (
        case_ref TEXT NOT NULL, claim TEXT NOT NULL, creditor TEXT NOT NULL,
        PRIMARY KEY (case_ref, claim))""",
)
_INSERT_POSTINGS = (
    "INSERT INTO {postings} (case_ref, seq, recorded_at, fact_id, claim, creditor, "
    "column_name, effective_on, cents) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_UPSERT_CLAIM = (
    "INSERT INTO {claims} (case_ref, claim, creditor) VALUES (?, ?, ?) "
    "ON CONFLICT (case_ref, claim) DO UPDATE SET creditor = excluded.creditor"
)
_UPSERT_FACT = (
    "INSERT INTO {facts} (case_ref, fact_id, payload) VALUES (?, ?, ?) "
    "ON CONFLICT (case_ref, fact_id) DO UPDATE SET payload = excluded.payload"
)
_SELECT_FACT = "SELECT payload FROM {facts} WHERE case_ref = ? AND fact_id = ?"
_VOID_FACT = "UPDATE {facts} SET payload = NULL WHERE case_ref = ? AND fact_id = ?"
_SELECT_CREDITOR = "SELECT creditor FROM {claims} WHERE case_ref = ? AND claim = ?"
_NET_OF_FACT = (
    "SELECT claim, creditor, column_name, effective_on, SUM(cents) AS cents "
    "FROM {postings} WHERE case_ref = ? AND fact_id = ? "
    "GROUP BY claim, creditor, column_name, effective_on"
)
# `{known}` is replaced by one of the two conditions below, or by nothing.
_CLAIM_SUMS = (
    "SELECT claim AS key, column_name, SUM(cents) AS cents FROM {postings} "
    "WHERE case_ref = ? AND effective_on <= ?{known} GROUP BY claim, column_name"
)
_CREDITOR_SUMS = (
    "SELECT creditor AS key, column_name, SUM(cents) AS cents FROM {postings} "
    "WHERE effective_on <= ?{known} GROUP BY creditor, column_name"
)
_BY_POSITION = " AND seq <= ?"
_BY_INSTANT = " AND recorded_at <= ?"


class OvertakenError(Exception):
    """Another catch-up applied some of these notifications first: nothing was
    written, and the caller reads the log again from the view's position."""


class MovementsRecorder(TrackingRecorder, ABC):
    """The view's contract: what its projection writes, what readers ask."""

    @abstractmethod
    def apply(
        self, facts: Sequence[Fact], tracking: Tracking, start: int | None = None
    ) -> None:
        """Writes the movements of `facts` (read from the log up to the position
        `tracking` names) and that position, in one transaction. With `start`, the
        first position they were read from, raises OvertakenError if the view is no
        longer before it."""

    @abstractmethod
    def sums(
        self, case: str | None, as_of: date, known_at: datetime | int | None
    ) -> dict[str, dict[str, int]]:
        """Per claim of `case` (per creditor when `case` is None), the sum of each
        column as of `as_of`, as known at `known_at`, in cents."""

    @abstractmethod
    def close(self) -> None:
        """Closes the view's connections."""


class _Batch:
    """The rows a page of the log adds, written together."""

    def __init__(self) -> None:
        self.claims: list[tuple[Any, ...]] = []
        self.postings: list[tuple[Any, ...]] = []
        self.facts: list[tuple[Any, ...]] = []


class SQLMovements(MovementsRecorder):
    """The view's SQL, for either engine; the engine's class says how to render a
    statement, open a transaction and record the position."""

    #: Table and index names by the key the templates give them.
    tables: Mapping[str, str] = _TABLES
    indexes: Mapping[str, str] = _INDEXES
    #: The statements that make the view's tables, in order.
    create_templates: Sequence[str] = _CREATE
    earlier_tables: Sequence[str] = _EARLIER_TABLES

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._creditors: dict[tuple[str, str], str] = {}  # (case, claim) -> creditor

    # --- what each engine provides ----------------------------------------------------

    @abstractmethod
    def _statement(self, template: str) -> Any:
        """The template rendered for the engine."""

    @abstractmethod
    def _transaction(self, *, commit: bool) -> Any:
        """A context manager yielding a cursor in a transaction."""

    @abstractmethod
    def _lock(self, cursor: Any) -> None:
        """Makes other writers of the view wait until this transaction ends."""

    @abstractmethod
    def _position(self, cursor: Any, application_name: str) -> int | None:
        """The position recorded for the application, read with `cursor`."""

    @abstractmethod
    def _track(self, cursor: Any, tracking: Tracking) -> None:
        """Records the position with `cursor` (eventsourcing's tracking record)."""

    # --- writing ------------------------------------------------------------------------

    def apply(
        self, facts: Sequence[Fact], tracking: Tracking, start: int | None = None
    ) -> None:
        try:
            with self._transaction(commit=True) as cursor:
                if start is not None:
                    self._lock(cursor)
                    position = self._position(cursor, tracking.application_name)
                    if position is not None and position >= start:
                        raise OvertakenError(position)
                batch = _Batch()
                for fact in facts:
                    self._apply_fact(cursor, fact, batch)
                self._flush(cursor, batch)
                self._track(cursor, tracking)
        except BaseException:
            # The cache may hold what this transaction took back.
            self._creditors.clear()
            raise

    def _apply_fact(self, cursor: Any, fact: Fact, batch: _Batch) -> None:
        assert fact.seq is not None and fact.recorded_at is not None
        stamp = (fact.case, fact.seq, instant(fact.recorded_at))
        if isinstance(fact, FactCorrected | FactVoided):
            # A correction reads what was written before it: write the page so far.
            self._flush(cursor, batch)
            target = fact.corrects if isinstance(fact, FactCorrected) else fact.voids
            self._reverse(cursor, fact.case, target, stamp)
            if isinstance(fact, FactVoided):
                cursor.execute(self._statement(_VOID_FACT), (fact.case, target))
                return
            cursor.execute(self._statement(_SELECT_FACT), (fact.case, target))
            row = cursor.fetchone()
            if row is None or row["payload"] is None:
                return  # a fact without postings: nothing moves
            old = Fact.from_stored(json.loads(row["payload"]))
            self._post(cursor, corrected(old, fact), stamp, batch)
            self._flush(cursor, batch)
            return
        if isinstance(fact, ClaimDeclared):  # whose claim: for every posting to it
            batch.claims.append((fact.case, fact.claim, fact.creditor))
            self._creditors[(fact.case, fact.claim)] = fact.creditor
        self._post(cursor, fact, stamp, batch)

    def _post(
        self, cursor: Any, fact: Fact, stamp: tuple[str, int, int], batch: _Batch
    ) -> None:
        moved = postings(fact)
        if not moved:
            return
        for posting in moved:
            creditor = self._creditor(cursor, fact.case, posting.claim, batch)
            batch.postings.append(
                (
                    *stamp,
                    fact.id,
                    posting.claim,
                    creditor,
                    posting.column.name,
                    posting.effective_on.isoformat(),
                    posting.cents,
                )
            )
        batch.facts.append((fact.case, fact.id, json.dumps(fact.to_dict())))

    def _creditor(self, cursor: Any, case: str, claim: str, batch: _Batch) -> str:
        creditor = self._creditors.get((case, claim))
        if creditor is None:
            self._flush(cursor, batch)
            cursor.execute(self._statement(_SELECT_CREDITOR), (case, claim))
            row = cursor.fetchone()
            creditor = self._creditors[(case, claim)] = row["creditor"] if row else ""
        return creditor

    def _flush(self, cursor: Any, batch: _Batch) -> None:
        """Writes what a page has gathered so far, one statement per table."""
        for template, rows in (
            (_UPSERT_CLAIM, batch.claims),
            (_INSERT_POSTINGS, batch.postings),
            (_UPSERT_FACT, batch.facts),
        ):
            if rows:
                cursor.executemany(self._statement(template), rows)
                rows.clear()

    def _reverse(
        self, cursor: Any, case: str, fact_id: str, stamp: tuple[str, int, int]
    ) -> None:
        cursor.execute(self._statement(_NET_OF_FACT), (case, fact_id))
        reversal = [
            (
                *stamp,
                fact_id,
                row["claim"],
                row["creditor"],
                row["column_name"],
                row["effective_on"],
                -int(row["cents"]),
            )
            for row in cursor.fetchall()
            if int(row["cents"])
        ]
        if reversal:
            cursor.executemany(self._statement(_INSERT_POSTINGS), reversal)

    # --- reading ------------------------------------------------------------------------

    def sums(
        self, case: str | None, as_of: date, known_at: datetime | int | None
    ) -> dict[str, dict[str, int]]:
        if isinstance(as_of, datetime) or not isinstance(as_of, date):
            raise InvalidInputError("as_of", as_of, "must be a date like 2026-06-30")
        params: list[Any] = [] if case is None else [case]
        params.append(as_of.isoformat())
        known = ""
        if known_at is not None:
            if isinstance(known_at, bool) or not isinstance(known_at, int | datetime):
                raise InvalidInputError(
                    "known_at",
                    known_at,
                    "must be a datetime (with time zone) or a position",
                )
            if isinstance(known_at, int):
                if case is None:
                    raise InvalidInputError(
                        "known_at",
                        known_at,
                        "a position belongs to one case: give a datetime",
                    )
                if known_at < 0:
                    raise InvalidInputError("known_at", known_at, "a position is >= 0")
                known, bound = _BY_POSITION, known_at
            else:
                if known_at.tzinfo is None or known_at.utcoffset() is None:
                    raise InvalidInputError(
                        "known_at", known_at, "must carry a time zone"
                    )
                known, bound = _BY_INSTANT, instant(known_at)
            params.append(bound)
        template = (_CREDITOR_SUMS if case is None else _CLAIM_SUMS).replace(
            "{known}", known
        )
        out: dict[str, dict[str, int]] = {}
        with self._transaction(commit=False) as cursor:
            cursor.execute(self._statement(template), params)
            for row in cursor.fetchall():
                key = out.setdefault(row["key"], dict.fromkeys(BUCKETS, 0))
                # A store written before a column was renamed holds its older rows
                # under the former name: they add up with the new ones.
                name = FORMER_NAMES.get(row["column_name"], row["column_name"])
                key[name] += int(row["cents"])
        return out


class SQLiteMovementsRecorder(SQLMovements, SQLiteTrackingRecorder):
    """The view in a SQLite file, next to eventsourcing's `tracking` table."""

    def construct_create_table_statements(self) -> list[str]:
        statements = super().construct_create_table_statements()
        statements += [f"DROP TABLE IF EXISTS {name}" for name in self.earlier_tables]
        statements += [self._statement(template) for template in self.create_templates]
        return statements

    def _statement(self, template: str) -> str:
        return template.format(**self.tables, **self.indexes)

    @contextmanager
    def _transaction(self, *, commit: bool) -> Iterator[Any]:
        with self.datastore.transaction(commit=commit) as cursor:
            yield cursor

    def _lock(self, cursor: Any) -> None:
        # A write takes the database's write lock (a read would not, in WAL mode).
        cursor.execute(self._statement("DELETE FROM {facts} WHERE 0"))

    def _position(self, cursor: Any, application_name: str) -> int | None:
        return self._max_tracking_id(application_name, cursor)

    def _track(self, cursor: Any, tracking: Tracking) -> None:
        self._insert_tracking(cursor, tracking)

    def close(self) -> None:
        self.datastore.close()


class MovementsProjection(Projection[MovementsRecorder]):
    """The ledger's events into the view, one at a time with its position (what
    eventsourcing's `ProjectionRunner` calls)."""

    name = NAME

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        data = getattr(domain_event, "fact", None)
        facts = [] if data is None else [Fact.from_stored(data)]
        self.view.apply(facts, tracking, start=tracking.notification_id)


def open_recorder(target: str) -> MovementsRecorder:
    """The view's recorder for a SQLite file or a "postgresql://...?schema=name" URL,
    made by eventsourcing's factories (its tables created if missing)."""
    if target.startswith(("postgresql://", "postgres://")):
        # psycopg is an optional dependency: imported only for PostgreSQL.
        from eventsourcing.postgres import PostgresFactory

        from plandebt.projections.movements_postgres import PostgresMovementsRecorder

        postgres = PostgresFactory(Environment(NAME, postgres_environment(target)))
        try:
            return postgres.tracking_recorder(PostgresMovementsRecorder)
        except BaseException:
            postgres.close()
            raise
    env = Environment(NAME, {"SQLITE_DBNAME": target, "SQLITE_LOCK_TIMEOUT": "10"})
    sqlite = SQLiteFactory(env)
    try:
        recorder = sqlite.tracking_recorder(SQLiteMovementsRecorder)
    except BaseException:
        sqlite.close()
        raise
    assert isinstance(recorder, SQLiteMovementsRecorder)
    return recorder


class MovementsView:
    """The money-movements tables of a store, in a SQLite file or a PostgreSQL
    schema ("postgresql://user@host/db?schema=name")."""

    def __init__(self, target: str) -> None:
        self.target = target
        try:
            self.recorder = open_recorder(target)
        except (PersistenceError, OSError, ImportError) as e:
            raise StorageError(f"cannot open the movements view {target!r}: {e}") from e
        self.projection = MovementsProjection(self.recorder)

    def close(self) -> None:
        self.recorder.close()

    def position(self, application_name: str = LedgerApplication.name) -> int:
        """The last notification id of the application's log the view has applied."""
        try:
            return self.recorder.max_tracking_id(application_name) or 0
        except PersistenceError as e:
            raise StorageError(f"cannot read the movements view: {e}") from e

    # --- following the log --------------------------------------------------------------

    def catch_up(
        self, ledger: Ledger, page_size: int = 1000, stop_after: int | None = None
    ) -> int:
        """Applies the notifications recorded since the view's position, a page per
        transaction. Returns the number of facts applied. `stop_after` stops after
        that many pages (for resumption tests and slices of work). Another catch-up
        running at the same time is waited for, never applied twice."""
        app = ledger.app
        recorder, mapper = app.recorder, app.mapper
        # The facts travel as plain JSON inside the stored events: with no cipher or
        # compressor, json.loads reads them (as the ledger's rebuild does).
        raw = mapper.cipher is None and mapper.compressor is None
        applied = pages = 0
        try:
            while stop_after is None or pages < stop_after:
                start = self.position(app.name) + 1
                page = recorder.select_notifications(start=start, limit=page_size)
                if not page:
                    break
                facts = []
                for notification in page:
                    if notification.topic == STARTED_TOPIC:
                        continue  # a case's stream begins: no fact
                    if raw:
                        data = json.loads(notification.state)["fact"]
                    else:
                        event = mapper.to_domain_event(notification)
                        data = getattr(event, "fact", None)
                    # The view needs no personal field: they stay sealed, shown
                    # erased (plandebt.personal), so the view holds no name.
                    facts.append(Fact.from_stored(personal.redacted(data)))
                try:
                    self.recorder.apply(facts, Tracking(app.name, page[-1].id), start)
                except OvertakenError:
                    continue
                applied += len(facts)
                pages += 1
        except PersistenceError as e:
            raise StorageError(f"cannot update the movements view: {e}") from e
        return applied

    # --- queries ------------------------------------------------------------------------

    def claim_sums(
        self, case: str, as_of: date, known_at: datetime | int | None = None
    ) -> dict[str, dict[str, int]]:
        """Per claim, the sum of each column (`postings.COLUMNS`) as of `as_of`, as
        known at `known_at` (a position in the case's log, or a datetime with a time
        zone: the facts recorded at or before that instant), for the claims declared
        by then."""
        sums = self._sums(case, as_of, known_at)
        return {claim: row for claim, row in sums.items() if row[DECLARED.name]}

    def creditor_sums(
        self, as_of: date, known_at: datetime | None = None
    ) -> dict[str, dict[str, int]]:
        """Per creditor id, across every case: the column sums as of `as_of`."""
        return self._sums(None, as_of, known_at)

    def _sums(
        self, case: str | None, as_of: date, known_at: datetime | int | None
    ) -> dict[str, dict[str, int]]:
        try:
            return self.recorder.sums(case, as_of, known_at)
        except PersistenceError as e:
            raise StorageError(f"cannot read the movements view: {e}") from e
