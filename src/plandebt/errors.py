"""Typed errors. Everything the library raises on purpose derives from PlandebtError.

Input errors name the field, the value and the reason, so that a journal import,
a CLI call and a Python call all report a refusal the same way.
"""

from __future__ import annotations

from typing import Any


class PlandebtError(Exception):
    """Base class of every error plandebt raises on purpose."""


class InvalidInputError(PlandebtError, ValueError):
    """Input that cannot be recorded. Nothing was written."""

    def __init__(self, field: str, value: Any, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field}={shown(value)}: {reason}")


#: The longest value a message shows; the error's `value` keeps all of it.
SHOWN_LENGTH = 200


def shown(value: Any) -> str:
    """`value`'s repr for a message: shortened past SHOWN_LENGTH characters (a line
    of megabytes is refused in one line), or only its type when it has no repr
    (nested too deep, or an integer of more digits than Python writes)."""
    try:
        text = repr(value)
    except (RecursionError, ValueError):
        return f"<{type(value).__name__}>"
    if len(text) <= SHOWN_LENGTH:
        return text
    return f"{text[: SHOWN_LENGTH - 20]}... ({len(text):,} characters)"


class UnknownReferenceError(InvalidInputError):
    """A fact names a case, creditor, claim or fact that is not recorded."""


class DuplicateError(InvalidInputError):
    """A fact would record again something that exists (same id)."""


class IdempotencyConflictError(InvalidInputError):
    """A client reference was already used for a different fact."""


class JournalError(InvalidInputError):
    """A journal line was refused; `line` is its 1-based number in the file."""

    def __init__(self, line: int, cause: InvalidInputError) -> None:
        self.line = line
        self.cause = cause
        super().__init__(cause.field, cause.value, f"line {line}: {cause.reason}")


class RuleTypeError(PlandebtError, TypeError):
    """A rule of the ruleset was read as a type or unit it does not have (a months
    rule as days, a percent as money): a mistake in the code that reads it."""

    def __init__(self, key: str, asked: str, found: str, hint: str) -> None:
        self.key = key
        self.asked = asked
        self.found = found
        super().__init__(f"rule {key!r} is {found}, not {asked}; {hint}")


class ConflictError(PlandebtError):
    """Another writer held the case longer than a writer waits (or kept recording
    in it without its write lock). Nothing of ours was written; retrying succeeds."""


class StorageError(PlandebtError):
    """The store could not be opened or used (bad URL, server missing...)."""


class CipherKeyError(StorageError):
    """The store's key is missing, wrong or unreadable, or encryption was asked for
    without the `crypto` extra (`plandebt.crypto`). Nothing was read or written."""


class UnknownPersonError(UnknownReferenceError):
    """`forget` names no creditor of the case, or of any case (`plandebt.personal`)."""
