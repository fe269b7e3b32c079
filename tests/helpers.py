"""Small builders shared by the tests."""

from __future__ import annotations

from datetime import date

from plandebt import Ledger

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
