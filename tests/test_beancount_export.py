"""The case as a Beancount ledger (plandebt.beancount_export): Beancount accepts it,
and each claim's account balance, on any date plandebt shows the claim, is minus its
outstanding."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plandebt import Ledger
from plandebt.beancount_export import claim_account, component, to_beancount
from plandebt.strategies import case_histories, support_and_employment_histories

loader = pytest.importorskip("beancount.loader", reason="beancount is a test tool")
realization = pytest.importorskip("beancount.core.realization")


def _check(facts: list, dates: list[date]) -> None:
    ledger = Ledger.open("memory")
    ledger.record_all(facts)
    case = facts[0].case
    text = to_beancount(ledger.index(case))
    entries, errors, _options = loader.load_string(text)
    assert not errors, (errors, text)
    for as_of in dates:
        real = realization.realize([e for e in entries if e.date <= as_of])
        for b in ledger.balances(case, as_of).claims:
            node = realization.get(real, claim_account(b.creditor, b.claim))
            cents = 0
            if node is not None:
                units = node.balance.get_currency_units("EUR")
                cents = int(units.number * 100)
            assert -cents == b.outstanding.cents, (as_of, b.claim)


@settings(max_examples=25)
@given(case_histories(), st.lists(st.integers(0, 6000), min_size=1, max_size=4))
def test_claim_balances_equal_plandebts_at_many_dates(facts, offsets) -> None:
    opened = facts[0].effective_on
    _check(facts, [opened + timedelta(days=d) for d in offsets])


@settings(max_examples=10)
@given(support_and_employment_histories(), st.integers(0, 6000))
def test_with_support_employment_and_the_ags_too(facts, offset) -> None:
    _check(facts, [facts[0].effective_on + timedelta(days=offset)])


@given(st.text(min_size=1, max_size=12), st.text(min_size=1, max_size=12))
def test_two_ids_never_share_an_account(a: str, b: str) -> None:
    if a != b:
        assert component(a) != component(b)
    assert component(a)[0].isalnum() and component(a)[0] == component(a)[0].upper()
