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

**Data apart from code.** Each version's rules are in ``data/post_reform.toml`` and
``data/pre_reform.toml`` (shipped as package data): one ``[rules.<key>]`` table per
rule (type, value, unit, article, confidence, note), values written as in an override
file below; ``versions.py`` reads and checks each file on first use.

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

The package: `rule` (one `Rule`, the types a value may have), `coercion` (reading a
value in a rule's type), `ruleset` (`Ruleset`: mapping, overrides, table),
`overrides` (the TOML override file), `versions` (the data files, `ruleset_for`).
"""

from plandebt.ruleset.rule import CONFIDENCE, Rule, RuleValue
from plandebt.ruleset.ruleset import Ruleset
from plandebt.ruleset.versions import (
    POST_REFORM,
    PRE_REFORM,
    REFORM_DATE,
    ruleset_for,
    ruleset_version,
)

__all__ = [
    "CONFIDENCE",
    "POST_REFORM",
    "PRE_REFORM",
    "REFORM_DATE",
    "Rule",
    "RuleValue",
    "Ruleset",
    "ruleset_for",
    "ruleset_version",
]
