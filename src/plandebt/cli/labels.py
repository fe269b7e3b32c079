"""What the tables say, in French and in English: headers, the names of ranks,
phases, statuses and findings, and the formats of dates and percentages.

One entry per word shown, `(english, french)`; the tables (`tables.py`) look every
header and value up here by the stable English key the JSON uses, so a table and its
JSON say the same thing in two registers. French follows the vocabulary of the Code
de commerce (créance chirographaire, superprivilège, plan de redressement,
résolution du plan...). Amounts are written French style in both languages
(1 234,56), as the books are kept in euros.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import unicodedata
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from datetime import date, datetime

import attrs

from plandebt import french
from plandebt.events.claims import Rank

LANGUAGES = ("fr", "en")


def default_language(environ: Mapping[str, str] = os.environ) -> str:
    """French when $LANG starts with fr, else English."""
    return "fr" if environ.get("LANG", "").lower().startswith("fr") else "en"


@attrs.frozen
class Style:
    """How the tables of one command are written: the language, and the width to
    fit (None: no limit, e.g. --wide or output that is not a terminal)."""

    lang: str = "en"
    width: int | None = None


_STYLE: ContextVar[Style | None] = ContextVar("plandebt_style", default=None)
_PLAIN = Style()


def style() -> Style:
    return _STYLE.get() or _PLAIN


def terminal_width(
    out: object, wide: bool, environ: Mapping[str, str] = os.environ
) -> int | None:
    """The width a command's tables fit: none with --wide; $COLUMNS when set;
    the terminal's when writing to one (`shutil.get_terminal_size`); none for a
    pipe or a file, whose reader (grep, a spreadsheet) wants whole rows."""
    if wide:
        return None
    columns = environ.get("COLUMNS", "")
    if columns.isascii() and columns.isdigit() and int(columns) > 0:
        return int(columns)
    isatty = getattr(out, "isatty", None)
    if isatty is not None and isatty():
        return shutil.get_terminal_size().columns
    return None


@contextlib.contextmanager
def styled(chosen: Style) -> Iterator[None]:
    token = _STYLE.set(chosen)
    try:
        yield
    finally:
        _STYLE.reset(token)


def _pick(pair: tuple[str, str]) -> str:
    return pair[1] if style().lang == "fr" else pair[0]


# --- formats --------------------------------------------------------------------------


def day(value: date | None) -> str:
    """20/06/2024 in French, 2024-06-20 in English; a dash for none."""
    if value is None:
        return "—"
    return french.day(value) if style().lang == "fr" else value.isoformat()


def moment(value: datetime) -> str:
    if style().lang == "fr":
        return value.strftime("%d/%m/%Y à %H:%M:%S %Z").strip()
    return value.isoformat()


def percent(text: str) -> str:
    """'21.09' as 21,09 % in French, 21.09 % in English."""
    return french.percent(text) if style().lang == "fr" else f"{text} %"


def count(n: int) -> str:
    return str(n)


# --- words ----------------------------------------------------------------------------

#: Column headers and other words, by the key the JSON uses for them.
WORDS: dict[str, tuple[str, str]] = {
    # balances
    "creditor": ("creditor", "créancier"),
    "creditor_name": ("name", "nom"),
    "claim": ("claim", "créance"),
    "rank": ("rank", "rang"),
    "freeze": ("freeze", "gel"),
    "status": ("status", "statut"),
    "claims": ("claims", "créances"),
    "declared": ("declared", "déclaré"),
    "admitted": ("admitted", "admis"),
    "paid": ("paid", "payé"),
    # "remitted" is never a header: a remission is debt forgiven, money paid to
    # the supervisor is "to supervisor" (one name per meaning, as in the JSON and
    # the library).
    "remission": ("remission", "remise"),
    "interest": ("interest", "intérêts"),
    "written_off": ("written off", "abandon"),
    "subrogated": ("to AGS", "subrogé AGS"),
    "outstanding": ("outstanding", "reste dû"),
    "owed": ("owed", "dû"),
    "by creditor": ("by creditor", "par créancier"),
    "by rank": ("by rank", "par rang"),
    "frozen / post-opening": ("frozen / post-opening", "gelées / postérieures"),
    "total": ("total", "total"),
    "all claims": ("all claims", "toutes créances"),
    # the plan
    "plan year": ("plan year", "année du plan"),
    "due": ("due", "échu"),
    "cumulative": ("cumulative", "cumul"),
    "remaining": ("remaining", "reste"),
    "treatment": ("treatment", "traitement"),
    "option": ("option", "option"),
    "options": ("option", "option"),
    "plan_year": ("plan year", "année du plan"),
    "provisional": ("provisional", "provisoire"),
    "base": ("base", "assiette"),
    "scheduled": ("scheduled", "prévu"),
    "option_remission": ("option remission", "remise de l'option"),
    "instalment": ("instalment", "échéance"),
    "due_on": ("due on", "échéance le"),
    "amount": ("amount", "montant"),
    "distributed": ("distributed", "réparti"),
    "reserved": ("reserved", "réservé"),
    "behind": ("behind", "en retard"),
    "contingent_remission": ("remission contingent", "remise éventuelle"),
    "acquired_remission": ("remission acquired", "remise acquise"),
    "lapsed_remission": ("remission lapsed", "remise caduque"),
    "overpaid": ("overpaid", "trop-perçu"),
    "overpaid to creditors": ("overpaid to creditors", "trop-perçu des créanciers"),
    "catch_up_of": ("catch-up of", "rattrapage de l'échéance du"),
    "phase": ("phase", "phase"),
    "adopted_on": ("adopted on", "arrêté le"),
    "total_scheduled": ("total of the plan", "total du plan"),
    "due to date": ("due to date", "échu à date"),
    "remitted to the supervisor": (
        "remitted to the supervisor",
        "versé au commissaire à l'exécution du plan",
    ),
    "remitted_to_supervisor": ("to supervisor", "versé au commissaire"),
    "distributed to creditors": ("distributed to creditors", "réparti aux créanciers"),
    "reserved (claims not decided)": (
        "reserved (claims not decided)",
        "réservé (créances non définitives)",
    ),
    "arrears": ("arrears", "arriéré"),
    "next due": ("next due", "prochaine échéance"),
    "repaid": ("repaid", "remboursé"),
    "days_late": ("days late", "jours de retard"),
    "case": ("case", "dossier"),
    "cases": ("cases", "dossiers"),
    "at adoption": ("at adoption", "à l'arrêté du plan"),
    "yes": ("yes", "oui"),
    # support, employment
    "investor": ("investor", "investisseur"),
    "committed": ("committed", "engagé"),
    "received": ("received", "reçu"),
    "late": ("late", "en retard"),
    "commitment": ("commitment", "engagement"),
    "tranche": ("tranche", "tranche"),
    "state": ("state", "état"),
    "received as": ("received as", "reçu sous forme de"),
    "waived_on": ("waived on", "abandon le"),
    "clause": ("clause", "clause"),
    "waived": ("waived", "abandonné"),
    "final": ("final", "définitif"),
    "contingent": ("contingent", "éventuel"),
    "revived": ("revived", "revenu"),
    "group creditor": ("group creditor", "créancier du groupe"),
    "employee": ("employee", "salarié"),
    "departure": ("departure", "départ"),
    "left_on": ("left on", "parti le"),
    "seniority_months": ("seniority (months)", "ancienneté (mois)"),
    "monthly_pay": ("monthly pay", "salaire mensuel"),
    "legal_minimum": ("legal minimum", "minimum légal"),
    "agreed": ("agreed", "convenu"),
    "paid_by_company": ("paid: company", "payé : société"),
    "paid_by_group": ("paid: group", "payé : groupe"),
    "advanced_by_ags": ("AGS advance", "avance AGS"),
    "ags_window": ("AGS window", "période AGS"),
    "totals": ("totals", "totaux"),
    "all departures": ("all departures", "tous les départs"),
    # statement, distribution
    "on": ("date", "date"),
    "what": ("what", "opération"),
    "owed_after": ("owed after", "reste dû"),
    "dividend": ("dividend", "dividende"),
    "key": ("creditor", "créancier"),
    "kind": ("kind", "nature"),
    "name": ("name", "nom"),
}

#: Values shown in cells — ranks, phases, statuses, severities... — in French. In
#: English a table shows the stable value itself, as the JSON has it (in_arrears,
#: privileged_social), so that what a person reads is what a pipeline greps.
VALUES_FR: dict[str, str] = {
    **french.RANKS,
    # freeze
    "frozen": "gelée",
    "post": "postérieure",
    **french.CLAIM_STATUSES,
    # plan phases (plandebt.projections.plan)
    "observation": "période d'observation",
    "no_plan": "sans plan",
    "performing": "plan en cours d'exécution",
    "in_arrears": "en retard",
    "in_default": "en défaut (résolution encourue)",
    "modified": "plan modifié en cours d'exécution",
    "not_opened": "procédure non ouverte",
    "completed": "plan exécuté",
    "resolved": "résolution du plan",
    "liquidation": "liquidation judiciaire",
    "ended": "terminé",
    # treatments, options
    "option": "option",
    "outside": "hors plan",
    # severities
    "error": "erreurs",
    "warning": "avertissements",
    "info": "observations",
    # support and employment
    "suspended": "suspendue",
    "LATE": "EN RETARD",
    "pure": "pur et simple",
    "return_to_better_fortune": "retour à meilleure fortune",
    "capital_increase": "augmentation de capital",
    "current_account_advance": "avance en compte courant",
    "voluntary_pse": "départ volontaire (PSE)",
    "economic_dismissal": "licenciement économique",
    "outside window": "hors période",
    **french.PROCEDURES,
}

#: Each rule's title in French legal terms (the English title is the rule's id).
RULES_FR: dict[str, str] = {
    "L626-19.option-remission-not-in-balances": "remise d'option non constatée dans "
    "les soldes, ou constatée avant d'être acquise",
    "L626-5.creditor-not-consulted": "créancier non consulté sur les propositions du "
    "plan : délais uniformes, sans remise",
    "L626-5.silence-without-receipt": "silence d'un créancier sans date de réception "
    "de la consultation : pas d'acceptation",
    "L626-5.silence-on-conversion": "silence sur une conversion en titres : refus",
    "L626-26.modified-beyond-maximum": "plan modifié au-delà de la durée maximale "
    "comptée depuis l'arrêté du plan",
    "L626-26.remission-without-acceptance": "modification du plan imposant une "
    "remise à un créancier qui ne l'a pas expressément acceptée",
    "L626-27.cessation-not-resolved": "cessation des paiements pendant le plan sans "
    "résolution",
    "L626-28.completed-with-unpaid-instalments": "exécution constatée alors que des "
    "échéances restent impayées",
    "integrity.paid-beyond-claim": "créancier payé au-delà de sa créance (contrôle "
    "d'intégrité de la bibliothèque)",
    "integrity.distributed-beyond-remitted": "réparti au-delà de ce que le débiteur a "
    "versé (contrôle d'intégrité de la bibliothèque)",
    "L620-1.sauvegarde-in-cessation": "sauvegarde ouverte malgré la cessation des "
    "paiements",
    "L631-8.cessation-too-early": "date de cessation des paiements fixée plus de "
    "18 mois avant le jugement d'ouverture",
    "L631-4.late-filing": "demande d'ouverture plus de 45 jours après la cessation "
    "des paiements",
    "L622-7.payment-without-basis": "paiement d'une créance antérieure sans fondement "
    "(interdiction des paiements)",
    "R622-24.late-declaration": "déclaration de créance hors délai",
    "L622-26.late-relief-request": "relevé de forclusion demandé hors délai",
    "L622-26.dividend-to-foreclosed-claim": "dividende versé à une créance forclose",
    "L622-17-IV.late-notice": "créance postérieure portée à connaissance hors délai",
    "L621-3.observation-too-long": "période d'observation trop longue",
    "L626-12.plan-too-long": "plan d'une durée supérieure au maximum légal",
    "L626-18.first-payment-late": "premier paiement plus d'un an après l'arrêté "
    "du plan",
    "L626-18.annuity-below-minimum": "annuité inférieure au minimum légal (délais "
    "imposés)",
    "L626-18.delays-beyond-duration": "délais imposés au-delà de la durée du plan",
    "L626-18.imposed-sum": "délais imposés ne couvrant pas le passif admis (une "
    "remise ne peut être imposée)",
    "L626-12.agreed-delays-beyond-maximum": "délais acceptés au-delà du maximum légal",
    "L626-5.silence-before-30-days": "silence du créancier compté avant 30 jours",
    "L626-20-I.not-paid-at-adoption": "créance non soumise aux délais impayée à "
    "l'arrêté du plan",
    "L626-20-II.small-claim-not-paid": "petite créance non payée à l'arrêté du plan",
    "L626-21.instalment-late": "échéance du plan versée en retard au commissaire à "
    "l'exécution du plan (risque de résolution)",
    "L622-28.interest-after-opening": "intérêts comptés après le jugement d'ouverture",
    "L3253-8.ags-outside-window": "avance de l'AGS hors des périodes garanties",
    "L3253-17.ags-above-cap": "avance de l'AGS au-delà du plafond de garantie",
    "L3253-2.superprivilege-above-ceiling": "part superprivilégiée au-delà du plafond",
    "L631-19.redundancy-after-the-month": "licenciement économique plus d'un mois "
    "après l'arrêté du plan",
    "L626-10.tranche-late": "tranche d'un engagement d'investisseur non reçue à "
    "l'échéance",
    "disclosure.better-fortune-waiver": "abandon avec clause de retour à meilleure "
    "fortune non mentionné en annexe (pratique comptable, non vérifiée)",
}


#: What a statement line records (plandebt.projections.statement): the fact's kind,
#: and for a movement the postings' column it moves, in French.
STATEMENT_KINDS_FR: dict[str, str] = {
    "claim.declared": "déclaration",
    "claim.admitted": "admission",
    "claim.contested": "contestation",
    "claim.rejected": "rejet",
    "claim.foreclosed": "forclusion",
    "claim.relief_requested": "demande de relevé de forclusion",
    "claim.relieved": "relevé de forclusion",
    "claim.interest_accrued": "intérêts courus",
    "claim.written_off": "abandon de créance",
    "claim.rescheduled": "rééchelonnement",
    "claim.waiver_revived": "retour à meilleure fortune",
    "payment.made": "paiement",
    "remission.granted": "remise",
    "ags.advanced": "avance de l'AGS",
    "fact.corrected": "rectification",
    "fact.voided": "annulation",
    "instalment due": "échéance due",
}
STATEMENT_COLUMNS_FR: dict[str, str] = {
    "declared": "montant déclaré",
    "paid": "payé",
    "remission": "remise",
    "interest": "intérêts",
    "written_off": "abandonné",
    "subrogated": "subrogé",
}


def statement_what(what: str) -> str:
    """A statement line's "what" ("payment.made paid") in the command's language."""
    if style().lang != "fr":
        return what
    if what in STATEMENT_KINDS_FR:
        return STATEMENT_KINDS_FR[what]
    kind, _, column = what.partition(" ")
    named = STATEMENT_KINDS_FR.get(kind, kind)
    return f"{named} ({STATEMENT_COLUMNS_FR.get(column, column)})" if column else named


def say(english: str, french: str) -> str:
    """A sentence of a table's heading, in the language of the command."""
    return french if style().lang == "fr" else english


def word(key: str) -> str:
    """A header or a phrase, by its key (the key itself when it has no entry)."""
    pair = WORDS.get(key)
    return key if pair is None else _pick(pair)


def value(key: str) -> str:
    """A value shown in a cell (a rank, a phase...), by its stable English key."""
    return VALUES_FR.get(key, key) if style().lang == "fr" else key


def rule_title(rule: str) -> str:
    """The rule's title: its French title, or its id (in English, or for a rule
    with no French title yet)."""
    return RULES_FR.get(rule, rule) if style().lang == "fr" else rule


def _key(text: str) -> str:
    """Text compared without case, accents, spaces or punctuation."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in plain if c.isalnum())


#: What --rank accepts: the English value, its English and French labels, and the
#: usual French names (chirographaire, superprivilégiée, privilégiée sociale...).
RANK_ALIASES: dict[str, Rank] = {
    **{_key(r.value): r for r in Rank},
    **{_key(VALUES_FR[r.value]): r for r in Rank},
    _key("chirographaire"): Rank.UNSECURED,
    _key("superprivilégiée"): Rank.SUPERPRIVILEGED_WAGES,
    _key("superprivilège"): Rank.SUPERPRIVILEGED_WAGES,
    _key("nantie"): Rank.SECURED,
    _key("hypothécaire"): Rank.SECURED,
    _key("privilégiée sociale"): Rank.PRIVILEGED_SOCIAL,
    _key("privilégiée fiscale"): Rank.PRIVILEGED_TAX,
    _key("privilégiée salariale"): Rank.SALARY_PRIVILEGED,
    _key("postérieure"): Rank.POST_OPENING,
}


def rank(text: str) -> Rank:
    """The rank `text` names, in English or French; ValueError if none."""
    found = RANK_ALIASES.get(_key(text))
    if found is None:
        raise ValueError(
            f"{text!r} is not a rank (chirographaire, privilégiée sociale, "
            f"superprivilégiée, nantie, postérieure... or {', '.join(r.value for r in Rank)})"
        )
    return found
