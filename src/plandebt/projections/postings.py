"""What each fact moves: its postings, and the one list of a claim's amount columns.

A posting is a dated amount into one column of one claim — Beancount's entries and
postings. This module is the only place that says which facts move money into which
column, and how each column counts in what is still outstanding. The in-memory
balances, their totals, the plan's base, the SQL view's rows, the CLI's and the JSON's
columns and the conservation checks of the tests are all derived from it, so adding a
column is one entry in `COLUMNS` and one line in `_POSTINGS`.

A decision on a claim (admission, rejection) is not a posting: it does not add to a
column, it says what the claim is worth (`owed`), and is read from the claim's
lifecycle (see `lifecycle.py`).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Mapping
from datetime import date

import attrs

from plandebt.events import (
    AgsAdvanced,
    ClaimDeclared,
    ClaimWrittenOff,
    Fact,
    InterestAccrued,
    PaymentMade,
    RemissionGranted,
    WaiverRevived,
)


@attrs.frozen
class Column:
    """One amount column of a claim's balance."""

    name: str
    #: The header people read.
    label: str
    #: How the column counts in what is outstanding: -1 settles the claim, +1 adds to
    #: it, 0 is the claim's worth itself (declared) and is not summed into it.
    sign: int


DECLARED = Column("declared", "declared", 0)
PAID = Column("paid", "paid", -1)
REMISSION = Column("remission", "remission", -1)  # debt forgiven (L626-12, L626-5)
INTEREST = Column("interest", "interest", +1)  # accrued after the opening (L622-28)
WRITTEN_OFF = Column("written_off", "written off", -1)  # waived, net of revivals
SUBROGATED = Column("subrogated", "to AGS", -1)  # moved to the AGS (L3253-16 C. trav.)

#: Every column a posting can move, in the order people read them.
COLUMNS: tuple[Column, ...] = (
    DECLARED,
    PAID,
    REMISSION,
    INTEREST,
    WRITTEN_OFF,
    SUBROGATED,
)
#: The columns that move what is outstanding (all but the declared worth).
MOVEMENTS: tuple[Column, ...] = tuple(c for c in COLUMNS if c.sign)
#: The columns that settle a claim: what was paid, forgiven, waived or subrogated.
SETTLEMENTS: tuple[Column, ...] = tuple(c for c in COLUMNS if c.sign < 0)
INDEX: Mapping[str, int] = {c.name: i for i, c in enumerate(COLUMNS)}
#: Former names of columns: the SQL view of a store written before a rename holds
#: its rows under them ("remitted" was the remission column: one name per meaning).
FORMER_NAMES: Mapping[str, str] = {"remitted": REMISSION.name}


def index_of(name: str) -> int:
    """The place of column `name` in `COLUMNS`; a former name still finds its
    column, with a warning."""
    i = INDEX.get(name)
    if i is not None:
        return i
    if name in FORMER_NAMES:
        warnings.warn(
            f"the column {name!r} is now {FORMER_NAMES[name]!r}",
            DeprecationWarning,
            stacklevel=3,
        )
        return INDEX[FORMER_NAMES[name]]
    raise KeyError(name)


def __getattr__(name: str) -> Column:
    # The constant of the remission column was REMITTED.
    if name == "REMITTED":
        warnings.warn(
            "postings.REMITTED is now postings.REMISSION",
            DeprecationWarning,
            stacklevel=2,
        )
        return REMISSION
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@attrs.frozen
class Posting:
    """A dated amount of one fact into one column of one claim."""

    claim: str
    column: Column
    effective_on: date
    cents: int


def _into(column: Column, claim_field: str = "claim", sign: int = 1) -> Poster:
    def post(fact: Fact) -> tuple[Posting, ...]:
        amount = fact.amount  # type: ignore[attr-defined]
        return (
            Posting(
                getattr(fact, claim_field),
                column,
                fact.effective_on,
                sign * amount.cents,
            ),
        )

    return post


Poster = Callable[[Fact], tuple[Posting, ...]]

#: Which column each money-moving fact feeds, and with which sign.
_POSTINGS: dict[type[Fact], Poster] = {
    ClaimDeclared: _into(DECLARED),
    PaymentMade: _into(PAID),
    RemissionGranted: _into(REMISSION),
    InterestAccrued: _into(INTEREST),
    ClaimWrittenOff: _into(WRITTEN_OFF),
    # A better-fortune clause gives back what a waiver took (L626-11 support, seed).
    WaiverRevived: _into(WRITTEN_OFF, sign=-1),
    # An AGS advance moves the employee's claim to the AGS's own claims.
    AgsAdvanced: _into(SUBROGATED, "employee_claim"),
}


def postings(fact: Fact) -> tuple[Posting, ...]:
    """The postings of one fact (none for a fact that moves no money)."""
    post = _POSTINGS.get(type(fact))
    return post(fact) if post is not None else ()


def moves_money(kind: type[Fact]) -> bool:
    return kind in _POSTINGS


def money_kinds() -> frozenset[type[Fact]]:
    """The fact kinds that have postings."""
    return frozenset(_POSTINGS)


def outstanding(owed_cents: int, sums: Iterable[int]) -> int:
    """What is still owed on a claim worth `owed_cents`, given its column sums in the
    order of `COLUMNS`: the worth plus every movement with its sign."""
    return owed_cents + sum(c.sign * s for c, s in zip(COLUMNS, sums, strict=True))
