"""The words of the reports and plots, in French (the default: they go to a French
court) and in English. A label missing from a language falls back to French."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from plandebt import english, french
from plandebt.errors import InvalidInputError
from plandebt.money import Money

#: The languages the reports and plots are written in; the first is the default.
LANGUAGES = ("fr", "en")

_FR: dict[str, str] = {
    # ranks (events.Rank)
    "superprivileged_wages": "superprivilégiée (salaires)",
    "ags_superprivileged": "AGS, superprivilège",
    "salary_privileged": "privilégiée (salaires)",
    "privileged_tax": "privilégiée (Trésor)",
    "privileged_social": "privilégiée (organismes sociaux)",
    "secured": "nantie / hypothécaire",
    "unsecured": "chirographaire",
    "post_opening": "postérieure (L622-17)",
    "new_money": "apport de trésorerie (L622-17 III 2°)",
    "conciliation": "privilège de conciliation (L611-11)",
    # claim statuses (lifecycle.ClaimStatus)
    "declared": "déclarée, sans décision",
    "admitted": "admise",
    "rejected": "rejetée",
    "contested": "contestée",
    "foreclosed": "forclose",
    "relief_requested": "relevé de forclusion demandé",
    "relieved": "relevée de forclusion",
    # plan phases (projections.plan.PlanStatus.phase)
    "not_opened": "procédure non ouverte",
    "observation": "période d'observation",
    "performing": "exécuté à bonne date",
    "modified": "modifié, exécuté à bonne date",
    "in_arrears": "en retard",
    "in_default": "en défaut",
    "resolved": "résolu",
    "completed": "exécuté",
    "liquidation": "liquidation judiciaire",
    # severities (compliance.Severity)
    "error": "manquement",
    "warning": "point d'attention",
    "info": "information",
    # the annual report
    "annual_title": "Rapport annuel du commissaire à l'exécution du plan",
    "plan_year": "Année du plan",
    "period": "Période",
    "from_to": "du {start} au {end}",
    "prepared_on": "Établi le",
    "case": "Affaire",
    "debtor": "Débiteur",
    "court": "Juridiction",
    "supervisor": "Commissaire à l'exécution du plan",
    "judgment": "Jugement arrêtant le plan",
    "adopted_on": "Plan arrêté le",
    "duration": "Durée du plan",
    "phase": "Situation du plan",
    "execution": "Exécution du plan sur l'année",
    "in_year": "Sur l'année",
    "cumulative": "Depuis l'adoption",
    "due": "Échu",
    "remitted_to_supervisor": "Versé par le débiteur",
    "distributed": "Réparti aux créanciers",
    "reserved": "Réservé (créances sans décision, L626-21 al. 4)",
    "arrears": "Retard du débiteur",
    "percent_repaid": "Part du plan versée",
    "late_title": "Échéances réglées en retard ou impayées",
    "no_late": "Toutes les échéances ont été versées à leur date.",
    "due_on": "Échéance",
    "amount": "Montant",
    "covered_on": "Couverte le",
    "days_late": "Jours de retard",
    "unpaid": "impayée",
    "creditors_title": "Situation par créancier",
    "creditor": "Créancier",
    "behind": "Restant à répartir",
    "findings_title": "Constats",
    "no_finding": "Aucun constat.",
    "severity": "Gravité",
    "article": "Article",
    "finding": "Constat",
    "support_title": "Soutien du groupe",
    "no_support": "Aucun engagement de soutien enregistré.",
    "investor": "Investisseur",
    "committed": "Engagé",
    "received_in_year": "Reçu sur l'année",
    "received": "Reçu depuis l'adoption",
    "late": "En retard",
    "outlook_title": "Perspectives",
    "next_due": "Prochaine échéance",
    "next_year_due": "Échéances de l'année suivante",
    "remaining": "Reste à verser sur le plan",
    "affordability": "Capacité de remboursement (prévisions du débiteur)",
    "margin": "Marge",
    "carried": "Marge cumulée",
    "all_covered": "Chaque annuité prévue est couverte par les ressources de son année.",
    "first_short": "Première année insuffisante : année {year}, il manque {amount}.",
    "none": "aucune",
    "charts_title": "Graphiques",
    "charts_missing": "Graphiques non produits : pip install 'plandebt[plot]'.",
    "head": "Empreinte de l'historique : position {position}, SHA-256 {sha}",
    "no_hash": "non disponible dans cette version",
    "no_history": "Empreinte de l'historique : aucun fait enregistré",
    "known_at": "Tel que connu à la position {position}",
    "page": "Page",
    # the état des créances
    "claims_title": "État des créances",
    "as_of": "Au",
    "claim": "N° créance",
    "name": "Nom",
    "rank": "Nature",
    "declared_amount": "Déclaré",
    "decision": "Décision",
    "admitted_amount": "Admis",
    "decided_on": "Date de décision",
    "decision_ref": "Décision (référence)",
    "total": "Total",
    "by_rank": "Par nature",
    "claims_count": "Créances",
    # plots
    "plot_cumulative": "Cumul échu, versé et réparti",
    "plot_outstanding": "Encours par nature",
    "plot_arrears": "Retard du débiteur",
    "plot_forecast": "Capacité de remboursement",
    "year_axis": "Année du plan",
    "euros_axis": "euros",
    "cash_in": "Ressources disponibles",
    "annuity": "Annuité du plan",
}

_EN: dict[str, str] = {
    "superprivileged_wages": "superprivileged (wages)",
    "ags_superprivileged": "AGS, superprivilege",
    "salary_privileged": "privileged (wages)",
    "privileged_tax": "privileged (Treasury)",
    "privileged_social": "privileged (social bodies)",
    "secured": "secured",
    "unsecured": "unsecured",
    "post_opening": "post-opening (L622-17)",
    "new_money": "new money (L622-17 III 2°)",
    "conciliation": "conciliation privilege (L611-11)",
    "declared": "declared, no decision",
    "admitted": "admitted",
    "rejected": "rejected",
    "contested": "contested",
    "foreclosed": "foreclosed",
    "relief_requested": "relief requested",
    "relieved": "relieved",
    "not_opened": "not opened",
    "observation": "observation period",
    "performing": "performing",
    "modified": "modified, performing",
    "in_arrears": "in arrears",
    "in_default": "in default",
    "resolved": "resolved",
    "completed": "completed",
    "liquidation": "liquidation",
    "error": "breach",
    "warning": "warning",
    "info": "information",
    "annual_title": "Annual report of the plan supervisor",
    "plan_year": "Plan year",
    "period": "Period",
    "from_to": "from {start} to {end}",
    "prepared_on": "Prepared on",
    "case": "Case",
    "debtor": "Debtor",
    "court": "Court",
    "supervisor": "Plan supervisor",
    "judgment": "Plan judgment",
    "adopted_on": "Plan adopted on",
    "duration": "Duration",
    "phase": "Plan status",
    "execution": "The plan's execution over the year",
    "in_year": "In the year",
    "cumulative": "Since adoption",
    "due": "Due",
    "remitted_to_supervisor": "Remitted by the debtor",
    "distributed": "Distributed to creditors",
    "reserved": "Reserved (claims without decision, L626-21 al. 4)",
    "arrears": "Debtor's arrears",
    "percent_repaid": "Share of the plan remitted",
    "late_title": "Instalments paid late or unpaid",
    "no_late": "Every instalment was remitted on its date.",
    "due_on": "Due on",
    "amount": "Amount",
    "covered_on": "Covered on",
    "days_late": "Days late",
    "unpaid": "unpaid",
    "creditors_title": "By creditor",
    "creditor": "Creditor",
    "behind": "Left to distribute",
    "findings_title": "Findings",
    "no_finding": "No finding.",
    "severity": "Severity",
    "article": "Article",
    "finding": "Finding",
    "support_title": "Group support",
    "no_support": "No support commitment recorded.",
    "investor": "Investor",
    "committed": "Committed",
    "received_in_year": "Received in the year",
    "received": "Received since adoption",
    "late": "Late",
    "outlook_title": "Outlook",
    "next_due": "Next instalment",
    "next_year_due": "Instalments of the next year",
    "remaining": "Left to remit under the plan",
    "affordability": "Affordability (the debtor's forecast)",
    "margin": "Margin",
    "carried": "Carried margin",
    "all_covered": "Every annuity forecast is covered by its year's cash.",
    "first_short": "First year short: year {year}, short by {amount}.",
    "none": "none",
    "charts_title": "Charts",
    "charts_missing": "Charts not drawn: pip install 'plandebt[plot]'.",
    "head": "History fingerprint: position {position}, SHA-256 {sha}",
    "no_hash": "not available in this version",
    "no_history": "History fingerprint: no fact recorded",
    "known_at": "As known at position {position}",
    "page": "Page",
    "claims_title": "Schedule of claims",
    "as_of": "As of",
    "claim": "Claim",
    "name": "Name",
    "rank": "Rank",
    "declared_amount": "Declared",
    "decision": "Decision",
    "admitted_amount": "Admitted",
    "decided_on": "Decided on",
    "decision_ref": "Decision (reference)",
    "total": "Total",
    "by_rank": "By rank",
    "claims_count": "Claims",
    "plot_cumulative": "Cumulative due, remitted and distributed",
    "plot_outstanding": "Outstanding by rank",
    "plot_arrears": "Debtor's arrears",
    "plot_forecast": "Affordability",
    "year_axis": "Plan year",
    "euros_axis": "euros",
    "cash_in": "Cash available",
    "annuity": "Plan annuity",
}

_TABLES: Mapping[str, Mapping[str, str]] = {"fr": _FR, "en": _EN}


def check_language(lang: str) -> str:
    """`lang` if the reports are written in it, else a refusal naming those that are."""
    if lang not in LANGUAGES:
        raise InvalidInputError("lang", lang, f"must be one of {', '.join(LANGUAGES)}")
    return lang


class Labels:
    """The words of one language: `labels["due"]`, `labels.money(m)`, `labels.day(d)`."""

    def __init__(self, lang: str = "fr") -> None:
        self.lang = check_language(lang)
        self._words = _TABLES[lang]

    def __getitem__(self, key: str) -> str:
        return self._words.get(key) or _FR.get(key, key)

    def years(self, n: int) -> str:
        """'10 ans', '1 an'; '10 years', '1 year': each language's plural."""
        if self.lang == "fr":
            return french.plural(n, "an")
        return english.plural(n, "year")

    def money(self, amount: Money) -> str:
        """'1 234,56 €' in French, '€1,234.56' in English."""
        if self.lang == "fr":
            return amount.french()
        sign = "-" if amount.cents < 0 else ""
        units, cents = divmod(abs(amount.cents), 100)
        if amount.currency != "EUR":
            return f"{sign}{units:,}.{cents:02d} {amount.currency}"
        return f"{sign}€{units:,}.{cents:02d}"

    def day(self, on: date | None) -> str:
        """'20/03/2024' in French, '2024-03-20' in English; '—' for no date."""
        if on is None:
            return "—"
        return french.day(on) if self.lang == "fr" else on.isoformat()
