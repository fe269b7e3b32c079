from __future__ import annotations

import ast
import re
import tomllib
from datetime import date, datetime
from decimal import Decimal
from fnmatch import fnmatch
from fractions import Fraction
from importlib import resources
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from plandebt.compliance import RULES
from plandebt.errors import InvalidInputError, RuleTypeError
from plandebt.money import Money
from plandebt.ruleset import (
    POST_REFORM,
    PRE_REFORM,
    REFORM_DATE,
    Rule,
    Ruleset,
    ruleset_for,
    ruleset_version,
)
from plandebt.ruleset.docs import HEADINGS, markdown_row, markdown_sections
from plandebt.ruleset.ruleset import RETIRED
from plandebt.ruleset.versions import FILES, parse_version

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "ruleset.md"
PRE = ruleset_version(PRE_REFORM)
POST = ruleset_version(POST_REFORM)
BOTH = pytest.mark.parametrize("ruleset", [PRE, POST], ids=[PRE_REFORM, POST_REFORM])


# --- versions ----------------------------------------------------------------------


def test_version_is_chosen_by_the_opening_judgment_date():
    assert date(2021, 10, 1) == REFORM_DATE
    assert ruleset_for(date(2021, 9, 30)).version == "pre-2021-10-01"
    assert ruleset_for(date(2021, 10, 1)).version == "2021-10-01"
    assert ruleset_for(date(2005, 1, 1)) == PRE
    assert ruleset_for(date(2030, 1, 1)) == POST


def test_ten_percent_from_year_six_exists_only_after_the_reform():
    assert POST["min_annuity_step_up_year"] == 6
    assert POST["min_annuity_step_up_percent"] == Decimal("10")
    # Before ord. 2021-1193 the 5 % minimum just continues from year 6.
    assert PRE["min_annuity_step_up_percent"] == Decimal("5")
    assert PRE["min_annuity_step_up_percent"] == PRE["min_annuity_percent"]
    for ruleset in (PRE, POST):
        assert ruleset["min_annuity_start_year"] == 3
        assert ruleset["min_annuity_percent"] == Decimal("5")


def test_sauvegarde_observation_is_capped_at_12_months_after_the_reform_18_before():
    assert POST["observation_max_months_sauvegarde"] == 12
    assert PRE["observation_max_months_sauvegarde"] == 18
    assert POST["observation_max_months_rj"] == PRE["observation_max_months_rj"] == 18


def test_versions_hold_the_same_keys():
    assert set(POST) == set(PRE)


def test_the_numbers_the_brief_names_are_there():
    assert POST["plan_max_years"] == 10
    assert POST["plan_max_years_agricultural_natural_person"] == 15
    assert POST["first_payment_max_years"] == 1
    assert POST["small_claim_max"] == Money(500_00)
    assert POST["small_claims_total_cap_percent"] == Decimal("5")
    assert POST["small_claims_holder_exclusion_percent"] == Decimal("0.5")
    assert POST["creditor_consultation_silence_days"] == 30
    assert POST["declaration_deadline_months"] == 2
    assert POST["declaration_extension_months_abroad"] == 2
    assert POST["relief_request_max_months"] == 6
    assert POST["ags_window_after_plan_months"] == 1
    assert POST["severance_min_seniority_months"] == 8
    assert POST["severance_months_pay_per_year"] == Fraction(1, 4)
    assert POST["severance_months_pay_per_year_beyond"] == Fraction(1, 3)
    assert POST["severance_higher_rate_from_years"] == 10
    assert POST["interest_continuation_min_term_months"] == 12
    assert POST["post_opening_claim_notice_years"] == 1
    grace = POST.rule("plan_default_grace_days")
    assert (grace.value, grace.confidence) == (30, "U")
    assert "plandebt default" in grace.article


@BOTH
def test_every_rule_names_its_article_and_a_confidence(ruleset: Ruleset):
    assert len(ruleset) == len(ruleset.rules) > 40
    for rule in ruleset.rules:
        assert rule.article.strip(), rule.key
        assert rule.confidence in {"T", "S", "U"}, rule.key
        assert rule.note.strip() and "\n" not in rule.note, rule.key
        assert rule.unit.strip(), rule.key
        assert not isinstance(rule.value, float), rule.key
        assert not rule.overridden and rule.default is None, rule.key
        if rule.unit == "percent":
            assert isinstance(rule.value, Decimal), rule.key


def test_pre_reform_minimum_annuities_come_from_the_old_text_that_was_read():
    # L626-18: the 2014-2021 text was read [T]; the 2021 wording only in
    # secondary sources [S].
    assert PRE.rule("min_annuity_percent").confidence == "T"
    assert POST.rule("min_annuity_percent").confidence == "S"
    assert POST.rule("min_annuity_step_up_percent").confidence == "S"


def test_a_datetime_or_a_string_is_not_an_opening_date():
    for bad in (datetime(2021, 10, 1, 12), "2021-10-01", None):
        with pytest.raises(InvalidInputError) as err:
            ruleset_for(bad)  # type: ignore[arg-type]
        assert err.value.field == "opened_on"


def test_unknown_version_is_refused():
    with pytest.raises(InvalidInputError) as err:
        ruleset_version("2019")
    assert err.value.field == "version"


def test_a_looked_up_missing_rule_raises_key_error():
    with pytest.raises(KeyError):
        PRE["classes_mandatory_min_employees"]
    assert PRE.get("classes_mandatory_min_employees") is None


@pytest.mark.parametrize("key", sorted(RETIRED))
def test_overriding_a_retired_rule_is_refused_saying_so(key):
    assert key not in POST and key not in PRE
    with pytest.raises(InvalidInputError) as err:
        POST.with_overrides({key: "1"})
    assert err.value.field == key and "retired" in err.value.reason


# --- typed reads -------------------------------------------------------------------


@BOTH
def test_each_rule_reads_through_the_accessor_of_its_type(ruleset: Ruleset):
    for rule in ruleset.rules:
        value = getattr(ruleset, rule.kind)(rule.key)
        assert value == rule.value and type(value) is type(rule.value), rule.key
        if rule.kind == "integer" and rule.unit in ("days", "months", "years"):
            assert getattr(ruleset, rule.unit)(rule.key) == rule.value, rule.key


def test_typed_reads_give_the_type_they_name():
    assert POST.years("plan_max_years") == 10
    assert POST.months("declaration_deadline_months") == 2
    assert POST.days("plan_default_grace_days") == 30
    assert POST.integer("min_annuity_step_up_year") == 6
    assert POST.decimal("min_annuity_step_up_percent") == Decimal("10")
    assert POST.fraction("severance_months_pay_per_year") == Fraction(1, 4)
    assert POST.money("small_claim_max") == Money(500_00)
    assert POST.flag("deadline_extended_to_next_working_day") is True
    assert POST.text("public_holidays").startswith("01-01")
    # An override keeps its type: what was read as money stays money.
    assert POST.with_overrides({"small_claim_max": "300"}).money(
        "small_claim_max"
    ) == Money(300_00)


@pytest.mark.parametrize(
    ("accessor", "key", "hint"),
    [
        ("days", "relief_request_max_months", "Ruleset.months()"),
        ("years", "min_annuity_step_up_year", "Ruleset.integer()"),
        # a bool is an int
        ("integer", "deadline_extended_to_next_working_day", "Ruleset.flag()"),
        ("flag", "plan_max_years", "Ruleset.years()"),
        ("money", "min_annuity_percent", "Ruleset.decimal()"),
        ("decimal", "small_claim_max", "Ruleset.money()"),
        ("fraction", "min_annuity_percent", "Ruleset.decimal()"),
        ("text", "plan_max_years", "Ruleset.years()"),
    ],
)
def test_a_rule_read_as_another_type_or_unit_is_a_rule_type_error(accessor, key, hint):
    with pytest.raises(RuleTypeError) as err:
        getattr(POST, accessor)(key)
    assert err.value.key == key
    assert hint in str(err.value)
    assert isinstance(err.value, TypeError)


def test_a_typed_read_of_a_missing_rule_raises_key_error():
    with pytest.raises(KeyError):
        PRE.integer("classes_mandatory_min_employees")


# --- every rule is read, in its type ---------------------------------------------------

_ACCESSORS = {"days", "months", "years", "integer", "decimal", "fraction", "money"}
_ACCESSORS |= {"flag", "text"}
_RULESET_NAMES = {"rules", "ruleset"}  # what the code calls a Ruleset


def _receiver(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):  # ctx.rules, self.rules
        return node.attr
    return None


def _reads() -> tuple[list[tuple[str, str, str]], list[str]]:
    """(where, accessor, key) of every typed read in src/plandebt outside the
    ruleset package, and the places that read a rule another way."""
    reads, other = [], []
    for path in sorted((ROOT / "src" / "plandebt").rglob("*.py")):
        if "ruleset" in path.relative_to(ROOT / "src" / "plandebt").parts:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Subscript) and _receiver(node.value) in (
                _RULESET_NAMES
            ):
                other.append(f"{where}: a subscript, not a typed read")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "money_by_year"
            ):
                # A yearly table read by its literal name reads every year of it.
                table = node.args[0] if node.args else None
                if isinstance(table, ast.Constant) and isinstance(table.value, str):
                    reads.extend(
                        (where, "money", key)
                        for key in sorted(set(POST) | set(PRE))
                        if re.fullmatch(rf"{table.value}_\d{{4}}", key)
                    )
                else:
                    other.append(f"{where}: a table name that is not a literal")
                continue
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in _ACCESSORS
            ):
                continue
            key = node.args[0] if node.args else None
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                reads.append((where, node.func.attr, key.value))
            elif _receiver(node.func.value) in _RULESET_NAMES:
                other.append(f"{where}: a key that is not a literal")
    return reads, other


def test_the_code_reads_rules_with_typed_accessors_and_literal_keys():
    reads, other = _reads()
    assert reads, "the scan found no read at all: has an accessor been renamed?"
    # A subscript gives the RuleValue union, and a computed key hides what is read
    # from the checks below.
    assert other == []


def test_every_rule_the_code_reads_exists_in_the_type_its_accessor_names():
    for where, accessor, key in _reads()[0]:
        holding = [rs for rs in (PRE, POST) if key in rs]
        assert holding, f"{where}: {key!r} is not a rule of any version"
        for ruleset in holding:
            getattr(ruleset, accessor)(key)  # raises RuleTypeError if not


@BOTH
def test_every_rule_is_read_by_some_rule_or_projection(ruleset: Ruleset):
    # The ruleset holds the numbers plandebt uses, no other: a number of law that no
    # check reads is listed in docs/ruleset.md, not kept as data (RETIRED).
    read = {key for _where, _accessor, key in _reads()[0]}
    assert set(ruleset) - read == set(), "a rule nothing reads"
    assert not read & RETIRED, "a retired rule is read: bring it back to the data"


def test_every_parameter_a_compliance_rule_names_is_a_rule():
    for info in RULES:
        for key in info.parameters:
            assert key in POST or key in PRE, (info.id, key)


# --- the data files ----------------------------------------------------------------


def test_both_versions_give_a_shared_rule_the_same_type_and_unit():
    for key in PRE:
        assert PRE.rule(key).kind == POST.rule(key).kind, key
        assert PRE.rule(key).unit == POST.rule(key).unit, key


def test_each_version_is_read_from_its_data_file_shipped_with_the_package():
    data = resources.files("plandebt.ruleset").joinpath("data")
    assert sorted(f.name for f in data.iterdir() if f.name.endswith(".toml")) == sorted(
        FILES.values()
    )
    for version, name in FILES.items():
        text = data.joinpath(name).read_text("utf-8")
        assert parse_version(text, version, name) == ruleset_version(version)
    # A wheel ships only what [tool.setuptools.package-data] names.
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["plandebt"]
    for name in FILES.values():
        assert any(fnmatch(f"ruleset/data/{name}", p) for p in patterns), name


_GOOD = """
version = "2021-10-01"

[rules.small_claim_max]
type = "money"
value = "500.00"
unit = "EUR"
article = "C. com. R626-34"
confidence = "S"
note = "A note."
"""


def test_a_data_file_is_read_in_the_types_it_declares():
    rules = parse_version(_GOOD, POST_REFORM, "test.toml")
    assert rules.rules == (
        Rule(
            "small_claim_max", Money(500_00), "EUR", "C. com. R626-34", "S", "A note."
        ),
    )
    # TOML decimals are read exactly, as in an override file.
    decimal = parse_version(_GOOD.replace('"500.00"', "500.00"), POST_REFORM, "t")
    assert decimal["small_claim_max"] == Money(500_00)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (('value = "500.00"', 'value = "500.001"'), "rules.small_claim_max.value"),
        (('value = "500.00"', "value = 500"), "rules.small_claim_max.value"),
        (('type = "money"', 'type = "amount"'), "rules.small_claim_max.type"),
        (('type = "money"', 'type = "integer"'), "rules.small_claim_max.value"),
        (('confidence = "S"', 'confidence = "X"'), "rules.small_claim_max.confidence"),
        (('note = "A note."', 'note = ""'), "rules.small_claim_max.note"),
        (('note = "A note."', 'notes = "A note."'), "rules.small_claim_max"),
        (('note = "A note."\n', ""), "rules.small_claim_max"),
        (("[rules.small_claim_max]", "[rules.Small]"), "rules.Small.key"),
        (('version = "2021-10-01"', 'version = "2019"'), "version"),
        (('version = "2021-10-01"', 'title = "x"'), "title"),
        (("[rules.small_claim_max]", "[rule.small_claim_max]"), "rule"),
        (("[rules.small_claim_max]", "[rules.small_claim_max"), "ruleset_file"),
    ],
)
def test_a_mistake_in_a_data_file_is_refused_naming_the_field(change, field):
    old, new = change
    assert old in _GOOD
    with pytest.raises(InvalidInputError) as err:
        parse_version(_GOOD.replace(old, new), POST_REFORM, "test.toml")
    assert err.value.field == field
    assert "test.toml" in str(err.value)


# --- overrides in Python -------------------------------------------------------------


def test_python_override_changes_the_value_and_marks_only_that_rule():
    ruleset = ruleset_for(date(2022, 3, 1), {"small_claim_max": "300.00"})
    rule = ruleset.rule("small_claim_max")
    assert rule.value == Money(300_00)
    assert rule.overridden and rule.source == "python"
    assert rule.default == Money(500_00)
    assert ruleset.overridden() == [rule]
    assert all(not r.overridden for r in ruleset.rules if r.key != "small_claim_max")
    # The base ruleset is a value: it did not change.
    assert POST["small_claim_max"] == Money(500_00)
    assert POST.overridden() == []


def test_overriding_twice_keeps_the_versions_value_as_the_default():
    once = POST.with_overrides({"plan_default_grace_days": 45}, source="policy A")
    twice = once.with_overrides({"plan_default_grace_days": "60"}, source="policy B")
    rule = twice.rule("plan_default_grace_days")
    assert (rule.value, rule.default, rule.source) == (60, 30, "policy B")


def test_overrides_accept_every_type_in_its_own_form():
    ruleset = POST.with_overrides(
        {
            "min_annuity_step_up_percent": Decimal("12.5"),
            "small_claims_holder_exclusion_percent": "0.25",
            "severance_months_pay_per_year": "1/5",
            "accepted_delays_may_exceed_plan_max": True,
            "small_claim_max": Money(300_00),
            "plan_max_years": 12,
        }
    )
    assert ruleset["min_annuity_step_up_percent"] == Decimal("12.5")
    assert ruleset["small_claims_holder_exclusion_percent"] == Decimal("0.25")
    assert ruleset["severance_months_pay_per_year"] == Fraction(1, 5)
    assert ruleset["accepted_delays_may_exceed_plan_max"] is True
    assert ruleset["small_claim_max"] == Money(300_00)
    assert ruleset["plan_max_years"] == 12
    assert len(ruleset.overridden()) == 6


def test_the_table_shows_overridden_values_and_their_default():
    rows = {
        row["key"]: row
        for row in POST.with_overrides({"small_claim_max": "300"}).as_table()
    }
    assert rows["small_claim_max"] == {
        "key": "small_claim_max",
        "value": "300.00",
        "unit": "EUR",
        "article": "C. com. R626-34 (L626-20 II)",
        "confidence": "S",
        "overridden": True,
        "source": "python",
        "default": "500.00",
        "note": POST.rule("small_claim_max").note,
    }
    assert rows["plan_max_years"]["value"] == "10"
    assert rows["plan_max_years"]["overridden"] is False
    assert rows["severance_months_pay_per_year"]["value"] == "1/4"
    assert rows["accepted_delays_may_exceed_plan_max"]["value"] == "false"


def test_unknown_key_is_refused_naming_the_key():
    with pytest.raises(InvalidInputError) as err:
        POST.with_overrides({"small_claims_max": "300.00"})
    assert err.value.field == "small_claims_max"
    assert "small_claim_max" in err.value.reason  # the close match is suggested


def test_a_key_of_another_version_only_is_refused_naming_that_version(monkeypatch):
    # The versions hold the same keys today; a number that exists in one version
    # only is refused in the other with the version that has it.
    from plandebt.ruleset import versions

    monkeypatch.setattr(
        versions,
        "versions_with",
        lambda key: [POST_REFORM] if key == "post_reform_only" else [],
    )
    with pytest.raises(InvalidInputError) as err:
        PRE.with_overrides({"post_reform_only": 200})
    assert err.value.field == "post_reform_only"
    assert POST_REFORM in err.value.reason


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("plan_max_years", "ten"),
        ("plan_max_years", True),
        ("plan_max_years", Decimal("10")),
        ("plan_max_years", "10.5"),
        ("small_claim_max", 300),  # a bare int: euros or cents?
        ("small_claim_max", "3.001"),
        ("small_claim_max", Money(300_00, "USD")),
        ("small_claim_max", True),
        ("min_annuity_percent", "five"),
        ("min_annuity_percent", "NaN"),
        ("min_annuity_percent", Money(5_00)),
        ("severance_months_pay_per_year", "1/0"),
        ("accepted_delays_may_exceed_plan_max", 1),
        ("accepted_delays_may_exceed_plan_max", "maybe"),
        ("plan_max_years", [10]),
        ("plan_max_years", -1),
        ("min_annuity_percent", "-5"),
        ("small_claim_max", "-1.00"),
    ],
)
def test_a_value_of_the_wrong_type_or_sign_is_refused_naming_the_key(key, value):
    with pytest.raises(InvalidInputError) as err:
        POST.with_overrides({key: value})
    assert err.value.field == key


@pytest.mark.parametrize(
    "key",
    [
        "plan_max_years",
        "min_annuity_percent",
        "small_claim_max",
        "severance_months_pay_per_year",
        "accepted_delays_may_exceed_plan_max",
    ],
)
def test_floats_are_refused(key):
    with pytest.raises(InvalidInputError) as err:
        POST.with_overrides({key: 0.5})
    assert err.value.field == key
    assert "floats are refused" in err.value.reason


def test_a_refused_mapping_is_not_a_mapping():
    with pytest.raises(InvalidInputError) as err:
        POST.with_overrides([("plan_max_years", 12)])  # type: ignore[arg-type]
    assert err.value.field == "overrides"


def test_a_rule_cannot_be_built_with_a_float_or_a_bad_confidence():
    with pytest.raises(InvalidInputError):
        Rule("x", 0.5, "ratio", "C. com. L1", "T", "n")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        Rule("x", 1, "ratio", "C. com. L1", "maybe", "n")
    with pytest.raises(InvalidInputError):
        Rule("x", 1, "ratio", "", "T", "n")


# --- overrides from TOML -------------------------------------------------------------


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_toml_overrides_change_values_and_mark_them(tmp_path):
    path = _write(
        tmp_path,
        """
version = "pre-2021-10-01"

[overrides]
small_claim_max = "300.00"
observation_max_months_sauvegarde = 12
small_claims_holder_exclusion_percent = 0.25
severance_months_pay_per_year_beyond = "1/3"
accepted_delays_may_exceed_plan_max = true
""",
    )
    ruleset = PRE.from_toml(path)
    assert ruleset.version == PRE_REFORM
    assert ruleset["small_claim_max"] == Money(300_00)
    assert ruleset["observation_max_months_sauvegarde"] == 12
    # TOML decimals are read exactly (parse_float=Decimal), never as binary floats.
    exclusion = ruleset["small_claims_holder_exclusion_percent"]
    assert type(exclusion) is Decimal and exclusion == Decimal("0.25")
    assert ruleset["accepted_delays_may_exceed_plan_max"] is True
    assert {r.key for r in ruleset.overridden()} == {
        "small_claim_max",
        "observation_max_months_sauvegarde",
        "small_claims_holder_exclusion_percent",
        "severance_months_pay_per_year_beyond",
        "accepted_delays_may_exceed_plan_max",
    }
    assert all(r.source == str(path) for r in ruleset.overridden())
    assert not ruleset.rule("plan_max_years").overridden


def test_ruleset_for_takes_a_toml_path_or_a_mapping(tmp_path):
    path = _write(tmp_path, "[overrides]\nplan_default_grace_days = 15\n")
    from_file = ruleset_for(date(2023, 5, 2), path)
    from_dict = ruleset_for(date(2023, 5, 2), {"plan_default_grace_days": 15})
    assert from_file["plan_default_grace_days"] == from_dict["plan_default_grace_days"]
    assert from_file.rule("plan_default_grace_days").source == str(path)
    assert ruleset_for(date(2023, 5, 2), str(path)) == from_file


def test_toml_written_for_another_version_is_refused(tmp_path):
    path = _write(tmp_path, 'version = "2021-10-01"\n[overrides]\nplan_max_years = 8\n')
    with pytest.raises(InvalidInputError) as err:
        PRE.from_toml(path)
    assert err.value.field == "version"


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('small_claim_max = "300.00"\n', "small_claim_max"),  # outside [overrides]
        ('[overrides]\nsmall_claims_max = "300.00"\n', "small_claims_max"),
        ("[overrides]\nplan_max_years = 12.0\n", "plan_max_years"),
        ("[overrides]\nsmall_claim_max = 300\n", "small_claim_max"),
        ("[overrides]\nplan_max_years = nan\n", "plan_max_years"),
        ("overrides = 3\n", "overrides"),
        ("version = 2021\n", "version"),
        ("[overrides\n", "overrides_file"),
    ],
)
def test_bad_toml_is_refused_naming_the_field(tmp_path, text, field):
    with pytest.raises(InvalidInputError) as err:
        POST.from_toml(_write(tmp_path, text))
    assert err.value.field == field


def test_a_missing_toml_file_is_refused(tmp_path):
    with pytest.raises(InvalidInputError) as err:
        POST.from_toml(tmp_path / "absent.toml")
    assert err.value.field == "overrides_file"


# --- properties ----------------------------------------------------------------------

_RULES = st.sampled_from([(rs, key) for rs in (PRE, POST) for key in rs])


@given(_RULES, st.booleans())
def test_overriding_a_rule_with_its_own_value_round_trips(rule_ref, as_text):
    ruleset, key = rule_ref
    rule = ruleset.rule(key)
    given_value = rule.value_text() if as_text else rule.value
    overridden = ruleset.with_overrides({key: given_value})
    assert overridden[key] == rule.value
    assert type(overridden[key]) is type(rule.value)
    assert overridden.rule(key) == attrs.evolve(
        rule, overridden=True, source="python", default=rule.value
    )
    assert [r.key for r in overridden.overridden()] == [key]


def _values_like(value):
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int):
        return st.integers(0, 10**6)
    if isinstance(value, Decimal):
        return st.decimals(min_value=0, max_value=10**6, places=3)
    if isinstance(value, Fraction):
        return st.fractions(min_value=0, max_value=100)
    if isinstance(value, str):  # the only text rule: a list of holidays
        tokens = ["01-01", "12-26", "02-29", "good_friday", "whit_monday", "2024-06-10"]
        return st.lists(st.sampled_from(tokens), min_size=1).map(", ".join)
    assert isinstance(value, Money)
    return st.integers(0, 10**12).map(Money)


@st.composite
def _overrides(draw):
    ruleset, key = draw(_RULES)
    return ruleset, key, draw(_values_like(ruleset[key]))


@given(_overrides())
def test_any_valid_value_round_trips_through_python_and_its_text(case):
    ruleset, key, value = case
    first = ruleset.with_overrides({key: value})
    assert first[key] == value
    # The text form is what the CLI and as_table() show; it reads back the same.
    again = ruleset.with_overrides({key: first.rule(key).value_text()})
    assert again[key] == value


# --- the documentation matches the code ---------------------------------------------


def _row(rule: Rule) -> str:
    return markdown_row(rule)


def _doc_sections() -> dict[str, str]:
    text = DOCS.read_text(encoding="utf-8")
    parts = re.split(r"^## Version `([^`]+)`.*$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


@BOTH
def test_docs_list_every_rule_of_each_version_as_in_the_code(ruleset: Ruleset):
    section = _doc_sections()[ruleset.version]
    table = [line for line in section.splitlines() if line.startswith("| `")]
    assert table == [_row(rule) for rule in ruleset.rules]


def test_the_version_sections_of_the_page_are_generated_from_the_data():
    text = DOCS.read_text(encoding="utf-8")
    start = text.index(HEADINGS[POST_REFORM])
    assert text[start:] == markdown_sections(), (
        "regenerate them: python -m plandebt.ruleset"
    )


def test_docs_python_examples_run():
    blocks = re.findall(
        r"```python\n(.*?)```", DOCS.read_text(encoding="utf-8"), flags=re.DOTALL
    )
    assert blocks
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, str(DOCS), "exec"), namespace)
