"""The SQL view of money movements in a PostgreSQL schema (see `movements.py`): a
module of its own because psycopg is an optional dependency."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from psycopg.sql import SQL, Identifier

from plandebt.projections.movements import SQLMovements


class PostgresMovementsRecorder(SQLMovements, PostgresTrackingRecorder):
    """The view in a PostgreSQL schema, next to eventsourcing's tracking table
    ("movements_tracking"). Every identifier is quoted: a schema is just a name."""

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        schema = self.datastore.schema
        self._names = {
            **{key: Identifier(schema, name) for key, name in self.tables.items()},
            **{key: Identifier(name) for key, name in self.indexes.items()},
        }
        self.sql_create_statements += [
            self._statement("DROP TABLE IF EXISTS {earlier}", earlier=name)
            for name in self.earlier_tables
        ]
        self.sql_create_statements += [
            self._statement(t) for t in self.create_templates
        ]

    def _statement(self, template: str, **names: str) -> Any:
        extra = {k: Identifier(self.datastore.schema, v) for k, v in names.items()}
        return SQL(template.replace("?", "%s")).format(**self._names, **extra)

    @contextmanager
    def _transaction(self, *, commit: bool) -> Iterator[Any]:
        with self.datastore.transaction(commit=commit) as cursor:
            yield cursor

    def _lock(self, cursor: Any) -> None:
        # Self-conflicting, and readers of the view are not held up.
        cursor.execute(
            SQL("SET LOCAL lock_timeout = '{}s'").format(self.datastore.lock_timeout)
        )
        cursor.execute(
            self._statement("LOCK TABLE {postings} IN SHARE ROW EXCLUSIVE MODE")
        )

    def _position(self, cursor: Any, application_name: str) -> int | None:
        return self._max_tracking_id(application_name, cursor)

    def _track(self, cursor: Any, tracking: Tracking) -> None:
        self._insert_tracking(cursor, tracking)

    def close(self) -> None:
        self.datastore.close()
