"""The court reports (plandebt.reports): the commissaire's annual report and the état
des créances, as HTML and as PDF, checked on the samples of examples/ by reading the
PDF's text back."""

from __future__ import annotations

import io
import json
import sys
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from pypdf import PdfReader
from tests.test_plan import record_each

from plandebt import InvalidInputError, Ledger, Money
from plandebt.cli import main
from plandebt.reports import render
from plandebt.reports.annual import annual_report, late_instalments, year_window
from plandebt.reports.claims import claims_report
from plandebt.reports.head import head_of
from plandebt.strategies import plan_histories

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CASE = "RG 22/00123"
#: The sample plan's first annuity (examples/plan.toml, 2 % of the admitted claims
#: and of the undecided ones at their declared amount).
FIRST_ANNUITY = Money.parse("28 995,21")


def sample_case() -> Ledger:
    """The newcomer's case: the samples' opening, état des créances and plan."""
    ledger = Ledger.open("memory")
    ledger.import_journal((EXAMPLES / "case.jsonl").read_bytes())
    ledger.import_claims(CASE, EXAMPLES / "etat-des-creances.csv")
    ledger.adopt_plan_file(CASE, EXAMPLES / "plan.toml")
    return ledger


def pdf_text(data: bytes) -> str:
    """The PDF's text, spaces and line breaks collapsed (the layout wraps cells)."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_first_annuity_of_the_sample_plan_is_the_hand_computed_one() -> None:
    # 2 % of each scheduled claim (the rejected C-006 is not): 17 975,00 + 3 686,00
    # + 7 000,00 + 250,00 (contested, at its declared amount) + 84,21.
    by_year = dict(sample_case().schedule(CASE).by_year())
    assert by_year[1] == Money.parse("17975") + Money.parse("3686") + Money.parse(
        "7000"
    ) + Money.parse("250") + Money.parse("84.21")
    assert by_year[1] == FIRST_ANNUITY


def test_the_annual_report_pdf_shows_what_was_due_remitted_and_distributed() -> None:
    ledger = sample_case()
    remittance = ledger.remit_instalment(
        CASE, amount=FIRST_ANNUITY.plain(), paid_on=date(2024, 3, 20)
    )
    plan = ledger.distribute_remittance(CASE, remittance.id)
    report = annual_report(ledger, CASE, 1, prepared_on=date(2024, 4, 15))
    assert report.due == report.remitted_to_supervisor == FIRST_ANNUITY
    assert report.distributed == plan.total == Money.parse("28 661,00")
    assert report.late == ()
    text = pdf_text(render.annual_pdf(report))
    assert "Rapport annuel du commissaire à l'exécution du plan" in text
    assert "Année du plan 1 (du 20/03/2023 au 20/03/2024)" in text
    assert "Établi le 15/04/2024" in text
    assert "Échu 28 995,21 € 28 995,21 €" in text
    assert "Réparti aux créanciers 28 661,00 € 28 661,00 €" in text
    # The undecided claims' dividends are held back (L626-21 al. 4).
    assert "334,21 €" in text and "L626-21 al. 4" in text
    assert "Toutes les échéances ont été versées à leur date." in text
    assert "URSSAF 17 975,00 € 17 975,00 €" in text
    head = ledger.head(CASE)
    assert f"Empreinte de l'historique : position {head.position}, SHA-256" in text
    assert head.hash[:16] in text.replace("\n", "")
    # The group's support: 2 300 000 received in the year, of 6 800 000 committed.
    assert "Groupe Coop 6 800 000,00 € 2 300 000,00 € 2 300 000,00 €" in text
    assert "Prochaine échéance 20/03/2025 : 43 492,82 €" in text


def test_an_instalment_remitted_a_day_late_is_one_day_late_and_a_finding() -> None:
    ledger = sample_case()
    ledger.remit_instalment(
        CASE, amount=FIRST_ANNUITY.plain(), paid_on=date(2024, 3, 21)
    )
    # The 21st is in plan year 2: year 1 ends with its annuity, unpaid on the day
    # but not late yet (late from the day after its due date, L626-21).
    year1 = annual_report(ledger, CASE, 1)
    assert [(x.due_on, x.covered_on, x.days_late) for x in year1.late] == [
        (date(2024, 3, 20), None, 0)
    ]
    assert year1.remitted_to_supervisor == Money(0)
    assert not any("L626-21" in f.article for f in year1.findings)
    year2 = annual_report(ledger, CASE, 2)
    assert year2.remitted_to_supervisor == FIRST_ANNUITY
    assert any(f.rule == "L626-21.instalment-late" for f in year2.findings)
    # ...and its own annuity, never remitted: unpaid on its last day, not late yet.
    assert [(x.due_on, x.covered_on, x.days_late) for x in year2.late] == [
        (date(2024, 3, 20), date(2024, 3, 21), 1),
        (date(2025, 3, 20), None, 0),
    ]
    year3 = annual_report(ledger, CASE, 3)
    assert (date(2025, 3, 20), None, 365) in [  # 20 March 2025 to 20 March 2026
        (x.due_on, x.covered_on, x.days_late) for x in year3.late
    ]
    text = pdf_text(render.annual_pdf(year1))
    assert "20/03/2024 28 995,21 € impayée 0" in text
    text = pdf_text(render.annual_pdf(year2))
    assert "20/03/2024 28 995,21 € 21/03/2024 1" in text


def test_a_remittance_one_cent_short_leaves_the_instalment_unpaid() -> None:
    ledger = sample_case()
    short = FIRST_ANNUITY - Money(1)
    ledger.remit_instalment(CASE, amount=short.plain(), paid_on=date(2024, 3, 20))
    report = annual_report(ledger, CASE, 1)
    # Due on the year's last day: one cent unpaid, late only from the next day.
    assert report.status.due - report.status.remitted_to_supervisor == Money(1)
    assert [(x.covered_on, x.days_late) for x in report.late] == [(None, 0)]
    assert annual_report(ledger, CASE, 2).status.arrears == Money(1)


def test_late_instalments_settled_before_the_year_belong_to_the_earlier_report() -> (
    None
):
    ledger = sample_case()
    schedule = ledger.schedule(CASE)
    remitted = [(date(2024, 3, 25), FIRST_ANNUITY.cents)]
    start, end = year_window(date(2023, 3, 20), 2)
    assert (start, end) == (date(2024, 3, 21), date(2025, 3, 20))
    # Covered on the 25th, within year 2: year 2's report shows it (and year 2's
    # own annuity, never remitted).
    assert [x.due_on for x in late_instalments(schedule, remitted, start, end)] == [
        date(2024, 3, 20),
        date(2025, 3, 20),
    ]
    start3, end3 = year_window(date(2023, 3, 20), 3)
    assert [x.due_on for x in late_instalments(schedule, remitted, start3, end3)] == [
        date(2025, 3, 20),
        date(2026, 3, 20),
    ]


def test_a_year_outside_the_plan_is_refused() -> None:
    ledger = sample_case()
    for year in (0, 11):
        with pytest.raises(InvalidInputError) as refused:
            annual_report(ledger, CASE, year)
        assert refused.value.field == "year"


def test_the_report_in_english() -> None:
    ledger = sample_case()
    html = render.annual_html(annual_report(ledger, CASE, 1), lang="en", charts=False)
    assert "Annual report of the plan supervisor" in html
    assert "€28,995.21" in html
    with pytest.raises(InvalidInputError):
        render.annual_html(annual_report(ledger, CASE, 1), lang="de")


def test_the_html_report_embeds_its_plots() -> None:
    html = render.annual_html(annual_report(sample_case(), CASE, 1))
    assert html.startswith("<!doctype html>")
    assert html.count('<img src="data:image/png;base64,') == 3


def test_the_claims_report_lists_the_etat_des_creances_as_admitted() -> None:
    ledger = sample_case()
    report = claims_report(ledger, CASE, date(2023, 1, 1), prepared_on=date(2023, 1, 2))
    text = pdf_text(render.claims_pdf(report))
    assert "État des créances" in text
    assert "C-001 URSSAF Rhône-Alpes" in text
    assert "898 750,00 €" in text and "Ordonnance JC 22/101" in text
    assert "contestée" in text and "rejetée" in text
    # Declared in all, and admitted (the decided claims only).
    assert report.total.declared == Money.parse("1 464 280,50")
    assert report.total.admitted == Money.parse("1 433 050,00")
    assert "Total 6 1 464 280,50 € 1 433 050,00 €" in text
    html = render.claims_html(report)
    assert '<td align="left">chirographaire</td>' in html


def test_text_from_the_books_is_escaped_in_the_html() -> None:
    ledger = Ledger.open("memory")
    ledger.open_case(
        "X",
        procedure="sauvegarde",
        court="<b>TJ</b>",
        debtor="A & B ⟨SAS⟩",
        opened_on=date(2022, 1, 3),
    )
    report = claims_report(ledger, "X", date(2022, 2, 1))
    assert "&lt;b&gt;TJ&lt;/b&gt;" in render.claims_html(report)
    # Outside the PDF's fonts: shown as "?", never a failure.
    assert "A & B ?SAS?" in pdf_text(render.claims_pdf(report))


def test_the_head_is_the_case_s_chain_head_and_an_earlier_one_has_no_hash() -> None:
    ledger = sample_case()
    head = ledger.head(CASE)
    assert head_of(ledger, CASE) == (head.position, head.hash)
    assert head.position == ledger.position(CASE) and len(head.hash) == 64
    # As known at an earlier position, the chain names no hash for it.
    assert head_of(ledger, CASE, known_at=1) == (1, None)
    assert head_of(ledger, CASE, known_at=0) is None


# --- the command line -------------------------------------------------------------------


def sample_store(tmp_path: Path) -> str:
    db = str(tmp_path / "books.db")
    assert main(["--db", db, "record", str(EXAMPLES / "case.jsonl")]) == 0
    assert (
        main(["--db", db, "import-claims", str(EXAMPLES / "etat-des-creances.csv")])
        == 0
    )
    assert main(["--db", db, "adopt-plan", str(EXAMPLES / "plan.toml")]) == 0
    return db


def test_report_annual_writes_a_pdf(tmp_path: Path, capsys) -> None:
    db = sample_store(tmp_path)
    out = tmp_path / "rapport.pdf"
    argv = ["--db", db, "report", "annual", "--year", "1", "-o", str(out)]
    assert main([*argv, "--dated", "2024-04-01"]) == 0
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    assert "Échu 28 995,21 € 28 995,21 €" in pdf_text(data)
    assert main([*argv, "--dated", "2024-04-01"]) == 0
    assert out.read_bytes() == data  # the same books, the same date: the same file


def test_report_claims_goes_to_stdout_as_html(tmp_path: Path, capsys) -> None:
    db = sample_store(tmp_path)
    capsys.readouterr()
    assert main(["--db", db, "report", "claims", "--as-of", "2023-01-01"]) == 0
    assert "C-006" in capsys.readouterr().out


def test_a_pdf_needs_a_file_and_a_known_suffix(tmp_path: Path, capsys) -> None:
    db = sample_store(tmp_path)
    assert main(["--db", db, "report", "claims", "--format", "pdf"]) == 2
    assert "give -o FILE" in capsys.readouterr().err
    assert main(["--db", db, "report", "claims", "-o", str(tmp_path / "x.doc")]) == 2
    assert not (tmp_path / "x.doc").exists()


def test_a_year_outside_the_plan_exits_2_and_writes_nothing(tmp_path, capsys) -> None:
    db = sample_store(tmp_path)
    out = tmp_path / "r.pdf"
    assert main(["--db", db, "report", "annual", "--year", "12", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "year=12" in err and "Traceback" not in err
    assert not out.exists()


def test_a_missing_report_extra_exits_3_naming_it(
    tmp_path, capsys, monkeypatch
) -> None:
    db = sample_store(tmp_path)
    monkeypatch.setitem(sys.modules, "fpdf", None)  # as if fpdf2 were not installed
    out = tmp_path / "r.pdf"
    assert main(["--db", db, "report", "annual", "--year", "1", "-o", str(out)]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "plandebt: a PDF report needs fpdf2, which is not installed: "
        "pip install 'plandebt[report]'"
    ]
    assert not out.exists()
    monkeypatch.setitem(sys.modules, "jinja2", None)
    assert main(["--db", db, "report", "claims"]) == 3
    assert "pip install 'plandebt[report]'" in capsys.readouterr().err


def _uncovered_on(ledger: Ledger, case: str, due_on: date, on: date) -> bool:
    """True if, at the end of `on`, the remittances had not yet covered the
    instalments due up to `due_on` (the status's cumulative figures: what fell due
    by `due_on` against what was remitted by `on`)."""
    due = ledger.plan_status(case, due_on).due
    return ledger.plan_status(case, on).remitted_to_supervisor < due


@settings(max_examples=30, deadline=None)
@given(plan_histories())
def test_an_instalment_is_listed_late_exactly_when_the_status_shows_it_unpaid(
    facts,
) -> None:
    ledger = record_each(facts)
    case = facts[0].case
    schedule = ledger.schedule(case)
    if schedule is None:
        return
    adopted_on = schedule.adopted.effective_on
    for year in range(1, min(schedule.adopted.duration_years, 4) + 1):
        start, end = year_window(adopted_on, year)
        listed = {x.due_on: x for x in annual_report(ledger, case, year).late}
        for due_on, amount in schedule.by_date():
            if due_on > end:
                break
            if not amount:  # nothing fell due that day: nothing can be late
                assert due_on not in listed
                continue
            # Due in the year: listed if unpaid at the end of its day. Due before:
            # listed if still unpaid when the year began.
            on = due_on if due_on >= start else start - timedelta(1)
            assert (due_on in listed) == _uncovered_on(ledger, case, due_on, on)
            late = listed.get(due_on)
            if late is None:
                continue
            if late.covered_on is None:
                assert _uncovered_on(ledger, case, due_on, end)
                # as_of − due date: late from the day after (0 on the due date).
                assert late.days_late == (end - due_on).days
                if due_on < end:
                    status = ledger.plan_status(case, end)
                    assert status.oldest_unpaid_due_on is not None
                    assert status.oldest_unpaid_due_on <= due_on
            else:
                # Covered on that day, and not the day before.
                assert not _uncovered_on(ledger, case, due_on, late.covered_on)
                before = late.covered_on - timedelta(1)
                assert _uncovered_on(ledger, case, due_on, before)
                assert late.days_late == (late.covered_on - due_on).days >= 1


# --- the JSON views ---------------------------------------------------------------------


def assert_follows_its_schema(data: dict) -> None:
    """`data` is valid against the schema its envelope names, shipped in the package
    as plandebt/schemas/<view>.json."""
    view = data["schema"].removeprefix("plandebt.").removesuffix("/1")
    schema = json.loads(
        resources.files("plandebt").joinpath(f"schemas/{view}.json").read_text("utf-8")
    )
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())
    assert set(data) == {"schema", "case", "as_of", "known_at", view}


def test_report_annual_json_is_the_reports_figures(tmp_path: Path, capsys) -> None:
    db = sample_store(tmp_path)
    assert main(["--db", db, "record", str(EXAMPLES / "remittance-2024.jsonl")]) == 0
    assert main(["--db", db, "distribute", "--remittance", "remise-2024"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "report", "annual", "--year", "1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert_follows_its_schema(data)
    body = data["annual_report"]
    assert (body["due"], body["remitted_to_supervisor"], body["distributed"]) == (
        "28995.21",
        "28995.21",
        "28661.00",
    )
    assert data["as_of"] == body["ends_on"] == "2024-03-20"
    head = Ledger.open(db).head(CASE)
    assert body["head"] == {"position": head.position, "sha256": head.hash}
    assert head.position == data["known_at"]["position"]
    assert body["forecast"] is None
    # With the debtor's turnover forecast, the outlook has the years after this one.
    turnover = str(EXAMPLES / "turnover.toml")
    argv = ["--db", db, "report", "annual", "--year", "1", "--turnover", turnover]
    assert main([*argv, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert_follows_its_schema(data)
    ahead = data["annual_report"]["forecast"]
    assert [y["year"] for y in ahead["years"]] == [2, 3, 4]
    assert ahead["first_short"] == {"year": 4, "short_by": "75980.84"}
    out = tmp_path / "r.pdf"
    assert main([*argv, "-o", str(out)]) == 0
    text = pdf_text(out.read_bytes())
    assert "Capacité de remboursement (prévisions du débiteur)" in text
    assert "Première année insuffisante : année 4, il manque 75 980,84 €." in text


def test_report_claims_json_follows_its_schema(tmp_path: Path, capsys) -> None:
    db = sample_store(tmp_path)
    capsys.readouterr()
    argv = ["--db", db, "report", "claims", "--as-of", "2023-01-01", "--format", "json"]
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert_follows_its_schema(data)
    body = data["claims_report"]
    assert [c["claim"] for c in body["claims"]] == [f"C-00{k}" for k in range(1, 7)]
    assert body["total"]["admitted"] == "1433050.00"
    assert body["by_rank"]["unsecured"]["claims"] == 3


def test_the_plan_s_duration_is_counted_as_each_language_counts() -> None:
    from plandebt.reports.labels import Labels

    assert [Labels("fr").years(n) for n in (1, 2, 10)] == ["1 an", "2 ans", "10 ans"]
    assert [Labels("en").years(n) for n in (1, 2)] == ["1 year", "2 years"]
