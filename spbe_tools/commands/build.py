"""``spbe build [--raw data/raw] [--out data/processed] [--strict]``: raw workbooks -> tidy tables.

Exit status: 0 built; 1 built, but some workbook could not be read as a whole (it is in
``rejects.csv`` and the manifest as a failed file); 2 nothing written (``--strict`` and a
failed workbook, a locked value changed, a bad argument, a --locked folder that does not
exist). A line on stderr says which lock folder is in force (unless ``--quiet``), or that
none was found beside the raw folder (always).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from spbe_tools.commands import SUMMARIES
from spbe_tools.paths import DEFAULT_PROCESSED, DEFAULT_RAW, LOCKED_NAME


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "build", help=SUMMARIES["build"],
        description="Read every .xlsx under --raw, validate, and write results.csv, "
                    "rejects.csv, scores.csv, checks.csv and manifest.json to --out.")
    p.add_argument("--raw", type=Path, action="append",
                   help="raw folder (default: data/raw); repeat to read several, e.g. "
                        "--raw data/raw --raw data/demo")
    p.add_argument("--out", type=Path, default=DEFAULT_PROCESSED,
                   help="output folder (default: data/processed)")
    p.add_argument("--locked", type=Path, default=None,
                   help="folder of locked past-year snapshots checked by the build (default: "
                        "'locked' beside the first raw folder, i.e. data/locked; when that "
                        "does not exist the build says so on stderr and checks no lock; a "
                        "folder named here must exist, exit 2 otherwise)")
    p.add_argument("--strict", action="store_true",
                   help="all or nothing: a workbook that cannot be read stops the build and "
                        "nothing is written (default: it goes to rejects.csv and the manifest "
                        "as a failed file, the others build, and the exit status is 1)")
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    p.add_argument("--no-cache", action="store_true",
                   help="parse every workbook again instead of reusing what the last build "
                        "read from the unchanged ones (kept in <out>/.spbe-cache)")
    p.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="processes reading workbooks at once (default: one per core when "
                        "there are enough bytes to read; 1: read one after the other)")
    p.add_argument("--engine", choices=("openpyxl", "calamine"), default="openpyxl",
                   help="reader of cell values: openpyxl (default) or calamine (faster; "
                        'needs pip install -e ".[fast]"); both give the same tables')
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    raw = args.raw or [DEFAULT_RAW]
    locked = _lock_folder(args.locked, raw[0])
    if args.engine == "calamine":
        from spbe_tools.calamine_cells import require

        require()
    if not args.no_cache:
        # nothing changed since the last build: say so without loading pandas or openpyxl
        from spbe_tools import read_cache

        key = read_cache.inputs_key(raw, locked, args.strict, args.engine)
        totals = read_cache.unchanged_build(args.out, key)
        if totals is not None:
            _say_locks(locked, raw, args.quiet)
            if not args.quiet:
                _summary(totals, args.out, "unchanged since the last build (no input changed) in")
            return 0
    return _build(args, raw, locked)


def _say_locks(locked: Path | None, raw: list[Path], quiet: bool) -> None:
    """Which lock folder was in force; that none was is said even with --quiet, since a
    copied raw folder must not skip the locks unseen."""
    if locked is None:
        print(f"spbe build: no lock folder at {raw[0].parent / LOCKED_NAME}: locked past years "
              "were not checked (name one with --locked)", file=sys.stderr)
    elif not quiet:
        years = sorted(p.stem.split("_", 1)[1] for p in locked.glob("results_*.csv"))
        span = f": {years[0]}" + (f"–{years[-1]}" if len(years) > 1 else "") if years else ""
        print(f"spbe build: locks in force: {locked} ({len(years)} lock "
              f"file{'' if len(years) == 1 else 's'}{span})", file=sys.stderr)


def _build(args: argparse.Namespace, raw: list[Path], locked: Path | None) -> int:
    from spbe_tools.build import build

    progress = None
    if not args.quiet:
        from tqdm import tqdm

        tqdm.monitor_interval = 0  # no monitor thread: workbooks may be read by forked workers

        def progress(files):
            return tqdm(files, desc="workbooks", unit="file", leave=False, disable=None)

    result = build(raw, args.out, progress=progress, locked_dir=locked, strict=args.strict,
                   cache=not args.no_cache, jobs=args.jobs, engine=args.engine)
    _say_locks(locked, raw, args.quiet)
    failed = [e for e in result.manifest["inputs"] if e.get("failed")]
    for entry in failed:  # said even with --quiet: the exit status alone does not say which
        print(f"spbe build: file not read: {entry['error']}", file=sys.stderr)
    if not args.quiet:
        cached = (f" ({result.read_from_cache} unchanged workbook(s) taken from the read cache)"
                  if result.read_from_cache else "")
        _summary(result.manifest["totals"], args.out,
                 ("unchanged in" if result.unchanged else "written to"), cached)
    return 1 if failed else 0


def _summary(t: dict, out: Path, how: str, tail: str = "") -> None:
    print(f"spbe build: {t['files']} file(s), {t['values_read']} value(s) read -> "
          f"{t['results']} result row(s), {t['national']} national row(s), "
          f"{t['rejects']} reject(s), {t['scores']} score row(s), {t['checks']} check(s); "
          f"{how} {out}{tail}")
    if t["rejects"]:
        print(f"  see {Path(out) / 'rejects.csv'} for the reason of each reject")


def _lock_folder(named: Path | None, first_raw: Path) -> Path | None:
    """The lock folder in force: the one named by --locked (ConfigError, exit 2, when it does
    not exist or is not a folder: a typo must not skip the check), else ``locked`` beside
    the first raw folder when it exists, else None."""
    from spbe_tools.errors import ConfigError

    if named is None:
        beside = first_raw.parent / LOCKED_NAME  # locks live beside the data they lock
        return beside if beside.is_dir() else None
    if not named.is_dir():
        raise ConfigError("the lock folder named by --locked "
                          + ("is a file" if named.exists() else "does not exist"),
                          file=str(named), expected="a folder of results_<year>.csv "
                          "(spbe lock writes it), or no --locked for data/locked")
    return named
