"""``spbe lock [--years 2023 …]``: sign off past years' processed results as locked snapshots."""
from __future__ import annotations

import argparse
from pathlib import Path

from spbe_tools.paths import DEFAULT_LOCKED, DEFAULT_PROCESSED


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("lock", help="lock past years' results against silent change",
                       description="Write data/locked/results_<year>.csv from the processed "
                                   "results. Later builds fail if a locked value changes.")
    p.add_argument("--years", type=int, nargs="*",
                   help="years to (re-)lock (default: every year before the latest one present)")
    p.add_argument("--processed", type=Path, default=DEFAULT_PROCESSED)
    p.add_argument("--locked", type=Path, default=DEFAULT_LOCKED)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from spbe_tools.errors import ConfigError
    from spbe_tools.lock import write_locks

    path = args.processed / "results.csv"
    if not path.exists():
        raise ConfigError("no processed results to lock; run `spbe build` first", file=str(path))
    results = pd.read_csv(path, dtype={"instansi_code": str, "predikat": str},
                          keep_default_na=False)
    present = sorted(set(results["year"]))
    years = args.years if args.years else present[:-1]
    unknown = sorted(set(years) - set(present))
    if unknown:
        raise ConfigError(f"no processed results for year(s) {unknown}",
                          expected=f"years among {present}")
    for p in write_locks(results, args.locked, years):
        print(f"locked {p}")
    return 0
