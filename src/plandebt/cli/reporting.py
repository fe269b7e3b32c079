"""The subcommands that write for people outside the books: `report annual`,
`report claims` (HTML or PDF), `plot` (PNG or SVG) and `forecast` (a table, JSON and
a plot). Their parsers are added by `add_parsers`, their handlers are in `COMMANDS`.

The packages they need are extras (`report`: Jinja2 and fpdf2; `plot`: matplotlib);
a missing one is a one-line error naming the extra, exit 3.

`cli.commands` imports this module (for `COMMANDS`) and `cli.parser` calls
`add_parsers`, so what this module takes from them is imported when it runs, not
when it is loaded."""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING

from plandebt import plots
from plandebt.cli.exits import OK, StoreProblem, UsageError
from plandebt.reports.extras import MissingExtraError
from plandebt.reports.labels import LANGUAGES, Labels

if TYPE_CHECKING:  # imported by the commands when they run (the parser reads this)
    from plandebt.forecast import Forecast
    from plandebt.ledger import Ledger
    from plandebt.reports.annual import AnnualReport
    from plandebt.reports.claims import ClaimsReport


def report_options(parser: argparse.ArgumentParser) -> None:
    """`report annual --year N` and `report claims`: their options."""
    from plandebt.cli.parser import Parser, as_of, iso_date, known, one_case

    kinds = parser.add_subparsers(
        dest="report",
        required=True,
        parser_class=Parser,
        metavar="kind",
        help="annual (the annual report) or claims (the état des créances)",
    )
    annual = kinds.add_parser(
        "annual", help="the commissaire's annual report on the plan's execution"
    )
    annual.add_argument("--year", type=int, required=True, help="the plan year")
    annual.add_argument(
        "--turnover", help="a turnover forecast (TOML): the outlook's affordability"
    )
    claims = kinds.add_parser("claims", help="the état des créances as admitted")
    as_of(claims, help="the date of the état")
    for kind in (annual, claims):
        one_case(kind)
        known(kind)
        # SUPPRESS: a --lang given before the kind (the subcommand's own) is kept.
        kind.add_argument(
            "--lang",
            choices=LANGUAGES,
            default=argparse.SUPPRESS,
            help="the language written (default: fr)",
        )
        kind.add_argument(
            "-o", "--output", help="FILE.html, .pdf or .json (default: HTML on stdout)"
        )
        kind.add_argument(
            "--format", choices=REPORT_FORMATS, help="default: from -o, else html"
        )
        kind.add_argument(
            "--json", action="store_true", help="the figures as JSON (--format json)"
        )
        kind.add_argument(
            "--dated",
            type=iso_date,
            metavar="DATE",
            help="the report's date (default: today)",
        )


def plot_options(parser: argparse.ArgumentParser) -> None:
    """`plot KIND -o FILE`: its options."""
    from plandebt.cli.parser import iso_date, known, one_case

    parser.add_argument("kind", choices=plots.KINDS, help="what is drawn")
    parser.add_argument("-o", "--output", required=True, help="FILE.png or FILE.svg")
    parser.add_argument(
        "--as-of",
        type=iso_date,
        metavar="DATE",
        help="up to this date (default: the whole plan)",
    )
    parser.add_argument(
        "--format", choices=plots.FORMATS, help="default: from the file's suffix"
    )
    one_case(parser)
    known(parser)


def forecast_options(parser: argparse.ArgumentParser) -> None:
    """`forecast --turnover FILE`: its options."""
    from plandebt.cli.parser import iso_date, json_output, known, one_case

    parser.add_argument(
        "--turnover", required=True, help="the turnover file (TOML, docs/forecast.md)"
    )
    parser.add_argument(
        "--as-of",
        type=iso_date,
        metavar="DATE",
        help="the plan as modified by then (default: as last modified)",
    )
    json_output(parser)
    parser.add_argument("--plot", help="also draw it: FILE.png or FILE.svg")
    one_case(parser)
    known(parser)


def _lang(args: argparse.Namespace) -> str:
    # The reports are French unless English is asked for (docs/report.md).
    return getattr(args, "lang", None) or "fr"


@contextmanager
def _extras() -> Iterator[None]:
    """A missing optional package: exit 3, with the extra to install."""
    try:
        yield
    except MissingExtraError as e:
        raise StoreProblem(str(e)) from e


def _format(output: str | None, given: str | None, known: tuple[str, ...]) -> str:
    if given is not None:
        return given
    suffix = Path(output).suffix.lower().lstrip(".") if output else ""
    if suffix in known:
        return suffix
    if output is None:
        return known[0]
    raise UsageError(
        f"cannot tell the format of {output}: name it .{' or .'.join(known)} "
        "or give --format"
    )


def _write_bytes(data: bytes, output: str, db: str) -> None:
    from plandebt.cli.commands import write_file
    from plandebt.cli.store import is_store_file

    if is_store_file(output, db):
        raise UsageError(f"refusing to write over the store it reads ({output})")

    def write(stream: IO[str]) -> int:
        if not isinstance(stream, io.TextIOWrapper):  # a pipe or device
            raise UsageError(f"cannot write binary data to {output}")
        stream.flush()
        written: int = stream.buffer.write(data)
        return written

    write_file(output, write)
    print(f"wrote {output}", file=sys.stderr)


def _case(ledger: Ledger, args: argparse.Namespace) -> str:
    from plandebt.cli.commands import _one_case

    return _one_case(ledger, args.case, args.known_at)


def report(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    from plandebt.forecast import load_turnover
    from plandebt.reports import render
    from plandebt.reports.annual import annual_report
    from plandebt.reports.claims import claims_report

    case = _case(ledger, args)
    lang = _lang(args)
    kind = _format(args.output, "json" if args.json else args.format, REPORT_FORMATS)
    if args.report == "annual":
        turnover = load_turnover(args.turnover) if args.turnover else None
        annual = annual_report(
            ledger, case, args.year, args.known_at, args.dated, turnover
        )
        if kind == "json":
            return _emit_json(
                "annual_report", ledger, annual, annual.ends_on, args, out
            )
        with _extras():
            text_or_pdf: str | bytes = (
                render.annual_pdf(annual, lang)
                if kind == "pdf"
                else render.annual_html(annual, lang)
            )
    else:
        claims = claims_report(ledger, case, args.as_of, args.known_at, args.dated)
        if kind == "json":
            return _emit_json("claims_report", ledger, claims, args.as_of, args, out)
        with _extras():
            text_or_pdf = (
                render.claims_pdf(claims, lang)
                if kind == "pdf"
                else render.claims_html(claims, lang)
            )
    return _emit(text_or_pdf, args, out)


#: What `report` writes; the first is the default.
REPORT_FORMATS = ("html", "pdf", "json")


def _emit_json(
    view: str,
    ledger: Ledger,
    report: AnnualReport | ClaimsReport,
    as_of: date,
    args: argparse.Namespace,
    out: IO[str],
) -> int:
    from plandebt.reports.envelope import envelope

    body = envelope(view, ledger, report.case, as_of, args.known_at, report.to_dict())
    return _emit(json.dumps(body, indent=2, ensure_ascii=False) + "\n", args, out)


def _emit(data: str | bytes, args: argparse.Namespace, out: IO[str]) -> int:
    from plandebt.cli.commands import _emit as emit_text

    if isinstance(data, str):
        return emit_text(data, args.output, args.db, out)
    if not args.output:
        raise UsageError("a PDF or an image goes to a file: give -o FILE")
    _write_bytes(data, args.output, args.db)
    return OK


def plot(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    from plandebt.reports.series import plan_series

    case = _case(ledger, args)
    image_format = _format(args.output, args.format, plots.FORMATS)
    points = plan_series(ledger, case, args.as_of, args.known_at)
    if not points:
        raise UsageError(f"case {case!r} has no plan adopted: nothing to plot")
    with _extras():
        figure = plots.history_plot(args.kind, points, Labels(_lang(args)))
        data = plots.render(figure, image_format)
    return _emit(data, args, out)


def forecast(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    from plandebt.forecast import forecast as affordability
    from plandebt.forecast import load_turnover
    from plandebt.reports.envelope import envelope

    case = _case(ledger, args)
    view = affordability(
        ledger, case, load_turnover(args.turnover), args.as_of, args.known_at
    )
    labels = Labels(_lang(args))
    if args.plot:
        image_format = _format(args.plot, None, plots.FORMATS)
        with _extras():
            data = plots.render(plots.forecast(view, labels), image_format)
        _write_bytes(data, args.plot, args.db)
    if args.json:
        body = envelope(
            "forecast", ledger, case, args.as_of, args.known_at, view.to_dict()
        )
        json.dump(body, out, indent=2, ensure_ascii=False)
        out.write("\n")
        return OK
    _print_forecast(view, labels, out)
    return OK


def _print_forecast(view: Forecast, labels: Labels, out: IO[str]) -> None:
    from plandebt.cli.tables import table

    rows = [
        [
            str(y.year),
            labels.day(y.due_on),
            *(
                labels.money(m)
                for m in (
                    y.turnover,
                    y.management,
                    y.support,
                    y.fixed_costs,
                    y.cash_in,
                    y.annuity,
                    y.margin,
                )
            ),
        ]
        for y in view.years
    ]
    header = _FORECAST_HEADERS[labels.lang]
    table(header, rows, out, [False, False, *[True] * 7])
    first = view.first_short
    if first is None:
        print(labels["all_covered"], file=out)
    else:
        print(
            labels["first_short"].format(
                year=first.year, amount=labels.money(-first.margin)
            ),
            file=out,
        )


_FORECAST_HEADERS = {
    "fr": (
        "année",
        "échéance",
        "CA HT",
        "frais de gestion",
        "soutien",
        "charges fixes",
        "ressources",
        "annuité",
        "marge",
    ),
    "en": (
        "year",
        "due on",
        "turnover",
        "management",
        "support",
        "fixed costs",
        "cash in",
        "annuity",
        "margin",
    ),
}
Handler = Callable[["Ledger", argparse.Namespace, IO[str]], int]
#: The handlers, by subcommand.
COMMANDS: dict[str, Handler] = {"report": report, "plot": plot, "forecast": forecast}
