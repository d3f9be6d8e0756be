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

from spbe_tools.errors import LockedValueError

__all__ = ["LOCK_COLUMNS", "lock_path", "write_locks", "compare_with_locks", "check_locks"]

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


def _read_lock(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, dtype={"instansi_code": str, "predikat": str},
                     keep_default_na=False)
    df["index"] = df["index"].astype(float)
    return df


def compare_with_locks(results: pd.DataFrame, locked_dir: Path) -> pd.DataFrame:
    """Differences between ``results`` and every lock file in ``locked_dir``.

    Returns one row per difference: ``year, instansi_code, instansi, change
    (changed|removed|added), locked_index, new_index, locked_predikat, new_predikat``.
    """
    frames = []
    for path in sorted(Path(locked_dir).glob("results_*.csv")):
        locked = _read_lock(path)
        year = int(path.stem.split("_")[1])
        new = _snapshot(results, year)
        merged = locked.merge(new, on=["year", "instansi_code"], how="outer",
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
        frames.append(merged[change != ""])
    cols = ["year", "instansi_code", "instansi", "change", "index_locked", "index_new",
            "predikat_locked", "predikat_new"]
    if not frames:
        return pd.DataFrame(columns=cols)
    return pd.concat(frames, ignore_index=True)[cols].rename(columns={
        "index_locked": "locked_index", "index_new": "new_index",
        "predikat_locked": "locked_predikat", "predikat_new": "new_predikat"})


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
