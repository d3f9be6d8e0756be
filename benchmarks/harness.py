"""Timing helpers shared by the benchmarks: medians over repeats, in-process baselines."""
from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_seconds(fn: Callable[[], object], *, repeat: int = 7, warmup: int = 1) -> float:
    """Median wall time of ``fn()`` in seconds over ``repeat`` runs after ``warmup`` runs."""
    return statistics.median(run_times(fn, repeat=repeat, warmup=warmup))


def against_baseline(name: str, fn: Callable[[], object], baseline_name: str,
            baseline: Callable[[], object], *, repeat: int = 7, **extra) -> dict:
    """One measurement row: median of ``fn`` and its ratio to ``baseline`` (same process)."""
    base = median_seconds(baseline, repeat=repeat)
    med = median_seconds(fn, repeat=repeat)
    return {"name": name, "median_s": med, "baseline": baseline_name,
            "baseline_median_s": base, "ratio": med / base if base else float("nan"), **extra}


def spread(times: list[float]) -> str:
    """``min–max`` of a list of seconds, in milliseconds (for the README tables)."""
    return f"{min(times) * 1000:.0f}–{max(times) * 1000:.0f} ms"


def run_times(fn: Callable[[], object], *, repeat: int = 7, warmup: int = 1) -> list[float]:
    """Wall times of ``fn()`` in seconds, ``repeat`` runs after ``warmup``."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


#: Runs a command and prints its wall time and peak RSS. The measured command is started
#: from this small process because Linux carries the starting process's memory into the
#: child's ``ru_maxrss`` (the fork's copy is counted until exec), which from the benchmark
#: process (~170 MB with pandas loaded) would hide a small command's own peak.
_LAUNCHER = """
import os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(proc.pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status))
"""


def process_times(argv: list[str], *, repeat: int = 7, warmup: int = 1, cwd=None,
                  env: dict | None = None, before: Callable[[], object] | None = None
                  ) -> tuple[list[float], int]:
    """Wall times (s) of a whole process ``argv`` (start-up and imports included) and its
    largest peak RSS (KB, ``ru_maxrss`` from ``os.wait4``); ``before`` runs before each
    run, outside the timing (e.g. to remove the previous output)."""
    import subprocess
    import sys

    times, peak = [], 0
    for i in range(warmup + repeat):
        if before is not None:
            before()
        out = subprocess.run([sys.executable, "-c", _LAUNCHER, *argv], cwd=cwd, env=env,
                             capture_output=True, text=True, check=True).stdout.split()
        elapsed, rss, code = float(out[0]), int(out[1]), int(out[2])
        if code != 0:
            raise RuntimeError(f"{argv} exited {code}")
        if i >= warmup:
            times.append(elapsed)
            peak = max(peak, rss)
    return times, peak


def run_process(argv: list[str], *, cwd=None, env: dict | None = None) -> tuple[float, int]:
    """One whole-process run of ``argv``: (wall seconds, peak RSS in KB)."""
    times, rss = process_times(argv, repeat=1, warmup=0, cwd=cwd, env=env)
    return times[0], rss


def interleaved(runs: dict[str, Callable[[], object]], *, repeat: int = 7, warmup: int = 1,
                before: Callable[[], object] | None = None) -> dict[str, list[float]]:
    """Seconds of each named run, the runs taking turns (one of each, ``repeat`` times) so a
    machine that slows down or speeds up during the measurement slows all of them alike.
    A run that returns a float gives its own time (a whole process timed by
    :func:`run_process`); otherwise it is timed here. ``before`` runs before each run,
    outside the timing."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for i in range(warmup + repeat):
        for name, fn in runs.items():
            if before is not None:
                before()
            start = time.perf_counter()
            got = fn()
            elapsed = got if isinstance(got, float) else time.perf_counter() - start
            if i >= warmup:
                times[name].append(elapsed)
    return times
