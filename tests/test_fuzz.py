"""Fuzzing the door (issue 11): raw bytes, and JSON-ish text made from the lines of
the illustrative case with odd values put in (deep nesting, huge integers, odd
Unicode, control characters, a value of the wrong type, another fact kind's
fields), fed to `Ledger.import_journal` and to `plandebt record`.

Whatever comes in: the API raises nothing but plandebt's errors, the command exits
0 or 2 with at most one line on standard error and never a traceback, and when
either refuses, the store holds what it held. What is accepted can be asked about:
balances, the plan's status and the compliance checks answer."""

from __future__ import annotations

import contextlib
import enum
import io
import json
import shutil
import sqlite3
import types
import typing
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plandebt import Ledger, Money, limits
from plandebt.cli import main
from plandebt.cli.exits import OK, USAGE
from plandebt.demo import illustrative_journal
from plandebt.errors import JournalError, PlandebtError
from plandebt.events.base import ENVELOPE, fact_kinds


def _base_journal() -> list[dict[str, Any]]:
    """The illustrative case with only a few of its many payments and departures:
    every kind of fact it has, in a store small enough to open in milliseconds."""
    kept: list[dict[str, Any]] = []
    seen: Counter[str] = Counter()
    for line in illustrative_journal():
        kind = line["kind"]
        if (kind.startswith("employment.") or kind == "payment.made") and seen[
            kind
        ] >= 4:
            continue
        kept.append(line)
        seen[kind] += 1
    return kept


BASE = _base_journal()
#: The seeds of near-valid lines: the lines of BASE, whose references resolve in a
#: store holding it. Their ids are dropped (a new id each time) unless a mutation
#: puts one back.
SEEDS: list[dict[str, Any]] = [
    {k: v for k, v in line.items() if k != "id"} for line in BASE
]
KINDS = sorted(fact_kinds())
FIELDS = sorted(
    {f.name for cls in fact_kinds().values() for f in attrs.fields(cls)}
    | set(ENVELOPE)
    | {"kind"}
)

# --- odd values --------------------------------------------------------------------------

#: Text JSON cannot make from a Python value (json.dumps would refuse, or crash, or
#: recurse): written into the line in place of a placeholder.
RAW = st.one_of(
    st.sampled_from(
        [
            "NaN",
            "Infinity",
            "-Infinity",
            "1e999",
            "-0",
            "1.5e-400",
            '"\\ud800"',
            '"\\udfff\\ud800x"',
            '"\\u0000"',
            '"a\\u202eb"',
            '{"a": 1, "a": 2}',
            '"2024-W30-1"',
            '"20240601"',
            '"100.\u00b2\u00b2"',
            '"\u0661\u0660\u0660.\u0660\u0660"',
            '"\uff11\uff10\uff10.\uff10\uff10"',
        ]
    ),
    st.integers(1, 6000).map(lambda n: "9" * n),
    st.integers(1, 3000).map(lambda n: "[" * n + "]" * n),
    st.integers(1, 50).map(lambda n: '{"a":' * n + "1" + "}" * n),
)
ODD_TEXT = st.one_of(
    st.text(st.characters(exclude_categories=()), max_size=12),  # surrogates too
    st.text(st.characters(codec="ascii"), max_size=8),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "A\x1b[31m",
            "\u202eevil",
            "\u2066x\u2069",
            "\x85",
            "\u2028",
            "x" * 300,
            "2024-06-01",
            "1899-12-31",
            "2200-01-01",
            "9999-12-31",
            "2024-02-30",
            "2024-06-01T10:00:00+00:00",
            "2024-06-01T10:00:00",
            "1000000000000.00",
            "1000000000000.01",
            "1e3",
            "1 000,00 €",
            "12.00 CHF",
            "-5.00",
            "0.001",
            "12.5",
            "plan_dividend",
            "unsecured",
            "RJ-2022-SMART-FR (illustrative)",
            "URSSAF-1",
        ]
    ),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.sampled_from([0, 1, -1, 100, 101, 1200, 1201, 10**9, 2**63, 10**19]),
    st.floats(allow_nan=False, allow_infinity=False),
    ODD_TEXT,
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(FIELDS) | ODD_TEXT, inner, max_size=4)
    ),
    max_leaves=8,
)


#: The names the illustrative case gives its case, creditors, claims, employees...
NAMES = sorted(
    {
        value
        for line in BASE
        for key, value in line.items()
        if isinstance(value, str)
        and key not in ("kind", "effective_on")
        and len(value) < 40
    }
)
EDGE_DAYS = [date(1900, 1, 1), date(2199, 12, 31), date(2000, 2, 29)]
EDGE_CENTS = [0, 1, -1, limits.MAX_AMOUNT_CENTS, -limits.MAX_AMOUNT_CENTS]


def typed(tp: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    """Journal values of type `tp`, most of them valid, many at the door's bounds."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = next(a for a in typing.get_args(tp) if a is not type(None))
        return st.none() | typed(inner, depth)
    if origin is tuple:
        item = typing.get_args(tp)[0]
        return st.lists(typed(item, depth + 1), max_size=4 if depth else 12) | st.lists(
            typed(item, depth + 1), min_size=99, max_size=101
        )
    if tp is str:
        return st.sampled_from(NAMES) | ODD_TEXT
    if tp is date:
        return st.one_of(
            st.dates(date(1900, 1, 1), date(2199, 12, 31)),
            st.dates(date(2020, 1, 1), date(2032, 12, 31)),
            st.sampled_from(EDGE_DAYS),
        ).map(date.isoformat)
    if tp is Money:
        return st.one_of(
            st.integers(-limits.MAX_AMOUNT_CENTS, limits.MAX_AMOUNT_CENTS),
            st.integers(0, 10**9),
            st.sampled_from(EDGE_CENTS),
        ).map(lambda cents: Money(cents).plain())
    if tp is int:
        return st.integers(-2, 1300) | st.sampled_from([1, 10, 15, 100])
    if tp is bool:
        return st.booleans()
    if tp is Decimal:
        return st.decimals(0, 100, places=2).map(str) | st.sampled_from(["0", "100"])
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from([member.value for member in tp])
    if isinstance(tp, type) and attrs.has(tp) and depth < 2:
        hints = typing.get_type_hints(tp)
        return st.fixed_dictionaries(
            {f.name: typed(hints[f.name], depth + 1) for f in attrs.fields(tp)}
        )
    return VALUES


class _Raw:
    def __init__(self, text: str) -> None:
        self.text = text


@st.composite
def near_valid_line(draw: st.DrawFn) -> str:
    """A line of the illustrative case with up to three things changed: most often
    a field set to a value of its type (at a bound, say), else anything."""
    line = dict(draw(st.sampled_from(SEEDS)))
    raws: list[str] = []
    for _ in range(draw(st.integers(0, 3))):
        change = draw(
            st.sampled_from(["typed"] * 6 + ["set", "raw", "drop", "kind", "id"])
        )
        field = draw(st.sampled_from(sorted(line)) | st.sampled_from(FIELDS))
        cls = fact_kinds().get(str(line.get("kind")))
        if change == "typed" and cls is not None:
            hints = typing.get_type_hints(cls)
            fields = sorted(f.name for f in attrs.fields(cls) if f.name in hints)
            field = draw(st.sampled_from(fields))
            if field not in ("recorded_at", "seq"):
                line[field] = draw(typed(hints[field]))
        elif change == "set":
            line[field] = draw(VALUES)
        elif change == "raw":
            line[field] = _Raw(draw(RAW))
        elif change == "drop":
            line.pop(field, None)
        elif change == "kind":
            line["kind"] = draw(st.sampled_from(KINDS))
        else:
            line["id"] = draw(st.sampled_from(["opening", "x", "\x00", "a" * 257]))

    def placeholder(value: Any) -> Any:
        if isinstance(value, _Raw):
            raws.append(value.text)
            return f"@@RAW{len(raws) - 1}@@"
        return value

    line = {key: placeholder(value) for key, value in line.items()}
    text = json.dumps(line, ensure_ascii=draw(st.booleans()))
    for i, raw in enumerate(raws):
        text = text.replace(f'"@@RAW{i}@@"', raw)
    return text


LINES = st.one_of(
    near_valid_line(),
    near_valid_line(),
    st.sampled_from(SEEDS).map(json.dumps),  # valid: accepted as a new fact
    st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=6).map(json.dumps),
    RAW,
    ODD_TEXT,
)
SEPARATORS = st.sampled_from(["\n", "\n", "\r\n", "\n\n", "\x0c\n", "\u2028", " \n"])


@st.composite
def journal_texts(draw: st.DrawFn) -> str:
    lines = draw(st.lists(LINES, min_size=1, max_size=4))
    separator = draw(SEPARATORS)
    return separator.join(lines) + draw(st.sampled_from(["", "\n"]))


def _encoded(text: str) -> bytes:
    # A lone surrogate goes out as the bytes UTF-8 forbids (ED A0 80...).
    return text.encode("utf-8", "surrogatepass")


JOURNAL_BYTES = st.one_of(
    st.binary(max_size=300),
    journal_texts().map(_encoded),
    st.tuples(journal_texts().map(_encoded), st.binary(max_size=40)).map(
        lambda parts: parts[0] + parts[1]
    ),
    journal_texts().map(lambda text: text.encode("utf-16", "surrogatepass")),
)

# --- the stores ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store holding BASE (a.db, its write-ahead log folded in)."""
    path = tmp_path_factory.mktemp("fuzz") / "a.db"
    with Ledger.open(path) as ledger:
        ledger.import_journal(BASE)
    assert not Path(f"{path}-wal").exists() or not Path(f"{path}-wal").stat().st_size
    return path


def _fresh(template: Path, folder: Path) -> Path:
    store = folder / "store.db"
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{store}{suffix}").unlink(missing_ok=True)
    shutil.copy(template, store)
    return store


def _held(store: Path) -> list[tuple[Any, ...]]:
    """Every row of every table of the store, as SQLite holds it."""
    with contextlib.closing(sqlite3.connect(store)) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        rows = [
            (table, *row)
            for table in tables
            for row in db.execute(f'SELECT * FROM "{table}"')
        ]
        return sorted(rows, key=repr)


def _views_answer(ledger: Ledger) -> None:
    """Every view of every case, at the dates at the door's ends."""
    for case in ledger.cases():
        for day in (date(1900, 1, 1), date(2026, 6, 30), date(2199, 12, 31)):
            ledger.balances(case, day)
            ledger.plan_status(case, day)
            ledger.check(case, day)
            ledger.schedule(case, day)
        ledger.support(case, date(2199, 12, 31))
        ledger.employment(case, date(2199, 12, 31))
    ledger.portfolio(date(2199, 12, 31))


FUZZ = settings(
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ]
)


@FUZZ
@given(data=st.one_of(JOURNAL_BYTES, journal_texts()))
def test_import_journal_raises_only_plandebt_errors_and_writes_nothing_when_it_refuses(
    data: bytes | str,
) -> None:
    ledger = Ledger.open("memory")
    ledger.import_journal(BASE)
    before = list(ledger.export())
    try:
        ledger.import_journal(data)
    except PlandebtError as refusal:
        assert isinstance(refusal, JournalError)  # it says which line
        assert refusal.line >= 1
        assert list(ledger.export()) == before
    else:
        _views_answer(ledger)


@FUZZ
@given(data=JOURNAL_BYTES)
def test_record_exits_0_or_2_in_one_line_and_writes_nothing_when_it_refuses(
    data: bytes, template: Path, tmp_path: Path
) -> None:
    store = _fresh(template, tmp_path)
    before = _held(store)
    journal = tmp_path / "journal.jsonl"
    journal.write_bytes(data)
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["--db", str(store), "record", str(journal)])
    lines = err.getvalue().splitlines()
    assert "Traceback" not in err.getvalue()
    assert code in (OK, USAGE), err.getvalue()
    if code == OK:
        assert lines == []
    else:
        assert len(lines) == 1 and lines[0].startswith("plandebt: "), lines
        assert _held(store) == before
