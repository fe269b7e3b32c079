"""The README's commands and examples are executed, so that they stay true."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from plandebt.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


def test_the_python_example_runs() -> None:
    (example,) = blocks("python")
    exec(compile(example, "README.md", "exec"), {})


def test_ci_runs_the_readme_test_command() -> None:
    test_command = blocks("sh")[1].strip()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci


@pytest.mark.parametrize("lang", ["C.UTF-8", "fr_FR.UTF-8"])
def test_the_command_line_examples_run(lang, tmp_path, monkeypatch, capsys) -> None:
    """As written, in English and (by $LANG) in French."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("LANG", lang)
    for line in blocks("sh")[2].strip().splitlines():
        command = line.split("#")[0].split()
        assert command[0] == "plandebt"
        # `check` exits 1 when it finds an error, and the illustrative case has one.
        expected = 1 if command[1] == "check" else 0
        assert main(command[1:]) == expected, line
    assert "URSSAF-1" in capsys.readouterr().out
    assert main(["--db", "restored.db", "balances", "--as-of", "2026-06-30"]) == 0


def test_the_main_job_runs_as_a_console_script(tmp_path) -> None:
    """The first set-up command's last step, through the installed entry point."""
    script = Path(sys.executable).with_name("plandebt")
    command = (
        [str(script)] if script.exists() else [sys.executable, "-m", "plandebt.cli"]
    )
    result = subprocess.run(
        [*command, "demo"], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert "3 447 000,00" in result.stdout
    assert (tmp_path / "plandebt.db").exists()


def test_the_plan_documentation_commands_run(tmp_path, monkeypatch, capsys) -> None:
    text = (ROOT / "docs" / "plan.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    monkeypatch.chdir(tmp_path)
    for line in block.strip().splitlines():
        command = line.split("#")[0].split()
        assert main(command[1:]) == 0, line
    out = capsys.readouterr().out
    assert "performing" in out and "4 of 10" in out
    assert '"phase": "in_arrears"' in out


def test_the_support_and_employment_documentation_commands_run(
    tmp_path, monkeypatch, capsys
) -> None:
    text = (ROOT / "docs" / "support-employment.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```sh\n(.*?)```", text, flags=re.S)
    monkeypatch.chdir(tmp_path)
    for line in block.strip().splitlines():
        assert main(line.split()[1:]) == 0, line
    out = capsys.readouterr().out
    assert "SMARTCOOP" in out and "27 voluntary_pse" in out


def test_the_testing_documentation_examples_run() -> None:
    text = (ROOT / "docs" / "testing.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    exec(compile(example, "docs/testing.md", "exec"), {})
