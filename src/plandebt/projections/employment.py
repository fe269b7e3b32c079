"""Employment at any date, as known at any date: departures, the legal severance
floor next to what was agreed, severance paid by source, AGS advances and whether
each departure falls inside the AGS windows.

The legal severance (C. trav. L1234-9, R1234-2) is due from 8 months' seniority:
1/4 of a month's pay per year for the first 10 years, 1/3 per year beyond, incomplete
years pro rata. It is a floor: a collective agreement or the PSE may give more.
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import attrs

from plandebt.calendar import add_months
from plandebt.events import (
    AgsAdvanced,
    EmployeeDeparted,
    ProcedureKind,
    SeveranceAgreed,
    SeverancePaid,
)
from plandebt.events.claims import CreditorKind
from plandebt.money import Money, round_half_away
from plandebt.projections import serialise
from plandebt.projections.balances import balances, procedure_in_force
from plandebt.projections.index import CaseIndex, KnownAt
from plandebt.projections.plan import adoption, ruleset_of
from plandebt.ruleset import Ruleset


def legal_severance(monthly_pay: Money, seniority_months: int, rules: Ruleset) -> Money:
    """The legal minimum severance, rounded half away from zero to the cent."""
    if seniority_months < rules.months("severance_min_seniority_months"):
        return Money(0, monthly_pay.currency)
    years = Fraction(seniority_months, 12)
    threshold = Fraction(rules.years("severance_higher_rate_from_years"))
    months = rules.fraction("severance_months_pay_per_year") * min(
        years, threshold
    ) + rules.fraction("severance_months_pay_per_year_beyond") * max(
        years - threshold, Fraction(0)
    )
    return Money(round_half_away(monthly_pay.cents * months), monthly_pay.currency)


@attrs.frozen
class DepartureStatus:
    employee: str
    departure: str
    left_on: date
    seniority_months: int
    monthly_pay: Money
    legal_minimum: Money
    agreed: Money
    paid_by_company: Money
    paid_by_group: Money
    advanced_by_ags: Money
    # "opening", "observation", "after_adoption", "after_liquidation" or None
    ags_window: str | None

    @property
    def paid(self) -> Money:
        return self.paid_by_company + self.paid_by_group + self.advanced_by_ags

    def to_dict(self) -> dict[str, Any]:
        return serialise.fields(self, paid=self.paid)


@attrs.frozen
class EmploymentView:
    case: str
    as_of: date
    known_at: KnownAt
    departures: tuple[DepartureStatus, ...]
    ags_claims: Money  # what the AGS is owed, by subrogation, as of as_of

    def by_kind(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for d in self.departures:
            out[d.departure] = out.get(d.departure, 0) + 1
        return dict(sorted(out.items()))

    def totals(self) -> dict[str, Money]:
        names = (
            "legal_minimum",
            "agreed",
            "paid_by_company",
            "paid_by_group",
            "advanced_by_ags",
            "paid",
        )
        return {
            n: Money(sum(getattr(d, n).cents for d in self.departures)) for n in names
        }

    def to_dict(self) -> dict[str, Any]:
        return serialise.fields(self, by_kind=self.by_kind(), totals=self.totals())


def ags_window(
    index: CaseIndex,
    left_on: date,
    position: int,
    rules: Ruleset,
    pse: bool = False,
) -> str | None:
    """Which AGS window a termination falls in (L3253-8 C. trav.): sums owed at the
    opening of an RJ or LJ (1°); terminations during the observation period (2° a),
    within a month after the plan's adoption (2° b), or within 15 days after a
    liquidation judgment, 21 when a job-protection plan is drawn up (`pse`, 2° c-d).
    In sauvegarde the first and last do not apply."""
    opening = index.opening(position)
    assert opening is not None
    if left_on < opening.effective_on:
        return None if opening.procedure is ProcedureKind.SAUVEGARDE else "opening"
    liquidation = _liquidation_on(index, left_on, position)
    if liquidation is not None:
        days = (
            rules.days("ags_window_after_liquidation_pse_days")
            if pse
            else rules.days("ags_window_after_liquidation_days")
        )
        return "after_liquidation" if left_on <= liquidation + timedelta(days) else None
    plan = adoption(index, None, position)
    if plan is None or left_on < plan.effective_on:
        return "observation"
    limit = add_months(plan.effective_on, rules.months("ags_window_after_plan_months"))
    return "after_adoption" if left_on <= limit else None


def _liquidation_on(index: CaseIndex, on: date, position: int) -> date | None:
    """The date of the liquidation judgment in force on `on` (an opening in LJ or a
    conversion into it), if the case is in liquidation then."""
    in_force = procedure_in_force(index, on, position)
    if (
        in_force is None
        or in_force.procedure is not ProcedureKind.LIQUIDATION_JUDICIAIRE
    ):
        return None
    return in_force.effective_on


def employment(
    index: CaseIndex,
    as_of: date,
    known_at: KnownAt = None,
    ruleset: Ruleset | None = None,
) -> EmploymentView:
    position = index.position(known_at)
    if index.opening(position) is None:
        return EmploymentView(index.case, as_of, known_at, (), Money(0))
    rules = ruleset_of(index, position, ruleset)
    facts = [
        f
        for f in (
            index.at(i, position)
            for i in [
                *index.subjects.get("employment", ()),
                *index.subjects.get("ags", ()),
            ]
        )
        if f is not None and f.effective_on <= as_of
    ]
    sums: dict[str, dict[str, int]] = {}
    for f in facts:
        row = sums.setdefault(getattr(f, "employee", ""), {})
        if isinstance(f, SeveranceAgreed):
            row["agreed"] = f.amount.cents  # the latest agreement stands
        elif isinstance(f, SeverancePaid):
            key = "company" if f.funding.value == "company" else "group"
            row[key] = row.get(key, 0) + f.amount.cents
        elif isinstance(f, AgsAdvanced):
            row["ags"] = row.get("ags", 0) + f.amount.cents
    departures = []
    for f in facts:
        if not isinstance(f, EmployeeDeparted):
            continue
        row = sums.get(f.employee, {})
        departures.append(
            DepartureStatus(
                employee=f.employee,
                departure=f.departure.value,
                left_on=f.effective_on,
                seniority_months=f.seniority_months,
                monthly_pay=f.monthly_pay,
                legal_minimum=legal_severance(f.monthly_pay, f.seniority_months, rules),
                agreed=Money(row.get("agreed", 0)),
                paid_by_company=Money(row.get("company", 0)),
                paid_by_group=Money(row.get("group", 0)),
                advanced_by_ags=Money(row.get("ags", 0)),
                ags_window=ags_window(
                    index, f.effective_on, position, rules, pse=f.under_pse
                ),
            )
        )
    view = balances(index, as_of, position)
    ags = sum(
        b.outstanding.cents for b in view.claims if b.creditor_kind is CreditorKind.AGS
    )
    return EmploymentView(
        index.case,
        as_of,
        known_at,
        tuple(sorted(departures, key=lambda d: (d.left_on, d.employee))),
        Money(ags),
    )
