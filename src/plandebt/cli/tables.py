"""Views as text tables for people.

Each table is one list of `Column`s: its header and how to read its cell from one
row's item, side by side, so a header can never drift from its values. Amounts are in
euros, French style (1 234,56); a missing amount is a dash. The balance tables take
their amount columns from `AMOUNT_COLUMNS`, the library's one list, so a column added
to the postings shows here with no change to this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import IO, Generic, TypeVar

import attrs

from plandebt.compliance import Finding, Report
from plandebt.distribution import Distribution
from plandebt.money import Money
from plandebt.projections.balances import AMOUNT_COLUMNS, Balances, ClaimBalance, Totals
from plandebt.projections.employment import DepartureStatus, EmploymentView
from plandebt.projections.plan import (
    ClaimSchedule,
    CreditorPosition,
    PlanSchedule,
    PlanStatus,
    percent_text,
)
from plandebt.projections.portfolio import CreditorAcrossCases, Portfolio
from plandebt.projections.postings import INDEX
from plandebt.projections.statement import Statement
from plandebt.projections.support import SupportView, TrancheStatus, WaiverStatus
from plandebt.schedules import Instalment

T = TypeVar("T")
#: A column of items of type T also reads any subtype of T.
T_contra = TypeVar("T_contra", contravariant=True)


@attrs.frozen
class Column(Generic[T_contra]):
    """One column of a table: its header and its cell for one item."""

    label: str
    cell: Callable[[T_contra], str]
    #: Right-aligned (amounts, counts).
    right: bool = False


def money(amount: Money | None) -> str:
    return "—" if amount is None else amount.french(symbol=False)


def render(columns: Sequence[Column[T]], items: Iterable[T], out: IO[str]) -> None:
    """The table of `items`, one row each, under the headers of `columns`."""
    rows = [[c.cell(item) for c in columns] for item in items]
    table([c.label for c in columns], rows, out, [c.right for c in columns])


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    out: IO[str],
    right: Sequence[bool],
) -> None:
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.rjust(w) if r else c.ljust(w)
            for c, w, r in zip(cells, widths, right, strict=True)
        ).rstrip()

    print(line(headers), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for row in rows:
        print(line(row), file=out)


def known_text(known: datetime | int | None) -> str:
    if known is None:
        return "everything recorded"
    return f"position {known}" if isinstance(known, int) else known.isoformat()


# --- balances -------------------------------------------------------------------------


def amount(view: ClaimBalance | Totals, name: str) -> Money | None:
    """The amount column `name` of `AMOUNT_COLUMNS`: a posted column is read by
    name, the others (admitted, outstanding) are attributes."""
    if name in INDEX:
        return view.amount(name)
    value: Money | None = getattr(view, name)
    return value


def _amount_column(name: str, label: str) -> Column[ClaimBalance | Totals]:
    return Column(label, lambda view: money(amount(view, name)), right=True)


def amount_columns() -> list[Column[ClaimBalance | Totals]]:
    return [_amount_column(name, label) for name, label in AMOUNT_COLUMNS]


def claim_columns() -> list[Column[ClaimBalance]]:
    return [
        Column("creditor", lambda b: b.creditor),
        Column("claim", lambda b: b.claim),
        Column("rank", lambda b: b.rank.value),
        Column("freeze", lambda b: "frozen" if b.frozen else "post"),
        Column("status", lambda b: b.status + ("*" if b.provisional else "")),
        *amount_columns(),
    ]


def totals_columns(title: str) -> list[Column[tuple[str, Totals]]]:
    def of_totals(
        column: Column[ClaimBalance | Totals],
    ) -> Column[tuple[str, Totals]]:
        return Column(column.label, lambda group: column.cell(group[1]), column.right)

    return [
        Column(title, lambda group: group[0]),
        Column("claims", lambda group: str(group[1].claims), right=True),
        *(of_totals(c) for c in amount_columns()),
    ]


def print_balances(view: Balances, out: IO[str]) -> None:
    print(
        f"Case {view.case} — {view.procedure or 'not opened'} opened {view.opened_on}",
        file=out,
    )
    print(
        f"Balances as of {view.as_of}, as known at {known_text(view.known_at)} "
        f"({view.position} facts); amounts in EUR",
        file=out,
    )
    print(file=out)
    render(claim_columns(), view.claims, out)
    print(
        "* provisional: no decision yet, outstanding counts the declared amount",
        file=out,
    )
    print(file=out)
    _print_totals("by creditor", view.by_creditor(), out)
    _print_totals("by rank", view.by_rank(), out)
    _print_totals("frozen / post-opening", view.by_freeze(), out)
    _print_totals("total", {"all claims": view.total}, out)


def _print_totals(title: str, groups: Mapping[str, Totals], out: IO[str]) -> None:
    render(totals_columns(title), groups.items(), out)
    print(file=out)


# --- the plan -------------------------------------------------------------------------

#: A plan year (0: at adoption), what is due in it, and the running sum of the plan.
_Year = tuple[int, Money, Money, Money]

YEAR_COLUMNS: list[Column[_Year]] = [
    Column("plan year", lambda y: str(y[0]) if y[0] else "at adoption"),
    Column("due", lambda y: money(y[1]), right=True),
    Column("cumulative", lambda y: money(y[2]), right=True),
    Column("remaining", lambda y: money(y[3]), right=True),
]

SCHEDULE_COLUMNS: list[Column[ClaimSchedule]] = [
    Column("creditor", lambda c: c.creditor),
    Column("claim", lambda c: c.claim),
    Column("treatment", lambda c: c.treatment),
    Column("option", lambda c: c.option or "—"),
    Column("provisional", lambda c: "yes" if c.provisional else ""),
    Column("base", lambda c: money(c.base), right=True),
    Column("scheduled", lambda c: money(c.scheduled), right=True),
    Column("option remission", lambda c: money(c.option_remission), right=True),
]

_Due = tuple[ClaimSchedule, Instalment]

INSTALMENT_COLUMNS: list[Column[_Due]] = [
    Column("claim", lambda d: d[0].claim),
    Column("instalment", lambda d: str(d[1].number), right=True),
    Column("due on", lambda d: str(d[0].due_on(d[1])), right=True),
    Column("amount", lambda d: money(d[1].amount), right=True),
    # What a decision after the adoption added to an instalment due before it, owed
    # on the decision's date (L626-21): the instalment's own date.
    Column("catch-up of", lambda d: str(d[1].catch_up_of or "")),
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
        render(YEAR_COLUMNS, _years(schedule), out)
        print(file=out)
    render(SCHEDULE_COLUMNS, claims, out)
    if creditor is not None:
        print(file=out)
        dues = [(c, i) for c in claims for i in c.instalments]
        render(INSTALMENT_COLUMNS, dues, out)
    print(file=out)


POSITION_COLUMNS: list[Column[CreditorPosition]] = [
    Column("creditor", lambda p: p.creditor),
    Column("option", lambda p: ",".join(p.options) or "—"),
    Column("scheduled", lambda p: money(p.scheduled), right=True),
    Column("due", lambda p: money(p.due), right=True),
    Column("distributed", lambda p: money(p.distributed), right=True),
    Column("reserved", lambda p: money(p.reserved), right=True),
    Column("behind", lambda p: money(p.behind), right=True),
    Column("remission contingent", lambda p: money(p.contingent_remission), right=True),
    Column("remission acquired", lambda p: money(p.acquired_remission), right=True),
    Column("remission lapsed", lambda p: money(p.lapsed_remission), right=True),
    Column("overpaid", lambda p: money(p.overpaid), right=True),
]


def _status_lines(view: PlanStatus) -> list[tuple[str, str]]:
    arrears = money(view.arrears)
    if view.arrears:
        arrears += (
            f" (oldest due {view.oldest_unpaid_due_on}, {view.days_late} days late)"
        )
    next_due = (
        f"{view.next_due_on}: {money(view.next_due_amount)}"
        if view.next_due_on
        else "—"
    )
    return [
        ("phase", view.phase + (f" since {view.ended_on}" if view.ended_on else "")),
        ("adopted on", str(view.adopted_on)),
        ("plan year", f"{view.plan_year} of {view.duration_years}"),
        ("total of the plan", money(view.total_scheduled)),
        ("due to date", money(view.due)),
        ("remitted to the supervisor", money(view.remitted)),
        ("distributed to creditors", money(view.distributed)),
        ("reserved (claims not decided)", money(view.reserved)),
        ("arrears", arrears),
        *([("overpaid to creditors", money(view.overpaid))] if view.overpaid else []),
        ("next due", next_due),
        ("repaid", f"{percent_text(view.percent_repaid)} %"),
    ]


def print_status(view: PlanStatus, out: IO[str]) -> None:
    print(
        f"Case {view.case} — plan status as of {view.as_of}, as known at "
        f"{known_text(view.known_at)}",
        file=out,
    )
    if view.adopted_on is None:
        print(f"phase: {view.phase} (no plan adopted)", file=out)
        return
    lines = _status_lines(view)
    width = max(len(k) for k, _v in lines)
    for key, value in lines:
        print(f"  {key.ljust(width)}  {value}", file=out)
    print(file=out)
    render(POSITION_COLUMNS, view.creditors, out)
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
    Column("commitment", lambda t: t.commitment),
    Column("tranche", lambda t: str(t.number)),
    Column("due on", lambda t: str(t.due_on)),
    Column("amount", lambda t: money(t.amount), right=True),
    Column("received", lambda t: money(t.received), right=True),
    Column(
        "state",
        lambda t: "suspended" if t.suspended else "LATE" if t.late else "",
        right=True,
    ),
]

_Sum = tuple[str, Money]

FORM_COLUMNS: list[Column[_Sum]] = [
    Column("received as", lambda s: s[0]),
    Column("amount", lambda s: money(s[1]), right=True),
]

WAIVER_COLUMNS: list[Column[WaiverStatus]] = [
    Column("creditor", lambda w: w.creditor),
    Column("claim", lambda w: w.claim),
    Column("waived on", lambda w: str(w.waived_on)),
    Column("clause", lambda w: w.clause),
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
    print(
        f"Case {view.case} — group support as of {view.as_of}, as known at "
        f"{known_text(view.known_at)}; amounts in EUR",
        file=out,
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
    Column("departure", lambda d: d.departure),
    Column("left on", lambda d: str(d.left_on)),
    Column("seniority (months)", lambda d: str(d.seniority_months), right=True),
    Column("monthly pay", lambda d: money(d.monthly_pay), right=True),
    Column("legal minimum", lambda d: money(d.legal_minimum), right=True),
    Column("agreed", lambda d: money(d.agreed), right=True),
    Column("paid: company", lambda d: money(d.paid_by_company), right=True),
    Column("paid: group", lambda d: money(d.paid_by_group), right=True),
    Column("AGS advance", lambda d: money(d.advanced_by_ags), right=True),
    Column("AGS window", lambda d: d.ags_window or "outside", right=True),
]

#: The sums of `EmploymentView.totals()` shown, and their headers.
_EMPLOYMENT_TOTALS = (
    ("legal_minimum", "legal minimum"),
    ("agreed", "agreed"),
    ("paid_by_company", "paid: company"),
    ("paid_by_group", "paid: group"),
    ("advanced_by_ags", "AGS advance"),
    ("paid", "paid"),
)


def _total_column(key: str, label: str) -> Column[Mapping[str, Money]]:
    return Column(label, lambda totals: money(totals[key]), right=True)


def employment_totals_columns() -> list[Column[Mapping[str, Money]]]:
    return [
        Column("totals", lambda _totals: "all departures"),
        *(_total_column(key, label) for key, label in _EMPLOYMENT_TOTALS),
    ]


def print_employment(view: EmploymentView, out: IO[str]) -> None:
    print(
        f"Case {view.case} — employment as of {view.as_of}, as known at "
        f"{known_text(view.known_at)}; amounts in EUR",
        file=out,
    )
    print(
        "departures: " + ", ".join(f"{n} {k}" for k, n in view.by_kind().items()),
        file=out,
    )
    print(file=out)
    render(DEPARTURE_COLUMNS, view.departures, out)
    print(file=out)
    render(employment_totals_columns(), [view.totals()], out)
    print(f"\nowed to the AGS (subrogation): {money(view.ags_claims)}", file=out)
    print(file=out)


# --- compliance -----------------------------------------------------------------------


def print_report(report: Report, out: IO[str]) -> None:
    print(
        f"Case {report.case} — compliance as of {report.as_of}, as known at "
        f"{known_text(report.known_at)}; ruleset {report.ruleset_version}",
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
    print_findings(list(report.findings), out)


def print_findings(findings: Sequence[Finding], out: IO[str]) -> None:
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


# --- across cases ---------------------------------------------------------------------

PORTFOLIO_COLUMNS: list[Column[PlanStatus]] = [
    Column("case", lambda s: s.case),
    Column("phase", lambda s: s.phase),
    Column("plan year", lambda s: str(s.plan_year), right=True),
    Column("plan total", lambda s: money(s.total_scheduled), right=True),
    Column("remitted", lambda s: money(s.remitted), right=True),
    Column("arrears", lambda s: money(s.arrears), right=True),
    Column("days late", lambda s: str(s.days_late), right=True),
]


def across_cases_columns(by: str) -> list[Column[CreditorAcrossCases]]:
    return [
        Column(by, lambda c: c.key),
        Column("cases", lambda c: str(len(c.cases)), right=True),
        Column("claims", lambda c: str(c.totals.claims), right=True),
        Column("owed", lambda c: money(c.totals.owed), right=True),
        Column("paid", lambda c: money(c.totals.paid), right=True),
        Column("outstanding", lambda c: money(c.totals.outstanding), right=True),
    ]


def print_portfolio(view: Portfolio, by: str, out: IO[str]) -> None:
    print(
        f"Portfolio as of {view.as_of}, as known at {known_text(view.known_at)}: "
        f"{len(view.statuses)} case(s); amounts in EUR",
        file=out,
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


def print_distribution(plan: Distribution, out: IO[str]) -> None:
    print(
        f"Distribution of {plan.remittance} on {plan.paid_on.isoformat()}: "
        f"{plan.total.french()} paid, {plan.reserved.french()} reserved "
        f"(L626-21), {plan.ahead.french()} kept for the next instalments",
        file=out,
    )
    table(
        ["créancier", "créance", "dividende"],
        [[d.creditor, d.claim, d.amount.french()] for d in plan.dividends],
        out,
        right=[False, False, True],
    )


def print_statement(view: Statement, out: IO[str]) -> None:
    print(
        f"Relevé de {view.creditor_name} ({view.creditor}) — {view.case}, au "
        f"{view.as_of.strftime('%d/%m/%Y')} : reste dû {view.owed.french()}",
        file=out,
    )
    table(
        ["date", "créance", "opération", "montant", "reste dû"],
        [
            [
                line.on.strftime("%d/%m/%Y"),
                line.claim,
                line.what,
                line.amount.french(),
                line.owed_after.french(),
            ]
            for line in view.lines
        ],
        out,
        right=[False, False, False, True, True],
    )
