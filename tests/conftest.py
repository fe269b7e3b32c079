"""Shared fixtures: the storage backends every contract test runs against.

PostgreSQL: when PLANDEBT_REQUIRE_POSTGRES is set (CI sets it), a missing server is a
failure; otherwise the PostgreSQL tests are skipped. Each test works in a schema of
its own, dropped afterwards, so reruns and leftovers never mix.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from tests.helpers import french_message_problems, stated_defaults

from plandebt import Ledger
from plandebt.compliance import Finding

# Profiles (docs/testing.md): "default" is quick, for the README's test command;
# "ci" is thorough and selected by .ci/run; "nightly" is for long runs by hand:
#   PLANDEBT_HYPOTHESIS_PROFILE=nightly python -m pytest
_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile(
    "default",
    deadline=None,
    max_examples=40,
    suppress_health_check=_QUIET,
    print_blob=True,
)
settings.register_profile(
    "ci",
    deadline=None,
    max_examples=150,
    suppress_health_check=_QUIET,
    print_blob=True,
)
settings.register_profile(
    "nightly",
    deadline=None,
    max_examples=2000,
    suppress_health_check=_QUIET,
    print_blob=True,
)
settings.load_profile(os.environ.get("PLANDEBT_HYPOTHESIS_PROFILE", "default"))

PG_DSN = os.environ.get(
    "PLANDEBT_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)
REQUIRE_PG = bool(os.environ.get("PLANDEBT_REQUIRE_POSTGRES"))


def _pg_connect():  # type: ignore[no-untyped-def]
    try:
        import psycopg
    except ImportError as e:
        if REQUIRE_PG:
            pytest.fail(f"PostgreSQL is required but psycopg is not installed: {e}")
        pytest.skip("psycopg not installed")
    try:
        return psycopg.connect(PG_DSN, autocommit=True, connect_timeout=5)
    except Exception as e:
        if REQUIRE_PG:
            pytest.fail(
                f"PostgreSQL is required (PLANDEBT_REQUIRE_POSTGRES) but "
                f"{PG_DSN} is unreachable: {e}"
            )
        pytest.skip(f"no PostgreSQL server at {PG_DSN}")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL to a fresh schema of the test database, dropped afterwards."""
    conn = _pg_connect()
    schema = f"plandebt_test_{uuid.uuid4().hex[:12]}"
    conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{PG_DSN}?schema={schema}"
    finally:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
        conn.close()


class Store:
    """One store, opened as many times as a test needs (each open is a new writer
    with its own index, like another process)."""

    def __init__(self, name: str, opener: Callable[[], Ledger]) -> None:
        self.name = name
        self._opener = opener
        self._opened: list[Ledger] = []

    def open(self) -> Ledger:
        ledger = self._opener()
        self._opened.append(ledger)
        return ledger

    def close(self) -> None:
        for ledger in self._opened:
            ledger.close()


@pytest.fixture(
    params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def store(request: pytest.FixtureRequest, tmp_path) -> Iterator[Store]:  # type: ignore[no-untyped-def]
    if request.param == "memory":
        first = Ledger.open("memory")
        s = Store("memory", lambda: first if not s._opened else Ledger(first.app))
    elif request.param == "sqlite":
        path = tmp_path / "plandebt.db"
        s = Store("sqlite", lambda: Ledger.open(path))
    else:
        url = request.getfixturevalue("pg_url")
        s = Store("postgres", lambda: Ledger.open(url))
    yield s
    s.close()


@pytest.fixture(autouse=True)
def _english_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command's language follows $LANG (French when it starts with fr): the
    tests say the language they mean, whatever the machine's locale."""
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store holding the illustrative case (`plandebt demo`), made once: copy
    it before changing it."""
    from plandebt.cli import main

    path = tmp_path_factory.mktemp("demo") / "plandebt.db"
    assert main(["--db", str(path), "demo"]) == 0
    return path


@pytest.fixture(autouse=True)
def _every_finding_speaks_french(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every finding any test makes a rule give — the tests build cases that trigger
    each rule — must carry its message in French too (tests/test_french_messages.py
    has the reasons), and none may state the default of a value an override
    replaced (tests/test_ruleset_everywhere.py): checked after each test."""
    made: list[Finding] = []
    build = Finding.__init__

    def recording(self: Finding, *args: object, **kwargs: object) -> None:
        build(self, *args, **kwargs)  # type: ignore[arg-type]
        made.append(self)

    monkeypatch.setattr(Finding, "__init__", recording)
    yield
    problems = [p for f in made for p in french_message_problems(f)]
    # A message never states the default of a value an override replaced.
    problems += [p for f in made for p in stated_defaults(f)]
    assert not problems, problems
