"""The clocks the figures and their floors share, so that both sides of a ratio are
timed the same way."""

from __future__ import annotations

import gc
import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class Stopwatch:
    """Started when made; `seconds` is set when the block it times ends."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.seconds = 0.0

    def elapsed(self) -> float:
        """Seconds so far, while the block runs."""
        return time.perf_counter() - self.start


@contextmanager
def timed() -> Iterator[Stopwatch]:
    """Times the block (wall clock): `with timed() as t: ...`, then `t.seconds`.
    Not set if the block raises."""
    watch = Stopwatch()
    yield watch
    watch.seconds = watch.elapsed()


@contextmanager
def collector_off() -> Iterator[None]:
    """The block runs with the cyclic garbage collector disabled, to tell its pauses
    apart from the work measured."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def sample(
    fn: Callable[[int], object], runs: int, budget: float, min_runs: int
) -> list[float]:
    """Seconds taken by fn(1), fn(2), ... after a warm-up fn(0): `runs` calls, or
    fewer once `budget` seconds have passed (never fewer than `min_runs`)."""
    fn(0)
    times: list[float] = []
    deadline = time.perf_counter() + budget
    for i in range(1, runs + 1):
        if i > min_runs and time.perf_counter() > deadline:
            break
        # Timed inline: a context manager's own cost would be part of every sample.
        start = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - start)
    return times


def percentile(times: list[float], q: float) -> float:
    """Nearest-rank percentile, in ms (with fewer than 100 samples p99 is the max)."""
    ranked = sorted(times)
    return ranked[max(0, math.ceil(q / 100 * len(ranked)) - 1)] * 1000


def latency(times: list[float], spec: str = ".2f") -> str:
    """'p50 … ms, p99 … ms (n=…)', the numbers formatted with `spec`."""
    p50, p99 = percentile(times, 50), percentile(times, 99)
    return f"p50 {p50:{spec}} ms, p99 {p99:{spec}} ms (n={len(times)})"


def rate(count: float, seconds: float) -> str:
    return f"{count / seconds:,.0f} ev/s ({seconds:.2f} s)"
