"""Compare one instansi with its peers and across years: pure functions on the tidy tables.

Inputs are the frames ``spbe build`` writes (columns in ``docs/architecture.md``):

* ``results``: one row per (year, instansi_code) with ``index`` (0–5, two decimals),
  ``predikat``, ``predikat_computed``, ``framework``, ``synthetic``, ``sumber``, ...
* ``scores``: one row per (year, instansi_code, level, item) with ``value``.
* ``regions``: the reference table of ``identity.load_regions()`` (``code, name, type,
  province_code, autonomous`` and optionally ``island``); it supplies the
  denominator of coverage for pemda groups.

Honesty rules built in: a missing value is never a zero (it is shown as missing
and left out of ranks and statistics); differences smaller than the published
precision (registry, 0.01) are ties; the national figure is the published
national index of the registry, never a mean of the rows at hand; SPBE facts
(bands, frameworks, decrees) come from the registry.

It builds on :mod:`spbe_tools.processed` (reading the tables back),
:mod:`spbe_tools.peers` (focal and peer group) and :mod:`spbe_tools.ranks` (ranks, bands);
changes across years, trends and score gaps are in :mod:`spbe_tools.trends`. Each name is
imported from the module that defines it. This module makes the one-year summary
(:func:`compare_region`) and its words (:func:`headline`, :func:`source_note`). Nothing
here reads files except :func:`load_context`, through
:func:`spbe_tools.processed.load_processed`.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from spbe_tools import registry
from spbe_tools.errors import ConfigError
from spbe_tools.peers import Focal, PeerGroup, describe_group, peer_group, resolve_focal
from spbe_tools.processed import load_processed
from spbe_tools.ranks import (
    band_counts,
    band_position,
    json_records,
    rank_is_representative,
    rank_table,
    units_of,
)
from spbe_tools.wording import fmt_num, short_decree, text

__all__ = ["Comparison", "Context", "compare_region", "headline", "is_synthetic", "latest_year",
           "load_context", "source_note"]


@dataclass
class Comparison:
    """One instansi against one peer group in one year (see :func:`compare_region`)."""

    year: int
    framework: str
    framework_short: str
    focal: Focal
    peers: str
    index: float | None
    predikat: str | None
    rank: int | None
    rank_label: str | None
    tied: bool
    n_ranked: int
    n_group: int
    percentile: float | None
    peer_median: float | None
    peer_mean: float | None
    peer_best: float | None
    peer_best_names: list[str]
    gap_median: float | None
    gap_mean: float | None
    gap_best: float | None
    national_index: float | None
    national_predikat: str | None
    gap_national: float | None
    band: dict[str, object]
    band_counts: dict[str, int]
    synthetic: bool
    sources: list[str]
    table: pd.DataFrame = field(repr=False)
    rank_representative: bool = True
    predikat_flag: str = ""  # the focal row's flag in results (e.g. "mismatch"), "" if none
    predikat_computed: str | None = None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: every field, the peer table as a list of records."""
        out = {k: v for k, v in asdict(self).items() if k != "table"}
        out["table"] = json_records(self.table)
        return out


def _gap(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(a - b, 2)


def _stat(value: float) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 2)


def _percentile(table: pd.DataFrame, focal_units: float) -> float | None:
    """Share of the other valued peers scoring strictly lower (ties are not 'lower')."""
    valued = units_of(table.loc[table["has_value"], "index"])
    if len(valued) < 2:
        return None
    return round(100 * int((valued < focal_units).sum()) / (len(valued) - 1), 1)


def _peer_stats(table: pd.DataFrame) -> dict[str, object]:
    """Median / mean / best over members with a value (focal included), 2 dp; names of the best."""
    valued = table.loc[table["has_value"], "index"]
    if valued.empty:
        return {"peer_median": None, "peer_mean": None, "peer_best": None, "peer_best_names": []}
    best = _stat(valued.max())
    names = table.loc[table["has_value"] & (units_of(table["index"]) == units_of(
        pd.Series([best]))[0]), "instansi"].tolist()
    return {"peer_median": _stat(valued.median()), "peer_mean": _stat(valued.mean()),
            "peer_best": best, "peer_best_names": names}


def compare_region(results: pd.DataFrame, region: str, year: int, peers: str = "province", *,
            custom: list[str] | None = None, regions: pd.DataFrame | None = None,
            group: PeerGroup | None = None) -> Comparison:
    """Compare ``region`` (name or code) with a peer group in ``year``.

    Peer statistics (median / mean / best) are over every member with a value,
    the focal included; gaps are focal − statistic, rounded to 2 decimals. ``group``: the
    peer group already made for this focal (:func:`peer_group`), so a caller that needs
    it too makes it once.
    """
    focal = group.focal if group is not None else resolve_focal(results, region, regions)
    ev = registry.evaluation(year)
    fw = registry.framework(ev.framework)
    table = rank_table(results, year, group if group is not None else peer_group(
        results, focal, peers, custom=custom, regions=regions))
    me = table[table["is_focal"]].iloc[0]
    index = float(me["index"]) if me["has_value"] else None
    stats = _peer_stats(table)
    return Comparison(
        year=int(year), framework=fw.key, framework_short=fw.short, focal=focal, peers=peers,
        index=index, predikat=me["predikat"] or None,
        rank=None if index is None else int(me["rank"]),
        rank_label=me["rank_label"] or None, tied=bool(me["tied"]),
        n_ranked=int(table["has_value"].sum()), n_group=int(len(table)),
        percentile=None if index is None else _percentile(table, units_of(pd.Series([index]))[0]),
        **stats,
        gap_median=_gap(index, stats["peer_median"]), gap_mean=_gap(index, stats["peer_mean"]),
        gap_best=_gap(index, stats["peer_best"]),
        national_index=ev.national_index, national_predikat=ev.national_predikat,
        gap_national=_gap(index, ev.national_index),
        band={} if index is None else band_position(index, fw.key),
        band_counts=band_counts(table, fw.key),
        synthetic=bool(table.loc[table["has_value"], "synthetic"].any()),
        sources=_sources(table, int(year)), table=table,
        rank_representative=rank_is_representative(int(table["has_value"].sum()), len(table)),
        **_focal_flags(results, focal.code, int(year)),
    )


def _focal_flags(results: pd.DataFrame, code: str, year: int) -> dict[str, object]:
    """The focal row's doubt flag and computed band, so no text drops the caveat."""
    rows = results[(results["instansi_code"] == code) & (results["year"] == year)]
    if rows.empty:
        return {}
    row = rows.iloc[0]
    flag = row.get("predikat_flag", "")
    computed = row.get("predikat_computed", None)
    return {"predikat_flag": "" if pd.isna(flag) else str(flag),
            "predikat_computed": None if pd.isna(computed) or computed == "" else str(computed)}


def _sources(table: pd.DataFrame, year: int) -> list[str]:
    """The year's decree (registry) and the distinct per-row sources of valued members."""
    out = []
    decree = registry.evaluation(year).decree
    if decree:
        out.append(decree)
    for s in table.loc[table["has_value"], "sumber"]:
        if s and s not in out:
            out.append(s)
    return out


@dataclass
class Context:
    """What a notebook or command works on: the processed tables, the focal, the year."""

    results: pd.DataFrame
    scores: pd.DataFrame | None
    focal: Focal
    year: int


def load_context(processed_dir: str | Path, region: str, year: int | None = None) -> Context:
    """Load the processed tables and resolve ``region``; ``year`` None = its latest year."""
    results, scores = load_processed(processed_dir)
    focal = resolve_focal(results, region)
    chosen = int(year) if year else latest_year(results, focal.code)
    if chosen is None:
        raise ConfigError(f"{focal.name} has no index in any year of the processed results",
                          file=str(processed_dir))
    return Context(results, scores, focal, chosen)


def latest_year(results: pd.DataFrame, code: str) -> int | None:
    """The latest year in which ``code`` has an index, or None."""
    years = results.loc[(results["instansi_code"] == code) & results["index"].notna(), "year"]
    return None if years.empty else int(years.max())


# --------------------------------------------------------------------------- text

def headline(comp: Comparison, lang: str = "id") -> str:
    """One sentence with the index, rank (with denominator), national gap and band margins."""
    f = lambda v, **kw: fmt_num(v, lang=lang, **kw)  # noqa: E731 - local shorthand
    group = describe_group(PeerGroup(comp.peers, comp.focal, pd.DataFrame()), lang)
    coverage = text("coverage_statement", lang, n_ranked=comp.n_ranked, n_group=comp.n_group,
                    group=group, year=comp.year)
    if comp.index is None:
        return text("headline_no_value", lang, name=comp.focal.name, year=comp.year,
                    coverage=coverage)
    if not comp.rank_representative:
        parts = [text("rank_not_representative", lang, coverage=coverage)]
    else:
        parts = [text("rank_statement", lang, rank=comp.rank_label, n_ranked=comp.n_ranked,
                      group=group, year=comp.year)]
        if comp.n_ranked < comp.n_group:  # say how many could have had a value
            parts[0] += f" ({coverage})"
    if comp.national_index is not None:
        key = ("vs_national_equal" if comp.gap_national == 0 else
               "vs_national_above" if comp.gap_national > 0 else "vs_national_below")
        parts.append(text(key, lang, national=f(comp.national_index)))
    b = comp.band
    if b.get("margin_above_current") is not None:
        parts.append(text("margin_statement", lang, margin=f(b["margin_above_current"]),
                          band=b["current_band"]))
    parts.append(text("distance_statement", lang, distance=f(b["distance_to_next"]),
                      band=b["next_band"]) if b.get("next_band") else text("top_band_statement",
                                                                              lang))
    if comp.predikat_flag == "mismatch" and comp.predikat_computed:
        parts.append(text("flag_mismatch", lang, predikat=comp.predikat,
                          computed=comp.predikat_computed))
    return text("headline", lang, name=comp.focal.name, index=f(comp.index),
                predikat=comp.predikat, year=comp.year, rank_statement="; ".join(parts))


def is_synthetic(rows: pd.DataFrame) -> bool:
    """True when any row drawn from is synthetic (column ``synthetic``)."""
    return "synthetic" in rows and bool(rows["synthetic"].fillna(False).astype(bool).any())


def source_note(rows: pd.DataFrame, lang: str = "id") -> str:
    """'Sumber: KepmenPANRB No. 13/2024, hasil evaluasi SPBE 2023' from the rows' years.

    Decrees come from the registry; a year without a known decree is cited by
    its year only. When every row is synthetic it cites no decree and says the data
    are an example; when some are, it ends with "sebagian data contoh".
    """
    if is_synthetic(rows) and bool(rows["synthetic"].fillna(False).astype(bool).all()):
        # invented values have no decree to cite
        return f"{text('source_prefix', lang)}: {text('source_synthetic_all', lang)}"
    years = sorted({int(y) for y in rows["year"]}) if len(rows) else []
    decrees = [short_decree(d) for y in years
               if (d := registry.evaluation(y).decree if registry.is_evaluation_year(y) else None)]
    body = text("source_results", lang, years=", ".join(map(str, years))) if years else \
        text("source_fallback", lang)
    note = f"{text('source_prefix', lang)}: " + ", ".join(decrees + [body])
    if is_synthetic(rows):
        note += f" — {text('source_synthetic_part', lang)}"
    return note
