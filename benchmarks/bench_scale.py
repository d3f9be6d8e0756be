"""Does ``spbe build`` grow linearly with rows, within memory? 5, 10 and 20 years of
national annexes (every autonomous pemda and the central agencies of the reference
table, ~570 instansi a year; synthetic values, see :mod:`benchmarks.corpus`).

The registry knows the evaluations of 2018–2025 only; for this measurement the child
process adds synthetic years 2006–2017 (framework of 2018, no decree) to its own copy of
the registry, so twenty years of rows are read, validated and written like real ones.
Nothing of it is written to the registry files.

Each size is built cold (no read cache) in a fresh subprocess: the median of 3 builds,
seconds per 1,000 rows, the ratio of that to the 5-year corpus's (1.0 = linear), and the
subprocess's peak RSS (``ru_maxrss`` of the process itself and, separately, the largest
of its reading workers).

Run: ``python -m benchmarks scale``
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.corpus import write_national_annexes

SIZES = (5, 10, 20)
LAST_YEAR = 2025

_CHILD = r"""
import dataclasses, json, resource, shutil, statistics, sys, time
from pathlib import Path
from spbe_tools import registry
from spbe_tools.build import build

evaluations = registry.evaluations()
base = evaluations[2018]
extra = {y: dataclasses.replace(base, year=y, decree=None, decree_year=None, decree_date=None,
                                national_index=None, national_predikat=None, sources=())
         for y in range(2006, 2018)}
merged = sorted({**evaluations, **extra}.items())
evaluations.clear()
evaluations.update(merged)

raw, out = Path(sys.argv[1]), Path(sys.argv[2])
times = []
for _ in range(3):
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    result = build(raw, out, cache=False)
    times.append(time.perf_counter() - start)
print(json.dumps({"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times),
                  "rows": result.manifest["totals"]["values_read"],
                  "results": result.manifest["totals"]["results"],
                  "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "workers_rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def run() -> list[dict]:
    rows, per_row_base = [], None
    with tempfile.TemporaryDirectory() as tmp:
        for years in SIZES:
            raw = Path(tmp) / f"raw{years}"
            write_national_annexes(raw, list(range(LAST_YEAR - years + 1, LAST_YEAR + 1)),
                                   agencies=True)
            got = json.loads(subprocess.run(
                [sys.executable, "-c", _CHILD, str(raw), str(Path(tmp) / f"out{years}")],
                capture_output=True, text=True, check=True).stdout.splitlines()[-1])
            per_row = got["median_s"] / got["rows"] * 1000
            per_row_base = per_row_base or per_row
            rows.append({"name": f"build {years} years x all instansi (cold, subprocess)",
                         "median_s": got["median_s"], "baseline": "", "baseline_median_s": 0,
                         "ratio": float("nan"), "rows": got["rows"], "results": got["results"],
                         "spread": f"{got['min_s'] * 1000:.0f}–{got['max_s'] * 1000:.0f} ms",
                         "ms_per_1000_rows": round(per_row * 1000, 1),
                         "per_row_vs_5_years": round(per_row / per_row_base, 2),
                         "peak_rss_mb": round(got["rss_kb"] / 1024),
                         "worker_peak_rss_mb": round(got["workers_rss_kb"] / 1024)})
    return rows
