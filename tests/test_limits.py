"""Bounds at the door (plandebt.limits, docs/journal.md "Limits"): each one on both
sides, at the bound accepted and one past it refused, from a journal (with the line
number) and from Python, and nothing written when refused."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from tests.helpers import CASE, open_basic_case, snapshot

from plandebt import InvalidInputError, JournalError, Ledger, Money, limits
from plandebt.events import (
    CaseOpened,
    Fact,
    PaymentBasis,
    PaymentMade,
)
from plandebt.ruleset import ruleset_version
from plandebt.ruleset.versions import versions_with

# --- journal lines of the basic case (tests/helpers.py), one field varied -------------


def _declared(**fields: Any) -> dict[str, Any]:
    line = {
        "kind": "claim.declared",
        "case": CASE,
        "effective_on": "2022-05-10",
        "claim": "BIG",
        "creditor": "BANK",
        "amount": "1000.00",
        "origin_on": "2021-12-01",
        "rank": "unsecured",
    }
    return {**line, **fields}


def _registered(**fields: Any) -> dict[str, Any]:
    line = {
        "kind": "creditor.registered",
        "case": CASE,
        "effective_on": "2022-03-14",
        "creditor": "NEW",
        "name": "New creditor",
        "creditor_kind": "supplier",
    }
    return {**line, **fields}


def _adopted(**fields: Any) -> dict[str, Any]:
    line = {
        "kind": "plan.adopted",
        "case": CASE,
        "effective_on": "2023-03-14",
        "duration_years": 10,
        "supervisor": "Me Martin",
        "options": [{"option": "u", "percents": ["10"] * 10}],
        "uniform_option": "u",
    }
    return {**line, **fields}


def _departed(**fields: Any) -> dict[str, Any]:
    line = {
        "kind": "employment.departed",
        "case": CASE,
        "effective_on": "2022-06-30",
        "employee": "E1",
        "departure": "other",
        "seniority_months": 12,
        "monthly_pay": "2000.00",
    }
    return {**line, **fields}


def _percents(count: int) -> list[dict[str, Any]]:
    return [{"option": "u", "percents": ["0"] * (count - 1) + ["1"]}]


#: name: (the line at the bound, the line one past it, the field the refusal names)
BOUNDS: dict[str, tuple[dict[str, Any], dict[str, Any], str]] = {
    "amount": (
        _declared(amount="1000000000000.00"),
        _declared(amount="1000000000000.01"),
        "amount",
    ),
    "amount, written the French way": (
        _declared(amount="1 000 000 000 000,00 €"),
        _declared(amount="1 000 000 000 000,01 €"),
        "amount",
    ),
    "amount, negative": (
        _departed(monthly_pay="0.00"),
        _departed(monthly_pay="-1000000000000.01"),
        "monthly_pay",
    ),
    "plan duration": (
        _adopted(duration_years=100),
        _adopted(duration_years=101),
        "duration_years",
    ),
    "plan duration, at least a year": (
        _adopted(duration_years=1, options=[{"option": "u", "percents": ["100"]}]),
        _adopted(duration_years=0),
        "duration_years",
    ),
    "percentages, one per plan year": (
        _adopted(duration_years=100, options=_percents(100)),
        _adopted(duration_years=100, options=_percents(101)),
        "options[0].percents",
    ),
    "seniority": (
        _departed(seniority_months=1200),
        _departed(seniority_months=1201),
        "seniority_months",
    ),
    "seniority, not negative": (
        _departed(seniority_months=0),
        _departed(seniority_months=-1),
        "seniority_months",
    ),
    "loan term": (
        _declared(interest_regime="continues", loan_term_months=1200),
        _declared(interest_regime="continues", loan_term_months=1201),
        "loan_term_months",
    ),
    "identifier length": (
        _registered(creditor="C" * 256),
        _registered(creditor="C" * 257),
        "creditor",
    ),
    "name length": (
        _registered(name="N" * 256),
        _registered(name="N" * 257),
        "name",
    ),
    "free text length": (
        _declared(description="D" * 4000),
        _declared(description="D" * 4001),
        "description",
    ),
    "earliest date": (
        _registered(effective_on="1900-01-01"),
        _registered(effective_on="1899-12-31"),
        "effective_on",
    ),
    "latest date": (
        _declared(effective_on="2199-12-31"),
        _declared(effective_on="2200-01-01"),
        "effective_on",
    ),
    "decimal places": (
        _adopted(options=[{"option": "u", "percents": ["0." + "1" * 40]}]),
        _adopted(options=[{"option": "u", "percents": ["0." + "1" * 41]}]),
        "options[0].percents[0]",
    ),
    "list items": (
        {
            "kind": "support.committed",
            "case": CASE,
            "effective_on": "2022-06-01",
            "commitment": "K",
            "investor": "Holding",
            "tranches": [{"due_on": "2023-01-01", "amount": "1.00"}] * 1000,
        },
        {
            "kind": "support.committed",
            "case": CASE,
            "effective_on": "2022-06-01",
            "commitment": "K",
            "investor": "Holding",
            "tranches": [{"due_on": "2023-01-01", "amount": "1.00"}] * 1001,
        },
        "tranches",
    ),
}


@pytest.fixture
def ledger() -> Ledger:
    ledger = Ledger.open("memory")
    open_basic_case(ledger)
    return ledger


def _refused_at_line_2(
    ledger: Ledger, line: dict[str, Any], field: str
) -> JournalError:
    """Imports a good line then `line`: refused at line 2, naming `field`, and
    nothing of the journal written."""
    before = snapshot(ledger)
    good = _registered(creditor="FIRST", name="First")
    with pytest.raises(JournalError) as refused:
        ledger.import_journal([json.dumps(good), json.dumps(line)])
    assert refused.value.line == 2
    assert refused.value.field == field
    assert f"line 2: {refused.value.cause.reason}" in str(refused.value)
    assert snapshot(ledger) == before
    return refused.value


@pytest.mark.parametrize(
    ("accepted", "refused", "field"), BOUNDS.values(), ids=BOUNDS.keys()
)
def test_each_bound_accepts_its_limit_and_refuses_one_past_it(
    ledger: Ledger, accepted: dict[str, Any], refused: dict[str, Any], field: str
) -> None:
    _refused_at_line_2(ledger, refused, field)
    ledger.import_journal([json.dumps(accepted)])


#: Values of a field that are not written as the journal writes them.
FORMS: dict[str, tuple[Callable[..., dict[str, Any]], str, list[Any]]] = {
    "dates are YYYY-MM-DD": (
        _registered,
        "effective_on",
        [
            "2022-W11-1",  # an ISO week date
            "20220314",  # the basic form
            "2022-073",  # an ordinal date
            "２０２２-０３-１４",  # fullwidth digits
            "2022-3-14",
            "2022-03-14T00:00:00+00:00",
            "2022-02-30",  # well formed, but no such day
            " 2022-03-14",
        ],
    ),
    "amounts have ASCII digits": (
        _declared,
        "amount",
        [
            "١٠٠.٠٠",  # Arabic-Indic digits
            "١٠٠",
            "۱۰۰.۰۰",  # extended Arabic-Indic
            "１００.００",  # fullwidth
            "100.²²",  # superscripts
            "1٠0.00",
            "१००.००",  # Devanagari
            "1" * 5000 + ".00",  # more digits than Python converts
            "1e3",
            "100.00 ÉUR",  # not an ISO currency code
        ],
    ),
    "identifiers hold no control character": (
        _registered,
        "creditor",
        [
            "A\x00B",  # NUL
            "A\x1b[31mB",  # ESC: a terminal colour
            "A\x07",  # BEL
            "A\tB",
            "A\nB",
            "A\x7f",  # DEL
            "A\x85B",  # NEL, a C1 control
            "A\x9bB",  # CSI, a C1 control
            "A\u202eB",  # RIGHT-TO-LEFT OVERRIDE
            "A\u202aB",  # LEFT-TO-RIGHT EMBEDDING
            "A\u2066B",  # LEFT-TO-RIGHT ISOLATE
            "A\u2069B",  # POP DIRECTIONAL ISOLATE
            "A\u2028B",  # LINE SEPARATOR
            "A\ud800B",  # a lone surrogate
        ],
    ),
    "names hold no control character": (
        _registered,
        "name",
        ["Acme\x1b]0;owned\x07", "Acme \u202egnp.exe", "Acme\x00"],
    ),
    "free text holds no control character but tabs and line breaks": (
        _declared,
        "description",
        ["a\x00b", "a\x1bb", "a\x0cb", "a\u202eb", "a\x85b", "a\udfffb"],
    ),
    "decimals are plain ASCII numbers": (
        lambda **f: _adopted(options=[{"option": "u", "percents": [f["percent"]]}]),
        "options[0].percents[0]",
        ["1e2", "1E+999999", "1_0", "١٢", "NaN", "Infinity", "+", "1.", ".5", " 5"],
    ),
}


@pytest.mark.parametrize(("line", "field", "values"), FORMS.values(), ids=FORMS.keys())
def test_values_not_in_the_journal_s_form_are_refused(
    ledger: Ledger,
    line: Callable[..., dict[str, Any]],
    field: str,
    values: list[Any],
) -> None:
    name = "percent" if field.startswith("options") else field
    for value in values:
        refusal = _refused_at_line_2(ledger, line(**{name: value}), field)
        assert refusal.value == value


def test_free_text_may_hold_tabs_line_breaks_and_any_script(ledger: Ledger) -> None:
    text = "Factures\td'octobre\r\nفاتورة\n請求書 \u2028 ok"
    ledger.import_journal([json.dumps(_declared(description=text))])
    assert ledger.history(CASE)[-1].to_dict()["description"] == text


def test_names_may_be_written_in_any_script(ledger: Ledger) -> None:
    ledger.import_journal(
        [json.dumps(_registered(creditor="Société-Ω", name="شركة مثال 有限公司"))]
    )


def test_a_refusal_names_the_character_and_its_position(ledger: Ledger) -> None:
    refusal = _refused_at_line_2(ledger, _registered(case="RG\x0024"), "case")
    assert "U+0000" in refusal.reason and "position 3" in refusal.reason
    refusal = _refused_at_line_2(ledger, _registered(name="ab\u202ec"), "name")
    assert "RIGHT-TO-LEFT OVERRIDE" in refusal.reason


def test_datetimes_are_in_extended_form_with_their_offset() -> None:
    opening = CaseOpened.build(
        case="X",
        effective_on=date(2022, 3, 14),
        procedure="sauvegarde",
        court="TC",
        debtor="D",
    ).to_dict()
    accepted = {
        "2022-03-15T09:15:00+00:00": datetime(2022, 3, 15, 9, 15, tzinfo=UTC),
        "2022-03-15T09:15:00Z": datetime(2022, 3, 15, 9, 15, tzinfo=UTC),
        "2022-03-15T10:15:00.5+01:00": datetime(2022, 3, 15, 9, 15, 0, 500000, UTC),
        "2022-03-15T10:15+01:00": datetime(2022, 3, 15, 9, 15, tzinfo=UTC),
    }
    for text, moment in accepted.items():
        assert Fact.from_dict({**opening, "recorded_at": text}).recorded_at == moment
    refused = [
        "20220315T091500+0000",  # basic form
        "2022-03-15 09:15:00+00:00",  # a space for the T
        "2022-03-15T09:15:00",  # no offset
        "2022-W11-2T09:15:00+00:00",  # a week date
        "2022-03-15T09:15:00+01:00:30",  # an offset in seconds
        "2022-03-15T09:15:00.1234567+00:00",  # more than microseconds
        "2022-03-15T25:00:00+00:00",
        "2200-01-01T00:00:00+00:00",  # past the latest date
        "２０２２-03-15T09:15:00+00:00",
    ]
    for text in refused:
        with pytest.raises(InvalidInputError) as refusal:
            Fact.from_dict({**opening, "recorded_at": text})
        assert refusal.value.field == "recorded_at"
        assert refusal.value.value == text


def test_a_journal_integer_of_more_than_19_digits_is_refused_as_it_is_read(
    ledger: Ledger,
) -> None:
    refusal = _refused_at_line_2(ledger, _adopted(duration_years=10**19), "line")
    assert "20 digits" in refusal.reason
    _refused_at_line_2(ledger, _adopted(duration_years=10**18), "duration_years")


# --- from Python -----------------------------------------------------------------------


def test_the_python_api_meets_the_same_bounds(ledger: Ledger) -> None:
    before = snapshot(ledger)
    calls: list[tuple[str, Callable[[], Any]]] = [
        (
            "amount",
            lambda: ledger.declare_claim(
                CASE,
                "BIG",
                creditor="BANK",
                amount=Money(limits.MAX_AMOUNT_CENTS + 1),
                origin_on=date(2021, 12, 1),
                rank="unsecured",
                declared_on=date(2022, 5, 10),
            ),
        ),
        (
            "amount",
            lambda: ledger.pay(
                CASE,
                "C1",
                amount=Decimal("1E+20"),
                paid_on=date(2023, 1, 1),
                basis="plan_dividend",
            ),
        ),
        (
            "case",
            lambda: ledger.open_case(
                "RG\x00",
                procedure="sauvegarde",
                court="TC",
                debtor="D",
                opened_on=date(2022, 1, 3),
            ),
        ),
        (
            "effective_on",  # the opening date is the judgment's effective date
            lambda: ledger.open_case(
                "RG 2",
                procedure="sauvegarde",
                court="TC",
                debtor="D",
                opened_on=date(9999, 1, 3),
            ),
        ),
        (
            "name",
            lambda: ledger.register_creditor(
                CASE, "X", name="X\u202e", creditor_kind="bank"
            ),
        ),
    ]
    for field, call in calls:
        with pytest.raises(InvalidInputError) as refusal:
            call()
        assert refusal.value.field == field
    assert snapshot(ledger) == before
    ledger.declare_claim(
        CASE,
        "BIG",
        creditor="BANK",
        amount=Money(limits.MAX_AMOUNT_CENTS),
        origin_on=date(2021, 12, 1),
        rank="unsecured",
        declared_on=date(2022, 5, 10),
    )


def test_a_fact_built_by_calling_its_class_meets_the_bounds_when_recorded(
    ledger: Ledger,
) -> None:
    before = snapshot(ledger)
    wrong = [
        PaymentMade(
            case=CASE,
            effective_on=date(2023, 1, 1),
            claim="C1",
            amount=Money(10**20),
            basis=PaymentBasis.PLAN_DIVIDEND,
        ),
        PaymentMade(
            case=CASE,
            effective_on=date(2023, 1, 1),
            claim="C1\x00",
            amount=Money(100),
            basis=PaymentBasis.PLAN_DIVIDEND,
        ),
        PaymentMade(  # a str where an enum is declared: it would never read back
            case=CASE,
            effective_on=date(2023, 1, 1),
            claim="C1",
            amount=Money(100),
            basis="plan_dividend",  # type: ignore[arg-type]
        ),
    ]
    for fact in wrong:
        with pytest.raises(InvalidInputError):
            ledger.record(fact)
    assert snapshot(ledger) == before


def test_a_decimal_of_an_absurd_exponent_is_refused_before_any_arithmetic() -> None:
    with pytest.raises(InvalidInputError):
        Fact.from_dict(
            {
                **_adopted(),
                "options": [{"option": "u", "percents": [Decimal("1E+99999")]}],
            }
        )


def test_a_plan_as_long_as_the_door_allows_is_checked_not_refused(
    ledger: Ledger,
) -> None:
    """The door leaves what is lawful to the compliance checks: a 100-year plan is
    recorded, and every view of it answers (the calendar holds its schedule)."""
    ledger.import_journal(
        [json.dumps(_adopted(duration_years=100, options=_percents(100)))]
    )
    report = ledger.check(CASE, date(2030, 1, 1))
    assert "L626-12.plan-too-long" in {f.to_dict()["rule"] for f in report.findings}
    ledger.plan_status(CASE, date(2199, 12, 31))
    ledger.schedule(CASE, date(2199, 12, 31))


def test_the_law_s_longest_plan_passes_the_door() -> None:
    for version in versions_with("plan_max_years"):
        rules = ruleset_version(version)
        for key in ("plan_max_years", "plan_max_years_agricultural_natural_person"):
            if key in rules:
                assert rules.years(key) < limits.MAX_PLAN_YEARS


# --- PostgreSQL schema names -------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["books", "plandebt_test_1", "_x", "a" * 63, "select1", "users"]
)
def test_a_store_schema_name_that_needs_no_quoting_is_accepted(name: str) -> None:
    assert limits.check_schema(name) == name


@pytest.mark.parametrize(
    "name",
    [
        'x";CREATE SCHEMA y;--',
        "Books",
        "a b",
        "a.b",
        "a-b",
        "1a",
        "a" * 64,
        "select",
        "user",
        "ça",
        "",
    ],
)
def test_a_store_schema_name_that_needs_quoting_is_refused(name: str) -> None:
    from plandebt.errors import StorageError

    with pytest.raises(StorageError, match="cannot hold a store"):
        limits.check_schema(name)


def test_the_journal_page_states_the_limits_the_code_applies() -> None:
    from pathlib import Path

    page = (Path(__file__).parents[1] / "docs" / "journal.md").read_text("utf-8")
    section = page.split("\n## Limits\n", 1)[1].split("\n## ", 1)[0]
    assert f"{limits.MAX_AMOUNT_CENTS // 100:,}.00 €" in section
    assert f"1 to {limits.MAX_PLAN_YEARS} years" in section
    assert f"At most {limits.MAX_PLAN_ITEMS} items" in section
    assert f"At most {limits.MAX_LIST_ITEMS:,} items" in section
    assert f"0 to {limits.MAX_MONTHS:,} months" in section
    assert f"At most {limits.MAX_NAME_LENGTH} characters" in section
    assert f"At most {limits.MAX_TEXT_LENGTH:,} characters" in section
    assert f"from {limits.MIN_DATE} to {limits.MAX_DATE}" in section
    assert f"At most {limits.MAX_LINE_LENGTH:,} bytes" in section
    assert f"more than {limits.MAX_INTEGER_DIGITS} digits" in section
    assert f"at most {limits.MAX_NESTING} levels deep" in section
    assert f"{limits.MAX_DECIMAL_UNITS} digits before its point" in section
    assert f"{limits.MAX_DECIMAL_PLACES} after" in section
