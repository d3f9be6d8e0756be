"""Year-over-year regression guard: locked snapshots of past years' results.

``data/locked/results_<year>.csv`` holds, for each locked evaluation year, the values
the analysts signed off (``year, instansi_code, instansi, index, predikat, index_raw``):
``index`` as published (two decimals) and ``index_raw`` the number as read from the source
cell, written in full (shortest round-trip form). A rebuild that changes or drops any
locked value fails loudly, listing the rows, until the analyst deliberately re-locks
(``spbe lock --years 2023 --force``): a move of the published value, the predikat, or only
of the value as read (2.61 -> 2.6149, which still publishes as 2.61) counts. A lock file
written before ``index_raw`` existed (no such column) is compared on ``index`` and
``predikat`` only; re-locking adds the column. New rows for a locked year (a newly
transcribed extract) are allowed and reported, since no signed-off value moves.
"""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from spbe_tools import registry
from spbe_tools.errors import InputError, LockedValueError
from spbe_tools.output_set import write_atomic
from spbe_tools.schema import read_table
from spbe_tools.table_columns import LOCK

__all__ = ["LOCK_COLUMNS", "lock_path", "lock_year", "read_lock", "read_locks", "write_locks",
           "diff_year", "compare_with_locks", "check_locks", "describe_change"]

LOCK_COLUMNS = LOCK.names


def _published(index: pd.Series) -> pd.Series:
    return index.map(registry.published_value, na_action="ignore")


def lock_path(locked_dir: Path, year: int) -> Path:
    return Path(locked_dir) / f"results_{int(year)}.csv"


def _snapshot(results: pd.DataFrame, year: int) -> pd.DataFrame:
    rows = results.loc[results["year"] == year]
    if "index_raw" not in rows.columns:  # results read from an older results.csv
        rows = rows.assign(index_raw=float("nan"))
    return rows[LOCK_COLUMNS].sort_values("instansi_code", kind="stable").reset_index(drop=True)


def _lock_text(snapshot: pd.DataFrame) -> str:
    """The CSV text: ``index`` with two decimals, ``index_raw`` in full (``repr``, which
    reads back as the same float), empty when unknown."""
    out = snapshot.copy()
    out["index"] = [("" if pd.isna(v) else f"{float(v):.2f}") for v in out["index"]]
    out["index_raw"] = [("" if pd.isna(v) else repr(float(v))) for v in out["index_raw"]]
    buf = io.StringIO()
    out.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def write_locks(results: pd.DataFrame, locked_dir: Path, years: list[int]) -> list[Path]:
    """Write (atomically) one snapshot per year; returns the paths written."""
    locked_dir = Path(locked_dir)
    locked_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for year in sorted(set(years)):
        written.append(write_atomic(lock_path(locked_dir, year),
                                    _lock_text(_snapshot(results, year)).encode("utf-8")))
    return written


def lock_year(path: Path) -> int:
    """The year in a lock file's name (``results_2023.csv``); InputError otherwise."""
    year = path.stem.split("_", 1)[1] if "_" in path.stem else ""
    if not year.isdigit():
        raise InputError("a lock file's name must be results_<year>.csv", file=str(path),
                         expected="results_2023.csv", found=path.name)
    return int(year)


def read_lock(path: Path) -> pd.DataFrame:
    """One lock file (``LOCK_COLUMNS``), checked against :data:`spbe_tools.table_columns.LOCK`: a
    hand-edited or damaged file raises InputError naming the file, row and column; every
    row must belong to the year in the file name."""
    df = read_table(path, LOCK)
    if "index_raw" not in df.columns:  # written before the raw value was locked
        df["index_raw"] = float("nan")
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
                 "locked_predikat", "new_predikat", "locked_index_raw", "new_index_raw"]


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
    raw_old, raw_new = merged["index_raw_locked"], merged["index_raw_new"]
    raw_moved = raw_old.notna() & ~((raw_old == raw_new) | (raw_old.isna() & raw_new.isna()))
    moved = both & ((_published(merged["index_locked"]) != _published(merged["index_new"]))
                    | (merged["predikat_locked"] != merged["predikat_new"]) | raw_moved)
    change[moved] = "changed"
    merged["change"] = change
    merged["instansi"] = merged["instansi_locked"].fillna(merged["instansi_new"])
    return merged.loc[change != ""].rename(columns={
        "index_locked": "locked_index", "index_new": "new_index",
        "predikat_locked": "locked_predikat", "predikat_new": "new_predikat",
        "index_raw_locked": "locked_index_raw", "index_raw_new": "new_index_raw"})[_DIFF_COLUMNS]


def compare_with_locks(results: pd.DataFrame, locked_dir: Path) -> pd.DataFrame:
    """Differences between ``results`` and every lock file in ``locked_dir``.

    Returns one row per difference: ``year, instansi_code, instansi, change
    (changed|removed|added), locked_index, new_index, locked_predikat, new_predikat,
    locked_index_raw, new_index_raw``.
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
        lines = "; ".join(describe_change(r) for r in bad.itertuples())
        raise LockedValueError(
            f"the rebuild changes {len(bad)} locked past-year value(s): {lines}. If the change "
            f"is deliberate, re-lock with `spbe lock --years "
            f"{' '.join(map(str, sorted(set(bad.year))))} --force`",
            file=str(locked_dir))
    return diff


def describe_change(r) -> str:
    """'2023 17.71 Kota Bengkulu: changed (2.61 Baik -> 2.61 Baik; as read 2.61 -> 2.6149)'
    for one row of :func:`diff_year` (an itertuples row); the values as read are shown
    when only they moved."""
    raw = ""  # said when the published value did not move (2.61 -> 2.6149)
    if r.change == "changed" and _fmt(r.locked_index) == _fmt(r.new_index) \
            and pd.notna(r.locked_index_raw) and not (pd.notna(r.new_index_raw)
                                                      and r.locked_index_raw == r.new_index_raw):
        raw = f"; as read {_raw(r.locked_index_raw)} -> {_raw(r.new_index_raw)}"
    return (f"{r.year} {r.instansi_code} {r.instansi}: {r.change} "
            f"({_fmt(r.locked_index)} {r.locked_predikat or '-'} -> "
            f"{_fmt(r.new_index)} {r.new_predikat or '-'}{raw})")


def _fmt(value) -> str:
    return "-" if pd.isna(value) else f"{float(value):.2f}"


def _raw(value) -> str:
    return "-" if pd.isna(value) else repr(float(value))
