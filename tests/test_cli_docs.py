"""Every command of the documentation runs as written in French too (the English
runs are in tests/test_docs.py and tests/test_readme.py), and docs/cli.md's
reference is the parser's own."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from plandebt.cli import main
from plandebt.cli.reference import page_with_reference

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(
    p.name
    for p in (ROOT / "docs").glob("*.md")
    if "```sh\n" in p.read_text(encoding="utf-8")
)
_SH = re.compile(r"^```sh\n(.*?)^```", re.M | re.S)


def _commands(text: str) -> list[str]:
    return [
        line
        for block in _SH.findall(text)
        for line in block.splitlines()
        if line.strip().startswith("plandebt")
    ]


@pytest.mark.parametrize("page", ["README.md", *(f"docs/{p}" for p in PAGES)])
def test_every_documented_command_runs_in_french(
    page, tmp_path, monkeypatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    # The pages use the sample files as a newcomer would, from the project's folder.
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    monkeypatch.delenv("PLANDEBT_DB", raising=False)
    lines = _commands((ROOT / page).read_text(encoding="utf-8"))
    assert lines
    for line in lines:
        argv = shlex.split(line, comments=True)
        expected = re.search(r"#\s*exit (\d+)", line)
        wanted = int(expected.group(1)) if expected else None
        if wanted is None:
            wanted = 1 if argv[1:2] == ["check"] and page == "README.md" else 0
        code = main(argv[1:])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.out + captured.err
        assert code == wanted, f"{page}: {line}\n{captured.err}"


def test_the_french_tables_are_french(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "Soldes au 30/06/2026" in out and "chirographaire" in out


def test_docs_cli_lists_every_command_and_option() -> None:
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert page == page_with_reference(page), (
        "run: python -m plandebt.cli.reference docs/cli.md"
    )
