"""Hypothesis strategies for plandebt's values and histories, for our tests and yours.

    from hypothesis import given
    from plandebt.strategies import case_histories

    @given(case_histories())
    def test_my_report(facts): ...

`case_histories()` draws a whole case — opening, creditors, claims, decisions,
payments, remissions, write-offs, corrections and voids — and keeps only what the
ledger's own validation accepts, so every history can be recorded as it is. Needs the
`test` extra (hypothesis).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

from plandebt.calendar import anniversary
from plandebt.decisions import decide
from plandebt.errors import InvalidInputError
from plandebt.events import (
    AgsAdvanced,
    Answer,
    CapitalCommitted,
    CaseOpened,
    ClaimAdmitted,
    ClaimContested,
    ClaimDeclared,
    ClaimRejected,
    ClaimWrittenOff,
    Condition,
    ConsultationAnswered,
    ContributionForm,
    ContributionReceived,
    CreditorKind,
    CreditorRegistered,
    DeclaredBy,
    DepartureKind,
    EmployeeDeparted,
    Fact,
    FactCorrected,
    FactVoided,
    InstalmentRemitted,
    PaymentBasis,
    PaymentMade,
    PlanAdopted,
    PlanModified,
    PlanOption,
    ProcedureKind,
    Rank,
    RemissionBasis,
    RemissionGranted,
    Tranche,
    WaiverRevived,
    WriteOffClause,
)
from plandebt.money import Money
from plandebt.projections.index import CaseIndex
from plandebt.schedules import FirstDue

if TYPE_CHECKING:
    from plandebt.ruleset import Ruleset

MAX_CENTS = 10**11  # a billion euros: more than any claim in a French proceeding


def money(min_cents: int = 0, max_cents: int = MAX_CENTS) -> st.SearchStrategy[Money]:
    return st.integers(min_cents, max_cents).map(Money)


@st.composite
def money_texts(draw: st.DrawFn) -> tuple[Money, str]:
    """An amount and one of the ways people write it ("3 447 000,00", "3447000.5"...)."""
    amount = draw(money(-MAX_CENTS, MAX_CENTS))
    style = draw(st.sampled_from(["plain", "french", "french_symbol", "units"]))
    if style == "units":
        amount = Money(amount.cents - amount.cents % 100)
        sign = "-" if amount.cents < 0 else ""
        return amount, f"{sign}{abs(amount.cents) // 100}"
    if style == "plain":
        return amount, amount.plain()
    return amount, amount.french(symbol=style == "french_symbol")


def dates(
    min_value: date = date(2010, 1, 1), max_value: date = date(2035, 12, 31)
) -> st.SearchStrategy[date]:
    return st.dates(min_value, max_value)


class _Draft:
    """A history being drawn: candidate facts are offered to the ledger's own
    validation and kept when it accepts them (a batch all or nothing, as in the
    ledger), so that every history drawn can be recorded as it is."""

    _CLOCK = datetime(2030, 1, 1, tzinfo=UTC)

    def __init__(self, case: str, facts: list[Fact] | None = None) -> None:
        self.index = CaseIndex(case)
        self.accepted: list[Fact] = []
        for fact in facts or ():
            self.index.add(fact.stamped(self.index.head + 1, self._CLOCK))
            self.accepted.append(fact)

    def offer(self, *batch: Fact) -> bool:
        self.index.begin()
        try:
            for fact in batch:
                decide(self.index, fact)
                self.index.add(fact.stamped(self.index.head + 1, self._CLOCK))
        except InvalidInputError:
            self.index.rollback()
            return False
        self.index.commit()
        self.accepted.extend(batch)
        return True


_OPERATIONS = [
    "admit",
    "admit_part",
    "reject",
    "contest",
    "pay",
    "pay",
    "pay",
    "remit",
    "write_off",
    "correct_payment",
    "void_payment",
    "correct_declared",
]


@st.composite
def case_histories(
    draw: st.DrawFn,
    case: str = "CASE-1",
    max_creditors: int = 4,
    max_claims: int = 8,
    max_operations: int = 30,
) -> list[Fact]:
    """A valid history of one case, in recording order (facts not yet stamped)."""
    draft = _Draft(case)
    index, accepted, offer = draft.index, draft.accepted, draft.offer

    opened = draw(dates(date(2015, 1, 1), date(2025, 12, 31)))
    n = len(accepted)
    offer(
        CaseOpened(
            case=case,
            id=f"f{n}",
            effective_on=opened,
            procedure=draw(st.sampled_from(list(ProcedureKind))),
            court="Tribunal",
            debtor="Debtor SA",
            bodacc_published_on=opened + timedelta(days=draw(st.integers(0, 30))),
        )
    )
    creditors = [f"CR{i}" for i in range(draw(st.integers(1, max_creditors)))]
    for creditor in creditors:
        offer(
            CreditorRegistered(
                case=case,
                id=f"f{len(accepted)}",
                effective_on=opened,
                creditor=creditor,
                name=f"Creditor {creditor}",
                creditor_kind=draw(st.sampled_from(list(CreditorKind))),
                abroad=draw(st.booleans()),
            )
        )
    claims: list[str] = []
    for i in range(draw(st.integers(1, max_claims))):
        declared_on = opened + timedelta(days=draw(st.integers(0, 400)))
        origin_on = declared_on - timedelta(days=draw(st.integers(0, 900)))
        claim = f"C{i}"
        if offer(
            ClaimDeclared(
                case=case,
                id=f"f{len(accepted)}",
                effective_on=declared_on,
                claim=claim,
                creditor=draw(st.sampled_from(creditors)),
                amount=draw(money(1, 10**9)),
                origin_on=origin_on,
                rank=draw(st.sampled_from(list(Rank))),
                declared_by=draw(st.sampled_from(list(DeclaredBy))),
            )
        ):
            claims.append(claim)
    money_facts: list[Fact] = []
    for _ in range(draw(st.integers(0, max_operations))):
        claim = draw(st.sampled_from(claims))
        declared = index.declaration(claim)
        assert declared is not None
        op = draw(st.sampled_from(_OPERATIONS))
        fid = f"f{len(accepted)}"
        when = declared.effective_on + timedelta(days=draw(st.integers(0, 4000)))
        amount = draw(money(1, declared.amount.cents))
        fact: Fact | None = None
        if op == "admit":
            fact = ClaimAdmitted(case=case, id=fid, effective_on=when, claim=claim)
        elif op == "admit_part":
            fact = ClaimAdmitted(
                case=case, id=fid, effective_on=when, claim=claim, amount=amount
            )
        elif op == "reject":
            fact = ClaimRejected(case=case, id=fid, effective_on=when, claim=claim)
        elif op == "contest":
            fact = ClaimContested(case=case, id=fid, effective_on=when, claim=claim)
        elif op == "pay":
            fact = PaymentMade(
                case=case,
                id=fid,
                effective_on=when,
                claim=claim,
                amount=amount,
                basis=draw(
                    st.sampled_from(
                        [
                            b
                            for b in PaymentBasis
                            if b is not PaymentBasis.JC_AUTHORISATION
                        ]
                    )
                ),
            )
        elif op == "remit":
            fact = RemissionGranted(
                case=case,
                id=fid,
                effective_on=when,
                claim=claim,
                amount=amount,
                basis=RemissionBasis.CREDITOR_AGREEMENT,
            )
        elif op == "write_off":
            fact = ClaimWrittenOff(
                case=case, id=fid, effective_on=when, claim=claim, amount=amount
            )
        elif op == "correct_declared":
            fact = FactCorrected(
                case=case,
                id=fid,
                effective_on=declared.effective_on,
                corrects=declared.id,
                changes={"amount": draw(money(1, 10**9)).plain()},
            )
        elif money_facts:
            target = draw(st.sampled_from(money_facts))
            if op == "void_payment":
                fact = FactVoided(
                    case=case, id=fid, effective_on=target.effective_on, voids=target.id
                )
            else:
                fact = FactCorrected(
                    case=case,
                    id=fid,
                    effective_on=target.effective_on,
                    corrects=target.id,
                    changes={"amount": draw(money(1, 10**9)).plain()},
                )
        if (
            fact is not None
            and offer(fact)
            and isinstance(fact, PaymentMade | RemissionGranted | ClaimWrittenOff)
        ):
            money_facts.append(fact)
    return accepted


def percent_patterns(max_years: int = 10) -> st.SearchStrategy[list[Decimal]]:
    """Percentages of a claim per plan year, adding up to at most 100."""
    return st.lists(
        st.decimals(0, 100, places=2, allow_nan=False, allow_infinity=False),
        min_size=1,
        max_size=max_years,
    ).filter(lambda ps: sum(ps) <= 100)


@st.composite
def plan_histories(draw: st.DrawFn, case: str = "CASE-1") -> list[Fact]:
    """A case with a plan: claims and decisions, then the adoption with two options,
    creditors' answers, remittances, dividends and perhaps a modification — each
    fact kept only if the ledger's validation accepts it."""
    facts = draw(case_histories(case=case, max_operations=10))
    draft = _Draft(case, facts)
    index, accepted, offer = draft.index, draft.accepted, draft.offer

    opening = index.opening()
    assert opening is not None
    adopted_on = opening.effective_on + timedelta(days=draw(st.integers(100, 600)))
    uniform = draw(percent_patterns())
    uniform[-1] += 100 - sum(uniform)  # the imposed delays repay everything
    options = (
        PlanOption(option="uniform", percents=tuple(uniform)),
        PlanOption(option="fast", percents=tuple(draw(percent_patterns(3)))),
    )
    duration = draw(st.integers(len(uniform), 10))
    offer(
        PlanAdopted(
            case=case,
            id=f"p{len(accepted)}",
            effective_on=adopted_on,
            duration_years=duration,
            supervisor="Supervisor",
            options=options,
            uniform_option="uniform",
            default_option=draw(st.sampled_from(["uniform", "fast"])),
            first_due=draw(st.sampled_from(list(FirstDue))),
        )
    )
    for creditor in index.creditors:
        answer = draw(st.sampled_from(list(Answer)))
        offer(
            ConsultationAnswered(
                case=case,
                id=f"p{len(accepted)}",
                effective_on=adopted_on,
                creditor=creditor,
                answer=answer,
                option="fast" if answer is Answer.ACCEPTS else None,
            )
        )
    claims = list(index.claims)
    for _ in range(draw(st.integers(0, 12))):
        when = adopted_on + timedelta(days=draw(st.integers(0, 3700)))
        if draw(st.booleans()):
            offer(
                InstalmentRemitted(
                    case=case,
                    id=f"p{len(accepted)}",
                    effective_on=when,
                    amount=draw(money(1, 10**9)),
                )
            )
        else:
            offer(
                PaymentMade(
                    case=case,
                    id=f"p{len(accepted)}",
                    effective_on=when,
                    claim=draw(st.sampled_from(claims)),
                    amount=draw(money(1, 10**8)),
                    basis=PaymentBasis.PLAN_DIVIDEND,
                )
            )
    if draw(st.booleans()):
        offer(
            PlanModified(
                case=case,
                id=f"p{len(accepted)}",
                effective_on=adopted_on + timedelta(days=draw(st.integers(1, 3000))),
                percents=tuple(draw(percent_patterns(5))),
                duration_years=10,
            )
        )
    return accepted


def procedures() -> st.SearchStrategy[tuple[ProcedureKind, date]]:
    """A procedure kind and an opening date, on both sides of the 2021 reform."""
    return st.tuples(
        st.sampled_from(
            [ProcedureKind.SAUVEGARDE, ProcedureKind.REDRESSEMENT_JUDICIAIRE]
        ),
        dates(date(2016, 1, 1), date(2026, 12, 31)),
    )


def _whole_rule(rules: Ruleset, key: str) -> int:
    value = rules[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"rule {key} is {value!r}, not a whole number")
    return value


def _percent_rule(rules: Ruleset, key: str) -> Decimal:
    value = rules[key]
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(f"rule {key} is {value!r}, not a percentage")
    return Decimal(value)


#: The ways `plan_proposals(broken=...)` can break a draft plan, each the id of the
#: one compliance rule that then fails.
PROPOSAL_BREAKS = (
    "L626-12.plan-too-long",
    "L626-18.first-payment-late",
    "L626-18.annuity-below-minimum",
    "L626-18.delays-beyond-duration",
    "L626-18.imposed-sum",
)


@st.composite
def plan_proposals(
    draw: st.DrawFn, broken: str | None = None
) -> tuple[dict[str, Any], date]:
    """A draft plan (the fields of a plan.adopted line) and the opening date it is
    judged under: lawful under the ruleset in force for that date, or, with
    `broken=<rule id>` (one of PROPOSAL_BREAKS), breaking exactly that rule."""
    from plandebt.ruleset import ruleset_for

    _kind, opened_on = draw(procedures())
    rules = ruleset_for(opened_on)
    max_years = _whole_rule(rules, "plan_max_years")
    start_year = _whole_rule(rules, "min_annuity_start_year")
    step_up_year = _whole_rule(rules, "min_annuity_step_up_year")
    minimum_percent = _percent_rule(rules, "min_annuity_percent")
    step_up_percent = _percent_rule(rules, "min_annuity_step_up_percent")
    adopted_on = opened_on + timedelta(days=draw(st.integers(60, 500)))
    duration = draw(st.integers(step_up_year, max_years))
    years = draw(st.integers(step_up_year, duration))
    # Lawful imposed delays: at least the minimum from each threshold year, the first
    # payment in year one, the rest spread so the total is exactly 100.
    floor: list[Decimal] = []
    for k in range(1, years + 1):
        if k >= step_up_year:
            floor.append(step_up_percent)
        elif k >= start_year:
            floor.append(minimum_percent)
        else:
            floor.append(Decimal(0))
    floor[0] = max(floor[0], Decimal(1))
    percents = list(floor)
    spare = Decimal(100) - sum(percents)
    weights = draw(st.lists(st.integers(0, 5), min_size=years, max_size=years))
    if not any(weights):
        weights[-1] = 1
    shares = Money(int(spare * 100)).split(weights)
    percents = [
        p + Decimal(s.cents) / 100 for p, s in zip(percents, shares, strict=True)
    ]
    plan: dict[str, Any] = {
        "adopted_on": adopted_on.isoformat(),
        "duration_years": duration,
        "uniform_option": "uniform",
        "options": [{"option": "uniform", "percents": [str(p) for p in percents]}],
    }
    if broken == "L626-12.plan-too-long":
        plan["duration_years"] = max_years + draw(st.integers(1, 5))
    elif broken == "L626-18.first-payment-late":
        plan["first_due_on"] = (
            anniversary(adopted_on, 1) + timedelta(days=draw(st.integers(1, 90)))
        ).isoformat()
        plan["duration_years"] = max(duration, years + 1)
        if plan["duration_years"] > max_years:
            plan["duration_years"] = max_years
            percents = percents[:-1]
            percents[-1] += Decimal(100) - sum(percents)
            plan["options"][0]["percents"] = [str(p) for p in percents]
    elif broken == "L626-18.annuity-below-minimum":
        k = draw(st.integers(start_year, years))
        minimum = step_up_percent if k >= step_up_year else minimum_percent
        short = Decimal(draw(st.integers(1, int(minimum * 100)))) / 100
        moved = percents[k - 1] - minimum + short
        percents[k - 1] = percents[k - 1] - moved
        percents[0] += moved  # keep the total at 100: only the minimum is broken
        plan["options"][0]["percents"] = [str(p) for p in percents]
    elif broken == "L626-18.delays-beyond-duration":
        plan["duration_years"] = years - 1
    elif broken == "L626-18.imposed-sum":
        percents[0] = percents[0] + Decimal(draw(st.integers(1, 300))) / 100
        plan["options"][0]["percents"] = [str(p) for p in percents]
    elif broken is not None:
        raise ValueError(f"unknown break {broken!r}; one of {PROPOSAL_BREAKS}")
    return plan, opened_on


def journals(**kwargs: Any) -> st.SearchStrategy[list[dict[str, Any]]]:
    """A case history as journal lines (what `plandebt record` reads)."""
    return case_histories(**kwargs).map(lambda facts: [f.to_dict() for f in facts])


@st.composite
def support_and_employment_histories(
    draw: st.DrawFn, case: str = "CASE-1"
) -> list[Fact]:
    """A case with a plan, then the group's support (commitments, contributions in
    capital or current-account advances, waivers that may revive) and employment
    (departures, severance, AGS advances by subrogation) — each fact kept only if the
    ledger's validation accepts it."""
    facts = draw(plan_histories(case=case))
    draft = _Draft(case, facts)
    index, accepted, offer = draft.index, draft.accepted, draft.offer

    opening = index.opening()
    assert opening is not None
    opened_on = opening.effective_on
    n = len(accepted)
    tranches = tuple(
        Tranche(
            due_on=opened_on + timedelta(days=draw(st.integers(30, 2000))),
            amount=draw(money(1, 10**8)),
        )
        for _ in range(draw(st.integers(1, 3)))
    )
    form = draw(st.sampled_from(list(ContributionForm)))
    if "GROUP" not in index.creditors:
        offer(
            CreditorRegistered(
                case=case,
                id=f"s{n}",
                effective_on=opened_on,
                creditor="GROUP",
                name="Group",
                creditor_kind=CreditorKind.GROUP_COMPANY,
            )
        )
    offer(
        CapitalCommitted(
            case=case,
            id=f"s{len(accepted)}",
            effective_on=opened_on,
            commitment="K",
            investor="GROUP",
            tranches=tranches,
            form=form,
            condition=draw(st.sampled_from(list(Condition))),
        )
    )
    for _ in range(draw(st.integers(0, 3))):
        when = opened_on + timedelta(days=draw(st.integers(0, 2000)))
        amount = draw(money(1, 10**8))
        fid = f"s{len(accepted)}"
        if form is ContributionForm.CURRENT_ACCOUNT_ADVANCE:
            offer(
                ClaimDeclared(
                    case=case,
                    id=f"{fid}d",
                    effective_on=when,
                    claim=f"ADV-{fid}",
                    creditor="GROUP",
                    amount=amount,
                    origin_on=when,
                    rank=Rank.NEW_MONEY,
                    declared_by=DeclaredBy.DEBTOR_LIST,
                ),
                ContributionReceived(
                    case=case,
                    id=fid,
                    effective_on=when,
                    commitment="K",
                    amount=amount,
                    form=form,
                    claim=f"ADV-{fid}",
                ),
            )
        else:
            offer(
                ContributionReceived(
                    case=case,
                    id=fid,
                    effective_on=when,
                    commitment="K",
                    amount=amount,
                    form=form,
                )
            )
    claims = [c for c in index.claims if index.declaration(c) is not None]
    for _ in range(draw(st.integers(0, 3))):
        claim = draw(st.sampled_from(claims))
        fid = f"s{len(accepted)}"
        waiver = ClaimWrittenOff(
            case=case,
            id=fid,
            effective_on=opened_on + timedelta(days=draw(st.integers(0, 800))),
            claim=claim,
            amount=draw(money(1, 10**7)),
            clause=draw(st.sampled_from(list(WriteOffClause))),
            disclosed=draw(st.booleans()),
        )
        if offer(waiver) and draw(st.booleans()):
            offer(
                WaiverRevived(
                    case=case,
                    id=f"{fid}r",
                    effective_on=waiver.effective_on
                    + timedelta(days=draw(st.integers(0, 900))),
                    claim=claim,
                    waiver=fid,
                    amount=draw(money(1, waiver.amount.cents)),
                )
            )
    if "AGS" not in index.creditors:
        offer(
            CreditorRegistered(
                case=case,
                id=f"s{len(accepted)}",
                effective_on=opened_on,
                creditor="AGS",
                name="AGS",
                creditor_kind=CreditorKind.AGS,
            )
        )
    for e in range(draw(st.integers(0, 3))):
        employee = f"EMP{e}"
        left = opened_on + timedelta(days=draw(st.integers(-30, 900)))
        fid = f"s{len(accepted)}"
        offer(
            EmployeeDeparted(
                case=case,
                id=fid,
                effective_on=max(left, opened_on),
                employee=employee,
                departure=draw(st.sampled_from(list(DepartureKind))),
                seniority_months=draw(st.integers(0, 480)),
                monthly_pay=draw(money(150000, 900000)),
            )
        )
        owed = draw(money(2, 10**7))
        if not offer(
            CreditorRegistered(
                case=case,
                id=f"{fid}c",
                effective_on=opened_on,
                creditor=employee,
                name=employee,
                creditor_kind=CreditorKind.EMPLOYEE,
            ),
            ClaimDeclared(
                case=case,
                id=f"{fid}d",
                effective_on=max(left, opened_on),
                claim=f"{employee}-1",
                creditor=employee,
                amount=owed,
                origin_on=max(left, opened_on),
                rank=Rank.SALARY_PRIVILEGED,
                declared_by=DeclaredBy.MANDATAIRE,
            ),
        ):
            continue
        advanced = draw(money(1, owed.cents))
        superprivileged = Money(advanced.cents // 2)
        privileged = advanced - superprivileged
        batch: list[Fact] = []
        for part, suffix, rank in (
            (superprivileged, "SP", Rank.AGS_SUPERPRIVILEGED),
            (privileged, "P", Rank.SALARY_PRIVILEGED),
        ):
            if part:
                batch.append(
                    ClaimDeclared(
                        case=case,
                        id=f"{fid}{suffix}",
                        effective_on=max(left, opened_on),
                        claim=f"{employee}-1-AGS-{suffix}",
                        creditor="AGS",
                        amount=part,
                        origin_on=max(left, opened_on),
                        rank=rank,
                        declared_by=DeclaredBy.MANDATAIRE,
                    )
                )
        batch.append(
            AgsAdvanced(
                case=case,
                id=f"{fid}a",
                effective_on=max(left, opened_on),
                employee=employee,
                employee_claim=f"{employee}-1",
                superprivileged=superprivileged,
                privileged=privileged,
                superprivileged_claim=f"{employee}-1-AGS-SP",
                privileged_claim=f"{employee}-1-AGS-P",
            )
        )
        offer(*batch)
    return accepted
