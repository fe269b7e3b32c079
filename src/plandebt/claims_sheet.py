"""The état des créances from a spreadsheet: one row per claim, with the creditor,
the amount declared, the rank (French labels), the dates and the juge-commissaire's
decision, read from CSV (standard library) or XLSX (openpyxl, the `xlsx` extra).

Reading a sheet gives the facts it implies — each creditor not yet registered, each
claim's declaration, and its decision — with client references made from the claim's
id, so importing the same sheet again records nothing new. Every bad cell is reported
with its row, its column and the reason, all of them at once, and nothing is written.

The columns are found by their headers (case, accents and spaces ignored); a mapping
names other headers: `{"claim": "N° créance", ...}`, from a TOML file's `[columns]`.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import attrs

from plandebt.errors import InvalidInputError
from plandebt.events import (
    ClaimAdmitted,
    ClaimContested,
    ClaimDeclared,
    ClaimRejected,
    CreditorKind,
    CreditorRegistered,
    Fact,
    Rank,
)
from plandebt.money import Money


def _key(text: str) -> str:
    """A header or label compared without case, accents or extra spaces."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.lower().replace("_", " ").split())


#: The fields a row may hold, and the headers each is known by by default.
HEADERS: Mapping[str, tuple[str, ...]] = {
    "claim": ("claim", "n° créance", "numero", "créance", "reference"),
    "creditor": ("creditor", "créancier", "creancier"),
    "creditor_name": ("creditor_name", "nom", "raison sociale"),
    "creditor_kind": ("creditor_kind", "type de créancier", "catégorie"),
    "declared": ("declared", "montant déclaré", "déclaré"),
    "rank": ("rank", "rang", "nature", "privilège"),
    "origin_on": ("origin_on", "date d'origine", "origine", "fait générateur"),
    "declared_on": ("declared_on", "date de déclaration", "déclarée le"),
    "decision": ("decision", "décision"),
    "admitted": ("admitted", "montant admis", "admis"),
    "decided_on": ("decided_on", "date de décision", "décidée le"),
    "decision_ref": ("decision_ref", "référence de la décision", "ordonnance"),
}
REQUIRED = ("claim", "creditor", "declared", "rank", "origin_on", "declared_on")

#: French rank labels and the ranks they mean. "Privilégiée" alone depends on who
#: holds it: the Treasury's privilege for tax, the social bodies' for social.
_RANKS: Mapping[str, Rank] = {
    "chirographaire": Rank.UNSECURED,
    "superprivilegiee": Rank.SUPERPRIVILEGED_WAGES,
    "superprivilege": Rank.SUPERPRIVILEGED_WAGES,
    "nantie": Rank.SECURED,
    "hypothecaire": Rank.SECURED,
    "nantie/hypothecaire": Rank.SECURED,
    "privilegiee salariale": Rank.SALARY_PRIVILEGED,
    "salariale": Rank.SALARY_PRIVILEGED,
    "privilegiee fiscale": Rank.PRIVILEGED_TAX,
    "privilegiee sociale": Rank.PRIVILEGED_SOCIAL,
    "posterieure": Rank.POST_OPENING,
    "conciliation": Rank.CONCILIATION,
    **{r.value: r for r in Rank},
}
_PRIVILEGED_BY_KIND = {
    CreditorKind.TAX: Rank.PRIVILEGED_TAX,
    CreditorKind.SOCIAL: Rank.PRIVILEGED_SOCIAL,
    CreditorKind.EMPLOYEE: Rank.SALARY_PRIVILEGED,
}
_KINDS: Mapping[str, CreditorKind] = {
    "fournisseur": CreditorKind.SUPPLIER,
    "banque": CreditorKind.BANK,
    "fisc": CreditorKind.TAX,
    "fiscal": CreditorKind.TAX,
    "social": CreditorKind.SOCIAL,
    "organisme social": CreditorKind.SOCIAL,
    "salarie": CreditorKind.EMPLOYEE,
    "groupe": CreditorKind.GROUP_COMPANY,
    "ags": CreditorKind.AGS,
    "autre": CreditorKind.OTHER,
    **{k.value: k for k in CreditorKind},
}
_DECISIONS = {
    "admise": "admitted",
    "admis": "admitted",
    "admitted": "admitted",
    "rejetee": "rejected",
    "rejete": "rejected",
    "rejected": "rejected",
    "contestee": "contested",
    "conteste": "contested",
    "contested": "contested",
    "": "",
}
# Labels are looked up the way headers are: without case, accents or underscores.
_RANKS = {_key(k): v for k, v in _RANKS.items()}
_KINDS = {_key(k): v for k, v in _KINDS.items()}
_DECISIONS = {_key(k): v for k, v in _DECISIONS.items()}

_FRENCH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@attrs.frozen
class BadCell:
    """One cell that cannot be read."""

    row: int  # 1-based, the header row being row 1
    column: str
    value: str
    reason: str


def load_mapping(path: str | os.PathLike[str]) -> dict[str, str]:
    """The `[columns]` table of a TOML mapping file: field -> header in the sheet."""
    import tomllib

    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise InvalidInputError("mapping", str(path), f"cannot be read: {e}") from e
    columns = data.get("columns", {})
    unknown = sorted(set(columns) - set(HEADERS))
    if not isinstance(columns, dict) or unknown:
        raise InvalidInputError(
            "mapping",
            str(path),
            f"[columns] names unknown fields: {', '.join(unknown)}",
        )
    return {str(k): str(v) for k, v in columns.items()}


class SheetError(InvalidInputError):
    """A sheet with bad cells: each is named in `cells`; nothing was written."""

    def __init__(self, cells: Sequence[BadCell]) -> None:
        self.cells = tuple(cells)
        first = self.cells[0]
        more = f" (and {len(self.cells) - 1} more)" if len(self.cells) > 1 else ""
        super().__init__(
            f"row {first.row}, column {first.column}",
            first.value,
            first.reason + more,
        )


def read_rows(path: str | os.PathLike[str]) -> list[list[str]]:
    """The cells of a CSV (`;` or `,` separated, UTF-8) or XLSX sheet, as text."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return _xlsx_rows(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise InvalidInputError("file", str(path), "is not UTF-8 text") from e
    return parse_csv(text)


def parse_csv(text: str) -> list[list[str]]:
    # French spreadsheets export with ";" (the comma is the decimal mark).
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter) if row]


def _xlsx_rows(path: Path) -> list[list[str]]:
    try:
        import openpyxl
    except ImportError as e:
        raise InvalidInputError(
            "file", str(path), "reading XLSX needs: pip install 'plandebt[xlsx]'"
        ) from e
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return [row for row in rows if any(row)]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        # A spreadsheet stores 12500,5 as a float: its shortest text is exact to the
        # cent for any amount a sheet holds; Money.parse refuses a third decimal.
        return repr(value)
    return str(value)


def claim_facts(
    case: str,
    rows: Sequence[Sequence[str]],
    *,
    registered: Iterable[str] = (),
    mapping: Mapping[str, str] | None = None,
) -> list[Fact]:
    """The facts a sheet implies for `case` (creditors not in `registered` are
    registered first); raises SheetError naming every bad cell."""
    if not rows:
        raise SheetError([BadCell(1, "-", "", "the sheet is empty")])
    columns = _columns(rows[0], mapping or {})
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        raise SheetError(
            [
                BadCell(1, f, "", "no column for this field (see --mapping)")
                for f in missing
            ]
        )
    bad: list[BadCell] = []
    facts: list[Fact] = []
    known = set(registered)
    seen_claims: set[str] = set()
    for number, row in enumerate(rows[1:], start=2):
        cells = {
            f: (row[i].strip() if i < len(row) else "") for f, i in columns.items()
        }
        reader = _Row(number, cells, bad)
        facts.extend(reader.facts(case, known, seen_claims))
    if bad:
        raise SheetError(bad)
    return facts


def _columns(header: Sequence[str], mapping: Mapping[str, str]) -> dict[str, int]:
    by_key = {_key(h): i for i, h in enumerate(header) if h.strip()}
    columns: dict[str, int] = {}
    for field, names in HEADERS.items():
        wanted = (mapping[field],) if field in mapping else names
        for name in wanted:
            if _key(name) in by_key:
                columns[field] = by_key[_key(name)]
                break
    return columns


class _Row:
    """One row being read: each bad cell is noted, and the row yields no fact."""

    def __init__(self, number: int, cells: dict[str, str], bad: list[BadCell]) -> None:
        self.number, self.cells, self.bad = number, cells, bad
        self.ok = True

    def _refuse(self, field: str, reason: str) -> None:
        self.ok = False
        self.bad.append(BadCell(self.number, field, self.cells.get(field, ""), reason))

    def cell_text(self, field: str, required: bool = False) -> str | None:
        value = self.cells.get(field, "")
        if not value:
            if required:
                self._refuse(field, "is empty")
            return None
        return value

    def cell_money(self, field: str, required: bool = False) -> Money | None:
        value = self.cell_text(field, required)
        if value is None:
            return None
        try:
            return Money.parse(value, field=field)
        except InvalidInputError as e:
            self._refuse(field, e.reason)
            return None

    def cell_date(self, field: str, required: bool = False) -> date | None:
        value = self.cell_text(field, required)
        if value is None:
            return None
        french = _FRENCH_DATE.match(value)
        try:
            if french:
                d, m, y = (int(g) for g in french.groups())
                return date(y, m, d)
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                return date.fromisoformat(value)
        except ValueError as e:
            self._refuse(field, f"is not a date ({e})")
            return None
        self._refuse(field, "is not a date: write 31/12/2021 or 2021-12-31")
        return None

    def facts(self, case: str, known: set[str], seen: set[str]) -> list[Fact]:
        claim = self.cell_text("claim", True)
        creditor = self.cell_text("creditor", True)
        declared = self.cell_money("declared", True)
        origin_on = self.cell_date("origin_on", True)
        declared_on = self.cell_date("declared_on", True)
        kind = CreditorKind.OTHER
        kind_text = self.cell_text("creditor_kind")
        if kind_text is not None:
            if _key(kind_text) in _KINDS:
                kind = _KINDS[_key(kind_text)]
            else:
                self._refuse(
                    "creditor_kind",
                    f"unknown kind (one of {', '.join(sorted(_KINDS))})",
                )
        rank = self._rank(kind)
        decision = _DECISIONS.get(_key(self.cells.get("decision", "")))
        if decision is None:
            self._refuse("decision", "is not admise, rejetée or contestée")
        admitted = self.cell_money("admitted")
        decided_on = self.cell_date("decided_on", required=bool(decision))
        if claim is not None:
            if claim in seen:
                self._refuse("claim", "appears on an earlier row")
            seen.add(claim)
        if not self.ok:
            return []
        assert claim and creditor and declared and origin_on and declared_on and rank
        facts: list[Fact] = []
        if creditor not in known:
            known.add(creditor)
            facts.append(
                CreditorRegistered.build(
                    case=case,
                    creditor=creditor,
                    name=self.cell_text("creditor_name") or creditor,
                    creditor_kind=kind,
                    effective_on=declared_on,
                    client_ref=f"etat/creditor/{creditor}",
                )
            )
        facts.append(
            ClaimDeclared.build(
                case=case,
                claim=claim,
                creditor=creditor,
                amount=declared,
                origin_on=origin_on,
                rank=rank,
                effective_on=declared_on,
                client_ref=f"etat/{claim}/declared",
            )
        )
        ref = self.cell_text("decision_ref")
        common: dict[str, Any] = {
            "case": case,
            "claim": claim,
            "effective_on": decided_on,
            "decision_ref": ref,
            "client_ref": f"etat/{claim}/{decision}",
        }
        if decision == "admitted":
            facts.append(ClaimAdmitted.build(amount=admitted, **common))
        elif decision == "rejected":
            facts.append(ClaimRejected.build(**common))
        elif decision == "contested":
            facts.append(ClaimContested.build(**common))
        return facts

    def _rank(self, kind: CreditorKind) -> Rank | None:
        label = self.cell_text("rank", True)
        if label is None:
            return None
        key = _key(label)
        if key in ("privilegiee", "privilegie"):
            if kind in _PRIVILEGED_BY_KIND:
                return _PRIVILEGED_BY_KIND[kind]
            self._refuse(
                "rank",
                "a privilege of which creditor? give the creditor's kind (fiscal, "
                "social, salarié) or the rank in full (privilégiée fiscale...)",
            )
            return None
        if key not in _RANKS:
            self._refuse(
                "rank",
                "unknown rank (chirographaire, privilégiée, "
                "superprivilégiée, nantie/hypothécaire...)",
            )
            return None
        return _RANKS[key]
