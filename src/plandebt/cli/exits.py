"""What the `plandebt` command's exit codes mean, and which failure gets which.

0 ok; 1 compliance errors found (`check`, `check-plan`); 2 usage or refused input;
3 a store or environment problem; 70 an internal error (a bug: please report it).
Whatever fails, the command prints one line on standard error, never a traceback.
"""

from __future__ import annotations

import sqlite3

from eventsourcing.persistence import PersistenceError

from plandebt.errors import (
    ConflictError,
    InvalidInputError,
    PlandebtError,
    StorageError,
)

OK = 0
#: `check` or `check-plan` found at least one error-level finding.
FINDINGS = 1
#: The command line, a file it names or the input in that file was refused.
USAGE = 2
#: The store or the environment failed: no store there, not a store, a missing
#: driver, a server that does not answer, a conflicting writer.
STORE = 3
#: Something the command did not expect (EX_SOFTWARE in BSD's sysexits.h).
INTERNAL = 70
#: Interrupted from the keyboard (128 + SIGINT), as shells report it.
INTERRUPTED = 130


class UsageError(Exception):
    """The command line, or a file it names, cannot be used (exit 2)."""


class StoreProblem(Exception):
    """The store or the environment cannot be used (exit 3)."""


def exit_code(error: BaseException) -> int | None:
    """The exit code of an expected failure, or None for an unexpected one."""
    if isinstance(error, UsageError | InvalidInputError):
        return USAGE
    if isinstance(
        error,
        StoreProblem | StorageError | ConflictError | PersistenceError | sqlite3.Error,
    ):
        return STORE
    if isinstance(error, PlandebtError):
        return USAGE
    if isinstance(error, OSError):  # the disk, a pipe, the network
        return STORE
    return None


def message(error: BaseException) -> str:
    """The one line printed for an expected failure."""
    if isinstance(error, InvalidInputError):
        text = f"refused: {error}"
    elif isinstance(error, PersistenceError | sqlite3.Error):
        text = f"store problem: {error}"
    elif isinstance(error, OSError) and error.strerror:
        where = f": {error.filename}" if error.filename else ""
        text = f"{error.strerror}{where}"
    else:
        text = str(error) or type(error).__name__
    return one_line(text)


def one_line(text: str) -> str:
    """`text` on one line: a driver's multi-line message joined with "; "."""
    return "; ".join(part.strip() for part in text.splitlines() if part.strip())
