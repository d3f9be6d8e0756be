"""The second workbook reader: the cell values of a workbook through python-calamine (Rust),
for ``spbe build --engine calamine``. openpyxl stays the default and the reference.

The workbook passes the same safety checks first (:func:`spbe_tools.cells.preflight`:
format, encryption, zip bomb, DTDs, extents). calamine then gives the values, the merged
ranges and which sheets are hidden; what it cannot see is read from the sheet XML here:
hidden rows, formula cells without a cached value, formulas that read another workbook,
and Excel error values (calamine gives them as empty). Values are given the types
openpyxl gives (whole numbers as int, dates as datetime, blanks as None), so both readers
make the same :class:`~spbe_tools.cells.Grid` and the same tidy tables (tested on the
fixture corpus). A workbook this module cannot read exactly (cells without an address,
shared formulas) is read with openpyxl instead: :func:`read_grids` returns None.
"""
from __future__ import annotations

import datetime as dt
import html
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import column_index_from_string

from spbe_tools import cells
from spbe_tools.errors import ConfigError, UnreadableInputError

__all__ = ["available", "read_grids"]

_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_ATTR = re.compile(rb'\b(r|t|hidden)="([^"]*)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?f>)", re.DOTALL)
_VALUE = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.DOTALL)
_ADDRESS = re.compile(r"^([A-Z]{1,3})(\d+)$")
_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})(\d+)"')
#: calamine holds a sheet as a dense rectangle; a sheet whose cells span more positions
#: than this (a stray value far below or to the right) is read by openpyxl, which keeps
#: only the cells that exist and refuses a value beyond column IV with its address.
MAX_DENSE_CELLS = 4 * cells.MAX_CELLS


def available() -> bool:
    """True when python-calamine is installed."""
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        return False
    return True


def require() -> None:
    """ConfigError (exit 2) saying what to install when python-calamine is missing."""
    if not available():
        raise ConfigError("--engine calamine needs python-calamine", expected='pip install '
                          '-e ".[fast]" (or pip install python-calamine)', found="not installed")


@dataclass
class _SheetXml:
    """What the sheet XML says that calamine does not."""

    hidden_rows: set[int] = field(default_factory=set)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # "=…"
    uncached: set[tuple[int, int]] = field(default_factory=set)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # "#N/A"


def _position(ref: bytes) -> tuple[int, int] | None:
    m = _ADDRESS.match(ref.decode("ascii", "replace"))
    return (int(m.group(2)), column_index_from_string(m.group(1))) if m else None


def _spread(xml: bytes) -> int:
    """Positions of the rectangle from A1 to the sheet's last row and column with a cell."""
    rows = cols = 0
    for letters, digits in _CELL_REF.findall(xml):
        rows = max(rows, int(digits))
        cols = max(cols, column_index_from_string(letters.decode("ascii")))
    return rows * cols


def _scan_sheet(xml: bytes) -> _SheetXml | None:
    """Hidden rows, formulas and error values of one sheet's XML; None when a cell has no
    address, a formula is shared, or the cells spread wider than :data:`MAX_DENSE_CELLS`
    (openpyxl reads those)."""
    if _spread(xml) > MAX_DENSE_CELLS:
        return None
    out = _SheetXml()
    if b"hidden" in xml:
        for attrs in _ROW.findall(xml):
            found = dict(_ATTR.findall(attrs))
            if found.get(b"hidden") in (b"1", b"true"):
                if b"r" not in found:
                    return None
                out.hidden_rows.add(int(found[b"r"]))
    if b"<f" not in xml and b':f' not in xml and b't="e"' not in xml:
        return out
    for attrs, inner in _CELL.findall(xml):
        found = dict(_ATTR.findall(attrs))
        inner = inner or b""
        formula = _FORMULA.search(inner)
        if formula is None and found.get(b"t") != b"e":
            continue
        rc = _position(found.get(b"r", b""))
        if rc is None:
            return None
        value = _VALUE.search(inner)
        if formula is not None:
            if b"shared" in formula.group(1) and not (formula.group(2) or b"").strip():
                return None
            text = html.unescape((formula.group(2) or b"").decode("utf-8", "replace"))
            out.formulas[rc] = "=" + text
            if value is None or not value.group(1).strip():
                out.uncached.add(rc)
        if found.get(b"t") == b"e" and value is not None:
            out.errors[rc] = html.unescape(value.group(1).decode("utf-8", "replace"))
    return out


def _like_openpyxl(value: Any) -> Any:
    """A calamine value as openpyxl types it: blanks None, whole numbers int, dates as
    datetime (calamine gives every number as float and a midnight date as date)."""
    if value == "" or value is None:
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 53:
        return int(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


def read_grids(path: Path | str, *, display_name: str | None = None
               ) -> list[cells.Grid] | None:
    """Every worksheet of ``path`` as a :class:`~spbe_tools.cells.Grid`, in workbook order,
    or None when the workbook holds what this reader cannot see exactly (then read it with
    :func:`spbe_tools.cells.read_grids`). Same refusals as the openpyxl reader."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    path = Path(path)
    name = display_name or path.name
    source, _ = cells.preflight(path, name)
    data = source if isinstance(source, bytes) else path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {sheet: part for part, sheet in cells.sheet_names(zf).items()}
        scans = {}
        for sheet, part in parts.items():
            scan = _scan_sheet(zf.read(part)) if part in zf.namelist() else _SheetXml()
            if scan is None:
                return None
            scans[sheet] = scan
    targets = cells.external_targets(data) if any(s.formulas for s in scans.values()) else {}
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception:  # noqa: BLE001 -- damaged parts: openpyxl reads it and says what is wrong
        return None
    grids, text = [], cells.TextTotal(name)
    for meta in book.sheets_metadata:
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue  # chart sheets hold no cells; openpyxl lists only worksheets too
        if meta.name not in scans:
            return None
        try:
            sheet = book.get_sheet_by_name(meta.name)
        except Exception:  # noqa: BLE001 -- a damaged sheet: openpyxl says what is wrong
            return None
        grid = _grid(sheet, meta, scans[meta.name], targets, name, text,
                     hidden=meta.visible != SheetVisibleEnum.Visible)
        if any(isinstance(v, float) and not math.isfinite(v) for row in grid.rows for v in row):
            # "NaN"/"INF" stored in a number cell: openpyxl cannot read the workbook at all
            raise cells.first_bad_number(data, name) or UnreadableInputError(
                "a number cell stores a value that is not a number", file=name)
        grids.append(grid)
    return grids


def _grid(sheet, meta, scan: _SheetXml, targets: dict[int, str], name: str,
          text: cells.TextTotal, *, hidden: bool) -> cells.Grid:
    top, left = sheet.start or (0, 0)
    values = ((((top + i + 1, left + j + 1), _like_openpyxl(v))
               for i, row in enumerate(sheet.to_python() if sheet.start else [])
               for j, v in enumerate(row)))
    present = cells.checked_present(values, meta.name, name)
    present.update({rc: v for rc, v in scan.errors.items()})
    text.add(meta.name, present)
    merged = cells.merged_map((r0 + 1, c0 + 1, r1 + 1, c1 + 1)
                              for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or ())
    return cells.Grid(file=name, sheet=meta.name, rows=cells.dense_rows(present), merged=merged,
                      hidden_rows=scan.hidden_rows, hidden=hidden, uncached=scan.uncached,
                      external=cells.external_notes(scan.formulas, targets, scan.uncached))
