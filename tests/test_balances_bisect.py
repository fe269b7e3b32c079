"""The balances found by bisect (`projections.balances._ClaimRows`, the answers a
claim keeps across queries, and `CaseIndex.dividends`) are those of summing the
claim's facts again at each query, at every (as_of, known_at), with corrections and
voids, and while facts keep arriving."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.test_balances_properties import record_each

from plandebt import Fact
from plandebt.decisions.state import CaseState
from plandebt.events import PaymentBasis, PaymentMade
from plandebt.projections import balances
from plandebt.projections.index import CaseIndex
from plandebt.strategies import case_histories


def summed_again(
    state: CaseState, claim: str, as_of: date | None, position: int
) -> balances.ClaimBalance | None:
    # A bare state is not an index: claim_balance sums the claim's rows again.
    return balances.claim_balance(state, claim, as_of, position)


def dividends_scanned(
    state: CaseState, claim: str, position: int
) -> list[tuple[date, int]]:
    return [
        (f.effective_on, f.amount.cents)
        for f in state.facts_about(claim, position)
        if isinstance(f, PaymentMade) and f.basis is PaymentBasis.PLAN_DIVIDEND
    ]


def days_of(facts: list[Fact]) -> list[date | None]:
    """Every date a fact is effective on, a day either side, and None."""
    days: set[date] = set()
    for fact in facts:
        for on in (fact.effective_on, getattr(fact, "origin_on", None)):
            if isinstance(on, date):
                days.update((on - timedelta(1), on, on + timedelta(1)))
    return [None, *sorted(days)]


def check_every_view(index: CaseIndex, facts: list[Fact], order: list[int]) -> None:
    state = index.state
    days = days_of(facts)
    positions = range(index.head + 1)
    pairs = [(p, d) for p in positions for d in days]
    # Asked in a drawn order, so that answers kept from earlier queries are reused.
    for i in order:
        position, day = pairs[i % len(pairs)]
        for claim in index.claims:
            assert balances.claim_balance(index, claim, day, position) == summed_again(
                state, claim, day, position
            ), (claim, day, position)
            assert index.dividends(claim, position) == dividends_scanned(
                state, claim, position
            )


@settings(max_examples=60, deadline=None)
@given(
    case_histories(max_operations=20),
    st.lists(st.integers(0, 10**6), min_size=30, max_size=120),
)
def test_bisected_balances_are_the_summed_ones(
    facts: list[Fact], order: list[int]
) -> None:
    ledger = record_each(facts)
    index = ledger.index("CASE-1")
    check_every_view(index, facts, order)
    # Everything, in order, too: each pair at least once.
    check_every_view(index, facts, list(range(index.head * len(days_of(facts)) + 1)))


@settings(max_examples=30, deadline=None)
@given(
    case_histories(max_operations=15),
    st.lists(st.integers(0, 10**6), min_size=10, max_size=30),
)
def test_answers_kept_follow_the_facts_that_arrive(
    facts: list[Fact], order: list[int]
) -> None:
    """Queried after each fact (a correction, a void or a registration after
    answers were kept), the index still answers as a fresh sum."""
    ledger = record_each(facts[:1])
    for fact in facts[1:]:
        ledger.record(fact)
        index = ledger.index("CASE-1")
        check_every_view(index, facts, order)
