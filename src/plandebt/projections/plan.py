"""The plan's schedules and its status at any date, as known at any date.

Schedules are derived, never stored: from the adoption judgment, the creditors'
answers and the claims as known, each claim gets its instalments (a pure function of
the history, so "as known at K" gives the schedule as it was then). The status then
compares what fell due with what the debtor remitted to the plan supervisor and what
the supervisor distributed.

Conventions (docs/plan.md):
- A view "as of D" is at the end of day D: an instalment due on D and not remitted by
  D is in arrears on D, one day late; remitted on D+1 it was late for exactly one day.
- Remittances pay the oldest due instalments first.
- Claims without a decision are scheduled on their declared amount and their dividends
  are reserved by the supervisor until the decision (L626-21); once admitted, what
  fell due meanwhile is owed to the creditor at once (the catch-up).
- A claim declared after adoption (a late claim) joins the schedule: what fell due
  before its declaration is due on its declaration date.
- A foreclosed claim (declared late, not relieved) is not scheduled at all: it takes
  no part in distributions and dividends and is unenforceable against the debtor
  while the plan runs (C. com. L622-26 al. 1-2). A relieved claim shares only in the
  distributions after its relief request (al. 1): its instalments due before the
  request are forfeited, the others are owed from the relief order on.
"""

from __future__ import annotations

import bisect
import enum
import functools
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import attrs

from plandebt.calendar import add_months, days_late, plan_year
from plandebt.deprecation import renamed
from plandebt.events import (
    CaseConverted,
    ClaimAdmitted,
    ClaimDeclared,
    ClaimRejected,
    ClaimRescheduled,
    ConsultationAnswered,
    Fact,
    InstalmentRemitted,
    PaymentBasis,
    PaymentMade,
    PlanAdopted,
    PlanCompleted,
    PlanModified,
    PlanOption,
    PlanResolved,
    ProcedureKind,
    Rank,
    RemissionBasis,
    RemissionGranted,
)
from plandebt.events.claims import CreditorKind
from plandebt.lifecycle import BARRED, ClaimStatus, Relief, relief
from plandebt.money import Money, round_half_away
from plandebt.projections import serialise
from plandebt.projections.balances import ClaimBalance, claim_balance
from plandebt.projections.consultation import consultation, without_remission
from plandebt.projections.index import CaseIndex, KnownAt
from plandebt.projections.postings import SETTLEMENTS, SUBROGATED
from plandebt.ruleset import Ruleset, ruleset_for
from plandebt.schedules import (
    FirstDue,
    Frequency,
    Instalment,
    due_dates,
    lump_sum,
    percent_schedule,
    reschedule,
)

#: Claims that cannot be given delays or remissions without consent (L626-20 I):
#: paid in full when the plan is adopted.
NO_DELAY_RANKS = frozenset(
    {
        Rank.SUPERPRIVILEGED_WAGES,
        Rank.AGS_SUPERPRIVILEGED,
        Rank.CONCILIATION,
        Rank.NEW_MONEY,
    }
)


def cannot_be_delayed(claim: ClaimBalance) -> bool:
    """Whether the plan must pay `claim` in full at its adoption (L626-20 I): the
    ranks of 1°, 3° and 4°, and (2°) wage claims under the general wage privilege
    still held by the employee, that is neither advanced by the AGS (the advanced
    part is the AGS's own claim, and follows the plan) nor subrogated."""
    return claim.rank in NO_DELAY_RANKS or (
        claim.rank is Rank.SALARY_PRIVILEGED
        and claim.creditor_kind is not CreditorKind.AGS
    )


#: Useful post-opening claims are paid at maturity, outside the plan (L622-17).
OUTSIDE_PLAN_RANKS = frozenset({Rank.POST_OPENING})


@attrs.frozen
class ClaimSchedule:
    claim: str
    creditor: str
    # "option", "agreement" (the creditor's own schedule), "no_delay" (L626-20 I),
    # "small_claim" (L626-20 II)
    treatment: str
    option: str | None
    base: Money  # what the plan repays or remits: owed at adoption
    provisional: bool  # no decision yet: dividends reserved (L626-21)
    declared_on: date
    instalments: tuple[Instalment, ...]  # what the claim is owed under the plan
    # A relieved claim (L622-26 al. 1): the relief order, from which what it is owed
    # is due; the request's date, before which what fell due is not owed to it; and
    # what its instalments due before the request came to.
    relieved_on: date | None = None
    shares_from: date | None = None
    forfeited: Money = attrs.field(factory=Money.zero)
    # Derived once at construction: the queries read them many times.
    scheduled: Money = attrs.field(init=False)
    dues: tuple[date, ...] = attrs.field(init=False)  # when the debtor owes each

    def __attrs_post_init__(self) -> None:
        object.__setattr__(
            self, "scheduled", Money(sum(i.amount.cents for i in self.instalments))
        )
        object.__setattr__(
            self, "dues", tuple(self.due_on(i) for i in self.instalments)
        )

    @property
    def option_remission(self) -> Money:
        """What the option remits, once acquired (L626-19): not what a relieved
        claim forfeited, which it was never owed."""
        return self.base - self.scheduled - self.forfeited

    def due_on(self, instalment: Instalment) -> date:
        """When the debtor owes it: its date, or the claim's declaration (or its
        relief) if later."""
        return max(instalment.due_on, self.declared_on, self.relieved_on or date.min)

    def to_dict(self) -> dict[str, Any]:
        return serialise.fields(
            self, omit=("dues",), option_remission=self.option_remission
        )


@attrs.frozen
class PlanSchedule:
    case: str
    adopted: PlanAdopted
    modifications: tuple[PlanModified, ...]
    claims: tuple[ClaimSchedule, ...]
    dates: tuple[tuple[date, Money], ...] = attrs.field(init=False, eq=False)
    # What the status reads of the schedule at every date, prepared on first use
    # (`_sums`): the schedule is kept on the index by position, and so are they.
    sums: _StatusSums | None = attrs.field(
        init=False, eq=False, repr=False, default=None
    )

    @property
    def total(self) -> Money:
        return Money(sum(c.scheduled.cents for c in self.claims))

    def by_date(self) -> list[tuple[date, Money]]:
        """The debtor's instalments: every claim's instalments due on each date."""
        return list(self.dates)

    def __attrs_post_init__(self) -> None:
        sums: dict[date, int] = {}
        for c in self.claims:
            for i, due in zip(c.instalments, c.dues, strict=True):
                sums[due] = sums.get(due, 0) + i.amount.cents
        dates = tuple((d, Money(v)) for d, v in sorted(sums.items()))
        object.__setattr__(self, "dates", dates)

    def by_year(self) -> list[tuple[int, Money]]:
        """Totals per plan year (year 0: what is due at adoption)."""
        sums: dict[int, int] = {}
        adopted_on = self.adopted.effective_on
        for due, amount in self.by_date():
            year = 0 if due == adopted_on else plan_year(adopted_on, due - timedelta(1))
            sums[year] = sums.get(year, 0) + amount.cents
        return [(y, Money(v)) for y, v in sorted(sums.items())]

    def for_creditor(self, creditor: str) -> list[ClaimSchedule]:
        return [c for c in self.claims if c.creditor == creditor]

    def to_dict(self) -> dict[str, Any]:
        return serialise.fields(
            self,
            omit=("adopted", "modifications", "dates", "sums"),
            adopted_on=self.adopted.effective_on,
            duration_years=self.adopted.duration_years,
            total=self.total,
            by_year=[{"year": y, "amount": m} for y, m in self.by_year()],
        )


def _visible(
    index: CaseIndex, subject: str, as_of: date | None, position: int
) -> list[Fact]:
    facts = [index.at(i, position) for i in index.subjects.get(subject, ())]
    return [
        f for f in facts if f is not None and (as_of is None or f.effective_on <= as_of)
    ]


def adoption(index: CaseIndex, as_of: date | None, position: int) -> PlanAdopted | None:
    for fact in _visible(index, "plan", as_of, position):
        if isinstance(fact, PlanAdopted):
            return fact
    return None


def ruleset_of(
    index: CaseIndex, position: int | None = None, ruleset: Ruleset | None = None
) -> Ruleset:
    if ruleset is not None:
        return ruleset
    opening = index.opening(position)
    assert opening is not None
    return ruleset_for(opening.effective_on)


def plan_schedule(
    index: CaseIndex,
    as_of: date | None = None,
    known_at: KnownAt = None,
    ruleset: Ruleset | None = None,
) -> PlanSchedule | None:
    """Every claim's instalments under the plan adopted by `as_of`, with the
    modifications decided by then, as known at `known_at`. None before adoption."""
    position = index.position(known_at)
    signature = tuple(
        (f.id, f.seq)
        for f in _visible(index, "plan", as_of, position)
        if isinstance(f, PlanAdopted | ConsultationAnswered | PlanModified)
    )
    return index.remember(
        ("schedule", index.schedule_mark(position), signature, ruleset),
        lambda: _plan_schedule(index, as_of, position, ruleset),
    )


def _plan_schedule(
    index: CaseIndex, as_of: date | None, position: int, ruleset: Ruleset | None
) -> PlanSchedule | None:
    adopted = adoption(index, as_of, position)
    if adopted is None:
        return None
    rules = ruleset_of(index, position, ruleset)
    adopted_on = adopted.effective_on
    plan_facts = _visible(index, "plan", as_of, position)
    answers = {f.creditor: f for f in plan_facts if isinstance(f, ConsultationAnswered)}
    modifications = tuple(
        sorted(
            (f for f in plan_facts if isinstance(f, PlanModified)),
            key=lambda f: (f.effective_on, f.seq),
        )
    )
    options = {o.option: o for o in adopted.options}
    bases: list[tuple[ClaimBalance, Money]] = []
    reliefs: dict[str, Relief] = {}
    for claim in index.claims:
        owed = claim_balance(index, claim, None, position)
        if (
            owed is None
            or _outside_plan(owed, index.declaration(claim, position))
            # Foreclosed and not relieved: no part in distributions and dividends,
            # unenforceable against the debtor while the plan runs (L622-26 al. 1-2).
            # As known, whatever its date: the foreclosure sanctions a deadline that
            # had passed before it was recorded.
            or ClaimStatus(owed.status) in BARRED
        ):
            continue
        granted = relief(index.facts_about(claim, position))
        if granted is not None:
            reliefs[claim] = granted
        before = claim_balance(index, claim, adopted_on - timedelta(1), position)
        # What was settled before the adoption is not scheduled; what the AGS
        # advanced, whenever, is owed to the AGS now, on claims of its own.
        settled = (
            sum(before.amount(c.name).cents for c in SETTLEMENTS if c is not SUBROGATED)
            if before
            else 0
        )
        base = owed.owed - Money._of(settled) - owed.subrogated
        if base.is_positive:
            bases.append((owed, base))
        elif any(_is_dividend(f) for f in index.facts_about(claim, position)):
            # Rejected, or lowered to nothing, after dividends were paid on it (an
            # appeal, a correction): in the plan for nothing, so that what it
            # received shows as overpaid.
            bases.append((owed, Money(0)))
    # Which claims are small ones is judged on what they were worth at the adoption:
    # a decision lowering a claim after it does not make it payable at the adoption.
    steps = {
        owed.claim: _worth_steps(index, owed.claim, position, adopted_on)
        for owed, _base in bases
    }
    at_adoption = []
    for owed, base in bases:
        changes = steps[owed.claim]
        worth_then = changes[0][1] if changes else owed.owed.cents
        then = base.cents - owed.owed.cents + worth_then
        at_adoption.append((owed, Money(max(0, then))))
    small = _small_claims(at_adoption, rules)
    rows = []
    for owed, base in bases:
        option: str | None = None
        # How the claim's instalments follow from an amount: the treatment's rule,
        # applied to its base (and, after a late decision, to what it was worth).
        build: Callable[[Money], list[Instalment]]
        if cannot_be_delayed(owed) or owed.claim in small:
            treatment = "no_delay" if cannot_be_delayed(owed) else "small_claim"
            build = functools.partial(_at_once, adopted_on)
        elif (agreement := _agreement(index, owed.claim, position)) is not None:
            # The creditor accepted a schedule of its own (L626-18 al. 1), e.g. an
            # intercompany balance over ten years; a later modification of the plan
            # leaves it as agreed.
            treatment = "agreement"
            build = functools.partial(_as_agreed, agreement, adopted_on)
        else:
            treatment = "option"
            # Accepted, refused, silent or never consulted (L626-5): the option
            # the creditor stood on at the adoption; without its agreement, no
            # remission (L626-18 al. 1).
            consulted = consultation(
                owed.creditor, answers.get(owed.creditor), adopted, rules
            )
            option = consulted.option
            build = functools.partial(
                _under_option,
                adopted,
                options[option],
                modifications,
                agreed=consulted.agreed,
                creditor=owed.creditor,
            )
        granted = reliefs.get(owed.claim)
        instalments, forfeited = _shared(build(base), granted)
        if steps[owed.claim]:
            # L626-21: what a decision after the adoption adds to instalments that
            # fell due before it is owed on the decision's date.
            levels = [
                (on, _shared(build(Money(max(0, base.cents - lower))), granted)[0])
                for on, lower in _below_final(steps[owed.claim], owed.owed.cents)
            ]
            instalments = _as_decided(instalments, levels)
        rows.append(
            ClaimSchedule(
                claim=owed.claim,
                creditor=owed.creditor,
                treatment=treatment,
                option=option,
                base=base,
                provisional=owed.provisional,
                declared_on=max(owed.declared_on, adopted_on),
                instalments=tuple(instalments),
                relieved_on=granted.relieved_on if granted else None,
                shares_from=granted.shares_from if granted else None,
                forfeited=Money(forfeited),
            )
        )
    return PlanSchedule(index.case, adopted, modifications, tuple(rows))


def _at_once(adopted_on: date, amount: Money) -> list[Instalment]:
    return lump_sum(amount, adopted_on)


def _as_agreed(
    agreement: ClaimRescheduled, adopted_on: date, amount: Money
) -> list[Instalment]:
    return percent_schedule(
        amount,
        list(agreement.percents),
        agreement.from_date or adopted_on,
        agreement.first_due,
    )


def _under_option(
    adopted: PlanAdopted,
    option: PlanOption,
    modifications: tuple[PlanModified, ...],
    amount: Money,
    *,
    agreed: bool,
    creditor: str,
) -> list[Instalment]:
    instalments = option_schedule(amount, adopted, option)
    if not agreed:
        instalments = without_remission(instalments, amount)
    for modification in modifications:
        instalments = _modified(
            instalments, modification, creditor in modification.accepted_by
        )
    return instalments


def _shared(
    instalments: list[Instalment], granted: Relief | None
) -> tuple[list[Instalment], int]:
    """A relieved claim's instalments (L622-26 al. 1: the relieved creditor shares
    only in the distributions after its request; an instalment due on the request's
    day is distributed that day or later, after the request: it is owed), and what
    those due before the request came to."""
    if granted is None:
        return instalments, 0
    kept = [i for i in instalments if i.due_on >= granted.shares_from]
    forfeited = sum(i.amount.cents for i in instalments) - sum(
        i.amount.cents for i in kept
    )
    return kept, forfeited


# --- decisions after the adoption (L626-21) --------------------------------------------


#: The facts that say what a claim is worth: its declaration and the decisions on it.
_VALUING = (ClaimDeclared, ClaimAdmitted, ClaimRejected)


def _worth_steps(
    index: CaseIndex, claim: str, position: int, adopted_on: date
) -> list[tuple[date, int]]:
    """What the claim was worth at the adoption and after each later change of it
    (an admission, an appeal's decision, a correction or a void of one, a corrected
    declaration), as known at `position`: [(adopted_on, worth), (decided on,
    worth), ...]; empty when nothing changed it after the adoption.

    A version of a fact counts from its own date, a correction's from the
    correction's date (or the corrected date, if later), a void's from the void's;
    the claim's first declaration counts from the start (a claim declared after the
    adoption owes from its declaration anyway)."""
    if position >= index.head and not index.claim_touch.get(claim):
        # At the head, a claim none of whose facts was corrected or voided changed
        # after the adoption only by a decision dated after it (the common case,
        # answered from the claim's head).
        head = index.state.heads.get(claim)
        if head is None or not head.valuations or head.valuations[-1][0] <= adopted_on:
            return []
    timed: list[tuple[str, date, int, Fact | None]] = []
    every = index.versions
    for fact_id in index.claims.get(claim, ()):
        versions = every.get(fact_id)
        # Most facts filed under a claim are payments: skip them first.
        if not versions or not isinstance(versions[0][1], _VALUING):
            continue
        first = versions[0][1]
        if len(versions) > 1:
            versions = [v for v in versions if v[0] <= position]
        elif versions[0][0] > position:
            continue
        for k, (seq, content) in enumerate(versions):
            if k == 0:
                since = (
                    date.min if isinstance(first, ClaimDeclared) else first.effective_on
                )
            else:
                since = index.log[seq - 1].effective_on
                if content is not None:
                    since = max(since, content.effective_on)
            timed.append((fact_id, since, seq, content))
    changes = sorted({since for _i, since, _s, _c in timed if since > adopted_on})
    if not changes:
        return []
    return [(on, _worth_on(timed, on)) for on in [adopted_on, *changes]]


def _worth_on(timed: list[tuple[str, date, int, Fact | None]], day: date) -> int:
    """The claim's worth from the versions in force on `day`: the latest admission
    or rejection (by its date, then position), else the declared amount."""
    current: dict[str, tuple[int, Fact | None]] = {}
    for fact_id, since, seq, content in timed:
        if since <= day and (fact_id not in current or seq > current[fact_id][0]):
            current[fact_id] = (seq, content)
    declared: ClaimDeclared | None = None
    valuation: Fact | None = None
    for _seq, fact in current.values():
        if isinstance(fact, ClaimDeclared):
            declared = fact
        elif isinstance(fact, ClaimAdmitted | ClaimRejected) and (
            valuation is None
            or (fact.effective_on, fact.seq or 0)
            >= (valuation.effective_on, valuation.seq or 0)
        ):
            valuation = fact
    if isinstance(valuation, ClaimRejected):
        return 0
    if isinstance(valuation, ClaimAdmitted) and valuation.amount is not None:
        return valuation.amount.cents
    return declared.amount.cents if declared is not None else 0


def _below_final(steps: list[tuple[date, int]], final: int) -> list[tuple[date, int]]:
    """From each step on, how far below its final worth the claim is known to be
    owed: the lowest worth from then on (a decision raising the claim that a later
    one lowers again never made the debtor owe the higher amount), 0 at the end."""
    out: list[tuple[date, int]] = []
    lowest = final
    for on, worth in reversed(steps):
        lowest = min(lowest, worth)
        out.append((on, final - lowest))
    out.reverse()
    out[-1] = (out[-1][0], 0)
    return out


def _as_decided(
    final: list[Instalment], levels: list[tuple[date, list[Instalment]]]
) -> list[Instalment]:
    """The claim's instalments, each owed on its date as far as the worth known then
    allows, the rest on the date of each later decision that raised it (a part with
    `catch_up_of`). `levels` are the instalments computed on the worth in force from
    each step's date (the adoption first, the final worth last): the same instalments,
    for smaller amounts. A decision lowering the claim lowers its instalments at
    their own dates: the debtor can only have remitted too much, which pays its next
    instalments, and what the creditor received beyond its due shows as overpaid."""
    out: list[Instalment] = []
    last = len(levels) - 1
    for i, instalment in enumerate(final):
        amount = instalment.amount.cents
        start = max(
            j for j, (on, _l) in enumerate(levels) if j == 0 or on <= instalment.due_on
        )
        owed = (
            amount if start == last else min(amount, levels[start][1][i].amount.cents)
        )
        owed = max(0, owed)
        out.append(attrs.evolve(instalment, amount=Money(owed)))
        for j in range(start + 1, last + 1):
            on, level = levels[j]
            reached = (
                amount if j == last else max(owed, min(amount, level[i].amount.cents))
            )
            if reached > owed:
                out.append(
                    Instalment(
                        instalment.number,
                        on,
                        Money(reached - owed),
                        catch_up_of=instalment.due_on,
                    )
                )
                owed = reached
    return out


def first_anchor(
    adopted: PlanAdopted, option: PlanOption | None = None
) -> tuple[date, FirstDue]:
    """Where an option's schedule starts: the first due date the option names (in
    months after the adoption, or as a date), else the one the judgment names for
    the plan (the next ones follow at the option's frequency), else the adoption
    date with the plan's first-due rule."""
    if option is not None and option.first_due_on is not None:
        return option.first_due_on, FirstDue.AT_ADOPTION
    if option is not None and option.first_due_months is not None:
        return (
            add_months(adopted.effective_on, option.first_due_months),
            FirstDue.AT_ADOPTION,
        )
    if adopted.first_due_on is not None:
        return adopted.first_due_on, FirstDue.AT_ADOPTION
    return adopted.effective_on, adopted.first_due


def option_schedule(
    base: Money, adopted: PlanAdopted, option: PlanOption
) -> list[Instalment]:
    """A claim's instalments under one option of the plan, from its first due date
    and at its frequency."""
    return percent_schedule(
        base,
        list(option.percents),
        *first_anchor(adopted, option),
        option.frequency or Frequency.ANNUAL,
    )


def option_due_dates(
    adopted: PlanAdopted, option: PlanOption
) -> list[tuple[date, ...]]:
    """The due dates of an option's instalments, one tuple per plan year of its
    percentages (the L626-18 rules judge each year's payments together)."""
    frequency = option.frequency or Frequency.ANNUAL
    dates = due_dates(len(option.percents), *first_anchor(adopted, option), frequency)
    n = frequency.per_year
    return [tuple(dates[k : k + n]) for k in range(0, len(dates), n)]


def _outside_plan(claim: ClaimBalance, declared: ClaimDeclared | None) -> bool:
    """Useful post-opening claims, and new money lent after the opening, are paid at
    maturity with their privilege (L622-17), not under the plan: those of rank
    post_opening, and those of another rank declared `useful`."""
    return (
        claim.rank in OUTSIDE_PLAN_RANKS
        or (claim.rank is Rank.NEW_MONEY and not claim.frozen)
        or (not claim.frozen and declared is not None and declared.useful is True)
    )


def _agreement(index: CaseIndex, claim: str, position: int) -> ClaimRescheduled | None:
    found = None
    for fact in index.facts_about(claim, position):
        if isinstance(fact, ClaimRescheduled):
            found = fact
    return found


def _modified(
    instalments: list[Instalment], modification: PlanModified, accepted: bool
) -> list[Instalment]:
    """L626-26: what is not yet due at the modification is spread again from it.
    Silence accepts new delays, not a remission: unless the creditor `accepted` the
    modification expressly, what percentages under 100 leave stays owed."""
    kept = [i for i in instalments if i.due_on < modification.effective_on]
    remaining = Money(
        sum(i.amount.cents for i in instalments) - sum(i.amount.cents for i in kept)
    )
    spread = reschedule(
        remaining,
        list(modification.percents),
        modification.effective_on,
        modification.first_due,
    )
    if not accepted:
        spread = without_remission(spread, remaining)
    return kept + [attrs.evolve(i, number=len(kept) + i.number) for i in spread]


def _small_claims(bases: list[tuple[ClaimBalance, Money]], rules: Ruleset) -> set[str]:
    """L626-20 II: within 5 % of the estimated liabilities, the smallest claims, in
    ascending order, each at most the decree amount (R626-34), are paid at once —
    except for a holder whose claims exceed 0.5 % of the liabilities, and for
    subrogated claims (the AGS)."""
    estimated = sum(base.cents for _b, base in bases)
    cap = (
        Fraction(estimated)
        * Fraction(rules.decimal("small_claims_total_cap_percent"))
        / 100
    )
    holder_cap = (
        Fraction(estimated)
        * Fraction(rules.decimal("small_claims_holder_exclusion_percent"))
        / 100
    )
    per_holder: dict[str, int] = {}
    for b, base in bases:
        per_holder[b.creditor] = per_holder.get(b.creditor, 0) + base.cents
    maximum = rules.money("small_claim_max")
    candidates = sorted(
        (
            (base, b)
            for b, base in bases
            if base.is_positive
            and base <= maximum
            and not cannot_be_delayed(b)
            and b.creditor_kind is not CreditorKind.AGS
            and per_holder[b.creditor] <= holder_cap
        ),
        key=lambda pair: (pair[0].cents, pair[1].claim),
    )
    chosen: set[str] = set()
    running = 0
    for base, b in candidates:
        if running + base.cents > cap:
            break
        running += base.cents
        chosen.add(b.claim)
    return chosen


# --- status ------------------------------------------------------------------------------


@attrs.frozen
class CreditorPosition:
    creditor: str
    options: tuple[str, ...]
    scheduled: Money
    due: Money  # fell due to this creditor by as_of (reserved claims included)
    distributed: Money  # plan dividends received by as_of
    reserved: Money  # due on claims without a decision, held by the supervisor
    behind: Money  # due, not reserved, not yet distributed
    contingent_remission: Money  # L626-19: until the option's last instalment
    acquired_remission: Money
    # L626-19 al. 2: the last instalment was not remitted by its date (or the plan
    # ended first): the remission will not be acquired.
    lapsed_remission: Money = attrs.field(factory=Money.zero)
    # Received more than fell due to it by as_of: after a decision lowered a claim
    # that had already been paid on (or a dividend paid ahead of its date).
    overpaid: Money = attrs.field(factory=Money.zero)

    def to_dict(self) -> dict[str, Any]:
        return serialise.fields(self)


class RemissionState(enum.Enum):
    """Where an option's remission stands (L626-19 al. 2)."""

    CONTINGENT = "contingent"  # the last instalment's date has not come
    ACQUIRED = "acquired"  # the debtor remitted it by that date
    LAPSED = "lapsed"  # it did not, or the plan ended before it was acquired


@attrs.frozen
class OptionRemission:
    """One claim's option remission at `as_of`: what the option remits, when its
    last instalment falls due (`term`), and whether it is acquired."""

    claim: str
    creditor: str
    amount: Money
    term: date
    state: RemissionState

    def to_dict(self) -> dict[str, Any]:
        return serialise.fields(self)


@attrs.frozen
class PlanStatus:
    case: str
    as_of: date
    known_at: KnownAt
    phase: str
    adopted_on: date | None
    plan_year: int
    duration_years: int | None
    total_scheduled: Money
    due: Money
    remitted_to_supervisor: Money  # by the debtor, in all (plan.instalment_remitted)
    distributed: Money
    reserved: Money
    arrears: Money
    oldest_unpaid_due_on: date | None
    days_late: int
    next_due_on: date | None
    next_due_amount: Money
    creditors: tuple[CreditorPosition, ...]
    ended_on: date | None = None
    remissions: tuple[OptionRemission, ...] = ()
    overpaid: Money = attrs.field(factory=Money.zero)

    remitted = renamed("remitted", "remitted_to_supervisor")

    @property
    def percent_repaid(self) -> Fraction:
        """Remitted by the debtor, as a share of the whole plan, in percent."""
        if not self.total_scheduled:
            return Fraction(0)
        return Fraction(
            min(self.remitted_to_supervisor.cents, self.total_scheduled.cents) * 100,
            self.total_scheduled.cents,
        )

    def creditor(self, creditor: str) -> CreditorPosition:
        for p in self.creditors:
            if p.creditor == creditor:
                return p
        raise KeyError(creditor)

    def to_dict(self) -> dict[str, Any]:
        return serialise.fields(self, percent_repaid=percent_text(self.percent_repaid))


def percent_text(value: Fraction) -> str:
    """'13.53': a percentage to two decimals, rounded half away from zero, without
    going through a float."""
    hundredths = round_half_away(value * 100)
    return f"{hundredths // 100}.{hundredths % 100:02d}"


def _without_plan(case: str, as_of: date, known_at: KnownAt, phase: str) -> PlanStatus:
    """The status of a case with no plan (yet, or as known then)."""
    zero = Money(0)
    return PlanStatus(
        case,
        as_of,
        known_at,
        phase,
        None,
        0,
        None,
        zero,
        zero,
        zero,
        zero,
        zero,
        zero,
        None,
        0,
        None,
        zero,
        (),
    )


def plan_status(
    index: CaseIndex,
    as_of: date,
    known_at: KnownAt = None,
    ruleset: Ruleset | None = None,
) -> PlanStatus:
    position = index.position(known_at)
    opening = index.opening(position)
    if opening is None or opening.effective_on > as_of:
        # Not opened yet (as of that date, or as known then): no phase to speak of.
        return _without_plan(index.case, as_of, known_at, "not_opened")
    rules = ruleset_of(index, position, ruleset)
    liquidation = any(
        isinstance(f, CaseConverted)
        and f.effective_on <= as_of
        and f.procedure is ProcedureKind.LIQUIDATION_JUDICIAIRE
        for f in index.procedure_facts(position)
    )
    schedule = plan_schedule(index, as_of, position, ruleset)
    if schedule is None:
        phase = "liquidation" if liquidation else "observation"
        return _without_plan(index.case, as_of, known_at, phase)
    adopted = schedule.adopted
    plan_facts = _visible(index, "plan", as_of, position)
    remittances = sorted(
        (f.effective_on, f.amount.cents)
        for f in plan_facts
        if isinstance(f, InstalmentRemitted)
    )
    remitted = sum(cents for _on, cents in remittances)
    ended = next(
        (f for f in plan_facts if isinstance(f, PlanResolved | PlanCompleted)), None
    )
    # The debtor's side: cumulative due by date against cumulative remitted. An
    # instalment is due on its date but late only from the day after (dividends
    # are portable, L626-21): arrears are what fell due before `as_of`.
    due_total = late_total = 0
    oldest: date | None = None
    next_on: date | None = None
    next_amount = 0
    for due_on, amount in schedule.by_date():
        if due_on <= as_of:
            due_total += amount.cents
            if due_on < as_of:
                late_total += amount.cents
                if oldest is None and late_total > remitted:
                    oldest = due_on
        elif next_on is None:
            next_on, next_amount = due_on, amount.cents
    arrears = max(0, late_total - remitted)
    late = days_late(oldest, None, as_of) if arrears and oldest else 0
    remissions = option_remissions(
        schedule, _Cumulative(remittances), as_of, ended.effective_on if ended else None
    )
    positions = _positions(index, schedule, position, as_of, remissions)
    if liquidation:
        phase = "liquidation"
    elif isinstance(ended, PlanResolved):
        phase = "resolved"
    elif isinstance(ended, PlanCompleted):
        phase = "completed"
    elif arrears:
        phase = (
            "in_default"
            if late > rules.days("plan_default_grace_days")
            else "in_arrears"
        )
    elif schedule.modifications:
        phase = "modified"
    else:
        phase = "performing"
    if ended is not None or liquidation:
        next_on, next_amount = None, 0
    duration = (
        schedule.modifications[-1].duration_years
        if schedule.modifications
        else adopted.duration_years
    )
    return PlanStatus(
        case=index.case,
        as_of=as_of,
        known_at=known_at,
        phase=phase,
        adopted_on=adopted.effective_on,
        plan_year=plan_year(adopted.effective_on, as_of),
        duration_years=duration,
        total_scheduled=Money._of(_sums(schedule).total),
        due=Money(due_total),
        remitted_to_supervisor=Money(remitted),
        distributed=Money(sum(p.distributed.cents for p in positions)),
        reserved=Money(sum(p.reserved.cents for p in positions)),
        arrears=Money(arrears),
        oldest_unpaid_due_on=oldest if arrears else None,
        days_late=late,
        next_due_on=next_on,
        next_due_amount=Money(next_amount),
        creditors=tuple(positions),
        ended_on=ended.effective_on if ended else None,
        remissions=tuple(remissions),
        overpaid=Money(sum(p.overpaid.cents for p in positions)),
    )


def _is_dividend(fact: Fact) -> bool:
    return isinstance(fact, PaymentMade) and fact.basis is PaymentBasis.PLAN_DIVIDEND


def recorded_option_remissions(
    index: CaseIndex, claim: str, as_of: date | None, position: int
) -> int:
    """What the balances show of a claim's option remission: its `remission.granted`
    facts of basis `plan_option`, effective by `as_of`."""
    return sum(
        f.amount.cents
        for f in index.facts_about(claim, position)
        if isinstance(f, RemissionGranted)
        and f.basis is RemissionBasis.PLAN_OPTION
        and (as_of is None or f.effective_on <= as_of)
    )


def completion_remissions(
    index: CaseIndex, completed: PlanCompleted, ruleset: Ruleset | None = None
) -> list[RemissionGranted]:
    """The remissions a completion judgment (L626-28) makes final in the balances:
    for each claim whose option remission the plan status shows acquired on the
    judgment's date, a `remission.granted` (basis `plan_option`) of what the
    balances do not show yet, so that after the completion the status and the
    balances agree. A remission that lapsed is not one: the creditor keeps that
    part of its claim."""
    on = completed.effective_on
    schedule = plan_schedule(index, on, None, ruleset)
    if schedule is None:
        return []
    remitted = _Cumulative(
        (f.effective_on, f.amount.cents)
        for f in _visible(index, "plan", on, index.head)
        if isinstance(f, InstalmentRemitted)
    )
    out = []
    for r in option_remissions(schedule, remitted, on, on):
        if r.state is not RemissionState.ACQUIRED:
            continue
        missing = r.amount.cents - recorded_option_remissions(
            index, r.claim, None, index.head
        )
        if missing > 0:
            out.append(
                RemissionGranted.build(
                    case=completed.case,
                    claim=r.claim,
                    amount=Money(missing),
                    basis=RemissionBasis.PLAN_OPTION,
                    effective_on=on,
                    reference=completed.judgment_ref
                    or "plan completed (L626-19 al. 2, L626-28)",
                )
            )
    return out


class _Cumulative:
    """Running totals of dated amounts: how much by a date, in O(log n)."""

    def __init__(self, dated: Iterable[tuple[date, int]]) -> None:
        self.dates: list[date] = []
        self.totals: list[int] = []
        running = 0
        for on, cents in sorted(dated):
            running += cents
            if self.dates and self.dates[-1] == on:
                self.totals[-1] = running
            else:
                self.dates.append(on)
                self.totals.append(running)

    def by(self, day: date) -> int:
        i = bisect.bisect_right(self.dates, day)
        return self.totals[i - 1] if i else 0


def option_remissions(
    schedule: PlanSchedule, remitted: _Cumulative, as_of: date, ended_on: date | None
) -> list[OptionRemission]:
    """Each option remission's state at `as_of` (L626-19 al. 2: "la réduction de
    créance n'est définitivement acquise qu'après versement, au terme fixé, de la
    dernière échéance prévue par le plan pour son paiement").

    What counts is the debtor's payment to the plan supervisor (payments are
    "portables", L626-21), not when the supervisor pays the creditor out: the
    remission is acquired once the debtor has remitted, by the last instalment's
    date, everything that fell due by then (remittances pay the oldest instalments
    first, and a day's instalments together). Not remitted by then, it has lapsed;
    a plan that ends (resolution, completion) before it was acquired leaves it
    lapsed too (L626-27: contingent remissions fall)."""
    sums = _sums(schedule)
    due = sums.due
    out = []
    for c, _dues, remission, term in sums.claims:
        if remission <= 0 or term is None:
            continue  # no remission
        checked_on = min(as_of, term, ended_on or as_of)
        if remitted.by(checked_on) >= due.by(term):
            state = RemissionState.ACQUIRED
        elif as_of > term or (ended_on is not None and as_of >= ended_on):
            state = RemissionState.LAPSED
        else:
            state = RemissionState.CONTINGENT
        amount = Money._of(remission, c.base.currency)
        out.append(OptionRemission(c.claim, c.creditor, amount, term, state))
    return out


class _StatusSums:
    """What a status reads of one schedule, at any date, prepared once per
    schedule: the debtor's dues by date as running totals, and for each claim (in
    the schedule's order) its dues by date as running totals, its option remission
    in cents (`ClaimSchedule.option_remission`) and the date its last instalment
    is due (None without instalments); and per creditor (in order) its options and
    what is scheduled to it, and the schedule's total (`PlanSchedule.total`)."""

    __slots__ = ("claims", "creditors", "due", "names", "total")

    def __init__(self, schedule: PlanSchedule) -> None:
        self.due = _Cumulative((on, m.cents) for on, m in schedule.dates)
        self.claims = [
            (
                c,
                _Cumulative(
                    zip(c.dues, (i.amount.cents for i in c.instalments), strict=True)
                ),
                c.base.cents - c.scheduled.cents - c.forfeited.cents,
                max(c.dues) if c.dues else None,
            )
            for c in schedule.claims
        ]
        self.names = [c.claim for c in schedule.claims]
        scheduled: dict[str, int] = {}
        options: dict[str, set[str]] = {}
        for c in schedule.claims:
            scheduled[c.creditor] = scheduled.get(c.creditor, 0) + c.scheduled.cents
            if c.option:
                options.setdefault(c.creditor, set()).add(c.option)
        self.creditors = [
            (creditor, tuple(sorted(options.get(creditor, ()))), cents)
            for creditor, cents in sorted(scheduled.items())
        ]
        self.total = sum(scheduled.values())


def _sums(schedule: PlanSchedule) -> _StatusSums:
    if schedule.sums is None:
        object.__setattr__(schedule, "sums", _StatusSums(schedule))
    assert schedule.sums is not None
    return schedule.sums


def _positions(
    index: CaseIndex,
    schedule: PlanSchedule,
    position: int,
    as_of: date,
    remissions: list[OptionRemission],
) -> list[CreditorPosition]:
    sums = _sums(schedule)
    # Per creditor: scheduled, due, distributed, reserved, behind, the remission
    # contingent, acquired and lapsed, overpaid (CreditorPosition's order).
    rows = {
        creditor: [cents, 0, 0, 0, 0, 0, 0, 0, 0]
        for creditor, _o, cents in sums.creditors
    }
    states = {r.claim: r for r in remissions}
    columns = {
        RemissionState.CONTINGENT: 5,
        RemissionState.ACQUIRED: 6,
        RemissionState.LAPSED: 7,
    }
    received = index.received(sums.names, position, as_of)
    for (c, dues, _remission, _term), got in zip(sums.claims, received, strict=True):
        due = dues.by(as_of)
        row = rows[c.creditor]
        row[1] += due
        row[2] += got
        if due > got:  # reserved while the claim awaits its decision, else behind
            row[3 if c.provisional else 4] += due - got
        else:
            row[8] += got - due
        remission = states.get(c.claim)
        if remission is not None:
            row[columns[remission.state]] += remission.amount.cents
    return [
        CreditorPosition(creditor, options, *(Money._of(v) for v in rows[creditor]))
        for creditor, options, _cents in sums.creditors
    ]
