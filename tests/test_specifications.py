"""Specifications: behaviours that docs/ shows by example, pinned as tests.

Each test is named after the rule it pins. Legal boundaries are tested on both sides
(the day of, the day before; exactly the cap, one cent over). Everything here goes
through the public API (`plandebt`, `Ledger`, `Money`), so it holds whatever the
modules behind it become.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import event, find, given, settings, target
from hypothesis import strategies as st
from tests.helpers import CASE, OPENED, open_basic_case, snapshot

from plandebt import InvalidInputError, Ledger, Money, ruleset_for
from plandebt.events import PaymentMade
from plandebt.strategies import money

PARIS_SUMMER = timezone(timedelta(hours=2))
FAR = date(2040, 1, 1)


class Clock:
    """A clock set by hand, so recording times are known."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def cents(amounts: list[Money]) -> list[int]:
    return [m.cents for m in amounts]


def open_case(ledger: Ledger, opened_on: date = OPENED) -> None:
    ledger.open_case(
        CASE,
        procedure="redressement_judiciaire",
        court="TJ Lyon",
        debtor="Debtor SCOP",
        opened_on=opened_on,
        bodacc_published_on=opened_on + timedelta(days=14),
    )


# --- 1. Exact ties: the documented rounding rules -----------------------------------------
#
# The references below restate the documented rules (docs/api.md, "Percentages and
# splits") with Fractions, independently of plandebt's integer arithmetic:
# - cumulative_parts: part k = round(total × cum%ₖ) − round(total × cum%ₖ₋₁), halves
#   away from zero;
# - split: the floor of each share, then one cent each to the largest remainders,
#   ties to the earliest part (of the magnitude; the sign is put back after).


def reference_round(value: Fraction) -> int:
    """Nearest integer, halves away from zero."""
    magnitude = math.floor(abs(value) + Fraction(1, 2))
    return magnitude if value >= 0 else -magnitude


def reference_cumulative(total: int, percents: list[Decimal]) -> list[int]:
    rounded = [0]
    running = Fraction(0)
    for percent in percents:
        running += Fraction(percent)
        rounded.append(reference_round(total * running / 100))
    return [b - a for a, b in pairwise(rounded)]


def reference_split(total: int, weights: list[int]) -> list[int]:
    whole = abs(total)
    shares = [Fraction(whole * w, sum(weights)) for w in weights]
    floors = [math.floor(s) for s in shares]
    left = whole - sum(floors)
    remainders = [s - f for s, f in zip(shares, floors, strict=True)]

    def beaten_by(i: int) -> int:
        # Parts served before part i: a larger remainder, or an equal one earlier.
        return sum(
            1
            for j, r in enumerate(remainders)
            if r > remainders[i] or (r == remainders[i] and j < i)
        )

    parts = [f + (1 if beaten_by(i) < left else 0) for i, f in enumerate(floors)]
    return parts if total >= 0 else [-p for p in parts]


def ties_in_cumulative(total: int, percents: list[Decimal]) -> int:
    """How many running totals fall exactly on a half cent."""
    running = Fraction(0)
    ties = 0
    for percent in percents:
        running += Fraction(percent)
        exact = total * running / 100
        ties += (exact - math.floor(exact)) == Fraction(1, 2)
    return ties


def tie_decides_split(total: int, weights: list[int]) -> bool:
    """True when the tie-break, not the remainders, decides who gets a cent: the
    last part served and the first part not served have equal remainders."""
    whole = abs(total)
    shares = [Fraction(whole * w, sum(weights)) for w in weights]
    remainders = sorted((s - math.floor(s) for s in shares), reverse=True)
    left = whole - sum(math.floor(s) for s in shares)
    return 0 < left < len(weights) and remainders[left - 1] == remainders[left]


@st.composite
def percent_lists(draw: st.DrawFn) -> list[Decimal]:
    """One to ten yearly percentages, to the hundredth, adding up to at most 100;
    round values (0.5, 2.5, 12.5, 25, 50...) are drawn often, as plans use them."""
    left = 10_000  # hundredths of a percent
    percents = []
    for _year in range(draw(st.integers(1, 10))):
        usual = [h for h in (50, 250, 1000, 1250, 2500, 5000) if h <= left] or [0]
        hundredths = draw(st.integers(0, left) | st.sampled_from(usual))
        left -= hundredths
        percents.append(Decimal(hundredths) / 100)
    return percents


@st.composite
def cumulative_cases(draw: st.DrawFn) -> tuple[int, list[Decimal]]:
    """An amount of cents and percentages; half the time the amount is built so that
    one running total lands exactly on a half cent."""
    percents = draw(percent_lists())
    total = draw(st.integers(-(10**11), 10**11))
    if draw(st.booleans()):
        running = Fraction(0)
        candidates = []
        for percent in percents:
            running += Fraction(percent)
            rate = running / 100  # total × rate is a half when 2·total·p ≡ q (mod 2q)
            if rate and rate.denominator % 2 == 0:
                candidates.append(rate)
        if candidates:
            rate = draw(st.sampled_from(candidates))
            p, q = rate.numerator, rate.denominator
            base = (q // 2) * pow(p, -1, q) % q
            total = base + q * draw(st.integers(-(10**6), 10**6))
    return total, percents


@st.composite
def split_cases(draw: st.DrawFn) -> tuple[int, list[int]]:
    """An amount of cents and weights; repeated weights make equal remainders."""
    weights = draw(
        st.one_of(
            st.lists(st.sampled_from([1, 2, 3, 4]), min_size=1, max_size=8),
            st.lists(st.integers(0, 10**6), min_size=1, max_size=12),
        ).filter(any)
    )
    return draw(st.integers(-(10**11), 10**11)), weights


def test_cumulative_parts_round_an_exact_half_cent_away_from_zero() -> None:
    assert cents(Money(1001).cumulative_parts([50, 50])) == [501, 500]
    assert cents(Money(-1001).cumulative_parts([50, 50])) == [-501, -500]
    assert cents(Money(1005).cumulative_parts([Decimal("50"), 50])) == [503, 502]
    # 4 cents × 12.5 % = 0.5 cent: the first instalment takes the cent.
    assert cents(Money(4).cumulative_parts([Decimal("12.5"), Decimal("87.5")])) == [
        1,
        3,
    ]
    # Below a half it goes the other way: 1 cent × 25 % rounds to nothing.
    assert cents(Money(1).cumulative_parts([25, 25, 25, 25])) == [0, 1, 0, 0]


def test_split_gives_a_tied_cent_to_the_earliest_part() -> None:
    assert cents(Money(1001).split([1, 1])) == [501, 500]
    assert cents(Money(1001).split([50, 50])) == [501, 500]
    assert cents(Money(-1001).split([1, 1])) == [-501, -500]
    assert cents(Money(1003).split([1, 1, 1, 1])) == [251, 251, 251, 250]
    # Without a tie, the largest remainder wins, wherever it is.
    assert cents(Money(10).split([1, 2])) == [3, 7]
    assert cents(Money(1001).split([2, 1, 1])) == [501, 250, 250]


@given(cumulative_cases())
def test_cumulative_parts_follow_the_documented_rule_exactly(
    case: tuple[int, list[Decimal]],
) -> None:
    total, percents = case
    ties = ties_in_cumulative(total, percents)
    event(f"exact half-cent ties: {min(ties, 2)}{'+' if ties >= 2 else ''}")
    target(float(ties), label="half-cent ties")
    parts = cents(Money(total).cumulative_parts(percents))
    assert parts == reference_cumulative(total, percents)
    share = Fraction(total) * Fraction(sum(percents)) / 100
    assert sum(parts) == reference_round(share)
    for part, percent in zip(parts, percents, strict=True):
        assert abs(part - Fraction(total) * Fraction(percent) / 100) < 1


@given(
    money(-(10**11), 10**11), st.permutations([5, 5, 10, 10, 10, 12, 12, 12, 12, 12])
)
def test_cumulative_parts_of_percents_making_100_add_up_to_the_whole(
    amount: Money, percents: list[int]
) -> None:
    assert sum(cents(amount.cumulative_parts(percents))) == amount.cents


@given(split_cases())
def test_split_follows_the_documented_rule_exactly(case: tuple[int, list[int]]) -> None:
    total, weights = case
    decided = tie_decides_split(total, weights)
    event(f"a tie-break decides a cent: {decided}")
    target(float(decided), label="tie-break decides")
    parts = cents(Money(total).split(weights))
    assert parts == reference_split(total, weights)
    assert sum(parts) == total
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part - Fraction(total * weight, sum(weights))) < 1


def test_the_tie_properties_would_catch_another_tie_rule() -> None:
    """The strategies above reach exact ties where another rule answers otherwise:
    half to even for the cumulative parts, ties to the latest part for the split."""

    def half_even(total: int, percents: list[Decimal]) -> list[int]:
        rounded = [0]
        running = Fraction(0)
        for percent in percents:
            running += Fraction(percent)
            rounded.append(round(total * running / 100))  # Fraction: half to even
        return [b - a for a, b in pairwise(rounded)]

    def ties_to_latest(total: int, weights: list[int]) -> list[int]:
        return reference_split(total, weights[::-1])[::-1]

    quick = settings(max_examples=2000, database=None)
    found = find(
        cumulative_cases(),
        lambda c: half_even(*c) != reference_cumulative(*c),
        settings=quick,
    )
    assert ties_in_cumulative(*found)
    found_split = find(
        split_cases(),
        lambda c: ties_to_latest(*c) != reference_split(*c),
        settings=quick,
    )
    assert tie_decides_split(*found_split)


# --- 2. The freeze: a claim born on the judgment day is post-opening ----------------------


@pytest.mark.parametrize(
    ("origin_on", "frozen"),
    [(OPENED - timedelta(days=1), True), (OPENED, False)],
    ids=["the-day-before-is-frozen", "the-opening-day-is-post-opening"],
)
def test_a_claim_arising_on_the_opening_day_is_post_opening(
    origin_on: date, frozen: bool
) -> None:
    ledger = Ledger.open("memory")
    open_case(ledger)
    ledger.register_creditor(CASE, "SUP", name="Supplier", creditor_kind="supplier")
    ledger.declare_claim(
        CASE,
        "S1",
        creditor="SUP",
        amount="1200.00",
        origin_on=origin_on,
        rank="unsecured",
        declared_on=OPENED + timedelta(days=30),
        # Born after the opening for the business's needs, it is a useful claim
        # (L622-17 I), paid when due; one that is not useful is under the ban too
        # (tests/test_claims_law.py, item 5).
        useful=None if frozen else True,
    )
    payment = ledger.pay(
        CASE, "S1", amount="1200.00", paid_on=OPENED + timedelta(days=40), basis="none"
    )
    view = ledger.balances(CASE, FAR)
    assert view.claim("S1").frozen is frozen
    assert list(view.by_freeze()) == ["frozen" if frozen else "post_opening"]
    # The freeze is what makes a payment without basis unlawful (L622-7).
    unlawful = [
        f
        for f in ledger.check(CASE, FAR).findings
        if f.rule == "L622-7.payment-without-basis"
    ]
    assert [payment.id in f.evidence for f in unlawful] == ([True] if frozen else [])


# --- 3. An admission values the claim at the opening (L622-27) -----------------------------


def admitted_case() -> tuple[Ledger, Clock]:
    """Declared on the opening day (recorded 2022-03-15), admitted on 20 September
    (recorded 3 October)."""
    clock = Clock(utc(2022, 3, 15, 9))
    ledger = Ledger.open("memory", clock=clock)
    open_case(ledger)
    ledger.register_creditor(CASE, "URSSAF", name="URSSAF", creditor_kind="social")
    ledger.declare_claim(
        CASE,
        "C1",
        creditor="URSSAF",
        amount="912400.00",
        origin_on=date(2021, 12, 31),
        rank="privileged_social",
        declared_on=OPENED,
    )
    clock.now = utc(2022, 10, 3, 14, 30)
    ledger.admit_claim(CASE, "C1", decided_on=date(2022, 9, 20), amount="898750.00")
    return ledger, clock


@given(st.dates(OPENED, date(2022, 9, 19)))
def test_an_admission_counts_from_the_opening_once_it_is_known(as_of: date) -> None:
    ledger, _ = admitted_case()
    row = ledger.balances(CASE, as_of).claim("C1")
    assert (row.status, row.admitted, row.outstanding) == (
        "admitted",
        Money.parse("898750.00"),
        Money.parse("898750.00"),
    )
    assert row.decided_on == date(2022, 9, 20)  # the day it was given is kept


@given(st.dates(OPENED, FAR))
def test_before_the_admission_is_recorded_the_claim_shows_not_admitted(
    as_of: date,
) -> None:
    ledger, _ = admitted_case()
    just_before = utc(2022, 10, 3, 14, 30) - timedelta(microseconds=1)
    for known_at in (just_before, 3):
        row = ledger.balances(CASE, as_of, known_at=known_at).claim("C1")
        assert (row.status, row.admitted, row.outstanding) == (
            "declared",
            None,
            Money.parse("912400.00"),
        )


def test_an_admission_is_known_from_the_instant_it_is_recorded() -> None:
    ledger, _ = admitted_case()
    at = ledger.balances(CASE, OPENED, known_at=utc(2022, 10, 3, 14, 30)).claim("C1")
    assert at.admitted == Money.parse("898750.00")
    before_opening = ledger.balances(CASE, OPENED - timedelta(days=1))
    assert before_opening.claims == ()


# --- 4. Corrections accumulate --------------------------------------------------------------


def test_a_fact_corrected_twice_shows_both_changes() -> None:
    ledger = Ledger.open("memory")
    open_basic_case(ledger)
    payment = ledger.pay(
        CASE, "C2", amount="100.00", paid_on=date(2023, 1, 10), basis="plan_dividend"
    )
    amount_fix = ledger.correct(CASE, payment.id, {"amount": "150.00"})
    date_fix = ledger.correct(CASE, payment.id, {"effective_on": "2023-06-01"})

    def paid(as_of: date, known_at: int | None = None) -> Money:
        return ledger.balances(CASE, as_of, known_at=known_at).claim("C2").paid

    # Both changes hold: the new amount, on the new date (not 100 nor 10 January).
    assert paid(date(2023, 5, 31)) == Money.zero()
    assert paid(date(2023, 6, 1)) == Money.parse("150.00")
    # Between the two corrections: the new amount on the old date.
    assert paid(date(2023, 1, 10), amount_fix.seq) == Money.parse("150.00")
    # Before either: as recorded.
    assert paid(date(2023, 1, 10), payment.seq) == Money.parse("100.00")
    assert ledger.balances(CASE, FAR).claim("C2").outstanding == Money.parse(
        "349850.00"
    )
    # The history keeps the payment as recorded and each correction as a fact.
    history = {f.id: f for f in ledger.history(CASE)}
    assert history[payment.id].amount == Money.parse("100.00")
    assert history[payment.id].effective_on == date(2023, 1, 10)
    assert [history[f.id].corrects for f in (amount_fix, date_fix)] == [payment.id] * 2
    changes = history[date_fix.id].changes
    assert {key: str(value) for key, value in changes.items()} == {
        "effective_on": "2023-06-01"
    }
    assert payment.id in ledger.balances(CASE, FAR).claim("C2").facts


# --- 5. A modification dated on an anniversary ------------------------------------------
#
# docs/plan.md: from the modification date each option claim keeps its instalments
# already due and spreads what remains over anniversaries of the modification. A
# judgment takes effect from 0h on its date (as the opening does, docs/concepts.md), so
# an instalment falling due on the modification day is not yet due: it is spread again.

ADOPTED = date(2023, 3, 20)


def plan_case() -> Ledger:
    ledger = Ledger.open("memory")
    open_case(ledger)
    ledger.register_creditor(CASE, "BANK", name="Bank", creditor_kind="bank")
    ledger.declare_claim(
        CASE,
        "L1",
        creditor="BANK",
        amount="100000.00",
        origin_on=date(2021, 6, 30),
        rank="unsecured",
        declared_on=date(2022, 5, 3),
    )
    ledger.admit_claim(CASE, "L1", decided_on=date(2022, 9, 20))
    ledger.adopt_plan(
        CASE,
        adopted_on=ADOPTED,
        duration_years=10,
        supervisor="Me S",
        options=[{"option": "uniform", "percents": ["10"] * 10}],
        uniform_option="uniform",
    )
    ledger.remit_instalment(CASE, amount="10000.00", paid_on=date(2024, 3, 20))
    return ledger


@pytest.mark.parametrize(
    ("decided_on", "kept"),
    [
        (date(2025, 3, 19), [date(2024, 3, 20)]),
        (date(2025, 3, 20), [date(2024, 3, 20)]),
        (date(2025, 3, 21), [date(2024, 3, 20), date(2025, 3, 20)]),
    ],
    ids=["the-day-before", "on-the-anniversary", "the-day-after"],
)
def test_a_modification_on_an_anniversary_spreads_that_days_instalment_again(
    decided_on: date, kept: list[date]
) -> None:
    ledger = plan_case()
    ledger.modify_plan(
        CASE, decided_on=decided_on, percents=["50", "50"], duration_years=5
    )
    [claim] = ledger.schedule(CASE).claims
    spread = [decided_on.replace(year=2026), decided_on.replace(year=2027)]
    assert [i.due_on for i in claim.instalments] == kept + spread
    remaining = 100_000_00 - 10_000_00 * len(kept)
    assert (
        cents([i.amount for i in claim.instalments])
        == [10_000_00] * len(kept) + [remaining // 2] * 2
    )
    assert claim.scheduled == Money.parse("100000.00")  # nothing is forgiven
    status = ledger.plan_status(CASE, decided_on)
    if len(kept) == 2:
        # Due the day before and unpaid: arrears survive the modification, one
        # day late (as_of − due date).
        assert (status.phase, status.arrears, status.days_late) == (
            "in_arrears",
            Money.parse("10000.00"),
            1,
        )
    else:
        assert (status.phase, status.arrears) == ("modified", Money.zero())


def test_the_day_before_a_modification_on_the_anniversary_the_old_plan_applies() -> (
    None
):
    ledger = plan_case()
    ledger.modify_plan(
        CASE, decided_on=date(2025, 3, 20), percents=["50", "50"], duration_years=5
    )
    before = ledger.plan_status(CASE, date(2025, 3, 19))
    assert (before.phase, before.next_due_on) == ("performing", date(2025, 3, 20))
    assert before.next_due_amount == Money.parse("10000.00")
    on = ledger.plan_status(CASE, date(2025, 3, 20))
    assert (on.phase, on.next_due_on) == ("modified", date(2026, 3, 20))
    assert on.next_due_amount == Money.parse("45000.00")


# --- 6. Small claims: exactly the 5 % cap, and one cent over (L626-20 II) ----------------


def small_claims_case(small: list[str], big: str) -> Ledger:
    """One large bank claim and one supplier per small claim; the plan adopted."""
    ledger = Ledger.open("memory")
    open_case(ledger)
    ledger.register_creditor(CASE, "BANK", name="Bank", creditor_kind="bank")
    ledger.declare_claim(
        CASE,
        "BIG",
        creditor="BANK",
        amount=big,
        origin_on=date(2021, 6, 30),
        rank="unsecured",
        declared_on=date(2022, 5, 3),
    )
    for n, amount in enumerate(small, start=1):
        creditor = f"S{n:02d}"
        ledger.register_creditor(
            CASE, creditor, name=creditor, creditor_kind="supplier"
        )
        ledger.declare_claim(
            CASE,
            f"{creditor}-1",
            creditor=creditor,
            amount=amount,
            origin_on=date(2021, 12, 1),
            rank="unsecured",
            declared_on=date(2022, 5, 4),
        )
    ledger.adopt_plan(
        CASE,
        adopted_on=ADOPTED,
        duration_years=10,
        supervisor="Me S",
        options=[{"option": "uniform", "percents": ["10"] * 10}],
        uniform_option="uniform",
    )
    return ledger


def treatments(ledger: Ledger) -> dict[str, str]:
    return {c.claim: c.treatment for c in ledger.schedule(CASE).claims}


def test_the_small_claims_rule_uses_the_numbers_of_law() -> None:
    rules = ruleset_for(OPENED)
    assert rules["small_claim_max"] == Money.parse("500.00")
    assert rules["small_claims_total_cap_percent"] == 5
    assert rules["small_claims_holder_exclusion_percent"] == Decimal("0.5")


def test_small_claims_adding_up_to_exactly_the_cap_are_all_paid_at_adoption() -> None:
    # Estimated liabilities 100,000.00: the cap is 5,000.00 = 20 × 250.00.
    ledger = small_claims_case(["250.00"] * 20, big="95000.00")
    kinds = treatments(ledger)
    assert kinds.pop("BIG") == "option"
    assert set(kinds.values()) == {"small_claim"} and len(kinds) == 20
    [paid_at_once] = [c for c in ledger.schedule(CASE).claims if c.claim == "S20-1"]
    assert [(i.due_on, i.amount) for i in paid_at_once.instalments] == [
        (ADOPTED, Money.parse("250.00"))
    ]


def test_small_claims_one_cent_over_the_cap_leave_out_the_last_one() -> None:
    # Still 100,000.00 in all, but the small claims make 5,000.01: the largest, taken
    # last in ascending order, no longer fits.
    ledger = small_claims_case(["250.00"] * 19 + ["250.01"], big="94999.99")
    kinds = treatments(ledger)
    assert kinds.pop("BIG") == "option"
    assert kinds.pop("S20-1") == "option"
    assert set(kinds.values()) == {"small_claim"} and len(kinds) == 19


@pytest.mark.parametrize(
    ("amount", "treatment"),
    [("500.00", "small_claim"), ("500.01", "option")],
    ids=["exactly-500", "one-cent-over"],
)
def test_a_small_claim_is_at_most_500_euros(amount: str, treatment: str) -> None:
    # 200,000.00 in all: a holder may have up to 1,000.00, so only the €500 limit bites.
    ledger = small_claims_case([amount], big="199500.00")
    assert treatments(ledger)["S01-1"] == treatment


# --- 7. Correcting a reduction frees the amount it replaces --------------------------------


def write_off_case() -> tuple[Ledger, str]:
    ledger = Ledger.open("memory")
    open_case(ledger)
    ledger.register_creditor(
        CASE, "HOLD", name="Holding", creditor_kind="group_company"
    )
    ledger.declare_claim(
        CASE,
        "H1",
        creditor="HOLD",
        amount="100.00",
        origin_on=date(2021, 6, 30),
        rank="unsecured",
        declared_on=date(2022, 5, 3),
    )
    waiver = ledger.write_off(
        CASE, "H1", amount="50.00", effective_on=date(2023, 1, 2), clause="pure"
    )
    return ledger, waiver.id


@pytest.mark.parametrize("amount", ["80.00", "100.00"])
def test_correcting_a_reduction_counts_the_amount_it_replaces(amount: str) -> None:
    ledger, waiver = write_off_case()
    ledger.correct(CASE, waiver, {"amount": amount})
    row = ledger.balances(CASE, FAR).claim("H1")
    assert row.written_off == Money.parse(amount)
    assert row.outstanding == Money.parse("100.00") - Money.parse(amount)


@pytest.mark.parametrize("amount", ["100.01", "120.00"])
def test_a_corrected_reduction_beyond_what_is_owed_is_refused(amount: str) -> None:
    ledger, waiver = write_off_case()
    before = snapshot(ledger)
    with pytest.raises(InvalidInputError) as refusal:
        ledger.correct(CASE, waiver, {"amount": amount})
    assert refusal.value.field.endswith("amount")
    assert refusal.value.value == amount
    assert "100.00" in refusal.value.reason  # what the correction could take
    assert snapshot(ledger) == before


# --- 8. A restore stores recording times in UTC --------------------------------------------


def test_a_restored_recording_time_with_an_offset_is_stored_in_utc(store) -> None:
    source = Ledger.open("memory", clock=Clock(utc(2024, 2, 6, 9, 15)))
    open_basic_case(source)
    lines = []
    for n, data in enumerate(source.export()):
        instant = utc(2024, 2, 6, 9, 15, n, 250_000)
        data["recorded_at"] = instant.astimezone(PARIS_SUMMER).isoformat()
        lines.append(json.dumps(data))
    assert json.loads(lines[0])["recorded_at"] == "2024-02-06T11:15:00.250000+02:00"

    ledger = store.open()
    # The times were rewritten, so the lines' hashes no longer hold: an unverified
    # restore (docs/integrity.md).
    ledger.import_journal(lines, restore=True, unverified=True)
    exported = list(ledger.export())
    assert [d["recorded_at"] for d in exported] == [
        f"2024-02-06T09:15:{n:02d}.250000+00:00" for n in range(len(lines))
    ]
    for fact in ledger.history(CASE):
        assert fact.recorded_at.utcoffset() == timedelta(0)
    # The same instants answer "as known at" (seconds 3 and 4: the two declarations).
    last = utc(2024, 2, 6, 9, 15, 4, 250_000)
    assert ledger.balances(CASE, FAR, known_at=last).position == 5
    assert (
        ledger.balances(CASE, FAR, known_at=last - timedelta(microseconds=1)).position
        == 4
    )
    # ...and the export restores again, unchanged.
    again = Ledger.open("memory")
    again.import_journal(exported, restore=True)
    assert list(again.export()) == exported


# --- 9. A stale writer gets ConflictError, loses nothing, and a retry succeeds -------------


def dividends(count: int) -> list[PaymentMade]:
    return [
        PaymentMade.build(
            case=CASE,
            claim="C2",
            amount="1.00",
            effective_on="2023-01-01",
            basis="plan_dividend",
            client_ref=f"batch-{i}",
        )
        for i in range(count)
    ]


def test_a_stale_writer_decides_on_what_the_other_recorded_and_nothing_is_lost(
    store,
) -> None:
    # Writers take the case's write lock and read what others recorded under it
    # (docs/reliability.md): a writer that loaded the case before another recorded
    # does not overwrite nor lose it; its facts are decided on the fresh state and
    # follow the other's.
    first = store.open()
    open_basic_case(first)
    second = store.open()
    assert snapshot(second) == snapshot(first)  # both have loaded the case
    paid = first.pay(
        CASE, "C1", amount="7.00", paid_on=date(2023, 1, 1), basis="plan_dividend"
    )
    recorded = second.record_all(dividends(3))
    after = snapshot(store.open())
    ids = [d["id"] for d in after]
    assert paid.id in ids and all(f.id in ids for f in recorded)
    assert recorded[0].seq == paid.seq + 1
    assert after == snapshot(first) == snapshot(second)


def test_a_stale_writer_is_checked_against_what_the_other_recorded(store) -> None:
    first = store.open()
    open_basic_case(first)
    second = store.open()
    assert snapshot(second) == snapshot(first)
    first.write_off(
        CASE, "C2", amount="350000.00", effective_on=date(2023, 1, 2), clause="pure"
    )
    before = snapshot(first)
    with pytest.raises(InvalidInputError) as refusal:
        second.write_off(
            CASE, "C2", amount="1.00", effective_on=date(2023, 1, 3), clause="pure"
        )
    assert refusal.value.field == "amount"
    assert snapshot(store.open()) == before
