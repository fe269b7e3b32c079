"""The `plandebt` command: exit codes, tables, JSON, journal round trips."""

from __future__ import annotations

import json
import re

import pytest

from plandebt.cli import build_parser, main
from plandebt.cli.commands import COMMANDS, WITHOUT_STORE
from plandebt.cli.labels import WORDS, word
from plandebt.demo import CASE
from plandebt.projections.balances import AMOUNT_COLUMNS


@pytest.fixture
def db(tmp_path, capsys) -> str:
    path = str(tmp_path / "cli.db")
    assert main(["--db", path, "demo"]) == 0
    capsys.readouterr()
    return path


def test_balances_as_json_carry_every_claim(db, capsys) -> None:
    assert main(["--db", db, "balances", "--as-of", "2026-06-30", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["case"] == CASE and document["schema"] == "plandebt.balances/1"
    view = document["balances"]
    assert view["total"]["admitted"] == "3447000.00"
    assert {c["claim"] for c in view["claims"]} >= {"URSSAF-1", "CLEANING-POST"}


def test_known_at_a_position_shows_what_was_known_then(db, capsys) -> None:
    assert (
        main(
            [
                "--db",
                db,
                "balances",
                "--as-of",
                "2026-06-30",
                "--known-at",
                "1",
                "--json",
            ]
        )
        == 0
    )
    document = json.loads(capsys.readouterr().out)
    assert document["known_at"]["position"] == 1
    assert document["balances"]["claims"] == []


def test_a_refused_journal_exits_2_names_the_line_and_writes_nothing(
    db, tmp_path, capsys
) -> None:
    journal = tmp_path / "bad.jsonl"
    journal.write_text(
        json.dumps(
            {
                "kind": "payment.made",
                "case": CASE,
                "effective_on": "2026-01-05",
                "claim": "URSSAF-1",
                "amount": "10.00",
                "basis": "plan_dividend",
            }
        )
        + "\n"
        + json.dumps(
            {
                "kind": "payment.made",
                "case": CASE,
                "effective_on": "2026-01-05",
                "claim": "URSSAF-1",
                "amount": 10.5,
                "basis": "plan_dividend",
            }
        )
        + "\n"
    )
    main(["--db", db, "export", "-o", str(tmp_path / "before.jsonl")])
    assert main(["--db", db, "record", str(journal)]) == 2
    assert "line 2" in capsys.readouterr().err
    main(["--db", db, "export", "-o", str(tmp_path / "after.jsonl")])
    assert (tmp_path / "before.jsonl").read_text() == (
        tmp_path / "after.jsonl"
    ).read_text()


def test_export_then_restore_into_an_empty_store_gives_the_same_journal(
    db, tmp_path, capsys
) -> None:
    backup = tmp_path / "backup.jsonl"
    assert main(["--db", db, "export", "-o", str(backup)]) == 0
    restored = str(tmp_path / "restored.db")
    assert main(["--db", restored, "record", "--restore", str(backup)]) == 0
    capsys.readouterr()
    assert main(["--db", restored, "export"]) == 0
    assert capsys.readouterr().out == backup.read_text(encoding="utf-8")


def test_usage_errors_exit_2(db, capsys) -> None:
    assert main(["--db", db, "balances"]) == 2  # --as-of is required
    assert main(["--db", db, "balances", "--as-of", "30/06/2026"]) == 2
    assert main(["--db", db, "record", "no-such-file.jsonl"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (
        "plandebt balances: error: the following arguments are required: --as-of; "
        "see plandebt balances --help"
    )
    assert err[1].startswith("plandebt balances: error: argument --as-of: '30/06/2026'")
    assert len(err) == 3


def test_an_unknown_case_exits_2(db, capsys) -> None:
    assert (
        main(["--db", db, "balances", "--as-of", "2026-06-30", "--case", "NOPE"]) == 2
    )
    assert "case" in capsys.readouterr().err


def test_status_and_schedule_as_json(db, capsys) -> None:
    assert main(["--db", db, "status", "--as-of", "2025-03-21", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)["status"]
    assert status["phase"] == "in_arrears" and status["days_late"] == 1
    assert main(["--db", db, "schedule", "--creditor", "LANDLORD", "--json"]) == 0
    schedule = json.loads(capsys.readouterr().out)["schedule"]
    assert [c["option"] for c in schedule["claims"]] == ["fast"]
    assert main(["--db", db, "schedule", "--creditor", "NOBODY"]) == 2


def test_rebuild_and_record_show_progress_on_standard_error(
    db, tmp_path, capsys
) -> None:
    assert main(["--db", db, "rebuild", "--progress"]) == 0
    captured = capsys.readouterr()
    assert "read " in captured.out and "facts of 1 case(s)" in captured.out
    assert "reading [" in captured.err
    backup = tmp_path / "b.jsonl"
    assert main(["--db", db, "export", "-o", str(backup)]) == 0
    assert (
        main(["--db", str(tmp_path / "r.db"), "record", "--progress", str(backup)]) == 0
    )
    assert "checking [##############################]" in capsys.readouterr().err


def _headers(line: str) -> list[str]:
    return re.split(r"\s{2,}", line.strip())


def test_the_balance_tables_show_every_amount_column_of_the_library(db, capsys) -> None:
    """The CLI has no list of its own: a column added to postings.COLUMNS (hence to
    AMOUNT_COLUMNS) shows in every balance table, under the library's label unless
    the CLI's words (`labels.WORDS`, keyed by the JSON key) name it otherwise."""
    labels = [word(name) if name in WORDS else label for name, label in AMOUNT_COLUMNS]
    assert "remission" in labels and "remitted" not in labels
    assert main(["--db", db, "balances", "--as-of", "2026-06-30"]) == 0
    lines = capsys.readouterr().out.splitlines()
    claims = next(line for line in lines if line.startswith("creditor  "))
    assert _headers(claims) == [
        "creditor",
        "claim",
        "rank",
        "freeze",
        "status",
        *labels,
    ]
    totals = [
        _headers(line)
        for line in lines
        if line.startswith(("by creditor", "by rank", "frozen / post-opening", "total"))
    ]
    assert len(totals) == 4
    assert all(header[1:] == ["claims", *labels] for header in totals)


def test_the_balances_json_carries_every_amount_column_of_the_library(
    db, capsys
) -> None:
    assert main(["--db", db, "balances", "--as-of", "2026-06-30", "--json"]) == 0
    view = json.loads(capsys.readouterr().out)["balances"]
    names = [name for name, _label in AMOUNT_COLUMNS]
    assert all(set(names) <= set(claim) for claim in view["claims"])
    assert set(names) <= set(view["total"])


def test_every_subcommand_has_one_function(db) -> None:
    parser = build_parser()
    (sub,) = [a for a in parser._actions if a.dest == "command"]
    assert set(sub.choices) == set(COMMANDS) | set(WITHOUT_STORE)
    assert not set(COMMANDS) & set(WITHOUT_STORE)


def test_the_store_defaults_to_plandebt_db_then_the_environment(
    tmp_path, monkeypatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PLANDEBT_DB", str(tmp_path / "env.db"))
    assert main(["demo"]) == 0
    assert (tmp_path / "env.db").exists()
    assert not (tmp_path / "plandebt.db").exists()
    capsys.readouterr()
    assert main(["cases"]) == 0
    assert capsys.readouterr().out == f"{CASE}\n"
    # --db wins over the environment.
    assert main(["--db", "other.db", "cases"]) == 3
    assert "no store at other.db" in capsys.readouterr().err
    monkeypatch.delenv("PLANDEBT_DB")
    assert main(["cases"]) == 3
    assert "no store at plandebt.db" in capsys.readouterr().err
    assert main(["demo"]) == 0
    assert (tmp_path / "plandebt.db").exists()
    monkeypatch.setenv("PLANDEBT_DB", "")  # empty: as if unset
    capsys.readouterr()
    assert main(["cases"]) == 0
    assert capsys.readouterr().out == f"{CASE}\n"
