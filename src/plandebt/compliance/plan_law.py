"""The plan's law at its edges: the consultation of creditors (L626-5), delays
accepted beyond the legal maximum (L626-12), a modification's end and the remissions
it cannot impose (L626-26), a cessation des paiements during the plan (L626-27), its
completion (L626-28), and two integrity checks on the money the plan moves (library
policies, not articles).

The rules register into the same catalogue as `compliance.rules` (`RULES`), with the
same `@rule` line; `plandebt.compliance` imports this module so that every check
and `plandebt rules` see them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from plandebt import english, french
from plandebt.calendar import anniversary
from plandebt.compliance.context import CheckContext
from plandebt.compliance.findings import Finding, Severity
from plandebt.compliance.rules import _DEADLINE_RULES, _finding, _iso, _jour, rule
from plandebt.events import (
    ConsultationAnswered,
    InstalmentRemitted,
    PaymentBasis,
    PaymentMade,
    PaymentsCeased,
    PlanAdopted,
    PlanCompleted,
    PlanOption,
    PlanResolved,
)
from plandebt.money import Money
from plandebt.projections.consultation import Consultation, Standing, consultation
from plandebt.projections.plan import option_due_dates
from plandebt.schedules import FirstDue, reschedule

_MAX_YEARS = ("plan_max_years", "plan_max_years_agricultural_natural_person")


def _plan_max_years(ctx: CheckContext) -> int:
    """The longest a plan may last (L626-12): 10 years, 15 for a farming natural
    person."""
    if ctx.opening.is_farming_natural_person:
        return ctx.rules.years("plan_max_years_agricultural_natural_person")
    return ctx.rules.years("plan_max_years")


def _last_due(
    percents: Sequence[Decimal], start: date, first_due: FirstDue
) -> date | None:
    """When the last instalment that repays anything falls, for a schedule of
    `percents` a year from `start` (as `schedules.percent_schedule` dates them)."""
    paying = [k for k, p in enumerate(percents, start=1) if p > 0]
    if not paying:
        return None
    offset = 0 if first_due is FirstDue.FIRST_ANNIVERSARY else -1
    return anniversary(start, paying[-1] + offset)


def _option_last_due(adopted: PlanAdopted, option: PlanOption) -> date | None:
    """When an option's last instalment that repays anything falls, at the option's
    own first due date and frequency."""
    years = option_due_dates(adopted, option)
    paying = [k for k, p in enumerate(option.percents) if p > 0]
    return years[paying[-1]][-1] if paying else None


# --- the consultation (L626-5) ----------------------------------------------------------


def _answers(ctx: CheckContext) -> dict[str, ConsultationAnswered]:
    """Each creditor's answer, the latest recorded (as the plan's schedule reads it)."""
    return {f.creditor: f for f in ctx.facts_of(ConsultationAnswered)}


def _consultations(ctx: CheckContext) -> list[Consultation]:
    """Where each creditor the plan's options concern stood at the adoption, and each
    creditor that answered, in creditor order."""
    schedule = ctx.schedule
    if schedule is None:
        return []
    answers = _answers(ctx)
    # A claim declared after the adoption (a late claim) could not be consulted on
    # the draft: its creditor is no "not consulted" finding, only the uniform delays.
    adopted_on = schedule.adopted.effective_on
    concerned = {
        c.creditor
        for c in schedule.claims
        if c.treatment == "option" and c.declared_on <= adopted_on
    }
    return [
        consultation(creditor, answers.get(creditor), schedule.adopted, ctx.rules)
        for creditor in sorted(concerned | set(answers))
    ]


def _standing(ctx: CheckContext, standing: Standing) -> list[Consultation]:
    return [c for c in _consultations(ctx) if c.standing is standing]


def _uniform(ctx: CheckContext) -> str:
    adopted = ctx.adopted
    assert adopted is not None
    return f"the uniform delays ('{adopted.uniform_option}') without remission"


def _uniform_fr(ctx: CheckContext) -> str:
    adopted = ctx.adopted
    assert adopted is not None
    return f"les délais uniformes (« {adopted.uniform_option} ») sans remise"


@rule(
    "L626-5.creditor-not-consulted",
    "C. com. L626-5, L626-18 al. 1",
    "A creditor whose claims the plan's options concern has no consultation recorded "
    "(no answer, no receipt of the mandataire's letter): it is not silent and "
    "accepted nothing, so the plan gives it the court's uniform delays, without any "
    "remission (a court cannot impose one).",
    confidence="T",  # L626-5 read on doctrine.fr (1 Oct 2021 version)
)
def creditor_not_consulted(ctx: CheckContext) -> list[Finding]:
    adopted = ctx.adopted
    if adopted is None:
        return []
    return [
        _finding(
            ctx,
            "L626-5.creditor-not-consulted",
            Severity.WARNING,
            f"{c.creditor} has no consultation recorded before the plan adopted on "
            f"{_iso(adopted.effective_on)}: not consulted, it is not silent and "
            f"accepted nothing; the plan gives it {_uniform(ctx)} (L626-5, L626-18). "
            "Record its answer, or its silence with the letter's receipt "
            "(plan.consultation_answered).",
            (adopted.id,),
            fr=f"{c.creditor} n'a aucune consultation enregistrée avant le plan arrêté "
            f"le {_jour(adopted.effective_on)} : non consulté, il n'est pas réputé "
            f"silencieux et n'a rien accepté ; le plan lui applique {_uniform_fr(ctx)} "
            "(L626-5, L626-18). Enregistrez sa réponse, ou son silence avec la date de "
            "réception de la lettre (plan.consultation_answered).",
            creditor=c.creditor,
        )
        for c in _standing(ctx, Standing.NOT_CONSULTED)
    ]


@rule(
    "L626-5.silence-before-30-days",
    "C. com. L626-5",
    "A creditor stayed silent, but the plan was adopted before 30 days had passed "
    "since it received the consultation (to the next working day, CPC art. 642): its "
    "silence was not yet an acceptance, so it gets the uniform delays, without "
    "remission.",
    ("creditor_consultation_silence_days", *_DEADLINE_RULES),
)
def silence_before_30_days(ctx: CheckContext) -> list[Finding]:
    adopted = ctx.adopted
    days = ctx.rules.days("creditor_consultation_silence_days")
    out = []
    for c in _standing(ctx, Standing.SILENT_IN_TIME):
        assert adopted is not None and c.answer is not None
        assert c.answer.received_on is not None and c.answer_until is not None
        out.append(
            _finding(
                ctx,
                "L626-5.silence-before-30-days",
                Severity.WARNING,
                f"{c.creditor} received the consultation on "
                f"{_iso(c.answer.received_on)} and could answer until "
                f"{_iso(c.answer_until)} ({english.plural(days, 'day')}); the plan adopted on "
                f"{_iso(adopted.effective_on)} came first, so its silence is no "
                f"acceptance: it gets {_uniform(ctx)} (L626-5).",
                (c.answer.id, adopted.id),
                fr=f"{c.creditor} a reçu la consultation le "
                f"{_jour(c.answer.received_on)} et pouvait répondre jusqu'au "
                f"{_jour(c.answer_until)} ({french.plural(days, 'jour')}"
                ") ; le plan arrêté le "
                f"{_jour(adopted.effective_on)} est intervenu avant : son silence ne vaut "
                f"pas acceptation, il reçoit {_uniform_fr(ctx)} (L626-5).",
                creditor=c.creditor,
            )
        )
    return out


@rule(
    "L626-5.silence-without-receipt",
    "C. com. L626-5",
    "A creditor's silence is recorded without the date it received the consultation "
    "letter: the 30 days it must run from cannot be counted, so the silence is no "
    "acceptance and the creditor gets the uniform delays, without remission.",
    ("creditor_consultation_silence_days",),
)
def silence_without_receipt(ctx: CheckContext) -> list[Finding]:
    days = ctx.rules.days("creditor_consultation_silence_days")
    out = []
    for c in _standing(ctx, Standing.SILENT_UNDATED):
        assert c.answer is not None
        out.append(
            _finding(
                ctx,
                "L626-5.silence-without-receipt",
                Severity.WARNING,
                f"{c.creditor}'s silence is recorded without the date it received the "
                f"consultation letter: silence is an acceptance only "
                f"{english.plural(days, 'day')} after "
                f"the receipt, so it gets {_uniform(ctx)} (L626-5). Correct the answer "
                "with its received_on.",
                (c.answer.id,),
                fr=f"Le silence de {c.creditor} est enregistré sans la date de réception "
                "de la lettre de consultation : le silence ne vaut acceptation que "
                f"{french.plural(days, 'jour')}"
                f" après la réception ; il reçoit donc {_uniform_fr(ctx)} "
                "(L626-5). Rectifiez la réponse avec sa date de réception (received_on).",
                creditor=c.creditor,
            )
        )
    return out


@rule(
    "L626-5.silence-on-conversion",
    "C. com. L626-5",
    "A creditor stayed silent on a default option that converts claims into shares "
    "or securities giving access to the capital: silence on a conversion is a "
    "refusal, so the creditor gets the uniform delays (an info: the plan applies "
    "them).",
    confidence="T",  # L626-5 read on doctrine.fr (1 Oct 2021 version)
)
def silence_on_conversion(ctx: CheckContext) -> list[Finding]:
    adopted = ctx.adopted
    out = []
    for c in _standing(ctx, Standing.SILENT_REFUSAL):
        assert adopted is not None and c.answer is not None
        default = adopted.default_option or adopted.uniform_option
        out.append(
            _finding(
                ctx,
                "L626-5.silence-on-conversion",
                Severity.INFO,
                f"{c.creditor} stayed silent on the default option '{default}', which "
                "converts claims into securities: silence on a conversion is a "
                f"refusal, so it gets {_uniform(ctx)} (L626-5).",
                (c.answer.id, adopted.id),
                fr=f"{c.creditor} a gardé le silence sur l'option par défaut "
                f"« {default} », qui convertit des créances en titres : le silence sur "
                f"une conversion vaut refus, il reçoit donc {_uniform_fr(ctx)} (L626-5).",
                creditor=c.creditor,
            )
        )
    return out


# --- the plan's length (L626-12, L626-26) --------------------------------------------------


@rule(
    "L626-12.agreed-delays-beyond-maximum",
    "C. com. L626-12, L626-18 al. 1",
    "A creditor's accepted delays run beyond the plan's legal maximum (10 years from "
    "the adoption, 15 for a farming natural person): an option it accepted (or "
    "accepted by its silence), or a schedule of its own such as an intercompany "
    "rescheduling. Whether accepting creditors may agree to it is debated (a minority "
    "view says yes): a warning, off when the ruleset allows it.",
    (*_MAX_YEARS, "accepted_delays_may_exceed_plan_max"),
)
def agreed_delays_beyond_maximum(ctx: CheckContext) -> list[Finding]:
    schedule = ctx.schedule
    if schedule is None or ctx.rules.flag("accepted_delays_may_exceed_plan_max"):
        return []
    adopted = schedule.adopted
    max_years = _plan_max_years(ctx)
    end = anniversary(adopted.effective_on, max_years)
    agreed = {c.creditor for c in _consultations(ctx) if c.agreed}
    options = {o.option: o for o in adopted.options}
    out = []
    for c in schedule.claims:
        if c.treatment == "agreement":
            paying = [i.due_on for i in c.instalments if i.amount.is_positive]
            last = max(paying) if paying else None
            what = f"Claim {c.claim}'s own agreed schedule"
            what_fr = f"L'échéancier convenu propre à la créance {c.claim}"
        elif c.treatment == "option" and c.option and c.creditor in agreed:
            # The option as offered: a modification's reach is L626-26's.
            last = _option_last_due(adopted, options[c.option])
            what = (
                f"Option '{c.option}', which {c.creditor} accepted for claim {c.claim},"
            )
            what_fr = (
                f"L'option « {c.option} », acceptée par {c.creditor} pour la créance "
                f"{c.claim},"
            )
        else:
            continue
        if last is not None and last > end:
            out.append(
                _finding(
                    ctx,
                    "L626-12.agreed-delays-beyond-maximum",
                    Severity.WARNING,
                    f"{what} runs until {_iso(last)}, beyond the "
                    f"{english.plural(max_years, 'year')} the law gives a plan (until "
                    f"{_iso(end)}, L626-12): whether a creditor may accept longer delays is "
                    "debated.",
                    (adopted.id,),
                    fr=f"{what_fr} court jusqu'au {_jour(last)}, au-delà des {max_years} "
                    f"ans que la loi donne à un plan (jusqu'au {_jour(end)}, L626-12) : "
                    "la faculté pour un créancier d'accepter des délais plus longs est "
                    "débattue.",
                    creditor=c.creditor,
                    claim=c.claim,
                )
            )
    return out


@rule(
    "L626-26.modified-beyond-maximum",
    "C. com. L626-26, L626-12",
    "A modification of the plan spreads what remains beyond the legal maximum "
    "counted from the original adoption (10 years, 15 for a farming natural person): "
    "a modification cannot extend the plan past it.",
    _MAX_YEARS,
    confidence="S",  # maxenceperrinavocatdijon.fr (law primer §5)
)
def modified_beyond_maximum(ctx: CheckContext) -> list[Finding]:
    schedule = ctx.schedule
    if schedule is None:
        return []
    adopted = schedule.adopted
    max_years = _plan_max_years(ctx)
    end = anniversary(adopted.effective_on, max_years)
    out = []
    for m in schedule.modifications:
        last = _last_due(m.percents, m.effective_on, m.first_due)
        if last is not None and last > end:
            out.append(
                _finding(
                    ctx,
                    "L626-26.modified-beyond-maximum",
                    Severity.ERROR,
                    f"The modification of {_iso(m.effective_on)} spreads what remains "
                    f"until {_iso(last)}, beyond the "
                    f"{english.plural(max_years, 'year')} the law allows "
                    f"counted from the original adoption of {_iso(adopted.effective_on)} "
                    f"(until {_iso(end)}; L626-26, L626-12).",
                    (m.id, adopted.id),
                    fr=f"La modification du {_jour(m.effective_on)} étale le solde "
                    f"jusqu'au {_jour(last)}, au-delà des {french.plural(max_years, 'an')}"
                    " que permet la "
                    "loi, comptés depuis l'arrêté initial du plan du "
                    f"{_jour(adopted.effective_on)} (jusqu'au {_jour(end)} ; L626-26, "
                    "L626-12).",
                    instalment=_iso(last),
                )
            )
    return out


@rule(
    "L626-26.remission-without-acceptance",
    "C. com. L626-26, L626-18 al. 1",
    "A modification of the plan repays less than what remains (percentages adding up "
    "to less than 100) to a creditor that did not expressly accept it: silence on a "
    "modification accepts new delays, not a remission, so the remission is not "
    "imposed and what it leaves stays owed, with the claim's last instalment.",
    confidence="T",  # L626-26 read on french-business-law.com (law primer §5)
)
def remission_without_acceptance(ctx: CheckContext) -> list[Finding]:
    schedule = ctx.schedule
    if schedule is None:
        return []
    out = []
    for m in schedule.modifications:
        repaid = sum(m.percents, Decimal(0))
        if repaid >= 100:
            continue
        for c in schedule.claims:
            if c.treatment != "option" or c.creditor in m.accepted_by:
                continue
            # What remained at the modification: the schedule keeps it whole for a
            # creditor that did not accept (`projections.plan._modified`).
            remaining = Money._of(
                sum(
                    i.amount.cents for i in c.instalments if i.due_on >= m.effective_on
                ),
                c.base.currency,
            )
            spread = reschedule(remaining, m.percents, m.effective_on, m.first_due)
            remitted = remaining - Money._of(
                sum(i.amount.cents for i in spread), remaining.currency
            )
            if not remitted.is_positive:
                continue
            out.append(
                _finding(
                    ctx,
                    "L626-26.remission-without-acceptance",
                    Severity.WARNING,
                    f"The modification of {_iso(m.effective_on)} repays {repaid} % of "
                    f"what remained of claim {c.claim} ({remaining.french()}): it would "
                    f"remit {remitted.french()}, which {c.creditor} did not expressly "
                    "accept (silence accepts new delays, not a remission; L626-26, "
                    f"L626-18 al. 1). The remission is not imposed: the "
                    f"{remitted.french()} stay owed, with the claim's last instalment. "
                    "If the creditor accepted, correct the modification's accepted_by.",
                    (m.id, schedule.adopted.id),
                    fr=f"La modification du {_jour(m.effective_on)} rembourse "
                    f"{french.percent(repaid)} de ce qui restait dû sur la créance "
                    f"{c.claim} ({remaining.french()}) : elle remettrait "
                    f"{remitted.french()}, que {c.creditor} n'a pas expressément "
                    "acceptés (le silence vaut acceptation des nouveaux délais, non "
                    "d'une remise ; L626-26, L626-18 al. 1). La remise n'est pas "
                    f"imposée : les {remitted.french()} restent dus, avec la dernière "
                    "échéance de la créance. Si le créancier a accepté, rectifier le "
                    "champ accepted_by de la modification.",
                    creditor=c.creditor,
                    claim=c.claim,
                )
            )
    return out


# --- the plan's end (L626-27, L626-28) -------------------------------------------------------


@rule(
    "L626-27.cessation-not-resolved",
    "C. com. L626-27 I al. 3",
    "A cessation des paiements is recorded during the plan and no resolution of the "
    "plan follows it: the court must then resolve the plan (and open a redressement "
    "or a liquidation).",
    confidence="T",  # L626-27 read on doctrine.fr (2019 version)
)
def cessation_not_resolved(ctx: CheckContext) -> list[Finding]:
    resolved = [f.effective_on for f in ctx.facts_of(PlanResolved)]
    return [
        _finding(
            ctx,
            "L626-27.cessation-not-resolved",
            Severity.ERROR,
            f"Cessation des paiements was found on {_iso(f.effective_on)}, during the "
            f"plan, and no resolution is recorded by {_iso(ctx.as_of)}: the court must "
            "resolve the plan and open a redressement or, if recovery is manifestly "
            "impossible, a liquidation (L626-27 I al. 3).",
            (f.id,),
            fr=f"La cessation des paiements a été constatée le {_jour(f.effective_on)}, "
            "en cours d'exécution du plan, et aucune résolution n'est enregistrée au "
            f"{_jour(ctx.as_of)} : le tribunal doit prononcer la résolution du plan et "
            "ouvrir un redressement judiciaire ou, si le redressement est manifestement "
            "impossible, une liquidation judiciaire (L626-27 I al. 3).",
        )
        for f in ctx.facts_of(PaymentsCeased)
        if not any(on >= f.effective_on for on in resolved)
    ]


@rule(
    "L626-28.completed-with-unpaid-instalments",
    "C. com. L626-28",
    "The court records that the plan was carried out (constat d'achèvement) while the "
    "debtor had not remitted all its instalments by then: the plan's commitments "
    "were not all met.",
    confidence="S",  # pernaud.fr quoting L626-28 and R626-50
)
def completed_with_unpaid(ctx: CheckContext) -> list[Finding]:
    schedule = ctx.schedule
    if schedule is None:
        return []
    out = []
    for f in ctx.facts_of(PlanCompleted):
        on = f.effective_on
        remitted = sum(
            r.amount.cents
            for r in ctx.facts_of(InstalmentRemitted)
            if r.effective_on <= on
        )
        due = sum(a.cents for d, a in schedule.by_date() if d <= on)
        total = schedule.total.cents
        if remitted >= total:
            continue
        unpaid_due = max(0, due - remitted)
        parts, parts_fr = [], []
        if unpaid_due:
            parts.append(f"{Money(unpaid_due).french()} of the instalments due by then")
            parts_fr.append(
                f"{Money(unpaid_due).french()} des échéances échues à cette date"
            )
        if total - max(due, remitted):
            parts.append(
                f"{Money(total - max(due, remitted)).french()} of instalments not yet due"
            )
            parts_fr.append(
                f"{Money(total - max(due, remitted)).french()} d'échéances non encore "
                "échues"
            )
        out.append(
            _finding(
                ctx,
                "L626-28.completed-with-unpaid-instalments",
                Severity.ERROR,
                f"The plan was recorded as carried out on {_iso(on)} while the debtor "
                f"had remitted {Money(remitted).french()} of the "
                f"{schedule.total.french()} it schedules: {' and '.join(parts)} "
                "remained unpaid (L626-28).",
                (f.id, schedule.adopted.id),
                fr=f"L'exécution du plan a été constatée le {_jour(on)} alors que le "
                f"débiteur n'avait versé que {Money(remitted).french()} des "
                f"{schedule.total.french()} qu'il prévoit : {' et '.join(parts_fr)} "
                "restaient impayés (L626-28).",
            )
        )
    return out


# --- integrity of the money (library policies) -----------------------------------------------

_INTEGRITY = "integrity check (library policy, not an article)"


@rule(
    "integrity.paid-beyond-claim",
    _INTEGRITY,
    "A claim received more than it is worth (admitted, or declared while undecided, "
    "less what was remitted or waived): money paid to a creditor beyond its claim. A "
    "library policy: no article says it, the arithmetic does.",
    confidence="T",  # arithmetic on the recorded facts, not a reading of the law
)
def paid_beyond_claim(ctx: CheckContext) -> list[Finding]:
    return [
        _finding(
            ctx,
            "integrity.paid-beyond-claim",
            Severity.ERROR,
            f"Claim {b.claim} ({b.status}, worth {b.owed.french()}) has received "
            f"{b.paid.french()}: {(-b.outstanding).french()} more than it is owed "
            "(an integrity check, a library policy: to be returned or explained).",
            tuple(
                f.id
                for f in ctx.index.facts_about(b.claim, ctx.position)
                if isinstance(f, PaymentMade) and f.effective_on <= ctx.as_of
            ),
            fr=f"La créance {b.claim} "
            f"({french.name(french.CLAIM_STATUSES, b.status)}, d'une valeur de "
            f"{b.owed.french()}) a reçu {b.paid.french()} : "
            f"{(-b.outstanding).french()} de plus que ce qui lui est dû (contrôle "
            "d'intégrité, politique de la bibliothèque : à restituer ou à justifier).",
            creditor=b.creditor,
            claim=b.claim,
        )
        for b in ctx.balances.claims
        if b.outstanding.is_negative
    ]


@rule(
    "integrity.distributed-beyond-remitted",
    _INTEGRITY,
    "The plan supervisor distributed more plan dividends, by some date, than the "
    "debtor had remitted to it by then: money paid out that never came in. A library "
    "policy: no article says it, the arithmetic does.",
    confidence="T",  # arithmetic on the recorded facts, not a reading of the law
)
def distributed_beyond_remitted(ctx: CheckContext) -> list[Finding]:
    remitted = sorted(
        (f.effective_on, f.amount.cents) for f in ctx.facts_of(InstalmentRemitted)
    )
    dividends = sorted(
        (f.effective_on, f.amount.cents, f.id)
        for f in ctx.facts_of(PaymentMade)
        if f.basis is PaymentBasis.PLAN_DIVIDEND
    )
    # Compared at the end of each day a dividend was paid: what came in that day
    # counts, whatever the order of that day's facts.
    days: dict[date, list[tuple[int, str]]] = {}
    for on, cents, fid in dividends:
        days.setdefault(on, []).append((cents, fid))
    came_in = paid_out = k = 0
    for on, paid in days.items():
        while k < len(remitted) and remitted[k][0] <= on:
            came_in += remitted[k][1]
            k += 1
        paid_out += sum(cents for cents, _ in paid)
        if paid_out > came_in:
            return [
                _finding(
                    ctx,
                    "integrity.distributed-beyond-remitted",
                    Severity.ERROR,
                    f"By {_iso(on)} the plan supervisor had distributed "
                    f"{Money(paid_out).french()} in plan dividends, "
                    f"{Money(paid_out - came_in).french()} more than the "
                    f"{Money(came_in).french()} the debtor had remitted to it (an "
                    "integrity check, a library policy).",
                    tuple(fid for _, fid in paid),
                    fr=f"Au {_jour(on)}, le commissaire à l'exécution du plan avait "
                    f"réparti {Money(paid_out).french()} de dividendes du plan, soit "
                    f"{Money(paid_out - came_in).french()} de plus que les "
                    f"{Money(came_in).french()} que le débiteur lui avait versés "
                    "(contrôle d'intégrité, politique de la bibliothèque).",
                )
            ]
    return []
