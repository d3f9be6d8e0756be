"""Raw folder -> parsed result rows with provenance, plus sidecar metadata.

Every ``.xlsx``/``.xlsm`` under the raw folder (recursively, sorted) is read sheet by
sheet. A sheet is either an LHE score sheet (handed to :mod:`spbe_tools.lhe`) or a
results table (annex, long or wide layout, see :mod:`spbe_tools.layout`). Each data
row becomes one :class:`ParsedRow` per (year, instansi) value, still raw: numbers and
predikat are parsed and judged in :mod:`spbe_tools.validate`, so a bad value ends
as a reject with its reason instead of stopping the build. A table's domain columns travel
with the row (``ParsedRow.domains``, item, value as read and cell); the build turns those of
accepted rows into scores (:func:`spbe_tools.scores.table_domains`). Section rows give the
rows below them their category or group hint and, for "Pemerintah Daerah di <Provinsi>",
that province as reported.

Each workbook's sidecar ``<name>.source.yml`` is read and checked by
:mod:`spbe_tools.sidecar`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spbe_tools import registry
from spbe_tools.cells import Grid, address, cell_text, macro_parts, read_grids
from spbe_tools.errors import InputError, LayoutError
from spbe_tools.layout import (
    Table,
    classify_body,
    find_table,
    section_category,
    section_parts,
    title_cell_texts,
)
from spbe_tools.lhe_layout import domain_item
from spbe_tools.raw_folder import RawFile
from spbe_tools.sidecar import read_sidecar
from spbe_tools.year_text import YEAR_DIGITS, title_years

__all__ = ["FileReport", "ParsedRow", "SheetReport", "read_results_sheet", "read_workbook"]

REVIEW_SHEETS = {"periksa", "provenance"}  # spbe extract's review and provenance sheets

_PER_YEAR_SOURCE = re.compile(rf"({YEAR_DIGITS})\s*:\s*(\S+)")


@dataclass
class ParsedRow:
    """One raw value of one instansi in one year, with where it came from."""

    source_file: str
    source_sheet: str
    source_row: int
    source_cell: str
    year: Any
    instansi_reported: str
    category_hint: str | None
    province_reported: str
    index_raw: Any
    predikat_raw: Any
    sumber: str
    note: str = ""
    problem: str = ""  # set when the row cannot be used whatever its values (merged, formula, …)
    hidden: bool = False
    synthetic: bool = False
    #: a results table's domain cells: (item ``D1``…, value as read, cell ``C7``), in column
    #: order; empty when the table has no domain columns
    domains: tuple[tuple[str, Any, str], ...] = ()
    #: the row's category cell as written ("LPNK", "Kota"); empty without such a column
    category_reported: str = ""


@dataclass
class SheetReport:
    sheet: str
    kind: str  # results|lhe|empty|review (spbe extract's periksa/provenance sheets)
    layout: str = ""
    header_rows: list[int] = field(default_factory=list)
    rows_read: int = 0
    sections: int = 0
    repeated_headers: int = 0
    blank_rows: int = 0
    notes: list[str] = field(default_factory=list)
    hidden_sheet: bool = False
    hidden_rows_read: int = 0
    hidden_rows: list[int] = field(default_factory=list)  # hidden rows that were read as data
    warnings: list[str] = field(default_factory=list)  # what was read but deserves a word


@dataclass
class FileReport:
    file: str
    sha256: str
    sidecar: dict
    sheets: list[SheetReport] = field(default_factory=list)
    macros: list[str] = field(default_factory=list)  # VBA parts present: never run nor kept
    notes: list[str] = field(default_factory=list)  # file-level notes for the report


def _title_year(grid: Grid, table: Table) -> list[tuple[int, str]]:
    """(year, cell) candidates for the evaluation year from title rows and the header."""
    found = [(year, cell) for cell, text in title_cell_texts(grid, table)
             for year in title_years(text)]
    for col in table.all("index"):
        if col.year is not None:
            found.append((col.year, address(table.header_rows[0], col.col)))
    return found


def _annex_year(grid: Grid, table: Table, sidecar: dict, sidecar_name: str) -> int:
    cands = _title_year(grid, table)
    if sidecar.get("evaluation_year") is not None:
        cands.append((int(sidecar["evaluation_year"]), sidecar_name))
    years = sorted({y for y, _ in cands})
    if len(years) == 1:
        return years[0]
    where = "; ".join(f"{y} ({c})" for y, c in cands)
    if not years:
        raise InputError("the evaluation year is not stated", file=grid.file, sheet=grid.sheet,
                         expected="a title row such as 'HASIL EVALUASI SPBE TAHUN 2023', a year "
                                  "in the index header, or evaluation_year in the sidecar",
                         found="none of these")
    raise InputError(f"the evaluation year is contradictory: {where}", file=grid.file,
                     sheet=grid.sheet, expected="one evaluation year per annex sheet")


def _row_source(raw: str, year: Any, fallback: str) -> str:
    """The row's Sumber; "2021: url1; 2022: url2" picks the value's own year."""
    pairs = _PER_YEAR_SOURCE.findall(raw or "")
    if pairs:
        for y, url in pairs:
            if str(year) == y:
                return url.rstrip(";,")
    return raw or fallback


def _problem(grid: Grid, row: int, cols: list[int]) -> str:
    for col in cols:
        if (row, col) in grid.uncached:
            return (f"cell {address(row, col)} holds a formula with no cached value; open the "
                    "file in Excel, let it calculate, save, and rebuild")
        if (row, col) in grid.external:  # a formula reading another workbook
            return grid.external[(row, col)]
        anchor = grid.merged.get((row, col))
        if anchor and anchor[0] != row:
            return (f"cell {address(row, col)} is part of a merged range starting at "
                    f"{address(*anchor)} that spans data rows; unmerge and fill each row")
    return ""


def read_results_sheet(grid: Grid, sidecar: dict, *, sidecar_name: str,
                       category_hint: str | None) -> tuple[list[ParsedRow], SheetReport]:
    """Parse one results sheet into raw rows and its report. LayoutError if no table."""
    table = find_table(grid)
    report = SheetReport(grid.sheet, "results", table.layout, table.header_rows,
                         hidden_sheet=grid.hidden)
    annex_year = (_annex_year(grid, table, sidecar, sidecar_name)
                  if table.layout == "annex" else None)
    fallback_source = " ; ".join(sidecar.get("source_urls") or [])
    synthetic = bool(sidecar.get("synthetic", False))
    get = {role: table.first(role) for role in
           ("instansi", "predikat", "year", "province", "category", "sumber", "note",
            "review")}
    category, province = category_hint, ""
    rows: list[ParsedRow] = []
    domains = _DomainColumns(grid, table)
    for body in classify_body(grid, table):
        if body.kind == "section":
            hint, grouping = section_parts(body.text) or (None, None)
            if grouping and hint is None:
                province = grouping  # a province grouping row ("Provinsi Bengkulu")
            else:  # a category or a group ("Instansi Pusat"), perhaps with its province
                # ("Pemerintah Daerah di Bengkulu"): the matcher looks only there
                category, province = hint or category_hint, grouping or ""
            report.sections += 1
            continue
        if body.kind in {"blank", "header_repeat", "note"}:
            report.blank_rows += body.kind == "blank"
            report.repeated_headers += body.kind == "header_repeat"
            if body.kind == "note":
                report.notes.append(body.text)
            continue
        rows.extend(_data_rows(grid, table, body, get, annex_year, category, province,
                               fallback_source, synthetic, domains))
        report.rows_read += 1
        if body.row in grid.hidden_rows:
            report.hidden_rows_read += 1
            report.hidden_rows.append(body.row)
    if grid.hidden:
        report.warnings.append("the sheet is hidden in the workbook; its rows were read")
    if report.hidden_rows:
        report.warnings.append(f"{len(report.hidden_rows)} hidden row(s) read: "
                               + ", ".join(map(str, report.hidden_rows)))
    if report.rows_read == 0:
        raise LayoutError(
            f"a header at row {table.header_rows[0]} but no data rows below it", file=grid.file,
            sheet=grid.sheet, row=table.header_rows[-1] + 1,
            expected="one row per instansi below the header",
            found=f"{report.blank_rows} blank, {report.sections} section and "
                  f"{len(report.notes)} note row(s)")
    return rows, report


def _value(grid: Grid, col, row: int) -> Any:
    return grid.value(row, col.col) if col is not None else None


def _data_rows(grid: Grid, table: Table, body, get: dict, annex_year: int | None,
               category: str | None, province: str, fallback_source: str,
               synthetic: bool, domains: _DomainColumns) -> list[ParsedRow]:
    """One ParsedRow per index column of a data row (one for annex/long, one per year for wide)."""
    row = body.row
    name = cell_text(_value(grid, get["instansi"], row))
    category_reported = cell_text(_value(grid, get["category"], row))
    cat_cell = category_reported.lower() or None
    prov = cell_text(_value(grid, get["province"], row)) or province
    sumber_raw = cell_text(_value(grid, get["sumber"], row))
    note = cell_text(_value(grid, get["note"], row))
    if row in grid.hidden_rows:
        note = "; ".join(x for x in (note, "row hidden in the workbook") if x)
    if grid.hidden:
        note = "; ".join(x for x in (note, "sheet hidden in the workbook") if x)
    out = []
    for col in table.all("index"):
        year = (_year_value(_value(grid, get["year"], row)) if table.layout == "long"
                else col.year if table.layout == "wide" else annex_year)
        pred_col = _predikat_column(table, col)
        if table.layout == "wide" and cell_text(grid.value(row, col.col)) == "" and (
                pred_col is None or cell_text(grid.value(row, pred_col.col)) == ""):
            continue  # an empty year cell in a wide table means "not evaluated that year"
        used = [get["instansi"].col, col.col] + ([pred_col.col] if pred_col else [])
        problem = _problem(grid, row, used)
        if body.after_notes:
            problem = "the row sits below the table's notes (Keterangan/Sumber); move it up"
        problem = problem or _review_mark(grid, get["review"], row, note)
        row_domains = domains.cells(grid, row, year)
        out.append(ParsedRow(
            source_file=grid.file, source_sheet=grid.sheet, source_row=row,
            source_cell=address(row, col.col), year=year,
            instansi_reported=name, category_hint=_category_word(cat_cell) or category,
            province_reported=prov, index_raw=grid.value(row, col.col),
            predikat_raw=grid.value(row, pred_col.col) if pred_col else None,
            sumber=_row_source(sumber_raw, year, fallback_source), note=note,
            problem=problem, hidden=row in grid.hidden_rows, synthetic=synthetic,
            domains=row_domains, category_reported=category_reported))
    if not out:  # a wide row with no value in any year still counts as read: keep it visible
        out.append(ParsedRow(grid.file, grid.sheet, row, address(row, get["instansi"].col),
                             None, name, category, prov, None, None, fallback_source, note,
                             problem="the row has no value in any year column",
                             hidden=row in grid.hidden_rows, synthetic=synthetic,
                             category_reported=category_reported))
    return out


class _DomainColumns:
    """A results table's domain columns, each label resolved to its item (``D2``) once per
    framework: a domain's name means another item under another framework (Layanan is D3
    in 5/2018, D4 in 59/2020)."""

    def __init__(self, grid: Grid, table: Table):
        self.columns = table.all("domain")
        if self.columns and table.layout == "wide":
            raise LayoutError("domain columns in a table of several years: no year for them",
                              file=grid.file, sheet=grid.sheet, row=table.header_rows[0],
                              expected="domain columns in an annex or long (Tahun) table",
                              found=", ".join(c.label for c in self.columns))
        self._items: dict[object, tuple[str | None, ...]] = {}

    def cells(self, grid: Grid, row: int, year: Any) -> tuple[tuple[str, Any, str], ...]:
        """(item, value as read, cell) of each domain column in ``row``; the item is the
        label as written when the year names no framework that has the domain."""
        if not self.columns:
            return ()
        items = self._items.get(year)
        if items is None:
            items = self._items[year] = self._resolve(year)
        return tuple((item, grid.value(row, c.col), address(row, c.col))
                     for item, c in zip(items, self.columns))

    def _resolve(self, year: Any) -> tuple[str, ...]:
        fw = registry.evaluation(year).framework if registry.is_evaluation_year(year) else None
        return tuple((domain_item(c.label, fw) if fw else None) or c.label
                     for c in self.columns)


def _review_mark(grid: Grid, col, row: int, note: str) -> str:
    """A non-empty Periksa cell (spbe extract's flag, cleared by the analyst) as a problem
    that sends the row to rejects, with the row's note (PDF page and box) as provenance."""
    mark = cell_text(_value(grid, col, row))
    if not mark:
        return ""
    return (f"marked for review in {address(row, col.col)} (Periksa): {mark}"
            + (f" [{note}]" if note else ""))


def _predikat_column(table: Table, index_col):
    """The predikat column paired with an index column (the same year's in a wide table)."""
    predikats = table.all("predikat")
    if table.layout == "wide":
        return next((p for p in predikats if p.year == index_col.year), None)
    return predikats[0] if predikats else None


def _year_value(year: Any) -> Any:
    """A year cell as an int when it holds a whole number ("2023", 2023.0); else as found."""
    if isinstance(year, float) and year.is_integer():
        return int(year)
    if isinstance(year, str) and year.strip().isdigit():
        return int(year.strip())
    return year


def _category_word(text: str | None) -> str | None:
    if not text:
        return None
    parsed = section_category(text)
    return parsed[0] if parsed else None


def _sheet_category(sheet_name: str) -> str | None:
    parsed = section_category(sheet_name)
    return parsed[0] if parsed else None


def _sheet_grids(path: Path, shown: str, engine: str) -> list[Grid]:
    """Every sheet of the workbook as a Grid, read by ``engine`` (openpyxl when calamine
    cannot read this workbook exactly)."""
    if engine == "calamine":
        from spbe_tools import calamine_cells

        grids = calamine_cells.read_grids(path, display_name=shown)
        if grids is not None:
            return grids
    values_wb, grids = read_grids(path, display_name=shown)
    values_wb.close()  # everything needed is in the grids
    return grids


def _file_notes(path: Path) -> tuple[list[str], list[str]]:
    macros = macro_parts(path)
    notes = ([f"macros present ({', '.join(macros)}): values were read, the macros were "
              "neither run nor kept"] if macros else [])
    return macros, notes


def read_workbook(raw: RawFile, *, engine: str = "openpyxl"
                  ) -> tuple[FileReport, list[ParsedRow], list]:
    """Read one workbook: (report, result rows, LHE sheet results), named ``raw.name``.

    ``engine``: ``openpyxl`` (the default and the reference) or ``calamine`` (values through
    python-calamine, :mod:`spbe_tools.calamine_cells`; same tables, read faster).

    Sheets that :func:`spbe_tools.lhe_layout.recognise` recognises go to the LHE reader; every
    other non-empty sheet must be a results table. Names stay as reported (the validate
    step resolves both kinds). Each sheet is parsed once, as the sparse :class:`Grid` both readers
    take, never by iterating the worksheet's used range.
    """
    sidecar = read_sidecar(raw.path, raw.name)
    report = FileReport(raw.name, raw.sha256, sidecar)
    grids = _sheet_grids(raw.path, raw.name, engine)
    report.macros, report.notes = _file_notes(raw.path)
    rows, lhe_results = _read_sheets(grids, report, sidecar, raw.sidecar_name)
    if not any(s.kind in {"results", "lhe"} for s in report.sheets):
        raise LayoutError("no sheet in the workbook holds any cells", file=raw.name)
    return report, rows, lhe_results


def _read_sheets(grids: list[Grid], report: FileReport, sidecar: dict,
                 sidecar_name: str) -> tuple[list[ParsedRow], list]:
    from spbe_tools import lhe  # same step of the flow: LHE sheets are ingested there
    from spbe_tools.lhe_layout import recognise

    rows: list[ParsedRow] = []
    lhe_results = []
    for grid in grids:
        if grid.sheet.strip().lower() in REVIEW_SHEETS:  # spbe extract's side sheets
            report.sheets.append(SheetReport(grid.sheet, "review", hidden_sheet=grid.hidden))
            continue
        found = recognise(grid) if grid.n_rows else None
        if found is not None:
            res = lhe.read_lhe_sheet(found, source_file=report.file,
                                     year=sidecar.get("evaluation_year"),
                                     synthetic=bool(sidecar.get("synthetic")))
            lhe_results.append(res)
            report.sheets.append(SheetReport(grid.sheet, "lhe", res.layout,
                                             rows_read=res.rows_read, hidden_sheet=grid.hidden))
            continue
        if grid.n_rows == 0:
            report.sheets.append(SheetReport(grid.sheet, "empty", hidden_sheet=grid.hidden))
            continue
        sheet_rows, sheet_report = read_results_sheet(
            grid, sidecar, sidecar_name=sidecar_name, category_hint=_sheet_category(grid.sheet))
        rows.extend(sheet_rows)
        report.sheets.append(sheet_report)
    return rows, lhe_results
