"""A case as a Beancount ledger: what an accountant's tools can check and explore.

Each claim is a liability account, `Liabilities:Claims:<creditor>:<claim>`, opened
on the claim's declaration with metadata naming the creditor and the claim. Each fact
that moves the claim is a dated transaction carrying its fact id (`fact:` metadata):
its postings (`projections.postings`) against an account that says where the money
went or came from. A decision that values the claim at another amount than declared
(an admission for less, a rejection) is a transaction on the day the claim is
declared — it values the claim as at the opening judgment (L622-27), so it counts
from the claim's first day in the books. The balance of a claim's account on any
date on which plandebt shows the claim is then minus its `outstanding` (a liability
is a negative balance in Beancount).

What is exported is the case as known now: corrected facts with their corrections,
voided facts left out.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date

from plandebt.events import ClaimAdmitted, ClaimDeclared, ClaimRejected, Fact
from plandebt.lifecycle import VALUATIONS
from plandebt.money import Money
from plandebt.projections import postings
from plandebt.projections.index import CaseIndex

#: Where each column's money goes (or comes from), seen from the claim.
COUNTER_ACCOUNTS = {
    postings.DECLARED.name: "Equity:Declared",
    postings.PAID.name: "Assets:Paid",
    postings.REMISSION.name: "Income:Remission",
    postings.INTEREST.name: "Expenses:Interest",
    postings.WRITTEN_OFF.name: "Income:WrittenOff",
    postings.SUBROGATED.name: "Equity:Subrogated",
}
VERIFICATION_ACCOUNT = "Equity:Verification"
_COMPONENT = re.compile(r"[^A-Za-z0-9-]")


def component(text: str) -> str:
    """An account component for an id: letters, digits and dashes, starting with a
    capital or a digit; an id that had to be changed gets a short hash of itself,
    so two ids never share an account."""
    cleaned = _COMPONENT.sub("-", text).strip("-") or "X"
    cleaned = cleaned[0].upper() + cleaned[1:]
    if not cleaned[0].isalnum():
        cleaned = "X" + cleaned
    if cleaned != text:
        cleaned += "-" + hashlib.sha256(text.encode()).hexdigest()[:6]
    return cleaned


def claim_account(creditor: str, claim: str) -> str:
    return f"Liabilities:Claims:{component(creditor)}:{component(claim)}"


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _amount(cents: int) -> str:
    return f"{Money._of(cents).plain()} EUR"


def to_beancount(index: CaseIndex) -> str:
    """The case `index` holds, as the text of a Beancount ledger."""
    opening = index.opening()
    if opening is None:
        return ""
    live = [f for f in (index.at(i) for i in index.versions) if f is not None]
    declarations = {f.claim: f for f in live if isinstance(f, ClaimDeclared)}
    first = min(
        [opening.effective_on, *(d.effective_on for d in declarations.values())]
        + [f.effective_on for f in live]
    )
    lines = [f'option "title" {_string(f"{opening.case} — {opening.debtor}")}']
    lines.append('option "operating_currency" "EUR"')
    lines.append("")
    for account in sorted({*COUNTER_ACCOUNTS.values(), VERIFICATION_ACCOUNT}):
        lines.append(f"{first.isoformat()} open {account} EUR")
    entries: list[tuple[date, int, str]] = []
    for claim, declared in sorted(declarations.items()):
        account = claim_account(declared.creditor, claim)
        entries.append(
            (
                first,
                0,
                f"{first.isoformat()} open {account} EUR\n"
                f"  creditor: {_string(declared.creditor)}\n"
                f"  claim: {_string(claim)}",
            )
        )
    for fact in sorted(live, key=lambda f: (f.effective_on, f.seq or 0)):
        for p in postings.postings(fact):
            of_claim = declarations.get(p.claim)
            if of_claim is None:
                continue
            account = claim_account(of_claim.creditor, p.claim)
            # A liability grows negative: what adds to the claim is a negative
            # posting on its account.
            grows = p.column.sign > 0 or p.column is postings.DECLARED
            cents = -p.cents if grows else p.cents
            entries.append(
                (
                    p.effective_on,
                    fact.seq or 0,
                    _transaction(
                        fact,
                        p.effective_on,
                        f"{fact.kind} {p.column.name}",
                        account,
                        COUNTER_ACCOUNTS[p.column.name],
                        cents,
                    ),
                )
            )
    for claim, declared in sorted(declarations.items()):
        valuation = _valuation(index, claim)
        if valuation is None:
            continue
        if isinstance(valuation, ClaimAdmitted):
            worth = (valuation.amount or declared.amount).cents
        else:
            assert isinstance(valuation, ClaimRejected)
            worth = 0
        delta = worth - declared.amount.cents
        if delta:
            entries.append(
                (
                    declared.effective_on,
                    declared.seq or 0,
                    _transaction(
                        valuation,
                        declared.effective_on,
                        f"{valuation.kind} (valued as at the opening, L622-27)",
                        claim_account(declared.creditor, claim),
                        VERIFICATION_ACCOUNT,
                        -delta,
                    ),
                )
            )
    lines.append("")
    lines.extend(text + "\n" for _d, _s, text in sorted(entries, key=lambda e: e[:2]))
    return "\n".join(lines)


def _valuation(index: CaseIndex, claim: str) -> Fact | None:
    """The decision that says what the claim is worth: the latest admission or
    rejection (as the balances read it)."""
    decisions = [f for f in index.facts_about(claim) if type(f) in VALUATIONS]
    return max(decisions, key=lambda f: (f.effective_on, f.seq or 0), default=None)


def _transaction(
    fact: Fact, on: date, narration: str, account: str, counter: str, cents: int
) -> str:
    return (
        f"{on.isoformat()} * {_string(narration)}\n"
        f"  fact: {_string(fact.id)}\n"
        f"  {account}  {_amount(cents)}\n"
        f"  {counter}  {_amount(-cents)}"
    )
