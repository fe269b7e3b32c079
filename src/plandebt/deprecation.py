"""Old names of public attributes, kept for a while with a warning.

One name per meaning (docs/json.md): a remission is debt forgiven, money the debtor
paid to the plan supervisor is `remitted_to_supervisor`; the word "remitted" alone
named both. Code that still reads the old attribute keeps working and is told the
new name by a `DeprecationWarning` (docs/api.md lists them)."""

from __future__ import annotations

import warnings
from typing import Any


def renamed(old: str, new: str) -> Any:
    """A read-only property `old` that warns and reads attribute `new`."""

    def read(self: object) -> Any:
        warnings.warn(
            f"{type(self).__name__}.{old} is now .{new}",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(self, new)

    read.__doc__ = f"Deprecated: the old name of `{new}`."
    return property(read)
