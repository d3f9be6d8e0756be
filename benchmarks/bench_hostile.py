"""Hostile inputs: how long the refusal (or the read) takes, and how much memory it needs.

Cases come from ``tests/bad_inputs.py`` (written once, outside the timing): the XML
entity-expansion and external-entity payloads, the 3 GiB zip bomb (honest and lying
headers), a sheet whose used range is 1,048,576 formatted blank rows, and the tiny
files that made the build walk or hold far too much: one value at XFD1048576 (4 KB),
2,000 scattered far cells, 2,000
names of 32,767 characters, a single such name, 6,000,000 shared strings, 10,000
sheets, 124,000 rows (under the old cell limit), an external-link cell, a
Cyrillic look-alike name, the same instansi 3,000 times with two values (item 7), and
the sidecars of items 8 and 10 (a YAML anchor bomb, 16 MiB, Latin-1, UTF-16, mixed-type
keys, 5,000 nested lists, a date key inside ``pdf``, a named pipe); plus the largest
workbook the limits let through (rows of
four cells just under ``MAX_CELLS``, every name unknown, so the per-file bound on
fuzzy suggestions is what keeps it short).

Each case runs ``spbe build``'s ``run_build`` and ``spbe check`` (``cli.main``, report
discarded) on a folder holding just that file, each in a fresh subprocess so its
memory is its own: the median of repeats (harness) against a baseline in the same
subprocess (a clean four-row annex), the subprocess's peak RSS over its whole life
(``ru_maxrss`` from ``os.wait4``, imports included: what the 600 MB bound applies to),
and its RSS after imports. A row whose median passes 10 s or whose peak passes 600 MB
says ``over_bound=True``.

Run: ``python -m benchmarks hostile``
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OLDER = ["xml-billion-laughs-sheet", "xml-billion-laughs-workbook", "xml-external-entity",
         "zip-bomb", "zip-bomb-lying-header", "million-blank-rows"]
ISSUE_13 = ["cell-at-xfd1048576", "far-cells-scattered", "long-names-32767", "long-name-one",
            "shared-strings-6m", "ten-thousand-sheets", "rows-over-cell-limit", "external-link",
            "cyrillic-lookalike", "same-instansi-3000-times", "sidecar-anchor-bomb",
            "sidecar-too-large", "sidecar-not-utf8", "sidecar-utf16", "sidecar-mixed-type-keys",
            "sidecar-nested-lists", "sidecar-pdf-date-key"]
if hasattr(os, "mkfifo"):  # a named pipe as the sidecar: POSIX only
    ISSUE_13.append("sidecar-fifo")
UNDER_LIMIT = "rows-under-cell-limit"
CASES = OLDER + ISSUE_13 + [UNDER_LIMIT]
BOUND_S, BOUND_MB = 10.0, 600.0

_CHILD = r"""
import contextlib, io, json, sys
from pathlib import Path
sys.path[:0] = [sys.argv[4], sys.argv[4] + "/tests"]
from benchmarks.harness import median_seconds
from spbe_tools.build import run_build
from spbe_tools.cli import main
from spbe_tools.errors import SpbeError
from spbe_tools.identity import default_matcher

command, repeat = sys.argv[1], int(sys.argv[5])
matcher = default_matcher()

def once(folder):
    def build():
        try:
            run_build(Path(folder), matcher=matcher)
            return "read"
        except SpbeError as exc:
            return type(exc).__name__
    def check():
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            return f"exit {main(['check', folder])}"
    return build if command == "build" else check

def rss_mb():
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")

case, base = once(sys.argv[2]), once(sys.argv[3])
base_s = median_seconds(base, repeat=3)
rss_before = rss_mb()
outcome = case()
med = median_seconds(case, repeat=repeat, warmup=0)
print(json.dumps({"median_s": med, "baseline_median_s": base_s, "outcome": outcome,
                  "rss_before_mb": round(rss_before, 1)}))
"""


def _measure(command: str, case_dir: Path, base_dir: Path, repeat: int) -> dict:
    """Run the child, reap it with ``os.wait4`` and add its own peak RSS."""
    with tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([sys.executable, "-c", _CHILD, command, str(case_dir),
                                 str(base_dir), str(ROOT), str(repeat)],
                                stdout=subprocess.PIPE, stderr=err, text=True)
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise RuntimeError(f"{command} {case_dir.name}: child failed\n{err.read()[-2000:]}")
    row = json.loads(out.splitlines()[-1])
    # ru_maxrss is in bytes on macOS, KiB on Linux
    kib = usage.ru_maxrss / 1024 if sys.platform == "darwin" else usage.ru_maxrss
    row["peak_rss_mb"] = round(kib / 1024, 1)
    return row


_WRITER = r"""
import sys
from pathlib import Path
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/tests"]
import bad_inputs
from _workbooks import make_workbook

root = Path(sys.argv[2])
make_workbook(root / "baseline" / "bersih.xlsx", {"Lampiran": (
    [["HASIL EVALUASI SPBE TAHUN 2023"], ["No", "Nama Instansi", "Indeks", "Predikat"],
     [1, "Provinsi Bengkulu", 3.12, "Baik"], [2, "Kota Bengkulu", 2.61, "Baik"]], [])})
for kind in sys.argv[3:]:  # file_kb: the case's folder (workbook and sidecar)
    if kind == "rows-under-cell-limit":
        (root / kind).mkdir()
        path = bad_inputs.rows_under_cell_limit(root / kind)
    else:
        path = bad_inputs.write_case(bad_inputs.case_named(kind), root / kind)
    print(kind, sum(f.stat().st_size for f in path.parent.iterdir() if f.is_file()))
"""


def _write_all(root: Path) -> dict[str, int]:
    """Write every case (and the baseline) in a subprocess, so this process stays small:
    on Linux a child's ``ru_maxrss`` starts from its parent's RSS at fork."""
    proc = subprocess.run([sys.executable, "-c", _WRITER, str(ROOT), str(root), *CASES],
                          capture_output=True, text=True, check=True)
    return {k: int(v) // 1024 for k, v in (line.split() for line in proc.stdout.splitlines())}


def run() -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
        root = Path(tmp)
        sizes = _write_all(root)
        for kind in CASES:
            repeat = 7 if kind in OLDER and kind != "million-blank-rows" else 3
            for command in ("build", "check"):
                m = _measure(command, root / kind, root / "baseline", repeat)
                over = m["median_s"] > BOUND_S or m["peak_rss_mb"] > BOUND_MB
                rows.append({"name": f"hostile {command}: {kind}", "median_s": m["median_s"],
                             "baseline": "clean 2-row annex",
                             "baseline_median_s": m["baseline_median_s"],
                             "ratio": m["median_s"] / m["baseline_median_s"],
                             "outcome": m["outcome"], "file_kb": sizes[kind],
                             "peak_rss_mb": m["peak_rss_mb"],
                             "rss_before_mb": m["rss_before_mb"], "over_bound": over})
    return rows
