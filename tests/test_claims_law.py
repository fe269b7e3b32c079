"""Claims law at the edges (issue 12): who takes part in the plan, and for how much.

Each rule is tested on both sides of its boundary (a day, a cent), by name:
- a foreclosed claim (C. com. L622-26 al. 1-2) is not scheduled, not in what the debtor
  owes, the plan's base, its arrears or its default; balances still show it;
- a relieved claim (L622-26 al. 1) shares only in the distributions after its relief
  request; al. 3's later-knowledge exception is recorded with its justification.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plandebt import Fact, InvalidInputError, Ledger, Money
from plandebt.events import (
    ClaimDeclared,
    ClaimForeclosed,
    ClaimRelieved,
    CreditorRegistered,
    ReliefRequested,
)
from plandebt.lifecycle import BARRED, ClaimStatus
from plandebt.ruleset import ruleset_for
from plandebt.strategies import plan_histories

CASE = "RG 22/00012"
OPENED = date(2022, 3, 14)
BODACC = date(2022, 3, 28)  # declarations until 28 May 2022, relief until 28 Sept
ADOPTED = date(2023, 3, 20)
TEN_PERCENT = ["10"] * 10


def plan_case(
    late_amount: str = "2000",
    foreclose: bool = True,
    big: tuple[str, str] = ("10000", "10000"),
    small: tuple[str, ...] = (),
) -> Ledger:
    """Two admitted claims of 10,000 (`big`), a claim of 2,000 declared too late and
    foreclosed, perhaps some small claims, then a plan paying 10 % a year from the
    first anniversary of its adoption."""
    ledger = Ledger.open("memory")
    ledger.open_case(
        CASE,
        procedure="redressement_judiciaire",
        court="TJ Lyon",
        debtor="Debtor SAS",
        opened_on=OPENED,
        bodacc_published_on=BODACC,
    )
    claims = [
        ("A-1", "A", big[0], date(2022, 5, 2)),
        ("B-1", "B", big[1], date(2022, 5, 3)),
        ("LATE-1", "LATE", late_amount, date(2022, 7, 1)),
        *((f"S{i:02}-1", f"S{i:02}", a, date(2022, 5, 4)) for i, a in enumerate(small)),
    ]
    for claim, creditor, amount, declared_on in claims:
        ledger.register_creditor(
            CASE, creditor, name=creditor, creditor_kind="supplier"
        )
        ledger.declare_claim(
            CASE,
            claim,
            creditor=creditor,
            amount=amount,
            origin_on=date(2022, 1, 10),
            rank="unsecured",
            declared_on=declared_on,
        )
    ledger.admit_claim(CASE, "A-1", decided_on=date(2022, 9, 1))
    ledger.admit_claim(CASE, "B-1", decided_on=date(2022, 9, 1))
    if foreclose:
        ledger.foreclose_claim(
            CASE, "LATE-1", decided_on=date(2022, 9, 1), decision_ref="Ord. JC 22/9"
        )
    ledger.adopt_plan(
        CASE,
        adopted_on=ADOPTED,
        duration_years=10,
        supervisor="Me S",
        options=[{"option": "u", "percents": TEN_PERCENT}],
        uniform_option="u",
    )
    return ledger


def year_1_due(ledger: Ledger) -> Money:
    return ledger.plan_status(CASE, date(2024, 3, 20)).due


def findings(ledger: Ledger, rule: str, as_of: date = date(2030, 1, 1)) -> list:
    return [f for f in ledger.check(CASE, as_of).findings if f.rule == rule]


# --- 1. a foreclosed claim (L622-26 al. 1-2) ---------------------------------------------


def test_a_foreclosed_claim_is_not_scheduled_year_1_due_is_2000_not_2200() -> None:
    ledger = plan_case()
    schedule = ledger.schedule(CASE)
    assert schedule is not None
    assert [c.claim for c in schedule.claims] == ["A-1", "B-1"]
    assert year_1_due(ledger) == Money.parse("2000")


def test_a_late_claim_not_foreclosed_is_scheduled_until_its_foreclosure_is_recorded() -> (
    None
):
    # The other side: the late declaration alone is reported (R622-24), the claim is
    # scheduled; the foreclosure takes it out from the moment it is known.
    ledger = plan_case(foreclose=False)
    assert year_1_due(ledger) == Money.parse("2200")
    assert findings(ledger, "R622-24.late-declaration")
    before = ledger.schedule(CASE)
    foreclosure = ledger.foreclose_claim(CASE, "LATE-1", decided_on=date(2023, 6, 1))
    assert year_1_due(ledger) == Money.parse("2000")
    # ...and a view as known before it is recorded does not move.
    assert ledger.schedule(CASE, known_at=foreclosure.seq - 1) == before


def test_a_foreclosed_claim_is_in_no_arrears_and_no_default() -> None:
    ledger = plan_case()
    ledger.remit_instalment(CASE, amount="2000.00", paid_on=date(2024, 3, 20))
    status = ledger.plan_status(CASE, date(2024, 6, 30))
    assert (status.phase, status.arrears) == ("performing", Money(0))
    assert status.total_scheduled == Money.parse("20000")
    assert [p.creditor for p in status.creditors] == ["A", "B"]
    # One cent short is arrears, then default: the foreclosed claim is not what fills it.
    short = plan_case()
    short.remit_instalment(CASE, amount="1999.99", paid_on=date(2024, 3, 20))
    assert short.plan_status(CASE, date(2024, 3, 20)).arrears == Money(0)  # on time
    assert short.plan_status(CASE, date(2024, 3, 21)).arrears == Money(1)
    assert short.plan_status(CASE, date(2024, 6, 30)).phase == "in_default"


def test_balances_still_show_a_foreclosed_claim_in_its_own_state() -> None:
    ledger = plan_case()
    row = ledger.balances(CASE, date(2024, 6, 30)).claim("LATE-1")
    assert row.status == "foreclosed"
    assert row.declared == Money.parse("2000")
    # Not extinguished (L622-26 al. 2 makes it unenforceable against the debtor while
    # the plan runs, not void): the creditor's books keep it, undecided.
    assert row.outstanding == Money.parse("2000") and row.provisional
    assert row.decision_ref == "Ord. JC 22/9"


@pytest.mark.parametrize(
    ("big", "paid_at_adoption"),
    [(("99750.00", "99750.00"), 21), (("99749.99", "99750.00"), 20)],
    ids=["exactly the cap", "one cent under"],
)
def test_a_foreclosed_claim_is_not_in_the_estimated_liabilities_of_the_small_claims(
    big: tuple[str, str], paid_at_adoption: int
) -> None:
    # 21 small claims of 500: 10,500.00, which is 5 % of 210,000.00. With 199,500.00
    # of other claims they all fit (L626-20 II); with one cent less the last is left
    # out — although the foreclosed 2,000 would add 100.00 to the cap if it counted.
    ledger = plan_case(big=big, small=("500.00",) * 21)
    schedule = ledger.schedule(CASE)
    assert schedule is not None
    small = [c.claim for c in schedule.claims if c.treatment == "small_claim"]
    assert len(small) == paid_at_adoption
    assert "LATE-1" not in {c.claim for c in schedule.claims}


def test_a_claim_awaiting_relief_is_still_not_scheduled() -> None:
    ledger = plan_case()
    ledger.request_relief(CASE, "LATE-1", requested_on=date(2022, 9, 20))
    assert year_1_due(ledger) == Money.parse("2000")
    assert ledger.balances(CASE, date(2024, 1, 1)).claim("LATE-1").status == (
        "relief_requested"
    )


def test_a_refused_relief_is_a_new_foreclosure_and_a_new_request_may_follow() -> None:
    ledger = plan_case()
    ledger.request_relief(CASE, "LATE-1", requested_on=date(2022, 9, 20))
    ledger.foreclose_claim(CASE, "LATE-1", decided_on=date(2022, 10, 20))
    assert ledger.balances(CASE, date(2022, 10, 20)).claim("LATE-1").status == (
        "foreclosed"
    )
    ledger.request_relief(CASE, "LATE-1", requested_on=date(2022, 10, 21))
    ledger.relieve_claim(CASE, "LATE-1", decided_on=date(2022, 11, 2))
    schedule = ledger.schedule(CASE)
    assert schedule is not None
    late = next(c for c in schedule.claims if c.claim == "LATE-1")
    assert late.shares_from == date(2022, 10, 21)  # the request that was granted


@pytest.mark.parametrize(
    ("paid_on", "found"),
    [(date(2024, 3, 19), 1), (date(2024, 3, 20), 0)],
    ids=["the day before the relief", "the day of the relief"],
)
def test_a_plan_dividend_to_a_claim_still_foreclosed_on_its_date_is_an_error(
    paid_on: date, found: int
) -> None:
    ledger = plan_case()
    ledger.request_relief(CASE, "LATE-1", requested_on=date(2024, 3, 1))
    ledger.relieve_claim(CASE, "LATE-1", decided_on=date(2024, 3, 20))
    paid = ledger.distribute(CASE, "LATE-1", amount="200.00", paid_on=paid_on)
    (*hits,) = findings(ledger, "L622-26.dividend-to-foreclosed-claim")
    assert len(hits) == found
    if hits:
        assert hits[0].article == "C. com. L622-26 al. 1"
        assert hits[0].confidence == "T"
        assert paid.id in hits[0].evidence


def record_each(facts: list[Fact]) -> Ledger:
    ticks = (
        datetime(2030, 1, 1, tzinfo=UTC) + timedelta(seconds=i) for i in range(10**6)
    )
    ledger = Ledger.open("memory", clock=lambda: next(ticks))
    for fact in facts:
        ledger.record(fact)
    return ledger


def with_a_foreclosed_claim(facts: list[Fact], amount: int, days: int) -> list[Fact]:
    """The same history with, right after the opening, one more creditor whose claim
    is declared and foreclosed."""
    opening = facts[0]
    case, on = opening.case, opening.effective_on
    extra: list[Fact] = [
        CreditorRegistered.build(
            case=case,
            id="zz-late-creditor",
            effective_on=on,
            creditor="ZZ-LATE",
            name="Late",
            creditor_kind="supplier",
        ),
        ClaimDeclared.build(
            case=case,
            id="zz-late-claim",
            effective_on=on + timedelta(days=days),
            claim="ZZ-LATE-1",
            creditor="ZZ-LATE",
            amount=Money(amount),
            origin_on=on - timedelta(days=1),
            rank="unsecured",
        ),
        ClaimForeclosed.build(
            case=case,
            id="zz-late-foreclosure",
            effective_on=on + timedelta(days=days + 1),
            claim="ZZ-LATE-1",
        ),
    ]
    return [opening, *extra, *facts[1:]]


@settings(max_examples=40, deadline=None)
@given(
    plan_histories(),
    st.integers(1, 10**9),
    st.integers(0, 90),
    st.dates(date(2016, 1, 1), date(2040, 1, 1)),
)
def test_a_foreclosed_claim_never_changes_what_the_debtor_owes(
    facts: list[Fact], amount: int, days: int, as_of: date
) -> None:
    without = record_each(facts)
    withit = record_each(with_a_foreclosed_claim(facts, amount, days))
    assert withit.plan_status("CASE-1", as_of) == without.plan_status("CASE-1", as_of)
    with_schedule, schedule = withit.schedule("CASE-1"), without.schedule("CASE-1")
    if schedule is None:
        assert with_schedule is None
    else:
        assert with_schedule is not None
        assert with_schedule.claims == schedule.claims
    # ...while the balances show it, in its own state.
    foreclosed_on = facts[0].effective_on + timedelta(days=days + 1)
    row = withit.balances("CASE-1", max(as_of, foreclosed_on)).claim("ZZ-LATE-1")
    assert row.status == "foreclosed" and row.declared == Money(amount)


def test_the_statuses_barred_from_distributions_are_foreclosure_and_a_pending_request():
    assert {ClaimStatus.FORECLOSED, ClaimStatus.RELIEF_REQUESTED} == BARRED
    with pytest.raises(InvalidInputError):
        plan_case().relieve_claim(CASE, "A-1", decided_on=date(2023, 1, 1))


# --- 2. a relieved claim (L622-26 al. 1) and the later-knowledge exception (al. 3) --------


def late_schedule(ledger: Ledger):  # type: ignore[no-untyped-def]
    schedule = ledger.schedule(CASE)
    assert schedule is not None
    return next(c for c in schedule.claims if c.claim == "LATE-1")


def test_a_claim_relieved_in_year_3_is_not_owed_years_1_and_2() -> None:
    # Plan year 3 runs from 20 March 2025 to 19 March 2026: the request of 1 June 2025
    # comes after the dividends of years 1 and 2 (due 2024-03-20 and 2025-03-20).
    ledger = plan_case()
    ledger.request_relief(CASE, "LATE-1", requested_on=date(2025, 6, 1))
    ledger.relieve_claim(CASE, "LATE-1", decided_on=date(2025, 9, 1))
    late = late_schedule(ledger)
    assert [i.number for i in late.instalments] == [3, 4, 5, 6, 7, 8, 9, 10]
    assert late.instalments[0].due_on == date(2026, 3, 20)
    assert (late.scheduled, late.forfeited) == (Money.parse("1600"), Money.parse("400"))
    assert late.option_remission == Money(0)  # forfeited is not a remission
    assert (late.shares_from, late.relieved_on) == (date(2025, 6, 1), date(2025, 9, 1))
    status = ledger.plan_status(CASE, date(2026, 3, 20))
    assert status.creditor("LATE").due == Money.parse("200")
    assert status.due == Money.parse("6200")  # 3 × 2,000 + LATE's year 3


@pytest.mark.parametrize(
    ("requested_on", "owed_from"),
    [(date(2025, 3, 20), 2), (date(2025, 3, 21), 3)],
    ids=["on the anniversary", "the day after"],
)
def test_the_instalment_due_on_the_day_of_the_request_is_owed_the_one_before_is_not(
    requested_on: date, owed_from: int
) -> None:
    ledger = plan_case()
    ledger.request_relief(CASE, "LATE-1", requested_on=requested_on)
    ledger.relieve_claim(CASE, "LATE-1", decided_on=date(2025, 4, 15))
    late = late_schedule(ledger)
    assert late.instalments[0].number == owed_from
    assert late.forfeited == Money.parse("200") * (owed_from - 1)


def test_what_a_relieved_claim_is_owed_falls_due_from_the_relief_order() -> None:
    # Year 2 (due 2025-03-20) is owed to a claim that asked on that day, but the
    # debtor owes it only once the relief is granted: from 15 April, at once.
    ledger = plan_case()
    ledger.request_relief(CASE, "LATE-1", requested_on=date(2025, 3, 20))
    ledger.relieve_claim(CASE, "LATE-1", decided_on=date(2025, 4, 15))
    ledger.remit_instalment(CASE, amount="4000.00", paid_on=date(2025, 3, 20))
    assert late_schedule(ledger).dues[0] == date(2025, 4, 15)
    assert ledger.plan_status(CASE, date(2025, 4, 14)).arrears == Money(0)
    # Due on the order's day, late from the next (L626-21).
    on_the_day = ledger.plan_status(CASE, date(2025, 4, 15))
    before = ledger.plan_status(CASE, date(2025, 4, 14))
    assert on_the_day.due - before.due == Money.parse("200")
    assert on_the_day.arrears == Money(0)
    next_day = ledger.plan_status(CASE, date(2025, 4, 16))
    assert (next_day.arrears, next_day.oldest_unpaid_due_on) == (
        Money.parse("200"),
        date(2025, 4, 15),
    )


def test_unlike_a_relieved_claim_a_claim_admitted_in_year_3_is_owed_years_1_and_2() -> (
    None
):
    # A claim declared in time and disputed takes part in every distribution: what
    # fell due while it was disputed is reserved, then owed at once (L626-21).
    ledger = plan_case(foreclose=False)
    ledger.correct(CASE, _declaration_id(ledger), {"effective_on": "2022-05-20"})
    ledger.contest_claim(CASE, "LATE-1", decided_on=date(2022, 9, 1))
    ledger.admit_claim(CASE, "LATE-1", decided_on=date(2025, 6, 1))
    late = late_schedule(ledger)
    assert late.instalments[0].number == 1 and late.forfeited == Money(0)
    position = ledger.plan_status(CASE, date(2025, 6, 1)).creditor("LATE")
    assert position.behind == Money.parse("400")  # years 1 and 2, owed at once


def _declaration_id(ledger: Ledger) -> str:
    return next(
        f.id
        for f in ledger.history(CASE)
        if isinstance(f, ClaimDeclared) and f.claim == "LATE-1"
    )


def test_a_relief_recorded_without_a_request_counts_from_its_own_date() -> None:
    ledger = plan_case()
    relief = ledger.relieve_claim(CASE, "LATE-1", decided_on=date(2025, 3, 20))
    late = late_schedule(ledger)
    assert (late.shares_from, late.instalments[0].number) == (date(2025, 3, 20), 2)
    (info,) = [
        f
        for f in findings(ledger, "L622-26.late-relief-request")
        if f.evidence == (relief.id,)
    ]
    assert info.severity.value == "info"


def relief_findings(knowledge_on: date | None, requested_on: date) -> list:
    ledger = plan_case()
    ledger.request_relief(
        CASE,
        "LATE-1",
        requested_on=requested_on,
        knowledge_on=knowledge_on,
        justification=None if knowledge_on is None else "Invoice found in an audit",
    )
    return findings(ledger, "L622-26.late-relief-request")


@pytest.mark.parametrize(
    ("requested_on", "severity"),
    [(date(2023, 7, 10), "info"), (date(2023, 7, 11), "error")],
    ids=["6 months after the knowledge", "a day more"],
)
def test_a_late_request_under_the_later_knowledge_exception_is_not_an_error(
    requested_on: date, severity: str
) -> None:
    # BODACC 2022-03-28: the ordinary limit is 2022-09-28. Known from 2023-01-10,
    # the claim may be relieved on a request up to 2023-07-10 (L622-26 al. 3).
    (found,) = relief_findings(date(2023, 1, 10), requested_on)
    assert found.severity.value == severity
    # T for L622-26 itself; S overall, for the CPC art. 642 extension it also reads
    # (that the CPC governs these deadlines rests on R662-1, not read).
    assert found.article == "C. com. L622-26 al. 3" and found.confidence == "S"
    if severity == "info":
        assert "Invoice found in an audit" in found.message


@pytest.mark.parametrize(
    ("knowledge_on", "severity"),
    [(date(2022, 9, 28), "error"), (date(2022, 9, 29), "info")],
    ids=["known on the last day of the 6 months", "known the day after"],
)
def test_the_exception_is_only_for_a_creditor_that_could_not_know_within_the_6_months(
    knowledge_on: date, severity: str
) -> None:
    (found,) = relief_findings(knowledge_on, date(2023, 1, 10))
    assert found.severity.value == severity


def test_a_request_within_the_6_months_needs_no_exception() -> None:
    assert relief_findings(None, date(2022, 9, 28)) == []
    (late,) = relief_findings(None, date(2022, 9, 29))
    assert late.severity.value == "error" and "record that date" in late.message


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"knowledge_on": date(2023, 1, 10)}, "justification"),
        ({"knowledge_on": date(2023, 1, 10), "justification": "  "}, "justification"),
        ({"justification": "Invoice found in an audit"}, "knowledge_on"),
        (
            {"knowledge_on": date(2023, 2, 1), "justification": "Audit"},
            "knowledge_on",
        ),  # after the request
        (
            {"knowledge_on": date(2022, 1, 9), "justification": "Audit"},
            "knowledge_on",
        ),  # before the claim arose
    ],
)
def test_the_exception_is_recorded_with_its_date_and_justification_or_refused(
    fields: dict, field: str
) -> None:
    ledger = plan_case()
    before = list(ledger.export())
    with pytest.raises(InvalidInputError) as refused:
        ledger.request_relief(CASE, "LATE-1", requested_on=date(2023, 1, 31), **fields)
    assert refused.value.field == field
    assert list(ledger.export()) == before


@st.composite
def relieved_histories(draw: st.DrawFn) -> tuple[list[Fact], date]:
    """A plan history with one more claim, declared late, foreclosed, then relieved on
    a request made at any time of the plan (or before it)."""
    facts = draw(plan_histories())
    adopted = next(f for f in facts if f.kind == "plan.adopted")
    on = facts[0].effective_on
    requested_on = adopted.effective_on + timedelta(days=draw(st.integers(-90, 3700)))
    requested_on = max(requested_on, on + timedelta(days=2))
    extra = [
        *with_a_foreclosed_claim([facts[0]], draw(st.integers(1, 10**9)), 0)[1:],
        ReliefRequested.build(
            case=facts[0].case,
            id="zz-relief-request",
            effective_on=requested_on,
            claim="ZZ-LATE-1",
        ),
        ClaimRelieved.build(
            case=facts[0].case,
            id="zz-relief",
            effective_on=requested_on + timedelta(days=draw(st.integers(0, 200))),
            claim="ZZ-LATE-1",
        ),
    ]
    return [*facts, *extra], requested_on


@settings(max_examples=40, deadline=None)
@given(relieved_histories(), st.dates(date(2016, 1, 1), date(2040, 1, 1)))
def test_a_relieved_claims_dues_never_include_an_annuity_due_before_its_request(
    history: tuple[list[Fact], date], as_of: date
) -> None:
    facts, requested_on = history
    ledger = record_each(facts)
    schedule = ledger.schedule("CASE-1")
    assert schedule is not None
    (late,) = [c for c in schedule.claims if c.claim == "ZZ-LATE-1"]
    assert late.shares_from == requested_on
    assert all(i.due_on >= requested_on for i in late.instalments)
    assert all(due >= late.relieved_on for due in late.dues)  # type: ignore[operator]
    assert late.scheduled + late.forfeited + late.option_remission == late.base
    status = ledger.plan_status("CASE-1", as_of)
    if status.adopted_on is None:
        return  # before the plan: nobody is owed anything under it
    assert status.creditor("ZZ-LATE").due == Money(
        sum(
            i.amount.cents
            for i, d in zip(late.instalments, late.dues, strict=True)
            if d <= as_of
        )
    )


# --- 3. declaration deadlines (L622-24 al. 1, R622-24, CPC art. 642) ---------------------


def _iso(day: date) -> str:
    return day.isoformat()


def declaration_findings(
    bodacc: date,
    declared_on: date,
    overrides: dict | None = None,
    abroad: bool = False,
    **claim: object,
) -> list:
    ledger = Ledger.open("memory")
    ledger.open_case(
        CASE,
        procedure="sauvegarde",
        court="TJ Strasbourg",
        debtor="D",
        opened_on=bodacc - timedelta(days=10),
        bodacc_published_on=bodacc,
    )
    ledger.register_creditor(CASE, "X", name="X", creditor_kind="bank", abroad=abroad)
    ledger.declare_claim(
        CASE,
        "X-1",
        creditor="X",
        amount="1000",
        origin_on=bodacc - timedelta(days=30),
        rank="secured",
        declared_on=declared_on,
        **claim,  # type: ignore[arg-type]
    )
    rules = ruleset_for(bodacc - timedelta(days=10), overrides or {})
    return [
        f
        for f in ledger.check(CASE, date(2030, 1, 1), ruleset=rules).findings
        if f.rule == "R622-24.late-declaration"
    ]


@pytest.mark.parametrize(
    ("bodacc", "last_day", "why"),
    [
        (date(2024, 3, 1), date(2024, 5, 2), "1 May 2024, a Wednesday, is a holiday"),
        (date(2024, 3, 9), date(2024, 5, 10), "9 May 2024 is Ascension Thursday"),
        (date(2024, 2, 20), date(2024, 4, 22), "20 April 2024 is a Saturday"),
        (date(2023, 3, 29), date(2023, 5, 30), "29 May 2023 is Whit Monday"),
        (date(2024, 3, 14), date(2024, 5, 14), "14 May 2024, a Tuesday, is not moved"),
    ],
)
def test_a_declaration_deadline_ending_on_a_holiday_runs_to_the_next_working_day(
    bodacc: date, last_day: date, why: str
) -> None:
    assert declaration_findings(bodacc, last_day) == [], why
    (late,) = declaration_findings(bodacc, last_day + timedelta(days=1))
    assert late.severity.value == "warning" and _iso(last_day) in late.message


def test_without_the_art_642_extension_the_deadline_ends_on_its_own_day() -> None:
    off = {"deadline_extended_to_next_working_day": False}
    (late,) = declaration_findings(date(2024, 3, 1), date(2024, 5, 2), off)
    assert "2024-05-01 (2 months" in late.message
    assert declaration_findings(date(2024, 3, 1), date(2024, 5, 1), off) == []


def test_an_alsace_moselle_holiday_given_as_an_override_moves_the_deadline() -> None:
    # 26 October 2022 + 2 months: Monday 26 December, St Stephen's day there.
    local = {
        "public_holidays": "01-01, good_friday, easter_monday, 05-01, 05-08, "
        "ascension, whit_monday, 07-14, 08-15, 11-01, 11-11, 12-25, 12-26"
    }
    bodacc, stephen = date(2022, 10, 26), date(2022, 12, 27)
    assert declaration_findings(bodacc, stephen, local) == []
    assert len(declaration_findings(bodacc, stephen)) == 1  # not a holiday elsewhere
    (late,) = declaration_findings(bodacc, stephen + timedelta(days=1), local)
    assert "moved from Monday 2022-12-26" in late.message


@pytest.mark.parametrize(
    ("declared_on", "late"),
    [(date(2022, 8, 10), False), (date(2022, 8, 11), True)],
    ids=["2 months after the notice", "a day more"],
)
def test_a_published_security_holders_deadline_runs_from_its_personal_notice(
    declared_on: date, late: bool
) -> None:
    # BODACC 2022-03-28 (deadline 30 May); the notice, received 10 June, gives until
    # Wednesday 10 August (L622-24 al. 1).
    found = declaration_findings(
        BODACC,
        declared_on,
        published_security=True,
        notice_received_on=date(2022, 6, 10),
    )
    assert len(found) == late
    if late:
        assert "personal notice received of 2022-06-10" in found[0].message


@pytest.mark.parametrize(
    ("declared_on", "late"),
    [(date(2022, 5, 30), False), (date(2022, 5, 31), True)],
    ids=["within 2 months of the BODACC", "a day more"],
)
def test_a_holder_warned_before_the_publication_may_still_declare_within_its_months(
    declared_on: date, late: bool
) -> None:
    # Notice on 20 March, BODACC on 28 March: the later of the two deadlines holds
    # (Cass. com. 30 Oct 2012, n° 11-22.836).
    found = declaration_findings(
        BODACC,
        declared_on,
        published_security=True,
        notice_received_on=date(2022, 3, 25),
    )
    assert len(found) == late


def test_abroad_the_four_months_also_run_from_the_notice() -> None:
    kwargs = {"published_security": True, "notice_received_on": date(2022, 6, 10)}
    assert declaration_findings(BODACC, date(2022, 10, 10), abroad=True, **kwargs) == []
    assert (
        len(declaration_findings(BODACC, date(2022, 10, 11), abroad=True, **kwargs))
        == 1
    )


def test_without_a_recorded_notice_a_holders_deadline_is_not_checked() -> None:
    (info,) = declaration_findings(BODACC, date(2023, 6, 1), published_security=True)
    assert info.severity.value == "info" and "not recorded" in info.message


def test_a_late_claim_once_foreclosed_is_an_info_not_a_warning() -> None:
    ledger = plan_case()  # LATE-1 declared 2022-07-01, foreclosed
    (found,) = findings(ledger, "R622-24.late-declaration")
    assert found.severity.value == "info" and "foreclosed" in found.message
    (still,) = findings(plan_case(foreclose=False), "R622-24.late-declaration")
    assert still.severity.value == "warning" and "counts it" in still.message


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"notice_received_on": date(2022, 6, 10)}, "notice_received_on"),
        (
            {"published_security": True, "notice_received_on": date(2022, 3, 13)},
            "notice_received_on",
        ),  # before the opening
    ],
)
def test_a_notice_is_recorded_for_a_published_security_holder_after_the_opening(
    fields: dict, field: str
) -> None:
    ledger = plan_case()
    with pytest.raises(InvalidInputError) as refused:
        ledger.declare_claim(
            CASE,
            "N-1",
            creditor="A",
            amount="10",
            origin_on=date(2022, 1, 1),
            rank="secured",
            declared_on=date(2022, 5, 1),
            **fields,
        )
    assert refused.value.field == field


@pytest.mark.parametrize(
    ("requested_on", "late"),
    [(date(2022, 12, 12), False), (date(2022, 12, 13), True)],
    ids=["on the Monday", "the Tuesday"],
)
def test_a_holders_relief_limit_runs_from_its_notice_to_the_next_working_day(
    requested_on: date, late: bool
) -> None:
    # Notice received 10 June 2022: 6 months is Saturday 10 December, so Monday 12.
    ledger = plan_case(foreclose=False)
    ledger.declare_claim(
        CASE,
        "H-1",
        creditor="A",
        amount="5000",
        origin_on=date(2022, 1, 1),
        rank="secured",
        declared_on=date(2022, 9, 1),
        published_security=True,
        notice_received_on=date(2022, 6, 10),
    )
    ledger.foreclose_claim(CASE, "H-1", decided_on=date(2022, 9, 15))
    ledger.request_relief(CASE, "H-1", requested_on=requested_on)
    found = [
        f for f in findings(ledger, "L622-26.late-relief-request") if f.claim == "H-1"
    ]
    assert len(found) == late


# --- 4. interest (L622-28 al. 1) ------------------------------------------------------


def interest_findings(
    accrued_on: date = date(2022, 12, 31), origin_on: date = date(2021, 1, 1), **claim
) -> list:
    ledger = plan_case(foreclose=False)
    ledger.declare_claim(
        CASE,
        "I-1",
        creditor="A",
        amount="1000",
        origin_on=origin_on,
        rank="secured",
        declared_on=date(2022, 5, 2),
        **claim,
    )
    ledger.accrue_interest(CASE, "I-1", amount="10", effective_on=accrued_on)
    return findings(ledger, "L622-28.interest-after-opening")


@pytest.mark.parametrize(
    ("origin_on", "flagged"),
    [(OPENED - timedelta(days=1), 1), (OPENED, 0)],
    ids=["born the day before the opening", "born on the opening day"],
)
def test_a_post_opening_claim_is_never_flagged_for_interest(
    origin_on: date, flagged: int
) -> None:
    assert len(interest_findings(origin_on=origin_on)) == flagged


@pytest.mark.parametrize(
    ("accrued_on", "flagged"),
    [(OPENED, 0), (OPENED + timedelta(days=1), 1)],
    ids=["interest to the opening day", "a day after"],
)
def test_interest_stops_from_the_opening_judgment(accrued_on: date, flagged: int):
    assert len(interest_findings(accrued_on)) == flagged


@pytest.mark.parametrize(
    ("claim", "flagged"),
    [
        ({"interest_basis": "loan", "loan_term_months": 12}, 0),
        ({"interest_basis": "loan", "loan_term_months": 11}, 1),
        ({"loan_term_months": 12}, 0),  # no basis recorded: a loan, as before
        ({"interest_basis": "deferred_payment", "deferred_payment_months": 12}, 0),
        ({"interest_basis": "deferred_payment", "deferred_payment_months": 11}, 1),
        # A deferral is what counts for a deferred-payment contract, not a loan term.
        ({"interest_basis": "deferred_payment", "loan_term_months": 60}, 1),
        ({"interest_basis": "leasing", "loan_term_months": 60}, 1),
        ({"interest_basis": "loan"}, 1),  # a term not recorded
    ],
)
def test_interest_continues_only_under_a_loan_or_a_deferral_of_a_year_or_more(
    claim: dict, flagged: int
) -> None:
    found = interest_findings(interest_regime="continues", **claim)
    assert len(found) == flagged
    if found:
        assert found[0].article == "C. com. L622-28 al. 1"


def test_leasing_is_not_a_loan_for_the_interest_exception() -> None:
    (found,) = interest_findings(
        interest_regime="continues", interest_basis="leasing", loan_term_months=60
    )
    assert "crédit-bail" in found.message


def test_interest_on_a_claim_whose_interest_stopped_is_flagged_whatever_its_contract():
    (found,) = interest_findings(interest_basis="loan", loan_term_months=60)
    assert "stopped at the opening" in found.message


@pytest.mark.parametrize("months", [0, -3])
def test_a_deferral_of_no_months_is_refused(months: int) -> None:
    with pytest.raises(InvalidInputError) as refused:
        interest_findings(
            interest_regime="continues",
            interest_basis="deferred_payment",
            deferred_payment_months=months,
        )
    assert refused.value.field == "deferred_payment_months"


# --- 5. the payment ban on post-opening claims that are not useful (L622-7 I) --------------


def ban_findings(
    origin_on: date = OPENED,
    basis: str = "post_opening_at_maturity",
    paid_on: date = date(2022, 6, 1),
    rank: str = "unsecured",
    **claim: object,
) -> list:
    """A claim born after the opening, declared, paid; the plan is adopted on
    2023-03-20 (the end of the observation period)."""
    ledger = plan_case(foreclose=False)
    ledger.declare_claim(
        CASE,
        "P-1",
        creditor="A",
        amount="800",
        origin_on=origin_on,
        rank=rank,
        declared_on=max(origin_on, date(2022, 5, 2)),
        **claim,  # type: ignore[arg-type]
    )
    fields = {"authorisation_ref": "Ord. JC 1"} if basis == "jc_authorisation" else {}
    ledger.pay(CASE, "P-1", amount="800", paid_on=paid_on, basis=basis, **fields)
    return [
        f for f in findings(ledger, "L622-7.payment-without-basis") if f.claim == "P-1"
    ]


@pytest.mark.parametrize(
    ("origin_on", "flagged"),
    [
        (OPENED, 1),  # born on the opening day: post-opening, not useful
        (ADOPTED - timedelta(days=1), 1),  # the observation period's last day
        (ADOPTED, 0),  # born on the adoption day: the observation period is over
    ],
)
def test_a_post_opening_claim_that_is_not_useful_paid_at_maturity_is_a_finding(
    origin_on: date, flagged: int
) -> None:
    found = ban_findings(origin_on, paid_on=max(origin_on, date(2022, 6, 1)))
    assert len(found) == flagged
    if found:
        assert "not a useful claim of L622-17 I" in found[0].message
        assert found[0].confidence == "T"


@pytest.mark.parametrize(
    ("rank", "claim", "flagged"),
    [
        ("post_opening", {}, 0),  # the useful claims' rank
        ("unsecured", {"useful": True}, 0),  # declared useful
        ("privileged_tax", {}, 1),
        ("privileged_tax", {"useful": True}, 0),
        ("salary_privileged", {}, 0),  # pay for work during the observation period
        ("salary_privileged", {"useful": False}, 1),
    ],
)
def test_only_useful_post_opening_claims_are_paid_at_maturity(
    rank: str, claim: dict, flagged: int
) -> None:
    assert len(ban_findings(rank=rank, **claim)) == flagged


@pytest.mark.parametrize(
    ("basis", "paid_on", "flagged"),
    [
        ("alimentary", date(2022, 6, 1), 0),
        ("plan_dividend", ADOPTED, 0),
        ("plan_dividend", ADOPTED - timedelta(days=1), 1),
        # Set-off and the juge-commissaire's authorisation are for claims born
        # before the opening (L622-7 I al. 1, II): not for these.
        ("connected_setoff", date(2022, 6, 1), 1),
        ("jc_authorisation", date(2022, 6, 1), 1),
    ],
)
def test_a_post_opening_claim_that_is_not_useful_is_paid_through_the_plan(
    basis: str, paid_on: date, flagged: int
) -> None:
    assert len(ban_findings(basis=basis, paid_on=paid_on)) == flagged


def test_a_claim_declared_useful_is_paid_at_maturity_outside_the_plan() -> None:
    ledger = plan_case(foreclose=False)
    for claim, fields in (("U-1", {"useful": True}), ("N-1", {})):
        ledger.declare_claim(
            CASE,
            claim,
            creditor="A",
            amount="800",
            origin_on=date(2022, 6, 1),
            rank="unsecured",
            declared_on=date(2022, 6, 2),
            **fields,  # type: ignore[arg-type]
        )
    schedule = ledger.schedule(CASE)
    assert schedule is not None
    scheduled = {c.claim for c in schedule.claims}
    assert "U-1" not in scheduled and "N-1" in scheduled


@pytest.mark.parametrize(
    ("origin_on", "rank", "useful"),
    [
        (OPENED - timedelta(days=1), "unsecured", True),  # born before the opening
        (OPENED - timedelta(days=1), "unsecured", False),
        (OPENED, "post_opening", False),  # the useful rank, declared not useful
        (OPENED, "new_money", False),
    ],
)
def test_usefulness_is_refused_where_it_cannot_be(
    origin_on: date, rank: str, useful: bool
) -> None:
    ledger = plan_case()
    with pytest.raises(InvalidInputError) as refused:
        ledger.declare_claim(
            CASE,
            "P-2",
            creditor="A",
            amount="10",
            origin_on=origin_on,
            rank=rank,
            declared_on=date(2022, 5, 2),
            useful=useful,
        )
    assert refused.value.field == "useful"


# --- 6. the opening facts (L620-1, L631-4, L631-8) --------------------------------------


def opening_findings(
    rule: str,
    procedure: str = "redressement_judiciaire",
    convert: dict | None = None,
    **opening: object,
) -> list:
    ledger = Ledger.open("memory")
    ledger.open_case(
        CASE,
        procedure=procedure,
        court="TJ",
        debtor="D",
        opened_on=OPENED,
        bodacc_published_on=BODACC,
        **opening,  # type: ignore[arg-type]
    )
    if convert is not None:
        ledger.convert_case(CASE, effective_on=date(2022, 9, 1), **convert)
    return findings(ledger, rule)


@pytest.mark.parametrize(
    ("cessation_on", "found"),
    [(date(2020, 9, 14), 0), (date(2020, 9, 13), 1)],
    ids=["18 months before the opening", "a day more"],
)
def test_a_redressement_dates_the_cessation_at_most_18_months_before_the_opening(
    cessation_on: date, found: int
) -> None:
    # Recorded as the judgment says it, then reported (L631-8 al. 2).
    hits = opening_findings("L631-8.cessation-too-early", cessation_on=cessation_on)
    assert len(hits) == found
    if hits:
        assert hits[0].severity.value == "error" and "2020-09-14" in hits[0].message


@pytest.mark.parametrize(
    ("cessation_on", "found"),
    [(date(2020, 9, 14), 0), (date(2020, 9, 13), 1)],
)
def test_a_sauvegarde_converted_counts_the_18_months_from_its_own_opening(
    cessation_on: date, found: int
) -> None:
    hits = opening_findings(
        "L631-8.cessation-too-early",
        procedure="sauvegarde",
        convert={"procedure": "redressement_judiciaire", "cessation_on": cessation_on},
    )
    assert len(hits) == found


@pytest.mark.parametrize(
    ("procedure", "cessation_on", "found"),
    [
        ("sauvegarde", date(2022, 2, 1), 1),
        ("sauvegarde", None, 0),
        ("redressement_judiciaire", date(2022, 2, 1), 0),
    ],
)
def test_a_sauvegarde_has_no_date_of_cessation_des_paiements(
    procedure: str, cessation_on: date | None, found: int
) -> None:
    hits = opening_findings(
        "L620-1.sauvegarde-in-cessation", procedure=procedure, cessation_on=cessation_on
    )
    assert len(hits) == found
    if hits:
        assert hits[0].article == "C. com. L620-1" and hits[0].confidence == "T"


def test_a_case_converted_into_a_sauvegarde_with_a_cessation_date_is_reported() -> None:
    hits = opening_findings(
        "L620-1.sauvegarde-in-cessation",
        procedure="redressement_judiciaire",
        convert={"procedure": "sauvegarde", "cessation_on": date(2022, 8, 1)},
    )
    assert len(hits) == 1


@pytest.mark.parametrize(
    ("cessation_on", "filed_on", "late"),
    [
        (date(2022, 1, 10), date(2022, 2, 24), False),  # the 45th day, a Thursday
        (date(2022, 1, 10), date(2022, 2, 25), True),
        (date(2022, 1, 12), date(2022, 2, 28), False),  # Saturday 26 -> Monday 28
        (date(2022, 1, 12), date(2022, 3, 1), True),
    ],
)
def test_the_debtor_asks_for_the_opening_within_45_days_of_its_cessation(
    cessation_on: date, filed_on: date, late: bool
) -> None:
    hits = opening_findings(
        "L631-4.late-filing", cessation_on=cessation_on, filed_on=filed_on
    )
    assert len(hits) == late
    if hits:
        assert hits[0].severity.value == "warning"


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (
            lambda lg: lg.open_case(
                CASE,
                procedure="redressement_judiciaire",
                court="TJ",
                debtor="D",
                opened_on=OPENED,
                filed_on=OPENED + timedelta(days=1),
            ),
            "filed_on",
        ),
        (
            lambda lg: (
                lg.open_case(
                    CASE,
                    procedure="sauvegarde",
                    court="TJ",
                    debtor="D",
                    opened_on=OPENED,
                ),
                lg.convert_case(
                    CASE,
                    procedure="redressement_judiciaire",
                    effective_on=date(2022, 9, 1),
                    cessation_on=date(2022, 9, 2),
                ),
            ),
            "cessation_on",
        ),
    ],
    ids=["a request after the judgment", "a cessation after the conversion"],
)
def test_opening_facts_that_cannot_be_are_refused(call: Callable, field: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        call(Ledger.open("memory"))
    assert refused.value.field == field


# --- 7. the AGS (C. trav. L3253-2, L3253-8, L3253-17, D3253-1, D3253-5) ------------------

#: PMSS 2022: 3,428.00; the monthly unemployment-insurance ceiling is 4 × that.
CEILING_2022 = Money.parse("13712.00")


def ags_case(
    left_on: date = date(2022, 6, 1),
    claim_on: date | None = None,
    procedure: str = "redressement_judiciaire",
    convert_to_lj_on: date | None = None,
    adopted_on: date | None = None,
    departure: dict | None = None,
    overrides: dict | None = None,
) -> Ledger:
    ledger = Ledger.open("memory")
    ledger.open_case(
        CASE,
        procedure=procedure,
        court="TJ",
        debtor="D",
        opened_on=OPENED,
        bodacc_published_on=BODACC,
    )
    ledger.register_creditor(CASE, "BANK", name="Bank", creditor_kind="bank")
    ledger.declare_claim(
        CASE,
        "BANK-1",
        creditor="BANK",
        amount="100000",
        origin_on=date(2022, 1, 1),
        rank="unsecured",
        declared_on=date(2022, 4, 1),
    )
    if convert_to_lj_on is not None:
        ledger.convert_case(
            CASE, procedure="liquidation_judiciaire", effective_on=convert_to_lj_on
        )
    if adopted_on is not None:
        ledger.adopt_plan(
            CASE,
            adopted_on=adopted_on,
            duration_years=10,
            supervisor="S",
            options=[{"option": "u", "percents": TEN_PERCENT}],
            uniform_option="u",
        )
    ledger.register_creditor(CASE, "E1", name="E1", creditor_kind="employee")
    ledger.declare_claim(
        CASE,
        "E1-1",
        creditor="E1",
        amount="200000",
        origin_on=claim_on or left_on,
        rank="salary_privileged",
        declared_on=max(claim_on or left_on, OPENED),
        declared_by="mandataire",
    )
    if departure is not None:
        ledger.record_departure(
            CASE,
            "E1",
            departure=departure.pop("departure", "economic_dismissal"),
            left_on=left_on,
            seniority_months=30,
            monthly_pay="3000",
            **departure,
        )
    return ledger


def ags_findings(ledger: Ledger, rule: str, overrides: dict | None = None) -> list:
    rules = ruleset_for(OPENED, overrides or {})
    return [
        f
        for f in ledger.check(CASE, date(2030, 1, 1), ruleset=rules).findings
        if f.rule == rule
    ]


def advance(
    ledger: Ledger,
    amount: str,
    superprivileged: str = "0",
    on: date | None = None,
    claim: str = "E1-1",
) -> None:
    total = Money.parse(amount)
    sp = Money.parse(superprivileged)
    ledger.advance_ags(
        CASE,
        "E1",
        claim,
        superprivileged=sp,
        privileged=total - sp,
        paid_on=on or date(2022, 7, 1),
    )


@pytest.mark.parametrize(
    ("contract_on", "multiple"),
    [
        (date(2020, 3, 14), 6),  # concluded 2 years before the opening
        (date(2020, 3, 15), 5),  # a day less than 2 years
        (date(2021, 9, 14), 5),  # 6 months before
        (date(2021, 9, 15), 4),  # a day less than 6 months
        (None, 6),  # not recorded: the highest cap
    ],
)
def test_the_ags_cap_is_6_5_or_4_ceilings_as_the_contract_was_concluded(
    contract_on: date | None, multiple: int
) -> None:
    cap = CEILING_2022 * multiple
    for amount, found in ((cap, 0), (cap + Money(1), 1)):
        ledger = ags_case(departure={"contract_on": contract_on})
        advance(ledger, amount.plain())
        hits = ags_findings(ledger, "L3253-17.ags-above-cap")
        assert len(hits) == found, (contract_on, amount)
        if hits:
            assert cap.french() in hits[0].message and hits[0].confidence == "S"


def test_the_cap_counts_every_advance_to_the_employee_together() -> None:
    ledger = ags_case(departure={"contract_on": date(2019, 1, 1)})
    for claim in ("E1-2", "E1-3"):  # two more claims of the employee: wages, notice
        ledger.declare_claim(
            CASE,
            claim,
            creditor="E1",
            amount="100",
            origin_on=date(2022, 6, 1),
            rank="salary_privileged",
            declared_on=date(2022, 6, 1),
            declared_by="mandataire",
        )
    advance(ledger, "82271.00", on=date(2022, 7, 1))
    advance(ledger, "1.00", on=date(2022, 8, 1), claim="E1-2")  # 82,272.00: the cap
    assert ags_findings(ledger, "L3253-17.ags-above-cap") == []
    advance(ledger, "0.01", on=date(2022, 9, 1), claim="E1-3")
    (hit,) = ags_findings(ledger, "L3253-17.ags-above-cap")
    assert "82 272,01" in hit.message.replace("\u202f", " ").replace("\xa0", " ")


def test_the_cap_is_appreciated_at_the_latest_at_the_plans_adoption() -> None:
    # A claim due on 15 January 2023 counts the 2023 PMSS (3,666: cap 87,984.00)
    # unless the plan was adopted before: then the 2022 one (cap 82,272.00).
    observed = ags_case(left_on=date(2023, 1, 15), departure={})
    advance(observed, "85000.00", on=date(2023, 2, 1))
    assert ags_findings(observed, "L3253-17.ags-above-cap") == []
    adopted = ags_case(
        left_on=date(2023, 1, 15), adopted_on=date(2022, 12, 20), departure={}
    )
    advance(adopted, "85000.00", on=date(2023, 2, 1))
    assert len(ags_findings(adopted, "L3253-17.ags-above-cap")) == 1


def test_a_year_the_pmss_table_lacks_is_added_by_an_override() -> None:
    ledger = ags_case(left_on=date(2022, 6, 1), claim_on=date(2022, 6, 1), departure={})
    advance(ledger, "90000.00")
    base = ruleset_for(OPENED)
    assert base.money_by_year("pmss", 2022) == Money.parse("3428.00")
    assert base.money_by_year("pmss", 2031) is None
    # Told that the 2022 ceiling was higher, the same advance is within the cap...
    raised = {"pmss_2022": "3800.00"}
    assert ags_findings(ledger, "L3253-17.ags-above-cap", raised) == []
    # ...and a year the data lacks is added the same way, tagged U.
    added = ruleset_for(OPENED, {"pmss_2031": "4500.00"})
    assert added.money_by_year("pmss", 2031) == Money.parse("4500.00")
    assert added.rule("pmss_2031").confidence == "U"
    with pytest.raises(InvalidInputError):
        ruleset_for(OPENED, {"pmss_20xx": "1.00"})


@pytest.mark.parametrize(
    ("sales_representative", "days"), [(False, 60), (True, 90)], ids=["60", "VRP: 90"]
)
def test_the_superprivileged_part_is_within_the_pay_of_the_last_60_days(
    sales_representative: bool, days: int
) -> None:
    # 2 × PMSS a month (D3253-1): 6,856.00 a month in 2022, for 2 or 3 months.
    ceiling = Money.parse("6856.00") * (days // 30)
    for superprivileged, found in ((ceiling, 0), (ceiling + Money(1), 1)):
        ledger = ags_case(departure={"sales_representative": sales_representative})
        advance(ledger, "30000.00", superprivileged=superprivileged.plain())
        hits = ags_findings(ledger, "L3253-2.superprivilege-above-ceiling")
        assert len(hits) == found


@pytest.mark.parametrize(
    ("left_on", "pse", "found"),
    [
        (date(2022, 9, 16), False, 0),  # 15 days after the liquidation judgment
        (date(2022, 9, 17), False, 1),
        (date(2022, 9, 22), True, 0),  # 21 days under a PSE
        (date(2022, 9, 23), True, 1),
    ],
)
def test_after_a_liquidation_judgment_the_ags_covers_15_days_21_under_a_pse(
    left_on: date, pse: bool, found: int
) -> None:
    ledger = ags_case(
        left_on=left_on, convert_to_lj_on=date(2022, 9, 1), departure={"pse": pse}
    )
    advance(ledger, "1000.00", on=left_on)
    assert len(ags_findings(ledger, "L3253-8.ags-outside-window")) == found
    window = ledger.employment(CASE, date(2023, 1, 1)).departures[0].ags_window
    assert window == (None if found else "after_liquidation")


def test_a_voluntary_departure_under_the_pse_has_the_21_days() -> None:
    ledger = ags_case(
        left_on=date(2022, 9, 22),
        convert_to_lj_on=date(2022, 9, 1),
        departure={"departure": "voluntary_pse"},
    )
    advance(ledger, "1000.00", on=date(2022, 9, 22))
    assert ags_findings(ledger, "L3253-8.ags-outside-window") == []


@pytest.mark.parametrize(
    ("procedure", "found"),
    [("redressement_judiciaire", 0), ("sauvegarde", 1)],
)
def test_sums_owed_when_a_redressement_opens_are_covered_without_a_departure(
    procedure: str, found: int
) -> None:
    # Wages of February 2022 unpaid at the opening of 14 March (L3253-8 1°): covered
    # in RJ or LJ whoever left when; in sauvegarde the 1° does not apply.
    ledger = ags_case(claim_on=date(2022, 2, 28), procedure=procedure)
    advance(ledger, "2500.00", on=date(2022, 4, 1))
    hits = ags_findings(ledger, "L3253-8.ags-outside-window")
    assert len(hits) == found
    if hits:
        assert hits[0].severity.value == "info"


def test_a_contract_concluded_after_the_departure_is_refused() -> None:
    with pytest.raises(InvalidInputError) as refused:
        ags_case(departure={"contract_on": date(2022, 6, 2)})
    assert refused.value.field == "contract_on"


# --- 8. every ruleset value is used; rules carry their confidence ---------------------------


def test_every_rule_has_a_confidence_and_one_without_values_carries_its_own() -> None:
    from plandebt.compliance import RULES

    for info in RULES:
        assert info.confidence is not None or info.parameters, info.id
        for version in ("pre-2021-10-01", "2021-10-01"):
            from plandebt.ruleset import ruleset_version

            assert info.confidence_in(ruleset_version(version)) in {"T", "S", "U"}
    by_id = {info.id: info for info in RULES}
    assert by_id["L622-7.payment-without-basis"].confidence == "T"  # the issue: not S
    with pytest.raises(ValueError, match="needs its confidence"):
        from plandebt.compliance.rules import rule

        rule("X.no-basis", "C. com. X", "A rule that says nothing of its basis.")


@pytest.mark.parametrize(
    ("years", "flag", "found"),
    [(10, False, 0), (11, False, 1), (11, True, 0)],
    ids=["ten years", "eleven years", "eleven, allowed by the ruleset"],
)
def test_an_agreed_schedule_beyond_the_plans_maximum_is_a_warning_unless_allowed(
    years: int, flag: bool, found: int
) -> None:
    ledger = plan_case()
    ledger.reschedule_claim(
        CASE,
        "A-1",
        percents=["10"] * 10 if years == 10 else ["9"] * 10 + ["10"],
        agreed_on=ADOPTED,
    )
    hits = ags_findings(
        ledger,
        "L626-12.agreed-delays-beyond-maximum",
        {"accepted_delays_may_exceed_plan_max": flag},
    )
    assert len(hits) == found
    if hits:
        assert hits[0].severity.value == "warning" and hits[0].confidence == "U"


@pytest.mark.parametrize(
    ("received_on", "extended", "found"),
    [
        # Received 15 February 2023: the creditor may answer until Friday 17 March;
        # the plan adopted on Monday 20 March counts its silence as acceptance.
        (date(2023, 2, 15), True, 0),
        # A day later: until Saturday 18 March, so Monday 20 (CPC art. 642), the
        # adoption day: not yet an acceptance.
        (date(2023, 2, 16), True, 1),
        (date(2023, 2, 16), False, 0),  # without the art. 642 extension
    ],
)
def test_silence_is_acceptance_only_once_the_30_days_have_run(
    received_on: date, extended: bool, found: int
) -> None:
    ledger = plan_case()
    ledger.answer_consultation(
        CASE, "B", answer="silent", answered_on=ADOPTED, received_on=received_on
    )
    hits = ags_findings(
        ledger,
        "L626-5.silence-before-30-days",
        {"deadline_extended_to_next_working_day": extended},
    )
    assert len(hits) == found


@pytest.mark.parametrize(
    ("declared_on", "found"),
    [(date(2024, 3, 20), 0), (date(2024, 3, 21), 1)],
    ids=["a year after the observation period", "a day more"],
)
def test_a_useful_claim_made_known_a_year_after_the_observation_loses_its_priority(
    declared_on: date, found: int
) -> None:
    # Born during the observation period (before the adoption of 20 March 2023),
    # unpaid, made known a year and a day after it ended (L622-17 IV).
    ledger = plan_case()
    ledger.declare_claim(
        CASE,
        "U-1",
        creditor="A",
        amount="700",
        origin_on=date(2022, 10, 1),
        rank="post_opening",
        declared_on=declared_on,
    )
    hits = findings(ledger, "L622-17-IV.late-notice")
    assert len(hits) == found
    paid = plan_case()
    paid.declare_claim(
        CASE,
        "U-1",
        creditor="A",
        amount="700",
        origin_on=date(2022, 10, 1),
        rank="post_opening",
        declared_on=date(2024, 3, 21),
    )
    paid.pay(
        CASE,
        "U-1",
        amount="700",
        paid_on=date(2024, 3, 21),
        basis="post_opening_at_maturity",
    )
    assert findings(paid, "L622-17-IV.late-notice") == []  # paid: nothing to rank


@pytest.mark.parametrize(
    ("left_on", "procedure", "found"),
    [
        (date(2023, 4, 20), "redressement_judiciaire", 0),  # a month after adoption
        (date(2023, 4, 21), "redressement_judiciaire", 1),
        (date(2023, 4, 21), "sauvegarde", 0),  # L631-19 is the RJ's
    ],
)
def test_a_dismissal_after_the_month_of_the_plan_judgment_is_noted(
    left_on: date, procedure: str, found: int
) -> None:
    ledger = ags_case(
        left_on=left_on,
        procedure=procedure,
        adopted_on=ADOPTED,
        departure={"departure": "economic_dismissal"},
    )
    hits = findings(ledger, "L631-19.redundancy-after-the-month")
    assert len(hits) == found
    if hits:
        assert hits[0].severity.value == "info"
