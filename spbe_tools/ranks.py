"""Rank a peer group in one year (index descending, ties within the published
precision shared), count its predikat bands, and place an index in its framework's bands.

A missing value is never a zero: members without one are listed last, unranked, and left
out of every count and statistic.
"""
from __future__ import annotations

import pandas as pd

from spbe_tools import registry
from spbe_tools.peers import PeerGroup

__all__ = ["RANK_MIN_COVERAGE", "RANK_MIN_VALUED", "band_counts", "band_position",
           "json_records", "rank_is_representative", "rank_table", "units_of"]

# A rank is stated only when enough of the group has a value that year: at least
# RANK_MIN_VALUED members and RANK_MIN_COVERAGE of the group. Below that the text says
# how many have a value and that the rank is not representative (6 of 93 kota is not
# a national ranking).
RANK_MIN_VALUED = 5
RANK_MIN_COVERAGE = 0.5


def _shown_predikat(rows: pd.DataFrame) -> pd.Series:
    """Published predikat, or the computed band where the source gave none."""
    pub = rows["predikat"].fillna("").astype(str) if "predikat" in rows else None
    comp = (rows["predikat_computed"].fillna("").astype(str) if "predikat_computed" in rows
            else rows.apply(lambda r: registry.band_for(r["index"], r["framework"])
                            if pd.notna(r["index"]) else "", axis=1))
    return comp if pub is None else pub.where(pub != "", comp)


def units_of(index: pd.Series) -> pd.Series:
    """Index as published (:func:`registry.published_value`) in units of the published
    precision (integers, NaN kept), so ties are exact."""
    published = index.map(registry.published_value, na_action="ignore").astype(float)
    return (published / registry.published_precision()).round()


def rank_table(results: pd.DataFrame, year: int, group: PeerGroup) -> pd.DataFrame:
    """Rank the group's members in one year (index descending, ties shared).

    Returns one row per member: ``instansi_code, instansi, category, province,
    index (float, NaN = no value), predikat, has_value, rank (Int64, competition
    ranking "1224"), rank_label ("=3" when tied, "" without value), tied, is_focal,
    synthetic, sumber``; sorted by rank then name, members without value last.
    """
    year_rows = results[results["year"] == int(year)]
    keep = [c for c in ("instansi_code", "index", "predikat", "predikat_computed", "framework",
                        "synthetic", "sumber") if c in year_rows]
    t = group.members.merge(year_rows[keep], on="instansi_code", how="left")
    t["has_value"] = t["index"].notna()
    t["predikat"] = _shown_predikat(t).where(t["has_value"], "")
    units = units_of(t["index"])
    t["rank"] = units.apply(lambda u: int((units > u).sum()) + 1 if pd.notna(u) else pd.NA)
    t["rank"] = t["rank"].astype("Int64")
    counts = units.map(units.value_counts())
    t["tied"] = (counts > 1) & t["has_value"]
    t["rank_label"] = [("=" if tied else "") + str(r) if pd.notna(r) else ""
                       for r, tied in zip(t["rank"], t["tied"])]
    t["is_focal"] = t["instansi_code"] == group.focal.code
    t["synthetic"] = t["synthetic"].fillna(False).astype(bool) if "synthetic" in t else False
    t["sumber"] = t["sumber"].fillna("").astype(str) if "sumber" in t else ""
    t = t.sort_values(["has_value", "rank", "instansi"], ascending=[False, True, True])
    cols = ["instansi_code", "instansi", "category", "province", "index", "predikat",
            "has_value", "rank", "rank_label", "tied", "is_focal", "synthetic", "sumber"]
    return t[cols].reset_index(drop=True)


def band_counts(table: pd.DataFrame, framework_key: str) -> dict[str, int]:
    """How many valued members per predikat, in registry band order (top first), zeros kept."""
    shown = table.loc[table["has_value"], "predikat"].value_counts()
    bands = registry.framework(framework_key).bands
    return {b.predikat: int(shown.get(b.predikat, 0)) for b in bands}


def band_position(index: float, framework_key: str) -> dict[str, object]:
    """Where an index sits in its framework's bands.

    Returns ``current_band``, ``current_lower`` (None for the bottom band),
    ``margin_above_current`` (index − lower bound), ``next_band``, ``next_lower``
    and ``distance_to_next`` (next lower bound − index), distances rounded to 2
    decimals; ``next_*`` are None in the top band.

    >>> band_position(2.61, "spbe-59-2020")["distance_to_next"]
    0.89
    """
    cur = registry.current_band(index, framework_key)
    nxt = registry.next_band(index, framework_key)
    return {
        "current_band": cur.predikat,
        "current_lower": cur.lower,
        "margin_above_current": None if cur.lower is None else round(index - cur.lower, 2),
        "next_band": None if nxt is None else nxt.predikat,
        "next_lower": None if nxt is None else nxt.lower,
        "distance_to_next": None if nxt is None else round(nxt.lower - index, 2),
    }


def rank_is_representative(n_ranked: int, n_group: int) -> bool:
    """True when enough of the group has a value for a rank to mean something.

    >>> rank_is_representative(11, 11), rank_is_representative(6, 93), rank_is_representative(1, 1)
    (True, False, False)
    """
    return n_ranked >= RANK_MIN_VALUED and n_ranked >= RANK_MIN_COVERAGE * n_group


def json_records(df: pd.DataFrame) -> list[dict[str, object]]:
    """Records with None for missing values and plain Python numbers."""
    rows = df.astype(object).where(df.notna(), None).to_dict("records")
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in r.items()} for r in rows]
