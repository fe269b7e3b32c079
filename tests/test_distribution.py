"""Distributions (plandebt.distribution): the commissaire pays the instalments the
remitted money covers, oldest due first, a day's instalments in proportion, reserving
what falls to claims without a decision (L626-21 al. 4), to the cent."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import event, given, settings
from tests.helpers import CASE, snapshot
from tests.test_plan import adopted_case, record_each

from plandebt import InvalidInputError, Ledger, Money, UnknownReferenceError
from plandebt.events import InstalmentRemitted, PaymentBasis, PaymentMade
from plandebt.strategies import plan_histories

YEAR_1 = date(2024, 3, 20)  # the first anniversary of the adoption on 2023-03-20


def _remit(ledger: Ledger, amount: str, on: date = YEAR_1) -> str:
    return ledger.remit_instalment(CASE, amount=amount, paid_on=on).id


def _dividends(ledger: Ledger) -> dict[str, int]:
    out: dict[str, int] = {}
    for f in ledger.history(CASE):
        if isinstance(f, PaymentMade) and f.basis is PaymentBasis.PLAN_DIVIDEND:
            out[f.claim] = out.get(f.claim, 0) + f.amount.cents
    return out


def _year_1(ledger: Ledger) -> dict[str, int]:
    schedule = ledger.schedule(CASE)
    assert schedule is not None
    return {
        c.claim: sum(
            i.amount.cents
            for i, on in zip(c.instalments, c.dues, strict=True)
            if on <= YEAR_1
        )
        for c in schedule.claims
    }


def test_a_remittance_of_the_whole_instalment_pays_every_creditor_its_instalment():
    ledger = adopted_case()
    due = _year_1(ledger)
    remittance = _remit(ledger, Money._of(sum(due.values())).plain())
    plan = ledger.distribute_remittance(CASE, remittance)
    assert {d.claim: d.amount.cents for d in plan.dividends} == due
    assert _dividends(ledger) == due
    assert plan.ahead == Money(0) and plan.reserved == Money(0)


def test_distributing_the_same_remittance_again_records_nothing():
    ledger = adopted_case()
    remittance = _remit(ledger, "10000.00")
    ledger.distribute_remittance(CASE, remittance)
    before = snapshot(ledger)
    again = ledger.distribute_remittance(CASE, remittance)
    assert again.dividends == ()
    assert snapshot(ledger) == before


def test_a_partial_remittance_is_shared_in_proportion_then_completed_without_drift():
    ledger = adopted_case()
    due = _year_1(ledger)
    total = sum(due.values())
    first = _remit(ledger, Money._of(total // 3).plain())
    ledger.distribute_remittance(CASE, first)
    paid = _dividends(ledger)
    assert sum(paid.values()) == total // 3
    for claim, cents in paid.items():  # within a cent of the exact share
        assert abs(cents * total - due[claim] * (total // 3)) < total
    rest = _remit(ledger, Money._of(total - total // 3).plain())
    ledger.distribute_remittance(CASE, rest)
    assert _dividends(ledger) == due


def test_a_tied_cent_goes_to_the_earliest_claim_of_the_schedule():
    ledger = adopted_case()
    due = _year_1(ledger)
    order = [c.claim for c in ledger.schedule(CASE).claims]
    # One cent shared by two instalments: the one with the larger remainder wins,
    # and the shares are proportional to the instalments (not equal): check exactly.
    plan = ledger.distribute_remittance(CASE, _remit(ledger, "0.01"))
    (dividend,) = plan.dividends
    weights = [due[c] for c in order]
    expected = Money._of(1).split(weights)
    assert dividend.claim == order[[m.cents for m in expected].index(1)]


def test_what_falls_to_a_claim_without_a_decision_is_reserved_not_paid():
    ledger = adopted_case()
    ledger.declare_claim(
        CASE,
        "C3",
        creditor="BANK",
        amount="100000.00",
        origin_on=date(2021, 1, 1),
        rank="unsecured",
        declared_on=date(2022, 5, 4),
    )
    due = _year_1(ledger)
    remittance = _remit(ledger, Money._of(sum(due.values())).plain())
    plan = ledger.distribute_remittance(CASE, remittance)
    assert "C3" not in {d.claim for d in plan.dividends}
    assert plan.reserved == Money._of(due["C3"])
    assert plan.total + plan.reserved == plan.covered


def test_money_remitted_before_anything_is_due_waits_for_the_first_due_date():
    ledger = adopted_case()
    early = _remit(ledger, "5000.00", on=date(2023, 6, 1))
    plan = ledger.distribute_remittance(CASE, early)
    assert plan.dividends == () and plan.ahead == Money.parse("5000")


def test_a_dry_run_records_nothing_and_a_bad_remittance_is_refused():
    ledger = adopted_case()
    remittance = _remit(ledger, "10000.00")
    before = snapshot(ledger)
    plan = ledger.distribute_remittance(CASE, remittance, dry_run=True)
    assert plan.total == Money.parse("10000")
    assert snapshot(ledger) == before
    with pytest.raises(UnknownReferenceError):
        ledger.distribute_remittance(CASE, "no-such-remittance")
    with pytest.raises(InvalidInputError) as refused:
        ledger.distribute_remittance(CASE, remittance, paid_on="2024-03-19")
    assert refused.value.field == "paid_on"
    assert snapshot(ledger) == before


@settings(max_examples=30)
@given(plan_histories())
def test_distributing_every_remittance_in_turn_adds_up_and_never_overpays(facts):
    ledger = record_each(facts)
    remittances = [
        f for f in ledger.history("CASE-1") if isinstance(f, InstalmentRemitted)
    ]
    event(f"remittances: {min(len(remittances), 3)}+")
    for r in sorted(remittances, key=lambda f: (f.effective_on, f.seq)):
        try:
            plan = ledger.distribute_remittance("CASE-1", r.id, dry_run=True)
        except InvalidInputError:
            continue  # e.g. the plan ended before this remittance
        assert plan.covered + plan.ahead == plan.remitted_to_supervisor
        assert all(d.amount.is_positive for d in plan.dividends)
        received = _claim_dividends(ledger, "CASE-1", plan.paid_on)
        ledger.distribute_remittance("CASE-1", r.id)
        after = _claim_dividends(ledger, "CASE-1", plan.paid_on)
        schedule = ledger.schedule("CASE-1", plan.paid_on)
        assert schedule is not None
        for c in schedule.claims:
            due = sum(
                i.amount.cents
                for i, on in zip(c.instalments, c.dues, strict=True)
                if on <= plan.paid_on
            )
            paid = sum(d.amount.cents for d in plan.dividends if d.claim == c.claim)
            assert after.get(c.claim, 0) - received.get(c.claim, 0) == paid
            # It never takes a claim beyond what fell due to it (the history may
            # have paid some dividends by hand beyond that already).
            assert after.get(c.claim, 0) <= max(due, received.get(c.claim, 0))


def _claim_dividends(ledger: Ledger, case: str, by: date) -> dict[str, int]:
    index = ledger.index(case)
    out: dict[str, int] = {}
    for fact_id in index.versions:
        current = index.at(fact_id)
        if (
            isinstance(current, PaymentMade)
            and current.basis is PaymentBasis.PLAN_DIVIDEND
            and current.effective_on <= by
        ):
            out[current.claim] = out.get(current.claim, 0) + current.amount.cents
    return out
