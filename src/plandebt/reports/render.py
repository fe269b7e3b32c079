"""The reports as HTML (Jinja2 templates, in this package) and as PDF (fpdf2, which
lays out a simpler form of the same HTML).

Why fpdf2 (docs/dependencies.md): it is pure Python and installs from the package
registry alone. WeasyPrint needs the Pango system libraries, which a machine set up
from pip alone does not have.

The PDF uses the PDF's standard Helvetica, written in Windows-1252 (French accents,
€, «», — are in it); a character outside it, from a name in the books, is printed
as "?" in the PDF (the HTML keeps it)."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from plandebt import french
from plandebt.money import Money
from plandebt.reports.annual import AnnualReport
from plandebt.reports.claims import ClaimsReport
from plandebt.reports.extras import MissingExtraError
from plandebt.reports.labels import Labels

if TYPE_CHECKING:
    import jinja2

#: The encoding of the PDF's standard fonts as fpdf2 writes them.
PDF_ENCODING = "windows-1252"


def _environment(labels: Labels, pdf: bool) -> jinja2.Environment:
    try:
        import jinja2
        from markupsafe import Markup
    except ImportError as e:
        raise MissingExtraError("jinja2", "report", "a report") from e

    def finalize(value: Any) -> Any:
        if pdf and isinstance(value, str):
            text = value.encode(PDF_ENCODING, "replace").decode(PDF_ENCODING)
            # A macro's output is markup already: keep it so, not escaped again.
            return Markup(text) if isinstance(value, Markup) else text
        return value

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("plandebt.reports", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["money"] = lambda m: labels.money(m) if isinstance(m, Money) else m
    env.filters["day"] = labels.day
    env.filters["percent"] = lambda p: (
        french.percent(p) if labels.lang == "fr" else f"{p}%"
    )
    env.globals.update(t=labels, pdf=pdf)
    return env


def _html(
    template: str,
    report: AnnualReport | ClaimsReport,
    labels: Labels,
    pdf: bool,
    charts: Sequence[bytes],
) -> str:
    sources = [f"data:image/png;base64,{base64.b64encode(c).decode()}" for c in charts]
    return (
        _environment(labels, pdf)
        .get_template(template)
        .render(r=report, charts=sources)
    )


def annual_charts(report: AnnualReport, labels: Labels) -> list[bytes]:
    """The report's plots as PNG, or none when matplotlib is not installed (the
    report then says how to get them)."""
    try:
        from plandebt import plots

        return [
            plots.render(plots.history_plot(kind, report.series, labels))
            for kind in plots.KINDS
        ]
    except MissingExtraError:
        return []


def annual_html(report: AnnualReport, lang: str = "fr", charts: bool = True) -> str:
    labels = Labels(lang)
    images = annual_charts(report, labels) if charts else []
    return _html("annual.html.j2", report, labels, False, images)


def annual_pdf(report: AnnualReport, lang: str = "fr", charts: bool = True) -> bytes:
    labels = Labels(lang)
    images = annual_charts(report, labels) if charts else []
    title = f"{labels['annual_title']} — {report.case} — {report.year}"
    return _pdf(_html("annual.html.j2", report, labels, True, images), title, report)


def claims_html(report: ClaimsReport, lang: str = "fr") -> str:
    return _html("claims.html.j2", report, Labels(lang), False, [])


def claims_pdf(report: ClaimsReport, lang: str = "fr") -> bytes:
    labels = Labels(lang)
    title = f"{labels['claims_title']} — {report.case}"
    return _pdf(_html("claims.html.j2", report, labels, True, []), title, report)


def _pdf(markup: str, title: str, report: AnnualReport | ClaimsReport) -> bytes:
    try:
        from fpdf import FPDF
    except ImportError as e:
        raise MissingExtraError("fpdf2", "report", "a PDF report") from e
    document = FPDF(format="A4")
    document.core_fonts_encoding = PDF_ENCODING
    document.set_title(title.encode(PDF_ENCODING, "replace").decode(PDF_ENCODING))
    document.set_creator("plandebt")
    # Created on the report's date: the same books give the same file.
    on = report.prepared_on
    document.set_creation_date(datetime(on.year, on.month, on.day, tzinfo=UTC))
    document.set_margins(15, 15, 15)
    document.add_page()
    document.set_font("helvetica", size=9)
    document.write_html(markup)
    return bytes(document.output())
