"""A stateful test of the whole ledger: random lawful and unlawful sequences of
commands, and after every step the invariants, checked against a deliberately simple
reference model kept here (docs/testing.md lists them)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

from hypothesis import note, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from plandebt import InvalidInputError, Ledger, Money
from plandebt.events import PaymentBasis
from plandebt.strategies import money

CASE = "STATEFUL"
OPENED = date(2022, 3, 14)
ADOPTED = date(2023, 3, 20)
FAR = date(2100, 1, 1)


class Model:
    """What the ledger should say, computed the plainest way."""

    def __init__(self) -> None:
        self.declared: dict[str, int] = {}
        self.decision: dict[
            str, tuple[date, int, int | None]
        ] = {}  # (on, order, amount)
        self.paid: dict[str, int] = {}
        self.reduced: dict[str, int] = {}  # remission + written off - revived
        self.subrogated: dict[str, int] = {}
        self.unlawful_payments: set[str] = set()
        self.remitted = 0
        self.payments: dict[str, tuple[str, int]] = {}  # id -> (claim, cents)

    def owed(self, claim: str) -> int:
        decision = self.decision.get(claim)
        if decision is None:
            return self.declared[claim]
        return self.declared[claim] if decision[2] is None else decision[2]

    def outstanding(self, claim: str) -> int:
        return (
            self.owed(claim)
            - self.paid.get(claim, 0)
            - self.reduced.get(claim, 0)
            - self.subrogated.get(claim, 0)
        )


class LedgerMachine(RuleBasedStateMachine):
    claims = Bundle("claims")

    def __init__(self) -> None:
        super().__init__()
        ticks = (
            datetime(2030, 1, 1, tzinfo=UTC) + timedelta(seconds=i)
            for i in range(10**7)
        )
        self.ledger = Ledger.open("memory", clock=lambda: next(ticks))
        self.model = Model()
        self.snapshots: list[tuple[int, object]] = []
        self.adopted = False
        self.order = 0
        self.decided_on: dict[str, date] = {}
        self.waivers: dict[str, tuple[str, int]] = {}  # id -> (claim, still waived)
        self.committed = False
        self.departures = 0
        self.ended = False

    def journal(self) -> str:
        return "\n".join(json.dumps(line) for line in self.ledger.export(CASE))

    @contextmanager
    def reproducible(self) -> Iterator[None]:
        """On a failure, prints the journal of the history so far: `plandebt record`
        replays it."""
        try:
            yield
        except AssertionError:
            note("journal of the failing history:\n" + self.journal())
            raise

    @initialize()
    def open_case(self) -> None:
        self.ledger.open_case(
            CASE,
            procedure="redressement_judiciaire",
            court="TJ",
            debtor="Debtor",
            opened_on=OPENED,
            bodacc_published_on=OPENED + timedelta(13),
        )
        for creditor, kind in (
            ("BANK", "bank"),
            ("URSSAF", "social"),
            ("GROUP", "group_company"),
            ("E1", "employee"),
        ):
            self.ledger.register_creditor(
                CASE, creditor, name=creditor, creditor_kind=kind
            )

    # --- claims -------------------------------------------------------------------------

    @rule(
        target=claims,
        creditor=st.sampled_from(["BANK", "URSSAF", "GROUP"]),
        amount=money(1, 10**8),
        days=st.integers(-400, 200),
    )
    def declare(self, creditor, amount, days) -> str:
        claim = f"C{len(self.model.declared)}"
        origin = OPENED + timedelta(days)
        declared_on = max(origin, OPENED) + timedelta(30)
        self.ledger.declare_claim(
            CASE,
            claim,
            creditor=creditor,
            amount=amount,
            origin_on=origin,
            rank="unsecured",
            declared_on=declared_on,
        )
        self.model.declared[claim] = amount.cents
        self.decided_on[claim] = max(declared_on, date(2022, 9, 1))
        return claim

    @rule(claim=claims, share=st.integers(1, 100))
    def admit(self, claim, share) -> None:
        amount = Money(max(1, self.model.declared[claim] * share // 100))
        fact = self.ledger.admit_claim(
            CASE, claim, decided_on=self.decided_on[claim], amount=amount
        )
        self.order += 1
        self.model.decision[claim] = (fact.effective_on, self.order, amount.cents)

    @rule(claim=claims)
    def reject(self, claim) -> None:
        fact = self.ledger.reject_claim(CASE, claim, decided_on=self.decided_on[claim])
        self.order += 1
        self.model.decision[claim] = (fact.effective_on, self.order, 0)

    # --- money --------------------------------------------------------------------------

    @rule(
        claim=claims,
        amount=money(1, 10**7),
        basis=st.sampled_from(
            [
                PaymentBasis.NONE,
                PaymentBasis.CONNECTED_SETOFF,
                PaymentBasis.PLAN_DIVIDEND,
            ]
        ),
        days=st.integers(0, 2000),
    )
    def pay(self, claim, amount, basis, days) -> None:
        paid_on = OPENED + timedelta(days)
        fact = self.ledger.pay(CASE, claim, amount=amount, paid_on=paid_on, basis=basis)
        self.model.paid[claim] = self.model.paid.get(claim, 0) + amount.cents
        self.model.payments[fact.id] = (claim, amount.cents)
        declared = self.ledger.index(CASE).declaration(claim)
        frozen = declared.origin_on < OPENED
        # An unsecured claim born after the opening is not a useful one (L622-17 I):
        # born during the observation period (before the adoption, or while no plan
        # is adopted), it is under the ban too, without the set-off (L622-7 I).
        observed = not frozen and (not self.adopted or declared.origin_on < ADOPTED)
        unlawful = (
            basis is PaymentBasis.NONE
            or (basis is PaymentBasis.CONNECTED_SETOFF and observed)
            or (
                basis is PaymentBasis.PLAN_DIVIDEND
                and (not self.adopted or paid_on < ADOPTED)
            )
        )
        if (frozen or observed) and unlawful:
            self.model.unlawful_payments.add(fact.id)

    @rule(claim=claims, share=st.integers(1, 100))
    def remit(self, claim, share) -> None:
        owed = self.model.outstanding(claim)
        amount = Money(owed * share // 100)
        try:
            self.ledger.remit(
                CASE,
                claim,
                amount=amount,
                effective_on=date(2023, 1, 1),
                basis="creditor_agreement",
            )
        except InvalidInputError:
            assert amount.cents <= 0 or amount.cents > owed
            return
        self.model.reduced[claim] = self.model.reduced.get(claim, 0) + amount.cents

    @rule(claim=claims, amount=money(1, 10**6))
    def refused_overreduction(self, claim, amount) -> None:
        owed = self.model.outstanding(claim)
        too_much = Money(max(owed, 0) + amount.cents)
        before = self.ledger.history(CASE)
        try:
            self.ledger.write_off(
                CASE, claim, amount=too_much, effective_on=date(2023, 1, 1)
            )
        except InvalidInputError:
            assert self.ledger.history(CASE) == before
        else:
            raise AssertionError("a write-off above what is owed was recorded")

    @precondition(lambda self: self.model.payments)
    @rule(data=st.data())
    def void_a_payment(self, data) -> None:
        fact_id = data.draw(st.sampled_from(sorted(self.model.payments)))
        claim, cents = self.model.payments.pop(fact_id)
        try:
            self.ledger.void(CASE, fact_id)
        except InvalidInputError:
            self.model.payments[fact_id] = (claim, cents)
            return
        self.model.paid[claim] -= cents
        self.model.unlawful_payments.discard(fact_id)

    @rule(claim=claims, share=st.integers(1, 100), better_fortune=st.booleans())
    def waive(self, claim, share, better_fortune) -> None:
        owed = self.model.outstanding(claim)
        amount = Money(owed * share // 100)
        if amount.cents <= 0:
            return
        fact = self.ledger.write_off(
            CASE,
            claim,
            amount=amount,
            effective_on=date(2023, 2, 1),
            clause="better_fortune" if better_fortune else "pure",
        )
        self.model.reduced[claim] = self.model.reduced.get(claim, 0) + amount.cents
        if better_fortune:
            self.waivers[fact.id] = (claim, amount.cents)

    @precondition(lambda self: self.waivers)
    @rule(data=st.data(), share=st.integers(1, 150))
    def revive(self, data, share) -> None:
        waiver = data.draw(st.sampled_from(sorted(self.waivers)))
        claim, left = self.waivers[waiver]
        amount = Money(max(1, left * share // 100))
        try:
            self.ledger.revive_waiver(
                CASE, waiver, amount=amount, revived_on=date(2025, 1, 1)
            )
        except InvalidInputError:
            assert amount.cents > left  # never more than what is still waived
            return
        assert amount.cents <= left
        self.waivers[waiver] = (claim, left - amount.cents)
        self.model.reduced[claim] -= amount.cents

    @rule(amount=money(1, 10**8))
    def capital_received(self, amount) -> None:
        if not self.committed:
            self.ledger.commit_support(
                CASE,
                "K",
                investor="GROUP",
                committed_on=OPENED,
                tranches=[{"due_on": "2023-06-30", "amount": "1000000.00"}],
            )
            self.committed = True
        self.ledger.receive_contribution(
            CASE,
            "K",
            amount=amount,
            form="capital_increase",
            received_on=date(2023, 6, 1),
        )

    @rule(months=st.integers(0, 400), days=st.integers(0, 900))
    def departure(self, months, days) -> None:
        self.departures += 1
        self.ledger.record_departure(
            CASE,
            f"D{self.departures}",
            departure="voluntary_pse",
            left_on=OPENED + timedelta(days),
            seniority_months=months,
            monthly_pay="2500",
        )

    # --- the plan -----------------------------------------------------------------------

    @precondition(lambda self: not self.adopted and self.model.declared)
    @rule()
    def adopt(self) -> None:
        self.ledger.adopt_plan(
            CASE,
            adopted_on=ADOPTED,
            duration_years=10,
            supervisor="S",
            uniform_option="u",
            options=[{"option": "u", "percents": ["10"] * 10}],
        )
        self.adopted = True
        # Plan dividends paid on or after adoption are lawful from now on, and claims
        # born from the adoption on are no longer under the ban.
        for fact_id, (claim, _cents) in list(self.model.payments.items()):
            fact = self.ledger.index(CASE).at(fact_id)
            declared = self.ledger.index(CASE).declaration(claim)
            if (
                fact.basis is PaymentBasis.PLAN_DIVIDEND
                and fact.effective_on >= ADOPTED
            ) or declared.origin_on >= ADOPTED:
                self.model.unlawful_payments.discard(fact_id)

    @precondition(lambda self: self.adopted)
    @rule(amount=money(1, 10**8), days=st.integers(0, 3700))
    def remit_instalment(self, amount, days) -> None:
        self.ledger.remit_instalment(
            CASE, amount=amount, paid_on=ADOPTED + timedelta(days)
        )
        self.model.remitted += amount.cents

    @precondition(lambda self: self.adopted and not self.ended)
    @rule(
        percents=st.lists(st.integers(0, 50), min_size=1, max_size=5).filter(
            lambda ps: sum(ps) <= 100
        ),
        days=st.integers(1, 2000),
    )
    def modify_plan(self, percents, days) -> None:
        self.ledger.modify_plan(
            CASE,
            decided_on=ADOPTED + timedelta(days),
            percents=[str(p) for p in percents],
            duration_years=10,
        )

    @precondition(lambda self: self.adopted and not self.ended)
    @rule(days=st.integers(1, 3000))
    def resolve_plan(self, days) -> None:
        self.ledger.resolve_plan(
            CASE, decided_on=ADOPTED + timedelta(days), reason="non_performance"
        )
        self.ended = True

    # --- the AGS ------------------------------------------------------------------------

    @rule(amount=money(2, 10**6))
    def ags_advance(self, amount) -> None:
        claim = f"E1-{len(self.model.declared)}"
        self.ledger.declare_claim(
            CASE,
            claim,
            creditor="E1",
            amount=amount,
            origin_on=OPENED + timedelta(10),
            rank="salary_privileged",
            declared_on=OPENED + timedelta(20),
            declared_by="mandataire",
        )
        self.model.declared[claim] = amount.cents
        half = Money(amount.cents // 2)
        self.ledger.advance_ags(
            CASE,
            "E1",
            claim,
            superprivileged=half,
            privileged=amount - half,
            paid_on=OPENED + timedelta(25),
        )
        self.model.subrogated[claim] = amount.cents
        for part, suffix, rank in ((half, "SP", "ags"), (amount - half, "P", "ags")):
            if part:
                self.model.declared[f"{claim}-AGS-{suffix}"] = part.cents
                _ = rank

    # --- invariants ------------------------------------------------------------------------

    @invariant()
    def balances_equal_the_model(self) -> None:
        view = self.ledger.balances(CASE, FAR)
        with self.reproducible():
            assert {b.claim for b in view.claims} == set(self.model.declared)
            for b in view.claims:
                assert b.owed.cents == self.model.owed(b.claim), b.claim
                assert b.paid.cents == self.model.paid.get(b.claim, 0), b.claim
                assert b.outstanding.cents == self.model.outstanding(b.claim), b.claim
                assert b.owed + b.interest == (
                    b.paid + b.remission + b.written_off + b.subrogated + b.outstanding
                )

    @invariant()
    def plan_status_and_findings_equal_the_model(self) -> None:
        with self.reproducible():
            self._plan_status_and_findings()

    def _plan_status_and_findings(self) -> None:
        status = self.ledger.plan_status(CASE, FAR)
        assert status.remitted_to_supervisor.cents == (
            self.model.remitted if self.adopted else 0
        )
        if self.ended:
            assert status.phase == "resolved"
            assert all(not p.contingent_remission for p in status.creditors)
        assert status.arrears.cents == max(
            0, status.due.cents - status.remitted_to_supervisor.cents
        )
        found = {
            e
            for f in self.ledger.check(CASE, FAR).findings
            if f.rule == "L622-7.payment-without-basis"
            for e in f.evidence
            if e in self.model.payments
        }
        assert found == self.model.unlawful_payments, self.journal()

    @invariant()
    def earlier_views_do_not_change(self) -> None:
        with self.reproducible():
            self._earlier_views()

    def _earlier_views(self) -> None:
        position = len(self.ledger.history(CASE))
        for earlier, view in self.snapshots:
            assert self.ledger.balances(CASE, FAR, known_at=earlier) == view
        if position % 3 == 0:
            self.snapshots.append(
                (position, self.ledger.balances(CASE, FAR, known_at=position))
            )

    def teardown(self) -> None:
        # The same history replayed into fresh stores (memory and SQLite) gives the
        # same views, and export -> import round-trips.
        import tempfile
        from pathlib import Path

        lines = list(self.ledger.export(CASE))
        with tempfile.TemporaryDirectory() as folder:
            for target in ("memory", str(Path(folder) / "replay.db")):
                # Restored after the machine's clock (times to come are refused).
                replay = Ledger.open(
                    target, clock=lambda: datetime(2100, 1, 1, tzinfo=UTC)
                )
                replay.import_journal(lines, restore=True)
                assert list(replay.export(CASE)) == lines
                assert replay.balances(CASE, FAR) == self.ledger.balances(CASE, FAR)
                assert replay.plan_status(CASE, FAR) == self.ledger.plan_status(
                    CASE, FAR
                )
                assert (
                    replay.check(CASE, FAR).findings
                    == self.ledger.check(CASE, FAR).findings
                )
                replay.close()


LedgerMachine.TestCase.settings = settings(stateful_step_count=25, deadline=None)
test_ledger_machine = LedgerMachine.TestCase
