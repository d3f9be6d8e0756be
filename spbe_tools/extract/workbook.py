"""Write the extraction: the annex workbook (data sheet, ``periksa``, ``provenance``) and
the ``<stem>.source.yml`` sidecar.

The data sheet has the layout ``spbe build`` reads (:mod:`spbe_tools.layout`): title rows
with the decree and the evaluation year, one header row
``No | Nama Instansi | Indeks | Predikat | Periksa | Sumber | Catatan`` (with the domain
columns ``D1 … D4`` after the name when the source had them), a section row per category
(per table of a text source; a table titled with a province gets
``PEMERINTAH DAERAH DI <PROVINCE>``, the province's canonical name) and one row per
instansi. A row's ``Sumber`` says where it stands ("…, hlm. 3"; "laporan.md, baris
1093"). A non-empty ``Periksa`` cell is the analyst's to-do: ``spbe build`` sends that row
to ``rejects.csv`` until the cell is emptied. Flagged cells are filled in colour and
carry a comment with the reason.

The workbook depends only on the source file and the code (fixed document dates, fixed zip
times, PNG crops rendered deterministically): the same PDF gives the same bytes. Only the
sidecar carries the extraction date.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.drawing.image import Image as XlImage
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from spbe_tools.categories import SECTION_LABELS
from spbe_tools.extract.checks import AnnexRow

__all__ = ["REVIEW_SHEET", "PROVENANCE_SHEET", "HEADER", "annex_workbook", "row_png",
           "CROP_DPI", "TextOrigin", "section_label"]

REVIEW_SHEET, PROVENANCE_SHEET = "periksa", "provenance"
HEADER = ("No", "Nama Instansi", "Indeks", "Predikat", "Periksa", "Sumber", "Catatan")
CROP_DPI = 110  # resolution of the row pictures in the periksa sheet
_FLAG_FILL = PatternFill("solid", start_color="FFF4B183", end_color="FFF4B183")
_WIDTHS = {"no": 6, "name": 52, "index": 9, "predikat": 14, "periksa": 40, "sumber": 36,
           "catatan": 40}
_DOMAIN_WIDTH = 7
_PROVINCE_SECTION = "PEMERINTAH DAERAH DI {}"


@dataclass(frozen=True)
class TextOrigin:
    """A text source: ``kind`` (Markdown | HTML) and the file name rows cite."""

    kind: str
    file: str


def _columns(rows: list[AnnexRow]) -> list[str]:
    """Data-sheet columns, left to right: the domain items only when rows carry them."""
    items = list(dict.fromkeys(item for row in rows for item in row.domains))
    return ["no", "name", *items, "index", "predikat", "periksa", "sumber", "catatan"]


def _header(columns: list[str]) -> list[str]:
    labels = dict(zip(("no", "name", "index", "predikat", "periksa", "sumber", "catatan"),
                      HEADER))
    return [labels.get(c, c) for c in columns]


def _flag_columns(row: AnnexRow, columns: list[str]) -> set[int]:
    """Data-sheet columns (1-based) whose cell a flag is about."""
    words = [("No ", "no"), ("nama", "name"), ("instansi", "name"), ("indeks", "index"),
             ("predikat", "predikat"), ("OCR", "index"), ("provinsi", "name")]
    words += [(f"{item} ", item) for item in row.domains]
    cols = {columns.index("periksa") + 1}
    for flag in row.flags:
        cols |= {columns.index(col) + 1 for word, col in words if word in flag}
    return cols


def section_label(row: AnnexRow) -> str:
    """The section row written above ``row``'s group: the category's label, or
    "PEMERINTAH DAERAH DI BENGKULU" for a table of one province's pemda."""
    if row.province:
        return _PROVINCE_SECTION.format(row.province.upper())
    return SECTION_LABELS.get(row.section, str(row.section).upper())


def _title(ws, decree: str | None, year: int, origin: TextOrigin | None) -> int:
    read = (f"{origin.kind} {origin.file}" if origin else "PDF lampiran")
    lines = ["LAMPIRAN", f"KEPUTUSAN MENTERI PANRB: {decree}" if decree else None,
             f"HASIL EVALUASI SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK TAHUN {year}",
             f"Diekstrak dari {read} dengan spbe extract. Baris yang kolom Periksa-nya "
             "berisi masuk rejects sampai tanda itu dihapus oleh analis."]
    r = 0
    for text in filter(None, lines):
        r += 1
        ws.cell(r, 1, text).font = Font(bold=r <= 3)
    return r + 2


def _data_sheet(wb: Workbook, rows: list[AnnexRow], year: int, decree: str | None,
                source: str, origin: TextOrigin | None) -> dict[int, int]:
    """Fill the annex sheet; returns id(row) -> worksheet row number."""
    ws = wb.active
    ws.title = f"Lampiran {year}"
    r = _title(ws, decree, year, origin)
    columns = _columns(rows)
    for c, label in enumerate(_header(columns), start=1):
        ws.cell(r, c, label).font = Font(bold=True)
    where, group = {}, object()
    for row in rows:
        if row.group != group:
            group = row.group
            r += 1
            ws.cell(r, 1, section_label(row)).font = Font(bold=True)
        r += 1
        where[id(row)] = r
        _data_row(ws, r, row, source, columns, origin)
    for c, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(c)].width = _WIDTHS.get(col, _DOMAIN_WIDTH)
    return where


def _note(row: AnnexRow, origin: TextOrigin | None) -> str:
    """Catatan: where the row was read (PDF page and box, or the text file's line)."""
    if origin:
        return f"{origin.kind} {origin.file}, {row.where}"
    x0, top, x1, bottom = row.raw.box
    return (f"PDF hlm. {row.page}, kotak {x0:.0f},{top:.0f},{x1:.0f},{bottom:.0f} pt "
            f"({row.raw.engine})")


def _data_row(ws, r: int, row: AnnexRow, source: str, columns: list[str],
              origin: TextOrigin | None) -> None:
    reason = "; ".join(row.flags)
    values = {"no": row.no if row.no is not None else row.raw.cells.get("no", ""),
              "name": row.name,
              "index": row.index if row.index is not None else row.index_text,
              "predikat": row.predikat, "periksa": reason or None,
              "sumber": f"{source}, {row.where}",
              "catatan": "; ".join([_note(row, origin)] + row.notes)}
    for item, value in row.domains.items():
        values[item] = value if value is not None else row.raw.cells.get(item, "")
    for c, col in enumerate(columns, start=1):
        cell = ws.cell(r, c, values.get(col))
        if col == "index" or col in row.domains:
            cell.number_format = "0.00"
    if reason:
        for c in sorted(_flag_columns(row, columns)):
            ws.cell(r, c).fill = _FLAG_FILL
            ws.cell(r, c).comment = Comment(reason, "spbe extract", width=300, height=90)


def row_png(pdf, row: AnnexRow, dpi: int = CROP_DPI) -> bytes:
    """PNG bytes of the row's strip of the page (the row box, 4 pt margin), ``dpi`` px/in."""
    page = pdf[row.page - 1]
    width, height = page.get_size()
    x0, top, x1, bottom = row.raw.box
    x0, x1 = max(0.0, min(x0, 30.0) - 4), min(width, max(x1, width - 30.0) + 4)
    top, bottom = max(0.0, top - 4), min(height, bottom + 4)
    # pdfium crops are (left, bottom, right, top) margins to remove, in points
    image = page.render(scale=dpi / 72, crop=(x0, height - bottom, width - x1, top)).to_pil()
    buf = io.BytesIO()
    image.convert("L").save(buf, "PNG", optimize=False)
    return buf.getvalue()


def _review_sheet(wb: Workbook, rows: list[AnnexRow], where: dict[int, int], pdf,
                  data_sheet: str, origin: TextOrigin | None) -> None:
    ws = wb.create_sheet(REVIEW_SHEET)
    head = ("Halaman", "Sel data", "No", "Nama (dibaca)", "Indeks (dibaca)", "Predikat",
            "Alasan", "Gambar baris di PDF")
    if origin:  # a text source: where the row stands in the file, no picture
        head = ("Letak", *head[1:-1])
    for c, label in enumerate(head, start=1):
        ws.cell(1, c, label).font = Font(bold=True)
    r = 1
    for row in rows:
        if not row.flags:
            continue
        r += 1
        values = (row.where if origin else row.page, f"'{data_sheet}'!B{where[id(row)]}",
                  row.raw.cells.get("no", ""),
                  row.raw.cells.get("name", ""), row.index_text, row.raw.cells.get("predikat", ""),
                  "; ".join(row.flags))
        for c, v in enumerate(values, start=1):
            ws.cell(r, c, v)
        if pdf is not None:
            img = XlImage(io.BytesIO(row_png(pdf, row)))
            ws.add_image(img, f"H{r}")
            ws.row_dimensions[r].height = max(18.0, img.height * 0.75 + 4)
    for col, width in zip("ABCDEFGH", (9, 22, 6, 40, 12, 14, 60, 120)):
        ws.column_dimensions[col].width = width


def _text_provenance(ws, rows: list[AnnexRow], where: dict[int, int], data_sheet: str,
                     origin: TextOrigin) -> None:
    """Each data cell -> the file, the row's place in it and the text read there."""
    columns = _columns(rows)
    for c, label in enumerate(("Sel", "Berkas", "Letak", "Teks dibaca"), start=1):
        ws.cell(1, c, label).font = Font(bold=True)
    r = 1
    for row in rows:
        for c, col in enumerate(columns, start=1):
            if col not in row.raw.cells:
                continue
            r += 1
            values = (f"'{data_sheet}'!{get_column_letter(c)}{where[id(row)]}", origin.file,
                      row.where, row.raw.cells[col])
            for k, v in enumerate(values, start=1):
                ws.cell(r, k, v)


def _provenance_sheet(wb: Workbook, rows: list[AnnexRow], where: dict[int, int],
                      data_sheet: str, origin: TextOrigin | None = None) -> None:
    ws = wb.create_sheet(PROVENANCE_SHEET)
    if origin:
        _text_provenance(ws, rows, where, data_sheet, origin)
        return
    letters = {col: get_column_letter(c) for c, col in enumerate(_columns(rows), start=1)}
    head = ("Sel", "Halaman", "x0 (pt)", "atas (pt)", "x1 (pt)", "bawah (pt)", "Mesin",
            "Teks dibaca", "Keyakinan")
    for c, label in enumerate(head, start=1):
        ws.cell(1, c, label).font = Font(bold=True)
    r = 1
    for row in rows:
        for col, letter in letters.items():
            box = row.raw.boxes.get(col)
            if box is None:
                continue
            r += 1
            values = (f"'{data_sheet}'!{letter}{where[id(row)]}", row.page,
                      *(round(v, 1) for v in box), row.raw.engine, row.raw.cells.get(col, ""),
                      round(row.raw.conf.get(col, 1.0), 3))
            for c, v in enumerate(values, start=1):
                ws.cell(r, c, v)


def annex_workbook(rows: list[AnnexRow], *, year: int, decree: str | None, source: str,
                   pdf=None, origin: TextOrigin | None = None) -> Workbook:
    """The extraction as a workbook: data sheet, ``periksa`` (flagged rows with the
    picture of each row when ``pdf``, an open pypdfium2 document, is given) and
    ``provenance`` (each data cell -> page and box in points; for a text source, given
    by ``origin``, -> file, line and text read)."""
    wb = Workbook()
    where = _data_sheet(wb, rows, year, decree, source, origin)
    name = wb.active.title
    _review_sheet(wb, rows, where, pdf, name, origin)
    _provenance_sheet(wb, rows, where, name, origin)
    return wb


