"""The journal: a case's history as JSON Lines, one fact per line (docs/journal.md).

Export writes every fact with its id, its position (`seq`) and its recording time.
Import goes through the same validation as the Python API and is all-or-nothing: the
first bad line is reported with its number and nothing of the file is written.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from plandebt.errors import InvalidInputError, JournalError
from plandebt.events import Fact


def parse_lines(
    lines: Iterable[str | dict[str, Any]], *, keep_recording: bool = False
) -> list[tuple[int, Fact]]:
    """Parses journal lines into facts, with their 1-based line numbers. Blank lines
    are skipped. `seq` is always reassigned by the ledger; `recorded_at` is kept only
    when `keep_recording` (a restore)."""
    facts: list[tuple[int, Fact]] = []
    for number, line in enumerate(lines, start=1):
        try:
            if isinstance(line, str):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as e:
                    raise InvalidInputError(
                        "line", line.strip()[:80], f"is not JSON: {e.msg}"
                    ) from e
            else:
                data = line
            if not isinstance(data, dict):
                raise InvalidInputError("line", data, "must be a JSON object")
            data = dict(data)
            data.pop("seq", None)
            if not keep_recording:
                data.pop("recorded_at", None)
            facts.append((number, Fact.from_dict(data)))
        except InvalidInputError as e:
            raise JournalError(number, e) from e
    return facts


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
