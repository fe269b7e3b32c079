"""The JSON content of each view (what goes under its key in the envelope): the
library's `to_dict`, without what the envelope carries, with creditors' names beside
their ids. Its keys are the library's, one name per meaning (`plandebt.schemas.views`:
"remission" is debt forgiven, "remitted_to_supervisor" money paid to the plan
supervisor)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from plandebt.cli.envelope import body

if TYPE_CHECKING:  # a command imports only the views it prints
    from plandebt.compliance import Finding, Report
    from plandebt.distribution import Distribution
    from plandebt.projections.balances import Balances
    from plandebt.projections.plan import PlanSchedule, PlanStatus
    from plandebt.projections.portfolio import Portfolio
    from plandebt.ruleset import Ruleset


def balances(view: Balances) -> dict[str, Any]:
    return body(view.to_dict())


def status(view: PlanStatus, names: Mapping[str, str]) -> dict[str, Any]:
    data = body(view.to_dict())
    data["creditors"] = [
        {"creditor": c["creditor"], "creditor_name": names.get(c["creditor"], ""), **c}
        for c in data["creditors"]
    ]
    return data


def schedule(
    plan: PlanSchedule | None, claims: list[Any], names: Mapping[str, str]
) -> dict[str, Any] | None:
    if plan is None:
        return None
    data = body(plan.to_dict())
    data["claims"] = [
        {**c.to_dict(), "creditor_name": names.get(c.creditor, "")} for c in claims
    ]
    return data


def check(report: Report) -> dict[str, Any]:
    data = body(report.to_dict())
    data["findings"] = [f.to_dict() for f in report.findings]
    return data


def check_plan(findings: list[Finding], rules: Ruleset) -> dict[str, Any]:
    from plandebt.compliance.report import overridden_json

    return {
        "ruleset": rules.version,
        "overridden": overridden_json(rules.overridden()),
        "errors": sum(f.severity.value == "error" for f in findings),
        "findings": [f.to_dict() for f in findings],
    }


def portfolio(view: Portfolio, by: str) -> dict[str, Any]:
    data = body(view.to_dict(by))
    data["by"] = by
    data["statuses"] = [{"case": s.case, **status(s, {})} for s in view.statuses]
    return data


def distribution(plan: Distribution, dry_run: bool) -> dict[str, Any]:
    data = body(plan.to_dict())
    data["dry_run"] = dry_run
    return data
