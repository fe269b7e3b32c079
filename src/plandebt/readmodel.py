"""The persisted read model: what `balances` reads of a case, stored next to its
events, so that a fresh process (a CLI command) answers without replaying the case.

What is stored is exactly what the in-memory index prepares for the balances of a
stable case (`projections.balances.ClaimRows`: every claim's rows, its declaration,
its creditor's registration and when it was recorded, and the case's opening and
conversions), and the answers are computed from it by the same functions
(`balances.answer`), at any `as_of` and any `known_at` up to the position stored.
tests/test_readmodel.py checks it against a replay over generated histories.

It is keyed by position, with a digest: the model of a case holds the stream version
it was made at and the SHA-256 of the stored state of the case's event at that
version. Before it answers, the case's last stored event is read: if its version or
digest differ (facts arrived since, or the store was rewritten), the model is not
used, the case is replayed, and the model is stored again for the new head. A case
in which a fact the balances read was corrected or voided is not modelled (it is
replayed): the rows of such a claim depend on the position in ways a prefix does
not capture. SQLite and PostgreSQL stores keep their models in a table of their
own (`plandebt_read_model`, in the store's schema on PostgreSQL); memory stores
replay as before.

A creditor's name is kept as the store keeps it: sealed under the person's key
(`plandebt.personal`), with its registration's id, and opened when the model is
loaded, so the model holds no name in clear and a person forgotten since shows
erased. An encrypted store (`plandebt.crypto`) keeps no model: its table is not
encrypted, and would hold the amounts and dates the events hide.
"""

from __future__ import annotations

import gc
import hashlib
import json
import sqlite3
from bisect import bisect_right
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from eventsourcing.persistence import PersistenceError

from plandebt import personal
from plandebt.events import CaseConverted, CaseOpened, CreditorKind, Rank
from plandebt.money import Money
from plandebt.personal import REGISTRATION_KIND, PersonalData
from plandebt.projections.balances import (
    Balances,
    ClaimBalance,
    ClaimRows,
    Declared,
    answer,
    prepared_rows,
)
from plandebt.projections.index import CaseIndex, KnownAt

TABLE = "plandebt_read_model"
#: The layout of the stored body; a model of another layout is not read.
LAYOUT = 3

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

#: A procedure fact as the balances read it: (procedure, effective on, seq).
Procedure = tuple[str, date, int]


class Model:
    """A case's read model, as loaded: answers `balances` at any (as_of, known_at)
    up to `head`."""

    def __init__(
        self,
        case: str,
        version: int,
        digest: str,
        head: int,
        procedure: list[Procedure],
        claims: list[tuple[str, ClaimRows]],
        recorded: str,
    ) -> None:
        self.case = case
        self.version = version
        self.digest = digest
        self.head = head
        self.procedure = procedure
        self.claims = claims
        self._recorded_text = recorded
        self._recorded: list[datetime] | None = None

    def recorded(self) -> list[datetime]:
        """Recording times by position (read on first use: only a datetime
        `known_at` needs them)."""
        if self._recorded is None:
            self._recorded = [
                _EPOCH + timedelta(microseconds=us)
                for us in json.loads(self._recorded_text)
            ]
        return self._recorded

    def position(self, known_at: KnownAt) -> int | None:
        """The position `known_at` names, as `CaseState.position` says; None when
        the model cannot say it as the index would (an invalid value, whose error
        the index raises, or a time no recording has passed yet, for which the
        ledger first waits for writers)."""
        if known_at is None:
            return self.head
        if isinstance(known_at, bool):
            return None
        if isinstance(known_at, int):
            return min(known_at, self.head) if known_at >= 0 else None
        if not isinstance(known_at, datetime) or known_at.tzinfo is None:
            return None
        recorded = self.recorded()
        if not recorded or known_at >= recorded[-1]:
            return None
        return bisect_right(recorded, known_at)

    def balances(self, as_of: date, known_at: KnownAt) -> Balances | None:
        position = self.position(known_at)
        if position is None:
            return None
        opened_on: date | None = None
        current: Procedure | None = None
        for i, entry in enumerate(self.procedure):
            _procedure, effective_on, seq = entry
            if seq > position:
                continue
            if i == 0:
                opened_on = effective_on
            # As `procedure_in_force`: the latest by (effective date, seq).
            if effective_on <= as_of and (
                current is None or (effective_on, seq) >= (current[1], current[2])
            ):
                current = entry
        rows: list[ClaimBalance] = []
        for claim, prepared in self.claims:
            balance = answer(prepared, claim, as_of, position)
            if balance is not None:
                rows.append(balance)
        return Balances(
            case=self.case,
            as_of=as_of,
            known_at=known_at,
            position=position,
            procedure=current[0] if current else None,
            opened_on=opened_on,
            claims=tuple(rows),
        )


# --- storing ---------------------------------------------------------------------------


def body_of(index: CaseIndex, people: PersonalData) -> tuple[str, str] | None:
    """The stored form of the case's model at its head (body, recording times), or
    None when the case is not modelled (see the module's docstring). Names are
    sealed by `people` as the events hold them."""
    procedure = []
    for fact_id in index.state.procedure:
        versions = index.versions.get(fact_id, [])
        fact = versions[0][1] if len(versions) == 1 else None
        if not isinstance(fact, CaseOpened | CaseConverted):
            return None
        procedure.append(
            [fact.procedure.value, fact.effective_on.toordinal(), fact.seq or 0]
        )
    if not procedure or not isinstance(index.opening(), CaseOpened):
        return None
    claims = []
    names: dict[int | None, Any] = {}
    for claim in index.claims:
        prepared = prepared_rows(index, claim)
        if prepared is None or not prepared.stable:
            return None
        seq = prepared.creditor_seq
        if seq not in names:  # sealed once a creditor, not once a claim
            names[seq] = _stored_name(index, prepared, people)
        claims.append(_claim_body(claim, prepared, names[seq]))
    body = {"case": index.case, "head": index.head, "procedure": procedure}
    body["claims"] = claims
    recorded = [_micros(at) for at in index.state.recorded]
    return (
        json.dumps(body, separators=(",", ":")),
        json.dumps(recorded, separators=(",", ":")),
    )


def _micros(at: datetime) -> int:
    return (at - _EPOCH) // timedelta(microseconds=1)


def _stored_name(index: CaseIndex, prepared: ClaimRows, people: PersonalData) -> Any:
    """The claim's creditor's name in its stored form, and its registration's id
    (what opening it needs), or None when the creditor is not registered."""
    seq = prepared.creditor_seq
    if prepared.creditor is None or seq is None:
        return None
    fact = index.state.log[seq - 1]
    stored = people.seal(index.state, fact.to_dict())
    return [stored.get("name"), fact.id]


def _claim_body(claim: str, prepared: ClaimRows, name: Any) -> list[Any]:
    declared, creditor = prepared.declared, prepared.creditor
    assert declared is not None and prepared.opened_on is not None
    rows = prepared.rows
    steps = {
        str(i): [
            row[2].toordinal(),
            step[0],
            step[1],
            step[2],
            None if step[3] is None else [step[3].cents, step[3].currency],
            None if step[4] is None else step[4].value,
        ]
        for i, row in enumerate(rows)
        if (step := row[6]) is not None
    }
    return [
        claim,
        declared.creditor,
        declared.amount.cents,
        declared.amount.currency,
        declared.rank.value,
        declared.origin_on.toordinal(),
        declared.declared_on.toordinal(),
        prepared.opened_on.toordinal(),
        None if creditor is None or name is None else [*name, creditor[1].value],
        prepared.creditor_seq,
        [row[0] for row in rows],
        [row[1].toordinal() for row in rows],
        [row[3] for row in rows],
        [row[4] for row in rows],
        _joined([row[5] for row in rows]),
        steps,
    ]


#: Fact ids are stored as one string per claim, joined by this character (one
#: string parses much faster than hundreds), unless an id holds it.
_SEPARATOR = "\x1f"


def _joined(ids: list[str]) -> str | list[str]:
    if any(_SEPARATOR in i for i in ids):
        return ids
    return _SEPARATOR.join(ids)


def digest_of(state: bytes) -> str:
    return hashlib.sha256(state).hexdigest()


# --- the store ----------------------------------------------------------------------------


class _Dialect:
    """The model's table in one kind of store: its name and the statements."""

    def __init__(self, table: str, mark: str, upsert: str) -> None:
        self.create = (
            f"CREATE TABLE IF NOT EXISTS {table} ("
            "case_ref TEXT PRIMARY KEY, version INTEGER NOT NULL, "
            "digest TEXT NOT NULL, layout INTEGER NOT NULL, body TEXT NOT NULL, "
            "recorded TEXT NOT NULL)"
        )
        marks = ", ".join([mark] * 6)
        self.store = f"{upsert} {table} VALUES ({marks})"
        self.read = (
            "SELECT version, digest, layout, body, recorded "
            f"FROM {table} WHERE case_ref = {mark}"
        )


_SQLITE = _Dialect(TABLE, "?", "INSERT OR REPLACE INTO")
_FIELDS = ("version", "digest", "layout", "body", "recorded")


def _postgres(schema: str) -> _Dialect:
    dialect = _Dialect(f"{schema}.{TABLE}", "%s", "INSERT INTO")
    dialect.store += (
        " ON CONFLICT (case_ref) DO UPDATE SET version = EXCLUDED.version, "
        "digest = EXCLUDED.digest, layout = EXCLUDED.layout, body = EXCLUDED.body, "
        "recorded = EXCLUDED.recorded"
    )
    return dialect


def _store(app: Any) -> tuple[Any, _Dialect] | None:
    """The datastore of the application's recorder and the model's statements in
    it, or None (memory: no model)."""
    if app.mapper.cipher is not None:  # encrypted: no clear copy beside it
        return None
    datastore: Any = getattr(app.recorder, "datastore", None)
    kind = type(datastore).__name__
    if kind == "SQLiteDatastore":
        return datastore, _SQLITE
    if kind == "PostgresDatastore":
        # The schema was checked when the store was opened (`limits.check_schema`).
        return datastore, _postgres(datastore.schema)
    return None


def _failures() -> tuple[type[BaseException], ...]:
    """What a store may raise when the model's table is missing, busy or read-only."""
    try:
        import psycopg
    except ImportError:
        return (sqlite3.Error, PersistenceError)
    return (sqlite3.Error, PersistenceError, psycopg.Error)


def _last_event(app: Any, case: str) -> tuple[int, str] | None:
    from plandebt.storage import CaseStream

    last = app.recorder.select_events(CaseStream.create_id(case), desc=True, limit=1)
    if not last:
        return None
    return last[0].originator_version, digest_of(last[0].state)


def persist(app: Any, index: CaseIndex) -> bool:
    """Stores the model of the case at its head, if the store keeps models and the
    head is still the store's; True if it was stored. A store that cannot be
    written to (read-only, busy) keeps its older model, which will not be used."""
    store = _store(app)
    if store is None:
        return False
    datastore, dialect = store
    last = _last_event(app, index.case)
    # The stream's version is the number of facts plus its start event.
    if last is None or last[0] != index.head + 1:
        return False
    made = body_of(index, personal.of(app))
    if made is None:
        return False
    body, recorded = made
    try:
        with datastore.transaction(commit=True) as cursor:
            cursor.execute(dialect.create)
            cursor.execute(
                dialect.store, (index.case, last[0], last[1], LAYOUT, body, recorded)
            )
    except _failures():
        return False
    return True


def _row(
    app: Any, case: str, reading: bool = True
) -> tuple[tuple[int, str], list[Any] | None] | None:
    """The store's head (version, digest) and, when `reading`, the case's stored
    model row (version, digest, layout, body, recorded), or None when the store
    keeps no model or the case has no event."""
    store = _store(app)
    if store is None:
        return None
    datastore, dialect = store
    last = _last_event(app, case)
    if last is None:
        return None
    if not reading:
        return last, None
    try:
        with datastore.transaction(commit=False) as cursor:
            cursor.execute(dialect.read, (case,))
            found = cursor.fetchone()
    except _failures():  # no table yet
        return last, None
    if found is None:
        return last, None
    # PostgreSQL's rows are dicts, SQLite's tuples.
    row = [found[f] for f in _FIELDS] if isinstance(found, dict) else list(found)
    return last, row


def stored(app: Any, case: str) -> tuple[int, str, str] | None:
    """The case's stored model as it would be used — (version, body, recording
    times) — if it is that of the store's head, else None (`verify` compares it
    with what a replay makes)."""
    read = _row(app, case)
    if read is None:
        return None
    last, row = read
    if row is None or (row[0], row[1], row[2]) != (*last, LAYOUT):
        return None
    return row[0], row[3], row[4]


def load(app: Any, case: str, known: Model | None = None) -> Model | None:
    """The case's model if it is that of the store's head (`known`, a model loaded
    before, is reused while it is), else None."""
    read = _row(app, case, reading=known is None)
    if read is None:
        return None
    (version, digest), row = read
    if known is not None and (known.version, known.digest) == (version, digest):
        return known
    if row is None and known is not None:  # the known model is not the head's
        again = _row(app, case)
        row = None if again is None else again[1]
    if row is None or (row[0], row[1], row[2]) != (version, digest, LAYOUT):
        return None
    # Many small objects and no cycles: the cyclic collector would only walk them.
    collecting = gc.isenabled()
    gc.disable()
    try:
        opened = personal.of(app).open
        model = _model(case, version, digest, json.loads(row[3]), row[4], opened)
    finally:
        if collecting:
            gc.enable()
    # It lives as long as the ledger and holds no cycles (as after a rebuild).
    gc.freeze()
    return model


def _opened_name(
    case: str,
    registered: list[Any],
    opened: Callable[[Mapping[str, Any]], Mapping[str, Any]],
) -> str:
    """A stored name, opened (erased if its person was forgotten)."""
    name, fact_id = registered[0], registered[1]
    if not isinstance(name, dict):
        return str(name)  # stored in clear (see plandebt.personal)
    data = {"kind": REGISTRATION_KIND, "case": case, "id": fact_id, "name": name}
    return str(opened(data)["name"])


class _Days(dict[int, date]):
    """Dates by ordinal, each made once (a case has few distinct dates)."""

    def __missing__(self, ordinal: int) -> date:
        on = self[ordinal] = date.fromordinal(ordinal)
        return on


def _model(
    case: str,
    version: int,
    digest: str,
    body: dict[str, Any],
    recorded: str,
    opened: Callable[[Mapping[str, Any]], Mapping[str, Any]],
) -> Model:
    day = _Days().__getitem__
    names: dict[str, str] = {}  # by registration id: a creditor's claims open it once

    def name_of(registered: list[Any]) -> str:
        found = names.get(registered[1])
        if found is None:
            found = names[registered[1]] = _opened_name(case, registered, opened)
        return found

    procedure = [(p, day(o), seq) for p, o, seq in body["procedure"]]
    claims = []
    for item in body["claims"]:
        (
            claim,
            creditor,
            cents,
            currency,
            rank,
            origin,
            declared_on,
            opened_on,
            registered,
            creditor_seq,
            columns,
            ordinals,
            seqs,
            amounts,
            ids,
            steps,
        ) = item
        if isinstance(ids, str):
            ids = ids.split(_SEPARATOR)
        kept: dict[int, Any] = {}
        for i, (effective, status, valuation, ref, admitted, at_rank) in sorted(
            (int(i), step) for i, step in steps.items()
        ):
            kept[i] = (
                day(effective),
                (
                    status,
                    valuation,
                    ref,
                    None if admitted is None else Money._of(admitted[0], admitted[1]),
                    None if at_rank is None else Rank(at_rank),
                ),
            )
        prepared = ClaimRows(
            (),
            None,
            True,
            Declared(
                creditor,
                Money._of(cents, currency),
                Rank(rank),
                day(origin),
                day(declared_on),
            ),
            day(opened_on),
            None
            if registered is None
            else (name_of(registered), CreditorKind(registered[2])),
            creditor_seq,
            (columns, list(map(day, ordinals)), seqs, amounts, ids, kept),
        )
        claims.append((claim, prepared))
    return Model(case, version, digest, body["head"], procedure, claims, recorded)
