"""Compliance rules: each one passes, and fails exactly at its boundary, with its
article and evidence (law primer, whole)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.helpers import CASE, OPENED, open_basic_case, snapshot

from plandebt import (
    Fact,
    InvalidInputError,
    Ledger,
    Money,
    Severity,
    check_plan_proposal,
)
from plandebt.cli import main
from plandebt.compliance import RULES, rules_markdown
from plandebt.demo import CASE as DEMO
from plandebt.events import CaseOpened

ROOT = Path(__file__).resolve().parents[1]
ADOPTED = date(2023, 3, 20)
UNIFORM = ["2", "3", "5", "8", "10", "12", "12", "15", "15", "18"]


def rule_findings(ledger: Ledger, rule: str, as_of: date, case: str = CASE) -> list:
    return [f for f in ledger.check(case, as_of).findings if f.rule == rule]


def adopted(percents=UNIFORM, opened_on: date = OPENED, **plan) -> Ledger:
    ledger = Ledger.open("memory")
    ledger.open_case(
        CASE,
        procedure=plan.pop("procedure", "redressement_judiciaire"),
        court="TJ",
        debtor="D",
        opened_on=opened_on,
        bodacc_published_on=opened_on + timedelta(14),
        **plan.pop("opening", {}),
    )
    ledger.register_creditor(CASE, "BANK", name="Bank", creditor_kind="bank")
    ledger.declare_claim(
        CASE,
        "C1",
        creditor="BANK",
        amount="100000",
        origin_on=opened_on - timedelta(30),
        rank="unsecured",
        declared_on=opened_on + timedelta(30),
    )
    ledger.admit_claim(CASE, "C1", decided_on=opened_on + timedelta(120))
    adopted_on = plan.pop("adopted_on", ADOPTED)
    fields = {
        "duration_years": 10,
        "supervisor": "S",
        "options": [{"option": "u", "percents": percents}],
        "uniform_option": "u",
    } | plan
    ledger.adopt_plan(CASE, adopted_on=adopted_on, **fields)
    return ledger


# --- L622-7 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "basis, ref, expected",
    [
        ("none", None, 1),
        ("post_opening_at_maturity", None, 1),
        ("connected_setoff", None, 0),
        ("jc_authorisation", "Ord. JC 1", 0),
        ("alimentary", None, 0),
    ],
)
def test_a_frozen_claim_paid_after_the_opening_needs_a_lawful_basis(
    basis, ref, expected
) -> None:
    ledger = Ledger.open("memory")
    open_basic_case(ledger)
    fields = {"authorisation_ref": ref} if ref else {}
    payment = ledger.pay(
        CASE, "C1", amount="100", paid_on=OPENED, basis=basis, **fields
    )
    found = rule_findings(ledger, "L622-7.payment-without-basis", date(2023, 1, 1))
    assert len(found) == expected
    if found:
        assert found[0].article == "C. com. L622-7"
        assert found[0].severity is Severity.ERROR
        assert payment.id in found[0].evidence


def test_a_plan_dividend_before_adoption_is_unlawful_and_after_it_is_lawful() -> None:
    ledger = adopted()
    early = ledger.distribute(CASE, "C1", amount="10", paid_on=ADOPTED - timedelta(1))
    ledger.distribute(CASE, "C1", amount="10", paid_on=ADOPTED)
    (found,) = rule_findings(ledger, "L622-7.payment-without-basis", date(2024, 1, 1))
    assert early.id in found.evidence


# --- declarations ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "abroad, declared_on, late",
    [
        # BODACC 2022-03-28 + 2 months is Saturday 28 May 2022: the deadline runs to
        # Monday 30 May (CPC art. 642).
        (False, date(2022, 5, 30), False),
        (False, date(2022, 5, 31), True),
        (True, date(2022, 7, 28), False),  # + 4 months abroad
        (True, date(2022, 7, 29), True),
    ],
)
def test_a_claim_declared_after_the_deadline_is_a_finding(
    abroad, declared_on, late
) -> None:
    ledger = Ledger.open("memory")
    open_basic_case(ledger)
    ledger.register_creditor(
        CASE, "X", name="X", creditor_kind="supplier", abroad=abroad
    )
    claim = ledger.declare_claim(
        CASE,
        "CX",
        creditor="X",
        amount="10",
        origin_on=date(2022, 1, 1),
        rank="unsecured",
        declared_on=declared_on,
    )
    found = rule_findings(ledger, "R622-24.late-declaration", date(2023, 1, 1))
    assert bool(found) == late
    if late:
        assert found[0].evidence[0] == claim.id and found[0].claim == "CX"


def test_relief_requested_within_six_months_passes_one_day_later_fails() -> None:
    for requested_on, expected in ((date(2022, 9, 28), 0), (date(2022, 9, 29), 1)):
        ledger = Ledger.open("memory")
        open_basic_case(ledger)
        ledger.foreclose_claim(CASE, "C1", decided_on=date(2022, 6, 1))
        ledger.request_relief(CASE, "C1", requested_on=requested_on)
        assert (
            len(rule_findings(ledger, "L622-26.late-relief-request", date(2023, 1, 1)))
            == expected
        )


# --- observation period ------------------------------------------------------------------


@pytest.mark.parametrize(
    "procedure, opened_on, months, fails",
    [
        ("redressement_judiciaire", date(2022, 3, 14), 18, False),
        ("redressement_judiciaire", date(2022, 3, 14), 18, True),
        ("sauvegarde", date(2022, 3, 14), 12, False),
        ("sauvegarde", date(2022, 3, 14), 12, True),
        ("sauvegarde", date(2021, 9, 30), 18, False),  # before the 2021 reform
    ],
)
def test_the_observation_period_may_not_exceed_what_the_procedure_allows(
    procedure, opened_on, months, fails
) -> None:
    from plandebt.calendar import add_months

    adoption = add_months(opened_on, months) + timedelta(1 if fails else 0)
    ledger = adopted(opened_on=opened_on, procedure=procedure, adopted_on=adoption)
    found = rule_findings(ledger, "L621-3.observation-too-long", adoption)
    assert bool(found) == fails


# --- the plan's terms ------------------------------------------------------------------------


def test_a_plan_of_ten_years_passes_eleven_fails() -> None:
    assert not rule_findings(
        adopted(duration_years=10), "L626-12.plan-too-long", date(2024, 1, 1)
    )
    (found,) = rule_findings(
        adopted(duration_years=11), "L626-12.plan-too-long", date(2024, 1, 1)
    )
    assert found.article == "C. com. L626-12, L626-26"


# --- farming: two facts (L626-12, L626-18 al. 4) ----------------------------------------

NATURAL_PERSON = {"farming_natural_person": True}
FARMING_COMPANY = {"farming_business": True}  # an EARL, a GAEC...
OLD_FLAG = {"agricultural": True}  # journals written before the split
#: Year 3 at 4 %, below the 5 % minimum; the sum is 100 %.
LOW_YEAR_THREE = ["10", "10", "4", "4", "4", "8", "15", "15", "15", "15"]


@pytest.mark.parametrize(
    "opening, longest",
    [
        (NATURAL_PERSON, 15),
        (NATURAL_PERSON | FARMING_COMPANY, 15),
        (OLD_FLAG, 15),  # the old flag meant a farming natural person
        (FARMING_COMPANY, 10),  # a farming company stays at 10 (Cass. com. 2017)
        ({"farming_natural_person": False, "farming_business": True}, 10),
        ({}, 10),
    ],
)
def test_L626_12_a_farming_natural_person_may_have_15_years_a_farming_company_10(
    opening: dict, longest: int
) -> None:
    rule = "L626-12.plan-too-long"
    at_most = adopted(duration_years=longest, opening=opening)
    assert not rule_findings(at_most, rule, date(2024, 1, 1))
    one_more = adopted(duration_years=longest + 1, opening=opening)
    (found,) = rule_findings(one_more, rule, date(2024, 1, 1))
    assert f"more than the {longest} the law allows" in found.message


@pytest.mark.parametrize(
    "opening, exempt",
    [
        (FARMING_COMPANY, True),
        (NATURAL_PERSON, True),  # a natural person farming runs a farming business
        (OLD_FLAG, True),
        ({"farming_natural_person": False, "farming_business": True}, True),
        ({"farming_natural_person": False, "farming_business": False}, False),
        ({}, False),
    ],
)
def test_L626_18_a_farming_business_of_any_form_has_no_minimum_annuities(
    opening: dict, exempt: bool
) -> None:
    rule = "L626-18.annuity-below-minimum"
    ledger = adopted(LOW_YEAR_THREE, opening=opening)
    assert bool(rule_findings(ledger, rule, date(2024, 1, 1))) is not exempt
    # The same plan meeting the minimums gives no finding either way.
    assert not rule_findings(adopted(opening=opening), rule, date(2024, 1, 1))


@pytest.mark.parametrize(
    "opening, field",
    [
        (
            {"farming_natural_person": True, "farming_business": False},
            "farming_business",
        ),
        ({"agricultural": True, "farming_business": True}, "agricultural"),
        ({"agricultural": True, "farming_natural_person": False}, "agricultural"),
    ],
)
def test_farming_facts_that_contradict_each_other_are_refused(
    opening: dict, field: str
) -> None:
    ledger = Ledger.open("memory")
    with pytest.raises(InvalidInputError) as refused:
        ledger.open_case(
            CASE,
            procedure="sauvegarde",
            court="TJ",
            debtor="D",
            opened_on=OPENED,
            **opening,
        )
    assert refused.value.field == field
    assert snapshot(ledger) == []
    with pytest.raises(InvalidInputError):
        check_plan_proposal(
            {"adopted_on": "2023-03-20", "duration_years": 10, "options": []},
            opened_on=OPENED,
            **opening,
        )


def test_a_journal_line_with_the_old_agricultural_flag_still_reads() -> None:
    line = {
        "kind": "case.opened",
        "case": CASE,
        "id": "opening",
        "effective_on": OPENED.isoformat(),
        "procedure": "redressement_judiciaire",
        "court": "TJ",
        "debtor": "Ferme Martin",
        "agricultural": True,
    }
    ledger = Ledger.open("memory")
    opening = ledger.record(Fact.from_dict(line))
    assert isinstance(opening, CaseOpened)
    assert (opening.is_farming_natural_person, opening.is_farming_business) == (
        True,
        True,
    )
    # Its journal form is what it was: the hash chain of old stores stays valid.
    assert opening.to_dict()["agricultural"] is True
    assert "farming_natural_person" not in opening.to_dict()


def test_check_plan_reads_the_two_farming_facts_of_a_proposal(tmp_path, capsys) -> None:
    plan = {
        "adopted_on": "2023-03-20",
        "duration_years": 15,
        "options": [{"option": "u", "percents": ["6"] * 10 + ["8"] * 5}],
        "uniform_option": "u",
    }
    for opening, exit_code in [
        ({"farming_natural_person": True}, 0),
        ({"farming_business": True}, 1),  # a farming company: 10 years at most
    ]:
        proposal = tmp_path / "proposal.json"
        proposal.write_text(
            json.dumps({"opened_on": "2022-06-01", "plan": plan} | opening),
            encoding="utf-8",
        )
        assert main(["check-plan", str(proposal)]) == exit_code
    proposal.write_text(
        json.dumps({"opened_on": "2022-06-01", "plan": plan, "farming_business": "no"}),
        encoding="utf-8",
    )
    assert main(["check-plan", str(proposal)]) == 2
    assert "farming_business" in capsys.readouterr().err


def test_a_modification_stretching_the_plan_beyond_ten_years_fails() -> None:
    ledger = adopted()
    change = ledger.modify_plan(
        CASE, decided_on=date(2026, 1, 1), percents=["50", "50"], duration_years=12
    )
    (found,) = rule_findings(ledger, "L626-12.plan-too-long", date(2026, 1, 1))
    assert found.evidence == (change.id,)


def test_first_payment_one_year_after_adoption_passes_one_day_later_fails() -> None:
    on_time = adopted(first_due_on=date(2024, 3, 20))
    assert not rule_findings(on_time, "L626-18.first-payment-late", date(2024, 1, 1))
    late = adopted(first_due_on=date(2024, 3, 21))
    (found,) = rule_findings(late, "L626-18.first-payment-late", date(2024, 1, 1))
    assert found.instalment == "year 1"
    zero_first = adopted(percents=["0", *UNIFORM[1:-1], "20"])
    assert rule_findings(zero_first, "L626-18.first-payment-late", date(2024, 1, 1))


def test_five_percent_in_year_three_passes_and_4_99_fails() -> None:
    passing = ["0", "0", "5", "5", "5", "10", "10", "10", "10", "45"]
    assert not rule_findings(
        adopted(passing), "L626-18.annuity-below-minimum", date(2024, 1, 1)
    )
    failing = ["0", "0", "4.99", "5.01", "5", "10", "10", "10", "10", "45"]
    (found,) = rule_findings(
        adopted(failing), "L626-18.annuity-below-minimum", date(2024, 1, 1)
    )
    assert found.instalment == "year 3" and "4.99" in found.message


def test_primer_vector_passes_before_the_reform_and_fails_year_six_after() -> None:
    vector = ["5", "5", "5", "5", "5", "5", "10", "20", "20", "20"]
    before = adopted(vector, opened_on=date(2021, 9, 30), adopted_on=date(2022, 9, 1))
    assert not rule_findings(before, "L626-18.annuity-below-minimum", date(2023, 1, 1))
    after = adopted(vector, opened_on=date(2021, 10, 1), adopted_on=date(2022, 9, 1))
    (found,) = rule_findings(after, "L626-18.annuity-below-minimum", date(2023, 1, 1))
    assert found.instalment == "year 6"


def test_primer_vector_of_65_percent_fails_the_sum_rule() -> None:
    vector = ["0", "0", "5", "5", "5", "10", "10", "10", "10", "10"]
    ledger = adopted(vector)
    (found,) = rule_findings(ledger, "L626-18.imposed-sum", date(2024, 1, 1))
    assert "65" in found.message
    assert not rule_findings(adopted(), "L626-18.imposed-sum", date(2024, 1, 1))


def test_imposed_delays_beyond_the_plan_duration_fail() -> None:
    assert not rule_findings(
        adopted(duration_years=10), "L626-18.delays-beyond-duration", date(2024, 1, 1)
    )
    (found,) = rule_findings(
        adopted(duration_years=9), "L626-18.delays-beyond-duration", date(2024, 1, 1)
    )
    assert found.instalment == "year 10"


# --- paid at adoption --------------------------------------------------------------------------


def _with_ags_and_small(pay_ags: bool, pay_small: bool) -> Ledger:
    ledger = adopted()
    ledger.register_creditor(CASE, "AGS", name="AGS", creditor_kind="ags")
    ledger.register_creditor(CASE, "P", name="Printer", creditor_kind="supplier")
    ledger.declare_claim(
        CASE,
        "AGS-1",
        creditor="AGS",
        amount="1000",
        origin_on=date(2022, 3, 1),
        rank="ags_superprivileged",
        declared_on=date(2022, 5, 1),
    )
    ledger.declare_claim(
        CASE,
        "S-1",
        creditor="P",
        amount="300",
        origin_on=date(2022, 3, 1),
        rank="unsecured",
        declared_on=date(2022, 5, 1),
    )
    for claim, amount, pay in (("AGS-1", "1000", pay_ags), ("S-1", "300", pay_small)):
        ledger.admit_claim(CASE, claim, decided_on=date(2022, 9, 1))
        if pay:
            ledger.distribute(CASE, claim, amount=amount, paid_on=ADOPTED)
    return ledger


def test_claims_that_cannot_wait_and_small_claims_must_be_paid_at_adoption() -> None:
    paid = _with_ags_and_small(True, True)
    later = ADOPTED + timedelta(31)
    assert not rule_findings(paid, "L626-20-I.not-paid-at-adoption", later)
    assert not rule_findings(paid, "L626-20-II.small-claim-not-paid", later)
    unpaid = _with_ags_and_small(False, False)
    (ags,) = rule_findings(unpaid, "L626-20-I.not-paid-at-adoption", later)
    (small,) = rule_findings(unpaid, "L626-20-II.small-claim-not-paid", later)
    assert (ags.claim, small.claim) == ("AGS-1", "S-1")
    # within the grace period it is not yet a finding
    assert not rule_findings(
        unpaid, "L626-20-I.not-paid-at-adoption", ADOPTED + timedelta(30)
    )


# --- carrying out the plan -----------------------------------------------------------------


DUE = date(2024, 3, 20)  # the first instalment of `adopted()`


def test_L626_21_instalment_late_not_on_its_due_date_one_day_the_day_after() -> None:
    ledger = adopted()
    assert not rule_findings(ledger, "L626-21.instalment-late", DUE)
    (unpaid,) = rule_findings(ledger, "L626-21.instalment-late", DUE + timedelta(1))
    assert unpaid.severity is Severity.WARNING and unpaid.instalment == "2024-03-20"
    assert "is still unpaid, 1 day after its due date" in unpaid.message
    assert "reste impayée, 1 jour après son échéance" in unpaid.message_fr


def test_L626_21_instalment_late_20_march_to_1_april_is_12_days() -> None:
    ledger = adopted()
    (unpaid,) = rule_findings(ledger, "L626-21.instalment-late", date(2024, 4, 1))
    assert "is still unpaid, 12 days after its due date" in unpaid.message


def test_L626_21_instalment_remitted_on_its_due_date_is_on_time_the_day_after_late() -> (
    None
):
    amount = adopted().plan_status(CASE, DUE).due
    on_time = adopted()
    on_time.remit_instalment(CASE, amount=amount, paid_on=DUE)
    assert not rule_findings(on_time, "L626-21.instalment-late", date(2025, 1, 1))
    next_day = adopted()
    remittance = next_day.remit_instalment(
        CASE, amount=amount, paid_on=DUE + timedelta(1)
    )
    (late,) = rule_findings(next_day, "L626-21.instalment-late", date(2025, 1, 1))
    assert late.severity is Severity.WARNING and remittance.id in late.evidence
    assert "was remitted 1 day late, on 2024-03-21" in late.message
    assert "avec 1 jour de retard" in late.message_fr


@pytest.mark.parametrize(
    "days, severity", [(30, Severity.WARNING), (31, Severity.ERROR)]
)
def test_grace_policy_30_days_late_is_a_warning_31_an_error(days, severity) -> None:
    """The 30 days are plandebt's policy (plan_default_grace_days), not the law's:
    the message says so in both languages."""
    unpaid = adopted()
    (finding,) = rule_findings(unpaid, "L626-21.instalment-late", DUE + timedelta(days))
    assert finding.severity is severity
    assert f"{days} days after its due date" in finding.message
    paid = adopted()
    amount = paid.plan_status(CASE, DUE).due
    paid.remit_instalment(CASE, amount=amount, paid_on=DUE + timedelta(days))
    (late,) = rule_findings(paid, "L626-21.instalment-late", date(2025, 1, 1))
    assert late.severity is severity
    policy = "a library policy, not the law's" in finding.message
    policy_fr = "une règle de la bibliothèque, non de la loi" in finding.message_fr
    assert policy is policy_fr is (severity is Severity.ERROR)


def test_L626_21_a_shortfall_of_one_cent_is_named() -> None:
    ledger = adopted()
    amount = ledger.plan_status(CASE, DUE).due
    ledger.remit_instalment(CASE, amount=amount - Money(1), paid_on=DUE)
    (short,) = rule_findings(ledger, "L626-21.instalment-late", DUE + timedelta(1))
    assert "is still 0,01 € short, 1 day after its due date" in short.message
    assert "reste impayée à hauteur de 0,01 €" in short.message_fr
    ledger.remit_instalment(CASE, amount=Money(1), paid_on=DUE + timedelta(2))
    (late,) = rule_findings(ledger, "L626-21.instalment-late", DUE + timedelta(5))
    assert "was remitted 2 days late" in late.message


def test_interest_on_a_claim_whose_interest_stopped_is_a_finding() -> None:
    ledger = Ledger.open("memory")
    open_basic_case(ledger)
    ledger.declare_claim(
        CASE,
        "LOAN-12",
        creditor="BANK",
        amount="1000",
        origin_on=date(2021, 1, 1),
        rank="secured",
        declared_on=date(2022, 5, 2),
        interest_regime="continues",
        loan_term_months=12,
    )
    ledger.declare_claim(
        CASE,
        "LOAN-11",
        creditor="BANK",
        amount="1000",
        origin_on=date(2021, 1, 1),
        rank="secured",
        declared_on=date(2022, 5, 2),
        interest_regime="continues",
        loan_term_months=11,
    )
    stopped = ledger.accrue_interest(
        CASE, "C2", amount="10", effective_on=date(2022, 12, 31)
    )
    ledger.accrue_interest(
        CASE, "LOAN-12", amount="10", effective_on=date(2022, 12, 31)
    )
    ledger.accrue_interest(
        CASE, "LOAN-11", amount="10", effective_on=date(2022, 12, 31)
    )
    found = rule_findings(ledger, "L622-28.interest-after-opening", date(2023, 1, 1))
    assert sorted(f.claim for f in found) == ["C2", "LOAN-11"]
    assert stopped.id in next(f for f in found if f.claim == "C2").evidence


def test_an_ags_advance_outside_the_windows_is_a_finding() -> None:
    from plandebt.calendar import add_months

    for left_on, expected in (
        (add_months(ADOPTED, 1), 0),
        (add_months(ADOPTED, 1) + timedelta(1), 1),
    ):
        ledger = adopted()
        ledger.register_creditor(CASE, "E1", name="E1", creditor_kind="employee")
        ledger.declare_claim(
            CASE,
            "E1-1",
            creditor="E1",
            amount="5000",
            origin_on=left_on,
            rank="salary_privileged",
            declared_on=left_on,
            declared_by="mandataire",
        )
        ledger.record_departure(
            CASE,
            "E1",
            departure="economic_dismissal",
            left_on=left_on,
            seniority_months=24,
            monthly_pay="2000",
        )
        ledger.advance_ags(
            CASE, "E1", "E1-1", superprivileged="0", privileged="5000", paid_on=left_on
        )
        found = rule_findings(ledger, "L3253-8.ags-outside-window", date(2024, 1, 1))
        assert len(found) == expected


def test_a_late_tranche_and_an_undisclosed_better_fortune_waiver_are_warnings() -> None:
    ledger = adopted()
    commitment = ledger.commit_support(
        CASE,
        "K",
        investor="GROUP",
        committed_on=date(2022, 10, 1),
        tranches=[{"due_on": "2023-04-30", "amount": "1000"}],
    )
    assert not rule_findings(ledger, "L626-10.tranche-late", date(2023, 4, 30))
    (late,) = rule_findings(ledger, "L626-10.tranche-late", date(2023, 5, 1))
    assert late.evidence == (commitment.id,)
    assert "1 000,00 € short (L626-10)" in late.message
    assert late.article == "C. com. L626-10"
    waiver = ledger.write_off(
        CASE, "C1", amount="100", clause="better_fortune", effective_on=date(2023, 1, 1)
    )
    (undisclosed,) = rule_findings(
        ledger, "disclosure.better-fortune-waiver", date(2023, 6, 1)
    )
    assert undisclosed.evidence == (waiver.id,)
    # No accounting rule was read for the disclosure: the finding says unverified.
    assert undisclosed.confidence == "U" and "unverified" in undisclosed.message
    ledger.correct(CASE, waiver.id, {"disclosed": True})
    assert not rule_findings(
        ledger, "disclosure.better-fortune-waiver", date(2023, 6, 1)
    )


# --- the report ------------------------------------------------------------------------------


def test_findings_as_known_at_k_ignore_later_records() -> None:
    ledger = Ledger.open("memory")
    open_basic_case(ledger)
    position = len(ledger.history(CASE))
    ledger.pay(CASE, "C1", amount="100", paid_on=date(2022, 6, 1), basis="none")
    assert ledger.check(CASE, date(2023, 1, 1)).has_errors
    assert not ledger.check(CASE, date(2023, 1, 1), known_at=position).has_errors


def test_overridden_values_are_reported_and_used(tmp_path) -> None:
    from plandebt import ruleset_for

    ledger = adopted(["10"] * 10, duration_years=11)
    rules = ruleset_for(OPENED).with_overrides({"plan_max_years": 12}, source="court")
    report = ledger.check(CASE, date(2024, 1, 1), ruleset=rules)
    assert not [f for f in report.findings if f.rule == "L626-12.plan-too-long"]
    assert [r.key for r in report.overridden] == ["plan_max_years"]


def test_the_demo_has_real_findings_and_check_exits_1_on_error(
    tmp_path, capsys
) -> None:
    db = str(tmp_path / "demo.db")
    assert main(["--db", db, "demo"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "check", "--as-of", "2026-06-30", "--json"]) == 1
    document = json.loads(capsys.readouterr().out)
    report = document["check"]
    rules = {f["rule"] for f in report["findings"]}
    assert {"L626-21.instalment-late", "L622-7.payment-without-basis"} <= rules
    assert document["case"] == DEMO
    assert main(["--db", db, "check", "--as-of", "2022-03-31"]) == 0


def test_a_draft_plan_is_checked_before_it_is_recorded(tmp_path, capsys) -> None:
    proposal = {
        "opened_on": "2022-03-14",
        "procedure": "redressement_judiciaire",
        "plan": {
            "adopted_on": "2023-03-20",
            "duration_years": 10,
            "options": [
                {
                    "option": "u",
                    "percents": ["5", "5", "5", "5", "5", "5", "10", "20", "20", "20"],
                }
            ],
            "uniform_option": "u",
        },
    }
    findings = check_plan_proposal(proposal["plan"], opened_on=date(2022, 3, 14))
    assert [f.instalment for f in findings] == ["year 6"]
    path = tmp_path / "draft.json"
    path.write_text(json.dumps(proposal))
    assert main(["check-plan", str(path)]) == 1
    proposal["opened_on"] = "2021-09-30"
    path.write_text(json.dumps(proposal))
    assert main(["check-plan", str(path)]) == 0


def test_the_rule_catalogue_is_up_to_date() -> None:
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert text == rules_markdown(), "regenerate it: plandebt rules > docs/rules.md"
    for r in RULES:
        assert f"`{r.id}`" in text


# --- properties ------------------------------------------------------------------------------


@settings(max_examples=25)
@given(st.lists(st.integers(0, 40), min_size=3, max_size=3))
def test_a_history_that_respects_every_rule_has_no_error_and_a_missed_payment_has_one(
    delays,
) -> None:
    ledger = adopted()
    schedule = ledger.schedule(CASE)
    dates = schedule.by_date()
    for (due_on, amount), _delay in zip(dates[:3], delays, strict=False):
        ledger.remit_instalment(CASE, amount=amount, paid_on=due_on)
        for claim in schedule.claims:
            part = next(
                i.amount for i in claim.instalments if claim.due_on(i) == due_on
            )
            ledger.distribute(CASE, claim.claim, amount=part, paid_on=due_on)
    as_of = dates[2][0] + timedelta(1)
    assert not ledger.check(CASE, as_of).has_errors
    # Now leave the fourth instalment unpaid past the grace period: exactly one error.
    late = dates[3][0] + timedelta(31 + delays[0])
    errors = ledger.check(CASE, late).errors
    assert [(f.rule, f.instalment) for f in errors] == [
        ("L626-21.instalment-late", dates[3][0].isoformat())
    ]


def test_check_reads_overrides_from_a_toml_file_and_says_so(tmp_path, capsys) -> None:
    db = str(tmp_path / "demo.db")
    assert main(["--db", db, "demo"]) == 0
    rules = tmp_path / "rules.toml"
    rules.write_text("[overrides]\nplan_default_grace_days = 10\n", encoding="utf-8")
    capsys.readouterr()
    assert (
        main(
            [
                "--db",
                db,
                "check",
                "--as-of",
                "2026-06-30",
                "--ruleset",
                str(rules),
                "--json",
            ]
        )
        == 1
    )
    report = json.loads(capsys.readouterr().out)["check"]
    assert [r["key"] for r in report["overridden"]] == ["plan_default_grace_days"]
    late = [f for f in report["findings"] if f["rule"] == "L626-21.instalment-late"]
    assert [f["severity"] for f in late] == ["error"]  # 21 days late > 10 days' grace
