"""The invariants of a case: what may be recorded, checked before anything is written.

`decide(index, fact)` refuses nonsense with a typed error naming the field, the value
and the reason (architecture principle 3). It does not judge lawfulness: a frozen claim
paid without basis, a late declaration or a late dividend happened and are recorded;
the compliance checks report them. Every check here reads the case as currently known
(the index's head).
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import attrs

from plandebt.errors import (
    DuplicateError,
    IdempotencyConflictError,
    InvalidInputError,
    UnknownReferenceError,
)
from plandebt.events import (
    AgsAdvanced,
    Answer,
    CapitalCommitted,
    CaseConverted,
    CaseOpened,
    ClaimAdmitted,
    ClaimContested,
    ClaimDeclared,
    ClaimForeclosed,
    ClaimRejected,
    ClaimRelieved,
    ClaimRescheduled,
    ClaimWrittenOff,
    ConsultationAnswered,
    ContributionForm,
    ContributionReceived,
    CreditorKind,
    CreditorRegistered,
    EmployeeDeparted,
    Fact,
    FactCorrected,
    FactVoided,
    InstalmentRemitted,
    InterestAccrued,
    PaymentBasis,
    PaymentMade,
    PlanAdopted,
    PlanCompleted,
    PlanModified,
    PlanResolved,
    Rank,
    ReliefRequested,
    RemissionGranted,
    SeveranceAgreed,
    SeverancePaid,
    WaiverRevived,
    WriteOffClause,
)
from plandebt.events.base import ENVELOPE
from plandebt.lifecycle import STEP, TRANSITIONS, ClaimStatus, allows
from plandebt.money import Money
from plandebt.projections.balances import claim_balance, procedure_in_force
from plandebt.projections.index import CaseIndex, corrected
from plandebt.schedules import FirstDue, percent_schedule

Check = Callable[[CaseIndex, Fact], None]
_CHECKS: dict[type[Fact], Check] = {}


def check(*kinds: type[Fact]) -> Callable[[Check], Check]:
    def register(function: Check) -> Check:
        for kind in kinds:
            _CHECKS[kind] = function
        return function

    return register


def replay_duplicate(index: CaseIndex, fact: Fact) -> Fact | None:
    """The fact already recorded under this fact's client reference, if any.

    Sending a command twice with the same client reference records it once; sending a
    different fact under a used reference is refused."""
    if fact.client_ref is None or fact.client_ref not in index.client_refs:
        return None
    existing = index.at(index.client_refs[fact.client_ref])
    first = index.versions[index.client_refs[fact.client_ref]][0][1]
    assert first is not None
    if first.payload() != fact.payload():
        raise IdempotencyConflictError(
            "client_ref",
            fact.client_ref,
            f"already used for fact {first.id} ({first.kind}) with other values",
        )
    return existing if existing is not None else first


def decide(index: CaseIndex, fact: Fact) -> None:
    """Raises if `fact` may not be recorded in the case `index` holds."""
    if isinstance(fact, CaseOpened):
        if index.opening() is not None or index.head:
            raise DuplicateError("case", fact.case, "this case is already opened")
    else:
        opening = index.opening()
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
    if fact.id in index.versions:
        raise DuplicateError("id", fact.id, "a fact with this id is already recorded")
    _euros(fact)
    checker = _CHECKS.get(type(fact))
    if checker is not None:
        checker(index, fact)


def _euros(fact: Fact) -> None:
    """A French proceeding keeps its books in euros: an amount in another currency
    would be added to euros by the views, so it is refused at the door."""
    for name in _money_fields(type(fact)):
        _euro_amounts(name, getattr(fact, name))


@functools.cache
def _money_fields(cls: type) -> tuple[str, ...]:
    """The fields of a fact class that hold Money, directly or nested."""
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
        for attribute in attrs.fields(type(value)):
            _euro_amounts(f"{field}.{attribute.name}", getattr(value, attribute.name))


# --- the case -----------------------------------------------------------------------


@check(CaseOpened)
def _opened(index: CaseIndex, fact: CaseOpened) -> None:
    if fact.bodacc_published_on and fact.bodacc_published_on < fact.effective_on:
        raise InvalidInputError(
            "bodacc_published_on",
            fact.bodacc_published_on.isoformat(),
            "the BODACC publishes the judgment after it is given",
        )
    if fact.cessation_on and fact.cessation_on > fact.effective_on:
        raise InvalidInputError(
            "cessation_on",
            fact.cessation_on.isoformat(),
            "cessation des paiements cannot follow the opening",
        )


@check(CaseConverted)
def _converted(index: CaseIndex, fact: CaseConverted) -> None:
    # The procedure in force on the conversion's date, whatever the recording order.
    current = procedure_in_force(index, fact.effective_on)
    if getattr(current, "procedure", None) == fact.procedure:
        raise InvalidInputError(
            "procedure",
            fact.procedure.value,
            "the case already is under this procedure",
        )


# --- creditors and claims -------------------------------------------------------------


@check(CreditorRegistered)
def _creditor(index: CaseIndex, fact: CreditorRegistered) -> None:
    if index.creditor(fact.creditor) is not None:
        raise DuplicateError("creditor", fact.creditor, "this creditor is registered")


@check(ClaimDeclared)
def _declared(index: CaseIndex, fact: ClaimDeclared, replacing: bool = False) -> None:
    if not replacing and fact.claim in index.claims:
        raise DuplicateError("claim", fact.claim, "a claim with this id is declared")
    if index.creditor(fact.creditor) is None:
        raise UnknownReferenceError("creditor", fact.creditor, "no such creditor")
    _positive(fact.amount)
    if fact.origin_on > fact.effective_on:
        raise InvalidInputError(
            "origin_on",
            fact.origin_on.isoformat(),
            "a claim cannot be declared before it arises",
        )


def _claim(index: CaseIndex, fact: Fact) -> ClaimDeclared:
    claim = getattr(fact, "claim", None)
    declared = index.declaration(claim) if claim else None
    if declared is None:
        raise UnknownReferenceError("claim", claim, "no such claim is declared")
    return declared


def _decision(index: CaseIndex, fact: Fact) -> ClaimDeclared:
    declared = _claim(index, fact)
    if fact.effective_on < declared.effective_on:
        raise InvalidInputError(
            "effective_on",
            fact.effective_on.isoformat(),
            "a decision cannot precede the claim's declaration "
            f"of {declared.effective_on.isoformat()}",
        )
    return declared


@check(ClaimAdmitted)
def _admitted(index: CaseIndex, fact: ClaimAdmitted) -> None:
    declared = _decision(index, fact)
    _step(index, fact)
    if fact.amount is not None:
        _positive(fact.amount)
        if fact.amount > declared.amount:
            raise InvalidInputError(
                "amount",
                fact.amount.plain(),
                f"exceeds the declared {declared.amount.plain()}: a claim is admitted "
                "at most for what was declared",
            )


@check(ClaimRejected, ClaimContested, ClaimForeclosed, ClaimRelieved, ReliefRequested)
def _decided(index: CaseIndex, fact: Fact) -> None:
    _decision(index, fact)
    _step(index, fact)


def _step(index: CaseIndex, fact: Fact) -> None:
    """The claim's lifecycle allows this step from where the claim stands on the
    step's date (see `lifecycle.TRANSITIONS`)."""
    claim: str = fact.claim  # type: ignore[attr-defined]
    balance = claim_balance(index, claim, fact.effective_on, index.head)
    assert balance is not None
    status = ClaimStatus(balance.status)
    step = STEP[type(fact)]
    if not allows(status, step):
        allowed = sorted(s.value for s in TRANSITIONS[status])
        raise InvalidInputError(
            "claim",
            claim,
            f"is {status.value} on {fact.effective_on.isoformat()}: a claim "
            f"{status.value} cannot become {step.value} (it may become "
            f"{' or '.join(allowed) or 'nothing else'})",
        )


# --- money ------------------------------------------------------------------------------


def _positive(amount: Money, field: str = "amount") -> None:
    if not amount.is_positive:
        raise InvalidInputError(field, amount.plain(), "must be more than zero")


@check(PaymentMade)
def _payment(index: CaseIndex, fact: PaymentMade) -> None:
    _claim(index, fact)
    _positive(fact.amount)
    if fact.basis is PaymentBasis.JC_AUTHORISATION and not fact.authorisation_ref:
        raise InvalidInputError(
            "authorisation_ref",
            None,
            "a payment authorised by the juge-commissaire names the order (L622-7 II)",
        )


@check(InterestAccrued)
def _interest(index: CaseIndex, fact: InterestAccrued) -> None:
    _claim(index, fact)
    _positive(fact.amount)
    if fact.period_from and fact.period_from > fact.effective_on:
        raise InvalidInputError(
            "period_from", fact.period_from.isoformat(), "a period ends after it starts"
        )


@check(RemissionGranted, ClaimWrittenOff)
def _reduction(
    index: CaseIndex,
    fact: RemissionGranted | ClaimWrittenOff,
    replaced: Money | None = None,
) -> None:
    _claim(index, fact)
    _positive(fact.amount)
    # A reduction cannot exceed what is still owed, whatever the date: it is checked
    # against everything known, in the far future. A corrected reduction frees what
    # its old version took.
    owed = claim_balance(index, fact.claim, None, index.head).outstanding
    if replaced is not None:
        owed = owed + replaced
    if fact.amount > owed:
        raise InvalidInputError(
            "amount", fact.amount.plain(), f"exceeds the {owed.plain()} still owed"
        )


# --- corrections ------------------------------------------------------------------------


def _target(index: CaseIndex, fact_id: str, field: str) -> Fact:
    if fact_id not in index.versions:
        raise UnknownReferenceError(field, fact_id, "no such fact in this case")
    target = index.at(fact_id)
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


@check(FactCorrected)
def _correction(index: CaseIndex, fact: FactCorrected) -> None:
    target = _target(index, fact.corrects, "corrects")
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
    opening = index.opening()
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
        _declared(index, replacement, replacing=True)
        _still_consistent(index, target.claim, replacement.amount)
    elif isinstance(replacement, CaseOpened):
        try:
            _opened(index, replacement)
        except InvalidInputError as e:
            raise InvalidInputError(f"changes.{e.field}", e.value, e.reason) from e
        for other in index.log:
            current = index.at(other.id)
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
        _reduction(index, replacement, replaced=target.amount)
    elif type(replacement) in _CHECKS and not isinstance(
        replacement,
        CaseConverted
        | CreditorRegistered
        | PlanAdopted
        | ReliefRequested
        | ClaimRelieved,
    ):
        _CHECKS[type(replacement)](index, replacement)


def _still_consistent(index: CaseIndex, claim: str, declared: Money) -> None:
    for other in index.facts_about(claim):
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


@check(FactVoided)
def _void(index: CaseIndex, fact: FactVoided) -> None:
    target = _target(index, fact.voids, "voids")
    if isinstance(target, CaseOpened):
        raise InvalidInputError(
            "voids",
            fact.voids,
            "the opening judgment cannot be voided; correct it instead",
        )
    if isinstance(target, CreditorRegistered):
        for claim in index.creditor_claims.get(target.creditor, ()):
            if index.declaration(claim) is not None:
                raise InvalidInputError(
                    "voids",
                    fact.voids,
                    f"creditor has live claim {claim}: void its claims first",
                )
    for other in _dependants(index, target):
        raise InvalidInputError(
            "voids",
            fact.voids,
            f"live fact {other.id} ({other.kind}) rests on it: void that first",
        )


def _dependants(index: CaseIndex, target: Fact) -> list[Fact]:
    """The live facts that would point at nothing if `target` were voided: what is
    recorded about a claim, the AGS advance and the contribution that name a claim, the
    revivals of a waiver, the contributions under a commitment, the severance and AGS
    advances of a departed employee."""
    live = [
        f
        for f in (index.at(i) for i in index.versions)
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


# --- the plan ---------------------------------------------------------------------------


def _plan(index: CaseIndex) -> list[Fact]:
    return [f for f in (index.at(i) for i in index.subjects.get("plan", ())) if f]


def _adopted(index: CaseIndex, fact: Fact) -> PlanAdopted:
    plan = _plan(index)
    adopted = next((f for f in plan if isinstance(f, PlanAdopted)), None)
    if adopted is None:
        raise InvalidInputError("case", fact.case, "no plan is adopted in this case")
    if fact.effective_on < adopted.effective_on:
        raise InvalidInputError(
            "effective_on",
            fact.effective_on.isoformat(),
            f"is before the plan's adoption on {adopted.effective_on.isoformat()}",
        )
    ended = next((f for f in plan if isinstance(f, PlanResolved | PlanCompleted)), None)
    if ended is not None and not isinstance(fact, InstalmentRemitted):
        raise InvalidInputError(
            "case",
            fact.case,
            f"the plan ended ({ended.kind}) on {ended.effective_on.isoformat()}",
        )
    return adopted


def _percents(field: str, percents: tuple[Decimal, ...]) -> None:
    try:
        percent_schedule(
            Money(0), list(percents), date(2000, 1, 1), FirstDue.FIRST_ANNIVERSARY
        )
    except InvalidInputError as e:
        raise InvalidInputError(field, e.value, e.reason) from e


@check(PlanAdopted)
def _plan_adopted(index: CaseIndex, fact: PlanAdopted) -> None:
    if any(isinstance(f, PlanAdopted) for f in _plan(index)):
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
        _percents(f"options[{i}].percents", option.percents)
    for field in ("uniform_option", "default_option"):
        value = getattr(fact, field)
        if value is not None and value not in ids:
            raise UnknownReferenceError(
                field, value, "is not one of the options " + ", ".join(ids)
            )


@check(ConsultationAnswered)
def _answered(index: CaseIndex, fact: ConsultationAnswered) -> None:
    if index.creditor(fact.creditor) is None:
        raise UnknownReferenceError("creditor", fact.creditor, "no such creditor")
    if fact.answer is Answer.ACCEPTS and not fact.option:
        raise InvalidInputError("option", None, "an acceptance names the option")
    adopted = next((f for f in _plan(index) if isinstance(f, PlanAdopted)), None)
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


@check(InstalmentRemitted)
def _remitted(index: CaseIndex, fact: InstalmentRemitted) -> None:
    _adopted(index, fact)
    _positive(fact.amount)


@check(PlanModified)
def _plan_modified(index: CaseIndex, fact: PlanModified) -> None:
    adopted = _adopted(index, fact)
    if fact.effective_on <= adopted.effective_on:
        raise InvalidInputError(
            "effective_on",
            fact.effective_on.isoformat(),
            "a modification follows the adoption",
        )
    _percents("percents", fact.percents)
    if fact.duration_years < 1:
        raise InvalidInputError(
            "duration_years", fact.duration_years, "a plan lasts at least one year"
        )


@check(PlanResolved, PlanCompleted)
def _plan_ended(index: CaseIndex, fact: Fact) -> None:
    _adopted(index, fact)


# --- group support ------------------------------------------------------------------------


@check(ClaimRescheduled)
def _rescheduled(index: CaseIndex, fact: ClaimRescheduled) -> None:
    _claim(index, fact)
    _percents("percents", fact.percents)


@check(WaiverRevived)
def _revived(index: CaseIndex, fact: WaiverRevived) -> None:
    _claim(index, fact)
    waiver = index.at(fact.waiver) if fact.waiver in index.versions else None
    if not isinstance(waiver, ClaimWrittenOff) or waiver.claim != fact.claim:
        raise UnknownReferenceError(
            "waiver", fact.waiver, f"is not a waiver of claim {fact.claim}"
        )
    if waiver.clause is not WriteOffClause.BETTER_FORTUNE:
        raise InvalidInputError(
            "waiver",
            fact.waiver,
            "a pure waiver is final: only a better-fortune clause can revive",
        )
    _positive(fact.amount)
    revived = sum(
        f.amount.cents
        for f in index.facts_about(fact.claim)
        if isinstance(f, WaiverRevived) and f.waiver == fact.waiver
    )
    left = waiver.amount.cents - revived
    if fact.amount.cents > left:
        raise InvalidInputError(
            "amount",
            fact.amount.plain(),
            f"exceeds the {Money(left).plain()} still waived",
        )


def _commitment(index: CaseIndex, commitment: str) -> CapitalCommitted | None:
    for fact_id in index.subjects.get("support", ()):
        fact = index.at(fact_id)
        if isinstance(fact, CapitalCommitted) and fact.commitment == commitment:
            return fact
    return None


@check(CapitalCommitted)
def _committed(index: CaseIndex, fact: CapitalCommitted) -> None:
    if _commitment(index, fact.commitment) is not None:
        raise DuplicateError("commitment", fact.commitment, "is already recorded")
    if not fact.tranches:
        raise InvalidInputError("tranches", [], "a commitment has at least one tranche")
    for i, tranche in enumerate(fact.tranches):
        _positive(tranche.amount, f"tranches[{i}].amount")


@check(ContributionReceived)
def _received(index: CaseIndex, fact: ContributionReceived) -> None:
    commitment = _commitment(index, fact.commitment)
    if commitment is None:
        raise UnknownReferenceError("commitment", fact.commitment, "no such commitment")
    _positive(fact.amount)
    if fact.form is not ContributionForm.CURRENT_ACCOUNT_ADVANCE:
        if fact.claim is not None:
            raise InvalidInputError(
                "claim",
                fact.claim,
                f"a {fact.form.value} is not a debt: it creates no claim",
            )
        return
    # A current-account advance is new money lent to the company: a post-opening debt
    # with the new-money privilege (L622-17 III 2°, L626-10), recorded as its claim.
    declared = index.declaration(fact.claim) if fact.claim else None
    if declared is None:
        raise UnknownReferenceError(
            "claim",
            fact.claim,
            "a current-account advance names the new-money claim recorded with it",
        )
    if (
        declared.rank is not Rank.NEW_MONEY
        or declared.amount != fact.amount
        or declared.creditor != commitment.investor
    ):
        raise InvalidInputError(
            "claim",
            fact.claim,
            f"must be the investor's new-money claim of {fact.amount.plain()}",
        )


# --- employment and the AGS ---------------------------------------------------------------


def _departure(index: CaseIndex, employee: str) -> EmployeeDeparted | None:
    for fact_id in index.subjects.get("employment", ()):
        fact = index.at(fact_id)
        if isinstance(fact, EmployeeDeparted) and fact.employee == employee:
            return fact
    return None


@check(EmployeeDeparted)
def _departed(index: CaseIndex, fact: EmployeeDeparted) -> None:
    if _departure(index, fact.employee) is not None:
        raise DuplicateError("employee", fact.employee, "has already left")
    if fact.seniority_months < 0:
        raise InvalidInputError(
            "seniority_months", fact.seniority_months, "cannot be negative"
        )
    if fact.monthly_pay.is_negative:
        raise InvalidInputError(
            "monthly_pay", fact.monthly_pay.plain(), "cannot be negative"
        )


@check(SeveranceAgreed, SeverancePaid)
def _severance(index: CaseIndex, fact: SeveranceAgreed | SeverancePaid) -> None:
    if _departure(index, fact.employee) is None:
        raise UnknownReferenceError("employee", fact.employee, "no departure recorded")
    _positive(fact.amount)


@check(AgsAdvanced)
def _ags(index: CaseIndex, fact: AgsAdvanced) -> None:
    if index.declaration(fact.employee_claim) is None:
        raise UnknownReferenceError(
            "employee_claim", fact.employee_claim, "no such claim is declared"
        )
    for field in ("superprivileged", "privileged"):
        if getattr(fact, field).is_negative:
            raise InvalidInputError(
                field, getattr(fact, field).plain(), "cannot be negative"
            )
    _positive(fact.amount)
    owed = claim_balance(index, fact.employee_claim, None, index.head).outstanding
    if fact.amount > owed:
        raise InvalidInputError(
            "superprivileged",
            fact.amount.plain(),
            f"the advance exceeds the {owed.plain()} the employee is owed",
        )
    # Subrogation (L3253-16): the AGS holds the same amount, at the ranks it paid.
    for part, claim_field, rank in (
        ("superprivileged", "superprivileged_claim", Rank.AGS_SUPERPRIVILEGED),
        ("privileged", "privileged_claim", Rank.SALARY_PRIVILEGED),
    ):
        amount: Money = getattr(fact, part)
        claim = getattr(fact, claim_field)
        if not amount:
            continue
        declared = index.declaration(claim) if claim else None
        creditor = index.creditor(declared.creditor) if declared else None
        if (
            declared is None
            or declared.rank is not rank
            or declared.amount != amount
            or creditor is None
            or creditor.creditor_kind is not CreditorKind.AGS
        ):
            raise InvalidInputError(
                claim_field,
                claim,
                f"must be the AGS's {rank.value} claim of {amount.plain()}",
            )
