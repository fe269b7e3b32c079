"""The plan's terms from a file a lawyer can read: the judgment adopting the plan,
its options and their percentages, in TOML (see `examples/plan.toml`).

    [plan]
    adopted_on = 2023-03-20          # the judgment's date
    duration_years = 10
    supervisor = "Me Dupont"         # the commissaire à l'exécution du plan
    judgment_ref = "TJ Lyon, 20 mars 2023, RG 22/00123"
    uniform_option = "uniforme"      # imposed on creditors who refuse (L626-18)
    default_option = "uniforme"      # for silent creditors (L626-5)

    [[options]]
    option = "uniforme"
    label = "100 % sur 10 ans"
    percents = ["2", "3", "5", "8", "10", "12", "12", "15", "15", "18"]

    [[options]]
    option = "rapide"
    label = "50 % dans les trois mois, abandon du solde"
    percents = ["50"]
    first_due_months = 3             # its first (here only) instalment
    # first_due_on = 2023-06-20      # or the date the judgment names
    # frequency = "quarterly"        # annual (default), half_yearly, monthly

The file is read into a `plan.adopted` fact through the journal's codec, so every
field is checked as a journal line's is, and a bad one is refused naming it
(`plan.duration_years`, `options[0].percents`...). Percentages are written as text
or whole numbers: a TOML float (2.5) is refused, as every float near an amount is.
"""

from __future__ import annotations

import os
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from plandebt.errors import InvalidInputError
from plandebt.events import Fact, PlanAdopted

_PLAN_FIELDS = (
    "adopted_on",
    "duration_years",
    "supervisor",
    "uniform_option",
    "default_option",
    "first_due",
    "first_due_on",
    "judgment_ref",
    "id",
    "client_ref",
)
_OPTION_FIELDS = (
    "option",
    "percents",
    "label",
    "first_due_months",
    "first_due_on",
    "frequency",
    "converts",
)
#: The fields a plan file writes as true or false.
_FLAGS = ("converts",)


def read_plan(case: str, path: str | os.PathLike[str]) -> PlanAdopted:
    """The `plan.adopted` fact the file at `path` describes, for `case`."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise InvalidInputError("file", str(path), f"cannot be read: {e}") from e
    except tomllib.TOMLDecodeError as e:
        raise InvalidInputError("file", str(path), f"is not TOML: {e}") from e
    return plan_fact(case, data)


def plan_fact(case: str, data: dict[str, Any]) -> PlanAdopted:
    plan = data.get("plan")
    if not isinstance(plan, dict):
        raise InvalidInputError("plan", None, "the file has no [plan] table")
    unknown = sorted(set(data) - {"plan", "options"}) + [
        f"plan.{k}" for k in sorted(set(plan) - set(_PLAN_FIELDS))
    ]
    if unknown:
        raise InvalidInputError(unknown[0], None, "is not a field of a plan file")
    options = data.get("options")
    if not isinstance(options, list) or not options:
        raise InvalidInputError("options", None, "the file has no [[options]]")
    journal: dict[str, Any] = {"kind": PlanAdopted.kind, "case": case}
    for key, value in plan.items():
        name = "effective_on" if key == "adopted_on" else key
        journal[name] = _journal_value(f"plan.{key}", value)
    journal["options"] = []
    for i, option in enumerate(options):
        if not isinstance(option, dict):
            raise InvalidInputError(f"options[{i}]", option, "must be a table")
        extra = sorted(set(option) - set(_OPTION_FIELDS))
        if extra:
            raise InvalidInputError(
                f"options[{i}].{extra[0]}", None, "is not a field of an option"
            )
        journal["options"].append(
            {k: _journal_value(f"options[{i}].{k}", v) for k, v in option.items()}
        )
    fact = Fact.from_dict(journal)
    assert isinstance(fact, PlanAdopted)
    return fact


def _journal_value(field: str, value: object) -> object:
    if isinstance(value, bool):
        if field.rpartition(".")[2] in _FLAGS:
            return value
        raise InvalidInputError(field, value, "is not a yes/no field")
    if isinstance(value, float):
        raise InvalidInputError(
            field, value, 'write a percentage or amount as text ("2.5"), not a float'
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_journal_value(f"{field}[{i}]", v) for i, v in enumerate(value)]
    if isinstance(value, int) and field.endswith("]"):
        return str(value)  # a whole percentage
    return value
