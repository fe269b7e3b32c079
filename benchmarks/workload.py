"""What the harness measures on: the synthetic portfolio (deterministic ids, amounts and
recording times) and the backends whose stores hold it."""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

from plandebt.events import (
    CaseOpened,
    ClaimAdmitted,
    ClaimDeclared,
    CreditorRegistered,
    Fact,
    PaymentMade,
)
from plandebt.events.plan import InstalmentRemitted, PlanAdopted
from plandebt.ledger import Ledger
from plandebt.storage import postgres_environment

BATCH = 100
QUERY_CLAIMS = 1_000
OPENED_ON = date(2022, 3, 14)
DECLARED_ON = date(2022, 5, 10)
ADMITTED_ON = date(2022, 9, 20)
ADOPTED_ON = date(2023, 3, 20)
PLAN_YEARS = 10  # the plan's duration; a shape's `years` of it are paid


# --- the synthetic portfolio ------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """cases × claims × years of plan dividends."""

    cases: int
    claims: int
    years: int

    @property
    def cold_claims(self) -> int:
        """The claims of the cold case (row 8): COLD_CLAIMS at the default size, a
        tenth of it at the small one."""
        return COLD_CLAIMS if self.cases >= 1_000 else COLD_CLAIMS // 10

    @property
    def creditors(self) -> int:
        return max(self.claims // 4, 1)

    @property
    def per_case(self) -> int:
        # opening, creditors, declared + admitted claims, the plan, then each year
        # one remittance and one dividend per claim.
        return 1 + self.creditors + 2 * self.claims + 1 + self.years * (self.claims + 1)

    @property
    def events(self) -> int:
        return self.cases * self.per_case

    def describe(self) -> str:
        return (
            f"{self.cases:,} cases × {self.claims} claims × {self.years} years of "
            f"dividends = {self.events:,} events"
        )


SMALL = Shape(cases=50, claims=40, years=5)
DEFAULT = Shape(cases=1_000, claims=100, years=10)


def shape_for(small: bool, events: int | None) -> Shape:
    """The small or default shape, its number of cases set to reach about `events`
    if given."""
    shape = SMALL if small else DEFAULT
    if events is None:
        return shape
    return Shape(max(1, round(events / shape.per_case)), shape.claims, shape.years)


def cents_text(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def claim_cents(k: int) -> int:
    return 1_000_000 + 1_700 * k  # 10,000.00 € + 17 € per claim number


def dividend_on(year: int) -> date:
    return ADOPTED_ON.replace(year=ADOPTED_ON.year + year)


def case_setup(case: str, claims: int, creditors: int) -> list[Fact]:
    """A case up to its plan: opening, creditors, claims declared and admitted, a
    10-year plan paying 10 % a year."""
    facts: list[Fact] = [
        CaseOpened.build(
            case=case,
            id=f"{case}-opening",
            effective_on=OPENED_ON,
            procedure="redressement_judiciaire",
            court="Tribunal judiciaire de Bench",
            debtor=f"Debtor of {case}",
            judgment_ref=f"RG {case}",
        )
    ]
    for c in range(creditors):
        facts.append(
            CreditorRegistered.build(
                case=case,
                id=f"{case}-cr-{c}",
                effective_on=OPENED_ON,
                creditor=f"CR{c}",
                name=f"Creditor number {c}",
                creditor_kind="supplier",
            )
        )
    for k in range(claims):
        facts.append(
            ClaimDeclared.build(
                case=case,
                id=f"{case}-decl-{k}",
                effective_on=DECLARED_ON,
                claim=f"CL{k}",
                creditor=f"CR{k % creditors}",
                amount=cents_text(claim_cents(k)),
                origin_on=date(2021, 12, 31),
                rank="unsecured",
                declared_by="creditor",
            )
        )
    for k in range(claims):
        facts.append(
            ClaimAdmitted.build(
                case=case,
                id=f"{case}-adm-{k}",
                effective_on=ADMITTED_ON,
                claim=f"CL{k}",
                decision_ref="Ordonnance JC 22/45",
            )
        )
    facts.append(
        PlanAdopted.build(
            case=case,
            id=f"{case}-plan",
            effective_on=ADOPTED_ON,
            duration_years=PLAN_YEARS,
            supervisor="Me Commissaire",
            options=[{"option": "uniform", "percents": ["10"] * PLAN_YEARS}],
            uniform_option="uniform",
            default_option="uniform",
        )
    )
    return facts


def plan_year(case: str, claims: int, year: int) -> list[Fact]:
    """One plan year: the debtor remits the instalment, the supervisor pays a
    dividend of 10 % on every claim."""
    due = dividend_on(year)
    total = sum(claim_cents(k) // 10 for k in range(claims))
    facts: list[Fact] = [
        InstalmentRemitted.build(
            case=case,
            id=f"{case}-remit-{year}",
            effective_on=due - timedelta(days=10),
            amount=cents_text(total),
        )
    ]
    for k in range(claims):
        facts.append(
            PaymentMade.build(
                case=case,
                id=f"{case}-div-{k}-{year}",
                effective_on=due,
                claim=f"CL{k}",
                amount=cents_text(claim_cents(k) // 10),
                basis="plan_dividend",
            )
        )
    return facts


def case_ref(c: int) -> str:
    return f"BENCH-{c:04d}"


def portfolio_facts(shape: Shape) -> list[Fact]:
    """Every case up to its plan, then year after year each case's remittance and
    dividends (the log interleaves the cases as a real office's would)."""
    facts: list[Fact] = []
    for c in range(shape.cases):
        facts += case_setup(case_ref(c), shape.claims, shape.creditors)
    for year in range(1, shape.years + 1):
        for c in range(shape.cases):
            facts += plan_year(case_ref(c), shape.claims, year)
    return facts


def query_case_facts(case: str, years: int) -> tuple[list[Fact], int]:
    """The large case of the query targets: 1,000 claims, `years` of dividends.
    Returns the facts and the length of its setup (before the first remittance)."""
    setup = case_setup(case, QUERY_CLAIMS, QUERY_CLAIMS // 10)
    facts = list(setup)
    for year in range(1, years + 1):
        facts += plan_year(case, QUERY_CLAIMS, year)
    return facts, len(setup)


#: The cold case (row 8): 1,000 claims, each paid in PAYMENTS_PER_YEAR instalments a
#: year over the plan's 10 years (about COLD_FACTS facts in one case).
COLD_CLAIMS = 1_000
PAYMENTS_PER_YEAR = 20


def cold_case_facts(case: str, claims: int = COLD_CLAIMS) -> list[Fact]:
    """A case of `claims` claims with 200 payments each: about 200 facts per claim,
    in one case (what one CLI command opens cold)."""
    facts = case_setup(case, claims, max(claims // 10, 1))
    for year in range(1, PLAN_YEARS + 1):
        due = dividend_on(year)
        for n in range(PAYMENTS_PER_YEAR):
            on = due + timedelta(days=14 * n)
            for k in range(claims):
                facts.append(
                    PaymentMade.build(
                        case=case,
                        id=f"{case}-pay-{k}-{year}-{n}",
                        effective_on=on,
                        claim=f"CL{k}",
                        amount=cents_text(claim_cents(k) // (10 * PAYMENTS_PER_YEAR)),
                        basis="plan_dividend",
                    )
                )
    return facts


def batches(facts: list[Fact], size: int = BATCH) -> Iterator[list[Fact]]:
    for i in range(0, len(facts), size):
        yield facts[i : i + size]


def record(ledger: Ledger, facts: list[Fact]) -> None:
    """Records the facts BATCH at a time, as an office's import would."""
    for batch in batches(facts):
        ledger.record_all(batch)


class FixedClock:
    """A clock that moves 1 ms per call, so that recording times are deterministic
    and every batch has its own `known_at`."""

    def __init__(self) -> None:
        self.now = datetime(2024, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=1)
        return self.now


# --- the backends -----------------------------------------------------------------------


class Backend:
    """Where the stores of a run live: one store (SQLite file or PostgreSQL schema)
    per label, and what the plain-driver floors need to read them."""

    name = ""
    title = ""
    order_column = ""

    def target(self, label: str) -> str:
        raise NotImplementedError

    def env(self, label: str) -> dict[str, str]:
        raise NotImplementedError

    def connect(self, label: str) -> Any:
        raise NotImplementedError

    def events_table(self, conn: Any, label: str) -> str:
        raise NotImplementedError

    def placeholder(self) -> str:
        return "?"

    def close(self) -> None:
        pass

    def version(self) -> str:
        raise NotImplementedError


class SQLiteBackend(Backend):
    name = "sqlite"
    title = "SQLite"
    order_column = "rowid"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def target(self, label: str) -> str:
        return str(self.folder / f"{label}.db")

    def env(self, label: str) -> dict[str, str]:
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": self.target(label),
            "SQLITE_LOCK_TIMEOUT": "10",
        }

    def connect(self, label: str) -> sqlite3.Connection:
        return sqlite3.connect(self.target(label))

    def events_table(self, conn: Any, label: str) -> str:
        # eventsourcing names the table after the application: find it by its columns.
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table'"
        ):
            columns = {row[1] for row in conn.execute(f'PRAGMA table_info("{name}")')}
            if {"state", "topic", "originator_id"} <= columns:
                return f'"{name}"'
        raise RuntimeError(f"no events table in {self.target(label)}")

    def version(self) -> str:
        return f"SQLite {sqlite3.sqlite_version} (files in a temporary folder)"


class PostgresBackend(Backend):
    name = "postgres"
    title = "PostgreSQL"
    order_column = "notification_id"

    def __init__(self, url: str) -> None:
        # Imported here so that a SQLite-only run does not need psycopg.
        import psycopg

        self.psycopg: ModuleType = psycopg
        self.url = url
        self.token = secrets.token_hex(4)
        self.schemas: dict[str, str] = {}
        with psycopg.connect(self.url) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            assert row is not None
            self._version = str(row[0])

    def schema(self, label: str) -> str:
        if label not in self.schemas:
            name = f"plandebt_bench_{self.token}_{label}"
            with self.psycopg.connect(self.url, autocommit=True) as conn:
                conn.execute(f'CREATE SCHEMA "{name}"')
            self.schemas[label] = name
        return self.schemas[label]

    def target(self, label: str) -> str:
        return f"{self.url}?schema={self.schema(label)}"

    def env(self, label: str) -> dict[str, str]:
        return postgres_environment(self.target(label))

    def connect(self, label: str) -> Any:
        conn = self.psycopg.connect(self.url)
        conn.execute(f'SET search_path TO "{self.schema(label)}"')
        conn.commit()
        return conn

    def placeholder(self) -> str:
        return "%s"

    def events_table(self, conn: Any, label: str) -> str:
        schema = self.schema(label)
        rows = conn.execute(
            "SELECT table_name, array_agg(column_name::text) FROM "
            "information_schema.columns WHERE table_schema = %s GROUP BY table_name",
            (schema,),
        ).fetchall()
        for name, columns in rows:
            if {"state", "topic", "originator_id", "notification_id"} <= set(columns):
                return f'"{schema}"."{name}"'
        raise RuntimeError(f"no events table in schema {schema}")

    def close(self) -> None:
        with self.psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute("SET lock_timeout = '30s'")
            for name in self.schemas.values():
                conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        self.schemas.clear()

    def version(self) -> str:
        return (
            f"PostgreSQL {self._version} on {self.url.split('@')[-1]} (local TCP), "
            f"psycopg {self.psycopg.__version__}; one schema per store, dropped at "
            "the end"
        )


#: The report's name of each backend (stored runs give only the key).
TITLES = {backend.name: backend.title for backend in (SQLiteBackend, PostgresBackend)}


def backend_for(name: str, folder: Path, pg_url: str) -> Backend:
    return SQLiteBackend(folder) if name == "sqlite" else PostgresBackend(pg_url)
