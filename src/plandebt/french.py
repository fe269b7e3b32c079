"""How plandebt writes French: dates (20/06/2024), percentages (21,09 %), and the
French names of the stable English values the library keeps (ranks, claim
statuses, procedures), in the vocabulary of the Code de commerce.

One place for them, so that a finding's French message (`compliance`), a table
(`cli.labels`) and a report (`reports.labels`) write a date or a rank the same way.
Amounts are `Money.french()`.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

#: Not the locale's names: a message reads the same on every machine.
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

#: The ranks of plandebt.events.claims.Rank.
RANKS: dict[str, str] = {
    "superprivileged_wages": "superprivilégiée (salaires)",
    "ags_superprivileged": "superprivilégiée (AGS)",
    "salary_privileged": "privilégiée (salaires)",
    "privileged_tax": "privilégiée (Trésor)",
    "privileged_social": "privilégiée (sociale)",
    "secured": "nantie / hypothécaire",
    "unsecured": "chirographaire",
    "post_opening": "postérieure",
    "new_money": "apport en trésorerie",
    "conciliation": "privilège de conciliation",
}

#: A claim's statuses (plandebt.lifecycle.ClaimStatus).
CLAIM_STATUSES: dict[str, str] = {
    "declared": "déclarée",
    "admitted": "admise",
    "rejected": "rejetée",
    "contested": "contestée",
    "foreclosed": "forclose",
    "relieved": "relevée de forclusion",
    "relief_requested": "relevé de forclusion demandé",
    "withdrawn": "retirée",
}

#: The proceedings (plandebt.events.ProcedureKind).
PROCEDURES: dict[str, str] = {
    "redressement_judiciaire": "redressement judiciaire",
    "sauvegarde": "sauvegarde",
    "sauvegarde_acceleree": "sauvegarde accélérée",
    "liquidation_judiciaire": "liquidation judiciaire",
}


def day(on: date) -> str:
    """20/06/2024: day, month, year, as French courts date their judgments."""
    return f"{on.day:02d}/{on.month:02d}/{on.year:04d}"


def percent(amount: Decimal | int | str) -> str:
    """21,09 %: a decimal comma and a space before the sign."""
    return f"{str(amount).replace('.', ',')} %"


def name(table: dict[str, str], key: str) -> str:
    """The French name of a stable value, the value itself when it has none."""
    return table.get(key, key.replace("_", " "))


def plural(n: int, noun: str) -> str:
    """'1 jour', '21 jours': French counts 0 and 1 in the singular."""
    return f"{n} {noun}{'s' if abs(n) >= 2 else ''}"
