"""Where the events live: memory, a SQLite file (the embedded default) or PostgreSQL.

One event-sourced stream per court case (the consistency boundary): the stream's
events carry the facts in their journal form, so the store, the journal and the API
share one codec and eventsourcing never has to know our value types (no transcoding of
dates, enums or Money to register, and none of the type-loss pitfalls of §8 of the
eventsourcing notes).
"""

from __future__ import annotations

import os
import typing
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from plandebt.errors import StorageError

#: Environment settings the library reads when `Ledger.open()` gets no target.
PLANDEBT_DB = "PLANDEBT_DB"

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
    def record(self, fact: dict[str, Any]) -> None:
        """The fact lives in the event; the ledger's index holds the state."""


class LedgerApplication(Application[uuid.UUID]):
    name = "plandebt"
    # Snapshots of long case streams (Ledger.snapshot): a snapshot store is made.
    is_snapshotting_enabled = True


STARTED_TOPIC = "plandebt.storage:CaseStream.Started"


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
        "SQLITE_LOCK_TIMEOUT": "10",
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
        "POSTGRES_CONNECT_TIMEOUT": "5",
        "POSTGRES_LOCK_TIMEOUT": "10",
    }
    if "schema" in query:
        env["POSTGRES_SCHEMA"] = query["schema"][0]
    return env
