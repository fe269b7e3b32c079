"""The persisted read model (plandebt.readmodel) answers `balances` as a replay does,
at many (as_of, known_at), and is not used once the store moved past it."""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plandebt import Fact, Ledger, readmodel
from plandebt.events import FactCorrected, FactVoided, PaymentMade
from plandebt.strategies import case_histories

CASE = "CASE-1"


def ticking() -> Iterator[datetime]:
    start = datetime(2030, 1, 1, tzinfo=UTC)
    return (start + timedelta(milliseconds=i) for i in range(10**6))


@contextmanager
def stored(facts: list[Fact]) -> Iterator[tuple[Ledger, str]]:
    """A SQLite store holding `facts`, each recorded on its own, and its writer."""
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "store.db")
        ticks = ticking()
        ledger = Ledger.open(path, clock=lambda: next(ticks))
        for fact in facts:
            ledger.record(fact)
        try:
            yield ledger, path
        finally:
            ledger.close()


def questions(ledger: Ledger, facts: list[Fact]) -> list[tuple[date, object]]:
    """Dates around every effective date, at every position and at recording
    times between and on the recordings."""
    days = {f.effective_on + timedelta(d) for f in facts for d in (-1, 0, 1)}
    history = ledger.history(CASE)
    knowns: list[object] = [None, 0, *range(1, len(history) + 1), len(history) + 5]
    for fact in history:
        assert fact.recorded_at is not None
        knowns += [fact.recorded_at, fact.recorded_at - timedelta(microseconds=1)]
    return [(day, known) for day in sorted(days) for known in knowns]


def modelled(facts: list[Fact]) -> bool:
    # Corrections and voids of what the balances read make a case replayed.
    return not any(isinstance(f, FactCorrected | FactVoided) for f in facts)


@settings(max_examples=40, deadline=None)
@given(case_histories(max_operations=15))
def test_the_model_answers_as_a_replay(facts: list[Fact]) -> None:
    with stored(facts) as (writer, path):
        index = writer.index(CASE)
        kept = readmodel.persist(writer.app, index)
        if modelled(facts):
            assert kept
        reader = Ledger.open(path)
        try:
            model = readmodel.load(reader.app, CASE)
            assert (model is not None) == kept
            if model is None:
                return
            answered = 0
            for day, known in questions(writer, facts):
                view = model.balances(day, known)  # type: ignore[arg-type]
                if view is not None:
                    answered += 1
                    assert view == writer.balances(CASE, day, known), (day, known)
            assert answered
        finally:
            reader.close()


@settings(max_examples=20, deadline=None)
@given(case_histories(max_operations=12), st.data())
def test_a_model_behind_the_store_is_not_used(
    facts: list[Fact], data: st.DataObject
) -> None:
    """Facts recorded after the model was stored: a fresh ledger replays, answers as
    the writer does, and stores the model of the new head."""
    k = data.draw(st.integers(2, len(facts)), label="k")
    with stored(facts[:k]) as (writer, path):
        readmodel.persist(writer.app, writer.index(CASE))
        for fact in facts[k:]:
            writer.record(fact)
        day = data.draw(st.dates(date(2014, 1, 1), date(2040, 1, 1)), label="as_of")
        reader = Ledger.open(path)
        try:
            if facts[k:]:
                assert readmodel.load(reader.app, CASE) is None
            assert reader.balances(CASE, day) == writer.balances(CASE, day)
            # The reader replayed (or used a model of the head) and stored the model
            # of the head: a third ledger answers from it, the case not loaded.
            third = Ledger.open(path)
            try:
                assert third.balances(CASE, day) == writer.balances(CASE, day)
                if modelled(facts):
                    assert readmodel.load(third.app, CASE) is not None
                    assert CASE not in third._cases
            finally:
                third.close()
        finally:
            reader.close()


def test_a_model_whose_digest_differs_from_the_store_is_not_used() -> None:
    facts = [f for f in demo_facts() if not isinstance(f, FactCorrected | FactVoided)]
    with stored(facts) as (writer, path):
        assert readmodel.persist(writer.app, writer.index(CASE))
        reader = Ledger.open(path)
        assert readmodel.load(reader.app, CASE) is not None
        with sqlite3.connect(path) as conn:
            conn.execute(f"UPDATE {readmodel.TABLE} SET digest = 'x'")
        assert readmodel.load(reader.app, CASE) is None
        day = date(2030, 1, 1)
        assert reader.balances(CASE, day) == writer.balances(CASE, day)
        reader.close()


def test_verify_finds_a_read_model_altered_behind_the_events() -> None:
    facts = [f for f in demo_facts() if not isinstance(f, FactCorrected | FactVoided)]
    with stored(facts) as (writer, path):
        assert readmodel.persist(writer.app, writer.index(CASE))
        assert writer.verify(CASE).intact  # the model is what the events give
        with sqlite3.connect(path) as conn:
            (body,) = conn.execute(f"SELECT body FROM {readmodel.TABLE}").fetchone()
            forged = body.replace('"head":', '"head": ', 1)  # same meaning, other bytes
            assert forged != body
            conn.execute(f"UPDATE {readmodel.TABLE} SET body = ?", (forged,))
        reader = Ledger.open(path)
        (found,) = reader.verify(CASE).cases
        assert [p.kind for p in found.problems] == ["read model"]
        reader.close()


def test_memory_stores_keep_no_model() -> None:
    ledger = Ledger.open("memory")
    for fact in demo_facts():
        ledger.record(fact)
    assert not readmodel.persist(ledger.app, ledger.index(CASE))
    assert readmodel.load(ledger.app, CASE) is None


def demo_facts() -> list[Fact]:
    opened = date(2022, 3, 14)
    facts: list[Fact] = [
        Fact.from_dict(
            {
                "kind": "case.opened",
                "case": CASE,
                "id": "open",
                "effective_on": opened.isoformat(),
                "procedure": "redressement_judiciaire",
                "court": "TJ",
                "debtor": "Debtor",
            }
        ),
        Fact.from_dict(
            {
                "kind": "creditor.registered",
                "case": CASE,
                "id": "cr",
                "effective_on": opened.isoformat(),
                "creditor": "BANK",
                "name": "Bank",
                "creditor_kind": "bank",
            }
        ),
        Fact.from_dict(
            {
                "kind": "claim.declared",
                "case": CASE,
                "id": "decl",
                "effective_on": "2022-05-01",
                "claim": "C1",
                "creditor": "BANK",
                "amount": "1000.00",
                "origin_on": "2021-12-01",
                "rank": "unsecured",
            }
        ),
    ]
    facts += [
        PaymentMade.build(
            case=CASE,
            id=f"pay{i}",
            effective_on=date(2022, 6, 1) + timedelta(days=30 * i),
            claim="C1",
            amount="10.00",
            basis="jc_authorisation",
            authorisation_ref="Ordonnance JC 1",
        )
        for i in range(5)
    ]
    return facts


@given(st.lists(st.text(max_size=6), min_size=1, max_size=8))
def test_fact_ids_survive_their_stored_form(ids: list[str]) -> None:
    stored = readmodel._joined(ids)
    assert (stored.split("\x1f") if isinstance(stored, str) else stored) == ids


@pytest.mark.postgres
def test_postgres_keeps_a_model_too(pg_url: str) -> None:
    """The model in the store's schema on PostgreSQL: a fresh ledger answers from it
    as the writer does, and not once another fact is recorded."""
    facts = demo_facts()
    ticks = ticking()
    writer = Ledger.open(pg_url, clock=lambda: next(ticks))
    try:
        for fact in facts[:-1]:
            writer.record(fact)
        assert readmodel.persist(writer.app, writer.index(CASE))
        reader = Ledger.open(pg_url)
        try:
            model = readmodel.load(reader.app, CASE)
            assert model is not None
            for day, known in questions(writer, facts):
                view = model.balances(day, known)  # type: ignore[arg-type]
                if view is not None:
                    assert view == writer.balances(CASE, day, known), (day, known)
            writer.record(facts[-1])
            assert readmodel.load(reader.app, CASE) is None
            day = date(2030, 1, 1)
            assert reader.balances(CASE, day) == writer.balances(CASE, day)
        finally:
            reader.close()
    finally:
        writer.close()
