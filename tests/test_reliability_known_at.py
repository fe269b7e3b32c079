"""An answer about K never changes once given (architecture, principle 8).

Writers record payments in batches of 1 to 20 while readers ask, again and again,
"the balances as known at now". Once every writer has finished, each question is
asked again with the same K: every answer must be the one given at the time. Before
the fix, recording times were taken when a write started, before it was checked and
saved: facts became visible after their recording time, and 26 to 61 of about 300
such answers changed later.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import attrs
import pytest
from tests.helpers import CASE, open_basic_case
from tests.reliability_workers import record_batches

from plandebt import Ledger
from plandebt.projections.balances import Balances

ROOT = Path(__file__).resolve().parent.parent
FAR = date(2030, 1, 1)
PAYMENTS = 60  # per writer


@pytest.fixture(
    params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgres":
        url: str = request.getfixturevalue("pg_url")
        return url
    if request.param == "sqlite":
        return str(tmp_path / "plandebt.db")
    return "memory"


def _writers(
    target: str, shared: Ledger
) -> list[subprocess.Popen[str] | threading.Thread]:
    """Two writers: processes on a file or a server, threads on the in-memory store
    (they share its application, as two ledgers of one process would)."""
    jobs = [("C1", "w1"), ("C2", "w2")]
    if target == "memory":
        threads = []
        for claim, tag in jobs:
            ledger = Ledger(shared.app)
            thread = threading.Thread(
                target=record_batches, args=(ledger, claim, PAYMENTS, 0.05, tag)
            )
            thread.start()
            threads.append(thread)
        return list(threads)
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.reliability_workers",
                "pay",
                target,
                claim,
                str(PAYMENTS),
                # The writers' pause leaves the readers time to ask while they
                # write, also on a loaded machine (the test needs answers then).
                "0.03",
                tag,
            ],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        for claim, tag in jobs
    ]
    for process in processes:  # started and opened: they write from now on
        assert process.stdout is not None and process.stdin is not None
        assert process.stdout.readline().strip() == "READY"
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    return list(processes)


def _running(job: subprocess.Popen[str] | threading.Thread) -> bool:
    if isinstance(job, threading.Thread):
        return job.is_alive()
    return job.poll() is None


def test_an_answer_about_k_never_changes_once_given(target: str) -> None:
    first = Ledger.open(target)
    open_basic_case(first)
    writers = _writers(target, first)
    answers: list[tuple[datetime, Balances]] = []
    lock = threading.Lock()
    # Readers pause between questions on a file or a server (so that asking again
    # stays cheap), not in memory (the writers there are this process's threads).
    pause = 0 if target == "memory" else 0.002

    def read() -> None:
        reader = Ledger(first.app) if target == "memory" else Ledger.open(target)
        while any(_running(w) for w in writers):
            known_at = datetime.now(UTC)
            view = reader.balances(CASE, FAR, known_at=known_at)
            with lock:
                answers.append((known_at, view))
            time.sleep(pause)

    readers = [threading.Thread(target=read) for _ in range(2)]
    for r in readers:
        r.start()
    for w in writers:
        if isinstance(w, threading.Thread):
            w.join(120)
        else:
            w.wait(120)
            assert w.returncode == 0
    for r in readers:
        r.join(60)
    after = Ledger.open(target) if target != "memory" else Ledger(first.app)
    total = after.balances(CASE, FAR)
    assert total.claim("C1").paid.cents == PAYMENTS * 100
    assert total.claim("C2").paid.cents == PAYMENTS * 100
    during = [view for _, view in answers if 5 < view.position < 5 + 2 * PAYMENTS]
    assert len(during) >= 5, "the readers asked too little while the writers wrote"
    changed = [
        (known_at, view.position, again.position)
        for known_at, view in answers
        if (again := after.balances(CASE, FAR, known_at=known_at)) != view
    ]
    assert not changed, (
        f"{len(changed)} of {len(answers)} answers changed: {changed[:5]}"
    )


def test_a_k_after_the_last_recording_is_answered_as_of_it(target: str) -> None:
    ledger = Ledger.open(target)
    open_basic_case(ledger)
    ledger.pay(
        CASE, "C1", amount="1.00", paid_on=date(2023, 1, 1), basis="plan_dividend"
    )
    later = datetime.now(UTC) + timedelta(days=1)
    view = ledger.balances(CASE, FAR, known_at=later)
    # The view says what it is made of: every fact recorded so far (its position),
    # next to the K it was asked about.
    assert view.known_at == later
    assert view.position == len(ledger.history(CASE)) == 6
    assert ledger.position(CASE, later) == 6  # what any view about `later` holds
    assert attrs.evolve(view, known_at=6) == ledger.balances(CASE, FAR, known_at=6)
