"""How long ``spbe brief`` takes as an analyst runs it: a whole process, notebooks included.

Rows (median and spread of the runs; whole process, start-up and imports included):

* one region's pack with its four executed notebooks and HTML exports, against the same
  pack without notebooks (``--no-notebooks``) in the same loop;
* two regions in one command (tables loaded once, one notebook kernel), against two
  one-region commands run one after the other.

The processed tables are built once beforehand from the shipped ``data/raw`` +
``data/demo``. Run: ``python -m benchmarks brief``.
"""
from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.harness import process_times, spread
from spbe_tools.paths import DEMO_DIR, RAW_DIR

REPEAT = 5
REGIONS = ("Kota Bengkulu", "Provinsi Bengkulu")


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "spbe_tools", *args]


def _row(name, times, baseline, base_times, **extra) -> dict:
    med, base = statistics.median(times), statistics.median(base_times)
    return {"name": name, "median_s": med, "baseline": baseline, "baseline_median_s": base,
            "ratio": med / base, "spread": spread(times), "baseline_spread": spread(base_times),
            **extra}


def run() -> list[dict]:
    batch = "--reports" in subprocess.run(_cli("brief", "--help"), capture_output=True,
                                          text=True).stdout
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        processed = tmp / "processed"
        subprocess.run(_cli("build", "--raw", str(RAW_DIR), "--raw", str(DEMO_DIR), "--out",
                            str(processed), "--quiet"), check=True, capture_output=True)
        common = ["--year", "2023", "--processed", str(processed), "--raw", str(RAW_DIR),
                  "--demo", str(DEMO_DIR)]

        def clean():
            for p in tmp.glob("pack*"):
                shutil.rmtree(p, ignore_errors=True)

        def one(region: str, out: str, *extra: str) -> list[str]:
            return _cli("brief", "--region", region, *common, "--out", str(tmp / out), *extra)

        full, rss = process_times(one(REGIONS[0], "pack"), repeat=REPEAT, before=clean)
        bare, _ = process_times(one(REGIONS[0], "pack", "--no-notebooks"), repeat=REPEAT,
                                before=clean)
        rows = [_row("spbe brief, one region with notebooks (whole process)", full,
                     "the same without notebooks", bare, peak_rss_mb=round(rss / 1024))]
        twice = []
        for _ in range(REPEAT):
            clean()
            seconds = 0.0
            for i, region in enumerate(REGIONS):
                times, _ = process_times(one(region, f"pack{i}"), repeat=1, warmup=0)
                seconds += times[0]
            twice.append(seconds)
        if batch:
            both = [a for r in REGIONS for a in ("--region", r)]
            together, _ = process_times(
                _cli("brief", *both, *common, "--reports", str(tmp / "packs")), repeat=REPEAT,
                before=lambda: shutil.rmtree(tmp / "packs", ignore_errors=True))
            rows.append(_row("spbe brief, two regions in one command (whole process)",
                             together, "two one-region commands", twice))
        else:
            rows.append({"name": "two one-region commands (whole process)",
                         "median_s": statistics.median(twice), "baseline": "",
                         "baseline_median_s": 0, "ratio": float("nan"),
                         "spread": spread(twice)})
    return rows
