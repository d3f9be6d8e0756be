"""Open an .xlsx safely and turn each sheet into a typed grid of cells.

Why one module of ~800 lines: it has one job, an .xlsx file in and safe typed Grids out,
and its safety pass (zip members inflated and counted, sizes and extents bounded) and the
parsing share the same members, limits and error wording; a workbook is never opened
anywhere else.

Knows nothing about SPBE. A :class:`Grid` keeps cell values as openpyxl typed them
(numbers stay numbers, text stays text), which merged range each cell belongs to,
which rows are hidden, and which formula cells have no cached value.

Safety, before any XML is parsed:

* old ``.xls`` / ``.ods`` files and encrypted (password-protected) workbooks are
  refused with a "convert / remove the password" message;
* the zip members are inflated in a streaming pass, counting bytes, before openpyxl
  sees them: more than :data:`MAX_UNCOMPRESSED_BYTES` in all (declared or actual: a
  header that lies about its size does not help) is refused as a possible zip bomb,
  so at most that many bytes are ever inflated and nothing is kept in memory; more
  than :data:`MAX_CELLS` non-empty cells is refused too, and value-less cells (a used
  range of a million formatted blank rows) are dropped before openpyxl parses the sheet;
* extents are bounded before anything walks them: more than :data:`MAX_SHEETS` sheets,
  more than :data:`MAX_SHARED_STRINGS` shared strings (counted while inflating), a value
  beyond column :data:`MAX_COLUMNS` or merged ranges covering more than
  :data:`MAX_MERGED_CELLS` cells of the sheet are refused, naming the sheet and cell; a
  :class:`Grid` holds only the cells that exist (a row ends at its last value), so one
  note in row 1,048,576 costs one row, not a million rows times the sheet's width;
* openpyxl parses XML through ``defusedxml`` (a hard dependency): entity-expansion
  and external-entity payloads are refused by the parser;
* formulas are never evaluated and macros never run: values come from the cached
  results Excel stored, and a formula without one is reported with its cell, as is a
  formula that takes its value from another workbook (an external link such as
  ``=[1]Sheet1!A1``; its cached value cannot be checked against the linked file).

The reading base, public so that a second engine (:mod:`spbe_tools.calamine_cells`) makes
the same Grids with the same refusals: :func:`preflight` (every check before XML is
parsed), :func:`sheet_names`, :func:`external_targets`, :func:`first_bad_number`,
:class:`TextTotal`, :func:`checked_present`, :func:`dense_rows`, :func:`merged_map` and
:func:`external_notes`.
"""
from __future__ import annotations

import datetime as dt
import functools
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import openpyxl.xml
from openpyxl.utils import get_column_letter

from spbe_tools.errors import UnreadableInputError

__all__ = ["Grid", "MAX_UNCOMPRESSED_BYTES", "MAX_CELLS", "MAX_COLUMNS", "MAX_SHEETS",
           "MAX_SHARED_STRINGS", "MAX_MERGED_CELLS", "MAX_TEXT_CHARS", "address",
           "open_workbook", "parse_number", "read_grids", "cell_text", "label_words", "macro_parts",
           # the reading base every engine shares (openpyxl here, calamine_cells)
           "TextTotal", "checked_present", "dense_rows", "external_notes", "external_targets",
           "first_bad_number", "merged_map", "preflight", "sheet_names", "stored_cells"]

#: Refuse workbooks whose members would inflate beyond this (bytes). A 650-row annex is < 1 MB.
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
#: Refuse single members that compress better than this ratio (classic zip bombs reach >1000).
MAX_COMPRESSION_RATIO = 400
#: Refuse workbooks with more non-empty cells than this (an annex of 650 rows has ~4,000,
#: a wide LHE sheet of every instansi ~40,000); every step costs time per cell, and a
#: workbook at this limit is built in a few seconds (python -m benchmarks hostile).
MAX_CELLS = 50_000
#: Refuse a sheet with a value beyond this column (IV, Excel 2003's last column): an SPBE
#: table has fewer than 100 columns, and one stray value at XFD would make the sheet
#: 16,384 columns wide for every step that walks it.
MAX_COLUMNS = 256
#: Refuse workbooks with more sheets than this (an annex has a handful; even one sheet per
#: instansi is about 650). Each sheet costs a few milliseconds in every step.
MAX_SHEETS = 1_000
#: Refuse workbooks whose cells hold more characters of text than this, naming the
#: longest cell: an annex of 650 rows holds about 50,000, a cell may hold 32,767, and
#: every step that recognises a layout reads each text more than once.
MAX_TEXT_CHARS = 1_000_000
#: Refuse a shared-string table with more entries than this: a string is stored once and
#: used by at least one cell, so a longer table holds text no cell can show (openpyxl
#: keeps every entry in memory, twice).
MAX_SHARED_STRINGS = MAX_CELLS
#: Refuse sheets whose merged ranges cover more cells than this (within the sheet's
#: extent): a real title or header merge covers a few dozen.
MAX_MERGED_CELLS = MAX_CELLS
#: Sheets whose XML shrinks by more than this once value-less cells are dropped are parsed
#: from the compacted copy (a used range of a million formatted blank rows).
COMPACT_SAVING_BYTES = 1024 * 1024

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and encrypted .xlsx both use OLE2
#: Stream names (UTF-16LE in the OLE2 directory) that only an encrypted OOXML package has.
_ENCRYPTED_STREAMS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument"
_INFLATE_CHUNK = 1 << 20
#: Excel's error values as openpyxl reads them (text), refused by :func:`parse_number`.
EXCEL_ERRORS = frozenset({"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!",
                          "#GETTING_DATA", "#SPILL!", "#CALC!"})
_EMPTY_ROW: tuple = ()  # shared by every blank row of every Grid: a million blanks cost 8 MB


def address(row: int, col: int) -> str:
    """Excel address of a 1-based (row, col): ``address(7, 3) == "C7"``."""
    return f"{get_column_letter(col)}{row}"


@dataclass
class Grid:
    """One sheet as a grid of typed values, 1-based rows and columns via :meth:`value`.

    ``rows`` holds one sequence per row down to the last non-empty row; each row ends
    at its own last non-empty cell and blank rows are one shared empty tuple (treat rows
    as read-only), so a grid costs the cells that exist, not its extent. ``merged`` maps
    every non-anchor cell of a merged range to its anchor (top-left); ``uncached`` holds
    the (row, col) of formula cells whose cached value is missing; ``external`` maps the
    (row, col) of formula cells that read another workbook (an external link) to a note.
    """

    file: str
    sheet: str
    rows: list[Sequence[Any]]
    merged: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)
    hidden: bool = False
    uncached: set[tuple[int, int]] = field(default_factory=set)
    external: dict[tuple[int, int], str] = field(default_factory=dict)

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @functools.cached_property
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

    def iter_rows(self, min_row: int | None = None, max_row: int | None = None,
                  min_col: int | None = None, max_col: int | None = None,
                  values_only: bool = True):
        """Rows of values like openpyxl's ``Worksheet.iter_rows(values_only=True)``, but
        only down to the last non-empty row, without creating cells, and not padded: each
        row ends at its last non-empty cell (a blank row is ``()``), so walking a sheet
        with one note in row 1,048,576 costs a million empty tuples, not a million rows
        times the sheet's width."""
        if not values_only:
            raise ValueError("a Grid holds values only: call iter_rows(values_only=True)")
        first, last = min_row or 1, min(max_row or self.n_rows, self.n_rows)
        lo, hi = (min_col or 1) - 1, max_col
        for r in range(first, last + 1):
            row = self.rows[r - 1]
            yield _EMPTY_ROW if row is _EMPTY_ROW else tuple(row[lo:hi])


def _refuse_unsupported(path: Path, head: bytes, shown: str) -> None:
    suffix = path.suffix.lower()
    if suffix in {".xls", ".ods", ".xlsb"}:
        raise UnreadableInputError(
            f"{suffix} workbooks are not read; open the file in Excel or LibreOffice and "
            "save it as .xlsx (Excel Workbook)", file=shown,
            expected=".xlsx", found=suffix)
    if head.startswith(_OLE_MAGIC):
        with open(path, "rb") as fh:
            body = fh.read(1 << 20)  # the OLE2 directory of a small container
        if any(name in body for name in _ENCRYPTED_STREAMS):
            raise UnreadableInputError(
                "the workbook is encrypted (password-protected); open it in Excel, remove "
                "the password (File > Info > Protect Workbook), save as .xlsx and try again",
                file=shown, expected="an unencrypted .xlsx (zip) file",
                found="an encrypted OLE2 container")
        raise UnreadableInputError(
            "the file is an OLE2 container: an old .xls saved under an .xlsx name, or an "
            "encrypted (password-protected) workbook; save it as .xlsx without a password",
            file=shown, expected="an unencrypted .xlsx (zip) file", found="OLE2 container")
    if not head.startswith(b"PK"):
        raise UnreadableInputError("the file is not an .xlsx workbook (not a zip archive)",
                                   file=shown, expected="an .xlsx (zip) file",
                                   found=f"first bytes {head[:8]!r}")


def _bomb(shown: str, what: str) -> UnreadableInputError:
    return UnreadableInputError(
        f"refused: {what}, above the limit of {MAX_UNCOMPRESSED_BYTES:,} bytes "
        "(possible zip bomb); nothing was parsed", file=shown,
        expected=f"at most {MAX_UNCOMPRESSED_BYTES:,} bytes uncompressed")


_EMPTY_CELL = re.compile(rb"<c\b[^<>]*/>|<c\b[^<>]*>(?:<v\s*/>|<v></v>)?</c>")
_EMPTY_ROW_XML = re.compile(rb"<row\b[^<>]*/>|<row\b[^<>]*></row>")
_CELL_TAG = re.compile(rb"<c[\s>]")
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_NUMBER_CELL = re.compile(r'<c r="([A-Z]+\d+)"([^>]*)>'
                          r'(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)?<v>([^<]*)</v>')
_WORKSHEET = re.compile(r"^xl/(worksheets|macrosheets|dialogsheets)/[^/]+\.xml$")
_SHARED_STRINGS = re.compile(r"^xl/[^/]*sharedstrings[^/]*\.xml$", re.IGNORECASE)
_SI_TAG = re.compile(rb"<(?:\w+:)?si[\s/>]")
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s/>]")
_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\s")
_MERGE_REF = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?\bref=\"([A-Za-z]+\d+(?::[A-Za-z]+\d+)?)\"")


class _Compactor:
    """Drops value-less cells (``<c r="A9" s="3"/>``) and then empty rows from a sheet's
    XML as it streams by, and counts the cells left. A sheet whose used range is a
    million formatted blank rows becomes its few real rows before openpyxl sees it.
    Text never contains a raw ``<``, so the patterns only ever match markup."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.carry = b""
        self.cells = 0
        self.size = 0
        self.formulas = 0
        self.merged = 0  # cells covered by merged ranges (openpyxl makes one object each)
        self.widest: tuple[int, str] = (0, "")

    def feed(self, chunk: bytes, final: bool = False) -> None:
        data = self.carry + chunk
        cut = len(data) if final else data.rfind(b">") + 1
        self.carry = data[cut:]
        kept = _EMPTY_ROW_XML.sub(b"", _EMPTY_CELL.sub(b"", data[:cut]))
        self.cells += len(_CELL_TAG.findall(kept))
        self.formulas += len(_FORMULA_TAG.findall(kept))
        for ref in _MERGE_REF.findall(kept):
            area = _area(ref.decode("ascii"))
            self.merged += area
            self.widest = max(self.widest, (area, ref.decode("ascii")))
        self.size += len(kept)
        self.parts.append(kept)


class _Tally:
    """Counts a tag in a streamed XML part (shared-string entries, sheets of the workbook)."""

    def __init__(self, pattern: re.Pattern) -> None:
        self.pattern, self.carry, self.count = pattern, b"", 0

    def feed(self, chunk: bytes) -> None:
        data = self.carry + chunk
        cut = data.rfind(b">") + 1
        self.carry = data[cut:]
        self.count += len(self.pattern.findall(data, 0, cut))


def _area(ref: str) -> int:
    """Cells in an A1:B2 range (1 for a single cell)."""
    from openpyxl.utils.cell import range_boundaries

    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
    except (ValueError, TypeError):
        return 0
    return (max_col - min_col + 1) * (max_row - min_row + 1)


def _refuse_dtd(zf: zipfile.ZipFile, part: str, shown: str) -> UnreadableInputError:
    sheet = sheet_names(zf).get(part)
    return UnreadableInputError(
        f"refused: the XML part {part} declares a DTD or entities (<!DOCTYPE/<!ENTITY); Excel "
        "never writes one, and it is how XML entity-expansion ('billion laughs') and "
        "external-entity attacks work; nothing was parsed", file=shown, sheet=sheet,
        expected="XML without a DOCTYPE", found="<!DOCTYPE")


def _scan_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str,
                 inflated: int) -> tuple[int, _Compactor | None]:
    """Inflate one member in chunks (never whole), counting bytes against the limit and
    refusing DTDs (defusedxml would refuse them too; this names the part, before parsing),
    shared-string tables over :data:`MAX_SHARED_STRINGS` and workbooks listing more than
    :data:`MAX_SHEETS` sheets (as soon as the count passes the limit)."""
    sheet = _Compactor() if _WORKSHEET.match(info.filename) else None
    tally, limit = _tally_for(info.filename)
    is_xml = info.filename.lower().endswith((".xml", ".rels", ".vml"))
    tail = b""
    with zf.open(info) as member:
        while chunk := member.read(_INFLATE_CHUNK):
            if is_xml and _DTD.search(tail + chunk):
                raise _refuse_dtd(zf, info.filename, shown)
            tail = chunk[-16:]
            inflated += len(chunk)
            if inflated > MAX_UNCOMPRESSED_BYTES:
                raise _bomb(shown, f"member {info.filename} inflates beyond its declared "
                                   f"{info.file_size:,} bytes and the total passes "
                                   f"{MAX_UNCOMPRESSED_BYTES:,} bytes")
            if sheet is not None:
                sheet.feed(chunk)
            if tally is not None:
                tally.feed(chunk)
                if tally.count > limit:
                    raise _too_many(info.filename, limit, shown)
    if sheet is not None:
        sheet.feed(b"", final=True)
    return inflated, sheet


def _tally_for(part: str) -> tuple[_Tally | None, int]:
    if _SHARED_STRINGS.match(part):
        return _Tally(_SI_TAG), MAX_SHARED_STRINGS
    if part == "xl/workbook.xml":
        return _Tally(_SHEET_TAG), MAX_SHEETS
    return None, 0


def _too_many(part: str, limit: int, shown: str, found: str | None = None
              ) -> UnreadableInputError:
    """The refusal of a part holding more sheets or shared strings than ``limit``."""
    if part == "xl/workbook.xml" or part.startswith("xl/worksheets"):
        found = found or f"more listed in {part}"
        return UnreadableInputError(
            f"refused: the workbook has more than {MAX_SHEETS:,} sheets ({found}); an SPBE "
            "workbook has a handful, even one sheet per instansi is about 650; nothing was "
            "parsed: split the workbook", file=shown,
            expected=f"at most {MAX_SHEETS:,} sheets", found=found)
    return UnreadableInputError(
        f"refused: the shared-string table {part} holds more than {limit:,} shared strings, "
        f"more than the {MAX_CELLS:,} cells a workbook may have (text no cell can show; "
        "nothing was parsed); copy the table into a new workbook and save",
        file=shown, expected=f"at most {limit:,} shared strings")


def _refuse_sheet(zf: zipfile.ZipFile, part: str, sheet: _Compactor, cells: int,
                  shown: str) -> None:
    """Refuse a sheet over the cell or merged-cell limit, naming the sheet (and range)."""
    name = sheet_names(zf).get(part) or part
    if cells > MAX_CELLS:
        raise UnreadableInputError(
            f"refused: the workbook holds more than {MAX_CELLS:,} non-empty cells "
            f"(at {part}); an SPBE table has a few thousand", file=shown, sheet=name,
            expected=f"at most {MAX_CELLS:,} non-empty cells", found=f"{cells:,} so far")
    if sheet.merged > MAX_MERGED_CELLS:
        area, ref = sheet.widest
        raise UnreadableInputError(
            f"refused: the sheet's merged ranges cover more than {MAX_MERGED_CELLS:,} cells "
            f"(the largest, {ref}, covers {area:,}); a title or header merge covers a few "
            "dozen: unmerge it in Excel and save", file=shown, sheet=name, cell=ref,
            expected=f"merged ranges covering at most {MAX_MERGED_CELLS:,} cells",
            found=f"{sheet.merged:,} cells")


def _check_package(zf: zipfile.ZipFile, shown: str) -> tuple[dict[str, bytes], int]:
    """Declared sizes, then actual inflated bytes (streamed) under the limit; returns the
    compacted XML of sheets that shrink by more than :data:`COMPACT_SAVING_BYTES` and the
    number of formula cells."""
    infos = zf.infolist()
    declared = sum(i.file_size for i in infos)
    if declared > MAX_UNCOMPRESSED_BYTES:
        raise _bomb(shown, f"the workbook declares {declared:,} bytes uncompressed")
    for info in infos:
        if info.compress_size and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO \
                and info.file_size > 10 * 1024 * 1024:
            raise UnreadableInputError(
                f"refused: member {info.filename} inflates "
                f"{info.file_size / info.compress_size:,.0f}"
                f"-fold to {info.file_size:,} bytes, above the ratio limit of "
                f"{MAX_COMPRESSION_RATIO} (possible zip bomb)", file=shown)
    _check_kind(zf, {i.filename for i in infos}, shown)
    n_sheets = sum(1 for i in infos if _WORKSHEET.match(i.filename))
    if n_sheets > MAX_SHEETS:
        raise _too_many("xl/worksheets", MAX_SHEETS, shown, found=f"{n_sheets:,} sheet parts")
    inflated, cells, formulas, compacted = 0, 0, 0, {}
    for info in infos:
        before = inflated
        inflated, sheet = _scan_member(zf, info, shown, inflated)
        if sheet is None:
            continue
        cells += sheet.cells
        formulas += sheet.formulas
        if cells > MAX_CELLS or sheet.merged > MAX_MERGED_CELLS:
            _refuse_sheet(zf, info.filename, sheet, cells, shown)
        if (inflated - before) - sheet.size > COMPACT_SAVING_BYTES:
            compacted[info.filename] = b"".join(sheet.parts)
    return compacted, formulas


def _check_kind(zf: zipfile.ZipFile, names: set[str], shown: str) -> None:
    if "mimetype" in names and zf.read("mimetype").startswith(_ODS_MIMETYPE):
        raise UnreadableInputError(
            "the file is an OpenDocument (.ods) spreadsheet under another name; open it in "
            "LibreOffice and save it as .xlsx (Excel 2007-365)", file=shown,
            expected="an .xlsx workbook", found="OpenDocument spreadsheet")
    if "xl/workbook.xml" not in names:
        raise UnreadableInputError(
            "the zip archive is not an .xlsx workbook (no xl/workbook.xml); if it is an "
            ".xlsb or another format, save it as .xlsx", file=shown,
            expected="an .xlsx workbook", found=f"a zip holding {sorted(names)[:5]}")


def _repack(path: Path, compacted: dict[str, bytes]) -> io.BytesIO:
    """The package with the compacted sheets swapped in, in memory."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, compacted.get(info.filename) or src.read(info))
    return out


def sheet_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part -> sheet name, from workbook.xml and its relationships ({} if unreadable).

    Parsed with defusedxml, so even a hostile workbook.xml cannot do harm here."""
    from defusedxml.ElementTree import fromstring

    try:
        rels = fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        book = fromstring(zf.read("xl/workbook.xml"))
    except Exception:  # any failure only costs the sheet name in a message
        return {}
    target = {r.get("Id"): r.get("Target", "") for r in rels}
    out = {}
    for sheet in book.iter("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}sheet"):
        rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
        part = target.get(rid, "").lstrip("/")
        out[part if part.startswith("xl/") else f"xl/{part}"] = sheet.get("name", "")
    return out


def first_bad_number(source: Path | bytes, shown: str) -> UnreadableInputError | None:
    """The first number cell whose stored value is not a number (``<v>NaN</v>``), which
    openpyxl cannot read: an error naming its sheet and cell, or None."""
    with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as zf:
        names = sheet_names(zf)
        for part in sorted(n for n in zf.namelist() if _WORKSHEET.match(n)):
            text = zf.read(part).decode("utf-8", "replace")
            for cell, attrs, value in _NUMBER_CELL.findall(text):
                kind = re.search(r'\bt="(\w+)"', attrs)
                if kind and kind.group(1) != "n":
                    continue
                try:
                    float(value)
                except ValueError:
                    return UnreadableInputError(
                        f"a number cell stores {value!r}, which is not a number, so the "
                        "workbook cannot be read; retype the cell in Excel and save",
                        file=shown, sheet=names.get(part, part), cell=cell,
                        expected="a number", found=repr(value))
                if value.strip().lower() in {"nan", "inf", "-inf", "infinity"}:
                    return UnreadableInputError(
                        f"a number cell stores {value!r}, which is not a number",
                        file=shown, sheet=names.get(part, part), cell=cell,
                        expected="a number", found=repr(value))
    return None


def _check_zip_sizes(path: Path, shown: str) -> tuple[dict[str, bytes], int]:
    try:
        with zipfile.ZipFile(path) as zf:
            return _check_package(zf, shown)
    except UnreadableInputError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            NotImplementedError, RuntimeError, zlib.error) as exc:
        if "Bad CRC" in str(exc):
            raise UnreadableInputError(
                f"the workbook is damaged: {exc}: a member does not match the size or checksum "
                "its header records (a corrupted copy, or a zip bomb lying about its size); "
                "nothing was parsed", file=shown) from None
        raise UnreadableInputError(f"the workbook is damaged or truncated ({exc})",
                                   file=shown) from None


def macro_parts(path: Path | str) -> list[str]:
    """Names of the VBA/macro parts in an .xlsx/.xlsm package (read, never run nor kept).

    >>> macro_parts("missing.xlsx")
    []
    """
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
    except (OSError, zipfile.BadZipFile):
        return []
    return sorted(n for n in names
                  if re.search(r"vbaProject|vbaData|/macrosheets/|/activeX/", n, re.IGNORECASE))


def preflight(path: Path, shown: str) -> tuple[Path | bytes, int]:
    """Every check that runs before any XML is parsed (format, encryption, zip bomb, cell
    count, extents); returns what to parse (the file, or its repacked bytes with blank
    cells dropped) and the number of formula cells."""
    if not openpyxl.xml.DEFUSEDXML:  # pragma: no cover - defusedxml is a hard dependency
        raise UnreadableInputError("defusedxml is not installed; refusing to parse XML unsafely",
                                   file=shown)
    with open(path, "rb") as fh:
        head = fh.read(8)
    _refuse_unsupported(path, head, shown)
    compacted, formulas = _check_zip_sizes(path, shown)
    return (_repack(path, compacted).getvalue() if compacted else path), formulas


def _load(source: Path | bytes, formulas: bool, shown: str) -> openpyxl.Workbook:
    try:
        return openpyxl.load_workbook(io.BytesIO(source) if isinstance(source, bytes) else source,
                                      data_only=not formulas, keep_vba=False,
                                      keep_links=False, rich_text=False)
    except UnreadableInputError:
        raise
    except Exception as exc:  # openpyxl raises many types for corrupt parts
        cause = exc.__cause__ or exc.__context__ or exc
        kind = type(cause).__name__
        if any(w in f"{type(exc).__name__} {kind}" for w in ("Entit", "DTD", "Forbidden")):
            raise UnreadableInputError(
                f"refused: the workbook's XML declares entities ({kind}); this is how XML "
                "entity-expansion and external-entity attacks work", file=shown) from None
        located = first_bad_number(source, shown) if isinstance(exc, ValueError) else None
        if located is not None:
            raise located from None
        first = str(cause).splitlines()[0] if str(cause) else ""
        first = first.replace(str(source), shown) if isinstance(source, Path) else first
        raise UnreadableInputError(f"the workbook cannot be read ({kind}: {first})",
                                   file=shown) from None


def open_workbook(path: Path | str, *, formulas: bool = False,
                  display_name: str | None = None) -> openpyxl.Workbook:
    """Open an .xlsx for reading values (``formulas=False``: cached values of formulas).

    Raises :class:`UnreadableInputError` naming the file (``display_name``, default
    the file name) for anything that is not a safe, readable .xlsx. Macros in .xlsm
    files are never run nor kept (``keep_vba=False``).
    """
    path = Path(path)
    shown = display_name or path.name
    return _load(preflight(path, shown)[0], formulas, shown)


def _present(ws, shown: str) -> dict[tuple[int, int], Any]:
    """Values of the cells that exist, from openpyxl's sparse cell store (``iter_rows``
    would visit a million blank rows of a huge used range); a value beyond column
    :data:`MAX_COLUMNS` is refused, naming the first one in reading order."""
    return checked_present(((rc, cell.value) for rc, cell in stored_cells(ws).items()),
                           ws.title, shown)


#: openpyxl versions whose private per-sheet cell store (``Worksheet._cells``, a dict
#: (row, col) -> Cell holding only the cells the file has) :func:`stored_cells` is known
#: to work with; a test fails on any other version, so an upgrade is checked, not assumed.
OPENPYXL_CELL_STORE_VERSIONS = ("3.1",)


def stored_cells(ws) -> dict[tuple[int, int], Any]:
    """(row, col) -> openpyxl Cell for the cells the sheet's XML holds, without visiting
    the used range (``iter_rows`` would create a cell for each of a million blank rows).

    openpyxl has no public API for this; its store ``Worksheet._cells`` is used here and
    nowhere else (versions in :data:`OPENPYXL_CELL_STORE_VERSIONS`, pinned by a test)."""
    return ws._cells


def checked_present(cells: Iterable[tuple[tuple[int, int], Any]], sheet: str, shown: str
                    ) -> dict[tuple[int, int], Any]:
    """(row, col) -> value of the non-blank cells (None and whitespace-only text dropped),
    refusing a value beyond column :data:`MAX_COLUMNS` (naming the first, in reading
    order); shared by both readers."""
    present = {rc: v for rc, v in cells
               if v is not None and not (isinstance(v, str) and not v.strip())}
    far = [rc for rc in present if rc[1] > MAX_COLUMNS]
    if far:
        r, c = min(far)
        raise UnreadableInputError(
            f"refused: a value beyond column {MAX_COLUMNS} ({get_column_letter(MAX_COLUMNS)}); "
            f"an SPBE table has fewer than 100 columns and {len(far):,} value(s) of this sheet "
            "lie beyond it: delete the stray cells (Ctrl+End shows the last one) and save",
            file=shown, sheet=sheet, cell=address(r, c),
            expected=f"values in columns A to {get_column_letter(MAX_COLUMNS)}",
            found=f"{present[(r, c)]!r} in column {c}"[:200])
    return present


class TextTotal:
    """Characters of text across a workbook's cells, refused past :data:`MAX_TEXT_CHARS`."""

    def __init__(self, shown: str) -> None:
        self.shown, self.chars, self.longest = shown, 0, (0, "", (0, 0))

    def add(self, sheet: str, present: dict[tuple[int, int], Any]) -> None:
        for rc, v in present.items():
            if isinstance(v, str):
                self.chars += len(v)
                if len(v) > self.longest[0]:  # the first of the longest, in reading order
                    self.longest = (len(v), sheet, rc)
        if self.chars > MAX_TEXT_CHARS:
            n, where, (r, c) = self.longest
            raise UnreadableInputError(
                f"refused: the cells hold more than {MAX_TEXT_CHARS:,} characters of text "
                f"(the longest, {n:,} characters, is at {where}!{address(r, c)}); an SPBE "
                "table holds short names and numbers: remove the pasted text and save",
                file=self.shown, sheet=where, cell=address(r, c),
                expected=f"at most {MAX_TEXT_CHARS:,} characters of text",
                found=f"{self.chars:,} characters so far")


def dense_rows(present: dict[tuple[int, int], Any]) -> list[Sequence[Any]]:
    """Rows down to the last non-empty one, each ending at its own last non-empty cell;
    blank rows are the shared empty tuple."""
    if not present:
        return []
    width: dict[int, int] = {}
    for r, c in present:
        width[r] = max(width.get(r, 0), c)
    rows: list = [_EMPTY_ROW] * max(width)
    for r, w in width.items():
        rows[r - 1] = [None] * w
    for (r, c), v in present.items():
        rows[r - 1][c - 1] = v
    return rows


def _merged_map(ws) -> dict[tuple[int, int], tuple[int, int]]:
    return merged_map((r.min_row, r.min_col, r.max_row, r.max_col) for r in ws.merged_cells.ranges)


def merged_map(ranges: Iterable[tuple[int, int, int, int]]
               ) -> dict[tuple[int, int], tuple[int, int]]:
    """Every non-anchor cell of the merged ranges (min_row, min_col, max_row, max_col;
    1-based) -> its anchor."""
    out = {}
    for min_row, min_col, max_row, max_col in ranges:
        for r in range(min_row, max_row + 1):
            for c in range(min_col, max_col + 1):
                if (r, c) != (min_row, min_col):
                    out[(r, c)] = (min_row, min_col)
    return out


def _uncached(values_ws, formulas_ws) -> set[tuple[int, int]]:
    """Formula cells (in the formulas view) with no cached value (in the values view)."""
    out = set()
    cached_cells = stored_cells(values_ws)
    for (r, c), cell in stored_cells(formulas_ws).items():
        if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("=")):
            cached = cached_cells.get((r, c))
            if cached is None or cached.value is None:
                out.add((r, c))
    return out


_EXTERNAL_REF = re.compile(r"\[(\d+)\]")


def _external(formulas_ws, targets: dict[int, str], uncached: set) -> dict[tuple[int, int], str]:
    return external_notes({rc: cell.value for rc, cell in stored_cells(formulas_ws).items()
                           if isinstance(cell.value, str)}, targets, uncached)


def external_notes(formulas: dict[tuple[int, int], str], targets: dict[int, str],
                   uncached: set) -> dict[tuple[int, int], str]:
    """Formula cells (``(row, col) -> "=…"``) that read another workbook (``=[1]Sheet1!A1``)
    -> a note naming the formula and the linked file. Their value is the copy Excel cached
    when the file was last saved, which cannot be checked against the linked file."""
    out = {}
    for (r, c), text in formulas.items():
        if (r, c) in uncached or not text.startswith("=") or not _EXTERNAL_REF.search(text):
            continue
        linked = ", ".join(dict.fromkeys(targets.get(int(n), f"external link [{n}]")
                                         for n in _EXTERNAL_REF.findall(text)))
        out[(r, c)] = (f"cell {address(r, c)} takes its value from another workbook through an "
                       f"external link ({text[:120]} -> {linked}); the value read is the copy "
                       "Excel cached when the file was saved and cannot be checked: replace "
                       "the link by its value (Copy, Paste Special > Values), save, and rebuild")
    return out


def external_targets(source: Path | bytes) -> dict[int, str]:
    """External link number (``[1]`` in formulas) -> the linked file as the workbook
    records it; {} when there are none or the parts cannot be read."""
    from defusedxml.ElementTree import fromstring

    rel_ns = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as zf:
            names = set(zf.namelist())
            if not any(n.startswith("xl/externalLinks/") for n in names):
                return {}
            book = fromstring(zf.read("xl/workbook.xml"))
            rels = {r.get("Id"): r.get("Target", "")
                    for r in fromstring(zf.read("xl/_rels/workbook.xml.rels"))}
            out = {}
            for n, ref in enumerate(book.iter(f"{main}externalReference"), start=1):
                part = rels.get(ref.get(rel_ns), "").lstrip("/")
                part = part if part.startswith("xl/") else f"xl/{part}"
                link_rels = part.replace("externalLinks/", "externalLinks/_rels/") + ".rels"
                if link_rels in names:
                    targets = [r.get("Target", "") for r in fromstring(zf.read(link_rels))]
                    out[n] = next((t for t in targets if t), part)
            return out
    except Exception:  # the target only makes the note clearer; the flag does not need it
        return {}


def read_grids(path: Path | str, *, display_name: str | None = None
               ) -> tuple[openpyxl.Workbook, list[Grid]]:
    """The values workbook and every sheet as a :class:`Grid`, in workbook order.

    ``display_name`` is the name used in messages and provenance (e.g. the path
    relative to the raw folder); defaults to the file name. The caller closes the
    returned workbook.
    """
    path = Path(path)
    name = display_name or path.name
    source, n_formulas = preflight(path, name)
    values = _load(source, False, name)
    try:  # the formulas view is parsed only when a sheet has a formula (half the time)
        formulas = _load(source, True, name) if n_formulas else values
        try:
            grids = _grids(values, formulas, external_targets(source), name)
        finally:
            if formulas is not values:
                formulas.close()
    except BaseException:
        values.close()
        raise
    return values, grids


def _grids(values: openpyxl.Workbook, formulas: openpyxl.Workbook, targets: dict[int, str],
           name: str) -> list[Grid]:
    grids, text = [], TextTotal(name)
    for ws in values.worksheets:
        fws = formulas[ws.title]
        present = _present(ws, name)
        text.add(ws.title, present)
        rows = dense_rows(present)
        hidden_rows = {r for r, dim in ws.row_dimensions.items() if dim.hidden}
        uncached = _uncached(ws, fws) if formulas is not values else set()
        grids.append(Grid(file=name, sheet=ws.title, rows=rows, merged=_merged_map(ws),
                          hidden_rows=hidden_rows, hidden=ws.sheet_state != "visible",
                          uncached=uncached, external=_external(fws, targets, uncached)
                          if formulas is not values else {}))
    return grids


_FOOTNOTE = re.compile(r"(\*+\)?|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\(\d\))$")
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def cell_text(value: Any) -> str:
    """A cell as clean text: None -> "", numbers without ".0", whitespace collapsed."""
    if value is None:
        return ""
    try:
        return _clean_text(value)
    except TypeError:  # an unhashable value (never a cell's): not worth caching
        return _clean_text.__wrapped__(value)


@functools.lru_cache(maxsize=1 << 16, typed=True)  # layout asks for each cell several times
def _clean_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())  # str.split() splits on what re's \s matches


@functools.lru_cache(maxsize=1 << 16, typed=True)  # header tests ask for each cell again
def label_words(value: Any, keep: str = "") -> str:
    """A label as lower-case words for matching header vocabulary: each run of characters
    other than a–z, 0–9 (and those in ``keep``) is one space. "Tingkat Kematangan (1–5)" ->
    "tingkat kematangan 1 5"; with ``keep="/"``, "Kabupaten/Kota" -> "kabupaten/kota"."""
    text = cell_text(value).casefold()
    return " ".join(re.sub(f"[^0-9a-z{re.escape(keep)}]+", " ", text).split())


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
        if value != value:
            raise ValueError("NaN where a number was expected")
        if value in (float("inf"), float("-inf")):
            raise ValueError("an infinite value where a number was expected")
        return float(value)
    if not isinstance(value, str):
        raise ValueError(f"a {type(value).__name__} where a number was expected")
    if cell_text(value).upper() in EXCEL_ERRORS:
        raise ValueError(f"the Excel error value {cell_text(value).upper()} where a number was "
                         "expected; fix the formula in Excel, save, and rebuild")
    text = cell_text(value).replace(" ", "")
    if not text or text in {"-", "–", "—"}:
        return None
    text = _FOOTNOTE.sub("", text)
    if not _NUMBER.match(text):
        raise ValueError(f"text {cell_text(value)!r} where a number was expected")
    return float(text.replace(",", "."))
