"""Running every rule on a case, and on a plan proposal before it is recorded."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import attrs

from plandebt.compliance.context import CheckContext
from plandebt.compliance.findings import Finding, Severity
from plandebt.compliance.rules import RULES, plan_rule_findings
from plandebt.decisions.case import check_farming
from plandebt.events import CaseOpened, PlanAdopted
from plandebt.projections import serialise
from plandebt.projections.index import CaseIndex, KnownAt
from plandebt.ruleset import Rule, Ruleset, ruleset_for
from plandebt.ruleset.rule import value_text


@attrs.frozen
class Report:
    case: str
    as_of: date
    known_at: KnownAt
    ruleset_version: str
    overridden: tuple[Rule, ...]
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    def by_severity(self) -> dict[str, list[Finding]]:
        out: dict[str, list[Finding]] = {s.value: [] for s in Severity}
        for f in self.findings:
            out[f.severity.value].append(f)
        return out

    def to_dict(self) -> dict[str, Any]:
        return serialise.fields(
            self,
            omit=("ruleset_version", "overridden"),
            ruleset=self.ruleset_version,
            overridden=overridden_json(self.overridden),
            errors=len(self.errors),
        )


def overridden_json(rules: Iterable[Rule]) -> list[dict[str, Any]]:
    """The overridden values of a ruleset, as check and check_plan list them."""
    return [
        {
            "key": r.key,
            "value": r.value_text(),
            "default": None if r.default is None else value_text(r.default),
            "source": r.source,
            "article": r.article,
        }
        for r in rules
    ]


def check(
    index: CaseIndex,
    as_of: date,
    known_at: KnownAt = None,
    ruleset: Ruleset | None = None,
) -> Report:
    """Every rule, on the case as of `as_of`, as known at `known_at`. The ruleset is
    the one in force for the opening date unless one is given."""
    position = index.position(known_at)
    opening = index.opening(position)
    if opening is None:
        findings: list[Finding] = []
        rules = ruleset or ruleset_for(as_of)
    else:
        rules = ruleset or ruleset_for(opening.effective_on)
        ctx = CheckContext(index, as_of, position, rules)
        findings = [f for r in RULES for f in r.check(ctx)]
    findings.sort(
        key=lambda f: (f.severity.order, f.rule, f.claim or "", f.instalment or "")
    )
    return Report(
        index.case,
        as_of,
        known_at,
        rules.version,
        tuple(rules.overridden()),
        tuple(findings),
    )


def check_plan_proposal(
    proposal: Mapping[str, Any],
    *,
    opened_on: date,
    procedure: str = "redressement_judiciaire",
    farming_natural_person: bool | None = None,
    farming_business: bool | None = None,
    agricultural: bool | None = None,
    ruleset: Ruleset | None = None,
) -> list[Finding]:
    """The rules on a plan's terms (duration, imposed delays: first payment, minimum
    annuities, length, sum), run on a draft before it is recorded. `proposal` has the
    fields of a plan.adopted journal line (adopted_on or effective_on, duration_years,
    supervisor, options, uniform_option...). The farming facts are case.opened's
    (`agricultural`, the older single flag, reads as a farming natural person)."""
    fields = dict(proposal)
    fields.pop("kind", None)
    if "adopted_on" in fields:
        fields["effective_on"] = fields.pop("adopted_on")
    fields.setdefault("supervisor", "(proposal)")
    fields.setdefault("case", "(proposal)")
    fields.setdefault("id", "proposal")
    plan = PlanAdopted.build(**fields)
    opening = CaseOpened.build(
        case=plan.case,
        id="opening",
        effective_on=opened_on,
        procedure=procedure,
        court="(proposal)",
        debtor="(proposal)",
        farming_natural_person=farming_natural_person,
        farming_business=farming_business,
        agricultural=agricultural,
    )
    check_farming(opening)  # as the ledger would refuse it
    rules = ruleset or ruleset_for(opened_on)
    findings = plan_rule_findings(plan, (), opening, rules)
    return sorted(
        findings, key=lambda f: (f.severity.order, f.rule, f.instalment or "")
    )


def rules_markdown() -> str:
    """The rule catalogue (docs/rules.md), generated from the rules' own lines."""
    from plandebt.ruleset import POST_REFORM, PRE_REFORM, ruleset_version

    versions = {v: ruleset_version(v) for v in (PRE_REFORM, POST_REFORM)}
    lines = [
        "# Compliance rules",
        "",
        "Generated from `src/plandebt/compliance/rules.py` and `plan_law.py` by",
        "`plandebt rules`; a test",
        "fails when this file is stale. Each finding carries the rule id, the article,",
        "a severity, a message (in English and in French), what it concerns and the ids",
        "of the facts behind it.",
        "Confidence is the weakest of the rule's own tag (its legal basis) and the tags",
        "of the ruleset values it reads (T: article read; S: secondary source; U:",
        "unverified; pre-2021 / 2021 where the versions differ) — see docs/ruleset.md.",
        "",
        "| rule | article | what it checks | parameters (pre-2021 / 2021 ruleset) | "
        "confidence |",
        "|---|---|---|---|---|",
    ]
    for r in RULES:
        params = []
        for key in r.parameters:
            values = [
                rules.rule(key).value_text() if key in rules else "—"
                for rules in versions.values()
            ]
            shown = values[0] if values[0] == values[1] else " / ".join(values)
            params.append(f"`{key}` = {shown}")
        tags = [r.confidence_in(rules) for rules in versions.values()]
        confidence = tags[0] if tags[0] == tags[1] else " / ".join(tags)
        lines.append(
            f"| `{r.id}` | {r.article} | {r.summary} | "
            f"{'; '.join(params) or '—'} | {confidence} |"
        )
    lines += [
        "",
        "Run them: `plandebt check --as-of DATE [--known-at …] [--ruleset FILE] "
        "[--json]` (exit 1 when there is an error), `Ledger.check(case, as_of, "
        "known_at)` in Python, and `plandebt check-plan PROPOSAL.json` on a draft plan.",
        "",
    ]
    return "\n".join(lines)
