"""The hash chain (docs/integrity.md): tampering with the store behind plandebt's
back, on SQLite and PostgreSQL, is found at the right position with an integrity
message, never a crash; the head proves a history; a store recorded before the chain
is upgraded explicitly.

Each tamper is done as an auditor's adversary would: with SQL on the store's tables
(a byte of an event or a snapshot changed, a row deleted, a forged row inserted, two
rows' positions swapped)."""

from __future__ import annotations

import itertools
import json
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.helpers import CASE, open_basic_case

from plandebt import Ledger
from plandebt.cli import main
from plandebt.integrity import Head, genesis
from plandebt.storage import RECORDED_TOPIC, CaseStream

STREAM = CaseStream.create_id(CASE)
PAYMENTS = 8
FACTS = 5 + PAYMENTS  # open_basic_case records five


class Raw:
    """SQL access to one store's events, heads and snapshots, beside plandebt."""

    def __init__(self, target: str, kind: str) -> None:
        self.target = target
        self.kind = kind
        if kind == "sqlite":
            self.conn: Any = sqlite3.connect(target)
            self.p = "?"
            self.schema = ""
            self.id: Any = STREAM.hex
        else:
            import psycopg

            base, _, schema = target.partition("?schema=")
            self.conn = psycopg.connect(base, autocommit=True)
            self.p = "%s"
            self.schema = f'"{schema}".'
            self.id = STREAM

    def run(self, sql: str, *params: Any) -> list[Any]:
        if self.kind == "postgres":  # eventsourcing names them after the application
            sql = sql.replace("T.stored_", "T.plandebt_")
        sql = sql.replace("?", self.p).replace("T.", self.schema)
        cursor = self.conn.execute(sql, params)
        rows = cursor.fetchall() if cursor.description else []
        if self.kind == "sqlite":
            self.conn.commit()
        return list(rows)

    def state(self, version: int, table: str = "stored_events") -> bytes:
        rows = self.run(
            f"SELECT state FROM T.{table} WHERE originator_id = ? "
            "AND originator_version = ?",
            self.id,
            version,
        )
        return bytes(rows[0][0])

    def set_state(
        self, version: int, state: bytes, table: str = "stored_events"
    ) -> None:
        self.run(
            f"UPDATE T.{table} SET state = ? WHERE originator_id = ? "
            "AND originator_version = ?",
            state,
            self.id,
            version,
        )

    def delete(self, version: int) -> None:
        self.run(
            "DELETE FROM T.stored_events WHERE originator_id = ? "
            "AND originator_version = ?",
            self.id,
            version,
        )

    def insert(self, version: int, state: bytes) -> None:
        self.run(
            "INSERT INTO T.stored_events (originator_id, originator_version, topic, "
            "state) VALUES (?, ?, ?, ?)",
            self.id,
            version,
            RECORDED_TOPIC,
            state,
        )

    def move(self, version: int, to: int) -> None:
        self.run(
            "UPDATE T.stored_events SET originator_version = ? WHERE originator_id = ? "
            "AND originator_version = ?",
            to,
            self.id,
            version,
        )

    def swap(self, one: int, other: int) -> None:
        self.move(one, -1)
        self.move(other, one)
        self.move(-1, other)

    def shift_from(self, version: int) -> None:
        """Moves every event from `version` on one place later (to insert one)."""
        last = self.run(
            "SELECT MAX(originator_version) FROM T.stored_events WHERE originator_id = ?",
            self.id,
        )[0][0]
        for v in range(last, version - 1, -1):
            self.move(v, v + 1)

    def snapshot_versions(self) -> list[int]:
        rows = self.run(
            "SELECT originator_version FROM T.stored_snapshots WHERE originator_id = ? "
            "ORDER BY originator_version",
            self.id,
        )
        return [r[0] for r in rows]

    def close(self) -> None:
        self.conn.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def raw(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Raw]:
    if request.param == "sqlite":
        target = str(tmp_path / "plandebt.db")
    else:
        target = request.getfixturevalue("pg_url")
    ledger = Ledger.open(target, snapshot_interval=0)
    record_case(ledger)
    ledger.close()
    store = Raw(target, request.param)
    yield store
    store.close()


def record_case(ledger: Ledger) -> None:
    open_basic_case(ledger)
    for i in range(PAYMENTS):
        ledger.pay(
            CASE,
            "C2" if i % 2 else "C1",
            amount=f"{100 + i}.00",
            paid_on=date(2023, 1, 1 + i),
            basis="connected_setoff",
        )


def pay(ledger: Ledger, amount: str, on: date) -> None:
    ledger.pay(CASE, "C1", amount=amount, paid_on=on, basis="connected_setoff")


def problems(target: str) -> list[tuple[int, str, str]]:
    with Ledger.open(target, snapshot_interval=0) as ledger:
        report = ledger.verify()
    return [(p.position, p.kind, p.message) for p in report.problems]


def first_problem(target: str) -> tuple[int, str, str]:
    found = problems(target)
    assert found, "the tampering was not detected"
    return found[0]


# --- an intact store -------------------------------------------------------------------


def test_an_intact_store_verifies_and_its_head_is_its_last_fact(raw: Raw) -> None:
    with Ledger.open(raw.target) as ledger:
        report = ledger.verify()
        head = ledger.head(CASE)
    assert report.intact and problems(raw.target) == []
    (case,) = report.cases
    assert (case.case, case.facts, case.chained) == (CASE, FACTS, True)
    assert case.head == head and head.position == FACTS
    stored = json.loads(raw.state(FACTS + 1))
    assert stored["chain"]["hash"] == head.hash
    assert json.loads(raw.state(2))["chain"]["prev"] == genesis(CASE)


def test_each_fact_links_to_the_one_before(raw: Raw) -> None:
    chain = [json.loads(raw.state(v))["chain"] for v in range(2, FACTS + 2)]
    for before, after in itertools.pairwise(chain):
        assert after["prev"] == before["hash"]
    assert len({c["hash"] for c in chain}) == FACTS


# --- altered bytes ----------------------------------------------------------------------


@pytest.mark.parametrize("position", range(1, FACTS + 1))
@pytest.mark.parametrize("where", [0.0, 0.3, 0.55, 0.8, 1.0])
def test_a_byte_changed_in_any_event_is_found_at_its_position(
    raw: Raw, position: int, where: float
) -> None:
    state = raw.state(position + 1)
    at = min(len(state) - 1, int(len(state) * where))
    changed = bytearray(state)
    changed[at] = (changed[at] + 1) % 256 or 1
    raw.set_state(position + 1, bytes(changed))
    found, kind, message = first_problem(raw.target)
    assert found == position, message
    assert kind in ("altered", "link", "reordered", "unreadable")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_single_byte_change_of_any_stored_event_is_found_at_its_position(
    raw: Raw, data: st.DataObject
) -> None:
    position = data.draw(st.integers(1, FACTS), label="position")
    state = raw.state(position + 1)
    at = data.draw(st.integers(0, len(state) - 1), label="byte")
    value = data.draw(
        st.integers(0, 255).filter(lambda b: b != state[at]), label="value"
    )
    changed = bytearray(state)
    changed[at] = value
    raw.set_state(position + 1, bytes(changed))
    try:
        found, _kind, message = first_problem(raw.target)
        assert found == position, message
    finally:
        raw.set_state(position + 1, state)  # the next example starts intact


def test_an_altered_amount_is_found_and_named(raw: Raw) -> None:
    # The auditor's example: 900,000 -> 800,000 on a declared claim.
    state = raw.state(5)
    assert b'"900000.00"' in state
    raw.set_state(5, state.replace(b'"900000.00"', b'"800000.00"'))
    assert first_problem(raw.target) == (
        4,
        "altered",
        "its content does not match its hash (altered)",
    )


def test_garbage_bytes_are_reported_never_raised(raw: Raw) -> None:
    raw.set_state(7, b"\xff\xfe\x00 not json at all \x80")
    found, kind, _message = first_problem(raw.target)
    assert (found, kind) == (6, "altered")


# --- deleted, inserted, reordered facts ----------------------------------------------------


def test_the_last_fact_deleted_is_found_by_the_case_head(raw: Raw) -> None:
    raw.delete(FACTS + 1)
    found, kind, message = first_problem(raw.target)
    assert (found, kind) == (FACTS, "missing")
    assert f"the case's head is at {FACTS}" in message


@pytest.mark.parametrize("position", range(1, FACTS))
def test_a_fact_deleted_in_the_middle_is_found_at_its_position(
    raw: Raw, position: int
) -> None:
    raw.delete(position + 1)
    found, kind, message = first_problem(raw.target)
    assert (found, kind) == (position, "missing"), message


def forged_payment(raw: Raw, version: int, amount: bytes) -> bytes:
    """A copy of the last payment, given another id and amount, as a forger would."""
    state = raw.state(FACTS + 1)
    fact = json.loads(state)["fact"]
    old_amount = fact["amount"].encode()
    forged = state.replace(fact["id"].encode(), uuid.uuid4().hex.encode())
    forged = forged.replace(b'"' + old_amount + b'"', b'"' + amount + b'"')
    return forged.replace(f'"seq":{FACTS}'.encode(), f'"seq":{version - 1}'.encode())


def test_a_forged_payment_appended_is_found(raw: Raw) -> None:
    raw.insert(FACTS + 2, forged_payment(raw, FACTS + 2, b"5000.00"))
    found, kind, _message = first_problem(raw.target)
    assert found == FACTS + 1
    assert kind in ("altered", "link", "inserted")


@pytest.mark.parametrize("position", [1, 3, 7, FACTS])
def test_a_forged_payment_inserted_in_the_middle_is_found_at_its_position(
    raw: Raw, position: int
) -> None:
    forged = forged_payment(raw, position + 1, b"5000.00")
    raw.shift_from(position + 1)
    raw.insert(position + 1, forged)
    found, kind, message = first_problem(raw.target)
    assert found == position, message
    assert kind in ("altered", "link", "reordered")


@pytest.mark.parametrize("position", range(1, FACTS))
def test_two_facts_swapped_are_found_at_the_first(raw: Raw, position: int) -> None:
    raw.swap(position + 1, position + 2)
    found, kind, message = first_problem(raw.target)
    assert (found, kind) == (position, "reordered"), message
    assert f"holds the fact recorded at position {position + 1}" in message


def test_a_chain_recomputed_by_a_forger_is_found_by_the_head(raw: Raw) -> None:
    # The forger renumbers nothing: it drops the last fact and its head row is left.
    raw.delete(FACTS + 1)
    raw.run("DELETE FROM T.plandebt_heads")
    found, kind, _message = first_problem(raw.target)
    assert kind == "head" and found == FACTS - 1


# --- snapshots ----------------------------------------------------------------------------


@pytest.fixture
def snapped(raw: Raw) -> Raw:
    with Ledger.open(raw.target, snapshot_interval=5) as ledger:
        ledger.snapshot(CASE)
    assert raw.snapshot_versions() == [6, 11, FACTS + 1]
    return raw


def test_the_snapshots_of_an_intact_store_verify(snapped: Raw) -> None:
    with Ledger.open(snapped.target) as ledger:
        (case,) = ledger.verify().cases
    assert case.intact and case.snapshots == 3


@pytest.mark.parametrize("where", [0.1, 0.5, 0.9])
def test_a_byte_changed_in_a_snapshot_is_found_and_the_snapshot_not_used(
    snapped: Raw, where: float
) -> None:
    state = snapped.state(11, "stored_snapshots")
    at = int(len(state) * where)
    changed = bytearray(state)
    changed[at] = (changed[at] + 1) % 256 or 1
    snapped.set_state(11, bytes(changed), "stored_snapshots")
    found = problems(snapped.target)
    assert found and all(kind == "snapshot" for _p, kind, _m in found)
    assert 6 <= found[0][0] <= 10
    assert_snapshots_not_used(snapped)


def test_a_snapshot_rewritten_with_its_digest_is_found_and_not_used(
    snapped: Raw,
) -> None:
    import hashlib

    stored = json.loads(snapped.state(11, "stored_snapshots"))
    state = stored["state"]
    facts = state["facts"]
    assert '"amount":"101.00"' in facts  # the second payment, position 7
    state["facts"] = facts.replace('"amount":"101.00"', '"amount":"1.00"')
    state["digest"] = hashlib.sha256(state["facts"].encode()).hexdigest()
    snapped.set_state(
        11, json.dumps(stored, separators=(",", ":")).encode(), "stored_snapshots"
    )
    assert problems(snapped.target) == [
        (
            7,
            "snapshot",
            "the snapshot at version 11 (positions 6 to 10) differs from the "
            "events at position 7",
        )
    ]
    assert_snapshots_not_used(snapped)


def assert_snapshots_not_used(store: Raw) -> None:
    """A reader gives the answers of the events, and drops the bad snapshot."""
    with Ledger.open(store.target, snapshot_interval=0) as reader:
        balances = reader.balances(CASE, date(2030, 1, 1))
    with Ledger.open(store.target, snapshot_interval=0) as rebuilt:
        rebuilt.rebuild()  # the events alone
        assert balances == rebuilt.balances(CASE, date(2030, 1, 1))
    assert 11 not in store.snapshot_versions()


# --- heads ---------------------------------------------------------------------------------


def test_a_head_written_down_proves_the_history_up_to_it(raw: Raw) -> None:
    with Ledger.open(raw.target) as ledger:
        head = ledger.head(CASE)
        pay(ledger, "1.00", date(2024, 1, 1))
        assert ledger.verify(CASE, against=head).intact
        later = ledger.verify(CASE, against=Head(head.position, "0" * 64))
    assert [(p.position, p.kind) for p in later.problems] == [(FACTS, "against")]


def test_a_history_rewritten_whole_is_found_against_a_head(tmp_path: Path) -> None:
    # A forger who rebuilds the whole store, hashes and head included, passes the
    # store's own checks: only a head kept outside it tells.
    original = Ledger.open(tmp_path / "a.db")
    record_case(original)
    head = original.head(CASE)
    forged = Ledger.open(tmp_path / "b.db")
    open_basic_case(forged)
    for i in range(PAYMENTS):
        pay(forged, "1.00", date(2023, 1, 1 + i))
    assert forged.verify().intact
    report = forged.verify(CASE, against=head)
    assert [(p.position, p.kind) for p in report.problems] == [(FACTS, "against")]


def test_a_head_beyond_the_case_says_facts_were_deleted(raw: Raw) -> None:
    with Ledger.open(raw.target) as ledger:
        report = ledger.verify(CASE, against=Head(FACTS + 3, "a" * 64))
    (problem,) = report.problems
    assert problem.kind == "against" and "fewer than the head's" in problem.message


# --- the command line ------------------------------------------------------------------------


def test_verify_exits_0_on_an_intact_store_and_prints_the_head(
    raw: Raw, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", raw.target, "verify", "--head"]) == 0
    out = capsys.readouterr().out
    with Ledger.open(raw.target) as ledger:
        head = ledger.head(CASE)
    assert f"{CASE}: head {head}" in out
    assert main(["--db", raw.target, "verify", "--head-is", str(head)]) == 0


def test_verify_exits_1_naming_the_case_and_position(
    raw: Raw, capsys: pytest.CaptureFixture[str]
) -> None:
    raw.delete(4)
    assert main(["--db", raw.target, "verify"]) == 1
    captured = capsys.readouterr()
    assert f"{CASE}: BROKEN at position 3: missing" in captured.out
    assert "Traceback" not in captured.err


def test_verify_json_is_one_document_of_its_schema(
    raw: Raw, capsys: pytest.CaptureFixture[str]
) -> None:
    raw.set_state(3, b"garbage")
    assert main(["--db", raw.target, "verify", "--json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["schema"] == "plandebt.verify/1"
    assert document["verify"]["intact"] is False
    (case,) = document["verify"]["cases"]
    assert case["problems"][0]["position"] == 2
    check_schema(document)


def check_schema(document: dict[str, Any]) -> None:
    """The document against src/plandebt/schemas/verify.json (the required keys
    and types of each level: the schema is small enough to walk here)."""
    from importlib.resources import files

    schema = json.loads(files("plandebt").joinpath("schemas/verify.json").read_text())
    validate(document, schema, schema)


def validate(value: Any, schema: dict[str, Any], root: dict[str, Any]) -> None:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        validate(value, root["$defs"][name], root)
        return
    types = schema.get("type")
    if types is not None:
        allowed = types if isinstance(types, list) else [types]
        kinds = {
            "object": dict,
            "array": list,
            "string": str,
            "integer": int,
            "boolean": bool,
            "null": type(None),
        }
        assert any(isinstance(value, kinds[t]) for t in allowed), (value, allowed)
    if "const" in schema:
        assert value == schema["const"]
    if "enum" in schema:
        assert value in schema["enum"]
    if isinstance(value, dict):
        for key in schema.get("required", []):
            assert key in value, key
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                validate(value[key], sub, root)
        if schema.get("additionalProperties") is False:
            assert set(value) <= set(schema.get("properties", {}))
    if isinstance(value, list) and "items" in schema:
        for item in value:
            validate(item, schema["items"], root)


def test_verify_of_a_bad_head_argument_is_a_usage_error(
    raw: Raw, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", raw.target, "verify", "--head-is", "12:xyz"]) == 2
    assert "POSITION:HASH" in capsys.readouterr().err


# --- upgrading a store recorded before the chain -------------------------------------------------


def unchain(raw: Raw) -> None:
    """The store as an earlier plandebt left it: no chain block, no heads."""
    for version in range(2, FACTS + 2):
        state = json.loads(raw.state(version))
        del state["chain"]
        raw.set_state(
            version,
            json.dumps(state, separators=(",", ":"), ensure_ascii=False).encode(),
        )
    raw.run("DELETE FROM T.plandebt_heads")


def test_a_store_recorded_before_the_chain_is_upgraded_by_its_command(
    raw: Raw, capsys: pytest.CaptureFixture[str]
) -> None:
    with Ledger.open(raw.target) as ledger:
        before = [_facts_only(d) for d in ledger.export()]
        balances = ledger.balances(CASE, date(2030, 1, 1))
    unchain(raw)
    assert problems(raw.target) == [
        (
            1,
            "unchained",
            "the case was recorded before the hash chain: run plandebt upgrade "
            "--hash-chain to chain it",
        )
    ]
    with Ledger.open(raw.target) as ledger:
        # Nothing is chained implicitly: a new fact of the case carries no hash.
        pay(ledger, "2.00", date(2024, 2, 1))
        assert "hash" not in list(ledger.export())[-1]
    assert main(["--db", raw.target, "verify"]) == 1
    assert main(["--db", raw.target, "upgrade", "--hash-chain"]) == 0
    assert f"{CASE}: chained {FACTS + 1} facts" in capsys.readouterr().out
    assert main(["--db", raw.target, "verify"]) == 0
    with Ledger.open(raw.target) as ledger:
        after = [_facts_only(d) for d in ledger.export()]
        assert after[:-1] == before
        assert ledger.balances(CASE, date(2030, 1, 1)).position == FACTS + 1
        assert ledger.balances(CASE, date(2030, 1, 1), known_at=FACTS).claims == (
            balances.claims
        )
    # Running it again changes nothing.
    assert main(["--db", raw.target, "upgrade", "--hash-chain"]) == 0
    assert "already chained" in capsys.readouterr().out


def test_an_upgrade_refuses_a_case_whose_chain_is_broken(
    raw: Raw, capsys: pytest.CaptureFixture[str]
) -> None:
    raw.delete(5)
    before = [raw.state(v) for v in (2, 3, 4)]
    assert main(["--db", raw.target, "upgrade", "--hash-chain"]) == 3
    assert "not upgraded" in capsys.readouterr().err
    assert [raw.state(v) for v in (2, 3, 4)] == before


def _facts_only(data: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v for k, v in data.items() if k not in ("prev_hash", "hash", "unverified")
    }


def test_a_start_event_turned_to_garbage_is_reported_never_raised(
    raw: Raw, capsys: pytest.CaptureFixture[str]
) -> None:
    raw.set_state(1, b"\x00garbage")
    with Ledger.open(raw.target) as ledger:
        report = ledger.verify()
    assert not report.intact and report.cases == ()
    (problem,) = report.streams
    assert (problem.case, problem.position) == (f"stream {STREAM}", 0)
    assert main(["--db", raw.target, "verify"]) == 1
    captured = capsys.readouterr()
    assert "BROKEN" in captured.out and "Traceback" not in captured.err
    assert main(["--db", raw.target, "verify", "--json"]) == 1
    check_schema(json.loads(capsys.readouterr().out))


def test_state_stored_as_text_is_reported(raw: Raw) -> None:
    if raw.kind != "sqlite":
        pytest.skip("only SQLite stores a value of another type in a BLOB column")
    raw.run(
        "UPDATE T.stored_events SET state = CAST(state AS TEXT) "
        "WHERE originator_version = 4"
    )
    assert first_problem(raw.target)[:2] == (3, "altered")


def test_the_schema_names_every_kind_of_problem() -> None:
    from importlib.resources import files

    from plandebt.integrity import KINDS

    schema = json.loads(files("plandebt").joinpath("schemas/verify.json").read_text())
    assert schema["$defs"]["problem"]["properties"]["kind"]["enum"] == list(KINDS)


def test_an_event_time_rewritten_in_another_iso_form_is_found(raw: Raw) -> None:
    # The same instant, with a space for the "T": the store must hold what plandebt
    # wrote, byte for byte (found by the byte property on PostgreSQL).
    state = raw.state(3)
    at = state.index(b'"_data_":"') + len(b'"_data_":"') + 10
    assert state[at : at + 1] == b"T"
    raw.set_state(3, state[:at] + b" " + state[at + 1 :])
    assert first_problem(raw.target)[:2] == (2, "altered")
