"""A creditor's statement (plandebt.projections.statement)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from tests.test_plan import CASE, adopted_case, record_each

from plandebt import Money, UnknownReferenceError
from plandebt.strategies import plan_histories


def test_a_statement_lists_decisions_instalments_and_payments_with_what_is_left():
    ledger = adopted_case()
    ledger.pay(
        CASE, "C2", amount="1000", basis="plan_dividend", paid_on=date(2024, 3, 25)
    )
    view = ledger.statement(CASE, "BANK", date(2024, 12, 31))
    whats = [line.what for line in view.lines]
    assert whats[0] == "claim.declared declared"
    assert "claim.admitted" in whats and "instalment due" in whats
    assert "payment.made paid" in whats
    assert (
        view.owed == ledger.balances(CASE, date(2024, 12, 31)).claim("C2").outstanding
    )
    assert view.lines[-1].owed_after == view.owed
    assert [line.on for line in view.lines] == sorted(line.on for line in view.lines)
    assert "1 000,00" in view.to_csv()
    assert "<table>" in view.to_html() and "Bank" in view.to_html()


def test_an_unknown_creditor_is_refused() -> None:
    with pytest.raises(UnknownReferenceError):
        adopted_case().statement(CASE, "NOBODY", date(2024, 1, 1))


@settings(max_examples=25)
@given(plan_histories())
def test_each_line_shows_what_the_balances_say_on_its_date(facts) -> None:
    ledger = record_each(facts)
    case = facts[0].case
    for creditor in ledger.index(case).creditors:
        view = ledger.statement(case, creditor, date(2040, 1, 1))
        for line in view.lines:
            owed = sum(
                b.outstanding.cents
                for b in ledger.balances(case, line.on).claims
                if b.creditor == creditor
            )
            assert line.owed_after == Money._of(owed)
