"""Processes the reliability tests start (python -m tests.reliability_workers ...).

pay TARGET CLAIM COUNT PAUSE TAG   record COUNT payments on CLAIM, in batches of
                                   1 to 20, PAUSE seconds apart; prints the
                                   number of conflicts met
live TARGET CLAIM STOPFILE TAG     record one payment every 20 ms until STOPFILE
                                   exists; prints payments and conflicts
import TARGET COUNT [HANG]         import COUNT payments in one batch; with HANG
                                   ("checking" or "inserting"), print HANGING and
                                   stop there, holding the write open, until killed
"""

from __future__ import annotations

import random
import sys
import time
import uuid
from pathlib import Path

import attrs
from tests.helpers import CASE

from plandebt import ConflictError, Ledger
from plandebt.events import PaymentMade


def payment(claim: str, ref: str, amount: str = "1.00") -> PaymentMade:
    return PaymentMade.build(
        case=CASE,
        claim=claim,
        amount=amount,
        effective_on="2023-01-01",
        basis="plan_dividend",
        client_ref=ref,
    )


def pay(target: str, claim: str, count: int, pause: float, tag: str) -> None:
    ledger = Ledger.open(target)
    ledger.history(CASE)
    print("READY", flush=True)
    sys.stdin.readline()  # the test starts every writer at once
    conflicts = record_batches(ledger, claim, count, pause, tag)
    ledger.close()
    print(conflicts, flush=True)


def record_batches(
    ledger: Ledger, claim: str, count: int, pause: float, tag: str
) -> int:
    """Records `count` payments in batches of 1 to 20; returns the conflicts met."""
    rng = random.Random(tag)
    conflicts = done = 0
    while done < count:
        size = min(count - done, rng.randint(1, 20))
        batch = [payment(claim, f"{tag}-{done + i}") for i in range(size)]
        try:
            ledger.record_all(batch)
        except ConflictError:
            conflicts += 1
            continue
        done += size
        time.sleep(pause * rng.random())
    return conflicts


def live(target: str, claim: str, stop: str, tag: str) -> None:
    ledger = Ledger.open(target)
    conflicts = done = 0
    while not Path(stop).exists():
        try:
            ledger.record(payment(claim, f"{tag}-{done}"))
        except ConflictError:
            conflicts += 1
            continue
        done += 1
        if done == 1:
            print("STARTED", flush=True)
        time.sleep(0.02)
    ledger.close()
    print(done, conflicts, flush=True)


def bulk(count: int, claim: str = "C2", tag: str = "import") -> list[PaymentMade]:
    """`count` payments of one cent, each with its own id and client reference
    (copies of one built payment: building each would double a large test's time)."""
    first = payment(claim, f"{tag}-0", "0.01")
    return [first] + [
        attrs.evolve(first, id=uuid.uuid4().hex, client_ref=f"{tag}-{i}")
        for i in range(1, count)
    ]


def import_(target: str, count: int, hang: str | None) -> None:
    ledger = Ledger.open(target)

    def hang_here() -> None:
        print("HANGING", flush=True)
        time.sleep(3600)

    progress = None
    if hang == "checking":

        def progress(done: int, total: int) -> None:
            if done >= total // 2:
                hang_here()

    elif hang == "inserting":
        from plandebt import storage_postgres

        chunks = storage_postgres.chunks

        def chunks_then_hang(stored):  # type: ignore[no-untyped-def]
            for n, chunk in enumerate(chunks(stored)):
                if n == 2:  # two chunks are in the open transaction
                    hang_here()
                yield chunk

        storage_postgres.chunks = chunks_then_hang  # type: ignore[assignment]
    ledger.record_all(bulk(count), progress=progress)
    ledger.close()
    print("DONE", flush=True)


def main(argv: list[str]) -> None:
    command, target = argv[0], argv[1]
    if command == "pay":
        pay(target, argv[2], int(argv[3]), float(argv[4]), argv[5])
    elif command == "live":
        live(target, argv[2], argv[3], argv[4])
    elif command == "import":
        import_(target, int(argv[2]), argv[3] if len(argv) > 3 else None)
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv[1:])
