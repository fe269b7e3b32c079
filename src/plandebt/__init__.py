"""plandebt: the books of a company under a French court-ordered repayment plan,
kept as an event-sourced ledger.

The public API is what this module exports: the ledger, money, the views it answers
with, the compliance report and the ruleset, and the errors. The facts and their
enums are in `plandebt.events`; the hypothesis strategies in `plandebt.strategies`.
Everything else is private.
"""

from __future__ import annotations

import warnings
from typing import Any

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
    # The facts and enums moved to plandebt.events; an old import keeps working,
    # with a warning naming the new place.
    import importlib

    from plandebt import events

    module = _MOVED.get(name, "plandebt.events")
    if name in _MOVED or name in events.__all__:
        warnings.warn(
            f"import {name} from {module}, not from plandebt",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module(module), name)
    raise AttributeError(f"module 'plandebt' has no attribute {name!r}")
