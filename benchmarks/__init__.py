"""Benchmarks: ``python -m benchmarks [NAME ...]`` (or ``make bench``).

Each ``benchmarks/bench_<name>.py`` defines ``run() -> list[dict]``; each dict
is one measurement with at least ``name``, ``median_s`` and, where it has one,
``baseline`` and ``ratio`` (median / baseline median, measured in the same
process). Times are never asserted by tests; they are quoted from here.
"""
