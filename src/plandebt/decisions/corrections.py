"""Decisions on corrections and voids: what may change, and what rests on a fact."""

from __future__ import annotations

from plandebt.decisions.branches import BRANCHES, branch
from plandebt.decisions.case import check_opened
from plandebt.decisions.claims import check_declared
from plandebt.decisions.money import check_reduction
from plandebt.decisions.state import CaseState, corrected
from plandebt.errors import (
    InvalidInputError,
    UnknownReferenceError,
)
from plandebt.events import (
    AgsAdvanced,
    CapitalCommitted,
    CaseConverted,
    CaseOpened,
    ClaimAdmitted,
    ClaimDeclared,
    ClaimRelieved,
    ClaimWrittenOff,
    ContributionReceived,
    CreditorRegistered,
    EmployeeDeparted,
    Fact,
    FactCorrected,
    FactVoided,
    PlanAdopted,
    ReliefRequested,
    RemissionGranted,
    SeveranceAgreed,
    SeverancePaid,
    WaiverRevived,
)
from plandebt.events.base import ENVELOPE
from plandebt.money import Money


def _target(state: CaseState, fact_id: str, field: str) -> Fact:
    if fact_id not in state.versions:
        raise UnknownReferenceError(field, fact_id, "no such fact in this case")
    target = state.at(fact_id)
    if target is None:
        raise InvalidInputError(field, fact_id, "this fact is voided")
    if isinstance(target, FactCorrected | FactVoided):
        raise InvalidInputError(
            field,
            fact_id,
            "a correction is itself corrected by "
            "correcting or voiding the original fact",
        )
    return target


@branch(FactCorrected)
def _correction(state: CaseState, fact: FactCorrected) -> None:
    target = _target(state, fact.corrects, "corrects")
    if not fact.changes:
        raise InvalidInputError("changes", fact.changes, "names no field to change")
    for key in fact.changes:
        # The business date may be corrected (a wrong judgment or value date); the
        # recording position, the id and what the fact is about may not.
        if (key in ENVELOPE and key != "effective_on") or key in target.identity:
            raise InvalidInputError(
                f"changes.{key}",
                fact.changes[key],
                "cannot be corrected: void the fact and record a new one",
            )
    try:
        replacement = corrected(target, fact)
    except InvalidInputError as e:
        raise InvalidInputError(f"changes.{e.field}", e.value, e.reason) from e
    opening = state.opening()
    assert opening is not None
    if (
        not isinstance(target, CaseOpened)
        and replacement.effective_on < opening.effective_on
    ):
        raise InvalidInputError(
            "changes.effective_on",
            replacement.effective_on,
            "is before the opening judgment",
        )
    if isinstance(replacement, ClaimDeclared):
        check_declared(state, replacement, replacing=True)
        _still_consistent(state, replacement.claim, replacement.amount)
    elif isinstance(replacement, CaseOpened):
        try:
            check_opened(state, replacement)
        except InvalidInputError as e:
            raise InvalidInputError(f"changes.{e.field}", e.value, e.reason) from e
        for other in state.log:
            current = state.at(other.id)
            if (
                current is not None
                and current is not target
                and not isinstance(
                    current, CreditorRegistered | FactCorrected | FactVoided
                )
                and current.effective_on < replacement.effective_on
            ):
                raise InvalidInputError(
                    "changes.effective_on",
                    replacement.effective_on.isoformat(),
                    f"fact {current.id} ({current.kind}) is dated "
                    f"{current.effective_on.isoformat()}, before the new opening date",
                )
    elif isinstance(replacement, RemissionGranted | ClaimWrittenOff):
        assert isinstance(target, RemissionGranted | ClaimWrittenOff)
        check_reduction(state, replacement, replaced=target.amount)
    elif type(replacement) in BRANCHES and not isinstance(
        replacement,
        CaseConverted
        | CreditorRegistered
        | PlanAdopted
        | ReliefRequested
        | ClaimRelieved,
    ):
        BRANCHES[type(replacement)](state, replacement)


def _still_consistent(state: CaseState, claim: str, declared: Money) -> None:
    for other in state.facts_about(claim):
        if (
            isinstance(other, ClaimAdmitted)
            and other.amount
            and other.amount > declared
        ):
            raise InvalidInputError(
                "changes.amount",
                declared.plain(),
                f"is below the {other.amount.plain()} admitted",
            )


@branch(FactVoided)
def _void(state: CaseState, fact: FactVoided) -> None:
    target = _target(state, fact.voids, "voids")
    if isinstance(target, CaseOpened):
        raise InvalidInputError(
            "voids",
            fact.voids,
            "the opening judgment cannot be voided; correct it instead",
        )
    if isinstance(target, CreditorRegistered):
        for claim in state.creditor_claims.get(target.creditor, ()):
            if state.declaration(claim) is not None:
                raise InvalidInputError(
                    "voids",
                    fact.voids,
                    f"creditor has live claim {claim}: void its claims first",
                )
    for other in _dependants(state, target):
        raise InvalidInputError(
            "voids",
            fact.voids,
            f"live fact {other.id} ({other.kind}) rests on it: void that first",
        )


def _dependants(state: CaseState, target: Fact) -> list[Fact]:
    """The live facts that would point at nothing if `target` were voided: what is
    recorded about a claim, the AGS advance and the contribution that name a claim, the
    revivals of a waiver, the contributions under a commitment, the severance and AGS
    advances of a departed employee."""
    live = [
        f
        for f in (state.at(i) for i in state.versions)
        if f is not None
        and f.id != target.id
        and not isinstance(f, FactCorrected | FactVoided)
    ]
    if isinstance(target, ClaimDeclared):
        claim = target.claim
        return [
            f
            for f in live
            if claim
            in (
                getattr(f, "claim", None),
                getattr(f, "employee_claim", None),
                getattr(f, "superprivileged_claim", None),
                getattr(f, "privileged_claim", None),
            )
        ]
    if isinstance(target, ClaimWrittenOff):
        return [
            f for f in live if isinstance(f, WaiverRevived) and f.waiver == target.id
        ]
    if isinstance(target, CapitalCommitted):
        return [
            f
            for f in live
            if isinstance(f, ContributionReceived) and f.commitment == target.commitment
        ]
    if isinstance(target, EmployeeDeparted):
        return [
            f
            for f in live
            if isinstance(f, SeveranceAgreed | SeverancePaid | AgsAdvanced)
            and f.employee == target.employee
        ]
    return []
