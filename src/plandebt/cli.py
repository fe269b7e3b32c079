"""The `plandebt` command.

Exit codes: 0 ok; 1 refused input (or, for checks, findings); 2 usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import IO, Any

from plandebt import journal
from plandebt.compliance import Finding, Report, check_plan_proposal, rules_markdown
from plandebt.errors import InvalidInputError, PlandebtError
from plandebt.ledger import Ledger
from plandebt.money import Money
from plandebt.projections.balances import Balances, Totals
from plandebt.projections.employment import EmploymentView
from plandebt.projections.plan import (
    ClaimSchedule,
    PlanSchedule,
    PlanStatus,
    percent_text,
)
from plandebt.projections.support import SupportView
from plandebt.ruleset import Ruleset, ruleset_for

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

    demo = sub.add_parser("demo", help="record the illustrative case and show it")
    demo.add_argument("--as-of", type=_date, default=date(2026, 6, 30))
    demo.add_argument("--json", action="store_true")

    sched = sub.add_parser("schedule", help="the plan's instalments, by year and claim")
    sched.add_argument("--case", help="case reference (default: every case)")
    sched.add_argument("--creditor", help="only this creditor's claims")
    sched.add_argument(
        "--as-of",
        type=_date,
        help="with the modifications decided by this date (default: all)",
    )
    sched.add_argument(
        "--known-at", type=_known_at, help="as known at this datetime (or log position)"
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
    port.add_argument("--as-of", type=_date, required=True)
    port.add_argument("--known-at", type=_known_at)
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
    mov.add_argument("--as-of", type=_date, default=date.today())
    mov.add_argument("--json", action="store_true")

    cases = sub.add_parser("cases", help="list the cases in the store")
    cases.add_argument("--json", action="store_true")
    return parser


def _view_options(parser: argparse.ArgumentParser, as_of_required: bool = True) -> None:
    if as_of_required:
        parser.add_argument(
            "--as-of", type=_date, required=True, help="the date viewed"
        )
    else:
        parser.add_argument(
            "--as-of",
            type=_date,
            default=date.today(),
            help="the date viewed (default: today)",
        )
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
    except BrokenPipeError:  # the reader (e.g. `| head`) stopped reading
        sys.stderr.close()
        return 0
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
    bar = _progress_bar("checking") if args.progress or sys.stderr.isatty() else None
    facts = ledger.import_journal(lines, restore=args.restore, progress=bar)
    if bar is not None:
        bar(len(facts), len(facts))
        print(file=sys.stderr)
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
    return _show(ledger.balances, print_balances, ledger, args, out)


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


def _schedule(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    results = []
    for ref in _cases_for(ledger, args.case):
        schedule = ledger.schedule(ref, args.as_of, args.known_at)
        if schedule is None:
            if args.json:
                results.append({"case": ref, "plan": None})
            else:
                print(f"Case {ref}: no plan adopted", file=out)
            continue
        claims = [
            c
            for c in schedule.claims
            if args.creditor is None or c.creditor == args.creditor
        ]
        if args.creditor is not None and not claims:
            raise UsageError(
                f"creditor {args.creditor!r} has no claim in the plan of {ref}"
            )
        if args.json:
            data = schedule.to_dict()
            data["claims"] = [c.to_dict() for c in claims]
            results.append(data)
        else:
            print_schedule(schedule, claims, args.creditor, out)
    if args.json:
        json.dump(results, out, indent=2, ensure_ascii=False)
        out.write("\n")
    return 0


def _show(
    query: Callable[..., Any],
    printer: Callable[[Any, IO[str]], None],
    ledger: Ledger,
    args: argparse.Namespace,
    out: IO[str],
) -> int:
    """A view of every case asked for, as of --as-of, as known at --known-at: a table
    for people or --json for machines."""
    views = [
        query(ref, args.as_of, args.known_at) for ref in _cases_for(ledger, args.case)
    ]
    if args.json:
        json.dump([v.to_dict() for v in views], out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        for view in views:
            printer(view, out)
    return 0


def _status(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    return _show(ledger.plan_status, print_status, ledger, args, out)


def _support(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    return _show(ledger.support, print_support, ledger, args, out)


def _employment(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    return _show(ledger.employment, print_employment, ledger, args, out)


def _ruleset_for_case(ledger: Ledger, ref: str, path: str | None) -> Ruleset | None:
    if path is None:
        return None
    opening = ledger.index(ref).opening()
    assert opening is not None
    return ruleset_for(opening.effective_on, path)


def _check(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    reports = [
        ledger.check(
            ref, args.as_of, args.known_at, _ruleset_for_case(ledger, ref, args.ruleset)
        )
        for ref in _cases_for(ledger, args.case)
    ]
    if args.json:
        json.dump([r.to_dict() for r in reports], out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        for report in reports:
            print_report(report, out)
    return 1 if any(r.has_errors for r in reports) else 0


def _check_plan(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    try:
        with open(args.proposal, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        raise UsageError(f"cannot read {args.proposal}: {e}") from e
    if not isinstance(data, dict) or not isinstance(data.get("plan"), dict):
        raise InvalidInputError("plan", None, "the proposal holds a 'plan' object")
    opened_on = date.fromisoformat(str(data.get("opened_on")))
    rules = ruleset_for(opened_on, args.ruleset) if args.ruleset else None
    findings = check_plan_proposal(
        data["plan"],
        opened_on=opened_on,
        procedure=data.get("procedure", "redressement_judiciaire"),
        agricultural=bool(data.get("agricultural", False)),
        ruleset=rules,
    )
    if args.json:
        json.dump([f.to_dict() for f in findings], out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        _print_findings(findings, out)
        if not findings:
            print(
                "no finding: the draft plan meets every rule on a plan's terms",
                file=out,
            )
    return 1 if any(f.severity.value == "error" for f in findings) else 0


def _rules(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    out.write(rules_markdown())
    return 0


def _portfolio(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    if isinstance(args.known_at, int):
        raise UsageError("--known-at across cases takes a datetime, not a position")
    view = ledger.portfolio(args.as_of, args.known_at)
    if args.json:
        json.dump(view.to_dict(args.by), out, indent=2, ensure_ascii=False)
        out.write("\n")
        return 0
    print(
        f"Portfolio as of {view.as_of}, as known at {_known_text(view.known_at)}: "
        f"{len(view.statuses)} case(s); amounts in EUR",
        file=out,
    )
    print(file=out)
    rows = [
        [
            s.case,
            s.phase,
            str(s.plan_year),
            _m(s.total_scheduled),
            _m(s.remitted),
            _m(s.arrears),
            str(s.days_late),
        ]
        for s in view.statuses
    ]
    table(
        [
            "case",
            "phase",
            "plan year",
            "plan total",
            "remitted",
            "arrears",
            "days late",
        ],
        rows,
        out,
        numeric_from=2,
    )
    print(file=out)
    rows = [
        [
            c.key,
            str(len(c.cases)),
            str(c.totals.claims),
            _m(c.totals.owed),
            _m(c.totals.paid),
            _m(c.totals.outstanding),
        ]
        for c in view.creditors(args.by)
    ]
    table(
        [args.by, "cases", "claims", "owed", "paid", "outstanding"],
        rows,
        out,
        numeric_from=1,
    )
    print(file=out)
    return 0


def _movements(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    from plandebt.movements import BUCKETS, MovementsView

    view = MovementsView(args.target)
    try:
        applied = view.catch_up(ledger)
        sums = view.creditor_sums(args.as_of)
        position = view.position()
    finally:
        view.close()
    if args.json:
        json.dump(
            {
                "applied": applied,
                "position": position,
                "as_of": args.as_of.isoformat(),
                "creditors": {
                    c: {b: Money(v).plain() for b, v in row.items()}
                    for c, row in sums.items()
                },
            },
            out,
            indent=2,
        )
        out.write("\n")
        return 0
    print(f"applied {applied} facts; the view is at notification {position}", file=out)
    rows = [
        [creditor, *(_m(Money(row[b])) for b in BUCKETS)]
        for creditor, row in sorted(sums.items())
    ]
    table(["creditor", *BUCKETS], rows, out, numeric_from=1)
    return 0


def _progress_bar(label: str) -> Callable[[int, int], None]:
    """A one-line progress bar on standard error."""

    def show(done: int, total: int) -> None:
        width = 30
        filled = width * done // total if total else width
        print(
            f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}",
            end="",
            file=sys.stderr,
            flush=True,
        )

    return show


def _rebuild(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    import time

    bar = _progress_bar("reading") if args.progress or sys.stderr.isatty() else None
    started = time.perf_counter()
    count = ledger.rebuild(progress=bar)
    seconds = time.perf_counter() - started
    if bar is not None:
        print(file=sys.stderr)
    rate = f", {count / seconds:,.0f} facts/s" if seconds > 0 else ""
    print(
        f"read {count:,} facts of {len(ledger.cases())} case(s) in {seconds:.2f} s"
        f"{rate}",
        file=out,
    )
    return 0


_COMMANDS = {
    "rebuild": _rebuild,
    "movements": _movements,
    "portfolio": _portfolio,
    "check": _check,
    "check-plan": _check_plan,
    "rules": _rules,
    "support": _support,
    "employment": _employment,
    "record": _record,
    "balances": _balances,
    "export": _export,
    "demo": _demo,
    "cases": _cases,
    "schedule": _schedule,
    "status": _status,
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


#: The amount columns of the balance tables: attribute of a ClaimBalance or Totals,
#: and its header.
_AMOUNTS = (
    ("declared", "declared"),
    ("admitted", "admitted"),
    ("paid", "paid"),
    ("remitted", "remitted"),
    ("interest", "interest"),
    ("written_off", "written off"),
    ("subrogated", "to AGS"),
    ("outstanding", "outstanding"),
)


def print_balances(view: Balances, out: IO[str]) -> None:
    known_text = _known_text(view.known_at)
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
            *(_m(getattr(b, name)) for name, _header in _AMOUNTS),
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
            *(header for _name, header in _AMOUNTS),
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
            *(_m(getattr(t, name)) for name, _header in _AMOUNTS),
        ]
        for key, t in groups.items()
    ]
    table(
        [
            title,
            "claims",
            *(header for _name, header in _AMOUNTS),
        ],
        rows,
        out,
        numeric_from=1,
    )
    print(file=out)


def print_schedule(
    schedule: PlanSchedule,
    claims: Sequence[ClaimSchedule],
    creditor: str | None,
    out: IO[str],
) -> None:
    adopted = schedule.adopted
    print(
        f"Case {schedule.case} — plan adopted {adopted.effective_on} for "
        f"{adopted.duration_years} years; supervisor {adopted.supervisor}",
        file=out,
    )
    if schedule.modifications:
        print(
            "modified on "
            + ", ".join(str(m.effective_on) for m in schedule.modifications),
            file=out,
        )
    print(file=out)
    if creditor is None:
        total = schedule.total
        rows, running = [], 0
        for year, amount in schedule.by_year():
            running += amount.cents
            rows.append(
                [
                    str(year) if year else "at adoption",
                    _m(amount),
                    _m(Money(running)),
                    _m(Money(total.cents - running)),
                ]
            )
        table(
            ["plan year", "due", "cumulative", "remaining"], rows, out, numeric_from=1
        )
        print(file=out)
    rows = [
        [
            c.creditor,
            c.claim,
            c.treatment,
            c.option or "—",
            "yes" if c.provisional else "",
            _m(c.base),
            _m(c.scheduled),
            _m(c.option_remission),
        ]
        for c in claims
    ]
    table(
        [
            "creditor",
            "claim",
            "treatment",
            "option",
            "provisional",
            "base",
            "scheduled",
            "option remission",
        ],
        rows,
        out,
        numeric_from=5,
    )
    if creditor is not None:
        print(file=out)
        rows = [
            [c.claim, str(i.number), str(c.due_on(i)), _m(i.amount)]
            for c in claims
            for i in c.instalments
        ]
        table(["claim", "instalment", "due on", "amount"], rows, out, numeric_from=1)
    print(file=out)


def print_status(view: PlanStatus, out: IO[str]) -> None:
    known_text = _known_text(view.known_at)
    print(
        f"Case {view.case} — plan status as of {view.as_of}, as known at {known_text}",
        file=out,
    )
    if view.adopted_on is None:
        print(f"phase: {view.phase} (no plan adopted)", file=out)
        return
    lines = [
        ("phase", view.phase + (f" since {view.ended_on}" if view.ended_on else "")),
        ("adopted on", str(view.adopted_on)),
        ("plan year", f"{view.plan_year} of {view.duration_years}"),
        ("total of the plan", _m(view.total_scheduled)),
        ("due to date", _m(view.due)),
        ("remitted to the supervisor", _m(view.remitted)),
        ("distributed to creditors", _m(view.distributed)),
        ("reserved (claims not decided)", _m(view.reserved)),
        (
            "arrears",
            _m(view.arrears)
            + (
                f" (oldest due {view.oldest_unpaid_due_on}, {view.days_late} days late)"
                if view.arrears
                else ""
            ),
        ),
        (
            "next due",
            f"{view.next_due_on}: {_m(view.next_due_amount)}"
            if view.next_due_on
            else "—",
        ),
        ("repaid", f"{percent_text(view.percent_repaid)} %"),
    ]
    width = max(len(k) for k, _v in lines)
    for key, value in lines:
        print(f"  {key.ljust(width)}  {value}", file=out)
    print(file=out)
    rows = [
        [
            p.creditor,
            ",".join(p.options) or "—",
            _m(p.scheduled),
            _m(p.due),
            _m(p.distributed),
            _m(p.reserved),
            _m(p.behind),
            _m(p.contingent_remission),
            _m(p.acquired_remission),
        ]
        for p in view.creditors
    ]
    table(
        [
            "creditor",
            "option",
            "scheduled",
            "due",
            "distributed",
            "reserved",
            "behind",
            "remission contingent",
            "remission acquired",
        ],
        rows,
        out,
        numeric_from=2,
    )
    print(file=out)


def _known_text(known: Any) -> str:
    if known is None:
        return "everything recorded"
    return f"position {known}" if isinstance(known, int) else known.isoformat()


def print_support(view: SupportView, out: IO[str]) -> None:
    print(
        f"Case {view.case} — group support as of {view.as_of}, as known at "
        f"{_known_text(view.known_at)}; amounts in EUR",
        file=out,
    )
    print(file=out)
    rows = [
        [investor, _m(v["committed"]), _m(v["received"]), _m(v["late"])]
        for investor, v in view.by_investor().items()
    ]
    table(["investor", "committed", "received", "late"], rows, out, numeric_from=1)
    print(file=out)
    rows = [
        [
            t.investor,
            t.commitment,
            str(t.number),
            str(t.due_on),
            _m(t.amount),
            _m(t.received),
            "suspended" if t.suspended else "LATE" if t.late else "",
        ]
        for t in view.tranches
    ]
    table(
        ["investor", "commitment", "tranche", "due on", "amount", "received", "state"],
        rows,
        out,
        numeric_from=4,
    )
    print(file=out)
    rows = [[form, _m(amount)] for form, amount in view.received_by_form.items()]
    table(["received as", "amount"], rows, out, numeric_from=1)
    print(file=out)
    rows = [
        [
            w.creditor,
            w.claim,
            str(w.waived_on),
            w.clause,
            _m(w.amount),
            _m(w.final),
            _m(w.contingent),
            _m(w.revived),
        ]
        for w in view.waivers
    ]
    table(
        [
            "creditor",
            "claim",
            "waived on",
            "clause",
            "waived",
            "final",
            "contingent",
            "revived",
        ],
        rows,
        out,
        numeric_from=4,
    )
    print(file=out)
    rows = [
        [creditor, _m(amount)]
        for creditor, amount in view.intercompany_outstanding.items()
    ]
    table(["group creditor", "outstanding"], rows, out, numeric_from=1)
    print(file=out)


def print_employment(view: EmploymentView, out: IO[str]) -> None:
    print(
        f"Case {view.case} — employment as of {view.as_of}, as known at "
        f"{_known_text(view.known_at)}; amounts in EUR",
        file=out,
    )
    print(
        "departures: " + ", ".join(f"{n} {k}" for k, n in view.by_kind().items()),
        file=out,
    )
    print(file=out)
    rows = [
        [
            d.employee,
            d.departure,
            str(d.left_on),
            str(d.seniority_months),
            _m(d.monthly_pay),
            _m(d.legal_minimum),
            _m(d.agreed),
            _m(d.paid_by_company),
            _m(d.paid_by_group),
            _m(d.advanced_by_ags),
            d.ags_window or "outside",
        ]
        for d in view.departures
    ]
    table(
        [
            "employee",
            "departure",
            "left on",
            "seniority (months)",
            "monthly pay",
            "legal minimum",
            "agreed",
            "paid: company",
            "paid: group",
            "AGS advance",
            "AGS window",
        ],
        rows,
        out,
        numeric_from=3,
    )
    print(file=out)
    totals = view.totals()
    table(
        [
            "totals",
            "legal minimum",
            "agreed",
            "paid: company",
            "paid: group",
            "AGS advance",
            "paid",
        ],
        [
            [
                "all departures",
                *(
                    _m(totals[k])
                    for k in (
                        "legal_minimum",
                        "agreed",
                        "paid_by_company",
                        "paid_by_group",
                        "advanced_by_ags",
                        "paid",
                    )
                ),
            ]
        ],
        out,
        numeric_from=1,
    )
    print(f"\nowed to the AGS (subrogation): {_m(view.ags_claims)}", file=out)
    print(file=out)


def print_report(report: Report, out: IO[str]) -> None:
    print(
        f"Case {report.case} — compliance as of {report.as_of}, as known at "
        f"{_known_text(report.known_at)}; ruleset {report.ruleset_version}",
        file=out,
    )
    for rule in report.overridden:
        print(
            f"  overridden: {rule.key} = {rule.value_text()} ({rule.source}; "
            f"{rule.article})",
            file=out,
        )
    counts = {k: len(v) for k, v in report.by_severity().items()}
    print(
        f"{counts['error']} error(s), {counts['warning']} warning(s), "
        f"{counts['info']} note(s)",
        file=out,
    )
    print(file=out)
    _print_findings(list(report.findings), out)


def _print_findings(findings: Sequence[Finding], out: IO[str]) -> None:
    for severity in ("error", "warning", "info"):
        chosen = [f for f in findings if f.severity.value == severity]
        if not chosen:
            continue
        print(f"{severity.upper()}S", file=out)
        for f in chosen:
            where = " ".join(x for x in (f.creditor, f.claim, f.instalment) if x)
            print(f"  [{f.article}] {f.rule}{' — ' + where if where else ''}", file=out)
            print(f"    {f.message}", file=out)
            if f.evidence:
                print(f"    evidence: {', '.join(f.evidence)}", file=out)
        print(file=out)


if __name__ == "__main__":
    raise SystemExit(main())
