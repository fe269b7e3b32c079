"""Group support and employment (law primer §2.5, §6, §7)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.helpers import CASE, OPENED, open_basic_case

from plandebt import InvalidInputError, Ledger, Money, legal_severance, ruleset_for
from plandebt.strategies import money

ADOPTED = date(2023, 3, 20)


def case_with_plan() -> Ledger:
    ledger = Ledger.open("memory")
    open_basic_case(ledger)
    ledger.register_creditor(
        CASE, "GROUP", name="Parent SA", creditor_kind="group_company"
    )
    ledger.declare_claim(
        CASE,
        "IC-2021",
        creditor="GROUP",
        amount="500000",
        origin_on=date(2021, 12, 31),
        rank="unsecured",
        declared_on=date(2022, 5, 2),
    )
    ledger.adopt_plan(
        CASE,
        adopted_on=ADOPTED,
        duration_years=10,
        supervisor="Me S",
        options=[{"option": "u", "percents": ["10"] * 10}],
        uniform_option="u",
    )
    return ledger


def employee_claim(ledger: Ledger, employee: str = "E1", amount: str = "12000") -> None:
    ledger.register_creditor(CASE, employee, name=employee, creditor_kind="employee")
    ledger.declare_claim(
        CASE,
        f"{employee}-1",
        creditor=employee,
        amount=amount,
        origin_on=date(2022, 9, 30),
        rank="salary_privileged",
        declared_on=date(2022, 10, 3),
        declared_by="mandataire",
    )


# --- properties --------------------------------------------------------------------------


@given(money(1, 10**7), st.integers(0, 100))
def test_an_ags_advance_moves_money_from_the_employee_to_the_ags(amount, share) -> None:
    ledger = Ledger.open("memory")
    open_basic_case(ledger)
    employee_claim(ledger, amount=amount.plain())
    before = ledger.balances(CASE, date(2024, 1, 1))
    superprivileged = Money(amount.cents * share // 100)
    ledger.advance_ags(
        CASE,
        "E1",
        "E1-1",
        superprivileged=superprivileged,
        privileged=amount - superprivileged,
        paid_on=date(2022, 10, 15),
    )
    after = ledger.balances(CASE, date(2024, 1, 1))
    assert after.total.outstanding == before.total.outstanding
    assert after.claim("E1-1").outstanding == Money(0)
    assert after.claim("E1-1").subrogated == amount
    ags = [b for b in after.claims if b.creditor == "AGS"]
    assert sum(b.outstanding.cents for b in ags) == amount.cents
    assert {b.rank.value for b in ags} <= {"ags_superprivileged", "salary_privileged"}


@given(
    st.lists(
        st.tuples(money(1, 10**8), st.sampled_from(["capital_increase", "subsidy"])),
        min_size=1,
        max_size=5,
    )
)
def test_capital_received_never_changes_the_liability(contributions) -> None:
    ledger = case_with_plan()
    ledger.commit_support(
        CASE,
        "K1",
        investor="GROUP",
        committed_on=date(2022, 10, 1),
        tranches=[{"due_on": "2023-04-30", "amount": "1.00"}],
    )
    before = ledger.balances(CASE, date(2030, 1, 1)).total
    for n, (amount, form) in enumerate(contributions):
        ledger.receive_contribution(
            CASE,
            "K1",
            amount=amount,
            form=form,
            received_on=date(2023, 4, 1) + timedelta(n),
        )
    assert ledger.balances(CASE, date(2030, 1, 1)).total == before
    received = ledger.support(CASE, date(2030, 1, 1)).received_by_form
    assert sum(m.cents for m in received.values()) == sum(
        a.cents for a, _ in contributions
    )


@given(money(1, 500000 * 100), st.lists(money(1, 10**8), max_size=6))
def test_revived_amounts_never_exceed_what_was_waived(waived, revivals) -> None:
    ledger = case_with_plan()
    waiver = ledger.write_off(
        CASE,
        "IC-2021",
        amount=waived,
        clause="better_fortune",
        effective_on=date(2022, 12, 15),
    )
    total_revived = 0
    for n, amount in enumerate(revivals):
        try:
            ledger.revive_waiver(
                CASE,
                waiver.id,
                amount=amount,
                revived_on=date(2024, 1, 1) + timedelta(n),
            )
            total_revived += amount.cents
        except InvalidInputError as e:
            assert e.field == "amount"
            assert total_revived + amount.cents > waived.cents
    view = ledger.support(CASE, date(2030, 1, 1))
    (status,) = view.waivers
    assert status.revived.cents == total_revived <= waived.cents
    assert status.contingent.cents == waived.cents - total_revived
    balance = ledger.balances(CASE, date(2030, 1, 1)).claim("IC-2021")
    assert balance.written_off.cents == waived.cents - total_revived
    assert balance.outstanding.cents == 500000 * 100 - waived.cents + total_revived


# --- specifications --------------------------------------------------------------------------


def test_legal_severance_for_twelve_years_at_3000_a_month_is_9500() -> None:
    rules = ruleset_for(OPENED)
    assert legal_severance(Money.parse("3000"), 144, rules) == Money.parse("9500.00")
    assert legal_severance(Money.parse("3000"), 7, rules) == Money(0)  # under 8 months
    assert legal_severance(Money.parse("3000"), 8, rules) == Money.parse("500.00")


def test_a_departure_one_month_and_one_day_after_adoption_is_outside_the_ags_window() -> (
    None
):
    ledger = case_with_plan()
    ledger.record_departure(
        CASE,
        "IN",
        departure="economic_dismissal",
        left_on=date(2023, 4, 20),
        seniority_months=30,
        monthly_pay="2500",
    )
    ledger.record_departure(
        CASE,
        "OUT",
        departure="economic_dismissal",
        left_on=date(2023, 4, 21),
        seniority_months=30,
        monthly_pay="2500",
    )
    ledger.record_departure(
        CASE,
        "OBS",
        departure="voluntary_pse",
        left_on=date(2022, 7, 1),
        seniority_months=30,
        monthly_pay="2500",
    )
    windows = {
        d.employee: d.ags_window
        for d in ledger.employment(CASE, date(2024, 1, 1)).departures
    }
    assert windows == {"IN": "after_adoption", "OUT": None, "OBS": "observation"}


def test_a_contribution_tranche_unpaid_at_its_due_date_is_late_the_day_after() -> None:
    ledger = case_with_plan()
    ledger.commit_support(
        CASE,
        "K1",
        investor="GROUP",
        committed_on=date(2022, 10, 1),
        condition="plan_adoption",
        tranches=[
            {"due_on": "2023-04-30", "amount": "1000"},
            {"due_on": "2024-04-30", "amount": "1000"},
        ],
    )
    on_due = ledger.support(CASE, date(2023, 4, 30)).tranches[0]
    day_after = ledger.support(CASE, date(2023, 5, 1)).tranches[0]
    assert (on_due.late, day_after.late) == (False, True)
    assert ledger.support(CASE, date(2023, 5, 1)).by_investor()["GROUP"][
        "late"
    ] == Money.parse("1000")
    ledger.receive_contribution(
        CASE, "K1", amount="1000", form="capital_increase", received_on=date(2023, 5, 3)
    )
    assert not ledger.support(CASE, date(2023, 5, 3)).tranches[0].late


def test_tranches_conditional_on_the_plan_wait_for_its_adoption() -> None:
    ledger = Ledger.open("memory")
    open_basic_case(ledger)
    ledger.commit_support(
        CASE,
        "K1",
        investor="INVESTOR",
        committed_on=date(2022, 10, 1),
        condition="plan_adoption",
        tranches=[{"due_on": "2023-01-31", "amount": "1000"}],
    )
    (tranche,) = ledger.support(CASE, date(2023, 6, 1)).tranches
    assert tranche.suspended and not tranche.late


def test_a_current_account_advance_is_new_money_outside_the_plan() -> None:
    ledger = case_with_plan()
    ledger.commit_support(
        CASE,
        "K1",
        investor="GROUP",
        committed_on=date(2022, 10, 1),
        form="current_account_advance",
        tranches=[{"due_on": "2023-04-30", "amount": "250000"}],
    )
    ledger.receive_contribution(
        CASE,
        "K1",
        amount="250000",
        form="current_account_advance",
        received_on=date(2023, 4, 28),
        claim="ADV-1",
    )
    advance = ledger.balances(CASE, date(2023, 5, 1)).claim("ADV-1")
    assert (advance.rank.value, advance.frozen, advance.outstanding) == (
        "new_money",
        False,
        Money.parse("250000"),
    )
    assert "ADV-1" not in {c.claim for c in ledger.schedule(CASE).claims}


def test_equity_never_appears_as_a_debt() -> None:
    ledger = case_with_plan()
    ledger.commit_support(
        CASE,
        "K1",
        investor="GROUP",
        committed_on=date(2022, 10, 1),
        tranches=[{"due_on": "2023-04-30", "amount": "1000"}],
    )
    with pytest.raises(InvalidInputError) as e:
        ledger.receive_contribution(
            CASE,
            "K1",
            amount="1000",
            form="capital_increase",
            received_on=date(2023, 4, 28),
            claim="EQ-1",
        )
    assert e.value.field == "claim"


def test_a_pure_waiver_cannot_revive() -> None:
    ledger = case_with_plan()
    waiver = ledger.write_off(
        CASE, "IC-2021", amount="1000", clause="pure", effective_on=date(2022, 12, 15)
    )
    before = list(ledger.export())
    with pytest.raises(InvalidInputError) as e:
        ledger.revive_waiver(CASE, waiver.id, amount="1", revived_on=date(2024, 1, 1))
    assert e.value.field == "waiver"
    assert list(ledger.export()) == before


def test_an_intercompany_balance_rescheduled_over_ten_years_follows_its_agreement() -> (
    None
):
    ledger = case_with_plan()
    ledger.reschedule_claim(
        CASE, "IC-2021", percents=["5"] * 10 + ["5"] * 10, agreed_on=date(2023, 1, 15)
    )
    (row,) = [c for c in ledger.schedule(CASE).claims if c.claim == "IC-2021"]
    assert row.treatment == "agreement" and len(row.instalments) == 20
    assert row.scheduled == Money.parse("500000")
    assert row.instalments[-1].due_on == date(2043, 3, 20)


def test_severance_paid_by_source_and_the_ags_claim_in_the_employment_view() -> None:
    ledger = case_with_plan()
    employee_claim(ledger, "E1", "12000")
    ledger.record_departure(
        CASE,
        "E1",
        departure="economic_dismissal",
        left_on=date(2022, 9, 30),
        seniority_months=144,
        monthly_pay="3000",
    )
    ledger.agree_severance(CASE, "E1", amount="12000", agreed_on=date(2022, 9, 30))
    ledger.pay_severance(
        CASE, "E1", amount="2000", funding="group_support", paid_on=date(2022, 10, 1)
    )
    ledger.advance_ags(
        CASE,
        "E1",
        "E1-1",
        superprivileged="6000",
        privileged="4000",
        paid_on=date(2022, 10, 15),
    )
    view = ledger.employment(CASE, date(2023, 1, 1))
    (d,) = view.departures
    assert (d.legal_minimum, d.agreed, d.paid_by_group, d.advanced_by_ags) == (
        Money.parse("9500"),
        Money.parse("12000"),
        Money.parse("2000"),
        Money.parse("10000"),
    )
    assert view.ags_claims == Money.parse("10000")
    assert view.by_kind() == {"economic_dismissal": 1}


def test_an_ags_advance_above_what_the_employee_is_owed_is_refused() -> None:
    ledger = case_with_plan()
    employee_claim(ledger, "E1", "1000")
    before = list(ledger.export())
    with pytest.raises(InvalidInputError):
        ledger.advance_ags(
            CASE,
            "E1",
            "E1-1",
            superprivileged="600",
            privileged="400.01",
            paid_on=date(2022, 10, 15),
        )
    assert list(ledger.export()) == before
