"""The compliance rules: small pure functions over the views of a case at one
(as_of, known_at), each returning findings with the article, in the shape of
Beancount's validation list. A new rule is one function with its `@rule` line; the
catalogue in docs/rules.md is generated from these lines (`plandebt rules`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Protocol

import attrs

from plandebt import english, french
from plandebt.calendar import (
    add_months,
    anniversary,
    days_late,
)
from plandebt.compliance.context import CheckContext
from plandebt.compliance.findings import Finding, Severity, ValueUsed
from plandebt.events import (
    AgsAdvanced,
    CaseConverted,
    CaseOpened,
    ClaimDeclared,
    ClaimForeclosed,
    ClaimRelieved,
    ClaimWrittenOff,
    DepartureKind,
    EmployeeDeparted,
    InstalmentRemitted,
    InterestAccrued,
    InterestBasis,
    InterestRegime,
    PaymentBasis,
    PaymentMade,
    PlanAdopted,
    PlanModified,
    ProcedureKind,
    ReliefRequested,
    WriteOffClause,
)
from plandebt.lifecycle import BARRED, WAGE_RANKS, ClaimStatus, relief, useful
from plandebt.money import Money, round_half_away
from plandebt.projections.balances import claim_balance, procedure_in_force
from plandebt.projections.consultation import deadline_end
from plandebt.projections.plan import PlanSchedule, option_due_dates
from plandebt.ruleset import Ruleset

Check = Callable[[CheckContext], list[Finding]]


@attrs.frozen
class RuleInfo:
    id: str
    article: str
    summary: str
    parameters: tuple[str, ...]
    check: Check
    #: The tag of the rule's own legal basis (the law primer's T, S or U), apart
    #: from the ruleset values it reads; None: only its values' tags count.
    confidence: str | None = None

    def confidence_in(self, rules: Ruleset | None) -> str:
        """The rule's confidence: the weakest of its own tag and of the tags its
        ruleset values have in `rules` (the values missing from a version count for
        nothing), S when nothing says."""
        levels = [self.confidence] if self.confidence else []
        if rules is not None:
            levels += [rules.rule(k).confidence for k in self.parameters if k in rules]
        return min(levels, key=_WEAKEST.index) if levels else "S"


#: Confidence tags from the weakest.
_WEAKEST = "UST"

RULES: list[RuleInfo] = []


def rule(
    rule_id: str,
    article: str,
    summary: str,
    parameters: Iterable[str] = (),
    confidence: str | None = None,
) -> Callable[[Check], Check]:
    """Registers a check. A rule that reads no ruleset value must say its own
    confidence (the tag of the article it applies): nothing else would."""
    if confidence is None and not parameters:
        raise ValueError(f"{rule_id}: a rule without parameters needs its confidence")
    if confidence is not None and confidence not in _WEAKEST:
        raise ValueError(f"{rule_id}: confidence {confidence!r} is not T, S or U")

    def register(check: Check) -> Check:
        RULES.append(
            RuleInfo(rule_id, article, summary, tuple(parameters), check, confidence)
        )
        return check

    return register


class _Confidence(Protocol):
    """What `_finding` needs of its context: a case's (`CheckContext`) or a
    proposal's (`_ProposalContext`)."""

    rules: Ruleset


def _finding(
    ctx: _Confidence,
    rule_id: str,
    severity: Severity,
    message: str,
    evidence: Iterable[str | None],
    reads: Iterable[str] = (),
    *,
    fr: str,
    **where: str | None,
) -> Finding:
    """A finding of `rule_id`, its message in English and (`fr`) in French; `reads`
    names ruleset values it rests on besides the rule's parameters (a year of a
    table), which count in its confidence."""
    info = next(r for r in RULES if r.id == rule_id)
    reads = tuple(reads)
    levels = [
        info.confidence_in(ctx.rules),
        *(ctx.rules.rule(k).confidence for k in reads),
    ]
    # A parameter missing from a version (the classes' thresholds before the
    # reform) is not one the finding rests on.
    keys = dict.fromkeys(k for k in (*info.parameters, *reads) if k in ctx.rules)
    return Finding(
        rule=rule_id,
        article=info.article,
        severity=severity,
        message=message,
        message_fr=fr,
        evidence=tuple(e for e in evidence if e),
        confidence=min(levels, key=_WEAKEST.index),
        values=tuple(ValueUsed.of(ctx.rules.rule(k)) for k in keys),
        **where,
    )


def _iso(day: date) -> str:
    return day.isoformat()


def _jour(day: date) -> str:
    """A date in a French message: 20/06/2024."""
    return french.day(day)


# --- deadlines (CPC art. 641-642) ------------------------------------------------------


@attrs.frozen
class _Deadline:
    """The last day of a deadline in months from an event (CPC art. 641 al. 2), moved
    to the next working day when it would end on a Saturday, a Sunday or a public
    holiday (CPC art. 642 al. 2)."""

    ends_on: date
    nominal: date  # before the extension
    months: int
    runs_from: str  # what starts it, for the messages
    runs_from_fr: str  # the same in French

    def text(self) -> str:
        moved = ""
        if self.ends_on != self.nominal:
            moved = (
                f", moved from {_WEEKDAYS[self.nominal.weekday()]} {_iso(self.nominal)} to "
                "the next working day (CPC art. 642)"
            )
        return (
            f"{_iso(self.ends_on)} ({english.plural(self.months, 'month')} from "
            f"{self.runs_from}{moved})"
        )

    def text_fr(self) -> str:
        moved = ""
        if self.ends_on != self.nominal:
            moved = (
                f", reporté du {french.WEEKDAYS[self.nominal.weekday()]} "
                f"{_jour(self.nominal)} au premier jour ouvrable suivant (CPC art. 642)"
            )
        return (
            f"{_jour(self.ends_on)} ({self.months} mois à compter de "
            f"{self.runs_from_fr}{moved})"
        )


_DEADLINE_RULES = ("deadline_extended_to_next_working_day", "public_holidays")
#: Not the locale's names: a report reads the same on every machine.
_WEEKDAYS = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)


def _extended(ctx: CheckContext, day: date) -> date:
    """Where a deadline that would end on `day` ends (CPC art. 642 al. 2)."""
    return deadline_end(ctx.rules, day)


def _deadline(ctx: CheckContext, start: date, months: int, runs_from: str) -> _Deadline:
    nominal = add_months(start, months)
    return _Deadline(
        _extended(ctx, nominal),
        nominal,
        months,
        f"{runs_from} of {_iso(start)}",
        f"{_STARTS_FR[runs_from]} du {_jour(start)}",
    )


#: What starts a deadline, in French (the keys are `_deadline`'s `runs_from`).
_STARTS_FR = {
    "the BODACC publication": "la publication au BODACC",
    "the personal notice received": "l'avertissement personnel reçu",
    "the date the creditor could no longer ignore its claim": "la date à laquelle "
    "le créancier ne pouvait plus ignorer sa créance",
}


# --- the opening judgment and its facts ------------------------------------------------

_IN_CESSATION = {
    ProcedureKind.REDRESSEMENT_JUDICIAIRE,
    ProcedureKind.LIQUIDATION_JUDICIAIRE,
}


def _judgments(ctx: CheckContext) -> list[CaseOpened | CaseConverted]:
    """The opening and the conversions effective by as_of, in effective order."""
    found = [
        f
        for f in ctx.index.procedure_facts(ctx.position)
        if isinstance(f, CaseOpened | CaseConverted) and f.effective_on <= ctx.as_of
    ]
    return sorted(found, key=lambda f: (f.effective_on, f.seq or 0))


@rule(
    "L620-1.sauvegarde-in-cessation",
    "C. com. L620-1",
    "A sauvegarde is opened (or a case converted into one) with a date of cessation "
    "des paiements: the procedure is for a debtor that is not in cessation des "
    "paiements, which calls for a redressement or a liquidation instead.",
    confidence="T",  # L620-1 al. 1 read on baumann-avocats.com's code
)
def sauvegarde_in_cessation(ctx: CheckContext) -> list[Finding]:
    return [
        _finding(
            ctx,
            "L620-1.sauvegarde-in-cessation",
            Severity.ERROR,
            f"The judgment of {_iso(f.effective_on)} "
            f"{'opens' if isinstance(f, CaseOpened) else 'converts the case into'} a "
            f"sauvegarde with a cessation des paiements dated {_iso(f.cessation_on)}: a "
            "sauvegarde is for a debtor that is not in cessation des paiements "
            "(L620-1); one that is falls under a redressement or a liquidation "
            "(L631-1, L640-1).",
            (f.id,),
            fr=f"Le jugement du {_jour(f.effective_on)} "
            f"{'ouvre une' if isinstance(f, CaseOpened) else 'convertit la procédure en'} "
            "sauvegarde alors que la cessation des paiements est fixée au "
            f"{_jour(f.cessation_on)} : la sauvegarde est réservée au débiteur qui n'est "
            "pas en cessation des paiements (L620-1) ; celui qui l'est relève du "
            "redressement ou de la liquidation judiciaire (L631-1, L640-1).",
        )
        for f in _judgments(ctx)
        if f.procedure is ProcedureKind.SAUVEGARDE and f.cessation_on is not None
    ]


@rule(
    "L631-8.cessation-too-early",
    "C. com. L631-8 al. 2",
    "The date of cessation des paiements fixed in a redressement or a liquidation (at "
    "the opening or a conversion) is more than 18 months before the opening judgment "
    "(the first one, when a sauvegarde was converted).",
    ("cessation_backdating_max_months",),
)
def cessation_too_early(ctx: CheckContext) -> list[Finding]:
    months = ctx.rules.months("cessation_backdating_max_months")
    earliest = add_months(ctx.opening.effective_on, -months)
    return [
        _finding(
            ctx,
            "L631-8.cessation-too-early",
            Severity.ERROR,
            f"The judgment of {_iso(f.effective_on)} fixes the cessation des paiements "
            f"on {_iso(f.cessation_on)}, "
            f"{english.plural((earliest - f.cessation_on).days, 'day')} before "
            f"the earliest date the law allows, {_iso(earliest)}: "
            f"{english.plural(months, 'month')} before "
            f"the opening judgment of {_iso(ctx.opening.effective_on)} (L631-8).",
            (f.id,),
            fr=f"Le jugement du {_jour(f.effective_on)} fixe la cessation des paiements "
            f"au {_jour(f.cessation_on)}, {french.plural((earliest - f.cessation_on).days, 'jour')}"
            " avant "
            f"la date la plus ancienne que permet la loi, le {_jour(earliest)} : {months} "
            "mois avant le jugement d'ouverture du "
            f"{_jour(ctx.opening.effective_on)} (L631-8).",
        )
        for f in _judgments(ctx)
        if f.procedure in _IN_CESSATION
        and f.cessation_on is not None
        and f.cessation_on < earliest
    ]


@rule(
    "L631-4.late-filing",
    "C. com. L631-4",
    "The debtor asked for the opening of a redressement or a liquidation more than 45 "
    "days after its cessation des paiements (to the next working day, CPC art. 642): "
    "a fault the court may sanction (L653-8). A warning: a conciliation asked for "
    "within those days excuses it, and plandebt does not record that.",
    ("filing_deadline_days", *_DEADLINE_RULES),
)
def late_filing(ctx: CheckContext) -> list[Finding]:
    opening = ctx.opening
    if (
        opening.procedure not in _IN_CESSATION
        or opening.cessation_on is None
        or opening.filed_on is None
    ):
        return []
    days = ctx.rules.days("filing_deadline_days")
    nominal = opening.cessation_on + timedelta(days=days)
    last = _extended(ctx, nominal)
    if opening.filed_on <= last:
        return []
    moved = "" if last == nominal else f", moved from {_iso(nominal)} (CPC art. 642)"
    moved_fr = (
        "" if last == nominal else f", reporté du {_jour(nominal)} (CPC art. 642)"
    )
    return [
        _finding(
            ctx,
            "L631-4.late-filing",
            Severity.WARNING,
            f"The debtor asked for the opening on {_iso(opening.filed_on)}, "
            f"{english.plural((opening.filed_on - last).days, 'day')} after the limit of "
            f"{_iso(last)} ({english.plural(days, 'day')} from the cessation des paiements of "
            f"{_iso(opening.cessation_on)}{moved}).",
            (opening.id,),
            fr=f"Le débiteur a demandé l'ouverture de la procédure le "
            f"{_jour(opening.filed_on)}, {french.plural((opening.filed_on - last).days, 'jour')}"
            " après la "
            f"limite du {_jour(last)} ({french.plural(days, 'jour')}"
            " à compter de la cessation des "
            f"paiements du {_jour(opening.cessation_on)}{moved_fr}).",
        )
    ]


# --- the freeze -------------------------------------------------------------------------

#: The lawful bases of a payment made after the opening (L622-7 I and II): on a claim
#: born before it, set-off of connected claims, an alimentary claim, the
#: juge-commissaire's authorisation, or the plan once adopted; on a post-opening claim
#: that is not a useful one, only an alimentary claim or the plan (the set-off and
#: the authorisation are for "créances antérieures").
_LAWFUL_BEFORE = {
    PaymentBasis.CONNECTED_SETOFF,
    PaymentBasis.JC_AUTHORISATION,
    PaymentBasis.ALIMENTARY,
    PaymentBasis.PLAN_DIVIDEND,
}
_LAWFUL_POST = {PaymentBasis.ALIMENTARY, PaymentBasis.PLAN_DIVIDEND}
_BASES_FR = {
    PaymentBasis.PLAN_DIVIDEND: "dividende du plan",
    PaymentBasis.CONNECTED_SETOFF: "compensation de créances connexes",
    PaymentBasis.JC_AUTHORISATION: "autorisation du juge-commissaire",
    PaymentBasis.POST_OPENING_AT_MATURITY: "créance postérieure payée à l'échéance",
    PaymentBasis.ALIMENTARY: "créance alimentaire",
}


@rule(
    "L622-7.payment-without-basis",
    "C. com. L622-7",
    "After the opening judgment, a claim is paid without a lawful basis: one that "
    "arose before it (lawful: a plan dividend once the plan is adopted, connected "
    "set-off, the juge-commissaire's authorisation, an alimentary claim), or one born "
    "during the observation period that is not a useful one of L622-17 I (lawful: a "
    "plan dividend, an alimentary claim).",
    confidence="T",  # L622-7 and L622-17 read on doctrine.fr and lexbase.fr
)
def payment_without_basis(ctx: CheckContext) -> list[Finding]:
    out = []
    opened_on = ctx.opening.effective_on
    adopted = ctx.adopted
    for fact in ctx.facts_of(PaymentMade):
        if fact.effective_on < opened_on:
            continue
        declared = ctx.index.declaration(fact.claim, ctx.position)
        if declared is None:
            continue
        frozen = declared.origin_on < opened_on
        if frozen:
            lawful = _LAWFUL_BEFORE
        elif (
            adopted is None or declared.origin_on < adopted.effective_on
        ) and not useful(declared):
            # Born during the observation period, for neither the procedure's needs
            # nor a service rendered then: under the ban too (L622-7 I al. 1).
            lawful = _LAWFUL_POST
        else:
            continue  # useful post-opening claims are paid at maturity (L622-17 I)
        reason: str | None = None
        reason_fr = ""
        if fact.basis not in lawful:
            reason = f"on the basis '{fact.basis.value}'"
            reason_fr = (
                "sans aucun fondement"
                if fact.basis is PaymentBasis.NONE
                else f"sur le fondement « {_BASES_FR[fact.basis]} »"
            )
        elif fact.basis is PaymentBasis.PLAN_DIVIDEND and (
            adopted is None or fact.effective_on < adopted.effective_on
        ):
            reason = "as a plan dividend before any plan was adopted"
            reason_fr = "à titre de dividende du plan, avant l'arrêté de tout plan"
        if reason:
            if frozen:
                what = (
                    f"which arose on {_iso(declared.origin_on)} before the opening "
                    f"judgment of {_iso(opened_on)}"
                )
                what_fr = (
                    f"née le {_jour(declared.origin_on)}, avant le jugement d'ouverture "
                    f"du {_jour(opened_on)}"
                )
            else:
                how = (
                    "declared not useful" if declared.useful is False else "by its rank"
                )
                what = (
                    f"born on {_iso(declared.origin_on)} after the opening judgment but "
                    f"not a useful claim of L622-17 I ({how}, {declared.rank.value})"
                )
                how_fr = (
                    "déclarée non utile" if declared.useful is False else "par son rang"
                )
                what_fr = (
                    f"née le {_jour(declared.origin_on)}, après le jugement d'ouverture, "
                    "mais qui n'est pas une créance utile de L622-17 I "
                    f"({how_fr}, {french.name(french.RANKS, declared.rank.value)})"
                )
            out.append(
                _finding(
                    ctx,
                    "L622-7.payment-without-basis",
                    Severity.ERROR,
                    f"Claim {fact.claim}, {what}, was paid {fact.amount.french()} on "
                    f"{_iso(fact.effective_on)} {reason}: the payment is forbidden and "
                    "may be annulled (L622-7 III).",
                    (fact.id, declared.id),
                    fr=f"La créance {fact.claim}, {what_fr}, a reçu un paiement de "
                    f"{fact.amount.french()} le {_jour(fact.effective_on)} {reason_fr} : "
                    "ce paiement est interdit et peut être annulé (L622-7 III).",
                    creditor=declared.creditor,
                    claim=fact.claim,
                )
            )
    return out


# --- claims: declaration, foreclosure, relief -------------------------------------------


def _declaration_deadline(ctx: CheckContext, claim: ClaimDeclared) -> _Deadline | None:
    """When `claim` had to be declared by; None while its deadline has not started.

    Two months from the BODACC publication (R622-24 al. 1), two more for a creditor
    outside metropolitan France (al. 2). For a holder of a published security or
    contract, from the personal notice it received (L622-24 al. 1), which must be
    recorded for the deadline to run at all; a declaration within the months counted
    from the BODACC publication is in time all the same when the notice came before
    it (Cass. com. 30 Oct 2012, n° 11-22.836)."""
    months = ctx.rules.months("declaration_deadline_months")
    creditor = ctx.index.creditor(claim.creditor, ctx.position)
    if creditor is not None and creditor.abroad:
        months += ctx.rules.months("declaration_extension_months_abroad")
    bodacc = ctx.opening.bodacc_published_on
    from_bodacc = (
        None
        if bodacc is None
        else _deadline(ctx, bodacc, months, "the BODACC publication")
    )
    if not claim.published_security:
        return from_bodacc
    if claim.notice_received_on is None:
        return None
    from_notice = _deadline(
        ctx, claim.notice_received_on, months, "the personal notice received"
    )
    if from_bodacc is not None and from_bodacc.ends_on > from_notice.ends_on:
        return from_bodacc
    return from_notice


@rule(
    "R622-24.late-declaration",
    "C. com. L622-24 al. 1, R622-24",
    "A claim is declared after the deadline: 2 months from the BODACC publication "
    "(from the personal notice for a holder of a published security or contract), 2 "
    "more for creditors abroad, to the next working day when it ends on a weekend or "
    "holiday (CPC art. 642). The claim is barred unless relieved (L622-26): a warning "
    "while it is not foreclosed (the plan still counts it), an info once it is.",
    (
        "declaration_deadline_months",
        "declaration_extension_months_abroad",
        *_DEADLINE_RULES,
    ),
    confidence="T",  # L622-24 read on doctrine.fr, R622-24 on french-business-law.com
)
def late_declaration(ctx: CheckContext) -> list[Finding]:
    rule_id = "R622-24.late-declaration"
    claims = [
        f
        for f in ctx.facts_of(ClaimDeclared)
        if f.origin_on < ctx.opening.effective_on and f.declared_by.value == "creditor"
    ]
    relieved = {f.claim for f in ctx.facts_of(ClaimRelieved)}
    out = []
    unknown_bodacc = False
    for claim in claims:
        deadline = _declaration_deadline(ctx, claim)
        if deadline is None:
            if claim.published_security:
                out.append(
                    _finding(
                        ctx,
                        rule_id,
                        Severity.INFO,
                        f"Claim {claim.claim} is held under a published security or "
                        "contract: its declaration deadline runs from the mandataire's "
                        "personal notice (L622-24 al. 1), which is not recorded, so it "
                        "cannot be checked (without a notice it has not started).",
                        (claim.id,),
                        fr=f"La créance {claim.claim} est assortie d'une sûreté ou d'un "
                        "contrat publié : son délai de déclaration court de "
                        "l'avertissement personnel du mandataire judiciaire (L622-24 "
                        "al. 1), qui n'est pas enregistré ; il ne peut donc être vérifié "
                        "(sans avertissement, il n'a pas commencé à courir).",
                        creditor=claim.creditor,
                        claim=claim.claim,
                    )
                )
            else:
                unknown_bodacc = True
            continue
        if claim.effective_on <= deadline.ends_on or claim.claim in relieved:
            continue
        then = claim_balance(ctx.index, claim.claim, ctx.as_of, ctx.position)
        barred = then is not None and ClaimStatus(then.status) in BARRED
        consequence = (
            "it is foreclosed, and out of the plan unless relieved (L622-26)."
            if barred
            else "it is barred from distributions unless relief is granted "
            "(L622-26); the plan counts it until its foreclosure is recorded."
        )
        consequence_fr = (
            "elle est forclose, et hors du plan sauf relevé de forclusion (L622-26)."
            if barred
            else "elle est exclue des répartitions sauf relevé de forclusion "
            "(L622-26) ; le plan la compte tant que sa forclusion n'est pas enregistrée."
        )
        out.append(
            _finding(
                ctx,
                rule_id,
                Severity.INFO if barred else Severity.WARNING,
                f"Claim {claim.claim} was declared on {_iso(claim.effective_on)}, "
                f"{english.plural((claim.effective_on - deadline.ends_on).days, 'day')} after the "
                f"deadline of {deadline.text()}: {consequence}",
                (claim.id, ctx.opening.id),
                fr=f"La créance {claim.claim} a été déclarée le "
                f"{_jour(claim.effective_on)}, "
                f"{french.plural((claim.effective_on - deadline.ends_on).days, 'jour')}"
                " après le délai "
                f"expirant le {deadline.text_fr()} : {consequence_fr}",
                creditor=claim.creditor,
                claim=claim.claim,
            )
        )
    if unknown_bodacc:
        out.append(
            _finding(
                ctx,
                rule_id,
                Severity.INFO,
                "The BODACC publication date of the opening judgment is not "
                "recorded: declaration deadlines cannot be checked.",
                (ctx.opening.id,),
                fr="La date de publication au BODACC du jugement d'ouverture n'est pas "
                "enregistrée : les délais de déclaration des créances ne peuvent être "
                "vérifiés.",
            )
        )
    return out


@rule(
    "L622-26.late-relief-request",
    "C. com. L622-26 al. 3",
    "Relief from foreclosure is requested more than 6 months after the BODACC "
    "publication (after the personal notice, for a holder of a published security or "
    "contract; to the next working day, CPC art. 642), unless the later-knowledge "
    "exception is recorded: the creditor "
    "could not know of its claim before those 6 months ran out, and asked within 6 "
    "months of the date it could no longer ignore it (then an info, with its "
    "justification).",
    (
        "relief_request_max_months",
        "relief_request_later_knowledge_months",
        *_DEADLINE_RULES,
    ),
    confidence="T",
)
def late_relief_request(ctx: CheckContext) -> list[Finding]:
    rule_id = "L622-26.late-relief-request"
    months = ctx.rules.months("relief_request_max_months")
    out = []
    for f in ctx.facts_of(ReliefRequested):
        declared = ctx.index.declaration(f.claim, ctx.position)
        assert declared is not None
        # Six months from the BODACC publication, or from the notice received by a
        # holder of a published security or contract (L622-26 al. 3).
        if declared.published_security:
            if declared.notice_received_on is None:
                continue  # not started: said by R622-24.late-declaration
            ordinary = _deadline(
                ctx, declared.notice_received_on, months, "the personal notice received"
            )
        elif ctx.opening.bodacc_published_on is None:
            continue
        else:
            ordinary = _deadline(
                ctx, ctx.opening.bodacc_published_on, months, "the BODACC publication"
            )
        limit = ordinary.ends_on
        evidence = (f.id, declared.id, ctx.opening.id)
        late_by = (f.effective_on - limit).days
        if f.knowledge_on is None:
            if late_by > 0:
                out.append(
                    _finding(
                        ctx,
                        rule_id,
                        Severity.ERROR,
                        f"Relief for claim {f.claim} was requested on "
                        f"{_iso(f.effective_on)}, {english.plural(late_by, 'day')} after the "
                        f"limit of "
                        f"{ordinary.text()}; only a creditor that could not know of its "
                        "claim before then may still ask, within the "
                        f"{ctx.rules.months('relief_request_later_knowledge_months')}-month"
                        " period from the date it could no longer ignore it (L622-26 al. "
                        "3): record that date and its justification.",
                        evidence,
                        fr=f"Le relevé de forclusion de la créance {f.claim} a été "
                        f"demandé le {_jour(f.effective_on)}, {french.plural(late_by, 'jour')}"
                        " après la "
                        f"limite du {ordinary.text_fr()} ; seul le créancier qui ne "
                        "pouvait connaître sa créance avant cette date peut encore le "
                        "demander, dans le délai de "
                        f"{ctx.rules.months('relief_request_later_knowledge_months')} mois"
                        " de la date à laquelle il ne pouvait "
                        "plus l'ignorer (L622-26 al. 3) : enregistrez cette date et sa "
                        "justification.",
                        claim=f.claim,
                    )
                )
            continue
        if f.knowledge_on <= ordinary.nominal:
            # The exception is for a creditor placed in the impossibility of knowing
            # of its claim "avant l'expiration du délai de six mois" (al. 3).
            if late_by > 0:
                out.append(
                    _finding(
                        ctx,
                        rule_id,
                        Severity.ERROR,
                        f"Relief for claim {f.claim} was requested on "
                        f"{_iso(f.effective_on)}, after the limit of {ordinary.text()}: "
                        "the later-knowledge exception does not apply, since the "
                        f"creditor could know of its claim from {_iso(f.knowledge_on)}, "
                        f"before the {months}-month period ran out (L622-26 al. 3).",
                        evidence,
                        fr=f"Le relevé de forclusion de la créance {f.claim} a été "
                        f"demandé le {_jour(f.effective_on)}, après la limite du "
                        f"{ordinary.text_fr()} : l'exception de connaissance tardive ne "
                        "s'applique pas, le créancier pouvant connaître sa créance dès "
                        f"le {_jour(f.knowledge_on)}, avant l'expiration du délai de "
                        f"{months} mois "
                        "(L622-26 al. 3).",
                        claim=f.claim,
                    )
                )
            continue
        later = _deadline(
            ctx,
            f.knowledge_on,
            ctx.rules.months("relief_request_later_knowledge_months"),
            "the date the creditor could no longer ignore its claim",
        )
        if f.effective_on > later.ends_on:
            out.append(
                _finding(
                    ctx,
                    rule_id,
                    Severity.ERROR,
                    f"Relief for claim {f.claim} was requested on {_iso(f.effective_on)}, "
                    f"after the limit of {later.text()} that the later-knowledge "
                    "exception gives (L622-26 al. 3).",
                    evidence,
                    fr=f"Le relevé de forclusion de la créance {f.claim} a été demandé "
                    f"le {_jour(f.effective_on)}, après la limite du {later.text_fr()} "
                    "que donne l'exception de connaissance tardive (L622-26 al. 3).",
                    claim=f.claim,
                )
            )
        elif late_by > 0:
            out.append(
                _finding(
                    ctx,
                    rule_id,
                    Severity.INFO,
                    f"Relief for claim {f.claim} was requested on {_iso(f.effective_on)}, "
                    f"after the ordinary limit of {_iso(limit)}, under the later-knowledge "
                    "exception: the creditor could not ignore its claim from "
                    f"{_iso(f.knowledge_on)}, which gives it until {_iso(later.ends_on)} "
                    f"(L622-26 al. 3). Justification: {f.justification}",
                    evidence,
                    fr=f"Le relevé de forclusion de la créance {f.claim} a été demandé "
                    f"le {_jour(f.effective_on)}, après la limite ordinaire du "
                    f"{_jour(limit)}, au titre de l'exception de connaissance tardive : "
                    "le créancier ne pouvait plus ignorer sa créance à compter du "
                    f"{_jour(f.knowledge_on)}, ce qui lui laissait jusqu'au "
                    f"{_jour(later.ends_on)} (L622-26 al. 3). Justification : "
                    f"{f.justification}",
                    claim=f.claim,
                )
            )
    for relieved in ctx.facts_of(ClaimRelieved):
        granted = relief(ctx.index.facts_about(relieved.claim, ctx.position))
        if (
            granted is not None
            and granted.relief == relieved.id
            and granted.request is None
        ):
            out.append(
                _finding(
                    ctx,
                    rule_id,
                    Severity.INFO,
                    f"Claim {relieved.claim} was relieved on "
                    f"{_iso(relieved.effective_on)} with no request recorded: the plan "
                    "counts its share from the relief's "
                    "date, the latest the request can have been, so what fell due "
                    "before it is not owed to the claim (L622-26 al. 1). Record the "
                    "request (claim.relief_requested) to count from its own date.",
                    (relieved.id,),
                    fr=f"La créance {relieved.claim} a été relevée de forclusion le "
                    f"{_jour(relieved.effective_on)} sans demande enregistrée : le plan "
                    "compte sa part à partir de la date du relevé, la plus tardive "
                    "possible pour la demande, de sorte que ce qui était échu avant "
                    "n'est pas dû à la créance (L622-26 al. 1). Enregistrez la demande "
                    "(claim.relief_requested) pour compter à partir de sa propre date.",
                    claim=relieved.claim,
                )
            )
    return out


@rule(
    "L622-26.dividend-to-foreclosed-claim",
    "C. com. L622-26 al. 1",
    "A plan dividend is paid to a claim that takes no part in distributions: "
    "foreclosed for late declaration and not relieved (a pending request for relief "
    "changes nothing) on the payment date.",
    confidence="T",  # L622-26 read on doctrine.fr and lexbase.fr (2014 and 2021 texts)
)
def dividend_to_foreclosed_claim(ctx: CheckContext) -> list[Finding]:
    out = []
    # Only a claim once foreclosed can be barred on a payment's date.
    foreclosed = {f.claim for f in ctx.facts_of(ClaimForeclosed)}
    for fact in ctx.facts_of(PaymentMade):
        if not (fact.basis is PaymentBasis.PLAN_DIVIDEND and fact.claim in foreclosed):
            continue
        then = claim_balance(ctx.index, fact.claim, fact.effective_on, ctx.position)
        if then is None or ClaimStatus(then.status) not in BARRED:
            continue
        out.append(
            _finding(
                ctx,
                "L622-26.dividend-to-foreclosed-claim",
                Severity.ERROR,
                f"Claim {fact.claim} received a plan dividend of {fact.amount.french()} "
                f"on {_iso(fact.effective_on)} while it was {then.status.replace('_', ' ')}"
                ": a foreclosed creditor is not admitted to distributions and dividends "
                "unless relieved, and then only to those after its request (L622-26 al. 1).",
                (fact.id, _foreclosure_of(ctx, fact.claim, fact.effective_on)),
                fr=f"La créance {fact.claim} a reçu un dividende du plan de "
                f"{fact.amount.french()} le {_jour(fact.effective_on)} alors qu'elle "
                f"était {french.name(french.CLAIM_STATUSES, then.status)} : un créancier "
                "forclos n'est pas admis dans les répartitions et dividendes, sauf "
                "relevé de forclusion, et alors seulement pour ceux postérieurs à sa "
                "demande (L622-26 al. 1).",
                creditor=then.creditor,
                claim=fact.claim,
            )
        )
    return out


def _foreclosure_of(ctx: CheckContext, claim: str, on: date) -> str | None:
    """The id of the claim's latest foreclosure effective on or before `on`."""
    found = [
        f
        for f in ctx.index.facts_about(claim, ctx.position)
        if isinstance(f, ClaimForeclosed) and f.effective_on <= on
    ]
    return max(found, key=lambda f: (f.effective_on, f.seq or 0)).id if found else None


def _observation_end(ctx: CheckContext) -> date | None:
    """When the observation period ended, by as_of: the plan's adoption, or a
    liquidation judgment before it."""
    ends = [
        f.effective_on
        for f in _judgments(ctx)
        if f.procedure is ProcedureKind.LIQUIDATION_JUDICIAIRE
    ]
    if ctx.adopted is not None:
        ends.append(ctx.adopted.effective_on)
    return min(ends) if ends else None


@rule(
    "L622-17-IV.late-notice",
    "C. com. L622-17 IV",
    "A useful post-opening claim, still unpaid, was brought to the administrator's or "
    "the mandataire's knowledge (declared) more than a year after the end of the "
    "observation period: it lost its priority (not the right to be paid).",
    ("post_opening_claim_notice_years", *_DEADLINE_RULES),
)
def post_opening_late_notice(ctx: CheckContext) -> list[Finding]:
    end = _observation_end(ctx)
    if end is None:
        return []
    years = ctx.rules.years("post_opening_claim_notice_years")
    last = _extended(ctx, anniversary(end, years))
    opened_on = ctx.opening.effective_on
    out = []
    for declared in ctx.facts_of(ClaimDeclared):
        if (
            declared.effective_on <= last
            or not opened_on <= declared.origin_on < end
            or declared.rank in WAGE_RANKS  # their privileges are the C. trav.'s
            or not useful(declared)
        ):
            continue
        b = claim_balance(ctx.index, declared.claim, ctx.as_of, ctx.position)
        if b is None or not b.outstanding.is_positive:
            continue
        out.append(
            _finding(
                ctx,
                "L622-17-IV.late-notice",
                Severity.WARNING,
                f"Claim {b.claim}, born on {_iso(declared.origin_on)} during the "
                f"observation period that ended on {_iso(end)}, was brought to "
                f"knowledge on {_iso(declared.effective_on)}, after {_iso(last)}: it "
                "lost the priority of L622-17 II; it is still owed "
                f"{b.outstanding.french()}.",
                (declared.id,),
                fr=f"La créance {b.claim}, née le {_jour(declared.origin_on)} pendant la "
                f"période d'observation achevée le {_jour(end)}, a été portée à la "
                "connaissance de l'administrateur ou du mandataire le "
                f"{_jour(declared.effective_on)}, après le {_jour(last)} : elle a perdu "
                "le privilège de L622-17 II ; il lui reste dû "
                f"{b.outstanding.french()}.",
                creditor=b.creditor,
                claim=b.claim,
            )
        )
    return out


@rule(
    "L621-3.observation-too-long",
    "C. com. L621-3, L631-7, R621-9",
    "The observation period lasts longer than the procedure allows (sauvegarde: 12 "
    "months if opened on or after 1 October 2021, else 18; redressement: 18).",
    ("observation_max_months_rj", "observation_max_months_sauvegarde"),
)
def observation_too_long(ctx: CheckContext) -> list[Finding]:
    adopted = ctx.adopted
    end = adopted.effective_on if adopted else ctx.as_of
    in_force = procedure_in_force(ctx.index, end, ctx.position)
    if in_force is None:  # asked about a day before the opening
        return []
    procedure = in_force.procedure
    if procedure is ProcedureKind.LIQUIDATION_JUDICIAIRE:
        return []
    max_months = (
        ctx.rules.months("observation_max_months_sauvegarde")
        if procedure is ProcedureKind.SAUVEGARDE
        else ctx.rules.months("observation_max_months_rj")
    )
    limit = add_months(ctx.opening.effective_on, max_months)
    if end <= limit:
        return []
    what = (
        f"ended with the plan's adoption on {_iso(end)}"
        if adopted
        else f"is still running on {_iso(end)}"
    )
    what_fr = (
        f"s'est achevée avec l'arrêté du plan le {_jour(end)}"
        if adopted
        else f"est toujours en cours le {_jour(end)}"
    )
    return [
        _finding(
            ctx,
            "L621-3.observation-too-long",
            Severity.ERROR,
            f"The observation period opened on {_iso(ctx.opening.effective_on)} "
            f"{what}, beyond the {english.plural(max_months, 'month')} a "
            f"{procedure.value.replace('_', ' ')} allows (limit "
            f"{_iso(limit)}).",
            (ctx.opening.id, adopted.id if adopted else None),
            fr="La période d'observation ouverte le "
            f"{_jour(ctx.opening.effective_on)} {what_fr}, au-delà des {max_months} "
            "mois que permet la procédure de "
            f"{french.name(french.PROCEDURES, procedure.value)} (limite : "
            f"{_jour(limit)}).",
        )
    ]


# --- the plan as adopted (also run on proposals) ---------------------------------------------


def plan_rule_findings(
    adopted: PlanAdopted,
    modifications: Iterable[PlanModified],
    opening: CaseOpened,
    rules: Ruleset,
    ctx: CheckContext | None = None,
) -> list[Finding]:
    """The rules on the plan's terms: duration, the imposed delays' first payment,
    minimum annuities, length and sum. Pure: usable on a proposal."""
    shim = ctx or _ProposalContext(rules)
    out: list[Finding] = []
    max_years = rules.years("plan_max_years")
    if opening.is_farming_natural_person:
        max_years = rules.years("plan_max_years_agricultural_natural_person")
    for fact, duration in [(adopted, adopted.duration_years)] + [
        (m, m.duration_years) for m in modifications
    ]:
        if duration > max_years:
            what = (
                "adopted"
                if fact is adopted
                else "modified on " + _iso(fact.effective_on)
            )
            what_fr = (
                "arrêté"
                if fact is adopted
                else "modifié le " + _jour(fact.effective_on)
            )
            out.append(
                _finding(
                    shim,
                    "L626-12.plan-too-long",
                    Severity.ERROR,
                    f"The plan {what} lasts {english.plural(duration, 'year')}, more than the "
                    f"{max_years} the "
                    "law allows, counted from the original adoption (L626-12, L626-26).",
                    (fact.id,),
                    fr=f"Le plan {what_fr} dure {french.plural(duration, 'an')}"
                    f", plus que les {max_years} "
                    "ans que permet la loi, comptés depuis l'arrêté initial du plan "
                    "(L626-12, L626-26).",
                )
            )
    uniform = next(
        (o for o in adopted.options if o.option == adopted.uniform_option), None
    )
    if uniform is None:
        return out
    percents = [Decimal(p) for p in uniform.percents]
    # Each plan year of the option by its due dates: its first payment, and the
    # last of them all (an option paid quarterly or from its own first due date).
    years = option_due_dates(adopted, uniform)
    due = [dates[0] for dates in years]
    first_paid = next((k for k, p in enumerate(percents) if p > 0), None)
    limit = anniversary(adopted.effective_on, rules.years("first_payment_max_years"))
    if first_paid is not None and due[first_paid] > limit:
        out.append(
            _finding(
                shim,
                "L626-18.first-payment-late",
                Severity.ERROR,
                f"Under the imposed delays ('{uniform.option}') the first payment falls on "
                f"{_iso(due[first_paid])}, later than the "
                f"{rules.years('first_payment_max_years')}-year limit after the adoption "
                f"({_iso(limit)}).",
                (adopted.id,),
                fr=f"Avec les délais uniformes imposés (« {uniform.option} »), le premier "
                f"paiement tombe le {_jour(due[first_paid])}, au-delà du délai de "
                f"{french.plural(rules.years('first_payment_max_years'), 'an')} après "
                f"l'arrêté du plan ({_jour(limit)}).",
                instalment=f"year {first_paid + 1}",
            )
        )
    exempt = opening.is_farming_business and rules.flag(
        "agricultural_exempt_from_min_annuities"
    )
    if not exempt:
        step_up_year = rules.integer("min_annuity_step_up_year")
        start_year = rules.integer("min_annuity_start_year")
        for k, p in enumerate(percents, start=1):
            minimum: Decimal | None = None
            from_year: int | None = None
            if k >= step_up_year:
                minimum = rules.decimal("min_annuity_step_up_percent")
                from_year = step_up_year
            elif k >= start_year:
                minimum = rules.decimal("min_annuity_percent")
                from_year = start_year
            if minimum is not None and p < minimum:
                out.append(
                    _finding(
                        shim,
                        "L626-18.annuity-below-minimum",
                        Severity.ERROR,
                        f"Under the imposed delays ('{uniform.option}') annuity {k} is "
                        f"{p} % of each admitted claim, below the {minimum} % minimum "
                        f"from year {from_year}.",
                        (adopted.id,),
                        fr=f"Avec les délais imposés (« {uniform.option} »), l'annuité "
                        f"{k} représente {french.percent(p)} de chaque créance admise, "
                        f"moins que le minimum de {french.percent(minimum)} à compter de "
                        f"l'année {from_year}.",
                        instalment=f"year {k}",
                    )
                )
    end = anniversary(adopted.effective_on, adopted.duration_years)
    if due and years[-1][-1] > end:
        out.append(
            _finding(
                shim,
                "L626-18.delays-beyond-duration",
                Severity.ERROR,
                f"The imposed delays run until {_iso(years[-1][-1])}, beyond the plan's "
                f"{english.plural(adopted.duration_years, 'year')} (ending {_iso(end)}).",
                (adopted.id,),
                fr=f"Les délais imposés courent jusqu'au {_jour(years[-1][-1])}, au-delà "
                f"des {french.plural(adopted.duration_years, 'an')}"
                " du plan (qui s'achève le "
                f"{_jour(end)}).",
                instalment=f"year {len(percents)}",
            )
        )
    if sum(percents) != 100:
        out.append(
            _finding(
                shim,
                "L626-18.imposed-sum",
                Severity.ERROR,
                f"The imposed delays ('{uniform.option}') repay {sum(percents)} % of each "
                "admitted claim: the court cannot impose a remission, so the instalments "
                "must add up to the admitted amount less the remissions the creditor "
                "accepted.",
                (adopted.id,),
                fr=f"Les délais imposés (« {uniform.option} ») remboursent "
                f"{french.percent(sum(percents))} de chaque créance admise : le tribunal "
                "ne peut imposer de remise, les échéances doivent donc atteindre le "
                "montant admis, diminué des remises que le créancier a acceptées.",
            )
        )
    return out


class _ProposalContext:
    """What `_finding` needs when no case is loaded (a proposal)."""

    def __init__(self, rules: Ruleset) -> None:
        self.rules = rules


@rule(
    "L626-12.plan-too-long",
    "C. com. L626-12, L626-26",
    "The plan (or a modification of it) lasts longer than the legal maximum: 10 "
    "years, 15 for a farming natural person.",
    ("plan_max_years", "plan_max_years_agricultural_natural_person"),
)
def plan_too_long(ctx: CheckContext) -> list[Finding]:
    return [f for f in _plan_terms(ctx) if f.rule == "L626-12.plan-too-long"]


@rule(
    "L626-18.first-payment-late",
    "C. com. L626-18 al. 4",
    "Under the court-imposed uniform delays, the first payment falls later than one "
    "year after the adoption.",
    ("first_payment_max_years",),
)
def first_payment_late(ctx: CheckContext) -> list[Finding]:
    return [f for f in _plan_terms(ctx) if f.rule == "L626-18.first-payment-late"]


@rule(
    "L626-18.annuity-below-minimum",
    "C. com. L626-18 al. 4",
    "Under the imposed delays, an annuity from the third year is below 5 % of each "
    "admitted claim, or (proceedings opened on or after 1 October 2021) from the "
    "sixth year below 10 %. A farming business of any form (case.opened "
    "farming_business) is exempt.",
    (
        "min_annuity_start_year",
        "min_annuity_percent",
        "min_annuity_step_up_year",
        "min_annuity_step_up_percent",
        "agricultural_exempt_from_min_annuities",
    ),
)
def annuity_below_minimum(ctx: CheckContext) -> list[Finding]:
    return [f for f in _plan_terms(ctx) if f.rule == "L626-18.annuity-below-minimum"]


@rule(
    "L626-18.delays-beyond-duration",
    "C. com. L626-18 al. 6",
    "The imposed delays run beyond the plan's duration.",
    confidence="S",  # al. 6 through jcl06.fr's reading of L626-18
)
def delays_beyond_duration(ctx: CheckContext) -> list[Finding]:
    return [f for f in _plan_terms(ctx) if f.rule == "L626-18.delays-beyond-duration"]


@rule(
    "L626-18.imposed-sum",
    "C. com. L626-18 al. 1, L626-19",
    "The instalments of the imposed delays do not add up to the admitted amount less "
    "the remissions accepted: a court cannot impose a remission.",
    confidence="S",  # al. 1 read in the 2014-2021 text only; L626-19 through uggc.com
)
def imposed_sum(ctx: CheckContext) -> list[Finding]:
    return [f for f in _plan_terms(ctx) if f.rule == "L626-18.imposed-sum"]


def _plan_terms(ctx: CheckContext) -> list[Finding]:
    cached = ctx.plan_terms
    if cached is None:
        schedule = ctx.schedule
        cached = (
            []
            if schedule is None
            else plan_rule_findings(
                schedule.adopted, schedule.modifications, ctx.opening, ctx.rules, ctx
            )
        )
        ctx.plan_terms = cached
    return cached


# --- claims the plan must pay at once ----------------------------------------------------------


def _paid_at_adoption(
    ctx: CheckContext, treatment: str, rule_id: str, what: str, what_fr: str
) -> list[Finding]:
    schedule = ctx.schedule
    if schedule is None:
        return []
    deadline = schedule.adopted.effective_on + timedelta(
        ctx.rules.days("plan_default_grace_days")
    )
    if ctx.as_of <= deadline:
        return []
    out = []
    for c in schedule.claims:
        if c.treatment != treatment or c.provisional:
            continue
        paid = [
            f
            for f in ctx.index.facts_about(c.claim, ctx.position)
            if isinstance(f, PaymentMade)
            and f.basis is PaymentBasis.PLAN_DIVIDEND
            and f.effective_on <= deadline
        ]
        got = sum(f.amount.cents for f in paid)
        # What a decision after the adoption added is owed on its date, not at the
        # adoption (L626-21): the instalment rule judges that part.
        owed = sum(i.amount.cents for i in c.instalments if i.catch_up_of is None)
        if got < owed:
            out.append(
                _finding(
                    ctx,
                    rule_id,
                    Severity.ERROR,
                    f"Claim {c.claim} ({what}) must be paid in full at the plan's adoption; "
                    f"{Money(got).french()} of {Money(owed).french()} was paid by "
                    f"{_iso(deadline)}.",
                    (schedule.adopted.id, *(f.id for f in paid)),
                    fr=f"La créance {c.claim} ({what_fr}) doit être payée intégralement "
                    f"à l'arrêté du plan ; {Money(got).french()} sur "
                    f"{Money(owed).french()} ont été payés au {_jour(deadline)}.",
                    creditor=c.creditor,
                    claim=c.claim,
                )
            )
    return out


@rule(
    "L626-20-I.not-paid-at-adoption",
    "C. com. L626-20 I",
    "A claim that cannot receive delays or remissions without consent (1° "
    "superprivileged wages and the AGS's superprivileged advances; 2° wages under the "
    "general privilege neither advanced by the AGS nor subrogated; 3° conciliation; 4° "
    "new money) is not paid in full at the plan's adoption (within the grace period).",
    ("plan_default_grace_days",),
)
def no_delay_not_paid(ctx: CheckContext) -> list[Finding]:
    return _paid_at_adoption(
        ctx,
        "no_delay",
        "L626-20-I.not-paid-at-adoption",
        "it cannot receive delays",
        "elle ne peut recevoir de délais",
    )


@rule(
    "L626-20-II.small-claim-not-paid",
    "C. com. L626-20 II, R626-34",
    "A small claim (at most the decree amount, within 5 % of the estimated "
    "liabilities, holders above 0.5 % excluded) is not paid in full at the plan's "
    "adoption.",
    (
        "small_claim_max",
        "small_claims_total_cap_percent",
        "small_claims_holder_exclusion_percent",
        "plan_default_grace_days",
    ),
)
def small_claim_not_paid(ctx: CheckContext) -> list[Finding]:
    return _paid_at_adoption(
        ctx,
        "small_claim",
        "L626-20-II.small-claim-not-paid",
        "a small claim",
        "petite créance",
    )


# --- carrying out the plan ---------------------------------------------------------------------


@rule(
    "L626-21.instalment-late",
    "C. com. L626-21, L626-27",
    "An instalment is not remitted to the plan supervisor by its due date: late from "
    "the day after, by as many days as have passed since the due date (a warning); "
    "past the grace period, a library policy and not the law's (30 days unless "
    "overridden), it is an error: grounds for resolution, the court's to decide.",
    ("plan_default_grace_days",),
)
def instalment_late(ctx: CheckContext) -> list[Finding]:
    schedule = ctx.schedule
    if schedule is None:
        return []
    remittances = sorted(
        ctx.facts_of(InstalmentRemitted),
        key=lambda f: (f.effective_on, f.seq),
    )
    remitted = sum(f.amount.cents for f in remittances)
    grace = ctx.rules.days("plan_default_grace_days")
    out = []
    due_total = 0
    for due_on, amount in schedule.by_date():
        # Dividends are portable (L626-21): the due date itself is still on time.
        if due_on >= ctx.as_of:
            break
        due_total += amount.cents
        if not amount:
            continue
        running, paid_by = 0, None
        for f in remittances:
            running += f.amount.cents
            if running >= due_total:
                paid_by = f
                break
        if paid_by is not None and paid_by.effective_on <= due_on:
            continue
        days = days_late(due_on, paid_by.effective_on if paid_by else None, ctx.as_of)
        if paid_by is not None:
            text = (
                f"was remitted {english.plural(days, 'day')} late, on "
                f"{_iso(paid_by.effective_on)}"
            )
            text_fr = (
                "a été versée au commissaire à l'exécution du plan avec "
                f"{french.plural(days, 'jour')}"
                f" de retard, le {_jour(paid_by.effective_on)}"
            )
        else:
            # What of this instalment the remittances leave unpaid: all of it, or
            # the part short (a single cent is named as such).
            short = Money(min(amount.cents, due_total - remitted))
            text = (
                f"is still unpaid, {english.plural(days, 'day')} after its due date"
                if short == amount
                else f"is still {short.french()} short, "
                f"{english.plural(days, 'day')} after its due date"
            )
            text_fr = (
                f"reste impayée, {french.plural(days, 'jour')} après son échéance"
                if short == amount
                else f"reste impayée à hauteur de {short.french()}, "
                f"{french.plural(days, 'jour')} après son échéance"
            )
        past_grace = days > grace
        note = (
            f" — past the grace period plandebt allows ({english.plural(grace, 'day')}"
            ", a library policy, not the law's): grounds for resolution (L626-27), "
            "the court's to decide"
            if past_grace
            else ""
        )
        note_fr = (
            f" — au-delà du délai de grâce de {french.plural(grace, 'jour')} que "
            "retient plandebt (une règle de la bibliothèque, non de la loi) : motif "
            "de résolution du plan (L626-27), à l'appréciation du tribunal"
            if past_grace
            else ""
        )
        caught, caught_fr = _catch_up_note(schedule, due_on, amount)
        out.append(
            _finding(
                ctx,
                "L626-21.instalment-late",
                Severity.ERROR if past_grace else Severity.WARNING,
                f"The instalment due on {_iso(due_on)} ({amount.french()}) {text}{note}."
                + caught,
                (schedule.adopted.id, paid_by.id if paid_by else None),
                fr=f"L'échéance du {_jour(due_on)} ({amount.french()}) "
                f"{text_fr}{note_fr}." + caught_fr,
                instalment=_iso(due_on),
            )
        )
    return out


def _catch_up_note(
    schedule: PlanSchedule, due_on: date, amount: Money
) -> tuple[str, str]:
    """What of the instalments due on `due_on` is a catch-up: what a decision after
    the adoption added to instalments that fell due before it, owed on the decision's
    date (L626-21 al. 4). Said (in English and in French), so that it is not read as
    an annuity missed then."""
    parts: dict[date, int] = {}
    for c in schedule.claims:
        for i, due in zip(c.instalments, c.dues, strict=True):
            if due == due_on and i.catch_up_of is not None:
                parts[i.catch_up_of] = parts.get(i.catch_up_of, 0) + i.amount.cents
    caught = sum(parts.values())
    if not caught:
        return "", ""
    dates = ", ".join(_iso(d) for d in sorted(parts))
    dates_fr = ", ".join(_jour(d) for d in sorted(parts))
    several = len(parts) > 1
    of = f"instalments due on {dates}" if several else f"instalment due on {dates}"
    of_fr = (
        f"aux échéances des {dates_fr}" if several else f"à l'échéance du {dates_fr}"
    )
    whole = caught == amount.cents
    part = Money._of(caught, amount.currency).french()
    share = "All of it is" if whole else f"Of it, {part} is"
    share_fr = "Le tout est" if whole else f"Sur ce montant, {part} est"
    return (
        f" {share} a catch-up: what a decision after the adoption added to the "
        f"{of}, owed from the decision's date (L626-21 al. 4), "
        "not an annuity missed then.",
        f" {share_fr} un rattrapage : ce qu'une décision postérieure à l'arrêté du "
        f"plan a ajouté {of_fr}, dû à compter de la décision (L626-21 al. 4), et "
        "non une annuité alors manquée.",
    )


@rule(
    "L622-28.interest-after-opening",
    "C. com. L622-28 al. 1",
    "Interest is recorded, for a period ending after the opening judgment, on a claim "
    "that arose before it and whose interest stopped then, or that continues under "
    "neither exception: a loan of a year or more, a contract with payment deferred a "
    "year or more (leasing is not a loan). A post-opening claim is never concerned.",
    ("interest_continuation_min_term_months",),
    confidence="T",  # al. 1 read on doctrine.fr; leasing: institut-idef.org [S]
)
def interest_after_opening(ctx: CheckContext) -> list[Finding]:
    out = []
    minimum = ctx.rules.months("interest_continuation_min_term_months")
    opened_on = ctx.opening.effective_on
    for f in ctx.facts_of(InterestAccrued):
        declared = ctx.index.declaration(f.claim, ctx.position)
        if declared is None:
            continue
        # The judgment stops the interest of the claims it finds, those born before
        # it; interest up to the opening day itself is the claim's as it stood then
        # (declared "arrêtés au jour du jugement").
        if declared.origin_on >= opened_on or f.effective_on <= opened_on:
            continue
        reasons = _interest_reason(declared, minimum)
        if reasons is None:
            continue
        reason, reason_fr = reasons
        out.append(
            _finding(
                ctx,
                "L622-28.interest-after-opening",
                Severity.ERROR,
                f"Interest of {f.amount.french()} was recorded on claim {f.claim} for a "
                f"period ending on {_iso(f.effective_on)}, after the opening judgment of "
                f"{_iso(opened_on)}: the claim arose before it, and {reason} (L622-28).",
                (f.id, declared.id),
                fr=f"Des intérêts de {f.amount.french()} ont été comptés sur la créance "
                f"{f.claim} pour une période s'achevant le {_jour(f.effective_on)}, "
                f"après le jugement d'ouverture du {_jour(opened_on)} : la créance est "
                f"née avant lui, et {reason_fr} (L622-28).",
                creditor=declared.creditor,
                claim=f.claim,
            )
        )
    return out


def _interest_reason(declared: ClaimDeclared, minimum: int) -> tuple[str, str] | None:
    """Why interest may not run on a pre-opening claim after the opening, in English
    and in French, or None when it may (L622-28 al. 1)."""
    if declared.interest_regime is InterestRegime.STOPPED_AT_OPENING:
        return (
            "its interest stopped at the opening judgment",
            "le jugement d'ouverture a arrêté le cours de ses intérêts",
        )
    basis = declared.interest_basis or InterestBasis.LOAN
    if basis is InterestBasis.LEASING:
        return (
            "it is owed under a leasing contract (crédit-bail), which is not a loan "
            "for the exception: its interest stopped at the opening",
            "elle est due au titre d'un contrat de crédit-bail, qui n'est pas un prêt "
            "au sens de l'exception : ses intérêts ont cessé de courir à l'ouverture",
        )
    if basis is InterestBasis.DEFERRED_PAYMENT:
        months, what = declared.deferred_payment_months, "payment deferred"
        what_fr = "un contrat à paiement différé"
    else:
        months, what = declared.loan_term_months, "a loan"
        what_fr = "un prêt"
    if months is not None and months >= minimum:
        return None
    length = (
        "of unrecorded length"
        if months is None
        else f"of {english.plural(months, 'month')}"
    )
    length_fr = "de durée non enregistrée" if months is None else f"de {months} mois"
    return (
        f"it rests on {what} {length}: only loans of {english.plural(minimum, 'month')} "
        f"or more and contracts with payment deferred {english.plural(minimum, 'month')} "
        "or more keep bearing interest",
        f"elle repose sur {what_fr} {length_fr} : seuls les prêts conclus pour "
        f"{minimum} mois ou plus et les contrats à paiement différé de {minimum} mois "
        "ou plus continuent de produire des intérêts",
    )


# --- employment and group support -----------------------------------------------------------


def _first_in_cessation_on(ctx: CheckContext) -> date | None:
    """The date of the first judgment that put the case in RJ or LJ (its opening, or
    the conversion of a sauvegarde), if any by as_of."""
    return next(
        (f.effective_on for f in _judgments(ctx) if f.procedure in _IN_CESSATION), None
    )


def _ags_advances(ctx: CheckContext) -> list[AgsAdvanced]:
    return sorted(
        ctx.facts_of(AgsAdvanced),
        key=lambda f: (f.effective_on, f.seq or 0),
    )


@rule(
    "L3253-8.ags-outside-window",
    "C. trav. L3253-8",
    "The AGS advanced sums outside its windows: sums owed when an RJ or LJ opened (1°: "
    "the employee's claim arose before), terminations during the observation period, "
    "within one month after the plan's adoption, or within 15 days after a "
    "liquidation judgment, 21 under a job-protection plan (2° a-d).",
    (
        "ags_window_after_plan_months",
        "ags_window_after_liquidation_days",
        "ags_window_after_liquidation_pse_days",
    ),
    confidence="T",  # L3253-8 read on maitredata.com and doctrine.fr
)
def ags_outside_window(ctx: CheckContext) -> list[Finding]:
    windows = {d.employee: d for d in ctx.employment.departures}
    in_cessation_on = _first_in_cessation_on(ctx)
    out = []
    for f in _ags_advances(ctx):
        claim = ctx.index.declaration(f.employee_claim, ctx.position)
        if (
            claim is not None
            and in_cessation_on is not None
            and claim.origin_on < in_cessation_on
        ):
            continue  # 1°: owed when the RJ or LJ opened, whoever left when
        departure = windows.get(f.employee)
        if departure is None:
            out.append(
                _finding(
                    ctx,
                    "L3253-8.ags-outside-window",
                    Severity.INFO,
                    f"The AGS advance to {f.employee} covers a claim that arose after the "
                    "opening and names no recorded departure: whether it falls in an AGS "
                    "window cannot be checked.",
                    (f.id,),
                    fr=f"L'avance de l'AGS à {f.employee} couvre une créance née après "
                    "l'ouverture et ne renvoie à aucun départ enregistré : on ne peut "
                    "vérifier qu'elle entre dans une période garantie par l'AGS.",
                    claim=f.employee_claim,
                )
            )
        elif departure.ags_window is None:
            out.append(
                _finding(
                    ctx,
                    "L3253-8.ags-outside-window",
                    Severity.ERROR,
                    f"The AGS advanced {f.amount.french()} to {f.employee}, who left on "
                    f"{_iso(departure.left_on)}, outside the AGS windows.",
                    (f.id,),
                    fr=f"L'AGS a avancé {f.amount.french()} à {f.employee}, dont le "
                    f"départ date du {_jour(departure.left_on)}, hors des périodes "
                    "garanties par l'AGS.",
                    claim=f.employee_claim,
                )
            )
    return out


def _pmss(ctx: CheckContext, day: date) -> tuple[Money | None, str]:
    """The monthly social-security ceiling of `day`'s year, and its rule key."""
    return ctx.rules.money_by_year("pmss", day.year), f"pmss_{day.year}"


def _cap_day(ctx: CheckContext, claim_day: date) -> date:
    """When the AGS's limits are appreciated: when the employee's claim is due, at the
    latest at the plan's adoption or the liquidation judgment (D3253-5 al. 3)."""
    ends = [
        f.effective_on
        for f in _judgments(ctx)
        if f.procedure is ProcedureKind.LIQUIDATION_JUDICIAIRE
    ]
    if ctx.adopted is not None:
        ends.append(ctx.adopted.effective_on)
    return min([claim_day, *ends])


def _missing_pmss(
    ctx: CheckContext, rule_id: str, f: AgsAdvanced, year: int
) -> Finding:
    return _finding(
        ctx,
        rule_id,
        Severity.INFO,
        f"The ruleset has no monthly social-security ceiling for {year}: the AGS "
        f"advance to {f.employee} cannot be checked against its limit; add "
        f"pmss_{year} by an override.",
        (f.id,),
        fr=f"Le jeu de règles n'a pas de plafond mensuel de la sécurité sociale pour "
        f"{year} : l'avance de l'AGS à {f.employee} ne peut être comparée à sa limite ; "
        f"ajoutez pmss_{year} par une surcharge.",
        claim=f.employee_claim,
    )


@rule(
    "L3253-17.ags-above-cap",
    "C. trav. L3253-17, D3253-5",
    "The AGS advanced an employee more than its guarantee's cap, all claims together: "
    "6, 5 or 4 monthly unemployment-insurance ceilings (4 × that year's PMSS) as the "
    "contract was concluded 2 years or more, 6 months or more, or less before the "
    "opening judgment; appreciated when the claim is due, at the latest at the plan's "
    "adoption or the liquidation judgment.",
    (
        "ags_cap_multiple_seniority_2y",
        "ags_cap_multiple_seniority_6m",
        "ags_cap_multiple_seniority_under_6m",
        "ags_ceiling_pmss_multiple",
    ),
)
def ags_above_cap(ctx: CheckContext) -> list[Finding]:
    rule_id = "L3253-17.ags-above-cap"
    departures = {
        f.employee: f
        for f in ctx.facts_of(EmployeeDeparted)  # the contract's date is on it
    }
    opened_on = ctx.opening.effective_on
    out = []
    advanced: dict[str, int] = {}
    reported: set[str] = set()
    for f in _ags_advances(ctx):
        advanced[f.employee] = advanced.get(f.employee, 0) + f.amount.cents
        if f.employee in reported:
            continue
        claim = ctx.index.declaration(f.employee_claim, ctx.position)
        day = _cap_day(ctx, claim.origin_on if claim is not None else f.effective_on)
        pmss, pmss_key = _pmss(ctx, day)
        if pmss is None:
            out.append(_missing_pmss(ctx, rule_id, f, day.year))
            reported.add(f.employee)
            continue
        departure = departures.get(f.employee)
        contract_on = departure.contract_on if departure else None
        if contract_on is None or contract_on <= add_months(opened_on, -24):
            multiple = ctx.rules.integer("ags_cap_multiple_seniority_2y")
            how = (
                "the contract's date is not recorded: the highest cap"
                if contract_on is None
                else f"a contract concluded on {_iso(contract_on)}, 2 years or more "
                "before the opening"
            )
            how_fr = (
                "la date du contrat n'est pas enregistrée : le plafond le plus élevé"
                if contract_on is None
                else f"un contrat conclu le {_jour(contract_on)}, 2 ans ou plus avant "
                "l'ouverture"
            )
        elif contract_on <= add_months(opened_on, -6):
            multiple = ctx.rules.integer("ags_cap_multiple_seniority_6m")
            how = (
                f"a contract concluded on {_iso(contract_on)}, less than 2 years "
                "before the opening"
            )
            how_fr = (
                f"un contrat conclu le {_jour(contract_on)}, moins de 2 ans avant "
                "l'ouverture"
            )
        else:
            multiple = ctx.rules.integer("ags_cap_multiple_seniority_under_6m")
            how = (
                f"a contract concluded on {_iso(contract_on)}, less than 6 months "
                "before the opening"
            )
            how_fr = (
                f"un contrat conclu le {_jour(contract_on)}, moins de 6 mois avant "
                "l'ouverture"
            )
        cap = pmss * (multiple * ctx.rules.integer("ags_ceiling_pmss_multiple"))
        if advanced[f.employee] <= cap.cents:
            continue
        reported.add(f.employee)
        out.append(
            _finding(
                ctx,
                rule_id,
                Severity.ERROR,
                f"The AGS has advanced {Money(advanced[f.employee]).french()} to "
                f"{f.employee}, above its cap of {cap.french()}: {multiple} monthly "
                "unemployment-insurance ceilings of "
                f"{(pmss * ctx.rules.integer('ags_ceiling_pmss_multiple')).french()} "
                f"({day.year}), for {how} (L3253-17, D3253-5).",
                (f.id, departure.id if departure else None),
                reads=(pmss_key,),
                fr=f"L'AGS a avancé {Money(advanced[f.employee]).french()} à "
                f"{f.employee}, au-delà de son plafond de {cap.french()} : {multiple} "
                "plafonds mensuels de l'assurance chômage de "
                f"{(pmss * ctx.rules.integer('ags_ceiling_pmss_multiple')).french()} "
                f"({day.year}), pour {how_fr} (L3253-17, D3253-5).",
                claim=f.employee_claim,
            )
        )
    return out


@rule(
    "L3253-2.superprivilege-above-ceiling",
    "C. trav. L3253-2, D3253-1, L7313-8",
    "The superprivileged part of what the AGS advanced an employee is above the "
    "superprivilege's ceiling: the pay of the last 60 days of work (90 for a sales "
    "representative) at most twice the month's PMSS a month; the rest is only "
    "privileged.",
    (
        "superprivilege_days",
        "superprivilege_days_vrp",
        "superprivilege_ceiling_pmss_multiple",
    ),
)
def superprivilege_above_ceiling(ctx: CheckContext) -> list[Finding]:
    rule_id = "L3253-2.superprivilege-above-ceiling"
    departures = {f.employee: f for f in ctx.facts_of(EmployeeDeparted)}
    out = []
    advanced: dict[str, int] = {}
    reported: set[str] = set()
    for f in _ags_advances(ctx):
        if not f.superprivileged.is_positive:
            continue
        advanced[f.employee] = advanced.get(f.employee, 0) + f.superprivileged.cents
        if f.employee in reported:
            continue
        claim = ctx.index.declaration(f.employee_claim, ctx.position)
        day = _cap_day(ctx, claim.origin_on if claim is not None else f.effective_on)
        pmss, pmss_key = _pmss(ctx, day)
        if pmss is None:
            out.append(_missing_pmss(ctx, rule_id, f, day.year))
            reported.add(f.employee)
            continue
        departure = departures.get(f.employee)
        days = (
            ctx.rules.days("superprivilege_days_vrp")
            if departure is not None and departure.sales_representative
            else ctx.rules.days("superprivilege_days")
        )
        monthly = pmss * ctx.rules.integer("superprivilege_ceiling_pmss_multiple")
        # The ceiling is monthly: so many days of work are so many thirtieths of it.
        ceiling = Money(round_half_away(Fraction(monthly.cents * days, 30)))
        if advanced[f.employee] <= ceiling.cents:
            continue
        reported.add(f.employee)
        out.append(
            _finding(
                ctx,
                rule_id,
                Severity.ERROR,
                f"The AGS's superprivileged advances to {f.employee} come to "
                f"{Money(advanced[f.employee]).french()}, above the superprivilege's "
                f"ceiling of {ceiling.french()} ({english.plural(days, 'day')} of work at "
                f"{monthly.french()} a month, {day.year}): the rest is only privileged, "
                "and is not paid at the plan's adoption (L3253-2, D3253-1).",
                (f.id,),
                reads=(pmss_key,),
                fr=f"Les avances superprivilégiées de l'AGS à {f.employee} atteignent "
                f"{Money(advanced[f.employee]).french()}, au-delà du plafond du "
                f"superprivilège de {ceiling.french()} ({french.plural(days, 'jour')}"
                " de travail à "
                f"{monthly.french()} par mois, {day.year}) : le surplus n'est que "
                "privilégié et n'est pas payé à l'arrêté du plan (L3253-2, D3253-1).",
                claim=f.employee_claim,
            )
        )
    return out


@rule(
    "L631-19.redundancy-after-the-month",
    "C. com. L631-19",
    "In a redressement, an economic dismissal comes more than a month after the plan's "
    "adoption: it is not one of the redundancies the plan judgment authorises, made "
    "within that month, and follows the ordinary procedure (an info).",
    ("plan_redundancy_window_months",),
)
def redundancy_after_the_month(ctx: CheckContext) -> list[Finding]:
    adopted = ctx.adopted
    if adopted is None:
        return []
    in_force = procedure_in_force(ctx.index, adopted.effective_on, ctx.position)
    if (
        in_force is None
        or in_force.procedure is not ProcedureKind.REDRESSEMENT_JUDICIAIRE
    ):
        return []
    limit = add_months(
        adopted.effective_on, ctx.rules.months("plan_redundancy_window_months")
    )
    return [
        _finding(
            ctx,
            "L631-19.redundancy-after-the-month",
            Severity.INFO,
            f"{f.employee} was dismissed on {_iso(f.effective_on)}, after {_iso(limit)}, "
            "the end of the month the plan judgment gives for the redundancies it "
            "authorises (L631-19): check that the ordinary procedure was followed.",
            (f.id, adopted.id),
            fr=f"{f.employee} a été licencié pour motif économique le "
            f"{_jour(f.effective_on)}, après le {_jour(limit)}, fin du mois que donne le "
            "jugement arrêtant le plan pour les licenciements qu'il autorise (L631-19) : "
            "vérifiez que la procédure de droit commun a été suivie.",
        )
        for f in ctx.facts_of(EmployeeDeparted)
        if f.departure is DepartureKind.ECONOMIC_DISMISSAL and f.effective_on > limit
    ]


@rule(
    "L626-10.tranche-late",
    "C. com. L626-10",
    "An investor's committed tranche, one of the commitments the plan lists for the "
    "persons bound to carry it out, is not received in full by its due date (late "
    "from the day after).",
    confidence="T",  # L626-10 read on doctrine.fr (the plan's commitments)
)
def tranche_late(ctx: CheckContext) -> list[Finding]:
    commitments = {
        getattr(f, "commitment", None): f
        for f in ctx.facts
        if f.kind == "support.committed"
    }
    return [
        _finding(
            ctx,
            "L626-10.tranche-late",
            Severity.WARNING,
            f"Tranche {t.number} of {t.investor}'s commitment {t.commitment}, due on "
            f"{_iso(t.due_on)} ({t.amount.french()}), has received "
            f"{t.received.french()}: {(t.amount - t.received).french()} short (L626-10).",
            (commitments[t.commitment].id,) if t.commitment in commitments else (),
            fr=f"La tranche {t.number} de l'engagement {t.commitment} de {t.investor}, "
            f"échue le {_jour(t.due_on)} ({t.amount.french()}), a reçu "
            f"{t.received.french()} : il manque {(t.amount - t.received).french()} "
            "(L626-10).",
            creditor=t.investor,
            instalment=_iso(t.due_on),
        )
        for t in ctx.support.tranches
        if t.late
    ]


@rule(
    "disclosure.better-fortune-waiver",
    "annexe des comptes: off-balance-sheet commitments (accounting rule not read)",
    "A waiver with a better-fortune clause is not disclosed as a contingent liability "
    "in the notes to the accounts. No accounting rule was read for this (the law "
    "primer §6 relies on accounting practice): unverified.",
    confidence="U",  # practice only (iutenligne.net; bmfiduciaire.fr), no rule read
)
def undisclosed_waiver(ctx: CheckContext) -> list[Finding]:
    waivers = {w.waiver: w for w in ctx.support.waivers}
    return [
        _finding(
            ctx,
            "disclosure.better-fortune-waiver",
            Severity.WARNING,
            f"The waiver of {f.amount.french()} on claim {f.claim} carries a better-fortune "
            f"clause: {waivers[f.id].contingent.french()} may revive and must be disclosed "
            "as an off-balance-sheet commitment by both companies (accounting "
            "practice; no accounting rule read: unverified).",
            (f.id,),
            fr=f"L'abandon de {f.amount.french()} consenti sur la créance {f.claim} est "
            "assorti d'une clause de retour à meilleure fortune : "
            f"{waivers[f.id].contingent.french()} peuvent renaître et doivent figurer "
            "dans l'annexe des comptes des deux sociétés, en engagement hors bilan "
            "(pratique comptable ; aucune règle comptable lue : non vérifié).",
            claim=f.claim,
        )
        for f in ctx.facts_of(ClaimWrittenOff)
        if f.clause is WriteOffClause.BETTER_FORTUNE
        and not f.disclosed
        and f.id in waivers
        and waivers[f.id].contingent
    ]
