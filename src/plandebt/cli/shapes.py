"""The JSON content of each view (what goes under its key in the envelope): the
library's `to_dict`, without what the envelope carries, with one name per meaning
(`plandebt.schemas.views`: "remission" is debt forgiven, "remitted_to_supervisor"
money paid to the plan supervisor) and creditors' names beside their ids."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from plandebt.cli.envelope import body
from plandebt.schemas.views import JSON_KEYS

if TYPE_CHECKING:  # a command imports only the views it prints
    from plandebt.compliance import Finding, Report
    from plandebt.distribution import Distribution
    from plandebt.projections.balances import Balances
    from plandebt.projections.plan import PlanSchedule, PlanStatus
    from plandebt.projections.portfolio import Portfolio

#: What money paid to the supervisor is called in the JSON.
TO_SUPERVISOR = {"remitted": "remitted_to_supervisor"}


def _amounts(row: Mapping[str, Any]) -> dict[str, Any]:
    return {JSON_KEYS.get(k, k): v for k, v in row.items()}


def _groups(groups: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    return {k: _amounts(v) for k, v in groups.items()}


def balances(view: Balances) -> dict[str, Any]:
    data = body(view.to_dict())
    data["claims"] = [_amounts(c) for c in data["claims"]]
    for key in ("by_creditor", "by_rank", "by_freeze"):
        data[key] = _groups(data[key])
    data["total"] = _amounts(data["total"])
    return data


def status(view: PlanStatus, names: Mapping[str, str]) -> dict[str, Any]:
    data = body(view.to_dict(), TO_SUPERVISOR)
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


def check_plan(findings: list[Finding]) -> dict[str, Any]:
    return {
        "errors": sum(f.severity.value == "error" for f in findings),
        "findings": [f.to_dict() for f in findings],
    }


def portfolio(view: Portfolio, by: str) -> dict[str, Any]:
    data = body(view.to_dict(by))
    data["by"] = by
    data["statuses"] = [{"case": s.case, **status(s, {})} for s in view.statuses]
    data["total"] = _amounts(data["total"])
    data["creditors"] = [_amounts(c) for c in data["creditors"]]
    return data


def distribution(plan: Distribution, dry_run: bool) -> dict[str, Any]:
    data = body(plan.to_dict(), TO_SUPERVISOR)
    data["dry_run"] = dry_run
    return data
