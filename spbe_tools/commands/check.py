"""``spbe check FILE_OR_FOLDER…``: every check of the build, nothing written.

Exit status: 0 clean, 1 problems found (rejects, predikat mismatches, hidden data),
2 an input could not be read at all.
"""
from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from spbe_tools.errors import SpbeError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="check raw workbooks without writing anything",
                       description="Run all ingest and validation checks on the given workbooks "
                                   "(or folders) and print a per-file report.")
    p.add_argument("paths", nargs="+", type=Path, help=".xlsx files or folders")
    p.set_defaults(func=run)


def _stage(paths: list[Path], tmp: Path) -> list[tuple[Path, Path]]:
    """Copy each given file (with its sidecar) into one folder so the build reads just them."""
    staged = []
    for path in paths:
        if path.is_dir():
            staged.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in
                                 {".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"}))
        else:
            staged.append(path)
    out = []
    for i, path in enumerate(staged):
        target = tmp / f"{i:04d}" / path.name
        target.parent.mkdir(parents=True)
        shutil.copyfile(path, target)
        side = path.with_name(path.stem + ".source.yml")
        if side.exists():
            shutil.copyfile(side, target.with_name(side.name))
        out.append((path, target))
    return out


def _report_file(path: Path, staged: Path) -> int:
    """Print one file's report; return its exit status (0 clean, 1 problems, 2 unreadable)."""
    from spbe_tools.build import run_build

    try:
        result = run_build(staged.parent)
    except SpbeError as exc:
        print(f"{path}: UNREADABLE — {exc.describe()}")
        return 2
    entry = result.manifest["inputs"][0]
    layouts = ", ".join(f"{s['sheet']}: {s['layout'] or s['kind']}" for s in entry["sheets"])
    print(f"{path}: {layouts}; {entry['values_read']} value(s) read, "
          f"{entry['values_accepted']} accepted, {entry['values_rejected']} rejected")
    problems = 0
    for _, r in result.rejects.iterrows():
        print(f"  - {r['source_sheet']}!{r['source_cell']}: {r['reason']}")
        problems += 1
    for _, r in result.results[result.results["predikat_flag"] != ""].iterrows():
        print(f"  - {r['source_sheet']}!{r['source_cell']}: published predikat {r['predikat']} "
              f"differs from the band of {r['index']:.2f} ({r['predikat_computed']})")
        problems += 1
    for s in entry["sheets"]:
        if s["hidden_sheet"] or s["hidden_rows_read"]:
            print(f"  - note: sheet {s['sheet']} is hidden or has hidden rows; they were read")
    return 1 if problems else 0


def run(args: argparse.Namespace) -> int:
    worst = 0
    with tempfile.TemporaryDirectory(prefix="spbe-check-") as tmp:
        for original, staged in _stage(args.paths, Path(tmp)):
            code = _report_file(original, staged)
            worst = max(worst, code)
    return worst
