"""Opening the store a command names (--db): what it may be, and the checks made
before the library opens it, so that a mistyped name never creates an empty store, a
file that is not a store is never written to, and a missing driver is named."""

from __future__ import annotations

import importlib
import os
import re
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from eventsourcing.persistence import InfrastructureFactoryError

from plandebt.cli.exits import StoreProblem, UsageError
from plandebt.ledger import Ledger

#: What --db accepts, as said in messages.
SUPPORTED = "a SQLite file path, a postgresql:// URL or 'memory'"
MEMORY = ("memory", ":memory:")
POSTGRES_SCHEMES = ("postgresql", "postgres")
#: The first 16 bytes of every SQLite database file (https://sqlite.org/fileformat.html).
SQLITE_HEADER = b"SQLite format 3\x00"
#: The files SQLite keeps next to a database, by suffix (WAL, shared memory, rollback).
SQLITE_SIDECARS = ("", "-wal", "-shm", "-journal")
_INSTALL_POSTGRES = "pip install 'plandebt[postgres]'"
_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def scheme(target: str) -> str | None:
    """The URL scheme of `target`, or None for a file path or memory."""
    match = _URL.match(target)
    return match.group(1).lower() if match else None


def sqlite_path(target: str) -> Path | None:
    """The SQLite file `target` names, or None for memory or a URL."""
    if target in MEMORY or scheme(target) is not None:
        return None
    return Path(target)


def redacted(target: str) -> str:
    """`target` without the password a URL may carry, for messages."""
    if scheme(target) is None:
        return target
    parts = urlsplit(target)
    if parts.password is None:
        return target
    host = parts.netloc.rpartition("@")[2]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def open_store(target: str, *, create: bool, key_file: str | None = None) -> Ledger:
    """The ledger of `target`. A SQLite file is created only when `create` is true
    (commands that record); reading commands need it to exist. An encrypted store
    is opened with the key in `key_file`, else the one the environment names."""
    kind = scheme(target)
    if kind is not None:
        if kind not in POSTGRES_SCHEMES:
            raise UsageError(f"unsupported store {kind}://...: --db takes {SUPPORTED}")
        _require_postgres_driver()
    else:
        path = sqlite_path(target)
        if path is not None:
            _check_sqlite_file(path, create)
    try:
        if key_file is None:  # the key, if any, from the environment
            return Ledger.open(target)
        return Ledger.open(target, key_file=key_file)
    except InfrastructureFactoryError as e:
        hint = f" ({_INSTALL_POSTGRES})" if kind is not None else ""
        raise StoreProblem(
            f"cannot open the store {redacted(target)}: {e}{hint}"
        ) from e


def _require_postgres_driver() -> None:
    for module in ("psycopg", "psycopg_pool"):
        try:
            importlib.import_module(module)
        except ImportError as e:
            raise StoreProblem(
                f"a postgresql:// store needs {module}, which is not installed: "
                f"{_INSTALL_POSTGRES}"
            ) from e


def _check_sqlite_file(path: Path, create: bool) -> None:
    if not path.exists():
        if not create:
            raise StoreProblem(f"no store at {path}")
        return
    if path.is_dir():
        raise StoreProblem(f"{path} is a folder, not a store")
    try:
        with path.open("rb") as f:
            header = f.read(len(SQLITE_HEADER))
    except OSError as e:
        raise StoreProblem(f"cannot read the store {path}: {e.strerror}") from e
    # An empty file is an empty SQLite database (SQLite writes the header later).
    if header and header != SQLITE_HEADER:
        raise StoreProblem(f"{path} is not a plandebt store (not a SQLite database)")


def is_store_file(output: str, target: str) -> bool:
    """True if writing `output` would overwrite the SQLite store `target` or one of
    the files SQLite keeps beside it (its write-ahead log, shared memory, rollback
    journal), whichever way either is named: a relative path, a symbolic link to it
    (followed as SQLite follows one), a hard link."""
    path = sqlite_path(target)
    if path is None:
        return False
    out = os.path.realpath(output)
    names = {os.fspath(path), os.path.realpath(path)}
    for name in names:
        for suffix in SQLITE_SIDECARS:
            store_file = f"{name}{suffix}"
            if out == os.path.realpath(store_file):
                return True
            both_exist = os.path.exists(output) and os.path.exists(store_file)
            if both_exist and os.path.samefile(output, store_file):  # a hard link
                return True
    return False
