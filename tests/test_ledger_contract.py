"""The contract every storage backend (memory, SQLite file, PostgreSQL) keeps."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from unittest import mock

import pytest
from tests.helpers import CASE, open_basic_case, record_payments_retrying, snapshot

from plandebt import (
    IdempotencyConflictError,
    Ledger,
    Money,
    UnknownReferenceError,
)
from plandebt.events import PaymentMade


def test_records_and_reads_back_a_case(store) -> None:
    ledger = store.open()
    open_basic_case(ledger)
    view = ledger.balances(CASE, date(2023, 1, 1))
    assert [b.claim for b in view.claims] == ["C1", "C2"]
    assert view.total.declared == Money.parse("1250000.00")
    assert ledger.cases() == [CASE]


def test_a_second_writer_sees_what_the_first_recorded(store) -> None:
    first = store.open()
    open_basic_case(first)
    second = store.open()
    assert snapshot(second) == snapshot(first)
    second.pay(
        CASE, "C1", amount="10.00", paid_on=date(2023, 1, 1), basis="plan_dividend"
    )
    assert first.balances(CASE, date(2023, 1, 2)).claim("C1").paid == Money(1000)


def test_positions_and_recording_times_are_monotonic(store) -> None:
    ledger = store.open()
    open_basic_case(ledger)
    history = ledger.history(CASE)
    assert [f.seq for f in history] == list(range(1, len(history) + 1))
    times = [f.recorded_at for f in history]
    assert times == sorted(times) and all(t.tzinfo is not None for t in times)


def test_same_client_reference_records_once(store) -> None:
    ledger = store.open()
    open_basic_case(ledger)
    before = snapshot(ledger)
    again = ledger.declare_claim(
        CASE,
        "C1",
        creditor="URSSAF",
        amount="900000.00",
        origin_on=date(2021, 12, 31),
        rank="privileged_social",
        declared_on=date(2022, 5, 2),
        client_ref="declare-C1",
    )
    assert snapshot(ledger) == before
    assert again.seq == 4
    with pytest.raises(IdempotencyConflictError):
        ledger.declare_claim(
            CASE,
            "C9",
            creditor="URSSAF",
            amount="1.00",
            origin_on=date(2021, 12, 31),
            rank="unsecured",
            declared_on=date(2022, 5, 2),
            client_ref="declare-C1",
        )
    assert snapshot(ledger) == before


def test_a_stale_writer_is_decided_again_on_the_fresh_state(store) -> None:
    first = store.open()
    open_basic_case(first)
    second = store.open()
    second.history(CASE)  # second has loaded the case
    first.pay(
        CASE, "C1", amount="1.00", paid_on=date(2023, 1, 1), basis="plan_dividend"
    )
    # Make the second writer skip its look at the store, as if the first writer's
    # save landed between that look and its own save: the store refuses the save,
    # and the command is decided again on the case as it is now.
    stale = Ledger._load
    looks = []

    def no_refresh(self, ref, fresh=False):
        looks.append(ref in self._cases)
        return stale(self, ref, fresh=False)

    with mock.patch.object(Ledger, "_load", no_refresh):
        second.pay(
            CASE, "C2", amount="2.00", paid_on=date(2023, 1, 1), basis="plan_dividend"
        )
    # The stale try, then the case read again (before the lock), then brought up
    # to date under it.
    assert looks == [True, False, True]
    final = store.open().balances(CASE, date(2024, 1, 1))
    assert final.claim("C1").paid == Money(100)
    assert final.claim("C2").paid == Money(200)


def test_concurrent_writers_lose_no_event(store) -> None:
    if store.name == "memory":
        pytest.skip("the in-memory store lives in one process")
    open_basic_case(store.open())
    writers = [store.open(), store.open()]
    per_writer = 15

    def work(ledger: Ledger, claim: str) -> None:
        record_payments_retrying(ledger, claim, per_writer)

    threads = [
        threading.Thread(target=work, args=(w, c))
        for w, c in zip(writers, ["C1", "C2"], strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    view = store.open().balances(CASE, date(2024, 1, 1))
    assert view.claim("C1").paid == Money(100 * per_writer)
    assert view.claim("C2").paid == Money(100 * per_writer)


def test_a_batch_is_all_or_nothing(store) -> None:
    ledger = store.open()
    open_basic_case(ledger)
    before = snapshot(ledger)
    good = PaymentMade.build(
        case=CASE,
        claim="C1",
        amount="5.00",
        effective_on="2023-01-01",
        basis="plan_dividend",
    )
    bad = PaymentMade.build(
        case=CASE,
        claim="NOPE",
        amount="5.00",
        effective_on="2023-01-01",
        basis="plan_dividend",
    )
    with pytest.raises(UnknownReferenceError):
        ledger.record_all([good, bad])
    assert snapshot(ledger) == before
    assert snapshot(store.open()) == before
    ledger.record_all([good])
    assert ledger.balances(CASE, date(2023, 1, 1)).claim("C1").paid == Money(500)


def test_several_cases_share_one_store(store) -> None:
    ledger = store.open()
    open_basic_case(ledger, "CASE-A")
    open_basic_case(ledger, "CASE-B")
    ledger.pay(
        "CASE-B", "C1", amount="3.00", paid_on=date(2023, 1, 1), basis="plan_dividend"
    )
    reader = store.open()
    assert reader.cases() == ["CASE-A", "CASE-B"]
    assert reader.balances("CASE-A", date(2024, 1, 1)).total.paid == Money(0)
    assert reader.balances("CASE-B", date(2024, 1, 1)).total.paid == Money(300)


def test_rebuild_reads_every_case_again(store) -> None:
    ledger = store.open()
    open_basic_case(ledger, "CASE-A")
    open_basic_case(ledger, "CASE-B")
    reader = store.open()
    assert reader.rebuild() == 10
    assert reader.balances("CASE-A", date(2024, 1, 1)) == ledger.balances(
        "CASE-A", date(2024, 1, 1)
    )


def test_known_at_a_datetime_hides_later_records(store) -> None:
    ticks = iter(datetime(2026, 1, day, tzinfo=UTC) for day in range(1, 30))
    ledger = Ledger(store.open().app, clock=lambda: next(ticks))
    open_basic_case(ledger)  # recorded on 1..5 January
    ledger.admit_claim(CASE, "C1", decided_on=date(2022, 9, 1), amount="800000.00")
    view = ledger.balances(
        CASE, date(2023, 1, 1), known_at=datetime(2026, 1, 5, 12, tzinfo=UTC)
    )
    assert view.claim("C1").admitted is None and view.position == 5
    assert ledger.balances(CASE, date(2023, 1, 1)).claim("C1").admitted == Money.parse(
        "800000"
    )


def test_unknown_case_is_a_typed_error(store) -> None:
    with pytest.raises(UnknownReferenceError) as e:
        store.open().balances("NO SUCH CASE", date(2023, 1, 1))
    assert e.value.field == "case"


def test_the_case_list_follows_other_writers(store) -> None:
    reader = store.open()
    assert reader.cases() == []
    writer = store.open()
    open_basic_case(writer, "CASE-A")
    assert reader.cases() == ["CASE-A"]
    writer.pay(
        "CASE-A", "C1", amount="1.00", paid_on=date(2023, 1, 1), basis="plan_dividend"
    )
    open_basic_case(writer, "CASE-B")
    assert reader.cases() == ["CASE-A", "CASE-B"]


def test_a_store_url_of_another_database_is_refused_by_its_scheme() -> None:
    from plandebt import StorageError

    with pytest.raises(StorageError, match=r"unsupported store mysql://"):
        Ledger.open("mysql://x/y")
