"""Encryption at rest (docs/integrity.md): a store sealed with a key opens
only with it, a wrong or missing key is one line and exit 3 with the store unchanged,
the file holds no clear text, and exports can be sealed and restored."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from datetime import date
from pathlib import Path

import pytest
from tests.helpers import store_bytes

from plandebt import Ledger
from plandebt.cli import main
from plandebt.cli.exits import OK, STORE, USAGE
from plandebt.crypto import (
    PLANDEBT_CIPHER_KEY,
    PLANDEBT_CIPHER_KEY_FILE,
    new_key,
    store_key,
)
from plandebt.errors import CipherKeyError

DEBTOR = "Zorglub Industries SAS"
COURT = "Tribunal de commerce de Quimper"
CREDITOR = "Gaspard Lenoir"
CASE = "RG 24/00077"


def small_case(ledger: Ledger) -> None:
    ledger.open_case(
        CASE,
        procedure="sauvegarde",
        court=COURT,
        debtor=DEBTOR,
        opened_on="2024-01-10",
    )
    ledger.register_creditor(
        CASE, "E1", name=CREDITOR, creditor_kind="employee", address="2 quai Est"
    )
    ledger.declare_claim(
        CASE,
        "C1",
        creditor="E1",
        amount="1250.40",
        origin_on="2023-12-20",
        rank="superprivileged_wages",
        effective_on="2024-02-01",
    )
    ledger.pay(CASE, "C1", amount="100.00", basis="none", paid_on="2024-03-01")


def rows_digest(path: Path) -> str:
    """A digest of every stored row: events, snapshots and person keys."""
    conn = sqlite3.connect(path)
    try:
        tables = sorted(
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table'"
            )
        )
        digest = hashlib.sha256()
        for table in tables:
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2"):
                digest.update(repr(row).encode())
        return digest.hexdigest()
    finally:
        conn.close()


@pytest.fixture
def no_key_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PLANDEBT_CIPHER_KEY, raising=False)
    monkeypatch.delenv(PLANDEBT_CIPHER_KEY_FILE, raising=False)


def clear_store(folder: Path) -> Path:
    path = folder / "clear.db"
    with Ledger.open(path) as ledger:
        small_case(ledger)
    return path


@pytest.fixture
def sealed_store(tmp_path: Path, no_key_env: None) -> tuple[Path, str]:
    path, key = tmp_path / "sealed.db", new_key()
    with Ledger.open(path, key=key) as ledger:
        small_case(ledger)
        ledger.snapshot(CASE)
    return path, key


# --- the key ----------------------------------------------------------------------------


def test_the_key_comes_from_the_argument_then_the_file_then_the_environment(
    tmp_path: Path,
) -> None:
    one, two, three = new_key(), new_key(), new_key()
    key_file = tmp_path / "k"
    key_file.write_text(two + "\n")
    other_file = tmp_path / "k3"
    other_file.write_text(three)
    env = {PLANDEBT_CIPHER_KEY: one, PLANDEBT_CIPHER_KEY_FILE: str(other_file)}
    assert store_key(two, None, env) == two
    assert store_key(None, key_file, env) == two
    assert store_key(None, None, env) == one
    assert store_key(None, None, {PLANDEBT_CIPHER_KEY_FILE: str(other_file)}) == three
    assert store_key(None, None, {}) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("not base64 at all!", "not base64"),
        ("c2hvcnQ=", "is 5 bytes"),  # b"short"
        ("", "is 0 bytes"),
    ],
)
def test_a_key_that_is_not_an_aes_key_is_refused(
    tmp_path: Path, text: str, reason: str
) -> None:
    key_file = tmp_path / "k"
    key_file.write_text(text)
    with pytest.raises(CipherKeyError, match=reason):
        store_key(None, key_file, {})


def test_a_missing_key_file_is_a_cipher_key_error(tmp_path: Path) -> None:
    with pytest.raises(CipherKeyError, match="cannot read the key file"):
        store_key(None, tmp_path / "absent", {})


# --- opening a sealed store ----------------------------------------------------------------


def test_a_sealed_store_opens_with_its_key_and_answers_as_before(
    sealed_store: tuple[Path, str],
) -> None:
    path, key = sealed_store
    with Ledger.open(path, key=key) as ledger:
        balances = ledger.balances(CASE, date(2024, 6, 1))
        assert [c.creditor_name for c in balances.claims] == [CREDITOR]
        assert balances.claims[0].outstanding.cents == 115040


def test_a_sealed_store_without_its_key_is_refused_and_unchanged(
    sealed_store: tuple[Path, str],
) -> None:
    path, _key = sealed_store
    before = rows_digest(path)
    with pytest.raises(CipherKeyError, match="the store is encrypted: give its key"):
        Ledger.open(path)
    assert rows_digest(path) == before


def test_a_sealed_store_with_a_wrong_key_is_refused_and_unchanged(
    sealed_store: tuple[Path, str],
) -> None:
    path, _key = sealed_store
    before = rows_digest(path)
    with pytest.raises(CipherKeyError, match="the key does not open this store"):
        Ledger.open(path, key=new_key())
    assert rows_digest(path) == before


def test_a_clear_store_opened_with_a_key_is_refused(
    tmp_path: Path, no_key_env: None
) -> None:
    path = clear_store(tmp_path)
    before = rows_digest(path)
    with pytest.raises(CipherKeyError, match="does not open this store"):
        Ledger.open(path, key=new_key())
    assert rows_digest(path) == before


def test_a_sealed_store_holds_no_clear_text(sealed_store: tuple[Path, str]) -> None:
    path, _key = sealed_store
    raw = store_bytes(path)
    for text in (DEBTOR, COURT, CREDITOR, "2 quai Est", "1250.40", "superprivileged"):
        assert text.encode() not in raw, text


def test_without_a_key_the_case_is_in_clear_but_personal_fields_are_not(
    tmp_path: Path, no_key_env: None
) -> None:
    # The control of the test above: the grep finds what is stored in clear.
    path = clear_store(tmp_path)
    raw = store_bytes(path)
    assert DEBTOR.encode() in raw and COURT.encode() in raw and b"1250.40" in raw
    assert CREDITOR.encode() not in raw  # sealed under the person's key
    assert b"2 quai Est" not in raw


def test_the_person_keys_of_a_sealed_store_are_sealed_with_its_key(
    sealed_store: tuple[Path, str],
) -> None:
    path, key = sealed_store
    conn = sqlite3.connect(path)
    ((stored,),) = conn.execute("SELECT key FROM plandebt_person_keys").fetchall()
    conn.close()
    assert len(stored) > 32  # nonce + tag + the 32-byte key: not the key itself
    with Ledger.open(path, key=key) as ledger:
        assert ledger.personal.persons(CASE)["E1"] not in (None, stored)


# --- the command line --------------------------------------------------------------------


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line(err: str, *wanted: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for text in wanted:
        assert text in lines[0]


def test_cli_keygen_writes_a_key_file_for_its_owner_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key_file = tmp_path / "store.key"
    code, out, _err = run(["keygen", "-o", str(key_file)], capsys)
    assert code == OK and "wrote a new key" in out
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert store_key(None, key_file, {}) == key_file.read_text().strip()
    code, _out, err = run(["keygen", "-o", str(key_file)], capsys)
    assert code == USAGE
    one_line(err, "never overwritten")


def test_cli_wrong_or_missing_key_is_one_line_and_exit_3_store_unchanged(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    no_key_env: None,
) -> None:
    db, key_file, wrong = tmp_path / "s.db", tmp_path / "k", tmp_path / "wrong"
    key_file.write_text(new_key())
    wrong.write_text(new_key())
    assert run(["--db", str(db), "--key-file", str(key_file), "demo"], capsys)[0] == OK
    before = rows_digest(db)
    code, out, err = run(["--db", str(db), "cases"], capsys)
    assert (code, out) == (STORE, "")
    one_line(err, "the store is encrypted: give its key")
    code, out, err = run(["--db", str(db), "--key-file", str(wrong), "cases"], capsys)
    assert (code, out) == (STORE, "")
    one_line(err, "the key does not open this store")
    monkeypatch.setenv(PLANDEBT_CIPHER_KEY, wrong.read_text())
    journal = tmp_path / "j.jsonl"
    journal.write_text("")
    code, _out, err = run(["--db", str(db), "record", str(journal)], capsys)
    assert code == STORE
    one_line(err, "the key does not open this store")
    assert rows_digest(db) == before
    monkeypatch.setenv(PLANDEBT_CIPHER_KEY_FILE, str(key_file))
    monkeypatch.delenv(PLANDEBT_CIPHER_KEY)
    code, out, _err = run(["--db", str(db), "cases"], capsys)
    assert code == OK and "RJ-2022-SMART-FR" in out


def test_cli_an_encrypted_export_restores_with_the_key_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_key_env: None
) -> None:
    db, key_file, wrong = tmp_path / "s.db", tmp_path / "k", tmp_path / "wrong"
    key_file.write_text(new_key())
    wrong.write_text(new_key())
    keyed = ["--key-file", str(key_file)]
    assert run(["--db", str(db), *keyed, "demo"], capsys)[0] == OK
    clear, sealed = tmp_path / "clear.jsonl", tmp_path / "sealed.jsonl"
    assert run(["--db", str(db), *keyed, "export", "-o", str(clear)], capsys)[0] == OK
    code, _out, _err = run(
        ["--db", str(db), *keyed, "export", "--encrypt", "-o", str(sealed)], capsys
    )
    assert code == OK
    text = sealed.read_text()
    assert text.startswith("plandebt-sealed-journal v1\n")
    assert "RJ-2022-SMART-FR" not in text and "creditor.registered" not in text

    # Restored with a wrong key: one line, exit 3, nothing recorded.
    other = tmp_path / "other.db"
    code, _out, err = run(
        [
            "--db",
            str(other),
            "--key-file",
            str(wrong),
            "record",
            "--restore",
            str(sealed),
        ],
        capsys,
    )
    assert code == STORE
    one_line(err, "does not open this encrypted journal")
    with Ledger.open(other, key_file=wrong) as ledger:
        assert ledger.cases() == []

    # With the key: the same journal as the clear export, recorded as it was.
    restored = tmp_path / "restored.db"
    code, out, _err = run(
        ["--db", str(restored), *keyed, "record", "--restore", str(sealed)], capsys
    )
    assert code == OK and "recorded 230 facts" in out
    again = tmp_path / "again.jsonl"
    assert (
        run(["--db", str(restored), *keyed, "export", "-o", str(again)], capsys)[0]
        == OK
    )
    assert again.read_text() == clear.read_text()


def test_cli_encrypt_without_any_key_is_exit_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_key_env: None
) -> None:
    db = tmp_path / "s.db"
    assert run(["--db", str(db), "demo"], capsys)[0] == OK
    code, out, err = run(["--db", str(db), "export", "--encrypt"], capsys)
    assert (code, out) == (STORE, "")
    one_line(err, "--encrypt needs a key")


def test_a_damaged_encrypted_export_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], no_key_env: None
) -> None:
    key_file = tmp_path / "k"
    key_file.write_text(new_key())
    sealed = tmp_path / "sealed.jsonl"
    sealed.write_bytes(b"plandebt-sealed-journal v1\n\xff\xfe not base64\n")
    code, _out, err = run(
        [
            "--db",
            str(tmp_path / "s.db"),
            "--key-file",
            str(key_file),
            "record",
            str(sealed),
        ],
        capsys,
    )
    assert code == STORE
    one_line(err, "does not open this encrypted journal")


# --- PostgreSQL ----------------------------------------------------------------------------


@pytest.mark.postgres
def test_postgres_a_sealed_store_needs_its_key_and_holds_no_clear_text(
    pg_url: str, no_key_env: None
) -> None:
    import psycopg

    key = new_key()
    with Ledger.open(pg_url, key=key) as ledger:
        small_case(ledger)
    with pytest.raises(CipherKeyError, match="give its key"):
        Ledger.open(pg_url)
    with pytest.raises(CipherKeyError, match="does not open this store"):
        Ledger.open(pg_url, key=new_key())
    schema = pg_url.rsplit("schema=", 1)[1]
    dsn = pg_url.split("?", 1)[0]
    with psycopg.connect(dsn) as conn:
        rows = conn.execute(f'SELECT state FROM "{schema}".plandebt_events').fetchall()
        keys = conn.execute(
            f'SELECT key FROM "{schema}".plandebt_person_keys'
        ).fetchall()
    assert rows and keys
    raw = b"".join(bytes(state) for (state,) in rows)
    for text in (DEBTOR, COURT, CREDITOR, "1250.40"):
        assert text.encode() not in raw
    with Ledger.open(pg_url, key=key) as ledger:
        claims = ledger.balances(CASE, date(2024, 6, 1)).claims
        assert [(c.creditor_name, c.outstanding.cents) for c in claims] == [
            (CREDITOR, 115040)
        ]


def test_the_environment_key_opens_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_key_env: None
) -> None:
    path, key = tmp_path / "s.db", new_key()
    monkeypatch.setenv(PLANDEBT_CIPHER_KEY, key)
    with Ledger.open(path) as ledger:
        small_case(ledger)
    monkeypatch.delenv(PLANDEBT_CIPHER_KEY)
    with pytest.raises(CipherKeyError):
        Ledger.open(path)
    key_file = tmp_path / "k"
    key_file.write_text(key)
    os.chmod(key_file, 0o600)
    monkeypatch.setenv(PLANDEBT_CIPHER_KEY_FILE, str(key_file))
    with Ledger.open(path) as ledger:
        assert ledger.cases() == [CASE]
