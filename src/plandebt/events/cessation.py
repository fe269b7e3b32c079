"""Cessation des paiements during the plan: the debtor can no longer meet its due
liabilities with its available assets while the plan runs, which obliges the court
to resolve the plan (C. com. L626-27 I al. 3)."""

from __future__ import annotations

import attrs

from plandebt.events.base import Fact


@attrs.frozen(kw_only=True)
class PaymentsCeased(Fact):
    """Cessation des paiements found during the plan; `effective_on` is the date of
    cessation. Recorded as established (the commissaire's report, a creditor's
    summons, the debtor's own filing): missed dividends alone do not prove it (Cass.
    com. 16 Dec 2008 n° 07-17.130), which is why it is a fact of its own and not
    inferred from arrears."""

    kind = "plan.payments_ceased"

    established_by: str | None = None  # e.g. "commissaire's report of 2 May 2027"
