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

from collections.abc import Iterable
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import attrs

from plandebt.calendar import plan_year
from plandebt.events import (
    Answer,
    CaseConverted,
    ClaimDeclared,
    ClaimRescheduled,
    ConsultationAnswered,
    Fact,
    InstalmentRemitted,
    PlanAdopted,
    PlanCompleted,
    PlanModified,
    PlanResolved,
    ProcedureKind,
    Rank,
)
from plandebt.events.claims import CreditorKind
from plandebt.lifecycle import BARRED, ClaimStatus, Relief, relief
from plandebt.money import Money, round_half_away
from plandebt.projections import serialise
from plandebt.projections.balances import ClaimBalance, claim_balance
from plandebt.projections.index import CaseIndex, KnownAt
from plandebt.projections.postings import SETTLEMENTS, SUBROGATED
from plandebt.ruleset import Ruleset, ruleset_for
from plandebt.schedules import (
    FirstDue,
    Instalment,
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
            omit=("adopted", "modifications", "dates"),
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
            or owed.status == "rejected"
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
    small = _small_claims(bases, rules)
    rows = []
    for owed, base in bases:
        option: str | None = None
        if owed.rank in NO_DELAY_RANKS:
            treatment, instalments = "no_delay", lump_sum(base, adopted_on)
        elif owed.claim in small:
            treatment, instalments = "small_claim", lump_sum(base, adopted_on)
        elif (agreement := _agreement(index, owed.claim, position)) is not None:
            # The creditor accepted a schedule of its own (L626-18 al. 1), e.g. an
            # intercompany balance over ten years; a later modification of the plan
            # leaves it as agreed.
            treatment = "agreement"
            instalments = percent_schedule(
                base,
                list(agreement.percents),
                agreement.from_date or adopted_on,
                agreement.first_due,
            )
        else:
            treatment = "option"
            option = _option_of(answers.get(owed.creditor), adopted, options)
            instalments = percent_schedule(
                base, list(options[option].percents), *first_anchor(adopted)
            )
            for modification in modifications:
                instalments = _modified(instalments, modification)
        granted = reliefs.get(owed.claim)
        forfeited = 0
        if granted is not None:
            # L622-26 al. 1: the relieved creditor shares only in the distributions
            # after its request. An instalment due on the request's day is
            # distributed that day or later, after the request: it is owed.
            kept = [i for i in instalments if i.due_on >= granted.shares_from]
            forfeited = sum(i.amount.cents for i in instalments) - sum(
                i.amount.cents for i in kept
            )
            instalments = kept
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


def first_anchor(adopted: PlanAdopted) -> tuple[date, FirstDue]:
    """Where the option schedules start: a first due date the judgment names (the
    next ones on its anniversaries), or the adoption date with its first-due rule."""
    if adopted.first_due_on is not None:
        return adopted.first_due_on, FirstDue.AT_ADOPTION
    return adopted.effective_on, adopted.first_due


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


def _option_of(
    answer: ConsultationAnswered | None, adopted: PlanAdopted, options: dict[str, Any]
) -> str:
    if (
        answer is not None
        and answer.answer is Answer.ACCEPTS
        and answer.option in options
    ):
        return answer.option
    if answer is not None and answer.answer is Answer.REFUSES:
        return adopted.uniform_option
    # Silence for 30 days is acceptance of the default option (L626-5); a creditor
    # never consulted is treated the same way.
    return adopted.default_option or adopted.uniform_option


def _modified(
    instalments: list[Instalment], modification: PlanModified
) -> list[Instalment]:
    """L626-26: what is not yet due at the modification is spread again from it."""
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
            if base <= maximum
            and b.rank not in NO_DELAY_RANKS
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
    remitted: Money
    distributed: Money
    reserved: Money
    arrears: Money
    oldest_unpaid_due_on: date | None
    days_late: int
    next_due_on: date | None
    next_due_amount: Money
    creditors: tuple[CreditorPosition, ...]
    ended_on: date | None = None

    @property
    def percent_repaid(self) -> Fraction:
        """Remitted by the debtor, as a share of the whole plan, in percent."""
        if not self.total_scheduled:
            return Fraction(0)
        return Fraction(
            min(self.remitted.cents, self.total_scheduled.cents) * 100,
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
    schedule = plan_schedule(index, as_of, position, rules)
    if schedule is None:
        phase = "liquidation" if liquidation else "observation"
        return _without_plan(index.case, as_of, known_at, phase)
    adopted = schedule.adopted
    plan_facts = _visible(index, "plan", as_of, position)
    remitted = sum(
        f.amount.cents for f in plan_facts if isinstance(f, InstalmentRemitted)
    )
    ended = next(
        (f for f in plan_facts if isinstance(f, PlanResolved | PlanCompleted)), None
    )
    distributions = _distributions(index, schedule.claims, position)
    # The debtor's side: cumulative due by date against cumulative remitted.
    due_total = 0
    oldest: date | None = None
    next_on: date | None = None
    next_amount = 0
    for due_on, amount in schedule.by_date():
        if due_on <= as_of:
            due_total += amount.cents
            if oldest is None and due_total > remitted:
                oldest = due_on
        elif next_on is None:
            next_on, next_amount = due_on, amount.cents
    arrears = max(0, due_total - remitted)
    days_late = (as_of - oldest).days + 1 if arrears and oldest else 0
    positions = _positions(schedule, distributions, as_of, ended)
    if liquidation:
        phase = "liquidation"
    elif isinstance(ended, PlanResolved):
        phase = "resolved"
    elif isinstance(ended, PlanCompleted):
        phase = "completed"
    elif arrears:
        phase = (
            "in_default"
            if days_late > rules.days("plan_default_grace_days")
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
        total_scheduled=schedule.total,
        due=Money(due_total),
        remitted=Money(remitted),
        distributed=Money(sum(p.distributed.cents for p in positions)),
        reserved=Money(sum(p.reserved.cents for p in positions)),
        arrears=Money(arrears),
        oldest_unpaid_due_on=oldest if arrears else None,
        days_late=days_late,
        next_due_on=next_on,
        next_due_amount=Money(next_amount),
        creditors=tuple(positions),
        ended_on=ended.effective_on if ended else None,
    )


def _distributions(
    index: CaseIndex, claims: Iterable[ClaimSchedule], position: int
) -> dict[str, list[tuple[date, int]]]:
    """Plan dividends each claim received, with their value dates."""
    return {c.claim: index.dividends(c.claim, position) for c in claims}


def _received(dated: list[tuple[date, int]], by: date) -> int:
    return sum(cents for on, cents in dated if on <= by)


def _positions(
    schedule: PlanSchedule,
    distributions: dict[str, list[tuple[date, int]]],
    as_of: date,
    ended: Fact | None,
) -> list[CreditorPosition]:
    rows: dict[str, list[int]] = {}
    options: dict[str, set[str]] = {}
    for c in schedule.claims:
        due = sum(
            i.amount.cents
            for i, on in zip(c.instalments, c.dues, strict=True)
            if on <= as_of
        )
        got = _received(distributions[c.claim], as_of)
        reserved = max(0, due - got) if c.provisional else 0
        behind = 0 if c.provisional else max(0, due - got)
        contingent = acquired = 0
        if c.option_remission.is_positive and c.dues:
            last = max(c.dues)
            # L626-19: acquired once the last instalment is paid on its date. What
            # the creditor received by that date is what counts.
            if (
                last <= as_of
                and _received(distributions[c.claim], last) >= c.scheduled.cents
            ):
                acquired = c.option_remission.cents
            elif not isinstance(ended, PlanResolved):
                contingent = c.option_remission.cents
        row = rows.setdefault(c.creditor, [0] * 7)
        for k, v in enumerate(
            (c.scheduled.cents, due, got, reserved, behind, contingent, acquired)
        ):
            row[k] += v
        if c.option:
            options.setdefault(c.creditor, set()).add(c.option)
    return [
        CreditorPosition(
            creditor, tuple(sorted(options.get(creditor, ()))), *(Money(v) for v in row)
        )
        for creditor, row in sorted(rows.items())
    ]
