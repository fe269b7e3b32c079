"""The linter's verdict is part of the test suite, so CI and the README's test
command check it too."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_finds_nothing() -> None:
    ruff = Path(sys.executable).with_name("ruff")
    command = str(ruff) if ruff.exists() else shutil.which("ruff")
    if command is None:
        pytest.skip("ruff is not installed (it comes with the test extra)")
    result = subprocess.run(
        [command, "check", "src", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_finds_nothing_in_the_package() -> None:
    # The package ships py.typed: its annotations are a promise to its users.
    api = pytest.importorskip("mypy.api", reason="mypy comes with the test extra")
    stdout, stderr, status = api.run(["--strict", str(ROOT / "src" / "plandebt")])
    assert status == 0, stdout + stderr


def test_plain_pytest_collects_the_suite() -> None:
    pytest_command = Path(sys.executable).with_name("pytest")
    if not pytest_command.exists():
        pytest.skip("no pytest script beside this interpreter")
    result = subprocess.run(
        [str(pytest_command), "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
