"""The `plandebt` command line: its subcommands, their options, and the types of
their arguments (dates, "as known at")."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import NoReturn

from plandebt import __version__
from plandebt.cli import integrity, labels, privacy, reporting
from plandebt.cli.labels import LANGUAGES, default_language
from plandebt.events.claims import Rank
from plandebt.limits import is_date_text
from plandebt.storage import PLANDEBT_DB

#: The store used when neither --db nor the PLANDEBT_DB environment variable names one.
DEFAULT_DB = "plandebt.db"


class Parser(argparse.ArgumentParser):
    """An argparse parser whose errors are one line on standard error, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}; see {self.prog} --help\n")


def iso_date(text: str) -> date:
    """A calendar date written like 2026-06-30 (YYYY-MM-DD only, as in a journal)."""
    try:
        if not is_date_text(text):
            raise ValueError("Invalid isoformat")
        return date.fromisoformat(text)
    except ValueError as e:
        # Python says why a well-formed date does not exist ("month must be in
        # 1..12"); for any other text its message only repeats the text.
        why = "" if "isoformat" in str(e) else f" ({e})"
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date like 2026-06-30{why}"
        ) from e


def known_at(text: str) -> datetime | int:
    """A log position (an integer) or an ISO datetime; a date means the end of
    that day, UTC; a datetime without zone is taken as UTC."""
    if text.isascii() and text.isdigit():
        return int(text)
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(
                day.year, day.month, day.day, 23, 59, 59, 999999, tzinfo=UTC
            )
        moment = datetime.fromisoformat(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a datetime like 2026-06-30T12:00:00+00:00 "
            "(or a date, or a log position)"
        ) from e
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def store_target(db: str | None) -> str:
    """The store a command uses: --db, else $PLANDEBT_DB, else ./plandebt.db."""
    return db or os.environ.get(PLANDEBT_DB) or DEFAULT_DB


KNOWN_AT_HELP = (
    "as known at: a log position (22: the case's first 22 facts), a date "
    "(2022-05-01: the end of that day, UTC) or a datetime "
    "(2022-05-01T12:00:00+02:00; without an offset: UTC); default: everything "
    "recorded"
)
JSON_HELP = "one JSON document on standard output (docs/json.md)"


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="plandebt",
        description="The books of a company under a "
        "French court-ordered repayment plan.",
        epilog="Exit codes: 0 ok, 1 compliance errors found, 2 usage or refused "
        "input, 3 store or environment problem, 70 internal error (docs/cli.md).",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    parser.add_argument(
        "--db",
        help="SQLite file, a postgresql:// URL, or 'memory' "
        f"(default: ${PLANDEBT_DB}, else ./{DEFAULT_DB})",
    )
    privacy.add_options(parser)
    common = _common_options(
        default_language(),
        "language of the tables: fr or en (default: fr when $LANG starts with fr, "
        "else en); the JSON keys stay English",
    )
    # What is filed with a French court is written in French unless asked otherwise.
    court = _common_options("fr", "language written: fr or en (default: fr)")
    sub = parser.add_subparsers(
        dest="command", required=True, parser_class=Parser, metavar="command"
    )
    for name, (summary, add_options) in SUBCOMMANDS.items():
        parent = court if name in FRENCH_BY_DEFAULT else common
        add_options(sub.add_parser(name, help=summary, parents=[parent]))
    return parser


def _common_options(language: str, help: str) -> Parser:
    """--lang and --wide, which every subcommand takes."""
    common = Parser(add_help=False)
    common.add_argument("--lang", choices=LANGUAGES, default=language, help=help)
    common.add_argument(
        "--wide",
        action="store_true",
        help="every column, whatever the terminal's width",
    )
    return common


#: The subcommands whose documents are for the court: French unless --lang en.
FRENCH_BY_DEFAULT = frozenset({"report", "plot", "forecast"})


# --- the options each subcommand takes -------------------------------------------------


def as_of(
    parser: argparse.ArgumentParser,
    *,
    required: bool = False,
    default: date | None = None,
    help: str = "the date viewed",
) -> None:
    if required:
        parser.add_argument(
            "--as-of", type=iso_date, metavar="DATE", required=True, help=help
        )
    else:
        shown = "today" if default is None else default.isoformat()
        parser.add_argument(
            "--as-of",
            type=iso_date,
            metavar="DATE",
            default=default or date.today(),
            help=f"{help} (default: {shown})",
        )


def known(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--known-at", type=known_at, metavar="WHEN", help=KNOWN_AT_HELP)


def json_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help=JSON_HELP)


def one_case(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--case", help="case reference (default: the store's only case)"
    )


def dry_run(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true", help="show, record nothing")


def output_file(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o", "--output", help="file to write (default: standard output)"
    )


def progress(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--progress",
        action="store_true",
        help="show a progress bar (default when standard error is a terminal)",
    )


def view_options(parser: argparse.ArgumentParser, as_of_required: bool = True) -> None:
    """--as-of, --known-at, --case, --json: what every view of a case takes."""
    as_of(parser, required=as_of_required)
    known(parser)
    parser.add_argument(
        "--case",
        help="case reference (default: every case; with --json, the store's only case)",
    )
    json_output(parser)


def rank(text: str) -> Rank:
    """A rank, in English (unsecured) or French (chirographaire)."""
    try:
        return labels.rank(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from e


def _balances(p: argparse.ArgumentParser) -> None:
    view_options(p)
    p.add_argument(
        "--rank",
        type=rank,
        metavar="RANK",
        help="only the claims of this rank, and their totals: unsecured or "
        "chirographaire, privileged_social or privilégiée sociale...",
    )


def _record(p: argparse.ArgumentParser) -> None:
    p.add_argument("journal", help="the journal file, or - for standard input")
    p.add_argument(
        "--restore",
        action="store_true",
        help="keep the recording times of an export (a restore); its hash chain "
        "is checked",
    )
    p.add_argument(
        "--unverified",
        action="store_true",
        help="with --restore: restore a journal whose hash chain is missing or "
        "broken, its facts marked unverified (docs/integrity.md)",
    )
    progress(p)


def _export(p: argparse.ArgumentParser) -> None:
    p.add_argument("--case", help="case reference (default: every case)")
    output_file(p)
    p.add_argument(
        "--format",
        choices=("journal", "beancount"),
        default="journal",
        help="the JSON Lines journal, or a Beancount ledger of one case",
    )
    privacy.add_export_options(p)


def _demo(p: argparse.ArgumentParser) -> None:
    as_of(p, default=date(2026, 6, 30), help="the date of the balances shown")
    json_output(p)


def _schedule(p: argparse.ArgumentParser) -> None:
    p.add_argument("--case", help="case reference (default: every case)")
    p.add_argument(
        "--creditor", help="only this creditor's claims, and its instalments"
    )
    p.add_argument(
        "--as-of",
        type=iso_date,
        metavar="DATE",
        help="with the modifications decided by this date (default: all)",
    )
    known(p)
    ruleset_option(p)
    json_output(p)


def ruleset_option(p: argparse.ArgumentParser) -> None:
    """--ruleset: what every command reading legal numbers takes (docs/ruleset.md)."""
    p.add_argument(
        "--ruleset",
        metavar="FILE",
        help="TOML file overriding ruleset values (docs/ruleset.md); each case "
        "reads the version its opening judgment's date chooses, overridden",
    )


def _check(p: argparse.ArgumentParser) -> None:
    view_options(p)
    ruleset_option(p)


def _status(p: argparse.ArgumentParser, as_of_required: bool = True) -> None:
    view_options(p, as_of_required=as_of_required)
    ruleset_option(p)


def _check_plan(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "proposal",
        help="JSON file: opened_on, procedure, farming_natural_person, "
        "farming_business, plan (the fields of a plan.adopted line)",
    )
    ruleset_option(p)
    json_output(p)


def _portfolio(p: argparse.ArgumentParser) -> None:
    as_of(p, required=True)
    p.add_argument(
        "--known-at",
        type=known_at,
        metavar="WHEN",
        help="as known at: a date (2022-05-01: the end of that day, UTC) or a "
        "datetime (2022-05-01T12:00:00+02:00); positions are per case, so none here",
    )
    p.add_argument(
        "--by",
        choices=["creditor", "name", "kind"],
        default="creditor",
        help="match creditors across cases by id (default), name or kind",
    )
    ruleset_option(p)
    json_output(p)


def _movements(p: argparse.ArgumentParser) -> None:
    p.add_argument("target", help="SQLite file or postgresql:// URL of the view")
    as_of(p, help="the date of the sums")
    json_output(p)


def _import_claims(p: argparse.ArgumentParser) -> None:
    p.add_argument("sheet", help="the sheet (.csv, or .xlsx with plandebt[xlsx])")
    one_case(p)
    p.add_argument("--mapping", help="a TOML file naming other column headers")
    dry_run(p)
    json_output(p)


def _adopt_plan(p: argparse.ArgumentParser) -> None:
    p.add_argument("plan", help="the plan file (see examples/plan.toml)")
    one_case(p)


def _distribute(p: argparse.ArgumentParser) -> None:
    p.add_argument("--remittance", required=True, help="the remittance's fact id")
    one_case(p)
    p.add_argument(
        "--paid-on", type=iso_date, metavar="DATE", help="the dividends' date"
    )
    dry_run(p)
    json_output(p)


def _statement(p: argparse.ArgumentParser) -> None:
    p.add_argument("--creditor", required=True, help="the creditor's id")
    as_of(p)
    known(p)
    one_case(p)
    json_output(p)
    p.add_argument(
        "--format",
        choices=("table", "csv", "html"),
        default="table",
        help="a table, CSV or an HTML page",
    )
    output_file(p)


def _nothing(p: argparse.ArgumentParser) -> None:
    """A subcommand without options of its own."""


#: Every subcommand: its one-line summary, and the function adding its options.
#: A new subcommand is one row here and one function in commands.COMMANDS (or
#: WITHOUT_STORE); it gets --lang and --wide, and tests/test_cli_battery.py drives it.
SUBCOMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "record": ("record a JSON Lines journal (all or nothing)", _record),
    "rebuild": ("read the whole store again into fresh projections, timed", progress),
    "balances": ("creditor balances at a date", _balances),
    "export": ("write the journal of a case (or all cases)", _export),
    "demo": ("record the illustrative case and show it", _demo),
    "schedule": ("the plan's instalments, by year and claim", _schedule),
    "status": ("where the plan stands at a date", _status),
    "support": (
        "group support: commitments, contributions, waivers, intercompany balances",
        lambda p: view_options(p, as_of_required=False),
    ),
    "employment": (
        "departures, severance, AGS advances",
        lambda p: _status(p, as_of_required=False),
    ),
    "check": ("compliance findings at a date (exit 1 on error)", _check),
    "check-plan": ("check a draft plan against the law", _check_plan),
    "rules": ("print the rule catalogue (docs/rules.md)", _nothing),
    "portfolio": (
        "every case at a date, and what each creditor is owed across cases",
        _portfolio,
    ),
    "movements": (
        "bring the SQL view of money movements up to date and show what each "
        "creditor is owed across cases",
        _movements,
    ),
    "import-claims": (
        "record the état des créances from a CSV or XLSX sheet",
        _import_claims,
    ),
    "adopt-plan": ("record the plan judgment from a TOML file", _adopt_plan),
    "distribute": ("pay out a remittance to the creditors (répartition)", _distribute),
    "statement": ("one creditor's statement over time", _statement),
    "cases": ("list the cases in the store", json_output),
    "report": ("court reports, HTML or PDF (annual, claims)", reporting.report_options),
    "plot": ("a plot of the plan over its years, PNG or SVG", reporting.plot_options),
    "forecast": (
        "affordability: cash in against the plan's annuities",
        reporting.forecast_options,
    ),
    "verify": (
        "recompute every case's hash chain: exit 1 if the history was altered",
        integrity.verify_options,
    ),
    "upgrade": (
        "upgrade a store written by an earlier plandebt",
        integrity.upgrade_options,
    ),
    "keygen": ("make a new key for an encrypted store", privacy.keygen_options),
    "forget": (
        "erase a person's data (name, address, descriptions); amounts stay",
        privacy.forget_options,
    ),
}
