"""Compliance checks: where a plan or its execution breaks the law, with the article.

`check(index, as_of, known_at)` runs every rule of `RULES` on a case; rules are small
functions over the views at that (as_of, known_at), like Beancount's validations.

The findings' types are imported with the package; the rules (and the modules that
register them) on first use of any other name (PEP 562), so that a command or a view
that only names a finding's severity does not import every rule."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from plandebt.compliance.findings import Finding, Severity, ValueUsed

if TYPE_CHECKING:
    from plandebt.compliance.report import (
        Report,
        check,
        check_plan_proposal,
        rules_markdown,
    )
    from plandebt.compliance.rules import RULES, RuleInfo

__all__ = [
    "RULES",
    "Finding",
    "Report",
    "RuleInfo",
    "Severity",
    "ValueUsed",
    "check",
    "check_plan_proposal",
    "rules_markdown",
]

#: Where each name imported on first use lives.
_LAZY = {
    "RULES": "rules",
    "RuleInfo": "rules",
    "Report": "report",
    "check": "report",
    "check_plan_proposal": "report",
    "rules_markdown": "report",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    # Rule modules register into RULES as they are imported: all of them first.
    for registers in ("execution", "plan_law"):
        importlib.import_module(f"{__name__}.{registers}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
