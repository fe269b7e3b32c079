"""Refused input names the field, the value and the reason, and writes nothing."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from tests.helpers import CASE, open_basic_case, snapshot

from plandebt import (
    DuplicateError,
    InvalidInputError,
    JournalError,
    Money,
    UnknownReferenceError,
)
from plandebt.events import PaymentMade

REFUSALS = [
    # (description, call, error type, field)
    (
        "negative amount",
        lambda lg: lg.pay(
            CASE, "C1", amount="-5.00", paid_on=date(2023, 1, 1), basis="plan_dividend"
        ),
        InvalidInputError,
        "amount",
    ),
    (
        "zero amount",
        lambda lg: lg.pay(
            CASE, "C1", amount="0", paid_on=date(2023, 1, 1), basis="plan_dividend"
        ),
        InvalidInputError,
        "amount",
    ),
    (
        "float amount",
        lambda lg: lg.pay(
            CASE, "C1", amount=12.5, paid_on=date(2023, 1, 1), basis="plan_dividend"
        ),
        InvalidInputError,
        "amount",
    ),
    (
        "three decimals",
        lambda lg: lg.pay(
            CASE,
            "C1",
            amount=Decimal("1.005"),
            paid_on=date(2023, 1, 1),
            basis="plan_dividend",
        ),
        InvalidInputError,
        "amount",
    ),
    (
        "unknown claim",
        lambda lg: lg.pay(
            CASE, "C404", amount="5", paid_on=date(2023, 1, 1), basis="plan_dividend"
        ),
        UnknownReferenceError,
        "claim",
    ),
    (
        "unknown creditor",
        lambda lg: lg.declare_claim(
            CASE,
            "C3",
            creditor="NOBODY",
            amount="5",
            origin_on=date(2021, 1, 1),
            rank="unsecured",
            declared_on=date(2022, 5, 1),
        ),
        UnknownReferenceError,
        "creditor",
    ),
    (
        "duplicate claim id",
        lambda lg: lg.declare_claim(
            CASE,
            "C1",
            creditor="BANK",
            amount="5",
            origin_on=date(2021, 1, 1),
            rank="unsecured",
            declared_on=date(2022, 5, 1),
        ),
        DuplicateError,
        "claim",
    ),
    (
        "decision before the opening",
        lambda lg: lg.admit_claim(CASE, "C1", decided_on=date(2022, 1, 1)),
        InvalidInputError,
        "effective_on",
    ),
    (
        "decision before the declaration",
        lambda lg: lg.admit_claim(CASE, "C1", decided_on=date(2022, 4, 1)),
        InvalidInputError,
        "effective_on",
    ),
    (
        "admitted above declared",
        lambda lg: lg.admit_claim(
            CASE, "C1", decided_on=date(2022, 9, 1), amount="900000.01"
        ),
        InvalidInputError,
        "amount",
    ),
    (
        # A command refuses an unknown keyword with Python's TypeError
        # (tests/test_commands.py); a fact built from values refuses it typed.
        "unknown field",
        lambda lg: lg.record(
            PaymentMade.build(
                case=CASE,
                claim="C1",
                amount="5",
                effective_on=date(2023, 1, 1),
                basis="plan_dividend",
                colour="blue",
            )
        ),
        InvalidInputError,
        "colour",
    ),
    (
        "unknown basis",
        lambda lg: lg.pay(
            CASE, "C1", amount="5", paid_on=date(2023, 1, 1), basis="because"
        ),
        InvalidInputError,
        "basis",
    ),
    (
        "authorisation without its order",
        lambda lg: lg.pay(
            CASE, "C1", amount="5", paid_on=date(2023, 1, 1), basis="jc_authorisation"
        ),
        InvalidInputError,
        "authorisation_ref",
    ),
    (
        "remission above what is owed",
        lambda lg: lg.remit(
            CASE,
            "C2",
            amount="350000.01",
            effective_on=date(2023, 1, 1),
            basis="creditor_agreement",
        ),
        InvalidInputError,
        "amount",
    ),
    (
        "claim declared before it arose",
        lambda lg: lg.declare_claim(
            CASE,
            "C3",
            creditor="BANK",
            amount="5",
            origin_on=date(2022, 6, 1),
            rank="unsecured",
            declared_on=date(2022, 5, 1),
        ),
        InvalidInputError,
        "origin_on",
    ),
    (
        "opening a case twice",
        lambda lg: lg.open_case(
            CASE,
            procedure="sauvegarde",
            court="X",
            debtor="Y",
            opened_on=date(2022, 1, 1),
        ),
        DuplicateError,
        "case",
    ),
    (
        "a date that is not a date",
        lambda lg: lg.pay(
            CASE, "C1", amount="5", paid_on="2023-02-30", basis="plan_dividend"
        ),
        InvalidInputError,
        "effective_on",
    ),
    (
        "correcting what names the claim",
        lambda lg: lg.correct(CASE, lg.history(CASE)[3].id, {"claim": "C2"}),
        InvalidInputError,
        "changes.claim",
    ),
    (
        "voiding a claim that has facts",  # set up with a payment, below
        lambda lg: lg.void(CASE, lg.history(CASE)[3].id),
        InvalidInputError,
        "voids",
    ),
    (
        "voiding the opening judgment",
        lambda lg: lg.void(CASE, lg.history(CASE)[0].id),
        InvalidInputError,
        "voids",
    ),
    (
        "correcting an unknown fact",
        lambda lg: lg.correct(
            CASE, "nope", {"amount": "1"}, effective_on=date(2023, 1, 1)
        ),
        UnknownReferenceError,
        "corrects",
    ),
    (
        "relief without foreclosure",
        lambda lg: lg.relieve_claim(CASE, "C1", decided_on=date(2022, 9, 1)),
        InvalidInputError,
        "claim",
    ),
]


@pytest.mark.parametrize(
    "description, call, error, field", REFUSALS, ids=[r[0] for r in REFUSALS]
)
def test_refused_input_leaves_the_store_unchanged(
    store, description, call, error, field
) -> None:
    ledger = store.open()
    open_basic_case(ledger)
    if description == "voiding a claim that has facts":
        ledger.pay(
            CASE, "C1", amount="5", paid_on=date(2023, 1, 1), basis="plan_dividend"
        )
    before = snapshot(ledger)
    with pytest.raises(error) as e:
        call(ledger)
    assert e.value.field == field
    assert e.value.reason
    assert snapshot(ledger) == before
    assert snapshot(store.open()) == before  # what another reader sees, too


def test_a_bad_journal_line_is_refused_with_its_number_and_nothing_is_written(
    store,
) -> None:
    ledger = store.open()
    open_basic_case(ledger)
    before = snapshot(ledger)
    lines = [
        json.dumps(
            {
                "kind": "payment.made",
                "case": CASE,
                "effective_on": "2023-01-01",
                "claim": "C1",
                "amount": "5.00",
                "basis": "plan_dividend",
            }
        ),
        "",
        json.dumps(
            {
                "kind": "payment.made",
                "case": CASE,
                "effective_on": "2023-01-01",
                "claim": "C2",
                "amount": "5.00",
                "basis": "plan_dividend",
                "colour": "red",
            }
        ),
    ]
    with pytest.raises(JournalError) as e:
        ledger.import_journal(lines)
    assert e.value.line == 3 and e.value.field == "colour"
    assert snapshot(ledger) == before
    # A line that parses but breaks an invariant is reported by its number too.
    lines[2] = json.dumps(
        {
            "kind": "payment.made",
            "case": CASE,
            "effective_on": "2023-01-01",
            "claim": "C404",
            "amount": "5.00",
            "basis": "plan_dividend",
        }
    )
    with pytest.raises(JournalError) as e:
        ledger.import_journal(lines)
    assert e.value.line == 3 and e.value.field == "claim"
    assert snapshot(ledger) == before
    assert ledger.balances(CASE, date(2024, 1, 1)).total.paid == Money(0)
