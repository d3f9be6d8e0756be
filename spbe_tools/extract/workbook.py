"""Write the extraction: the annex workbook (data sheet, ``periksa``, ``provenance``) and
the ``<stem>.source.yml`` sidecar.

The data sheet has the layout ``spbe build`` reads (:mod:`spbe_tools.layout`): title rows
with the decree and the evaluation year, one header row
``No | Nama Instansi | Indeks | Predikat | Periksa | Sumber | Catatan``, a section row per
category and one row per instansi. A non-empty ``Periksa`` cell is the analyst's to-do:
``spbe build`` sends that row to ``rejects.csv`` until the cell is emptied. Flagged cells
are filled in colour and carry a comment with the reason.

The workbook depends only on the PDF and the code (fixed document dates, fixed zip
times, PNG crops rendered deterministically): the same PDF gives the same bytes. Only the
sidecar carries the extraction date.
"""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.drawing.image import Image as XlImage
from openpyxl.styles import Font, PatternFill

from spbe_tools.categories import SECTION_LABELS
from spbe_tools.extract.checks import AnnexRow

__all__ = ["REVIEW_SHEET", "PROVENANCE_SHEET", "HEADER", "annex_workbook", "row_png",
           "CROP_DPI"]

REVIEW_SHEET, PROVENANCE_SHEET = "periksa", "provenance"
HEADER = ("No", "Nama Instansi", "Indeks", "Predikat", "Periksa", "Sumber", "Catatan")
CROP_DPI = 110  # resolution of the row pictures in the periksa sheet
_FLAG_FILL = PatternFill("solid", start_color="FFF4B183", end_color="FFF4B183")
_COLS = {"no": 1, "name": 2, "index": 3, "predikat": 4}


def _flag_columns(row: AnnexRow) -> set[int]:
    """Data-sheet columns (1-based) whose cell a flag is about."""
    cols = {5}
    for flag in row.flags:
        for word, col in (("No ", 1), ("nama", 2), ("instansi", 2), ("indeks", 3),
                          ("predikat", 4), ("OCR", 3)):
            if word in flag:
                cols.add(col)
    return cols


def _title(ws, decree: str | None, year: int) -> int:
    lines = ["LAMPIRAN", f"KEPUTUSAN MENTERI PANRB: {decree}" if decree else None,
             f"HASIL EVALUASI SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK TAHUN {year}",
             "Diekstrak dari PDF lampiran dengan spbe extract. Baris yang kolom Periksa-nya "
             "berisi masuk rejects sampai tanda itu dihapus oleh analis."]
    r = 0
    for text in filter(None, lines):
        r += 1
        ws.cell(r, 1, text).font = Font(bold=r <= 3)
    return r + 2


def _data_sheet(wb: Workbook, rows: list[AnnexRow], year: int, decree: str | None,
                source: str) -> dict[int, int]:
    """Fill the annex sheet; returns id(row) -> worksheet row number."""
    ws = wb.active
    ws.title = f"Lampiran {year}"
    r = _title(ws, decree, year)
    for c, label in enumerate(HEADER, start=1):
        ws.cell(r, c, label).font = Font(bold=True)
    where, section = {}, object()
    for row in rows:
        if row.section != section:
            section = row.section
            r += 1
            ws.cell(r, 1, SECTION_LABELS.get(section, str(section).upper())).font = Font(bold=True)
        r += 1
        where[id(row)] = r
        _data_row(ws, r, row, source)
    for col, width in zip("ABCDEFG", (6, 52, 9, 14, 40, 36, 40)):
        ws.column_dimensions[col].width = width
    return where


def _data_row(ws, r: int, row: AnnexRow, source: str) -> None:
    ws.cell(r, 1, row.no if row.no is not None else row.raw.cells.get("no", ""))
    ws.cell(r, 2, row.name)
    cell = ws.cell(r, 3, row.index if row.index is not None else row.index_text)
    cell.number_format = "0.00"
    ws.cell(r, 4, row.predikat)
    reason = "; ".join(row.flags)
    ws.cell(r, 5, reason or None)
    ws.cell(r, 6, f"{source}, hlm. {row.page}")
    x0, top, x1, bottom = row.raw.box
    note = (f"PDF hlm. {row.page}, kotak {x0:.0f},{top:.0f},{x1:.0f},{bottom:.0f} pt "
            f"({row.raw.engine})")
    ws.cell(r, 7, "; ".join([note] + row.notes))
    if reason:
        for c in sorted(_flag_columns(row)):
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
                  data_sheet: str) -> None:
    ws = wb.create_sheet(REVIEW_SHEET)
    head = ("Halaman", "Sel data", "No", "Nama (dibaca)", "Indeks (dibaca)", "Predikat",
            "Alasan", "Gambar baris di PDF")
    for c, label in enumerate(head, start=1):
        ws.cell(1, c, label).font = Font(bold=True)
    r = 1
    for row in rows:
        if not row.flags:
            continue
        r += 1
        values = (row.page, f"'{data_sheet}'!B{where[id(row)]}", row.raw.cells.get("no", ""),
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


def _provenance_sheet(wb: Workbook, rows: list[AnnexRow], where: dict[int, int],
                      data_sheet: str) -> None:
    ws = wb.create_sheet(PROVENANCE_SHEET)
    head = ("Sel", "Halaman", "x0 (pt)", "atas (pt)", "x1 (pt)", "bawah (pt)", "Mesin",
            "Teks dibaca", "Keyakinan")
    for c, label in enumerate(head, start=1):
        ws.cell(1, c, label).font = Font(bold=True)
    r = 1
    for row in rows:
        for col, letter in (("no", "A"), ("name", "B"), ("index", "C"), ("predikat", "D")):
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
                   pdf=None) -> Workbook:
    """The extraction as a workbook: data sheet, ``periksa`` (flagged rows with the
    picture of each row when ``pdf``, an open pypdfium2 document, is given) and
    ``provenance`` (each data cell -> page and box in points)."""
    wb = Workbook()
    where = _data_sheet(wb, rows, year, decree, source)
    name = wb.active.title
    _review_sheet(wb, rows, where, pdf, name)
    _provenance_sheet(wb, rows, where, name)
    return wb


