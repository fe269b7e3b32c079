"""The shape every recorded fact shares: the Fact class, its envelope and the
registry of fact kinds.

A fact is an immutable attrs record. Its journal form (one JSON object a line) and
its stored form (inside the event store) are the same plain dictionary, so one codec
(`codec.py`) serves the store, the journal and the Python API: a new fact kind is
one class.

Every fact carries the two clocks (architecture principle 2):
- `effective_on`: when it is true in the world (judgment date, value date...);
- `recorded_at` and `seq`: when, and in which order, the ledger learnt it. They are
  set by the ledger when the fact is saved (or kept from an export on restore).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, ClassVar, TypeVar

import attrs

from plandebt.errors import InvalidInputError
from plandebt.events import codec

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
        for name, encode in _codecs(type(self)).encoders:
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

    def check(self) -> None:
        """Refuses (InvalidInputError) a fact holding a value beyond the bounds at
        the door (`plandebt.limits`) or not of its field's type: what `build` and
        `from_dict` check, for a fact made by calling its class directly. The
        ledger calls it on every fact it is given to record."""
        for name, decode in _codecs(type(self)).decoders.items():
            value = getattr(self, name)
            if value is not None and decode(value, name) != value:
                raise InvalidInputError(
                    name,
                    value,
                    f"is a {type(value).__name__}, not the field's type: build the "
                    f"fact with {type(self).__name__}.build(...) to convert it",
                )

    @staticmethod
    def from_stored(data: Mapping[str, Any]) -> Fact:
        """Rebuilds a fact the ledger itself stored: it was validated when recorded,
        so each value only needs converting (a rebuild reads millions of them)."""
        fact_class = _REGISTRY[data["kind"]]
        converters = _codecs(fact_class).trusted
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
        codecs = _codecs(cls)
        decoders, required = codecs.decoders, codecs.required
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
        for attribute in type(self).__attrs_attrs__:
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


def _codecs(cls: type[Fact]) -> codec.FieldCodecs:
    """The codecs of a fact class's fields, the envelope's first."""
    return codec.field_codecs(cls, ENVELOPE[1:])
