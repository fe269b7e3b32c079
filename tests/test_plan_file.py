"""The plan's terms from a TOML file (plandebt.plan_file)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tests.helpers import CASE, open_basic_case, snapshot

from plandebt import InvalidInputError, Ledger, Money
from plandebt.plan_file import plan_fact

SAMPLE = Path(__file__).parent.parent / "examples" / "plan.toml"


def _case_before_adoption() -> Ledger:
    ledger = Ledger.open("memory")
    open_basic_case(ledger)
    ledger.admit_claim(CASE, "C1", decided_on=date(2022, 9, 1))
    ledger.admit_claim(CASE, "C2", decided_on=date(2022, 9, 1))
    return ledger


def test_the_sample_plan_file_adopts_the_seed_pattern() -> None:
    ledger = _case_before_adoption()
    adopted = ledger.adopt_plan_file(CASE, SAMPLE)
    assert adopted.effective_on == date(2023, 3, 20)
    assert [o.option for o in adopted.options] == ["uniforme", "rapide"]
    schedule = ledger.schedule(CASE)
    assert schedule is not None
    assert schedule.total == Money.parse("1250000")  # both claims over ten years


def test_a_file_adopts_the_same_plan_as_the_command() -> None:
    by_file = _case_before_adoption().adopt_plan_file(CASE, SAMPLE)
    by_command = _case_before_adoption().adopt_plan(
        CASE,
        adopted_on=date(2023, 3, 20),
        duration_years=10,
        supervisor="Me Dupont, commissaire à l'exécution du plan",
        judgment_ref="TJ Lyon, 20 mars 2023",
        uniform_option="uniforme",
        default_option="uniforme",
        options=[o.to_dict() if hasattr(o, "to_dict") else o for o in by_file.options],
    )
    assert by_file.payload() | {"id": None} == by_command.payload() | {"id": None}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"plan": {"duration_years": 10}}, "options"),
        ({"options": []}, "plan"),
        ({"plan": {"colour": "blue"}, "options": [{}]}, "plan.colour"),
        (
            {
                "plan": {"adopted_on": date(2023, 3, 20)},
                "options": [{"option": "u", "percents": [2.5]}],
            },
            "options[0].percents[0]",
        ),
    ],
)
def test_a_bad_plan_file_is_refused_naming_the_field(data, field) -> None:
    with pytest.raises(InvalidInputError) as refused:
        plan_fact(CASE, data)
    assert refused.value.field == field


def test_a_refused_file_writes_nothing(tmp_path: Path) -> None:
    ledger = _case_before_adoption()
    bad = tmp_path / "plan.toml"
    bad.write_text(
        '[plan]\nadopted_on = 2023-03-20\n[[options]]\noption = "u"\n', "utf-8"
    )
    before = snapshot(ledger)
    with pytest.raises(InvalidInputError):
        ledger.adopt_plan_file(CASE, bad)
    assert snapshot(ledger) == before


def _plan(option: dict[str, object]) -> dict[str, object]:
    return {
        "plan": {
            "adopted_on": date(2023, 3, 20),
            "duration_years": 10,
            "supervisor": "Me Dupont",
            "uniform_option": "u",
        },
        "options": [{"option": "u", "percents": ["10"] * 10}, option],
    }


def test_an_option_converting_claims_into_shares_is_written_as_true() -> None:
    # L626-5: silence on a conversion is a refusal, so the file must say which
    # option converts.
    converts = plan_fact(
        CASE, _plan({"option": "c", "percents": ["100"], "converts": True})
    )
    plain = plan_fact(CASE, _plan({"option": "c", "percents": ["100"]}))
    assert [o.converts for o in converts.options] == [False, True]
    assert [o.converts for o in plain.options] == [False, False]


def test_only_a_yes_no_field_takes_true_or_false() -> None:
    with pytest.raises(InvalidInputError) as refused:
        plan_fact(CASE, _plan({"option": "c", "percents": ["100"], "label": True}))
    assert refused.value.field == "options[1].label"
