"""Rules on carrying out the plan that read its status: whether the remissions the
plan's options give (L626-19) are where the balances say they are.

Registered into `rules.RULES` by `@rule`, like every other check; the package
imports this module so that the catalogue holds them.
"""

from __future__ import annotations

from plandebt.compliance.context import CheckContext
from plandebt.compliance.findings import Finding, Severity
from plandebt.compliance.rules import _finding, _iso, _jour, rule
from plandebt.events import PlanCompleted, RemissionBasis, RemissionGranted
from plandebt.money import Money
from plandebt.projections.plan import RemissionState

#: Where an option's remission stands, in French.
_STATES_FR = {
    RemissionState.CONTINGENT: "remise éventuelle",
    RemissionState.ACQUIRED: "remise acquise",
    RemissionState.LAPSED: "remise caduque",
}


@rule(
    "L626-19.option-remission-not-in-balances",
    "C. com. L626-19 al. 2, L626-28",
    "An option's remission is final only once the debtor has remitted its last "
    "instalment by its date: a `remission.granted` of basis plan_option recorded "
    "while the plan status says it is contingent or lapsed, or for more than the "
    "option remits, is a finding; and once the plan is completed, an acquired "
    "remission the balances do not show (they still count it as owed).",
    confidence="S",  # L626-19 al. 2 through uggc.com (law primer §4.3)
)
def option_remission_not_in_balances(ctx: CheckContext) -> list[Finding]:
    schedule = ctx.schedule
    if schedule is None:
        return []
    recorded: dict[str, list[RemissionGranted]] = {}
    for f in ctx.facts_of(RemissionGranted):
        if f.basis is RemissionBasis.PLAN_OPTION:
            recorded.setdefault(f.claim, []).append(f)
    completed = next(iter(ctx.facts_of(PlanCompleted)), None)
    states = {r.claim: r for r in ctx.status.remissions}
    out = []
    for c in schedule.claims:
        facts = recorded.get(c.claim, [])
        shown = sum(f.amount.cents for f in facts)
        remission = states.get(c.claim)
        state = remission.state if remission else None
        acquired = (
            remission.amount.cents
            if state is RemissionState.ACQUIRED and remission
            else 0
        )
        reason: str | None = None
        reason_fr = ""
        if shown and state is not RemissionState.ACQUIRED:
            what = state.value if state else "no remission under its option"
            reason = (
                f"the balances show {Money(shown).french()} remitted under the plan's "
                f"option, but the plan status says: {what}"
            )
            what_fr = (
                _STATES_FR[state] if state else "aucune remise au titre de son option"
            )
            reason_fr = (
                f"les soldes portent {Money(shown).french()} remis au titre de l'option "
                f"du plan, mais l'état du plan indique : {what_fr}"
            )
            if remission is not None:
                reason += f" (its last instalment falls due on {_iso(remission.term)})"
                reason_fr += f" (sa dernière échéance tombe le {_jour(remission.term)})"
        elif shown > acquired:
            reason = (
                f"the balances show {Money(shown).french()} remitted under the plan's "
                f"option, more than the {Money(acquired).french()} it remits"
            )
            reason_fr = (
                f"les soldes portent {Money(shown).french()} remis au titre de l'option "
                f"du plan, plus que les {Money(acquired).french()} qu'elle remet"
            )
        elif completed is not None and shown < acquired:
            reason = (
                f"the plan was completed on {_iso(completed.effective_on)} and the "
                f"option's remission of {Money(acquired).french()} is acquired, but "
                f"the balances show {Money(shown).french()} of it: they still count "
                f"{Money(acquired - shown).french()} as owed (record it as a "
                "remission.granted of basis plan_option)"
            )
            reason_fr = (
                f"l'exécution du plan a été constatée le "
                f"{_jour(completed.effective_on)} et la remise de l'option de "
                f"{Money(acquired).french()} est acquise, mais les soldes n'en portent "
                f"que {Money(shown).french()} : ils comptent encore "
                f"{Money(acquired - shown).french()} comme dû (enregistrez-la par un "
                "remission.granted de fondement plan_option)"
            )
        if reason is not None:
            out.append(
                _finding(
                    ctx,
                    "L626-19.option-remission-not-in-balances",
                    Severity.WARNING,
                    f"Claim {c.claim}: {reason} (L626-19 al. 2).",
                    (
                        schedule.adopted.id,
                        *(f.id for f in facts),
                        completed.id if completed else None,
                    ),
                    fr=f"Créance {c.claim} : {reason_fr} (L626-19 al. 2).",
                    creditor=c.creditor,
                    claim=c.claim,
                )
            )
    return out
