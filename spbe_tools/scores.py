"""Recompute SPBE indices from LHE scores and cross-check them with published values.

Takes the tidy ``scores`` table (see docs/architecture.md) and, for each
(year, instansi_code, framework):

* from a complete set of indicator levels: the index and every domain and aspect
  index (weighted means, :mod:`spbe_tools.registry.structure`);
* from a complete set of published domain indices: the index.

:func:`cross_check` compares each recomputed value with every published one
(the LHE's own index/domain/aspect rows and ``results.csv``'s ``index``) at the
published two decimals, rounded the way published values are
(:func:`spbe_tools.registry.published_value`). Disagreements stay in the table with
``ok == False``; nothing is dropped.
"""
from __future__ import annotations

from fractions import Fraction

import pandas as pd

from spbe_tools import registry
from spbe_tools.registry import structure
from spbe_tools.table_columns import CHECKS

__all__ = ["RECOMPUTED_COLUMNS", "cross_check", "recompute"]

RECOMPUTED_COLUMNS = ["year", "instansi_code", "framework", "level", "item", "item_name",
                      "value", "basis", "synthetic"]
_LEVEL_ORDER = {"index": 0, "domain": 1, "aspect": 2, "indicator": 3}


def _exact(value: float) -> Fraction:
    # published values carry 2 decimals; repr() gives the decimal the source wrote
    return Fraction(repr(float(value)))


def _weighted(values: dict[str, Fraction], weights: dict[str, int]) -> float:
    total = sum(weights[k] for k in values)
    return float(sum(values[k] * weights[k] for k in values) / total)


def _from_indicators(group: pd.DataFrame, fw: str) -> list[dict]:
    """Index, domain and aspect values from one instansi's complete indicator levels."""
    ind = structure.indicators(fw)
    levels = dict(zip(group["item"], group["value"].map(_exact)))
    if set(levels) != set(ind["item"]) or len(group) != len(ind):
        return []   # incomplete or duplicated sets are never recomputed (lhe rejects them)
    units = dict(zip(ind["item"], ind["weight_units"].astype(int)))
    rows = [{"level": "index", "item": "index", "item_name": "Indeks SPBE",
             "value": _weighted(levels, units)}]
    for kind, table in (("domain", structure.domains(fw)), ("aspect", structure.aspects(fw))):
        for _, block in table.iterrows():
            members = ind.loc[ind[f"{kind}_no"] == block[f"{kind}_no"], "item"]
            rows.append({"level": kind, "item": block["item"], "item_name": block["name"],
                         "value": _weighted({m: levels[m] for m in members}, units)})
    return rows


def _from_domains(group: pd.DataFrame, fw: str) -> list[dict]:
    """The index from one instansi's complete set of published domain indices."""
    dom = structure.domains(fw)
    values = dict(zip(group["item"], group["value"].map(_exact)))
    if set(values) != set(dom["item"]) or len(group) != len(dom):
        return []
    units = dict(zip(dom["item"], dom["weight_units"].astype(int)))
    return [{"level": "index", "item": "index", "item_name": "Indeks SPBE",
             "value": _weighted(values, units)}]


def recompute(scores: pd.DataFrame) -> pd.DataFrame:
    """Recomputed indices from a ``scores`` table.

    Takes columns year, instansi_code, framework, level, item, value (synthetic
    optional). Returns RECOMPUTED_COLUMNS: value in index points (unrounded),
    basis ``indicators`` or ``domains``. Frameworks without a registry structure
    are skipped.
    """
    out = []
    keys = ["year", "instansi_code", "framework"]
    for basis, level, fn in (("indicators", "indicator", _from_indicators),
                             ("domains", "domain", _from_domains)):
        part = scores[scores["level"] == level]
        for (year, code, fw), group in part.groupby(keys, sort=True):
            if not structure.has_structure(fw):
                continue
            synthetic = bool(group["synthetic"].any()) if "synthetic" in group else False
            for row in fn(group, fw):
                out.append({"year": int(year), "instansi_code": code, "framework": fw, **row,
                            "basis": basis, "synthetic": synthetic})
    frame = pd.DataFrame(out, columns=RECOMPUTED_COLUMNS)
    return frame.astype({"year": "int64", "value": "float64", "synthetic": "bool"})


def _published(scores: pd.DataFrame, results: pd.DataFrame | None) -> pd.DataFrame:
    """Published values: LHE index/domain/aspect rows plus results.csv's index."""
    keys = ["year", "instansi_code", "level", "item"]
    lhe = scores.loc[scores["level"].isin(["index", "domain", "aspect"]), keys + ["value"]]
    lhe = lhe.assign(source="LHE")
    frames = [lhe]
    if results is not None and len(results):
        res = results[["year", "instansi_code", "index"]].dropna(subset=["index"])
        res = res.rename(columns={"index": "value"}).assign(level="index", item="index",
                                                             source="results")
        frames.append(res[keys + ["value", "source"]])
    pub = pd.concat(frames, ignore_index=True)
    return pub.astype({"year": "int64", "value": "float64"})


def cross_check(scores: pd.DataFrame, results: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ``checks`` table: every recomputed value against every published one.

    scores: the scores table; results: results.csv (year, instansi_code, index) or
    None. Returns the CHECKS table (:mod:`spbe_tools.table_columns`) with published and
    recomputed in index points,
    difference = recomputed − published (unrounded recomputed), ok = the recomputed
    value, published (:func:`registry.published_value`), equals the published one, and a note
    naming the basis and source ("indicators vs LHE", "domains vs results", …).
    """
    rec = recompute(scores)
    if rec.empty:
        return pd.DataFrame(columns=CHECKS.names).astype({"ok": "bool"})
    pub = _published(scores, results)
    merged = rec.merge(pub, on=["year", "instansi_code", "level", "item"],
                       suffixes=("_rec", "_pub"))
    rows = []
    for _, r in merged.iterrows():
        shown = registry.published_value(r["value_rec"])
        ok = shown == registry.published_value(r["value_pub"])
        note = f"{r['basis']} vs {r['source']}"
        if not ok:
            note += f": recomputed rounds to {shown:.2f}, published {r['value_pub']:.2f}"
        if not registry.framework(r["framework"]).verified or not _weights_verified(r["framework"]):
            note += "; weights unverified"
        rows.append(CHECKS.record(
            year=r["year"], instansi_code=r["instansi_code"], level=r["level"], item=r["item"],
            published=r["value_pub"], recomputed=r["value_rec"],
            difference=round(r["value_rec"] - r["value_pub"], 6), ok=ok, note=note))
    checks = pd.DataFrame(rows, columns=CHECKS.names)
    order = checks["level"].map(_LEVEL_ORDER)
    checks = checks.assign(_o=order).sort_values(["year", "instansi_code", "_o", "item", "note"])
    return checks.drop(columns="_o").reset_index(drop=True).astype({"ok": "bool"})


def _weights_verified(framework_key: str) -> bool:
    return bool(structure.indicators(framework_key)["verified"].all())
