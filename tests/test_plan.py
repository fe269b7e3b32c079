"""The court-ordered plan: schedules, payments and status (law primer §4–5)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.helpers import CASE, open_basic_case

from plandebt import Fact, InvalidInputError, Ledger, Money
from plandebt.cli.tables import print_status
from plandebt.events import PaymentBasis, PaymentMade, PlanModified
from plandebt.money import round_half_away
from plandebt.projections.consultation import without_remission
from plandebt.schedules import FirstDue, percent_schedule, reschedule
from plandebt.strategies import plan_histories

UNIFORM = ["2", "3", "5", "8", "10", "12", "12", "15", "15", "18"]
OPTIONS = [
    {"option": "uniform", "percents": UNIFORM},
    {"option": "fast", "percents": ["50"]},
]


def record_each(facts: list[Fact]) -> Ledger:
    ticks = (
        datetime(2030, 1, 1, tzinfo=UTC) + timedelta(seconds=i) for i in range(10**6)
    )
    ledger = Ledger.open("memory", clock=lambda: next(ticks))
    for fact in facts:
        ledger.record(fact)
    return ledger


def adopted_case(adopted_on: date = date(2023, 3, 20), **plan) -> Ledger:
    ledger = Ledger.open("memory")
    open_basic_case(ledger)
    ledger.admit_claim(CASE, "C1", decided_on=date(2022, 9, 1))
    ledger.admit_claim(CASE, "C2", decided_on=date(2022, 9, 1))
    fields = {
        "duration_years": 10,
        "supervisor": "Me S",
        "options": OPTIONS,
        "uniform_option": "uniform",
    } | plan
    ledger.adopt_plan(CASE, adopted_on=adopted_on, **fields)
    return ledger


# --- properties -------------------------------------------------------------------------


@settings(max_examples=50)
@given(plan_histories())
def test_instalments_of_every_claim_add_up_to_its_scheduled_amount(facts) -> None:
    ledger = record_each(facts)
    schedule = ledger.schedule("CASE-1")
    if schedule is None:
        return
    options = {o.option: o for o in schedule.adopted.options}
    for claim in schedule.claims:
        total = sum(i.amount.cents for i in claim.instalments)
        assert all(i.amount.cents >= 0 for i in claim.instalments)
        # A relieved claim forfeits what fell due before its request (L622-26).
        total += claim.forfeited.cents
        if claim.treatment != "option":
            assert total == claim.base.cents
        elif not schedule.modifications:
            percent = Fraction(sum(options[claim.option].percents))
            assert total == round_half_away(claim.base.cents * percent / 100)
        assert claim.option_remission.cents == claim.base.cents - total


@settings(max_examples=50)
@given(plan_histories(), st.dates(date(2015, 1, 1), date(2040, 1, 1)))
def test_what_creditors_received_adds_up_to_what_the_supervisor_distributed(
    facts, as_of
) -> None:
    ledger = record_each(facts)
    status = ledger.plan_status("CASE-1", as_of)
    assert status.distributed.cents == sum(
        p.distributed.cents for p in status.creditors
    )
    schedule = ledger.schedule("CASE-1", as_of)
    if schedule is None:
        return
    scheduled = {c.claim for c in schedule.claims}
    voided = {f.voids for f in facts if f.kind == "fact.voided"}
    corrected = {f.corrects for f in facts if f.kind == "fact.corrected"}
    dividends = [
        f
        for f in facts
        if isinstance(f, PaymentMade)
        and f.basis is PaymentBasis.PLAN_DIVIDEND
        and f.claim in scheduled
        and f.effective_on <= as_of
        and f.id not in voided
    ]
    if not corrected & {f.id for f in dividends}:
        assert status.distributed.cents == sum(f.amount.cents for f in dividends)
    assert status.arrears.cents == max(
        0, status.due.cents - status.remitted_to_supervisor.cents
    )


@settings(max_examples=40)
@given(plan_histories(), st.dates(date(2015, 1, 1), date(2040, 1, 1)))
def test_status_is_a_function_of_history(facts, as_of) -> None:
    ledger = record_each(facts)
    replayed = Ledger(ledger.app)
    replayed.rebuild()
    assert replayed.plan_status("CASE-1", as_of) == ledger.plan_status("CASE-1", as_of)
    assert replayed.schedule("CASE-1") == ledger.schedule("CASE-1")


@settings(max_examples=30)
@given(plan_histories(), st.data())
def test_status_as_known_at_k_ignores_later_records(facts, data) -> None:
    k = data.draw(st.integers(1, len(facts)))
    as_of = data.draw(st.dates(date(2015, 1, 1), date(2040, 1, 1)))
    full, prefix = record_each(facts), record_each(facts[:k])
    assert full.plan_status("CASE-1", as_of, known_at=k).to_dict() | {
        "known_at": 0
    } == prefix.plan_status("CASE-1", as_of).to_dict() | {"known_at": 0}


@settings(max_examples=40)
@given(plan_histories())
def test_modifying_then_replaying_gives_the_schedule_computed_directly(facts) -> None:
    ledger = record_each(facts)
    schedule = ledger.schedule("CASE-1")
    if schedule is None or not schedule.modifications:
        return
    (modification,) = schedule.modifications
    unmodified = ledger.schedule(
        "CASE-1", as_of=modification.effective_on - timedelta(1)
    )
    assert unmodified is not None
    for before, after in zip(unmodified.claims, schedule.claims, strict=True):
        if before.treatment != "option":
            assert after == before
            continue
        # What fell due before the modification stays due, with the part of it a
        # later decision added (owed on the decision's date, L626-21).
        kept = [
            i
            for i in before.instalments
            if (i.catch_up_of or i.due_on) < modification.effective_on
        ]
        remaining = before.scheduled - Money(sum(i.amount.cents for i in kept))
        direct = reschedule(
            remaining,
            list(modification.percents),
            modification.effective_on,
            modification.first_due,
        )
        if after.creditor not in modification.accepted_by:
            # Silence accepts new delays, not a remission (L626-26): what the new
            # percentages leave stays owed, with the last instalment.
            direct = without_remission(direct, remaining)
        # An instalment may be owed in parts (its date, then a decision's): compare
        # each instalment's total, and the dates of the instalments themselves.
        assert by_number(after.instalments) == by_number(kept) + [
            i.amount.cents for i in direct
        ]
        spread = [i for i in after.instalments if i.catch_up_of is None]
        assert [i.due_on for i in spread[len(by_number(kept)) :]] == [
            i.due_on for i in direct
        ]


def by_number(instalments) -> list[int]:
    """Each instalment's total, in order, its parts added up."""
    totals: dict[int, int] = {}
    for i in instalments:
        totals[i.number] = totals.get(i.number, 0) + i.amount.cents
    return list(totals.values())


# --- specifications -------------------------------------------------------------------------


def test_anniversary_of_a_29_february_judgment_falls_on_28_february() -> None:
    ledger = adopted_case(adopted_on=date(2024, 2, 29))
    claim = ledger.schedule(CASE).claims[0]
    assert [i.due_on for i in claim.instalments[:4]] == [
        date(2025, 2, 28),
        date(2026, 2, 28),
        date(2027, 2, 28),
        date(2028, 2, 29),
    ]


def test_first_instalment_exactly_one_year_after_adoption() -> None:
    ledger = adopted_case()
    assert ledger.schedule(CASE).claims[0].instalments[0].due_on == date(2024, 3, 20)
    at_adoption = adopted_case(first_due="at_adoption")
    assert at_adoption.schedule(CASE).claims[0].instalments[0].due_on == date(
        2023, 3, 20
    )


def test_the_seed_schedule_of_3447000_over_ten_years() -> None:
    amounts = percent_schedule(
        Money.parse("3447000"),
        [Decimal(p) for p in UNIFORM],
        date(2023, 3, 20),
        FirstDue.FIRST_ANNIVERSARY,
    )
    assert amounts[0].amount == Money.parse("68 940,00")
    assert amounts[-1].amount == Money.parse("620 460,00")


def test_L626_21_an_instalment_unpaid_on_its_due_date_is_not_yet_in_arrears() -> None:
    ledger = adopted_case()
    on_the_day = ledger.plan_status(CASE, date(2024, 3, 20))
    assert (on_the_day.phase, on_the_day.arrears, on_the_day.days_late) == (
        "performing",
        Money(0),
        0,
    )
    # Due on its date all the same: the due total counts it.
    assert on_the_day.due == ledger.plan_status(CASE, date(2024, 3, 21)).due > Money(0)


def test_L626_21_the_day_after_its_due_date_an_unpaid_instalment_is_one_day_late() -> (
    None
):
    ledger = adopted_case()
    due = ledger.plan_status(CASE, date(2024, 3, 20)).due
    late = ledger.plan_status(CASE, date(2024, 3, 21))
    assert (late.phase, late.arrears, late.days_late, late.oldest_unpaid_due_on) == (
        "in_arrears",
        due,
        1,
        date(2024, 3, 20),
    )
    # 20 March to 1 April: 12 days.
    assert ledger.plan_status(CASE, date(2024, 4, 1)).days_late == 12


def test_L626_21_an_instalment_paid_the_day_after_leaves_no_arrears_once_paid() -> None:
    ledger = adopted_case()
    due = ledger.plan_status(CASE, date(2024, 3, 20)).due
    ledger.remit_instalment(CASE, amount=due, paid_on=date(2024, 3, 21))
    assert ledger.plan_status(CASE, date(2024, 3, 20)).phase == "performing"
    assert ledger.plan_status(CASE, date(2024, 3, 21)).phase == "performing"


def test_grace_policy_30_days_late_is_in_arrears_31_is_in_default() -> None:
    ledger = adopted_case()
    grace = 30  # plan_default_grace_days in the ruleset: a library policy
    at_grace = ledger.plan_status(CASE, date(2024, 3, 20) + timedelta(grace))
    assert (at_grace.phase, at_grace.days_late) == ("in_arrears", grace)
    past = ledger.plan_status(CASE, date(2024, 3, 20) + timedelta(grace + 1))
    assert (past.phase, past.days_late) == ("in_default", grace + 1)


def test_a_claim_admitted_in_year_three_gets_its_catch_up() -> None:
    ledger = Ledger.open("memory")
    open_basic_case(ledger)
    ledger.admit_claim(CASE, "C1", decided_on=date(2022, 9, 1))
    ledger.contest_claim(CASE, "C2", decided_on=date(2022, 9, 1))
    ledger.adopt_plan(
        CASE,
        adopted_on=date(2023, 3, 20),
        duration_years=10,
        supervisor="Me S",
        options=OPTIONS,
        uniform_option="uniform",
    )
    in_year_two = ledger.plan_status(CASE, date(2025, 6, 1)).creditor("BANK")
    assert in_year_two.reserved == Money.parse("17500")  # 2 % + 3 % of 350 000
    assert in_year_two.behind == Money(0)
    ledger.admit_claim(CASE, "C2", decided_on=date(2025, 9, 1), amount="300000")
    after = ledger.plan_status(CASE, date(2025, 9, 2)).creditor("BANK")
    assert after.reserved == Money(0)
    assert after.behind == Money.parse("15000")  # 5 % of the admitted 300 000
    ledger.distribute(CASE, "C2", amount="15000", paid_on=date(2025, 9, 10))
    assert ledger.plan_status(CASE, date(2025, 9, 10)).creditor("BANK").behind == Money(
        0
    )


def remit_what_is_due(ledger: Ledger, on: date, paid_on: date) -> None:
    ledger.remit_instalment(
        CASE, amount=ledger.plan_status(CASE, on).due, paid_on=paid_on
    )


def test_a_remission_is_acquired_when_the_debtor_remits_the_last_instalment_on_time() -> (
    None
):
    # L626-19 al. 2 with L626-21: the debtor's payment to the supervisor by the
    # term is what counts, not when the supervisor pays the creditor out.
    ledger = adopted_case()
    ledger.answer_consultation(
        CASE, "BANK", answer="accepts", option="fast", answered_on=date(2023, 1, 10)
    )
    bank = ledger.plan_status(CASE, date(2024, 3, 20)).creditor("BANK")
    assert (bank.contingent_remission, bank.acquired_remission) == (
        Money.parse("175000"),
        Money(0),
    )
    remit_what_is_due(ledger, date(2024, 3, 20), paid_on=date(2024, 3, 20))
    ledger.distribute(CASE, "C2", amount="175000", paid_on=date(2024, 4, 15))
    bank = ledger.plan_status(CASE, date(2024, 3, 20)).creditor("BANK")
    assert (bank.contingent_remission, bank.acquired_remission) == (
        Money(0),
        Money.parse("175000"),
    )


def test_a_last_instalment_remitted_late_lapses_the_remission_and_resolution_keeps_it_so() -> (
    None
):
    ledger = adopted_case()
    ledger.answer_consultation(
        CASE, "BANK", answer="accepts", option="fast", answered_on=date(2023, 1, 10)
    )
    remit_what_is_due(ledger, date(2024, 3, 20), paid_on=date(2024, 3, 21))
    ledger.distribute(CASE, "C2", amount="175000", paid_on=date(2024, 3, 21))
    on_the_term = ledger.plan_status(CASE, date(2024, 3, 20)).creditor("BANK")
    assert on_the_term.contingent_remission == Money.parse("175000")
    bank = ledger.plan_status(CASE, date(2024, 6, 1)).creditor("BANK")
    assert (bank.contingent_remission, bank.acquired_remission) == (Money(0), Money(0))
    assert bank.lapsed_remission == Money.parse("175000")
    ledger.resolve_plan(CASE, decided_on=date(2024, 7, 1), reason="non_performance")
    resolved = ledger.plan_status(CASE, date(2024, 7, 1))
    assert resolved.phase == "resolved"
    assert resolved.creditor("BANK").contingent_remission == Money(0)
    assert resolved.creditor("BANK").lapsed_remission == Money.parse("175000")


def test_resolution_keeps_an_acquired_remission() -> None:
    ledger = adopted_case()
    ledger.answer_consultation(
        CASE, "BANK", answer="accepts", option="fast", answered_on=date(2023, 1, 10)
    )
    remit_what_is_due(ledger, date(2024, 3, 20), paid_on=date(2024, 3, 20))
    ledger.resolve_plan(CASE, decided_on=date(2024, 7, 1), reason="cessation")
    bank = ledger.plan_status(CASE, date(2024, 8, 1)).creditor("BANK")
    assert bank.acquired_remission == Money.parse("175000")


def test_refusing_creditors_get_the_uniform_delays_and_silent_ones_the_default() -> (
    None
):
    ledger = adopted_case(default_option="fast")
    ledger.answer_consultation(
        CASE, "URSSAF", answer="refuses", answered_on=date(2023, 1, 10)
    )
    # BANK received the letter on 1 February and stayed silent: its 30 days ran
    # out on 3 March, before the adoption of 20 March (L626-5).
    ledger.answer_consultation(
        CASE,
        "BANK",
        answer="silent",
        answered_on=date(2023, 3, 10),
        received_on=date(2023, 2, 1),
    )
    options = {c.creditor: c.option for c in ledger.schedule(CASE).claims}
    assert options == {"URSSAF": "uniform", "BANK": "fast"}


def test_claims_that_cannot_receive_delays_and_small_claims_are_paid_at_adoption() -> (
    None
):
    ledger = Ledger.open("memory")
    open_basic_case(ledger)
    ledger.register_creditor(CASE, "AGS", name="AGS", creditor_kind="ags")
    ledger.register_creditor(CASE, "PRINT", name="Printer", creditor_kind="supplier")
    ledger.declare_claim(
        CASE,
        "AGS-1",
        creditor="AGS",
        amount="85000",
        origin_on=date(2022, 3, 1),
        rank="ags_superprivileged",
        declared_on=date(2022, 5, 2),
    )
    ledger.declare_claim(
        CASE,
        "SMALL",
        creditor="PRINT",
        amount="450",
        origin_on=date(2022, 1, 1),
        rank="unsecured",
        declared_on=date(2022, 5, 2),
    )
    ledger.adopt_plan(
        CASE,
        adopted_on=date(2023, 3, 20),
        duration_years=10,
        supervisor="Me S",
        options=OPTIONS,
        uniform_option="uniform",
    )
    rows = {c.claim: c for c in ledger.schedule(CASE).claims}
    assert rows["AGS-1"].treatment == "no_delay"
    assert rows["SMALL"].treatment == "small_claim"
    assert rows["SMALL"].instalments[0].due_on == date(2023, 3, 20)
    assert rows["C1"].treatment == "option"


def test_a_modification_reschedules_what_is_not_yet_due() -> None:
    ledger = adopted_case()
    ledger.modify_plan(
        CASE, decided_on=date(2025, 6, 1), percents=["50", "50"], duration_years=5
    )
    claim = ledger.schedule(CASE).claims[0]
    assert [i.due_on for i in claim.instalments] == [
        date(2024, 3, 20),
        date(2025, 3, 20),
        date(2026, 6, 1),
        date(2027, 6, 1),
    ]
    assert claim.scheduled == Money.parse("900000")
    assert ledger.plan_status(CASE, date(2025, 7, 1)).phase == "in_default"
    assert isinstance(ledger.schedule(CASE).modifications[0], PlanModified)


def test_completion_and_liquidation_end_the_plan() -> None:
    ledger = adopted_case()
    ledger.complete_plan(CASE, decided_on=date(2033, 4, 1))
    assert ledger.plan_status(CASE, date(2033, 4, 1)).phase == "completed"
    other = adopted_case()
    other.convert_case(
        CASE, procedure="liquidation_judiciaire", effective_on=date(2025, 1, 1)
    )
    assert other.plan_status(CASE, date(2025, 1, 1)).phase == "liquidation"
    assert other.plan_status(CASE, date(2024, 1, 1)).phase == "performing"


def test_before_adoption_the_case_is_in_its_observation_period() -> None:
    ledger = Ledger.open("memory")
    open_basic_case(ledger)
    assert ledger.plan_status(CASE, date(2022, 6, 1)).phase == "observation"
    assert ledger.schedule(CASE) is None


@pytest.mark.parametrize(
    "fields, field",
    [
        (
            {"options": [{"option": "uniform", "percents": ["60", "60"]}]},
            "options[0].percents",
        ),
        ({"uniform_option": "nope"}, "uniform_option"),
        ({"duration_years": 0}, "duration_years"),
        (
            {"options": [{"option": "u", "percents": [2.5]}], "uniform_option": "u"},
            "options[0].percents[0]",
        ),
    ],
)
def test_a_plan_that_cannot_be_computed_is_refused(fields, field) -> None:
    ledger = Ledger.open("memory")
    open_basic_case(ledger)
    before = list(ledger.export())
    with pytest.raises(InvalidInputError) as e:
        ledger.adopt_plan(
            CASE,
            **(
                {
                    "adopted_on": date(2023, 3, 20),
                    "duration_years": 10,
                    "supervisor": "S",
                    "options": OPTIONS,
                    "uniform_option": "uniform",
                }
                | fields
            ),
        )
    assert e.value.field == field
    assert list(ledger.export()) == before


def test_a_remittance_before_any_plan_is_refused() -> None:
    ledger = Ledger.open("memory")
    open_basic_case(ledger)
    with pytest.raises(InvalidInputError):
        ledger.remit_instalment(CASE, amount="10", paid_on=date(2023, 1, 1))


@pytest.mark.parametrize(
    "as_of, says",
    [
        (date(2033, 3, 19), "10 of 10"),  # the last day of the tenth year
        (date(2033, 3, 20), "past the plan's term (10 years)"),  # its term
    ],
)
def test_the_status_says_when_the_plan_is_past_its_term(as_of: date, says: str) -> None:
    """Not 'plan year 11 of 10': the term's anniversary ends the plan's years."""
    out = io.StringIO()
    print_status(adopted_case().plan_status(CASE, as_of), out)
    assert says in out.getvalue()
    assert "11 of 10" not in out.getvalue()
