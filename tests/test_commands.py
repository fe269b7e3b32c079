"""The commands are typed: each takes its fact's fields as keyword-only parameters, so
a misspelt keyword is a mypy error and, at run time, a TypeError that writes
nothing."""

from __future__ import annotations

import inspect
import sys
import textwrap
import typing
from collections.abc import Callable
from datetime import date
from pathlib import Path

import attrs
import pytest
from tests.helpers import CASE, OPENED, open_basic_case, snapshot

from plandebt import Fact, InvalidInputError, Ledger
from plandebt.commands import CaseCommands
from plandebt.events import (
    AgsAdvanced,
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
    ContributionReceived,
    CreditorRegistered,
    EmployeeDeparted,
    FactCorrected,
    FactVoided,
    InstalmentRemitted,
    InterestAccrued,
    PaymentMade,
    PaymentsCeased,
    PlanAdopted,
    PlanCompleted,
    PlanModified,
    PlanResolved,
    ReliefRequested,
    RemissionGranted,
    SeveranceAgreed,
    SeverancePaid,
    WaiverRevived,
)

#: Each command, the fact it records, and the fact's fields it does not take as a
#: keyword: given positionally under another name, or worked out by the command.
COMMANDS: dict[str, tuple[type[Fact], dict[str, str | None]]] = {
    "open_case": (CaseOpened, {}),
    "convert_case": (CaseConverted, {}),
    "register_creditor": (CreditorRegistered, {}),
    "declare_claim": (ClaimDeclared, {}),
    "admit_claim": (ClaimAdmitted, {}),
    "reject_claim": (ClaimRejected, {}),
    "contest_claim": (ClaimContested, {}),
    "foreclose_claim": (ClaimForeclosed, {}),
    "request_relief": (ReliefRequested, {}),
    "relieve_claim": (ClaimRelieved, {}),
    "accrue_interest": (InterestAccrued, {}),
    "pay": (PaymentMade, {}),
    "remit": (RemissionGranted, {}),
    "write_off": (ClaimWrittenOff, {}),
    "adopt_plan": (PlanAdopted, {}),
    "answer_consultation": (ConsultationAnswered, {}),
    "remit_instalment": (InstalmentRemitted, {}),
    "distribute": (PaymentMade, {"basis": None}),
    "modify_plan": (PlanModified, {}),
    "resolve_plan": (PlanResolved, {}),
    "complete_plan": (PlanCompleted, {}),
    "record_cessation": (PaymentsCeased, {}),
    "reschedule_claim": (ClaimRescheduled, {}),
    "revive_waiver": (WaiverRevived, {"claim": None}),
    "commit_support": (CapitalCommitted, {}),
    "receive_contribution": (ContributionReceived, {}),
    "record_departure": (EmployeeDeparted, {}),
    "agree_severance": (SeveranceAgreed, {}),
    "pay_severance": (SeverancePaid, {}),
    "advance_ags": (
        AgsAdvanced,
        {"superprivileged_claim": None, "privileged_claim": None},
    ),
    "correct": (FactCorrected, {"corrects": "fact_id"}),
    "void": (FactVoided, {"voids": "fact_id"}),
}
#: Set by the ledger when it records a fact, never by a caller.
STAMPED = {"seq", "recorded_at"}
SHELL = {"record", "record_all", "execute", "index"}
#: Commands that compute their facts from the case rather than from their arguments.
DERIVED = {"distribute_remittance", "import_claims", "adopt_plan_file"}


def command_names() -> list[str]:
    return sorted(
        name
        for name, value in vars(CaseCommands).items()
        if callable(value) and not name.startswith("_") and name not in SHELL | DERIVED
    )


def test_every_command_is_listed_here_with_the_fact_it_records() -> None:
    assert command_names() == sorted(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_command_takes_no_arbitrary_keywords(name: str) -> None:
    signature = inspect.signature(getattr(Ledger, name))
    kinds = {p.name: p.kind for p in signature.parameters.values()}
    assert inspect.Parameter.VAR_KEYWORD not in kinds.values()
    assert inspect.Parameter.VAR_POSITIONAL not in kinds.values()
    # Past the ids that name what the fact is about, every argument is a keyword.
    positional = [
        n for n, k in kinds.items() if k is not inspect.Parameter.KEYWORD_ONLY
    ]
    assert set(positional) <= {
        "self", "case", "claim", "creditor", "employee", "employee_claim",
        "commitment", "waiver", "fact_id", "changes",
    }  # fmt: skip
    # Every parameter is annotated, and the annotations resolve.
    hints = typing.get_type_hints(getattr(Ledger, name))
    assert set(kinds) - {"self"} <= set(hints)


def attrs_fields(name: str) -> set[str]:
    fact_class, _elsewhere = COMMANDS[name]
    return {f.name for f in attrs.fields(fact_class)}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_command_takes_every_field_of_its_fact(name: str) -> None:
    _fact_class, elsewhere = COMMANDS[name]
    parameters = set(inspect.signature(getattr(Ledger, name)).parameters)
    missing = {
        field
        for field in attrs_fields(name) - STAMPED
        if field not in parameters and field not in elsewhere
    }
    assert not missing, f"{name} does not take {sorted(missing)}"
    named = {alias for alias in elsewhere.values() if alias is not None}
    assert named <= parameters


# --- at run time ------------------------------------------------------------------------

MISSPELT: list[tuple[str, Callable[[Ledger], object]]] = [
    (
        "admit_claim",
        lambda lg: lg.admit_claim(CASE, "C1", decidd_on=date(2022, 9, 1)),  # type: ignore[call-arg]
    ),
    (
        "pay",
        lambda lg: lg.pay(
            CASE,
            "C1",
            amount="5",
            basis="plan_dividend",
            paid_no=date(2023, 1, 1),  # type: ignore[call-arg]
        ),
    ),
    (
        "pay, an amount given positionally",
        lambda lg: lg.pay(CASE, "C1", "5", basis="plan_dividend", paid_on=OPENED),  # type: ignore[call-arg]
    ),
    (
        "correct",
        lambda lg: lg.correct(
            CASE,
            lg.history(CASE)[3].id,
            {"amount": "1.00"},
            reasn="typo",  # type: ignore[call-arg]
        ),
    ),
    (
        "advance_ags",
        lambda lg: lg.advance_ags(
            CASE,
            "E1",
            "C1",
            superprivileged="1",
            privileged="1",
            ags="AGS",  # type: ignore[call-arg]
        ),
    ),
    (
        "receive_contribution",
        lambda lg: lg.receive_contribution(
            CASE,
            "K",
            amount="1",
            form="subsidy",
            recieved_on=OPENED,  # type: ignore[call-arg]
        ),
    ),
]


@pytest.mark.parametrize(
    "call", [c for _n, c in MISSPELT], ids=[n for n, _c in MISSPELT]
)
def test_a_misspelt_keyword_is_a_type_error_and_writes_nothing(
    call: Callable[[Ledger], object],
) -> None:
    ledger = Ledger.open("memory")
    open_basic_case(ledger)
    before = snapshot(ledger)
    with pytest.raises(TypeError):
        call(ledger)
    assert snapshot(ledger) == before


def test_a_date_given_under_both_names_is_refused_and_writes_nothing() -> None:
    ledger = Ledger.open("memory")
    open_basic_case(ledger)
    before = snapshot(ledger)
    with pytest.raises(InvalidInputError) as e:
        ledger.admit_claim(
            CASE, "C1", decided_on=date(2022, 9, 1), effective_on=date(2022, 9, 2)
        )
    assert (e.value.field, e.value.value) == ("decided_on", date(2022, 9, 1))
    assert "not both" in e.value.reason
    assert snapshot(ledger) == before


def test_a_command_returns_the_fact_it_recorded() -> None:
    ledger = Ledger.open("memory")
    open_basic_case(ledger)
    admitted = ledger.admit_claim(CASE, "C1", decided_on=date(2022, 9, 1))
    assert isinstance(admitted, ClaimAdmitted) and admitted.seq == 6
    assert ledger.distribute(CASE, "C1", amount="1", paid_on=OPENED).basis.value == (
        "plan_dividend"
    )


# --- for mypy ---------------------------------------------------------------------------


def test_mypy_rejects_a_misspelt_keyword_and_accepts_the_right_one(
    tmp_path: Path,
) -> None:
    mypy_api = pytest.importorskip(
        "mypy.api", reason="mypy is not installed (it comes with the test extra)"
    )
    snippet = tmp_path / "snippet.py"
    snippet.write_text(
        textwrap.dedent(
            """\
            from datetime import date

            from plandebt import Ledger
            from plandebt.events import ClaimAdmitted

            ledger = Ledger.open("memory")
            fine: ClaimAdmitted = ledger.admit_claim("C", "X", decided_on=date(2022, 9, 20))
            ledger.pay("C", "X", amount="1 234,56", basis="plan_dividend", paid_on="2023-01-02")
            ledger.admit_claim("C", "X", decidd_on=date(2022, 9, 20))
            ledger.pay("C", "X", amount=12.5, basis="plan_dividend", paid_on="2023-01-02")
            """
        ),
        encoding="utf-8",
    )
    out, err, _status = mypy_api.run(
        [
            str(snippet),
            "--strict",
            "--no-error-summary",
            "--hide-error-context",
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            "--python-executable",
            sys.executable,
        ]
    )
    errors = [
        line for line in out.splitlines() if line.startswith(f"{snippet}:") and
        ": error:" in line
    ]  # fmt: skip
    lines = {int(line.split(":")[1]) for line in errors}
    assert lines == {9, 10}, out + err
    assert any('"decidd_on"' in line for line in errors if ":9:" in line), out
    assert any('"amount"' in line for line in errors if ":10:" in line), out
