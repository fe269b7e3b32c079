"""One way to turn a view into JSON: the views' `to_dict` are built here.

Every value takes one form whatever view it is in: an amount is its plain text
("1234.56", exact), a date or a time its ISO text (so `known_at` is a time's ISO text
or a log position, or null), an enum its value, an attrs record a mapping of its
fields, a tuple a list. A view names what it leaves out (internal sums) and what it
adds (derived figures, such as totals or a percentage).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs

from plandebt.money import Money

JSON = None | bool | int | str | list["JSON"] | dict[str, "JSON"]


def to_json(value: object) -> JSON:
    """The JSON form of one value of a view."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Money):
        return value.plain()
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return to_json(value.value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [to_json(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):  # a view that says what it adds or leaves out
        return to_json(to_dict())
    if attrs.has(type(value)):
        return fields(value)
    # A Fraction, say, has no one exact text: the view says how it is shown.
    raise TypeError(f"no JSON form for {type(value).__name__}: {value!r}")


def fields(
    view: object, *, omit: tuple[str, ...] = (), **extra: object
) -> dict[str, JSON]:
    """A record's fields in declaration order (but `omit`), then `extra`."""
    record: Any = type(view)  # an attrs class: attrs.fields() says so if it is not
    out: dict[str, JSON] = {
        a.name: to_json(getattr(view, a.name))
        for a in attrs.fields(record)
        if a.name not in omit
    }
    out.update({name: to_json(value) for name, value in extra.items()})
    return out
