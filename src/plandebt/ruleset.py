"""Law as data: every legal number plandebt uses, with its article and a confidence.

**Versions.** Ordonnance 2021-1193 changed several numbers and does not apply to
proceedings already open on 1 Oct 2021, so the numbers are chosen by the date of the
opening judgment, never by today's date: `ruleset_for(opened_on)` returns version
``"pre-2021-10-01"`` for proceedings opened before `REFORM_DATE` and ``"2021-10-01"``
for proceedings opened on or after it. Both versions hold the same keys, except the
thresholds of the classes of affected parties, which exist only after the reform.

**Confidence** (the law primer's tags): ``T`` the article's text was read; ``S`` taken
from a practitioner or secondary source, article not read; ``U`` unverified, or a
plandebt policy rather than a number of law. Each rule's note says which source gave
the number and where sources disagree; ``docs/ruleset.md`` lists them all.

**Overrides.** A user who reads a number differently (a court's practice, a newer
text) overrides it, and the rule is marked ``overridden`` with its source and the
default it replaced; the CLI and the reports print overridden rules next to their
findings, so nobody mistakes a local choice for the law. In Python::

    ruleset_for(opened_on, {"small_claim_max": "300.00"})
    ruleset.with_overrides({"plan_default_grace_days": 45}, source="court practice")

From a TOML file (``ruleset.from_toml(path)`` or ``ruleset_for(opened_on, path)``)::

    version = "2021-10-01"      # optional: refuse to apply these to another version

    [overrides]
    small_claim_max = "300.00"                    # money: a string
    observation_max_months_sauvegarde = 12        # whole numbers: integers
    small_claims_holder_exclusion_percent = 0.25  # decimals: read exactly
    severance_months_pay_per_year_beyond = "1/3"  # fractions: a string
    accepted_delays_may_exceed_plan_max = true    # flags: booleans

Values are checked against the type of the rule they replace: an unknown key, a value
of the wrong type, a negative number or a Python float is refused with an
`InvalidInputError` whose ``field`` is the rule key. A string is accepted for every
type (so that a command line can pass ``key=value``) and is parsed in the rule's type.
TOML decimals are read with ``parse_float=Decimal``, so no binary float is ever made.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import attrs

from plandebt.errors import InvalidInputError
from plandebt.money import Money

#: Ordonnance 2021-1193 (décret 2021-1218) applies to proceedings opened from this day.
REFORM_DATE = date(2021, 10, 1)
PRE_REFORM = "pre-2021-10-01"
POST_REFORM = "2021-10-01"

#: The law primer's confidence tags.
CONFIDENCE = {
    "T": "article text read in a mirror of Légifrance",
    "S": "practitioner or secondary source; article not read",
    "U": "unverified, or a plandebt policy rather than law: check and set it",
}

RuleValue = int | Decimal | Fraction | Money | bool | str

_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_WHOLE = re.compile(r"^\s*\d+\s*$")


# --- rules --------------------------------------------------------------------------


def _check_key(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
    if not (isinstance(value, str) and _KEY.match(value)):
        raise InvalidInputError("key", value, "must be snake_case")


def _check_value(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
    if isinstance(value, float) or not isinstance(
        value, int | Decimal | Fraction | Money | str
    ):
        raise InvalidInputError(
            attribute.name,
            value,
            "must be an int, Decimal, Fraction, Money, bool or str",
        )


def _check_line(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
    if not (isinstance(value, str) and value.strip() and "\n" not in value):
        raise InvalidInputError(attribute.name, value, "must be one non-empty line")


def _check_confidence(instance: Any, attribute: attrs.Attribute, value: Any) -> None:
    if value not in CONFIDENCE:
        raise InvalidInputError("confidence", value, "must be T, S or U")


@attrs.frozen
class Rule:
    """One legal number: value, unit, the article it comes from, how sure we are."""

    key: str = attrs.field(validator=_check_key)
    value: RuleValue = attrs.field(validator=_check_value)
    unit: str = attrs.field(validator=_check_line)
    article: str = attrs.field(validator=_check_line)
    confidence: str = attrs.field(validator=_check_confidence)
    note: str = attrs.field(validator=_check_line)
    overridden: bool = False
    #: Where an override came from ("python", a TOML path...); empty if none.
    source: str = ""
    #: The value this version of the ruleset gives, when it was overridden.
    default: RuleValue | None = None

    def value_text(self) -> str:
        """The value as text; `Ruleset.with_overrides` reads it back unchanged."""
        return _text(self.value)


def _text(value: RuleValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Money):
        return value.plain()
    return str(value)


# --- parsing overrides in the type of the rule they replace --------------------------


def _coerce(rule: Rule, raw: object) -> RuleValue:
    key = rule.key
    if isinstance(raw, float):
        raise InvalidInputError(
            key, raw, 'floats are refused: give a string like "0.5" or a Decimal'
        )
    current = rule.value
    value: RuleValue
    if isinstance(current, bool):  # before int: bool is an int subclass
        value = _as_bool(rule, raw)
    elif isinstance(current, int):
        value = _as_int(rule, raw)
    elif isinstance(current, Decimal):
        value = _as_decimal(rule, raw)
    elif isinstance(current, Fraction):
        value = _as_fraction(rule, raw)
    elif isinstance(current, Money):
        value = _as_money(rule, raw, current.currency)
    else:
        if not (isinstance(raw, str) and raw.strip()):
            raise InvalidInputError(key, raw, "expects a non-empty string")
        value = raw
    negative = (
        value.is_negative
        if isinstance(value, Money)
        else (not isinstance(value, str) and value < 0)
    )
    if negative:
        raise InvalidInputError(key, raw, "a legal limit cannot be negative")
    return value


def _wrong_type(rule: Rule, raw: object, expected: str) -> InvalidInputError:
    return InvalidInputError(
        rule.key, raw, f"expects {expected} ({rule.unit}), got {type(raw).__name__}"
    )


def _as_bool(rule: Rule, raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in ("true", "false"):
        return raw.strip().lower() == "true"
    raise _wrong_type(rule, raw, "true or false")


def _as_int(rule: Rule, raw: object) -> int:
    if type(raw) is int:
        return raw
    if isinstance(raw, str) and _WHOLE.match(raw):
        return int(raw)
    raise _wrong_type(rule, raw, "a whole number")


def _as_decimal(rule: Rule, raw: object) -> Decimal:
    if type(raw) is int:
        return Decimal(raw)
    if isinstance(raw, Decimal | str):
        try:
            value = Decimal(raw.strip() if isinstance(raw, str) else raw)
        except InvalidOperation:
            value = None
        if value is not None and value.is_finite():
            return value
    raise _wrong_type(rule, raw, 'an exact decimal like "0.5"')


def _as_fraction(rule: Rule, raw: object) -> Fraction:
    if isinstance(raw, Fraction) or type(raw) is int:
        return Fraction(raw)
    if isinstance(raw, Decimal) and raw.is_finite():
        return Fraction(raw)
    if isinstance(raw, str):
        try:
            return Fraction(raw.strip())
        except (ValueError, ZeroDivisionError):
            pass
    raise _wrong_type(rule, raw, 'a fraction like "1/3"')


def _as_money(rule: Rule, raw: object, currency: str) -> Money:
    if isinstance(raw, bool):
        raise _wrong_type(rule, raw, 'an amount like "500.00"')
    money = Money.coerce(raw, currency, field=rule.key)
    if money.currency != currency:
        raise InvalidInputError(rule.key, raw, f"must be in {currency}")
    return money


# --- the ruleset -------------------------------------------------------------------


@attrs.frozen
class Ruleset(Mapping[str, RuleValue]):
    """The rules of one version, read like a mapping: ``ruleset["plan_max_years"]``."""

    version: str
    rules: tuple[Rule, ...] = attrs.field(converter=tuple)
    _index: Mapping[str, Rule] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        index: dict[str, Rule] = {}
        for rule in self.rules:
            if rule.key in index:
                raise InvalidInputError("rules", rule.key, "is defined twice")
            index[rule.key] = rule
        object.__setattr__(self, "_index", MappingProxyType(index))

    def __getitem__(self, key: str) -> RuleValue:
        return self.rule(key).value

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def rule(self, key: str) -> Rule:
        try:
            return self._index[key]
        except KeyError:
            raise KeyError(f"no rule {key!r} in ruleset {self.version}") from None

    def overridden(self) -> list[Rule]:
        """The rules a user changed, in catalogue order (what reports must show)."""
        return [rule for rule in self.rules if rule.overridden]

    def with_overrides(
        self, overrides: Mapping[str, object], source: str = "python"
    ) -> Ruleset:
        """A new ruleset with these values, each marked overridden (even when equal
        to the default: the user pinned it). Raises on the first refused key; self
        is never changed."""
        if not isinstance(overrides, Mapping):
            raise InvalidInputError(
                "overrides", overrides, "must be a mapping of rule key to value"
            )
        if not (isinstance(source, str) and source.strip()):
            raise InvalidInputError(
                "source", source, "must name where the overrides come from"
            )
        changed = dict(self._index)
        for key, raw in overrides.items():
            rule = self._known(key, raw)
            changed[key] = attrs.evolve(
                rule,
                value=_coerce(rule, raw),
                overridden=True,
                source=source,
                # Overriding twice still shows the version's own value as the default.
                default=rule.default if rule.overridden else rule.value,
            )
        return Ruleset(self.version, (changed[rule.key] for rule in self.rules))

    def from_toml(self, path: str | os.PathLike[str]) -> Ruleset:
        """This ruleset with the overrides of a TOML file (format: module docstring)."""
        version, overrides = _read_toml(path, self)
        if version is not None and version != self.version:
            raise InvalidInputError(
                "version",
                version,
                f"{os.fspath(path)} was written for ruleset {version}, "
                f"this case uses {self.version}",
            )
        return self.with_overrides(overrides, source=os.fspath(path))

    def as_table(self) -> list[dict[str, object]]:
        """One row per rule, values as text, for the CLI and reports."""
        return [
            {
                "key": rule.key,
                "value": rule.value_text(),
                "unit": rule.unit,
                "article": rule.article,
                "confidence": rule.confidence,
                "overridden": rule.overridden,
                "source": rule.source,
                "default": "" if rule.default is None else _text(rule.default),
                "note": rule.note,
            }
            for rule in self.rules
        ]

    def _known(self, key: object, raw: object) -> Rule:
        if isinstance(key, str) and key in self._index:
            return self._index[key]
        name = str(key)
        reason = f"is not a rule of ruleset {self.version}"
        others = [v for v, rs in _VERSIONS.items() if v != self.version and name in rs]
        if others:
            reason += f" (it exists only in {', '.join(others)})"
        else:
            close = difflib.get_close_matches(name, self._index, n=3)
            if close:
                reason += f"; did you mean {', '.join(close)}?"
        raise InvalidInputError(name, raw, reason)


def _read_toml(
    path: str | os.PathLike[str], ruleset: Ruleset
) -> tuple[str | None, dict[str, Any]]:
    name = os.fspath(path)
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f, parse_float=Decimal)
    except OSError as e:
        raise InvalidInputError("overrides_file", name, f"cannot be read: {e}") from e
    except tomllib.TOMLDecodeError as e:
        raise InvalidInputError(
            "overrides_file", name, f"is not valid TOML: {e}"
        ) from e
    for key in data:
        if key not in ("version", "overrides"):
            hint = (
                " put rule values under [overrides]"
                if key in ruleset
                else " expected only 'version' and an [overrides] table"
            )
            raise InvalidInputError(
                key, data[key], f"unknown top-level key in {name};" + hint
            )
    version = data.get("version")
    if version is not None and not isinstance(version, str):
        raise InvalidInputError("version", version, "must be a string")
    overrides = data.get("overrides", {})
    if not isinstance(overrides, dict):
        raise InvalidInputError("overrides", overrides, "must be a TOML table")
    return version, overrides


# --- the numbers, after the reform (proceedings opened on or after 2021-10-01) -------

_POST_REFORM_RULES = (
    # Opening and the freeze.
    Rule(
        "filing_deadline_days",
        45,
        "days",
        "C. com. L631-4",
        "S",
        "The debtor must ask for RJ within 45 days of cessation des paiements "
        "(annonces-legales.fr; senat.fr on L653-8).",
    ),
    Rule(
        "cessation_backdating_max_months",
        18,
        "months",
        "C. com. L631-8",
        "S",
        "In RJ the court may date cessation des paiements up to 18 months before "
        "the judgment (phenix-expertise.com).",
    ),
    Rule(
        "payment_nullity_action_years",
        3,
        "years",
        "C. com. L622-7 III",
        "U",
        "Time limit to annul a payment made despite the payment ban: the primer's "
        "recollection, article not read.",
    ),
    # Claims.
    Rule(
        "declaration_deadline_months",
        2,
        "months",
        "C. com. R622-24 al. 1",
        "T",
        "Claims are declared within 2 months of the BODACC publication (of the "
        "personal notice for published sureties and contracts).",
    ),
    Rule(
        "declaration_extension_months_abroad",
        2,
        "months",
        "C. com. R622-24 al. 2-3",
        "T",
        "Added for creditors outside metropolitan France when the court sits there "
        "(and the reverse overseas): 4 months in all.",
    ),
    Rule(
        "known_creditor_notice_days",
        15,
        "days",
        "C. com. R622-21",
        "S",
        "The mandataire warns known creditors within 15 days of the judgment "
        "(faqdedroit.fr; juribot.fr; mjinfo.typepad).",
    ),
    Rule(
        "relief_request_max_months",
        6,
        "months",
        "C. com. L622-26",
        "S",
        "Relief from foreclosure is asked within 6 months of BODACC publication "
        "(later-knowledge exception aside); 1 year before the 2014 reform "
        "(athena-mj.fr; lefrancois-avocat.com).",
    ),
    Rule(
        "disputed_claim_answer_days",
        30,
        "days",
        "C. com. L622-27",
        "S",
        "A creditor silent 30 days after the mandataire's dispute letter can no "
        "longer contest the proposal (village-justice.com; Cass. com. 20 Jan 2021).",
    ),
    Rule(
        "claims_statement_objection_months",
        1,
        "months",
        "C. com. R624-8",
        "T",
        "Objections to the état des créances within 1 month of its BODACC notice; "
        "an older text gave 15 days (dalloz-actualite), change date not known.",
    ),
    Rule(
        "interest_continuation_min_term_months",
        12,
        "months",
        "C. com. L622-28",
        "S",
        "Interest keeps running only on loans of 1 year or more or payment deferred "
        "1 year or more; leasing is not a loan (jsa-avocats.fr; institut-idef.org).",
    ),
    Rule(
        "post_opening_claim_notice_years",
        1,
        "years",
        "C. com. L622-17 IV",
        "S",
        "Useful post-opening claims lose priority unless notified within 1 year of "
        "the end of observation (cabinet-cec.fr; Cass. com. 28 June 2016).",
    ),
    Rule(
        "superprivilege_days",
        60,
        "days",
        "C. trav. L3253-2",
        "T",
        "Pay for the last 60 days of work ranks ahead of every other privileged claim.",
    ),
    Rule(
        "superprivilege_days_vrp",
        90,
        "days",
        "C. trav. L7313-8",
        "S",
        "Sales representatives (VRP): the last 90 days (maitredata.com; "
        "lettredurestructuring.com).",
    ),
    Rule(
        "superprivilege_ceiling_pmss_multiple",
        2,
        "ratio",
        "C. trav. L3253-2 (ceiling set by decree)",
        "U",
        "Monthly superprivilege ceiling in PMSS: the law says not lower than twice "
        "the PMSS [T]; the decree's exact figure was not read.",
    ),
    # Observation period.
    Rule(
        "observation_initial_months",
        6,
        "months",
        "C. com. L621-3 al. 1",
        "T",
        "First observation period, at most 6 months.",
    ),
    Rule(
        "observation_renewal_months",
        6,
        "months",
        "C. com. L621-3 al. 2",
        "T",
        "One renewal of up to 6 months by a specially reasoned decision.",
    ),
    Rule(
        "observation_exceptional_extension_months_rj",
        6,
        "months",
        "C. com. L631-7 al. 2",
        "T",
        "RJ only: one more exceptional extension of up to 6 months, at the public "
        "prosecutor's request.",
    ),
    Rule(
        "observation_max_months_rj",
        18,
        "months",
        "C. com. L631-7",
        "T",
        "Longest observation period in RJ: 6 + 6 + 6 months.",
    ),
    Rule(
        "observation_max_months_sauvegarde",
        12,
        "months",
        "C. com. L621-3",
        "S",
        "Sauvegarde opened on or after 1 Oct 2021: 6 + 6 months, the exceptional "
        "extension was removed (aqil-avocat.fr; pernaud.fr).",
    ),
    Rule(
        "rj_progress_review_months",
        2,
        "months",
        "C. com. L631-15",
        "S",
        "RJ progress review 2 months after opening (pernaud.fr heading only; "
        "article not read).",
    ),
    # The plan: duration and consultation.
    Rule(
        "plan_max_years",
        10,
        "years",
        "C. com. L626-12",
        "T",
        "Longest plan; also caps imposed delays (L626-18 al. 6) and modifications "
        "(L626-26).",
    ),
    Rule(
        "plan_max_years_agricultural_natural_person",
        15,
        "years",
        "C. com. L626-12",
        "T",
        "Farming natural persons only; an EARL stays at 10 years (Cass. com. "
        "30 Nov 2017 n°16-21.032) [S].",
    ),
    Rule(
        "accepted_delays_may_exceed_plan_max",
        False,
        "flag",
        "C. com. L626-18 al. 1",
        "U",
        "Whether accepting creditors may agree to delays beyond the plan maximum: "
        "jcl06.fr says yes, a debated minority view; off by default.",
    ),
    Rule(
        "creditor_consultation_silence_days",
        30,
        "days",
        "C. com. L626-5",
        "T",
        "Silence 30 days after receiving the consultation accepts delays and "
        "remissions (not conversions); the clock waits for missing documents.",
    ),
    Rule(
        "public_creditor_silence_months",
        2,
        "months",
        "C. com. D626-14",
        "T",
        "No CCSF answer within 2 months of a complete remission request is a "
        "rejection.",
    ),
    Rule(
        "creditor_classes_apply",
        True,
        "flag",
        "C. com. L626-29 ff. (ord. 2021-1193)",
        "S",
        "Classes of affected parties replace creditor committees (actu-juridique.fr; "
        "efl.fr).",
    ),
    Rule(
        "classes_mandatory_min_employees",
        250,
        "employees",
        "C. com. R626-52",
        "U",
        "Classes are mandatory at 250 employees and €20m turnover, or €40m "
        "(optionfinance.fr; jcl06.fr has a typo); article not read.",
    ),
    Rule(
        "classes_mandatory_min_turnover_with_employees",
        Money(20_000_000_00),
        "EUR",
        "C. com. R626-52",
        "U",
        "Net turnover that, with classes_mandatory_min_employees, makes classes "
        "mandatory; article not read.",
    ),
    Rule(
        "classes_mandatory_min_turnover",
        Money(40_000_000_00),
        "EUR",
        "C. com. R626-52",
        "U",
        "Net turnover that alone makes classes mandatory; article not read.",
    ),
    # The plan: uniform delays imposed on creditors who refused (L626-18 al. 4).
    Rule(
        "first_payment_max_years",
        1,
        "years",
        "C. com. L626-18 al. 4",
        "S",
        "First imposed-delay payment at the latest 1 year after adoption (in "
        "practice the first anniversary); 2021 wording not read.",
    ),
    Rule(
        "min_annuity_start_year",
        3,
        "plan year",
        "C. com. L626-18 al. 4",
        "S",
        "Plan year from which each annuity must reach min_annuity_percent; 2021 "
        "wording not read.",
    ),
    Rule(
        "min_annuity_percent",
        Decimal("5"),
        "percent",
        "C. com. L626-18 al. 4",
        "S",
        "Of each creditor's admitted claim, not of the balance or of total "
        "liabilities; imposed delays only; 2021 wording not read.",
    ),
    Rule(
        "min_annuity_step_up_year",
        6,
        "plan year",
        "C. com. L626-18 al. 4",
        "S",
        "Plan year from which min_annuity_step_up_percent applies (pernaud.fr; "
        "french-business-law.com).",
    ),
    Rule(
        "min_annuity_step_up_percent",
        Decimal("10"),
        "percent",
        "C. com. L626-18 al. 4 (ord. 2021-1193)",
        "S",
        "From plan year 6, 10 % of each admitted claim (pernaud.fr; "
        "french-business-law.com translation); codes-et-lois.fr shows the 5 % text.",
    ),
    Rule(
        "agricultural_exempt_from_min_annuities",
        True,
        "flag",
        "C. com. L626-18 al. 4",
        "S",
        "Farms are exempt from the minimum annuities; 2021 wording not read.",
    ),
    # The plan: claims paid at adoption (L626-20 II).
    Rule(
        "small_claim_max",
        Money(500_00),
        "EUR",
        "C. com. R626-34 (L626-20 II)",
        "S",
        "Claims up to this are paid at adoption: €500 per lettredurestructuring.com "
        "and 2023 judgments; elephorm says €300 (older?); R626-34 not read.",
    ),
    Rule(
        "small_claims_total_cap_percent",
        Decimal("5"),
        "percent",
        "C. com. L626-20 II",
        "T",
        "Small claims paid at adoption, smallest first, up to 5 % of estimated "
        "liabilities.",
    ),
    Rule(
        "small_claims_holder_exclusion_percent",
        Decimal("0.5"),
        "percent",
        "C. com. L626-20 II",
        "T",
        "No small-claim payment to a holder whose claims exceed a tenth of the cap, "
        "0.5 % of estimated liabilities.",
    ),
    # Carrying out the plan.
    Rule(
        "plan_modification_comment_days",
        21,
        "days",
        "C. com. R626-45",
        "T",
        "Creditors comment on a substantial modification within 21 days "
        "(french-business-law.com); pernaud.fr says 15, apparently older.",
    ),
    Rule(
        "plan_default_grace_days",
        30,
        "days",
        "C. com. L626-27 (court's discretion; plandebt default)",
        "U",
        "Library policy, not law: days after a missed due date before plandebt "
        "reports default; resolution is the court's choice, set your own.",
    ),
    # Employment and the AGS.
    Rule(
        "plan_redundancy_window_months",
        1,
        "months",
        "C. com. L631-19",
        "S",
        "Redundancies authorised by the plan judgment are made within 1 month of it "
        "(ord. 2008-1345 art. 83).",
    ),
    Rule(
        "ags_window_after_plan_months",
        1,
        "months",
        "C. trav. L3253-8 2° b",
        "T",
        "The AGS covers terminations within 1 month after the plan judgment (in "
        "sauvegarde too).",
    ),
    Rule(
        "ags_window_after_liquidation_days",
        15,
        "days",
        "C. trav. L3253-8 2° c",
        "T",
        "The AGS covers terminations within 15 days after a liquidation judgment.",
    ),
    Rule(
        "ags_window_after_liquidation_pse_days",
        21,
        "days",
        "C. trav. L3253-8 2° d",
        "T",
        "21 days instead of 15 when a PSE is drawn up.",
    ),
    Rule(
        "ags_liquidation_pay_months",
        Decimal("1.5"),
        "months",
        "C. trav. L3253-8 5°",
        "T",
        "In liquidation the AGS covers up to 1.5 months of pay.",
    ),
    Rule(
        "ags_cap_multiple_seniority_2y",
        6,
        "ratio",
        "C. trav. L3253-17, D3253-5",
        "S",
        "AGS cap in monthly unemployment-insurance ceilings, contract begun 2 years "
        "or more before opening (avocat-nappee.fr).",
    ),
    Rule(
        "ags_cap_multiple_seniority_6m",
        5,
        "ratio",
        "C. trav. L3253-17, D3253-5",
        "S",
        "Same, contract begun between 6 months and 2 years before opening.",
    ),
    Rule(
        "ags_cap_multiple_seniority_under_6m",
        4,
        "ratio",
        "C. trav. L3253-17, D3253-5",
        "S",
        "Same, contract begun less than 6 months before opening.",
    ),
    Rule(
        "ags_ceiling_pmss_multiple",
        4,
        "ratio",
        "C. trav. D3253-5",
        "S",
        "The monthly unemployment-insurance ceiling is 4 × PMSS (batt.eu; retout.fr); "
        "the PMSS itself changes yearly and is not here.",
    ),
    Rule(
        "ags_pse_agreement_exclusion_months",
        18,
        "months",
        "C. trav. L3253-13",
        "U",
        "No AGS cover for indemnities agreed less than 18 months before opening or "
        "after it: the primer's recollection, not read.",
    ),
    Rule(
        "pse_min_redundancies",
        10,
        "redundancies",
        "C. trav. L1233-58",
        "T",
        "A validated or approved PSE is needed from 10 redundancies in a company of "
        "pse_min_headcount (text read in part).",
    ),
    Rule(
        "pse_min_headcount",
        50,
        "employees",
        "C. trav. L1233-58",
        "T",
        "Company size from which pse_min_redundancies calls for a PSE (text read in "
        "part).",
    ),
    Rule(
        "severance_min_seniority_months",
        8,
        "months",
        "C. trav. L1234-9",
        "S",
        "Legal severance is due from 8 months' seniority; it follows the termination "
        "date, not the opening date (pb-avocats.re).",
    ),
    Rule(
        "severance_months_pay_per_year",
        Fraction(1, 4),
        "months of pay per year",
        "C. trav. R1234-2",
        "S",
        "A quarter month per year up to severance_higher_rate_from_years, "
        "incomplete years pro rata (décret 2017-1398).",
    ),
    Rule(
        "severance_months_pay_per_year_beyond",
        Fraction(1, 3),
        "months of pay per year",
        "C. trav. R1234-2",
        "S",
        "A third of a month per year beyond severance_higher_rate_from_years "
        "(cabinet-courteille.fr).",
    ),
    Rule(
        "severance_higher_rate_from_years",
        10,
        "years",
        "C. trav. R1234-2",
        "S",
        "Seniority from which the higher severance rate applies.",
    ),
)

# --- what differs for proceedings opened before 2021-10-01 ---------------------------

_POST_REFORM_ONLY = frozenset(
    {
        "classes_mandatory_min_employees",
        "classes_mandatory_min_turnover_with_employees",
        "classes_mandatory_min_turnover",
    }
)

_OLD_L626_18 = "read in the 2014-2021 text (codes-et-lois.fr)."
_READ_2021_ONLY = "; 2021 text read, no change reported by the reform."

_PRE_REFORM_CHANGES: dict[str, dict[str, Any]] = {
    "observation_max_months_sauvegarde": {
        "value": 18,
        "article": "C. com. L621-3, R621-9",
        "note": "Sauvegarde opened before 1 Oct 2021 could also reach 18 months "
        "(opaljuris.fr; baumann-avocats.com).",
    },
    "first_payment_max_years": {
        "confidence": "T",
        "note": "First imposed-delay payment at the latest 1 year after adoption; "
        + _OLD_L626_18,
    },
    "min_annuity_start_year": {
        "confidence": "T",
        "note": "Plan year from which each annuity must reach min_annuity_percent; "
        + _OLD_L626_18,
    },
    "min_annuity_percent": {
        "confidence": "T",
        "note": "Of each creditor's admitted claim, imposed delays only; "
        + _OLD_L626_18,
    },
    "min_annuity_step_up_year": {
        "confidence": "T",
        "note": "No step-up before the reform: from this year the minimum stays "
        "5 % (min_annuity_step_up_percent).",
    },
    "min_annuity_step_up_percent": {
        "value": Decimal("5"),
        "article": "C. com. L626-18 al. 4",
        "confidence": "T",
        "note": "Before the reform the 5 % minimum simply continues from year 6; "
        + _OLD_L626_18,
    },
    "agricultural_exempt_from_min_annuities": {
        "confidence": "T",
        "note": "Farms are exempt from the minimum annuities; " + _OLD_L626_18,
    },
    "creditor_classes_apply": {
        "value": False,
        "article": "C. com. L626-29 (before ord. 2021-1193)",
        "note": "Before the reform large debtors had creditor committees, not classes.",
    },
    "plan_modification_comment_days": {
        "confidence": "U",
        "note": "21 days is the current text; pernaud.fr's 15 days may apply to "
        "older proceedings, change date unknown: check and override.",
    },
}

# L626-5 and L626-20 were read in their 1 Oct 2021 version only.
_PRE_REFORM_CHANGES.update(
    {
        rule.key: {"confidence": "S", "note": rule.note.rstrip(".") + _READ_2021_ONLY}
        for rule in _POST_REFORM_RULES
        if rule.key
        in (
            "creditor_consultation_silence_days",
            "small_claims_total_cap_percent",
            "small_claims_holder_exclusion_percent",
        )
    }
)

_PRE_REFORM_RULES = tuple(
    attrs.evolve(rule, **_PRE_REFORM_CHANGES.get(rule.key, {}))
    for rule in _POST_REFORM_RULES
    if rule.key not in _POST_REFORM_ONLY
)

_VERSIONS: dict[str, Ruleset] = {
    PRE_REFORM: Ruleset(PRE_REFORM, _PRE_REFORM_RULES),
    POST_REFORM: Ruleset(POST_REFORM, _POST_REFORM_RULES),
}


# --- choosing a version ---------------------------------------------------------------


def ruleset_version(version: str) -> Ruleset:
    """The ruleset of a version by name ("pre-2021-10-01" or "2021-10-01")."""
    try:
        return _VERSIONS[version]
    except (KeyError, TypeError):
        raise InvalidInputError(
            "version",
            version,
            f"unknown ruleset version; known: {', '.join(_VERSIONS)}",
        ) from None


def ruleset_for(
    opened_on: date,
    overrides: Mapping[str, object] | str | os.PathLike[str] | None = None,
) -> Ruleset:
    """The ruleset for a proceeding opened on `opened_on` (the opening judgment's
    date), with optional overrides: a mapping, or the path of a TOML file."""
    # datetime is a date subclass, but an opening judgment has a date, not a time.
    if isinstance(opened_on, datetime) or not isinstance(opened_on, date):
        raise InvalidInputError(
            "opened_on", opened_on, "must be the opening judgment's date (a date)"
        )
    # Ord. 2021-1193 does not apply to proceedings already open on 1 Oct 2021.
    base = _VERSIONS[PRE_REFORM if opened_on < REFORM_DATE else POST_REFORM]
    if overrides is None:
        return base
    if isinstance(overrides, str | os.PathLike):
        return base.from_toml(overrides)
    return base.with_overrides(overrides)
