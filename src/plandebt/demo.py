"""An illustrative case built on the figures of the seed document (a cooperative's
continuation plan after a redressement judiciaire: a frozen social debt of about
€900k, a €3.447M liability cleared over 10 years, intercompany balances with the
group's two main investors). Names of people are pseudonyms; the dates and the split
of the liability between creditors are ILLUSTRATIVE, not the real case's.
"""

from __future__ import annotations

from typing import Any

from plandebt.events import Fact

CASE = "RJ-2022-SMART-FR (illustrative)"

_CREDITORS = [
    ("URSSAF", "URSSAF Île-de-France", "social", False),
    ("DGFIP", "Service des impôts des entreprises", "tax", False),
    ("SMARTCOOP", "SmartCoop (Belgium)", "group_company", True),
    ("SMARTBE", "Fondation SmartBe (Belgium)", "group_company", True),
    ("BANK", "Banque coopérative", "bank", False),
    ("LANDLORD", "Bailleur du siège", "supplier", False),
    ("ENERGY", "Fournisseur d'énergie", "supplier", False),
    ("IT", "Éditeur de logiciels de paie", "supplier", False),
    ("PRINT", "Imprimerie", "supplier", False),
    ("CATERING", "Traiteur", "supplier", False),
    ("COURIER", "Coursier", "supplier", False),
    ("AGS", "AGS (CGEA)", "ags", False),
    ("FORMER", "Ancien prestataire", "supplier", False),
    ("CLEANING", "Société de nettoyage", "supplier", False),
]

# claim, creditor, declared, admitted (None: undecided), origin, rank
_CLAIMS: list[tuple[str, str, str, str | None, str, str]] = [
    ("URSSAF-1", "URSSAF", "912400.00", "898750.00", "2021-12-31", "privileged_social"),
    ("DGFIP-1", "DGFIP", "214380.00", "214380.00", "2021-12-31", "privileged_tax"),
    (
        "SMARTCOOP-2020",
        "SMARTCOOP",
        "640000.00",
        "640000.00",
        "2020-12-31",
        "unsecured",
    ),
    (
        "SMARTCOOP-2021",
        "SMARTCOOP",
        "585000.00",
        "585000.00",
        "2021-12-31",
        "unsecured",
    ),
    ("SMARTBE-CC", "SMARTBE", "410000.00", "410000.00", "2021-11-30", "unsecured"),
    ("BANK-LOAN", "BANK", "350000.00", "350000.00", "2021-06-30", "secured"),
    ("LANDLORD-1", "LANDLORD", "96200.00", "96200.00", "2022-02-28", "unsecured"),
    ("ENERGY-1", "ENERGY", "108050.00", "108050.00", "2022-02-15", "unsecured"),
    ("IT-1", "IT", "58470.00", "58470.00", "2022-01-31", "unsecured"),
    ("PRINT-1", "PRINT", "450.00", "450.00", "2022-01-20", "unsecured"),
    ("CATERING-1", "CATERING", "380.00", "380.00", "2022-02-10", "unsecured"),
    ("COURIER-1", "COURIER", "320.00", "320.00", "2022-02-25", "unsecured"),
    ("AGS-SUPER", "AGS", "85000.00", "85000.00", "2022-03-10", "ags_superprivileged"),
    ("FORMER-1", "FORMER", "24600.00", None, "2021-10-15", "unsecured"),
]

OPENED_ON = "2022-03-14"


def illustrative_journal() -> list[dict[str, Any]]:
    """The illustrative case as journal lines (what `plandebt demo` records)."""
    case = CASE
    lines: list[dict[str, Any]] = [
        {
            "kind": "case.opened",
            "case": case,
            "id": "opening",
            "effective_on": OPENED_ON,
            "procedure": "redressement_judiciaire",
            "court": "Tribunal judiciaire (illustrative)",
            "debtor": "Smart France coopérative (illustrative)",
            "judgment_ref": "RG 22/00123 (illustrative)",
            "bodacc_published_on": "2022-03-27",
            "cessation_on": "2022-02-28",
        }
    ]
    for creditor, name, kind, abroad in _CREDITORS:
        lines.append(
            {
                "kind": "creditor.registered",
                "case": case,
                "id": f"creditor-{creditor}",
                "effective_on": OPENED_ON,
                "creditor": creditor,
                "name": name,
                "creditor_kind": kind,
                "abroad": abroad,
            }
        )
    for claim, creditor, declared, _admitted, origin, rank in _CLAIMS:
        by = "mandataire" if creditor == "AGS" else "creditor"
        lines.append(
            {
                "kind": "claim.declared",
                "case": case,
                "id": f"declare-{claim}",
                "effective_on": "2022-05-10",
                "claim": claim,
                "creditor": creditor,
                "amount": declared,
                "origin_on": origin,
                "rank": rank,
                "declared_by": by,
            }
        )
    for claim, _creditor, declared, admitted, _origin, _rank in _CLAIMS:
        if admitted is None:
            lines.append(
                {
                    "kind": "claim.contested",
                    "case": case,
                    "id": f"contest-{claim}",
                    "effective_on": "2022-09-20",
                    "claim": claim,
                    "reason": "lawsuit pending (illustrative)",
                }
            )
            continue
        line = {
            "kind": "claim.admitted",
            "case": case,
            "id": f"admit-{claim}",
            "effective_on": "2022-09-20",
            "claim": claim,
            "decision_ref": "Ordonnance JC 22/45 (illustrative)",
        }
        if admitted != declared:
            line["amount"] = admitted
        lines.append(line)
    lines += [
        # A post-opening claim paid at maturity (L622-17), and a frozen claim paid
        # during the observation period without any basis: it happened, it is recorded
        # and the compliance checks will flag it (L622-7).
        {
            "kind": "creditor.registered",
            "case": case,
            "id": "creditor-CLEANING-late",
            "effective_on": OPENED_ON,
            "creditor": "CLEANING-2",
            "name": "Nettoyage (post-opening contract)",
            "creditor_kind": "supplier",
        },
        {
            "kind": "claim.declared",
            "case": case,
            "id": "declare-CLEANING-POST",
            "effective_on": "2022-04-30",
            "claim": "CLEANING-POST",
            "creditor": "CLEANING-2",
            "amount": "2400.00",
            "origin_on": "2022-04-30",
            "rank": "post_opening",
            "declared_by": "debtor_list",
        },
        {
            "kind": "payment.made",
            "case": case,
            "id": "pay-CLEANING-POST",
            "effective_on": "2022-05-30",
            "claim": "CLEANING-POST",
            "amount": "2400.00",
            "basis": "post_opening_at_maturity",
        },
        {
            "kind": "payment.made",
            "case": case,
            "id": "pay-IT-unlawful",
            "effective_on": "2022-04-05",
            "claim": "IT-1",
            "amount": "1200.00",
            "basis": "none",
        },
        # The URSSAF declaration is corrected: views as known before the correction
        # still show the old declared amount.
        {
            "kind": "fact.corrected",
            "case": case,
            "id": "correct-URSSAF-declared",
            "effective_on": "2022-05-10",
            "corrects": "declare-URSSAF-1",
            "changes": {"amount": "912450.00"},
            "reason": "clerical error in the declaration (illustrative)",
        },
    ]
    lines += _plan_lines()
    return lines + _payments(lines)


ADOPTED_ON = "2023-03-20"
UNIFORM = ["2", "3", "5", "8", "10", "12", "12", "15", "15", "18"]  # law primer §8


def _plan_lines() -> list[dict[str, Any]]:
    case = CASE
    return [
        {
            "kind": "plan.consultation_answered",
            "case": case,
            "id": "answer-LANDLORD",
            "effective_on": "2023-01-05",
            "creditor": "LANDLORD",
            "answer": "accepts",
            "option": "fast",
            "received_on": "2022-12-12",
        },
        {
            "kind": "plan.consultation_answered",
            "case": case,
            "id": "answer-URSSAF",
            "effective_on": "2023-01-09",
            "creditor": "URSSAF",
            "answer": "refuses",
            "received_on": "2022-12-12",
        },
        {
            "kind": "plan.adopted",
            "case": case,
            "id": "plan",
            "effective_on": ADOPTED_ON,
            "duration_years": 10,
            "supervisor": "Me Commissaire (illustrative)",
            "judgment_ref": "Jugement du 20 mars 2023 (illustrative)",
            "options": [
                {
                    "option": "uniform",
                    "percents": UNIFORM,
                    "label": "uniform delays over 10 years (L626-18)",
                },
                {
                    "option": "fast",
                    "percents": ["50"],
                    "label": "50 % within one year, the rest remitted (L626-19)",
                },
            ],
            "uniform_option": "uniform",
            "default_option": "uniform",
            "first_due": "first_anniversary",
        },
    ]


def _payments(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The debtor's remittances and the supervisor's distributions: at adoption and
    for plan years 1 to 3, the second one 21 days late."""
    from plandebt.ledger import Ledger

    scratch = Ledger.open("memory")
    scratch.import_journal(lines)
    schedule = scratch.schedule(CASE)
    assert schedule is not None
    late = {"2025-03-20": "2025-04-10"}
    out: list[dict[str, Any]] = []
    for due_on, amount in schedule.by_date()[:4]:
        paid_on = late.get(due_on.isoformat(), due_on.isoformat())
        out.append(
            {
                "kind": "plan.instalment_remitted",
                "case": CASE,
                "id": f"remit-{due_on}",
                "effective_on": paid_on,
                "amount": amount.plain(),
            }
        )
        for claim in schedule.claims:
            if claim.provisional:
                continue  # reserved by the supervisor until decided (L626-21)
            for instalment in claim.instalments:
                if claim.due_on(instalment) == due_on and instalment.amount:
                    out.append(
                        {
                            "kind": "payment.made",
                            "case": CASE,
                            "id": f"dividend-{claim.claim}-{instalment.number}",
                            "effective_on": paid_on,
                            "claim": claim.claim,
                            "amount": instalment.amount.plain(),
                            "basis": "plan_dividend",
                        }
                    )
    return out


def illustrative_facts() -> list[Fact]:
    from plandebt.journal import parse_lines

    return [fact for _n, fact in parse_lines(illustrative_journal())]
