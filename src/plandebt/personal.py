"""A natural person's data: sealed under a key of their own, erased by destroying it.

The personal fields of a fact (`events.codec.PERSONAL_FIELDS`: a creditor's name and
address, a declaration's description) are stored sealed, each under the key of the
person it is about (one per case and creditor id), kept in a key table of the same
store (`plandebt_person_keys`), made with the person's registration. A fact is
sealed when it is recorded, before its link in the case's hash chain is computed
(`Ledger._link`: the chain hashes what is stored), and opened when it is read, so
the index and the views see clear text, and the stored events hold only ciphertext.
`forget` destroys the person's key: the events are not rewritten (their hashes stay
true), every amount and legal finding is unchanged, and every view shows the fields
as ERASED.

An export gives the fields in clear and each person's key on their registration
(`person_key`), or, for an erased person, the sealed form as stored; a restore takes
the keys and stores the sealed forms as they are, so it reproduces the stored bytes
and proves the same hashes (docs/integrity.md, docs/journal.md).

Sealing is AES-256-GCM (the `cryptography` package, the `plandebt[crypto]` extra).
The nonce is derived from the key, the place of the value (case, person, fact id,
field) and the value (an HMAC-SHA256, as in SIV constructions), so a fact sealed again
gives the same bytes as its stored event: a snapshot cut from facts in memory holds
what the events hold, and an export's hashes are recomputed. Without the extra,
personal fields are stored in clear and `forget` is refused: docs/integrity.md says so.

When the store itself is encrypted (`plandebt.crypto`), the person keys are sealed
with the store's cipher: the key table is no key to the names.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import importlib
import os
import sqlite3
import threading
import weakref
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from eventsourcing.sqlite import SQLiteAggregateRecorder

from plandebt.crypto import key_refused
from plandebt.errors import CipherKeyError, InvalidInputError, UnknownPersonError
from plandebt.events import Fact
from plandebt.events.codec import (
    CORRECTION_KIND,
    PERSONAL_FIELDS,
    SEALED,
    is_sealed_value,
    personal_fields,
    sealed_value,
)

#: What a view shows in place of an erased field.
ERASED = "[erased]"
#: The key table, in the store's own database (SQLite file, PostgreSQL schema).
TABLE = "plandebt_person_keys"
#: Creditor kinds that are legal persons: the right to erasure (RGPD art. 4(1),
#: art. 17) is a natural person's; `forget` refuses these.
LEGAL_PERSON_KINDS = frozenset({"bank", "tax", "social", "group_company", "ags"})
_INSTALL = "pip install 'plandebt[crypto]'"
#: The person keys a journal gives (`person_key`): (case, person) -> (its line, key).
GivenKeys = dict[tuple[str, str], tuple[int, bytes]]
#: The fact that registers a person: their key is made with it.
REGISTRATION_KIND = "creditor.registered"



class Erased(str):
    """An erased personal field as read: shows as ERASED, and keeps the sealed value
    it was stored as, so that a fact re-encoded (a snapshot) stores the same bytes."""

    stored: dict[str, str]

    def __new__(cls, stored: dict[str, str]) -> Erased:
        text = super().__new__(cls, ERASED)
        text.stored = stored
        return text


def _aead_class() -> Any | None:
    try:
        module = importlib.import_module("cryptography.hazmat.primitives.ciphers.aead")
    except ImportError:
        return None
    return module.AESGCM


# --- the key table ------------------------------------------------------------------


class KeyTable:
    """The person keys of one store: (case, person) -> key, or None once destroyed.

    Keys are added inside the write that first seals a field of the person (on the
    write's own cursor, in its transaction), so a key exists exactly when the facts
    sealed with it do. Destroying sets the key to NULL and keeps the row, with the
    time: the person stays known as erased."""

    def __init__(self, app: Any) -> None:
        # The recorder and cipher, not the application: a reference back to it would
        # make a cycle, and an application left unclosed would keep its connections
        # until a collection that may never come (the ledger freezes the collector's
        # generations after a rebuild).
        self.datastore: Any = getattr(app.recorder, "datastore", None)
        self.cipher = app.mapper.cipher
        recorder = app.recorder
        if isinstance(recorder, SQLiteAggregateRecorder):
            self.kind = "sqlite"
        elif hasattr(getattr(recorder, "datastore", None), "schema"):  # PostgreSQL
            self.kind = "postgres"
        else:
            self.kind = "memory"
        self.memory: dict[tuple[str, str], tuple[bytes | None, str | None]] = {}
        if self.kind != "memory":
            blob = "BYTEA" if self.kind == "postgres" else "BLOB"
            with recorder.datastore.transaction(commit=True) as cursor:
                cursor.execute(
                    self._sql(
                        "CREATE TABLE IF NOT EXISTS {table} (case_ref TEXT NOT NULL, "
                        f"person TEXT NOT NULL, key {blob}, erased_at TEXT, "
                        "PRIMARY KEY (case_ref, person))"
                    )
                )

    def _pg_table(self) -> str:
        from psycopg.sql import SQL, Identifier

        schema = self.datastore.schema
        composed = SQL("{}.{}").format(Identifier(schema), Identifier(TABLE))
        text: str = composed.as_string(None)
        return text

    def _sql(self, statement: str) -> str:
        if self.kind == "postgres":
            return statement.replace("{table}", self._pg_table()).replace("?", "%s")
        return statement.replace("{table}", TABLE)

    @staticmethod
    def _cursor(session: Any) -> Any:
        # The write sessions of plandebt.storage: SQLite's holds its cursor as
        # `cursor`, PostgreSQL's as `curs`; the in-memory one has none.
        return getattr(session, "cursor", None) or getattr(session, "curs", None)

    def keys_of(self, case: str, session: Any = None) -> dict[str, bytes | None]:
        """Every person key of the case (None: destroyed), read on the write's
        cursor when a write is under way."""
        if self.kind == "memory":
            with _MEMORY_LOCK:
                rows = [(p, k) for (c, p), (k, _e) in self.memory.items() if c == case]
            return {person: self._unwrap(key) for person, key in rows}
        statement = self._sql("SELECT person, key FROM {table} WHERE case_ref = ?")
        cursor = self._cursor(session) if session is not None else None
        if cursor is not None:
            cursor.execute(statement, (case,))
            rows = cursor.fetchall()
        else:
            with self.datastore.transaction(commit=False) as read:
                read.execute(statement, (case,))
                rows = read.fetchall()
        return {row["person"]: self._unwrap(row["key"]) for row in rows}

    def add(self, session: Any, case: str, person: str, key: bytes | None) -> None:
        """Stores a new person key in the write's transaction (None: a person
        restored as erased, their key destroyed in the store exported)."""
        wrapped = None if key is None else self._wrap(key)
        erased_at = None if key is not None else datetime.now(UTC).isoformat()
        if self.kind == "memory":
            with _MEMORY_LOCK:
                self.memory.setdefault((case, person), (wrapped, erased_at))
            return
        self._cursor(session).execute(
            self._sql(
                "INSERT INTO {table} (case_ref, person, key, erased_at) "
                "VALUES (?, ?, ?, ?)"
            ),
            (case, person, wrapped, erased_at),
        )

    def destroy(self, case: str, person: str) -> None:
        """Destroys a person's key (the row stays, with the time)."""
        at = datetime.now(UTC).isoformat()
        if self.kind == "memory":
            with _MEMORY_LOCK:
                self.memory[(case, person)] = (None, at)
            return
        statement = self._sql(
            "UPDATE {table} SET key = NULL, erased_at = ? "
            "WHERE case_ref = ? AND person = ?"
        )
        if self.kind == "postgres":
            with self.datastore.transaction(commit=True) as cursor:
                cursor.execute(statement, (at, case, person))
            return
        # SQLite: the destroyed key must not survive in a free page or the write-ahead
        # log: the old bytes are zeroed (secure_delete), the log folded into the file
        # and the file rewritten. A reader of another process can keep VACUUM from
        # running; the key is destroyed all the same (its page was zeroed).
        with self.datastore.get_connection(commit=True) as conn:
            raw = conn._sqlite_conn
            raw.execute("PRAGMA secure_delete = ON")
            try:
                raw.execute("BEGIN IMMEDIATE")
                raw.execute(statement, (at, case, person))
                raw.execute("COMMIT")
            except BaseException:
                raw.rollback()
                raise
            finally:
                raw.execute("PRAGMA secure_delete = OFF")
            with contextlib.suppress(sqlite3.Error):
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                raw.execute("VACUUM")
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _wrap(self, key: bytes) -> bytes:
        cipher = self.cipher
        return key if cipher is None else bytes(cipher.encrypt(key))

    def _unwrap(self, stored: bytes | None) -> bytes | None:
        if stored is None:
            return None
        cipher = self.cipher
        if cipher is None:
            return bytes(stored)
        try:
            return bytes(cipher.decrypt(bytes(stored)))
        except ValueError as e:
            raise key_refused(self.cipher) from e


_MEMORY_LOCK = threading.Lock()


# --- sealing and opening fields ---------------------------------------------------


class PersonalData:
    """Seals the personal fields of facts written to one store and opens those read
    from it, with the store's person keys (`KeyTable`)."""

    def __init__(self, app: Any) -> None:
        self.table = KeyTable(app)
        self.aead = _aead_class()
        self._keys: dict[str, dict[str, bytes | None]] = {}  # case -> person -> key
        self._lock = threading.Lock()
        # The keys a write read on its own cursor, for as long as its session lives.
        self._in_write: weakref.WeakKeyDictionary[
            Any, dict[str, dict[str, bytes | None]]
        ]
        self._in_write = weakref.WeakKeyDictionary()

    # --- writing ---

    def seal(
        self, state: Any, data: dict[str, Any], session: Any = None
    ) -> dict[str, Any]:
        """The stored form of a fact in journal form: each personal field sealed
        under its person's key. In a write (`session`), a person without a key gets
        one, stored in the write's transaction; outside one (a snapshot re-encoding
        stored facts), a field whose person has no key stays as it is (a fact
        stored before personal fields were sealed)."""
        kind = data["kind"]
        if kind == CORRECTION_KIND:
            return self._seal_correction(state, data, session)
        spec = personal_fields(kind)
        if spec is None:
            return data
        person_field, fields = spec
        if not any(data.get(f) is not None for f in fields):
            return data
        sealed = dict(data)
        person = data[person_field]
        # A person's key is made with their registration only: a creditor
        # registered in clear (before sealing, or without the extra) keeps every
        # field in clear, so that sealing a fact again always gives its stored form.
        keyed_here = kind == REGISTRATION_KIND
        for field in fields:
            if data.get(field) is not None:
                sealed[field] = self._seal_value(
                    data["case"],
                    person,
                    data["id"],
                    field,
                    data[field],
                    session if keyed_here else None,
                    session,
                )
        return sealed

    def _seal_correction(
        self, state: Any, data: dict[str, Any], session: Any
    ) -> dict[str, Any]:
        target = state.at(data["corrects"]) if state is not None else None
        spec = personal_fields(target.kind) if target is not None else None
        if spec is None:
            return data
        person_field, fields = spec
        changes = data.get("changes") or {}
        if not any(changes.get(f) is not None for f in fields):
            return data
        person = getattr(target, person_field)
        new_changes = dict(changes)
        for field in fields:
            if changes.get(field) is not None:
                new_changes[field] = self._seal_value(
                    data["case"],
                    person,
                    data["id"],
                    f"changes.{field}",
                    changes[field],
                    None,
                    session,
                )
        return {**data, "changes": new_changes}

    def _seal_value(
        self,
        case: str,
        person: str,
        fact_id: str,
        field: str,
        value: Any,
        keying: Any,
        session: Any,
    ) -> Any:
        """`value` sealed under the person's key. `keying`: the write session in
        which a person without a key gets one (None: they keep their field in
        clear); `session`: the write under way, if any."""
        if isinstance(value, Erased):
            if session is not None and person not in self._session_keys(
                case, session
            ):
                # A restore of an erased person's sealed field: known as erased.
                self.table.add(session, case, person, None)
                self._session_keys(case, session)[person] = None
            return value.stored
        if self.aead is None or not isinstance(value, str):
            return value  # no cipher installed: stored in clear (see the docstring)
        keys = self._session_keys(case, session)
        if person not in keys and session is None:  # added since: read again
            keys = self._cached_keys(case, again=True)
        if person in keys and keys[person] is None:
            raise InvalidInputError(
                field,
                value,
                f"person {person!r} of case {case!r} was erased (plandebt forget): "
                "their data is not recorded again",
            )
        key = keys.get(person)
        if key is None:
            if keying is None:
                return value  # a person registered in clear: kept in clear
            key = os.urandom(32)
            self.table.add(keying, case, person, key)
            keys[person] = key
        context = _context(case, person, fact_id, field)
        plain = value.encode("utf8")
        nonce = hmac.new(key, context + b"\x00" + plain, hashlib.sha256).digest()[:12]
        sealed = nonce + self.aead(key).encrypt(nonce, plain, context)
        return sealed_value(person, base64.b64encode(sealed).decode("ascii"))

    def _session_keys(self, case: str, session: Any) -> dict[str, bytes | None]:
        # In a write, the keys are read again on the write's cursor, under the
        # case's write lock: a key another writer added, or destroyed, is seen.
        if session is not None:
            keys = self._in_write.setdefault(session, {})
            if case not in keys:
                keys[case] = self.table.keys_of(case, session)
                with self._lock:
                    self._keys.pop(case, None)
            result: dict[str, bytes | None] = keys[case]
            return result
        return self._cached_keys(case)

    def adopt(self, session: Any, case: str, person: str, key: bytes) -> None:
        """Takes `key` as the person's key in the case, in the write under way (a
        journal line's `person_key`: a restore seals their fields into the bytes
        the exported store held). A case that already holds another key for them,
        or erased them, is refused; without the extra, the journal cannot be sealed
        as it was (an environment problem, not the journal's)."""
        if self.aead is None:
            raise CipherKeyError(
                f"the journal gives person keys of sealed personal data: {_INSTALL} "
                "to record it"
            )
        keys = self._session_keys(case, session)
        if person in keys:
            if keys[person] == key:
                return
            state = "erased" if keys[person] is None else "another key for"
            raise InvalidInputError(
                "person_key",
                "(a key)",
                f"case {case!r} of this store already holds {state} person "
                f"{person!r}: a person's key is given once, before their data",
            )
        self.table.add(session, case, person, key)
        keys[person] = key

    def key_of(self, case: str, person: str) -> bytes | None:
        """The person's key in the case (None: none, or destroyed)."""
        return self._cached_keys(case).get(person)

    # --- reading ---

    def open(self, data: Mapping[str, Any]) -> Mapping[str, Any]:
        """A stored fact with its personal fields in clear (ERASED, as an `Erased`,
        where the person's key was destroyed)."""
        return _opened(data, self._open_value)

    def _open_value(self, data: Mapping[str, Any], field: str, value: Any) -> Any:
        if not is_sealed_value(value):
            return value
        case, person = data["case"], value["person"]
        keys = self._cached_keys(case)
        if person not in keys:  # added by another writer since: read again
            keys = self._cached_keys(case, again=True)
        key = keys.get(person)
        if key is None:
            return Erased(value)
        if self.aead is None:
            raise CipherKeyError(
                f"the store holds sealed personal data: {_INSTALL} to read it"
            )
        context = _context(case, person, data["id"], field)
        try:
            sealed = base64.b64decode(value["sealed"])
            plain = self.aead(key).decrypt(sealed[:12], sealed[12:], context)
        except Exception:  # a damaged value: shown erased, never a crash
            return Erased(value)
        return plain.decode("utf8")

    def _cached_keys(self, case: str, again: bool = False) -> dict[str, bytes | None]:
        with self._lock:
            keys = None if again else self._keys.get(case)
        if keys is None:
            keys = self.table.keys_of(case)
            with self._lock:
                self._keys[case] = keys
        return keys

    # --- erasure ---

    def persons(self, case: str) -> dict[str, bytes | None]:
        return self._cached_keys(case, again=True)

    def forget(self, case: str, person: str) -> None:
        """Destroys the person's key in the case."""
        if self.aead is None:
            raise CipherKeyError(
                f"erasure needs sealed personal data, which needs {_INSTALL}"
            )
        self.table.destroy(case, person)
        with self._lock:
            self._keys.pop(case, None)


def _opened(
    data: Mapping[str, Any], open_value: Callable[[Mapping[str, Any], str, Any], Any]
) -> Mapping[str, Any]:
    """`data` with each sealed personal field replaced by `open_value(data, field,
    value)`."""
    kind = data.get("kind")
    if kind == CORRECTION_KIND:
        changes = data.get("changes")
        if isinstance(changes, dict) and any(
            is_sealed_value(v) for v in changes.values()
        ):
            opened = {
                field: open_value(data, f"changes.{field}", value)
                for field, value in changes.items()
            }
            return {**data, "changes": opened}
        return data
    spec = personal_fields(kind) if isinstance(kind, str) else None
    if spec is None:
        return data
    fields = [f for f in spec[1] if is_sealed_value(data.get(f))]
    if not fields:
        return data
    out = dict(data)
    for field in fields:
        out[field] = open_value(data, field, data[field])
    return out


def stored_form(data: dict[str, Any]) -> dict[str, Any]:
    """A fact's journal form with each erased field back in the sealed form it is
    stored as (an export shows an erased person so: a restore stores it again)."""
    out = {k: _as_stored(v) for k, v in data.items()}
    changes = out.get("changes")
    if isinstance(changes, dict):
        out["changes"] = {k: _as_stored(v) for k, v in changes.items()}
    return out


def read_stored(data: Mapping[str, Any]) -> tuple[Fact, dict[str, Any]]:
    """A stored fact read without opening its sealed fields (shown erased), and its
    stored form in the codec's order and form: what its hash covers."""
    fact = Fact.from_stored(redacted(data))
    return fact, stored_form(fact.to_dict())


def _as_stored(value: Any) -> Any:
    if isinstance(value, Erased):
        return sealed_value(value.stored["person"], value.stored[SEALED])
    return value


def registered_key(handler: PersonalData, fact: Any) -> str | None:
    """The key (base64) a creditor's registration is exported with, if their
    fields are sealed under a key not destroyed (`Ledger.export`)."""
    if fact.kind != REGISTRATION_KIND:
        return None
    key = handler.key_of(fact.case, fact.creditor)
    return None if key is None else base64.b64encode(key).decode("ascii")


#: The length of a person key (AES-256), in bytes.
KEY_BYTES = 32


def given_key(data: dict[str, Any], line: int, keys: GivenKeys) -> None:
    """Takes a journal line's `person_key` out of `data` into `keys`: allowed on a
    creditor's registration only, 32 bytes in base64, given once a person."""
    value = data.pop("person_key", None)
    if value is None:
        return
    if data.get("kind") != REGISTRATION_KIND:
        raise InvalidInputError(
            "person_key", "(a key)", "goes on a creditor.registered line only"
        )
    try:
        key = base64.b64decode(value, validate=True) if isinstance(value, str) else b""
    except ValueError:
        key = b""
    if len(key) != KEY_BYTES:
        raise InvalidInputError(
            "person_key",
            "(a key)",
            f"must be {KEY_BYTES} bytes in base64, as an export writes it",
        )
    case, person = data.get("case"), data.get("creditor")
    if not isinstance(case, str) or not isinstance(person, str):
        return  # the line is refused for its missing case or creditor
    known = keys.get((case, person))
    if known is not None and known[1] != key:
        raise InvalidInputError(
            "person_key",
            "(a key)",
            f"creditor {person!r} of case {case!r} was given another key on line "
            f"{known[0]}",
        )
    keys[(case, person)] = (line, key)


def from_journal(data: dict[str, Any]) -> dict[str, Any]:
    """A journal line's fields with each sealed personal field (an erased person's,
    as an export writes it) read as `Erased`; a malformed one, or one sealed for
    another person than the fact's, is refused naming the field."""
    kind = data.get("kind")
    person: Any = None
    if kind == CORRECTION_KIND:
        values = data.get("changes")
        where = "changes."
    else:
        spec = personal_fields(kind) if isinstance(kind, str) else None
        values = data if spec is not None else None
        person = data.get(spec[0]) if spec is not None else None
        where = ""
    if not isinstance(values, dict) or not any(
        isinstance(v, dict) for v in values.values()
    ):
        return data
    # A correction's target is not known here: any personal field's name.
    fields = (
        {f for spec in PERSONAL_FIELDS.values() for f in spec[1]}
        if kind == CORRECTION_KIND
        else set(PERSONAL_FIELDS[str(kind)][1])
    )
    opened = dict(values)
    for field in fields:
        value = values.get(field)
        if not isinstance(value, dict):
            continue
        name = f"{where}{field}"
        if set(value) != {SEALED, "person"} or not all(
            isinstance(v, str) for v in value.values()
        ):
            raise InvalidInputError(
                name,
                value,
                'must be text, or a sealed value {"sealed": ..., "person": ...} '
                "as an export writes an erased person's field",
            )
        if person is not None and value["person"] != person:
            raise InvalidInputError(
                name,
                value["person"],
                f"is sealed for another person than the fact's ({person!r})",
            )
        try:
            base64.b64decode(value[SEALED], validate=True)
        except ValueError:
            raise InvalidInputError(
                name, value[SEALED], "its sealed value is not base64"
            ) from None
        opened[field] = Erased(sealed_value(value["person"], value[SEALED]))
    if kind == CORRECTION_KIND:
        return {**data, "changes": opened}
    return opened


def redacted(data: Mapping[str, Any]) -> Mapping[str, Any]:
    """A stored fact with its sealed personal fields shown as ERASED, unopened (for
    a reader that needs none of them: the SQL view of movements)."""
    return _opened(data, _unopened)


def _unopened(_data: Mapping[str, Any], _field: str, value: Any) -> Any:
    return Erased(value) if is_sealed_value(value) else value


def _context(case: str, person: str, fact_id: str, field: str) -> bytes:
    """What a sealed value is bound to (GCM's associated data): it cannot be moved
    to another case, person, fact or field and still open."""
    return "\x00".join((case, person, fact_id, field)).encode("utf8")


def of(app: Any) -> PersonalData:
    """The personal data handler of an application (made on first use)."""
    handler: PersonalData | None = app.__dict__.get("_personal")
    if handler is None:
        handler = app.__dict__["_personal"] = PersonalData(app)
    return handler


def forget(ledger: Any, person: str, case: str | None) -> list[str]:
    """What `Ledger.forget` does: checks that `person` is a creditor of the case
    (or of some case) and a possible natural person, then destroys their key in each.
    Nothing is destroyed if any check fails."""
    refs = [case] if case is not None else ledger.cases()
    found: list[str] = []
    for ref in refs:
        state = ledger.index(ref).state
        registered = state.creditor(person)
        if registered is None:
            continue
        kind = registered.creditor_kind.value
        if kind in LEGAL_PERSON_KINDS:
            raise InvalidInputError(
                "person",
                person,
                f"is a {kind} creditor of case {ref!r}, a legal person: the right to "
                "erasure (RGPD art. 17) is a natural person's",
            )
        found.append(ref)
    if not found:
        where = f"case {case!r}" if case is not None else "any case of the store"
        raise UnknownPersonError("person", person, f"is no creditor of {where}")
    handler = of(ledger.app)
    for ref in found:
        keys = handler.persons(ref)
        if person not in keys:
            raise InvalidInputError(
                "person",
                person,
                f"has no personal key in case {ref!r}: their data was recorded in "
                "clear (before sealing, or without plandebt[crypto]) and cannot be "
                "erased without rewriting the events",
            )
    for ref in found:
        if handler.persons(ref).get(person) is not None:
            handler.forget(ref, person)
    return found
