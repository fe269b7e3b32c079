"""An illustrative case built on the figures of the seed document (a cooperative's
continuation plan after a redressement judiciaire: a frozen social debt of about
€900k, a €3.447M liability cleared over 10 years, intercompany balances with the
group's two main investors). Names of people are pseudonyms; the dates and the split
of the liability between creditors are ILLUSTRATIVE, not the real case's.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from plandebt.events import Fact

if TYPE_CHECKING:
    from plandebt.ledger import Ledger

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
#: The public creditors and the bank declare early; the others on 2022-05-10, within
#: the two months after the BODACC notice (R622-24).
_DECLARED_ON = {
    "URSSAF-1": "2022-04-12",
    "DGFIP-1": "2022-04-20",
    "BANK-LOAN": "2022-04-26",
}


def illustrative_journal() -> list[dict[str, Any]]:
    """The illustrative case as a dated journal (what `plandebt demo` restores):
    its lines in the order the facts became known, each with the time it was
    recorded (`recorded_at`, `dated`), so that the case "as known at" any day of
    its history shows what was known that day."""
    return dated(_lines())


def record_illustrative(ledger: Ledger) -> list[Fact]:
    """Records the illustrative case in `ledger` as its clerk would have, each fact
    at the time the dated journal gives it: the ledger's clock is set to each time in
    turn, so the facts are new facts of this store, chained as any others (a restore
    would need a journal carrying its hashes, docs/integrity.md)."""
    recorded: list[Fact] = []
    clock = ledger.clock
    try:
        for line in illustrative_journal():
            ledger.clock = functools.partial(
                _at, datetime.fromisoformat(line.pop("recorded_at"))
            )
            recorded += ledger.import_journal([line])
    finally:
        ledger.clock = clock
    return recorded


def _at(moment: datetime) -> datetime:
    return moment


#: The hour of the day (UTC) the illustrative clerk records the day's facts at.
RECORDING_HOUR = 17


def dated(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`lines` in the order they became known, with their recording times: a fact is
    known on its effective date, but not before what it is about (a payment made
    before its claim was declared is recorded with the declaration); facts known on
    the same day keep the journal's order, a second apart."""
    known: list[str] = []
    declared: dict[str, str] = {}
    registered: dict[str, str] = {}
    for line in lines:
        day = max(
            [str(line["effective_on"])]
            + [
                on
                for on in (
                    declared.get(line.get("claim", "")),
                    registered.get(line.get("creditor", "")),
                )
                if on is not None
            ]
        )
        if line["kind"] == "claim.declared":
            declared[line["claim"]] = day
        elif line["kind"] == "creditor.registered":
            registered[line["creditor"]] = day
        known.append(day)
    order = sorted(range(len(lines)), key=known.__getitem__)
    out: list[dict[str, Any]] = []
    second, previous = 0, ""
    for i in order:
        second = second + 1 if known[i] == previous else 0
        previous = known[i]
        moment = datetime.fromisoformat(known[i]).replace(
            hour=RECORDING_HOUR, tzinfo=UTC
        ) + timedelta(seconds=second)
        out.append({**lines[i], "recorded_at": moment.isoformat()})
    return out


def _lines() -> list[dict[str, Any]]:
    """The illustrative case's facts, subject by subject."""
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
                "effective_on": _DECLARED_ON.get(claim, "2022-05-10"),
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
    lines += _support_lines() + _plan_lines() + _employment_lines()
    return lines + _payments(lines)


ADOPTED_ON = "2023-03-20"
UNIFORM = ["2", "3", "5", "8", "10", "12", "12", "15", "15", "18"]  # law primer §8


#: Creditors that received the consultation letter with the others and did not
#: answer: 30 days later their silence is an acceptance of the default option
#: (L626-5). Without them they would be never consulted, and each one a finding.
_SILENT = ("DGFIP", "SMARTBE", "BANK", "ENERGY", "IT", "FORMER", "AGS")


def _silent_answers(case: str) -> list[dict[str, Any]]:
    return [
        {
            "kind": "plan.consultation_answered",
            "case": case,
            "id": f"answer-{creditor}",
            "effective_on": "2023-01-12",
            "creditor": creditor,
            "answer": "silent",
            "received_on": "2022-12-12",
        }
        for creditor in _SILENT
    ]


def _plan_lines() -> list[dict[str, Any]]:
    case = CASE
    return [
        *_silent_answers(case),
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


def _support_lines() -> list[dict[str, Any]]:
    """The group's support (seed: €6.8M over 3 years from the two main investors,
    conditional on the plan; intercompany balances of 2020–2021 over 10 years instead
    of 2; current-account waivers). Tranche dates and amounts are illustrative."""
    case = CASE
    lines: list[dict[str, Any]] = [
        {
            "kind": "support.committed",
            "case": case,
            "id": "commit-SMARTCOOP",
            "effective_on": "2022-10-25",
            "commitment": "SMARTCOOP-2022",
            "investor": "SMARTCOOP",
            "form": "capital_increase",
            "condition": "plan_adoption",
            "tranches": [
                {"due_on": "2023-04-30", "amount": "1200000.00"},
                {"due_on": "2024-04-30", "amount": "1100000.00"},
                {"due_on": "2025-04-30", "amount": "1100000.00"},
            ],
        },
        {
            "kind": "support.committed",
            "case": case,
            "id": "commit-SMARTBE",
            "effective_on": "2022-10-25",
            "commitment": "SMARTBE-2022",
            "investor": "SMARTBE",
            "form": "current_account_advance",
            "condition": "plan_adoption",
            "tranches": [
                {"due_on": "2023-04-30", "amount": "1400000.00"},
                {"due_on": "2024-04-30", "amount": "1000000.00"},
                {"due_on": "2025-04-30", "amount": "1000000.00"},
            ],
        },
        # Waivers: one final, one with a better-fortune clause that later revives in
        # part.
        {
            "kind": "claim.written_off",
            "case": case,
            "id": "waiver-SMARTCOOP-2021",
            "effective_on": "2022-12-15",
            "claim": "SMARTCOOP-2021",
            "amount": "100000.00",
            "clause": "pure",
        },
        {
            "kind": "claim.written_off",
            "case": case,
            "id": "waiver-SMARTBE-CC",
            "effective_on": "2022-12-15",
            "claim": "SMARTBE-CC",
            "amount": "150000.00",
            "clause": "better_fortune",
            "reference": "Convention d'abandon (illustrative)",
        },
        {
            "kind": "claim.waiver_revived",
            "case": case,
            "id": "revive-SMARTBE-CC",
            "effective_on": "2025-12-31",
            "claim": "SMARTBE-CC",
            "waiver": "waiver-SMARTBE-CC",
            "amount": "50000.00",
            "condition": "equity back above half of the share capital (illustrative)",
        },
    ]
    for claim in ("SMARTCOOP-2020", "SMARTCOOP-2021"):
        lines.append(
            {
                "kind": "claim.rescheduled",
                "case": case,
                "id": f"reschedule-{claim}",
                "effective_on": "2023-01-15",
                "claim": claim,
                "percents": ["10"] * 10,
                "agreement_ref": "intercos over 10 years instead of 2",
            }
        )
    received = [
        ("SMARTCOOP-2022", "2023-04-28", "1200000.00", "capital_increase"),
        ("SMARTCOOP-2022", "2024-04-30", "1100000.00", "capital_increase"),
        ("SMARTCOOP-2022", "2025-04-30", "1100000.00", "capital_increase"),
        ("SMARTBE-2022", "2023-04-28", "1400000.00", "current_account_advance"),
        ("SMARTBE-2022", "2024-05-15", "1000000.00", "current_account_advance"),
        ("SMARTBE-2022", "2025-04-30", "600000.00", "current_account_advance"),
    ]
    for n, (commitment, on, amount, form) in enumerate(received, start=1):
        if form == "current_account_advance":
            lines.append(
                {
                    "kind": "claim.declared",
                    "case": case,
                    "id": f"declare-ADVANCE-{n}",
                    "effective_on": on,
                    "claim": f"SMARTBE-ADVANCE-{n}",
                    "creditor": "SMARTBE",
                    "amount": amount,
                    "origin_on": on,
                    "rank": "new_money",
                    "declared_by": "debtor_list",
                }
            )
        lines.append(
            {
                "kind": "support.received",
                "case": case,
                "id": f"received-{n}",
                "effective_on": on,
                "commitment": commitment,
                "amount": amount,
                "form": form,
                "claim": f"SMARTBE-ADVANCE-{n}"
                if form == "current_account_advance"
                else None,
            }
        )
    return [{k: v for k, v in line.items() if v is not None} for line in lines]


def _employment_lines() -> list[dict[str, Any]]:
    """The job-protection plan (seed: 27 voluntary departures and 2 dismissals, partly
    funded by the group). Pseudonyms, seniority and pay are illustrative."""
    from datetime import timedelta

    case = CASE
    lines: list[dict[str, Any]] = []
    for n in range(1, 30):
        employee = f"E{n:02d}"
        dismissed = n >= 28
        left = date(2022, 6, 30) + timedelta(days=3 * n)
        if n == 29:
            left = date(2023, 4, 14)  # within a month of the plan's adoption
        seniority = 10 + (n * 37) % 170
        pay = 2200 + (n * 173) % 2000
        lines.append(
            {
                "kind": "employment.departed",
                "case": case,
                "id": f"departure-{employee}",
                "effective_on": left.isoformat(),
                "employee": employee,
                "departure": "economic_dismissal" if dismissed else "voluntary_pse",
                "seniority_months": seniority,
                "monthly_pay": f"{pay}.00",
            }
        )
        # The PSE gave more than the legal floor: 1.5 months of pay per year of
        # seniority, rounded to the euro (illustrative).
        agreed = max(pay, round(pay * seniority * 3 / 24))
        lines.append(
            {
                "kind": "employment.severance_agreed",
                "case": case,
                "id": f"agreed-{employee}",
                "effective_on": left.isoformat(),
                "employee": employee,
                "amount": f"{agreed}.00",
            }
        )
        if not dismissed:
            half = agreed // 2
            lines += [
                {
                    "kind": "employment.severance_paid",
                    "case": case,
                    "id": f"paid-{employee}-company",
                    "effective_on": left.isoformat(),
                    "employee": employee,
                    "amount": f"{agreed - half}.00",
                    "funding": "company",
                },
                {
                    "kind": "employment.severance_paid",
                    "case": case,
                    "id": f"paid-{employee}-group",
                    "effective_on": left.isoformat(),
                    "employee": employee,
                    "amount": f"{half}.00",
                    "funding": "group_support",
                },
            ]
            continue
        # A dismissed employee's claim (notice and severance), listed by the
        # mandataire, advanced by the AGS, which is subrogated (L3253-16).
        notice = 2 * pay
        lines += [
            {
                "kind": "creditor.registered",
                "case": case,
                "id": f"creditor-{employee}",
                "effective_on": OPENED_ON,
                "creditor": employee,
                "name": employee,
                "creditor_kind": "employee",
            },
            {
                "kind": "claim.declared",
                "case": case,
                "id": f"declare-{employee}",
                "effective_on": left.isoformat(),
                "claim": f"{employee}-1",
                "creditor": employee,
                "amount": f"{notice + agreed}.00",
                "origin_on": left.isoformat(),
                "rank": "salary_privileged",
                "declared_by": "mandataire",
            },
            {
                "kind": "claim.declared",
                "case": case,
                "id": f"declare-{employee}-AGS-SP",
                "effective_on": left.isoformat(),
                "claim": f"{employee}-1-AGS-SP",
                "creditor": "AGS",
                "amount": f"{notice}.00",
                "origin_on": left.isoformat(),
                "rank": "ags_superprivileged",
                "declared_by": "mandataire",
            },
            {
                "kind": "claim.declared",
                "case": case,
                "id": f"declare-{employee}-AGS-P",
                "effective_on": left.isoformat(),
                "claim": f"{employee}-1-AGS-P",
                "creditor": "AGS",
                "amount": f"{agreed}.00",
                "origin_on": left.isoformat(),
                "rank": "salary_privileged",
                "declared_by": "mandataire",
            },
            {
                "kind": "ags.advanced",
                "case": case,
                "id": f"ags-{employee}",
                "effective_on": left.isoformat(),
                "employee": employee,
                "employee_claim": f"{employee}-1",
                "superprivileged": f"{notice}.00",
                "privileged": f"{agreed}.00",
                "superprivileged_claim": f"{employee}-1-AGS-SP",
                "privileged_claim": f"{employee}-1-AGS-P",
            },
        ]
    return lines


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
    for due_on, amount in schedule.by_date():
        if due_on > date(2026, 6, 30):
            break
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
