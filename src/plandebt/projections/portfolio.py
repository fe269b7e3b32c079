"""A portfolio: every case of a store at one date (a mandataire's office, a
court-side compliance service). Each case answers from its own index; the portfolio
adds them up, e.g. what URSSAF or the AGS is owed across every case."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import attrs

from plandebt.money import Money
from plandebt.projections import serialise
from plandebt.projections.balances import Balances, ClaimBalance, Totals, balances
from plandebt.projections.index import CaseIndex
from plandebt.projections.plan import PlanStatus, plan_status
from plandebt.ruleset import Ruleset

#: How creditors of different cases are matched: by their id in the case (choose
#: stable ids such as "URSSAF" or "AGS"), by name, or by kind.
GROUPINGS = ("creditor", "name", "kind")


@attrs.frozen
class CreditorAcrossCases:
    key: str
    cases: tuple[str, ...]
    totals: Totals

    def to_dict(self) -> dict[str, Any]:
        return serialise.fields(self, omit=("totals",)) | self.totals.to_dict()


@attrs.frozen
class Portfolio:
    as_of: date
    known_at: datetime | None
    statuses: tuple[PlanStatus, ...]
    balances: tuple[Balances, ...]

    def by_phase(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for s in self.statuses:
            out[s.phase] = out.get(s.phase, 0) + 1
        return dict(sorted(out.items()))

    def creditors(self, by: str = "creditor") -> list[CreditorAcrossCases]:
        """What each creditor is owed across every case."""
        if by not in GROUPINGS:
            from plandebt.errors import InvalidInputError

            raise InvalidInputError("by", by, "must be one of " + ", ".join(GROUPINGS))
        groups: dict[str, list[tuple[str, ClaimBalance]]] = {}
        for view in self.balances:
            for b in view.claims:
                key = {
                    "creditor": b.creditor,
                    "name": b.creditor_name,
                    "kind": b.creditor_kind.value,
                }[by]
                groups.setdefault(key, []).append((view.case, b))
        return [
            CreditorAcrossCases(
                key,
                tuple(sorted({c for c, _b in rows})),
                Totals.of(b for _c, b in rows),
            )
            for key, rows in sorted(groups.items())
        ]

    @property
    def total(self) -> Totals:
        return Totals.of(b for view in self.balances for b in view.claims)

    @property
    def arrears(self) -> Money:
        return Money(sum(s.arrears.cents for s in self.statuses))

    def to_dict(self, by: str = "creditor") -> dict[str, Any]:
        return serialise.fields(
            self,
            omit=("balances",),
            cases=len(self.statuses),
            by_phase=self.by_phase(),
            arrears=self.arrears,
            total=self.total,
            creditors=self.creditors(by),
        )


def portfolio(
    statuses: Iterable[PlanStatus],
    views: Iterable[Balances],
    as_of: date,
    known_at: datetime | None,
) -> Portfolio:
    return Portfolio(as_of, known_at, tuple(statuses), tuple(views))


def summary(
    index: CaseIndex,
    as_of: date,
    known_at: datetime | None,
    ruleset: Ruleset | None = None,
) -> tuple[PlanStatus, Balances]:
    """One case's part of a portfolio: its plan's status and its balances, kept on
    its index for the position they were computed at (what was known at a position
    never changes), so that a portfolio asked again, or at a date asked before,
    computes only the cases that changed since. `ruleset` replaces the one the
    opening judgment's date chooses (an override file)."""
    position = index.position(known_at)
    return index.remember(
        ("portfolio", position, index.head, as_of, known_at, ruleset),
        lambda: (
            plan_status(index, as_of, known_at, ruleset),
            balances(index, as_of, known_at),
        ),
    )
