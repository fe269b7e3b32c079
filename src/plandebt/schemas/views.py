"""The shape of every view's JSON, key by key, with what each key means: the one
definition the schema files (`<view>.json`) and the key tables of docs/json.md are
written from (`python -m plandebt.schemas`).

Amounts are strings of euros with two decimals ("1234.56", exact: never a float);
dates are "YYYY-MM-DD"; datetimes ISO 8601 with their offset. "remission" is debt
forgiven (remise, L626-12), "remitted_to_supervisor" money the debtor paid to the
plan supervisor (versement au commissaire à l'exécution du plan, L626-21): the word
"remitted" alone is never a key.
"""

from __future__ import annotations

from typing import Any

from plandebt.compliance import Severity
from plandebt.events.claims import Rank
from plandebt.lifecycle import ClaimStatus
from plandebt.projections.balances import AMOUNT_COLUMNS
from plandebt.projections.plan import RemissionState

Schema = dict[str, Any]

MONEY_PATTERN = r"^-?[0-9]+\.[0-9]{2}$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def _nullable(node: Schema, null: bool) -> Schema:
    if null:
        node = {**node, "type": [node["type"], "null"]}
    return node


def money(description: str, null: bool = False) -> Schema:
    return _nullable(
        {"type": "string", "pattern": MONEY_PATTERN, "description": description}, null
    )


def day(description: str, null: bool = False) -> Schema:
    return _nullable(
        {"type": "string", "pattern": DATE_PATTERN, "description": description}, null
    )


def text(description: str, null: bool = False) -> Schema:
    return _nullable({"type": "string", "description": description}, null)


def one_of(values: list[str], description: str) -> Schema:
    """A string that is one of `values` (the library's own list)."""
    return {
        "type": "string",
        "enum": values,
        "description": f"{description}, one of: {', '.join(values)}",
    }


def integer(description: str, null: bool = False) -> Schema:
    return _nullable({"type": "integer", "description": description}, null)


def flag(description: str) -> Schema:
    return {"type": "boolean", "description": description}


def array(items: Schema, description: str) -> Schema:
    return {"type": "array", "items": items, "description": description}


def obj(description: str, /, **properties: Schema) -> Schema:
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def mapping(values: Schema, description: str) -> Schema:
    """An object whose keys are data (creditor ids, ranks...), not names."""
    return {
        "type": "object",
        "additionalProperties": values,
        "description": description,
    }


# --- balances -------------------------------------------------------------------------

_AMOUNT_MEANINGS = {
    "declared": "declared to the creditors' representative (L622-24)",
    "admitted": "admitted by the juge-commissaire (L624-2); null while undecided",
    "paid": "paid to the creditor (dividends and other payments)",
    "remission": "remission granted: debt forgiven (L626-12, L626-5)",
    "interest": "interest accrued after the opening, where it runs (L622-28)",
    "written_off": "waived by the creditor, net of revivals",
    "subrogated": "moved to the AGS, which advanced it (L3253-16 C. trav.)",
    "outstanding": "what is still owed: admitted (or declared while provisional) "
    "plus interest, minus every settlement",
    "owed": "the worth of the claims: admitted, or declared while undecided",
}


def _amounts(null_admitted: bool) -> dict[str, Schema]:
    return {
        name: money(
            _AMOUNT_MEANINGS.get(name, label), null=null_admitted and name == "admitted"
        )
        for name, label in AMOUNT_COLUMNS
    }


TOTALS = obj(
    "sums over a group of claims",
    claims=integer("how many claims"),
    owed=money(_AMOUNT_MEANINGS["owed"]),
    **_amounts(False),
)

CLAIM_BALANCE = obj(
    "one claim",
    claim=text("the claim's id"),
    creditor=text("the creditor's id"),
    creditor_name=text("the creditor's name"),
    creditor_kind=text("the creditor's kind (social, tax, supplier, group...)"),
    rank=one_of([r.value for r in Rank], "its rank (unsecured: chirographaire)"),
    origin_on=day("when the debt arose"),
    declared_on=day("when it was declared", null=True),
    frozen=flag("arose before the opening judgment (L622-7): frozen"),
    status=one_of([c.value for c in ClaimStatus], "its status"),
    decided_on=day("the date of the decision on it", null=True),
    decision_ref=text("the decision's reference", null=True),
    provisional=flag("no decision yet: outstanding counts the declared amount"),
    facts=array(text("a fact id"), "the facts that make this balance"),
    **_amounts(True),
)

BALANCES = obj(
    "creditor balances of one case at as_of",
    procedure=text("the procedure (redressement_judiciaire, sauvegarde...)", null=True),
    opened_on=day("the opening judgment's date", null=True),
    claims=array(CLAIM_BALANCE, "every claim, in declaration order"),
    by_creditor=mapping(TOTALS, "totals by creditor id"),
    by_rank=mapping(TOTALS, "totals by rank"),
    by_freeze=mapping(TOTALS, "totals of frozen and post-opening claims"),
    total=TOTALS,
    unverified=array(
        text("a fact's id"),
        "the facts this view rests on that were restored from a journal whose hash "
        "chain was not verified (record --restore --unverified, docs/integrity.md); "
        "empty when every fact is verified",
    ),
)

# --- the plan -------------------------------------------------------------------------

INSTALMENT = obj(
    "one instalment",
    number=integer("its number (1: the first anniversary)"),
    due_on=day("when it falls due"),
    amount=money("what falls due"),
    catch_up_of=day(
        "for what a decision after the adoption added to an instalment that fell "
        "due before it: that instalment's own date (owed on the decision's date, "
        "L626-21 al. 4); null otherwise",
        null=True,
    ),
)

CLAIM_SCHEDULE = obj(
    "one claim's treatment in the plan",
    claim=text("the claim's id"),
    creditor=text("the creditor's id"),
    creditor_name=text("the creditor's name"),
    treatment=text("option, outside (paid outside the plan), ..."),
    option=text("the option the creditor chose", null=True),
    base=money("the amount the plan pays on"),
    provisional=flag("not decided yet: scheduled on the declared amount"),
    declared_on=day("when the claim entered the plan", null=True),
    instalments=array(INSTALMENT, "its instalments"),
    relieved_on=day("when it stopped being paid by the plan", null=True),
    shares_from=text("the claim whose shares it takes over", null=True),
    forfeited=money("remission forfeited"),
    scheduled=money("what the plan pays on it in all"),
    option_remission=money("the remission its option grants"),
)

SCHEDULE = _nullable(
    obj(
        "the plan's instalments; null when no plan is adopted",
        adopted_on=day("the plan judgment's date"),
        duration_years=integer("the plan's length in years (at most 10, L626-12)"),
        total=money("what the plan pays in all (the claims shown)"),
        by_year=array(
            obj("one plan year", year=integer("0: at adoption"), amount=money("due")),
            "what falls due in each plan year",
        ),
        claims=array(CLAIM_SCHEDULE, "the claims (only --creditor's with it)"),
    ),
    True,
)

CREDITOR_POSITION = obj(
    "one creditor's position in the plan",
    creditor=text("the creditor's id"),
    creditor_name=text("the creditor's name"),
    options=array(text("an option"), "the options of its claims"),
    scheduled=money("what the plan pays it in all"),
    due=money("what fell due to it by as_of"),
    distributed=money("what the supervisor distributed to it"),
    reserved=money("kept back for its claims not decided (L626-21)"),
    behind=money("due and neither distributed nor reserved"),
    contingent_remission=money("remission granted if the plan is performed"),
    acquired_remission=money("remission acquired for good"),
    lapsed_remission=money(
        "remission lost: the debtor did not remit what was due by its last "
        "instalment, or the plan ended before (L626-19 al. 2)"
    ),
    overpaid=money(
        "what it received beyond what is now due to it (a claim lowered after "
        "dividends, L626-21 al. 4)"
    ),
)

OPTION_REMISSION = obj(
    "one claim's option remission at as_of (L626-19 al. 2)",
    claim=text("the claim's id"),
    creditor=text("its creditor's id"),
    amount=money("what the option remits"),
    term=day("when the option's last instalment falls due"),
    state=one_of(
        [s.value for s in RemissionState],
        "contingent until the term; acquired when the debtor remitted what was due "
        "by then; lapsed when it did not, or the plan ended before",
    ),
)

STATUS = obj(
    "where the plan stands at as_of",
    phase=text(
        "not_opened, observation, performing, modified (performing a modified "
        "plan), in_arrears (an instalment late), in_default (late past the grace "
        "period: grounds for résolution, L626-27), completed, resolved, liquidation"
    ),
    ended_on=day("when the plan ended", null=True),
    adopted_on=day("the plan judgment's date", null=True),
    plan_year=integer("the current plan year (0 before the first anniversary)"),
    duration_years=integer("the plan's length in years", null=True),
    total_scheduled=money("what the plan pays in all"),
    due=money("what fell due by as_of"),
    remitted_to_supervisor=money(
        "what the debtor paid to the plan supervisor by as_of (L626-21)"
    ),
    distributed=money("what the supervisor distributed to creditors"),
    reserved=money("kept back for claims not decided"),
    arrears=money("due and not remitted to the supervisor"),
    oldest_unpaid_due_on=day("the oldest instalment in arrears", null=True),
    days_late=integer("how late the oldest instalment in arrears is"),
    next_due_on=day("the next instalment's date", null=True),
    next_due_amount=money("the next instalment", null=True),
    percent_repaid=text(
        "remitted to the supervisor over the plan's total, in percent with two "
        "decimals ('21.09')"
    ),
    creditors=array(CREDITOR_POSITION, "every creditor"),
    remissions=array(OPTION_REMISSION, "every claim's option remission"),
    overpaid=money("what creditors received beyond what is now due to them"),
)

# --- group support, employment ----------------------------------------------------------

SUPPORT = obj(
    "group support at as_of",
    tranches=array(
        obj(
            "one tranche of a commitment",
            commitment=text("the commitment's id"),
            investor=text("who committed"),
            number=integer("the tranche's number"),
            due_on=day("when it is due"),
            amount=money("what is due"),
            received=money("what was received"),
            suspended=flag("suspended by the commitment's condition"),
            late=flag("due, not received, not suspended"),
        ),
        "every tranche",
    ),
    received_by_form=mapping(money("received"), "received, by form"),
    waivers=array(
        obj(
            "one waiver of a claim",
            waiver=text("the waiver's fact id"),
            claim=text("the claim waived"),
            creditor=text("its creditor"),
            waived_on=day("when"),
            clause=text("pure, or return_to_better_fortune"),
            amount=money("waived"),
            revived=money("revived by the clause"),
            final=money("waived for good"),
            contingent=money("waived unless the clause revives it"),
        ),
        "every waiver",
    ),
    intercompany_outstanding=mapping(money("outstanding"), "by group creditor"),
    by_investor=mapping(
        obj(
            "one investor",
            committed=money("committed"),
            received=money("received"),
            late=money("late"),
        ),
        "by investor",
    ),
    waived_final=money("waived for good, all waivers"),
    waived_contingent=money("waived under a clause, all waivers"),
    revived=money("revived, all waivers"),
)

EMPLOYMENT = obj(
    "departures, severance and AGS advances at as_of",
    departures=array(
        obj(
            "one departure",
            employee=text("the employee's id"),
            departure=text("voluntary_pse, economic_dismissal..."),
            left_on=day("when they left"),
            seniority_months=integer("seniority in months"),
            monthly_pay=money("monthly pay"),
            legal_minimum=money("the legal severance (R1234-2 C. trav.)"),
            agreed=money("the severance agreed"),
            paid_by_company=money("paid by the company"),
            paid_by_group=money("paid by the group"),
            advanced_by_ags=money("advanced by the AGS"),
            ags_window=text("the AGS guarantee window it falls in", null=True),
            paid=money("paid in all"),
        ),
        "every departure",
    ),
    ags_claims=money("owed to the AGS by subrogation"),
    by_kind=mapping(integer("departures"), "departures by kind"),
    totals=mapping(money("sum"), "sums over every departure"),
)

# --- compliance -----------------------------------------------------------------------

FINDING = obj(
    "one finding",
    rule=text("the rule's key"),
    article=text("the article it applies", null=True),
    severity=one_of([v.value for v in Severity], "how grave"),
    message=text("what was found (in English: stable for machines)"),
    message_fr=text(
        "the same in French, in the Code de commerce's terms (dates as 20/06/2024, "
        "amounts as 1 234,56 €, percentages as 21,09 %)"
    ),
    evidence=array(text("a fact id"), "the facts it rests on"),
    creditor=text("the creditor concerned", null=True),
    claim=text("the claim concerned", null=True),
    instalment=text("the instalment concerned (its due date)", null=True),
    confidence=text("the ruleset's confidence tag of the rule"),
    values=array(
        obj(
            "a ruleset value the finding rests on",
            key=text("the ruleset key"),
            value=text("the value the check read"),
            overridden=flag("whether an override (--ruleset) replaced it"),
            default=text("the version's own value, when overridden", null=True),
        ),
        "the ruleset values the rule rests on",
    ),
)

#: A ruleset value overridden (--ruleset), as check and check_plan list them.
OVERRIDDEN = array(
    obj(
        "a ruleset value overridden (--ruleset)",
        key=text("the ruleset key"),
        value=text("the value used"),
        default=text("the version's own value it replaced", null=True),
        source=text("where it comes from (the --ruleset file)"),
        article=text("the article the value applies"),
    ),
    "values overridden by --ruleset",
)

CHECK = obj(
    "compliance findings at as_of",
    ruleset=text("the ruleset version applied"),
    overridden=OVERRIDDEN,
    errors=integer("how many findings are errors"),
    findings=array(FINDING, "every finding, errors first"),
)

CHECK_PLAN = obj(
    "findings on a draft plan",
    ruleset=text("the ruleset version applied"),
    overridden=OVERRIDDEN,
    errors=integer("how many findings are errors"),
    findings=array(FINDING, "every finding"),
)

# --- across cases ---------------------------------------------------------------------

PORTFOLIO = obj(
    "every case at as_of, and creditors across cases",
    by=text("how creditors are matched across cases: creditor, name or kind"),
    cases=integer("how many cases"),
    by_phase=mapping(integer("cases"), "cases by plan phase"),
    arrears=money("arrears, every case"),
    statuses=array(
        {
            **STATUS,
            "properties": {"case": text("the case"), **STATUS["properties"]},
            "required": ["case", *STATUS["required"]],
            "description": "one case's plan status (keys as in status)",
        },
        "every case",
    ),
    total=TOTALS,
    creditors=array(
        obj(
            "one creditor across cases",
            key=text("its id, name or kind (see by)"),
            cases=array(text("a case"), "the cases it has claims in"),
            claims=integer("how many claims"),
            owed=money(_AMOUNT_MEANINGS["owed"]),
            **_amounts(False),
        ),
        "every creditor",
    ),
)

CASES = array(text("a case reference"), "every case, in the order opened")

MOVEMENTS = obj(
    "the SQL view of money movements, brought up to date",
    applied=integer("facts applied to the view by this run"),
    position=integer("the notification the view is at"),
    creditors=mapping(
        mapping(money("sum"), "by bucket"), "what each creditor is owed, by bucket"
    ),
)

DISTRIBUTION = obj(
    "the répartition of a remittance",
    remittance=text("the remittance's fact id"),
    paid_on=day("the dividends' date"),
    remitted_to_supervisor=money("everything remitted up to this remittance"),
    covered=money("what covers instalments due"),
    reserved=money("kept back for claims not decided (L626-21)"),
    ahead=money("remitted ahead of any instalment: kept for the next"),
    dividends=array(
        obj(
            "one dividend",
            creditor=text("the creditor"),
            claim=text("the claim"),
            amount=money("the dividend"),
        ),
        "the dividends",
    ),
    total=money("the dividends' sum"),
    dry_run=flag("shown only: nothing recorded"),
)

STATEMENT = obj(
    "one creditor's statement (relevé)",
    creditor=text("the creditor's id"),
    creditor_name=text("the creditor's name"),
    owed=money("what is owed at as_of"),
    lines=array(
        obj(
            "one line",
            on=day("its date"),
            claim=text("the claim"),
            what=text("what happened"),
            amount=money("its amount"),
            owed_after=money("owed after it"),
            fact=text("the fact id", null=True),
        ),
        "every line, by date",
    ),
    unverified=array(
        text("a fact's id"),
        "the facts of the statement restored unverified (docs/integrity.md)",
    ),
)

IMPORT_CLAIMS = obj(
    "the facts an état des créances makes",
    sheet=text("the sheet read"),
    dry_run=flag("shown only: nothing recorded"),
    facts=array(
        {
            "type": "object",
            "description": "one fact, as a journal line (docs/journal.md)",
        },
        "the facts recorded (or that would be)",
    ),
)

#: Every view's content, by the view's name (the envelope key and the file name).
VIEWS: dict[str, Schema] = {
    "balances": BALANCES,
    "status": STATUS,
    "schedule": SCHEDULE,
    "support": SUPPORT,
    "employment": EMPLOYMENT,
    "check": CHECK,
    "check_plan": CHECK_PLAN,
    "portfolio": PORTFOLIO,
    "cases": CASES,
    "movements": MOVEMENTS,
    "distribution": DISTRIBUTION,
    "statement": STATEMENT,
    "import_claims": IMPORT_CLAIMS,
}

KNOWN_AT = obj(
    "the point of the recording clock the view was made at",
    position=integer(
        "how many facts of the case the view is made of; null across cases", null=True
    ),
    recorded_at=text(
        "when the last of them was recorded (ISO 8601); across "
        "cases the --known-at asked; null: nothing or everything",
        null=True,
    ),
)


def document(view: str) -> Schema:
    """The JSON Schema of a whole document of `view`: the envelope and the view."""
    from plandebt.schemas import schema_id

    body = obj(
        f"one plandebt.{view} document",
        schema={"const": schema_id(view), "description": "which schema it follows"},
        case=text("the case viewed; null across cases", null=True),
        as_of=day("the effective date viewed; null when none", null=True),
        known_at=KNOWN_AT,
        **{view: VIEWS[view]},
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": schema_id(view),
        "title": f"plandebt {view}",
        **body,
    }
