"""What the command writes can never destroy a store or leave a file half written:
an output that is any file of the store is refused (`export -o`, `movements
TARGET`), an existing output is replaced in one step, and a failure to write is one
line, exit 3, with the file that was there left as it was."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import pytest

from plandebt import journal
from plandebt.cli import main
from plandebt.cli.exits import OK, STORE, USAGE


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "a.db"
    assert main(["--db", str(path), "demo"]) == OK
    return path


@pytest.fixture
def workdir(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The current folder: a.db (a store), sub/ (a folder), out.jsonl (an earlier
    export, which must survive every failure)."""
    shutil.copy(template, tmp_path / "a.db")
    (tmp_path / "sub").mkdir()
    (tmp_path / "out.jsonl").write_text("an earlier export\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PLANDEBT_DB", raising=False)
    return tmp_path


def _digests(folder: Path) -> dict[str, str]:
    """Every file of the folder (links followed) and its digest."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.iterdir()
        if p.is_file()
    }


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def _store_names(workdir: Path) -> list[str]:
    """Every way of naming a file of the store a.db."""
    (workdir / "link.jsonl").symlink_to(workdir / "a.db")
    (workdir / "wal-link.jsonl").symlink_to(workdir / "a.db-wal")  # dangling
    os.link(workdir / "a.db", workdir / "hard.jsonl")
    return [
        "a.db",
        "./a.db",
        str(workdir / "a.db"),
        f"../{workdir.name}/a.db",
        "sub/../a.db",
        "a.db-wal",
        "a.db-shm",
        "a.db-journal",
        "./a.db-wal",
        "link.jsonl",
        "wal-link.jsonl",
        "hard.jsonl",
    ]


def test_export_over_any_file_of_the_store_is_refused(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in _store_names(workdir):
        before = _digests(workdir)
        code, err = _run(["--db", "a.db", "export", "-o", name], capsys)
        assert code == USAGE, name
        assert err.startswith("plandebt: refusing to write the export over the store")
        assert _digests(workdir) == before
        assert not (workdir / "a.db-wal").is_symlink()
    assert main(["--db", "a.db", "cases"]) == OK
    assert "RJ-2022-SMART-FR" in capsys.readouterr().out


def test_export_over_the_store_named_through_a_link_is_refused(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "l.db").symlink_to(workdir / "a.db")
    before = _digests(workdir)
    for name in ["a.db", "a.db-wal", "l.db", "l.db-wal"]:
        code, _err = _run(["--db", "l.db", "export", "-o", name], capsys)
        assert code == USAGE, name
    assert _digests(workdir) == before


def test_the_movements_view_is_never_kept_in_the_store_s_files(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in _store_names(workdir):
        before = _digests(workdir)
        code, err = _run(["--db", "a.db", "movements", name], capsys)
        assert code == USAGE, name
        assert "refusing to keep the movements view" in err
        assert _digests(workdir) == before
    code, _err = _run(["--db", "a.db", "movements", "view.db"], capsys)
    assert code == OK


def test_export_replaces_an_existing_file_whole_and_keeps_its_mode(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "out.jsonl").chmod(0o640)
    assert main(["--db", "a.db", "export", "-o", "out.jsonl"]) == OK
    assert main(["--db", "a.db", "export"]) == OK
    assert (workdir / "out.jsonl").read_text() == capsys.readouterr().out
    assert stat.S_IMODE((workdir / "out.jsonl").stat().st_mode) == 0o640
    assert sorted(p.name for p in workdir.iterdir()) == ["a.db", "out.jsonl", "sub"]


def test_export_through_a_link_replaces_the_file_it_names(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "latest.jsonl").symlink_to("sub/../out.jsonl")
    assert main(["--db", "a.db", "export", "-o", "latest.jsonl"]) == OK
    assert (workdir / "latest.jsonl").is_symlink()
    assert (workdir / "out.jsonl").read_text().startswith('{"kind":"case.opened"')


def test_export_to_what_is_not_a_regular_file_writes_it_directly(
    workdir: Path,
) -> None:
    assert main(["--db", "a.db", "export", "-o", os.devnull]) == OK


def _written_then(error: BaseException) -> Any:
    """A journal.write that writes part of the export, then fails with `error`."""
    real = journal.write

    def write(facts: Iterable[dict[str, Any]], stream: IO[str]) -> int:
        real(list(facts)[:5], stream)
        raise error

    return write


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["-o", "missing/out.jsonl"], ["cannot write missing/out.jsonl", "No such"]),
        (["-o", "sub"], ["cannot write sub", "folder"]),
        (["-o", "sub/"], ["cannot write sub/", "folder"]),
        (["-o", "."], ["folder"]),
    ],
    ids=["a missing folder", "a folder", "a folder with a slash", "this folder"],
)
def test_an_output_that_cannot_be_written_is_one_line_and_exit_3(
    argv: list[str],
    words: list[str],
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = _digests(workdir)
    code, err = _run(["--db", "a.db", "export", *argv], capsys)
    assert code == STORE
    assert len(err.splitlines()) == 1 and err.startswith("plandebt: ")
    for word in words:
        assert word in err
    assert _digests(workdir) == before


@pytest.mark.parametrize(
    "error",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        OSError(errno.EDQUOT, "Disk quota exceeded"),
        OSError(errno.EIO, "Input/output error"),
    ],
    ids=["a full disk", "a quota", "an I/O error"],
)
def test_a_failure_while_writing_leaves_the_earlier_file_as_it_was(
    error: OSError,
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = _digests(workdir)
    monkeypatch.setattr(journal, "write", _written_then(error))
    code, err = _run(["--db", "a.db", "export", "-o", "out.jsonl"], capsys)
    assert code == STORE
    assert err == f"plandebt: cannot write out.jsonl: {error.strerror}\n"
    assert _digests(workdir) == before  # the earlier file, and no temporary left
    assert sorted(p.name for p in workdir.iterdir()) == ["a.db", "out.jsonl", "sub"]


def test_a_failure_to_flush_or_rename_leaves_the_earlier_file_as_it_was(
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = _digests(workdir)
    for name in ("fsync", "replace"):
        with monkeypatch.context() as patch:

            def fail(*args: object) -> None:
                raise OSError(errno.ENOSPC, "No space left on device")

            patch.setattr(os, name, fail)
            code, err = _run(["--db", "a.db", "export", "-o", "out.jsonl"], capsys)
        assert code == STORE, name
        assert "No space left on device" in err
        assert _digests(workdir) == before


def test_an_export_refused_midway_leaves_the_earlier_file_as_it_was(
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = _digests(workdir)
    code, err = _run(
        ["--db", "a.db", "export", "--case", "NOPE", "-o", "out.jsonl"], capsys
    )
    assert code == USAGE and "NOPE" in err
    monkeypatch.setattr(journal, "write", _written_then(KeyboardInterrupt()))
    code, err = _run(["--db", "a.db", "export", "-o", "out.jsonl"], capsys)
    assert code == 130 and err == "plandebt: interrupted\n"
    assert _digests(workdir) == before
    assert sorted(p.name for p in workdir.iterdir()) == ["a.db", "out.jsonl", "sub"]
