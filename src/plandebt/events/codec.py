"""The journal form of facts: how each field type is written and read.

A fact's journal form (one JSON object a line) is also its stored form, so this one
codec serves the store, the journal and the Python API. Per field type there are:

- an encoder, from the Python value to JSON-native values (a date to "2022-03-01",
  Money to "1234.56" or "12.00 CHF", an enum to its value, a record to an object);
- a decoder, from journal or Python values to the field's type, strict: a value of the
  wrong shape, or beyond a bound at the door (`plandebt.limits`: an amount over
  10^12 €, a plan of more than 100 years, a control character in a name, a date
  outside 1900-2199 or not written YYYY-MM-DD...), is refused with an
  InvalidInputError naming the field;
- a trusted converter, for what the ledger itself stored (validated when recorded):
  only the conversion, none of the checks, because a rebuild reads millions of them.

A `dict[str, Any]` field (a correction's `changes`) holds journal form whatever it was
given: its decoder and its encoder write each value as the journal would (see
`journal_value`), so the store and an export never meet a Python object.
"""

from __future__ import annotations

import enum
import sys
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import attrs

from plandebt import limits
from plandebt.errors import InvalidInputError
from plandebt.money import Money

Encoder = Callable[[Any], Any]
Decoder = Callable[[Any, str], Any]
#: A stored value to its field's type, unchecked (None: the JSON value is the value).
Converter = Callable[[Any], Any] | None
Codec = tuple[Encoder, Decoder]


@attrs.frozen
class FieldCodecs:
    """How the fields of one record class are written and read."""

    #: (field, encoder), in the order the journal writes them.
    encoders: tuple[tuple[str, Encoder], ...]
    #: The strict decoder of each field.
    decoders: Mapping[str, Decoder]
    #: The fields that have no default.
    required: frozenset[str]
    #: The trusted converter of each field.
    trusted: Mapping[str, Converter]


_FIELD_CODECS: dict[type, FieldCodecs] = {}


def field_codecs(cls: type, first: Sequence[str] = ()) -> FieldCodecs:
    """The codecs of an attrs class's fields; the fields named in `first` come first
    in the journal, in that order (computed once per class)."""
    codecs = _FIELD_CODECS.get(cls)
    if codecs is None:
        hints = typing.get_type_hints(cls)
        fields = list(attrs.fields(cls))
        head = [f for name in first for f in fields if f.name == name]
        ordered = head + [f for f in fields if f.name not in first]
        pairs = {f.name: codec_for(hints[f.name], f.name) for f in ordered}
        codecs = _FIELD_CODECS[cls] = FieldCodecs(
            encoders=tuple((name, pair[0]) for name, pair in pairs.items()),
            decoders={name: pair[1] for name, pair in pairs.items()},
            required=frozenset(f.name for f in fields if f.default is attrs.NOTHING),
            trusted={f.name: _trusted(hints[f.name], f.name) for f in fields},
        )
    return codecs


# --- per-type encoders and decoders ---------------------------------------------------


def _same(value: Any) -> Any:
    return value


def _iso(value: date) -> str:
    return value.isoformat()


def _str_codec(name: str) -> Codec:
    """The codec of the string field `name`: free text, or an identifier, reference
    or name (`limits.FREE_TEXT_FIELDS`)."""
    free = limits.is_free_text(name)

    def decode(value: Any, field: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise InvalidInputError(field, value, "must be a non-empty string")
        return limits.check_text(value, field, free)

    return _same, decode


def _int_codec(name: str) -> Codec:
    """The codec of the integer field `name`, within its bounds
    (`limits.INTEGER_BOUNDS`)."""
    bounds = limits.integer_bounds(name)

    def decode(value: Any, field: str) -> int:
        if type(value) is not int:
            raise InvalidInputError(field, value, "must be an integer")
        return limits.check_integer(value, field, bounds)

    return _same, decode


def _decode_bool(value: Any, field: str) -> bool:
    if type(value) is not bool:
        raise InvalidInputError(field, value, "must be true or false")
    return value


def _decode_date(value: Any, field: str) -> date:
    given = value
    if isinstance(value, datetime):
        raise InvalidInputError(field, value, "must be a date, not a datetime")
    if isinstance(value, str):
        if not limits.is_date_text(value):
            raise InvalidInputError(
                field, value, "must be a date written YYYY-MM-DD, like 2022-03-01"
            )
        try:
            value = date.fromisoformat(value)
        except ValueError as e:
            raise InvalidInputError(field, value, f"is not a date: {e}") from e
    if not isinstance(value, date):
        raise InvalidInputError(field, value, "must be a date like 2022-03-01")
    return limits.check_date(value, field, given)


def _decode_datetime(value: Any, field: str) -> datetime:
    given = value
    if isinstance(value, str):
        if not limits.is_datetime_text(value):
            if limits.is_datetime_text(value + "Z"):
                raise InvalidInputError(field, value, "must carry a time zone (UTC)")
            raise InvalidInputError(
                field,
                value,
                "must be an ISO 8601 datetime in extended form with its offset, "
                "like 2024-02-06T09:15:00+00:00",
            )
        try:
            value = datetime.fromisoformat(value)
        except ValueError as e:
            raise InvalidInputError(field, value, f"is not a datetime: {e}") from e
    if not isinstance(value, datetime):
        raise InvalidInputError(field, value, "must be a datetime")
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInputError(field, value, "must carry a time zone (UTC)")
    limits.check_date(value, field, given)
    return value.astimezone(UTC)


#: The longest journal text of an amount the fast path converts ("-1000000000000.00").
_PLAIN_LONGEST = len(limits.MAX_AMOUNT_TEXT) + 1


def _is_plain_amount(text: str) -> bool:
    """'-1234.56': ASCII digits, a dot, two digits (str methods: faster than a
    regex)."""
    units = text[1:-3] if text.startswith("-") else text[:-3]
    return (
        3 < len(text) <= _PLAIN_LONGEST
        and text.isascii()
        and text[-3] == "."
        and text[-2:].isdigit()
        and units.isdigit()
    )


def decode_money(value: Any, field: str) -> Money:
    """Money from its journal text ("-1234.56", "12.00 CHF") or any form
    `Money.coerce` accepts, at most `limits.MAX_AMOUNT_CENTS` either way."""
    if type(value) is str and _is_plain_amount(value):
        # The journal's own form ("-1234.56"): what every stored fact holds.
        cents = int(value.replace(".", "", 1))
        if -limits.MAX_AMOUNT_CENTS <= cents <= limits.MAX_AMOUNT_CENTS:
            return Money._of(cents)
        raise limits.amount_too_large(field, value)
    if isinstance(value, str):
        text = value.strip()
        code = text[-3:]
        if (
            len(text) > 4
            and code.isascii()
            and code.isalpha()
            and code.isupper()
            and text[-4] == " "
        ):
            return Money.parse(text[:-4], currency=code, field=field)
    money = Money.coerce(value, field=field)
    limits.check_cents(money.cents, field, value)
    return money


def encode_money(value: Money) -> str:
    """The journal text of an amount: "1234.56" in euros, "12.00 CHF" otherwise."""
    return (
        value.plain()
        if value.currency == "EUR"
        else f"{value.plain()} {value.currency}"
    )


def _decode_decimal(value: Any, field: str) -> Decimal:
    if isinstance(value, bool | float):
        raise InvalidInputError(field, value, "give a decimal as a string, not a float")
    if isinstance(value, str):
        # ASCII digits, no exponent: Decimal itself reads "1e999999", "1_000" and
        # other scripts' digits.
        return Decimal(limits.check_decimal_text(value, field))
    if isinstance(value, int):
        return limits.check_decimal(Decimal(value), field, value)
    if isinstance(value, Decimal):
        return limits.check_decimal(value, field, value)
    raise InvalidInputError(field, value, 'must be a decimal number like "12.5"')


def _enum_codec(enum_class: type[enum.Enum]) -> Codec:
    by_value = {member.value: member for member in enum_class}

    def encode(value: enum.Enum) -> Any:
        return value.value

    def decode(value: Any, field: str) -> enum.Enum:
        if isinstance(value, enum_class):
            return value
        try:
            return by_value[value]
        except (KeyError, TypeError):  # TypeError: a list or an object
            pass
        raise InvalidInputError(
            field, value, "must be one of " + ", ".join(str(v) for v in by_value)
        )

    return encode, decode


def _tuple_codec(item_type: Any, field: str) -> Codec:
    item_encode, item_decode = codec_for(item_type, field)

    def encode(value: Sequence[Any]) -> list[Any]:
        return [item_encode(item) for item in value]

    most = limits.list_bound(field)

    def decode(value: Any, field: str) -> tuple[Any, ...]:
        if not isinstance(value, list | tuple):
            raise InvalidInputError(field, value, "must be a list")
        limits.check_list(len(value), field, value, most)
        return tuple(item_decode(v, f"{field}[{i}]") for i, v in enumerate(value))

    return encode, decode


def _journal_dict_codec(field: str) -> Codec:
    def encode(value: Mapping[str, Any]) -> dict[str, Any]:
        return journal_dict(value, field)

    return encode, journal_dict


def codec_for(tp: Any, field: str = "") -> Codec:
    """The (encoder, decoder) of a field of type `tp` (`field` names it in errors a
    codec raises without being given a name)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return codec_for(inner[0], field)
    if origin is tuple:
        return _tuple_codec(typing.get_args(tp)[0], field)
    if origin is dict or tp is dict:
        return _journal_dict_codec(field)
    if isinstance(tp, type):
        if issubclass(tp, enum.Enum):
            return _enum_codec(tp)
        if tp is Money:
            return encode_money, decode_money
        if tp is bool:
            return _same, _decode_bool
        if tp is int:
            return _int_codec(field)
        if tp is str:
            return _str_codec(field)
        if tp is Decimal:
            return str, _decode_decimal
        if tp is datetime:
            return _iso, _decode_datetime
        if tp is date:
            return _iso, _decode_date
        if attrs.has(tp):
            return _record_codec(tp)
    raise TypeError(f"no codec for {tp!r}")


def _record_codec(record_class: type) -> Codec:
    """Nested attrs value objects (a plan option, a tranche...)."""
    hints = typing.get_type_hints(record_class)
    fields = [
        (f.name, codec_for(hints[f.name], f.name), f.default is attrs.NOTHING)
        for f in attrs.fields(record_class)
    ]
    known = {name for name, _c, _r in fields}

    def encode(value: Any) -> dict[str, Any]:
        out = {}
        for name, (enc, _dec), _req in fields:
            item = getattr(value, name)
            if item is not None:
                out[name] = enc(item)
        return out

    def decode(value: Any, field: str) -> Any:
        if isinstance(value, record_class):
            # Built in Python: its values are checked as they stand, and one given
            # in journal form (an enum's name, a date as text) becomes its type.
            changes = {}
            for name, (_enc, dec), _req in fields:
                item = getattr(value, name)
                if item is not None:
                    decoded = dec(item, f"{field}.{name}")
                    if type(decoded) is not type(item):
                        changes[name] = decoded
            built: Any = value  # an instance of record_class, an attrs class
            return attrs.evolve(built, **changes) if changes else built
        if not isinstance(value, dict):
            raise InvalidInputError(field, value, "must be an object")
        for key in value:
            if key not in known:
                raise InvalidInputError(f"{field}.{key}", value[key], "unknown field")
        kwargs = {}
        for name, (_enc, dec), required in fields:
            item = value.get(name)
            if item is None:
                if required:
                    raise InvalidInputError(f"{field}.{name}", None, "is required")
                continue
            kwargs[name] = dec(item, f"{field}.{name}")
        return record_class(**kwargs)

    return encode, decode


# --- free-form values in journal form (a correction's changes) ------------------------

_JOURNAL_NATIVE = (str, int, bool, type(None))


def journal_dict(value: Any, field: str, depth: int = 1) -> dict[str, Any]:
    """An object with str keys, each value in journal form (`journal_value`), nested
    at most `limits.MAX_NESTING` deep (`depth` is this object's level)."""
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise InvalidInputError(field, value, "must be an object")
    _check_depth(value, field, depth)
    limits.check_list(len(value), field, value, limits.MAX_LIST_ITEMS)
    return {
        key: journal_value(item, f"{field}.{key}", depth + 1)
        for key, item in value.items()
    }


def _check_depth(value: Any, field: str, depth: int) -> None:
    if depth > limits.MAX_NESTING:
        raise InvalidInputError(
            field,
            value,
            f"nests objects and lists more than {limits.MAX_NESTING} levels deep",
        )


def journal_value(value: Any, field: str, depth: int = 1) -> Any:
    """`value` written as the journal writes a field of its type: a date or datetime
    in ISO 8601, Money as its journal text, a Decimal as its digits, an enum as its
    value, lists, tuples, objects and attrs records item by item. Anything else (a
    float, a set, an object the journal cannot read back) is refused, naming
    `field`."""
    if type(value) in _JOURNAL_NATIVE:
        return value
    if isinstance(value, str) and not isinstance(value, enum.Enum):
        return value  # text of a str subclass: an erased personal field keeps its type
    if isinstance(value, float):
        raise InvalidInputError(
            field, value, 'floats are refused: give a string like "1234.56"'
        )
    if isinstance(value, Decimal):
        return _decimal_text(value, field)
    if isinstance(value, list | tuple):
        _check_depth(value, field, depth)
        limits.check_list(len(value), field, value, limits.MAX_LIST_ITEMS)
        return [
            journal_value(item, f"{field}[{i}]", depth + 1)
            for i, item in enumerate(value)
        ]
    if isinstance(value, Mapping):
        return journal_dict(value, field, depth)
    try:
        encode = codec_for(type(value), field)[0]
    except TypeError:
        raise InvalidInputError(
            field,
            value,
            f"a {type(value).__name__} cannot be written in the journal: give a "
            "string, an integer, a date, a datetime, Money, a Decimal or an enum",
        ) from None
    return journal_value(encode(value), field, depth)


def _decimal_text(value: Decimal, field: str) -> str:
    """The digits of a Decimal, without an exponent ("1E+2" is "100"), and without
    zeros after the second decimal, which change no value and which an amount does not
    accept ("500.000" is "500.00"; "0.125" stays)."""
    limits.check_decimal(value, field, value)
    units, dot, decimals = format(value, "f").partition(".")
    if len(decimals) > 2:
        decimals = decimals.rstrip("0").ljust(2, "0")
    return f"{units}.{decimals}" if dot else units


# --- trusted converters: what the ledger stored ---------------------------------------


def _trusted(tp: Any, field: str) -> Converter:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _trusted(inner[0], field)
    if tp is str and field not in _UNIQUE_TEXT and not limits.is_free_text(field):
        # A case's, claim's or creditor's reference repeats in every fact about it:
        # one string for all of them rather than one per fact (json.loads makes a
        # new one each time), a tenth of a rebuilt store's memory.
        return _shared_text
    if tp in (str, int, bool):
        return None
    if origin is dict or tp is dict:
        # Corrections recorded before their changes were kept in journal form may hold
        # a Decimal or a datetime, which eventsourcing's transcoder stored: written as
        # the journal does.
        def convert_dict(value: Any) -> dict[str, Any]:
            return journal_dict(_untranscoded(value), field)

        return convert_dict
    if tp is date:
        return _trusted_date
    if tp is datetime:
        return _trusted_datetime
    if tp is Money:
        return _trusted_money
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return {member.value: member for member in tp}.__getitem__
    # Decimals, tuples and nested records are rare: the journal's decoder does.
    decode = codec_for(tp, field)[1]

    def convert(value: Any) -> Any:
        return decode(value, field)

    return convert


#: What eventsourcing's JSON transcoder wrote for the values it knows, as read back
#: by the mapper, or as a plain `json.loads` of the stored event (a rebuild) sees it.
_TRANSCODED: dict[str, Callable[[str], Any]] = {
    "decimal_str": Decimal,
    "datetime_iso": datetime.fromisoformat,
}


def _untranscoded(value: Any) -> Any:
    if isinstance(value, dict):
        if value.keys() == {"_type_", "_data_"} and value["_type_"] in _TRANSCODED:
            return _TRANSCODED[value["_type_"]](value["_data_"])
        return {key: _untranscoded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_untranscoded(item) for item in value]
    return value


def _shared_text(value: Any) -> Any:
    # A value of another type (stored by an older version) is left as it was read.
    return sys.intern(value) if type(value) is str else value


#: The string fields that differ in every fact: not worth sharing.
_UNIQUE_TEXT = frozenset({"id", "client_ref"})

#: The dates read from the store, by their text: one object per day rather than one
#: per fact (dividends are paid on the same days across claims). At most one entry
#: per day the store names; a store naming more days than this is not shared further.
_DATES: dict[str, date] = {}
_DATES_KEPT = 100_000


def _trusted_date(text: str) -> date:
    day = _DATES.get(text)
    if day is None:
        day = date.fromisoformat(text)
        if len(_DATES) < _DATES_KEPT:
            _DATES[text] = day
    return day


#: The last recording time read from the store, with its text: the facts of one
#: batch share it, and are read one after the other. (One tuple, replaced whole, so
#: that a thread reads a text with its own time.)
_last_time: tuple[str, datetime | None] = ("", None)


def _trusted_datetime(text: str) -> datetime:
    global _last_time
    seen, moment = _last_time
    if text == seen and moment is not None:
        return moment
    moment = datetime.fromisoformat(text)
    _last_time = (text, moment)
    return moment


def _trusted_money(value: str) -> Money:
    if _is_plain_amount(value):
        return Money._of(int(value.replace(".", "", 1)))
    return decode_money(value, "amount")


# --- personal fields: a natural person's data, sealed in the stored form ------------

#: The fields that hold a natural person's data, by fact kind, with the field naming
#: the person (a creditor's id within its case). In the stored form each of them is a
#: sealed value (`sealed_value`) under that person's key (`plandebt.personal`), so
#: destroying the key erases them without rewriting the event. A correction's
#: `changes` of one of them is sealed the same way, under the corrected fact's person.
#: Ids stay in clear: they are pseudonyms the user chooses (never a name), and the
#: books are keyed by them.
PERSONAL_FIELDS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "creditor.registered": ("creditor", ("name", "address")),
    "claim.declared": ("creditor", ("description",)),
}
#: The kind whose `changes` may carry a personal field of the fact it corrects.
CORRECTION_KIND = "fact.corrected"
#: The key of a sealed value: {"sealed": <base64>, "person": <id>}.
SEALED = "sealed"


def sealed_value(person: str, data: str) -> dict[str, str]:
    """How a sealed personal field is stored: its ciphertext and whose key seals it."""
    return {SEALED: data, "person": person}


def is_sealed_value(value: Any) -> bool:
    return isinstance(value, dict) and SEALED in value and "person" in value


def personal_fields(kind: str) -> tuple[str, tuple[str, ...]] | None:
    """(the field naming the person, the personal fields) of a kind, or None."""
    return PERSONAL_FIELDS.get(kind)
