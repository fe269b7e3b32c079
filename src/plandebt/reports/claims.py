"""The état des créances as admitted: every claim with what was declared, the
juge-commissaire's decision and what was admitted (C. com. L624-1 and R624-8: the
list of claims with the decisions, filed at the court's registry), with totals by
rank. A claim without a decision counts at its declared amount in "owed", never in
"admitted"."""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs

from plandebt.ledger import Ledger, utc_now
from plandebt.projections import serialise
from plandebt.projections.balances import ClaimBalance, Totals
from plandebt.projections.index import KnownAt
from plandebt.reports.head import HistoryHead, head_json, head_of


@attrs.frozen
class ClaimsReport:
    case: str
    debtor: str
    court: str
    as_of: date
    prepared_on: date
    position: int
    head: HistoryHead | None
    claims: tuple[ClaimBalance, ...]  # in the order of their ids
    by_rank: tuple[tuple[str, Totals], ...]
    total: Totals

    def to_dict(self) -> dict[str, Any]:
        return serialise.fields(
            self,
            omit=("case", "head", "by_rank"),
            head=head_json(self.head),
            by_rank=dict(self.by_rank),
        )


def claims_report(
    ledger: Ledger,
    case: str,
    as_of: date,
    known_at: KnownAt = None,
    prepared_on: date | None = None,
) -> ClaimsReport:
    """The état des créances of `case` as of `as_of`, as known at `known_at`."""
    view = ledger.balances(case, as_of, known_at)
    index = ledger.index(case, known_at)
    opening = index.opening(view.position)
    return ClaimsReport(
        case=case,
        debtor=opening.debtor if opening else "",
        court=opening.court if opening else "",
        as_of=as_of,
        prepared_on=prepared_on or utc_now().date(),
        position=view.position,
        head=head_of(ledger, case, known_at),
        claims=tuple(sorted(view.claims, key=lambda b: b.claim)),
        by_rank=tuple(sorted(view.by_rank().items())),
        total=view.total,
    )
