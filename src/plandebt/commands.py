"""The ledger's commands: one method per fact kind, for Python callers.

Each command builds its fact with `Fact.build` (which converts "1 234,56" to Money,
"2022-03-14" to a date, "unsecured" to Rank.UNSECURED, and refuses bad values with
an InvalidInputError naming the field) and records it. Its parameters are the
fact's fields, typed and keyword-only: a misspelt or unknown keyword is a type error
for mypy and Python's own TypeError at run time, before anything is written.

A parameter left at None gives the fact's own default. The date of a fact is
`effective_on`; most commands also take a friendlier name for it (`paid_on`,
`decided_on`...), and refuse being given both.

`CaseCommands` is a mixin: the shell (`Ledger`) provides `record`, `record_all` and
`index`.
"""

from __future__ import annotations

import abc
import os
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar, cast

from plandebt.claims_sheet import claim_facts, read_rows
from plandebt.decisions.commands import AdvanceAgs, Command, ReceiveContribution
from plandebt.distribution import Distribution, dividend_facts, plan_distribution
from plandebt.errors import InvalidInputError, UnknownReferenceError
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
from plandebt.events.codec import codec_for
from plandebt.money import Money
from plandebt.plan_file import read_plan
from plandebt.projections.index import CaseIndex
from plandebt.projections.plan import completion_remissions
from plandebt.schedules import FirstDue

#: An amount in euros: Money, a Decimal with at most two decimals, or text such as
#: "1 234,56". Floats and bare integers are refused (inexact; euros or cents?).
AmountIn = Money | Decimal | str
#: A date, or its ISO text "2022-03-14" (a datetime is refused).
DateIn = date | str
#: A plan year's percentage: "12.5", Decimal("12.5") or 12.
PercentIn = Decimal | int | str
#: A plan option: a PlanOption, or its journal form {"option": ..., "percents": [...]}.
OptionIn = PlanOption | dict[str, Any]
#: A tranche of a commitment: a Tranche, or {"due_on": ..., "amount": ...}.
TrancheIn = Tranche | dict[str, Any]

F = TypeVar("F", bound=Fact)


def _effective_on(
    alias: str, given: DateIn | None, effective_on: DateIn | None
) -> DateIn | None:
    """The fact's date, given by its friendlier name or as effective_on."""
    if given is not None and effective_on is not None:
        raise InvalidInputError(alias, given, f"give {alias} or effective_on, not both")
    return given if given is not None else effective_on


class CaseCommands(abc.ABC):
    """The commands that record facts about a case; mixed into `Ledger`."""

    # --- what the shell provides ----------------------------------------------------

    @abc.abstractmethod
    def record(self, fact: Fact) -> Fact:
        """Records one fact and returns it stamped."""

    @abc.abstractmethod
    def record_all(self, facts: list[Fact]) -> list[Fact]:
        """Records facts atomically and returns them stamped."""

    @abc.abstractmethod
    def execute(self, command: Command) -> list[Fact]:
        """Records every fact a command implies, atomically, and returns them."""

    @abc.abstractmethod
    def index(self, case: str) -> CaseIndex:
        """The case's index, up to date with the store."""

    def _record(self, fact: F) -> F:
        # The ledger returns the fact stamped, or the one recorded earlier under the
        # same client_ref, which has the same payload: the same kind either way.
        return cast(F, self.record(fact))

    def _opened_on(self, case: str) -> date:
        opening = self.index(case).opening()
        if opening is None:
            raise UnknownReferenceError("case", case, "no such case is opened")
        return opening.effective_on

    def _fact_date(self, case: str, fact_id: str) -> date:
        fact = self.index(case).at(fact_id)
        return fact.effective_on if fact is not None else self._opened_on(case)

    # --- the procedure ----------------------------------------------------------------

    def open_case(
        self,
        case: str,
        *,
        procedure: ProcedureKind | str,
        court: str,
        debtor: str,
        opened_on: DateIn | None = None,
        effective_on: DateIn | None = None,
        judgment_ref: str | None = None,
        bodacc_published_on: DateIn | None = None,
        cessation_on: DateIn | None = None,
        farming_natural_person: bool | None = None,
        farming_business: bool | None = None,
        agricultural: bool | None = None,
        filed_on: DateIn | None = None,
        id: str | None = None,
        client_ref: str | None = None,
    ) -> CaseOpened:
        """Records the opening judgment (`case.opened`), dated `opened_on`: claims that
        arose before it are frozen (C. com. L622-7, L622-21). `bodacc_published_on`
        starts the declaration deadline (R622-24), `cessation_on` is the date of
        cessation des paiements (L631-8), `filed_on` the debtor's request for the
        opening (L631-4). `farming_natural_person`: a natural person farming, whose
        plan may last 15 years (L626-12); `farming_business`: a farming business of
        any form, exempt from the minimum annuities (L626-18 al. 4), implied by the
        first when left out. `agricultural` is the older single flag, read as a
        farming natural person."""
        return self._record(
            CaseOpened.build(
                case=case,
                procedure=procedure,
                court=court,
                debtor=debtor,
                effective_on=_effective_on("opened_on", opened_on, effective_on),
                judgment_ref=judgment_ref,
                bodacc_published_on=bodacc_published_on,
                cessation_on=cessation_on,
                farming_natural_person=farming_natural_person,
                farming_business=farming_business,
                agricultural=agricultural,
                filed_on=filed_on,
                id=id,
                client_ref=client_ref,
            )
        )

    def convert_case(
        self,
        case: str,
        *,
        procedure: ProcedureKind | str,
        effective_on: DateIn,
        judgment_ref: str | None = None,
        cessation_on: DateIn | None = None,
        id: str | None = None,
        client_ref: str | None = None,
    ) -> CaseConverted:
        """Records a judgment converting the proceeding (`case.converted`), e.g.
        sauvegarde into redressement judiciaire: the new procedure's rules apply
        from `effective_on`. `cessation_on`: the date of cessation des paiements it
        fixes (L631-8)."""
        return self._record(
            CaseConverted.build(
                case=case,
                procedure=procedure,
                effective_on=effective_on,
                judgment_ref=judgment_ref,
                cessation_on=cessation_on,
                id=id,
                client_ref=client_ref,
            )
        )

    # --- creditors and claims ---------------------------------------------------------

    def register_creditor(
        self,
        case: str,
        creditor: str,
        *,
        name: str,
        creditor_kind: CreditorKind | str,
        abroad: bool | None = None,
        address: str | None = None,
        effective_on: DateIn | None = None,
        id: str | None = None,
        client_ref: str | None = None,
    ) -> CreditorRegistered:
        """Records a creditor of the case (`creditor.registered`), known from
        `effective_on` (default: the opening date). `abroad`: outside metropolitan
        France, which gives two more months to declare (R622-24)."""
        if effective_on is None:
            effective_on = self._opened_on(case)
        return self._record(
            CreditorRegistered.build(
                case=case,
                creditor=creditor,
                name=name,
                creditor_kind=creditor_kind,
                abroad=abroad,
                address=address,
                effective_on=effective_on,
                id=id,
                client_ref=client_ref,
            )
        )

    def declare_claim(
        self,
        case: str,
        claim: str,
        *,
        creditor: str,
        amount: AmountIn,
        origin_on: DateIn,
        rank: Rank | str,
        declared_on: DateIn | None = None,
        effective_on: DateIn | None = None,
        declared_by: DeclaredBy | str | None = None,
        description: str | None = None,
        interest_regime: InterestRegime | str | None = None,
        interest_basis: InterestBasis | str | None = None,
        loan_term_months: int | None = None,
        deferred_payment_months: int | None = None,
        published_security: bool | None = None,
        notice_received_on: DateIn | None = None,
        useful: bool | None = None,
        id: str | None = None,
        client_ref: str | None = None,
    ) -> ClaimDeclared:
        """Records a declaration of claim (`claim.declared`, L622-24), dated
        `declared_on`. `origin_on`, when the debt arose, decides whether it is
        frozen; interest continues only under loans of a year or more and contracts
        with payment deferred a year or more (L622-28): `interest_basis` says which,
        with `loan_term_months` or `deferred_payment_months`.
        A holder of a published security or contract (`published_security`) has its
        deadlines run from the personal notice it received (`notice_received_on`,
        L622-24 al. 1). `useful` says whether a claim born after the opening is a
        useful one of L622-17 I (paid when due), when its rank does not say it."""
        return self._record(
            ClaimDeclared.build(
                case=case,
                claim=claim,
                creditor=creditor,
                amount=amount,
                origin_on=origin_on,
                rank=rank,
                effective_on=_effective_on("declared_on", declared_on, effective_on),
                declared_by=declared_by,
                description=description,
                interest_regime=interest_regime,
                interest_basis=interest_basis,
                loan_term_months=loan_term_months,
                deferred_payment_months=deferred_payment_months,
                published_security=published_security,
                notice_received_on=notice_received_on,
                useful=useful,
                id=id,
                client_ref=client_ref,
            )
        )

    def admit_claim(
        self,
        case: str,
        claim: str,
        *,
        decided_on: DateIn | None = None,
        effective_on: DateIn | None = None,
        amount: AmountIn | None = None,
        rank: Rank | str | None = None,
        decision_ref: str | None = None,
        id: str | None = None,
        client_ref: str | None = None,
    ) -> ClaimAdmitted:
        """Records the juge-commissaire's admission of a claim (`claim.admitted`,
        L624-2), in full when `amount` is left out, at another rank when `rank` is
        given; `decided_on` is the decision's date."""
        return self._record(
            ClaimAdmitted.build(
                case=case,
                claim=claim,
                effective_on=_effective_on("decided_on", decided_on, effective_on),
                amount=amount,
                rank=rank,
                decision_ref=decision_ref,
                id=id,
                client_ref=client_ref,
            )
        )

    def reject_claim(
        self,
        case: str,
        claim: str,
        *,
        decided_on: DateIn | None = None,
        effective_on: DateIn | None = None,
        decision_ref: str | None = None,
        reason: str | None = None,
        id: str | None = None,
        client_ref: str | None = None,
    ) -> ClaimRejected:
        """Records the rejection of a claim (`claim.rejected`, L624-2) decided on
        `decided_on`."""
        return self._record(
            ClaimRejected.build(
                case=case,
                claim=claim,
                effective_on=_effective_on("decided_on", decided_on, effective_on),
                decision_ref=decision_ref,
                reason=reason,
                id=id,
                client_ref=client_ref,
            )
        )

    def contest_claim(
        self,
        case: str,
        claim: str,
        *,
        decided_on: DateIn | None = None,
        effective_on: DateIn | None = None,
        decision_ref: str | None = None,
        reason: str | None = None,
        id: str | None = None,
        client_ref: str | None = None,
    ) -> ClaimContested:
        """Records that a claim is disputed or under a pending lawsuit
        (`claim.contested`, L624-2): its amount stays provisional."""
        return self._record(
            ClaimContested.build(
                case=case,
                claim=claim,
                effective_on=_effective_on("decided_on", decided_on, effective_on),
                decision_ref=decision_ref,
                reason=reason,
                id=id,
                client_ref=client_ref,
            )
        )

    def foreclose_claim(
        self,
        case: str,
        claim: str,
        *,
        decided_on: DateIn | None = None,
        effective_on: DateIn | None = None,
        decision_ref: str | None = None,
        id: str | None = None,
        client_ref: str | None = None,
    ) -> ClaimForeclosed:
        """Records the foreclosure of a claim declared late (`claim.foreclosed`,
        L622-26): barred from distributions unless relieved."""
        return self._record(
            ClaimForeclosed.build(
                case=case,
                claim=claim,
                effective_on=_effective_on("decided_on", decided_on, effective_on),
                decision_ref=decision_ref,
                id=id,
                client_ref=client_ref,
            )
        )

    def request_relief(
        self,
        case: str,
        claim: str,
        *,
        requested_on: DateIn | None = None,
        effective_on: DateIn | None = None,
        knowledge_on: DateIn | None = None,
        justification: str | None = None,
        id: str | None = None,
        client_ref: str | None = None,
    ) -> ReliefRequested:
        """Records a request for relief from foreclosure (`claim.relief_requested`,
        relevé de forclusion, L622-26), made on `requested_on`: a relieved claim
        shares only in the distributions after it. `knowledge_on` and its
        `justification` record al. 3's exception: the creditor could not know of its
        claim before the 6 months ran out, and has 6 months from that date."""
        return self._record(
            ReliefRequested.build(
                case=case,
                claim=claim,
                effective_on=_effective_on("requested_on", requested_on, effective_on),
                knowledge_on=knowledge_on,
                justification=justification,
                id=id,
                client_ref=client_ref,
            )
        )

    def relieve_claim(
        self,
        case: str,
        claim: str,
        *,
        decided_on: DateIn | None = None,
        effective_on: DateIn | None = None,
        decision_ref: str | None = None,
        id: str | None = None,
        client_ref: str | None = None,
    ) -> ClaimRelieved:
        """Records relief from foreclosure (`claim.relieved`, L622-26): the claim
        shares only in the distributions after the request."""
        return self._record(
            ClaimRelieved.build(
                case=case,
                claim=claim,
                effective_on=_effective_on("decided_on", decided_on, effective_on),
                decision_ref=decision_ref,
                id=id,
                client_ref=client_ref,
            )
        )

    def accrue_interest(
        self,
        case: str,
        claim: str,
        *,
        amount: AmountIn,
        effective_on: DateIn,
        period_from: DateIn | None = None,
        id: str | None = None,
        client_ref: str | None = None,
    ) -> InterestAccrued:
        """Records interest on a claim for a period ending on `effective_on`
        (`claim.interest_accrued`). After the opening judgment only loans of a year
        or more bear interest (L622-28): other accruals are recorded and flagged."""
        return self._record(
            InterestAccrued.build(
                case=case,
                claim=claim,
                amount=amount,
                effective_on=effective_on,
                period_from=period_from,
                id=id,
                client_ref=client_ref,
            )
        )

    # --- money ------------------------------------------------------------------------

    def pay(
        self,
        case: str,
        claim: str,
        *,
        amount: AmountIn,
        basis: PaymentBasis | str,
        paid_on: DateIn | None = None,
        effective_on: DateIn | None = None,
        authorisation_ref: str | None = None,
        id: str | None = None,
        client_ref: str | None = None,
    ) -> PaymentMade:
        """Records a payment on a claim (`payment.made`) at its value date `paid_on`.
        A frozen claim may only be paid on a lawful basis (L622-7); one that is not
        is recorded and flagged. `authorisation_ref` names the juge-commissaire's
        order (L622-7 II)."""
        return self._record(
            PaymentMade.build(
                case=case,
                claim=claim,
                amount=amount,
                basis=basis,
                effective_on=_effective_on("paid_on", paid_on, effective_on),
                authorisation_ref=authorisation_ref,
                id=id,
                client_ref=client_ref,
            )
        )

    def remit(
        self,
        case: str,
        claim: str,
        *,
        amount: AmountIn,
        basis: RemissionBasis | str,
        effective_on: DateIn,
        reference: str | None = None,
        id: str | None = None,
        client_ref: str | None = None,
    ) -> RemissionGranted:
        """Records an agreed reduction of a claim (`remission.granted`): accepted in
        the consultation (L626-5), under a plan option (L626-19) or granted by a
        public creditor (L626-6)."""
        return self._record(
            RemissionGranted.build(
                case=case,
                claim=claim,
                amount=amount,
                basis=basis,
                effective_on=effective_on,
                reference=reference,
                id=id,
                client_ref=client_ref,
            )
        )

    def write_off(
        self,
        case: str,
        claim: str,
        *,
        amount: AmountIn,
        effective_on: DateIn,
        clause: WriteOffClause | str | None = None,
        reference: str | None = None,
        disclosed: bool | None = None,
        id: str | None = None,
        client_ref: str | None = None,
    ) -> ClaimWrittenOff:
        """Records a creditor's waiver of all or part of a claim
        (`claim.written_off`, abandon de créance), final (`clause="pure"`, the
        default) or with a better-fortune clause, which must be `disclosed` in the
        notes to the accounts."""
        return self._record(
            ClaimWrittenOff.build(
                case=case,
                claim=claim,
                amount=amount,
                effective_on=effective_on,
                clause=clause,
                reference=reference,
                disclosed=disclosed,
                id=id,
                client_ref=client_ref,
            )
        )

    # --- the plan ---------------------------------------------------------------------

    def adopt_plan(
        self,
        case: str,
        *,
        duration_years: int,
        supervisor: str,
        options: Sequence[OptionIn],
        uniform_option: str,
        adopted_on: DateIn | None = None,
        effective_on: DateIn | None = None,
        default_option: str | None = None,
        first_due: FirstDue | str | None = None,
        first_due_on: DateIn | None = None,
        judgment_ref: str | None = None,
        id: str | None = None,
        client_ref: str | None = None,
    ) -> PlanAdopted:
        """Records the judgment adopting the plan (`plan.adopted`, L626-10) on
        `adopted_on`: its options (`[{"option": "uniform", "percents": ["5", ...]}]`),
        the one imposed on refusing creditors (`uniform_option`, L626-18) and the one
        for silent creditors (`default_option`, L626-5). Instalments fall on the
        judgment's anniversaries, or on those of `first_due_on`."""
        return self._record(
            PlanAdopted.build(
                case=case,
                duration_years=duration_years,
                supervisor=supervisor,
                options=options,
                uniform_option=uniform_option,
                effective_on=_effective_on("adopted_on", adopted_on, effective_on),
                default_option=default_option,
                first_due=first_due,
                first_due_on=first_due_on,
                judgment_ref=judgment_ref,
                id=id,
                client_ref=client_ref,
            )
        )

    def adopt_plan_file(self, case: str, path: str | os.PathLike[str]) -> PlanAdopted:
        """Records the plan a TOML file describes (see `plandebt.plan_file` and
        `examples/plan.toml`): the judgment, its options and their percentages."""
        return self._record(read_plan(case, path))

    def answer_consultation(
        self,
        case: str,
        creditor: str,
        *,
        answer: Answer | str,
        answered_on: DateIn | None = None,
        effective_on: DateIn | None = None,
        option: str | None = None,
        received_on: DateIn | None = None,
        id: str | None = None,
        client_ref: str | None = None,
    ) -> ConsultationAnswered:
        """Records a creditor's answer to the consultation on the draft plan
        (`plan.consultation_answered`, L626-5): accepts (an `option`), refuses, or
        silent, dated `answered_on`; `received_on` is when the letter arrived."""
        return self._record(
            ConsultationAnswered.build(
                case=case,
                creditor=creditor,
                answer=answer,
                effective_on=_effective_on("answered_on", answered_on, effective_on),
                option=option,
                received_on=received_on,
                id=id,
                client_ref=client_ref,
            )
        )

    def remit_instalment(
        self,
        case: str,
        *,
        amount: AmountIn,
        paid_on: DateIn | None = None,
        effective_on: DateIn | None = None,
        id: str | None = None,
        client_ref: str | None = None,
    ) -> InstalmentRemitted:
        """Records the debtor's remittance to the plan supervisor
        (`plan.instalment_remitted`; payments are "portables", L626-21) at its value
        date `paid_on`. It pays the oldest instalments due first."""
        return self._record(
            InstalmentRemitted.build(
                case=case,
                amount=amount,
                effective_on=_effective_on("paid_on", paid_on, effective_on),
                id=id,
                client_ref=client_ref,
            )
        )

    def distribute(
        self,
        case: str,
        claim: str,
        *,
        amount: AmountIn,
        paid_on: DateIn | None = None,
        effective_on: DateIn | None = None,
        authorisation_ref: str | None = None,
        id: str | None = None,
        client_ref: str | None = None,
    ) -> PaymentMade:
        """Records the supervisor's payment of a plan dividend on a claim: a
        `payment.made` whose basis is the plan, at its value date `paid_on`."""
        return self.pay(
            case,
            claim,
            amount=amount,
            basis=PaymentBasis.PLAN_DIVIDEND,
            paid_on=paid_on,
            effective_on=effective_on,
            authorisation_ref=authorisation_ref,
            id=id,
            client_ref=client_ref,
        )

    def modify_plan(
        self,
        case: str,
        *,
        percents: Sequence[PercentIn],
        duration_years: int,
        decided_on: DateIn | None = None,
        effective_on: DateIn | None = None,
        first_due: FirstDue | str | None = None,
        judgment_ref: str | None = None,
        accepted_by: Sequence[str] = (),
        id: str | None = None,
        client_ref: str | None = None,
    ) -> PlanModified:
        """Records a substantial modification of the plan (`plan.modified`, L626-26):
        from `decided_on`, what is not yet due is rescheduled with `percents`;
        `duration_years` is the new total, counted from the adoption. Percentages
        adding up to less than 100 remit the rest only for the creditors in
        `accepted_by`, those that expressly accepted (L626-26)."""
        return self._record(
            PlanModified.build(
                case=case,
                percents=percents,
                duration_years=duration_years,
                effective_on=_effective_on("decided_on", decided_on, effective_on),
                first_due=first_due,
                judgment_ref=judgment_ref,
                accepted_by=accepted_by,
                id=id,
                client_ref=client_ref,
            )
        )

    def resolve_plan(
        self,
        case: str,
        *,
        reason: ResolutionReason | str,
        decided_on: DateIn | None = None,
        effective_on: DateIn | None = None,
        judgment_ref: str | None = None,
        id: str | None = None,
        client_ref: str | None = None,
    ) -> PlanResolved:
        """Records the resolution of the plan (`plan.resolved`, L626-27): creditors
        recover their claims less what they received; contingent remissions fall."""
        return self._record(
            PlanResolved.build(
                case=case,
                reason=reason,
                effective_on=_effective_on("decided_on", decided_on, effective_on),
                judgment_ref=judgment_ref,
                id=id,
                client_ref=client_ref,
            )
        )

    def complete_plan(
        self,
        case: str,
        *,
        decided_on: DateIn | None = None,
        effective_on: DateIn | None = None,
        judgment_ref: str | None = None,
        id: str | None = None,
        client_ref: str | None = None,
    ) -> PlanCompleted:
        """Records the court's finding that the plan has been carried out
        (`plan.completed`, constat d'achèvement, L626-28), with the option remissions
        it makes final (L626-19 al. 2): a `remission.granted` of basis `plan_option`
        for each one the status shows acquired that the balances do not show yet,
        all in one batch, so that the status and the balances agree."""
        completed = PlanCompleted.build(
            case=case,
            effective_on=_effective_on("decided_on", decided_on, effective_on),
            judgment_ref=judgment_ref,
            id=id,
            client_ref=client_ref,
        )
        remissions = completion_remissions(self.index(case), completed)
        return cast(PlanCompleted, self.record_all([completed, *remissions])[0])

    def record_cessation(
        self,
        case: str,
        *,
        ceased_on: DateIn | None = None,
        effective_on: DateIn | None = None,
        established_by: str | None = None,
        id: str | None = None,
        client_ref: str | None = None,
    ) -> PaymentsCeased:
        """Records a cessation des paiements found during the plan
        (`plan.payments_ceased`), on `ceased_on`: the court must then resolve the
        plan (L626-27 I al. 3)."""
        return self._record(
            PaymentsCeased.build(
                case=case,
                effective_on=_effective_on("ceased_on", ceased_on, effective_on),
                established_by=established_by,
                id=id,
                client_ref=client_ref,
            )
        )

    # --- group support ----------------------------------------------------------------

    def reschedule_claim(
        self,
        case: str,
        claim: str,
        *,
        percents: Sequence[PercentIn],
        agreed_on: DateIn | None = None,
        effective_on: DateIn | None = None,
        from_date: DateIn | None = None,
        first_due: FirstDue | str | None = None,
        agreement_ref: str | None = None,
        id: str | None = None,
        client_ref: str | None = None,
    ) -> ClaimRescheduled:
        """Records a creditor's own schedule for a claim (`claim.rescheduled`,
        accepted delays, L626-18 al. 1), agreed on `agreed_on`: instalments of
        `percents` on the anniversaries of `from_date` (default: the adoption)."""
        return self._record(
            ClaimRescheduled.build(
                case=case,
                claim=claim,
                percents=percents,
                effective_on=_effective_on("agreed_on", agreed_on, effective_on),
                from_date=from_date,
                first_due=first_due,
                agreement_ref=agreement_ref,
                id=id,
                client_ref=client_ref,
            )
        )

    def revive_waiver(
        self,
        case: str,
        waiver: str,
        *,
        amount: AmountIn,
        revived_on: DateIn | None = None,
        effective_on: DateIn | None = None,
        condition: str | None = None,
        id: str | None = None,
        client_ref: str | None = None,
    ) -> WaiverRevived:
        """Records that a better-fortune clause is triggered
        (`claim.waiver_revived`): `amount` of the waiver (the id of its
        `claim.written_off` fact) is owed again from `revived_on`. The fact's claim
        is the waiver's."""
        target = self.index(case).at(waiver)
        claim = getattr(target, "claim", None)
        return self._record(
            WaiverRevived.build(
                case=case,
                waiver=waiver,
                claim=claim,
                amount=amount,
                effective_on=_effective_on("revived_on", revived_on, effective_on),
                condition=condition,
                id=id,
                client_ref=client_ref,
            )
        )

    def commit_support(
        self,
        case: str,
        commitment: str,
        *,
        investor: str,
        tranches: Sequence[TrancheIn],
        committed_on: DateIn | None = None,
        effective_on: DateIn | None = None,
        condition: Condition | str | None = None,
        form: ContributionForm | str | None = None,
        reference: str | None = None,
        id: str | None = None,
        client_ref: str | None = None,
    ) -> CapitalCommitted:
        """Records an investor's commitment to support the company
        (`support.committed`): `tranches` (`[{"due_on": ..., "amount": ...}]`), on
        `condition` of the plan's adoption or not (L626-3), as capital, a
        current-account advance or a subsidy (`form`)."""
        return self._record(
            CapitalCommitted.build(
                case=case,
                commitment=commitment,
                investor=investor,
                tranches=tranches,
                effective_on=_effective_on("committed_on", committed_on, effective_on),
                condition=condition,
                form=form,
                reference=reference,
                id=id,
                client_ref=client_ref,
            )
        )

    def receive_contribution(
        self,
        case: str,
        commitment: str,
        *,
        amount: AmountIn,
        form: ContributionForm | str,
        received_on: DateIn | None = None,
        effective_on: DateIn | None = None,
        claim: str | None = None,
        id: str | None = None,
        client_ref: str | None = None,
    ) -> list[Fact]:
        """Records money received under a commitment (`support.received`) at its
        value date `received_on`. A current-account advance is a new debt: give it
        a `claim` id, and its new-money `claim.declared` (L622-17 III 2°, L626-10)
        is recorded first, for the commitment's investor, in one transaction.
        Returns the facts recorded."""
        fact = ContributionReceived.build(
            case=case,
            commitment=commitment,
            amount=amount,
            form=form,
            effective_on=_effective_on("received_on", received_on, effective_on),
            claim=claim,
            id=id,
            client_ref=client_ref,
        )
        return self.execute(ReceiveContribution(fact))

    def distribute_remittance(
        self,
        case: str,
        remittance: str,
        *,
        paid_on: DateIn | None = None,
        dry_run: bool = False,
    ) -> Distribution:
        """Distributes what the debtor remitted up to `remittance` (the id of a
        `plan.instalment_remitted`): each claim's plan dividend for the instalments
        the money covers, oldest due first, reserving what falls to claims without a
        decision (L626-21 al. 4), split to the cent (see `plandebt.distribution`).
        Records the dividends (`payment.made`, basis `plan_dividend`, dated `paid_on`,
        default the remittance's date) in one batch unless `dry_run`; distributing
        the same remittance again records nothing. Returns the distribution."""
        _encode, decode = codec_for(date, "paid_on")
        on = None if paid_on is None else decode(paid_on, "paid_on")
        plan = plan_distribution(self.index(case), remittance, on)
        if not dry_run and plan.dividends:
            self.record_all(dividend_facts(plan))
        return plan

    def import_claims(
        self,
        case: str,
        sheet: str | os.PathLike[str],
        *,
        mapping: Mapping[str, str] | None = None,
        dry_run: bool = False,
    ) -> list[Fact]:
        """Records the état des créances of a CSV or XLSX sheet (see
        `plandebt.claims_sheet`): the creditors not yet registered, each claim's
        declaration and its decision, in one batch; importing the same sheet again
        records nothing new. A sheet with bad cells is refused whole (`SheetError`
        names every cell). With `dry_run`, returns the facts it would record."""
        facts = claim_facts(
            case,
            read_rows(sheet),
            registered=self.index(case).creditors,
            mapping=mapping,
        )
        return facts if dry_run else self.record_all(facts)

    # --- employment -------------------------------------------------------------------

    def record_departure(
        self,
        case: str,
        employee: str,
        *,
        departure: DepartureKind | str,
        seniority_months: int,
        monthly_pay: AmountIn,
        left_on: DateIn | None = None,
        effective_on: DateIn | None = None,
        contract_on: DateIn | None = None,
        pse: bool | None = None,
        sales_representative: bool | None = None,
        id: str | None = None,
        client_ref: str | None = None,
    ) -> EmployeeDeparted:
        """Records an employee's departure (`employment.departed`) at the end of the
        contract, `left_on`, which decides whether the AGS covers it (L3253-8 C.
        trav.); `seniority_months` and `monthly_pay` give the legal severance
        (L1234-9, R1234-2). `contract_on` (when the contract was concluded) sets
        the AGS's cap (L3253-17, D3253-5); `pse`, a termination under a
        job-protection plan, and `sales_representative` (VRP) the AGS's windows and
        the superprivilege's days."""
        return self._record(
            EmployeeDeparted.build(
                case=case,
                employee=employee,
                departure=departure,
                seniority_months=seniority_months,
                monthly_pay=monthly_pay,
                effective_on=_effective_on("left_on", left_on, effective_on),
                contract_on=contract_on,
                pse=pse,
                sales_representative=sales_representative,
                id=id,
                client_ref=client_ref,
            )
        )

    def agree_severance(
        self,
        case: str,
        employee: str,
        *,
        amount: AmountIn,
        agreed_on: DateIn | None = None,
        effective_on: DateIn | None = None,
        id: str | None = None,
        client_ref: str | None = None,
    ) -> SeveranceAgreed:
        """Records the severance agreed with an employee
        (`employment.severance_agreed`) on `agreed_on`, compared by the views with
        the legal minimum (L1234-9 C. trav.)."""
        return self._record(
            SeveranceAgreed.build(
                case=case,
                employee=employee,
                amount=amount,
                effective_on=_effective_on("agreed_on", agreed_on, effective_on),
                id=id,
                client_ref=client_ref,
            )
        )

    def pay_severance(
        self,
        case: str,
        employee: str,
        *,
        amount: AmountIn,
        funding: Funding | str,
        paid_on: DateIn | None = None,
        effective_on: DateIn | None = None,
        id: str | None = None,
        client_ref: str | None = None,
    ) -> SeverancePaid:
        """Records severance paid to an employee (`employment.severance_paid`) on
        `paid_on`, by the company or with the group's support (`funding`). What the
        AGS advances is `advance_ags`."""
        return self._record(
            SeverancePaid.build(
                case=case,
                employee=employee,
                amount=amount,
                funding=funding,
                effective_on=_effective_on("paid_on", paid_on, effective_on),
                id=id,
                client_ref=client_ref,
            )
        )

    def advance_ags(
        self,
        case: str,
        employee: str,
        employee_claim: str,
        *,
        superprivileged: AmountIn,
        privileged: AmountIn,
        paid_on: DateIn | None = None,
        effective_on: DateIn | None = None,
        ags_creditor: str = "AGS",
        id: str | None = None,
        client_ref: str | None = None,
    ) -> list[Fact]:
        """Records an AGS advance to an employee (`ags.advanced`) on `paid_on`, in one
        transaction with the AGS creditor (`ags_creditor`, registered if missing)
        and its subrogated claims ("<employee_claim>-AGS-SP" and "-AGS-P"), to
        which the advance moves the amount from the employee's claim (L3253-16 C.
        trav.). Returns the facts recorded."""
        effective_on = _effective_on("paid_on", paid_on, effective_on)
        advance = AgsAdvanced.build(
            case=case,
            employee=employee,
            employee_claim=employee_claim,
            superprivileged_claim=f"{employee_claim}-AGS-SP",
            privileged_claim=f"{employee_claim}-AGS-P",
            superprivileged=superprivileged,
            privileged=privileged,
            effective_on=effective_on,
            id=id,
            client_ref=client_ref,
        )
        return self.execute(AdvanceAgs(advance, ags_creditor))

    # --- corrections ------------------------------------------------------------------

    def correct(
        self,
        case: str,
        fact_id: str,
        changes: Mapping[str, object],
        *,
        effective_on: DateIn | None = None,
        reason: str | None = None,
        id: str | None = None,
        client_ref: str | None = None,
    ) -> FactCorrected:
        """Records a correction (`fact.corrected`): the recorded fact `fact_id` has
        the values in `changes` (journal form) from now on; views as known before
        still show the old ones. `effective_on` defaults to the corrected fact's
        own date."""
        if effective_on is None:
            effective_on = self._fact_date(case, fact_id)
        return self._record(
            FactCorrected.build(
                case=case,
                corrects=fact_id,
                # The stored form is a plain dict; anything else is refused, typed.
                changes=dict(changes) if isinstance(changes, Mapping) else changes,
                effective_on=effective_on,
                reason=reason,
                id=id,
                client_ref=client_ref,
            )
        )

    def void(
        self,
        case: str,
        fact_id: str,
        *,
        effective_on: DateIn | None = None,
        reason: str | None = None,
        id: str | None = None,
        client_ref: str | None = None,
    ) -> FactVoided:
        """Records that the fact `fact_id` is cancelled (`fact.voided`): as known
        from now on, it never happened. `effective_on` defaults to the voided fact's
        own date."""
        if effective_on is None:
            effective_on = self._fact_date(case, fact_id)
        return self._record(
            FactVoided.build(
                case=case,
                voids=fact_id,
                effective_on=effective_on,
                reason=reason,
                id=id,
                client_ref=client_ref,
            )
        )
