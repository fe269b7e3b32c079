"""The plan's law at its edges (issue 13): the consultation of
L626-5, the wage claims of L626-20 I 2°, accepted delays beyond the maximum
(L626-12), a modification's end (L626-26), the integrity of the money the plan
moves, a cessation des paiements during the plan (L626-27) and its completion
(L626-28). Each boundary is specified on both sides, named as the rule."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plandebt import Fact, Ledger
from plandebt.errors import InvalidInputError
from plandebt.events import ConsultationAnswered
from plandebt.money import Money
from plandebt.ruleset import ruleset_for
from plandebt.schedules import FirstDue, reschedule
from plandebt.strategies import plan_histories

CASE = "RG 23/00013"
OPENED = date(2022, 3, 14)
ADOPTED = date(2023, 3, 20)  # a Monday
TEN = ["10"] * 10
FAST = {"option": "fast", "percents": ["50"]}  # half in a year, half remitted
SHARES = {"option": "shares", "percents": ["20"], "converts": True}


def case(
    options: list[dict] | None = None,
    default: str | None = None,
    amounts: tuple[str, ...] = ("10000", "10000"),
) -> Ledger:
    """A redressement with creditors A, B... each holding one admitted claim, the
    plan not adopted yet (`adopt`)."""
    ledger = Ledger.open("memory")
    ledger.open_case(
        CASE,
        procedure="redressement_judiciaire",
        court="TJ Lyon",
        debtor="Debtor SAS",
        opened_on=OPENED,
        bodacc_published_on=date(2022, 3, 28),
    )
    for k, amount in enumerate(amounts):
        creditor = "ABCDEFGH"[k]
        ledger.register_creditor(
            CASE, creditor, name=creditor, creditor_kind="supplier"
        )
        ledger.declare_claim(
            CASE,
            f"{creditor}-1",
            creditor=creditor,
            amount=amount,
            origin_on=date(2022, 1, 10),
            rank="unsecured",
            declared_on=date(2022, 5, 2),
        )
        ledger.admit_claim(CASE, f"{creditor}-1", decided_on=date(2022, 9, 1))
    return ledger


def adopt(
    ledger: Ledger,
    options: list[dict] | None = None,
    default: str | None = None,
    duration: int = 10,
) -> None:
    ledger.adopt_plan(
        CASE,
        adopted_on=ADOPTED,
        duration_years=duration,
        supervisor="Me S",
        options=[{"option": "u", "percents": TEN}, *(options or [])],
        uniform_option="u",
        default_option=default,
    )


def silent(ledger: Ledger, creditor: str, received_on: date | None) -> None:
    ledger.answer_consultation(
        CASE, creditor, answer="silent", answered_on=ADOPTED, received_on=received_on
    )


def option_of(ledger: Ledger, claim: str, **kw) -> str | None:
    schedule = ledger.schedule(CASE, **kw)
    assert schedule is not None
    return next(c.option for c in schedule.claims if c.claim == claim)


def found(ledger: Ledger, rule: str, as_of: date = date(2030, 1, 1), **over) -> list:
    rules = ruleset_for(OPENED, over)
    return [
        f for f in ledger.check(CASE, as_of, ruleset=rules).findings if f.rule == rule
    ]


# --- 1. the consultation (L626-5) --------------------------------------------------------


@pytest.mark.parametrize(
    ("received_on", "extended", "accepted"),
    [
        # 30 days from 15 February end on Friday 17 March: silent until then, B has
        # accepted the default option when the plan is adopted on Monday 20 March.
        (date(2023, 2, 15), True, True),
        # From 16 February they end on Saturday 18 March, so on Monday 20 (CPC art.
        # 642), the adoption day itself: not yet an acceptance.
        (date(2023, 2, 16), True, False),
        # Without art. 642, Saturday 18 March is the last day: accepted on the 20th.
        (date(2023, 2, 16), False, True),
        # Without art. 642, 30 days from 18 February end on the adoption day: no.
        (date(2023, 2, 18), False, False),
    ],
)
def test_L626_5_silence_is_acceptance_from_day_30_after_receipt(
    received_on: date, extended: bool, accepted: bool
) -> None:
    ledger = case()
    adopt(ledger, [FAST], default="fast")
    silent(ledger, "B", received_on)
    rules = ruleset_for(OPENED, {"deadline_extended_to_next_working_day": extended})
    assert option_of(ledger, "B-1", ruleset=rules) == ("fast" if accepted else "u")
    hits = found(
        ledger,
        "L626-5.silence-before-30-days",
        deadline_extended_to_next_working_day=extended,
    )
    assert len(hits) == (0 if accepted else 1)
    if hits:
        assert "uniform delays ('u') without remission" in hits[0].message


@pytest.mark.parametrize(("days", "accepted"), [(32, True), (33, False)])
def test_L626_5_silence_reads_the_rulesets_number_of_days(
    days: int, accepted: bool
) -> None:
    # Received on 15 February, without the art. 642 extension: 32 days end on
    # Sunday 19 March, the day before the adoption (accepted); 33 days end on the
    # adoption day itself (not yet).
    ledger = case()
    adopt(ledger, [FAST], default="fast")
    silent(ledger, "B", date(2023, 2, 15))
    over = {
        "creditor_consultation_silence_days": days,
        "deadline_extended_to_next_working_day": False,
    }
    rules = ruleset_for(OPENED, over)
    assert option_of(ledger, "B-1", ruleset=rules) == ("fast" if accepted else "u")
    assert len(found(ledger, "L626-5.silence-before-30-days", **over)) == (
        0 if accepted else 1
    )


def test_L626_5_silence_on_a_conversion_is_a_refusal() -> None:
    ledger = case()
    adopt(ledger, [SHARES], default="shares")
    silent(ledger, "A", date(2023, 1, 2))
    ledger.answer_consultation(
        CASE, "B", answer="accepts", option="shares", answered_on=date(2023, 1, 20)
    )
    assert option_of(ledger, "A-1") == "u"  # silent on the conversion: refused
    assert option_of(ledger, "B-1") == "shares"  # accepted in so many words
    (hit,) = found(ledger, "L626-5.silence-on-conversion")
    assert hit.creditor == "A" and hit.severity.value == "info"
    assert "silence on a conversion is a refusal" in hit.message


def test_L626_5_silence_on_delays_and_remissions_is_an_acceptance() -> None:
    # The other side: the same silence on an option that does not convert.
    ledger = case()
    adopt(ledger, [FAST], default="fast")
    silent(ledger, "A", date(2023, 1, 2))
    assert option_of(ledger, "A-1") == "fast"
    assert not found(ledger, "L626-5.silence-on-conversion")


def test_L626_5_a_creditor_never_consulted_gets_the_uniform_delays_with_a_finding() -> (
    None
):
    ledger = case()
    adopt(ledger, [FAST], default="fast")
    silent(ledger, "A", date(2023, 1, 2))  # consulted, silent: the default
    schedule = ledger.schedule(CASE)
    assert schedule is not None
    b = next(c for c in schedule.claims if c.claim == "B-1")
    assert b.option == "u" and b.scheduled == Money.parse("10000")
    assert b.option_remission == Money(0)
    (hit,) = found(ledger, "L626-5.creditor-not-consulted")
    assert hit.creditor == "B" and hit.severity.value == "warning"
    assert hit.article.startswith("C. com. L626-5")


@pytest.mark.parametrize(
    ("declared_on", "hits"), [(ADOPTED, 1), (date(2023, 3, 21), 0)]
)
def test_L626_5_a_claim_declared_after_the_adoption_could_not_be_consulted(
    declared_on: date, hits: int
) -> None:
    ledger = case(amounts=("10000",))
    ledger.register_creditor(CASE, "Z", name="Z", creditor_kind="supplier")
    ledger.declare_claim(
        CASE,
        "Z-1",
        creditor="Z",
        amount="10000",
        origin_on=date(2022, 1, 10),
        rank="unsecured",
        declared_on=declared_on,
    )
    adopt(ledger, [FAST], default="fast")
    silent(ledger, "A", date(2023, 1, 2))
    assert option_of(ledger, "Z-1") == "u"  # no remission either way
    assert len(found(ledger, "L626-5.creditor-not-consulted")) == hits


def test_L626_5_silence_without_the_letters_receipt_is_no_acceptance() -> None:
    ledger = case()
    adopt(ledger, [FAST], default="fast")
    silent(ledger, "A", None)
    silent(ledger, "B", date(2023, 1, 2))
    assert option_of(ledger, "A-1") == "u"
    assert option_of(ledger, "B-1") == "fast"
    (hit,) = found(ledger, "L626-5.silence-without-receipt")
    assert hit.creditor == "A"


def test_L626_18_a_creditor_that_accepted_nothing_keeps_its_whole_claim() -> None:
    # The uniform option repays 90 %: the court cannot impose the other 10 %
    # (L626-18 al. 1). A creditor that refused, or was never consulted, is owed
    # them with the last instalment; one that accepted the option has remitted them.
    ledger = case()
    ledger.adopt_plan(
        CASE,
        adopted_on=ADOPTED,
        duration_years=10,
        supervisor="Me S",
        options=[{"option": "u", "percents": ["9"] * 10}],
        uniform_option="u",
    )
    ledger.answer_consultation(
        CASE, "A", answer="accepts", option="u", answered_on=date(2023, 1, 20)
    )
    schedule = ledger.schedule(CASE)
    assert schedule is not None
    a, b = schedule.claims
    assert a.scheduled == Money.parse("9000") and a.option_remission == Money.parse(
        "1000"
    )
    assert b.scheduled == Money.parse("10000") and b.option_remission == Money(0)
    assert b.instalments[-1].amount == Money.parse("1900")  # 9 % and the 10 %
    assert [i.amount for i in b.instalments[:-1]] == [Money.parse("900")] * 9


@settings(max_examples=60, deadline=None)
@given(
    uniform=st.lists(st.integers(0, 15), min_size=1, max_size=10).filter(
        lambda ps: 0 < sum(ps) <= 100
    ),
    fast=st.integers(1, 99),
    amount=st.integers(50_001, 10_000_000),  # above the small claims (R626-34)
)
def test_L626_5_a_never_consulted_creditor_never_has_a_remission(
    uniform: list[int], fast: int, amount: int
) -> None:
    ledger = case(amounts=("10000", str(Money(amount).plain())))
    ledger.adopt_plan(
        CASE,
        adopted_on=ADOPTED,
        duration_years=10,
        supervisor="Me S",
        options=[
            {"option": "u", "percents": [str(p) for p in uniform]},
            {"option": "fast", "percents": [str(fast)]},
        ],
        uniform_option="u",
        default_option="fast",
    )
    schedule = ledger.schedule(CASE)
    assert schedule is not None
    b = next(c for c in schedule.claims if c.creditor == "B")
    assert b.option == "u"
    assert b.scheduled == b.base == Money(amount)
    assert b.option_remission == Money(0)
    assert all(i.amount.cents >= 0 for i in b.instalments)
    status = ledger.plan_status(CASE, date(2040, 1, 1))
    assert status.creditor("B").contingent_remission == Money(0)
    assert status.creditor("B").acquired_remission == Money(0)


# --- 2. wages under the general privilege (L626-20 I 2°) -------------------------------------


def wage_case(advanced: str | None) -> Ledger:
    ledger = case(amounts=("10000",))
    ledger.register_creditor(CASE, "E1", name="Employee 1", creditor_kind="employee")
    ledger.declare_claim(
        CASE,
        "E1-1",
        creditor="E1",
        amount="5000",
        origin_on=date(2022, 2, 28),
        rank="salary_privileged",
        declared_by="mandataire",
        declared_on=date(2022, 5, 2),
    )
    ledger.admit_claim(CASE, "E1-1", decided_on=date(2022, 9, 1))
    if advanced is not None:
        ledger.advance_ags(
            CASE,
            "E1",
            "E1-1",
            superprivileged="0",
            privileged=advanced,
            paid_on=date(2022, 6, 1),
        )
    adopt(ledger)
    return ledger


def test_L626_20_I_2_unadvanced_privileged_wages_are_paid_at_adoption() -> None:
    ledger = wage_case(advanced=None)
    schedule = ledger.schedule(CASE)
    assert schedule is not None
    e1 = next(c for c in schedule.claims if c.claim == "E1-1")
    assert e1.treatment == "no_delay"
    assert [(i.due_on, i.amount) for i in e1.instalments] == [
        (ADOPTED, Money.parse("5000"))
    ]


def test_L626_20_I_2_what_the_ags_advanced_follows_the_plan() -> None:
    # The other side: the AGS advanced 3,000; subrogated, its claim follows the
    # plan's options, and only the employee's remaining 2,000 is paid at adoption.
    ledger = wage_case(advanced="3000")
    schedule = ledger.schedule(CASE)
    assert schedule is not None
    rows = {c.claim: c for c in schedule.claims}
    assert rows["E1-1"].treatment == "no_delay"
    assert rows["E1-1"].scheduled == Money.parse("2000")
    assert rows["E1-1-AGS-P"].treatment == "option"
    assert rows["E1-1-AGS-P"].scheduled == Money.parse("3000")


@pytest.mark.parametrize(("paid", "hits"), [("5000", 0), ("4999.99", 1)])
def test_L626_20_I_2_unadvanced_wages_unpaid_at_adoption_are_a_finding(
    paid: str, hits: int
) -> None:
    ledger = wage_case(advanced=None)
    ledger.distribute(CASE, "E1-1", amount=paid, paid_on=ADOPTED)
    found_ = found(ledger, "L626-20-I.not-paid-at-adoption", date(2023, 6, 1))
    assert len(found_) == hits


# --- 3. accepted delays beyond the maximum (L626-12) -------------------------------------------

LONG = {"option": "long", "percents": ["9"] * 10 + ["10"]}  # eleven years
TENY = {"option": "long", "percents": ["9"] * 9 + ["19"]}  # ten years


@pytest.mark.parametrize(
    ("option", "allowed", "hits"),
    [(TENY, False, 0), (LONG, False, 1), (LONG, True, 0)],
    ids=["ten years", "eleven years", "eleven, allowed by the ruleset"],
)
def test_L626_12_an_accepted_option_beyond_the_maximum_is_a_warning_unless_allowed(
    option: dict, allowed: bool, hits: int
) -> None:
    ledger = case()
    adopt(ledger, [option])
    ledger.answer_consultation(
        CASE, "A", answer="accepts", option="long", answered_on=date(2023, 1, 20)
    )
    found_ = found(
        ledger,
        "L626-12.agreed-delays-beyond-maximum",
        accepted_delays_may_exceed_plan_max=allowed,
    )
    assert len(found_) == hits
    if found_:
        assert found_[0].creditor == "A" and "2034-03-20" in found_[0].message
        assert found_[0].severity.value == "warning"


def test_L626_12_an_option_accepted_by_silence_counts_as_accepted() -> None:
    ledger = case()
    adopt(ledger, [LONG], default="long")
    silent(ledger, "B", date(2023, 1, 2))
    (hit,) = found(ledger, "L626-12.agreed-delays-beyond-maximum")
    assert hit.creditor == "B"


# --- 4. a modification's end (L626-26) -----------------------------------------------------


@pytest.mark.parametrize(
    ("decided_on", "percents", "hits"),
    [
        (date(2028, 3, 20), ["20"] * 5, 0),  # until 20 March 2033: the maximum
        (date(2028, 3, 21), ["20"] * 5, 1),  # until 21 March 2033: a day beyond
        # The case: until 2036, for a plan that must end in 2033.
        (date(2028, 3, 20), ["12.5"] * 8, 1),
        # A last year of 0 % repays nothing: the plan ends with the one before.
        (date(2028, 3, 20), ["25"] * 4 + ["0"] * 4, 0),
    ],
)
def test_L626_26_a_modified_plan_ends_within_the_maximum_from_the_original_adoption(
    decided_on: date, percents: list[str], hits: int
) -> None:
    ledger = case()
    adopt(ledger)
    ledger.modify_plan(
        CASE, percents=percents, duration_years=10, decided_on=decided_on
    )
    found_ = found(ledger, "L626-26.modified-beyond-maximum", date(2040, 1, 1))
    assert len(found_) == hits
    if found_:
        assert found_[0].severity.value == "error"
        assert "original adoption of 2023-03-20" in found_[0].message


# --- 7. money that does not add up (integrity) ------------------------------------------------


@pytest.mark.parametrize(("paid", "hits"), [("10000", 0), ("10000.01", 1)])
def test_integrity_paying_a_claim_more_than_it_is_worth_is_a_finding(
    paid: str, hits: int
) -> None:
    ledger = case()
    adopt(ledger, [{"option": "now", "percents": ["100"]}])
    ledger.remit_instalment(CASE, amount="20000", paid_on=date(2024, 3, 20))
    ledger.distribute(CASE, "A-1", amount=paid, paid_on=date(2024, 3, 20))
    found_ = found(ledger, "integrity.paid-beyond-claim")
    assert len(found_) == hits
    if found_:
        assert found_[0].claim == "A-1" and len(found_[0].evidence) == 1
        assert "library policy" in found_[0].article
        assert "0,01 € more than it is owed" in found_[0].message


@pytest.mark.parametrize(
    ("remitted_on", "distributed", "hits"),
    [
        (date(2024, 3, 20), "1000", 0),
        (date(2024, 3, 20), "1000.01", 1),
        (date(2024, 3, 21), "1000", 1),  # paid out the day before it came in
    ],
)
def test_integrity_distributing_more_than_the_debtor_remitted_is_a_finding(
    remitted_on: date, distributed: str, hits: int
) -> None:
    ledger = case()
    adopt(ledger)
    ledger.remit_instalment(CASE, amount="1000", paid_on=remitted_on)
    ledger.distribute(CASE, "A-1", amount=distributed, paid_on=date(2024, 3, 20))
    found_ = found(ledger, "integrity.distributed-beyond-remitted")
    assert len(found_) == hits
    if found_:
        assert "library policy" in found_[0].article
        assert found_[0].severity.value == "error"


# --- 8. cessation and completion (L626-27, L626-28) --------------------------------------------


def cease(ledger: Ledger, on: date) -> None:
    ledger.record_cessation(CASE, ceased_on=on, established_by="commissaire's report")


@pytest.mark.parametrize(
    ("as_of", "hits"), [(date(2025, 8, 31), 1), (date(2025, 9, 1), 0)]
)
def test_L626_27_cessation_during_the_plan_requires_its_resolution(
    as_of: date, hits: int
) -> None:
    ledger = case()
    adopt(ledger)
    cease(ledger, date(2025, 6, 2))
    ledger.resolve_plan(CASE, reason="cessation", decided_on=date(2025, 9, 1))
    found_ = found(ledger, "L626-27.cessation-not-resolved", as_of)
    assert len(found_) == hits
    if found_:
        assert found_[0].severity.value == "error"
        assert found_[0].article == "C. com. L626-27 I al. 3"


def test_L626_27_a_cessation_is_recorded_only_during_the_plan() -> None:
    ledger = case()
    with pytest.raises(InvalidInputError):  # no plan yet
        cease(ledger, date(2023, 1, 2))
    adopt(ledger)
    with pytest.raises(InvalidInputError) as before:
        cease(ledger, date(2023, 3, 19))
    assert before.value.field == "effective_on"
    ledger.complete_plan(CASE, decided_on=date(2033, 4, 1))
    count = len(ledger.history(CASE))
    with pytest.raises(InvalidInputError):  # the plan ended
        cease(ledger, date(2033, 5, 1))
    assert len(ledger.history(CASE)) == count  # nothing was written


@pytest.mark.parametrize(("remitted", "hits"), [("20000", 0), ("19999.99", 1)])
def test_L626_28_completion_with_instalments_unpaid_is_a_finding(
    remitted: str, hits: int
) -> None:
    ledger = case()
    adopt(ledger, [{"option": "now", "percents": ["100"]}], default="now")
    for creditor in "AB":
        silent(ledger, creditor, date(2023, 1, 2))
    ledger.remit_instalment(CASE, amount=remitted, paid_on=date(2024, 3, 20))
    ledger.complete_plan(CASE, decided_on=date(2024, 4, 2))
    found_ = found(ledger, "L626-28.completed-with-unpaid-instalments")
    assert len(found_) == hits
    if found_:
        assert "0,01 € of the instalments due by then" in found_[0].message


def test_L626_28_completion_before_the_last_instalments_fell_due_is_a_finding() -> None:
    ledger = case()
    adopt(ledger)
    ledger.remit_instalment(CASE, amount="2000", paid_on=date(2024, 3, 20))
    ledger.complete_plan(CASE, decided_on=date(2024, 4, 2))
    (hit,) = found(ledger, "L626-28.completed-with-unpaid-instalments")
    assert "18 000,00 € of instalments not yet due" in hit.message


@settings(max_examples=100, deadline=None)
@given(plan_histories(), st.data())
def test_L626_18_a_creditor_never_consulted_has_no_remission_in_any_history(
    facts: list[Fact], data: st.DataObject
) -> None:
    # Generated cases (options, answers, relieved claims, dividends), from which
    # the answers of some creditors are left out: whatever the options, a creditor
    # never consulted is scheduled its whole base (less what a relief forfeited).
    answers = [f for f in facts if isinstance(f, ConsultationAnswered)]
    left_out = {
        f.id for f in answers if data.draw(st.booleans(), label=f"leave {f.creditor}")
    }
    ledger = Ledger.open("memory")
    ledger.record_all([f for f in facts if f.id not in left_out])
    schedule = ledger.schedule("CASE-1")
    if schedule is None:
        return
    # Nor does a modification remit anything to it, unless it expressly accepted
    # the modification (L626-26).
    never = {f.creditor for f in answers if f.id in left_out} - {
        creditor for m in schedule.modifications for creditor in m.accepted_by
    }
    for c in schedule.claims:
        if c.treatment == "option" and c.creditor in never:
            assert c.option == schedule.adopted.uniform_option
            assert c.option_remission == Money(0)
            assert c.scheduled + c.forfeited == c.base


# --- the consultation on a modification (L626-26) ---------------------------------------


def modified(accepted_by: list[str], percents: list[str]) -> Ledger:
    """A and B accepted the uniform option (10 % a year, no remission); in its fifth
    year, on 20 March 2027, the plan is modified: what remains (7,000 € each) is
    spread again with `percents`, accepted expressly by `accepted_by`."""
    ledger = case()
    adopt(ledger)
    for creditor in ("A", "B"):
        ledger.answer_consultation(
            CASE, creditor, answer="accepts", option="u", answered_on=date(2023, 1, 20)
        )
    ledger.modify_plan(
        CASE,
        percents=percents,
        duration_years=10,
        decided_on=date(2027, 3, 20),
        accepted_by=accepted_by,
    )
    return ledger


@pytest.mark.parametrize(
    ("accepted_by", "a_owed", "b_owed"),
    [
        # A accepted the 80 %: 1,400 € of its 7,000 € remaining are remitted; B did
        # not answer, or stayed silent: its silence accepts the delays, not the
        # remission, so it is owed the whole 7,000 €.
        (["A"], "8600", "10000"),
        (["A", "B"], "8600", "8600"),
        ([], "10000", "10000"),
    ],
)
def test_L626_26_a_modification_remits_only_for_a_creditor_that_expressly_accepted(
    accepted_by: list[str], a_owed: str, b_owed: str
) -> None:
    ledger = modified(accepted_by, ["20"] * 4)
    schedule = ledger.schedule(CASE)
    assert schedule is not None
    a, b = schedule.claims
    assert (a.scheduled, b.scheduled) == (Money.parse(a_owed), Money.parse(b_owed))
    if "B" not in accepted_by:
        # The 1,400 € are owed with the last instalment, the delays as modified.
        assert [i.amount for i in b.instalments[3:]] == [
            *[Money.parse("1400")] * 3,
            Money.parse("2800"),
        ]
        assert b.instalments[-1].due_on == date(2031, 3, 20)
    hits = found(ledger, "L626-26.remission-without-acceptance")
    assert sorted(f.creditor for f in hits) == sorted({"A", "B"} - set(accepted_by))
    for f in hits:
        assert f.severity.value == "warning"
        assert "7 000,00 €" in f.message and "remit 1 400,00 €" in f.message


@pytest.mark.parametrize(
    ("percents", "hits", "remitted"),
    [
        (["20"] * 5, 0, None),  # 100 %: nothing remitted, no acceptance needed
        (["20"] * 4 + ["19.99"], 1, "0,70 €"),  # 99.99 % of 7,000 €
    ],
)
def test_L626_26_remission_without_acceptance_from_the_first_cent(
    percents: list[str], hits: int, remitted: str | None
) -> None:
    ledger = modified([], percents)
    found_ = found(ledger, "L626-26.remission-without-acceptance")
    assert len(found_) == 2 * hits  # A and B, neither accepted
    schedule = ledger.schedule(CASE)
    assert schedule is not None
    assert all(c.scheduled == Money.parse("10000") for c in schedule.claims)
    if remitted:
        assert all(f"remit {remitted}" in f.message for f in found_)
        assert found_[0].article == "C. com. L626-26, L626-18 al. 1"


def test_L626_26_silence_on_a_modification_is_no_acceptance_of_its_remission() -> None:
    # B answered the original consultation by its silence (an acceptance of the
    # default option, L626-5); on the modification it stays silent again: that
    # accepts the new delays, not the remission.
    ledger = case()
    adopt(ledger)
    silent(ledger, "B", date(2023, 1, 2))
    ledger.modify_plan(
        CASE, percents=["50"], duration_years=10, decided_on=date(2025, 6, 1)
    )
    schedule = ledger.schedule(CASE)
    assert schedule is not None
    b = schedule.for_creditor("B")[0]
    assert b.scheduled == b.base and b.option_remission == Money(0)
    assert b.instalments[-1].due_on == date(2026, 6, 1)  # the delays apply
    (hit,) = [
        f
        for f in found(ledger, "L626-26.remission-without-acceptance")
        if f.creditor == "B"
    ]
    assert "remit 4 000,00 €" in hit.message  # half of the 8,000 € remaining


@pytest.mark.parametrize(
    ("accepted_by", "field", "reason"),
    [
        (["Z"], "accepted_by[0]", "no such creditor"),
        (["A", "A"], "accepted_by[1]", "a creditor accepts once"),
    ],
)
def test_L626_26_an_acceptance_names_each_known_creditor_once(
    accepted_by: list[str], field: str, reason: str
) -> None:
    ledger = case()
    adopt(ledger)
    before = ledger.history(CASE)
    with pytest.raises(InvalidInputError) as refused:
        ledger.modify_plan(
            CASE,
            percents=["50"],
            duration_years=10,
            decided_on=date(2025, 6, 1),
            accepted_by=accepted_by,
        )
    assert refused.value.field == field and reason in str(refused.value)
    assert ledger.history(CASE) == before


@settings(max_examples=60, deadline=None)
@given(
    percents=st.lists(st.integers(0, 40), min_size=1, max_size=6).filter(
        lambda ps: sum(ps) <= 100
    ),
    days=st.integers(1, 3650),
    accepted=st.sets(st.sampled_from("AB")),
    answers=st.lists(
        st.sampled_from(["accepts", "refuses", None]), min_size=2, max_size=2
    ),
    amount=st.integers(50_001, 10_000_000),
)
def test_L626_26_a_modification_never_imposes_a_remission_on_a_creditor_that_did_not_accept(
    percents: list[int],
    days: int,
    accepted: set[str],
    answers: list[str | None],
    amount: int,
) -> None:
    # A first plan repaying 90 % (a remission only for those that accepted it),
    # modified on any day of its ten years with any percentages: for a creditor
    # that did not expressly accept the modification, it changes when it is paid,
    # never how much; for one that did, it remits exactly what the percentages
    # leave of what remained.
    ledger = case(amounts=("10000", str(Money(amount).plain())))
    ledger.adopt_plan(
        CASE,
        adopted_on=ADOPTED,
        duration_years=10,
        supervisor="Me S",
        options=[{"option": "u", "percents": ["9"] * 10}],
        uniform_option="u",
    )
    for creditor, answer in zip("AB", answers, strict=True):
        if answer:
            ledger.answer_consultation(
                CASE,
                creditor,
                answer=answer,
                option="u" if answer == "accepts" else None,
                answered_on=date(2023, 1, 20),
            )
    decided_on = date.fromordinal(ADOPTED.toordinal() + days)
    ledger.modify_plan(
        CASE,
        percents=[str(p) for p in percents],
        duration_years=10,
        decided_on=decided_on,
        accepted_by=sorted(accepted),
    )
    before = ledger.schedule(CASE, as_of=date.fromordinal(decided_on.toordinal() - 1))
    after = ledger.schedule(CASE)
    assert before is not None and after is not None and not before.modifications
    expected = set()
    for old, new in zip(before.claims, after.claims, strict=True):
        remaining = sum(
            i.amount.cents for i in old.instalments if i.due_on >= decided_on
        )
        spread = reschedule(
            Money(remaining),
            [Decimal(p) for p in percents],
            decided_on,
            FirstDue.FIRST_ANNIVERSARY,
        )
        remits = remaining - sum(i.amount.cents for i in spread)
        if new.creditor in accepted:
            assert new.scheduled.cents == old.scheduled.cents - remits
        else:
            assert new.scheduled == old.scheduled
            assert new.option_remission == old.option_remission
            if remits:
                expected.add(new.creditor)
    # Asked once the modification is decided (it may fall after found's 2030 date).
    flagged = {
        f.creditor
        for f in found(
            ledger, "L626-26.remission-without-acceptance", as_of=date(2034, 1, 1)
        )
    }
    assert flagged == expected


# --- a late catch-up is no missed annuity (L626-21 al. 4) ---------------------------------


@pytest.mark.parametrize(
    ("decided_on", "due_on", "says"),
    [
        # Admitted on appeal on 2 June 2025: B's first two annuities (1,000 € each)
        # are owed from that day, all of the 2,000 € then due.
        (
            date(2025, 6, 2),
            "2025-06-02",
            "(2 000,00 €) is still unpaid, 29 days after its due date. All of it is a "
            "catch-up: what a decision after the adoption added to the instalments "
            "due on 2024-03-20, 2025-03-20, owed from the decision's date (L626-21 "
            "al. 4), not an annuity missed then.",
        ),
        # Admitted on the second anniversary: that day's 3,000 € are A's and B's
        # annuities, and B's first one caught up.
        (
            date(2025, 3, 20),
            "2025-03-20",
            "Of it, 1 000,00 € is a catch-up: what a decision after the adoption "
            "added to the instalment due on 2024-03-20,",
        ),
    ],
)
def test_L626_21_instalment_late_says_when_it_is_a_catch_up_of_a_late_decision(
    decided_on: date, due_on: str, says: str
) -> None:
    ledger = case()
    ledger.reject_claim(CASE, "B-1", decided_on=date(2022, 10, 3))
    adopt(ledger)
    ledger.admit_claim(CASE, "B-1", decided_on=decided_on, amount="10000")
    # A's annuities are remitted on their dates; B's catch-up is not.
    for on in (date(2024, 3, 20), date(2025, 3, 20)):
        ledger.remit_instalment(CASE, amount="1000", paid_on=on)
    late = found(ledger, "L626-21.instalment-late", date(2025, 7, 1))
    (hit,) = [f for f in late if f.instalment == due_on]
    assert says in hit.message
    # The first annuity, paid on its date, is no finding; nor is B's share of it,
    # owed from the decision only.
    assert "2024-03-20" not in {f.instalment for f in late}


def test_L626_21_a_missed_annuity_is_not_called_a_catch_up() -> None:
    ledger = case()
    adopt(ledger)
    ledger.remit_instalment(CASE, amount="1999.99", paid_on=date(2024, 3, 20))
    (hit,) = found(ledger, "L626-21.instalment-late", date(2024, 4, 1))
    assert hit.instalment == "2024-03-20" and "catch-up" not in hit.message
