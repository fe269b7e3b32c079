"""plandebt: the books of a company under a French court-ordered repayment plan,
kept as an event-sourced ledger.

The public API is what this module exports: the ledger, money, the views it answers
with, the compliance report and the ruleset, and the errors. The facts and their
enums are in `plandebt.events`; the hypothesis strategies in `plandebt.strategies`.
Everything else is private.
"""

from __future__ import annotations

import importlib
import importlib.util
import warnings
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from plandebt.compliance import (
        RULES,
        Finding,
        Report,
        Severity,
        check_plan_proposal,
    )
    from plandebt.errors import (
        ConflictError,
        DuplicateError,
        IdempotencyConflictError,
        InvalidInputError,
        JournalError,
        PlandebtError,
        RuleTypeError,
        StorageError,
        UnknownReferenceError,
    )
    from plandebt.events import Fact, fact_kinds
    from plandebt.ledger import Ledger
    from plandebt.money import Money
    from plandebt.movements import MovementsView
    from plandebt.projections.balances import Balances, ClaimBalance, Totals
    from plandebt.projections.employment import EmploymentView, legal_severance
    from plandebt.projections.plan import (
        ClaimSchedule,
        CreditorPosition,
        PlanSchedule,
        PlanStatus,
    )
    from plandebt.projections.portfolio import CreditorAcrossCases, Portfolio
    from plandebt.projections.support import SupportView
    from plandebt.ruleset import Rule, Ruleset, ruleset_for
    from plandebt.schedules import Instalment

#: Where each public name lives: imported on first use (PEP 562), so that
#: `import plandebt` costs only what a program uses (a CLI command imports
#: the ledger, not the compliance rules it does not run).
_LAZY: dict[str, str] = {
    "RULES": "plandebt.compliance",
    "Finding": "plandebt.compliance",
    "Report": "plandebt.compliance",
    "Severity": "plandebt.compliance",
    "check_plan_proposal": "plandebt.compliance",
    "ConflictError": "plandebt.errors",
    "DuplicateError": "plandebt.errors",
    "IdempotencyConflictError": "plandebt.errors",
    "InvalidInputError": "plandebt.errors",
    "JournalError": "plandebt.errors",
    "PlandebtError": "plandebt.errors",
    "RuleTypeError": "plandebt.errors",
    "StorageError": "plandebt.errors",
    "UnknownReferenceError": "plandebt.errors",
    "Fact": "plandebt.events",
    "fact_kinds": "plandebt.events",
    "Ledger": "plandebt.ledger",
    "Money": "plandebt.money",
    "MovementsView": "plandebt.movements",
    "Balances": "plandebt.projections.balances",
    "ClaimBalance": "plandebt.projections.balances",
    "Totals": "plandebt.projections.balances",
    "EmploymentView": "plandebt.projections.employment",
    "legal_severance": "plandebt.projections.employment",
    "ClaimSchedule": "plandebt.projections.plan",
    "CreditorPosition": "plandebt.projections.plan",
    "PlanSchedule": "plandebt.projections.plan",
    "PlanStatus": "plandebt.projections.plan",
    "CreditorAcrossCases": "plandebt.projections.portfolio",
    "Portfolio": "plandebt.projections.portfolio",
    "SupportView": "plandebt.projections.support",
    "Rule": "plandebt.ruleset",
    "Ruleset": "plandebt.ruleset",
    "ruleset_for": "plandebt.ruleset",
    "Instalment": "plandebt.schedules",
}

__version__ = "0.1.0"

__all__ = [
    "RULES",
    "Balances",
    "ClaimBalance",
    "ClaimSchedule",
    "ConflictError",
    "CreditorAcrossCases",
    "CreditorPosition",
    "DuplicateError",
    "EmploymentView",
    "Fact",
    "Finding",
    "IdempotencyConflictError",
    "Instalment",
    "InvalidInputError",
    "JournalError",
    "Ledger",
    "Money",
    "MovementsView",
    "PlanSchedule",
    "PlanStatus",
    "PlandebtError",
    "Portfolio",
    "Report",
    "Rule",
    "RuleTypeError",
    "Ruleset",
    "Severity",
    "StorageError",
    "SupportView",
    "Totals",
    "UnknownReferenceError",
    "__version__",
    "check_plan_proposal",
    "fact_kinds",
    "legal_severance",
    "ruleset_for",
]

#: Names this module exported before 0.2, and where they live now.
_MOVED = {
    "DepartureStatus": "plandebt.projections.employment",
    "TrancheStatus": "plandebt.projections.support",
    "WaiverStatus": "plandebt.projections.support",
    "FirstDue": "plandebt.schedules",
}


def __getattr__(name: str) -> Any:
    home = _LAZY.get(name)
    if home is not None:
        value = getattr(importlib.import_module(home), name)
        globals()[name] = value  # found at once next time
        return value
    if name.startswith("_") or importlib.util.find_spec(f"{__name__}.{name}"):
        # A submodule (`from plandebt import storage`): the import system loads it.
        raise AttributeError(f"module 'plandebt' has no attribute {name!r}")
    # The facts and enums moved to plandebt.events; an old import keeps working,
    # with a warning naming the new place.
    events = importlib.import_module("plandebt.events")

    module = _MOVED.get(name, "plandebt.events")
    if name in _MOVED or name in events.__all__:
        warnings.warn(
            f"import {name} from {module}, not from plandebt",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module(module), name)
    raise AttributeError(f"module 'plandebt' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
