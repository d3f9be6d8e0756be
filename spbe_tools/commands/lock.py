"""``spbe lock [--years 2023 …] [--force]``: sign off past years' processed results as locked
snapshots.

Re-locking a year whose lock already holds signed-off values that the new results change or
drop prints those rows and stops (exit 2, nothing written) unless ``--force``: a signed-off
value is never overwritten unseen. Rows only added to a locked year, and a lock written
before the raw value was kept (no ``index_raw`` column), are re-locked without it.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from spbe_tools.commands import SUMMARIES
from spbe_tools.paths import DEFAULT_LOCKED, DEFAULT_PROCESSED


def _year(text: str) -> int:
    """An evaluation year as given on the command line (argparse type)."""
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a year such as 2023")
    return int(text)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "lock", help=SUMMARIES["lock"],
                       description="Write data/locked/results_<year>.csv from the processed "
                                   "results. Later builds fail if a locked value changes.")
    p.add_argument("--years", type=_year, nargs="+", metavar="YEAR",
                   help="years to (re-)lock (default: every year before the latest one present)")
    p.add_argument("--processed", type=Path, default=DEFAULT_PROCESSED)
    p.add_argument("--locked", type=Path, default=DEFAULT_LOCKED)
    p.add_argument("--force", action="store_true",
                   help="overwrite signed-off values the new results change or drop (the "
                        "changes are listed first; without --force they stop the lock)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from spbe_tools import schema
    from spbe_tools.errors import ConfigError
    from spbe_tools.lock import write_locks
    from spbe_tools.table_columns import RESULTS

    path = args.processed / "results.csv"
    if not path.is_file():
        raise ConfigError("no processed results to lock; run `spbe build` first", file=str(path))
    results = schema.read_table(path, RESULTS)
    present = sorted(set(results["year"]))
    years = sorted(set(args.years)) if args.years else present[:-1]
    unknown = sorted(set(years) - set(present))
    if unknown or not years:
        raise ConfigError(f"no processed results for year(s) {unknown}" if unknown
                          else "nothing to lock: the processed results hold one year only",
                          file=str(path), expected=f"years among {present}")
    if args.locked.exists() and not args.locked.is_dir():
        raise ConfigError("the locked folder is a file", file=str(args.locked),
                          expected="a folder for results_<year>.csv")
    before = _previous_locks(args.locked, years)
    _refuse_unforced_changes(results, before, args.force, args.locked)
    for p in write_locks(results, args.locked, years):
        print(f"locked {p}")
    _report_changes(results, before)
    return 0


def _previous_locks(locked: Path, years: list[int]) -> dict:
    """The current locks of the years being re-locked (a damaged one is replaced, with a
    word); every other lock file must read cleanly, since the next build reads it."""
    from spbe_tools.errors import SpbeError
    from spbe_tools.lock import lock_year, read_lock

    before = {}
    for path in sorted(locked.glob("results_*.csv")) if locked.is_dir() else []:
        year = lock_year(path)
        if year not in years:
            read_lock(path)
            continue
        try:
            before[year] = read_lock(path)
        except SpbeError as exc:
            print(f"replacing a damaged lock: {exc.describe()}")
    return before


def _refuse_unforced_changes(results, before: dict, force: bool, locked: Path) -> None:
    """Print every signed-off row the re-lock would change or drop; without ``force`` stop
    with ConfigError (exit 2) before anything is written."""
    from spbe_tools.errors import ConfigError
    from spbe_tools.lock import describe_change, diff_year

    moved = {}
    for year, old in sorted(before.items()):
        diff = diff_year(old, results, year)
        diff = diff[diff["change"].isin(["changed", "removed"])]
        if len(diff):
            moved[year] = diff
    if not moved:
        return
    print("signed-off values the new results change or drop:")
    for diff in moved.values():
        for r in diff.itertuples():
            print(f"  {describe_change(r)}")
    if force:
        print("  overwritten (--force)")
        return
    n = sum(len(d) for d in moved.values())
    years = " ".join(map(str, moved))
    raise ConfigError(f"re-locking {years} would change {n} signed-off value(s), listed above; "
                      f"nothing was written. If the change is deliberate, run "
                      f"`spbe lock --years {years} --force`", file=str(locked))


def _report_changes(results, before: dict) -> None:
    """'  2023: 1 changed, 2 added, 0 removed since the previous lock' per re-locked year."""
    from spbe_tools.lock import diff_year

    for year, old in sorted(before.items()):
        counts = diff_year(old, results, year)["change"].value_counts()
        print(f"  {year}: {counts.get('changed', 0)} changed, {counts.get('added', 0)} added, "
              f"{counts.get('removed', 0)} removed since the previous lock")
