"""The état des créances from a spreadsheet (plandebt.claims_sheet)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.helpers import snapshot

from plandebt import Ledger, Money
from plandebt.claims_sheet import SheetError, claim_facts, load_mapping, parse_csv
from plandebt.events import Rank

SAMPLE = Path(__file__).parent.parent / "examples" / "etat-des-creances.csv"
CASE = "RG 22/00123"
HEADER = (
    "N° créance;Créancier;Type de créancier;Montant déclaré;Nature;"
    "Date d'origine;Date de déclaration;Décision;Montant admis;Date de décision"
)


def _opened() -> Ledger:
    ledger = Ledger.open("memory")
    ledger.open_case(
        CASE,
        procedure="redressement_judiciaire",
        court="TJ Lyon",
        debtor="Coop SA",
        opened_on=date(2022, 3, 14),
    )
    return ledger


def test_the_sample_sheet_records_every_claim_with_its_decision() -> None:
    ledger = _opened()
    ledger.import_claims(CASE, SAMPLE)
    view = ledger.balances(CASE, as_of=date(2023, 1, 1))
    urssaf = view.claim("C-001")
    assert (urssaf.status, urssaf.admitted) == ("admitted", Money.parse("898 750,00"))
    assert urssaf.rank is Rank.PRIVILEGED_SOCIAL  # "privilégiée" held by URSSAF
    assert view.claim("C-002").rank is Rank.PRIVILEGED_TAX
    assert view.claim("C-003").admitted == Money.parse("350000")  # admitted in full
    assert view.claim("C-004").status == "contested"
    assert view.claim("C-005").status == "declared"
    assert view.claim("C-006").admitted == Money(0)
    assert view.claim("C-005").declared == Money.parse("4 210,50")
    assert view.claim("C-003").creditor_name == "Banque A"


def test_importing_the_same_sheet_again_records_nothing() -> None:
    ledger = _opened()
    ledger.import_claims(CASE, SAMPLE)
    before = snapshot(ledger)
    ledger.import_claims(CASE, SAMPLE)
    assert snapshot(ledger) == before


def test_a_dry_run_records_nothing() -> None:
    ledger = _opened()
    before = snapshot(ledger)
    facts = ledger.import_claims(CASE, SAMPLE, dry_run=True)
    assert [f.kind for f in facts].count("claim.declared") == 6
    assert snapshot(ledger) == before


def test_every_bad_cell_is_named_with_its_row_and_column_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_text(
        HEADER
        + "\nC1;A;fournisseur;12,345;chirographaire;31/12/2021;10/05/2022;;;"
        + "\nC2;B;fournisseur;100,00;douteuse;31/02/2021;10/05/2022;;;"
        + "\nC3;C;;100,00;privilégiée;31/12/2021;2022-05-10;admise;;"
        + "\nC1;D;banque;5,00;chirographaire;31/12/2021;10/05/2022;;;\n",
        encoding="utf-8",
    )
    ledger = _opened()
    before = snapshot(ledger)
    with pytest.raises(SheetError) as refused:
        ledger.import_claims(CASE, sheet)
    cells = {(c.row, c.column) for c in refused.value.cells}
    assert cells == {
        (2, "declared"),  # three decimals
        (3, "rank"),  # unknown label
        (3, "origin_on"),  # 31 February
        (4, "rank"),  # a privilege of an unknown kind of creditor
        (4, "decided_on"),  # a decision without its date
        (5, "claim"),  # the same claim twice
    }
    assert snapshot(ledger) == before


def test_a_mapping_file_names_other_headers(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        '[columns]\nclaim = "Ref"\ndeclared = "Somme"\n', encoding="utf-8"
    )
    rows = parse_csv(
        "Ref;Créancier;Somme;Nature;Date d'origine;Date de déclaration\n"
        "X1;A;10,00;chirographaire;01/01/2022;01/05/2022\n"
    )
    facts = claim_facts(CASE, rows, mapping=load_mapping(mapping))
    assert [f.kind for f in facts] == ["creditor.registered", "claim.declared"]
    with pytest.raises(SheetError):
        claim_facts(CASE, rows)  # without the mapping, no claim column


def test_an_xlsx_sheet_reads_like_its_csv(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in parse_csv(SAMPLE.read_text(encoding="utf-8")):
        sheet.append(row)
    workbook.save(tmp_path / "etat.xlsx")
    from_csv = _opened()
    from_csv.import_claims(CASE, SAMPLE)
    from_xlsx = _opened()
    from_xlsx.import_claims(CASE, tmp_path / "etat.xlsx")
    as_of = date(2023, 1, 1)

    def rows(ledger: Ledger) -> list[dict[str, object]]:
        # The same claims, each fact with an id of its own.
        return [
            {k: v for k, v in row.items() if k != "facts"}
            for row in ledger.balances(CASE, as_of).to_dict()["claims"]
        ]

    assert rows(from_xlsx) == rows(from_csv)


@given(st.integers(1, 10**12), st.dates(date(2000, 1, 1), date(2022, 3, 1)))
def test_french_amounts_and_dates_read_exactly(cents: int, origin: date) -> None:
    amount = Money(cents)
    rows = parse_csv(
        HEADER
        + f"\nC1;A;fournisseur;{amount.french(symbol=False)};chirographaire;"
        + f"{origin:%d/%m/%Y};10/05/2022;;;\n"
    )
    (_creditor, declared) = claim_facts(CASE, rows)
    assert declared.amount == amount  # type: ignore[attr-defined]
    assert declared.origin_on == origin  # type: ignore[attr-defined]
