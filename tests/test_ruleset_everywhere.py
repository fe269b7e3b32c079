"""One ruleset everywhere (issue 13, item 11): every command that reads a legal number
takes --ruleset like `check`, and an override changes its answer where the value is
read; the library's views take ``ruleset=`` the same way."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.helpers import CASE, OPENED, open_basic_case, stated_defaults
from tests.test_balances_properties import record_each
from tests.test_plan import OPTIONS

from plandebt import Fact, Ledger, Money, check_plan_proposal
from plandebt.cli import main
from plandebt.compliance import Finding
from plandebt.demo import illustrative_journal
from plandebt.ruleset import Ruleset, ruleset_for
from plandebt.strategies import (
    PROPOSAL_BREAKS,
    case_histories,
    dates,
    plan_histories,
    plan_proposals,
    support_and_employment_histories,
)

#: The first instalment falls due on this day and is never paid.
FIRST_DUE = date(2024, 3, 20)


def run(*argv: str) -> tuple[int, dict[str, object]]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, json.loads(out.getvalue())


def overrides(tmp_path: Path, **values: object) -> str:
    path = tmp_path / "court.toml"
    lines = ["[overrides]"] + [
        f"{k} = {json.dumps(v) if isinstance(v, str) else v}" for k, v in values.items()
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def adopted(ledger: Ledger, small_claim: bool = False) -> Ledger:
    """A plan whose first instalment (20 March 2024) is not paid; with
    `small_claim`, a claim of 450.00 among the claims."""
    open_basic_case(ledger)
    claims = ["C1", "C2"]
    if small_claim:
        ledger.register_creditor(
            CASE, "PRINT", name="Printer", creditor_kind="supplier"
        )
        ledger.declare_claim(
            CASE,
            "SMALL",
            creditor="PRINT",
            amount="450",
            origin_on=date(2022, 1, 10),
            rank="unsecured",
            declared_on=date(2022, 5, 2),
        )
        claims.append("SMALL")
    for claim in claims:
        ledger.admit_claim(CASE, claim, decided_on=date(2022, 9, 1))
    ledger.adopt_plan(
        CASE,
        adopted_on=date(2023, 3, 20),
        duration_years=10,
        supervisor="Me S",
        options=OPTIONS,
        uniform_option="uniform",
    )
    return ledger


@pytest.fixture
def store(tmp_path: Path) -> str:
    db = str(tmp_path / "case.db")
    with Ledger.open(db) as ledger:
        adopted(ledger)
    return db


@pytest.fixture
def small_store(tmp_path: Path) -> str:
    db = str(tmp_path / "small.db")
    with Ledger.open(db) as ledger:
        adopted(ledger, small_claim=True)
    return db


def test_status_reads_the_overridden_grace_before_default(
    store: str, tmp_path: Path
) -> None:
    # Ten days late: within the 30 days of the ruleset, past a grace of 5.
    day = (FIRST_DUE + timedelta(10)).isoformat()
    code, plain = run("--db", store, "status", "--as-of", day, "--json")
    assert code == 0 and plain["status"]["phase"] == "in_arrears"  # type: ignore[index]
    court = overrides(tmp_path, plan_default_grace_days=5)
    code, tight = run(
        "--db", store, "status", "--as-of", day, "--json", "--ruleset", court
    )
    assert code == 0 and tight["status"]["phase"] == "in_default"  # type: ignore[index]


def test_portfolio_reads_the_overridden_grace_in_every_case(
    store: str, tmp_path: Path
) -> None:
    day = (FIRST_DUE + timedelta(10)).isoformat()
    court = overrides(tmp_path, plan_default_grace_days=5)
    phases = []
    for extra in ([], ["--ruleset", court]):
        code, view = run("--db", store, "portfolio", "--as-of", day, "--json", *extra)
        assert code == 0
        (status,) = view["portfolio"]["statuses"]  # type: ignore[index]
        phases.append(status["phase"])
    assert phases == ["in_arrears", "in_default"]


def test_schedule_reads_the_overridden_small_claim_limit(
    small_store: str, tmp_path: Path
) -> None:
    def treatment(*extra: str) -> str:
        code, view = run("--db", small_store, "schedule", "--json", *extra)
        assert code == 0
        claims = view["schedule"]["claims"]  # type: ignore[index]
        (small,) = [c for c in claims if c["claim"] == "SMALL"]
        return str(small["treatment"])

    assert treatment() == "small_claim"
    # A limit below 450.00: the claim takes the plan's option like the others.
    court = overrides(tmp_path, small_claim_max="400.00")
    assert treatment("--ruleset", court) == "option"


def test_employment_reads_the_overridden_severance_rate(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    journal = tmp_path / "demo.jsonl"
    journal.write_text(
        "".join(json.dumps(line) + "\n" for line in illustrative_journal()),
        encoding="utf-8",
    )
    assert main(["--db", db, "record", str(journal)], out=io.StringIO()) == 0

    def floors(*extra: str) -> list[str]:
        code, view = run(
            "--db", db, "employment", "--as-of", "2026-06-30", "--json", *extra
        )
        assert code == 0
        departures = view["employment"]["departures"]  # type: ignore[index]
        return [d["legal_minimum"] for d in departures]

    plain = floors()
    rules = ruleset_for(date(2022, 6, 1))
    doubled = 2 * rules.fraction("severance_months_pay_per_year")
    court = overrides(tmp_path, severance_months_pay_per_year=str(doubled))
    changed = floors("--ruleset", court)
    assert len(changed) == len(plain) and changed != plain
    assert all(Decimal(c) >= Decimal(p) for c, p in zip(changed, plain, strict=True))


def test_the_library_views_take_a_ruleset() -> None:
    ledger = adopted(Ledger.open("memory"))
    day = FIRST_DUE + timedelta(10)
    tight = ruleset_for(OPENED).with_overrides({"plan_default_grace_days": 5})
    assert ledger.plan_status(CASE, day).phase == "in_arrears"
    assert ledger.plan_status(CASE, day, ruleset=tight).phase == "in_default"
    assert ledger.portfolio(day).statuses[0].phase == "in_arrears"
    assert ledger.portfolio(day, ruleset=tight).statuses[0].phase == "in_default"
    by_case = ledger.portfolio(day, ruleset={CASE: tight})
    assert by_case.statuses[0].phase == "in_default"
    assert ledger.portfolio(day, ruleset={"OTHER": tight}).statuses[0].phase == (
        "in_arrears"
    )


# --- a message states the value the check read --------------------------------------


def distinctive(rules: Ruleset) -> dict[str, object]:
    """Every number of `rules` that a message may state (days, months, years,
    percentages, amounts) replaced by one no default of its unit has, so that a
    message stating a default is caught by `stated_defaults`."""
    numbers = [r for r in rules.rules if r.kind in ("integer", "decimal", "money")]
    taken: dict[str, set[object]] = {}
    for r in numbers:
        taken.setdefault(r.unit, set()).add(r.value)
    out: dict[str, object] = {}
    for r in numbers:
        value = r.value
        step: object = {"integer": 1, "decimal": Decimal("1.3"), "money": Money(1300)}
        while value in taken[r.unit]:
            value = value + step[r.kind]  # type: ignore[operator, index]
        taken[r.unit].add(value)
        out[r.key] = value
    return out


def overridden(opened_on: date) -> Ruleset:
    rules = ruleset_for(opened_on)
    return rules.with_overrides(distinctive(rules), source="a distinctive ruleset")


def test_the_distinctive_ruleset_changes_every_number_a_message_may_state() -> None:
    rules = overridden(OPENED)
    changed = {r.key for r in rules.overridden() if r.value != r.default}
    assert {"plan_default_grace_days", "first_payment_max_years"} <= changed
    assert "small_claim_max" in changed and "min_annuity_percent" in changed


def _case_findings(facts: list[Fact], as_of: date) -> tuple[list[Finding], Ruleset]:
    ledger = record_each(facts)
    (ref,) = ledger.cases()
    opening = ledger.index(ref).opening()
    assert opening is not None
    rules = overridden(opening.effective_on)
    return list(ledger.check(ref, as_of, ruleset=rules).findings), rules


@settings(max_examples=30)
@given(
    st.one_of(case_histories(), plan_histories(), support_and_employment_histories()),
    dates(date(2015, 1, 1), date(2040, 12, 31)),
)
def test_no_message_states_a_default_the_ruleset_overrides(
    facts: list[Fact], as_of: date
) -> None:
    findings, rules = _case_findings(facts, as_of)
    for f in findings:
        assert not stated_defaults(f)
        # Each finding names the values it rests on, as the ruleset has them.
        for v in f.values:
            rule = rules.rule(v.key)
            assert (v.value, v.overridden, v.default) == (
                rule.value,
                rule.overridden,
                rule.default,
            )


@settings(max_examples=30)
@given(st.sampled_from(PROPOSAL_BREAKS).flatmap(lambda r: plan_proposals(broken=r)))
def test_no_draft_plan_message_states_a_default_the_ruleset_overrides(
    drawn: tuple[dict[str, object], date],
) -> None:
    proposal, opened_on = drawn
    for f in check_plan_proposal(
        proposal, opened_on=opened_on, ruleset=overridden(opened_on)
    ):
        assert not stated_defaults(f)


def test_spec_a_first_payment_limit_of_two_years_is_said_as_two_years() -> None:
    """The issue's example: "later than one year" when the limit is 2."""
    proposal = {
        "adopted_on": "2023-03-20",
        "duration_years": 10,
        "options": [{"option": "uniform", "percents": ["0", "0"] + ["12.5"] * 8}],
        "uniform_option": "uniform",
    }
    rules = ruleset_for(OPENED).with_overrides({"first_payment_max_years": 2})
    (late,) = [
        f
        for f in check_plan_proposal(proposal, opened_on=OPENED, ruleset=rules)
        if f.rule == "L626-18.first-payment-late"
    ]
    assert "2-year limit" in late.message and "2 ans" in late.message_fr
    assert "one year" not in late.message and "un an" not in late.message_fr
    (used,) = [v for v in late.values if v.key == "first_payment_max_years"]
    assert (used.value, used.overridden, used.default) == (2, True, 1)
    assert late.overridden == (used,)
    # Under the ruleset's own limit of one year: not overridden, no default.
    (plain,) = [
        f
        for f in check_plan_proposal(proposal, opened_on=OPENED)
        if f.rule == "L626-18.first-payment-late"
    ]
    assert "1-year limit" in plain.message and not plain.overridden
    assert [v.default for v in plain.values] == [None] * len(plain.values)


def test_spec_the_relief_messages_say_the_overridden_periods() -> None:
    """L622-26 al. 3 gives 6 months and 6 months: overridden to 4 and 3, the
    messages say 4 and 3, in both languages."""
    rules = ruleset_for(OPENED).with_overrides(
        {"relief_request_max_months": 4, "relief_request_later_knowledge_months": 3}
    )
    messages = []
    # BODACC 2022-03-28: the limit is now 2022-07-28. Without a date of knowledge,
    # then with one before that limit.
    for claim, knowledge_on in (("C1", None), ("C2", date(2022, 5, 1))):
        ledger = Ledger.open("memory")
        open_basic_case(ledger)
        ledger.foreclose_claim(CASE, claim, decided_on=date(2022, 6, 1))
        ledger.request_relief(
            CASE,
            claim,
            requested_on=date(2022, 8, 10),
            knowledge_on=knowledge_on,
            justification=None if knowledge_on is None else "found in an audit",
        )
        (late,) = [
            f
            for f in ledger.check(CASE, date(2023, 1, 1), ruleset=rules).findings
            if f.rule == "L622-26.late-relief-request"
        ]
        assert late.severity.value == "error"
        assert {v.key for v in late.overridden} == {
            "relief_request_max_months",
            "relief_request_later_knowledge_months",
        }
        messages.append((late.message, late.message_fr))
    (unknown, unknown_fr), (known, known_fr) = messages
    assert "within the 3-month period" in unknown and "délai de 3 mois" in unknown_fr
    assert "before the 4-month period ran out" in known
    assert "délai de 4 mois" in known_fr
    assert not any("6 mois" in m or "6 months" in m for pair in messages for m in pair)


def test_check_plan_and_check_print_what_was_overridden(tmp_path: Path) -> None:
    draft = tmp_path / "draft.json"
    draft.write_text(
        json.dumps(
            {
                "opened_on": "2022-03-14",
                "plan": {
                    "adopted_on": "2023-03-20",
                    "duration_years": 10,
                    "options": [
                        {"option": "uniform", "percents": ["0", "0"] + ["12.5"] * 8}
                    ],
                    "uniform_option": "uniform",
                },
            }
        ),
        encoding="utf-8",
    )
    court = overrides(tmp_path, first_payment_max_years=2)
    out = io.StringIO()
    assert main(["check-plan", str(draft), "--ruleset", court], out=out) == 1
    text = out.getvalue()
    head, _, findings = text.partition("ERRORS")
    assert f"overridden: first_payment_max_years = 2 (default 1; {court};" in head
    # Under the finding that rests on it, the value and its default again.
    assert "overridden: first_payment_max_years = 2 (default 1)" in findings
    out = io.StringIO()
    assert main(["check-plan", str(draft), "--json", "--ruleset", court], out=out) == 1
    document = json.loads(out.getvalue())["check_plan"]
    assert document["overridden"] == [
        {
            "key": "first_payment_max_years",
            "value": "2",
            "default": "1",
            "source": court,
            "article": ruleset_for(OPENED).rule("first_payment_max_years").article,
        }
    ]
    # Without --ruleset: nothing overridden, no such line.
    out = io.StringIO()
    assert main(["check-plan", str(draft)], out=out) == 1
    assert "overridden" not in out.getvalue()
