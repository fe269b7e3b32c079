"""The `plandebt` command fails in one line, with the exit code that says why.

0 ok, 1 compliance errors found, 2 usage or refused input, 3 store or environment
problem, 70 internal error; never a traceback, never a store destroyed or created by
a command that only reads.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from plandebt.cli import commands, main
from plandebt.cli.exits import FINDINGS, INTERNAL, OK, STORE, USAGE
from plandebt.errors import StorageError
from plandebt.ledger import Ledger


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the illustrative case, made once and copied for each test."""
    path = tmp_path_factory.mktemp("template") / "a.db"
    assert main(["--db", str(path), "demo"]) == OK
    return path


@pytest.fixture
def workdir(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding a.db (a store), notsqlite.db (a text file), bad.jsonl (not
    JSON, then bytes that are not UTF-8), latin1.jsonl (a blank line, then Latin-1
    text), notjson.jsonl, link.jsonl (a symbolic link
    to the store) and undated.json (a draft plan without its opening date); the
    current directory of the test."""
    shutil.copy(template, tmp_path / "a.db")
    (tmp_path / "notsqlite.db").write_text("these are my notes, not a database\n")
    (tmp_path / "bad.jsonl").write_bytes(b"not json\n\xff\xfe\x00\x01binary\n")
    (tmp_path / "latin1.jsonl").write_bytes(b"\n\xe9t\xe9\n")
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (tmp_path / "bigint.json").write_text('{"plan": ' + "9" * 5000 + "}")
    (tmp_path / "notjson.jsonl").write_text("not json\n")
    (tmp_path / "link.jsonl").symlink_to(tmp_path / "a.db")
    (tmp_path / "undated.json").write_text('{"plan": {"duration_years": 10}}')
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PLANDEBT_DB", raising=False)
    return tmp_path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _assert_one_line(err: str, out: str, *wanted: str) -> None:
    assert "Traceback" not in err + out
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("plandebt")
    for text in wanted:
        assert text in lines[0]


#: argv, exit code, what the message names, and the files that must not change.
FAILURES = {
    "a text file as the store": (
        ["--db", "notsqlite.db", "balances", "--as-of", "2026-06-30"],
        STORE,
        ["notsqlite.db", "not a plandebt store"],
        ["notsqlite.db"],
    ),
    "export into a folder": (
        ["--db", "a.db", "export", "-o", "."],
        STORE,
        ["folder"],
        ["a.db"],
    ),
    "export over the store it reads": (
        ["--db", "a.db", "export", "-o", "a.db"],
        USAGE,
        ["refusing", "a.db"],
        ["a.db"],
    ),
    "export over the store's write-ahead log": (
        ["--db", "a.db", "export", "-o", "./a.db-wal"],
        USAGE,
        ["refusing"],
        ["a.db"],
    ),
    "export over a link to the store": (
        ["--db", "a.db", "export", "-o", "link.jsonl"],
        USAGE,
        ["refusing"],
        ["a.db"],
    ),
    "a date that does not exist": (
        ["--db", "a.db", "balances", "--as-of", "2026-13-45"],
        USAGE,
        ["--as-of", "2026-13-45", "month must be in 1..12"],
        ["a.db"],
    ),
    "a week date": (
        ["--db", "a.db", "balances", "--as-of", "2026-W26-2"],
        USAGE,
        ["--as-of", "2026-W26-2", "not a date like 2026-06-30"],
        ["a.db"],
    ),
    "a basic date": (
        ["--db", "a.db", "balances", "--as-of", "20260630"],
        USAGE,
        ["--as-of", "20260630"],
        ["a.db"],
    ),
    "a known-at position in other digits": (
        ["--db", "a.db", "status", "--as-of", "2026-06-30", "--known-at", "١٢"],
        USAGE,
        ["--known-at"],
        ["a.db"],
    ),
    "a known-at that is no datetime": (
        ["--db", "a.db", "status", "--known-at", "nonsense"],
        USAGE,
        ["--known-at", "nonsense"],
        ["a.db"],
    ),
    "a journal of bytes that are not text": (
        ["--db", "a.db", "record", "latin1.jsonl"],
        USAGE,
        ["refused", "line 2", "UTF-8", "0xe9"],
        ["a.db"],
    ),
    "a journal line that is not JSON": (
        ["--db", "a.db", "record", "notjson.jsonl"],
        USAGE,
        ["refused", "line 1", "JSON"],
        ["a.db"],
    ),
    "a journal that does not exist": (
        ["--db", "a.db", "record", "no-such.jsonl"],
        USAGE,
        ["no-such.jsonl"],
        ["a.db"],
    ),
    "an unknown case": (
        ["--db", "a.db", "balances", "--as-of", "2026-06-30", "--case", "NOPE"],
        USAGE,
        ["NOPE"],
        ["a.db"],
    ),
    "an unsupported URL scheme": (
        ["--db", "mysql://x/y", "balances", "--as-of", "2026-06-30"],
        USAGE,
        ["mysql", "postgresql://", "SQLite"],
        [],
    ),
    "a draft plan that is not text": (
        ["check-plan", "bad.jsonl"],
        USAGE,
        ["cannot read bad.jsonl"],
        [],
    ),
    "a draft plan nested 100,000 deep": (
        ["check-plan", "deep.json"],
        USAGE,
        ["cannot read deep.json", "nested too deep"],
        [],
    ),
    "a draft plan holding a 5,000-digit integer": (
        ["check-plan", "bigint.json"],
        USAGE,
        ["cannot read bigint.json"],
        [],
    ),
    "a journal on standard input that is not text": (
        ["--db", "a.db", "record", "-"],
        USAGE,
        ["refused", "line 1", "UTF-8"],
        ["a.db"],
    ),
    "a draft plan without its opening date": (
        ["check-plan", "undated.json"],
        USAGE,
        ["refused", "opened_on"],
        [],
    ),
    "no subcommand": ([], USAGE, ["command"], []),
}


@pytest.mark.parametrize(
    ("argv", "code", "wanted", "unchanged"), FAILURES.values(), ids=FAILURES.keys()
)
def test_a_failure_is_one_line_and_its_exit_code(
    argv: list[str],
    code: int,
    wanted: list[str],
    unchanged: list[str],
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = {name: _digest(workdir / name) for name in unchanged}
    stdin = io.TextIOWrapper(io.BytesIO(b"\xff\xfe binary\n"), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    got, out, err = _run(argv, capsys)
    _assert_one_line(err, out, *wanted)
    assert got == code
    assert {name: _digest(workdir / name) for name in unchanged} == before


def test_a_refused_export_leaves_the_store_readable(workdir, capsys) -> None:
    assert main(["--db", "a.db", "export", "-o", "a.db"]) == USAGE
    capsys.readouterr()
    assert main(["--db", "a.db", "cases"]) == OK
    assert "RJ-2022-SMART-FR" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--as-of", "2000-01-01"],
        ["balances", "--as-of", "2000-01-01"],
        ["status", "--as-of", "2000-01-01"],
        ["support", "--as-of", "2000-01-01"],
        ["employment", "--as-of", "2000-01-01"],
        ["schedule", "--as-of", "2000-01-01"],
        ["portfolio", "--as-of", "2000-01-01"],
        ["check", "--as-of", "2000-01-01", "--known-at", "1", "--json"],
    ],
    ids=lambda argv: " ".join(argv),
)
def test_a_date_before_the_opening_is_answered(argv, workdir, capsys) -> None:
    before = _digest(workdir / "a.db")
    code, out, err = _run(["--db", "a.db", *argv], capsys)
    assert (code, err) == (OK, "")
    assert "Traceback" not in out
    assert _digest(workdir / "a.db") == before


READERS = [
    ["balances", "--as-of", "2026-06-30"],
    ["status", "--as-of", "2026-06-30"],
    ["cases"],
    ["check", "--as-of", "2026-06-30"],
    ["export"],
    ["export", "-o", "out.jsonl"],
    ["schedule"],
    ["support"],
    ["employment"],
    ["portfolio", "--as-of", "2026-06-30"],
    ["rebuild"],
    ["movements", "view.db"],
]


@pytest.mark.parametrize("argv", READERS, ids=lambda argv: argv[0])
def test_a_command_that_reads_never_creates_a_store(argv, workdir, capsys) -> None:
    code, out, err = _run(["--db", "missing.db", *argv], capsys)
    _assert_one_line(err, out, "no store at missing.db")
    assert code == STORE
    assert not list(workdir.glob("missing.db*"))
    assert not (workdir / "out.jsonl").exists()
    assert not (workdir / "view.db").exists()


def test_commands_that_need_no_store_open_none(workdir, capsys) -> None:
    assert main(["--db", "missing.db", "rules"]) == OK
    assert not list(workdir.glob("missing.db*"))
    assert not (workdir / "plandebt.db").exists()


def test_a_command_that_records_creates_the_store(workdir, capsys, monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["--db", "new.db", "record", "-"]) == OK  # an empty journal
    assert (workdir / "new.db").exists()


def test_a_postgresql_store_without_its_driver_says_what_to_install(
    workdir, capsys, monkeypatch
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # `import psycopg` fails
    code, out, err = _run(
        ["--db", "postgresql://someone:secret@127.0.0.1/test", "cases"], capsys
    )
    _assert_one_line(err, out, "psycopg", "pip install 'plandebt[postgres]'")
    assert code == STORE
    assert "secret" not in err


def test_a_store_that_cannot_be_opened_is_a_store_problem_and_hides_the_password(
    workdir, capsys, monkeypatch
) -> None:
    def unreachable(target):
        raise StorageError(f"cannot open the store {target!r}: connection refused")

    monkeypatch.setattr(Ledger, "open", unreachable)
    code, out, err = _run(
        ["--db", "postgresql://someone:secret@127.0.0.1:1/test", "cases"], capsys
    )
    _assert_one_line(err, out, "cannot open the store", "someone:***@127.0.0.1")
    assert code == STORE
    assert "secret" not in err


def test_an_unexpected_error_is_one_line_and_exit_70(
    workdir, capsys, monkeypatch
) -> None:
    def broken(ledger, args, out):
        raise RuntimeError("a bug\nover two lines")

    monkeypatch.setitem(commands.COMMANDS, "cases", broken)
    code, out, err = _run(["--db", "a.db", "cases"], capsys)
    _assert_one_line(
        err, out, "internal error", "RuntimeError", "a bug", "please report"
    )
    assert code == INTERNAL


def test_check_exits_1_only_for_compliance_errors(workdir, capsys) -> None:
    # The illustrative case has one error: its year-2 dividend was paid late.
    assert main(["--db", "a.db", "check", "--as-of", "2026-06-30"]) == FINDINGS
    assert main(["--db", "a.db", "check", "--as-of", "2022-03-31"]) == OK


def _console_script() -> list[str]:
    script = Path(sys.executable).with_name("plandebt")
    return [str(script)] if script.exists() else [sys.executable, "-m", "plandebt.cli"]


@pytest.mark.parametrize(
    "name",
    [
        "a text file as the store",
        "export over the store it reads",
    ],
)
def test_the_installed_command_fails_in_one_line(name: str, workdir: Path) -> None:
    argv, code, wanted, unchanged = FAILURES[name]
    before = {n: _digest(workdir / n) for n in unchanged}
    result = subprocess.run(
        [*_console_script(), *argv], cwd=workdir, capture_output=True, text=True
    )
    _assert_one_line(result.stderr, result.stdout, *wanted)
    assert result.returncode == code
    assert {n: _digest(workdir / n) for n in unchanged} == before
