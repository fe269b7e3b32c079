"""Bounds at the door: the sizes and shapes of input plandebt refuses before any
rule of law is asked (docs/journal.md, "Limits").

These are plandebt's own policies, not law. They keep absurd input (an amount of
10^20 €, a plan of a billion years, a case reference holding a NUL, a journal line
nested 100,000 deep) from being recorded, where it would break a later command: a
64-bit SQL column, the calendar, a PostgreSQL text value, a terminal. What is lawful
stays with the compliance checks: a plan of 12 years passes the door and is reported
as too long; a plan of 120 years is refused here.

The codec (`events/codec.py`) applies the value bounds to every fact, whether it comes
from a journal, from `Kind.build` or from `Fact.from_dict`; the journal reader
(`journal.py`) applies the line bounds. Each refusal is an `InvalidInputError` naming
the field, the value and the bound.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from plandebt.errors import InvalidInputError, StorageError

# --- amounts --------------------------------------------------------------------------

#: The largest amount, in cents: 10^12 € (a thousand billion euros). More than the
#: liabilities of any insolvency on record (Lehman Brothers owed about 6 × 10^11 $),
#: and small enough that the SQL view's 64-bit columns (at most 9.2 × 10^18 cents)
#: hold the sum of 92,000 amounts this large.
MAX_AMOUNT_CENTS = 10**14
#: The same bound as people write it, for messages.
MAX_AMOUNT_TEXT = "1000000000000.00"

# --- integers -------------------------------------------------------------------------

#: The longest plan the door lets in, in years. The law's maximum is 10 years (15 for
#: a farming natural person, L626-12) and a ruleset may be overridden, so the door leaves a wide
#: margin and lets the compliance checks judge; a longer plan is nonsense (its
#: schedule would run into the calendar's end).
MAX_PLAN_YEARS = 100
#: The longest term or seniority the door lets in, in months (100 years).
MAX_MONTHS = 1200
#: What a 64-bit SQL integer holds (the store's and the view's positions).
MAX_BIGINT = 2**63 - 1
#: Bounds of the integer fields, (least, most) inclusive, with the unit said in a
#: refusal. A field not named here is bounded by 0 and MAX_BIGINT.
INTEGER_BOUNDS: dict[str, tuple[int, int, str]] = {
    "duration_years": (1, MAX_PLAN_YEARS, "years"),
    "loan_term_months": (0, MAX_MONTHS, "months"),
    "seniority_months": (0, MAX_MONTHS, "months"),
    "seq": (0, MAX_BIGINT, "a position"),
}
#: The most digits a JSON integer of a journal may have (MAX_BIGINT has 19). Longer
#: ones are refused when the line is read, before Python converts them.
MAX_INTEGER_DIGITS = 19

# --- decimals (percentages) -----------------------------------------------------------

#: A decimal is written with ASCII digits, an optional sign and point, no exponent:
#: at most 12 digits before the point and 40 after (a percentage computed with
#: Decimal's 28 digits of precision, such as 1/300, has 30). A Decimal given from
#: Python is bounded alike: an exponent such as 1E+999999 would make every
#: computation with it (exact fractions) take hours.
MAX_DECIMAL_UNITS = 12
MAX_DECIMAL_PLACES = 40
_DECIMAL = re.compile(
    rf"[+-]?[0-9]{{1,{MAX_DECIMAL_UNITS}}}(?:\.[0-9]{{1,{MAX_DECIMAL_PLACES}}})?"
)

# --- lists ----------------------------------------------------------------------------

#: The most items of a list of percentages, one per plan year.
MAX_PLAN_ITEMS = MAX_PLAN_YEARS
#: The most items of any other list (a plan's options, a commitment's tranches): a
#: monthly tranche over 80 years would still fit.
MAX_LIST_ITEMS = 1000
#: The lists whose items are plan years.
PLAN_YEAR_LISTS = frozenset({"percents"})

# --- text -----------------------------------------------------------------------------

#: The longest identifier, reference or name, in characters (a case reference, an id,
#: a creditor's name, a court). Two of them, at 4 bytes a character, fit in one entry
#: of a PostgreSQL index (at most 2,704 bytes), as the SQL view's index on
#: (case, claim) needs.
MAX_NAME_LENGTH = 256
#: The longest free text (a description, a reason, a label, a condition), in
#: characters: a page.
MAX_TEXT_LENGTH = 4000
#: The fields holding free text. Every other string field is an identifier, a
#: reference or a name.
FREE_TEXT_FIELDS = frozenset({"description", "reason", "label", "condition"})

#: Characters refused in every string: C0 and C1 controls and DEL, bidirectional
#: embeddings, overrides and isolates (they make text display in another order than
#: it is stored), and lone surrogates (not text: UTF-8 cannot encode them). A NUL,
#: for one, cannot be stored in PostgreSQL text at all.
_CONTROLS = "\x00-\x1f\x7f-\x9f"
_BIDI = "\u202a-\u202e\u2066-\u2069"
_SURROGATES = "\ud800-\udfff"
#: In identifiers and names, also the line and paragraph separators.
_NOT_IN_NAMES = re.compile(f"[{_CONTROLS}{_BIDI}\u2028\u2029{_SURROGATES}]")
#: Free text may hold tabs and line breaks (LF, CR).
_NOT_IN_TEXT = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}{_SURROGATES}]")

# --- dates ----------------------------------------------------------------------------

#: The earliest and latest dates the door lets in. A debt born before 1900 or a fact
#: dated after 2199 is a typing mistake; within these dates, a schedule of
#: MAX_PLAN_YEARS never runs past the calendar's end (year 9999).
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2199, 12, 31)
#: A calendar date: YYYY-MM-DD, ASCII digits (no week date, no ordinal date, no
#: basic form without hyphens).
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: A datetime in ISO 8601's extended form with its offset:
#: YYYY-MM-DDTHH:MM[:SS[.ffffff]] then Z or ±HH:MM.
_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?"
    r"(?:Z|[+-][0-9]{2}:[0-9]{2})"
)

# --- journal lines --------------------------------------------------------------------

#: The longest journal line, in bytes (characters, for lines given as text): a plan
#: of 1,000 options would still fit.
MAX_LINE_LENGTH = 1_000_000
#: How deep a journal line may nest objects and lists: the deepest fact, a
#: correction of a plan's options, nests 5 (the line, `changes`, `options`, an
#: option, its `percents`).
MAX_NESTING = 8

# --- PostgreSQL -----------------------------------------------------------------------

#: A schema name a store can be kept in: lowercase ASCII letters, digits and
#: underscores, not starting with a digit, at most 63 bytes (PostgreSQL's limit), and
#: none of the SQL key words below. Every statement quotes the schema as an
#: identifier, but eventsourcing looks up the types it creates there by writing the
#: name unquoted ("schema.stored_event_uuid"), so a name that needs quoting (a quote,
#: a semicolon, a capital, a space, a dot) cannot work. The SQL view of movements
#: quotes every name and takes any schema.
_SCHEMA = re.compile(r"[a-z_][a-z0-9_]{0,62}")
#: PostgreSQL's reserved key words and those that cannot qualify a type name (from
#: `pg_get_keywords()`, categories R and C, PostgreSQL 15).
_KEY_WORDS = """
    all analyse analyze and any array as asc asymmetric both case cast check collate
    column constraint create current_catalog current_date current_role current_time
    current_timestamp current_user default deferrable desc distinct do else end except
    false fetch for foreign from grant group having in initially intersect into lateral
    leading limit localtime localtimestamp not null offset on only or order placing
    primary references returning select session_user some symmetric table then to
    trailing true union unique user using variadic when where window with
    between bigint bit boolean char character coalesce dec decimal exists extract float
    greatest grouping inout int integer interval least national nchar none normalize
    nullif numeric out overlay position precision real row setof smallint substring
    time timestamp treat trim values varchar xmlattributes xmlconcat xmlelement
    xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable
"""
_SCHEMA_KEY_WORDS = frozenset(_KEY_WORDS.split())


# --- the checks -----------------------------------------------------------------------


def is_free_text(name: str) -> bool:
    """True if the string field `name` holds free text (else: an identifier,
    reference or name)."""
    return name in FREE_TEXT_FIELDS


def check_text(value: str, field: str, free: bool = False) -> str:
    """`value` if it is within the bounds of a string field (of free text if `free`);
    otherwise an InvalidInputError naming `field` and the bound it breaks."""
    longest = MAX_TEXT_LENGTH if free else MAX_NAME_LENGTH
    if len(value) > longest:
        what = "free text" if free else "an identifier or name"
        raise InvalidInputError(
            field,
            value,
            f"is {len(value):,} characters long; {what} holds at most {longest:,}",
        )
    bad = (_NOT_IN_TEXT if free else _NOT_IN_NAMES).search(value)
    if bad is not None:
        char = bad.group()
        name = unicodedata.name(char, "") or _UNNAMED.get(
            unicodedata.category(char), "a control character"
        )
        allowed = " (tabs and line breaks are allowed)" if free else ""
        raise InvalidInputError(
            field,
            value,
            f"holds U+{ord(char):04X} ({name}) at position {bad.start() + 1}: "
            "control, bidirectional-override and surrogate characters are "
            f"refused{allowed}",
        )
    return value


_UNNAMED = {"Cc": "a control character", "Cs": "a lone surrogate"}


def integer_bounds(name: str) -> tuple[int, int, str]:
    """(least, most, unit) of the integer field `name`."""
    return INTEGER_BOUNDS.get(name, (0, MAX_BIGINT, ""))


def check_integer(value: int, field: str, bounds: tuple[int, int, str]) -> int:
    """`value` if it lies within `bounds` (see `integer_bounds`)."""
    least, most, unit = bounds
    if not least <= value <= most:
        shown = f" {unit}" if unit else ""
        raise InvalidInputError(
            field, value, f"must be from {least:,} to {most:,}{shown}"
        )
    return value


def list_bound(name: str) -> int:
    """The most items of the list field `name`."""
    return MAX_PLAN_ITEMS if name in PLAN_YEAR_LISTS else MAX_LIST_ITEMS


def check_decimal(value: Decimal, field: str, given: Any) -> Decimal:
    """`value` if it is finite, with at most MAX_DECIMAL_UNITS digits before the
    point and MAX_DECIMAL_PLACES after; `given` is what was given, for the message."""
    if not value.is_finite():
        raise InvalidInputError(field, given, "must be a finite number")
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # a finite Decimal's is
    if value.adjusted() >= MAX_DECIMAL_UNITS or exponent < -MAX_DECIMAL_PLACES:
        raise InvalidInputError(
            field,
            given,
            f"must have at most {MAX_DECIMAL_UNITS} digits before the point and "
            f"{MAX_DECIMAL_PLACES} after",
        )
    return value


def check_list(length: int, field: str, value: Any, most: int) -> None:
    if length > most:
        per = " (one per plan year)" if most == MAX_PLAN_ITEMS else ""
        raise InvalidInputError(
            field, value, f"has {length:,} items; at most {most:,}{per}"
        )


def check_cents(cents: int, field: str, value: Any) -> int:
    """`cents` if the amount is at most MAX_AMOUNT_CENTS either way; `value` is what
    was given, for the message."""
    if not -MAX_AMOUNT_CENTS <= cents <= MAX_AMOUNT_CENTS:
        raise InvalidInputError(field, value, _TOO_LARGE)
    return cents


_TOO_LARGE = f"is more than plandebt's largest amount, {MAX_AMOUNT_TEXT}"
#: The most characters of an amount's digits before its point (MAX_AMOUNT_TEXT's 13),
#: checked before the digits are converted.
MAX_AMOUNT_UNITS = len(MAX_AMOUNT_TEXT) - 3


def amount_too_large(field: str, value: Any) -> InvalidInputError:
    """The refusal of an amount over the bound."""
    return InvalidInputError(field, value, _TOO_LARGE)


def check_decimal_text(text: str, field: str) -> str:
    """`text` if it is a decimal written as the journal writes one."""
    if _DECIMAL.fullmatch(text) is None:
        raise InvalidInputError(
            field,
            text,
            'must be a decimal number like "12.5": ASCII digits, at most '
            f"{MAX_DECIMAL_UNITS} before the point and {MAX_DECIMAL_PLACES} after, "
            "no exponent",
        )
    return text


def is_date_text(text: str) -> bool:
    """True if `text` is written YYYY-MM-DD (its values are not checked)."""
    return _DATE.fullmatch(text) is not None


def is_datetime_text(text: str) -> bool:
    """True if `text` is an ISO 8601 datetime in extended form with an offset."""
    return _DATETIME.fullmatch(text) is not None


def check_date(value: date, field: str, given: Any = None) -> date:
    """`value` if it lies from MIN_DATE to MAX_DATE (a datetime's date part is
    checked, whatever its offset); `given` is what was given, if not `value`."""
    day = value.date() if isinstance(value, datetime) else value
    if not MIN_DATE <= day <= MAX_DATE:
        raise InvalidInputError(
            field,
            value if given is None else given,
            f"is outside the dates plandebt records, {MIN_DATE} to {MAX_DATE}",
        )
    return value


def check_schema(name: str) -> str:
    """`name` if plandebt can keep its tables in a PostgreSQL schema of that name;
    otherwise a StorageError saying why."""
    if _SCHEMA.fullmatch(name) is None:
        raise StorageError(
            f"schema {name!r} cannot hold a store: its name must be lowercase ASCII "
            "letters, digits and underscores, not starting with a digit, at most 63 "
            "characters (eventsourcing looks its types up by the unquoted name)"
        )
    if name in _SCHEMA_KEY_WORDS:
        raise StorageError(
            f"schema {name!r} cannot hold a store: it is a key word of PostgreSQL's "
            "SQL; choose another name"
        )
    return name
