"""Timing helpers shared by the benchmarks: medians over repeats, in-process baselines."""
from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_seconds(fn: Callable[[], object], *, repeat: int = 7, warmup: int = 1) -> float:
    """Median wall time of ``fn()`` in seconds over ``repeat`` runs after ``warmup`` runs."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def compare(name: str, fn: Callable[[], object], baseline_name: str,
            baseline: Callable[[], object], *, repeat: int = 7, **extra) -> dict:
    """One measurement row: median of ``fn`` and its ratio to ``baseline`` (same process)."""
    base = median_seconds(baseline, repeat=repeat)
    med = median_seconds(fn, repeat=repeat)
    return {"name": name, "median_s": med, "baseline": baseline_name,
            "baseline_median_s": base, "ratio": med / base if base else float("nan"), **extra}
