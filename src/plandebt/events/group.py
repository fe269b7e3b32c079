"""Group support: intercompany reschedulings, waivers that can revive, and capital
commitments and contributions (law primer §6; C. com. L626-3, L626-10, L626-18)."""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal

import attrs

from plandebt.events.base import Fact
from plandebt.money import Money
from plandebt.schedules import FirstDue


@attrs.frozen(kw_only=True)
class ClaimRescheduled(Fact):
    """A creditor agrees to a schedule of its own for a claim, longer or different
    from the plan's options (L626-18 al. 1: the court records accepted delays) — e.g.
    intercompany balances over 10 years instead of 2. Instalments fall on the
    anniversaries of `from_date` (default: the plan's adoption)."""

    kind = "claim.rescheduled"
    identity = ("claim",)

    claim: str
    percents: tuple[Decimal, ...]
    from_date: date | None = None
    first_due: FirstDue = FirstDue.FIRST_ANNIVERSARY
    agreement_ref: str | None = None


@attrs.frozen(kw_only=True)
class WaiverRevived(Fact):
    """A waiver with a better-fortune clause (clause de retour à meilleure fortune)
    revives, in all or part, because the clause's condition is met: the waived
    amount is owed again from `effective_on`."""

    kind = "claim.waiver_revived"
    identity = ("waiver", "claim")

    claim: str
    waiver: str  # id of the claim.written_off fact with clause better_fortune
    amount: Money
    condition: str | None = None


class ContributionForm(enum.Enum):
    CAPITAL_INCREASE = "capital_increase"  # equity: never a debt
    CURRENT_ACCOUNT_ADVANCE = "current_account_advance"  # new post-opening debt
    SUBSIDY = "subsidy"  # no repayment


class Condition(enum.Enum):
    NONE = "none"
    PLAN_ADOPTION = (
        "plan_adoption"  # L626-3: commitments take effect if the plan is adopted
    )


@attrs.frozen(kw_only=True)
class Tranche:
    due_on: date
    amount: Money


@attrs.frozen(kw_only=True)
class CapitalCommitted(Fact):
    """An investor commits to support the company: a total in tranches with due
    dates, possibly conditional on the plan's adoption."""

    kind = "support.committed"
    identity = ("commitment", "investor")

    commitment: str
    investor: str
    tranches: tuple[Tranche, ...]
    condition: Condition = Condition.NONE
    form: ContributionForm = ContributionForm.CAPITAL_INCREASE
    reference: str | None = None


@attrs.frozen(kw_only=True)
class ContributionReceived(Fact):
    """Money received from an investor under a commitment; `effective_on` is the value
    date. A current-account advance is a new debt: it names the new-money claim
    (L622-17 III 2°, L626-10) recorded with it."""

    kind = "support.received"
    identity = ("commitment",)

    commitment: str
    amount: Money
    form: ContributionForm
    claim: str | None = None  # the new-money claim of a current-account advance
