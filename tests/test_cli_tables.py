"""The tables for people: in French or English, fitted to the terminal's width
(COLUMNS), with every column left out named in a footer, and everything with
--wide."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plandebt.cli import build_parser, main
from plandebt.cli.exits import FINDINGS, OK
from plandebt.cli.labels import WORDS, Style, default_language, styled, terminal_width
from plandebt.cli.reference import TABLES
from plandebt.cli.tables import MIN_HEADER, MIN_TEXT, Column, render
from plandebt.schemas import views

VIEWS = [
    ["balances", "--as-of", "2026-06-30"],
    ["balances", "--as-of", "2026-06-30", "--known-at", "2022-05-01"],
    ["status", "--as-of", "2025-04-01"],
    ["schedule"],
    ["schedule", "--creditor", "URSSAF"],
    ["support", "--as-of", "2026-06-30"],
    ["employment", "--as-of", "2023-12-31"],
    ["check", "--as-of", "2026-06-30"],
    ["portfolio", "--as-of", "2026-06-30"],
    ["statement", "--creditor", "URSSAF", "--as-of", "2026-06-30"],
    ["distribute", "--remittance", "remit-2026-03-20", "--dry-run"],
]
FOOTER = ("not shown (--wide shows them): ", "non affichées (--wide) : ")


@pytest.fixture
def workdir(demo_store, tmp_path, monkeypatch) -> Path:
    shutil.copy(demo_store, tmp_path / "plandebt.db")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PLANDEBT_DB", raising=False)
    monkeypatch.delenv("COLUMNS", raising=False)
    return tmp_path


def _run(argv: list[str], capsys) -> str:
    assert main(argv) in (OK, FINDINGS)
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


def _tables(text: str) -> list[tuple[list[str], list[str]]]:
    """Each table's headers and the columns its footer names as left out."""
    lines = text.splitlines()
    found = []
    for i, line in enumerate(lines):
        if i and line and set(line) <= {"-", " "}:
            headers = re.split(r"\s{2,}", lines[i - 1].strip())
            j = i + 1
            while (
                j < len(lines) and lines[j].strip() and not lines[j].startswith(FOOTER)
            ):
                j += 1
            left_out: list[str] = []
            if j < len(lines) and lines[j].startswith(FOOTER):
                footer = lines[j]
                while j + 1 < len(lines) and lines[j + 1][:1] not in ("", "*"):
                    j += 1
                    footer += " " + lines[j]
                for prefix in FOOTER:
                    footer = footer.removeprefix(prefix)
                left_out = footer.split(", ")
            found.append((headers, left_out))
    return found


def _same(shown: str, full: str) -> bool:
    return shown == full or (shown.endswith("…") and full.startswith(shown[:-1]))


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("width", [80, 100, 132])
@pytest.mark.parametrize("argv", VIEWS, ids=" ".join)
def test_tables_fit_the_width_and_name_what_they_leave_out(
    argv, width, lang, workdir, capsys, monkeypatch
) -> None:
    wide = _tables(_run([*argv, "--lang", lang, "--wide"], capsys))
    monkeypatch.setenv("COLUMNS", str(width))
    text = _run([*argv, "--lang", lang], capsys)
    assert max(len(line) for line in text.splitlines()) <= width
    fitted = _tables(text)
    assert len(fitted) == len(wide)
    for (shown, left_out), (every, none) in zip(fitted, wide, strict=True):
        assert none == []  # --wide leaves nothing out
        kept = [h for h in every if h not in left_out]
        assert len(shown) == len(kept)
        assert all(_same(s, k) for s, k in zip(shown, kept, strict=True))


def test_wide_shows_every_column_whatever_the_width(
    workdir, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    text = _run(["balances", "--as-of", "2026-06-30", "--wide"], capsys)
    assert not any(line.startswith(FOOTER) for line in text.splitlines())
    assert "written off" in text and "to AGS" in text


def test_a_pipe_gets_whole_rows_and_a_terminal_its_width(monkeypatch) -> None:
    class Terminal:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("COLUMNS", raising=False)
    assert terminal_width(object(), wide=False) is None
    assert terminal_width(Terminal(), wide=False) == shutil.get_terminal_size().columns
    assert terminal_width(Terminal(), wide=True) is None
    assert terminal_width(object(), wide=False, environ={"COLUMNS": "72"}) == 72
    assert terminal_width(object(), wide=False, environ={"COLUMNS": "x"}) is None


def test_the_language_defaults_to_french_when_lang_says_so(monkeypatch) -> None:
    assert default_language({"LANG": "fr_FR.UTF-8"}) == "fr"
    assert default_language({"LANG": "FR_be"}) == "fr"
    assert default_language({"LANG": "en_GB.UTF-8"}) == "en"
    assert default_language({"LANG": "C.UTF-8"}) == "en"
    assert default_language({}) == "en"
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert build_parser().parse_args(["cases"]).lang == "fr"
    monkeypatch.setenv("LANG", "C")
    assert build_parser().parse_args(["cases"]).lang == "en"


def test_balances_in_french(workdir, capsys) -> None:
    text = _run(["balances", "--as-of", "2026-06-30", "--lang", "fr"], capsys)
    assert "Soldes au 30/06/2026" in text and "ouvert le 14/03/2022" in text
    assert "chirographaire" in text and "privilégiée (sociale)" in text
    assert "admise" in text and "contestée*" in text and "gelée" in text
    assert "reste dû" in text and "toutes créances" in text
    assert "unsecured" not in text and "privileged_social" not in text


def test_status_in_french_shows_names_percentages_and_dates(workdir, capsys) -> None:
    text = _run(["status", "--as-of", "2026-06-30", "--lang", "fr"], capsys)
    assert "plan en cours d'exécution" in text
    assert "21,09 %" in text
    assert "arrêté le" in text and "20/03/2023" in text
    assert "URSSAF Île-de-France" in text
    late = _run(["status", "--as-of", "2025-04-01", "--lang", "fr"], capsys)
    assert "en retard" in late and "20/03/2025" in late and "12 jours de retard" in late
    english = _run(["status", "--as-of", "2026-06-30", "--lang", "en"], capsys)
    assert "21.09 %" in english and "URSSAF Île-de-France" in english


def test_findings_in_french_name_the_rule_in_legal_terms(workdir, capsys) -> None:
    text = _run(["check", "--as-of", "2026-06-30", "--lang", "fr"], capsys)
    assert "ERREURS" in text and "AVERTISSEMENTS" in text
    assert "interdiction des paiements" in text
    assert "risque de résolution" in text
    assert "pièces : pay-IT-unlawful" in text


def test_every_rule_has_a_french_title() -> None:
    # A finding shown in French is titled in French legal terms (issue 15 item 5).
    from plandebt.cli.labels import RULES_FR
    from plandebt.compliance import RULES

    assert {r.id for r in RULES} <= set(RULES_FR)
    assert not set(RULES_FR) - {r.id for r in RULES}, "a title of no rule"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_rank_in_french_or_english_keeps_the_rows_adding_up(
    lang, workdir, capsys
) -> None:
    argv = ["balances", "--as-of", "2026-06-30", "--lang", lang, "--wide"]
    french = _run([*argv, "--rank", "chirographaire"], capsys)
    english = _run([*argv, "--rank", "unsecured"], capsys)
    assert french == english
    total = [
        line
        for line in french.splitlines()
        if line.startswith(("all claims", "toutes"))
    ]
    claims = [line for line in french.splitlines() if re.match(r"^\S+\s+\S+-\S*", line)]
    (total_line,) = total
    count = int(re.split(r"\s{2,}", total_line)[1])
    assert count == 10 and count <= len(claims)


def test_the_style_is_the_commands_own(workdir, capsys) -> None:
    """A command's language does not leak into the next."""
    with styled(Style("fr", 80)):
        pass
    text = _run(["balances", "--as-of", "2026-06-30", "--lang", "en"], capsys)
    assert "Balances as of" in text


#: Each table and the schema of the JSON rows it shows.
ROWS = {
    "balances: claims": views.CLAIM_BALANCE,
    "balances: totals": views.TOTALS,
    "schedule: claims": views.CLAIM_SCHEDULE,
    "schedule: instalments": views.INSTALMENT,
    "status: creditors": views.CREDITOR_POSITION,
    "support: tranches": views.SUPPORT["properties"]["tranches"]["items"],
    "support: waivers": views.SUPPORT["properties"]["waivers"]["items"],
    "employment: departures": views.EMPLOYMENT["properties"]["departures"]["items"],
    "portfolio: cases": views.PORTFOLIO["properties"]["statuses"]["items"],
    "portfolio: creditors": views.PORTFOLIO["properties"]["creditors"]["items"],
    "distribute": views.DISTRIBUTION["properties"]["dividends"]["items"],
    "statement": views.STATEMENT["properties"]["lines"]["items"],
}
#: The columns a table derives, which have no JSON key of their own: the group a
#: totals row is of, whether a claim is frozen (JSON: frozen), a tranche's or an
#: instalment's number and its claim, a tranche's state (JSON: suspended, late),
#: the amount of a waiver or a dividend (JSON: amount), the key of a creditor
#: across cases (JSON: key).
DERIVED = {
    "balances: claims": {"freeze"},
    "balances: totals": {"by rank"},
    "schedule: instalments": {"claim", "instalment"},
    "support: tranches": {"tranche", "state"},
    "support: waivers": {"waived"},
    "portfolio: creditors": {"creditor"},
    "distribute": {"dividend"},
}


@pytest.mark.parametrize("table", ROWS)
def test_a_tables_columns_are_its_json_keys(table) -> None:
    keys = {column.key for column in TABLES[table]}
    assert keys - set(ROWS[table]["properties"]) == DERIVED.get(table, set())


def test_every_header_has_its_words_in_both_languages() -> None:
    for columns in TABLES.values():
        for column in columns:
            assert column.key in WORDS or column.fallback, column.key


_cells = st.text(alphabet="abcdé -0123456789,", min_size=0, max_size=30)
_headers = st.text(alphabet="abcdé-0123456789", min_size=1, max_size=20)


@settings(max_examples=200, deadline=None)
@given(
    columns=st.lists(
        st.tuples(_headers, st.booleans(), st.booleans()),
        min_size=1,
        max_size=12,
        unique_by=lambda c: c[0],
    ),
    rows=st.lists(st.lists(_cells, min_size=12, max_size=12), max_size=6),
    width=st.integers(min_value=20, max_value=200),
)
def test_render_fits_or_leaves_out_only_secondary_columns_and_names_them(
    columns, rows, width
) -> None:
    """Whatever the cells and the width: the kept columns are in order, every column
    left out is secondary and named in the footer, and when the primary columns can
    fit (cut to their narrowest) every line does."""
    table_columns = [
        Column(f"h{i}", lambda row, i=i: row[i], right=r, secondary=sec, fallback=h)
        for i, (h, r, sec) in enumerate(columns)
    ]
    out = io.StringIO()
    with styled(Style("en", width)):
        render(table_columns, rows, out)
    lines = out.getvalue().splitlines()
    footer = " ".join(lines[len(rows) + 2 :])  # wrapped to the width, maybe
    assert footer == "" or footer.startswith(FOOTER[0])
    left_out = footer.removeprefix(FOOTER[0]).split(", ") if footer else []
    headers = [h for h, _r, _s in columns]
    assert all(h in headers for h in left_out)
    assert all(columns[headers.index(h)][2] for h in left_out)  # secondary only
    kept = [c for c in columns if c[0] not in left_out]
    narrowest = sum(
        max(
            [MIN_HEADER if r else min(len(h), MIN_TEXT)]
            + [
                len(row[headers.index(h)])
                if r
                else min(len(row[headers.index(h)]), MIN_TEXT)
                for row in rows
            ]
        )
        for h, r, _s in kept
    ) + 2 * (len(kept) - 1)
    if narrowest <= width and not footer:
        assert all(len(line) <= width for line in lines)
    elif narrowest <= width:
        assert all(len(line) <= width for line in lines[: len(rows) + 2])
