"""SPBE rules on parsed rows -> accepted tidy rows, national rows and rejects.

Why one module of this length: the rules below are one ordered pass over the same row
records, each later rule reading what the earlier ones wrote (the predikat flag, the note,
the reject built from the parsed row); split, their shared row helpers would have to become
public for a single caller.

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
   band computed from the index is kept and flagged ``mismatch``, except the band
   directly below on an index printed exactly on that band's cut: the official predikat
   comes from the unrounded index (:func:`registry.predikat_below_cut`), so it is
   consistent, unflagged, and the ``note`` says so (:func:`predikat_flag`, the one rule);
5. the instansi must resolve through the identity matcher (exact or alias);
6. the same instansi twice in one year, compared among the sources of the highest
   authority present (:data:`spbe_tools.sidecar.AUTHORITIES`, from each file's sidecar):
   identical values collapse into one row with a note; different values send every row
   of the group to rejects, each with the group's reason, written once per group (a
   group of more than :data:`MAX_CONFLICT_LISTED` rows is summarised: size, distinct
   values with their count and first cell, the group key ``year/code``). A row of a
   lower authority that gives the same value confirms the kept row (one row; ``sumber``
   cites both, ``note`` says who confirmed it); one that gives another value goes to
   rejects, its reason naming both sources (file, cell) and both values;
7. a lower-authority row whose value equals a higher-authority value of the same
   instansi in the year before or after is a doubt (a figure reported under the wrong
   year): it goes to rejects saying so, and the kept row's note names it.

Rows naming the national index ("Indeks SPBE Nasional", "Rerata Nasional", "Nasional"; a
mean row "Rerata" with a category beside it) form their own table: one row for the index
and one per domain cell (``ParsedRow.domains``), for every instansi or for the category
the row names (``ParsedRow.category_reported``, one of
:data:`spbe_tools.categories.NATIONAL_CATEGORIES`); the all-instansi index row is checked
against the registry's published national index. National figures are taken as published,
never recomputed from the instansi rows.

LHE sheets (:mod:`spbe_tools.lhe`) are checked while they are read; their names are
resolved here, by the same matcher and in the same step as a results row's
(:func:`name_lhe_sheet`).
"""
from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from spbe_tools import registry
from spbe_tools.categories import NATIONAL_CATEGORIES, national_category
from spbe_tools.cells import cell_text, parse_number
from spbe_tools.identity import PerFileMatcher
from spbe_tools.ingest import ParsedRow
from spbe_tools.lhe import LheSheet
from spbe_tools.registry import structure
from spbe_tools.schema import conform
from spbe_tools.sidecar import DEFAULT_AUTHORITY, authority_rank
from spbe_tools.table_columns import LHE_REJECT_COLUMNS, NATIONAL, REJECTS, RESULTS, SCORES

__all__ = ["NamedScores", "Validated", "name_lhe_sheet", "predikat_flag", "validate_rows"]

# The national index row ("Indeks SPBE Nasional", "Rerata Nasional", "Nilai Indeks
# Kematangan SPBE Nasional"), not an agency whose name ends in "Nasional" (Badan Riset dan
# Inovasi Nasional): only these words before and after.
_NATIONAL = re.compile(
    r"^\s*((nilai|indeks|index|rerata|rata-rata|rata\s+rata|kematangan|spbe)\s+)*"
    r"(nasional|national)(\s+(spbe|indeks|index))*\s*$", re.IGNORECASE)
# A mean row ("Rerata", "Rata-rata Indeks"): a national figure only with a category beside it.
_MEAN = re.compile(r"^\s*(rerata|rata-rata|rata\s+rata)(\s+(nilai|indeks|index|spbe))*\s*$",
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


def predikat_flag(index: float, predikat: str, computed: str, framework_key: str
                  ) -> tuple[str, str]:
    """(flag, note) for a published predikat against the band ``computed`` from the printed
    (two-decimal) ``index``: ("", "") when they agree or no predikat was published; ("", why)
    for the band directly below on an index printed exactly on the cut (the official
    predikat comes from the unrounded index: consistent); ("mismatch", "") otherwise.

    >>> predikat_flag(2.60, "Cukup", "Baik", "spbe-59-2020")[0]
    ''
    >>> predikat_flag(2.61, "Cukup", "Baik", "spbe-59-2020")
    ('mismatch', '')
    """
    if not predikat or predikat == computed:
        return "", ""
    if registry.predikat_below_cut(index, predikat, framework_key):
        return "", (f"predikat {predikat} on {index:.2f} is consistent: the unrounded index "
                    f"was below the {computed} cut")
    return "mismatch", ""


def _joined(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def _is_national(row: ParsedRow) -> bool:
    name = row.instansi_reported
    return bool(_NATIONAL.search(name) or (row.category_reported and _MEAN.search(name)))


def _judge(row: ParsedRow, matcher) -> tuple[dict | None, list[dict] | None, dict | None]:
    """(result, national records, reject) — exactly one is not None."""
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
    if _is_national(row):
        records, why = _national_records(row, ev, fw, published, predikat)
        return (None, records, None) if records else (None, None, _reject(row, why))
    res = matcher.resolve(row.instansi_reported, category=row.category_hint,
                          province=row.province_reported or None, year=year,
                          **({"source": row.source_file}
                             if isinstance(matcher, PerFileMatcher) else {}))
    if not res.ok:
        return None, None, _reject(row, f"instansi not identified: {res.reason}", res.candidates)
    computed = registry.band_for(published, fw.key)
    flag, cut_note = predikat_flag(published, predikat, computed, fw.key)
    return RESULTS.record(
        year=year, index=published, predikat=predikat, framework=fw.key, sumber=row.sumber,
        source_file=row.source_file, source_sheet=row.source_sheet,
        source_cell=row.source_cell, instansi_code=res.code, instansi=res.name,
        category=res.category, province_code=res.province_code, province=res.province,
        province_reported=row.province_reported, instansi_reported=row.instansi_reported,
        index_raw=value, predikat_computed=computed, predikat_flag=flag,
        decree=ev.decree or "", synthetic=row.synthetic, note=_joined(row.note, cut_note),
        match_rule=res.rule, origin="table"), None, None


def _national_domains(row: ParsedRow, fw: registry.Framework
                      ) -> tuple[list[tuple[str, float, str]], str]:
    """([(item, published value, cell)], "") for the row's domain cells, or ([], why) for
    the first that is not a domain of the framework, repeated, or not a value in range."""
    if not row.domains:
        return [], ""
    items = (structure.domains(fw.key)["item"].tolist()
             if structure.has_structure(fw.key) else [])
    out: list[tuple[str, float, str]] = []
    for item, raw, cell in row.domains:
        if item not in items or any(item == seen for seen, _, _ in out):
            return [], (f"domain {item!r} in {cell} is not one of {fw.name}'s domains "
                        f"({', '.join(items) or 'none'}) or is given twice")
        try:
            value = parse_number(raw)
        except ValueError as exc:
            return [], f"domain {item} in {cell}: {exc}"
        if value is None or not fw.index_min <= value <= fw.index_max:
            return [], (f"domain {item} in {cell} is {cell_text(raw) or 'empty'}, not a value "
                        f"within {fw.index_min:g}–{fw.index_max:g}")
        out.append((item, registry.published_value(value), cell))
    return out, ""


def _national_records(row: ParsedRow, ev: registry.Evaluation, fw: registry.Framework,
                      published: float, predikat: str) -> tuple[list[dict], str]:
    """The national rows of one parsed row (index, then each domain), or ([], why): a
    category that is not one of the reports' or a bad domain cell rejects the whole row."""
    category = national_category(row.category_reported)
    if category is None:
        known = ", ".join(c for c in NATIONAL_CATEGORIES if c)
        return [], (f"national figure for category {row.category_reported!r}: not one of the "
                    f"reports' categories (empty or Nasional for every instansi, {known})")
    domains, why = _national_domains(row, fw)
    if why:
        return [], why
    registry_index = ev.national_index if category == "" else None  # all instansi only

    def record(level: str, item: str, value: float, pred: str, cell: str,
               reg: float | None) -> dict:
        return NATIONAL.record(
            year=ev.year, category=category, level=level, item=item, index=value,
            predikat=pred, registry_index=reg,
            matches_registry=reg is not None and value == registry.published_value(reg),
            framework=fw.key, sumber=row.sumber, source_file=row.source_file,
            source_sheet=row.source_sheet, source_cell=cell)

    return [record("index", "index", published, predikat, row.source_cell, registry_index),
            *(record("domain", item, value, "", cell, None) for item, value, cell in domains)], ""


def _where(r: dict) -> str:
    return f"{r['source_file']} {r['source_sheet']}!{r['source_cell']}"


def _value(r: dict) -> str:
    return f"{r['index']:.2f} {r['predikat'] or '(no predikat)'}"


def _agree(group: list[dict]) -> bool:
    """One published value and at most one predikat among the rows."""
    return (len({r["index"] for r in group}) == 1
            and len({r["predikat"] for r in group if r["predikat"]}) <= 1)


def _with_predikat(r: dict, predikat: str) -> dict:
    """A copy of ``r`` carrying ``predikat``, its flag and, below the cut, the note."""
    out = dict(r)
    out["predikat"] = predikat
    out["predikat_flag"], cut_note = predikat_flag(out["index"], predikat,
                                                   out["predikat_computed"], out["framework"])
    if cut_note and cut_note not in out["note"]:
        out["note"] = _joined(out["note"], cut_note)
    return out


def _collapse(group: list[dict]) -> dict:
    """One row for rows of equal authority that agree: the first, with the predikat given."""
    if len(group) == 1:
        return group[0]
    first = _with_predikat(group[0], next((r["predikat"] for r in group if r["predikat"]), ""))
    also = ", ".join(_where(r) for r in group[1:])
    first["note"] = _joined(first["note"], f"identical value also in {also}")
    return first


def _confirmed(kept: dict, lower: dict, authority: Callable[[dict], str]) -> dict:
    """``kept`` confirmed by a lower-authority row of the same value: both citations."""
    out = _with_predikat(kept, kept["predikat"] or lower["predikat"])
    cited = [c for c in (kept["sumber"], lower["sumber"]) if c]
    out["sumber"] = " ; ".join(dict.fromkeys(cited))
    out["note"] = _joined(out["note"], f"confirmed by the {authority(lower)} source "
                                       f"{_where(lower)}")
    return out


def _outranked_reason(lower: dict, kept: dict, authority: Callable[[dict], str]) -> str:
    return (f"{kept['instansi']} ({kept['instansi_code']}) in {kept['year']}: the "
            f"{authority(lower)} source gives {_value(lower)} at {_where(lower)}, the "
            f"{authority(kept)} source gives {_value(kept)} at {_where(kept)}; the "
            f"{authority(kept)} value stands")


def _resolve_duplicates(rows: list[dict], parsed: dict[tuple, ParsedRow],
                        authority: Callable[[dict], str]
                        ) -> tuple[list[dict], list[dict], list[dict], list[tuple[dict, dict]]]:
    """(kept, collapsed, rejected, outranked) after grouping by (year, instansi_code); the
    rows of the highest authority in a group decide it, the lower ones confirm or are
    outranked (``outranked``: (results row, its reject) pairs, also in ``rejected``)."""
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        groups.setdefault((r["year"], r["instansi_code"]), []).append(r)
    kept, collapsed, rejects, outranked = [], [], [], []
    for (year, code), group in groups.items():
        top_rank = min(authority_rank(authority(r)) for r in group)
        top = [r for r in group if authority_rank(authority(r)) == top_rank]
        if not _agree(top):
            reason = _conflict_reason(group, year, code)  # once per group: linear in its size
            rejects.extend(_reject(parsed[_key(r)], reason) for r in group)
            continue
        first = _collapse(top)
        collapsed.extend(top[1:])
        for r in (r for r in group if authority_rank(authority(r)) != top_rank):
            same = (r["index"] == first["index"] and (not r["predikat"] or not first["predikat"]
                                                      or r["predikat"] == first["predikat"]))
            if same:
                first = _confirmed(first, r, authority)
                collapsed.append(r)
            else:
                rejects.append(_reject(parsed[_key(r)], _outranked_reason(r, first, authority)))
                outranked.append((r, rejects[-1]))
                first = dict(first, note=_joined(first["note"], f"the {authority(r)} source "
                                                 f"{_where(r)} gives {_value(r)}: in rejects"))
        kept.append(first)
    return kept, collapsed, rejects, outranked


def _key(r: dict) -> tuple[str, str, str]:
    return r["source_file"], r["source_sheet"], r["source_cell"]


def _adjacent_equal(r: dict, by_year: dict[tuple, dict], authority: Callable[[dict], str]
                    ) -> dict | None:
    """The row of higher authority than ``r``, same instansi, the year before or after, that
    gives the very same value; None if there is none."""
    rank = authority_rank(authority(r))
    for year in (r["year"] - 1, r["year"] + 1):
        other = by_year.get((r["instansi_code"], year))
        if (other is not None and authority_rank(authority(other)) < rank
                and other["index"] == r["index"]):
            return other
    return None


def _wrong_year(r: dict, other: dict, authority: Callable[[dict], str]) -> str:
    return (f"the very value the {authority(other)} source gives for {other['year']} at "
            f"{_where(other)}: likely the {other['year']} figure reported under {r['year']}")


def _year_doubts(kept: list[dict], outranked: list[tuple[dict, dict]],
                 parsed: dict[tuple, ParsedRow], authority: Callable[[dict], str]
                 ) -> tuple[list[dict], list[dict]]:
    """(kept, rejected): a kept row whose value equals a higher-authority row of the same
    instansi in the year before or after is likely that year's figure under the wrong year.
    It goes to rejects; the higher row stays and its note names the doubt. An outranked
    row's reason says so too."""
    by_year = {(r["instansi_code"], r["year"]): r for r in kept}
    for r, reject in outranked:
        other = _adjacent_equal(r, by_year, authority)
        if other is not None:
            reject["reason"] += f"; its value is {_wrong_year(r, other, authority)}"
    doubted: dict[tuple, str] = {}  # the higher row's key -> its note on the doubt
    rejects, out = [], []
    for r in kept:
        other = _adjacent_equal(r, by_year, authority)
        if other is None:
            out.append(r)
            continue
        rejects.append(_reject(parsed[_key(r)], (
            f"{r['instansi']} ({r['instansi_code']}) in {r['year']}: the {authority(r)} source "
            f"at {_where(r)} gives {_value(r)}, {_wrong_year(r, other, authority)}; not kept "
            f"until a "
            f"source of {authority(other)} authority gives {r['year']}")))
        doubted[_key(other)] = _joined(doubted.get(_key(other), ""), (
            f"the same value for {r['year']} from the {authority(r)} source {_where(r)} is "
            "in rejects as a likely wrong-year report"))
    return [dict(r, note=_joined(r["note"], doubted[_key(r)])) if _key(r) in doubted else r
            for r in out], rejects


#: A conflict group up to this size lists every row in each reason; a larger one is
#: summarised (its size, then at most MAX_CONFLICT_VALUES distinct values, each with its
#: count and first cell), so rejects.csv grows linearly with the group, never quadratically.
MAX_CONFLICT_LISTED = 5
MAX_CONFLICT_VALUES = 3


def _conflict_reason(group: list[dict], year: int, code: str) -> str:
    """The reason shared by every row of one conflict group (see MAX_CONFLICT_LISTED)."""
    head = f"conflicting values for {group[0]['instansi']} ({code}) in {year}: "
    if len(group) <= MAX_CONFLICT_LISTED:
        return head + "; ".join(f"{_value(r)} at {_where(r)}" for r in group)
    first: dict[str, dict] = {}
    count: dict[str, int] = {}
    for r in group:  # in reading order: the first cell of each value is its earliest
        v = _value(r)
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


_LEVELS = ("index", "domain")


def _national_frame(national: list[dict]) -> pd.DataFrame:
    """The national rows by year, category (the reports' order), index before domains."""
    frame = _frame(national, NATIONAL.names)
    order = frame.assign(_c=frame["category"].map(NATIONAL_CATEGORIES.index),
                         _l=frame["level"].map(_LEVELS.index))
    return frame.loc[order.sort_values(["year", "_c", "_l", "item", "source_file",
                                        "source_cell"], kind="stable").index
                     ].reset_index(drop=True)


def validate_rows(rows: list[ParsedRow], matcher,
                  authority: Mapping[str, str] | None = None) -> Validated:
    """Judge every parsed row; see the module docstring for the rules. ``authority``: each
    source file's authority (:func:`spbe_tools.sidecar.authority_of` of its sidecar); a
    file not in it has :data:`spbe_tools.sidecar.DEFAULT_AUTHORITY`."""
    if hasattr(matcher, "per_file"):  # fuzzy suggestions bounded per file
        matcher = matcher.per_file()
    given = dict(authority or {})

    def authority_of_row(r: dict) -> str:
        return given.get(r["source_file"], DEFAULT_AUTHORITY)

    results, national, rejects = [], [], []
    for row in rows:
        res, nat, rej = _judge(row, matcher)
        if res:
            results.append(res)
        elif nat:
            national.extend(nat)
        else:
            rejects.append(rej)
    parsed = {(r.source_file, r.source_sheet, r.source_cell): r for r in rows}
    kept, collapsed, dup_rejects, outranked = _resolve_duplicates(results, parsed,
                                                                  authority_of_row)
    kept, doubt_rejects = _year_doubts(kept, outranked, parsed, authority_of_row)
    rejects.extend(dup_rejects + doubt_rejects)
    res_df = conform(_frame(kept, RESULTS.names).sort_values(
        ["year", "instansi_code"], kind="stable").reset_index(drop=True), RESULTS)
    rej_df = _frame(rejects, REJECTS.names).sort_values(
        ["source_file", "source_sheet", "source_row", "source_cell"],
        kind="stable").reset_index(drop=True)
    # one parsed row gives one national index row (and its domain rows): count those
    accepted = _count(kept + collapsed + [n for n in national if n["level"] == "index"])
    return Validated(res_df, _national_frame(national), rej_df, accepted, _count(rejects),
                     _count(collapsed))


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
