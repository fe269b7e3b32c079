"""Small builders shared by the tests."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from plandebt import Ledger
from plandebt.compliance import Finding

CASE = "RG 22/00001"
OPENED = date(2022, 3, 14)


def open_basic_case(ledger: Ledger, case: str = CASE) -> None:
    """A redressement judiciaire with two creditors and two frozen claims."""
    ledger.open_case(
        case,
        procedure="redressement_judiciaire",
        court="TJ Lyon",
        debtor="Debtor SCOP",
        opened_on=OPENED,
        bodacc_published_on=date(2022, 3, 28),
    )
    ledger.register_creditor(case, "URSSAF", name="URSSAF", creditor_kind="social")
    ledger.register_creditor(case, "BANK", name="Bank", creditor_kind="bank")
    ledger.declare_claim(
        case,
        "C1",
        creditor="URSSAF",
        amount="900000.00",
        origin_on=date(2021, 12, 31),
        rank="privileged_social",
        declared_on=date(2022, 5, 2),
        client_ref="declare-C1",
    )
    ledger.declare_claim(
        case,
        "C2",
        creditor="BANK",
        amount="350000.00",
        origin_on=date(2021, 6, 30),
        rank="secured",
        declared_on=date(2022, 5, 3),
    )


def snapshot(ledger: Ledger) -> list[dict]:
    """Everything the store holds, as its export (ids, positions, times included)."""
    return list(ledger.export())


def record_payments_retrying(ledger: Ledger, claim: str, count: int) -> int:
    """Records `count` payments on `claim`, retrying on conflicts; returns how many
    conflicts it met. Each payment has a client reference, so a retry after an
    ambiguous failure cannot record it twice."""
    from plandebt import ConflictError
    from plandebt.events import PaymentMade

    conflicts = 0
    for i in range(count):
        fact = PaymentMade.build(
            case=CASE,
            claim=claim,
            amount="1.00",
            effective_on="2023-01-01",
            basis="plan_dividend",
            client_ref=f"{claim}-{i}",
        )
        while True:
            try:
                ledger.record(fact)
                break
            except ConflictError:
                conflicts += 1
    return conflicts


def write_payments_in_a_process(target: str, claim: str, count: int) -> int:
    """Run in another process: record_payments_retrying on its own ledger."""
    ledger = Ledger.open(target)
    try:
        return record_payments_retrying(ledger, claim, count)
    finally:
        ledger.close()


def store_bytes(path: Path) -> bytes:
    """Every byte SQLite keeps for a store: the file and its write-ahead log."""
    return b"".join(
        Path(f"{path}{suffix}").read_bytes()
        for suffix in ("", "-wal")
        if Path(f"{path}{suffix}").exists()
    )


#: An English date (2024-06-20) and an English percentage (21.09 %): neither may
#: appear in a French message, which writes 20/06/2024 and 21,09 %.
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
ENGLISH_PERCENT = re.compile(r"\d\.\d+ ?%")


def french_message_problems(finding: Finding) -> list[str]:
    """What is wrong with a finding's French message: missing, the English one,
    or with a date or a percentage written the English way."""
    text = finding.message_fr
    if not text.strip():
        return [f"{finding.rule}: no French message"]
    problems = []
    if text == finding.message:
        problems.append(f"{finding.rule}: the French message is the English one")
    if ISO_DATE.search(text):
        problems.append(f"{finding.rule}: an English date in {text!r}")
    if ENGLISH_PERCENT.search(text):
        problems.append(f"{finding.rule}: an English percentage in {text!r}")
    return problems


#: Small numbers as a message may spell them ("later than one year").
_WORDS = {
    1: ("one", "a", "un", "une", "d'un"),
    2: ("two", "deux"),
    3: ("three", "trois"),
    6: ("six",),
    10: ("ten", "dix"),
}
#: How a message names each unit of a ruleset value, in English and in French.
_UNITS = {
    "days": r"(?:days?|jours?)",
    "months": r"(?:months?|mois)",
    "years": r"(?:years?|ans?)",
}


def _stated(value: object, unit: str) -> re.Pattern[str] | None:
    """How a message would state `value` in `unit`: '30 days', '30-day', 'one
    year', '5 %', '500,00 €'; None for a value no message can be scanned for."""
    from decimal import Decimal

    from plandebt import Money, french

    if isinstance(value, bool):
        return None
    if isinstance(value, int) and unit in _UNITS:
        forms = [str(value), *_WORDS.get(value, ())]
        number = "|".join(re.escape(f) for f in forms)
        return re.compile(rf"(?<![\w.,])(?:{number})[ -]{_UNITS[unit]}\b", re.I)
    if isinstance(value, Decimal) and unit == "percent":
        forms = {str(value), french.percent(value).removesuffix(" %")}
        number = "|".join(re.escape(f) for f in forms)
        return re.compile(rf"(?<![\d.,])(?:{number}) ?%")
    if isinstance(value, Money):
        forms = {value.plain(), value.french()}
        return re.compile("|".join(rf"(?<![\d.,]){re.escape(f)}" for f in forms))
    return None


def _number(value: object) -> re.Pattern[str] | None:
    """A value's number alone, as a message may write it (11, 6,3, 613,00)."""
    from decimal import Decimal

    from plandebt import Money, french

    if isinstance(value, bool) or not isinstance(value, int | Decimal | Money):
        return None
    if isinstance(value, Money):
        forms = {value.plain(), value.french()}
    elif isinstance(value, Decimal):
        forms = {str(value), french.percent(value).removesuffix(" %")}
    else:
        forms = {str(value)}
    return re.compile("|".join(rf"(?<![\d.,]){re.escape(f)}(?![\d])" for f in forms))


def stated_defaults(finding: Finding) -> list[str]:
    """Each ruleset value a finding rests on that an override replaced, whose
    default its message (English or French) states while stating none of the
    overridden values of that unit it rests on (issue 13, item 11). A message
    stating one of them too is let be: the default's number may be the case's own
    (an annuity of 5 % below a minimum overridden to 6,3 %)."""
    from plandebt.ruleset import POST_REFORM, ruleset_version

    units = ruleset_version(POST_REFORM)
    changed = [
        (v, units.rule(v.key).unit)
        for v in finding.overridden
        if v.default is not None and v.default != v.value and v.key in units
    ]
    problems = []
    for v, unit in changed:
        default = _stated(v.default, unit)
        if default is None:
            continue
        # The value read may be stated without its unit ("more than the 11 the
        # law allows"): its number alone counts.
        read = [_number(w.value) for w, u in changed if u == unit]
        for text in (finding.message, finding.message_fr):
            if default.search(text) and not any(p and p.search(text) for p in read):
                problems.append(
                    f"{finding.rule}: states {v.key}'s default {v.default} "
                    f"(overridden by {v.value}): {text!r}"
                )
    return problems
