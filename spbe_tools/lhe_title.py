"""What the title cells above an LHE table say — the evaluation year
(checked against the sidecar's), the framework (the year's, per the registry) and the
instansi ("Instansi: Pemerintah Kota Bengkulu", an ``Instansi | …`` pair, or a title).

Names are returned as written (less a leading "Pemerintah"); the validate step resolves
them.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from spbe_tools import registry
from spbe_tools.cells import address, label_words
from spbe_tools.errors import InputError, NotRegisteredError
from spbe_tools.lhe_layout import SheetCells, as_whole
from spbe_tools.year_text import YEAR_IN_TEXT, title_years

__all__ = ["cells_above", "right_of", "sheet_framework", "sheet_instansi", "sheet_year"]


def cells_above(grid: SheetCells, last_row: int) -> Iterable[tuple[int, int, object]]:
    """(row, column, value) of every cell above ``last_row``, row by row, left to right."""
    for r in range(1, last_row):
        for c, v in sorted(grid.row(r).items()):
            yield r, c, v


def right_of(grid: SheetCells, r: int, c: int) -> tuple[int, object] | None:
    """(column, value) of the first cell right of (r, c) in its row, or None."""
    later = sorted((cc, v) for cc, v in grid.row(r).items() if cc > c)
    return later[0] if later else None


def _sheet_years(grid: SheetCells, last_row: int) -> list[tuple[int, str]]:
    """(year, cell) for every year a title cell names ("TAHUN 2023", never a decree's
    "No. 13 Tahun 2024": :func:`~spbe_tools.year_text.title_years`) and every Tahun | 2023
    label pair."""
    found = []
    for r, c, v in cells_above(grid, last_row):
        if not isinstance(v, str):
            continue
        found += [(year, address(r, c)) for year in title_years(v)]
        if label_words(v) in ("tahun", "tahun evaluasi") and (nxt := right_of(grid, r, c)):
            year = as_whole(nxt[1])
            if year is not None and YEAR_IN_TEXT.fullmatch(str(year)):
                found.append((year, address(r, nxt[0])))
    return found


def sheet_year(grid: SheetCells, last_row: int, year: int | None, source_file: str) -> int:
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


def sheet_framework(grid: SheetCells, last_row: int, year: int, source_file: str) -> str:
    """The year's framework (registry); a framework key written on the sheet must agree."""
    where = dict(file=source_file, sheet=grid.title)
    try:
        key = registry.evaluation(year).framework
    except NotRegisteredError as exc:
        raise InputError(exc.message, **where, expected="a registered evaluation year",
                         found=exc.found) from None
    for r, c, v in cells_above(grid, last_row):
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


def sheet_instansi(grid: SheetCells, last_row: int) -> tuple[str, str] | None:
    """(name as written, cell) from "Instansi: …", an Instansi | … pair, or the title."""
    titles = []
    for r, c, v in cells_above(grid, last_row):
        if not isinstance(v, str):
            continue
        if m := _INSTANSI_INLINE.match(v):
            return _clean_name(m.group(1)), address(r, c)
        if label_words(v) in ("instansi", "nama instansi", "pemerintah daerah", "nama pemda"):
            nxt = right_of(grid, r, c)
            if nxt and isinstance(nxt[1], str):
                return _clean_name(nxt[1]), address(r, nxt[0])
        if m := _INSTANSI_TITLE.search(v):
            titles.append((_clean_name(m.group(1)), address(r, c)))
    return titles[0] if titles else None
