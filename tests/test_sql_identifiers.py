"""Names that reach SQL (issue 11, item 5): a PostgreSQL schema named in a store's
URL is refused, clearly and before any statement runs, when eventsourcing could not
use it (it looks its types up by the unquoted name); nothing is executed from it.
(The SQL view of movements quotes every name and takes any schema:
tests/test_movements.py.)"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from plandebt import Ledger
from plandebt.cli import main
from plandebt.cli.exits import STORE
from plandebt.errors import StorageError

INJECTION = 'x";CREATE SCHEMA {victim};--'


def _schemas(conn: Any) -> set[str]:
    return {row[0] for row in conn.execute("SELECT nspname FROM pg_namespace")}


def _tables(conn: Any, schema: str) -> int:
    row = conn.execute(
        "SELECT count(*) FROM pg_tables WHERE schemaname = %s", (schema,)
    ).fetchone()
    return int(row[0])


@pytest.mark.postgres
def test_a_store_schema_holding_a_quote_and_a_semicolon_is_refused_and_runs_nothing(
    pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import psycopg
    from psycopg.sql import SQL, Identifier

    base, _, schema = pg_url.partition("?schema=")
    victim = f"{schema}_victim"
    odd = INJECTION.format(victim=victim)
    with psycopg.connect(base, autocommit=True) as conn:
        # Even when the schema exists, so that only the name is in question.
        conn.execute(SQL("CREATE SCHEMA {}").format(Identifier(odd)))
        try:
            url = f"{base}?schema={quote(odd)}"
            with pytest.raises(StorageError, match="cannot hold a store") as refused:
                Ledger.open(url)
            assert repr(odd) in str(refused.value)
            assert main(["--db", url, "cases"]) == STORE
            err = capsys.readouterr().err
            assert len(err.splitlines()) == 1 and "cannot hold a store" in err
            assert "Traceback" not in err
            assert victim not in _schemas(conn)
            assert _tables(conn, odd) == 0
        finally:
            conn.execute(
                SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(Identifier(odd))
            )
            conn.execute(SQL("DROP SCHEMA IF EXISTS {}").format(Identifier(victim)))


@pytest.mark.postgres
@pytest.mark.parametrize("name", ["Upper", "a b", "a.b", "select", "a-b"])
def test_other_schema_names_that_need_quoting_are_refused_before_any_statement(
    pg_url: str, name: str
) -> None:
    base, _, _schema = pg_url.partition("?schema=")
    with pytest.raises(StorageError, match="cannot hold a store"):
        Ledger.open(f"{base}?schema={quote(name)}")


@pytest.mark.postgres
def test_a_plain_schema_name_holds_a_store(pg_url: str) -> None:
    ledger = Ledger.open(pg_url)
    try:
        assert ledger.cases() == []
    finally:
        ledger.close()


@pytest.mark.parametrize("port", ["99999", "x", "-1"])
def test_a_bad_port_is_a_store_problem_in_one_line(
    port: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"postgresql://me:secret@127.0.0.1:{port}/books"
    with pytest.raises(StorageError, match=r"[Pp]ort"):
        Ledger.open(url)
    assert main(["--db", url, "cases"]) == STORE
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "secret" not in err
