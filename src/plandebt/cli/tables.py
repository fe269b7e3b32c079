"""Views as text tables for people, in French or English, fitted to the terminal.

Each table is one list of `Column`s: the key of its header (the JSON key, looked up
in `labels.py`), how to read its cell from one row's item, and whether it may be left
out when the table does not fit, side by side, so a header can never drift from its
values. Amounts are in euros, French style (1 234,56); a missing amount is a dash.
The balance tables take their amount columns from `AMOUNT_COLUMNS`, the library's
one list, so a column added to the postings shows here with no change to this module.

Fitting (`labels.style().width`, None for no limit): secondary columns are left out
from the right until the table fits, and named in a footer so that a reader knows
why a row's columns do not add up; text still too wide is cut with "…"; messages are
wrapped. `--wide` shows everything.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from fractions import Fraction
from typing import IO, TYPE_CHECKING, Generic, TypeVar

import attrs

from plandebt import english, french
from plandebt.cli import labels
from plandebt.cli.labels import day, percent, say, statement_what, value, word
from plandebt.money import Money
from plandebt.projections.balances import AMOUNT_COLUMNS, Balances, ClaimBalance, Totals
from plandebt.projections.postings import INDEX
from plandebt.ruleset.rule import value_text

# The views of the other commands are named for their types only: a command imports
# only what it draws (a cold `plandebt balances` does not import the plan's, the
# compliance rules' or the statement's modules).
if TYPE_CHECKING:
    from plandebt.compliance import Finding, Report
    from plandebt.distribution import Distribution
    from plandebt.projections.employment import DepartureStatus, EmploymentView
    from plandebt.projections.plan import (
        ClaimSchedule,
        CreditorPosition,
        PlanSchedule,
        PlanStatus,
    )
    from plandebt.projections.portfolio import CreditorAcrossCases, Portfolio
    from plandebt.projections.statement import Statement, StatementLine
    from plandebt.projections.support import SupportView, TrancheStatus, WaiverStatus
    from plandebt.ruleset import Rule
    from plandebt.schedules import Instalment

T = TypeVar("T")
#: A column of items of type T also reads any subtype of T.
T_contra = TypeVar("T_contra", contravariant=True)

#: The narrowest a text column is cut to when a table does not fit.
MIN_TEXT = 8
#: The narrowest a header is cut to.
MIN_HEADER = 6
GAP = "  "


@attrs.frozen
class Column(Generic[T_contra]):
    """One column of a table: the key of its header, its cell for one item."""

    key: str
    cell: Callable[[T_contra], str]
    #: Right-aligned (amounts, counts).
    right: bool = False
    #: May be left out (and named in the footer) when the table does not fit.
    secondary: bool = False
    #: The header when `labels.WORDS` has none for `key` (a new postings column).
    fallback: str | None = None

    @property
    def label(self) -> str:
        if self.fallback is not None and self.key not in labels.WORDS:
            return self.fallback
        return word(self.key)


def money(amount: Money | None) -> str:
    return "—" if amount is None else amount.french(symbol=False)


def render(columns: Sequence[Column[T]], items: Iterable[T], out: IO[str]) -> None:
    """The table of `items`, one row each, under the headers of `columns`, fitted
    to the width of the style."""
    rows = [[c.cell(item) for c in columns] for item in items]
    headers = [c.label for c in columns]
    kept = _fitting(columns, headers, rows, labels.style().width)
    table(
        [headers[i] for i in kept],
        [[row[i] for i in kept] for row in rows],
        out,
        [columns[i].right for i in kept],
        labels.style().width,
    )
    left_out = [headers[i] for i in range(len(columns)) if i not in kept]
    if left_out:
        heading(
            say("not shown (--wide shows them): ", "non affichées (--wide) : ")
            + ", ".join(left_out),
            out,
        )


def _widths(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[int]:
    return [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]


def _fitting(
    columns: Sequence[Column[T]],
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int | None,
) -> list[int]:
    """The columns kept: all, less the rightmost secondary ones while too wide."""
    widths = _widths(headers, rows)
    kept = list(range(len(columns)))

    def total() -> int:
        return sum(widths[i] for i in kept) + len(GAP) * (len(kept) - 1)

    secondary = [i for i in reversed(kept) if columns[i].secondary]
    while width is not None and total() > width and secondary:
        kept.remove(secondary.pop(0))
    return kept


def _cut(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    out: IO[str],
    right: Sequence[bool],
    width: int | None = None,
) -> None:
    widths = _widths(headers, rows)
    # Still too wide: cut the widest text column, down to MIN_TEXT.
    while width is not None and sum(widths) + len(GAP) * (len(widths) - 1) > width:
        texts = [i for i, r in enumerate(right) if not r and widths[i] > MIN_TEXT]
        if not texts:
            break
        widest = max(texts, key=widths.__getitem__)
        excess = sum(widths) + len(GAP) * (len(widths) - 1) - width
        widths[widest] = max(MIN_TEXT, widths[widest] - excess)

    # Still too wide: cut the headers longer than their values.
    values = [max([0] + [len(r[i]) for r in rows]) for i in range(len(headers))]
    for i in sorted(range(len(widths)), key=lambda i: values[i] - widths[i]):
        excess = sum(widths) + len(GAP) * (len(widths) - 1) - (width or 0)
        if width is None or excess <= 0:
            break
        widths[i] = max(values[i], MIN_HEADER, widths[i] - excess)

    def line(cells: Sequence[str]) -> str:
        return GAP.join(
            _cut(c, w).rjust(w) if r else _cut(c, w).ljust(w)
            for c, w, r in zip(cells, widths, right, strict=True)
        ).rstrip()

    print(line(headers), file=out)
    print(GAP.join("-" * w for w in widths), file=out)
    for row in rows:
        print(line(row), file=out)


def wrapped(text: str, indent: str, out: IO[str], then: str | None = None) -> None:
    """`text` on lines that fit the width (or on one line when there is none), the
    first indented by `indent`, the others by `then` (default: the same)."""
    width = labels.style().width
    if width is None:
        print(f"{indent}{text}", file=out)
        return
    for part in textwrap.wrap(
        text,
        width=max(20, width),
        initial_indent=indent,
        subsequent_indent=indent if then is None else then,
        break_on_hyphens=False,
        break_long_words=False,  # an id or a name is never cut in two
    ):
        print(part, file=out)


def heading(text: str, out: IO[str]) -> None:
    """A line above a table, wrapped to the width."""
    wrapped(text, "", out)


def known_text(known: datetime | int | None) -> str:
    if known is None:
        return "everything recorded"
    return f"position {known}" if isinstance(known, int) else known.isoformat()


def _known(known: datetime | int | None) -> str:
    """As known at what: everything, a position, a recording time."""
    if labels.style().lang != "fr":
        return f"as known at {known_text(known)}"
    if known is None:
        return "selon tout ce qui est enregistré"
    if isinstance(known, int):
        return f"selon les {known} premiers faits enregistrés"
    return f"selon ce qui était enregistré le {labels.moment(known)}"


# --- balances -------------------------------------------------------------------------

#: The amount columns always shown; the others may be left out to fit.
MAIN_AMOUNTS = ("admitted", "paid", "outstanding")


def amount(view: ClaimBalance | Totals, name: str) -> Money | None:
    """The amount column `name` of `AMOUNT_COLUMNS`: a posted column is read by
    name, the others (admitted, outstanding) are attributes."""
    if name in INDEX:
        return view.amount(name)
    value_: Money | None = getattr(view, name)
    return value_


def _amount_column(name: str, label: str) -> Column[ClaimBalance | Totals]:
    return Column(
        name,
        lambda view: money(amount(view, name)),
        right=True,
        secondary=name not in MAIN_AMOUNTS,
        fallback=label,
    )


def amount_columns() -> list[Column[ClaimBalance | Totals]]:
    return [_amount_column(name, label) for name, label in AMOUNT_COLUMNS]


def claim_columns() -> list[Column[ClaimBalance]]:
    return [
        Column("creditor", lambda b: b.creditor),
        Column("claim", lambda b: b.claim),
        Column("rank", lambda b: value(b.rank.value), secondary=True),
        Column(
            "freeze", lambda b: value("frozen" if b.frozen else "post"), secondary=True
        ),
        Column("status", lambda b: value(b.status) + ("*" if b.provisional else "")),
        *amount_columns(),
    ]


def totals_columns(title: str) -> list[Column[tuple[str, Totals]]]:
    def of_totals(
        column: Column[ClaimBalance | Totals],
    ) -> Column[tuple[str, Totals]]:
        return Column(
            column.key,
            lambda group: column.cell(group[1]),
            column.right,
            column.secondary,
            column.fallback,
        )

    return [
        Column(title, lambda group: value(group[0])),
        Column("claims", lambda group: str(group[1].claims), right=True),
        *(of_totals(c) for c in amount_columns()),
    ]


def print_balances(view: Balances, out: IO[str]) -> None:
    procedure = (
        value(view.procedure) if view.procedure else say("not opened", "non ouverte")
    )
    heading(
        say(
            f"Case {view.case} — {procedure} opened {view.opened_on}",
            f"Dossier {view.case} — {procedure} ouvert le "
            f"{day(view.opened_on) if view.opened_on else '—'}",
        ),
        out,
    )
    heading(
        say(
            f"Balances as of {view.as_of}, {_known(view.known_at)} "
            f"({view.position} facts); amounts in EUR",
            f"Soldes au {day(view.as_of)}, {_known(view.known_at)} "
            f"({view.position} faits) ; montants en euros",
        ),
        out,
    )
    print(file=out)
    render(claim_columns(), view.claims, out)
    heading(
        say(
            "* provisional: no decision yet, outstanding counts the declared amount",
            "* provisoire : pas encore de décision, le reste dû compte le montant "
            "déclaré",
        ),
        out,
    )
    print(file=out)
    _print_totals("by creditor", view.by_creditor(), out)
    _print_totals("by rank", view.by_rank(), out)
    _print_totals("frozen / post-opening", view.by_freeze(), out)
    _print_totals("total", {word("all claims"): view.total}, out)


def _print_totals(title: str, groups: Mapping[str, Totals], out: IO[str]) -> None:
    render(totals_columns(title), groups.items(), out)
    print(file=out)


# --- the plan -------------------------------------------------------------------------

#: A plan year (0: at adoption), what is due in it, and the running sum of the plan.
_Year = tuple[int, Money, Money, Money]

YEAR_COLUMNS: list[Column[_Year]] = [
    Column("plan year", lambda y: str(y[0]) if y[0] else word("at adoption")),
    Column("due", lambda y: money(y[1]), right=True),
    Column("cumulative", lambda y: money(y[2]), right=True),
    Column("remaining", lambda y: money(y[3]), right=True),
]


def schedule_columns(
    names: Mapping[str, str],
) -> list[Column[ClaimSchedule]]:
    return [
        Column("creditor", lambda c: c.creditor),
        Column("creditor_name", lambda c: names.get(c.creditor, ""), secondary=True),
        Column("claim", lambda c: c.claim),
        Column("treatment", lambda c: value(c.treatment), secondary=True),
        Column("option", lambda c: c.option or "—"),
        Column("provisional", lambda c: word("yes") if c.provisional else ""),
        Column("base", lambda c: money(c.base), right=True),
        Column("scheduled", lambda c: money(c.scheduled), right=True),
        Column(
            "option_remission",
            lambda c: money(c.option_remission),
            right=True,
            secondary=True,
        ),
    ]


if TYPE_CHECKING:
    _Due = tuple[ClaimSchedule, Instalment]


def percent_text(value: Fraction) -> str:
    """`plan.percent_text`, imported when a status is drawn."""
    from plandebt.projections.plan import percent_text as text

    return text(value)


INSTALMENT_COLUMNS: list[Column[_Due]] = [
    Column("claim", lambda d: d[0].claim),
    Column("instalment", lambda d: str(d[1].number), right=True),
    Column("due_on", lambda d: day(d[0].due_on(d[1])), right=True),
    Column("amount", lambda d: money(d[1].amount), right=True),
    # What a decision after the adoption added to an instalment due before it, owed
    # on the decision's date (L626-21): the instalment's own date.
    Column(
        "catch_up_of",
        lambda d: day(d[1].catch_up_of) if d[1].catch_up_of else "",
        secondary=True,
    ),
]


def _years(schedule: PlanSchedule) -> list[_Year]:
    total = schedule.total.cents
    years, running = [], 0
    for year, due in schedule.by_year():
        running += due.cents
        years.append((year, due, Money(running), Money(total - running)))
    return years


def print_schedule(
    schedule: PlanSchedule,
    claims: Sequence[ClaimSchedule],
    creditor: str | None,
    out: IO[str],
    names: Mapping[str, str] | None = None,
) -> None:
    adopted = schedule.adopted
    heading(
        say(
            f"Case {schedule.case} — plan adopted {adopted.effective_on} for "
            f"{english.plural(adopted.duration_years, 'year')}; supervisor {adopted.supervisor}",
            f"Dossier {schedule.case} — plan arrêté le {day(adopted.effective_on)} "
            f"pour {adopted.duration_years} ans ; commissaire à l'exécution du plan "
            f"{adopted.supervisor}",
        ),
        out,
    )
    if schedule.modifications:
        heading(
            say("modified on ", "modifié le ")
            + ", ".join(day(m.effective_on) for m in schedule.modifications),
            out,
        )
    print(file=out)
    if creditor is None:
        render(YEAR_COLUMNS, _years(schedule), out)
        print(file=out)
    render(schedule_columns(names or {}), claims, out)
    if creditor is not None:
        print(file=out)
        dues = [(c, i) for c in claims for i in c.instalments]
        render(INSTALMENT_COLUMNS, dues, out)
    print(file=out)


def position_columns(names: Mapping[str, str]) -> list[Column[CreditorPosition]]:
    return [
        Column("creditor", lambda p: p.creditor),
        Column("creditor_name", lambda p: names.get(p.creditor, ""), secondary=True),
        Column("options", lambda p: ",".join(p.options) or "—", secondary=True),
        Column("scheduled", lambda p: money(p.scheduled), right=True),
        Column("due", lambda p: money(p.due), right=True),
        Column("distributed", lambda p: money(p.distributed), right=True),
        Column("reserved", lambda p: money(p.reserved), right=True),
        Column("behind", lambda p: money(p.behind), right=True),
        Column(
            "contingent_remission",
            lambda p: money(p.contingent_remission),
            right=True,
            secondary=True,
        ),
        Column(
            "acquired_remission",
            lambda p: money(p.acquired_remission),
            right=True,
            secondary=True,
        ),
        Column(
            "lapsed_remission",
            lambda p: money(p.lapsed_remission),
            right=True,
            secondary=True,
        ),
        Column("overpaid", lambda p: money(p.overpaid), right=True, secondary=True),
    ]


def _plan_year(view: PlanStatus) -> str:
    """'3 of 10', or, once the plan's years have all run, that the term is past
    (not 'year 11 of 10')."""
    duration = view.duration_years
    if duration is not None and view.plan_year > duration:
        return say(
            f"past the plan's term ({english.plural(duration, 'year')})",
            f"terme du plan dépassé ({french.plural(duration, 'an')})",
        )
    return say(f"{view.plan_year} of {duration}", f"{view.plan_year} sur {duration}")


def _status_lines(view: PlanStatus) -> list[tuple[str, str]]:
    arrears = money(view.arrears)
    if view.arrears:
        arrears += say(
            f" (oldest due {view.oldest_unpaid_due_on}, "
            f"{english.plural(view.days_late, 'day')} late)",
            f" (échéance la plus ancienne le {day(view.oldest_unpaid_due_on)}, "
            f"{french.plural(view.days_late, 'jour')} de retard)",
        )
    next_due = (
        f"{day(view.next_due_on)}{say(':', ' :')} {money(view.next_due_amount)}"
        if view.next_due_on
        else "—"
    )
    since = (
        say(f" since {view.ended_on}", f" depuis le {day(view.ended_on)}")
        if view.ended_on
        else ""
    )
    return [
        (word("phase"), value(view.phase) + since),
        (word("adopted_on"), day(view.adopted_on)),
        (word("plan year"), _plan_year(view)),
        (word("total_scheduled"), money(view.total_scheduled)),
        (word("due to date"), money(view.due)),
        (word("remitted to the supervisor"), money(view.remitted_to_supervisor)),
        (word("distributed to creditors"), money(view.distributed)),
        (word("reserved (claims not decided)"), money(view.reserved)),
        (word("arrears"), arrears),
        *(
            [(word("overpaid to creditors"), money(view.overpaid))]
            if view.overpaid
            else []
        ),
        (word("next due"), next_due),
        (word("repaid"), percent(percent_text(view.percent_repaid))),
    ]


def print_status(
    view: PlanStatus, out: IO[str], names: Mapping[str, str] | None = None
) -> None:
    heading(
        say(
            f"Case {view.case} — plan status as of {view.as_of}, "
            f"{_known(view.known_at)}",
            f"Dossier {view.case} — état du plan au {day(view.as_of)}, "
            f"{_known(view.known_at)}",
        ),
        out,
    )
    if view.adopted_on is None:
        heading(
            say(
                f"phase: {view.phase} (no plan adopted)",
                f"phase : {value(view.phase)} (pas de plan arrêté)",
            ),
            out,
        )
        return
    lines = _status_lines(view)
    width = max(len(k) for k, _v in lines)
    for key, text in lines:
        wrapped(f"{key.ljust(width)}  {text}", "  ", out, " " * (width + 4))
    print(file=out)
    render(position_columns(names or {}), view.creditors, out)
    print(file=out)


# --- group support --------------------------------------------------------------------

_Investor = tuple[str, Mapping[str, Money]]

INVESTOR_COLUMNS: list[Column[_Investor]] = [
    Column("investor", lambda i: i[0]),
    Column("committed", lambda i: money(i[1]["committed"]), right=True),
    Column("received", lambda i: money(i[1]["received"]), right=True),
    Column("late", lambda i: money(i[1]["late"]), right=True),
]

TRANCHE_COLUMNS: list[Column[TrancheStatus]] = [
    Column("investor", lambda t: t.investor),
    Column("commitment", lambda t: t.commitment, secondary=True),
    Column("tranche", lambda t: str(t.number)),
    Column("due_on", lambda t: day(t.due_on), right=True),
    Column("amount", lambda t: money(t.amount), right=True),
    Column("received", lambda t: money(t.received), right=True),
    Column(
        "state",
        lambda t: (
            value("suspended") if t.suspended else value("LATE") if t.late else ""
        ),
        right=True,
    ),
]

_Sum = tuple[str, Money]

FORM_COLUMNS: list[Column[_Sum]] = [
    Column("received as", lambda s: value(s[0])),
    Column("amount", lambda s: money(s[1]), right=True),
]

WAIVER_COLUMNS: list[Column[WaiverStatus]] = [
    Column("creditor", lambda w: w.creditor),
    Column("claim", lambda w: w.claim),
    Column("waived_on", lambda w: day(w.waived_on), right=True),
    Column("clause", lambda w: value(w.clause), secondary=True),
    Column("waived", lambda w: money(w.amount), right=True),
    Column("final", lambda w: money(w.final), right=True),
    Column("contingent", lambda w: money(w.contingent), right=True),
    Column("revived", lambda w: money(w.revived), right=True),
]

INTERCOMPANY_COLUMNS: list[Column[_Sum]] = [
    Column("group creditor", lambda s: s[0]),
    Column("outstanding", lambda s: money(s[1]), right=True),
]


def print_support(view: SupportView, out: IO[str]) -> None:
    heading(
        say(
            f"Case {view.case} — group support as of {view.as_of}, "
            f"{_known(view.known_at)}; amounts in EUR",
            f"Dossier {view.case} — soutien du groupe au {day(view.as_of)}, "
            f"{_known(view.known_at)} ; montants en euros",
        ),
        out,
    )
    print(file=out)
    render(INVESTOR_COLUMNS, view.by_investor().items(), out)
    print(file=out)
    render(TRANCHE_COLUMNS, view.tranches, out)
    print(file=out)
    render(FORM_COLUMNS, view.received_by_form.items(), out)
    print(file=out)
    render(WAIVER_COLUMNS, view.waivers, out)
    print(file=out)
    render(INTERCOMPANY_COLUMNS, view.intercompany_outstanding.items(), out)
    print(file=out)


# --- employment -----------------------------------------------------------------------

DEPARTURE_COLUMNS: list[Column[DepartureStatus]] = [
    Column("employee", lambda d: d.employee),
    Column("departure", lambda d: value(d.departure)),
    Column("left_on", lambda d: day(d.left_on), right=True),
    Column(
        "seniority_months",
        lambda d: str(d.seniority_months),
        right=True,
        secondary=True,
    ),
    Column("monthly_pay", lambda d: money(d.monthly_pay), right=True, secondary=True),
    Column(
        "legal_minimum", lambda d: money(d.legal_minimum), right=True, secondary=True
    ),
    Column("agreed", lambda d: money(d.agreed), right=True),
    Column("paid_by_company", lambda d: money(d.paid_by_company), right=True),
    Column("paid_by_group", lambda d: money(d.paid_by_group), right=True),
    Column("advanced_by_ags", lambda d: money(d.advanced_by_ags), right=True),
    Column(
        "ags_window",
        lambda d: value(d.ags_window) if d.ags_window else value("outside window"),
        right=True,
        secondary=True,
    ),
]


def _total_column(key: str) -> Column[Mapping[str, Money]]:
    # As in the departures' table, the legal minimum is a reference, not money.
    return Column(
        key,
        lambda totals: money(totals[key]),
        right=True,
        secondary=key == "legal_minimum",
    )


def employment_totals_columns(
    keys: Iterable[str],
) -> list[Column[Mapping[str, Money]]]:
    """The sums of `EmploymentView.totals()`, in its order."""
    return [
        Column("totals", lambda _totals: word("all departures")),
        *(_total_column(key) for key in keys),
    ]


def print_employment(view: EmploymentView, out: IO[str]) -> None:
    heading(
        say(
            f"Case {view.case} — employment as of {view.as_of}, "
            f"{_known(view.known_at)}; amounts in EUR",
            f"Dossier {view.case} — emploi au {day(view.as_of)}, "
            f"{_known(view.known_at)} ; montants en euros",
        ),
        out,
    )
    heading(
        say("departures: ", "départs : ")
        + ", ".join(f"{n} {value(k)}" for k, n in view.by_kind().items()),
        out,
    )
    print(file=out)
    render(DEPARTURE_COLUMNS, view.departures, out)
    print(file=out)
    totals = view.totals()
    render(employment_totals_columns(totals), [totals], out)
    print(file=out)
    heading(
        say(
            f"owed to the AGS (subrogation): {money(view.ags_claims)}",
            f"dû à l'AGS (subrogation) : {money(view.ags_claims)}",
        ),
        out,
    )
    print(file=out)


# --- compliance -----------------------------------------------------------------------


def _date_text(text: str) -> str:
    """An instalment named by its due date, written in the command's language."""
    try:
        return day(date.fromisoformat(text))
    except ValueError:  # "year 6" and other names
        return text


def print_report(report: Report, out: IO[str]) -> None:
    heading(
        say(
            f"Case {report.case} — compliance as of {report.as_of}, "
            f"{_known(report.known_at)}; ruleset {report.ruleset_version}",
            f"Dossier {report.case} — conformité au {day(report.as_of)}, "
            f"{_known(report.known_at)} ; règles du {report.ruleset_version}",
        ),
        out,
    )
    print_overridden(report.overridden, out)
    counts = {k: len(v) for k, v in report.by_severity().items()}
    heading(
        say(
            f"{counts['error']} error(s), {counts['warning']} warning(s), "
            f"{counts['info']} note(s)",
            f"{counts['error']} erreur(s), {counts['warning']} avertissement(s), "
            f"{counts['info']} observation(s)",
        ),
        out,
    )
    print(file=out)
    print_findings(list(report.findings), out)


def print_overridden(rules: Iterable[Rule], out: IO[str]) -> None:
    """One line per ruleset value overridden, with the default it replaced."""
    for rule in rules:
        where = [rule.source, rule.article]
        if rule.default is not None:
            where.insert(0, say("default ", "par défaut ") + value_text(rule.default))
        print(
            say("  overridden: ", "  remplacé : ")
            + f"{rule.key} = {rule.value_text()} ({'; '.join(where)})",
            file=out,
        )


def print_findings(findings: Sequence[Finding], out: IO[str]) -> None:
    for severity in ("error", "warning", "info"):
        chosen = [f for f in findings if f.severity.value == severity]
        if not chosen:
            continue
        print(say(f"{severity.upper()}S", value(severity).upper()), file=out)
        for f in chosen:
            instalment = f.instalment and _date_text(f.instalment)
            where = " ".join(x for x in (f.creditor, f.claim, instalment) if x)
            title = labels.rule_title(f.rule)
            wrapped(f"[{f.article}] {title}{' — ' + where if where else ''}", "  ", out)
            # In French the title and the message are the rule's French ones; the
            # rule's id follows, as the JSON and the catalogue name it.
            rule_id = f" [{f.rule}]" if title != f.rule else ""
            message = say(f.message, f.message_fr or f.message)
            wrapped(message + rule_id, "    ", out)
            if f.overridden:
                wrapped(
                    say("overridden: ", "remplacé : ")
                    + ", ".join(
                        f"{v.key} = {value_text(v.value)}"
                        + (
                            ""
                            if v.default is None
                            else say(" (default ", " (par défaut ")
                            + f"{value_text(v.default)})"
                        )
                        for v in f.overridden
                    ),
                    "    ",
                    out,
                )
            if f.evidence:
                wrapped(
                    say("evidence: ", "pièces : ") + ", ".join(f.evidence), "    ", out
                )
        print(file=out)


# --- across cases ---------------------------------------------------------------------

PORTFOLIO_COLUMNS: list[Column[PlanStatus]] = [
    Column("case", lambda s: s.case),
    Column("phase", lambda s: value(s.phase)),
    Column("plan_year", lambda s: str(s.plan_year), right=True, secondary=True),
    Column("total_scheduled", lambda s: money(s.total_scheduled), right=True),
    Column("due", lambda s: money(s.due), right=True),
    Column(
        "remitted_to_supervisor", lambda s: money(s.remitted_to_supervisor), right=True
    ),
    Column("arrears", lambda s: money(s.arrears), right=True),
    Column("days_late", lambda s: str(s.days_late), right=True, secondary=True),
]


def across_cases_columns(by: str) -> list[Column[CreditorAcrossCases]]:
    return [
        Column(by, lambda c: value(c.key) if by == "kind" else c.key),
        Column("cases", lambda c: str(len(c.cases)), right=True),
        Column("claims", lambda c: str(c.totals.claims), right=True),
        Column("owed", lambda c: money(c.totals.owed), right=True),
        *[
            Column(
                name,
                lambda c, name=name: money(amount(c.totals, name)),  # type: ignore[misc]
                right=True,
                secondary=name not in MAIN_AMOUNTS,
                fallback=label,
            )
            for name, label in AMOUNT_COLUMNS
            if name not in ("declared", "admitted")
        ],
    ]


def print_portfolio(view: Portfolio, by: str, out: IO[str]) -> None:
    heading(
        say(
            f"Portfolio as of {view.as_of}, {_known(view.known_at)}: "
            f"{len(view.statuses)} case(s); amounts in EUR",
            f"Portefeuille au {day(view.as_of)}, {_known(view.known_at)} : "
            f"{len(view.statuses)} dossier(s) ; montants en euros",
        ),
        out,
    )
    print(file=out)
    render(PORTFOLIO_COLUMNS, view.statuses, out)
    print(file=out)
    render(across_cases_columns(by), view.creditors(by), out)
    print(file=out)


def movements_columns(
    buckets: Sequence[str],
) -> list[Column[tuple[str, dict[str, int]]]]:
    def bucket(name: str) -> Column[tuple[str, dict[str, int]]]:
        return Column(name, lambda row: money(Money(row[1][name])), right=True)

    return [Column("creditor", lambda row: row[0]), *(bucket(b) for b in buckets)]


def print_movements(sums: Mapping[str, dict[str, int]], out: IO[str]) -> None:
    from plandebt.movements import BUCKETS

    render(movements_columns(BUCKETS), sorted(sums.items()), out)


DIVIDEND_COLUMNS: list[Column[tuple[str, str, Money]]] = [
    Column("creditor", lambda d: d[0]),
    Column("claim", lambda d: d[1]),
    Column("dividend", lambda d: d[2].french(), right=True),
]


def print_distribution(plan: Distribution, out: IO[str]) -> None:
    heading(
        say(
            f"Distribution of {plan.remittance} on {plan.paid_on.isoformat()}: "
            f"{plan.total.french()} paid, {plan.reserved.french()} reserved "
            f"(L626-21), {plan.ahead.french()} kept for the next instalments",
            f"Répartition de {plan.remittance} le {day(plan.paid_on)} : "
            f"{plan.total.french()} versés, {plan.reserved.french()} réservés "
            f"(L626-21), {plan.ahead.french()} gardés pour les échéances suivantes",
        ),
        out,
    )
    render(
        DIVIDEND_COLUMNS,
        [(d.creditor, d.claim, d.amount) for d in plan.dividends],
        out,
    )


STATEMENT_COLUMNS: list[Column[StatementLine]] = [
    Column("on", lambda line: day(line.on), right=True),
    Column("claim", lambda line: line.claim),
    Column("what", lambda line: statement_what(line.what)),
    Column("amount", lambda line: line.amount.french(), right=True),
    Column("owed_after", lambda line: line.owed_after.french(), right=True),
]


def print_statement(view: Statement, out: IO[str]) -> None:
    heading(
        say(
            f"Statement of {view.creditor_name} ({view.creditor}) — {view.case}, as "
            f"of {day(view.as_of)}: owed {view.owed.french()}",
            f"Relevé de {view.creditor_name} ({view.creditor}) — {view.case}, au "
            f"{day(view.as_of)} : reste dû {view.owed.french()}",
        ),
        out,
    )
    render(STATEMENT_COLUMNS, view.lines, out)
