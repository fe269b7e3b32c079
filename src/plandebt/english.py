"""How plandebt writes counts in English: '1 day', '12 days'. One helper, so that
every finding, table and report counts the same way (the French counterpart is
`plandebt.french.plural`, where 0 and 1 are singular)."""

from __future__ import annotations


def plural(n: int, noun: str, plural_form: str | None = None) -> str:
    """'1 day', '0 days', '12 days': English counts only one in the singular.
    `plural_form` for a noun that does not take an -s ('1 class', '2 classes')."""
    return f"{n} {noun if abs(n) == 1 else plural_form or noun + 's'}"
