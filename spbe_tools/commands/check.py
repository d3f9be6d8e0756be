"""``spbe check FILE_OR_FOLDER…``: every check of the build, nothing written.

Each workbook (with its sidecar) is copied into a temporary folder and read on its
own, so an unreadable file is reported without hiding the others; the readable ones
are then validated together, so two files that disagree about the same instansi and
year are caught too. The report names the original paths.

Exit status: 0 clean, 1 problems found (rejects, predikat mismatches), 2 an input
could not be read at all. Hidden sheets, hidden rows and macros are reported as
notes: they were read (macros never run) and do not count as problems.
"""
from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from spbe_tools.commands import SUMMARIES
from spbe_tools.errors import SpbeError
from spbe_tools.raw_folder import MAX_SIDECAR_BYTES, RawFile, sidecar_file_problem, workbooks


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "check", help=SUMMARIES["check"],
                       description="Run all ingest and validation checks on the given workbooks "
                                   "(or folders) and print a per-file report. Exit status: 0 "
                                   "clean, 1 problems found, 2 an input could not be read.")
    p.add_argument("paths", nargs="+", type=Path, help=".xlsx files or folders")
    p.set_defaults(func=run)


def _inputs(paths: list[Path]) -> list[tuple[Path, RawFile]]:
    """(the path as the user gave it, the file) for each input: a folder gives the workbooks
    a build of it reads, a file named on the command line is taken as it is."""
    out = []
    for path in paths:
        if path.is_dir():
            out.extend((path / Path(raw.name), raw) for raw in workbooks([path]))
        elif path.exists():
            out.append((path, RawFile.under(path, path.parent)))
        else:
            raise FileNotFoundError(f"{path}: no such file or folder")
    return out


def _stage(paths: list[Path], tmp: Path) -> dict[str, Path]:
    """Copy each file (with its sidecar) to ``tmp/<nnnn>/``: staged relative path -> original."""
    staged = {}
    for i, (shown, raw) in enumerate(_inputs(paths)):
        target = tmp / f"{i:04d}" / raw.path.name
        target.parent.mkdir(parents=True)
        shutil.copyfile(raw.path, target)
        if raw.sidecar is not None:
            _stage_sidecar(raw.sidecar, target.with_name(raw.sidecar.name))
        staged[RawFile.under(target, tmp).name] = shown  # its name in the build of tmp
    return staged


def _stage_sidecar(side: Path, target: Path) -> None:
    """Copy a sidecar for the build to judge: a regular file up to one byte past the size
    limit (a 100 MB sidecar is never copied whole: the copy is extended, sparse, to the
    original's size, so the build's message gives it); anything else (a named pipe, which a
    copy would wait on for ever) is linked, so the build names what it is."""
    problem = sidecar_file_problem(side, side.name)
    if problem is None or "too large" in problem.message:
        with open(side, "rb") as src, open(target, "wb") as dst:
            dst.write(src.read(MAX_SIDECAR_BYTES + 1))
            dst.truncate(max(side.stat().st_size, dst.tell()))
    else:
        target.symlink_to(side.resolve())


def _readable(staged: dict[str, Path], tmp: Path) -> dict[str, list[str]]:
    """Read each file alone: the report lines of the unreadable ones, by staged path."""
    from spbe_tools.build import run_build

    unreadable = {}
    for rel, original in staged.items():
        try:
            run_build(tmp / Path(rel).parent)
        except SpbeError as exc:
            exc.file = str(original.parent / exc.file) if exc.file else str(original)
            unreadable[rel] = [f"{original}: UNREADABLE — {exc.describe()}"]
    return unreadable


def _file_lines(entry: dict, result) -> tuple[list[str], int]:
    """Problem and note lines of one file (rows of the combined build); (lines, problems)."""
    lines, problems = [], 0
    mine = result.rejects[result.rejects["source_file"] == entry["file"]]
    for r in mine.itertuples(index=False):
        lines.append(f"  - {r.source_sheet}!{r.source_cell} (row {r.source_row}): {r.reason}")
        problems += 1
    res = result.results
    flagged = res[(res["source_file"] == entry["file"]) & (res["predikat_flag"] != "")]
    for r in flagged.itertuples(index=False):
        lines.append(f"  - {r.source_sheet}!{r.source_cell}: published predikat {r.predikat} "
                     f"differs from the band of {r.index:.2f} ({r.predikat_computed}); kept, "
                     "flagged")
        problems += 1
    lines += [f"  - note: {n}" for n in entry.get("notes", [])]
    for s in entry["sheets"]:
        lines += [f"  - note: sheet {s['sheet']}: {w}" for w in s.get("warnings", [])]
    return lines, problems


def _report(staged: dict[str, Path], tmp: Path) -> tuple[dict[str, list[str]], int]:
    """Validate the readable files together: report lines by staged path, worst status."""
    from spbe_tools.build import run_build

    result = run_build(tmp)
    out, worst = {}, 0
    for entry in result.manifest["inputs"]:
        layouts = ", ".join(f"{s['sheet']}: {s['layout'] or s['kind']}" for s in entry["sheets"])
        lines, problems = _file_lines(entry, result)
        out[entry["file"]] = [f"{staged[entry['file']]}: {layouts}; {entry['values_read']} "
                              f"value(s) read, {entry['values_accepted']} accepted, "
                              f"{entry['values_rejected']} rejected", *lines]
        worst = max(worst, 1 if problems else 0)
    return out, worst


def _unstage(line: str, staged: dict[str, Path]) -> str:
    """Staged paths (``0003/a.xlsx``) in a message -> the paths the user gave."""
    for rel, original in staged.items():
        line = line.replace(rel, str(original))
    return line


def run(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="spbe-check-") as tmp_name:
        tmp = Path(tmp_name)
        staged = _stage(args.paths, tmp)
        if not staged:
            print("spbe check: no workbook found in the given paths")
            return 2
        lines = _readable(staged, tmp)
        worst = 2 if lines else 0
        for rel in lines:
            shutil.rmtree(tmp / Path(rel).parent)
        if len(lines) < len(staged):
            readable, status = _report({r: p for r, p in staged.items() if r not in lines}, tmp)
            lines.update(readable)
            worst = max(worst, status)
    for rel in staged:
        for line in lines[rel]:
            print(_unstage(line, staged))
    return worst
