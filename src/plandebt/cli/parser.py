"""The `plandebt` command line: its subcommands, their options, and the types of
their arguments (dates, "as known at")."""

from __future__ import annotations

import argparse
import os
from datetime import UTC, date, datetime
from typing import NoReturn

from plandebt.cli import privacy
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


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="plandebt",
        description="The books of a company under a "
        "French court-ordered repayment plan.",
    )
    parser.add_argument(
        "--db",
        help="SQLite file, a postgresql:// URL, or 'memory' "
        f"(default: ${PLANDEBT_DB}, else ./{DEFAULT_DB})",
    )
    privacy.add_options(parser)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    privacy.add_commands(sub)

    rec = sub.add_parser("record", help="record a JSON Lines journal (all or nothing)")
    rec.add_argument("journal", help="the journal file, or - for standard input")
    rec.add_argument(
        "--restore",
        action="store_true",
        help="keep the recording times of an export (a restore)",
    )
    rec.add_argument(
        "--progress",
        action="store_true",
        help="show a progress bar (default when standard error is a terminal)",
    )
    reb = sub.add_parser(
        "rebuild", help="read the whole store again into fresh projections, timed"
    )
    reb.add_argument("--progress", action="store_true")

    bal = sub.add_parser("balances", help="creditor balances at a date")
    _view_options(bal)

    exp = sub.add_parser("export", help="write the journal of a case (or all cases)")
    exp.add_argument("--case", help="case reference (default: every case)")
    exp.add_argument("-o", "--output", help="file to write (default: standard output)")
    exp.add_argument(
        "--format",
        choices=("journal", "beancount"),
        default="journal",
        help="the JSON Lines journal, or a Beancount ledger of one case",
    )
    privacy.add_export_options(exp)

    demo = sub.add_parser("demo", help="record the illustrative case and show it")
    demo.add_argument("--as-of", type=iso_date, default=date(2026, 6, 30))
    demo.add_argument("--json", action="store_true")

    sched = sub.add_parser("schedule", help="the plan's instalments, by year and claim")
    sched.add_argument("--case", help="case reference (default: every case)")
    sched.add_argument("--creditor", help="only this creditor's claims")
    sched.add_argument(
        "--as-of",
        type=iso_date,
        help="with the modifications decided by this date (default: all)",
    )
    sched.add_argument(
        "--known-at", type=known_at, help="as known at this datetime (or log position)"
    )
    sched.add_argument("--json", action="store_true")

    status = sub.add_parser("status", help="where the plan stands at a date")
    _view_options(status)

    sup = sub.add_parser(
        "support",
        help="group support: commitments, contributions, "
        "waivers, intercompany balances",
    )
    _view_options(sup, as_of_required=False)
    emp = sub.add_parser("employment", help="departures, severance, AGS advances")
    _view_options(emp, as_of_required=False)

    chk = sub.add_parser(
        "check", help="compliance findings at a date (exit 1 on error)"
    )
    _view_options(chk)
    chk.add_argument("--ruleset", help="TOML file overriding ruleset values")
    chkp = sub.add_parser("check-plan", help="check a draft plan against the law")
    chkp.add_argument(
        "proposal",
        help="JSON file: opened_on, procedure, agricultural, "
        "plan (the fields of a plan.adopted line)",
    )
    chkp.add_argument("--ruleset", help="TOML file overriding ruleset values")
    chkp.add_argument("--json", action="store_true")
    sub.add_parser("rules", help="print the rule catalogue (docs/rules.md)")

    port = sub.add_parser(
        "portfolio",
        help="every case at a date, and what each creditor is owed across cases",
    )
    port.add_argument("--as-of", type=iso_date, required=True)
    port.add_argument("--known-at", type=known_at)
    port.add_argument(
        "--by",
        choices=["creditor", "name", "kind"],
        default="creditor",
        help="match creditors across cases by id (default), name or kind",
    )
    port.add_argument("--json", action="store_true")

    mov = sub.add_parser(
        "movements",
        help="bring the SQL view of money movements up "
        "to date and show what each creditor is owed across cases",
    )
    mov.add_argument("target", help="SQLite file or postgresql:// URL of the view")
    mov.add_argument("--as-of", type=iso_date, default=date.today())
    mov.add_argument("--json", action="store_true")

    imp = sub.add_parser(
        "import-claims", help="record the état des créances from a CSV or XLSX sheet"
    )
    imp.add_argument("sheet", help="the sheet (.csv, or .xlsx with plandebt[xlsx])")
    imp.add_argument("--case", help="case reference (default: the store's only case)")
    imp.add_argument("--mapping", help="a TOML file naming other column headers")
    imp.add_argument("--dry-run", action="store_true", help="show, record nothing")
    imp.add_argument("--json", action="store_true")

    adopt = sub.add_parser(
        "adopt-plan", help="record the plan judgment from a TOML file"
    )
    adopt.add_argument("plan", help="the plan file (see examples/plan.toml)")
    adopt.add_argument("--case", help="case reference (default: the store's only case)")

    dist = sub.add_parser(
        "distribute", help="pay out a remittance to the creditors (répartition)"
    )
    dist.add_argument("--remittance", required=True, help="the remittance's fact id")
    dist.add_argument("--case", help="case reference (default: the store's only case)")
    dist.add_argument("--paid-on", type=iso_date, help="the dividends' date")
    dist.add_argument("--dry-run", action="store_true", help="show, record nothing")
    dist.add_argument("--json", action="store_true")

    stmt = sub.add_parser("statement", help="one creditor's statement over time")
    stmt.add_argument("--creditor", required=True, help="the creditor's id")
    _view_options(stmt, as_of_required=False)
    stmt.add_argument(
        "--format", choices=("table", "csv", "html"), default="table", help="output"
    )
    stmt.add_argument("-o", "--output", help="file to write (default: standard output)")

    cases = sub.add_parser("cases", help="list the cases in the store")
    cases.add_argument("--json", action="store_true")
    return parser


def _view_options(parser: argparse.ArgumentParser, as_of_required: bool = True) -> None:
    if as_of_required:
        parser.add_argument(
            "--as-of", type=iso_date, required=True, help="the date viewed"
        )
    else:
        parser.add_argument(
            "--as-of",
            type=iso_date,
            default=date.today(),
            help="the date viewed (default: today)",
        )
    parser.add_argument(
        "--known-at", type=known_at, help="as known at this datetime (or log position)"
    )
    parser.add_argument("--case", help="case reference (default: every case)")
    parser.add_argument("--json", action="store_true", help="JSON for machines")
