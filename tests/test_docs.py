"""The documentation is executed and checked against the code, so that it stays true.

- Every ```python block of docs/concepts.md, docs/api.md, docs/journal.md and
  docs/distribution.md and docs/claims-sheet.md runs. The
  blocks of one page run in order in one namespace shared by that page (a page builds
  its example step by step); each page starts from a fresh namespace, in a temporary
  working directory. A block marked ```python no-run is illustrative and skipped.
- Every `plandebt ...` line of a page's ```sh blocks runs through the CLI, in order,
  in one temporary directory per page, and must exit 0 (or the code a trailing
  `# exit N` comment names). A ```text block right after a ```sh block lists lines the
  output must contain, spaces collapsed so that column widths do not matter.
- docs/journal.md has a section for every fact kind in `plandebt.fact_kinds()`, with a
  table row for every field (nested ones too) and every value of its enum fields, and
  one example (a line, after the lines it needs if any); the examples, in page order,
  form a journal that imports into an empty ledger (the two kinds that end a plan one
  at a time, see ENDINGS). Adding a kind, a field or an enum value without documenting
  it fails here.
- docs/api.md names everything in `plandebt.__all__`.
"""

from __future__ import annotations

import enum
import json
import linecache
import re
import shlex
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import attrs
import pytest

import plandebt
from plandebt.cli import main
from plandebt.events.base import ENVELOPE
from plandebt.money import Money

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGES = [
    "concepts.md",
    "api.md",
    "journal.md",
    "distribution.md",
    "claims-sheet.md",
    "integrity-crypto.md",
]
_FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```[ \t]*$", re.M | re.S)


@dataclass
class Block:
    info: str  # what follows the opening fence: "python", "python no-run", "sh"...
    code: str
    line: int  # 1-based line of the opening fence
    start: int  # offsets of the whole fenced block in the page
    end: int


def blocks(page: str) -> list[Block]:
    text = (DOCS / page).read_text(encoding="utf-8")
    return [
        Block(
            m.group(1).strip(),
            m.group(2),
            text.count("\n", 0, m.start()) + 1,
            m.start(),
            m.end(),
        )
        for m in _FENCE.finditer(text)
    ]


# --- the examples run -------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_python_examples_run(page: str, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # examples that write a SQLite file write it here
    monkeypatch.delenv("PLANDEBT_DB", raising=False)
    namespace: dict[str, Any] = {"__name__": f"docs.{page}"}
    ran = 0
    for block in blocks(page):
        if block.info.split()[:1] != ["python"] or "no-run" in block.info.split():
            continue
        name = f"docs/{page}, block at line {block.line}"
        # Registered so that a failing example's traceback shows its source line.
        linecache.cache[name] = (
            len(block.code),
            None,
            block.code.splitlines(True),
            name,
        )
        exec(compile(block.code, name, "exec"), namespace)
        ran += 1
    assert ran, f"docs/{page} has no python example"


def _normalised(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines()]


@pytest.mark.parametrize("page", PAGES)
def test_command_line_examples_run(page: str, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    page_blocks = blocks(page)
    text = (DOCS / page).read_text(encoding="utf-8")
    for i, block in enumerate(page_blocks):
        if block.info != "sh":
            continue
        output = ""
        for line in block.code.splitlines():
            if not line.strip().startswith("plandebt"):
                continue
            expected = re.search(r"#\s*exit (\d+)", line)
            argv = shlex.split(line, comments=True)
            code = main(argv[1:])
            captured = capsys.readouterr()
            output += captured.out + captured.err
            assert code == (int(expected.group(1)) if expected else 0), (
                f"docs/{page} line {block.line}: {line}\n{captured.err}"
            )
        after = page_blocks[i + 1] if i + 1 < len(page_blocks) else None
        if after and after.info == "text" and not text[block.end : after.start].strip():
            lines = _normalised(output)
            for wanted in _normalised(after.code):
                assert not wanted or any(wanted in got for got in lines), (
                    f"docs/{page} line {after.line}: {wanted!r} not in the output of "
                    f"the commands at line {block.line}"
                )


# --- the journal reference covers every kind, field and value -----------------------------


def journal() -> str:
    return (DOCS / "journal.md").read_text(encoding="utf-8")


def kind_sections() -> dict[str, str]:
    """Each fact kind's section of docs/journal.md, from its "### `kind`" heading to
    the next heading."""
    text = journal()
    sections = {}
    for head in re.finditer(r"^### `([a-z_.]+)`", text, re.M):
        rest = text[head.end() :]
        stop = re.search(r"^#{2,3} ", rest, re.M)
        sections[head.group(1)] = rest[: stop.start() if stop else len(rest)]
    return sections


def _unwrapped(tp: Any) -> Any:
    """The type inside Optional[...] or tuple[..., ...]."""
    while typing.get_origin(tp) in (typing.Union, types.UnionType, tuple):
        tp = next(a for a in typing.get_args(tp) if a is not type(None))
    return tp


def _own_fields(cls: type) -> list[tuple[str, Any]]:
    hints = typing.get_type_hints(cls)
    return [
        (f.name, hints[f.name]) for f in attrs.fields(cls) if f.name not in ENVELOPE
    ]


def _has_row(section: str, name: str) -> bool:
    return re.search(rf"^\|\s*`{re.escape(name)}`\s*\|", section, re.M) is not None


def test_the_envelope_is_documented() -> None:
    match = re.search(r"^## The envelope\n(.*?)(?=^## )", journal(), re.M | re.S)
    assert match, "docs/journal.md has no '## The envelope' section"
    for name in ENVELOPE:
        assert _has_row(match.group(1), name), f"envelope field {name} is not in a row"


@pytest.mark.parametrize("kind", sorted(plandebt.fact_kinds()))
def test_every_field_of_every_kind_is_documented(kind: str) -> None:
    sections = kind_sections()
    assert kind in sections, f"docs/journal.md has no '### `{kind}`' section"
    section = sections[kind]
    fact_class = plandebt.fact_kinds()[kind]
    for name, tp in _own_fields(fact_class):
        inner = _unwrapped(tp)
        assert _has_row(section, name), f"{kind}: field {name} has no table row"
        if (
            attrs.has(inner) and inner is not Money
        ):  # a nested record: rows for its fields
            for sub, sub_tp in _own_fields(inner):
                assert _has_row(section, f"{name}[].{sub}") or _has_row(
                    section, f"{name}.{sub}"
                ), f"{kind}: field {name}.{sub} has no table row"
                inner_enum = _unwrapped(sub_tp)
                if isinstance(inner_enum, type) and issubclass(inner_enum, enum.Enum):
                    _all_values_named(kind, section, inner_enum)
        if isinstance(inner, type) and issubclass(inner, enum.Enum):
            _all_values_named(kind, section, inner)


def _all_values_named(kind: str, section: str, enum_class: type[enum.Enum]) -> None:
    for member in enum_class:
        assert f"`{member.value}`" in section, (
            f"{kind}: value {member.value!r} of {enum_class.__name__} is not documented"
        )


def examples() -> list[tuple[str, list[dict[str, Any]]]]:
    """Each kind's example block, as journal lines: the last line is the kind's
    example, the lines before it (if any) the facts it needs."""
    found = []
    for kind, section in kind_sections().items():
        blocks_ = re.findall(r"^```json\n(.*?)^```", section, re.M | re.S)
        assert len(blocks_) == 1, f"{kind}: wants exactly one ```json example"
        lines = [json.loads(line) for line in blocks_[0].splitlines()]
        assert lines[-1]["kind"] == kind, (
            f"{kind}: the example is a {lines[-1]['kind']}"
        )
        found.append((kind, lines))
    return found


#: Kinds that end a plan: each excludes the other, so their examples are imported one
#: at a time, after all the others.
ENDINGS = ("plan.resolved", "plan.completed")


def test_the_examples_form_a_journal_that_imports() -> None:
    found = examples()
    assert {kind for kind, _ in found} >= set(plandebt.fact_kinds())
    story = [line for kind, lines in found if kind not in ENDINGS for line in lines]
    endings = [lines for kind, lines in found if kind in ENDINGS]
    for ending in endings or [[]]:
        journal_lines = story + ending
        ledger = plandebt.Ledger.open("memory")
        recorded = ledger.import_journal([json.dumps(d) for d in journal_lines])
        assert [f.kind for f in recorded] == [d["kind"] for d in journal_lines]


def test_the_api_page_names_every_public_name() -> None:
    api = (DOCS / "api.md").read_text(encoding="utf-8")
    for name in plandebt.__all__:
        assert re.search(rf"`[^`\n]*\b{re.escape(name)}\b[^`\n]*`", api), (
            f"docs/api.md does not mention {name}"
        )


def test_the_top_level_api_is_small_and_facts_live_in_events() -> None:
    import warnings

    import plandebt.events

    assert len(plandebt.__all__) <= 40
    assert all(name in dir(plandebt) for name in plandebt.__all__)
    # An old import of a fact from plandebt keeps working, and says where it moved.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        moved = plandebt.PaymentMade  # type: ignore[attr-defined]
    assert moved is plandebt.events.PaymentMade
    assert "plandebt.events" in str(caught[0].message)
