"""LHE sheets (Laporan Hasil Evaluasi): domain, aspect and indicator scores -> tidy rows.

Two layouts are recognised by their header labels, never by fixed positions:

``lhe-instansi``
    one instansi per sheet. Title cells give the year ("… TAHUN 2023" or a
    ``Tahun`` label) and the instansi ("Instansi: Pemerintah Kota Bengkulu").
    Blocks start at a header row with a ``No`` column, a label column
    (``Indikator`` / ``Domain`` / ``Aspek``) and a value column (``Tingkat
    Kematangan`` / ``Level`` for indicators, ``Indeks`` / ``Nilai`` for domains and
    aspects). Section rows such as a merged "DOMAIN 1 KEBIJAKAN INTERNAL SPBE"
    are skipped, or read as a domain/aspect index when they carry a value.
    An ``Indeks SPBE`` label anywhere gives the published index. A vertical
    ``Domain | Nilai`` list is such a block. Indicators as rows with one level column per
    year (``No | Indikator | 2022 | 2023``) give one set per year, each complete or
    rejected on its own; the latest year's framework names the rows.
``lhe-wide``
    one row per instansi: an instansi column and columns per indicator (``1``,
    ``I17``, an indicator name), domain (``D1``, ``Domain 1``, a domain name),
    aspect and ``Indeks SPBE``. Bare numbers under an "Indeks Domain" /
    "Indeks Aspek" group header (merged, or typed once over its columns) are domain /
    aspect numbers; a two-row header need not be merged (a label over an empty cell
    counts for both rows). A ``Tahun`` column gives each row its own year (the
    latest year's framework names the columns; rows of another framework's year are
    rejected). The instansi label may read ``Instansi``, ``Pemerintah Daerah``,
    ``Nama Pemda`` …; header cells must name items of a registered framework
    (``"2021"`` typed as text is a year, never indicator 2021).

Every data row read becomes score rows or one reject (``rows_read`` = accepted
+ rejected). A level that is blank, not a whole number, out of the framework's
range or duplicated is rejected, and an instansi whose indicator set is then
incomplete has all its indicator rows rejected: the ``scores`` table holds
complete indicator sets or none, so nothing downstream recomputes from a gap.

The module also writes the fill-in template (:func:`template_workbook`) that
reads back through the same code.
"""
from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from spbe_tools import registry
from spbe_tools.cells import Grid, address, parse_number
from spbe_tools.errors import InputError, LayoutError
from spbe_tools.registry import structure
from spbe_tools.table_columns import LHE_REJECT_COLUMNS, SCORE_COLUMNS

__all__ = ["LheLayout", "LheSheet", "SCORE_COLUMNS", "REJECT_COLUMNS", "is_lhe_sheet",
           "read_lhe_sheet", "recognise",
           "template_workbook", "save_workbook", "workbook_bytes", "FIXED_TIMESTAMP"]

REJECT_COLUMNS = LHE_REJECT_COLUMNS  # an LHE sheet's rejects (no name suggestions)
FIXED_TIMESTAMP = _dt.datetime(2024, 1, 1, 0, 0, 0)


@dataclass
class LheSheet:
    """What one LHE sheet yielded; ``rows_read == rows_accepted + len(rejects)``."""

    scores: pd.DataFrame
    rejects: pd.DataFrame
    rows_read: int
    layout: str
    rows_accepted: int = 0
    framework: str | None = None


# ---------------------------------------------------------------------------
# cells

@lru_cache(maxsize=1 << 16, typed=True)  # every header test of every row asks again
def _norm(value: object) -> str:
    """Lower-case words only: "Tingkat Kematangan (1–5)" -> "tingkat kematangan 1 5"."""
    return re.sub(r"[^0-9a-z]+", " ", str(value).casefold()).strip()


@dataclass
class _Grid:
    """Non-empty cell values by row then column; ``filled`` repeats a merged range's
    top-left value over the whole range (used for headers, never for data)."""

    cells: dict[int, dict[int, object]]
    filled: dict[int, dict[int, object]]
    max_row: int
    title: str

    def get(self, r: int, c: int, merged: bool = False) -> object:
        return (self.filled if merged else self.cells).get(r, {}).get(c)

    def row(self, r: int, merged: bool = False) -> dict[int, object]:
        return dict((self.filled if merged else self.cells).get(r, {}))


def _grid(sheet) -> _Grid:
    """LHE's view of a sheet: the build's :class:`~spbe_tools.cells.Grid` (sparse, bounded
    by its last non-empty cell), or an openpyxl worksheet (bounded by its own extent)."""
    if isinstance(sheet, Grid):
        return _from_cells_grid(sheet)
    return _from_worksheet(sheet)


def _non_empty(rows: Iterable[Iterable[object]]) -> dict[int, dict[int, object]]:
    """Row -> column -> value of the non-blank cells (text stripped), 1-based."""
    cells: dict[int, dict[int, object]] = {}
    for r, values in enumerate(rows, start=1):
        for c, v in enumerate(values, start=1):
            if isinstance(v, str):
                v = v.strip()
            if v is not None and v != "":
                cells.setdefault(r, {})[c] = v
    return cells


def _from_cells_grid(grid: Grid) -> _Grid:
    cells = _non_empty(grid.rows)
    filled = {r: dict(row) for r, row in cells.items()}
    rows, cols = grid.n_rows, grid.n_cols
    for (r, c), (top_r, top_c) in grid.merged.items():
        top = cells.get(top_r, {}).get(top_c)
        if top is not None and r <= rows and c <= cols:
            filled.setdefault(r, {}).setdefault(c, top)
    return _Grid(cells, filled, max(cells, default=0), grid.sheet)


def _from_worksheet(ws) -> _Grid:
    rows, cols = ws.max_row or 0, ws.max_column or 0
    cells = _non_empty(ws.iter_rows(min_row=1, max_row=rows, min_col=1, max_col=cols,
                                    values_only=True))
    filled = {r: dict(row) for r, row in cells.items()}
    for rng in getattr(getattr(ws, "merged_cells", None), "ranges", ()):
        top = cells.get(rng.min_row, {}).get(rng.min_col)
        if top is None:
            continue
        for r in range(rng.min_row, min(rng.max_row, rows) + 1):
            for c in range(rng.min_col, min(rng.max_col, cols) + 1):
                filled.setdefault(r, {}).setdefault(c, top)
    return _Grid(cells, filled, max(cells, default=0), ws.title)


def _as_int(value: object) -> int | None:
    try:
        number = parse_number(value)
    except ValueError:
        return None
    return int(number) if number is not None and number == int(number) else None


# ---------------------------------------------------------------------------
# header recognition

_VALUE_LEVEL = re.compile(r"\b(kematangan|level)\b")
_VALUE_INDEX = re.compile(r"\b(indeks|nilai|skor)\b")
_INDEX_LABEL = re.compile(r"^(nilai )?indeks( spbe| akhir)*$|^(nilai )?indeks spbe\b")
_INSTANSI_LABEL = re.compile(r"\b(instansi|pemerintah daerah|nama pemda|nama daerah|"
                             r"kabupaten kota|pemda)\b")
_SKIP_ROW = re.compile(r"^(jumlah|total|rata|catatan|keterangan|sumber|predikat)\b")


def _is_index_label(value: object) -> bool:
    """'Indeks SPBE', 'Indeks', 'Nilai Indeks SPBE (dari LHE)' -> True."""
    return isinstance(value, str) and bool(_INDEX_LABEL.match(_norm(value)))


@lru_cache(maxsize=1 << 14)
def _label_kind(text: str) -> str | None:
    """'indicator' / 'aspect' / 'domain' for a label header cell, else None."""
    if _VALUE_LEVEL.search(text) or _VALUE_INDEX.search(text) or "bobot" in text:
        return None
    for word, kind in (("indikator", "indicator"), ("aspek", "aspect"), ("domain", "domain")):
        if re.search(rf"\b{word}\b", text):
            return kind
    return None


@dataclass
class _Block:
    row: int
    kind: str
    label_col: int
    value_col: int
    no_col: int | None
    years: dict[int, int] = field(default_factory=dict)  # year -> its column (years as columns)


def _year_columns(row: dict[int, object]) -> dict[int, int]:
    """Year -> column for header cells that are a year (2023, "2023", "Level 2023")."""
    out = {}
    for c, v in sorted(row.items()):
        text = _norm(v)
        m = re.fullmatch(r"(?:(?:tingkat kematangan|level|nilai|indeks|tahun) )?((?:19|20)\d{2})",
                         text)
        if m:
            out.setdefault(int(m.group(1)), c)
    return out


def _block_header(grid: _Grid, r: int) -> _Block | None:
    """A per-instansi block header at row r, or None."""
    texts = {c: _norm(v) for c, v in grid.row(r, merged=True).items() if isinstance(v, str)}
    labels = {c: k for c, t in texts.items() if (k := _label_kind(t))}
    if not labels:
        return None
    kind = next(k for k in ("indicator", "aspect", "domain") if k in labels.values())
    label_col = min(c for c, k in labels.items() if k == kind)
    level_cols = [c for c, t in texts.items() if _VALUE_LEVEL.search(t) and "bobot" not in t]
    index_cols = [c for c, t in texts.items() if _VALUE_INDEX.search(t) and "bobot" not in t]
    years = _year_columns(grid.row(r, merged=True))
    value_cols = [c for c in (level_cols or index_cols) if c not in years.values()] \
        if kind == "indicator" else [c for c in (index_cols or level_cols)
                                      if c not in years.values()]
    if not value_cols and len(years) < 1:
        return None
    no_cols = [c for c, t in texts.items() if t in ("no", "nomor", "no urut", "no indikator")]
    first = min(value_cols) if value_cols else min(years.values())
    return _Block(r, kind, label_col, first, min(no_cols) if no_cols else None,
                  {} if value_cols else years)


@cache
def _lookup(framework_key: str) -> dict[str, tuple[str, str]]:
    """Normalised names and codes -> (level, item) for one framework."""
    out: dict[str, tuple[str, str]] = {}
    if not structure.has_structure(framework_key):
        return out
    for kind, table in (("indicator", structure.indicators(framework_key)),
                        ("aspect", structure.aspects(framework_key)),
                        ("domain", structure.domains(framework_key))):
        for _, row in table.iterrows():
            out[_norm(row["name"])] = (kind, row["item"])
            out[_norm(row["item"])] = (kind, row["item"])
    return out


_CODE = re.compile(r"^(i|ind|indikator|d|domain|a|aspek)\s*(\d+)\b")
_CODE_KIND = {"i": "indicator", "ind": "indicator", "indikator": "indicator", "d": "domain",
              "domain": "domain", "a": "aspect", "aspek": "aspect"}


def _strip_prefix(text: str) -> str:
    return re.sub(r"^(indeks |tingkat kematangan |nilai )?(domain |aspek |indikator )?", "",
                  text).strip()


def _match_item(text: object, lookup: dict[str, tuple[str, str]], default_kind: str
                ) -> tuple[str, str] | None:
    """A label or code ("I17", "Domain 1", "Layanan Keuangan", 17) -> (level, item)."""
    number = _as_int(text)
    if number is not None:
        return (default_kind, structure.item_code(default_kind, number))
    norm = _norm(text)
    if m := _CODE.match(norm):
        kind = _CODE_KIND[m.group(1)]
        return (kind, structure.item_code(kind, int(m.group(2))))
    for key in (norm, _strip_prefix(norm)):
        if key in lookup:
            return lookup[key]
    return None


@cache
def _all_lookup() -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for key in registry.frameworks():
        out.update(_lookup(key))
    return out


@cache
def _known_items() -> frozenset[str]:
    """Every item code (I17, D2, A8) of any registered framework: a header that names
    anything else is not an LHE column."""
    return frozenset().union(*(_framework_items(key)[0] for key in registry.frameworks()))


@dataclass
class _Wide:
    row: int                      # lowest header row; data start below it
    instansi_col: int
    columns: dict[int, object]    # col -> header text/number (item resolved per framework)
    groups: dict[int, str]        # col -> group kind from the row above ("domain", ...)
    predikat_col: int | None
    year_col: int | None = None   # a Tahun column: one row per (instansi, year)


_YEAR_LABEL = re.compile(r"^(tahun|tahun evaluasi|tahun penilaian)$")


def _header_cells(grid: _Grid, r: int) -> tuple[dict[int, object], dict[int, object]] | None:
    """(header row r, the row above) when row r holds the instansi label, or when it is the
    lower row of an unmerged two-row header: the label sits above an empty cell, and
    labels typed only in the upper row ("Indeks SPBE" over an empty cell) count as row r's."""
    row = grid.row(r, merged=True)
    above = grid.row(r - 1, merged=True) if r > 1 else {}
    if any(isinstance(v, str) and _INSTANSI_LABEL.search(_norm(v)) for v in row.values()):
        return row, above
    if not any(isinstance(v, str) and _INSTANSI_LABEL.search(_norm(v)) and c not in row
               for c, v in above.items()):
        return None
    combined = {c: v for c, v in above.items() if c not in row and _group_kind(v) is None}
    return {**combined, **row}, above


def _groups_right(above: dict[int, object], last_col: int) -> dict[int, str | None]:
    """Group kind per column from the row above, carried right over empty cells (a group
    label typed once over its columns instead of merged)."""
    out, current = {}, None
    for c in range(1, last_col + 1):
        if c in above:
            current = _group_kind(above[c])
        out[c] = current
    return out


def _wide_header(grid: _Grid, r: int, lookup: dict) -> _Wide | None:
    cells = _header_cells(grid, r)
    if cells is None:
        return None
    row, above = cells
    inst = [c for c, v in sorted(row.items())
            if isinstance(v, str) and _INSTANSI_LABEL.search(_norm(v))]
    groups_above = _groups_right(above, max(row, default=0))
    columns, groups, predikat, year_col = {}, {}, None, None
    for c, v in sorted(row.items()):
        if c == inst[0]:
            continue
        group = groups_above.get(c) or "indicator"
        if _norm(v) == "predikat":
            predikat = c
        elif isinstance(v, str) and _YEAR_LABEL.match(_norm(v)):
            year_col = c
        elif _is_index_label(v):
            columns[c] = "index"
        elif isinstance(v, (int, float)) and not 1 <= v <= 200:
            continue  # a year or a count, not an indicator number
        elif (found := _match_item(v, lookup, group)) is not None and found[1] in _known_items():
            columns[c], groups[c] = v, group  # "2021" as text is a year, not indicator 2021
    if sum(1 for v in columns.values() if v != "index") < 2:
        return None
    return _Wide(r, inst[0], columns, groups, predikat, year_col)


@lru_cache(maxsize=1 << 14, typed=True)
def _group_kind(value: object) -> str | None:
    text = _norm(value or "")
    for word, kind in (("domain", "domain"), ("aspek", "aspect"), ("indikator", "indicator"),
                       ("kematangan", "indicator")):
        if re.search(rf"\b{word}\b", text):
            return kind
    return None


def _find_layout(grid: _Grid) -> LheLayout | None:
    """The first wide header above any block header, else every block header; None."""
    lookup = _all_lookup()
    blocks = []
    for r in range(1, grid.max_row + 1):
        if (wide := _wide_header(grid, r, lookup)) is not None and not blocks:
            return LheLayout(grid, wide=wide)
        if (block := _block_header(grid, r)) is not None:
            blocks.append(block)
    return LheLayout(grid, blocks=tuple(blocks)) if blocks else None


@dataclass(frozen=True)
class LheLayout:
    """A sheet recognised as LHE: its cells and the layout found (parsed once, read once)."""

    grid: _Grid
    blocks: tuple[_Block, ...] = ()   # lhe-instansi: the per-instansi blocks
    wide: _Wide | None = None         # lhe-wide: the header of one row per instansi

    @property
    def layout(self) -> str:
        return "lhe-wide" if self.wide is not None else "lhe-instansi"


def recognise(sheet) -> LheLayout | None:
    """The LHE layout of a sheet (a :class:`~spbe_tools.cells.Grid` or an openpyxl
    worksheet), or None when it is not an LHE sheet. A results annex (No | Nama Instansi |
    Indeks | Predikat) is not one: it names no indicator, domain or aspect."""
    return _find_layout(_grid(sheet))


def is_lhe_sheet(sheet) -> bool:
    """True when the sheet has an LHE block header or a wide header of indicators/domains."""
    return recognise(sheet) is not None


# ---------------------------------------------------------------------------
# year, framework and instansi from the title cells

_YEAR = re.compile(r"\btahun (?:evaluasi )?((?:19|20)\d{2})\b")
_DECREE_BEFORE = re.compile(r"\bno(?:mor)? \d+ $")


def _title_texts(grid: _Grid, last_row: int) -> Iterable[tuple[int, int, object]]:
    for r in range(1, last_row):
        for c, v in sorted(grid.row(r).items()):
            yield r, c, v


def _right_of(grid: _Grid, r: int, c: int) -> tuple[int, object] | None:
    later = sorted((cc, v) for cc, v in grid.row(r).items() if cc > c)
    return later[0] if later else None


def _sheet_years(grid: _Grid, last_row: int) -> list[tuple[int, str]]:
    """(year, cell) for every "TAHUN 2023" in a title cell and every Tahun | 2023 label pair.

    "No. 13 Tahun 2024" is a decree number, not the evaluation year, and is skipped.
    """
    found = []
    for r, c, v in _title_texts(grid, last_row):
        if not isinstance(v, str):
            continue
        text = _norm(v) + " "
        for m in _YEAR.finditer(text):
            if not _DECREE_BEFORE.search(text[:m.start()]):
                found.append((int(m.group(1)), address(r, c)))
        if text.strip() in ("tahun", "tahun evaluasi") and (nxt := _right_of(grid, r, c)):
            year = _as_int(nxt[1])
            if year is not None and 1900 < year < 2100:
                found.append((year, address(r, nxt[0])))
    return found


def _year(grid: _Grid, last_row: int, year: int | None, source_file: str) -> int:
    """The sidecar's year, checked against the sheet's; else the sheet's own."""
    found = _sheet_years(grid, last_row)
    years = sorted({y for y, _ in found})
    where = dict(file=source_file, sheet=grid.title)
    if len(years) > 1:
        raise InputError("the sheet's title cells name more than one year", **where,
                         cell=found[0][1], expected="one evaluation year",
                         found=", ".join(f"{y} ({cell})" for y, cell in found))
    if year is not None:
        if years and years[0] != int(year):
            cell = next(cell for y, cell in found if y == years[0])
            raise InputError("the sheet's year contradicts the sidecar's evaluation_year",
                             **where, cell=cell, expected=str(year), found=str(years[0]))
        return int(year)
    if not years:
        raise InputError("no evaluation year: the sidecar gives none and no title cell says "
                         "'TAHUN <year>'", **where, expected="a year", found="none")
    return years[0]


def _framework(grid: _Grid, last_row: int, year: int, source_file: str) -> str:
    """The year's framework (registry); a framework key written on the sheet must agree."""
    where = dict(file=source_file, sheet=grid.title)
    try:
        key = registry.evaluation(year).framework
    except KeyError as exc:
        raise InputError(str(exc.args[0]), **where, expected="a registered evaluation year",
                         found=str(year)) from None
    for r, c, v in _title_texts(grid, last_row):
        text = str(v).casefold()
        for other in registry.frameworks():
            if other in text and other != key:
                raise InputError("the sheet names a framework other than the year's",
                                 **where, cell=address(r, c), expected=key, found=other)
    return key


_INSTANSI_INLINE = re.compile(r"^\s*(?:nama\s+)?instansi\s*:\s*(.+)$", re.IGNORECASE)
_INSTANSI_TITLE = re.compile(r"\b((?:pemerintah\s+)?(?:provinsi|kabupaten|kab\.|kota)\s+.+?)"
                             r"(?:\s+tahun\b.*)?$", re.IGNORECASE)


def _clean_name(name: str) -> str:
    # LHEs write "Pemerintah Kota Bengkulu"; the matcher knows "Kota Bengkulu"
    return re.sub(r"^\s*pemerintah\s+(?=(provinsi|kabupaten|kab\.|kota)\b)", "", name,
                  flags=re.IGNORECASE).strip()


def _instansi(grid: _Grid, last_row: int) -> tuple[str, str] | None:
    """(name as written, cell) from "Instansi: …", an Instansi | … pair, or the title."""
    titles = []
    for r, c, v in _title_texts(grid, last_row):
        if not isinstance(v, str):
            continue
        if m := _INSTANSI_INLINE.match(v):
            return _clean_name(m.group(1)), address(r, c)
        if _norm(v) in ("instansi", "nama instansi", "pemerintah daerah", "nama pemda"):
            nxt = _right_of(grid, r, c)
            if nxt and isinstance(nxt[1], str):
                return _clean_name(nxt[1]), address(r, nxt[0])
        if m := _INSTANSI_TITLE.search(v):
            titles.append((_clean_name(m.group(1)), address(r, c)))
    return titles[0] if titles else None


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


@cache
def _framework_items(fw: str) -> tuple[frozenset[str], dict[str, str]]:
    names = {"index": "Indeks SPBE"}
    if structure.has_structure(fw):
        for table in (structure.indicators(fw), structure.domains(fw), structure.aspects(fw)):
            names.update(dict(zip(table["item"], table["name"])))
    return frozenset(names) - {"index"}, names


def _label_of(*values: object) -> str:
    return " ".join(str(v) for v in values if v is not None).strip()


def _inline_value(grid: _Grid, r: int, c: int, text: str) -> tuple[object, str] | None:
    """The value after a label: "Indeks SPBE: 2,61" in one cell, or the next cell right."""
    if ":" in text and text.split(":", 1)[1].strip():
        return text.split(":", 1)[1].strip(), address(r, c)
    nxt = _right_of(grid, r, c)
    return (nxt[1], address(r, nxt[0])) if nxt else None


def _summary_records(grid: _Grid, last_row: int) -> tuple[list[_Rec], str]:
    """Index rows and the predikat from label cells above the first block."""
    recs, predikat = [], ""
    for r, c, v in _title_texts(grid, last_row):
        if not isinstance(v, str):
            continue
        if _is_index_label(v.split(":")[0]) and (got := _inline_value(grid, r, c, v)):
            recs.append(_Rec(r, got[1], "index", "index", got[0], v))
        elif _norm(v).startswith("predikat") and (got := _inline_value(grid, r, c, v)):
            predikat = str(got[0])
    return recs, predikat


def _block_row(grid: _Grid, b: _Block, r: int, lookup: dict) -> _Rec | None:
    """One row of a block -> a record, or None for blank, heading and note rows."""
    row = grid.row(r)
    if not row:
        return None
    no_v = row.get(b.no_col) if b.no_col else None
    label_v, val_v = row.get(b.label_col), row.get(b.value_col)
    cell = address(r, b.value_col)
    head = _norm(next((v for _, v in sorted(row.items()) if isinstance(v, str)), ""))
    if _is_index_label(no_v) or _is_index_label(label_v):
        return None if val_v is None else _Rec(r, cell, "index", "index", val_v, "Indeks SPBE")
    if _SKIP_ROW.match(head):
        return None
    number = _as_int(no_v)
    section = number is None and re.match(r"^(domain|aspek)\b", head)
    if (number is None and val_v is None) or (section and val_v is None):
        return None  # a heading such as a merged "DOMAIN 1 KEBIJAKAN INTERNAL SPBE"
    label = _label_of(no_v, label_v)
    if section:
        found = _match_item(head, lookup, "domain")
    elif number is not None:
        found = (b.kind, structure.item_code(b.kind, number))
    else:
        found = _match_item(label_v, lookup, b.kind) if label_v is not None else None
    rec = _Rec(r, cell, *(found or (b.kind, None)), val_v, label)
    named = lookup.get(_norm(label_v)) if isinstance(label_v, str) else None
    if found and named and named[0] == found[0] and named[1] != found[1]:
        rec.reason = f"number says {found[1]} but the name is {named[1]}'s ({label_v!r})"
    return rec


def _read_instansi(grid: _Grid, blocks: list[_Block], year: int, fw: str,
                   summary: bool = True) -> list[_Rec]:
    lookup = _lookup(fw)
    recs = _summary_records(grid, blocks[0].row)[0] if summary else []
    bounds = [b.row for b in blocks[1:]] + [grid.max_row + 1]
    for b, end in zip(blocks, bounds):
        for r in range(b.row + 1, end):
            if (rec := _block_row(grid, b, r, lookup)) is not None:
                recs.append(rec)
    return recs


def _wide_items(grid: _Grid, wide: _Wide, fw: str, source_file: str) -> dict[int, tuple[str, str]]:
    """Header columns -> (level, item) under the sheet's framework; LayoutError when they
    name items outside it, repeat an item, or cover only part of the indicators."""
    lookup, (items, _) = _lookup(fw), _framework_items(fw)
    out, where = {}, dict(file=source_file, sheet=grid.title)
    for c, v in sorted(wide.columns.items()):
        found = ("index", "index") if v == "index" else _match_item(v, lookup, wide.groups[c])
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


def _wide_rec(grid: _Grid, wide: _Wide, cols: dict, r: int, fw: str) -> _Rec | None:
    """One instansi row -> a record holding all its item values, or None for notes."""
    row = grid.row(r)
    name = row.get(wide.instansi_col)
    values = {c: row.get(c) for c in cols}
    if name is None and all(v is None for v in values.values()):
        return None
    if isinstance(name, str) and _SKIP_ROW.match(_norm(name)):
        return None
    index_col = next((c for c, (lvl, _) in cols.items() if lvl == "index"), None)
    rec = _Rec(r, address(r, index_col or wide.instansi_col), None, None,
               row.get(index_col) if index_col else None, str(name or ""))
    items, _ = _framework_items(fw)
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

def _row_years(grid: _Grid, wide: _Wide, sidecar_year: int | None, source_file: str
               ) -> dict[int, object]:
    """Data row -> its Tahun cell (an int when it holds a whole year, else as written)."""
    out = {}
    for r in range(wide.row + 1, grid.max_row + 1):
        value = grid.get(r, wide.year_col)
        if value is None and grid.get(r, wide.instansi_col) is None:
            continue
        number = _as_int(value)
        out[r] = number if number is not None else value
    return out


def _one_framework_year(row_years: dict[int, object], grid: _Grid, wide: _Wide,
                        source_file: str) -> int:
    """The latest registered year of the Tahun column: its framework names the columns;
    rows of a year under another framework are rejected (:func:`_row_year_check`)."""
    known = [y for y in row_years.values() if isinstance(y, int) and y in registry.evaluations()]
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
    if not isinstance(year, int) or year not in registry.evaluations():
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

def _columns_year(years: list[int], sidecar_year: int | None, grid: _Grid, last_row: int,
                  source_file: str) -> int:
    """The latest year among the year columns (its framework names the rows); a sidecar
    year must be one of them."""
    if sidecar_year is not None and int(sidecar_year) not in years:
        raise InputError("the sidecar's evaluation_year is none of the sheet's year columns",
                         file=source_file, sheet=grid.title, expected=str(sidecar_year),
                         found=", ".join(map(str, years)))
    known = [y for y in years if y in registry.evaluations()]
    if not known:
        raise InputError("no year column is a registered evaluation year", file=source_file,
                         sheet=grid.title, expected="years such as 2023",
                         found=", ".join(map(str, years)))
    return max(known)


def _read_year_columns(grid: _Grid, blocks: list[_Block], years: list[int], fw: str
                       ) -> list[_Rec]:
    """One record per (row, year column); a year of another framework (or not registered)
    rejects its records."""
    recs = []
    for y in years:
        shifted = [replace(b, value_col=b.years[y]) if y in b.years else b for b in blocks]
        for rec in _read_instansi(grid, shifted, y, fw, summary=False):
            rec.year = y
            if y not in registry.evaluations():
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

def _resolve(matcher, name: str, year: int):
    res = matcher.resolve(name, year=year)
    return res if getattr(res, "ok", False) else None, getattr(res, "reason", "") or "not found"


@dataclass
class _SheetFacts:
    """What one LHE sheet says around its records: where it is, its year and framework,
    and per row (None: the whole sheet) the name and predikat as reported, the row's own
    year (a Tahun column) and why a name did not resolve."""

    file: str
    sheet: str
    year: object
    framework: str
    synthetic: bool
    reported: dict[int, str] = field(default_factory=dict)
    predikat: dict[int, str] = field(default_factory=dict)
    why: dict[int | None, str] = field(default_factory=dict)
    year_of: dict[int, object] = field(default_factory=dict)


def _rec_year(rec: _Rec, facts: _SheetFacts) -> object:
    return rec.year if rec.year is not None else facts.year_of.get(rec.row, facts.year)


def _frames(recs: list[_Rec], resolved: dict, facts: _SheetFacts
            ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split validated records into SCORE_COLUMNS and REJECT_COLUMNS frames."""
    _, names = _framework_items(facts.framework)
    scores, rejects = [], []
    for rec in recs:
        res = resolved.get(rec.row, resolved.get(None))
        if rec.reason is None and res is None:
            rec.reason = f"unresolved instansi {facts.reported.get(rec.row, rec.label)!r}: " \
                         f"{facts.why.get(rec.row, facts.why.get(None, ''))}"
        if rec.reason is not None:
            rejects.append({"source_file": facts.file, "source_sheet": facts.sheet,
                            "source_row": rec.row, "source_cell": rec.cell,
                            "year": _rec_year(rec, facts),
                            "instansi_reported": facts.reported.get(rec.row, ""),
                            "index_raw": "" if rec.raw is None else str(rec.raw),
                            "predikat_raw": facts.predikat.get(rec.row, ""),
                            "reason": rec.reason})
            continue
        parts = rec.extra or [(rec.level, rec.item, rec.value, rec.cell)]
        for level, item, value, cell in parts:
            scores.append({"year": _rec_year(rec, facts),
                           "instansi_code": res.code, "instansi": res.name,
                           "level": level, "item": item, "item_name": names.get(item, item),
                           "value": value, "framework": facts.framework,
                           "synthetic": facts.synthetic, "source_file": facts.file,
                           "source_sheet": facts.sheet, "source_cell": cell})
    score_df = pd.DataFrame(scores, columns=SCORE_COLUMNS).astype(
        {"year": "int64", "value": "float64", "synthetic": "bool"})
    reject_df = pd.DataFrame(rejects, columns=REJECT_COLUMNS).astype({"source_row": "int64"})
    return score_df, reject_df


def read_lhe_sheet(sheet, *, source_file: str, year: int | None, matcher,
                   synthetic: bool) -> LheSheet:
    """Read one LHE sheet (either layout) into scores and rejects.

    sheet: a :class:`~spbe_tools.cells.Grid`, an openpyxl worksheet (values, not
    formulas), or what :func:`recognise` returned for one (so the build parses each sheet
    once); year: the sidecar's evaluation year or None (then the title cells must give it);
    matcher: has ``resolve(name, year=…)`` returning ``.ok, .code, .name, .reason``.
    Raises LayoutError when the sheet is not an LHE sheet, InputError when the year
    is missing or contradicts the sidecar.
    """
    found = sheet if isinstance(sheet, LheLayout) else recognise(sheet)
    if found is None:
        raise LayoutError("not an LHE sheet: no indicator/domain/aspect header found",
                          file=source_file, sheet=_grid(sheet).title,
                          expected="No | Indikator | Tingkat Kematangan, or an instansi "
                                   "column with indicator/domain columns")
    grid, layout, blocks, wide = found.grid, found.layout, list(found.blocks), found.wide
    first = wide.row if wide is not None else blocks[0].row
    row_years = (_row_years(grid, wide, year, source_file)
                 if wide is not None and wide.year_col else {})
    block_years = (sorted({y for b in blocks for y in b.years}) if wide is None
                   else [])
    yr = (_one_framework_year(row_years, grid, wide, source_file) if row_years
          else _columns_year(block_years, year, grid, first, source_file) if block_years
          else _year(grid, first, year, source_file))
    fw = _framework(grid, first, yr, source_file)
    facts = _SheetFacts(source_file, grid.title, yr, fw, bool(synthetic))
    items, _ = _framework_items(fw)
    if layout == "lhe-instansi":
        recs = (_read_year_columns(grid, blocks, block_years, fw) if block_years
                else _read_instansi(grid, blocks, yr, fw))
        who = _instansi(grid, first)
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
        res, facts.why[None] = _resolve(matcher, who[0], yr)
        resolved = {None: res}
    else:
        cols = _wide_items(grid, wide, fw, source_file)
        recs = [rec for r in range(wide.row + 1, grid.max_row + 1)
                if (rec := _wide_rec(grid, wide, cols, r, fw)) is not None]
        resolved = {}
        for rec in recs:
            facts.reported[rec.row] = rec.label
            if wide.predikat_col:
                facts.predikat[rec.row] = str(grid.get(rec.row, wide.predikat_col) or "")
            row_year = _row_year_check(rec, row_years, year, fw) if row_years else yr
            facts.year_of[rec.row] = row_year
            if rec.label and isinstance(row_year, int):
                resolved[rec.row], facts.why[rec.row] = _resolve(matcher, rec.label, row_year)
    scores, rejects = _frames(recs, resolved, facts)
    return LheSheet(scores, rejects, rows_read=len(recs), layout=layout,
                    rows_accepted=len(recs) - len(rejects), framework=fw)


# ---------------------------------------------------------------------------
# the fill-in template

_HEADER = ["No", "Indikator", "Domain", "Aspek", "Bobot (%)", "Tingkat Kematangan"]


def template_workbook(framework_key: str = "spbe-59-2020", *, instansi: str | None = None,
                      year: int | None = None) -> Workbook:
    """A workbook an analyst fills from their LHE: one row per indicator, level column
    validated to the framework's whole levels; it reads back with :func:`read_lhe_sheet`.

    Raises ConfigError for a framework without a registry structure.
    """
    ind = structure.indicators(framework_key)
    lo, hi = structure.level_range(framework_key)
    fw = registry.framework(framework_key)
    wb = Workbook()
    ws = wb.active
    ws.title = "LHE"
    bold = Font(bold=True)
    ws["A1"] = "LEMBAR ISIAN HASIL EVALUASI SPBE (LHE)"
    ws["A1"].font = Font(bold=True, size=13)
    for r, (label, value) in enumerate([("Instansi", instansi), ("Tahun", year),
                                        ("Kerangka", f"{fw.name} ({framework_key})"),
                                        ("Indeks SPBE (dari LHE, boleh kosong)", None)], start=2):
        ws.cell(r, 1, label).font = bold
        ws.cell(r, 2, value)
    head = 7
    level_header = f"{_HEADER[-1]} ({lo}–{hi})"
    for c, text in enumerate(_HEADER[:-1] + [level_header], start=1):
        cell = ws.cell(head, c, text)
        cell.font, cell.fill = bold, PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    fill = PatternFill("solid", fgColor="FFF2CC")
    for i, row in enumerate(ind.itertuples(index=False), start=head + 1):
        for c, v in enumerate([int(row.number), row.name, row.domain, row.aspect,
                               float(row.weight)], start=1):
            ws.cell(i, c, v)
        ws.cell(i, 6).fill = fill
    last = head + len(ind)
    dv = DataValidation(type="whole", operator="between", formula1=str(lo), formula2=str(hi),
                        allow_blank=True, showErrorMessage=True, errorTitle="Level",
                        error=f"Isi level bilangan bulat {lo}–{hi}")
    dv.add(f"F{head + 1}:F{last}")
    ws.add_data_validation(dv)
    status = "terverifikasi" if fw.verified else "belum terverifikasi"
    ws.cell(last + 2, 1, f"Catatan: isi kolom '{level_header}' dari LHE. Bobot dan struktur: "
                         f"registri spbe_tools ({status}).")
    for col, width in zip("ABCDEF", (6, 52, 26, 44, 10, 22)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = ws.cell(head + 1, 1)
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    """The workbook as .xlsx bytes that depend only on its content: fixed document
    dates and fixed zip entry times (openpyxl stamps both with 'now')."""
    wb.properties.created = FIXED_TIMESTAMP
    wb.properties.modified = FIXED_TIMESTAMP
    buf = io.BytesIO()
    wb.save(buf)
    # openpyxl's save() resets `modified` to now; rewrite core.xml and the zip times
    stamp = FIXED_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)",
                              rb"\g<1>" + stamp.encode() + rb"\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, data)
    return out.getvalue()


def save_workbook(wb: Workbook, path: str | Path) -> Path:
    """Write :func:`workbook_bytes` to ``path``."""
    path = Path(path)
    path.write_bytes(workbook_bytes(wb))
    return path
