"""Every finding speaks French (issue 15 item 5): each rule writes its message in
English (`message`, stable for machines) and in French (`message_fr`), in the Code
de commerce's terms, dates as 20/06/2024, amounts as 1 234,56 €, percentages as
21,09 %. The French table prints the French message, the JSON carries both.

Besides these tests, tests/conftest.py checks the French message of every finding
any test makes a rule give (the compliance tests build a case for each rule)."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape
from tests.helpers import ISO_DATE, french_message_problems
from tests.test_reports import CASE, FIRST_ANNUITY, sample_case

from plandebt import Ledger, check_plan_proposal, english, french
from plandebt.cli import main
from plandebt.compliance import Finding
from plandebt.demo import CASE as DEMO
from plandebt.events import Fact
from plandebt.reports import render
from plandebt.reports.annual import annual_report
from plandebt.strategies import case_histories, plan_histories

#: Days the demo is checked on: before the plan, during it, at its end.
DEMO_DAYS = ["2022-03-31", "2022-06-30", "2023-12-31", "2025-04-30", "2026-06-30"]

#: Words of an English sentence that no French message has (ids aside).
ENGLISH = re.compile(r"\b(the|was|which|after|before|claim|paid|due)\b")
FACT_KIND = re.compile(r"\b[a-z_]+\.[a-z_]+\b")


def _demo(tmp_path, capsys) -> str:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "demo.db")
    assert main(["--db", db, "demo"]) == 0
    capsys.readouterr()
    return db


def _findings_json(db: str, day: str, capsys) -> list[dict]:  # type: ignore[no-untyped-def]
    main(["--db", db, "check", "--as-of", day, "--json"])
    return json.loads(capsys.readouterr().out)["check"]["findings"]


def _no_english(finding: Finding) -> None:
    """No English word of a sentence in the French message, once the ids it names
    (claims, creditors, options) are taken out."""
    text = finding.message_fr
    for name in (finding.claim, finding.creditor, "uniform", "fast"):
        if name:
            text = text.replace(name, "")
    text = FACT_KIND.sub("", text)  # a fact to record: claim.relief_requested
    assert not ENGLISH.search(text), finding.message_fr


def test_french_dates_and_percentages_are_written_the_french_way() -> None:
    assert french.day(date(2024, 6, 20)) == "20/06/2024"
    assert french.day(date(987, 1, 2)) == "02/01/0987"
    assert french.percent(Decimal("21.09")) == "21,09 %"
    assert french.percent(5) == "5 %"
    assert french.WEEKDAYS[date(2024, 6, 20).weekday()] == "jeudi"
    assert [french.plural(n, "jour") for n in (0, 1, 2)] == [
        "0 jour",
        "1 jour",
        "2 jours",
    ]


def test_every_finding_of_the_demo_has_its_message_in_french(tmp_path, capsys) -> None:
    db = _demo(tmp_path, capsys)
    ledger = Ledger.open(db)
    seen = set()
    for day in DEMO_DAYS:
        for f in ledger.check(DEMO, date.fromisoformat(day)).findings:
            assert french_message_problems(f) == []
            _no_english(f)
            seen.add(f.rule)
    assert {"L626-21.instalment-late", "L622-7.payment-without-basis"} <= seen


def test_the_demo_findings_say_in_french_what_the_english_says(
    tmp_path, capsys
) -> None:
    db = _demo(tmp_path, capsys)
    findings = {
        f.rule: f for f in Ledger.open(db).check(DEMO, date(2026, 6, 30)).findings
    }
    late = findings["L626-21.instalment-late"]
    assert "2025-03-20" in late.message and "170 948,31 €" in late.message
    assert late.message_fr == (
        "L'échéance du 20/03/2025 (170 948,31 €) a été versée au commissaire à "
        "l'exécution du plan avec 21 jours de retard, le 10/04/2025."
    )
    unlawful = findings["L622-7.payment-without-basis"]
    assert "née le 31/01/2022, avant le jugement d'ouverture du 14/03/2022" in (
        unlawful.message_fr
    )
    assert "1 200,00 € le 05/04/2022 sans aucun fondement" in unlawful.message_fr


def test_the_json_carries_both_messages_and_the_french_table_only_the_french(
    tmp_path, capsys
) -> None:
    db = _demo(tmp_path, capsys)
    for day in DEMO_DAYS:
        findings = _findings_json(db, day, capsys)
        main(["--db", db, "check", "--as-of", day, "--lang", "fr", "--wide"])
        table_fr = capsys.readouterr().out
        main(["--db", db, "check", "--as-of", day, "--lang", "en", "--wide"])
        table_en = capsys.readouterr().out
        for f in findings:
            assert f["message"] and f["message_fr"]
            assert not ISO_DATE.search(f["message_fr"])
            assert f["message_fr"] in table_fr and f["message"] not in table_fr
            assert f["message"] in table_en and f["message_fr"] not in table_en
        # Below the heading (which names the ruleset version), no English date but
        # in the fact ids of the evidence.
        said = [
            line
            for line in table_fr.splitlines()[1:]
            if not line.lstrip().startswith("pièces :")
        ]
        assert not [line for line in said if ISO_DATE.search(line)], table_fr


def test_a_percentage_below_the_minimum_is_written_21_09_percent() -> None:
    vector = ["0", "0", "4.99", "5.01", "5", "10", "10", "10", "10", "45"]
    plan = {
        "adopted_on": "2023-03-20",
        "duration_years": 10,
        "options": [{"option": "u", "percents": vector}],
        "uniform_option": "u",
    }
    (found,) = [
        f
        for f in check_plan_proposal(plan, opened_on=date(2022, 3, 14))
        if f.rule == "L626-18.annuity-below-minimum"
    ]
    assert "4.99 %" in found.message
    assert "l'annuité 3 représente 4,99 % de chaque créance admise" in found.message_fr
    assert "minimum de 5 % à compter de l'année 3" in found.message_fr


def test_a_deadline_moved_to_a_working_day_says_so_in_french() -> None:
    """The BODACC publication of 31/05/2022: two months end on Sunday 31/07/2022,
    moved to Monday 01/08/2022 (CPC art. 642); a claim declared the day after is
    late, and the French message gives both days."""
    ledger = Ledger.open("memory")
    opened = date(2022, 5, 16)
    ledger.open_case(
        "K",
        procedure="redressement_judiciaire",
        court="TJ",
        debtor="D",
        opened_on=opened,
        bodacc_published_on=date(2022, 5, 31),
    )
    ledger.register_creditor("K", "B", name="Bank", creditor_kind="bank")
    ledger.declare_claim(
        "K",
        "C1",
        creditor="B",
        amount="1000",
        origin_on=opened - timedelta(30),
        rank="unsecured",
        declared_on=date(2022, 8, 2),
    )
    (late,) = [
        f
        for f in ledger.check("K", date(2022, 9, 1)).findings
        if f.rule == "R622-24.late-declaration"
    ]
    assert "moved from Sunday 2022-07-31" in late.message
    assert late.message_fr == (
        "La créance C1 a été déclarée le 02/08/2022, 1 jour après le délai expirant "
        "le 01/08/2022 (2 mois à compter de la publication au BODACC du 31/05/2022, "
        "reporté du dimanche 31/07/2022 au premier jour ouvrable suivant (CPC art. "
        "642)) : elle est exclue des répartitions sauf relevé de forclusion "
        "(L622-26) ; le plan la compte tant que sa forclusion n'est pas enregistrée."
    )


def _record(facts: list[Fact]) -> Ledger:
    ledger = Ledger.open("memory")
    for fact in facts:
        ledger.record(fact)
    return ledger


def _check_all_days(ledger: Ledger, days: list[date]) -> None:
    for day in days:
        for f in ledger.check("CASE-1", day).findings:
            assert french_message_problems(f) == [], f
            _no_english(f)


@settings(max_examples=30)
@given(
    case_histories(max_operations=20),
    st.lists(st.dates(date(2015, 1, 1), date(2040, 1, 1)), min_size=1, max_size=3),
)
def test_every_finding_on_a_generated_case_has_a_french_message(
    facts: list[Fact], days: list[date]
) -> None:
    _check_all_days(_record(facts), days)


@settings(max_examples=30)
@given(
    plan_histories(),
    st.lists(st.dates(date(2015, 1, 1), date(2045, 1, 1)), min_size=1, max_size=3),
)
def test_every_finding_on_a_generated_plan_has_a_french_message(
    facts: list[Fact], days: list[date]
) -> None:
    _check_all_days(_record(facts), days)


def test_the_annual_report_prints_the_message_of_its_language() -> None:
    ledger = sample_case()
    ledger.remit_instalment(
        CASE, amount=FIRST_ANNUITY.plain(), paid_on=date(2024, 3, 21)
    )
    report = annual_report(ledger, CASE, 2)
    assert report.findings
    french_page = render.annual_html(report, "fr", charts=False)
    english_page = render.annual_html(report, "en", charts=False)
    for f in report.findings:
        assert str(escape(f.message_fr)) in french_page
        assert str(escape(f.message)) not in french_page
        assert str(escape(f.message)) in english_page


@pytest.mark.parametrize(
    "n, english_text, french_text",
    [
        (0, "0 days", "0 jour"),
        (1, "1 day", "1 jour"),
        (2, "2 days", "2 jours"),
        (12, "12 days", "12 jours"),
        (-1, "-1 day", "-1 jour"),
    ],
)
def test_counts_are_pluralised_as_each_language_does(
    n: int, english_text: str, french_text: str
) -> None:
    """English counts only one in the singular, French 0 and 1 (never '1 days')."""
    assert english.plural(n, "day") == english_text
    assert french.plural(n, "jour") == french_text
