"""LHE sheets (Laporan Hasil Evaluasi): the rows of a recognised sheet
(:mod:`spbe_tools.lhe_layout`) -> records and score values, names as reported.

Why one module of ~460 lines: the records of both layouts, the year columns and the Tahun
column share one record type and its checks (value, duplicates, complete sets); the
layout recognition and the title cells are already apart.

Every data row read becomes score rows or one reject (``rows_read`` = accepted
+ rejected). A level that is blank, not a whole number, out of the framework's
range or duplicated is rejected, and an instansi whose indicator set is then
incomplete has all its indicator rows rejected: the ``scores`` table holds
complete indicator sets or none, so nothing downstream recomputes from a gap.

Names are resolved in the validate step (:func:`spbe_tools.validate.name_lhe_sheet`), with
the results rows' names; the title cells are read by :mod:`spbe_tools.lhe_title`; the
fill-in template is :mod:`spbe_tools.lhe_template`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import pandas as pd

from spbe_tools import registry
from spbe_tools.cells import address, label_words, parse_number
from spbe_tools.errors import InputError, LayoutError
from spbe_tools.lhe_layout import (
    SKIP_ROW,
    Block,
    LheLayout,
    SheetCells,
    Wide,
    as_whole,
    framework_items,
    is_index_label,
    item_lookup,
    match_item,
    recognise,
    sheet_cells,
)
from spbe_tools.lhe_title import (
    cells_above,
    right_of,
    sheet_framework,
    sheet_instansi,
    sheet_year,
)
from spbe_tools.registry import structure
from spbe_tools.table_columns import LHE_RECORD_COLUMNS, LHE_VALUE_COLUMNS

__all__ = ["LheSheet", "read_lhe_sheet"]


@dataclass
class LheSheet:
    """What one LHE sheet yielded, names as reported: ``records`` (one row per data row read,
    LHE_RECORD_COLUMNS, ``reason`` set when reading already rejects it) and ``values`` (the
    score values of the other records, LHE_VALUE_COLUMNS, joined on ``record``)."""

    records: pd.DataFrame
    values: pd.DataFrame
    layout: str
    framework: str

    @property
    def rows_read(self) -> int:
        return len(self.records)



# ---------------------------------------------------------------------------
# records: one per data row, validated, then split into scores and rejects


@dataclass
class _Rec:
    row: int
    cell: str
    level: str | None
    item: str | None
    raw: object
    label: str
    reason: str | None = None
    value: float | None = None
    year: int | None = None  # set when the sheet has years as columns
    extra: list = field(default_factory=list)   # wide rows: (level, item, value, cell)


def _check_value(rec: _Rec, fw: str, items: set[str]) -> None:
    """Set rec.value, or rec.reason when the item or its value cannot be used."""
    if rec.item is None:
        rec.reason = f"unknown item {rec.label!r}: not a {fw} indicator, domain or aspect"
        return
    if rec.item != "index" and rec.item not in items:
        rec.reason = f"{rec.item} is not part of {fw}"
        return
    try:
        value = parse_number(rec.raw)
    except ValueError:
        rec.reason = f"{rec.item}: not a number: {rec.raw!r}"
        return
    if value is None:
        rec.reason = f"{rec.item}: {'level' if rec.level == 'indicator' else 'value'} missing"
        return
    if rec.level == "indicator":
        lo, hi = structure.level_range(fw)
        if value != int(value) or not lo <= value <= hi:
            rec.reason = f"{rec.item}: level {rec.raw!r} is not a whole level {lo}–{hi}"
            return
    else:
        f = registry.framework(fw)
        if not f.index_min <= value <= f.index_max:
            rec.reason = f"{rec.item}: {rec.raw!r} outside {f.index_min}–{f.index_max}"
            return
    rec.value = float(value)


def _reject_duplicates(recs: list[_Rec]) -> None:
    seen: dict[tuple, list[_Rec]] = {}
    for rec in recs:
        if rec.reason is None:
            seen.setdefault((rec.level, rec.item), []).append(rec)
    for (_, item), group in seen.items():
        if len(group) > 1:
            cells = ", ".join(g.cell for g in group)
            for g in group:
                g.reason = f"{item} appears more than once ({cells})"


def _reject_incomplete(recs: list[_Rec], fw: str) -> None:
    ind = [r for r in recs if r.level == "indicator"]
    if not ind:
        return
    wanted = list(structure.indicators(fw)["item"])
    have = {r.item for r in ind if r.reason is None}
    missing = [i for i in wanted if i not in have]
    if missing:
        shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
        for r in ind:
            if r.reason is None:
                r.reason = (f"indicator set incomplete (no usable level for {shown}); "
                            "not used so no index is computed from a gap")


def _label_of(*values: object) -> str:
    return " ".join(str(v) for v in values if v is not None).strip()


def _inline_value(grid: SheetCells, r: int, c: int, text: str) -> tuple[object, str] | None:
    """The value after a label: "Indeks SPBE: 2,61" in one cell, or the next cell right."""
    if ":" in text and text.split(":", 1)[1].strip():
        return text.split(":", 1)[1].strip(), address(r, c)
    nxt = right_of(grid, r, c)
    return (nxt[1], address(r, nxt[0])) if nxt else None


def _summary_records(grid: SheetCells, last_row: int) -> tuple[list[_Rec], str]:
    """Index rows and the predikat from label cells above the first block."""
    recs, predikat = [], ""
    for r, c, v in cells_above(grid, last_row):
        if not isinstance(v, str):
            continue
        if is_index_label(v.split(":")[0]) and (got := _inline_value(grid, r, c, v)):
            recs.append(_Rec(r, got[1], "index", "index", got[0], v))
        elif label_words(v).startswith("predikat") and (got := _inline_value(grid, r, c, v)):
            predikat = str(got[0])
    return recs, predikat


def _block_row(grid: SheetCells, b: Block, r: int, lookup: dict) -> _Rec | None:
    """One row of a block -> a record, or None for blank, heading and note rows."""
    row = grid.row(r)
    if not row:
        return None
    no_v = row.get(b.no_col) if b.no_col else None
    label_v, val_v = row.get(b.label_col), row.get(b.value_col)
    cell = address(r, b.value_col)
    head = label_words(next((v for _, v in sorted(row.items()) if isinstance(v, str)), ""))
    if is_index_label(no_v) or is_index_label(label_v):
        return None if val_v is None else _Rec(r, cell, "index", "index", val_v, "Indeks SPBE")
    if SKIP_ROW.match(head):
        return None
    number = as_whole(no_v)
    section = number is None and re.match(r"^(domain|aspek)\b", head)
    if (number is None and val_v is None) or (section and val_v is None):
        return None  # a heading such as a merged "DOMAIN 1 KEBIJAKAN INTERNAL SPBE"
    label = _label_of(no_v, label_v)
    if section:
        found = match_item(head, lookup, "domain")
    elif number is not None:
        found = (b.kind, structure.item_code(b.kind, number))
    else:
        found = match_item(label_v, lookup, b.kind) if label_v is not None else None
    rec = _Rec(r, cell, *(found or (b.kind, None)), val_v, label)
    named = lookup.get(label_words(label_v)) if isinstance(label_v, str) else None
    if found and named and named[0] == found[0] and named[1] != found[1]:
        rec.reason = f"number says {found[1]} but the name is {named[1]}'s ({label_v!r})"
    return rec


def _read_instansi(grid: SheetCells, blocks: list[Block], fw: str,
                   summary: bool = True) -> list[_Rec]:
    lookup = item_lookup(fw)
    recs = _summary_records(grid, blocks[0].row)[0] if summary else []
    bounds = [b.row for b in blocks[1:]] + [grid.max_row + 1]
    for b, end in zip(blocks, bounds):
        for r in range(b.row + 1, end):
            if (rec := _block_row(grid, b, r, lookup)) is not None:
                recs.append(rec)
    return recs


def _wide_items(grid: SheetCells, wide: Wide, fw: str, source_file: str
                ) -> dict[int, tuple[str, str]]:
    """Header columns -> (level, item) under the sheet's framework; LayoutError when they
    name items outside it, repeat an item, or cover only part of the indicators."""
    lookup, (items, _) = item_lookup(fw), framework_items(fw)
    out, where = {}, dict(file=source_file, sheet=grid.title)
    for c, v in sorted(wide.columns.items()):
        found = ("index", "index") if v == "index" else match_item(v, lookup, wide.groups[c])
        if found is None or (found[1] != "index" and found[1] not in items):
            raise LayoutError("a header names no item of the year's framework", **where,
                              cell=address(wide.row, c), expected=f"an item of {fw}", found=repr(v))
        if found in out.values():
            raise LayoutError(f"{found[1]} has two columns", **where, cell=address(wide.row, c))
        out[c] = found
    ind = {i for lvl, i in out.values() if lvl == "indicator"}
    if ind and len(ind) != len(structure.indicators(fw)):
        raise LayoutError("the sheet has columns for only some indicators", **where,
                          cell=address(wide.row, min(out)),
                          expected=f"all {len(structure.indicators(fw))} indicators of {fw}",
                          found=f"{len(ind)}")
    return out


def _wide_rec(grid: SheetCells, wide: Wide, cols: dict, r: int, fw: str) -> _Rec | None:
    """One instansi row -> a record holding all its item values, or None for notes."""
    row = grid.row(r)
    name = row.get(wide.instansi_col)
    values = {c: row.get(c) for c in cols}
    if name is None and all(v is None for v in values.values()):
        return None
    if isinstance(name, str) and SKIP_ROW.match(label_words(name)):
        return None
    index_col = next((c for c, (lvl, _) in cols.items() if lvl == "index"), None)
    rec = _Rec(r, address(r, index_col or wide.instansi_col), None, None,
               row.get(index_col) if index_col else None, str(name or ""))
    items, _ = framework_items(fw)
    problems = []
    for c, (level, item) in sorted(cols.items()):
        if values[c] is None and level != "indicator":
            continue  # an unpublished domain/aspect/index is absent, not zero
        sub = _Rec(r, address(r, c), level, item, values[c], item)
        _check_value(sub, fw, items)
        if sub.reason:
            problems.append(f"{sub.reason} ({sub.cell})")
        else:
            rec.extra.append((level, item, sub.value, sub.cell))
    if name is None:
        problems.insert(0, "instansi name missing")
    if problems:
        rec.reason = "; ".join(problems[:5]) + (" …" if len(problems) > 5 else "")
    return rec


# ---------------------------------------------------------------------------
# a Tahun column: one row per (instansi, year)

def _row_years(grid: SheetCells, wide: Wide) -> dict[int, object]:
    """Data row -> its Tahun cell (an int when it holds a whole year, else as written)."""
    out = {}
    for r in range(wide.row + 1, grid.max_row + 1):
        value = grid.get(r, wide.year_col)
        if value is None and grid.get(r, wide.instansi_col) is None:
            continue
        number = as_whole(value)
        out[r] = number if number is not None else value
    return out


def _one_framework_year(row_years: dict[int, object], grid: SheetCells, wide: Wide,
                        source_file: str) -> int:
    """The latest registered year of the Tahun column: its framework names the columns;
    rows of a year under another framework are rejected (:func:`_row_year_check`)."""
    known = [y for y in row_years.values() if isinstance(y, int) and registry.is_evaluation_year(y)]
    if not known:
        raise InputError("the Tahun column holds no registered evaluation year",
                         file=source_file, sheet=grid.title,
                         cell=address(wide.row, wide.year_col), expected="years such as 2023",
                         found=", ".join(sorted({str(y) for y in row_years.values()})) or "none")
    return max(known)


def _row_year_check(rec: _Rec, row_years: dict[int, object], sidecar_year: int | None,
                    fw: str) -> object:
    """The row's year; a reason on the record when it cannot be used."""
    year = row_years.get(rec.row)
    problem = None
    if not isinstance(year, int) or not registry.is_evaluation_year(year):
        problem = f"Tahun {year!r} is not a registered evaluation year"
    elif registry.evaluation(year).framework != fw:
        problem = f"Tahun {year} is scored under another framework than {fw}"
    elif sidecar_year is not None and year != int(sidecar_year):
        problem = f"Tahun {year} contradicts the sidecar's evaluation_year {sidecar_year}"
    if problem and rec.reason is None:
        rec.reason = problem
    return year


# ---------------------------------------------------------------------------
# years as columns: indicators as rows, one level column per year

def _columns_year(years: list[int], sidecar_year: int | None, grid: SheetCells,
                  source_file: str) -> int:
    """The latest year among the year columns (its framework names the rows); a sidecar
    year must be one of them."""
    if sidecar_year is not None and int(sidecar_year) not in years:
        raise InputError("the sidecar's evaluation_year is none of the sheet's year columns",
                         file=source_file, sheet=grid.title, expected=str(sidecar_year),
                         found=", ".join(map(str, years)))
    known = [y for y in years if registry.is_evaluation_year(y)]
    if not known:
        raise InputError("no year column is a registered evaluation year", file=source_file,
                         sheet=grid.title, expected="years such as 2023",
                         found=", ".join(map(str, years)))
    return max(known)


def _read_year_columns(grid: SheetCells, blocks: list[Block], years: list[int], fw: str
                       ) -> list[_Rec]:
    """One record per (row, year column); a year of another framework (or not registered)
    rejects its records."""
    recs = []
    for y in years:
        shifted = [replace(b, value_col=b.years[y]) if y in b.years else b for b in blocks]
        for rec in _read_instansi(grid, shifted, fw, summary=False):
            rec.year = y
            if not registry.is_evaluation_year(y):
                rec.reason = f"{y} is not a registered evaluation year"
            elif registry.evaluation(y).framework != fw:
                rec.reason = f"{y} is scored under another framework than {fw}"
            recs.append(rec)
    return recs


def _by_year(recs: list[_Rec]) -> list[list[_Rec]]:
    """Records grouped by their year (one group when the sheet has one year)."""
    groups: dict[object, list[_Rec]] = {}
    for rec in recs:
        groups.setdefault(rec.year, []).append(rec)
    return list(groups.values())


# ---------------------------------------------------------------------------
# public reader

@dataclass
class _SheetFacts:
    """What one LHE sheet says around its records: where it is, its year and framework,
    and per row (None: the whole sheet) the name and predikat as reported and the row's
    own year (a Tahun column)."""

    file: str
    sheet: str
    year: object
    framework: str
    synthetic: bool
    reported: dict[int, str] = field(default_factory=dict)
    predikat: dict[int, str] = field(default_factory=dict)
    year_of: dict[int, object] = field(default_factory=dict)


def _rec_year(rec: _Rec, facts: _SheetFacts) -> object:
    return rec.year if rec.year is not None else facts.year_of.get(rec.row, facts.year)


def _tables(recs: list[_Rec], facts: _SheetFacts) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(records, values): one row per record (LHE_RECORD_COLUMNS; ``reason`` empty while
    the record is usable) and one per score value of a usable record (LHE_VALUE_COLUMNS),
    both in reading order and joined by ``record``."""
    _, names = framework_items(facts.framework)
    records, values = [], []
    for number, rec in enumerate(recs):
        records.append({"record": number, "source_file": facts.file,
                        "source_sheet": facts.sheet, "source_row": rec.row,
                        "source_cell": rec.cell, "year": _rec_year(rec, facts),
                        "instansi_reported": facts.reported.get(rec.row, rec.label),
                        "index_raw": "" if rec.raw is None else str(rec.raw),
                        "predikat_raw": facts.predikat.get(rec.row, ""),
                        "reason": rec.reason or ""})
        if rec.reason is not None:
            continue
        for level, item, value, cell in rec.extra or [(rec.level, rec.item, rec.value, rec.cell)]:
            values.append({"record": number, "year": _rec_year(rec, facts), "level": level,
                           "item": item, "item_name": names.get(item, item), "value": value,
                           "framework": facts.framework, "synthetic": facts.synthetic,
                           "source_file": facts.file, "source_sheet": facts.sheet,
                           "source_cell": cell})
    record_df = pd.DataFrame(records, columns=LHE_RECORD_COLUMNS).astype(
        {"record": "int64", "source_row": "int64"})
    value_df = pd.DataFrame(values, columns=LHE_VALUE_COLUMNS).astype(
        {"record": "int64", "value": "float64", "synthetic": "bool"})
    return record_df, value_df


def read_lhe_sheet(sheet, *, source_file: str, year: int | None, synthetic: bool) -> LheSheet:
    """Read one LHE sheet (either layout) into records and score values, names as reported
    (:func:`spbe_tools.validate.name_lhe_sheet` resolves them, as it does a results row's).

    sheet: a :class:`~spbe_tools.cells.Grid`, an openpyxl worksheet (values, not
    formulas), or what :func:`recognise` returned for one (so the build parses each sheet
    once); year: the sidecar's evaluation year or None (then the title cells must give it).
    Raises LayoutError when the sheet is not an LHE sheet, InputError when the year
    is missing or contradicts the sidecar.
    """
    found = sheet if isinstance(sheet, LheLayout) else recognise(sheet)
    if found is None:
        raise LayoutError("not an LHE sheet: no indicator/domain/aspect header found",
                          file=source_file, sheet=sheet_cells(sheet).title,
                          expected="No | Indikator | Tingkat Kematangan, or an instansi "
                                   "column with indicator/domain columns")
    grid, layout, blocks, wide = found.grid, found.layout, list(found.blocks), found.wide
    first = wide.row if wide is not None else blocks[0].row
    row_years = (_row_years(grid, wide)
                 if wide is not None and wide.year_col else {})
    block_years = (sorted({y for b in blocks for y in b.years}) if wide is None
                   else [])
    yr = (_one_framework_year(row_years, grid, wide, source_file) if row_years
          else _columns_year(block_years, year, grid, source_file) if block_years
          else sheet_year(grid, first, year, source_file))
    fw = sheet_framework(grid, first, yr, source_file)
    facts = _SheetFacts(source_file, grid.title, yr, fw, bool(synthetic))
    items, _ = framework_items(fw)
    if layout == "lhe-instansi":
        recs = (_read_year_columns(grid, blocks, block_years, fw) if block_years
                else _read_instansi(grid, blocks, fw))
        who = sheet_instansi(grid, first)
        if who is None:
            raise LayoutError("no instansi on the sheet", file=source_file, sheet=grid.title,
                              expected="a cell 'Instansi: <name>' or a title naming it",
                              found="none")
        _, predikat = _summary_records(grid, first)
        for rec in recs:
            if rec.reason is None:
                _check_value(rec, fw, items)
            facts.reported[rec.row], facts.predikat[rec.row] = who[0], predikat
        for year_recs in _by_year(recs):
            _reject_duplicates(year_recs)
            _reject_incomplete(year_recs, fw)
    else:
        cols = _wide_items(grid, wide, fw, source_file)
        recs = [rec for r in range(wide.row + 1, grid.max_row + 1)
                if (rec := _wide_rec(grid, wide, cols, r, fw)) is not None]
        for rec in recs:
            facts.reported[rec.row] = rec.label
            if wide.predikat_col:
                facts.predikat[rec.row] = str(grid.get(rec.row, wide.predikat_col) or "")
            facts.year_of[rec.row] = (_row_year_check(rec, row_years, year, fw) if row_years
                                      else yr)
    records, values = _tables(recs, facts)
    return LheSheet(records, values, layout=layout, framework=fw)
