"""LHE sheets (Laporan Hasil Evaluasi): recognise the layout of a sheet of domain,
aspect and indicator scores. Two layouts are recognised by their header labels, never by
fixed positions.

Why one module of ~430 lines: both layouts and the results tables' domain columns
(:mod:`spbe_tools.layout`) name items with one vocabulary (:func:`item_lookup`,
:func:`match_item`, :func:`domain_item`), and telling a results table with domain columns
from an LHE sheet needs the wide header this module finds.

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

:func:`recognise` returns the sheet's cells with the layout found (:class:`LheLayout`);
:mod:`spbe_tools.lhe` reads its rows. The header vocabulary (item names and codes of every
registered framework) comes from the registry.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from spbe_tools import registry
from spbe_tools.cells import Grid, label_words, parse_number
from spbe_tools.registry import structure
from spbe_tools.year_text import YEAR_DIGITS

__all__ = ["Block", "LheLayout", "SKIP_ROW", "SheetCells", "Wide", "as_whole", "domain_item",
           "framework_items", "group_kind", "is_index_label", "is_lhe_sheet", "item_lookup",
           "match_item", "recognise", "sheet_cells"]


# ---------------------------------------------------------------------------
# cells


@dataclass
class SheetCells:
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


def sheet_cells(sheet) -> SheetCells:
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


def _from_cells_grid(grid: Grid) -> SheetCells:
    cells = _non_empty(grid.rows)
    filled = {r: dict(row) for r, row in cells.items()}
    rows, cols = grid.n_rows, grid.n_cols
    for (r, c), (top_r, top_c) in grid.merged.items():
        top = cells.get(top_r, {}).get(top_c)
        if top is not None and r <= rows and c <= cols:
            filled.setdefault(r, {}).setdefault(c, top)
    return SheetCells(cells, filled, max(cells, default=0), grid.sheet)


def _from_worksheet(ws) -> SheetCells:
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
    return SheetCells(cells, filled, max(cells, default=0), ws.title)


def as_whole(value: object) -> int | None:
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
SKIP_ROW = re.compile(r"^(jumlah|total|rata|catatan|keterangan|sumber|predikat)\b")


def is_index_label(value: object) -> bool:
    """'Indeks SPBE', 'Indeks', 'Nilai Indeks SPBE (dari LHE)' -> True."""
    return isinstance(value, str) and bool(_INDEX_LABEL.match(label_words(value)))


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
class Block:
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
        text = label_words(v)
        m = re.fullmatch(rf"(?:(?:tingkat kematangan|level|nilai|indeks|tahun) )?({YEAR_DIGITS})",
                         text)
        if m:
            out.setdefault(int(m.group(1)), c)
    return out


def _block_header(grid: SheetCells, r: int) -> Block | None:
    """A per-instansi block header at row r, or None."""
    texts = {c: label_words(v) for c, v in grid.row(r, merged=True).items() if isinstance(v, str)}
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
    return Block(r, kind, label_col, first, min(no_cols) if no_cols else None,
                  {} if value_cols else years)


@cache
def item_lookup(framework_key: str) -> dict[str, tuple[str, str]]:
    """Normalised names and codes -> (level, item) for one framework."""
    out: dict[str, tuple[str, str]] = {}
    if not structure.has_structure(framework_key):
        return out
    domains = structure.domains(framework_key)
    for kind, table in (("indicator", structure.indicators(framework_key)),
                        ("aspect", structure.aspects(framework_key)),
                        ("domain", domains)):
        for _, row in table.iterrows():
            out[label_words(row["name"])] = (kind, row["item"])
            out[label_words(row["item"])] = (kind, row["item"])
    for name, item in zip(domains["name"], domains["item"]):
        if short := _short_name(name):  # the reports head a column "Tata Kelola"
            out.setdefault(short, ("domain", item))
    return out


def _short_name(name: str) -> str:
    """A domain's name without its closing "SPBE" ("Tata Kelola SPBE" -> "tata kelola"),
    normalised; empty when the name does not end so."""
    words = label_words(name).split()
    return " ".join(words[:-1]) if len(words) > 1 and words[-1] == "spbe" else ""


_CODE = re.compile(r"^(i|ind|indikator|d|domain|a|aspek)\s*(\d+)\b")
_CODE_KIND = {"i": "indicator", "ind": "indicator", "indikator": "indicator", "d": "domain",
              "domain": "domain", "a": "aspect", "aspek": "aspect"}


def _strip_prefix(text: str) -> str:
    return re.sub(r"^(indeks |tingkat kematangan |nilai )?(domain |aspek |indikator )?", "",
                  text).strip()


def match_item(text: object, lookup: dict[str, tuple[str, str]], default_kind: str
                ) -> tuple[str, str] | None:
    """A label or code ("I17", "Domain 1", "Layanan Keuangan", 17) -> (level, item)."""
    number = as_whole(text)
    if number is not None:
        return (default_kind, structure.item_code(default_kind, number))
    norm = label_words(text)
    if m := _CODE.match(norm):
        kind = _CODE_KIND[m.group(1)]
        return (kind, structure.item_code(kind, int(m.group(2))))
    for key in (norm, _strip_prefix(norm)):
        if key in lookup:
            return lookup[key]
    return None


@cache
def framework_items(fw: str) -> tuple[frozenset[str], dict[str, str]]:
    names = {"index": "Indeks SPBE"}
    if structure.has_structure(fw):
        for table in (structure.indicators(fw), structure.domains(fw), structure.aspects(fw)):
            names.update(dict(zip(table["item"], table["name"])))
    return frozenset(names) - {"index"}, names


@cache
def _all_lookup() -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for key in registry.frameworks():
        out.update(item_lookup(key))
    return out


def domain_item(label: object, framework_key: str | None = None, *,
                in_domain_group: bool = False) -> str | None:
    """The domain item (``D2``) a header label names, or None: a code ("D2", "Domain 2",
    "Indeks Domain D2"), a domain's name in full or short ("Tata Kelola SPBE", "Tata
    Kelola"), or a bare number (2, "2") under an "Indeks Domain" group
    (``in_domain_group``). Names are looked up under ``framework_key``, or under every
    registered framework when None (a header read before the year is known)."""
    number = as_whole(label)
    if number is not None:
        return structure.item_code("domain", number) if in_domain_group else None
    if label is None or isinstance(label, (int, float)):
        return None
    lookup = item_lookup(framework_key) if framework_key else _all_lookup()
    found = match_item(label, lookup, "domain")
    return found[1] if found is not None and found[0] == "domain" else None


@cache
def _known_items() -> frozenset[str]:
    """Every item code (I17, D2, A8) of any registered framework: a header that names
    anything else is not an LHE column."""
    return frozenset().union(*(framework_items(key)[0] for key in registry.frameworks()))


@dataclass
class Wide:
    row: int                      # lowest header row; data start below it
    instansi_col: int
    columns: dict[int, object]    # col -> header text/number (item resolved per framework)
    groups: dict[int, str]        # col -> group kind from the row above ("domain", ...)
    predikat_col: int | None
    year_col: int | None = None   # a Tahun column: one row per (instansi, year)


_YEAR_LABEL = re.compile(r"^(tahun|tahun evaluasi|tahun penilaian)$")


def _header_cells(grid: SheetCells, r: int) -> tuple[dict[int, object], dict[int, object]] | None:
    """(header row r, the row above) when row r holds the instansi label, or when it is the
    lower row of an unmerged two-row header: the label sits above an empty cell, and
    labels typed only in the upper row ("Indeks SPBE" over an empty cell) count as row r's."""
    row = grid.row(r, merged=True)
    above = grid.row(r - 1, merged=True) if r > 1 else {}
    if any(isinstance(v, str) and _INSTANSI_LABEL.search(label_words(v)) for v in row.values()):
        return row, above
    if not any(isinstance(v, str) and _INSTANSI_LABEL.search(label_words(v)) and c not in row
               for c, v in above.items()):
        return None
    combined = {c: v for c, v in above.items() if c not in row and group_kind(v) is None}
    return {**combined, **row}, above


def _groups_right(above: dict[int, object], last_col: int) -> dict[int, str | None]:
    """Group kind per column from the row above, carried right over empty cells (a group
    label typed once over its columns instead of merged)."""
    out, current = {}, None
    for c in range(1, last_col + 1):
        if c in above:
            current = group_kind(above[c])
        out[c] = current
    return out


def _wide_header(grid: SheetCells, r: int, lookup: dict) -> Wide | None:
    cells = _header_cells(grid, r)
    if cells is None:
        return None
    row, above = cells
    inst = [c for c, v in sorted(row.items())
            if isinstance(v, str) and _INSTANSI_LABEL.search(label_words(v))]
    groups_above = _groups_right(above, max(row, default=0))
    columns, groups, predikat, year_col = {}, {}, None, None
    for c, v in sorted(row.items()):
        if c == inst[0]:
            continue
        group = groups_above.get(c) or "indicator"
        if label_words(v) == "predikat":
            predikat = c
        elif isinstance(v, str) and _YEAR_LABEL.match(label_words(v)):
            year_col = c
        elif is_index_label(v):
            columns[c] = "index"
        elif isinstance(v, (int, float)) and not 1 <= v <= 200:
            continue  # a year or a count, not an indicator number
        elif (found := match_item(v, lookup, group)) is not None and found[1] in _known_items():
            columns[c], groups[c] = v, group  # "2021" as text is a year, not indicator 2021
    if sum(1 for v in columns.values() if v != "index") < 2:
        return None
    return Wide(r, inst[0], columns, groups, predikat, year_col)


@lru_cache(maxsize=1 << 14, typed=True)
def group_kind(value: object) -> str | None:
    """The level a group header names ("Indeks Domain" -> "domain", "Aspek", "Indikator",
    "Tingkat Kematangan" -> "indicator"), or None."""
    text = label_words(value or "")
    for word, kind in (("domain", "domain"), ("aspek", "aspect"), ("indikator", "indicator"),
                       ("kematangan", "indicator")):
        if re.search(rf"\b{word}\b", text):
            return kind
    return None


def _find_layout(grid: SheetCells) -> LheLayout | None:
    """The first wide header above any block header, else every block header; None."""
    lookup = _all_lookup()
    blocks = []
    for r in range(1, grid.max_row + 1):
        if (wide := _wide_header(grid, r, lookup)) is not None and not blocks:
            return None if _results_table(grid, wide, lookup) else LheLayout(grid, wide=wide)
        if (block := _block_header(grid, r)) is not None:
            blocks.append(block)
    return LheLayout(grid, blocks=tuple(blocks)) if blocks else None


def _results_table(grid: SheetCells, wide: Wide, lookup: dict) -> bool:
    """True when a wide header of domain columns heads a table of published results
    (``No | Nama Instansi | D1 … D4 | Indeks | Predikat``, the reports' tables): a predikat
    column, no indicator or aspect column, and more than one instansi row. One row (one
    instansi's published domains with its predikat, Kab. Magelang's sheet) stays an LHE
    sheet; so does a table without a predikat column."""
    if wide.predikat_col is None:
        return False
    for c, v in wide.columns.items():
        found = None if v == "index" else match_item(v, lookup, wide.groups[c])
        if found is not None and found[0] != "domain":
            return False
    cols = list(wide.columns)
    rows = sum(1 for r in range(wide.row + 1, grid.max_row + 1)
               if grid.get(r, wide.instansi_col) is not None
               and any(grid.get(r, c) is not None for c in cols))
    return rows > 1


@dataclass(frozen=True)
class LheLayout:
    """A sheet recognised as LHE: its cells and the layout found (parsed once, read once)."""

    grid: SheetCells
    blocks: tuple[Block, ...] = ()   # lhe-instansi: the per-instansi blocks
    wide: Wide | None = None         # lhe-wide: the header of one row per instansi

    @property
    def layout(self) -> str:
        return "lhe-wide" if self.wide is not None else "lhe-instansi"


def recognise(sheet) -> LheLayout | None:
    """The LHE layout of a sheet (a :class:`~spbe_tools.cells.Grid` or an openpyxl
    worksheet), or None when it is not an LHE sheet. A results annex (No | Nama Instansi |
    Indeks | Predikat) is not one: it names no indicator, domain or aspect; nor is a results
    table with domain columns (``No | Nama Instansi | D1 | D2 | D3 | D4 | Indeks |
    Predikat``, several instansi, no indicator or aspect column): :mod:`spbe_tools.layout`
    reads it, domains included."""
    return _find_layout(sheet_cells(sheet))


def is_lhe_sheet(sheet) -> bool:
    """True when the sheet has an LHE block header or a wide header of indicators/domains."""
    return recognise(sheet) is not None
