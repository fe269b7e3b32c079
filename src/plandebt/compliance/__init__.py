"""Compliance checks: where a plan or its execution breaks the law, with the article.

`check(index, as_of, known_at)` runs every rule of `RULES` on a case; rules are small
functions over the views at that (as_of, known_at), like Beancount's validations."""

# Rule modules register into RULES as they are imported.
from plandebt.compliance import execution as _execution  # noqa: F401
from plandebt.compliance import plan_law as _plan_law  # noqa: F401
from plandebt.compliance.findings import Finding, Severity, ValueUsed
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
