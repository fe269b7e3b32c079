"""Facts read back from the store (`Fact.from_stored`, the path of a rebuild) are
the facts recorded, and share what repeats between facts: the references of the
case, claim and creditor, the days and a batch's recording time (one object each,
not one per fact), but never a fact's own id."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from tests.test_balances_properties import record_each

from plandebt import Fact
from plandebt.strategies import case_histories


def stored_form(fact: Fact) -> dict[str, object]:
    """The fact as a rebuild reads it: its journal form through JSON text."""
    data: dict[str, object] = json.loads(json.dumps(fact.to_dict()))
    return data


@settings(max_examples=40, deadline=None)
@given(case_histories(max_operations=15))
def test_facts_read_back_are_the_facts_recorded(facts: list[Fact]) -> None:
    ledger = record_each(facts)
    for fact in ledger.index("CASE-1").log:
        assert Fact.from_stored(stored_form(fact)) == fact


def test_what_repeats_between_stored_facts_is_one_object() -> None:
    opened = datetime(2030, 1, 1, tzinfo=UTC)
    first, second = (
        Fact.from_dict(
            {
                "kind": "payment.made",
                "case": "CASE-1",
                "id": f"p{n}",
                "seq": n,
                "recorded_at": opened.isoformat(),
                "effective_on": "2024-06-30",
                "claim": "C1",
                "amount": "12.34",
                "basis": "plan_dividend",
            }
        )
        for n in (1, 2)
    )
    a, b = Fact.from_stored(stored_form(first)), Fact.from_stored(stored_form(second))
    assert (a, b) == (first, second)
    assert a.case is b.case and a.claim is b.claim  # type: ignore[attr-defined]
    assert a.effective_on is b.effective_on
    assert a.recorded_at is b.recorded_at
    assert a.id == "p1" and b.id == "p2"
    # Another recording time is read as itself, not as the one before it.
    later = stored_form(second) | {"recorded_at": (opened + timedelta(1)).isoformat()}
    assert Fact.from_stored(later).recorded_at == opened + timedelta(1)
