"""Step 1 of the flow: open an .xlsx safely and turn each sheet into a typed grid of cells.

Knows nothing about SPBE. A :class:`Grid` keeps cell values as openpyxl typed them
(numbers stay numbers, text stays text), which merged range each cell belongs to,
which rows are hidden, and which formula cells have no cached value.

Safety, before any XML is parsed:

* old ``.xls`` / ``.ods`` files and encrypted (password-protected) workbooks are
  refused with a "convert / remove the password" message;
* the sum of the declared uncompressed sizes of the zip members is capped
  (:data:`MAX_UNCOMPRESSED_BYTES`), so a zip bomb is refused before inflation;
* openpyxl parses XML through ``defusedxml`` (a hard dependency): entity-expansion
  and external-entity payloads are refused by the parser;
* formulas are never evaluated and macros never run: values come from the cached
  results Excel stored, and a formula without one is reported with its cell.
"""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import openpyxl.xml
from openpyxl.utils import get_column_letter

from spbe_tools.errors import UnreadableInputError

__all__ = ["Grid", "MAX_UNCOMPRESSED_BYTES", "address", "open_workbook", "parse_number",
           "read_grids", "cell_text"]

#: Refuse workbooks whose members would inflate beyond this (bytes). A 650-row annex is < 1 MB.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
#: Refuse single members that compress better than this ratio (classic zip bombs reach >1000).
MAX_COMPRESSION_RATIO = 400

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and encrypted .xlsx both use OLE2


def address(row: int, col: int) -> str:
    """Excel address of a 1-based (row, col): ``address(7, 3) == "C7"``."""
    return f"{get_column_letter(col)}{row}"


@dataclass
class Grid:
    """One sheet as a dense grid of typed values, 1-based rows and columns via :meth:`value`.

    ``merged`` maps every non-anchor cell of a merged range to its anchor (top-left);
    ``uncached`` holds the (row, col) of formula cells whose cached value is missing.
    """

    file: str
    sheet: str
    rows: list[list[Any]]
    merged: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)
    hidden: bool = False
    uncached: set[tuple[int, int]] = field(default_factory=set)

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def value(self, row: int, col: int) -> Any:
        """Value at a 1-based (row, col); None outside the grid."""
        if 1 <= row <= len(self.rows) and 1 <= col <= len(self.rows[row - 1]):
            return self.rows[row - 1][col - 1]
        return None

    def filled(self, row: int, col: int) -> Any:
        """Value, taking a merged cell's value from its anchor (for headers and sections)."""
        anchor = self.merged.get((row, col))
        return self.value(*anchor) if anchor else self.value(row, col)

    def row_values(self, row: int) -> list[Any]:
        return list(self.rows[row - 1]) if 1 <= row <= len(self.rows) else []


def _refuse_unsupported(path: Path, head: bytes, shown: str) -> None:
    suffix = path.suffix.lower()
    if suffix in {".xls", ".ods", ".xlsb"}:
        raise UnreadableInputError(
            f"{suffix} workbooks are not read; open the file in Excel or LibreOffice and "
            "save it as .xlsx (Excel Workbook)", file=shown,
            expected=".xlsx", found=suffix)
    if head.startswith(_OLE_MAGIC):
        raise UnreadableInputError(
            "the file is an OLE2 container: an encrypted (password-protected) workbook or an old "
            ".xls saved under an .xlsx name; remove the password / save as .xlsx and try again",
            file=shown, expected="an unencrypted .xlsx (zip) file", found="OLE2 container")
    if not head.startswith(b"PK"):
        raise UnreadableInputError("the file is not an .xlsx workbook (not a zip archive)",
                                   file=shown, expected="an .xlsx (zip) file",
                                   found=f"first bytes {head[:8]!r}")


def _check_zip_sizes(path: Path, shown: str) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableInputError(f"the workbook is damaged or truncated ({exc})",
                                   file=shown) from None
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise UnreadableInputError(
            f"refused: the workbook would inflate to {total:,} bytes, above the limit of "
            f"{MAX_UNCOMPRESSED_BYTES:,} bytes (possible zip bomb)", file=shown)
    for info in infos:
        if info.compress_size and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO \
                and info.file_size > 10 * 1024 * 1024:
            raise UnreadableInputError(
                f"refused: member {info.filename} inflates {info.file_size / info.compress_size:,.0f}"
                f"-fold to {info.file_size:,} bytes, above the ratio limit of "
                f"{MAX_COMPRESSION_RATIO} (possible zip bomb)", file=shown)


def open_workbook(path: Path | str, *, formulas: bool = False,
                  display_name: str | None = None) -> openpyxl.Workbook:
    """Open an .xlsx for reading values (``formulas=False``: cached values of formulas).

    Raises :class:`UnreadableInputError` naming the file (``display_name``, default
    the file name) for anything that is not a safe, readable .xlsx. Macros in .xlsm
    files are never run nor kept (``keep_vba=False``).
    """
    path = Path(path)
    shown = display_name or path.name
    if not openpyxl.xml.DEFUSEDXML:  # pragma: no cover - defusedxml is a hard dependency
        raise UnreadableInputError("defusedxml is not installed; refusing to parse XML unsafely",
                                   file=shown)
    with open(path, "rb") as fh:
        head = fh.read(8)
    _refuse_unsupported(path, head, shown)
    _check_zip_sizes(path, shown)
    try:
        return openpyxl.load_workbook(path, data_only=not formulas, keep_vba=False,
                                      keep_links=False, rich_text=False)
    except UnreadableInputError:
        raise
    except Exception as exc:  # openpyxl raises many types for corrupt parts
        kind = type(exc).__name__
        if "Entit" in kind or "DTD" in kind or "Forbidden" in kind:
            raise UnreadableInputError(
                f"refused: the workbook's XML declares entities ({kind}); this is how XML "
                "entity-expansion and external-entity attacks work", file=shown) from None
        raise UnreadableInputError(f"the workbook cannot be read ({kind}: {exc})",
                                   file=shown) from None


def _dense_rows(ws) -> list[list[Any]]:
    """Values of the cells that exist, as dense rows up to the last non-empty cell.

    Iterates openpyxl's sparse cell store rather than ``iter_rows`` so a sheet whose
    used range claims a million blank rows costs nothing.
    """
    present = {(r, c): cell.value for (r, c), cell in ws._cells.items()
               if cell.value is not None and not (isinstance(cell.value, str)
                                                  and not cell.value.strip())}
    if not present:
        return []
    n_rows = max(r for r, _ in present)
    n_cols = max(c for _, c in present)
    rows = [[None] * n_cols for _ in range(n_rows)]
    for (r, c), v in present.items():
        rows[r - 1][c - 1] = v
    return rows


def _merged_map(ws) -> dict[tuple[int, int], tuple[int, int]]:
    out = {}
    for rng in ws.merged_cells.ranges:
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    out[(r, c)] = (rng.min_row, rng.min_col)
    return out


def _uncached(values_ws, formulas_ws) -> set[tuple[int, int]]:
    """Formula cells (in the formulas view) with no cached value (in the values view)."""
    out = set()
    for (r, c), cell in formulas_ws._cells.items():
        if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")):
            cached = values_ws._cells.get((r, c))
            if cached is None or cached.value is None:
                out.add((r, c))
    return out


def read_grids(path: Path | str, *, display_name: str | None = None
               ) -> tuple[openpyxl.Workbook, list[Grid]]:
    """The values workbook and every sheet as a :class:`Grid`, in workbook order.

    ``display_name`` is the name used in messages and provenance (e.g. the path
    relative to the raw folder); defaults to the file name. The caller closes the
    returned workbook.
    """
    path = Path(path)
    name = display_name or path.name
    values = open_workbook(path, display_name=name)
    formulas = open_workbook(path, formulas=True, display_name=name)
    grids = []
    for ws in values.worksheets:
        fws = formulas[ws.title]
        hidden_rows = {r for r, dim in ws.row_dimensions.items() if dim.hidden}
        grids.append(Grid(file=name, sheet=ws.title, rows=_dense_rows(ws),
                          merged=_merged_map(ws), hidden_rows=hidden_rows,
                          hidden=ws.sheet_state != "visible", uncached=_uncached(ws, fws)))
    formulas.close()
    return values, grids


_FOOTNOTE = re.compile(r"(\*+\)?|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\(\d\))$")
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def cell_text(value: Any) -> str:
    """A cell as clean text: None -> "", numbers without ".0", whitespace collapsed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value).replace("\u00a0", " ")).strip()


def parse_number(value: Any) -> float | None:
    """A number as a float; accepts 2.61, "2,61", " 2,61* ", "2.61¹". None for blanks.

    Raises ValueError (with the reason) for text that is not a number, booleans,
    dates and NaN — so a bad value is reported, never read as zero.

    >>> parse_number("2,61*"), parse_number(" 3.5 "), parse_number(None)
    (2.61, 3.5, None)
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"a boolean ({value}) where a number was expected")
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        raise ValueError(f"a date ({value.isoformat()}) where a number was expected; "
                         "the cell is probably formatted as a date")
    if isinstance(value, (int, float)):
        if value != value:  # NaN
            raise ValueError("NaN where a number was expected")
        return float(value)
    text = cell_text(value).replace(" ", "")
    if not text or text in {"-", "–", "—"}:
        return None
    text = _FOOTNOTE.sub("", text)
    if not _NUMBER.match(text):
        raise ValueError(f"text {cell_text(value)!r} where a number was expected")
    return float(text.replace(",", "."))
