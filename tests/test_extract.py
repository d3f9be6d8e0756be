"""spbe extract: annex PDFs generated here (reportlab, synthetic numbers) -> workbook -> build.

Every PDF is written to a temporary folder with its truth (:mod:`_pdfs`); the tests compare
what was read with that truth row by row.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

import openpyxl
import pytest
import yaml

pytest.importorskip("pdfplumber", reason="needs the pdf extra: pip install -e '.[pdf]'")
pytest.importorskip("reportlab", reason="needs reportlab (dev extra)")

from spbe_tools.build import build  # noqa: E402
from spbe_tools.cli import main  # noqa: E402
from spbe_tools.extract import extract_pdf  # noqa: E402
from spbe_tools.extract.checks import folded_key  # noqa: E402
from spbe_tools.extract.errors import PdfError  # noqa: E402

from _pdfs import Entry, annex_entries, write_text_pdf  # noqa: E402
from conftest import PROJECT_ROOT  # noqa: E402


def _read(rows) -> list[tuple]:
    return [(r.section, r.no, r.name, r.index, r.predikat) for r in rows]


def _truth(entries: list[Entry]) -> list[tuple]:
    return [(e.category, e.no, e.name, e.index, e.predikat) for e in entries]


@pytest.fixture(scope="module")
def small_entries() -> list[Entry]:
    return annex_entries(per_section=14, seed=11)


@pytest.fixture(scope="module")
def text_annex(tmp_path_factory, small_entries):
    """A three-page Helvetica annex with ruling lines, extracted once for several tests."""
    folder = tmp_path_factory.mktemp("annex")
    pdf = write_text_pdf(folder / "synthetic_lampiran_2023.pdf", small_entries)
    out = folder / "raw" / "annex" / "synthetic_lampiran_2023.xlsx"
    return pdf, out, extract_pdf(pdf, out)


def test_text_layer_rows_equal_the_generated_truth(text_annex, small_entries):
    _, _, result = text_annex
    assert _read(result.rows) == _truth(small_entries)
    assert result.flagged == []
    assert set(result.engines.values()) == {"teks"} and len(result.engines) >= 2


def test_times_without_ruling_lines_reads_the_columns_from_the_white_space(tmp_path):
    entries = annex_entries(per_section=9, seed=5)
    pdf = write_text_pdf(tmp_path / "a.pdf", entries, font="Times-Roman", rules=False)
    result = extract_pdf(pdf, tmp_path / "a.xlsx")
    assert _read(result.rows) == _truth(entries)
    assert result.flagged == []


def test_year_and_decree_come_from_the_title(text_annex):
    _, _, result = text_annex
    assert (result.year, result.decree_found) == (2023, "KepmenPANRB No. 13 Tahun 2024")


def test_page_numbers_headers_and_signature_are_not_data(text_annex, small_entries):
    _, _, result = text_annex
    names = [r.name for r in result.rows]
    assert len(names) == len(small_entries)
    assert not any("MENTERI" in n or "ttd" in n or n.startswith("-") for n in names)


def test_build_accepts_every_clean_row_with_page_provenance(text_annex, small_entries, tmp_path):
    _, out, _ = text_annex
    res = build(out.parent.parent, tmp_path / "processed")
    assert res.rejects.empty
    got = res.results.set_index("instansi_reported")[["index", "category"]]
    for e in small_entries:
        assert got.loc[e.name, "index"] == e.index
        assert got.loc[e.name, "category"] == e.category
    assert res.results["note"].str.match(r"PDF hlm\. \d+, kotak \d+,\d+,\d+,\d+ pt").all()
    assert set(res.results["synthetic"]) == {True}


def test_same_pdf_gives_a_byte_identical_workbook(text_annex, tmp_path):
    pdf, out, _ = text_annex
    again = tmp_path / "synthetic_again.xlsx"
    extract_pdf(pdf, again)
    assert again.read_bytes() == out.read_bytes()


def test_sidecar_records_the_pdf_hash_pages_engines_and_review_count(text_annex):
    import hashlib
    pdf, out, result = text_annex
    side = yaml.safe_load(out.with_name(out.stem + ".source.yml").read_text(encoding="utf-8"))
    info = side["pdf"]
    assert info["sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert info["pages"] == len(result.engines)
    assert set(info["engines"].values()) == {"teks"}
    assert info["needs_review"] == 0 and info["rows"] == len(result.rows)
    assert side["evaluation_year"] == 2023 and side["synthetic"] is True
    assert info["extracted_on"] == side["transcribed"]


@pytest.fixture(scope="module")
def doubtful_annex(tmp_path_factory):
    """A text annex with an unknown name, a predikat outside its band, a gap in No and a
    duplicated instansi: four rows the analyst must see."""
    from dataclasses import replace
    entries = annex_entries(per_section=6, seed=3)
    kab = [i for i, e in enumerate(entries) if e.category == "kabupaten"]
    entries[kab[1]] = replace(entries[kab[1]], name="Kabupaten Antah Berantah")
    entries[kab[2]] = replace(entries[kab[2]], index=3.80, predikat="Cukup")
    kota = [i for i, e in enumerate(entries) if e.category == "kota"]
    entries[kota[3]] = replace(entries[kota[3]], no=9)  # the next row is 5: a gap, not a skip
    entries[kota[5]] = replace(entries[kota[5]], name=entries[kota[0]].name)
    folder = tmp_path_factory.mktemp("doubt")
    pdf = write_text_pdf(folder / "lampiran_ragu.pdf", entries)
    out = folder / "raw" / "annex" / "lampiran_ragu.xlsx"
    return entries, out, extract_pdf(pdf, out)


def test_each_doubtful_row_is_flagged_with_its_reason(doubtful_annex):
    entries, _, result = doubtful_annex
    flagged = {(r.section, r.no): " | ".join(r.flags) for r in result.flagged}
    assert "tidak dikenali sebagai kabupaten" in flagged[("kabupaten", 2)]
    assert "tidak sesuai pita indeks 3.80 (Sangat Baik)" in flagged[("kabupaten", 3)]
    assert "No 9 tidak berurutan (diharapkan 4)" in flagged[("kota", 9)]
    assert "muncul 2 kali" in flagged[("kota", 1)] and "muncul 2 kali" in flagged[("kota", 6)]
    assert len(flagged) == 5
    # the best reading is kept, nothing is dropped
    assert [(r.no, r.index) for r in result.rows] == [(e.no, e.index) for e in entries]


def test_flagged_rows_are_coloured_commented_and_listed_with_a_picture(doubtful_annex):
    _, out, result = doubtful_annex
    wb = openpyxl.load_workbook(out)
    data, review = wb["Lampiran 2023"], wb["periksa"]
    marked = [row for row in data.iter_rows(min_row=1) if row[4].value and row[4].row > 6]
    assert len(marked) == len(result.flagged) == review.max_row - 1
    for row in marked:
        assert row[4].fill.fgColor.rgb == "FFF4B183"
        assert row[4].comment is not None and row[4].comment.text == row[4].value
    assert len(review._images) == len(result.flagged)
    assert {review.cell(r, 1).value for r in range(2, review.max_row + 1)} == {
        r.page for r in result.flagged}
    prov = wb["provenance"]
    assert prov.max_row - 1 == 4 * len(result.rows)  # No, Nama, Indeks, Predikat of each row


def test_build_rejects_marked_rows_until_the_analyst_clears_the_mark(doubtful_annex, tmp_path):
    _, out, result = doubtful_annex
    raw = tmp_path / "raw"
    (raw / "annex").mkdir(parents=True)
    work = raw / "annex" / out.name
    work.write_bytes(out.read_bytes())
    side = out.with_name(out.stem + ".source.yml")
    (raw / "annex" / side.name).write_bytes(side.read_bytes())
    first = build(raw, tmp_path / "p1")
    assert len(first.rejects) == len(result.flagged)
    assert first.rejects["reason"].str.contains(r"Periksa\): .*\[PDF hlm\. \d+, kotak").all()
    assert len(first.results) == len(result.clean)
    # the analyst checks the predikat row against the PDF and clears its mark
    wb = openpyxl.load_workbook(work)
    ws = wb["Lampiran 2023"]
    row = next(r for r in ws.iter_rows() if r[4].value and "pita indeks" in str(r[4].value))
    row[4].value = None
    wb.save(work)
    second = build(raw, tmp_path / "p2")
    assert len(second.rejects) == len(result.flagged) - 1
    cleared = second.results[second.results["source_cell"] == f"C{row[0].row}"]
    assert len(cleared) == 1 and cleared["predikat_flag"].iloc[0] == "mismatch"
    assert cleared["note"].iloc[0].startswith("PDF hlm.")


def _prose_pdf(path: Path, pages: int = 1, text: str = "Halaman tanpa tabel.",
               encrypt: str | None = None) -> Path:
    from reportlab.pdfgen import canvas
    c = canvas.Canvas(str(path), invariant=1, encrypt=encrypt)
    for i in range(pages):
        c.drawString(72, 700, f"{text} {i + 1}")
        c.showPage()
    c.save()
    return path


def _bad_pdf(kind: str, folder: Path, text_pdf: Path) -> Path:
    path = folder / f"{kind}.pdf"
    if kind == "not-a-pdf":
        path.write_text("No;Nama Instansi;Indeks\n1;Kota Bengkulu;2,61\n", encoding="utf-8")
    elif kind == "encrypted":
        _prose_pdf(path, encrypt="rahasia")
    elif kind == "truncated":
        data = text_pdf.read_bytes()
        path.write_bytes(data[: len(data) * 2 // 3])
    elif kind == "no-table":
        _prose_pdf(path, pages=2)
    elif kind == "too-many-pages":
        _prose_pdf(path, pages=2000)
    return path


@pytest.mark.parametrize("kind, message", [
    ("not-a-pdf", "not a PDF file"),
    ("encrypted", "encrypted"),
    ("truncated", "truncated"),
    ("no-table", "no table with the columns No / Nama Instansi / Indeks"),
    ("too-many-pages", "2000 pages to read, above the limit of 200"),
])
def test_a_bad_pdf_is_a_clear_error_with_exit_status_2(kind, message, text_annex, tmp_path,
                                                        capsys):
    pdf = _bad_pdf(kind, tmp_path, text_annex[0])
    with pytest.raises(PdfError, match=message):
        extract_pdf(pdf, tmp_path / "out.xlsx")
    assert main(["extract", str(pdf), "--out", str(tmp_path / "cli.xlsx"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert str(pdf) in err and message.split()[0] in err
    assert not (tmp_path / "cli.xlsx").exists()


def test_pages_option_reads_only_the_chosen_pages(text_annex, tmp_path):
    pdf, _, full = text_annex
    result = extract_pdf(pdf, tmp_path / "p2.xlsx", pages="2-2", year=2023)
    assert set(result.engines) == {2}
    on_page_2 = [(r.section, r.no, r.name) for r in full.rows if r.page == 2]
    assert [(r.section, r.no, r.name) for r in result.rows] == on_page_2


def test_a_year_contradicting_the_title_is_refused(text_annex, tmp_path):
    with pytest.raises(PdfError, match="contradicts the title"):
        extract_pdf(text_annex[0], tmp_path / "x.xlsx", year=2022)


def test_cli_writes_the_workbook_and_refuses_to_overwrite_it(text_annex, tmp_path, capsys):
    pdf = text_annex[0]
    out = tmp_path / "synthetic_cli.xlsx"
    assert main(["extract", str(pdf), "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "perlu diperiksa" in text and "kabupaten 14/415" in text
    before = out.read_bytes()
    assert main(["extract", str(pdf), "--out", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert out.read_bytes() == before


def test_without_the_pdf_extra_the_command_says_what_to_install(text_annex, tmp_path,
                                                               monkeypatch, capsys):
    import spbe_tools.extract as ex
    monkeypatch.setattr(ex, "missing_dependencies", lambda: ["rapidocr-onnxruntime"])
    assert main(["extract", str(text_annex[0]), "--out", str(tmp_path / "x.xlsx")]) == 2
    err = capsys.readouterr().err
    assert 'pip install -e ".[pdf]"' in err and "rapidocr-onnxruntime" in err


def test_ocr_confusions_fold_to_one_key_and_only_a_unique_match_is_accepted():
    assert folded_key("Kabupaten Ogan Komering llir") == folded_key("Kabupaten Ogan Komering Ilir")
    assert folded_key("K0ta Bengkulu") == folded_key("Kota Bengkulu")
    assert folded_key("Kota Bengkulu") != folded_key("Kota Bengkalis")


def test_pdf_extra_is_listed_in_environment_yml_with_the_same_bounds():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    pdf_extra = set(project["optional-dependencies"]["pdf"])
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())
    pip_lists = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert pdf_extra and pdf_extra <= set(pip_lists[0])


# ---------------------------------------------------------------- scanned annexes (OCR)

def _scan_outcome(entries: list[Entry], result) -> tuple[int, list, list]:
    """(rows read exactly, rows not flagged yet wrong, truth rows missing)."""
    from spbe_tools.registry import canonical_predikat
    truth = {(e.category, e.no): (e.name, e.index, canonical_predikat(e.predikat))
             for e in entries}
    exact, silent = 0, []
    for r in result.rows:
        ok = truth.get((r.section, r.no)) == (r.name, r.index, canonical_predikat(r.predikat))
        exact += ok and not r.flags
        if not ok and not r.flags:
            silent.append((r.page, r.section, r.no, r.name, r.index, r.predikat))
    missing = sorted(set(truth) - {(r.section, r.no) for r in result.rows})
    return exact, silent, missing


def _scanned(tmp_path: Path, entries, **scan) -> Path:
    from _pdfs import scan_pdf
    text = write_text_pdf(tmp_path / "text.pdf", entries, font=scan.pop("font", "Times-Roman"),
                          rules=scan.pop("rules", True))
    return scan_pdf(text, tmp_path / "synthetic_scan.pdf", **scan)


def test_a_scanned_annex_is_read_by_ocr_exactly_or_flagged_never_silently_wrong(tmp_path):
    pytest.importorskip("rapidocr_onnxruntime", reason="needs the pdf extra")
    entries = annex_entries(per_section=7, seed=21)
    pdf = _scanned(tmp_path, entries, dpi=200, max_angle=1.0, noise=10, blur=0.5, quality=70)
    result = extract_pdf(pdf, tmp_path / "raw" / "synthetic_scan.xlsx")
    assert set(result.engines.values()) == {"ocr"}
    exact, silent, missing = _scan_outcome(entries, result)
    assert silent == [] and missing == []
    assert exact >= len(entries) - 3
    # and what build accepts from it is exactly the truth
    res = build(tmp_path / "raw", tmp_path / "processed")
    truth = {(e.category, e.name): e.index for e in entries}
    got = {(c, n): i for c, n, i in zip(res.results["category"], res.results["instansi"],
                                          res.results["index"])}
    assert got.items() <= truth.items() and len(got) == exact


@pytest.mark.slow
def test_a_rotated_noisy_150_dpi_scan_without_ruling_lines_is_never_silently_wrong(tmp_path):
    pytest.importorskip("rapidocr_onnxruntime", reason="needs the pdf extra")
    entries = annex_entries(per_section=22, seed=8)
    pdf = _scanned(tmp_path, entries, font="Helvetica", rules=False, dpi=150, max_angle=1.0,
                   noise=14, blur=0.7, quality=55, seed=9)
    result = extract_pdf(pdf, tmp_path / "synthetic_scan.xlsx")
    exact, silent, missing = _scan_outcome(entries, result)
    assert silent == [] and missing == []
    assert exact >= 0.9 * len(entries)


def test_ocr_does_not_pad_short_cells_to_rapidocrs_320_px_line_width():
    # issue 11: padding every No/Indeks/Predikat crop to 320 px made the recogniser ~2.5x
    # slower on an annex page; a batch is now padded to its widest crop, at least 96 px
    pytest.importorskip("rapidocr_onnxruntime", reason="needs the pdf extra")
    from spbe_tools.extract.pages import REC_MIN_WIDTH_PX, ocr_engine
    with ocr_engine() as engine:
        assert engine.text_rec.rec_image_shape == [3, 48, REC_MIN_WIDTH_PX]
        assert REC_MIN_WIDTH_PX < 320 and engine.use_cls is False


def test_pages_read_ahead_come_in_order_and_an_error_belongs_to_its_page():
    from spbe_tools.extract.pages import read_pages

    class FakePage:  # a text-layer page; page 3 is damaged
        def __init__(self, n):
            self.n, self.width, self.height, self.edges = n, 595, 842, []

        def extract_words(self, **_):
            if self.n == 3:
                raise ValueError("damaged")
            return [{"text": f"w{i}", "x0": i, "top": self.n, "x1": i + 1, "bottom": 9}
                    for i in range(8)]

    class FakePdf:
        pages = [FakePage(n) for n in range(1, 8)]

    pages = read_pages(FakePdf(), None, [1, 2, 3, 4, 5, 6, 7])
    assert [next(pages).number, next(pages).number] == [1, 2]
    with pytest.raises(ValueError, match="damaged"):
        next(pages)
    pages.close()


def test_deskew_brings_the_words_of_a_tilted_line_to_one_height():
    import math

    from spbe_tools.extract.pages import Word, deskew
    angle = 0.8
    slope = math.tan(math.radians(angle))
    words = [Word(str(i), x, 400 + (x - 40) * slope, x + 20, 410 + (x - 40) * slope)
             for i, x in enumerate((40.0, 200.0, 420.0, 500.0))]
    assert max(w.yc for w in words) - min(w.yc for w in words) > 6  # more than half a row
    straight = deskew(words, angle, 595, 842)
    assert max(w.yc for w in straight) - min(w.yc for w in straight) < 0.01


def test_ocr_lines_that_joined_two_cells_are_split_again():
    from spbe_tools.extract.checks import _split_merged
    assert _split_merged({"no": "5 KabupatenAcehBarat", "index": "1,76", "predikat": "KURANG"}
                         ) == {"no": "5", "name": "KabupatenAcehBarat", "index": "1,76",
                               "predikat": "KURANG"}
    assert _split_merged({"no": "6", "name": "Kota Medan", "index": "3,99 SANGATBAIK"})[
        "predikat"] == "SANGATBAIK"


def test_section_rows_are_recognised_without_spaces():
    from spbe_tools.categories import section_hint
    assert section_hint("C.PEMERINTAHPROVINSI") == "provinsi"
    assert section_hint("D. PEMERINTAH KABUPATEN") == "kabupaten"
    assert section_hint("Kabupaten Aceh Barat") is None


@pytest.mark.slow
def test_the_engine_is_chosen_per_page_in_a_pdf_of_text_and_scanned_pages(tmp_path):
    pytest.importorskip("rapidocr_onnxruntime", reason="needs the pdf extra")
    import pypdfium2 as pdfium
    entries = annex_entries(per_section=8, seed=13)
    text = write_text_pdf(tmp_path / "text.pdf", entries)
    scan = _scanned(tmp_path, entries, dpi=200, max_angle=0.5)
    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(pdfium.PdfDocument(str(text)), [0])
    mixed.import_pages(pdfium.PdfDocument(str(scan)), [1])
    mixed.save(str(tmp_path / "synthetic_mixed.pdf"))
    result = extract_pdf(tmp_path / "synthetic_mixed.pdf", tmp_path / "synthetic_mixed.xlsx")
    assert result.engines == {1: "teks", 2: "ocr"}
    exact, silent, missing = _scan_outcome(entries, result)
    assert silent == [] and missing == [] and exact >= len(entries) - 2
