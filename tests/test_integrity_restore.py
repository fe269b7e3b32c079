"""Verified restores (docs/integrity.md): an export carries each fact's link in the
hash chain; `record --restore` refuses a journal whose chain is missing, broken or
altered, or whose recording times are to come, naming the line and the reason and
writing nothing; `--unverified` restores it, and its facts say so."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import Store
from tests.helpers import CASE, open_basic_case

from plandebt import Ledger
from plandebt.cli import main
from plandebt.errors import InvalidInputError, JournalError

LATER = datetime(2100, 1, 1, tzinfo=UTC)


def exported() -> list[dict[str, Any]]:
    source = Ledger.open("memory")
    open_basic_case(source)
    for i in range(4):
        source.pay(
            CASE,
            "C1",
            amount=f"{10 + i}.00",
            paid_on=date(2023, 1, 2 + i),
            basis="connected_setoff",
        )
    return list(source.export())


def test_an_export_carries_each_facts_link() -> None:
    lines = exported()
    assert [d["seq"] for d in lines] == list(range(1, 10))
    for before, after in itertools.pairwise(lines):
        assert after["prev_hash"] == before["hash"]
    assert all("unverified" not in d for d in lines)


def test_a_verified_restore_reproduces_the_chain_and_head(store: Store) -> None:
    lines = exported()
    ledger = store.open()
    ledger.import_journal(lines, restore=True)
    assert list(ledger.export()) == lines
    assert ledger.head(CASE).hash == lines[-1]["hash"]
    assert ledger.verify().intact and ledger.unverified(CASE) == frozenset()


def _unhashed(lines: list[dict[str, Any]]) -> None:
    del lines[3]["hash"], lines[3]["prev_hash"]


def _altered(lines: list[dict[str, Any]]) -> None:
    lines[6]["amount"] = "9999.00"


def _deleted(lines: list[dict[str, Any]]) -> None:
    del lines[4]


def _moved(lines: list[dict[str, Any]]) -> None:
    lines[5], lines[6] = lines[6], lines[5]


def _renumbered(lines: list[dict[str, Any]]) -> None:
    # The forger deletes a line and renumbers those after it.
    del lines[4]
    for data in lines[4:]:
        data["seq"] -= 1


def _forged(lines: list[dict[str, Any]]) -> None:
    forged = dict(lines[-1], id="f" * 32, amount="5000.00", seq=10)
    forged["prev_hash"] = lines[-1]["hash"]
    lines.append(forged)


def _relinked(lines: list[dict[str, Any]]) -> None:
    lines[2]["prev_hash"] = "0" * 64


def _backdated(lines: list[dict[str, Any]]) -> None:
    # Moved back as far as the line before it (further back is refused anyway).
    lines[7]["recorded_at"] = lines[6]["recorded_at"]


#: Each way a journal is refused: its change, the line and field named, the reason.
REFUSALS: dict[str, tuple[Callable[[list[dict[str, Any]]], None], int, str, str]] = {
    "no hash": (_unhashed, 4, "hash", "missing: the line carries no hash chain"),
    "altered": (_altered, 7, "hash", "does not match the line's content"),
    "deleted": (_deleted, 5, "seq", "the case's next position is 5"),
    "moved": (_moved, 6, "seq", "the case's next position is 6"),
    "renumbered": (_renumbered, 5, "prev_hash", "is not the hash of the case's"),
    "forged": (_forged, 10, "hash", "does not match the line's content"),
    "relinked": (_relinked, 3, "prev_hash", "is not the hash of the case's"),
    "back-dated": (_backdated, 8, "hash", "does not match the line's content"),
}


@pytest.mark.parametrize("name", list(REFUSALS))
def test_a_broken_chain_is_refused_with_its_line_and_nothing_written(
    store: Store, name: str
) -> None:
    change, line, field, reason = REFUSALS[name]
    lines = exported()
    change(lines)
    ledger = store.open()
    with pytest.raises(JournalError) as refusal:
        ledger.import_journal([json.dumps(d) for d in lines], restore=True)
    assert (refusal.value.line, refusal.value.field) == (line, field)
    assert reason in refusal.value.reason
    assert store.open().cases() == []


def test_recording_times_to_come_are_refused_verified_or_not(store: Store) -> None:
    lines = exported()
    ledger = store.open()
    ledger.clock = lambda: (
        datetime.fromisoformat(lines[5]["recorded_at"]) - timedelta(microseconds=1)
    )
    for unverified in (False, True):
        with pytest.raises(JournalError) as refusal:
            ledger.import_journal(lines, restore=True, unverified=unverified)
        assert (refusal.value.line, refusal.value.field) == (6, "recorded_at")
        assert "is later than now" in refusal.value.reason
    assert store.open().cases() == []
    # At the time of the last line, every line is in the past (or now).
    ledger.clock = lambda: datetime.fromisoformat(lines[-1]["recorded_at"])
    ledger.import_journal(lines, restore=True)


def test_an_unverified_restore_marks_its_facts_in_every_export(store: Store) -> None:
    lines = exported()
    _altered(lines)
    ledger = store.open()
    ledger.import_journal(lines, restore=True, unverified=True)
    assert ledger.unverified(CASE) == frozenset(range(1, 10))
    again = list(ledger.export())
    assert all(d["unverified"] is True for d in again)
    assert again[6]["amount"] == "9999.00"
    # The store is chained over what it holds (altered or not, from now on).
    assert ledger.verify().intact
    # Its export restores verified, the marks kept; another reader sees them too.
    copy = Ledger.open("memory")
    copy.import_journal(again, restore=True)
    assert list(copy.export()) == again
    assert store.open().unverified(CASE) == frozenset(range(1, 10))
    # A flag removed by hand breaks the line's hash.
    del again[2]["unverified"]
    with pytest.raises(JournalError) as refusal:
        Ledger.open("memory").import_journal(again, restore=True)
    assert refusal.value.line == 3


def test_facts_recorded_after_an_unverified_restore_are_not_marked(
    store: Store,
) -> None:
    lines = exported()
    _unhashed(lines)
    ledger = store.open()
    ledger.import_journal(lines, restore=True, unverified=True)
    ledger.pay(
        CASE, "C2", amount="1.00", paid_on=date(2024, 1, 1), basis="connected_setoff"
    )
    assert ledger.unverified(CASE) == frozenset(range(1, 10))
    assert "unverified" not in list(ledger.export())[-1]
    assert ledger.verify().intact


def test_a_journal_continues_a_case_only_from_its_head(store: Store) -> None:
    lines = exported()
    ledger = store.open()
    ledger.import_journal(lines[:5], restore=True)
    with pytest.raises(JournalError) as refusal:
        ledger.import_journal(lines[6:], restore=True)  # a line short
    assert (refusal.value.line, refusal.value.field) == (1, "seq")
    assert "the case's next position is 6" in refusal.value.reason
    ledger.import_journal(lines[5:], restore=True)  # the rest, in place
    assert list(ledger.export()) == lines


def test_a_plain_import_of_an_export_drops_its_links() -> None:
    ledger = Ledger.open("memory")
    ledger.import_journal(exported())
    fresh = list(ledger.export())
    assert fresh[0]["prev_hash"] != "" and ledger.verify().intact


def test_a_malformed_hash_is_refused_on_any_import() -> None:
    lines = exported()
    lines[1]["hash"] = "not a hash"
    for restore in (False, True):
        with pytest.raises(JournalError) as refusal:
            Ledger.open("memory").import_journal(lines, restore=restore)
        assert (refusal.value.line, refusal.value.field) == (2, "hash")


# --- the command line --------------------------------------------------------------------


def write(path: Path, lines: list[dict[str, Any]]) -> str:
    path.write_text("".join(json.dumps(d) + "\n" for d in lines))
    return str(path)


def test_record_restore_refuses_then_unverified_restores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = exported()
    _altered(lines)
    journal = write(tmp_path / "backup.jsonl", lines)
    db = str(tmp_path / "restored.db")
    assert main(["--db", db, "record", "--restore", journal]) == 2
    err = capsys.readouterr().err
    assert "line 7" in err and "the line was altered" in err
    assert "Traceback" not in err
    assert main(["--db", db, "record", "--unverified", journal]) == 2
    assert "--unverified goes with --restore" in capsys.readouterr().err
    assert main(["--db", db, "record", "--restore", "--unverified", journal]) == 0
    capsys.readouterr()
    assert main(["--db", db, "export"]) == 0
    assert all(
        json.loads(line)["unverified"] for line in capsys.readouterr().out.splitlines()
    )
    assert main(["--db", db, "verify"]) == 0


def test_the_cli_export_restores_verified(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = str(tmp_path / "source.db")
    with Ledger.open(source) as ledger:
        open_basic_case(ledger)
    backup = str(tmp_path / "backup.jsonl")
    assert main(["--db", source, "export", "-o", backup]) == 0
    restored = str(tmp_path / "restored.db")
    assert main(["--db", restored, "record", "--restore", backup]) == 0
    capsys.readouterr()
    assert main(["--db", source, "verify", "--head"]) == 0
    head = capsys.readouterr().out.split("head ")[1].split()[0]
    assert main(["--db", restored, "verify", "--head-is", head]) == 0


def test_the_provenance_of_a_view_names_its_unverified_facts(store: Store) -> None:
    lines = exported()
    ledger = store.open()
    ledger.import_journal(lines[:4], restore=True)
    ledger.import_journal(lines[4:], restore=True, unverified=True)
    ledger.pay(
        CASE, "C2", amount="1.00", paid_on=date(2024, 1, 1), basis="connected_setoff"
    )
    at_three = ledger.provenance(CASE, known_at=3)
    assert (at_three.position, at_three.unverified) == (3, ())
    now = ledger.provenance(CASE)
    assert now.position == 10 and now.unverified == tuple(range(5, 10))
    assert now.unverified_facts == tuple(d["id"] for d in lines[4:])
    assert now.head == ledger.head(CASE)
    assert now.to_dict()["unverified"] == [5, 6, 7, 8, 9]


def test_balances_and_statements_name_the_unverified_facts_they_rest_on(
    store: Store,
) -> None:
    lines = exported()
    ledger = store.open()
    ledger.import_journal(lines[:6], restore=True)
    ledger.import_journal(lines[6:], restore=True, unverified=True)
    day = date(2030, 1, 1)
    marked = tuple(d["id"] for d in lines[6:])
    assert ledger.balances(CASE, day).unverified == marked
    assert ledger.balances(CASE, day, known_at=6).unverified == ()
    assert ledger.balances(CASE, day, known_at=7).unverified == marked[:1]
    assert ledger.balances(CASE, day).to_dict()["unverified"] == list(marked)
    statement = ledger.statement(CASE, "URSSAF", day)
    assert statement.unverified == marked
    assert statement.to_dict()["unverified"] == list(marked)
    # A store restored verified says nothing of the kind.
    clean = Ledger.open("memory")
    clean.import_journal(lines, restore=True)
    assert clean.balances(CASE, day).unverified == ()


ORIGINAL = exported()
TEXTS = [json.dumps(d, ensure_ascii=False, separators=(",", ":")) for d in ORIGINAL]


@given(data=st.data())
def test_a_character_changed_in_a_journal_is_refused_at_its_line_or_changes_nothing(
    data: st.DataObject,
) -> None:
    index = data.draw(st.integers(0, len(TEXTS) - 1), label="line")
    text = TEXTS[index]
    at = data.draw(st.integers(0, len(text) - 1), label="at")
    char = data.draw(
        st.characters(min_codepoint=32, max_codepoint=126).filter(
            lambda c: c != text[at]
        ),
        label="char",
    )
    lines = list(TEXTS)
    lines[index] = text[:at] + char + text[at + 1 :]
    ledger = Ledger.open("memory", clock=lambda: LATER)
    try:
        ledger.import_journal("\n".join(lines), restore=True)
    except JournalError as refusal:
        assert refusal.line == index + 1, refusal
        assert ledger.cases() == []
    else:
        # Accepted only if it says the same thing: the same facts, the same chain.
        assert list(ledger.export()) == ORIGINAL


def test_unverified_goes_with_a_restore() -> None:
    ledger = Ledger.open("memory")
    with pytest.raises(InvalidInputError) as refusal:
        ledger.import_journal(exported(), unverified=True)
    assert refusal.value.field == "unverified"
    assert ledger.cases() == []
