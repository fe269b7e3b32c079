"""The shape every recorded fact shares, and its codec.

A fact is an immutable attrs record. Its journal form (one JSON object a line) and
its stored form (inside the event store) are the same plain dictionary, so one codec
serves the store, the journal and the Python API: a new fact kind is one class.

Every fact carries the two clocks (architecture principle 2):
- `effective_on`: when it is true in the world (judgment date, value date...);
- `recorded_at` and `seq`: when, and in which order, the ledger learnt it. They are
  set by the ledger when the fact is saved (or kept from an export on restore).
"""

from __future__ import annotations

import enum
import types
import typing
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, TypeVar

import attrs

from plandebt.errors import InvalidInputError
from plandebt.money import Money

F = TypeVar("F", bound="Fact")

#: Fields every fact has, in the order the journal writes them.
ENVELOPE = ("kind", "case", "id", "seq", "recorded_at", "client_ref", "effective_on")

_REGISTRY: dict[str, type[Fact]] = {}


@attrs.frozen(kw_only=True)
class Fact:
    """Base of every fact. Subclasses set `kind` and add their own fields."""

    kind: ClassVar[str] = ""
    #: Names of fields that may not be changed by a correction (void and record
    #: again instead): they decide which creditor or claim the fact is about.
    identity: ClassVar[tuple[str, ...]] = ()

    case: str
    effective_on: date
    id: str = attrs.field(factory=lambda: uuid.uuid4().hex)
    client_ref: str | None = None
    recorded_at: datetime | None = None
    seq: int | None = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("kind"):
            _REGISTRY[cls.kind] = cls

    # --- codec ----------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The journal form: JSON-native values, None fields left out."""
        out: dict[str, Any] = {"kind": self.kind}
        for name, encode in _encoders(type(self)):
            value = getattr(self, name)
            if value is not None:
                out[name] = encode(value)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Fact:
        """Builds the fact a journal line or stored payload describes.

        Strict: an unknown kind, an unknown field, a missing field or a value of the
        wrong shape is refused with an InvalidInputError naming the field."""
        kind = data.get("kind")
        fact_class = _REGISTRY.get(kind) if isinstance(kind, str) else None
        if fact_class is None:
            raise InvalidInputError(
                "kind",
                kind,
                "unknown fact kind; known: " + ", ".join(sorted(_REGISTRY)),
            )
        if cls is not Fact and not issubclass(fact_class, cls):
            raise InvalidInputError("kind", kind, f"is not a {cls.__name__}")
        return fact_class._decode(data)

    @classmethod
    def build(cls: type[F], **values: Any) -> F:
        """Constructs a fact from Python or JSON values, each coerced to its field's
        type (Money from "1 234,56", a date from "2022-03-01", an enum from its
        value...), refusing unknown fields and missing required ones."""
        if "kind" in values:
            raise InvalidInputError(
                "kind", values["kind"], f"unknown field for {cls.kind}"
            )
        return cls._decode(values)

    @staticmethod
    def from_stored(data: Mapping[str, Any]) -> Fact:
        """Rebuilds a fact the ledger itself stored: it was validated when recorded,
        so each value only needs converting (a rebuild reads millions of them)."""
        fact_class = _REGISTRY[data["kind"]]
        converters = _trusted_converters(fact_class)
        kwargs = {}
        for name, value in data.items():
            if value is None or name == "kind":
                continue
            if name not in converters:  # not a field any more: say so, typed
                return Fact.from_dict(data)
            convert = converters[name]
            kwargs[name] = value if convert is None else convert(value)
        return fact_class(**kwargs)

    @classmethod
    def _decode(cls: type[F], values: Mapping[str, Any]) -> F:
        decoders, required = _decoders(cls), _required(cls)
        kwargs: dict[str, Any] = {}
        for name, value in values.items():
            decode = decoders.get(name)
            if decode is None:
                if name == "kind":
                    continue
                raise InvalidInputError(name, value, f"unknown field for {cls.kind}")
            if value is not None:
                kwargs[name] = decode(value, name)
        if not required.issubset(kwargs):
            name = min(required - kwargs.keys())
            raise InvalidInputError(
                name, values.get(name), f"is required for {cls.kind}"
            )
        return cls(**kwargs)

    def stamped(self: F, seq: int, recorded_at: datetime) -> F:
        """This fact with its recording position and time (a copy: facts are
        immutable; copying the slots skips re-validating every field)."""
        copy = object.__new__(type(self))
        for attribute in type(self).__attrs_attrs__:  # type: ignore[attr-defined]
            object.__setattr__(copy, attribute.name, getattr(self, attribute.name))
        object.__setattr__(copy, "seq", seq)
        object.__setattr__(copy, "recorded_at", recorded_at)
        return copy

    def payload(self) -> dict[str, Any]:
        """The journal form without the recording position (what a client sent)."""
        data = self.to_dict()
        for key in ("id", "seq", "recorded_at", "client_ref"):
            data.pop(key, None)
        return data


def fact_kinds() -> dict[str, type[Fact]]:
    """Every registered fact kind, by name."""
    return dict(_REGISTRY)


# --- per-type encoders and decoders ---------------------------------------------------

_Codec = tuple[Callable[[Any], Any], Callable[[Any, str], Any]]


def _decode_str(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(field, value, "must be a non-empty string")
    return value


def _decode_int(value: Any, field: str) -> int:
    if type(value) is not int:
        raise InvalidInputError(field, value, "must be an integer")
    return value


def _decode_bool(value: Any, field: str) -> bool:
    if type(value) is not bool:
        raise InvalidInputError(field, value, "must be true or false")
    return value


def _decode_date(value: Any, field: str) -> date:
    if isinstance(value, datetime):
        raise InvalidInputError(field, value, "must be a date, not a datetime")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidInputError(field, value, "must be a date like 2022-03-01")


def _decode_datetime(value: Any, field: str) -> datetime:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError as e:
            raise InvalidInputError(field, value, "must be an ISO 8601 datetime") from e
    if not isinstance(value, datetime):
        raise InvalidInputError(field, value, "must be a datetime")
    if value.tzinfo is None:
        raise InvalidInputError(field, value, "must carry a time zone (UTC)")
    return value.astimezone(UTC)


def _is_plain_amount(text: str) -> bool:
    """'-1234.56': digits, a dot, two digits (str methods: faster than a regex)."""
    units = text[1:-3] if text.startswith("-") else text[:-3]
    return (
        len(text) > 3
        and text[-3] == "."
        and text[-2:].isdigit()
        and units.isdigit()
        and units.isascii()
    )


def _decode_money(value: Any, field: str) -> Money:
    if type(value) is str and _is_plain_amount(value):
        # The journal's own form ("-1234.56"): what every stored fact holds.
        return Money._of(int(value.replace(".", "", 1)))
    if isinstance(value, str):
        text = value.strip()
        if (
            len(text) > 4
            and text[-3:].isalpha()
            and text[-3:].isupper()
            and text[-4] == " "
        ):
            return Money.parse(text[:-4], currency=text[-3:], field=field)
    return Money.coerce(value, field=field)


def _encode_money(value: Money) -> str:
    return (
        value.plain()
        if value.currency == "EUR"
        else f"{value.plain()} {value.currency}"
    )


def _decode_decimal(value: Any, field: str) -> Decimal:
    if isinstance(value, bool | float):
        raise InvalidInputError(field, value, "give a decimal as a string, not a float")
    try:
        result = Decimal(value) if isinstance(value, int | str | Decimal) else None
    except InvalidOperation:
        result = None
    if result is None or not result.is_finite():
        raise InvalidInputError(field, value, 'must be a decimal number like "12.5"')
    return result


def _enum_codec(enum_class: type[enum.Enum]) -> _Codec:
    by_value = {member.value: member for member in enum_class}

    def decode(value: Any, field: str) -> enum.Enum:
        if isinstance(value, enum_class):
            return value
        if value in by_value:
            return by_value[value]
        raise InvalidInputError(
            field, value, "must be one of " + ", ".join(str(v) for v in by_value)
        )

    return (lambda v: v.value), decode


def _codec_for(tp: Any) -> _Codec:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _codec_for(inner[0])
    if origin is tuple:
        item_encode, item_decode = _codec_for(typing.get_args(tp)[0])

        def decode_tuple(value: Any, field: str) -> tuple[Any, ...]:
            if not isinstance(value, list | tuple):
                raise InvalidInputError(field, value, "must be a list")
            return tuple(item_decode(v, f"{field}[{i}]") for i, v in enumerate(value))

        return (lambda v: [item_encode(x) for x in v]), decode_tuple
    if origin is dict or tp is dict:

        def decode_dict(value: Any, field: str) -> dict[str, Any]:
            if not isinstance(value, dict) or not all(
                isinstance(k, str) for k in value
            ):
                raise InvalidInputError(field, value, "must be an object")
            return dict(value)

        return dict, decode_dict
    if isinstance(tp, type):
        if issubclass(tp, enum.Enum):
            return _enum_codec(tp)
        if tp is Money:
            return _encode_money, _decode_money
        if tp is bool:
            return (lambda v: v), _decode_bool
        if tp is int:
            return (lambda v: v), _decode_int
        if tp is str:
            return (lambda v: v), _decode_str
        if tp is Decimal:
            return str, _decode_decimal
        if tp is datetime:
            return (lambda v: v.isoformat()), _decode_datetime
        if tp is date:
            return (lambda v: v.isoformat()), _decode_date
        if attrs.has(tp):
            return _record_codec(tp)
    raise TypeError(f"no codec for {tp!r}")


def _record_codec(record_class: type) -> _Codec:
    """Nested attrs value objects (a plan option, a tranche...)."""
    hints = typing.get_type_hints(record_class)
    fields = [
        (f.name, _codec_for(hints[f.name]), f.default is attrs.NOTHING)
        for f in attrs.fields(record_class)
    ]

    def encode(value: Any) -> dict[str, Any]:
        out = {}
        for name, (enc, _dec), _req in fields:
            item = getattr(value, name)
            if item is not None:
                out[name] = enc(item)
        return out

    def decode(value: Any, field: str) -> Any:
        if isinstance(value, record_class):
            return value
        if not isinstance(value, dict):
            raise InvalidInputError(field, value, "must be an object")
        known = {name for name, _c, _r in fields}
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


_ENCODERS: dict[type, list[tuple[str, Callable[[Any], Any]]]] = {}
_DECODERS: dict[type, dict[str, Callable[[Any, str], Any]]] = {}
_REQUIRED: dict[type, frozenset[str]] = {}


def _fields_in_journal_order(cls: type[Fact]) -> list[attrs.Attribute]:
    fields = list(attrs.fields(cls))
    head = [f for name in ENVELOPE[1:] for f in fields if f.name == name]
    return head + [f for f in fields if f.name not in ENVELOPE]


def _encoders(cls: type[Fact]) -> list[tuple[str, Callable[[Any], Any]]]:
    if cls not in _ENCODERS:
        hints = typing.get_type_hints(cls)
        _ENCODERS[cls] = [
            (f.name, _codec_for(hints[f.name])[0])
            for f in _fields_in_journal_order(cls)
        ]
    return _ENCODERS[cls]


def _decoders(cls: type[Fact]) -> dict[str, Callable[[Any, str], Any]]:
    decoders = _DECODERS.get(cls)
    if decoders is None:
        hints = typing.get_type_hints(cls)
        decoders = _DECODERS[cls] = {
            f.name: _codec_for(hints[f.name])[1] for f in _fields_in_journal_order(cls)
        }
        _REQUIRED[cls] = frozenset(
            f.name for f in attrs.fields(cls) if f.default is attrs.NOTHING
        )
    return decoders


def _required(cls: type[Fact]) -> frozenset[str]:
    _decoders(cls)
    return _REQUIRED[cls]


_TRUSTED: dict[type, dict[str, Callable[[Any], Any] | None]] = {}


def _trusted_converters(cls: type[Fact]) -> dict[str, Callable[[Any], Any] | None]:
    """Per field of a fact class: the conversion a stored JSON value needs (None:
    none), without the checks the journal's decoders make."""
    converters = _TRUSTED.get(cls)
    if converters is None:
        hints = typing.get_type_hints(cls)
        converters = _TRUSTED[cls] = {
            f.name: _trusted(hints[f.name], f.name) for f in attrs.fields(cls)
        }
    return converters


def _trusted(tp: Any, field: str) -> Callable[[Any], Any] | None:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return _trusted(inner[0], field)
    if tp in (str, int, bool, dict) or origin is dict:
        return None
    if tp is date:
        return date.fromisoformat
    if tp is datetime:
        return datetime.fromisoformat
    if tp is Money:
        return _trusted_money
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return {member.value: member for member in tp}.__getitem__
    # Decimals, tuples and nested records are rare: the journal's decoder does.
    decode = _codec_for(tp)[1]
    return lambda value: decode(value, field)


def _trusted_money(value: str) -> Money:
    if _is_plain_amount(value):
        return Money._of(int(value.replace(".", "", 1)))
    return _decode_money(value, "amount")
