"""Snapshots of long case streams never change what a query returns."""

from __future__ import annotations

from datetime import date
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.helpers import CASE, open_basic_case

from plandebt import Ledger
from plandebt.strategies import plan_histories


def test_a_snapshot_taken_before_a_late_correction_keeps_known_at_answers(
    store,
) -> None:
    ledger = store.open()
    open_basic_case(ledger)
    payment = ledger.pay(
        CASE, "C1", amount="1000", paid_on=date(2023, 1, 5), basis="connected_setoff"
    )
    covered = ledger.snapshot(CASE)
    ledger.correct(CASE, payment.id, {"amount": "1500.00"})  # a late correction
    ledger.admit_claim(CASE, "C2", decided_on=date(2023, 2, 1), amount="300000")
    reader = store.open()  # loads from the snapshot, then the events after it
    seen = []
    original = reader.app.events.get

    def spy(originator_id, **kwargs):
        seen.append(kwargs.get("gt"))
        return original(originator_id, **kwargs)

    with mock.patch.object(reader.app.events, "get", spy):
        reader.history(CASE)
    # The snapshot's end is checked against the store's event there, then the
    # events after it are read (the stream's version: its start event plus facts);
    # nothing is read from the start.
    assert seen == [covered, covered + 1]
    head = len(ledger.history(CASE))
    for k in range(head + 1):
        for day in (date(2022, 6, 1), date(2023, 1, 5), date(2024, 1, 1)):
            assert reader.balances(CASE, day, known_at=k) == ledger.balances(
                CASE, day, known_at=k
            )
    assert reader.balances(CASE, date(2024, 1, 1)).claim("C1").paid.cents == 150000


@settings(max_examples=20)
@given(plan_histories(), st.integers(1, 20), st.data())
def test_views_with_automatic_snapshots_equal_views_without(
    facts, interval, data
) -> None:
    plain = Ledger.open("memory", snapshot_interval=0)
    snapped = Ledger.open("memory", snapshot_interval=interval)
    for fact in facts:
        plain.record(fact)
        snapped.record(fact)
    reloaded = Ledger(snapped.app)  # a new reader starts from the latest snapshot
    k = data.draw(st.integers(0, len(facts)))
    day = data.draw(st.dates(date(2015, 1, 1), date(2040, 1, 1)))
    assert reloaded.balances("CASE-1", day, k) == plain.balances("CASE-1", day, k)
    assert reloaded.plan_status("CASE-1", day, k) == plain.plan_status("CASE-1", day, k)
    assert list(reloaded.export()) == list(snapped.export())
