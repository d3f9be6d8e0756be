"""spbe extract on a PDF in the national report's layout, with domain columns:
``No | Nama Instansi | D1 | D2 | D3 | D4 | Indeks | Predikat`` (drawn here with reportlab).

The figures are the published 2023 ones of these instansi (Laporan Evaluasi SPBE 2023),
except Kabupaten Seluma's index, changed on purpose (2,54 printed as 2,44) so that the
cross-check against Σ bobot × domain must flag it.
"""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

pytest.importorskip("pdfplumber", reason="needs the pdf extra: pip install -e '.[pdf]'")
pytest.importorskip("reportlab", reason="needs reportlab (dev extra)")

from spbe_tools.extract import extract  # noqa: E402

PAGE_W, PAGE_H = 595.0, 842.0
COLS = (30.0, 55.0, 290.0, 330.0, 370.0, 410.0, 450.0, 495.0, 570.0)
LABELS = ("No", "Nama Instansi", "D1", "D2", "D3", "D4", "Indeks", "Predikat")
ROWS = [
    ("A. KEMENTERIAN", None),
    ("1", ("Kementerian Keuangan", "4,90", "4,70", "4,18", "4,74", "4,66", "Memuaskan")),
    ("2", ("Kementerian Komunikasi dan Informatika", "5,00", "4,20", "3,27", "5,00", "4,52",
           "Memuaskan")),
    ("D. PEMERINTAH KABUPATEN", None),
    ("1", ("Kabupaten Bengkulu Utara", "2,30", "2,10", "1,55", "4,01", "2,90", "Baik")),
    ("2", ("Kabupaten Kaur", "3,10", "1,20", "1,00", "3,01", "2,24", "Cukup")),
    ("3", ("Kabupaten Seluma", "2,50", "1,70", "1,00", "3,58", "2,44", "Cukup")),
]


def _report_pdf(path: Path, rules: bool) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H), invariant=1)
    y = 790.0
    for line in ("LAMPIRAN KEPUTUSAN MENTERI PANRB NOMOR 13 TAHUN 2024",
                 "HASIL EVALUASI SPBE TAHUN 2023"):
        c.setFont("Helvetica-Bold", 10)
        c.drawCentredString(PAGE_W / 2, y, line)
        y -= 16
    y -= 8

    def box(span: bool = False) -> None:
        if rules:
            c.setLineWidth(0.6)
            c.rect(COLS[0], y - 16, COLS[-1] - COLS[0], 16)
            for x in ([] if span else COLS[1:-1]):
                c.line(x, y, x, y - 16)

    box()
    c.setFont("Helvetica-Bold", 8)
    for (x0, x1), label in zip(zip(COLS, COLS[1:]), LABELS):
        c.drawCentredString((x0 + x1) / 2, y - 11.5, label)
    y -= 16
    for no, cells in ROWS:
        box(span=cells is None)
        c.setFont("Helvetica", 8)
        if cells is None:
            c.drawString(COLS[0] + 4, y - 11.5, no)
        else:
            c.drawCentredString((COLS[0] + COLS[1]) / 2, y - 11.5, no)
            c.drawString(COLS[1] + 4, y - 11.5, cells[0])
            for k, text in enumerate(cells[1:6], start=2):
                c.drawCentredString((COLS[k] + COLS[k + 1]) / 2, y - 11.5, text)
            c.drawString(COLS[7] + 4, y - 11.5, cells[6])
        y -= 16
    c.drawCentredString(PAGE_W / 2, 36, "- 1 -")
    c.save()
    return path


@pytest.mark.parametrize("rules", [True, False], ids=["ruled", "white-space"])
def test_an_eight_column_report_page_reads_its_domains_and_checks_the_index(tmp_path, rules):
    pdf = _report_pdf(tmp_path / "hasil_2023.pdf", rules)
    result = extract(pdf, tmp_path / "hasil_2023.xlsx")
    truth = [cells for _, cells in ROWS if cells]
    got = [(r.name, *(f"{r.domains[d]:.2f}".replace(".", ",") for d in ("D1", "D2", "D3",
                                                                        "D4")),
            f"{r.index:.2f}".replace(".", ","), r.predikat) for r in result.rows]
    assert got == truth
    assert [(r.name, r.flags) for r in result.flagged] == [
        ("Kabupaten Seluma", ["indeks 2,44 ≠ Σ bobot × domain 2,54"])]


def test_the_workbook_of_a_domain_pdf_has_the_domain_columns_and_their_provenance(tmp_path):
    pdf = _report_pdf(tmp_path / "hasil_2023.pdf", True)
    result = extract(pdf, tmp_path / "hasil_2023.xlsx")
    wb = openpyxl.load_workbook(result.out)
    ws = wb["Lampiran 2023"]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(v for v in values if v[0] == "No")
    assert header == ["No", "Nama Instansi", "D1", "D2", "D3", "D4", "Indeks", "Predikat",
                      "Periksa", "Sumber", "Catatan"]
    seluma = next(v for v in values if v[1] == "Kabupaten Seluma")
    assert seluma[2:8] == [2.5, 1.7, 1.0, 3.58, 2.44, "Cukup"]
    assert seluma[8] == "indeks 2,44 ≠ Σ bobot × domain 2,54"
    assert seluma[9].endswith(", hlm. 1")
    at = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "Kabupaten Seluma")
    assert ws.cell(at, 7).fill.fgColor.rgb == "FFF4B183"  # the index cell is marked
    prov = wb["provenance"]
    assert prov.max_row - 1 == 8 * len(result.rows)  # No, Nama, D1-D4, Indeks, Predikat
    cells = {r[0]: r for r in prov.iter_rows(min_row=2, values_only=True)}
    assert cells[f"'Lampiran 2023'!E{at}"][7] == "1,00"  # D3 as read
