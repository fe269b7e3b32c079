"""The journal: a case's history as JSON Lines, one fact per line (docs/journal.md).

Export writes every fact with its id, its position (`seq`) and its recording time.
Import goes through the same validation as the Python API and is all-or-nothing: the
first bad line is reported with its number and nothing of the file is written.

Reading is strict, and every problem is a refusal with its line number: lines end at
"\\n" and nowhere else (not at a form feed or U+2028, which `str.splitlines` would
split on), each is UTF-8, strict JSON (no NaN, no duplicate key, no integer of more
than 19 digits), within `limits.MAX_LINE_LENGTH` and `limits.MAX_NESTING`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

import attrs

from plandebt import limits, personal
from plandebt.errors import InvalidInputError, JournalError
from plandebt.events import Fact
from plandebt.personal import GivenKeys

#: What `parse_lines` reads: a whole journal (text or bytes), or its lines (text or
#: bytes, one per item) or the dictionaries they hold.
Journal = str | bytes | Iterable[str | bytes | Mapping[str, Any]]

#: What JSON calls whitespace: a line of nothing else is blank.
_BLANK = " \t\r\n"
_BLANK_BYTES = _BLANK.encode()
_UTF8_BOM = "\ufeff"
#: Byte-order marks of UTF-16 and UTF-32, which a journal is not written in.
_OTHER_BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\xfe\xff", "UTF-16"),
    (b"\xff\xfe", "UTF-16"),
)


def split(journal: str | bytes) -> list[str] | list[bytes]:
    """The lines of a whole journal: it is cut at each "\\n" and nowhere else."""
    if isinstance(journal, bytes):
        return journal.split(b"\n")
    return journal.split("\n")


@attrs.frozen
class Claimed:
    """What a journal line says of its place in the case's hash chain (an export
    writes it, a verified restore checks it: docs/integrity.md)."""

    seq: int | None
    prev: str | None
    hash: str | None
    unverified: bool = False


#: The keys of a line's link, after its fact's fields.
CHAIN_KEYS = ("unverified", "prev_hash", "hash")


def _claimed(data: dict[str, Any]) -> Claimed | None:
    """The line's link (its keys are taken out of `data`), or None if it has none."""
    from plandebt.integrity import is_hash

    if not any(key in data for key in CHAIN_KEYS):
        return None
    prev, own = data.pop("prev_hash", None), data.pop("hash", None)
    flag = data.pop("unverified", None)
    for name, value in (("prev_hash", prev), ("hash", own)):
        if not is_hash(value):
            raise InvalidInputError(
                name, value, "must be a SHA-256 hash: 64 lowercase hexadecimal digits"
            )
    if flag not in (None, True):
        raise InvalidInputError("unverified", flag, "must be true, or left out")
    seq = data.get("seq")
    return Claimed(seq if type(seq) is int else None, prev, own, flag is True)


def parse_lines(
    lines: Journal, *, keep_recording: bool = False
) -> list[tuple[int, Fact]]:
    """Parses journal lines into facts, with their 1-based line numbers. Blank lines
    are skipped (they count). `seq` is always reassigned by the ledger; `recorded_at`
    is kept only when `keep_recording` (a restore). A line's link in the hash chain
    (`prev_hash`, `hash`, `unverified`) is read and left aside (`parse_entries`
    gives it)."""
    return [(n, fact) for n, fact, _claim in parse_entries(lines, keep_recording)]


def parse_entries(
    lines: Journal,
    keep_recording: bool = False,
    person_keys: GivenKeys | None = None,
) -> list[tuple[int, Fact, Claimed | None]]:
    """`parse_lines`, with what each line says of the hash chain (None: nothing).
    The person keys the lines give (`person_key`, docs/journal.md) are put in
    `person_keys`; an erased person's sealed fields are read as erased."""
    keys: GivenKeys = {} if person_keys is None else person_keys
    if isinstance(lines, str | bytes):
        lines = split(lines)
    facts: list[tuple[int, Fact, Claimed | None]] = []
    for number, line in enumerate(lines, start=1):
        try:
            if isinstance(line, bytes):
                line = _text(line, number)
            if isinstance(line, str):
                if number == 1 and line.startswith(_UTF8_BOM):
                    line = line[1:]
                if not line.strip(_BLANK):
                    continue
                data = _json(line)
            else:
                data = line
            if not isinstance(data, Mapping):
                raise InvalidInputError("line", data, "must be a JSON object")
            data = dict(data)
            claim = _claimed(data)
            personal.given_key(data, number, keys)
            data = personal.from_journal(data)
            data.pop("seq", None)
            if not keep_recording:
                data.pop("recorded_at", None)
            facts.append((number, Fact.from_dict(data), claim))
        except InvalidInputError as e:
            raise JournalError(number, e) from e
    return facts


def _text(line: bytes, number: int) -> str:
    """A line of bytes as text: UTF-8, nothing else."""
    if len(line) > limits.MAX_LINE_LENGTH:
        raise _too_long(line, len(line), "bytes")
    if number == 1:
        for bom, encoding in _OTHER_BOMS:
            if line.startswith(bom):
                raise InvalidInputError(
                    "line",
                    line[:16],
                    f"is {encoding} text (it starts with a byte-order mark); "
                    "a journal is JSON Lines in UTF-8",
                )
    if b"\x00" in line:  # never in JSON text: raw controls must be escaped
        raise InvalidInputError(
            "line",
            line[:40],
            "holds NUL bytes: binary data or UTF-16 text, not a JSON line in UTF-8",
        )
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InvalidInputError(
            "line",
            line[max(0, e.start - 20) : e.start + 20],
            f"is not UTF-8 text (byte 0x{line[e.start]:02x} at byte {e.start + 1}); "
            "a journal is JSON Lines in UTF-8",
        ) from e


def _too_long(line: str | bytes, length: int, unit: str) -> InvalidInputError:
    return InvalidInputError(
        "line",
        line[:40],
        f"is {length:,} {unit} long; a journal line holds at most "
        f"{limits.MAX_LINE_LENGTH:,}",
    )


class _Refused(Exception):
    """Raised inside the JSON parser's hooks, to leave it at once."""

    def __init__(self, refusal: InvalidInputError) -> None:
        self.refusal = refusal


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        for key, value in pairs:
            if key in seen:
                raise _Refused(
                    InvalidInputError(key, value, "is given twice in the same object")
                )
            seen.add(key)
    return data


def _constant(name: str) -> Any:
    raise _Refused(
        InvalidInputError("line", name, f"{name} is not a number JSON may hold")
    )


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > limits.MAX_INTEGER_DIGITS:
        raise _Refused(
            InvalidInputError(
                "line",
                text[:40],
                f"holds an integer of {len(text.lstrip('-')):,} digits; at most "
                f"{limits.MAX_INTEGER_DIGITS}",
            )
        )
    return int(text)


_DECODER = json.JSONDecoder(
    object_pairs_hook=_object, parse_constant=_constant, parse_int=_integer
)


def _json(line: str) -> Any:
    """The JSON value of a line, strictly read."""
    if len(line) > limits.MAX_LINE_LENGTH:
        raise _too_long(line, len(line), "characters")
    try:
        data = _DECODER.decode(line)
    except _Refused as e:
        raise e.refusal from None
    except json.JSONDecodeError as e:
        where = f"column {e.colno}"
        if e.pos < len(line) and not line[e.pos].isprintable():
            where += f", at U+{ord(line[e.pos]):04X}"  # a form feed, a U+2028...
        raise InvalidInputError(
            "line", line.strip(_BLANK)[:80], f"is not JSON: {e.msg} ({where})"
        ) from e
    except RecursionError:
        raise _too_deep(line) from None
    # A line of few brackets cannot nest deep: most are not walked.
    if line.count("{") + line.count("[") > limits.MAX_NESTING and _depth(data) > (
        limits.MAX_NESTING
    ):
        raise _too_deep(line)
    return data


def _too_deep(line: str) -> InvalidInputError:
    return InvalidInputError(
        "line",
        line[:40],
        f"nests objects and lists more than {limits.MAX_NESTING} levels deep",
    )


def _depth(data: Any) -> int:
    """How deep `data` nests objects and lists (a bare value: 0)."""
    deepest = 0
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            items: Iterable[Any] = value.values()
        elif isinstance(value, list):
            items = value
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > limits.MAX_NESTING:
            break
        stack.extend((item, depth + 1) for item in items)
    return deepest


def dump_lines(facts: Iterable[dict[str, Any]]) -> Iterator[str]:
    """One compact JSON line per fact, keys in the journal's order."""
    for data in facts:
        yield json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def write(facts: Iterable[dict[str, Any]], stream: IO[str]) -> int:
    count = 0
    for line in dump_lines(facts):
        stream.write(line + "\n")
        count += 1
    return count
