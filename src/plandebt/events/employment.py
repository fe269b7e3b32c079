"""Employment: departures, severance and the AGS wage guarantee (law primer §2.5, §7;
C. trav. L1234-9, R1234-2, L3253-8, L3253-16)."""

from __future__ import annotations

import enum
from datetime import date

import attrs

from plandebt.events.base import Fact
from plandebt.money import Money


class DepartureKind(enum.Enum):
    VOLUNTARY_PSE = "voluntary_pse"  # départ volontaire under the job-protection plan
    ECONOMIC_DISMISSAL = "economic_dismissal"  # licenciement économique
    OTHER = "other"


class Funding(enum.Enum):
    COMPANY = "company"
    GROUP_SUPPORT = "group_support"


@attrs.frozen(kw_only=True)
class EmployeeDeparted(Fact):
    """An employee (by pseudonym only) leaves; `effective_on` is the end of the
    contract, which decides whether the AGS covers it (L3253-8 2°)."""

    kind = "employment.departed"
    identity = ("employee",)

    employee: str
    departure: DepartureKind
    seniority_months: int
    monthly_pay: Money  # the reference monthly pay for the legal severance
    # When the employment contract was concluded: the AGS's cap is 6, 5 or 4 monthly
    # ceilings as it was 2 years or more, 6 months or more, or less before the
    # opening (C. trav. L3253-17, D3253-5). Left out: the highest cap is assumed.
    contract_on: date | None = None
    # The termination is made under a job-protection plan (PSE): after a liquidation
    # judgment the AGS covers it for 21 days instead of 15 (L3253-8 2° c-d). A
    # voluntary departure under the PSE is so by its kind.
    pse: bool = False
    # A sales representative (VRP): the superprivilege covers the last 90 days of
    # work, not 60 (L7313-8).
    sales_representative: bool = False

    @property
    def under_pse(self) -> bool:
        return self.pse or self.departure is DepartureKind.VOLUNTARY_PSE


@attrs.frozen(kw_only=True)
class SeveranceAgreed(Fact):
    kind = "employment.severance_agreed"
    identity = ("employee",)

    employee: str
    amount: Money


@attrs.frozen(kw_only=True)
class SeverancePaid(Fact):
    """Severance paid by the company or with the group's support. (What the AGS
    advances is an `ags.advanced` fact: it also moves the claim to the AGS.)"""

    kind = "employment.severance_paid"
    identity = ("employee",)

    employee: str
    amount: Money
    funding: Funding


@attrs.frozen(kw_only=True)
class AgsAdvanced(Fact):
    """The AGS pays an employee: it becomes a creditor by subrogation (L3253-16) for
    the same amount, split into its superprivileged and privileged parts, recorded as
    the two AGS claims named here; the employee's claim drops by that amount."""

    kind = "ags.advanced"
    identity = ("employee", "employee_claim")

    employee: str
    employee_claim: str
    superprivileged: Money
    privileged: Money
    superprivileged_claim: str | None = None
    privileged_claim: str | None = None

    @property
    def amount(self) -> Money:
        return self.superprivileged + self.privileged
