"""The decision branches' registry and what every fact must satisfy before any
branch runs (a case, a date from the opening on, a new id, euros)."""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable
from typing import Any, TypeVar

import attrs

from plandebt.decisions.state import CaseState
from plandebt.errors import (
    DuplicateError,
    IdempotencyConflictError,
    InvalidInputError,
    UnknownReferenceError,
)
from plandebt.events import (
    CaseOpened,
    ClaimDeclared,
    CreditorRegistered,
    Fact,
    fact_kinds,
)
from plandebt.money import Money

#: A decision branch: raises if the fact may not be recorded in the case.
Check = Callable[[CaseState, Any], None]

#: The branch of each fact kind. Every kind has one (tests/test_fact_kinds.py): a
#: kind without a branch is refused, never recorded unchecked.
BRANCHES: dict[type[Fact], Check] = {}


C = TypeVar("C", bound=Callable[..., None])


def branch(*kinds: type[Fact]) -> Callable[[C], C]:
    """Registers a function as the decision branch of `kinds`."""

    def register(function: C) -> C:
        for kind in kinds:
            BRANCHES[kind] = function
        return function

    return register


def replay_duplicate(state: CaseState, fact: Fact) -> Fact | None:
    """The fact already recorded under this fact's client reference, if any.

    Sending a command twice with the same client reference records it once; sending a
    different fact under a used reference is refused."""
    if fact.client_ref is None or fact.client_ref not in state.client_refs:
        return None
    existing = state.at(state.client_refs[fact.client_ref])
    first = state.versions[state.client_refs[fact.client_ref]][0][1]
    assert first is not None
    if first.payload() != fact.payload():
        raise IdempotencyConflictError(
            "client_ref",
            fact.client_ref,
            f"already used for fact {first.id} ({first.kind}) with other values",
        )
    return existing if existing is not None else first


def decide_fact(state: CaseState, fact: Fact) -> None:
    """Raises if `fact` may not be recorded in the case `state` holds."""
    if isinstance(fact, CaseOpened):
        if state.opening() is not None or state.head:
            raise DuplicateError("case", fact.case, "this case is already opened")
    else:
        opening = state.opening()
        if opening is None:
            raise UnknownReferenceError("case", fact.case, "no such case is opened")
        # A creditor is a party, not an event of the case: it may be known from any
        # date. Every other fact happens from the opening judgment on.
        if fact.effective_on < opening.effective_on and not isinstance(
            fact, CreditorRegistered
        ):
            raise InvalidInputError(
                "effective_on",
                fact.effective_on.isoformat(),
                f"is before the opening judgment of {opening.effective_on.isoformat()}",
            )
    if fact.id in state.versions:
        raise DuplicateError("id", fact.id, "a fact with this id is already recorded")
    _euros(fact)
    checker = BRANCHES.get(type(fact))
    if checker is None:
        raise InvalidInputError("kind", fact.kind, "no decision branch for this kind")
    checker(state, fact)


def _euros(fact: Fact) -> None:
    """A French proceeding keeps its books in euros: an amount in another currency
    would be added to euros by the views, so it is refused at the door."""
    for name in _money_fields(fact.kind):
        _euro_amounts(name, getattr(fact, name))


@functools.cache
def _money_fields(kind: str) -> tuple[str, ...]:
    """The fields of a fact kind that hold Money, directly or nested."""
    cls = fact_kinds()[kind]
    hints = typing.get_type_hints(cls)
    return tuple(a.name for a in attrs.fields(cls) if _holds_money(hints[a.name]))


def _holds_money(tp: object) -> bool:
    if tp is Money:
        return True
    if isinstance(tp, type) and attrs.has(tp):
        hints = typing.get_type_hints(tp)
        return any(_holds_money(hints[a.name]) for a in attrs.fields(tp))
    return any(_holds_money(arg) for arg in typing.get_args(tp))


def _euro_amounts(field: str, value: object) -> None:
    if isinstance(value, Money):
        if value.currency != "EUR":
            raise InvalidInputError(
                field,
                str(value),
                "amounts are in euros (EUR): a French proceeding keeps its books in euros",
            )
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            _euro_amounts(f"{field}[{i}]", item)
    elif attrs.has(type(value)):
        for attribute in attrs.fields(type(value)):  # type: ignore[arg-type]  # has() narrows
            _euro_amounts(f"{field}.{attribute.name}", getattr(value, attribute.name))


def declared_claim(state: CaseState, fact: Fact) -> ClaimDeclared:
    claim = getattr(fact, "claim", None)
    declared = state.declaration(claim) if claim else None
    if declared is None:
        raise UnknownReferenceError("claim", claim, "no such claim is declared")
    return declared


def decided_claim(state: CaseState, fact: Fact) -> ClaimDeclared:
    declared = declared_claim(state, fact)
    if fact.effective_on < declared.effective_on:
        raise InvalidInputError(
            "effective_on",
            fact.effective_on.isoformat(),
            "a decision cannot precede the claim's declaration "
            f"of {declared.effective_on.isoformat()}",
        )
    return declared


def positive(amount: Money, field: str = "amount") -> None:
    if not amount.is_positive:
        raise InvalidInputError(field, amount.plain(), "must be more than zero")


def still_owed(state: CaseState, claim: str) -> Money:
    """What is still owed on a declared claim, counting everything known whatever its
    date (a reduction may not take more, even from the far future): read from the
    claim's head, which `evolve` keeps, not from its facts."""
    return state.outstanding(claim)
