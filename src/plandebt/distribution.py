"""Distributions (répartition): what the commissaire à l'exécution du plan pays each
creditor out of what the debtor remitted to him.

The debtor remits to the commissaire, who pays the creditors their instalments
(L626-21 al. 1). Each distribution follows one rule, applied to everything remitted
up to and including the remittance being distributed:

- the money covers the instalments **oldest due first** (as the plan status counts
  arrears); instalments falling due on the same day share what is left **in
  proportion** to their amounts, split to the cent by `Money.split` (largest
  remainder; a tied cent goes to the earliest claim in the order of the schedule), so
  the parts add up exactly to what is shared;
- what covers an instalment of a claim without a decision is **reserved**, held by the
  commissaire until the decision (L626-21 al. 4), not paid;
- each creditor is paid what its covered instalments add up to, less the plan
  dividends it already received. What the debtor paid ahead of any due date stays
  with the commissaire for the next one.

Because every distribution starts from the cumulative sums, distributing the same
remittance again pays nothing more, and a rounded cent withheld from one creditor at
a partial distribution is paid to it once its instalment is fully covered: there is
no drift. Dividends are recorded as `payment.made` with basis `plan_dividend`, one per
claim, with the client reference `<remittance id>/<claim>`, in one atomic batch.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs

from plandebt.deprecation import renamed
from plandebt.errors import InvalidInputError, UnknownReferenceError
from plandebt.events import Fact, InstalmentRemitted, PaymentBasis, PaymentMade
from plandebt.money import Money
from plandebt.projections import serialise
from plandebt.projections.index import CaseIndex
from plandebt.projections.plan import ClaimSchedule, plan_schedule


@attrs.frozen
class Dividend:
    """What one claim receives from a distribution."""

    claim: str
    creditor: str
    amount: Money


@attrs.frozen
class Distribution:
    """A distribution of the money remitted up to one remittance."""

    case: str
    remittance: str  # the id of the plan.instalment_remitted distributed
    paid_on: date
    remitted_to_supervisor: Money  # all the debtor remitted up to this remittance
    covered: Money  # what covers instalments due by then
    reserved: Money  # held for claims without a decision (L626-21 al. 4)
    ahead: Money  # remitted ahead of any instalment due: kept for the next
    dividends: tuple[Dividend, ...]

    remitted = renamed("remitted", "remitted_to_supervisor")

    @property
    def total(self) -> Money:
        return Money._of(sum(d.amount.cents for d in self.dividends))

    def to_dict(self) -> dict[str, Any]:
        return serialise.fields(self, total=self.total)


def plan_distribution(
    index: CaseIndex, remittance: str, paid_on: date | None = None
) -> Distribution:
    """The distribution of `remittance` (the id of a recorded
    `plan.instalment_remitted`), as the case is known now; nothing is recorded."""
    fact = index.at(remittance)
    if not isinstance(fact, InstalmentRemitted):
        raise UnknownReferenceError(
            "remittance", remittance, "no remittance to the plan with this id"
        )
    on = fact.effective_on
    paid_on = paid_on or on
    if paid_on < on:
        raise InvalidInputError(
            "paid_on",
            paid_on.isoformat(),
            f"a dividend is paid after the remittance it comes from ({on.isoformat()})",
        )
    schedule = plan_schedule(index, on)
    if schedule is None:
        raise InvalidInputError("case", index.case, "no plan is adopted in this case")
    key = (on, fact.seq or 0)
    remitted = sum(
        f.amount.cents
        for f in index.about("plan")
        if isinstance(f, InstalmentRemitted) and (f.effective_on, f.seq or 0) <= key
    )
    covered = _cover(schedule.claims, on, remitted)
    dividends = []
    reserved = 0
    for c in schedule.claims:
        entitled = covered.get(c.claim, 0)
        received = sum(
            f.amount.cents
            for f in index.facts_about(c.claim)
            if isinstance(f, PaymentMade)
            and f.basis is PaymentBasis.PLAN_DIVIDEND
            and f.effective_on <= paid_on
        )
        if c.provisional:
            reserved += max(0, entitled - received)
        elif entitled > received:
            dividends.append(
                Dividend(c.claim, c.creditor, Money._of(entitled - received))
            )
    total_covered = sum(covered.values())
    return Distribution(
        case=index.case,
        remittance=remittance,
        paid_on=paid_on,
        remitted_to_supervisor=Money._of(remitted),
        covered=Money._of(total_covered),
        reserved=Money._of(reserved),
        ahead=Money._of(remitted - total_covered),
        dividends=tuple(dividends),
    )


def _cover(claims: tuple[ClaimSchedule, ...], on: date, funds: int) -> dict[str, int]:
    """How much of each claim's instalments due by `on` the funds cover, oldest due
    first, a day's instalments sharing in proportion to what each lacks."""
    by_day: dict[date, list[tuple[str, int]]] = {}
    for c in claims:
        for instalment, due in zip(c.instalments, c.dues, strict=True):
            if due <= on and instalment.amount.is_positive:
                by_day.setdefault(due, []).append((c.claim, instalment.amount.cents))
    covered: dict[str, int] = {}
    for day in sorted(by_day):
        owed = by_day[day]
        needed = sum(cents for _claim, cents in owed)
        if funds >= needed:
            parts = [cents for _claim, cents in owed]
        elif funds > 0:
            parts = [m.cents for m in Money._of(funds).split([c for _k, c in owed])]
        else:
            break
        for (claim, _cents), part in zip(owed, parts, strict=True):
            covered[claim] = covered.get(claim, 0) + part
        funds -= sum(parts)
    return covered


def dividend_facts(distribution: Distribution) -> list[Fact]:
    """The facts that record a distribution: one plan dividend per claim paid."""
    return [
        PaymentMade.build(
            case=distribution.case,
            claim=d.claim,
            amount=d.amount,
            basis=PaymentBasis.PLAN_DIVIDEND,
            effective_on=distribution.paid_on,
            client_ref=f"{distribution.remittance}/{d.claim}",
        )
        for d in distribution.dividends
    ]
