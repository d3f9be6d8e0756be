"""Recompute SPBE indices from LHE scores and cross-check them with published values.

Takes the tidy ``scores`` table (see docs/architecture.md) and, for each
(year, instansi_code, framework):

* from a complete set of indicator levels: the index and every domain and aspect
  index (weighted means, :mod:`spbe_tools.registry.structure`);
* from a complete set of published domain indices: the index
  (:func:`spbe_tools.registry.index_from_domains`).

:func:`cross_check` compares each recomputed value with every published one
(the LHE's own index/domain/aspect rows and ``results.csv``'s ``index``) at the
published two decimals, rounded the way published values are
(:func:`spbe_tools.registry.published_value`). An index from published domains agrees
when it is within :data:`spbe_tools.registry.DOMAIN_ROUNDING_TOLERANCE` of the published
index (each domain is itself rounded to two decimals). Disagreements stay in the table
with ``ok == False`` and both numbers in the note; nothing is dropped.

:func:`table_domains` turns the domain columns of a results table (``D1 … D4`` beside
the index, :attr:`spbe_tools.ingest.ParsedRow.domains`) into ``domain`` score rows, for
the accepted results rows only. An LHE sheet's domains of the same instansi-year win: the
table's are then left out (the results row's note says so), so the scores hold one set.
"""
from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from functools import cache

import pandas as pd

from spbe_tools import registry
from spbe_tools.cells import parse_number
from spbe_tools.ingest import ParsedRow
from spbe_tools.registry import structure
from spbe_tools.table_columns import CHECKS, SCORES

__all__ = ["RECOMPUTED_COLUMNS", "cross_check", "recompute", "table_domains"]

RECOMPUTED_COLUMNS = ["year", "instansi_code", "framework", "level", "item", "item_name",
                      "value", "basis", "synthetic"]
_LEVEL_ORDER = {"index": 0, "domain": 1, "aspect": 2, "indicator": 3}


def _exact(value: float) -> Fraction:
    # published values carry 2 decimals; repr() gives the decimal the source wrote
    return Fraction(repr(float(value)))


def _weighted(values: dict[str, Fraction], weights: dict[str, int]) -> float:
    total = sum(weights[k] for k in values)
    return float(sum(values[k] * weights[k] for k in values) / total)


def _from_indicators(pairs: list[tuple[str, float]], fw: str) -> list[dict]:
    """Index, domain and aspect values from one instansi's complete indicator levels
    ((item, level) pairs)."""
    ind = structure.indicators(fw)
    levels = {item: _exact(value) for item, value in pairs}
    if set(levels) != set(ind["item"]) or len(pairs) != len(ind):
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


@cache
def _domain_names(fw: str) -> dict[str, str] | None:
    """Item -> name of a framework's domains, None without a structure (read once per
    framework, not per instansi; the weights are the registry's, index_from_domains)."""
    if not structure.has_structure(fw):
        return None
    dom = structure.domains(fw)
    return dict(zip(dom["item"], dom["name"]))


def _from_domains(pairs: list[tuple[str, float]], fw: str) -> list[dict]:
    """The index from one instansi's complete set of published domain indices ((item,
    value) pairs): :func:`registry.index_from_domains`."""
    value = registry.index_from_domains(dict(pairs), fw)
    if value is None or len(pairs) != len(dict(pairs)):
        return []
    return [{"level": "index", "item": "index", "item_name": "Indeks SPBE", "value": value}]


def _sets(part: pd.DataFrame) -> dict[tuple, tuple[list[tuple[str, float]], bool]]:
    """(year, instansi_code, framework) -> ((item, value) pairs, any synthetic), in key
    order: plain lists, no frame per instansi (a national table has a thousand)."""
    synthetic = part["synthetic"] if "synthetic" in part else [False] * len(part)
    sets: dict[tuple, tuple[list, list]] = {}
    for year, code, fw, item, value, syn in zip(part["year"], part["instansi_code"],
                                                part["framework"], part["item"],
                                                part["value"], synthetic):
        pairs, flags = sets.setdefault((int(year), code, fw), ([], []))
        pairs.append((item, value))
        flags.append(bool(syn))
    return {key: (pairs, any(flags)) for key, (pairs, flags) in sorted(sets.items())}


def recompute(scores: pd.DataFrame) -> pd.DataFrame:
    """Recomputed indices from a ``scores`` table.

    Takes columns year, instansi_code, framework, level, item, value (synthetic
    optional). Returns RECOMPUTED_COLUMNS: value in index points (unrounded),
    basis ``indicators`` or ``domains``. Frameworks without a registry structure
    are skipped.
    """
    out = []
    for basis, level, fn in (("indicators", "indicator", _from_indicators),
                             ("domains", "domain", _from_domains)):
        for (year, code, fw), (pairs, synthetic) in _sets(
                scores[scores["level"] == level]).items():
            if _domain_names(fw) is None:
                continue
            for row in fn(pairs, fw):
                out.append({"year": year, "instansi_code": code, "framework": fw, **row,
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
    for r in merged.to_dict("records"):
        ok, note = _agreement(r["basis"], r["value_rec"], r["value_pub"])
        note = f"{r['basis']} vs {r['source']}" + note
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


def _agreement(basis: str, recomputed: float, published: float) -> tuple[bool, str]:
    """(ok, what the note adds) for one recomputed/published pair, index points. From
    domains: within DOMAIN_ROUNDING_TOLERANCE (the domains are two-decimal values, so Σ
    weight × domain may miss the printed index by up to 0.01); else the recomputed value,
    published, must equal the published one."""
    shown = registry.published_value(recomputed)
    if basis == "domains":
        gap = abs(Fraction(repr(float(recomputed))) - Fraction(repr(float(published))))
        tolerance = registry.DOMAIN_ROUNDING_TOLERANCE
        ok = gap <= Fraction(repr(tolerance))
        if shown == registry.published_value(published):
            return ok, ""
        both = f": Σ bobot × domain {shown:.2f} ({recomputed:.4f}), published {published:.2f}"
        return ok, both + (f", within the rounding tolerance {tolerance:g}" if ok else "")
    ok = shown == registry.published_value(published)
    return ok, "" if ok else f": recomputed rounds to {shown:.2f}, published {published:.2f}"


def table_domains(rows: Iterable[ParsedRow], results: pd.DataFrame,
                  lhe_scores: pd.DataFrame) -> tuple[pd.DataFrame, dict[tuple, str]]:
    """The domain score rows of the results tables, and what to note on results rows.

    rows: the parsed rows (their ``domains``); results: the accepted results (RESULTS
    columns), joined to their row by source_file, source_sheet and source_cell (a rejected
    row has no results row, so no scores); lhe_scores: the LHE sheets' scores, whose
    domains of an instansi-year win over a table's. Returns the SCORES rows (level
    ``domain``, one per usable domain cell, its cell as source_cell) and
    (source_file, source_sheet, source_cell) -> the note for that results row (a domain
    cell empty, unreadable or outside the range, which is left out: the set is then
    incomplete and not recomputed; or the LHE's domains used instead).
    """
    with_domains = {(r.source_file, r.source_sheet, r.source_cell): r.domains
                    for r in rows if r.domains}
    out: list[dict] = []
    notes: dict[tuple, str] = {}
    if not with_domains:
        return pd.DataFrame(out, columns=SCORES.names), notes
    lhe = lhe_scores[lhe_scores["level"] == "domain"]
    from_lhe = {(int(y), c) for y, c in zip(lhe["year"], lhe["instansi_code"])}
    for res in results.itertuples(index=False):
        key = (res.source_file, res.source_sheet, res.source_cell)
        if key not in with_domains:
            continue
        if (int(res.year), res.instansi_code) in from_lhe:
            notes[key] = "domains: an LHE sheet gives this instansi-year's, the table's not used"
            continue
        scored, problems = _domain_rows(res, with_domains[key])
        out.extend(scored)
        if problems:
            notes[key] = "domains: " + "; ".join(problems) + ": no Σ bobot × domain check"
    return pd.DataFrame(out, columns=SCORES.names), notes


def _domain_rows(res, cells: tuple[tuple[str, object, str], ...]) -> tuple[list[dict], list[str]]:
    """(score rows, problems) of one accepted results row's domain cells."""
    fw = registry.framework(res.framework)
    names = _domain_names(fw.key)
    if names is None:
        return [], [f"{fw.name} has no domains in the registry"]
    rows, problems, seen = [], [], set()
    for item, raw, cell in cells:
        why = ""
        try:
            value = parse_number(raw)
        except ValueError as exc:
            value, why = None, f"{item} in {cell}: {exc}"
        if item not in names:
            why = f"{cell}: the header {item!r} names no domain of {fw.name}"
        elif item in seen:
            why = f"{item} has two columns ({cell})"
        elif not why and value is None:
            why = f"{item} in {cell} is empty"
        elif not why and not fw.index_min <= value <= fw.index_max:
            why = f"{item} {value:g} in {cell} is outside {fw.index_min:g}–{fw.index_max:g}"
        if why:
            problems.append(why)
            continue
        seen.add(item)
        rows.append(SCORES.record(
            year=int(res.year), instansi_code=res.instansi_code, instansi=res.instansi,
            level="domain", item=item, item_name=names[item], value=value,
            framework=fw.key, synthetic=bool(res.synthetic), source_file=res.source_file,
            source_sheet=res.source_sheet, source_cell=cell))
    return rows, problems


@cache
def _weights_verified(framework_key: str) -> bool:
    return bool(structure.indicators(framework_key)["verified"].all())
