"""Every fact kind is complete: a decision branch, an evolve branch, its postings if it
moves money, a strategy, and its entry in the journal's documentation. A kind that
misses one fails here, by name (the recipe "adding a fact" in docs/architecture.md).
"""

from __future__ import annotations

import pathlib
import typing
from datetime import date

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plandebt import Ledger
from plandebt.decisions import BRANCHES
from plandebt.decisions.state import EVOLVE
from plandebt.events.base import Fact, fact_kinds
from plandebt.money import Money
from plandebt.projections import postings
from plandebt.strategies import FACT_STRATEGIES

KINDS = sorted(fact_kinds().items())
JOURNAL_DOC = (pathlib.Path(__file__).parent.parent / "docs" / "journal.md").read_text(
    encoding="utf-8"
)

#: Facts that hold money but move no claim's column: an admission values the claim
#: (plandebt.lifecycle), a plan's remittance is paid to the supervisor (the plan's
#: status counts it), a commitment is a promise, severance is the employment view's,
#: a contribution's claim is declared apart.
_MONEY_OUTSIDE_CLAIMS = {
    "claim.admitted",
    "plan.instalment_remitted",
    "support.committed",
    "support.received",
    "employment.departed",
    "employment.severance_agreed",
    "employment.severance_paid",
}


@pytest.mark.parametrize(("kind", "cls"), KINDS, ids=[k for k, _ in KINDS])
def test_every_kind_has_a_decision_branch(kind: str, cls: type[Fact]) -> None:
    assert cls in BRANCHES, f"{kind}: no decide branch (decisions.branches.branch)"


@pytest.mark.parametrize(("kind", "cls"), KINDS, ids=[k for k, _ in KINDS])
def test_every_kind_has_an_evolve_branch(kind: str, cls: type[Fact]) -> None:
    assert cls in EVOLVE, f"{kind}: no evolve branch (decisions.state.EVOLVE)"


@pytest.mark.parametrize(("kind", "cls"), KINDS, ids=[k for k, _ in KINDS])
def test_every_kind_has_its_journal_doc_entry(kind: str, cls: type[Fact]) -> None:
    assert f"### `{kind}`" in JOURNAL_DOC, f"{kind}: no section in docs/journal.md"
    assert f'"kind":"{kind}"' in JOURNAL_DOC, f"{kind}: no example in docs/journal.md"


def _holds_money(cls: type[Fact]) -> bool:
    hints = typing.get_type_hints(cls)
    return any(
        Money in (hints[a.name], *typing.get_args(hints[a.name]))
        for a in attrs.fields(cls)
    )


@pytest.mark.parametrize(("kind", "cls"), KINDS, ids=[k for k, _ in KINDS])
def test_every_kind_holding_money_has_postings_or_says_why_not(
    kind: str, cls: type[Fact]
) -> None:
    if not _holds_money(cls):
        assert not postings.moves_money(cls), f"{kind} holds no money but posts"
        return
    assert postings.moves_money(cls) != (kind in _MONEY_OUTSIDE_CLAIMS), (
        f"{kind}: holds money; give it postings (projections/postings.py) "
        "or list it among the kinds whose money moves no claim"
    )


@pytest.mark.parametrize(("kind", "cls"), KINDS, ids=[k for k, _ in KINDS])
@settings(max_examples=4)
@given(data=st.data())
def test_every_kind_recorded_adds_up_column_by_column(
    kind: str, cls: type[Fact], data: st.DataObject
) -> None:
    """Whatever kind a history holds, each claim's balance columns are the sums of
    the postings of its live facts, and what is outstanding is its worth less what
    settled it: a column missing from `postings.COLUMNS`, or a kind whose evolve
    branch misfiles it, fails here."""
    facts = data.draw(FACT_STRATEGIES[cls])
    ledger = Ledger.open("memory")
    ledger.record_all(facts)
    index = ledger.index(facts[0].case)
    view = ledger.balances(facts[0].case, date(2100, 1, 1))
    expected: dict[str, list[int]] = {}
    for fact_id in index.versions:
        fact = index.at(fact_id)
        for p in postings.postings(fact) if fact is not None else ():
            sums = expected.setdefault(p.claim, [0] * len(postings.COLUMNS))
            sums[postings.INDEX[p.column.name]] += p.cents
    for b in view.claims:
        got = [b.amount(c.name).cents for c in postings.COLUMNS]
        assert got == expected.get(b.claim, got), b.claim
        settled = sum(b.amount(c.name).cents for c in postings.SETTLEMENTS)
        assert b.outstanding.cents == b.owed.cents + b.interest.cents - settled
