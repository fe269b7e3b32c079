"""One function per subcommand: it runs the library and writes the result, a table
for people (`tables.py`) or one JSON document for machines.

Each returns its exit code; failures are raised (`exits.py` says which code each
gets). Commands listed in `COMMANDS` use the store, those in `WITHOUT_STORE` do not;
only those in `CREATE_STORE` may create it.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import stat
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from typing import IO, Any, Protocol

import attrs

from plandebt.cli import integrity, privacy, reporting, shapes, tables
from plandebt.cli.envelope import body, emit, emit_case
from plandebt.cli.exits import FINDINGS, OK, StoreProblem, UsageError
from plandebt.cli.labels import day, say
from plandebt.cli.store import is_store_file, redacted
from plandebt.decisions.state import KnownAt
from plandebt.errors import InvalidInputError
from plandebt.ledger import Ledger
from plandebt.money import Money
from plandebt.projections.balances import Balances
from plandebt.projections.employment import EmploymentView
from plandebt.projections.plan import PlanStatus
from plandebt.ruleset import Ruleset, ruleset_for

Command = Callable[[Ledger, argparse.Namespace, IO[str]], int]
StorelessCommand = Callable[[argparse.Namespace, IO[str]], int]


class _View(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


def _cases_for(ledger: Ledger, case: str | None, known_at: KnownAt = None) -> list[str]:
    """The cases a command shows: --case, else every case of the store; a
    --known-at position past the end of a case's log is refused."""
    if case is not None:
        refs = [case]
    else:
        refs = ledger.cases()
        if not refs:
            raise UsageError("the store holds no case (try: plandebt demo)")
    if isinstance(known_at, int):
        for ref in refs:
            head = ledger.position(ref)
            if known_at > head:
                raise UsageError(
                    f"--known-at {known_at} is past the end of the log of {ref}, "
                    f"which holds {head} facts"
                )
    return refs


def _json_case(refs: list[str]) -> str:
    """The one case a --json document describes."""
    if len(refs) > 1:
        raise UsageError(
            f"the store holds {len(refs)} cases and a --json document describes "
            "one: name it with --case (or use plandebt portfolio --json)"
        )
    return refs[0]


def _document(
    out: IO[str],
    view: str,
    content: Any,
    ledger: Ledger,
    case: str,
    args: argparse.Namespace,
) -> None:
    """Prints the JSON document of a view of `case` as of --as-of, as known at
    --known-at."""
    emit_case(
        out,
        view,
        content,
        ledger=ledger,
        case=case,
        as_of=args.as_of,
        known_at=args.known_at,
    )


def creditor_names(
    ledger: Ledger, case: str, known_at: KnownAt = None
) -> dict[str, str]:
    """The name of each creditor of the case, by id."""
    index = ledger.index(case, known_at)
    position = index.position(known_at)
    names = {}
    for creditor in index.creditors:
        registered = index.creditor(creditor, position)
        names[creditor] = registered.name if registered is not None else creditor
    return names


def _show(
    view_name: str,
    query: Callable[..., Any],
    shape: Callable[[Any], Any],
    printer: Callable[[Any, IO[str]], None],
    ledger: Ledger,
    args: argparse.Namespace,
    out: IO[str],
) -> int:
    """A view of every case asked for, as of --as-of, as known at --known-at: a table
    for people or --json for machines (one case)."""
    refs = _cases_for(ledger, args.case, args.known_at)
    if args.json:
        ref = _json_case(refs)
        content = shape(query(ref, args.as_of, args.known_at))
        _document(out, view_name, content, ledger, ref, args)
        return OK
    for ref in refs:
        printer(query(ref, args.as_of, args.known_at), out)
    return OK


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


# --- recording ------------------------------------------------------------------------


def _journal_bytes(name: str) -> bytes | str:
    """The journal `name` (- for standard input) as it is, in bytes: the library
    cuts it into lines and decodes each (`journal.parse_lines`), so that a file and
    a journal given from Python meet the same checks."""
    try:
        if name == "-":
            buffer = getattr(sys.stdin, "buffer", None)
            return sys.stdin.read() if buffer is None else buffer.read()
        with open(name, "rb") as f:
            return f.read()
    except OSError as e:
        raise UsageError(f"cannot read {name}: {e.strerror or e}") from e


def record(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    lines = privacy.opened_journal(_journal_bytes(args.journal), args)
    bar = _progress_bar("checking") if args.progress or sys.stderr.isatty() else None
    if args.unverified and not args.restore:
        raise UsageError("--unverified goes with --restore")
    facts = ledger.import_journal(
        lines, restore=args.restore, unverified=args.unverified, progress=bar
    )
    if bar is not None:
        bar(len(facts), len(facts))
        print(file=sys.stderr)
    cases = sorted({f.case for f in facts})
    print(
        say(
            f"recorded {len(facts)} facts in {len(cases)} case(s): ",
            f"{len(facts)} faits enregistrés dans {len(cases)} dossier(s) : ",
        )
        + ", ".join(cases),
        file=out,
    )
    return OK


def demo(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    from plandebt.demo import CASE, record_illustrative

    # With --json, standard output holds the document only.
    said = sys.stderr if args.json else out
    if CASE in ledger.cases():
        print(
            say(
                f"{CASE} is already in {redacted(args.db)}; showing it",
                f"{CASE} est déjà dans {redacted(args.db)} ; le voici",
            ),
            file=said,
        )
    else:
        record_illustrative(ledger)
        print(
            say(
                f"recorded the illustrative case {CASE} in {redacted(args.db)}",
                f"dossier d'illustration {CASE} enregistré dans {redacted(args.db)}",
            ),
            file=said,
        )
    view = ledger.balances(CASE, args.as_of)
    if args.json:
        emit_case(
            out,
            "balances",
            shapes.balances(view),
            ledger=ledger,
            case=CASE,
            as_of=args.as_of,
        )
    else:
        tables.print_balances(view, out)
    return OK


def rebuild(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
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
    return OK


# --- export ---------------------------------------------------------------------------


def export(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    if args.format == "beancount":
        from plandebt.beancount_export import to_beancount

        text = to_beancount(ledger.index(_one_case(ledger, args.case)))
        return _emit(text, args.output, args.db, out)
    from plandebt import journal

    facts = ledger.export(args.case)
    if args.encrypt:  # sealed with the store's key (cli/privacy.py)
        buffer = io.StringIO()
        journal.write(facts, buffer)
        return _emit(
            privacy.sealed_export(buffer.getvalue(), args), args.output, args.db, out
        )
    if not args.output:
        journal.write(facts, out)
        return OK
    if is_store_file(args.output, args.db):
        raise UsageError(
            f"refusing to write the export over the store it reads ({args.output})"
        )
    count = write_file(args.output, lambda f: journal.write(facts, f))
    print(f"exported {count} facts to {args.output}", file=sys.stderr)
    return OK


def _one_case(ledger: Ledger, case: str | None, known_at: KnownAt = None) -> str:
    refs = _cases_for(ledger, case, known_at)
    if len(refs) > 1:
        raise UsageError("the store holds several cases: name one with --case")
    return refs[0]


def _emit(text: str, output: str | None, db: str, out: IO[str]) -> int:
    """Writes `text` to standard output or, atomically, to `output`."""
    if not output:
        out.write(text)
        return OK
    if is_store_file(output, db):
        raise UsageError(f"refusing to write over the store it reads ({output})")
    write_file(output, lambda f: f.write(text))
    print(f"wrote {output}", file=sys.stderr)
    return OK


# --- the état des créances, the plan file, distributions, statements -----------------


def import_claims(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    from plandebt.claims_sheet import SheetError, load_mapping

    case = _one_case(ledger, args.case)
    mapping = load_mapping(args.mapping) if args.mapping else None
    try:
        facts = ledger.import_claims(
            case, args.sheet, mapping=mapping, dry_run=args.dry_run
        )
    except OSError as e:
        if e.filename != args.sheet:
            raise
        # The sheet named on the command line cannot be read: a usage error.
        raise UsageError(f"cannot read {args.sheet}: {e.strerror or e}") from e
    except SheetError as e:
        for cell in e.cells[1:]:  # the first is the error's own line
            print(
                f"plandebt: row {cell.row}, column {cell.column}: "
                f"{cell.value!r}: {cell.reason}",
                file=sys.stderr,
            )
        raise
    if args.json:
        content = {
            "sheet": args.sheet,
            "dry_run": args.dry_run,
            "facts": [f.to_dict() for f in facts],
        }
        emit_case(out, "import_claims", content, ledger=ledger, case=case, as_of=None)
        return OK
    claims = sum(f.kind == "claim.declared" for f in facts)
    counted = f"{len(facts)} facts ({claims} claims) from {args.sheet}"
    counted_fr = f"{len(facts)} faits ({claims} créances) de {args.sheet}"
    if args.dry_run:
        print(say(f"would record {counted}", f"enregistrerait {counted_fr}"), file=out)
    else:
        print(say(f"recorded {counted}", f"enregistré {counted_fr}"), file=out)
    return OK


def adopt_plan(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    adopted = ledger.adopt_plan_file(_one_case(ledger, args.case), args.plan)
    print(
        say(
            f"plan adopted on {adopted.effective_on.isoformat()} for "
            f"{adopted.duration_years} years ({len(adopted.options)} options)",
            f"plan arrêté le {day(adopted.effective_on)} pour "
            f"{adopted.duration_years} ans ({len(adopted.options)} options)",
        ),
        file=out,
    )
    return OK


def distribute(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    case = _one_case(ledger, args.case)
    plan = ledger.distribute_remittance(
        case, args.remittance, paid_on=args.paid_on, dry_run=args.dry_run
    )
    if args.json:
        emit_case(
            out,
            "distribution",
            shapes.distribution(plan, args.dry_run),
            ledger=ledger,
            case=case,
            as_of=plan.paid_on,
        )
        return OK
    tables.print_distribution(plan, out)
    if args.dry_run:
        print(
            say("(dry run: nothing recorded)", "(simulation : rien n'est enregistré)"),
            file=out,
        )
    return OK


def statement(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    case = _one_case(ledger, args.case, args.known_at)
    view = ledger.statement(case, args.creditor, args.as_of, args.known_at)
    if args.json:
        content = {
            "creditor": view.creditor,
            "creditor_name": view.creditor_name,
            "owed": view.owed.plain(),
            "lines": view.to_dict()["lines"],
            "unverified": list(view.unverified),
        }
        _document(out, "statement", content, ledger, case, args)
        return OK
    if args.format == "csv":
        return _emit(view.to_csv(), args.output, args.db, out)
    if args.format == "html":
        return _emit(view.to_html(), args.output, args.db, out)
    tables.print_statement(view, out)
    return OK


def write_file(path: str, write: Callable[[IO[str]], int]) -> int:
    """Writes the file `path` with `write(stream)` (returning what it returns), so
    that no failure leaves it half written: the text goes to a temporary file beside
    it, flushed to the disk, which then replaces it in one step (os.replace). A path
    that cannot be written (a missing folder, a folder, a full disk) is a
    StoreProblem (exit 3), and a file already there is left as it was.

    A symbolic link is followed (the file it names is replaced, the link stays), and
    what is not a regular file (/dev/stdout, a named pipe) is written directly."""
    target = os.path.realpath(path)
    try:
        if os.path.isdir(target):
            raise StoreProblem(
                f"cannot write {path}: it is a folder (give a file name)"
            )
        if os.path.exists(target) and not os.path.isfile(target):
            with open(target, "w", encoding="utf-8") as stream:
                return write(stream)
        return _replace(target, write)
    except OSError as e:
        raise StoreProblem(f"cannot write {path}: {e.strerror or e}") from e


def _replace(target: str, write: Callable[[IO[str]], int]) -> int:
    folder = os.path.dirname(target)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    handle, temporary = tempfile.mkstemp(
        prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=folder
    )
    try:
        with open(handle, "w", encoding="utf-8", newline="\n") as stream:
            result = write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(folder)
    return result


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _sync_folder(folder: str) -> None:
    """Flushes the folder's entry of the replaced file to the disk, where the system
    allows it (so that the new file survives a power cut)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


# --- views of one case ----------------------------------------------------------------


def balances(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    def query(ref: str, as_of: date, known_at: KnownAt) -> Balances:
        view = ledger.balances(ref, as_of, known_at)
        if args.rank is None:
            return view
        # The view of one rank's claims: its totals are of those claims only.
        chosen = tuple(c for c in view.claims if c.rank is args.rank)
        return attrs.evolve(view, claims=chosen)

    return _show(
        "balances", query, shapes.balances, tables.print_balances, ledger, args, out
    )


def status(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    def shape(view: PlanStatus) -> dict[str, Any]:
        return shapes.status(view, creditor_names(ledger, view.case, args.known_at))

    def printer(view: PlanStatus, out: IO[str]) -> None:
        names = creditor_names(ledger, view.case, args.known_at)
        tables.print_status(view, out, names)

    def query(ref: str, as_of: date, known_at: KnownAt) -> PlanStatus:
        rules = _ruleset_for_case(ledger, ref, args.ruleset)
        return ledger.plan_status(ref, as_of, known_at, rules)

    return _show("status", query, shape, printer, ledger, args, out)


def _content(view: _View) -> dict[str, Any]:
    return body(view.to_dict())


def support(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    return _show(
        "support", ledger.support, _content, tables.print_support, ledger, args, out
    )


def employment(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    def query(ref: str, as_of: date, known_at: KnownAt) -> EmploymentView:
        rules = _ruleset_for_case(ledger, ref, args.ruleset)
        return ledger.employment(ref, as_of, known_at, rules)

    return _show(
        "employment",
        query,
        _content,
        tables.print_employment,
        ledger,
        args,
        out,
    )


def schedule(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    refs = _cases_for(ledger, args.case, args.known_at)
    if args.json:
        refs = [_json_case(refs)]
    for ref in refs:
        plan = ledger.schedule(
            ref, args.as_of, args.known_at, _ruleset_for_case(ledger, ref, args.ruleset)
        )
        if plan is None:
            if args.json:
                _document(out, "schedule", None, ledger, ref, args)
            else:
                print(
                    say(
                        f"Case {ref}: no plan adopted",
                        f"Dossier {ref} : pas de plan arrêté",
                    ),
                    file=out,
                )
            continue
        claims = [
            c
            for c in plan.claims
            if args.creditor is None or c.creditor == args.creditor
        ]
        if args.creditor is not None and not claims:
            raise UsageError(
                f"creditor {args.creditor!r} has no claim in the plan of {ref}"
            )
        if args.json:
            names = creditor_names(ledger, ref, args.known_at)
            _document(
                out, "schedule", shapes.schedule(plan, claims, names), ledger, ref, args
            )
        else:
            names = creditor_names(ledger, ref, args.known_at)
            tables.print_schedule(plan, claims, args.creditor, out, names)
    return OK


def cases(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    refs = ledger.cases()
    if args.json:
        emit(out, "cases", refs)
    else:
        for ref in refs:
            print(ref, file=out)
    return OK


# --- compliance -----------------------------------------------------------------------


def _ruleset_for_case(ledger: Ledger, ref: str, path: str | None) -> Ruleset | None:
    if path is None:
        return None
    opening = ledger.index(ref).opening()
    if opening is None:
        raise UsageError(f"case {ref!r} has no opening judgment to choose a ruleset by")
    return ruleset_for(opening.effective_on, path)


def check(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    refs = _cases_for(ledger, args.case, args.known_at)
    if args.json:
        refs = [_json_case(refs)]
    reports = [
        ledger.check(
            ref, args.as_of, args.known_at, _ruleset_for_case(ledger, ref, args.ruleset)
        )
        for ref in refs
    ]
    if args.json:
        (report,) = reports
        _document(out, "check", shapes.check(report), ledger, report.case, args)
    else:
        for report in reports:
            tables.print_report(report, out)
    return FINDINGS if any(r.has_errors for r in reports) else OK


def check_plan(args: argparse.Namespace, out: IO[str]) -> int:
    try:
        with open(args.proposal, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError, RecursionError) as e:
        # ValueError: not UTF-8, not JSON, an integer of more than 4,300 digits.
        reason = "nested too deep" if isinstance(e, RecursionError) else e
        raise UsageError(f"cannot read {args.proposal}: {reason}") from e
    if not isinstance(data, dict) or not isinstance(data.get("plan"), dict):
        raise InvalidInputError("plan", None, "the proposal holds a 'plan' object")
    opened_on = _proposal_date(data.get("opened_on"))
    rules = ruleset_for(opened_on, args.ruleset)
    from plandebt.compliance import check_plan_proposal

    findings = check_plan_proposal(
        data["plan"],
        opened_on=opened_on,
        procedure=data.get("procedure", "redressement_judiciaire"),
        farming_natural_person=_proposal_flag(data, "farming_natural_person"),
        farming_business=_proposal_flag(data, "farming_business"),
        agricultural=_proposal_flag(data, "agricultural"),
        ruleset=rules,
    )
    if args.json:
        emit(out, "check_plan", shapes.check_plan(findings, rules))
    else:
        tables.print_overridden(rules.overridden(), out)
        tables.print_findings(findings, out)
        if not findings:
            print(
                say(
                    "no finding: the draft plan meets every rule on a plan's terms",
                    "aucune observation : le projet de plan respecte chaque règle "
                    "sur les termes d'un plan",
                ),
                file=out,
            )
    return FINDINGS if any(f.severity.value == "error" for f in findings) else OK


def _proposal_date(value: object) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError as e:
        raise InvalidInputError(
            "opened_on", value, "must be a date like 2022-03-14"
        ) from e


def _proposal_flag(data: dict[str, Any], name: str) -> bool | None:
    """A farming flag of the proposal: true, false or absent (None), nothing else
    (bool("false") would be true)."""
    value = data.get(name)
    if value is not None and not isinstance(value, bool):
        raise InvalidInputError(name, value, "must be true or false")
    return value


def rules(args: argparse.Namespace, out: IO[str]) -> int:
    from plandebt.compliance import rules_markdown

    out.write(rules_markdown())
    return OK


# --- across cases ---------------------------------------------------------------------


def portfolio(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    if isinstance(args.known_at, int):
        raise UsageError("--known-at across cases takes a datetime, not a position")
    # Each case reads the version its opening chooses, overridden; a case not
    # opened yet reads no legal number.
    rules = {
        ref: ruleset_for(opening.effective_on, args.ruleset)
        for ref in (ledger.cases() if args.ruleset else ())
        if (opening := ledger.index(ref).opening()) is not None
    }
    view = ledger.portfolio(args.as_of, args.known_at, rules)
    if args.json:
        emit(
            out,
            "portfolio",
            shapes.portfolio(view, args.by),
            as_of=args.as_of,
            known_at=args.known_at,
        )
    else:
        tables.print_portfolio(view, args.by, out)
    return OK


def movements(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    from plandebt.movements import MovementsView

    if is_store_file(args.target, args.db):
        raise UsageError(
            f"refusing to keep the movements view in the store's own file "
            f"({args.target}): give a file of its own"
        )
    view = MovementsView(args.target)
    try:
        applied = view.catch_up(ledger)
        sums = view.creditor_sums(args.as_of)
        position = view.position()
    finally:
        view.close()
    if args.json:
        content = {
            "applied": applied,
            "position": position,
            "creditors": {
                c: {b: Money(v).plain() for b, v in row.items()}
                for c, row in sums.items()
            },
        }
        emit(out, "movements", content, as_of=args.as_of)
        return OK
    print(
        say(
            f"applied {applied} facts; the view is at notification {position}",
            f"{applied} faits appliqués ; la vue est à la notification {position}",
        ),
        file=out,
    )
    tables.print_movements(sums, out)
    return OK


#: The subcommands that use the store, by name.
COMMANDS: dict[str, Command] = {
    "record": record,
    "demo": demo,
    "rebuild": rebuild,
    "export": export,
    "balances": balances,
    "status": status,
    "support": support,
    "employment": employment,
    "schedule": schedule,
    "cases": cases,
    "check": check,
    "portfolio": portfolio,
    "movements": movements,
    "import-claims": import_claims,
    "adopt-plan": adopt_plan,
    "distribute": distribute,
    "statement": statement,
    **reporting.COMMANDS,  # report, plot, forecast (cli/reporting.py)
    "verify": integrity.verify,
    "upgrade": integrity.upgrade,
    "forget": privacy.forget,
}
#: The subcommands that need no store (none is opened, none is created).
WITHOUT_STORE: dict[str, StorelessCommand] = {
    "check-plan": check_plan,
    "rules": rules,
    "keygen": privacy.keygen,
}
#: The subcommands that may create the store they are given.
CREATE_STORE: frozenset[str] = frozenset({"record", "demo"})
