"""The supervisor's workflow from the command line: the état des créances from a
sheet, the plan from its file, a remittance distributed, a creditor's statement, and
the case as a Beancount ledger."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from plandebt import Ledger, Money
from plandebt.cli import main

EXAMPLES = Path(__file__).parent.parent / "examples"
CASE = "RG 22/00123"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


@pytest.fixture
def store(tmp_path: Path) -> str:
    db = str(tmp_path / "case.db")
    with Ledger.open(db) as ledger:
        ledger.open_case(
            CASE,
            procedure="redressement_judiciaire",
            court="TJ Lyon",
            debtor="Coop SA",
            opened_on=date(2022, 3, 14),
        )
    return db


def test_from_the_sheet_and_the_plan_file_to_distributions_and_statements(
    store: str, tmp_path: Path
) -> None:
    sheet = str(EXAMPLES / "etat-des-creances.csv")
    code, text = run("--db", store, "import-claims", sheet, "--dry-run")
    assert code == 0 and "would record" in text
    assert run("--db", store, "import-claims", sheet)[0] == 0
    assert run("--db", store, "import-claims", sheet)[0] == 0  # again: nothing new
    assert run("--db", store, "adopt-plan", str(EXAMPLES / "plan.toml"))[0] == 0
    with Ledger.open(store) as ledger:
        remitted = ledger.remit_instalment(CASE, amount="30000", paid_on="2024-03-20")
        before = len(ledger.history(CASE))
    code, text = run("--db", store, "distribute", "--remittance", remitted.id)
    assert code == 0 and "URSSAF" in text
    with Ledger.open(store) as ledger:
        after_first = len(ledger.history(CASE))
    assert after_first > before
    assert run("--db", store, "distribute", "--remittance", remitted.id)[0] == 0
    with Ledger.open(store) as ledger:
        assert len(ledger.history(CASE)) == after_first  # again: nothing more
        status = ledger.plan_status(CASE, date(2024, 3, 20))
        assert status.distributed + status.reserved <= Money.parse("30000")
    html = tmp_path / "releve.html"
    code, _ = run(
        "--db", store, "statement", "--creditor", "URSSAF", "--as-of", "2024-12-31",
        "--format", "html", "-o", str(html),
    )  # fmt: skip
    assert code == 0 and "<table>" in html.read_text(encoding="utf-8")
    code, csv_text = run(
        "--db", store, "statement", "--creditor", "URSSAF", "--as-of", "2024-12-31",
        "--format", "csv",
    )  # fmt: skip
    assert code == 0 and csv_text.startswith("date;créance;opération")
    code, beancount = run("--db", store, "export", "--format", "beancount")
    assert code == 0 and "Liabilities:Claims:URSSAF" in beancount


def test_a_bad_sheet_names_every_bad_cell_and_writes_nothing(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "N° créance;Créancier;Montant déclaré;Nature;Date d'origine;Date de déclaration\n"
        "C1;A;12,345;chirographaire;31/12/2021;10/05/2022\n"
        "C2;B;10,00;douteuse;31/12/2021;10/05/2022\n",
        encoding="utf-8",
    )
    code, _ = run("--db", store, "import-claims", str(bad))
    err = capsys.readouterr().err
    assert code == 2
    assert "row 2, column declared" in err and "row 3, column rank" in err
    assert "Traceback" not in err
    with Ledger.open(store) as ledger:
        assert len(ledger.history(CASE)) == 1
