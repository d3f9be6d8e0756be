"""A peer group across years — each member's change between two years (index,
rank, predikat transition, series break when the framework changed), the focal's series
with the group median, and the focal's domain/indicator scores against the group's.
"""
from __future__ import annotations

import pandas as pd

from spbe_tools import registry
from spbe_tools.peers import PeerGroup
from spbe_tools.ranks import json_records, rank_table, units_of

__all__ = ["MIN_MEDIAN_PEERS", "change", "changes", "changes_into", "score_gaps",
           "score_matrix", "trend", "year_over_year"]

# A group median over fewer valued members than this is not a peer picture: trend() leaves it
# out (NaN) and the trend chart says so. The one place this threshold lives.
MIN_MEDIAN_PEERS = 3


def _ranked(results: pd.DataFrame, year: int, group: PeerGroup) -> pd.DataFrame:
    t = rank_table(results, year, group)
    return t[["instansi_code", "instansi", "index", "predikat", "rank", "rank_label"]]


_CHANGE_COLUMNS = ["instansi_code", "instansi", "index_a", "index_b", "delta", "direction",
                   "rank_a", "rank_b", "rank_change", "predikat_a", "predikat_b", "transition",
                   "series_break"]


def changes(results: pd.DataFrame, year_a: int, year_b: int, group: PeerGroup) -> pd.DataFrame:
    """Change of every member from ``year_a`` to ``year_b`` (ranks within the group each year).

    Returns ``instansi_code, instansi, index_a, index_b, delta (rounded 2 dp),
    direction (up|down|tie|"" when a year is missing; |delta| < 0.01 is a tie),
    rank_a, rank_b, rank_change (rank_a − rank_b: positive = moved up),
    predikat_a, predikat_b, transition ("Cukup → Baik", "" when unchanged or
    missing), series_break (bool, frameworks differ)``.
    """
    for year in (year_a, year_b):
        registry.evaluation(year)  # an unknown year stops here, named
    a = _ranked(results, year_a, group)
    b = _ranked(results, year_b, group).drop(columns="instansi")
    t = a.merge(b, on="instansi_code", suffixes=("_a", "_b"))
    t["delta"] = (t["index_b"] - t["index_a"]).round(2)
    d_units = units_of(t["index_b"]) - units_of(t["index_a"])
    t["direction"] = ["" if pd.isna(u) else "tie" if u == 0 else "up" if u > 0 else "down"
                      for u in d_units]
    t["rank_change"] = (t["rank_a"] - t["rank_b"]).astype("Int64")
    t["transition"] = [f"{pa} → {pb}" if pa and pb and pa != pb else ""
                       for pa, pb in zip(t["predikat_a"], t["predikat_b"])]
    t["series_break"] = registry.series_break(year_a, year_b)
    return t[_CHANGE_COLUMNS]


def year_over_year(results: pd.DataFrame, group: PeerGroup) -> pd.DataFrame:
    """:func:`changes` for every pair of consecutive years in which the group has values,
    stacked, with ``year_a, year_b`` in front; members missing in both years are dropped."""
    years = sorted(set(results.loc[results["instansi_code"].isin(group.members["instansi_code"])
                                   & results["index"].notna(), "year"].astype(int)))
    frames = []
    for a, b in zip(years, years[1:]):
        t = changes(results, a, b, group)
        t = t[t["index_a"].notna() | t["index_b"].notna()]
        frames.append(t.assign(year_a=a, year_b=b))
    cols = ["year_a", "year_b"]
    if not frames:
        return pd.DataFrame(columns=cols + _CHANGE_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    return out[cols + _CHANGE_COLUMNS]


def changes_into(results: pd.DataFrame, group: PeerGroup, year: int) -> pd.DataFrame:
    """The group's change into ``year`` from the previous year with values: the rows of
    :func:`year_over_year` whose ``year_b`` is ``year`` (index t-1, t, change, predikat
    transition, rank change); empty when ``year`` has no earlier year with values."""
    rows = year_over_year(results, group)
    return rows[rows["year_b"] == int(year)].reset_index(drop=True)


def change(results: pd.DataFrame, group: PeerGroup, year_a: int, year_b: int) -> dict[str, object]:
    """The focal member's row of :func:`changes`, as a dict (plus both frameworks)."""
    row = changes(results, year_a, year_b, group)
    row = row[row["instansi_code"] == group.focal.code]
    out = json_records(row)[0]
    out.update(year_a=int(year_a), year_b=int(year_b),
               framework_a=registry.evaluation(year_a).framework,
               framework_b=registry.evaluation(year_b).framework)
    return out


def trend(results: pd.DataFrame, group: PeerGroup) -> pd.DataFrame:
    """The focal's index per registry year up to the latest year in ``results``.

    Returns ``year, index (NaN = no value), predikat, framework, series_break
    (framework differs from the previous listed year), peer_median (over members
    with a value that year; NaN when fewer than ``MIN_MEDIAN_PEERS`` have one),
    n_peers_valued, n_group (members of the group), national_index (registry),
    synthetic (any valued member that year is synthetic)``. Years without a value
    are kept so gaps stay visible.
    """
    last = int(results["year"].max())
    rows = []
    for year, ev in registry.evaluations().items():
        if year > last:
            break
        t = rank_table(results, year, group)
        me = t[t["is_focal"]].iloc[0]
        valued = t.loc[t["has_value"], "index"]
        rows.append({"year": year, "index": me["index"], "predikat": me["predikat"],
                     "framework": ev.framework,
                     "peer_median": valued.median() if len(valued) >= MIN_MEDIAN_PEERS
                     else float("nan"),
                     "n_peers_valued": int(len(valued)), "n_group": int(len(t)),
                     "national_index": ev.national_index if ev.national_index is not None
                     else float("nan"),
                     # the peer median draws on every valued member, so any synthetic one counts
                     "synthetic": bool(t.loc[t["has_value"], "synthetic"].any())})
    out = pd.DataFrame(rows)
    changed = out["framework"].ne(out["framework"].shift())
    out["series_break"] = changed & (out.index > 0)
    return out


def score_gaps(scores: pd.DataFrame, group: PeerGroup, year: int,
               level: str = "domain") -> pd.DataFrame:
    """Focal's scores at one level vs the group's median and best.

    ``scores`` has ``year, instansi_code, level, item, item_name, value``.
    Returns ``item, item_name, value, peer_median, peer_best, gap_median,
    gap_best (focal − statistic, 2 dp), n_peers`` (members with a score for the
    item, focal included); empty when the focal has no score at that level.
    """
    s = scores[(scores["year"] == int(year)) & (scores["level"] == level)
               & scores["instansi_code"].isin(group.members["instansi_code"])
               & scores["value"].notna()]
    stats = s.groupby("item")["value"].agg(peer_median="median", peer_best="max", n_peers="count")
    mine = s[s["instansi_code"] == group.focal.code][["item", "item_name", "value"]]
    out = mine.merge(stats.reset_index(), on="item", how="left")
    out["gap_median"] = (out["value"] - out["peer_median"]).round(2)
    out["gap_best"] = (out["value"] - out["peer_best"]).round(2)
    cols = ["item", "item_name", "value", "peer_median", "peer_best", "gap_median", "gap_best",
            "n_peers"]
    return out[cols].sort_values("item", key=_natural).reset_index(drop=True)


def _item_order(item: str) -> tuple[int, str]:
    """Sort key for item codes: D2 before D10."""
    digits = "".join(ch for ch in str(item) if ch.isdigit())
    return (int(digits) if digits else 0, str(item))


def _natural(items: pd.Series) -> pd.Series:
    return items.map(_item_order)


def score_matrix(scores: pd.DataFrame, group: PeerGroup, year: int,
                 level: str = "indicator") -> pd.DataFrame:
    """Instansi (rows, focal first) × item (columns, natural order) of ``value``; NaN = missing."""
    s = scores[(scores["year"] == int(year)) & (scores["level"] == level)
               & scores["instansi_code"].isin(group.members["instansi_code"])]
    if s.empty:
        return pd.DataFrame()
    m = s.pivot_table(index="instansi_code", columns="item", values="value", aggfunc="first")
    m = m[sorted(m.columns, key=_item_order)]
    names = dict(zip(group.members["instansi_code"], group.members["instansi"]))
    order = sorted(m.index, key=lambda c: (c != group.focal.code, names.get(c, c)))
    m = m.loc[order]
    m.index = [names.get(c, c) for c in m.index]
    return m
