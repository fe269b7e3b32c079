"""What the checks read: the case's views at one (as_of, known_at), computed once
and shared by every check."""

from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import TypeVar

from plandebt.compliance.findings import Finding
from plandebt.events import CaseOpened, Fact, PlanAdopted
from plandebt.projections.balances import Balances, balances
from plandebt.projections.employment import EmploymentView, employment
from plandebt.projections.index import CaseIndex
from plandebt.projections.plan import (
    PlanSchedule,
    PlanStatus,
    plan_schedule,
    plan_status,
)
from plandebt.projections.support import SupportView, support
from plandebt.ruleset import Ruleset

F = TypeVar("F", bound=Fact)


class CheckContext:
    def __init__(
        self, index: CaseIndex, as_of: date, position: int, rules: Ruleset
    ) -> None:
        self.index = index
        self.as_of = as_of
        self.position = position
        self.rules = rules
        #: The findings on the plan's terms, computed once for the five rules that
        #: report them (compliance.rules._plan_terms).
        self.plan_terms: list[Finding] | None = None

    @cached_property
    def opening(self) -> CaseOpened:
        opening = self.index.opening(self.position)
        assert opening is not None
        return opening

    @cached_property
    def facts(self) -> list[Fact]:
        """Every fact as known, in its latest version, effective by as_of."""
        out = []
        for fact in self.index.history(self.position):
            current = self.index.at(fact.id, self.position)
            if (
                current is not None
                and current.kind not in ("fact.corrected", "fact.voided")
                and current.effective_on <= self.as_of
            ):
                out.append(current)
        return out

    @cached_property
    def by_kind(self) -> dict[type[Fact], list[Fact]]:
        """`facts` grouped by class, in the same order: what most rules scan."""
        out: dict[type[Fact], list[Fact]] = {}
        for fact in self.facts:
            out.setdefault(type(fact), []).append(fact)
        return out

    def facts_of(self, kind: type[F]) -> list[F]:
        """The facts of one class, as known, effective by as_of, in recording order."""
        return self.by_kind.get(kind, [])  # type: ignore[return-value]

    @cached_property
    def balances(self) -> Balances:
        return balances(self.index, self.as_of, self.position)

    @cached_property
    def schedule(self) -> PlanSchedule | None:
        return plan_schedule(self.index, self.as_of, self.position, self.rules)

    @cached_property
    def status(self) -> PlanStatus:
        return plan_status(self.index, self.as_of, self.position, self.rules)

    @cached_property
    def support(self) -> SupportView:
        return support(self.index, self.as_of, self.position)

    @cached_property
    def employment(self) -> EmploymentView:
        return employment(self.index, self.as_of, self.position, self.rules)

    @property
    def adopted(self) -> PlanAdopted | None:
        return self.schedule.adopted if self.schedule else None
