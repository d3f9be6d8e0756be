"""One home for each reading rule: the section words (categories.py) and the years of a
title (year_text.py). The workbook readers (layout, ingest, LHE titles) and the PDF reader
(extract) classify the same texts the same way because they ask the same module."""
from __future__ import annotations

import pytest

from spbe_tools import categories, extract, ingest, layout, lhe_title, year_text
from spbe_tools.categories import categories_of, section_hint
from spbe_tools.cells import read_grids
from spbe_tools.extract import checks, table
from spbe_tools.extract.pages import Page, Word
from spbe_tools.lhe_layout import sheet_cells

from _workbooks import make_workbook

DECREE_TITLE = "HASIL EVALUASI SPBE TAHUN 2023 (Keputusan Menteri PANRB No. 13 Tahun 2024)"

SECTIONS = ["A. KEMENTERIAN", "B. LEMBAGA", "C. PEMERINTAH PROVINSI", "C.PEMERINTAHPROVINSI",
            "D. PEMERINTAH KABUPATEN", "E. PEMERINTAH KOTA", "Lembaga Non Kementerian",
            "Kementerian Negara", "Provinsi dan Kabupaten", "Instansi Pusat",
            "Pemerintah Daerah", "Kabupaten Kota", "Kabupaten/Kota", "K/L"]
NOT_SECTIONS = ["Kota Bengkulu", "Kabupaten Aceh Barat", "Kementerian Keuangan", "Jumlah"]


def test_every_reader_takes_its_section_words_from_categories():
    assert table.section_hint is checks.section_hint is layout.section_hint is section_hint


def test_every_reader_takes_its_title_years_from_year_text():
    finder = year_text.title_years
    assert ingest.title_years is lhe_title.title_years is extract.title_years is finder


def _pdf_line_kind(text: str) -> str:
    """What the PDF reader makes of ``text`` as a line under an annex header."""
    def words(top: float, texts: list[tuple[str, float]]) -> list[Word]:
        return [Word(t, x, top, x + 6 * len(t), top + 9) for t, x in texts]

    header = words(100, [("No", 50), ("Nama", 100), ("Instansi", 130), ("Indeks", 300),
                         ("Predikat", 400)])
    line = words(120, [(w, 50 + 70 * i) for i, w in enumerate(text.split())])
    data = words(140, [("1", 52), ("Kota", 100), ("Bengkulu", 130), ("2,61", 305),
                       ("Baik", 405)])
    rows, _ = table.page_rows(Page(1, "teks", header + line + data, 600, 800))
    return rows[0].kind


@pytest.mark.parametrize("text", SECTIONS + NOT_SECTIONS)
def test_the_pdf_and_the_workbook_reader_classify_a_section_row_alike(text):
    hint = section_hint(text)
    allowed = categories_of(hint) if hint else None
    workbook = layout.section_category(text)
    assert (_pdf_line_kind(text) == "section") == (hint is not None) == (workbook is not None)
    if workbook is not None:  # the workbook reader keeps a category only when there is one
        assert workbook == (hint if len(allowed) == 1 else None, None)


def test_a_group_section_gives_the_hint_the_matcher_knows():
    assert {section_hint(t) for t in ("Instansi Pusat", "K/L", "Kementerian/Lembaga")} == {"kl"}
    assert categories_of(section_hint("Pemerintah Kabupaten/Kota")) == {"kabupaten", "kota"}
    assert categories_of(section_hint("Pemda")) == set(categories.REGION_CATEGORIES)


def test_a_section_row_spbe_extract_writes_is_read_back_as_its_hint():
    labels = {hint: label for hint, label in categories.SECTION_LABELS.items() if hint}
    assert {hint: section_hint(label) for hint, label in labels.items()} == {
        hint: hint for hint in labels}


def test_a_category_column_value_is_read_with_the_same_words():
    assert all(map(categories.names_categories, ["Kota", "K/L", "Pemda", "Nasional",
                                                 "Instansi Pusat", "Pemerintah Daerah"]))
    assert not categories.names_categories("Baik")


@pytest.mark.parametrize("title, years", [
    (DECREE_TITLE, [2023]),
    ("LAMPIRAN KEPUTUSAN MENTERI PANRB NOMOR 13 TAHUN 2024", []),
    ("KEPMENPANRB NO. 153 TAHUN 2021", []),
    ("NOMOR13TAHUN2024 HASIL EVALUASI SPBE TAHUN2023", [2023]),  # OCR lost the spaces
    ("LHE SPBE PEMERINTAH KABUPATEN LEBONG TAHUN EVALUASI 2022", [2022]),
    ("Indeks SPBE spbe-59-2020", []),
])
def test_title_years_never_take_a_decree_year(title, years):
    assert year_text.title_years(title) == years


def test_the_decree_of_a_title_is_its_number_and_year():
    assert year_text.decree_in(DECREE_TITLE) == ("13", "2024")
    assert year_text.decree_in("HASIL EVALUASI SPBE TAHUN 2023") is None


def _grid(tmp_path, rows):
    _, grids = read_grids(make_workbook(tmp_path / "a.xlsx", {"S": (rows, [])}))
    return grids[0]


def test_the_annex_reader_finds_the_evaluation_year_not_the_decree_year(tmp_path):
    grid = _grid(tmp_path, [[DECREE_TITLE], ["Instansi", "Indeks"], ["Kota Bengkulu", 2.61]])
    rows, _ = ingest.read_results_sheet(grid, {}, sidecar_name="a.source.yml",
                                        category_hint=None)
    assert [r.year for r in rows] == [2023]


def test_the_lhe_title_reader_finds_the_evaluation_year_not_the_decree_year(tmp_path):
    grid = _grid(tmp_path, [[DECREE_TITLE], ["Domain", "Indeks"]])
    assert lhe_title.sheet_year(sheet_cells(grid), 2, None, "a.xlsx") == 2023


def test_no_section_word_starts_another_so_a_squeezed_row_splits_one_way():
    words = categories.CATEGORIES + categories.SECTION_FILLERS
    assert [(a, b) for a in words for b in words if a != b and b.startswith(a)] == []
