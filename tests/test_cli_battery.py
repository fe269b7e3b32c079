"""Every subcommand, driven with a battery of bad arguments made from the parser
itself (so a new subcommand is driven with no change here): an unknown option, a
bad value for every option typed as a date, a "known at", a rank or a choice, a
missing required argument, an unknown case or creditor, a position past the end of
the log. Each is refused in one line on standard error, exit 2, no traceback, and
the store is left as it was.

Also: every option has its help text, --known-at's help gives the formats, and
--version answers."""

from __future__ import annotations

import argparse
import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from plandebt import __version__
from plandebt.cli import build_parser, main
from plandebt.cli.exits import OK, USAGE
from plandebt.cli.parser import KNOWN_AT_HELP, iso_date, known_at, rank
from plandebt.demo import illustrative_journal

ROOT = Path(__file__).resolve().parents[1]

#: A good value for each argument a subcommand may require, so that each bad one
#: is tried alone.
GOOD = {
    "--as-of": "2026-06-30",
    "--remittance": "remit-2026-03-20",
    "--creditor": "URSSAF",
    "journal": "empty.jsonl",
    "proposal": "draft.json",
    "sheet": "sheet.csv",
    "plan": "plan.toml",
    "target": "view.db",
    "kind": "cumulative",
    "--year": "1",
    "--turnover": "turnover.toml",
}
#: The arguments that name a file to read.
FILES = ("journal", "proposal", "sheet", "plan")
#: Bad values by the type of an option.
BAD_VALUES = {
    iso_date: ["2026-13-45", "30/06/2026", "", "yesterday"],
    known_at: ["-1", "nonsense", "2026-02-30", "99999"],
    rank: ["douteuse", ""],
}


def _subcommands(
    parser: argparse.ArgumentParser | None = None, prefix: str = ""
) -> dict[str, argparse.ArgumentParser]:
    """Every subcommand by its words ("balances", "report annual"), nested ones too."""
    found: dict[str, argparse.ArgumentParser] = {}
    for action in (parser or build_parser())._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found[f"{prefix}{name}"] = sub
                found.update(_subcommands(sub, f"{prefix}{name} "))
    return found


def _options(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [a for a in parser._actions if not isinstance(a, argparse._HelpAction)]


def _good(argument: str) -> str:
    """A good value for `argument` (a placeholder for a subcommand's own, which its
    bad values are then tried with)."""
    return GOOD.get(argument, "x")


def _required(name: str, parser: argparse.ArgumentParser) -> list[str]:
    argv = name.split()
    for action in _options(parser):
        if action.option_strings and action.required:
            argv += [action.option_strings[-1], _good(action.option_strings[-1])]
        elif not action.option_strings and action.nargs is None:
            argv.append(_good(action.dest))
    return argv


def battery() -> Iterator[tuple[str, list[str]]]:
    for name, parser in _subcommands().items():
        base = _required(name, parser)
        yield f"{name} --no-such-option", [*base, "--no-such-option"]
        for action in _options(parser):
            if not action.option_strings:
                if action.dest in FILES:
                    missing = [
                        a if a != GOOD[action.dest] else "missing.txt" for a in base
                    ]
                    yield f"{name} a missing {action.dest}", missing
                continue
            option = action.option_strings[-1]
            for bad in BAD_VALUES.get(action.type, []):  # type: ignore[call-overload]
                yield f"{name} {option} {bad!r}", [*base, option, bad]
            if action.choices is not None:
                yield f"{name} {option} bogus", [*base, option, "bogus"]
            if option == "--case":
                yield f"{name} --case NOPE", [*base, "--case", "NOPE"]
            if option == "--creditor" and not action.required:
                yield f"{name} --creditor NOPE", [*base, "--creditor", "NOPE"]
            if action.required:
                without = [a for a in base if a not in (option, _good(option))]
                yield f"{name} without {option}", without
            takes_text = action.nargs is None and action.const is None
            untyped = action.type is None and action.choices is None
            if takes_text and untyped and action.default is None:
                yield f"{name} {option} (no value)", [*base, option]
        if name == "statement":
            yield "statement --creditor NOPE", [name, "--creditor", "NOPE"]
    yield "no subcommand", []
    yield "an unknown subcommand", ["no-such-command"]


BATTERY = dict(battery())


@pytest.fixture
def workdir(demo_store, tmp_path, monkeypatch) -> Path:
    shutil.copy(demo_store, tmp_path / "plandebt.db")
    (tmp_path / "empty.jsonl").write_text("")
    (tmp_path / "draft.json").write_text('{"opened_on": "2022-03-14", "plan": {}}')
    shutil.copy(ROOT / "examples" / "etat-des-creances.csv", tmp_path / "sheet.csv")
    shutil.copy(ROOT / "examples" / "plan.toml", tmp_path / "plan.toml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PLANDEBT_DB", raising=False)
    return tmp_path


def test_the_battery_drives_every_subcommand() -> None:
    driven = {" ".join(argv[: len(name.split())]) for name in _subcommands()
              for argv in BATTERY.values() if argv[: len(name.split())] == name.split()}
    assert driven >= set(_subcommands())
    assert len(BATTERY) > 3 * len(_subcommands())


@pytest.mark.parametrize("argv", BATTERY.values(), ids=BATTERY.keys())
def test_a_bad_argument_is_refused_in_one_line_exit_2(argv, workdir, capsys) -> None:
    before = hashlib.sha256((workdir / "plandebt.db").read_bytes()).hexdigest()
    code = main(argv)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("plandebt"), captured.err
    assert code == USAGE, captured.err
    after = hashlib.sha256((workdir / "plandebt.db").read_bytes()).hexdigest()
    assert after == before
    assert sorted(p.name for p in workdir.iterdir()) == sorted(
        ["plandebt.db", "empty.jsonl", "draft.json", "sheet.csv", "plan.toml"]
    )


def test_unknown_cases_and_creditors_get_the_same_code(workdir, capsys) -> None:
    unknown_case = main(["status", "--as-of", "2026-06-30", "--case", "NOPE"])
    unknown_creditor = main(["schedule", "--creditor", "NOPE"])
    unknown_statement = main(["statement", "--creditor", "NOPE"])
    assert unknown_case == unknown_creditor == unknown_statement == USAGE
    err = capsys.readouterr().err
    assert "NOPE" in err


def test_a_position_past_the_end_of_the_log_is_refused(workdir, capsys) -> None:
    facts = len(illustrative_journal())  # the demo store holds the whole journal
    last, past = str(facts), str(facts + 1)
    assert main(["balances", "--as-of", "2026-06-30", "--known-at", last]) == OK
    capsys.readouterr()
    assert main(["balances", "--as-of", "2026-06-30", "--known-at", past]) == USAGE
    err = capsys.readouterr().err
    assert past in err and f"{facts} facts" in err


def test_every_option_has_help_and_known_at_says_its_formats() -> None:
    for name, parser in _subcommands().items():
        for action in _options(parser):
            assert action.help, f"{name} {action.option_strings or action.dest}"
            if "--known-at" in action.option_strings:
                assert "2022-05-01" in action.help and "UTC" in action.help
    assert "position" in KNOWN_AT_HELP and "T12:00:00+02:00" in KNOWN_AT_HELP


def test_version(capsys) -> None:
    assert main(["--version"]) == OK
    assert capsys.readouterr().out.strip() == f"plandebt {__version__}"
