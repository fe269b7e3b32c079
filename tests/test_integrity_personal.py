"""The hash chain with sealed personal fields (docs/integrity.md, "Sealed personal
fields in exports and restores"): the chain hashes the stored, sealed form; an
export carries each person's key and an erased person's sealed fields, so that a
verified restore stores the same bytes and proves the same head; a snapshot cut
after an erasure still verifies, and a tampered one is still found; a journal's
keys and sealed values are checked at the door."""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from tests.test_erasure import CASE, NAME, sample, ticking

from plandebt import Ledger
from plandebt.errors import CipherKeyError, JournalError
from plandebt.events.codec import is_sealed_value
from plandebt.personal import ERASED

#: A clock after the sample's recording times (2030), for the restores.
LATER = datetime(2031, 1, 1, tzinfo=UTC)


def fact_rows(path: Path) -> list[bytes]:
    """The stored bytes of every fact (not the case's start, which holds the time
    the case was opened in that store)."""
    conn = sqlite3.connect(path)
    try:
        return [
            bytes(state)
            for (state,) in conn.execute(
                "SELECT state FROM stored_events WHERE originator_version > 1 "
                "ORDER BY originator_version"
            )
        ]
    finally:
        conn.close()


def recorded(tmp_path: Path) -> Path:
    path = tmp_path / "original.db"
    with Ledger.open(path, clock=ticking()) as ledger:
        sample(ledger)
    return path


def restored(path: Path, journal: list[dict[str, Any]]) -> None:
    with Ledger.open(path, clock=lambda: LATER) as ledger:
        ledger.import_journal(journal, restore=True)


def test_a_verified_restore_stores_the_same_sealed_bytes(tmp_path: Path) -> None:
    original = recorded(tmp_path)
    with Ledger.open(original) as ledger:
        journal = list(ledger.export(CASE))
        head = ledger.head(CASE)
    registration = journal[1]
    assert registration["name"] == NAME
    assert len(base64.b64decode(registration["person_key"])) == 32
    copy = tmp_path / "copy.db"
    restored(copy, journal)
    assert fact_rows(copy) == fact_rows(original)
    assert NAME.encode() not in b"".join(fact_rows(copy))  # sealed, as in the original
    with Ledger.open(copy) as ledger:
        assert ledger.head(CASE) == head
        assert ledger.verify(CASE).intact
        assert ledger.history(CASE)[1].name == NAME
        # The copy can be erased in its turn: the key came with the journal.
        ledger.forget("E1", CASE)
        assert ledger.history(CASE)[1].name == ERASED
        assert ledger.verify(CASE).intact


def test_after_forget_the_export_restores_the_person_erased(tmp_path: Path) -> None:
    original = recorded(tmp_path)
    with Ledger.open(original) as ledger:
        before = list(ledger.export(CASE))
        ledger.forget("E1", CASE)
        assert ledger.verify(CASE).intact  # the ciphertext is what was hashed
        journal = list(ledger.export(CASE))
        head = ledger.head(CASE)
    assert [d["hash"] for d in journal] == [d["hash"] for d in before]
    registration, declared, correction = journal[1], journal[3], journal[-1]
    assert "person_key" not in registration and "person_key" in journal[2]
    for value in (
        registration["name"],
        registration["address"],
        declared["description"],
        correction["changes"]["name"],
    ):
        assert is_sealed_value(value) and value["person"] == "E1"
    text = json.dumps(journal, ensure_ascii=False)
    assert "Hortense" not in text and "Mouettes" not in text
    copy = tmp_path / "copy.db"
    restored(copy, journal)
    assert fact_rows(copy) == fact_rows(original)
    with Ledger.open(copy, clock=lambda: LATER) as ledger:
        assert ledger.head(CASE) == head and ledger.verify(CASE).intact
        names = {
            c.creditor: c.creditor_name
            for c in ledger.balances(CASE, date(2024, 6, 1)).claims
        }
        assert names == {"E1": ERASED, "B1": "Banque du Ponant"}
        assert ledger.history(CASE)[3].description == ERASED
        # Erased in the copy too: their data is not recorded again.
        with pytest.raises(Exception, match="was erased"):
            ledger.correct(
                CASE,
                journal[1]["id"],
                changes={"name": NAME},
                effective_on="2024-04-01",
            )
        assert list(ledger.export(CASE)) == journal


def test_a_plain_import_takes_the_keys_and_its_own_chain(tmp_path: Path) -> None:
    original = recorded(tmp_path)
    with Ledger.open(original) as ledger:
        journal = list(ledger.export(CASE))
    with Ledger.open(tmp_path / "import.db", clock=lambda: LATER) as ledger:
        ledger.import_journal(journal)  # new facts: new times, a new chain
        assert ledger.verify(CASE).intact
        assert ledger.head(CASE) != Ledger.open(original).head(CASE)
        again = list(ledger.export(CASE))
        assert again[1]["person_key"] == journal[1]["person_key"]
        assert again[1]["name"] == NAME


def test_a_snapshot_cut_after_forget_verifies_and_a_tampered_one_is_found(
    tmp_path: Path,
) -> None:
    original = recorded(tmp_path)
    with Ledger.open(original, clock=ticking()) as ledger:
        ledger.forget("E1", CASE)
        ledger.snapshot(CASE)  # cut from the facts in memory, E1's shown erased
        report = ledger.verify(CASE)
        assert report.intact and report.cases[0].snapshots == 1
    conn = sqlite3.connect(original)
    try:
        ((version, state),) = conn.execute(
            "SELECT originator_version, state FROM stored_snapshots"
        ).fetchall()
        stored = json.loads(state)
        facts = json.loads(stored["state"]["facts"])
        assert is_sealed_value(facts[1]["name"])  # the sealed bytes, not "[erased]"
        sealed = facts[1]["name"]["sealed"]
        swapped = sealed[:-3] + ("A" if sealed[-3] != "A" else "B") + sealed[-2:]
        # Another ciphertext, with the snapshot's own digest made to match: only
        # the chain can tell.
        text = stored["state"]["facts"].replace(sealed, swapped)
        stored["state"]["facts"] = text
        stored["state"]["digest"] = hashlib.sha256(text.encode()).hexdigest()
        conn.execute(
            "UPDATE stored_snapshots SET state = ? WHERE originator_version = ?",
            (json.dumps(stored, separators=(",", ":")).encode(), version),
        )
        conn.commit()
    finally:
        conn.close()
    with Ledger.open(original) as ledger:
        report = ledger.verify(CASE)
        assert not report.intact
        assert [p.kind for p in report.problems] == ["snapshot"]
        assert report.problems[0].position == 2, report.problems
        # The snapshot is not used: the case reads from its events.
        assert ledger.history(CASE)[1].name == ERASED


def _registration(journal: list[dict[str, Any]]) -> int:
    return next(i for i, d in enumerate(journal) if d["kind"] == "creditor.registered")


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        (
            lambda j, i: j[0].update(person_key=j[i]["person_key"]),
            "person_key",
            "goes on a creditor.registered line only",
        ),
        (
            lambda j, i: j[i].update(person_key="not base64!"),
            "person_key",
            "must be 32 bytes in base64",
        ),
        (
            lambda j, i: j[i].update(person_key=base64.b64encode(b"short").decode()),
            "person_key",
            "must be 32 bytes in base64",
        ),
        (
            lambda j, i: j[i].update(name={"sealed": "AAAA", "person": "E1", "x": 1}),
            "name",
            "must be text, or a sealed value",
        ),
        (
            lambda j, i: j[i].update(name={"sealed": "AAAA", "person": "B1"}),
            "name",
            "is sealed for another person",
        ),
        (
            lambda j, i: j[i].update(name={"sealed": "@@@@", "person": "E1"}),
            "name",
            "is not base64",
        ),
    ],
    ids=[
        "key-elsewhere",
        "key-not-base64",
        "key-too-short",
        "sealed-extra-key",
        "sealed-other-person",
        "sealed-not-base64",
    ],
)
def test_a_bad_key_or_sealed_value_is_refused_naming_the_line(
    tmp_path: Path, change: Any, field: str, reason: str
) -> None:
    original = recorded(tmp_path)
    with Ledger.open(original) as ledger:
        journal = list(ledger.export(CASE))
    i = _registration(journal)
    change(journal, i)
    with Ledger.open(tmp_path / "copy.db", clock=lambda: LATER) as ledger:
        with pytest.raises(JournalError) as error:
            ledger.import_journal(journal, restore=True)
        assert error.value.field == field and reason in str(error.value)
        assert error.value.line in (1, i + 1)
        assert ledger.cases() == []


def test_two_keys_for_one_person_are_refused(tmp_path: Path) -> None:
    original = recorded(tmp_path)
    with Ledger.open(original) as ledger:
        journal = list(ledger.export(CASE))
    other = [dict(d) for d in journal]
    for line in other:
        if line["kind"] == "creditor.registered":
            line["person_key"] = base64.b64encode(bytes(32)).decode()
    with Ledger.open(tmp_path / "copy.db", clock=lambda: LATER) as ledger:
        ledger.import_journal(journal[:2], restore=True)
        before = ledger.history(CASE)
        # The store already holds E1's key: another one is refused with its line,
        # before anything is decided, and nothing is written.
        with pytest.raises(JournalError, match="already holds another key") as error:
            ledger.import_journal([other[1]])
        assert error.value.line == 1
        assert ledger.history(CASE) == before
    # Within one journal, a person given two keys is refused at the second line.
    with Ledger.open(tmp_path / "other.db", clock=lambda: LATER) as ledger:
        with pytest.raises(JournalError, match="was given another key on line 2"):
            ledger.import_journal([journal[0], journal[1], other[1]], restore=True)
        assert ledger.cases() == []


@pytest.mark.postgres
def test_postgres_a_verified_restore_takes_the_keys_in_its_transaction(
    tmp_path: Path, pg_url: str
) -> None:
    original = recorded(tmp_path)
    with Ledger.open(original) as ledger:
        ledger.forget("E1", CASE)
        journal = list(ledger.export(CASE))
        head = ledger.head(CASE)
    journal[2]["name"] = "Banque du Ponant (edited)"  # line 3 is refused...
    with Ledger.open(pg_url, clock=lambda: LATER) as ledger:
        with pytest.raises(JournalError, match="altered"):
            ledger.import_journal(journal, restore=True)
        # ...and no key of the refused journal was kept.
        assert ledger.personal.persons(CASE) == {}
    journal[2]["name"] = "Banque du Ponant"
    with Ledger.open(pg_url, clock=lambda: LATER) as ledger:
        ledger.import_journal(journal, restore=True)
        assert ledger.head(CASE) == head and ledger.verify(CASE).intact
        assert ledger.history(CASE)[1].name == ERASED
        assert ledger.history(CASE)[2].name == "Banque du Ponant"
        assert set(ledger.personal.persons(CASE)) == {"E1", "B1"}
        assert ledger.personal.persons(CASE)["E1"] is None


def test_without_the_extra_a_journal_of_person_keys_is_an_environment_problem(
    tmp_path: Path,
) -> None:
    original = recorded(tmp_path)
    with Ledger.open(original) as ledger:
        journal = list(ledger.export(CASE))
    with Ledger.open(tmp_path / "copy.db", clock=lambda: LATER) as ledger:
        ledger.personal.aead = None  # as without the cryptography package
        with pytest.raises(CipherKeyError, match=r"plandebt\[crypto\]"):
            ledger.import_journal(journal, restore=True)
        assert ledger.cases() == []
