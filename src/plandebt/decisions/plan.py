"""Decisions on the plan: adoption, consultation, remittances, modification, end."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from plandebt import english
from plandebt.decisions.branches import branch, positive
from plandebt.decisions.state import ADOPTED, ENDED, PLAN, CaseState
from plandebt.errors import (
    DuplicateError,
    InvalidInputError,
    UnknownReferenceError,
)
from plandebt.events import (
    Answer,
    ConsultationAnswered,
    Fact,
    InstalmentRemitted,
    PlanAdopted,
    PlanCompleted,
    PlanModified,
    PlanOption,
    PlanResolved,
)
from plandebt.money import Money
from plandebt.schedules import FirstDue, percent_schedule


def _adoption(state: CaseState) -> PlanAdopted | None:
    """The case's plan adoption (the first recorded, live, as last corrected)."""
    adopted = state.first(PLAN, ADOPTED)
    assert adopted is None or isinstance(adopted, PlanAdopted)
    return adopted


def _adopted(state: CaseState, fact: Fact) -> PlanAdopted:
    adopted = _adoption(state)
    if adopted is None:
        raise InvalidInputError("case", fact.case, "no plan is adopted in this case")
    if fact.effective_on < adopted.effective_on:
        raise InvalidInputError(
            "effective_on",
            fact.effective_on.isoformat(),
            f"is before the plan's adoption on {adopted.effective_on.isoformat()}",
        )
    ended = state.first(PLAN, ENDED)
    if ended is not None and not isinstance(fact, InstalmentRemitted):
        raise InvalidInputError(
            "case",
            fact.case,
            f"the plan ended ({ended.kind}) on {ended.effective_on.isoformat()}",
        )
    return adopted


def check_percents(field: str, percents: tuple[Decimal, ...]) -> None:
    try:
        percent_schedule(
            Money(0), list(percents), date(2000, 1, 1), FirstDue.FIRST_ANNIVERSARY
        )
    except InvalidInputError as e:
        raise InvalidInputError(field, e.value, e.reason) from e


@branch(PlanAdopted)
def _plan_adopted(state: CaseState, fact: PlanAdopted) -> None:
    if _adoption(state) is not None:
        raise DuplicateError(
            "case",
            fact.case,
            "a plan is already adopted; a change is a modification (plan.modified)",
        )
    if fact.duration_years < 1:
        raise InvalidInputError(
            "duration_years", fact.duration_years, "a plan lasts at least one year"
        )
    if not fact.options:
        raise InvalidInputError("options", [], "a plan offers at least one option")
    ids = [o.option for o in fact.options]
    if len(set(ids)) != len(ids):
        raise InvalidInputError("options", ids, "option ids must be unique")
    for i, option in enumerate(fact.options):
        check_percents(f"options[{i}].percents", option.percents)
        _check_first_due(fact, option, f"options[{i}]")
    for field in ("uniform_option", "default_option"):
        value = getattr(fact, field)
        if value is not None and value not in ids:
            raise UnknownReferenceError(
                field, value, "is not one of the options " + ", ".join(ids)
            )


def _check_first_due(adopted: PlanAdopted, option: PlanOption, field: str) -> None:
    """An option's own first due date: months after the adoption or a date, not
    both, and not before the judgment; within the plan's duration (its last day is
    the duration's anniversary)."""
    months, on = option.first_due_months, option.first_due_on
    if months is not None and on is not None:
        raise InvalidInputError(
            f"{field}.first_due_on",
            on.isoformat(),
            "give the first due date in months after the adoption or as a date, "
            "not both",
        )
    if months is not None and not 0 <= months <= 12 * adopted.duration_years:
        raise InvalidInputError(
            f"{field}.first_due_months",
            months,
            f"must be from 0 to {12 * adopted.duration_years} (the plan's "
            f"{english.plural(adopted.duration_years, 'year')})",
        )
    if on is not None and on < adopted.effective_on:
        raise InvalidInputError(
            f"{field}.first_due_on",
            on.isoformat(),
            f"is before the plan's adoption on {adopted.effective_on.isoformat()}",
        )


@branch(ConsultationAnswered)
def _answered(state: CaseState, fact: ConsultationAnswered) -> None:
    if state.creditor(fact.creditor) is None:
        raise UnknownReferenceError("creditor", fact.creditor, "no such creditor")
    if fact.answer is Answer.ACCEPTS and not fact.option:
        raise InvalidInputError("option", None, "an acceptance names the option")
    adopted = _adoption(state)
    if (
        fact.option
        and adopted
        and fact.option not in {o.option for o in adopted.options}
    ):
        raise UnknownReferenceError(
            "option", fact.option, "the plan has no such option"
        )
    if fact.received_on and fact.received_on > fact.effective_on:
        raise InvalidInputError(
            "received_on",
            fact.received_on.isoformat(),
            "an answer comes after the consultation is received",
        )


@branch(InstalmentRemitted)
def _remitted(state: CaseState, fact: InstalmentRemitted) -> None:
    _adopted(state, fact)
    positive(fact.amount)


@branch(PlanModified)
def _plan_modified(state: CaseState, fact: PlanModified) -> None:
    adopted = _adopted(state, fact)
    if fact.effective_on <= adopted.effective_on:
        raise InvalidInputError(
            "effective_on",
            fact.effective_on.isoformat(),
            "a modification follows the adoption",
        )
    check_percents("percents", fact.percents)
    if fact.duration_years < 1:
        raise InvalidInputError(
            "duration_years", fact.duration_years, "a plan lasts at least one year"
        )
    for k, creditor in enumerate(fact.accepted_by):
        if state.creditor(creditor) is None:
            raise UnknownReferenceError(
                f"accepted_by[{k}]", creditor, "no such creditor"
            )
        if creditor in fact.accepted_by[:k]:
            raise InvalidInputError(
                f"accepted_by[{k}]", creditor, "a creditor accepts once"
            )


@branch(PlanResolved, PlanCompleted)
def _plan_ended(state: CaseState, fact: Fact) -> None:
    _adopted(state, fact)
