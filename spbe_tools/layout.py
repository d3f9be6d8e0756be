"""Recognise the table in a sheet's grid — header rows, columns, sections, notes.

Works on a :class:`~spbe_tools.cells.Grid` by looking at the cells, never at fixed
positions: the header row is the first row (within :data:`HEADER_SEARCH_ROWS`)
holding an instansi label and an index or year label, optionally followed by a
sub-header row (two-row headers with merged cells). The column labels decide the
layout:

* ``long``  — a Tahun column: one row per (year, instansi);
* ``wide``  — several index columns, each labelled with a year (``2021``, ``Indeks 2022``);
* ``annex`` — one index column; the year comes from the title rows, header or sidecar.

Domain columns (``D1`` … ``D4``, ``Domain 1``, a domain's name in full or short, or bare
numbers under an "Indeks Domain" group of a two-row header) are ``domain`` columns, never
index columns; their vocabulary is :func:`spbe_tools.lhe_layout.domain_item`'s (the
registry's domains).

The body is classified row by row into data, category section rows, repeated
header rows (page breaks), blank rows and notes below the table.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from spbe_tools.categories import (
    CATEGORIES,
    REGION_CATEGORIES,
    SECTION_FILLERS,
    categories_of,
    names_categories,
    section_hint,
    without_enumeration,
)
from spbe_tools.cells import Grid, address, cell_text, label_words, parse_number
from spbe_tools.errors import LayoutError
from spbe_tools.lhe_layout import domain_item, group_kind
from spbe_tools.year_text import YEAR_IN_TEXT

__all__ = ["HeaderColumn", "Table", "BodyRow", "find_table", "classify_body",
           "section_category", "section_parts", "title_cell_texts", "HEADER_SEARCH_ROWS"]

HEADER_SEARCH_ROWS = 40

# Label vocabulary: role -> patterns matched against a normalised header label.
_ROLE_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("predikat", re.compile(r"\bpredikat\b")),
    ("kategori", re.compile(r"^kategori$|^kategori instansi$|^jenis instansi$|^jenis$")),
    ("index", re.compile(r"\b(indeks|index|nilai|skor)\b")),
    ("instansi", re.compile(r"\binstansi\b|pemerintah daerah|\bpemda\b|nama daerah|"
                            r"kabupaten/kota|^nama$|^daerah$")),
    ("year", re.compile(r"^(tahun|tahun evaluasi|tahun penilaian|year)$")),
    ("province", re.compile(r"^(nama )?provinsi$")),
    ("no", re.compile(r"^(no|nomor|no urut|nomor urut)$")),
    ("sumber", re.compile(r"^(sumber|source|url|tautan)( data)?$")),
    ("note", re.compile(r"^(catatan|keterangan|ket|note|notes)$")),
    ("review", re.compile(r"^periksa$")),  # spbe extract's review mark: non-empty -> rejects
]
_NOTE_START = re.compile(r"^(keterangan|ket\.|catatan|sumber\s*:|note\s*:|\*+\s*\)|\(\*+\)|\*\s|"
                         r"\d\)\s)", re.IGNORECASE)
# the second word of a section row that names categories ("Provinsi dan Kabupaten"), not a
# province ("Provinsi Bengkulu")
_SECTION_WORDS = frozenset(CATEGORIES + SECTION_FILLERS)
# "Pemerintah Daerah di Bengkulu" (2023 report) / "Pemerintah Daerah Bengkulu" (2024): the
# word before the province's name
_PROVINCE_PREPOSITION = "di"


@dataclass(frozen=True)
class HeaderColumn:
    """A column the header names: its role, position and label (the year it heads, if any)."""

    role: str  # no|instansi|index|predikat|year|province|category|sumber|note|review|domain
    col: int  # 1-based
    label: str  # a domain column: the label naming its domain ("Tata Kelola", "D2")
    year: int | None = None


@dataclass
class Table:
    layout: str  # annex|long|wide
    header_rows: list[int]
    columns: list[HeaderColumn]
    title_rows: list[int] = field(default_factory=list)

    def first(self, role: str) -> HeaderColumn | None:
        return next((c for c in self.columns if c.role == role), None)

    def all(self, role: str) -> list[HeaderColumn]:
        return [c for c in self.columns if c.role == role]

    @property
    def body_start(self) -> int:
        return self.header_rows[-1] + 1


@dataclass(frozen=True)
class BodyRow:
    row: int
    kind: str  # data|section|header_repeat|blank|note
    text: str = ""  # section or note text
    after_notes: bool = False  # a data-looking row below the notes


def _words(label: object) -> str:
    """A label as lower-case words, "/" kept ("Kabupaten/Kota")."""
    return label_words(label, "/")


def _role_of(label: str) -> tuple[str | None, int | None]:
    norm = _words(label)
    if not norm:
        return None, None
    years = sorted(set(int(y) for y in YEAR_IN_TEXT.findall(norm)))
    year = years[0] if len(years) == 1 else None
    if YEAR_IN_TEXT.fullmatch(norm):
        return "index", year  # a bare year heads an index column (wide layout)
    stripped = YEAR_IN_TEXT.sub("", norm).replace("tahun", "").strip()
    for role, pattern in _ROLE_PATTERNS:
        if pattern.search(norm) or (stripped and pattern.search(stripped)):
            return role, year
    return None, year


def _row_labels(grid: Grid, rows: list[int]) -> dict[int, str]:
    """Column -> combined label over the header rows (merged cells filled)."""
    out: dict[int, str] = {}
    for col in range(1, grid.n_cols + 1):
        parts: list[str] = []
        for r in rows:
            text = cell_text(grid.filled(r, col))
            if text and text not in parts:
                parts.append(text)
        if parts:
            out[col] = " ".join(parts)
    return out


def _domain_groups(grid: Grid, row: int) -> dict[int, bool]:
    """Column -> True under an "Indeks Domain" group label of ``row`` (merged over its
    columns, or typed once and carried right over the empty cells)."""
    out, current = {}, False
    for col in range(1, grid.n_cols + 1):
        value = grid.filled(row, col) if row >= 1 else None
        if cell_text(value):
            current = group_kind(cell_text(value)) == "domain"
        out[col] = current
    return out


def _is_subheader(grid: Grid, row: int) -> bool:
    cells = [(c, v) for c, v in enumerate(grid.row_values(row), start=1) if cell_text(v)]
    if not cells:
        return False
    groups = _domain_groups(grid, row - 1)
    domains = 0
    for c, v in cells:
        if domain_item(v, in_domain_group=groups[c]) is not None:
            domains += 1  # "D1", "Tata Kelola", or 1 under "Indeks Domain"
            continue
        try:
            if parse_number(v) is not None and not YEAR_IN_TEXT.fullmatch(cell_text(v)):
                return False
        except ValueError:
            pass
    return domains >= 2 or any(_role_of(cell_text(v))[0] in {"index", "predikat"}
                               for _, v in cells)


def _domain_label(label: str, lower: object, in_group: bool) -> str | None:
    """The label naming the domain a header column holds, or None: a bare number under an
    "Indeks Domain" group becomes its code (``D1``); a name or code stays as written.
    ``lower``: the column's cell in the lowest header row."""
    if in_group and (item := domain_item(lower, in_domain_group=True)) is not None:
        return item
    return label if domain_item(label) is not None else None


def _columns(labels: dict[int, str], grid: Grid | None = None,
             header_rows: list[int] | None = None) -> list[HeaderColumn]:
    """The header's columns by role; with ``grid`` and ``header_rows``, domain columns too."""
    cols = []
    groups = (_domain_groups(grid, header_rows[0])
              if grid is not None and len(header_rows) > 1 else {})
    for col, label in sorted(labels.items()):
        if grid is not None and (named := _domain_label(
                label, grid.filled(header_rows[-1], col), groups.get(col, False))):
            cols.append(HeaderColumn("domain", col, named))
            continue
        role, year = _role_of(label)
        if role:
            cols.append(HeaderColumn(role, col, label, year))
    return cols


def _settle_kategori(grid: Grid, cols: list[HeaderColumn], body_start: int
                     ) -> list[HeaderColumn]:
    """A 'Kategori' column is the category when a predikat column exists or its values
    are category words; otherwise it holds the predikat."""
    has_predikat = any(c.role == "predikat" for c in cols)
    out = []
    for c in cols:
        if c.role == "kategori":
            values = {_words(grid.value(r, c.col)) for r in range(body_start, grid.n_rows + 1)}
            values.discard("")
            is_category = has_predikat or (values and all(map(names_categories, values)))
            c = HeaderColumn("category" if is_category else "predikat", c.col, c.label, c.year)
        out.append(c)
    return out


def _layout_of(cols: list[HeaderColumn], grid: Grid, header_rows: list[int]) -> str:
    index_cols = [c for c in cols if c.role == "index"]
    where = f"header row(s) {', '.join(map(str, header_rows))}"
    if any(c.role == "year" for c in cols):
        if len(index_cols) > 1:
            raise LayoutError(f"{where}: a Tahun column and several index columns; "
                              "use one index column per row in the long layout",
                              file=grid.file, sheet=grid.sheet, row=header_rows[0])
        return "long"
    years = [c.year for c in index_cols]
    if len(index_cols) > 1:
        if None in years or len(set(years)) != len(years):
            raise LayoutError(f"{where}: several index columns that are not one per year",
                              file=grid.file, sheet=grid.sheet, row=header_rows[0],
                              expected="one index column, or one per year (2021, 2022, …)",
                              found=", ".join(c.label for c in index_cols))
        return "wide"
    return "annex"


def find_table(grid: Grid) -> Table:
    """Locate the header and classify the columns; LayoutError if none is found."""
    limit = min(grid.n_rows, HEADER_SEARCH_ROWS)
    for row in range(1, limit + 1):
        single = _columns(_row_labels(grid, [row]))
        if not any(c.role == "instansi" for c in single):
            continue
        header_rows = [row]
        if _is_subheader(grid, row + 1):
            header_rows.append(row + 1)
        cols = _columns(_row_labels(grid, header_rows), grid, header_rows)
        if not any(c.role in {"index"} for c in cols):
            continue
        cols = _settle_kategori(grid, cols, header_rows[-1] + 1)
        layout = _layout_of(cols, grid, header_rows)
        titles = [r for r in range(1, row) if any(cell_text(v) for v in grid.row_values(r))]
        return Table(layout, header_rows, cols, titles)
    raise LayoutError(
        f"no header row found in the first {HEADER_SEARCH_ROWS} rows",
        file=grid.file, sheet=grid.sheet,
        expected="a row with an instansi label (Nama Instansi / Instansi / Pemerintah Daerah) "
                 "and an index label (Indeks / Nilai Indeks / Indeks SPBE, or years for the "
                 "wide layout)",
        found=_first_texts(grid))


def _first_texts(grid: Grid, n: int = 5) -> str:
    texts = []
    for r in range(1, min(grid.n_rows, HEADER_SEARCH_ROWS) + 1):
        for c, v in enumerate(grid.row_values(r), start=1):
            if cell_text(v):
                texts.append(f"{address(r, c)}={cell_text(v)[:40]!r}")
            if len(texts) >= n:
                return "; ".join(texts)
    return "; ".join(texts) or "an empty sheet"


def title_cell_texts(grid: Grid, table: Table) -> list[tuple[str, str]]:
    """(address, text) of every non-empty cell in the title rows above the header."""
    out = []
    for r in table.title_rows:
        for c, v in enumerate(grid.row_values(r), start=1):
            if cell_text(v):
                out.append((address(r, c), cell_text(v)))
    return out


def section_category(text: str) -> tuple[str | None, str | None] | None:
    """Parse a section row's text: (category, province name) or None if not a section. The
    category is None for a section naming a group of categories or none
    (:func:`section_parts` gives the group).

    >>> section_category("B. PEMERINTAH KABUPATEN")
    ('kabupaten', None)
    >>> section_category("Provinsi Kepulauan Riau")   # a province grouping row
    (None, 'Kepulauan Riau')
    >>> section_category("PEMERINTAH DAERAH DI BENGKULU")  # the reports' per-province tables
    (None, 'BENGKULU')
    >>> section_category("Instansi Pusat"), section_category("Kota Bengkulu")
    ((None, None), None)
    """
    parsed = section_parts(text)
    if parsed is None:
        return None
    allowed = categories_of(parsed[0])
    # a group ("Instansi Pusat", "Kabupaten/Kota") names no one category
    return (parsed[0] if allowed is not None and len(allowed) == 1 else None, parsed[1])


def section_parts(text: str) -> tuple[str | None, str | None] | None:
    """(hint, province as written) of a section row, or None when ``text`` is no section.
    The hint is what the row gives the rows below it, one category or a group
    (:func:`spbe_tools.categories.categories_of` knows each; the matcher takes either);
    None for a province grouping row ("Provinsi Bengkulu").

    >>> section_parts("Instansi Pusat"), section_parts("Pemerintah Daerah di Aceh")
    (('kl', None), ('pemda', 'Aceh'))
    """
    plain = re.sub(r"^pemerintah\s+", "", without_enumeration(cell_text(text)).strip(),
                   flags=re.IGNORECASE)
    words = re.sub(r"^pemerintah ", "", _words(plain)).replace("/", " ").split()
    if words[:1] == ["provinsi"] and len(words) > 1 and words[1] not in _SECTION_WORDS:
        return (None, plain.split(None, 1)[1].strip())
    if province := _pemda_province(plain, words):
        return (section_hint(words[0]), province)
    hint = section_hint(text)
    return None if hint is None else (hint, None)


def _pemda_province(plain: str, words: list[str]) -> str:
    """The province a regional-government section row names ("Daerah di Bengkulu",
    "Pemda Bengkulu": the province's own row, its kabupaten and kota follow), as written;
    empty for any other text ("Daerah", "Daerah Provinsi dan Kabupaten")."""
    if len(words) < 2 or categories_of(section_hint(words[0])) != frozenset(REGION_CATEGORIES):
        return ""
    rest = plain.split(None, 1)[1].strip()
    if rest.split(None, 1)[0].casefold() == _PROVINCE_PREPOSITION:
        rest = rest.split(None, 1)[1].strip() if len(rest.split()) > 1 else ""
    if not rest or all(w in _SECTION_WORDS for w in _words(rest).replace("/", " ").split()):
        return ""
    return rest


def _header_labels(grid: Grid, table: Table) -> list[dict[int, str]]:
    """Per header row: column -> its normalised label (non-empty cells only)."""
    return [{c: _words(v) for c, v in enumerate(grid.row_values(h), start=1) if cell_text(v)}
            for h in table.header_rows]


def _matches_header(grid: Grid, labels: list[dict[int, str]], row: int) -> bool:
    """True when ``row`` repeats a header row (two or more cells with the same label): the
    header printed again at a page break."""
    for header in labels:
        if sum(1 for c, label in header.items() if _words(grid.value(row, c)) == label) >= 2:
            return True
    return False


def _is_data_like(grid: Grid, table: Table, row: int) -> bool:
    inst = table.first("instansi")
    has_name = inst is not None and bool(cell_text(grid.value(row, inst.col)))
    return has_name and any(cell_text(grid.value(row, c.col)) for c in table.all("index"))


def classify_body(grid: Grid, table: Table) -> list[BodyRow]:
    """Classify every row below the header: data, section, header_repeat, blank, note."""
    out: list[BodyRow] = []
    inst = table.first("instansi")
    labels = _header_labels(grid, table)
    in_notes = False
    for row in range(table.body_start, grid.n_rows + 1):
        if not grid.rows[row - 1]:  # the shared empty row: most of a sheet with a huge range
            out.append(BodyRow(row, "blank"))
            continue
        texts = [(c, cell_text(v)) for c, v in enumerate(grid.row_values(row), start=1)
                 if cell_text(v)]
        if not texts:
            out.append(BodyRow(row, "blank"))
            continue
        first_col, first_text = texts[0]
        if in_notes or _NOTE_START.match(first_text):
            in_notes = True
            if _is_data_like(grid, table, row):
                out.append(BodyRow(row, "data", after_notes=True))
            else:
                out.append(BodyRow(row, "note", " ".join(t for _, t in texts)))
            continue
        if _matches_header(grid, labels, row):
            out.append(BodyRow(row, "header_repeat"))
            continue
        index_empty = not any(cell_text(grid.value(row, c.col)) for c in table.all("index"))
        distinct = {t for _, t in texts}
        if index_empty and len(distinct) == 1:
            parsed = section_category(first_text)
            in_name_col = inst is not None and first_col == inst.col
            # in the name column, "Instansi Pusat" or "Provinsi Bengkulu" with no index is a
            # data row missing its value (rejected), not a grouping row
            if parsed is not None and not (in_name_col and parsed[0] is None):
                out.append(BodyRow(row, "section", first_text))
                continue
        out.append(BodyRow(row, "data"))
    return out
