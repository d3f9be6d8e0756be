"""SPBE rules on parsed rows -> accepted tidy rows, national rows and rejects.

Rules, in order, each reject carrying its reason:

1. a problem found while reading (merged range across rows, formula with no cached
   value, row below the notes) rejects the row;
2. the year must be a registered evaluation year;
3. the index must be a number within the year's framework range (text, dates, NaN,
   negatives and values above the maximum are rejected, never read as zero); the
   value written (``index``) is the published one, rounded half-up to the published
   precision (:func:`registry.published_value`), the number as read stays in
   ``index_raw``; bands, duplicates and ranks use ``index``;
4. a published predikat must be a known band; a predikat that disagrees with the
   band computed from the index is kept and flagged ``mismatch``;
5. the instansi must resolve through the identity matcher (exact or alias);
6. the same instansi twice in one year: identical values collapse into one row
   with a note; different values send every row of the group to rejects, each with
   the group's reason, written once per group (a group of more than
   :data:`MAX_CONFLICT_LISTED` rows is summarised: size, distinct values with their
   count and first cell, the group key ``year/code``).

Rows naming the national index ("Indeks SPBE Nasional") form their own table and are
checked against the registry's published national index.

LHE sheets (:mod:`spbe_tools.lhe`) are checked while they are read; their names are
resolved here, by the same matcher and in the same step as a results row's
(:func:`name_lhe_sheet`).
"""
from __future__ import annotations

import numbers
import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from spbe_tools import registry
from spbe_tools.cells import cell_text, parse_number
from spbe_tools.identity import PerFileMatcher
from spbe_tools.ingest import ParsedRow
from spbe_tools.lhe import LheSheet
from spbe_tools.schema import conform
from spbe_tools.table_columns import LHE_REJECT_COLUMNS, NATIONAL, REJECTS, RESULTS, SCORES

__all__ = ["NamedScores", "Validated", "name_lhe_sheet", "validate_rows"]

# The national index row ("Indeks SPBE Nasional"), not an agency whose name ends in
# "Nasional" (Badan Riset dan Inovasi Nasional).
_NATIONAL = re.compile(r"^\s*((indeks|index|spbe)\s+)*(nasional|national)(\s+(spbe|index))*\s*$",
                       re.IGNORECASE)


class Validated:
    """The outcome: ``results``, ``national`` and ``rejects`` DataFrames (columns above)
    plus ``accepted_rows`` per source file (rows read = accepted + rejected)."""

    def __init__(self, results: pd.DataFrame, national: pd.DataFrame, rejects: pd.DataFrame,
                 accepted: dict[str, int], rejected: dict[str, int], collapsed: dict[str, int]):
        self.results, self.national, self.rejects = results, national, rejects
        self.accepted, self.rejected, self.collapsed = accepted, rejected, collapsed


def _reject(row: ParsedRow, reason: str, candidates: Iterable[str] = ()) -> dict:
    return REJECTS.record(
        source_file=row.source_file, source_sheet=row.source_sheet, source_row=row.source_row,
        source_cell=row.source_cell, year=cell_text(row.year),
        instansi_reported=row.instansi_reported, index_raw=cell_text(row.index_raw),
        predikat_raw=cell_text(row.predikat_raw), reason=reason,
        candidates="; ".join(candidates))


def _check_year(row: ParsedRow) -> tuple[int | None, str]:
    year = row.year
    if isinstance(year, bool) or not isinstance(year, int):
        return None, f"the year {cell_text(year)!r} is not a whole year such as 2023"
    if not registry.is_evaluation_year(year):
        return None, (f"{year} is not a registered SPBE evaluation year "
                      f"({registry.evaluation_span()})")
    return year, ""


def _check_index(row: ParsedRow, fw: registry.Framework) -> tuple[float | None, str]:
    try:
        value = parse_number(row.index_raw)
    except ValueError as exc:
        return None, f"index in {row.source_cell}: {exc}"
    if value is None:
        return None, f"index in {row.source_cell} is empty"
    if not fw.index_min <= value <= fw.index_max:
        return None, (f"index {value:g} in {row.source_cell} is outside {fw.name}'s range "
                      f"{fw.index_min:g}–{fw.index_max:g}")
    return value, ""


def _check_predikat(row: ParsedRow, fw: registry.Framework) -> tuple[str, str]:
    text = cell_text(row.predikat_raw)
    if not text:
        return "", ""
    canon = registry.canonical_predikat(text)
    if canon is None or canon not in {b.predikat for b in fw.bands}:
        known = ", ".join(b.predikat for b in fw.bands)
        return "", f"predikat {text!r} is not a band of {fw.name} ({known})"
    return canon, ""


def _judge(row: ParsedRow, matcher) -> tuple[dict | None, dict | None, dict | None]:
    """(result, national, reject) — exactly one is not None."""
    if row.problem:
        return None, None, _reject(row, row.problem)
    if not row.instansi_reported:
        return None, None, _reject(row, "the instansi name is empty")
    year, why = _check_year(row)
    if why:
        return None, None, _reject(row, why)
    ev = registry.evaluation(year)
    fw = registry.framework(ev.framework)
    value, why = _check_index(row, fw)
    if why:
        return None, None, _reject(row, why)
    predikat, why = _check_predikat(row, fw)
    if why:
        return None, None, _reject(row, why)
    published = registry.published_value(value)  # the one value written, ranked and banded
    computed = registry.band_for(published, fw.key)
    base = {"year": year, "index": published, "predikat": predikat, "framework": fw.key,
            "sumber": row.sumber, "source_file": row.source_file,
            "source_sheet": row.source_sheet, "source_cell": row.source_cell}
    if _NATIONAL.search(row.instansi_reported):
        registry_index = ev.national_index
        return None, NATIONAL.record(
            **base, registry_index=registry_index,
            matches_registry=registry_index is not None
            and published == registry.published_value(registry_index)), None
    res = matcher.resolve(row.instansi_reported, category=row.category_hint,
                          province=row.province_reported or None, year=year,
                          **({"source": row.source_file}
                             if isinstance(matcher, PerFileMatcher) else {}))
    if not res.ok:
        return None, None, _reject(row, f"instansi not identified: {res.reason}", res.candidates)
    flag = "mismatch" if predikat and predikat != computed else ""
    return RESULTS.record(
        **base, instansi_code=res.code, instansi=res.name, category=res.category,
        province_code=res.province_code, province=res.province,
        province_reported=row.province_reported, instansi_reported=row.instansi_reported,
        index_raw=value, predikat_computed=computed, predikat_flag=flag,
        decree=ev.decree or "", synthetic=row.synthetic, note=row.note, match_rule=res.rule,
        origin="table"), None, None


def _where(r: dict) -> str:
    return f"{r['source_file']} {r['source_sheet']}!{r['source_cell']}"


def _resolve_duplicates(rows: list[dict], parsed: dict[tuple, ParsedRow]
                        ) -> tuple[list[dict], list[dict], list[dict]]:
    """(kept, collapsed, rejected) after grouping by (year, instansi_code)."""
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        groups.setdefault((r["year"], r["instansi_code"]), []).append(r)
    kept, collapsed, rejects = [], [], []
    for (year, code), group in groups.items():
        if len(group) == 1:
            kept.append(group[0])
            continue
        indices = {r["index"] for r in group}  # published values (2 decimals)
        predikats = {r["predikat"] for r in group if r["predikat"]}
        if len(indices) == 1 and len(predikats) <= 1:
            first = dict(group[0])
            first["predikat"] = next(iter(predikats), "")
            first["predikat_flag"] = ("mismatch" if first["predikat"]
                                      and first["predikat"] != first["predikat_computed"] else "")
            also = ", ".join(_where(r) for r in group[1:])
            first["note"] = "; ".join(x for x in (first["note"], f"identical value also in {also}")
                                      if x)
            kept.append(first)
            collapsed.extend(group[1:])
            continue
        reason = _conflict_reason(group, year, code)  # once per group: linear in its size
        for r in group:
            row = parsed[(r["source_file"], r["source_sheet"], r["source_cell"])]
            rejects.append(_reject(row, reason))
    return kept, collapsed, rejects


#: A conflict group up to this size lists every row in each reason; a larger one is
#: summarised (its size, then at most MAX_CONFLICT_VALUES distinct values, each with its
#: count and first cell), so rejects.csv grows linearly with the group, never quadratically.
MAX_CONFLICT_LISTED = 5
MAX_CONFLICT_VALUES = 3


def _conflict_reason(group: list[dict], year: int, code: str) -> str:
    """The reason shared by every row of one conflict group (see MAX_CONFLICT_LISTED)."""
    head = f"conflicting values for {group[0]['instansi']} ({code}) in {year}: "

    def value(r: dict) -> str:
        return f"{r['index']:.2f} {r['predikat'] or '(no predikat)'}"

    if len(group) <= MAX_CONFLICT_LISTED:
        return head + "; ".join(f"{value(r)} at {_where(r)}" for r in group)
    first: dict[str, dict] = {}
    count: dict[str, int] = {}
    for r in group:  # in reading order: the first cell of each value is its earliest
        v = value(r)
        first.setdefault(v, r)
        count[v] = count.get(v, 0) + 1
    shown = sorted(count, key=lambda v: (-count[v], v))[:MAX_CONFLICT_VALUES]
    listed = ", ".join(f"{v} ×{count[v]:,} (first at {_where(first[v])})" for v in shown)
    more = len(count) - len(shown)
    return (head + f"{len(group):,} rows, {len(count)} distinct values: {listed}"
            + (f" and {more:,} more" if more else "")
            + f"; every row of the group is in rejects (group key {year}/{code})")


def _frame(records: list[dict], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(records, columns=columns)


def _count(records: Iterable[dict]) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in records:
        out[r["source_file"]] = out.get(r["source_file"], 0) + 1
    return out


def validate_rows(rows: list[ParsedRow], matcher) -> Validated:
    """Judge every parsed row; see the module docstring for the rules."""
    if hasattr(matcher, "per_file"):  # fuzzy suggestions bounded per file
        matcher = matcher.per_file()
    results, national, rejects = [], [], []
    for row in rows:
        res, nat, rej = _judge(row, matcher)
        (results if res else national if nat else rejects).append(res or nat or rej)
    parsed = {(r.source_file, r.source_sheet, r.source_cell): r for r in rows}
    kept, collapsed, dup_rejects = _resolve_duplicates(results, parsed)
    rejects.extend(dup_rejects)
    res_df = conform(_frame(kept, RESULTS.names).sort_values(
        ["year", "instansi_code"], kind="stable").reset_index(drop=True), RESULTS)
    nat_df = _frame(national, NATIONAL.names).sort_values(
        ["year", "source_file", "source_cell"], kind="stable").reset_index(drop=True)
    rej_df = _frame(rejects, REJECTS.names).sort_values(
        ["source_file", "source_sheet", "source_row", "source_cell"],
        kind="stable").reset_index(drop=True)
    accepted = _count(kept + collapsed + national)
    return Validated(res_df, nat_df, rej_df, accepted, _count(rejects), _count(collapsed))


@dataclass
class NamedScores:
    """One LHE sheet with its names resolved: ``scores`` (the SCORES table) and ``rejects``
    (LHE_REJECT_COLUMNS); ``rows_read == rows_accepted + len(rejects)``."""

    scores: pd.DataFrame
    rejects: pd.DataFrame
    rows_read: int
    layout: str
    framework: str

    @property
    def rows_accepted(self) -> int:
        return self.rows_read - len(self.rejects)


def _lhe_name(matcher, name: str, year: object) -> tuple[object, str]:
    """(the resolution, or None; why not) for an LHE record's name in its year."""
    if not name or isinstance(year, bool) or not isinstance(year, numbers.Integral):
        return None, ""
    res = matcher.resolve(name, year=int(year))
    return (res, "") if getattr(res, "ok", False) else (None, getattr(res, "reason", "")
                                                       or "not found")


def name_lhe_sheet(sheet: LheSheet, matcher) -> NamedScores:
    """Resolve the names of an LHE sheet's usable records (each in its own year): their
    values become score rows; a name the matcher does not know rejects its record with the
    matcher's reason. Records and rejects keep reading order."""
    records = sheet.records
    names: dict[tuple, tuple] = {}
    found: dict[int, object] = {}
    reasons = records["reason"].tolist()
    for i, rec in enumerate(records.itertuples(index=False)):
        if rec.reason:
            continue
        key = (rec.instansi_reported, rec.year)
        if key not in names:
            names[key] = _lhe_name(matcher, rec.instansi_reported, rec.year)
        res, why = names[key]
        if res is None:
            reasons[i] = f"unresolved instansi {rec.instansi_reported!r}: {why}"
        else:
            found[rec.record] = res
    values = sheet.values[sheet.values["record"].isin(list(found))]
    scores = values.assign(
        instansi_code=[found[r].code for r in values["record"]],
        instansi=[found[r].name for r in values["record"]],
    ).reindex(columns=SCORES.names).reset_index(drop=True)
    scores = conform(scores, SCORES)
    rejected = records.assign(reason=reasons)
    rejected = rejected[rejected["reason"] != ""].reindex(columns=LHE_REJECT_COLUMNS)
    return NamedScores(scores, rejected.reset_index(drop=True), len(records), sheet.layout,
                       sheet.framework)
