"""Hypothesis strategies for plandebt's values and histories, for our tests and yours.

    from hypothesis import given
    from plandebt.strategies import case_histories

    @given(case_histories())
    def test_my_report(facts): ...

`case_histories()` draws a whole case — opening, creditors, claims, decisions,
payments, remissions, write-offs, corrections and voids — and keeps only what the
ledger's own validation accepts, so every history can be recorded as it is.
`history_with(kind)` draws a history that holds a fact of any given kind (the
classes of `plandebt.fact_kinds()`, each a key of `FACT_STRATEGIES`). Needs the
`test` extra (hypothesis).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
from hypothesis import strategies as st

from plandebt.calendar import anniversary
from plandebt.decisions import Record, decide, evolve, initial_state
from plandebt.errors import InvalidInputError
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
    Funding,
    InstalmentRemitted,
    InterestAccrued,
    InterestBasis,
    InterestRegime,
    PaymentBasis,
    PaymentMade,
    PaymentsCeased,
    PlanAdopted,
    PlanCompleted,
    PlanModified,
    PlanOption,
    PlanResolved,
    ProcedureKind,
    Rank,
    ReliefRequested,
    RemissionBasis,
    RemissionGranted,
    ResolutionReason,
    SeveranceAgreed,
    SeverancePaid,
    Tranche,
    WaiverRevived,
    WriteOffClause,
)
from plandebt.lifecycle import USEFUL_RANKS
from plandebt.money import Money
from plandebt.schedules import FirstDue, Frequency

if TYPE_CHECKING:
    pass

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


_F = TypeVar("_F", bound=Fact)


class _Draft:
    """A history being drawn: candidate facts are offered to the ledger's own
    validation and kept when it accepts them (a batch all or nothing, as in the
    ledger), so that every history drawn can be recorded as it is."""

    _CLOCK = datetime(2030, 1, 1, tzinfo=UTC)

    def __init__(self, case: str, facts: list[Fact] | None = None) -> None:
        self.index = initial_state(case)
        self.accepted: list[Fact] = []
        for fact in facts or ():
            evolve(self.index, fact.stamped(self.index.head + 1, self._CLOCK))
            self.accepted.append(fact)

    def offer(self, *batch: Fact) -> bool:
        """Keeps `batch` if the ledger accepts it, all of it; says whether it did."""
        return self._refusal(batch) is None

    def accept_first(self, candidates: Iterable[Sequence[Fact]]) -> None:
        """Keeps the first candidate batch the ledger accepts. The last candidate is
        meant to be valid by construction: if even it is refused, the strategy is
        wrong, and the error says why."""
        refusal: InvalidInputError | None = None
        for batch in candidates:
            refusal = self._refusal(batch)
            if refusal is None:
                return
        raise AssertionError(
            f"plandebt.strategies built no acceptable batch: {refusal}"
        ) from refusal

    def opened_on(self) -> date:
        opening = self.index.opening()
        assert opening is not None, "a history starts with the opening judgment"
        return opening.effective_on

    def fid(self, suffix: str = "") -> str:
        """A fact id no accepted fact has (the other strategies use f, p and s)."""
        return f"k{len(self.accepted)}{suffix}"

    def live(self, kind: type[_F]) -> list[_F]:
        """The accepted facts of `kind` that are not voided, as last corrected."""
        found = []
        for fact in self.accepted:
            current = self.index.at(fact.id)
            if isinstance(current, kind):
                found.append(current)
        return found

    def _refusal(self, batch: Sequence[Fact]) -> InvalidInputError | None:
        trial = self.index.fork()
        try:
            for fact in batch:
                decide(trial, Record(fact))
                evolve(trial, fact.stamped(trial.head + 1, self._CLOCK))
        except InvalidInputError as refusal:
            return refusal
        for fact in batch:  # callers hold on to `index`: it evolves in place
            evolve(self.index, fact.stamped(self.index.head + 1, self._CLOCK))
        self.accepted.extend(batch)
        return None


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
    # The farming facts in every combination the decider accepts: a natural person
    # farming (15 years), a farming company (no minimum annuities only), neither,
    # or the older single flag of journals written before the split.
    #: (farming_natural_person, farming_business, agricultural)
    farming: tuple[bool | None, bool | None, bool | None] = draw(
        st.sampled_from(
            [
                (None, None, None),
                (True, None, None),
                (True, True, None),
                (None, True, None),
                (False, True, None),
                (False, False, None),
                (None, None, True),
            ]
        )
    )
    offer(
        CaseOpened(
            case=case,
            id=f"f{n}",
            effective_on=opened,
            procedure=draw(st.sampled_from(list(ProcedureKind))),
            court="Tribunal",
            debtor="Debtor SA",
            bodacc_published_on=opened + timedelta(days=draw(st.integers(0, 30))),
            # The opening facts, recorded as they happened: the cessation des
            # paiements up to two years back, the debtor's request before the judgment.
            cessation_on=draw(
                st.none() | st.integers(0, 730).map(lambda d: opened - timedelta(d))
            ),
            filed_on=draw(
                st.none() | st.integers(0, 90).map(lambda d: opened - timedelta(d))
            ),
            farming_natural_person=farming[0],
            farming_business=farming[1],
            agricultural=farming[2],
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
    """A case with a plan: claims and decisions, then the adoption with two options
    (each with a frequency, the second with its own first due date, or not),
    creditors' answers, remittances, dividends, decisions after the adoption and
    perhaps a modification — each fact kept only if the ledger's validation accepts
    it."""
    facts = draw(case_histories(case=case, max_operations=10))
    draft = _Draft(case, facts)
    index, accepted, offer = draft.index, draft.accepted, draft.offer

    opening = index.opening()
    assert opening is not None
    adopted_on = opening.effective_on + timedelta(days=draw(st.integers(100, 600)))
    uniform = draw(percent_patterns())
    uniform[-1] += 100 - sum(uniform)  # the imposed delays repay everything
    frequencies = st.none() | st.sampled_from(list(Frequency))
    options = (
        PlanOption(
            option="uniform", percents=tuple(uniform), frequency=draw(frequencies)
        ),
        # Options as plans write them: a first due date of its own, a frequency.
        PlanOption(
            option="fast",
            percents=tuple(draw(percent_patterns(3))),
            first_due_months=draw(st.none() | st.integers(0, 12)),
            frequency=draw(frequencies),
        ),
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
                # Received 40 days before: a silence is an acceptance (L626-5).
                received_on=draw(st.none() | st.just(adopted_on - timedelta(days=40))),
            )
        )
    claims = list(index.claims)
    for _ in range(draw(st.integers(0, 12))):
        when = adopted_on + timedelta(days=draw(st.integers(0, 3700)))
        step = draw(st.sampled_from(["remit", "dividend", "dividend", "decide"]))
        if step == "decide":
            # A decision after the adoption (a dispute decided, an appeal): its
            # catch-up is owed from its date (L626-21).
            claim = draw(st.sampled_from(claims))
            offer(
                ClaimAdmitted(
                    case=case,
                    id=f"p{len(accepted)}",
                    effective_on=when,
                    claim=claim,
                    amount=draw(st.none() | money(0, 10**8)),
                )
                if draw(st.integers(0, 4))
                else ClaimRejected(
                    case=case, id=f"p{len(accepted)}", effective_on=when, claim=claim
                )
            )
        elif step == "remit":
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
                # Some creditors expressly accept it: only they can be remitted
                # what its percentages leave (L626-26).
                accepted_by=_some_of(draw, sorted(index.creditors)),
            )
        )
    return accepted


def _some_of(draw: st.DrawFn, creditors: list[str]) -> tuple[str, ...]:
    """A few of `creditors`, each once, in their order."""
    return tuple(c for c in creditors if draw(st.booleans()))


def procedures() -> st.SearchStrategy[tuple[ProcedureKind, date]]:
    """A procedure kind and an opening date, on both sides of the 2021 reform."""
    return st.tuples(
        st.sampled_from(
            [ProcedureKind.SAUVEGARDE, ProcedureKind.REDRESSEMENT_JUDICIAIRE]
        ),
        dates(date(2016, 1, 1), date(2026, 12, 31)),
    )


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
    max_years = rules.years("plan_max_years")
    start_year = rules.integer("min_annuity_start_year")
    step_up_year = rules.integer("min_annuity_step_up_year")
    minimum_percent = rules.decimal("min_annuity_percent")
    step_up_percent = rules.decimal("min_annuity_step_up_percent")
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
        offer(
            *_ags_advance(
                draw, case, fid, employee, f"{employee}-1", owed, max(left, opened_on)
            )
        )
    return accepted


def _ags_advance(
    draw: st.DrawFn,
    case: str,
    fid: str,
    employee: str,
    employee_claim: str,
    owed: Money,
    on: date,
    ags: str = "AGS",
) -> list[Fact]:
    """The AGS advancing part of what `employee_claim` is owed, and the two claims it
    holds by subrogation (L3253-16), declared for creditor `ags`: a batch."""
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
                    effective_on=on,
                    claim=f"{employee_claim}-AGS-{suffix}",
                    creditor=ags,
                    amount=part,
                    origin_on=on,
                    rank=rank,
                    declared_by=DeclaredBy.MANDATAIRE,
                )
            )
    batch.append(
        AgsAdvanced(
            case=case,
            id=f"{fid}a",
            effective_on=on,
            employee=employee,
            employee_claim=employee_claim,
            superprivileged=superprivileged,
            privileged=privileged,
            superprivileged_claim=f"{employee_claim}-AGS-SP",
            privileged_claim=f"{employee_claim}-AGS-P",
        )
    )
    return batch


# --- a history for each fact kind -------------------------------------------------------
#
# Each fact kind has a step: a generator of candidate batches that end with (at least)
# one fact of that kind, drawn on the history so far. The first candidates act on what
# the history already holds (a claim, a plan, a departure); the last one brings what it
# needs with it (a new claim, a new departure) and is valid by construction, so a step
# never fails to add its kind.

_Candidates = Iterator[tuple[Fact, ...]]
_Step = Callable[[st.DrawFn, _Draft], _Candidates]


def _after(draw: st.DrawFn, day: date, days: int = 1500) -> date:
    return day + timedelta(days=draw(st.integers(0, days)))


def _refs() -> st.SearchStrategy[str | None]:
    return st.none() | st.sampled_from(["RG 21/00042", "ord. 2022-117"])


def _live_creditors(draft: _Draft, kind: CreditorKind | None = None) -> list[str]:
    found = []
    for creditor in draft.index.creditors:
        registered = draft.index.creditor(creditor)
        if registered is not None and kind in (None, registered.creditor_kind):
            found.append(creditor)
    return found


def _new_creditor(
    draw: st.DrawFn, draft: _Draft, suffix: str, kind: CreditorKind | None = None
) -> CreditorRegistered:
    creditor = f"CR-{draft.fid(suffix)}"
    return CreditorRegistered(
        case=draft.index.case,
        id=draft.fid(suffix),
        effective_on=draft.opened_on(),
        creditor=creditor,
        name=f"Creditor {creditor}",
        creditor_kind=kind or draw(st.sampled_from(list(CreditorKind))),
        abroad=draw(st.booleans()),
        address=draw(st.sampled_from([None, f"{len(creditor)} rue des Lilas, Nantes"])),
    )


def _new_claim(
    draw: st.DrawFn, draft: _Draft, suffix: str = "c"
) -> tuple[tuple[Fact, ...], ClaimDeclared]:
    """A claim declared for one of the case's creditors (for a new one if it has none),
    and the facts that declare it: not yet offered."""
    before: tuple[Fact, ...] = ()
    creditors = _live_creditors(draft)
    if creditors:
        creditor = draw(st.sampled_from(creditors))
    else:
        registered = _new_creditor(draw, draft, f"{suffix}r")
        before, creditor = (registered,), registered.creditor
    declared_on = _after(draw, draft.opened_on(), 400)
    # A holder of a published security or contract, perhaps with its personal notice
    # (L622-24 al. 1): received from the opening on, before or after declaring.
    published = draw(st.booleans())
    notice = draw(st.none() | st.integers(0, 200)) if published else None
    # Interest that continues, under one of L622-28's exceptions (or not).
    regime = draw(st.sampled_from(list(InterestRegime)))
    basis = draw(st.none() | st.sampled_from(list(InterestBasis)))
    term = draw(st.none() | st.integers(1, 240))
    origin_on = declared_on - timedelta(days=draw(st.integers(0, 900)))
    rank = draw(st.sampled_from(list(Rank)))
    # Born after the opening: perhaps said to be useful or not (L622-17 I); a useful
    # claim's rank says it already.
    useful = (
        draw(st.none() | st.booleans())
        if origin_on >= draft.opened_on() and rank not in USEFUL_RANKS
        else None
    )
    declared = ClaimDeclared(
        case=draft.index.case,
        id=draft.fid(suffix),
        effective_on=declared_on,
        claim=f"C-{draft.fid(suffix)}",
        creditor=creditor,
        amount=draw(money(1, 10**9)),
        origin_on=origin_on,
        rank=rank,
        declared_by=draw(st.sampled_from(list(DeclaredBy))),
        interest_regime=regime,
        interest_basis=basis,
        loan_term_months=term if basis is not InterestBasis.DEFERRED_PAYMENT else None,
        deferred_payment_months=term
        if basis is InterestBasis.DEFERRED_PAYMENT
        else None,
        published_security=published,
        notice_received_on=None
        if notice is None
        else draft.opened_on() + timedelta(days=notice),
        useful=useful,
    )
    return (*before, declared), declared


def _claims(
    draw: st.DrawFn, draft: _Draft
) -> Iterator[tuple[tuple[Fact, ...], ClaimDeclared]]:
    """Claims to act on, each with the facts to offer before: one of the claims the
    history holds (nothing before), then a new one."""
    declared = draft.live(ClaimDeclared)
    if declared:
        yield (), draw(st.sampled_from(declared))
    yield _new_claim(draw, draft)


def _case_opened(draw: st.DrawFn, draft: _Draft) -> _Candidates:
    yield ()  # every history starts with the opening judgment


def _creditor_registered(draw: st.DrawFn, draft: _Draft) -> _Candidates:
    # A creditor is a party, not an event of the case: it may be known before the
    # opening judgment.
    registered = _new_creditor(draw, draft, "r")
    yield (
        attrs.evolve(
            registered,
            effective_on=registered.effective_on
            + timedelta(days=draw(st.integers(-365, 1000))),
        ),
    )


def _claim_declared(draw: st.DrawFn, draft: _Draft) -> _Candidates:
    yield _new_claim(draw, draft)[0]


def _case_converted(draw: st.DrawFn, draft: _Draft) -> _Candidates:
    when = _after(draw, draft.opened_on())
    ref = draw(_refs())
    cessation = draw(
        st.none() | st.integers(0, 900).map(lambda d: when - timedelta(days=d))
    )
    # The case is under one of the procedures: a conversion to any other is accepted.
    for procedure in draw(st.permutations(list(ProcedureKind))):
        yield (
            CaseConverted(
                case=draft.index.case,
                id=draft.fid(),
                effective_on=when,
                procedure=procedure,
                judgment_ref=ref,
                cessation_on=cessation,
            ),
        )


def _claim_admitted(draw: st.DrawFn, draft: _Draft) -> _Candidates:
    for before, declared in _claims(draw, draft):
        yield (
            *before,
            ClaimAdmitted(
                case=draft.index.case,
                id=draft.fid(),
                effective_on=_after(draw, declared.effective_on),
                claim=declared.claim,
                amount=draw(st.none() | money(1, declared.amount.cents)),
                rank=draw(st.none() | st.sampled_from(list(Rank))),
                decision_ref=draw(_refs()),
            ),
        )


def _decision(kind: type[ClaimRejected | ClaimContested | ClaimForeclosed]) -> _Step:
    def step(draw: st.DrawFn, draft: _Draft) -> _Candidates:
        for before, declared in _claims(draw, draft):
            yield (
                *before,
                kind(
                    case=draft.index.case,
                    id=draft.fid(),
                    effective_on=_after(draw, declared.effective_on),
                    claim=declared.claim,
                    decision_ref=draw(_refs()),
                ),
            )

    return step


def _foreclosed(draw: st.DrawFn, draft: _Draft, declared: ClaimDeclared) -> Fact:
    return ClaimForeclosed(
        case=draft.index.case,
        id=draft.fid("f"),
        effective_on=_after(draw, declared.effective_on, 400),
        claim=declared.claim,
    )


def _relief_request(
    draw: st.DrawFn, draft: _Draft, declared: ClaimDeclared, after: date, fid: str
) -> ReliefRequested:
    """A request for relief, sometimes under al. 3's later-knowledge exception (a
    date from which the creditor could no longer ignore its claim, and why)."""
    when = _after(draw, after, 180)
    knowledge = draw(st.none() | st.integers(0, 400))
    return ReliefRequested(
        case=draft.index.case,
        id=fid,
        effective_on=when,
        claim=declared.claim,
        knowledge_on=None
        if knowledge is None
        else max(declared.origin_on, when - timedelta(days=knowledge)),
        justification=None if knowledge is None else "Invoice found in an audit",
    )


def _relief_requested(draw: st.DrawFn, draft: _Draft) -> _Candidates:
    # Relief is asked for a foreclosed claim (L622-26): foreclose it first. On a claim
    # the history holds, a later decision may stand in the way; a new one is clear.
    for before, declared in _claims(draw, draft):
        foreclosed = _foreclosed(draw, draft, declared)
        yield (
            *before,
            foreclosed,
            _relief_request(
                draw, draft, declared, foreclosed.effective_on, draft.fid()
            ),
        )


def _claim_relieved(draw: st.DrawFn, draft: _Draft) -> _Candidates:
    for before, declared in _claims(draw, draft):
        batch: list[Fact] = [*before, _foreclosed(draw, draft, declared)]
        if draw(st.booleans()):
            batch.append(
                _relief_request(
                    draw, draft, declared, batch[-1].effective_on, draft.fid("q")
                )
            )
        batch.append(
            ClaimRelieved(
                case=draft.index.case,
                id=draft.fid(),
                effective_on=_after(draw, batch[-1].effective_on, 180),
                claim=declared.claim,
                decision_ref=draw(_refs()),
            )
        )
        yield tuple(batch)


def _interest_accrued(draw: st.DrawFn, draft: _Draft) -> _Candidates:
    for before, declared in _claims(draw, draft):
        when = _after(draw, declared.effective_on)
        period = draw(st.none() | st.integers(0, 365))
        yield (
            *before,
            InterestAccrued(
                case=draft.index.case,
                id=draft.fid(),
                effective_on=when,
                claim=declared.claim,
                amount=draw(money(1, 10**7)),
                period_from=None if period is None else when - timedelta(period),
            ),
        )


def _payment_made(draw: st.DrawFn, draft: _Draft) -> _Candidates:
    for before, declared in _claims(draw, draft):
        basis = draw(st.sampled_from(list(PaymentBasis)))
        yield (
            *before,
            PaymentMade(
                case=draft.index.case,
                id=draft.fid(),
                effective_on=_after(draw, declared.effective_on, 4000),
                claim=declared.claim,
                amount=draw(money(1, declared.amount.cents)),
                basis=basis,
                # The juge-commissaire's order is named when it authorises (L622-7 II).
                authorisation_ref="ord. JC 2022-17"
                if basis is PaymentBasis.JC_AUTHORISATION
                else None,
            ),
        )


def _remission_granted(draw: st.DrawFn, draft: _Draft) -> _Candidates:
    # At most what a new claim still owes (its declared amount); a claim the history
    # holds may owe less, and is then refused and a new claim drawn.
    for before, declared in _claims(draw, draft):
        yield (
            *before,
            RemissionGranted(
                case=draft.index.case,
                id=draft.fid(),
                effective_on=_after(draw, declared.effective_on, 4000),
                claim=declared.claim,
                amount=draw(money(1, declared.amount.cents)),
                basis=draw(st.sampled_from(list(RemissionBasis))),
                reference=draw(_refs()),
            ),
        )


def _claim_written_off(draw: st.DrawFn, draft: _Draft) -> _Candidates:
    for before, declared in _claims(draw, draft):
        yield (
            *before,
            ClaimWrittenOff(
                case=draft.index.case,
                id=draft.fid(),
                effective_on=_after(draw, declared.effective_on, 4000),
                claim=declared.claim,
                amount=draw(money(1, declared.amount.cents)),
                clause=draw(st.sampled_from(list(WriteOffClause))),
                disclosed=draw(st.booleans()),
                reference=draw(_refs()),
            ),
        )


def _waiver_revived(draw: st.DrawFn, draft: _Draft) -> _Candidates:
    waivers = [
        w
        for w in draft.live(ClaimWrittenOff)
        if w.clause is WriteOffClause.BETTER_FORTUNE
    ]
    if waivers:  # part of it may have revived already: then refused
        waiver = draw(st.sampled_from(waivers))
        yield (_revival(draw, draft, waiver),)
    for before, declared in _claims(draw, draft):
        waiver = ClaimWrittenOff(
            case=draft.index.case,
            id=draft.fid("w"),
            effective_on=_after(draw, declared.effective_on, 800),
            claim=declared.claim,
            amount=draw(money(1, declared.amount.cents)),
            clause=WriteOffClause.BETTER_FORTUNE,
            disclosed=draw(st.booleans()),
        )
        yield (*before, waiver, _revival(draw, draft, waiver))


def _revival(draw: st.DrawFn, draft: _Draft, waiver: ClaimWrittenOff) -> WaiverRevived:
    return WaiverRevived(
        case=draft.index.case,
        id=draft.fid(),
        effective_on=_after(draw, waiver.effective_on, 900),
        claim=waiver.claim,
        waiver=waiver.id,
        amount=draw(money(1, waiver.amount.cents)),
        condition=draw(st.none() | st.just("net income above 1 M€")),
    )


def _held_elsewhere(draft: _Draft) -> set[str]:
    """Claims whose amount another fact repeats (a contribution's new-money claim,
    the AGS's subrogated claims): a correction of their amount would break that."""
    held: set[str | None] = set()
    for contribution in draft.live(ContributionReceived):
        held.add(contribution.claim)
    for advance in draft.live(AgsAdvanced):
        held |= {advance.superprivileged_claim, advance.privileged_claim}
    return {claim for claim in held if claim is not None}


def _correction(
    draw: st.DrawFn, draft: _Draft, target: ClaimDeclared | PaymentMade
) -> FactCorrected:
    changes: dict[str, Any]
    if isinstance(target, ClaimDeclared):
        if draw(st.booleans()):
            changes = {"description": "declared again with its invoices"}
        else:  # upwards: a claim may not be declared below what was admitted of it
            changes = {"amount": (target.amount + draw(money(1, 10**8))).plain()}
    elif draw(st.booleans()):
        changes = {"amount": draw(money(1, 10**8)).plain()}
    else:
        changes = {"effective_on": _after(draw, draft.opened_on(), 4000).isoformat()}
    return FactCorrected(
        case=draft.index.case,
        id=draft.fid(),
        effective_on=_after(draw, target.effective_on, 400),
        corrects=target.id,
        changes=changes,
        reason=draw(st.none() | st.just("typing error")),
    )


def _fact_corrected(draw: st.DrawFn, draft: _Draft) -> _Candidates:
    held = _held_elsewhere(draft)
    targets: list[ClaimDeclared | PaymentMade] = [
        *(d for d in draft.live(ClaimDeclared) if d.claim not in held),
        *draft.live(PaymentMade),
    ]
    if targets:
        yield (_correction(draw, draft, draw(st.sampled_from(targets))),)
    before, declared = _new_claim(draw, draft)
    yield (*before, _correction(draw, draft, declared))


def _fact_voided(draw: st.DrawFn, draft: _Draft) -> _Candidates:
    # Facts nothing rests on; a waiver that revived is refused (void the revival first).
    targets: list[Fact] = [
        *draft.live(PaymentMade),
        *draft.live(RemissionGranted),
        *draft.live(ClaimWrittenOff),
        *draft.live(InterestAccrued),
    ]
    if targets:
        yield (_void(draw, draft, draw(st.sampled_from(targets))),)
    before, declared = _new_claim(draw, draft)
    if draw(st.booleans()):  # a claim declared by mistake
        yield (*before, _void(draw, draft, declared))
    else:
        payment = PaymentMade(
            case=draft.index.case,
            id=draft.fid("p"),
            effective_on=_after(draw, declared.effective_on),
            claim=declared.claim,
            amount=draw(money(1, declared.amount.cents)),
            basis=PaymentBasis.PLAN_DIVIDEND,
        )
        yield (*before, payment, _void(draw, draft, payment))


def _void(draw: st.DrawFn, draft: _Draft, target: Fact) -> FactVoided:
    return FactVoided(
        case=draft.index.case,
        id=draft.fid(),
        effective_on=_after(draw, target.effective_on, 400),
        voids=target.id,
        reason=draw(st.none() | st.just("recorded twice")),
    )


# --- the plan ---


def _plan(draw: st.DrawFn, draft: _Draft) -> tuple[tuple[Fact, ...], PlanAdopted]:
    """The plan the history adopted, or a new adoption to offer first."""
    adopted = draft.live(PlanAdopted)
    if adopted:
        return (), adopted[0]
    adoption = PlanAdopted(
        case=draft.index.case,
        id=draft.fid("a"),
        effective_on=draft.opened_on() + timedelta(days=draw(st.integers(100, 600))),
        duration_years=draw(st.integers(1, 10)),
        supervisor="Supervisor",
        options=(PlanOption(option="uniform", percents=(Decimal(100),)),),
        uniform_option="uniform",
    )
    return (adoption,), adoption


def _plan_adopted(draw: st.DrawFn, draft: _Draft) -> _Candidates:
    yield _plan(draw, draft)[0]


def _consultation_answered(draw: st.DrawFn, draft: _Draft) -> _Candidates:
    before, adoption = _plan(draw, draft)
    creditors = _live_creditors(draft)
    if not creditors:
        registered = _new_creditor(draw, draft, "r")
        before, creditors = (*before, registered), [registered.creditor]
    answer = draw(st.sampled_from(list(Answer)))
    options = [o.option for o in adoption.options]
    answered_on = max(
        draft.opened_on(),
        adoption.effective_on - timedelta(days=draw(st.integers(0, 60))),
    )
    yield (
        *before,
        ConsultationAnswered(
            case=draft.index.case,
            id=draft.fid(),
            effective_on=answered_on,
            creditor=draw(st.sampled_from(creditors)),
            answer=answer,
            option=draw(st.sampled_from(options)) if answer is Answer.ACCEPTS else None,
            received_on=draw(
                st.none() | st.integers(0, 30).map(lambda d: answered_on - timedelta(d))
            ),
        ),
    )


def _instalment_remitted(draw: st.DrawFn, draft: _Draft) -> _Candidates:
    before, adoption = _plan(draw, draft)
    yield (
        *before,
        InstalmentRemitted(
            case=draft.index.case,
            id=draft.fid(),
            effective_on=_after(draw, adoption.effective_on, 3700),
            amount=draw(money(1, 10**9)),
        ),
    )


def _plan_modified(draw: st.DrawFn, draft: _Draft) -> _Candidates:
    before, adoption = _plan(draw, draft)
    yield (
        *before,
        PlanModified(
            case=draft.index.case,
            id=draft.fid(),
            effective_on=adoption.effective_on
            + timedelta(days=draw(st.integers(1, 3000))),
            percents=tuple(draw(percent_patterns(5))),
            duration_years=draw(st.integers(1, 10)),
            first_due=draw(st.sampled_from(list(FirstDue))),
            judgment_ref=draw(_refs()),
            accepted_by=_some_of(draw, sorted(draft.index.creditors)),
        ),
    )


def _plan_resolved(draw: st.DrawFn, draft: _Draft) -> _Candidates:
    before, adoption = _plan(draw, draft)
    yield (
        *before,
        PlanResolved(
            case=draft.index.case,
            id=draft.fid(),
            effective_on=_after(draw, adoption.effective_on, 3650),
            reason=draw(st.sampled_from(list(ResolutionReason))),
            judgment_ref=draw(_refs()),
        ),
    )


def _plan_completed(draw: st.DrawFn, draft: _Draft) -> _Candidates:
    before, adoption = _plan(draw, draft)
    yield (
        *before,
        PlanCompleted(
            case=draft.index.case,
            id=draft.fid(),
            effective_on=_after(
                draw, anniversary(adoption.effective_on, adoption.duration_years), 365
            ),
            judgment_ref=draw(_refs()),
        ),
    )


def _payments_ceased(draw: st.DrawFn, draft: _Draft) -> _Candidates:
    before, adoption = _plan(draw, draft)
    yield (
        *before,
        PaymentsCeased(
            case=draft.index.case,
            id=draft.fid(),
            effective_on=_after(draw, adoption.effective_on, 3650),
            established_by=draw(st.none() | st.just("commissaire's report")),
        ),
    )


def _claim_rescheduled(draw: st.DrawFn, draft: _Draft) -> _Candidates:
    for before, declared in _claims(draw, draft):
        yield (
            *before,
            ClaimRescheduled(
                case=draft.index.case,
                id=draft.fid(),
                effective_on=_after(draw, declared.effective_on, 800),
                claim=declared.claim,
                percents=tuple(draw(percent_patterns())),
                from_date=draw(st.none() | st.just(_after(draw, draft.opened_on()))),
                first_due=draw(st.sampled_from(list(FirstDue))),
                agreement_ref=draw(_refs()),
            ),
        )


# --- group support ---


def _commitment(
    draw: st.DrawFn, draft: _Draft
) -> tuple[tuple[Fact, ...], CapitalCommitted]:
    """A new commitment by a group company of the case (a new one if it has none)."""
    before: tuple[Fact, ...] = ()
    investors = _live_creditors(draft, CreditorKind.GROUP_COMPANY)
    if investors:
        investor = draw(st.sampled_from(investors))
    else:
        registered = _new_creditor(draw, draft, "g", CreditorKind.GROUP_COMPANY)
        before, investor = (registered,), registered.creditor
    opened_on = draft.opened_on()
    committed = CapitalCommitted(
        case=draft.index.case,
        id=draft.fid("k"),
        effective_on=_after(draw, opened_on, 400),
        commitment=f"K-{draft.fid()}",
        investor=investor,
        tranches=tuple(
            Tranche(due_on=_after(draw, opened_on, 2000), amount=draw(money(1, 10**8)))
            for _ in range(draw(st.integers(1, 3)))
        ),
        condition=draw(st.sampled_from(list(Condition))),
        form=draw(st.sampled_from(list(ContributionForm))),
        reference=draw(_refs()),
    )
    return (*before, committed), committed


def _capital_committed(draw: st.DrawFn, draft: _Draft) -> _Candidates:
    yield _commitment(draw, draft)[0]


def _contribution(
    draw: st.DrawFn, draft: _Draft, commitment: CapitalCommitted
) -> tuple[Fact, ...]:
    when = _after(draw, commitment.effective_on, 2000)
    amount = draw(money(1, 10**8))
    received = ContributionReceived(
        case=draft.index.case,
        id=draft.fid(),
        effective_on=when,
        commitment=commitment.commitment,
        amount=amount,
        form=commitment.form,
    )
    if commitment.form is not ContributionForm.CURRENT_ACCOUNT_ADVANCE:
        return (received,)
    # An advance is new money lent to the company: recorded with its claim (L626-10).
    claim = ClaimDeclared(
        case=draft.index.case,
        id=draft.fid("n"),
        effective_on=when,
        claim=f"ADV-{draft.fid()}",
        creditor=commitment.investor,
        amount=amount,
        origin_on=when,
        rank=Rank.NEW_MONEY,
        declared_by=DeclaredBy.DEBTOR_LIST,
    )
    return (claim, attrs.evolve(received, claim=claim.claim))


def _contribution_received(draw: st.DrawFn, draft: _Draft) -> _Candidates:
    commitments = draft.live(CapitalCommitted)
    if commitments:  # its investor may not be a creditor: then refused
        yield _contribution(draw, draft, draw(st.sampled_from(commitments)))
    before, commitment = _commitment(draw, draft)
    yield (*before, *_contribution(draw, draft, commitment))


# --- employment ---


def _departure(draw: st.DrawFn, draft: _Draft) -> EmployeeDeparted:
    left_on = _after(draw, draft.opened_on(), 900)
    seniority = draw(st.integers(0, 480))
    return EmployeeDeparted(
        case=draft.index.case,
        id=draft.fid("e"),
        effective_on=left_on,
        employee=f"EMP-{draft.fid()}",
        departure=draw(st.sampled_from(list(DepartureKind))),
        seniority_months=seniority,
        monthly_pay=draw(money(150000, 900000)),
        # The contract's date (the AGS's cap), a PSE and a VRP (its windows and days).
        contract_on=draw(st.none() | st.just(left_on - timedelta(days=seniority * 30))),
        pse=draw(st.booleans()),
        sales_representative=draw(st.booleans()),
    )


def _employee_departed(draw: st.DrawFn, draft: _Draft) -> _Candidates:
    yield (_departure(draw, draft),)


def _severance(kind: type[SeveranceAgreed | SeverancePaid]) -> _Step:
    def step(draw: st.DrawFn, draft: _Draft) -> _Candidates:
        departures = draft.live(EmployeeDeparted)
        known: bool = draw(st.booleans()) if departures else False
        before: tuple[Fact, ...] = ()
        if known:
            departed = draw(st.sampled_from(departures))
        else:
            departed = _departure(draw, draft)
            before = (departed,)
        when = _after(draw, departed.effective_on, 365)
        amount = draw(money(1, 10**7))
        if kind is SeveranceAgreed:
            severance: Fact = SeveranceAgreed(
                case=draft.index.case,
                id=draft.fid(),
                effective_on=when,
                employee=departed.employee,
                amount=amount,
            )
        else:
            severance = SeverancePaid(
                case=draft.index.case,
                id=draft.fid(),
                effective_on=when,
                employee=departed.employee,
                amount=amount,
                funding=draw(st.sampled_from(list(Funding))),
            )
        yield (*before, severance)

    return step


def _ags_advanced(draw: st.DrawFn, draft: _Draft) -> _Candidates:
    # A new departure, the employee's wage claim, and the AGS's advance on it.
    departed = _departure(draw, draft)
    employee = _new_creditor(draw, draft, "w", CreditorKind.EMPLOYEE)
    owed = draw(money(1, 10**7))
    claim = ClaimDeclared(
        case=draft.index.case,
        id=draft.fid("d"),
        effective_on=departed.effective_on,
        claim=f"{departed.employee}-1",
        creditor=employee.creditor,
        amount=owed,
        origin_on=departed.effective_on,
        rank=Rank.SALARY_PRIVILEGED,
        declared_by=DeclaredBy.MANDATAIRE,
    )
    batch: list[Fact] = [departed, employee, claim]
    funds = _live_creditors(draft, CreditorKind.AGS)
    if funds:
        ags = draw(st.sampled_from(funds))
    else:
        registered = _new_creditor(draw, draft, "g", CreditorKind.AGS)
        batch.append(registered)
        ags = registered.creditor
    advance = _ags_advance(
        draw,
        draft.index.case,
        draft.fid(),
        departed.employee,
        claim.claim,
        owed,
        departed.effective_on,
        ags,
    )
    yield (*batch, *advance)


def _histories(case: str) -> st.SearchStrategy[list[Fact]]:
    """What a fact kind is drawn into: a case, perhaps with a plan, perhaps with
    the group's support and departures (shrinking towards the plain case)."""
    return st.one_of(
        case_histories(case=case),
        plan_histories(case=case),
        support_and_employment_histories(case=case),
    )


#: The step of each fact kind.
_STEPS: dict[type[Fact], _Step] = {
    CaseOpened: _case_opened,
    CaseConverted: _case_converted,
    CreditorRegistered: _creditor_registered,
    ClaimDeclared: _claim_declared,
    ClaimAdmitted: _claim_admitted,
    ClaimRejected: _decision(ClaimRejected),
    ClaimContested: _decision(ClaimContested),
    ClaimForeclosed: _decision(ClaimForeclosed),
    ReliefRequested: _relief_requested,
    ClaimRelieved: _claim_relieved,
    InterestAccrued: _interest_accrued,
    PaymentMade: _payment_made,
    RemissionGranted: _remission_granted,
    ClaimWrittenOff: _claim_written_off,
    WaiverRevived: _waiver_revived,
    FactCorrected: _fact_corrected,
    FactVoided: _fact_voided,
    PlanAdopted: _plan_adopted,
    ConsultationAnswered: _consultation_answered,
    InstalmentRemitted: _instalment_remitted,
    PlanModified: _plan_modified,
    PlanResolved: _plan_resolved,
    PlanCompleted: _plan_completed,
    PaymentsCeased: _payments_ceased,
    ClaimRescheduled: _claim_rescheduled,
    CapitalCommitted: _capital_committed,
    ContributionReceived: _contribution_received,
    EmployeeDeparted: _employee_departed,
    SeveranceAgreed: _severance(SeveranceAgreed),
    SeverancePaid: _severance(SeverancePaid),
    AgsAdvanced: _ags_advanced,
}


@st.composite
def _history_with(draw: st.DrawFn, kind: type[Fact], case: str) -> list[Fact]:
    draft = _Draft(case, draw(_histories(case)))
    draft.accept_first(_STEPS[kind](draw, draft))
    if not any(type(fact) is kind for fact in draft.accepted):
        raise AssertionError(f"plandebt.strategies drew no {kind.kind} fact")
    return draft.accepted


def history_with(
    kind: type[Fact], case: str = "CASE-1"
) -> st.SearchStrategy[list[Fact]]:
    """A valid history of one case that holds at least one fact of `kind` (a
    subclass of `Fact`, e.g. `ReliefRequested`), in recording order: a case, plan
    or support-and-employment history, then the fact and whatever it rests on (a
    foreclosure before a relief, a departure before a severance...), tried first on
    what the history holds, then on something new. Every fact kind has one; a kind
    without is refused with a ValueError naming it."""
    if kind not in _STEPS:
        raise ValueError(
            f"no strategy draws {getattr(kind, 'kind', kind)!r} facts "
            f"({getattr(kind, '__name__', kind)}): add one to plandebt.strategies"
        )
    return _history_with(kind, case)


#: A strategy for each fact kind (the class): `FACT_STRATEGIES[PlanResolved]` draws a
#: valid history of case "CASE-1" that holds a plan.resolved fact. Its keys are every
#: subclass of `Fact` (`plandebt.events.fact_kinds()`).
FACT_STRATEGIES: Mapping[type[Fact], st.SearchStrategy[list[Fact]]] = MappingProxyType(
    {kind: history_with(kind) for kind in _STEPS}
)
