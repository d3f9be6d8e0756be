"""Year-over-year regression guard: locked snapshots of past years' results.

``data/locked/results_<year>.csv`` holds, for each locked evaluation year, the values
the analysts signed off (``year, instansi_code, instansi, index, predikat``). A rebuild
that changes or drops any locked value fails loudly, listing the rows, until the
analyst deliberately re-locks (``spbe lock --years 2023``). New rows for a locked year
(a newly transcribed extract) are allowed and reported, since no signed-off value moves.
"""
from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import pandas as pd

from spbe_tools import schema
from spbe_tools.errors import InputError, LockedValueError

__all__ = ["LOCK_COLUMNS", "lock_path", "lock_year", "read_lock", "read_locks", "write_locks",
           "diff_year", "compare_with_locks", "check_locks"]

LOCK_COLUMNS = ["year", "instansi_code", "instansi", "index", "predikat"]


def lock_path(locked_dir: Path, year: int) -> Path:
    return Path(locked_dir) / f"results_{int(year)}.csv"


def _snapshot(results: pd.DataFrame, year: int) -> pd.DataFrame:
    rows = results.loc[results["year"] == year, LOCK_COLUMNS]
    return rows.sort_values("instansi_code", kind="stable").reset_index(drop=True)


def write_locks(results: pd.DataFrame, locked_dir: Path, years: list[int]) -> list[Path]:
    """Write (atomically) one snapshot per year; returns the paths written."""
    locked_dir = Path(locked_dir)
    locked_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for year in sorted(set(years)):
        buf = io.StringIO()
        _snapshot(results, year).to_csv(buf, index=False, lineterminator="\n",
                                        float_format="%.2f")
        fd, tmp = tempfile.mkstemp(dir=locked_dir, prefix=".lock-")
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(buf.getvalue())
        os.replace(tmp, lock_path(locked_dir, year))
        written.append(lock_path(locked_dir, year))
    return written


def lock_year(path: Path) -> int:
    """The year in a lock file's name (``results_2023.csv``); InputError otherwise."""
    year = path.stem.split("_", 1)[1] if "_" in path.stem else ""
    if not year.isdigit():
        raise InputError("a lock file's name must be results_<year>.csv", file=str(path),
                         expected="results_2023.csv", found=path.name)
    return int(year)


def read_lock(path: Path) -> pd.DataFrame:
    """One lock file (``LOCK_COLUMNS``), checked by :data:`spbe_tools.schema.LOCK`: a
    hand-edited or damaged file raises InputError naming the file, row and column; every
    row must belong to the year in the file name."""
    df = schema.read_table(path, schema.LOCK)
    year = lock_year(path)
    other = df.index[df["year"] != year]
    if len(other):
        raise InputError(f"a row of another year in the lock of {year}", file=str(path),
                         row=int(other[0]) + 2, column="year", expected=str(year),
                         found=str(df.loc[other[0], "year"]))
    return df


def read_locks(locked_dir: Path) -> dict[int, pd.DataFrame]:
    """Every lock file in ``locked_dir`` by year, each checked by :func:`read_lock`."""
    return {lock_year(p): read_lock(p) for p in sorted(Path(locked_dir).glob("results_*.csv"))}


_DIFF_COLUMNS = ["year", "instansi_code", "instansi", "change", "locked_index", "new_index",
                 "locked_predikat", "new_predikat"]


def diff_year(locked: pd.DataFrame, results: pd.DataFrame, year: int) -> pd.DataFrame:
    """Differences between one year's lock (``LOCK_COLUMNS``) and ``results``: one row per
    changed, removed or added instansi (columns of :func:`compare_with_locks`)."""
    new = _snapshot(results, year)
    merged = locked[LOCK_COLUMNS].merge(new, on=["year", "instansi_code"], how="outer",
                                        suffixes=("_locked", "_new"), indicator=True)
    merged["predikat_locked"] = merged["predikat_locked"].fillna("")
    merged["predikat_new"] = merged["predikat_new"].fillna("")
    change = pd.Series("", index=merged.index)
    change[merged["_merge"] == "left_only"] = "removed"
    change[merged["_merge"] == "right_only"] = "added"
    both = merged["_merge"] == "both"
    moved = both & ((merged["index_locked"].round(2) != merged["index_new"].round(2))
                    | (merged["predikat_locked"] != merged["predikat_new"]))
    change[moved] = "changed"
    merged["change"] = change
    merged["instansi"] = merged["instansi_locked"].fillna(merged["instansi_new"])
    return merged.loc[change != ""].rename(columns={
        "index_locked": "locked_index", "index_new": "new_index",
        "predikat_locked": "locked_predikat", "predikat_new": "new_predikat"})[_DIFF_COLUMNS]


def compare_with_locks(results: pd.DataFrame, locked_dir: Path) -> pd.DataFrame:
    """Differences between ``results`` and every lock file in ``locked_dir``.

    Returns one row per difference: ``year, instansi_code, instansi, change
    (changed|removed|added), locked_index, new_index, locked_predikat, new_predikat``.
    A damaged lock file raises InputError naming the file, row and column.
    """
    frames = [diff_year(locked, results, year) for year, locked in read_locks(locked_dir).items()]
    if not frames:
        return pd.DataFrame(columns=_DIFF_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def check_locks(results: pd.DataFrame, locked_dir: Path) -> pd.DataFrame:
    """Raise LockedValueError listing every changed/removed locked row; return the diff."""
    diff = compare_with_locks(results, locked_dir)
    bad = diff[diff["change"].isin(["changed", "removed"])]
    if len(bad):
        lines = "; ".join(
            f"{r.year} {r.instansi_code} {r.instansi}: {r.change} "
            f"({_fmt(r.locked_index)} {r.locked_predikat or '-'} -> "
            f"{_fmt(r.new_index)} {r.new_predikat or '-'})" for r in bad.itertuples())
        raise LockedValueError(
            f"the rebuild changes {len(bad)} locked past-year value(s): {lines}. If the change "
            f"is deliberate, re-lock with `spbe lock --years {' '.join(map(str, sorted(set(bad.year))))}`",
            file=str(locked_dir))
    return diff


def _fmt(value) -> str:
    return "-" if pd.isna(value) else f"{float(value):.2f}"
