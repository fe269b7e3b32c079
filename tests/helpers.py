"""Small builders shared by the tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

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
