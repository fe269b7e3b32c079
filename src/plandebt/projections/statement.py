"""A creditor's statement (relevé): every decision, instalment due, payment,
remission and balance of one creditor over time, as the case is known at `known_at`.

One line per event, in date order (then recording order): its date, the claim, what
happened, the amount it moves, and what the creditor is still owed after it on all
its claims (the sum of the claims' `outstanding` as of that date, as the balances
give it). Instalments falling due under the plan are lines too; they move nothing
(`amount` is what fell due) and show what the creditor may expect.
"""

from __future__ import annotations

import csv
import html
import io
from datetime import date
from typing import Any

import attrs

from plandebt import french
from plandebt.errors import UnknownReferenceError
from plandebt.events import Fact
from plandebt.lifecycle import STEP
from plandebt.money import Money
from plandebt.projections import postings, serialise
from plandebt.projections.balances import balances
from plandebt.projections.index import CaseIndex, KnownAt
from plandebt.projections.plan import plan_schedule


@attrs.frozen
class StatementLine:
    on: date
    claim: str
    what: str  # a fact kind and column ("payment.made paid"), or "instalment due"
    amount: Money
    owed_after: Money  # what the creditor is owed on all its claims at the end of `on`
    fact: str | None  # the fact's id (None for an instalment due)


@attrs.frozen
class Statement:
    case: str
    creditor: str
    creditor_name: str
    as_of: date
    known_at: KnownAt
    lines: tuple[StatementLine, ...]
    owed: Money  # on `as_of`
    #: Provenance: the ids of the facts this statement rests on that were restored
    #: from a journal whose hash chain was not verified (docs/integrity.md).
    unverified: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return serialise.fields(self)

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["date", "créance", "opération", "montant", "reste dû"])
        for line in self.lines:
            writer.writerow(
                [
                    french.day(line.on),
                    line.claim,
                    line.what,
                    line.amount.french(symbol=False),
                    line.owed_after.french(symbol=False),
                ]
            )
        return out.getvalue()

    def to_html(self) -> str:
        rows = "\n".join(
            f"<tr><td>{french.day(line.on)}</td><td>{html.escape(line.claim)}</td>"
            f"<td>{html.escape(line.what)}</td>"
            f"<td class=n>{html.escape(line.amount.french())}</td>"
            f"<td class=n>{html.escape(line.owed_after.french())}</td></tr>"
            for line in self.lines
        )
        title = html.escape(f"Relevé — {self.creditor_name} — {self.case}")
        return (
            f"<!doctype html><html lang=fr><meta charset=utf-8><title>{title}</title>"
            "<style>td.n{text-align:right}table{border-collapse:collapse}"
            "td,th{padding:2px 8px;border-bottom:1px solid #ccc}</style>"
            f"<h1>{title}</h1><p>Au {french.day(self.as_of)} : reste dû "
            f"{html.escape(self.owed.french())}</p><table><tr><th>Date</th>"
            "<th>Créance</th><th>Opération</th><th>Montant</th><th>Reste dû</th></tr>"
            f"\n{rows}\n</table></html>\n"
        )


def statement(
    index: CaseIndex, creditor: str, as_of: date, known_at: KnownAt = None
) -> Statement:
    """The statement of `creditor` up to `as_of`, as known at `known_at`."""
    position = index.position(known_at)
    registered = index.creditor(creditor, position)
    if registered is None:
        raise UnknownReferenceError(
            "creditor", creditor, "no such creditor in this case"
        )
    claims = [
        c
        for c in index.creditor_claims.get(creditor, ())
        if index.declaration(c, position) is not None
    ]
    events: list[tuple[date, int, str, str, int, str | None]] = []
    for claim in claims:
        for fact in index.facts_about(claim, position):
            events.extend(_lines(fact, claim))
    schedule = plan_schedule(index, as_of, known_at)
    for c in schedule.claims if schedule is not None else ():
        if c.claim in claims:
            for instalment, due in zip(c.instalments, c.dues, strict=True):
                events.append(
                    (
                        due,
                        1 << 62,
                        c.claim,
                        "instalment due",
                        instalment.amount.cents,
                        None,
                    )
                )
    events = sorted(e for e in events if e[0] <= as_of)
    owed_on: dict[date, Money] = {}
    lines = []
    for on, _seq, claim, what, cents, fact_id in events:
        if on not in owed_on:
            view = balances(index, on, known_at)
            owed_on[on] = Money._of(
                sum(b.outstanding.cents for b in view.claims if b.creditor == creditor)
            )
        lines.append(
            StatementLine(on, claim, what, Money._of(cents), owed_on[on], fact_id)
        )
    total = balances(index, as_of, known_at)
    return Statement(
        case=index.case,
        creditor=creditor,
        creditor_name=registered.name,
        as_of=as_of,
        known_at=known_at,
        lines=tuple(lines),
        owed=Money._of(
            sum(b.outstanding.cents for b in total.claims if b.creditor == creditor)
        ),
    )


def _lines(fact: Fact, claim: str) -> list[tuple[date, int, str, str, int, str | None]]:
    seq = fact.seq or 0
    if type(fact) in STEP:
        amount = getattr(fact, "amount", None)
        cents = amount.cents if isinstance(amount, Money) else 0
        return [(fact.effective_on, seq, claim, fact.kind, cents, fact.id)]
    return [
        (p.effective_on, seq, claim, f"{fact.kind} {p.column.name}", p.cents, fact.id)
        for p in postings.postings(fact)
        if p.claim == claim
    ]
