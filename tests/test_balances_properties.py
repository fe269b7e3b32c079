"""Properties of the balances projection over generated histories."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from plandebt import Fact, Ledger, Money
from plandebt.events import (
    ClaimWrittenOff,
    FactCorrected,
    FactVoided,
    PaymentMade,
    RemissionGranted,
)
from plandebt.strategies import case_histories

FAR = date(2100, 1, 1)


def record_each(facts: list[Fact]) -> Ledger:
    ticks = (
        datetime(2030, 1, 1, tzinfo=UTC).replace(microsecond=i) for i in range(10**6)
    )
    ledger = Ledger.open("memory", clock=lambda: next(ticks))
    for fact in facts:
        ledger.record(fact)
    return ledger


def expected_movements(facts: list[Fact]) -> dict[str, dict[str, int]]:
    """An independent model: each money fact's latest amount, unless voided."""
    current: dict[str, Fact | None] = {}
    for fact in facts:
        if isinstance(fact, FactCorrected) and fact.corrects in current:
            old = current[fact.corrects]
            if old is not None:
                current[fact.corrects] = Fact.from_dict(old.to_dict() | fact.changes)
        elif isinstance(fact, FactVoided) and fact.voids in current:
            current[fact.voids] = None
        elif isinstance(fact, PaymentMade | RemissionGranted | ClaimWrittenOff):
            current[fact.id] = fact
    sums: dict[str, dict[str, int]] = {}
    names = {
        PaymentMade: "paid",
        RemissionGranted: "remission",
        ClaimWrittenOff: "written_off",
    }
    for fact in current.values():
        if fact is not None:
            row = sums.setdefault(
                fact.claim, {"paid": 0, "remission": 0, "written_off": 0}
            )
            row[names[type(fact)]] += fact.amount.cents
    return sums


@given(case_histories())
def test_money_is_never_created_or_lost(facts: list[Fact]) -> None:
    view = record_each(facts).balances("CASE-1", FAR)
    model = expected_movements(facts)
    for b in view.claims:
        row = model.get(b.claim, {"paid": 0, "remission": 0, "written_off": 0})
        assert (b.paid.cents, b.remission.cents, b.written_off.cents) == (
            row["paid"],
            row["remission"],
            row["written_off"],
        )
        assert b.owed + b.interest == (
            b.paid + b.remission + b.written_off + b.subrogated + b.outstanding
        )
        if b.admitted is not None:
            assert b.admitted <= b.declared
    total = view.total
    assert (
        total.owed + total.interest
        == total.paid
        + total.remission
        + total.written_off
        + total.subrogated
        + total.outstanding
    )
    for groups in (view.by_creditor(), view.by_rank(), view.by_freeze()):
        assert (
            sum(t.outstanding.cents for t in groups.values()) == total.outstanding.cents
        )
        assert sum(t.claims for t in groups.values()) == total.claims


@given(
    case_histories(),
    st.lists(st.dates(date(2014, 1, 1), date(2040, 1, 1)), min_size=1, max_size=4),
)
def test_replaying_the_store_gives_the_incremental_views(
    facts: list[Fact], days: list[date]
) -> None:
    ledger = record_each(facts)
    replayed = Ledger(ledger.app)  # a new index, read from the store
    replayed.rebuild()
    for day in days:
        for known in (None, len(facts) // 2, 1):
            assert replayed.balances("CASE-1", day, known) == ledger.balances(
                "CASE-1", day, known
            )


@settings(max_examples=40)
@given(case_histories(max_operations=15), st.data())
def test_views_as_known_at_k_ignore_everything_recorded_after_k(
    facts: list[Fact], data: st.DataObject
) -> None:
    k = data.draw(st.integers(1, len(facts)), label="k")
    day = data.draw(st.dates(date(2014, 1, 1), date(2040, 1, 1)), label="as_of")
    full = record_each(facts)
    prefix = record_each(facts[:k])
    at_k = full.balances("CASE-1", day, known_at=k)
    only = prefix.balances("CASE-1", day)
    assert at_k.claims == only.claims
    # the same by recording time
    moment = full.history("CASE-1")[k - 1].recorded_at
    assert full.balances("CASE-1", day, known_at=moment).claims == only.claims


@settings(max_examples=40)
@given(case_histories(max_operations=15))
def test_journal_export_then_restore_reproduces_every_view(facts: list[Fact]) -> None:
    original = record_each(facts)
    exported = list(original.export())
    # Restored later than the facts were recorded (a restore refuses times to come).
    restored = Ledger.open("memory", clock=lambda: datetime(2031, 1, 1, tzinfo=UTC))
    restored.import_journal(exported, restore=True)
    assert list(restored.export()) == exported
    for k in range(0, len(facts) + 1, max(1, len(facts) // 4)):
        assert (
            restored.balances("CASE-1", FAR, known_at=k).claims
            == original.balances("CASE-1", FAR, known_at=k).claims
        )
    # without restore, the facts get new recording times but the same balances
    replayed = Ledger.open("memory")
    replayed.import_journal(exported)
    assert (
        replayed.balances("CASE-1", FAR).claims
        == original.balances("CASE-1", FAR).claims
    )


@given(case_histories(max_operations=10))
def test_every_fact_survives_its_journal_form(facts: list[Fact]) -> None:
    for fact in facts:
        assert Fact.from_dict(fact.to_dict()) == fact


def test_totals_of_no_claims_are_zero() -> None:
    ledger = Ledger.open("memory")
    ledger.open_case(
        "X", procedure="sauvegarde", court="TC", debtor="D", opened_on=date(2022, 1, 3)
    )
    assert ledger.balances("X", date(2022, 1, 3)).total.outstanding == Money(0)
