"""The `plandebt` command.

Exit codes: 0 ok; 1 refused input (or, for checks, findings); 2 usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import IO

from plandebt import journal
from plandebt.errors import InvalidInputError, PlandebtError
from plandebt.ledger import Ledger
from plandebt.money import Money
from plandebt.projections.balances import Balances, Totals

DEFAULT_DB = "plandebt.db"


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit code 2, as argparse does
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date like 2026-06-30"
        ) from e


def _known_at(text: str) -> datetime | int:
    """A log position (an integer) or an ISO datetime; a date means the end of
    that day, UTC; a datetime without zone is taken as UTC."""
    if text.isdigit():
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
            f"{text!r} is not a datetime like 2026-06-30T12:00:00+00:00"
        ) from e
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="plandebt",
        description="The books of a company under a "
        "French court-ordered repayment plan.",
    )
    parser.add_argument(
        "--db",
        default=DEFAULT_DB,
        help=f"SQLite file (default ./{DEFAULT_DB}), a postgresql:// URL, or 'memory'",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    rec = sub.add_parser("record", help="record a JSON Lines journal (all or nothing)")
    rec.add_argument("journal", help="the journal file, or - for standard input")
    rec.add_argument(
        "--restore",
        action="store_true",
        help="keep the recording times of an export (a restore)",
    )

    bal = sub.add_parser("balances", help="creditor balances at a date")
    _view_options(bal)

    exp = sub.add_parser("export", help="write the journal of a case (or all cases)")
    exp.add_argument("--case", help="case reference (default: every case)")
    exp.add_argument("-o", "--output", help="file to write (default: standard output)")

    demo = sub.add_parser("demo", help="record the illustrative case and show it")
    demo.add_argument("--as-of", type=_date, default=date(2026, 6, 30))
    demo.add_argument("--json", action="store_true")

    cases = sub.add_parser("cases", help="list the cases in the store")
    cases.add_argument("--json", action="store_true")
    return parser


def _view_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-of", type=_date, required=True, help="the date viewed")
    parser.add_argument(
        "--known-at", type=_known_at, help="as known at this datetime (or log position)"
    )
    parser.add_argument("--case", help="case reference (default: every case)")
    parser.add_argument("--json", action="store_true", help="JSON for machines")


def main(argv: Sequence[str] | None = None, out: IO[str] | None = None) -> int:
    out = out or sys.stdout
    args = build_parser().parse_args(argv)
    try:
        with Ledger.open(args.db) as ledger:
            return _COMMANDS[args.command](ledger, args, out)
    except UsageError as e:
        print(f"plandebt: {e}", file=sys.stderr)
        return 2
    except InvalidInputError as e:
        print(f"plandebt: refused: {e}", file=sys.stderr)
        return 1
    except PlandebtError as e:
        print(f"plandebt: {e}", file=sys.stderr)
        return 1


def _record(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    if args.journal == "-":
        lines = sys.stdin.read().splitlines()
    else:
        try:
            with open(args.journal, encoding="utf-8") as f:
                lines = f.read().splitlines()
        except OSError as e:
            raise UsageError(f"cannot read {args.journal}: {e.strerror}") from e
    facts = ledger.import_journal(lines, restore=args.restore)
    cases = sorted({f.case for f in facts})
    print(
        f"recorded {len(facts)} facts in {len(cases)} case(s): {', '.join(cases)}",
        file=out,
    )
    return 0


def _cases_for(ledger: Ledger, case: str | None) -> list[str]:
    if case is not None:
        return [case]
    refs = ledger.cases()
    if not refs:
        raise UsageError("the store holds no case (try: plandebt demo)")
    return refs


def _balances(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    views = [
        ledger.balances(ref, args.as_of, args.known_at)
        for ref in _cases_for(ledger, args.case)
    ]
    if args.json:
        json.dump([v.to_dict() for v in views], out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        for view in views:
            print_balances(view, out)
    return 0


def _export(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    facts = ledger.export(args.case)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            count = journal.write(facts, f)
        print(f"exported {count} facts to {args.output}", file=sys.stderr)
    else:
        journal.write(facts, out)
    return 0


def _demo(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    from plandebt.demo import CASE, illustrative_journal

    if CASE in ledger.cases():
        print(f"{CASE} is already in {args.db}; showing it", file=out)
    else:
        ledger.import_journal(illustrative_journal())
        print(f"recorded the illustrative case {CASE} in {args.db}", file=out)
    view = ledger.balances(CASE, args.as_of)
    if args.json:
        json.dump(view.to_dict(), out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        print_balances(view, out)
    return 0


def _cases(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    refs = ledger.cases()
    if args.json:
        json.dump(refs, out)
        out.write("\n")
    else:
        for ref in refs:
            print(ref, file=out)
    return 0


_COMMANDS = {
    "record": _record,
    "balances": _balances,
    "export": _export,
    "demo": _demo,
    "cases": _cases,
}


# --- tables for people ------------------------------------------------------------------


def _m(amount: Money | None) -> str:
    return "—" if amount is None else amount.french(symbol=False)


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    out: IO[str],
    numeric_from: int = 0,
) -> None:
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if i >= numeric_from else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    print(line(headers), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for row in rows:
        print(line(row), file=out)


def print_balances(view: Balances, out: IO[str]) -> None:
    known = view.known_at
    known_text = (
        "everything recorded"
        if known is None
        else f"position {known}"
        if isinstance(known, int)
        else known.isoformat()
    )
    print(
        f"Case {view.case} — {view.procedure or 'not opened'} opened {view.opened_on}",
        file=out,
    )
    print(
        f"Balances as of {view.as_of}, as known at {known_text} "
        f"({view.position} facts); amounts in EUR",
        file=out,
    )
    print(file=out)
    rows = [
        [
            b.creditor,
            b.claim,
            b.rank.value,
            "frozen" if b.frozen else "post",
            b.status + ("*" if b.provisional else ""),
            _m(b.declared),
            _m(b.admitted),
            _m(b.paid),
            _m(b.remitted),
            _m(b.written_off),
            _m(b.outstanding),
        ]
        for b in view.claims
    ]
    table(
        [
            "creditor",
            "claim",
            "rank",
            "freeze",
            "status",
            "declared",
            "admitted",
            "paid",
            "remitted",
            "written off",
            "outstanding",
        ],
        rows,
        out,
        numeric_from=5,
    )
    print(
        "* provisional: no decision yet, outstanding counts the declared amount",
        file=out,
    )
    print(file=out)
    _totals_table("by creditor", view.by_creditor(), out)
    _totals_table("by rank", view.by_rank(), out)
    _totals_table("frozen / post-opening", view.by_freeze(), out)
    _totals_table("total", {"all claims": view.total}, out)


def _totals_table(title: str, groups: dict[str, Totals], out: IO[str]) -> None:
    rows = [
        [
            key,
            str(t.claims),
            _m(t.declared),
            _m(t.admitted),
            _m(t.paid),
            _m(t.remitted),
            _m(t.written_off),
            _m(t.outstanding),
        ]
        for key, t in groups.items()
    ]
    table(
        [
            title,
            "claims",
            "declared",
            "admitted",
            "paid",
            "remitted",
            "written off",
            "outstanding",
        ],
        rows,
        out,
        numeric_from=1,
    )
    print(file=out)


if __name__ == "__main__":
    raise SystemExit(main())
