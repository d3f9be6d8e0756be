"""Orchestrate raw folder -> tidy tables in ``data/processed`` (+ manifest).

``build(raw_dir, out_dir)`` reads every workbook, validates, cross-checks LHE scores,
and writes, atomically and byte-identically for the same inputs:

* ``results.csv`` / ``results.parquet`` — one row per (year, instansi_code);
* ``national.csv`` — national index rows found in the inputs, checked against the registry;
* ``rejects.csv`` — every input value not accepted, with its reason;
* ``scores.csv`` / ``scores.parquet`` and ``checks.csv`` — LHE scores, the domain columns
  of accepted results rows (:func:`spbe_tools.scores.table_domains`), and cross-checks;
* ``manifest.json`` — inputs' sha256, sidecars, per-file/per-sheet counts, package version.

Outputs are first written to a temporary folder beside ``out_dir``; only when all are
written do they replace the previous ones, so a failed build leaves them intact.
"""
from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from spbe_tools import __version__, read_cache
from spbe_tools.errors import InputError, ValidationError
from spbe_tools.ingest import FileReport, ParsedRow
from spbe_tools.lock import check_locks
from spbe_tools.raw_folder import RawFile, alias_files, workbooks
from spbe_tools.read_cache import CACHE_DIR_NAME, ReadCache
from spbe_tools.read_jobs import read_all
from spbe_tools.schema import conform
from spbe_tools.sidecar import authority_of
from spbe_tools.table_columns import CHECKS, NATIONAL, REJECTS, RESULTS, SCORES
from spbe_tools.validate import Validated, name_lhe_sheet, validate_rows

__all__ = ["BuildResult", "FailedFile", "build", "inputs_table", "read_inputs", "run_build",
           "write_outputs"]

OUTPUT_FILES = ("results.csv", "results.parquet", "national.csv", "rejects.csv", "scores.csv",
                "scores.parquet", "checks.csv", "manifest.json")


@dataclass
class BuildResult:
    results: pd.DataFrame
    national: pd.DataFrame
    rejects: pd.DataFrame
    scores: pd.DataFrame
    checks: pd.DataFrame
    manifest: dict
    out_dir: Path | None = None
    read_from_cache: int = 0  # workbooks taken from the read cache instead of parsed
    unchanged: bool = False   # the folder already held exactly these outputs: not rewritten


def _as_dirs(raw: Path | str | Sequence[Path | str]) -> list[Path]:
    return [Path(raw)] if isinstance(raw, (str, Path)) else [Path(r) for r in raw]


def default_matcher_for(raw_dirs: list[Path]):
    """The identity matcher, with each raw folder's analyst ``aliases.csv`` when present."""
    from spbe_tools.identity import default_matcher

    return default_matcher(alias_files(raw_dirs))




@dataclass
class FailedFile:
    """A workbook that could not be read as a whole (damaged, no table, bad sidecar, …)."""

    file: str  # path relative to the raw folder, as in source_file
    sha256: str
    error: InputError

    def reject(self) -> dict:
        """Its row in ``rejects.csv``: where the error is (sheet, row, cell) and why."""
        e = self.error
        return REJECTS.record(
            source_file=self.file, source_sheet=e.sheet or "", source_row=e.row,
            source_cell=e.cell or "", year="", instansi_reported="", index_raw="",
            predikat_raw="", reason=f"file not read: {e.describe()}", candidates="")

    def manifest_entry(self) -> dict:
        return {"file": self.file, "sha256": self.sha256, "failed": True,
                "error": self.error.describe(), "sidecar": {}, "sheets": [],
                "values_read": 0, "values_accepted": 0, "values_rejected": 0,
                "values_collapsed": 0, "lhe_rows_read": 0, "lhe_rows_rejected": 0}


def read_inputs(raw_dirs: list[Path], progress: Callable | None = None, *,
                strict: bool = True, cache: ReadCache | None = None, jobs: int | None = None,
                engine: str = "openpyxl"
                ) -> tuple[list[FileReport], list[ParsedRow], list, list[FailedFile]]:
    """Read every workbook under the raw folders: (file reports, result rows, LHE sheets,
    failed files), names as reported. ``strict``: the first workbook (in reading order)
    that cannot be read stops everything (InputError); otherwise it becomes a
    :class:`FailedFile` and the others are read. ``cache``: workbooks whose bytes, sidecar
    and name are unchanged since the last build are taken from it instead of being parsed
    again. ``jobs``: worker processes for the others
    (:func:`spbe_tools.read_jobs.workers_for`; 1 = none). ``engine``: the reader,
    ``openpyxl`` (default) or ``calamine``."""
    files = workbooks(raw_dirs)
    outcomes = read_all(files, cache=cache, jobs=jobs, engine=engine)
    reports, rows, lhe, failed = [], [], [], []
    try:
        for raw, outcome in zip(progress(files) if progress else files, outcomes):
            if isinstance(outcome, InputError):
                if strict:
                    raise outcome
                failed.append(FailedFile(raw.name, _sha_or_empty(raw), outcome))
                continue
            report, file_rows, file_lhe = outcome
            reports.append(report)
            rows.extend(file_rows)
            lhe.extend(file_lhe)
    finally:
        outcomes.close()  # stops the workers when a strict build gives up early
    return reports, rows, lhe, failed


def _sha_or_empty(raw: RawFile) -> str:
    try:
        return raw.sha256
    except OSError:
        return ""


def _score_frames(lhe_results: list, rows: list[ParsedRow], results: pd.DataFrame
                  ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(scores, checks, LHE rejects, results) from the LHE sheet results and the domain
    cells of the accepted results rows (``results`` back with the notes those cells
    deserve: an empty or unreadable domain, an LHE's domains used instead)."""
    from spbe_tools import scores as scores_mod

    frames = [r.scores for r in lhe_results if len(r.scores)]
    lhe_scores = (pd.concat(frames, ignore_index=True) if frames
                  else pd.DataFrame(columns=SCORES.names))
    table_scores, notes = scores_mod.table_domains(rows, results, lhe_scores)
    frames = [f for f in (lhe_scores, table_scores) if len(f)]
    scores = pd.concat(frames, ignore_index=True) if frames else lhe_scores
    scores = conform(scores, SCORES).sort_values(["year", "instansi_code", "level", "item"],
                                                 kind="stable").reset_index(drop=True)
    results = _with_notes(results, notes)
    checks = scores_mod.cross_check(scores, results)
    rej = [r.rejects for r in lhe_results if len(r.rejects)]
    rejects = pd.concat(rej, ignore_index=True) if rej else pd.DataFrame(columns=REJECTS.names)
    return scores, checks, rejects.reindex(columns=REJECTS.names), results


def _with_notes(results: pd.DataFrame, notes: dict[tuple, str]) -> pd.DataFrame:
    """``results`` with ``notes[(source_file, source_sheet, source_cell)]`` added to the
    matching rows' ``note`` ("; "-joined)."""
    if not notes:
        return results
    keys = zip(results["source_file"], results["source_sheet"], results["source_cell"])
    new = ["; ".join(x for x in (note, notes.get(key, "")) if x)
           for note, key in zip(results["note"], keys)]
    return results.assign(note=new)


def _with_lhe_indices(results: pd.DataFrame, scores: pd.DataFrame,
                      reports: list[FileReport], matcher) -> pd.DataFrame:
    """``results`` (origin "table") plus one row (origin "lhe") for every LHE published
    index (scores level "index") of an instansi-year no results table gives: published
    value, band, sumber from the LHE file's sidecar, no decree."""
    from spbe_tools import registry

    have = set(zip(results["year"], results["instansi_code"]))
    sources = {r.file: " ; ".join(r.sidecar.get("source_urls") or []) for r in reports}
    rows = []
    for s in scores[scores["level"] == "index"].itertuples():
        if (s.year, s.instansi_code) in have:
            continue
        have.add((s.year, s.instansi_code))
        res = matcher.resolve(s.instansi_code, year=int(s.year))
        published = registry.published_value(s.value)
        rows.append(RESULTS.record(
            year=s.year, instansi_code=s.instansi_code, instansi=s.instansi,
            category=res.category, province_code=res.province_code, province=res.province,
            province_reported="", instansi_reported=s.instansi, index=published,
            index_raw=float(s.value), predikat="",
            predikat_computed=registry.band_for(published, s.framework), predikat_flag="",
            framework=s.framework, decree="", synthetic=bool(s.synthetic),
            sumber=sources.get(s.source_file, ""),
            note="index from the LHE: no results table gives it", match_rule=res.rule,
            source_file=s.source_file, source_sheet=s.source_sheet,
            source_cell=s.source_cell, origin="lhe"))
    if not rows:
        return results
    added = pd.DataFrame(rows, columns=results.columns).astype(results.dtypes.to_dict())
    return pd.concat([results, added], ignore_index=True).sort_values(
        ["year", "instansi_code"], kind="stable").reset_index(drop=True)


def _conservation(reports: list[FileReport], rows: list[ParsedRow], validated: Validated,
                  lhe_results: list) -> list[dict]:
    """Per-file counts for the manifest; raises ValidationError if any value went missing."""
    values: dict[str, int] = {}
    for r in rows:
        values[r.source_file] = values.get(r.source_file, 0) + 1
    out = []
    for rep in reports:
        lhe_read = sum(s.rows_read for s in rep.sheets if s.kind == "lhe")
        lhe_rej = sum(len(r.rejects) for r in lhe_results
                      if len(r.rejects) and r.rejects["source_file"].iloc[0] == rep.file)
        read = values.get(rep.file, 0)
        acc = validated.accepted.get(rep.file, 0)
        rej = validated.rejected.get(rep.file, 0)
        if read != acc + rej:
            raise ValidationError(f"conservation broken: {read} values read but {acc} accepted "
                                  f"+ {rej} rejected", file=rep.file)
        out.append({"file": rep.file, "sha256": rep.sha256, "sidecar": rep.sidecar,
                    "macros": rep.macros, "notes": rep.notes,
                    "values_read": read, "values_accepted": acc, "values_rejected": rej,
                    "values_collapsed": validated.collapsed.get(rep.file, 0),
                    "lhe_rows_read": lhe_read, "lhe_rows_rejected": lhe_rej,
                    "sheets": [asdict(s) for s in rep.sheets]})
    return out


def run_build(raw: Path | str | Sequence[Path | str], *, matcher=None,
              progress: Callable | None = None, locked_dir: Path | None = None,
              strict: bool = True, cache_dir: Path | None = None,
              jobs: int | None = None, engine: str = "openpyxl") -> BuildResult:
    """Read and validate everything under the raw folder(s) without writing anything.

    With ``locked_dir``, a change to any locked past-year value raises LockedValueError.
    ``strict`` (the default here; ``spbe build --strict``): a workbook that cannot be read
    as a whole stops the build. Otherwise it goes to rejects (one row, reason "file not
    read: …") and to the manifest (``failed: true``), and the other files build;
    ``manifest["totals"]["failed_files"]`` counts them. ``cache_dir``: keep what reading
    each workbook gave there (:mod:`spbe_tools.read_cache`) and reuse it for the workbooks
    that did not change (reading resolves no name, so any matcher may use it).
    ``jobs``: worker processes for reading (None: decided from the files and the machine,
    :func:`spbe_tools.read_jobs.workers_for`; 1: none). ``engine``: the reader of cell
    values, ``openpyxl`` (default) or ``calamine`` (:mod:`spbe_tools.calamine_cells`).
    """
    raw_dirs = _as_dirs(raw)
    cache = ReadCache(Path(cache_dir), engine) if cache_dir is not None else None
    matcher = matcher or default_matcher_for(raw_dirs)
    reports, rows, lhe_sheets, failed = read_inputs(raw_dirs, progress, strict=strict,
                                                    cache=cache, jobs=jobs, engine=engine)
    if cache is not None:
        cache.prune()
    validated = validate_rows(rows, matcher, {r.file: authority_of(r.sidecar) for r in reports})
    lhe_results = [name_lhe_sheet(sheet, matcher) for sheet in lhe_sheets]
    scores, checks, lhe_rejects, table_results = _score_frames(lhe_results, rows,
                                                               validated.results)
    results = _with_lhe_indices(table_results, scores, reports, matcher)
    failed_rejects = pd.DataFrame([f.reject() for f in failed], columns=REJECTS.names)
    rejects = pd.concat([r for r in (validated.rejects, lhe_rejects, failed_rejects) if len(r)]
                        or [validated.rejects], ignore_index=True)
    inputs = _conservation(reports, rows, validated, lhe_results)
    order = {raw.name: i for i, raw in enumerate(workbooks(raw_dirs))}
    inputs = sorted(inputs + [f.manifest_entry() for f in failed],
                    key=lambda e: order.get(e["file"], len(order)))  # reading order
    lock_diff = check_locks(results, locked_dir) if locked_dir else None
    manifest = {
        "package": "spbe-tools", "version": __version__,
        "inputs": inputs,
        "totals": {"files": len(reports) + len(failed), "failed_files": len(failed),
                   "values_read": len(rows),
                   "results": len(results), "national": len(validated.national),
                   "rejects": len(rejects), "scores": len(scores), "checks": len(checks),
                   "synthetic_inputs": sum(bool(r.sidecar.get("synthetic")) for r in reports)},
    }
    if lock_diff is not None:
        manifest["locks"] = {"rows_added_to_locked_years": len(lock_diff)}
    manifest["totals"]["results_from_lhe"] = int((results["origin"] == "lhe").sum())
    return BuildResult(conform(results, RESULTS), conform(validated.national, NATIONAL),
                       conform(rejects, REJECTS), conform(scores, SCORES),
                       conform(checks, CHECKS), manifest,
                       read_from_cache=cache.hits if cache is not None else 0)


def inputs_table(manifest: dict) -> pd.DataFrame:
    """One row per input file from a manifest: file, sheets (name: layout), values read /
    accepted / rejected / collapsed, LHE rows read, failed (not read as a whole), synthetic."""
    rows = [{"file": e["file"],
             "sheets": "; ".join(f"{s['sheet']}: {s['layout'] or s['kind']}" for s in e["sheets"]),
             "values_read": e["values_read"], "values_accepted": e["values_accepted"],
             "values_rejected": e["values_rejected"], "values_collapsed": e["values_collapsed"],
             "lhe_rows_read": e["lhe_rows_read"], "failed": bool(e.get("failed", False)),
             "synthetic": bool(e["sidecar"].get("synthetic", False))}
            for e in manifest["inputs"]]
    return pd.DataFrame(rows)


def _csv_bytes(df: pd.DataFrame, *, exact: bool = False) -> bytes:
    """CSV text; ``exact`` writes floats in full (shortest round-trip form) so the CSV holds
    the same numbers as the parquet (results: ``index`` published, ``index_raw`` as read)."""
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n", float_format=None if exact else "%.6g")
    return buf.getvalue().encode("utf-8")


def _parquet_bytes(df: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.to_parquet(buf, index=False)
    return buf.getvalue()


def _output_bytes(result: BuildResult) -> dict[str, bytes]:
    from spbe_tools.safe_output import neutralise_frame

    files = {
        "results.csv": _csv_bytes(neutralise_frame(result.results), exact=True),
        "results.parquet": _parquet_bytes(result.results),
        "national.csv": _csv_bytes(neutralise_frame(result.national)),
        "rejects.csv": _csv_bytes(neutralise_frame(result.rejects)),
        "scores.csv": _csv_bytes(neutralise_frame(result.scores)),
        "scores.parquet": _parquet_bytes(result.scores),
        "checks.csv": _csv_bytes(neutralise_frame(result.checks)),
    }
    manifest = dict(result.manifest)
    # every table's checksum: readers refuse a folder that mixes two builds
    manifest["outputs"] = {name: {"sha256": _sha(data)} for name, data in files.items()}
    files["manifest.json"] = (json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False,
                                         default=str) + "\n").encode("utf-8")
    return files


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_outputs(result: BuildResult, out_dir: Path, *, _fail_after: int | None = None
                  ) -> dict[str, str]:
    """Write the outputs as one set (:mod:`spbe_tools.output_set`): the folder's build lock
    is held, files are staged beside it and moved in with ``manifest.json`` last. Returns
    the sha256 of each file written (name -> hex).

    ``_fail_after`` is for tests: fail after that many files were moved in, to prove a
    failed build leaves the previous outputs as they were.
    """
    from spbe_tools import output_set

    out_dir = Path(out_dir)
    output_set.check_out_dir(out_dir)
    files = _output_bytes(result)
    with output_set.write_lock(out_dir):
        if _fail_after is None and output_set.holds(out_dir, files):
            result.unchanged = True  # the same set, byte for byte: leave it (and its mtimes)
        else:
            output_set.replace_set(out_dir, files, _fail_after=_fail_after)
    result.out_dir = out_dir
    return {name: _sha(data) for name, data in files.items()}


def build(raw: Path | str | Sequence[Path | str], out_dir: Path | str, *, matcher=None,
          progress: Callable | None = None, locked_dir: Path | None = None,
          strict: bool = True, cache: bool = True, jobs: int | None = None,
          engine: str = "openpyxl") -> BuildResult:
    """Read, validate and write: the whole ``spbe build`` (``strict``: see :func:`run_build`).

    ``cache``: keep the read cache in ``<out_dir>/.spbe-cache`` so the next build parses
    only the workbooks that changed (``spbe build --no-cache``: False). ``jobs``: worker
    processes for reading (``spbe build --jobs``), ``engine`` the reader (``--engine``);
    see :func:`run_build`.
    """
    out_dir = Path(out_dir)
    cache_dir = out_dir / CACHE_DIR_NAME if cache else None
    # taken before reading: a file changed while the build runs makes the next build redo it
    key = (read_cache.inputs_key(_as_dirs(raw), locked_dir, strict, engine)
           if cache and matcher is None else None)
    result = run_build(raw, matcher=matcher, progress=progress, locked_dir=locked_dir,
                       strict=strict, cache_dir=cache_dir, jobs=jobs, engine=engine)
    if key is not None and read_cache.unchanged_build(out_dir, key) is not None:
        # the folder holds what these inputs give (checked byte for byte against the record
        # of the build that wrote it): the same bytes need not be made again
        result.out_dir, result.unchanged = out_dir, True
        return result
    written = write_outputs(result, out_dir)
    if key is not None and not result.manifest["totals"]["failed_files"]:
        read_cache.record_build(out_dir, key, written, result.manifest["totals"])
    return result
