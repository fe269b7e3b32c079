"""The JSON contract (docs/json.md): every `--json` output is one JSON document on
standard output, in the envelope {schema, case, as_of, known_at {position,
recorded_at}, <view>}, valid against the schema file shipped for its view; the
schema files and the key tables of docs/json.md are written from one definition."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import jsonschema
import pytest

from plandebt import Ledger
from plandebt.cli import main
from plandebt.cli.exits import FINDINGS, OK, USAGE
from plandebt.demo import CASE
from plandebt.distribution import plan_distribution
from plandebt.projections import postings
from plandebt.reports.annual import annual_report
from plandebt.reports.claims import claims_report
from plandebt.schemas import envelope, schema, schema_id
from plandebt.schemas.generate import HERE, page_with_tables, schema_text
from plandebt.schemas.views import VIEWS

ROOT = Path(__file__).resolve().parents[1]

#: Every command with --json, the view it prints and its exit code.
DOCUMENTS = [
    (["demo", "--json"], "balances", OK),
    (["balances", "--as-of", "2026-06-30", "--json"], "balances", OK),
    (
        ["balances", "--as-of", "2026-06-30", "--known-at", "2022-05-01", "--json"],
        "balances",
        OK,
    ),
    (
        ["balances", "--as-of", "2000-01-01", "--known-at", "0", "--json"],
        "balances",
        OK,
    ),
    (["status", "--as-of", "2026-06-30", "--json"], "status", OK),
    (["status", "--as-of", "2025-04-01", "--known-at", "30", "--json"], "status", OK),
    (["support", "--as-of", "2026-06-30", "--json"], "support", OK),
    (["employment", "--as-of", "2023-12-31", "--json"], "employment", OK),
    (["schedule", "--json"], "schedule", OK),
    (["schedule", "--creditor", "URSSAF", "--json"], "schedule", OK),
    (["schedule", "--known-at", "2022-05-01", "--json"], "schedule", OK),
    (["check", "--as-of", "2026-06-30", "--json"], "check", FINDINGS),
    (["check", "--as-of", "2022-03-31", "--json"], "check", OK),
    (
        ["check", "--as-of", "2026-06-30", "--ruleset", "rules.toml", "--json"],
        "check",
        FINDINGS,
    ),
    (["check-plan", "draft.json", "--json"], "check_plan", FINDINGS),
    (["portfolio", "--as-of", "2026-06-30", "--json"], "portfolio", OK),
    (
        [
            "portfolio",
            "--as-of",
            "2026-06-30",
            "--by",
            "kind",
            "--known-at",
            "2022-05-01",
            "--json",
        ],
        "portfolio",
        OK,
    ),
    (["cases", "--json"], "cases", OK),
    (["movements", "view.db", "--as-of", "2026-06-30", "--json"], "movements", OK),
    (
        ["distribute", "--remittance", "remit-2026-03-20", "--dry-run", "--json"],
        "distribution",
        OK,
    ),
    (
        ["statement", "--creditor", "URSSAF", "--as-of", "2026-06-30", "--json"],
        "statement",
        OK,
    ),
    (["import-claims", "sheet.csv", "--dry-run", "--json"], "import_claims", OK),
]


@pytest.fixture
def workdir(demo_store, tmp_path, monkeypatch) -> Path:
    shutil.copy(demo_store, tmp_path / "plandebt.db")
    plan = {
        "adopted_on": "2023-03-20",
        "duration_years": 10,
        "options": [{"option": "u", "percents": ["5"] * 6 + ["10"] + ["20"] * 3}],
        "uniform_option": "u",
    }
    (tmp_path / "draft.json").write_text(
        json.dumps({"opened_on": "2022-03-14", "plan": plan})
    )
    shutil.copy(ROOT / "examples" / "etat-des-creances.csv", tmp_path / "sheet.csv")
    (tmp_path / "rules.toml").write_text(
        "[overrides]\nplan_default_grace_days = 10\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PLANDEBT_DB", raising=False)
    return tmp_path


@pytest.mark.parametrize(
    ("argv", "view", "code"),
    DOCUMENTS,
    ids=lambda v: " ".join(v) if isinstance(v, list) else None,
)
def test_every_json_output_is_one_document_valid_against_its_schema(
    argv, view, code, workdir, capsys
) -> None:
    assert main(argv) == code
    captured = capsys.readouterr()
    document = json.loads(captured.out)  # one document, nothing before or after
    jsonschema.validate(document, schema(view))
    assert document["schema"] == schema_id(view)
    assert list(document) == ["schema", "case", "as_of", "known_at", view]
    assert "Traceback" not in captured.err


def test_the_known_at_object_says_where_the_recording_clock_stood(
    workdir, capsys
) -> None:
    argv = ["balances", "--as-of", "2026-06-30", "--json"]
    assert main([*argv, "--known-at", "2022-05-01"]) == OK
    then = json.loads(capsys.readouterr().out)
    assert then["case"] == CASE and then["as_of"] == "2026-06-30"
    position, recorded_at = (
        then["known_at"]["position"],
        then["known_at"]["recorded_at"],
    )
    assert datetime.fromisoformat(recorded_at) <= datetime.fromisoformat(
        "2022-05-01T23:59:59.999999+00:00"
    )
    assert len(then["balances"]["claims"]) < 24
    # The same view asked by position is the same document.
    assert main([*argv, "--known-at", str(position)]) == OK
    assert json.loads(capsys.readouterr().out) == then
    # One fact less is recorded earlier.
    assert main([*argv, "--known-at", str(position - 1)]) == OK
    earlier = json.loads(capsys.readouterr().out)["known_at"]
    assert earlier["position"] == position - 1
    assert earlier["recorded_at"] <= recorded_at


def keys(value: object) -> set[str]:
    """Every key of a JSON document, at any depth."""
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys(v)}
    if isinstance(value, list | tuple):
        return {k for v in value for k in keys(v)}
    return set()


def test_remissions_and_remittances_never_share_a_key(workdir, capsys) -> None:
    found: set[str] = set()
    reports = [
        ["report", "annual", "--year", "3", "--json"],
        ["report", "claims", "--as-of", "2026-06-30", "--json"],
    ]
    for argv in [argv for argv, _view, _code in DOCUMENTS] + reports:
        main(argv)
        found |= keys(json.loads(capsys.readouterr().out))
    assert "remitted" not in found
    assert {"remission", "remitted_to_supervisor"} <= found


@pytest.fixture
def ledger(workdir) -> Iterator[Ledger]:
    opened = Ledger.open(str(workdir / "plandebt.db"))
    yield opened
    opened.close()


def test_the_librarys_dicts_never_say_remitted_alone(ledger) -> None:
    """One name per meaning in the library too, not only in the CLI: "remission"
    is debt forgiven, "remitted_to_supervisor" money paid to the plan supervisor."""
    as_of = date(2026, 6, 30)
    documents = {
        "balances": ledger.balances(CASE, as_of).to_dict(),
        "status": ledger.plan_status(CASE, as_of).to_dict(),
        "annual report": annual_report(ledger, CASE, 3, prepared_on=as_of).to_dict(),
        "claims report": claims_report(ledger, CASE, as_of).to_dict(),
        "distribution": plan_distribution(
            ledger.index(CASE), "remit-2026-03-20"
        ).to_dict(),
    }
    found = {name: keys(json.loads(json.dumps(d))) for name, d in documents.items()}
    assert all("remitted" not in k for k in found.values()), found
    assert "remission" in found["balances"] and "remission" in found["claims report"]
    for name in ("status", "annual report", "distribution"):
        assert "remitted_to_supervisor" in found[name]


def test_the_old_names_still_read_with_a_warning(ledger) -> None:
    as_of = date(2026, 6, 30)
    balances = ledger.balances(CASE, as_of)
    status = ledger.plan_status(CASE, as_of)
    report = annual_report(ledger, CASE, 3, prepared_on=as_of)
    renamed = [
        (balances.claims[0], "remission"),
        (balances.total, "remission"),
        (status, "remitted_to_supervisor"),
        (report, "remitted_to_supervisor"),
        (report.series[-1], "remitted_to_supervisor"),
        (
            plan_distribution(ledger.index(CASE), "remit-2026-03-20"),
            "remitted_to_supervisor",
        ),
    ]
    for view, new in renamed:
        with pytest.warns(DeprecationWarning, match=new):
            assert view.remitted == getattr(view, new)
    with pytest.warns(DeprecationWarning, match="remission"):
        assert balances.total.amount("remitted") == balances.total.remission
    with pytest.warns(DeprecationWarning, match="REMISSION"):
        assert postings.REMITTED is postings.REMISSION


def test_a_json_document_describes_one_case(workdir, capsys) -> None:
    other = workdir / "other.jsonl"
    other.write_text(
        json.dumps(
            {
                "kind": "case.opened",
                "case": "OTHER",
                "effective_on": "2024-01-10",
                "procedure": "sauvegarde",
                "court": "TJ",
                "debtor": "X",
            }
        )
        + "\n"
    )
    assert main(["record", str(other)]) == OK
    capsys.readouterr()
    assert main(["balances", "--as-of", "2026-06-30", "--json"]) == USAGE
    err = capsys.readouterr().err
    assert "--case" in err and "2 cases" in err
    assert main(["balances", "--as-of", "2026-06-30", "--json", "--case", "OTHER"]) == 0
    assert json.loads(capsys.readouterr().out)["case"] == "OTHER"


def test_the_envelope_is_the_same_for_every_view() -> None:
    document = envelope("forecast", {"x": 1}, case=None, as_of=None)
    assert document == {
        "schema": "plandebt.forecast/1",
        "case": None,
        "as_of": None,
        "known_at": {"position": None, "recorded_at": None},
        "forecast": {"x": 1},
    }


@pytest.mark.parametrize("view", VIEWS)
def test_the_shipped_schema_files_are_written_from_the_definitions(view) -> None:
    shipped = (HERE / f"{view}.json").read_text(encoding="utf-8")
    assert shipped == schema_text(view), "run: python -m plandebt.schemas"
    jsonschema.Draft202012Validator.check_schema(json.loads(shipped))


def test_docs_json_documents_every_key_of_every_view() -> None:
    page = (ROOT / "docs" / "json.md").read_text(encoding="utf-8")
    assert page == page_with_tables(page), "run: python -m plandebt.schemas"
