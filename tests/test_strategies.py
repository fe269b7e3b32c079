"""The strategies users import: what they generate is what they promise."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plandebt import Ledger, check_plan_proposal
from plandebt.events import Fact, fact_kinds
from plandebt.strategies import (
    FACT_STRATEGIES,
    PROPOSAL_BREAKS,
    case_histories,
    history_with,
    journals,
    plan_histories,
    plan_proposals,
    procedures,
    support_and_employment_histories,
)


@given(case_histories())
def test_every_generated_history_is_accepted_by_the_ledger(facts) -> None:
    ledger = Ledger.open("memory")
    assert len(ledger.record_all(facts)) == len(facts)


@settings(max_examples=30)
@given(plan_histories())
def test_every_generated_plan_history_is_accepted_by_the_ledger(facts) -> None:
    ledger = Ledger.open("memory")
    ledger.record_all(facts)
    assert ledger.schedule("CASE-1") is not None


@given(journals())
def test_generated_journals_import(lines) -> None:
    assert Ledger.open("memory").import_journal(lines)


@given(plan_proposals())
def test_a_lawful_proposal_has_no_finding(pair) -> None:
    plan, opened_on = pair
    assert check_plan_proposal(plan, opened_on=opened_on) == []


@given(
    st.sampled_from(PROPOSAL_BREAKS).flatmap(
        lambda rule: st.tuples(st.just(rule), plan_proposals(broken=rule))
    )
)
def test_a_proposal_broken_in_one_named_way_yields_exactly_that_finding(case) -> None:
    rule, (plan, opened_on) = case
    findings = check_plan_proposal(plan, opened_on=opened_on)
    assert {f.rule for f in findings} == {rule}


@given(procedures())
def test_procedures_straddle_the_2021_reform(pair) -> None:
    kind, opened_on = pair
    assert kind.value in ("sauvegarde", "redressement_judiciaire")
    assert opened_on.year >= 2016


@settings(max_examples=30)
@given(support_and_employment_histories())
def test_money_is_conserved_through_waivers_revivals_and_subrogations(facts) -> None:
    from datetime import date

    from plandebt.events import AgsAdvanced, ClaimWrittenOff, WaiverRevived

    ledger = Ledger.open("memory")
    ledger.record_all(facts)
    view = ledger.balances("CASE-1", date(2100, 1, 1))
    for b in view.claims:
        assert b.owed + b.interest == (
            b.paid + b.remission + b.written_off + b.subrogated + b.outstanding
        )
    advances = [f for f in facts if isinstance(f, AgsAdvanced)]
    assert view.total.subrogated.cents == sum(f.amount.cents for f in advances)
    ags = sum(
        b.declared.cents
        for b in view.claims
        if b.creditor == "AGS" and b.claim.endswith(("-AGS-SP", "-AGS-P"))
    )
    assert ags == sum(f.amount.cents for f in advances)  # moved, not created
    waived = {f.id: f.amount.cents for f in facts if isinstance(f, ClaimWrittenOff)}
    for f in facts:
        if isinstance(f, WaiverRevived):
            waived[f.waiver] -= f.amount.cents
    assert all(left >= 0 for left in waived.values())


def test_every_fact_kind_has_a_strategy() -> None:
    missing = sorted(
        kind for kind, fact in fact_kinds().items() if fact not in FACT_STRATEGIES
    )
    assert not missing, (
        f"no strategy draws these fact kinds: {', '.join(missing)}; "
        "give each a step in plandebt.strategies"
    )
    assert set(FACT_STRATEGIES) == set(fact_kinds().values())


def test_a_kind_without_a_strategy_is_refused_by_name() -> None:
    class Unheard(Fact):  # not registered: no kind text
        pass

    with pytest.raises(ValueError, match="Unheard"):
        history_with(Unheard)


@pytest.mark.parametrize("kind", sorted(fact_kinds()))
@settings(max_examples=4)
@given(data=st.data())
def test_the_history_drawn_for_a_kind_holds_it_and_is_accepted(kind, data) -> None:
    fact = fact_kinds()[kind]
    facts = data.draw(history_with(fact, case="CASE-K"))
    assert any(type(f) is fact for f in facts)
    ledger = Ledger.open("memory")
    assert len(ledger.record_all(facts)) == len(facts)
