"""A claim's lifecycle (plandebt.lifecycle): the transitions the law allows, what a
later step keeps of a decision, and the procedure in force by effective date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from tests.helpers import CASE, OPENED, open_basic_case, snapshot

from plandebt import InvalidInputError, Ledger, Money
from plandebt.lifecycle import TRANSITIONS, ClaimStatus

# Each step and the Ledger command that records it.
_COMMANDS = {
    ClaimStatus.ADMITTED: lambda lg, on: lg.admit_claim(
        CASE, "C9", decided_on=on, amount="600"
    ),
    ClaimStatus.REJECTED: lambda lg, on: lg.reject_claim(CASE, "C9", decided_on=on),
    ClaimStatus.CONTESTED: lambda lg, on: lg.contest_claim(CASE, "C9", decided_on=on),
    ClaimStatus.FORECLOSED: lambda lg, on: lg.foreclose_claim(
        CASE, "C9", decided_on=on
    ),
    ClaimStatus.RELIEF_REQUESTED: lambda lg, on: lg.request_relief(
        CASE, "C9", requested_on=on
    ),
    ClaimStatus.RELIEVED: lambda lg, on: lg.relieve_claim(CASE, "C9", decided_on=on),
}


def _case_with_claim_of_1000() -> Ledger:
    ledger = Ledger.open("memory")
    open_basic_case(ledger)
    ledger.declare_claim(
        CASE,
        "C9",
        creditor="BANK",
        amount="1000",
        origin_on=date(2021, 1, 1),
        rank="unsecured",
        declared_on=date(2022, 5, 4),
    )
    return ledger


@given(st.lists(st.sampled_from(sorted(_COMMANDS, key=lambda s: s.value)), max_size=6))
def test_every_step_is_accepted_exactly_when_the_lifecycle_allows_it(steps):
    ledger = _case_with_claim_of_1000()
    status = ClaimStatus.DECLARED
    on = date(2022, 6, 1)
    for step in steps:
        on += timedelta(days=10)
        allowed = step in TRANSITIONS[status]
        event(f"{status.value} -> {step.value}: {'allowed' if allowed else 'refused'}")
        before = snapshot(ledger)
        if allowed:
            _COMMANDS[step](ledger, on)
            status = step
        else:
            with pytest.raises(InvalidInputError) as refused:
                _COMMANDS[step](ledger, on)
            assert refused.value.field == "claim"
            assert snapshot(ledger) == before
        view = ledger.balances(CASE, as_of=on)
        assert view.claim("C9").status == status.value


def test_a_foreclosure_after_an_admission_is_refused_and_nothing_is_written():
    ledger = _case_with_claim_of_1000()
    ledger.admit_claim(CASE, "C9", decided_on=date(2022, 9, 1), amount="600")
    before = snapshot(ledger)
    with pytest.raises(InvalidInputError, match="admitted cannot become foreclosed"):
        ledger.foreclose_claim(CASE, "C9", decided_on=date(2022, 10, 1))
    assert snapshot(ledger) == before


def test_a_dispute_after_an_admission_keeps_the_admitted_amount_and_rank():
    ledger = _case_with_claim_of_1000()
    ledger.admit_claim(
        CASE, "C9", decided_on=date(2022, 9, 1), amount="600", rank="secured"
    )
    ledger.contest_claim(CASE, "C9", decided_on=date(2022, 10, 1))
    b = ledger.balances(CASE, as_of=date(2023, 1, 1)).claim("C9")
    assert b.status == "contested"
    assert b.admitted == Money.parse("600")
    assert b.owed == Money.parse("600")
    assert b.outstanding == Money.parse("600")
    assert b.rank.value == "secured"


def test_after_an_appeal_a_remission_is_checked_against_the_admitted_amount():
    ledger = _case_with_claim_of_1000()
    ledger.admit_claim(CASE, "C9", decided_on=date(2022, 9, 1), amount="600")
    ledger.contest_claim(CASE, "C9", decided_on=date(2022, 10, 1))
    before = snapshot(ledger)
    with pytest.raises(InvalidInputError) as refused:
        ledger.remit(
            CASE,
            "C9",
            amount="600.01",
            effective_on=date(2023, 1, 1),
            basis="plan_option",
        )
    assert refused.value.field == "amount"
    assert snapshot(ledger) == before
    ledger.remit(
        CASE, "C9", amount="600", effective_on=date(2023, 1, 1), basis="plan_option"
    )
    assert ledger.balances(CASE, as_of=date(2023, 1, 1)).claim(
        "C9"
    ).outstanding == Money(0)


def test_a_later_decision_on_appeal_replaces_the_first():
    ledger = _case_with_claim_of_1000()
    ledger.reject_claim(CASE, "C9", decided_on=date(2022, 9, 1))
    ledger.admit_claim(CASE, "C9", decided_on=date(2023, 2, 1), amount="800")
    b = ledger.balances(CASE, as_of=date(2023, 3, 1)).claim("C9")
    assert (b.status, b.admitted) == ("admitted", Money.parse("800"))


def _converted_out_of_order() -> Ledger:
    ledger = Ledger.open("memory")
    open_basic_case(ledger)  # redressement judiciaire, opened 2022-03-14
    # Recorded first, effective last.
    ledger.convert_case(
        CASE, procedure="liquidation_judiciaire", effective_on=date(2023, 6, 1)
    )
    ledger.convert_case(CASE, procedure="sauvegarde", effective_on=date(2022, 6, 1))
    return ledger


@pytest.mark.parametrize(
    ("as_of", "procedure"),
    [
        (OPENED, "redressement_judiciaire"),
        (date(2022, 5, 31), "redressement_judiciaire"),
        (date(2022, 6, 1), "sauvegarde"),
        (date(2023, 5, 31), "sauvegarde"),
        (date(2023, 6, 1), "liquidation_judiciaire"),
        (date(2030, 1, 1), "liquidation_judiciaire"),
    ],
)
def test_the_procedure_in_force_is_the_latest_effective_whatever_the_recording_order(
    as_of, procedure
):
    ledger = _converted_out_of_order()
    assert ledger.balances(CASE, as_of=as_of).procedure == procedure


def test_a_conversion_to_the_procedure_in_force_on_its_date_is_refused():
    ledger = _converted_out_of_order()
    before = snapshot(ledger)
    # On 2023-07-01 the case is in liquidation (effective 2023-06-01), although the
    # last conversion recorded is to sauvegarde.
    with pytest.raises(InvalidInputError, match="already is under this procedure"):
        ledger.convert_case(
            CASE, procedure="liquidation_judiciaire", effective_on=date(2023, 7, 1)
        )
    assert snapshot(ledger) == before
    ledger.convert_case(CASE, procedure="sauvegarde", effective_on=date(2023, 7, 1))
