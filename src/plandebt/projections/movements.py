"""A materialised view of money movements in SQL (SQLite or PostgreSQL), for queries
across a whole portfolio without loading every case.

One row per (fact, claim, bucket): what a fact adds to a claim's declared, paid,
remitted, written-off, subrogated or interest column, with its effective date and its
recording position (case, seq) and time. A correction adds the reversal of the old
version's rows and the rows of the new one, both at the correction's position; a void
adds the reversal. So a sum over rows with `effective_on <= D` and
`seq <= K` (or `recorded_at <= K`) is the view as of D as known at K.

The view follows the event log exactly once: it keeps the last notification id it
applied in a tracking table, updated in the same transaction as the rows, so a crash
loses nothing and applies nothing twice; `catch_up()` resumes from there. The
in-memory projections define what these sums mean; tests compare the two over
generated histories.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from plandebt.errors import StorageError
from plandebt.events import Fact
from plandebt.storage import STARTED_TOPIC

if TYPE_CHECKING:
    from plandebt.ledger import Ledger

#: The columns of a claim's balance the view adds up, and the fact kinds feeding them.
BUCKETS = ("declared", "paid", "remitted", "written_off", "subrogated", "interest")
_FEEDS = {
    "claim.declared": ("declared", "claim", 1),
    "payment.made": ("paid", "claim", 1),
    "remission.granted": ("remitted", "claim", 1),
    "claim.written_off": ("written_off", "claim", 1),
    "claim.waiver_revived": ("written_off", "claim", -1),
    "ags.advanced": ("subrogated", "employee_claim", 1),
    "claim.interest_accrued": ("interest", "claim", 1),
}

_SCHEMA = [
    """CREATE TABLE IF NOT EXISTS plandebt_movements (
        case_ref TEXT NOT NULL, seq INTEGER NOT NULL, recorded_at TEXT NOT NULL,
        fact_id TEXT NOT NULL, claim TEXT NOT NULL, creditor TEXT NOT NULL,
        bucket TEXT NOT NULL, effective_on TEXT NOT NULL, cents BIGINT NOT NULL)""",
    """CREATE INDEX IF NOT EXISTS plandebt_movements_case
        ON plandebt_movements (case_ref, claim)""",
    """CREATE INDEX IF NOT EXISTS plandebt_movements_fact
        ON plandebt_movements (fact_id)""",
    """CREATE TABLE IF NOT EXISTS plandebt_facts (
        fact_id TEXT PRIMARY KEY, case_ref TEXT NOT NULL, payload TEXT)""",
    """CREATE TABLE IF NOT EXISTS plandebt_claims (
        case_ref TEXT NOT NULL, claim TEXT NOT NULL, creditor TEXT NOT NULL,
        PRIMARY KEY (case_ref, claim))""",
    """CREATE TABLE IF NOT EXISTS plandebt_tracking (
        name TEXT PRIMARY KEY, position BIGINT NOT NULL)""",
]


class _Batch:
    """The rows a page of the log adds, written together."""

    def __init__(self) -> None:
        self.claims: list[tuple[Any, ...]] = []
        self.movements: list[tuple[Any, ...]] = []
        self.payloads: list[tuple[Any, ...]] = []

    def clear(self) -> None:
        self.claims.clear()
        self.movements.clear()
        self.payloads.clear()


class MovementsView:
    """The money-movements table of a store, in a SQLite file or a PostgreSQL
    schema ("postgresql://user@host/db?schema=name")."""

    def __init__(self, target: str) -> None:
        self.target = target
        self._creditors: dict[tuple[str, str], str] = {}  # (case, claim) -> creditor
        self._pg = target.startswith(("postgresql://", "postgres://"))
        try:
            if self._pg:
                import psycopg
                import psycopg.sql

                from plandebt.storage import postgres_environment

                env = postgres_environment(target)
                self._conn: Any = psycopg.connect(
                    dbname=env["POSTGRES_DBNAME"],
                    host=env["POSTGRES_HOST"],
                    port=env["POSTGRES_PORT"],
                    user=env["POSTGRES_USER"],
                    password=env["POSTGRES_PASSWORD"] or None,
                    connect_timeout=5,
                )
                if "POSTGRES_SCHEMA" in env:
                    # A quoted identifier: any schema name is just a name.
                    self._conn.execute(
                        psycopg.sql.SQL("SET search_path TO {}").format(
                            psycopg.sql.Identifier(env["POSTGRES_SCHEMA"])
                        )
                    )
                    self._conn.commit()
            else:
                self._conn = sqlite3.connect(target)
            with self._transaction() as cur:
                for statement in _SCHEMA:
                    cur.execute(statement)
        except Exception as e:
            raise StorageError(f"cannot open the movements view {target!r}: {e}") from e

    def close(self) -> None:
        self._conn.close()

    # --- SQL helpers -----------------------------------------------------------------

    def _sql(self, text: str) -> str:
        return text.replace("?", "%s") if self._pg else text

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        cur = self._conn.cursor()
        try:
            yield cur
        except BaseException:
            self._conn.rollback()
            raise
        else:
            self._conn.commit()
        finally:
            cur.close()

    def position(self, name: str = "movements") -> int:
        cur = self._conn.cursor()
        cur.execute(
            self._sql("SELECT position FROM plandebt_tracking WHERE name = ?"), (name,)
        )
        row = cur.fetchone()
        cur.close()
        self._conn.commit()
        return int(row[0]) if row else 0

    # --- following the log --------------------------------------------------------------

    def catch_up(
        self, ledger: Ledger, page_size: int = 1000, stop_after: int | None = None
    ) -> int:
        """Applies the notifications recorded since the tracking position, a page per
        transaction. Returns the number of facts applied. `stop_after` stops after
        that many pages (for resumption tests and slices of work)."""
        applied = 0
        pages = 0
        recorder, mapper = ledger.app.recorder, ledger.app.mapper
        while stop_after is None or pages < stop_after:
            start = self.position() + 1
            page = recorder.select_notifications(start=start, limit=page_size)
            if not page:
                break
            with self._transaction() as cur:
                batch = _Batch()
                for notification in page:
                    if notification.topic == STARTED_TOPIC:
                        continue
                    data = mapper.to_domain_event(notification).fact
                    self._apply(cur, Fact.from_stored(data), batch)
                    applied += 1
                self._flush(cur, batch)
                self._track(cur, page[-1].id)
            pages += 1
        return applied

    def _track(self, cur: Any, position: int) -> None:
        cur.execute(
            self._sql("DELETE FROM plandebt_tracking WHERE name = ?"), ("movements",)
        )
        cur.execute(
            self._sql("INSERT INTO plandebt_tracking (name, position) VALUES (?, ?)"),
            ("movements", position),
        )

    def _apply(self, cur: Any, fact: Fact, batch: _Batch) -> None:
        stamp = (fact.case, fact.seq, fact.recorded_at.isoformat())  # type: ignore[union-attr]
        if fact.kind == "claim.declared":
            batch.claims.append((fact.case, fact.claim, fact.creditor))  # type: ignore[attr-defined]
            self._creditors[(fact.case, fact.claim)] = fact.creditor  # type: ignore[attr-defined]
        if fact.kind in ("fact.corrected", "fact.voided"):
            # A correction reads what was written before it: write the page so far.
            self._flush(cur, batch)
            target = fact.corrects if fact.kind == "fact.corrected" else fact.voids  # type: ignore[attr-defined]
            self._reverse(cur, target, stamp)
            if fact.kind == "fact.corrected":
                cur.execute(
                    self._sql("SELECT payload FROM plandebt_facts WHERE fact_id = ?"),
                    (target,),
                )
                row = cur.fetchone()
                if row is not None and row[0] is not None:
                    data = json.loads(row[0]) | fact.changes  # type: ignore[attr-defined]
                    self._insert(cur, Fact.from_dict(data), stamp, batch)
                    self._flush(cur, batch)
            else:
                cur.execute(
                    self._sql(
                        "UPDATE plandebt_facts SET payload = NULL WHERE fact_id = ?"
                    ),
                    (target,),
                )
            return
        if fact.kind in _FEEDS:
            self._insert(cur, fact, stamp, batch)

    def _creditor(self, cur: Any, case: str, claim: str) -> str:
        creditor = self._creditors.get((case, claim))
        if creditor is None:
            cur.execute(
                self._sql(
                    "SELECT creditor FROM plandebt_claims WHERE case_ref = ? AND claim = ?"
                ),
                (case, claim),
            )
            row = cur.fetchone()
            creditor = self._creditors[(case, claim)] = row[0] if row else ""
        return creditor

    def _insert(
        self, cur: Any, fact: Fact, stamp: tuple[str, int, str], batch: _Batch
    ) -> None:
        bucket, claim_field, sign = _FEEDS[fact.kind]
        claim = getattr(fact, claim_field)
        batch.movements.append(
            (
                *stamp,
                fact.id,
                claim,
                self._creditor(cur, fact.case, claim),
                bucket,
                fact.effective_on.isoformat(),
                sign * fact.amount.cents,
            )
        )  # type: ignore[attr-defined]
        batch.payloads.append((fact.id, fact.case, json.dumps(fact.to_dict())))

    def _flush(self, cur: Any, batch: _Batch) -> None:
        """Writes what a page has gathered, a statement per table."""
        if batch.claims:
            cur.executemany(
                self._sql(
                    "INSERT INTO plandebt_claims (case_ref, claim, creditor) VALUES (?, ?, ?)"
                ),
                batch.claims,
            )
        if batch.movements:
            cur.executemany(
                self._sql(
                    "INSERT INTO plandebt_movements (case_ref, seq, recorded_at, fact_id, "
                    "claim, creditor, bucket, effective_on, cents) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                ),
                batch.movements,
            )
        if batch.payloads:
            cur.executemany(
                self._sql(
                    "INSERT INTO plandebt_facts (fact_id, case_ref, payload) VALUES (?, ?, ?) "
                    "ON CONFLICT (fact_id) DO UPDATE SET payload = excluded.payload"
                ),
                batch.payloads,
            )
        batch.clear()

    def _reverse(self, cur: Any, fact_id: str, stamp: tuple[str, int, str]) -> None:
        cur.execute(
            self._sql(
                "SELECT claim, creditor, bucket, effective_on, SUM(cents) FROM "
                "plandebt_movements WHERE fact_id = ? GROUP BY claim, creditor, bucket, "
                "effective_on"
            ),
            (fact_id,),
        )
        for claim, creditor, bucket, effective_on, cents in cur.fetchall():
            if int(cents):
                cur.execute(
                    self._sql(
                        "INSERT INTO plandebt_movements (case_ref, seq, recorded_at, "
                        "fact_id, claim, creditor, bucket, effective_on, cents) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    ),
                    (
                        *stamp,
                        fact_id,
                        claim,
                        creditor,
                        bucket,
                        effective_on,
                        -int(cents),
                    ),
                )

    # --- queries ------------------------------------------------------------------------

    def claim_sums(
        self, case: str, as_of: date, known_at: datetime | int | None = None
    ) -> dict[str, dict[str, int]]:
        """Per claim, the sum of each bucket as of `as_of`, as known at `known_at`
        (a position in the case's log, or a datetime), for the claims declared by
        then."""
        where, params = self._known(known_at)
        cur = self._conn.cursor()
        cur.execute(
            self._sql(
                "SELECT claim, bucket, SUM(cents) FROM plandebt_movements WHERE "
                f"case_ref = ? AND effective_on <= ?{where} GROUP BY claim, bucket"
            ),
            (case, as_of.isoformat(), *params),
        )
        out: dict[str, dict[str, int]] = {}
        for claim, bucket, cents in cur.fetchall():
            out.setdefault(claim, dict.fromkeys(BUCKETS, 0))[bucket] = int(cents)
        cur.close()
        self._conn.commit()
        return {c: sums for c, sums in out.items() if sums["declared"]}

    def creditor_sums(
        self, as_of: date, known_at: datetime | None = None
    ) -> dict[str, dict[str, int]]:
        """Per creditor id, across every case: the bucket sums as of `as_of`."""
        where, params = self._known(known_at)
        cur = self._conn.cursor()
        cur.execute(
            self._sql(
                "SELECT creditor, bucket, SUM(cents) FROM plandebt_movements WHERE "
                f"effective_on <= ?{where} GROUP BY creditor, bucket"
            ),
            (as_of.isoformat(), *params),
        )
        out: dict[str, dict[str, int]] = {}
        for creditor, bucket, cents in cur.fetchall():
            out.setdefault(creditor, dict.fromkeys(BUCKETS, 0))[bucket] = int(cents)
        cur.close()
        self._conn.commit()
        return out

    def _known(self, known_at: datetime | int | None) -> tuple[str, Iterable[Any]]:
        if known_at is None:
            return "", ()
        if isinstance(known_at, int):
            return " AND seq <= ?", (known_at,)
        return " AND recorded_at <= ?", (known_at.isoformat(),)
