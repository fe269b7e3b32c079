"""Corrections are new facts naming the one they change; views as known before them
do not move (architecture principle 1)."""

from __future__ import annotations

from datetime import date

import pytest
from tests.helpers import CASE, OPENED, open_basic_case, snapshot

from plandebt import InvalidInputError, Ledger, Money


def test_correcting_a_value_date_moves_the_payment_from_the_correction_on() -> None:
    ledger = Ledger.open("memory")
    open_basic_case(ledger)
    payment = ledger.pay(
        CASE, "C1", amount="500", paid_on=date(2023, 6, 1), basis="connected_setoff"
    )
    before = len(ledger.history(CASE))
    ledger.correct(CASE, payment.id, {"effective_on": "2023-09-01"})
    assert ledger.balances(CASE, date(2023, 7, 1)).claim("C1").paid == Money(0)
    assert ledger.balances(CASE, date(2023, 9, 1)).claim("C1").paid == Money(50000)
    as_known = ledger.balances(CASE, date(2023, 7, 1), known_at=before)
    assert as_known.claim("C1").paid == Money(50000)


def test_a_wrong_opening_date_is_corrected_unless_a_fact_would_precede_it() -> None:
    ledger = Ledger.open("memory")
    open_basic_case(ledger)
    opening = ledger.history(CASE)[0]
    ledger.correct(CASE, opening.id, {"effective_on": "2022-03-15"})
    assert ledger.balances(CASE, date(2023, 1, 1)).opened_on == date(2022, 3, 15)
    before = snapshot(ledger)
    with pytest.raises(InvalidInputError) as e:
        ledger.correct(
            CASE,
            opening.id,
            {"effective_on": "2022-06-01", "bodacc_published_on": "2022-06-10"},
        )
    assert e.value.field == "changes.effective_on"  # the claims of May precede it
    with pytest.raises(InvalidInputError) as e:
        ledger.correct(CASE, opening.id, {"effective_on": "2022-04-01"})
    assert e.value.field == "changes.bodacc_published_on"
    assert snapshot(ledger) == before


def test_the_recording_position_and_identity_cannot_be_corrected() -> None:
    ledger = Ledger.open("memory")
    open_basic_case(ledger)
    payment = ledger.pay(CASE, "C1", amount="5", paid_on=OPENED, basis="none")
    for field, value in (("seq", 1), ("case", "OTHER"), ("claim", "C2"), ("id", "x")):
        with pytest.raises(InvalidInputError) as e:
            ledger.correct(CASE, payment.id, {field: value})
        assert e.value.field == f"changes.{field}"


def test_an_amount_in_another_currency_is_refused() -> None:
    ledger = Ledger.open("memory")
    open_basic_case(ledger)
    before = snapshot(ledger)
    with pytest.raises(InvalidInputError) as e:
        ledger.pay(CASE, "C1", amount="12.00 CHF", paid_on=OPENED, basis="none")
    assert e.value.field == "amount"
    with pytest.raises(InvalidInputError) as e:
        ledger.commit_support(
            CASE,
            "K",
            investor="I",
            committed_on=OPENED,
            tranches=[{"due_on": "2023-01-01", "amount": "5 USD"}],
        )
    assert e.value.field == "tranches[0].amount"
    assert snapshot(ledger) == before


def test_a_fact_others_rest_on_cannot_be_voided() -> None:
    ledger = Ledger.open("memory")
    open_basic_case(ledger)
    waiver = ledger.write_off(
        CASE, "C1", amount="100", clause="better_fortune", effective_on=date(2023, 1, 1)
    )
    ledger.revive_waiver(CASE, waiver.id, amount="40", revived_on=date(2024, 1, 1))
    ledger.register_creditor(CASE, "E1", name="E1", creditor_kind="employee")
    ledger.declare_claim(
        CASE,
        "E1-1",
        creditor="E1",
        amount="1000",
        origin_on=date(2022, 4, 1),
        rank="salary_privileged",
        declared_on=date(2022, 4, 2),
        declared_by="mandataire",
    )
    ledger.record_departure(
        CASE,
        "E1",
        departure="economic_dismissal",
        left_on=date(2022, 4, 1),
        seniority_months=20,
        monthly_pay="2000",
    )
    ledger.advance_ags(
        CASE,
        "E1",
        "E1-1",
        superprivileged="600",
        privileged="400",
        paid_on=date(2022, 4, 15),
    )
    ags_claim = ledger.index(CASE).declaration("E1-1-AGS-SP")
    departure = next(f for f in ledger.history(CASE) if f.kind == "employment.departed")
    before = snapshot(ledger)
    for fact_id in (waiver.id, ags_claim.id, departure.id):
        with pytest.raises(InvalidInputError) as e:
            ledger.void(CASE, fact_id)
        assert e.value.field == "voids" and "rests on it" in e.value.reason
    assert snapshot(ledger) == before
