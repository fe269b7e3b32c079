"""Erasure of a person's data (docs/integrity.md): `forget` destroys the
person's key; every view then shows their name, address and descriptions as erased,
every amount and finding stays the same on every date, and the stored events are not
rewritten."""

from __future__ import annotations

import gc
import hashlib
import json
import sqlite3
import weakref
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.helpers import store_bytes

from plandebt import Fact, Ledger
from plandebt.cli import main
from plandebt.cli.exits import OK, USAGE
from plandebt.errors import InvalidInputError, UnknownPersonError
from plandebt.events import CreditorRegistered
from plandebt.events.codec import PERSONAL_FIELDS, is_sealed_value
from plandebt.movements import MovementsView
from plandebt.personal import ERASED, LEGAL_PERSON_KINDS
from plandebt.strategies import case_histories

CASE = "RG 24/00078"
NAME = "Hortense Vidal"
ADDRESS = "7 impasse des Mouettes, 29000 Quimper"


def ticking() -> Any:
    ticks = (
        datetime(2030, 1, 1, tzinfo=UTC) + timedelta(microseconds=i)
        for i in range(10**6)
    )
    return lambda: next(ticks)


def natural_persons(facts: list[Fact]) -> list[str]:
    return [
        f.creditor
        for f in facts
        if isinstance(f, CreditorRegistered)
        and f.creditor_kind.value not in LEGAL_PERSON_KINDS
    ]


def days_of(facts: list[Fact]) -> list[date]:
    """Every date a fact is effective on, the day before it, and a far one."""
    days = {f.effective_on for f in facts}
    return sorted(days | {d - timedelta(days=1) for d in days} | {date(2100, 1, 1)})


def views(ledger: Ledger, case: str, days: list[date]) -> list[dict[str, Any]]:
    """The balances and the compliance report on every day, as known now and as
    known halfway through the case's log."""
    head = ledger.position(case)
    out = []
    for day in days:
        for known_at in (None, max(1, head // 2)):
            out.append(
                {
                    "balances": ledger.balances(case, day, known_at).to_dict(),
                    "check": ledger.check(case, day, known_at).to_dict(),
                }
            )
    return out


def erased(view: dict[str, Any], persons: set[str]) -> dict[str, Any]:
    """`view` with the names of `persons` shown erased (all that may change)."""
    claims = [
        {**c, "creditor_name": ERASED} if c["creditor"] in persons else c
        for c in view["balances"]["claims"]
    ]
    return {**view, "balances": {**view["balances"], "claims": claims}}


def without_personal_fields(data: dict[str, Any]) -> dict[str, Any]:
    spec = PERSONAL_FIELDS.get(data["kind"])
    fields = (*spec[1], "person_key") if spec else ()
    out = {k: v for k, v in data.items() if k not in fields}
    if data["kind"] == "fact.corrected":
        out["changes"] = {
            k: v for k, v in data["changes"].items() if k not in ("name", "address")
        }
    return out


@given(case_histories(), st.data())
def test_forget_keeps_every_amount_and_finding_on_every_date(
    facts: list[Fact], data: st.DataObject
) -> None:
    ledger = Ledger.open("memory", clock=ticking())
    ledger.record_all(facts)
    case = facts[0].case
    persons = natural_persons(facts)
    forgotten = set(
        data.draw(st.lists(st.sampled_from(persons), unique=True)) if persons else []
    )
    days = days_of(facts)
    before = views(ledger, case, days)
    journal = list(ledger.export(case))
    for person in sorted(forgotten):
        assert ledger.forget(person, case) == [case]
    after = views(ledger, case, days)
    assert after == [erased(view, forgotten) for view in before]
    # The chain is whole: it hashes the sealed fields, which forget leaves as
    # they are.
    assert ledger.verify(case).intact
    # The journal: the same facts, positions, amounts and hashes; only personal
    # fields of the forgotten persons changed, each to its sealed form, and their
    # key is no longer given.
    again = list(ledger.export(case))
    assert [without_personal_fields(d) for d in again] == [
        without_personal_fields(d) for d in journal
    ]
    for old, new in zip(journal, again, strict=True):
        if old["kind"] == "creditor.registered":
            gone = old["creditor"] in forgotten
            assert ("person_key" in new) == (not gone) and "person_key" in old
            for field in ("name", "address"):
                if old.get(field) is None:
                    assert new.get(field) is None
                elif gone:
                    assert is_sealed_value(new[field]), new[field]
                    assert new[field]["person"] == old["creditor"]
                else:
                    assert new[field] == old[field]
    # A ledger opened later reads the same (nothing of the erasure is in memory).
    reread = Ledger(ledger.app, clock=ticking())
    assert views(reread, case, days) == after
    # Both journals restore verified, to the same hashes, each showing what its
    # store showed when it was exported (erased persons as erased).
    for exported, shown in ((journal, before), (again, after)):
        restored = Ledger.open("memory", clock=lambda: datetime(2031, 1, 1, tzinfo=UTC))
        restored.import_journal(exported, restore=True)
        assert restored.head(case) == ledger.head(case)
        assert restored.verify(case).intact
        assert views(restored, case, days) == shown
        assert list(restored.export(case)) == exported


def open_sample_case(ledger: Ledger) -> None:
    ledger.open_case(
        CASE,
        procedure="redressement_judiciaire",
        court="Tribunal de commerce de Brest",
        debtor="Phare Ouest SARL",
        opened_on="2024-01-10",
        cessation_on="2023-12-01",
    )


def sample(ledger: Ledger) -> None:
    open_sample_case(ledger)
    ledger.register_creditor(
        CASE, "E1", name=NAME, creditor_kind="employee", address=ADDRESS
    )
    ledger.register_creditor(CASE, "B1", name="Banque du Ponant", creditor_kind="bank")
    ledger.declare_claim(
        CASE,
        "C1",
        creditor="E1",
        amount="2100.00",
        origin_on="2023-12-15",
        rank="superprivileged_wages",
        description=f"salaire de décembre de {NAME}",
        effective_on="2024-02-01",
    )
    ledger.declare_claim(
        CASE,
        "C2",
        creditor="B1",
        amount="50000.00",
        origin_on="2022-06-01",
        rank="secured",
        effective_on="2024-02-05",
    )
    registered = ledger.history(CASE)[1]
    ledger.correct(
        CASE,
        registered.id,
        changes={"name": "Hortense Vidal-Le Gall"},
        effective_on="2024-03-01",
    )


def events_digest(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT * FROM stored_events ORDER BY originator_id, originator_version"
        ).fetchall()
    finally:
        conn.close()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A SQLite store holding the sample case."""
    path = tmp_path / "s.db"
    with Ledger.open(path) as ledger:
        sample(ledger)
    return path


def test_names_addresses_and_descriptions_show_erased_after_forget(
    store: Path,
) -> None:
    path = store
    with Ledger.open(path) as ledger:
        names = {
            c.creditor: c.creditor_name
            for c in ledger.balances(CASE, date(2024, 6, 1)).claims
        }
        assert names == {"E1": "Hortense Vidal-Le Gall", "B1": "Banque du Ponant"}
        ledger.forget("E1")
        claims = ledger.balances(CASE, date(2024, 6, 1)).claims
        assert {c.creditor: c.creditor_name for c in claims} == {
            "E1": ERASED,
            "B1": "Banque du Ponant",
        }
        registered, declared = ledger.history(CASE)[1], ledger.history(CASE)[3]
        assert (registered.name, registered.address) == (ERASED, ERASED)
        assert declared.description == ERASED
        assert ledger.history(CASE)[-1].changes == {"name": ERASED}
        statement = ledger.statement(CASE, "E1", date(2024, 6, 1))
        assert statement.creditor_name == ERASED
        assert NAME not in statement.to_html() and ERASED in statement.to_html()
        exported = "\n".join(str(d) for d in ledger.export(CASE))
        assert "Hortense" not in exported and "Mouettes" not in exported
    # The clear name was never stored: sealed when recorded, under a key now gone.
    raw = store_bytes(path)
    assert b"Hortense" not in raw and b"Mouettes" not in raw


def test_forget_rewrites_no_event(store: Path) -> None:
    path = store
    with Ledger.open(path) as ledger:
        ledger.snapshot(CASE)
    before = events_digest(path)
    with Ledger.open(path) as ledger:
        key = ledger.personal.persons(CASE)["E1"]
        assert key is not None and key in store_bytes(path)
        ledger.forget("E1", CASE)
    assert events_digest(path) == before
    assert key not in store_bytes(path)  # not in a free page, not in the log
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT person, key IS NULL, erased_at IS NOT NULL FROM plandebt_person_keys "
        "ORDER BY person"
    ).fetchall()
    conn.close()
    assert rows == [("B1", 0, 0), ("E1", 1, 1)]
    # A snapshot cut after the erasure stores the sealed values the events hold.
    with Ledger.open(path, snapshot_interval=2) as ledger:
        ledger.snapshot(CASE)
    with Ledger.open(path) as ledger:
        assert ledger.history(CASE)[1].name == ERASED
        assert ledger.history(CASE)[2].name == "Banque du Ponant"


def test_forget_of_an_unknown_person_is_a_typed_error_and_changes_nothing(
    store: Path,
) -> None:
    path = store
    with Ledger.open(path) as ledger:
        with pytest.raises(UnknownPersonError) as error:
            ledger.forget("NOBODY")
        assert (error.value.field, error.value.value) == ("person", "NOBODY")
        assert "is no creditor of any case" in str(error.value)
        with pytest.raises(UnknownPersonError, match="is no creditor of case"):
            ledger.forget("NOBODY", CASE)
    digest = events_digest(path)
    with Ledger.open(path) as ledger:
        assert ledger.history(CASE)[1].name == NAME
    assert events_digest(path) == digest


def test_forget_refuses_a_legal_person(store: Path) -> None:
    with Ledger.open(store) as ledger:
        with pytest.raises(InvalidInputError, match="a legal person"):
            ledger.forget("B1", CASE)
        assert ledger.history(CASE)[2].name == "Banque du Ponant"


def test_an_erased_persons_data_is_not_recorded_again() -> None:
    ledger = Ledger.open("memory", clock=ticking())
    sample(ledger)
    ledger.forget("E1", CASE)
    registered = ledger.history(CASE)[1]
    with pytest.raises(InvalidInputError, match="was erased"):
        ledger.correct(
            CASE, registered.id, changes={"name": NAME}, effective_on="2024-04-01"
        )
    assert ledger.forget("E1", CASE) == [CASE]  # forgetting again changes nothing
    assert ledger.history(CASE)[1].name == ERASED
    # Amounts and decisions about the person are still recorded.
    ledger.admit_claim(CASE, "C1", effective_on="2024-05-02")
    assert ledger.balances(CASE, date(2024, 6, 1)).claims[0].status == "admitted"


def test_cli_forget(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = store
    digest = events_digest(path)
    assert main(["--db", str(path), "forget", "NOBODY"]) == USAGE
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "is no creditor" in err
    assert main(["--db", str(path), "forget", "E1", "--case", CASE]) == OK
    out = capsys.readouterr().out
    assert f"erased E1 in {CASE}" in out
    argv = ["--db", str(path), "balances", "--as-of", "2024-06-01", "--json"]
    assert main(argv) == OK
    shown = capsys.readouterr().out
    assert ERASED in shown and "Hortense" not in shown and "Banque du Ponant" in shown
    assert events_digest(path) == digest


@pytest.mark.postgres
def test_postgres_forget_keeps_amounts_and_findings(pg_url: str) -> None:
    with Ledger.open(pg_url, clock=ticking()) as ledger:
        sample(ledger)
        days = days_of(ledger.history(CASE))
        before = views(ledger, CASE, days)
        with pytest.raises(UnknownPersonError):
            ledger.forget("NOBODY", CASE)
        assert ledger.forget("E1") == [CASE]
        assert views(ledger, CASE, days) == [erased(v, {"E1"}) for v in before]
    with Ledger.open(pg_url) as ledger:
        assert views(ledger, CASE, days) == [erased(v, {"E1"}) for v in before]
        assert ledger.history(CASE)[1].name == ERASED


def test_the_sql_view_holds_no_personal_field_and_its_sums_survive_forget(
    store: Path, tmp_path: Path
) -> None:
    view_path = tmp_path / "view.db"
    with Ledger.open(store) as ledger:
        declared = ledger.history(CASE)[3]
        # A correction of a sealed field of a money fact: the view rebuilds the
        # corrected declaration without opening it.
        ledger.correct(
            CASE,
            declared.id,
            changes={"description": f"décembre, {NAME}", "amount": "2000.00"},
            effective_on="2024-03-02",
        )
        view = MovementsView(str(view_path))
        view.catch_up(ledger)
        sums = view.claim_sums(CASE, date(2024, 6, 1), None)
        ledger.forget("E1")
        view.catch_up(ledger)
        assert view.claim_sums(CASE, date(2024, 6, 1), None) == sums
        view.close()
    assert sums["C1"]["declared"] == 200000
    raw = store_bytes(view_path)
    assert b"Hortense" not in raw and b"cembre" not in raw
    # Rebuilt from the log after the erasure: the same sums.
    with Ledger.open(store) as ledger:
        rebuilt = MovementsView(str(tmp_path / "rebuilt.db"))
        rebuilt.catch_up(ledger)
        assert rebuilt.claim_sums(CASE, date(2024, 6, 1), None) == sums
        rebuilt.close()


def test_a_ledger_left_open_is_freed_with_its_connections() -> None:
    # No reference cycle through the personal data handler: an application nobody
    # closed is freed as soon as it is dropped (the ledger freezes the collector's
    # generations after a rebuild, so a cycle could keep a pool open for good).
    gc.disable()
    try:
        ledger = Ledger.open("memory", clock=ticking())
        sample(ledger)
        ledger.forget("E1")
        app = weakref.ref(ledger.app)
        del ledger
        assert app() is None
    finally:
        gc.enable()


def test_a_snapshot_cut_from_facts_read_back_holds_the_stored_ciphertext(
    store: Path,
) -> None:
    # The facts are read from the store (no text of the write is at hand), sealed
    # again for the snapshot: the nonce is derived, so the bytes are the events'.
    with Ledger.open(store) as ledger:
        ledger.snapshot(CASE)
    conn = sqlite3.connect(store)
    try:
        events = [
            json.loads(state)["fact"]
            for (state,) in conn.execute(
                "SELECT state FROM stored_events WHERE originator_version > 1 "
                "ORDER BY originator_version"
            )
        ]
        ((snapshot,),) = conn.execute("SELECT state FROM stored_snapshots").fetchall()
    finally:
        conn.close()
    held = json.loads(json.loads(snapshot)["state"]["facts"])
    assert held == events
    assert any("sealed" in str(fact.get("name", "")) for fact in held)


def modelled_case(ledger: Ledger) -> None:
    """A case the persisted read model keeps (nothing corrected)."""
    open_sample_case(ledger)
    ledger.register_creditor(CASE, "E1", name=NAME, creditor_kind="employee")
    ledger.declare_claim(
        CASE,
        "C1",
        creditor="E1",
        amount="2100.00",
        origin_on="2023-12-15",
        rank="superprivileged_wages",
        effective_on="2024-02-01",
    )


def names_of(ledger: Ledger) -> dict[str, str]:
    claims = ledger.balances(CASE, date(2024, 6, 1)).claims
    return {c.creditor: c.creditor_name for c in claims}


def test_the_read_model_holds_the_sealed_name_and_shows_the_erasure(
    tmp_path: Path,
) -> None:
    from plandebt import readmodel

    path = tmp_path / "m.db"
    with Ledger.open(path) as ledger:
        modelled_case(ledger)
    with Ledger.open(path) as ledger:
        assert names_of(ledger) == {"E1": NAME}  # replayed, and the model stored
        kept = readmodel.stored(ledger.app, CASE)
        assert kept is not None and "Hortense" not in kept[1]
    with Ledger.open(path) as fresh:  # answered from the model, the name opened
        assert readmodel.load(fresh.app, CASE) is not None
        assert names_of(fresh) == {"E1": NAME}
        assert CASE not in fresh._cases  # the model answered: no replay
        fresh.forget("E1")
        assert names_of(fresh) == {"E1": ERASED}
    with Ledger.open(path) as fresh:
        assert names_of(fresh) == {"E1": ERASED}
        assert CASE not in fresh._cases
        assert fresh.verify(CASE).intact  # the model is what the events make
    assert b"Hortense" not in store_bytes(path)


def test_an_encrypted_store_keeps_no_read_model(tmp_path: Path) -> None:
    from plandebt import readmodel
    from plandebt.crypto import new_key

    path, key = tmp_path / "e.db", new_key()
    with Ledger.open(path, key=key) as ledger:
        modelled_case(ledger)
        assert names_of(ledger) == {"E1": NAME}
        assert readmodel.stored(ledger.app, CASE) is None
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert readmodel.TABLE not in tables
