"""spbe_tools.brief_docx: the Word nota opens with python-docx and says what compare says."""
from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from docx import Document
from docx.shared import Pt

matplotlib.use("Agg")

from spbe_tools import (  # noqa: E402
    brief_docx,
    charts,
    compare,  # noqa: E402
    maps,
    registry,
    target,
)
from spbe_tools.office_files import FIXED_TIMESTAMP  # noqa: E402
from spbe_tools.peers import peer_group  # noqa: E402
from spbe_tools.trends import trend  # noqa: E402
from spbe_tools.wording import fmt_num, label  # noqa: E402

from _frames import RESULTS, regions_frame, results_frame  # noqa: E402


def _comp(results: pd.DataFrame, year: int = 2023, region: str = "Kota Bengkulu",
          peers: str = "province") -> tuple[compare.Comparison, pd.DataFrame]:
    comp = compare.compare_region(results, region, year, peers, regions=regions_frame())
    group = peer_group(results, comp.focal, peers, regions=regions_frame())
    return comp, trend(results, group)


@pytest.fixture(scope="module")
def images(tmp_path_factory) -> dict[str, Path]:
    """The ranking chart and the map of the fixture data, drawn and saved as the brief does."""
    folder = tmp_path_factory.mktemp("charts")
    results = results_frame()
    comp, _ = _comp(results)
    ranking, _ = charts.save_figure(charts.ranking_chart(comp), folder / "01-ranking")
    figure = maps.region_map(results, "Kota Bengkulu", 2023, regions=regions_frame())
    map_png, _ = charts.save_figure(figure, folder / "07-map")
    return {"01-ranking": ranking, "07-map": map_png}


def _write(tmp_path: Path, results: pd.DataFrame, images: dict[str, Path], *, year=2023,
           name="briefing.docx", region="Kota Bengkulu", peers="province",
           **kw) -> tuple[Path, compare.Comparison, pd.DataFrame]:
    comp, trend = _comp(results, year, region, peers)
    path = brief_docx.write_docx(tmp_path / name, comp, trend=trend, images=images, **kw)
    return path, comp, trend


def _paragraphs(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def _all_text(path: Path) -> str:
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _figures_rows(path: Path) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in Document(str(path)).tables[0].rows]


def _full_levels(synthetic: bool = True) -> pd.DataFrame:
    """47 indicator levels (2 or 3) for Kota Bengkulu 2023, in the scores.csv schema."""
    return pd.DataFrame([{
        "year": 2023, "instansi_code": "17.71", "instansi": "Kota Bengkulu",
        "level": "indicator", "item": f"I{i}", "item_name": f"Indikator {i}",
        "value": 3 if i % 3 == 0 else 2, "framework": "spbe-59-2020", "synthetic": synthetic,
        "source_file": "lhe.xlsx", "source_sheet": "LHE", "source_cell": f"F{i + 4}"}
        for i in range(1, 48)])


# --------------------------------------------------------------------------- content

def test_docx_holds_the_headline_figures_of_the_comparison_with_decimal_commas(tmp_path,
                                                                                images):
    path, comp, _ = _write(tmp_path, results_frame(), images)
    paragraphs = _paragraphs(path)
    body = "\n".join(paragraphs)
    assert compare.headline(comp) in paragraphs
    assert fmt_num(comp.index) in body and "," in fmt_num(comp.index)
    assert f"{comp.rank} dari {comp.n_ranked}" in body
    assert f"kurang {fmt_num(comp.band['distance_to_next'])} poin untuk mencapai " \
           f"{comp.band['next_band']}" in body
    assert f"indeks nasional {fmt_num(comp.national_index)}" in body
    assert f"{comp.index:.2f}" not in _all_text(path)  # never a decimal point in Indonesian


def test_key_figures_table_compares_with_the_last_earlier_year_that_has_a_value(tmp_path,
                                                                                images):
    before = 2.30  # 2022 has no value: "last year" is 2021
    results = results_frame(RESULTS + [(2021, "17.71", "Kota Bengkulu", before, "Cukup")])
    path, comp, trend = _write(tmp_path, results, images)
    head, index_row, predikat_row, median_row, national_row = _figures_rows(path)
    assert head[1].startswith(str(comp.year)) and head[2].startswith("2021")
    assert not head[2].endswith("*")  # same framework
    assert index_row[1:] == [fmt_num(comp.index), fmt_num(before),
                             fmt_num(comp.index - before, signed=True)]
    assert predikat_row[1:] == ["Baik", "Cukup", "Cukup → Baik"]
    median_2023 = trend.loc[trend["year"] == 2023, "peer_median"].iloc[0]
    assert median_row[1] == fmt_num(median_2023)
    assert median_row[2] == "–"  # one valued member in 2021: no median, never a fake one
    national = {y: registry.evaluation(y).national_index for y in (2021, 2023)}
    assert national_row[1:] == [fmt_num(national[2023]), fmt_num(national[2021]),
                                fmt_num(national[2023] - national[2021], signed=True)]
    assert any("tahun terakhir sebelum 2023" in p for p in _paragraphs(path))


def test_a_framework_change_between_the_two_years_is_marked(tmp_path, images):
    results = results_frame(RESULTS + [(2019, "17.71", "Kota Bengkulu", 2.20, "")])
    path, comp, _ = _write(tmp_path, results, images)
    head = _figures_rows(path)[0]
    assert head[2].startswith("2019") and head[2].endswith("*")
    assert any(p.startswith("* Kerangka penilaian berbeda (5/2018 → 59/2020)")
               for p in _paragraphs(path))


def test_without_an_earlier_value_the_previous_year_is_empty_and_said(tmp_path, images):
    path, comp, _ = _write(tmp_path, results_frame(), images)
    head, index_row, *_ = _figures_rows(path)
    assert head[2] == label("docx_col_no_last_year")
    assert index_row[2:] == ["–", "–"]
    assert "Kota Bengkulu tidak memiliki nilai pada tahun sebelum 2023 dalam data ini." \
        in _paragraphs(path)


def test_a_year_without_a_focal_value_says_so_plainly(tmp_path, images):
    path, comp, _ = _write(tmp_path, results_frame(), images, year=2024)
    assert comp.index is None
    paragraphs = _paragraphs(path)
    assert compare.headline(comp) in paragraphs and "tidak memiliki nilai" in compare.headline(comp)
    assert not any("Peringkat:" in p for p in paragraphs)  # no rank bullet without a value
    head, index_row, *_ = _figures_rows(path)
    assert index_row[1:] == ["–", "2,61", "–"] and head[2].startswith("2023")


def test_a_rank_from_thin_data_is_not_stated(tmp_path, images):
    path, comp, _ = _write(tmp_path, results_frame(), images, peers="category")
    assert not comp.rank_representative
    body = "\n".join(_paragraphs(path))
    assert "Peringkat: baru " in body and "peringkat belum representatif" in body
    assert f"{comp.n_ranked} dari {comp.n_group} kota se-Indonesia" in body
    assert f"Peringkat: {comp.rank_label} dari" not in body


def test_the_top_band_has_no_distance_to_a_next_predikat(tmp_path, images):
    path, comp, _ = _write(tmp_path, results_frame(), images, region="Kota Jambi")
    assert comp.band["next_band"] is None
    body = "\n".join(_paragraphs(path))
    assert "Predikat berikutnya: sudah di predikat tertinggi" in body
    assert "untuk mencapai" not in body


def test_english_nota_uses_decimal_points_and_english_words(tmp_path, images):
    path, comp, _ = _write(tmp_path, results_frame(), images, lang="en")
    paragraphs = _paragraphs(path)
    assert paragraphs[0].startswith("SPBE brief: Kota Bengkulu 2023")
    assert compare.headline(comp, "en") in paragraphs
    assert f"{comp.index:.2f}" in "\n".join(paragraphs)


def test_ranking_chart_and_map_are_embedded_with_captions(tmp_path, images):
    path, _, _ = _write(tmp_path, results_frame(), images)
    with zipfile.ZipFile(path) as zf:
        media = [n for n in zf.namelist() if n.startswith("word/media/")]
        embedded = {zf.read(n) for n in media}
    assert embedded == {images["01-ranking"].read_bytes(), images["07-map"].read_bytes()}
    captions = [p.text for p in Document(str(path)).paragraphs if p.style.name == "Caption"]
    assert [c.split(".")[0] for c in captions] == ["Gambar 1", "Gambar 2"]
    only_ranking = {"01-ranking": images["01-ranking"]}
    path, _, _ = _write(tmp_path, results_frame(), only_ranking, name="no-map.docx")
    with zipfile.ZipFile(path) as zf:
        assert len([n for n in zf.namelist() if n.startswith("word/media/")]) == 1


def test_plan_to_the_next_predikat_is_listed_when_lhe_levels_exist(tmp_path, images):
    results = results_frame()
    view = target.target_view(_full_levels(), results, "17.71", 2023, "Sangat Baik",
                              name="Kota Bengkulu")
    assert view.plan is not None and not view.plan.raises.empty
    path, _, _ = _write(tmp_path, results, images, target_view=view)
    paragraphs = _paragraphs(path)
    assert "Rencana menuju Sangat Baik (contoh)" in paragraphs  # the levels are synthetic
    assert view.headline in paragraphs
    plan_rows = [[c.text for c in r.cells] for r in Document(str(path)).tables[1].rows]
    shown = min(len(view.plan.raises), brief_docx._PLAN_ROWS)
    assert len(plan_rows) == 1 + shown
    top = view.plan.raises.sort_values(["gain", "indicator"], ascending=[False, True]).iloc[0]
    assert plan_rows[1][0] == f"I{int(top['indicator'])}"
    assert plan_rows[1][3] == fmt_num(top["gain"], 3, signed=True)
    # the plan is synthetic, so the whole nota is marked as containing example data …
    assert paragraphs[0].endswith("(contoh)")
    # … but the published figures and charts are not called examples
    assert "Angka utama" in paragraphs and "Angka utama (contoh)" not in paragraphs
    assert not any(p.startswith("Gambar") and p.endswith("(contoh)") for p in paragraphs)


# --------------------------------------------------------------------------- honesty

def test_synthetic_inputs_put_contoh_in_the_title_and_the_body(tmp_path, images):
    path, comp, _ = _write(tmp_path, results_frame(synthetic=True), images,
                           sources=["LHE: lhe.xlsx (contoh)"])
    paragraphs = _paragraphs(path)
    assert paragraphs[0] == "Nota Singkat SPBE Kota Bengkulu 2023 (contoh)"
    assert paragraphs[1] == label("demo_warning")
    assert Document(str(path)).core_properties.title.endswith("(contoh)")
    sources = paragraphs[paragraphs.index(label("slide_sources")) + 1:]
    assert sources[0].endswith(label("source_synthetic_all"))
    assert registry.evaluation(2023).decree not in sources  # no decree for invented values
    assert "synthetic" not in _all_text(path)


def test_published_inputs_say_no_contoh_and_cite_the_decree(tmp_path, images):
    path, _, _ = _write(tmp_path, results_frame(), images)
    paragraphs = _paragraphs(path)
    assert "contoh" not in _all_text(path)
    assert registry.evaluation(2023).decree in paragraphs


# --------------------------------------------------------------------------- styles

def test_formatting_lives_in_styles_not_in_paragraphs(tmp_path, images):
    path, _, _ = _write(tmp_path, results_frame(synthetic=True), images)
    doc = Document(str(path))
    paragraphs = doc.paragraphs + [p for t in doc.tables for row in t.rows for c in row.cells
                                   for p in c.paragraphs]
    assert {p.style.name for p in paragraphs} <= set(brief_docx.STYLES.values())
    runs = [r for p in paragraphs for r in p.runs]
    assert runs and all(r.font.name is None and r.font.size is None and r.font.bold is None
                        and r.font.color.rgb is None for r in runs)
    assert all(p.paragraph_format.alignment is None for p in paragraphs)
    assert {t.style.name for t in doc.tables} == {brief_docx.STYLES["table"]}
    assert doc.styles["Heading 1"].font.size is not None  # …because the style carries it


def _template(path: Path) -> Path:
    """An office template: its own fonts, a letterhead footer, Letter paper, some content."""
    doc = Document()
    doc.styles["Normal"].font.name = "Courier New"
    doc.styles["Normal"].font.size = Pt(11)
    doc.styles["Heading 1"].font.name = "Georgia"
    doc.styles["Heading 1"].font.size = Pt(20)
    section = doc.sections[0]
    section.left_margin = section.right_margin = Pt(90)
    section.footer.paragraphs[0].text = "Pemerintah Kota Bengkulu — Dinas Kominfo"
    doc.add_paragraph("ISI CONTOH DARI TEMPLAT")
    doc.save(path)
    return path


def test_an_office_template_supplies_styles_footer_and_page_setup(tmp_path, images):
    template = _template(tmp_path / "kantor.docx")
    path, _, _ = _write(tmp_path, results_frame(), images, template=template)
    doc = Document(str(path))
    assert doc.styles["Normal"].font.name == "Courier New"
    assert doc.styles["Normal"].font.size == Pt(11)
    assert doc.styles["Heading 1"].font.name == "Georgia"
    assert doc.styles["Heading 1"].font.size == Pt(20)
    headings = [p for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings and all(r.font.name is None for p in headings for r in p.runs)
    assert "ISI CONTOH DARI TEMPLAT" not in _all_text(path)
    assert doc.sections[0].footer.paragraphs[0].text == "Pemerintah Kota Bengkulu — Dinas Kominfo"
    template_section = Document(str(template)).sections[0]
    assert doc.sections[0].left_margin == template_section.left_margin
    assert doc.sections[0].page_width == template_section.page_width
    own = _write(tmp_path, results_frame(), images, name="own.docx")[0]
    assert Document(str(own)).styles["Normal"].font.name != "Courier New"


# --------------------------------------------------------------------------- files

def test_two_writes_of_the_same_inputs_are_byte_identical(tmp_path, images):
    view = target.target_view(_full_levels(), results_frame(), "17.71", 2023, "Sangat Baik",
                              name="Kota Bengkulu")
    first, _, _ = _write(tmp_path, results_frame(), images, target_view=view, name="a.docx")
    second, _, _ = _write(tmp_path, results_frame(), images, target_view=view, name="b.docx")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as zf:
        assert {i.date_time for i in zf.infolist()} == {FIXED_TIMESTAMP.timetuple()[:6]}
        assert not [n for n in zf.namelist() if "thumbnail" in n]  # no stale blank preview
    props = Document(str(first)).core_properties
    assert props.author == brief_docx.AUTHOR and props.last_modified_by == brief_docx.AUTHOR
    assert props.created.replace(tzinfo=None) == FIXED_TIMESTAMP
    assert props.modified.replace(tzinfo=None) == FIXED_TIMESTAMP
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp file left


def _pages(pdf: Path) -> int:
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        return int(next(line.split()[-1] for line in info.stdout.splitlines()
                        if line.startswith("Pages:")))
    pdfium = pytest.importorskip("pypdfium2", reason="neither pdfinfo nor pypdfium2 to count "
                                                     "the PDF's pages")
    return len(pdfium.PdfDocument(str(pdf)))


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed: the page count needs it "
                           "to lay the document out (apt-get install libreoffice-writer-nogui)")
@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_fullest_nota_prints_on_at_most_two_pages(tmp_path, images, lang):
    results = results_frame(RESULTS + [(2019, "17.71", "Kota Bengkulu", 2.20, "")],
                            synthetic=True)
    view = target.target_view(_full_levels(), results, "17.71", 2023, "Sangat Baik",
                              name="Kota Bengkulu", lang=lang)
    sources = [f"https://pemda.example.org/laporan/spbe/{i}/hasil-evaluasi-{i}.pdf"
               for i in range(8)]
    path, _, _ = _write(tmp_path, results, images, target_view=view, sources=sources, lang=lang)
    profile = (tmp_path / "lo-profile").as_uri()  # own profile: other soffice runs don't clash
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=300)
    assert 1 <= _pages(path.with_suffix(".pdf")) <= 2
