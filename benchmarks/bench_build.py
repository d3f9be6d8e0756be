"""How long ``spbe build`` takes, against just opening the same workbooks with openpyxl.

Two inputs:

* the shipped ``data/raw`` + ``data/demo`` (small extracts);
* seven generated national annexes (every autonomous pemda, 2019–2025, 3,822 rows; the
  values are synthetic, see :mod:`benchmarks.corpus`): a yearly rerun at national scale;
* two generated report tables with domain columns (2023 and 2024, central agencies and
  pemda, ~1,270 rows, ``D1 … D4 | Indeks | Predikat`` under an "Indeks Domain" group):
  the shape of the reports' tables, whose domains become score rows and checks.

Baselines run in the same process (in-process rows) or the same loop of processes
(whole-process rows), taking turns with the measured runs (one of each, repeated) so a
machine whose speed drifts during the measurement affects both alike:
``openpyxl.load_workbook`` of every workbook once, the least any reader must do; for
start-up, a bare ``python -c pass``. Each row gives the median and the spread (min–max) of
the runs and the ratio of the medians.

Rows (whole-process rows include interpreter start-up and imports):

* cold build, no cache, in-process (workbooks read on the cores, and with ``jobs=1``) and
  whole-process, vs the bare openpyxl read;
* rebuild with nothing changed (read cache, outputs already in place) vs the cold build,
  in-process (``build()``) and whole-process (``spbe build``: the unchanged-build record
  answers before pandas or openpyxl are imported);
* rebuild after one of the seven annexes changed (six from the cache) vs the cold build;
* ``spbe --help`` and ``spbe regions "Kota Bengkulu"`` vs ``python -c pass``;
* with python-calamine installed: its read of every value of the same files, and the cold
  build with ``engine="calamine"``, vs the bare openpyxl read.

Run: ``python -m benchmarks build``. The same file measures older code when ``spbe_tools``
resolves elsewhere (``PYTHONPATH``): parts that code lacks (``cache=``) are skipped.
"""
from __future__ import annotations

import importlib.util
import inspect
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import openpyxl

from benchmarks.corpus import write_national_annexes
from benchmarks.harness import against_baseline, interleaved, run_process, run_times, spread
from spbe_tools.build import build
from spbe_tools.paths import DEMO_DIR, RAW_DIR

YEARS = list(range(2019, 2026))
DOMAIN_YEARS = [2023, 2024]
REPEAT = 7
HAS_CACHE = "cache" in inspect.signature(build).parameters
HAS_CALAMINE = "engine" in inspect.signature(build).parameters and \
    importlib.util.find_spec("python_calamine") is not None


def _row(name: str, times: list[float], baseline: str, base_times: list[float], **extra) -> dict:
    med, base = statistics.median(times), statistics.median(base_times)
    return {"name": name, "median_s": med, "baseline": baseline, "baseline_median_s": base,
            "ratio": med / base, "spread": spread(times), "baseline_spread": spread(base_times),
            **extra}


def _shipped() -> dict:
    books = sorted(RAW_DIR.rglob("*.xlsx")) + sorted(DEMO_DIR.rglob("*.xlsx"))
    with tempfile.TemporaryDirectory() as tmp:
        def full_build():
            shutil.rmtree(Path(tmp) / "out", ignore_errors=True)
            build([RAW_DIR, DEMO_DIR], Path(tmp) / "out", **_no_cache())

        def open_only():
            for b in books:
                openpyxl.load_workbook(b, data_only=True).close()

        return against_baseline("spbe build (shipped data/raw + data/demo)", full_build,
                       "openpyxl.load_workbook of the same files", open_only, repeat=5,
                       files=len(books))


def _domain_tables(tmp: Path) -> list[dict]:
    """The cold build of two report-shaped tables with domain columns vs the bare read."""
    raw, out = tmp / "raw", tmp / "out"
    books = write_national_annexes(raw, DOMAIN_YEARS, agencies=True, domains=True)

    def open_only():
        for b in books:
            openpyxl.load_workbook(b, data_only=True).close()

    def cold(**kw):
        shutil.rmtree(out, ignore_errors=True)
        return build(raw, out, **_no_cache(), **kw)

    result = cold()
    runs = {"bare": open_only, "cold": cold}
    if HAS_CACHE:
        runs["cold, one process"] = lambda: cold(jobs=1)
    t = interleaved(runs, repeat=REPEAT)
    bare = f"openpyxl.load_workbook of the same {len(books)} files"
    extra = {"rows": len(result.results), "scores": len(result.scores),
             "checks": len(result.checks)}
    rows = [_row("report tables with domain columns: build, cold (in-process)", t["cold"],
                 bare, t["bare"], **extra)]
    if HAS_CACHE:
        rows.append(_row("report tables with domain columns: build, cold, --jobs 1 "
                         "(in-process)", t["cold, one process"], bare, t["bare"]))
    return rows


def _no_cache() -> dict:
    return {"cache": False} if HAS_CACHE else {}


def _national(tmp: Path) -> list[dict]:
    raw, out = tmp / "raw", tmp / "out"
    books = write_national_annexes(raw, YEARS)

    def open_only():
        for b in books:
            openpyxl.load_workbook(b, data_only=True).close()

    def cold(**kw):
        shutil.rmtree(out, ignore_errors=True)
        build(raw, out, **_no_cache(), **kw)

    runs = {"bare": open_only, "cold": cold}
    if HAS_CACHE:
        runs["cold, one process"] = lambda: cold(jobs=1)
    if HAS_CALAMINE:
        runs["calamine read"] = lambda: _calamine_values(books)
        runs["cold, calamine"] = lambda: cold(engine="calamine")
    t = interleaved(runs, repeat=REPEAT)
    bare = "openpyxl.load_workbook of the same 7 files"
    rows = [_row("national annexes: build, cold (in-process)", t["cold"], bare, t["bare"],
                 rows=3822)]
    if HAS_CACHE:
        rows.append(_row("national annexes: build, cold, --jobs 1 (in-process)",
                         t["cold, one process"], bare, t["bare"]))
    if HAS_CALAMINE:
        rows.append(_row("python-calamine: every value of the same 7 files", t["calamine read"],
                         bare, t["bare"]))
        rows.append(_row("national annexes: build, cold, --engine calamine (in-process)",
                         t["cold, calamine"], bare, t["bare"]))
        changed = books[3]
        original = changed.read_bytes()
        warm, one_new, colds = [], [], []
        for _ in range(REPEAT):  # nothing changed / one annex changed / cold, taking turns
            build(raw, out)
            warm += run_times(lambda: build(raw, out), repeat=1, warmup=0)
            wb = openpyxl.load_workbook(changed)
            wb.active["C10"] = 1.23 if wb.active["C10"].value != 1.23 else 1.24
            wb.save(changed)
            one_new += run_times(lambda: build(raw, out), repeat=1, warmup=0)
            colds += run_times(cold, repeat=1, warmup=0)
        changed.write_bytes(original)
        rows.append(_row("national annexes: rebuild, nothing changed (in-process)", warm,
                         "cold build (in-process)", colds))
        rows.append(_row("national annexes: rebuild, 1 of 7 annexes changed (in-process)",
                         one_new, "cold build (in-process)", colds))
    rows.extend(_whole_process(raw, out, books))
    return rows


def _calamine_values(books: list[Path]) -> None:
    from python_calamine import CalamineWorkbook

    for book in books:
        wb = CalamineWorkbook.from_path(str(book))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python()


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "spbe_tools", *args]


def _whole_process(raw: Path, out: Path, books: list[Path]) -> list[dict]:
    bare = [sys.executable, "-c", "import sys, openpyxl\nfor f in sys.argv[1:]:\n"
            "    openpyxl.load_workbook(f, data_only=True).close()", *map(str, books)]
    no_cache = ["--no-cache"] if HAS_CACHE else []
    build_cmd = _cli("build", "--raw", str(raw), "--out", str(out), "--quiet")
    peak: dict[str, int] = {}

    def timed(name: str, argv: list[str], clear: bool = False):
        def fn() -> float:
            if clear:
                shutil.rmtree(out, ignore_errors=True)
            seconds, rss = run_process(argv)
            peak[name] = max(peak.get(name, 0), rss)
            return seconds
        return fn

    t = interleaved({"bare": timed("bare", bare),
                     "cold": timed("cold", build_cmd + no_cache, clear=True)}, repeat=REPEAT)
    rows = [_row("national annexes: spbe build, cold (whole process)", t["cold"],
                 "python + openpyxl.load_workbook of the same files (whole process)", t["bare"],
                 peak_rss_mb=round(peak["cold"] / 1024))]
    if HAS_CACHE:
        def cold_then_ready() -> float:
            seconds = timed("cold", build_cmd + no_cache, clear=True)()
            run_process(build_cmd)  # the analyst's last build, whose record the next run finds
            return seconds
        t = interleaved({"cold": cold_then_ready, "warm": timed("warm", build_cmd)},
                        repeat=REPEAT)
        rows.append(_row("national annexes: spbe build, nothing changed (whole process)",
                         t["warm"], "spbe build, cold (whole process)", t["cold"],
                         peak_rss_mb=round(peak["warm"] / 1024)))
    runs = {"start": timed("start", [sys.executable, "-c", "pass"]),
            "help": timed("help", _cli("--help")),
            "regions": timed("regions", _cli("regions", "Kota Bengkulu"))}
    t = interleaved(runs, repeat=REPEAT)
    rows.append(_row("spbe --help (whole process)", t["help"], "python -c pass (whole process)",
                     t["start"]))
    rows.append(_row('spbe regions "Kota Bengkulu" (whole process)', t["regions"],
                     "python -c pass (whole process)", t["start"]))
    return rows


def run() -> list[dict]:
    rows = [_shipped()]
    with tempfile.TemporaryDirectory() as tmp:
        rows.extend(_domain_tables(Path(tmp)))
    with tempfile.TemporaryDirectory() as tmp:
        rows.extend(_national(Path(tmp)))
    return rows
