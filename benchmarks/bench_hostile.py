"""Hostile inputs: how long the refusal (or the read) takes, and how much memory it needs.

Cases come from ``tests/bad_inputs.py`` (written once, outside the timing): the XML
entity-expansion and external-entity payloads, the 3 GiB zip bomb (honest and lying
headers), and a sheet whose used range is 1,048,576 formatted blank rows. Each case
runs in a fresh subprocess so its peak memory is its own: ``run_build`` on a folder
holding just that file, median of repeats (harness), the process's peak RSS
(``VmHWM`` from ``/proc/self/status``, reset first; ``ru_maxrss`` elsewhere) next
to its RSS after imports and a baseline run, and the peak of Python
allocations during one run (``tracemalloc``). Baseline, in the same subprocess: a
clean four-row annex workbook.

Run: ``python -m benchmarks hostile``
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = ["xml-billion-laughs-sheet", "xml-billion-laughs-workbook", "xml-external-entity",
         "zip-bomb", "zip-bomb-lying-header", "million-blank-rows"]

_CHILD = r"""
import json, resource, sys, tracemalloc
from pathlib import Path
sys.path[:0] = [sys.argv[3], sys.argv[3] + "/tests"]
from benchmarks.harness import median_seconds
from spbe_tools.build import run_build
from spbe_tools.errors import SpbeError
from spbe_tools.identity import default_matcher

matcher = default_matcher()
def once(folder):
    def go():
        try:
            run_build(Path(folder), matcher=matcher)
            return "read"
        except SpbeError as exc:
            return type(exc).__name__
    return go

def status(key):
    try:
        for line in open("/proc/self/status"):
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def reset_peak():  # Linux: VmHWM back to the current RSS, so the peak is this case's own
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass

rss = lambda: status("VmHWM")
case, base = once(sys.argv[1]), once(sys.argv[2])
base_s = median_seconds(base, repeat=5)
rss_before = status("VmRSS")
reset_peak()
outcome = case()
med = median_seconds(case, repeat=int(sys.argv[4]), warmup=0)
peak = rss()
tracemalloc.start()
case()
traced = tracemalloc.get_traced_memory()[1] / 2**20
print(json.dumps({"median_s": med, "baseline_median_s": base_s, "outcome": outcome,
                  "rss_before_mb": round(rss_before, 1), "peak_rss_mb": round(peak, 1),
                  "tracemalloc_peak_mb": round(traced, 1)}))
"""


def _measure(case_dir: Path, base_dir: Path, repeat: int) -> dict:
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(case_dir), str(base_dir),
                           str(ROOT), str(repeat)], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.splitlines()[-1])


def run() -> list[dict]:
    sys.path.insert(0, str(ROOT / "tests"))
    import bad_inputs
    from _workbooks import make_workbook

    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
        base = Path(tmp) / "baseline"
        make_workbook(base / "bersih.xlsx", {"Lampiran": (
            [["HASIL EVALUASI SPBE TAHUN 2023"], ["No", "Nama Instansi", "Indeks", "Predikat"],
             [1, "Provinsi Bengkulu", 3.12, "Baik"], [2, "Kota Bengkulu", 2.61, "Baik"]], [])})
        for kind in CASES:
            folder = Path(tmp) / kind
            path = bad_inputs.write_case(bad_inputs.case_named(kind), folder)
            m = _measure(folder, base, repeat=3 if kind == "million-blank-rows" else 7)
            rows.append({"name": f"hostile: {kind}", "median_s": m["median_s"],
                         "baseline": "clean 2-row annex", "baseline_median_s":
                         m["baseline_median_s"], "ratio": m["median_s"] / m["baseline_median_s"],
                         "outcome": m["outcome"], "file_kb": path.stat().st_size // 1024,
                         "rss_before_mb": m["rss_before_mb"], "peak_rss_mb": m["peak_rss_mb"],
                         "tracemalloc_peak_mb": m["tracemalloc_peak_mb"]})
    return rows
