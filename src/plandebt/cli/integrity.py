"""`plandebt verify` and `plandebt upgrade --hash-chain` (docs/integrity.md).

`verify` recomputes each case's hash chain from the store and exits 1 if any fact
was altered, deleted, inserted or moved (or a snapshot differs from the events),
0 otherwise; `--head` prints each case's head (POSITION:HASH) for an auditor to write
down, `--head-is POSITION:HASH` proves the history up to that head unchanged.
`upgrade --hash-chain` chains the facts of a store recorded before the chain.
"""

from __future__ import annotations

import argparse
from typing import IO, TYPE_CHECKING

from plandebt.cli.envelope import dump
from plandebt.cli.exits import FINDINGS, OK, UsageError
from plandebt.schemas import envelope

if TYPE_CHECKING:  # imported by `verify` when it runs (the parser reads this module)
    from plandebt.integrity import CaseIntegrity, IntegrityReport
    from plandebt.ledger import Ledger


def verify_options(parser: argparse.ArgumentParser) -> None:
    """`verify [--case REF] [--head] [--head-is POSITION:HASH] [--json]`."""
    from plandebt.cli.parser import json_output

    parser.add_argument("--case", help="case reference (default: every case)")
    parser.add_argument(
        "--head",
        action="store_true",
        help="print each case's head (POSITION:HASH), to write down and check later",
    )
    parser.add_argument(
        "--head-is",
        metavar="POSITION:HASH",
        help="prove the case's history up to this head (printed earlier by "
        "--head) unchanged",
    )
    json_output(parser)


def upgrade_options(parser: argparse.ArgumentParser) -> None:
    """`upgrade --hash-chain [--case REF]`."""
    parser.add_argument(
        "--hash-chain",
        action="store_true",
        required=True,
        help="chain the facts recorded before the hash chain (adds each fact's "
        "hashes; rewrites nothing else)",
    )
    parser.add_argument("--case", help="case reference (default: every case)")


def verify(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    from plandebt.integrity import Head

    against = Head.parse(args.head_is) if args.head_is else None
    report = ledger.verify(args.case, against=against)
    if not report.cases and not report.streams:
        raise UsageError("the store holds no case (try: plandebt demo)")
    if args.json:
        emit_verify(out, report)
    else:
        for problem in report.streams:
            print(
                f"{problem.case}: BROKEN: {problem.kind}: {problem.message}", file=out
            )
        for case in report.cases:
            _print_case(case, args.head, out)
    return OK if report.intact else FINDINGS


def emit_verify(out: IO[str], report: IntegrityReport) -> None:
    """The report as the contract's one document (docs/json.md): no date is viewed,
    and the chain is checked over everything recorded."""
    dump(envelope("verify", report.to_dict(), case=report.case, as_of=None), out)


def _print_case(case: CaseIntegrity, heads: bool, out: IO[str]) -> None:
    if heads and case.head is not None:
        print(f"{case.case}: head {case.head}", file=out)
    if case.intact:
        what = f"{case.facts} facts, chain intact"
        if case.snapshots:
            what += f", {case.snapshots} snapshot(s) checked"
        if case.against is not None:
            what += f"; unchanged up to {case.against.position}"
        if not heads:
            what += f"; head {case.head}"
        print(f"{case.case}: {what}", file=out)
        return
    for problem in case.problems:
        print(
            f"{case.case}: BROKEN at position {problem.position}: "
            f"{problem.kind}: {problem.message}",
            file=out,
        )


def upgrade(ledger: Ledger, args: argparse.Namespace, out: IO[str]) -> int:
    refs = [args.case] if args.case else ledger.cases()
    if not refs:
        raise UsageError("the store holds no case")
    done = dict(ledger.upgrade_chain(args.case))
    for ref in refs:
        what = f"chained {done[ref]} facts" if ref in done else "already chained"
        print(f"{ref}: {what}; head {ledger.head(ref)}", file=out)
    return OK
