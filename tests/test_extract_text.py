"""spbe extract on text sources: Markdown pipe tables (as PDF converters write them) and the
tables of a web page -> the same review workbook, checks and sidecar as for a PDF.

Every document is written here by hand in the shapes the national reports' conversions
have (data/sources/laporan/README.md). The figures of the Bengkulu, Sumatera Utara and
Sulawesi Selatan rows are the published ones (Laporan Evaluasi SPBE 2023/2024); the
others are made up and say so.
"""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import yaml

from spbe_tools.errors import ConfigError, InputError
from spbe_tools.extract import extract, summary_lines
from spbe_tools.extract.text_source import extract_text
from spbe_tools.extract.text_tables import read_html, read_markdown, title_group

from conftest import PROJECT_ROOT

FW = "spbe-59-2020"
HEAD = ("| No | Nama Instansi | D1 | D2 | D3 | D4 | Indeks | Predikat |\n"
        "|----|---------------|------|------|------|------|--------|----------|\n")
BENGKULU = ("| 1 | Pemerintah Provinsi<br>Bengkulu | 3,80 | 2,40 | 1,55 | 3,88 | 3,12 | Baik |\n"
            "| 2 | Pemerintah Kab.<br>Bengkulu Utara | 2,30 | 2,10 | 1,55 | 4,01 | 2,90 | Baik |\n"
            "| 3 | Pemerintah Kab.<br>Bengkulu Selatan | 3,10 | 1,30 | 1,00 | 3,43 | 2,45 | Cukup "
            "|\n")


def _md(tmp_path: Path, text: str, name: str = "laporan.md", **kw):
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    return extract_text(src, tmp_path / "out" / "laporan.xlsx", year=kw.pop("year", 2023), **kw)


def _data(rows):
    return [r for r in rows if r.kind == "data"]


def _sheet(result):
    return openpyxl.load_workbook(result.out)[f"Lampiran {result.year}"]


def _rows_of(ws) -> list[list]:
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_br_inside_a_cell_reads_as_a_space():
    read = read_markdown("**Tabel 24. Hasil Evaluasi SPBE Pemerintah Daerah di Bengkulu**\n\n"
                         + HEAD + "| 1 | Pemerintah Kab.<br>Bengkulu<br/>Utara | 2,90 | 3,00 | "
                         "1,82 | 4,07 | 3,28 | Sangat<br>Baik |\n", FW)
    (row,) = _data(read.rows)
    assert row.cells["name"] == "Pemerintah Kab. Bengkulu Utara"
    assert row.cells["predikat"] == "Sangat Baik"


def test_a_table_without_a_title_continues_the_previous_group(tmp_path):
    text = ("<span id=\"page-64-1\"></span>**Tabel 24. Hasil Evaluasi SPBE Pemerintah Daerah "
            "di Bengkulu**\n\n" + HEAD + BENGKULU + "\n![](_page_65_Picture_0.jpeg)\n\n" + HEAD
            + "| 4 | Pemerintah Kab. Rejang<br>Lebong | 4,90 | 2,70 | 1,82 | 3,56 | 3,23 | Baik "
            "|\n")
    result = _md(tmp_path, text)
    assert [(r.no, r.province_code) for r in result.rows] == [(1, "17"), (2, "17"), (3, "17"),
                                                              (4, "17")]
    assert result.flagged == [] and result.tables == 2
    sections = [v[0] for v in _rows_of(_sheet(result)) if v[0] and str(v[0]).startswith("PEM")]
    assert sections == ["PEMERINTAH DAERAH DI BENGKULU"]  # one group, not two


@pytest.mark.parametrize("title", [
    "**Tabel 24. Hasil Evaluasi SPBE Pemerintah Daerah di Bengkulu**",
    "<span id=\"page-67-0\"></span>Tabel 25. Hasil Evaluasi SPBE Pemerintah Daerah Bengkulu",
    "### <span id=\"page-68-0\"></span>**Tabel 25. Hasil Evaluasi SPBE Pemerintah Daerah "
    "Bengkulu**",
])
def test_the_title_before_a_table_names_its_province_with_or_without_di(tmp_path, title):
    result = _md(tmp_path, title + "\n\n" + HEAD + BENGKULU)
    assert {(r.section, r.province_code, r.province) for r in result.rows} == {
        ("pemda", "17", "Bengkulu")}
    assert [r.category for r in result.rows] == ["provinsi", "kabupaten", "kabupaten"]
    assert result.flagged == []


def test_central_titles_set_kementerian_and_every_other_central_group_is_lembaga():
    assert title_group("Tabel 8. Hasil Evaluasi SPBE Kementerian") == ("kementerian", None)
    assert title_group("Tabel 9. Hasil Evaluasi SPBE Lembaga Pemerintah Non Kementerian "
                       "(LPNK)") == ("lembaga", None)
    assert title_group("Tabel 11. Hasil Evaluasi SPBE Sekretariat Kabinet") == ("lembaga", None)
    assert title_group("Tabel 2. Bobot Penilaian Indikator") is None


def test_an_ocr_typo_in_a_title_flags_the_rows_instead_of_guessing_the_province(tmp_path):
    # "Tlmur", the 2024 report's typo, is a reviewed alias (region_aliases.csv); "Tirnur" is not
    result = _md(tmp_path, "Tabel 46. Hasil Evaluasi SPBE Pemerintah Daerah di Nusa Tenggara "
                           "Tirnur\n\n" + HEAD + "| 1 | Pemerintah Kab. Kupang | 1,70 | 1,90 | "
                           "1,18 | 3,50 | 2,48 | Cukup |\n", year=2024)
    (row,) = result.rows
    assert row.province_code is None and row.code == "53.01"  # the name alone still resolves
    assert any("provinsi judul tabel 'Nusa Tenggara Tirnur' tidak dikenali" in f
               for f in row.flags)
    assert "PEMERINTAH DAERAH" in [v[0] for v in _rows_of(_sheet(result))]


def test_a_region_outside_the_title_province_is_flagged_naming_both(tmp_path):
    result = _md(tmp_path, "**Tabel 24. Hasil Evaluasi SPBE Pemerintah Daerah di Bengkulu**\n\n"
                 + HEAD + BENGKULU.replace("Pemerintah Kab.<br>Bengkulu Selatan",
                                           "Pemerintah Kota Medan"))
    (row,) = result.flagged
    assert row.no == 3 and row.code is None
    assert ("nama 'Pemerintah Kota Medan' adalah Kota Medan di provinsi Sumatera Utara, bukan "
            "di Bengkulu") in row.flags[0]


def test_the_list_of_tables_is_not_results():
    text = ("## **Daftar Tabel**\n\n"
            "| Tabel 8. Hasil Evaluasi SPBE Kementerian<br>               | 41 |\n"
            "|---------------------------------------------------------|----|\n"
            "| Tabel 24. Hasil Evaluasi SPBE Pemerintah Daerah di Bengkulu | 53 |\n")
    read = read_markdown(text, FW)
    assert read.rows == [] and read.tables == 0


def test_a_table_under_a_title_that_names_no_results_is_skipped():
    text = ("**Tabel 7. Nilai Indeks Kematangan SPBE**\n\n"
            "| No | Nama Instansi | Indeks | Predikat |\n|---|---|---|---|\n"
            "| 1 | Kementerian | 3,66 | Sangat Baik |\n")
    read = read_markdown(text, FW)
    assert _data(read.rows) == [] and read.skipped == 1


def test_two_header_rows_of_a_merged_domain_header_are_read_as_one():
    text = ("**Tabel 24. Hasil Evaluasi SPBE Pemerintah Daerah di Bengkulu**\n\n"
            "| No | Nama Instansi | Indeks Domain | Indeks Domain | Indeks Domain | Indeks Domain "
            "| Indeks | Predikat |\n|:--:|:--|--:|--:|--:|--:|--:|:--|\n"
            "|    |               | Kebijakan Internal | Tata Kelola | Manajemen | Layanan | | |\n"
            + BENGKULU)
    rows = _data(read_markdown(text, FW).rows)
    assert len(rows) == 3
    assert rows[0].columns == ("no", "name", "D1", "D2", "D3", "D4", "index", "predikat")
    assert (rows[0].cells["D1"], rows[0].cells["D4"], rows[0].cells["index"]) == (
        "3,80", "3,88", "3,12")


def test_alignment_rows_are_not_data_and_columns_keep_their_order(tmp_path):
    text = ("**Tabel 8. Hasil Evaluasi SPBE Kementerian**\n\n"
            "| No | Nama Instansi | Indeks | Predikat |\n|---:|:---|---:|:---:|\n"
            "| 1 | Kementerian Keuangan | 4,66 | Memuaskan |\n"
            "| 2 | Kementerian Komunikasi dan<br>Informatika | 4,52 | Memuaskan |\n")
    result = _md(tmp_path, text)
    assert [(r.no, r.code, r.index) for r in result.rows] == [(1, "K.KEUANGAN", 4.66),
                                                              (2, "K.KOMDIGI", 4.52)]
    ws = _sheet(result)
    header = next(v for v in _rows_of(ws) if v[0] == "No")
    assert header == ["No", "Nama Instansi", "Indeks", "Predikat", "Periksa", "Sumber",
                      "Catatan"]  # no domain columns in the source: the old header


def test_an_index_off_its_weighted_domains_is_flagged_with_both_numbers(tmp_path):
    # made-up row: Σ bobot × domain of these domains is 2,83, the printed index 2,79
    result = _md(tmp_path, "**Tabel 24. Hasil Evaluasi SPBE Pemerintah Daerah di Bengkulu**\n\n"
                 + HEAD + "| 1 | Pemerintah Kab. Kaur | 3,00 | 2,00 | 1,00 | 3,90 | 2,79 "
                 "| Baik |\n")
    (row,) = result.flagged
    assert "indeks 2,79 ≠ Σ bobot × domain 2,83" in row.flags
    assert row.index == 2.79  # kept as printed


def test_an_empty_domain_cell_is_flagged_and_the_index_kept(tmp_path):
    result = _md(tmp_path, "**Tabel 9. Hasil Evaluasi SPBE Kementerian**\n\n" + HEAD
                 + "| 1 | Kementerian Keuangan |  | 4,70 | 4,18 | 4,74 | 4,66 | Memuaskan |\n")
    (row,) = result.flagged
    assert row.flags == ["D1 kosong"]
    assert row.index == 4.66 and row.domains["D1"] is None and row.domains["D2"] == 4.70


def test_a_predikat_below_the_cut_on_a_boundary_index_is_a_note_not_a_flag(tmp_path):
    text = ("**Tabel 18. Hasil Evaluasi SPBE Pemerintah Daerah di Sumatera Utara**\n\n" + HEAD
            + "| 24 | Pemerintah Kab. Nias Barat | 1,00 | 1,10 | 1,00 | 2,70 | 1,80 | Kurang |\n")
    text = text.replace("| 24 |", "| 1 |")
    text += ("\n**Tabel 41. Hasil Evaluasi SPBE Pemerintah Daerah di Sulawesi Selatan**\n\n"
             + HEAD + "| 1 | Pemerintah Kab. Luwu | 1,20 | 2,10 | 1,27 | 3,75 | 2,60 | Cukup |\n")
    result = _md(tmp_path, text, year=2024)
    assert result.flagged == []
    assert [r.predikat for r in result.rows] == ["Kurang", "Cukup"]
    for row in result.rows:
        assert any("indeks sebelum dibulatkan di bawah batas" in n for n in row.notes)
    notes = [v[-1] for v in _rows_of(_sheet(result)) if v[1] and "Pemerintah Kab." in str(v[1])]
    assert all("di bawah batas" in n for n in notes)


def test_each_row_cites_its_source_line_in_sumber_catatan_and_provenance(tmp_path):
    text = ("# Laporan Evaluasi SPBE Tahun 2023\n\n"
            "**Tabel 24. Hasil Evaluasi SPBE Pemerintah Daerah di Bengkulu**\n\n" + HEAD
            + BENGKULU)
    result = _md(tmp_path, text, name="laporan_evaluasi_spbe_2023.md")
    lines = text.splitlines()
    for row in result.rows:
        n = int(row.where.removeprefix("baris "))
        assert lines[n - 1].startswith(f"| {row.no} ")
    ws = _sheet(result)
    header = next(v for v in _rows_of(ws) if v[0] == "No")
    assert header == ["No", "Nama Instansi", "D1", "D2", "D3", "D4", "Indeks", "Predikat",
                      "Periksa", "Sumber", "Catatan"]
    first = next(v for v in _rows_of(ws) if v[0] == 1)
    assert first[9] == "laporan_evaluasi_spbe_2023.md, baris 7"
    assert first[10] == "Markdown laporan_evaluasi_spbe_2023.md, baris 7"
    assert first[2:8] == [3.8, 2.4, 1.55, 3.88, 3.12, "Baik"]
    prov = openpyxl.load_workbook(result.out)["provenance"]
    cells = {r[0]: r[1:] for r in prov.iter_rows(min_row=2, values_only=True)}
    at = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == 1)
    assert cells[f"'Lampiran 2023'!B{at}"] == ("laporan_evaluasi_spbe_2023.md", "baris 7",
                                               "Pemerintah Provinsi Bengkulu")
    assert cells[f"'Lampiran 2023'!G{at}"][2] == "3,12"


def test_the_year_comes_from_the_title_and_several_candidates_need_year(tmp_path):
    table = "**Tabel 8. Hasil Evaluasi SPBE Kementerian**\n\n" + HEAD + (
        "| 1 | Kementerian Keuangan | 4,90 | 4,70 | 4,18 | 4,74 | 4,66 | Memuaskan |\n")
    src = tmp_path / "a.md"
    src.write_text("# Laporan Pelaksanaan Evaluasi SPBE Tahun 2023\n\n" + table, encoding="utf-8")
    assert extract_text(src, tmp_path / "a.xlsx").year == 2023
    src.write_text("# Hasil Evaluasi SPBE Tahun 2023\n\n## Perbandingan dengan Tahun 2022\n\n"
                   + table, encoding="utf-8")
    with pytest.raises(ConfigError, match="pass --year") as err:
        extract_text(src, tmp_path / "b.xlsx")
    assert "2022, 2023" in str(err.value)
    assert extract_text(src, tmp_path / "b.xlsx", year=2023).decree == (
        "KepmenPANRB No. 13 Tahun 2024")  # the registry's decree: the text names none


def test_an_unsupported_suffix_is_an_error_naming_the_file_and_the_suffixes(tmp_path):
    src = tmp_path / "hasil.docx"
    src.write_bytes(b"PK")
    with pytest.raises(ConfigError) as err:
        extract(src, tmp_path / "x.xlsx")
    assert "hasil.docx" in str(err.value) and ".md" in str(err.value) and ".html" in str(
        err.value) and ".pdf" in str(err.value)


def test_a_document_without_a_results_table_is_an_input_error(tmp_path):
    src = tmp_path / "catatan.md"
    src.write_text("# Catatan\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", encoding="utf-8")
    with pytest.raises(InputError, match="No / Nama Instansi / Indeks"):
        extract_text(src, tmp_path / "x.xlsx", year=2023)


def test_the_sidecar_has_a_text_block_and_the_cited_source(tmp_path):
    import hashlib

    result = _md(tmp_path, "**Tabel 24. Hasil Evaluasi SPBE Pemerintah Daerah di Bengkulu**\n\n"
                 + HEAD + BENGKULU.replace("Bengkulu Selatan", "Antah Berantah"),
                 title="Berita: SPBE Bengkulu 2023", source_urls=["https://a.example/1",
                                                                   "https://b.example/2"],
                 authority="news")
    side = yaml.safe_load(result.sidecar.read_text(encoding="utf-8"))
    assert side["title"] == "Berita: SPBE Bengkulu 2023"
    assert side["source_urls"] == ["https://a.example/1", "https://b.example/2"]
    assert side["authority"] == "news" and "publisher" not in side and "pdf" not in side
    text = side["text"]
    assert text["kind"] == "markdown" and text["rows"] == 3 and text["needs_review"] == 1
    assert text["review_lines"] == [result.flagged[0].where]
    assert text["sha256"] == hashlib.sha256((tmp_path / "laporan.md").read_bytes()).hexdigest()
    assert side["synthetic"] is False


def test_without_authority_the_sidecar_has_no_authority_key(tmp_path):
    result = _md(tmp_path, "**Tabel 24. Hasil Evaluasi SPBE Pemerintah Daerah di Bengkulu**\n\n"
                 + HEAD + BENGKULU)
    side = yaml.safe_load(result.sidecar.read_text(encoding="utf-8"))
    assert "authority" not in side and side["publisher"] == "Kementerian PANRB"


def test_the_sidecar_passes_the_build_sidecar_reader(tmp_path):
    from spbe_tools.sidecar import read_sidecar

    result = _md(tmp_path, "**Tabel 24. Hasil Evaluasi SPBE Pemerintah Daerah di Bengkulu**\n\n"
                 + HEAD + BENGKULU, authority="official")
    data = read_sidecar(result.out, result.out.name)
    assert data["text"]["rows"] == 3 and data["authority"] == "official"


def test_the_same_document_gives_a_byte_identical_workbook(tmp_path):
    text = "**Tabel 24. Hasil Evaluasi SPBE Pemerintah Daerah di Bengkulu**\n\n" + HEAD + BENGKULU
    first = _md(tmp_path, text)
    again = extract_text(tmp_path / "laporan.md", tmp_path / "again.xlsx", year=2023)
    assert again.out.read_bytes() == first.out.read_bytes()


def test_the_summary_names_the_lines_to_review(tmp_path):
    result = _md(tmp_path, "**Tabel 24. Hasil Evaluasi SPBE Pemerintah Daerah di Bengkulu**\n\n"
                 + HEAD + BENGKULU.replace("Bengkulu Selatan", "Antah Berantah"))
    first = summary_lines(result)[0]
    assert "3 baris dibaca, 2 bersih, 1 perlu diperiksa (baris 7)" in first
    assert "1 tabel (Markdown)" in first


# -- HTML

NEWS_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<title>Indeks SPBE Bengkulu 2023 | Berita Daerah</title></head><body>
<table class="nav"><tr><td><a href="/">Beranda</a></td><td><a href="/daerah">Daerah</a></td>
<td>Indeks</td></tr></table>
<table class="layout"><tr><td>
  <h2>Hasil Evaluasi SPBE Pemerintah Daerah di Bengkulu</h2>
  <table>
    <thead>
      <tr><th rowspan="2">No</th><th rowspan="2">Nama Instansi</th>
          <th colspan="4">Indeks Domain</th><th rowspan="2">Indeks</th>
          <th rowspan="2">Predikat</th></tr>
      <tr><th>D1</th><th>D2</th><th>D3</th><th>D4</th></tr>
    </thead>
    <tbody>
      <tr><td>1</td><td>Pemerintah Provinsi<br>Bengkulu</td><td>3,80</td><td>2,40</td>
          <td>1,55</td><td>3,88</td><td>3,12</td><td>Baik</td></tr>
      <tr><td>2</td><td>Pemerintah Kab. Bengkulu Utara</td><td>2,30</td><td>2,10</td>
          <td>1,55</td><td>4,01</td><td>2,90</td><td>Baik</td></tr>
    </tbody>
  </table>
</td><td><p>Baca juga: <a href="/x">Berita lain</a></p></td></tr></table>
<table><tr><td>Tag:</td><td>SPBE</td><td>Bengkulu</td></tr></table>
</body></html>"""


def test_html_reads_the_results_table_and_ignores_navigation_and_layout_tables(tmp_path):
    read = read_html(NEWS_PAGE.encode("utf-8"), FW)
    rows = _data(read.rows)
    assert read.tables == 1
    assert [(r.cells["no"], r.cells["name"], r.cells["D1"], r.cells["index"]) for r in rows] == [
        ("1", "Pemerintah Provinsi Bengkulu", "3,80", "3,12"),
        ("2", "Pemerintah Kab. Bengkulu Utara", "2,30", "2,90")]
    assert [r.where for r in rows] == ["tabel 3, baris 3", "tabel 3, baris 4"]


def test_an_html_page_gives_the_same_workbook_rows_with_table_and_row_provenance(tmp_path):
    src = tmp_path / "berita.html"
    src.write_text(NEWS_PAGE, encoding="utf-8")
    result = extract(src, tmp_path / "berita.xlsx", year=2023, authority="news",
                     source_urls=["https://berita.example/spbe-bengkulu"])
    assert result.flagged == [] and result.kind == "html"
    assert [(r.code, r.province_code) for r in result.rows] == [("17", "17"), ("17.03", "17")]
    values = _rows_of(_sheet(result))
    assert "PEMERINTAH DAERAH DI BENGKULU" in [v[0] for v in values]
    first = next(v for v in values if v[0] == 1)
    assert first[9] == "berita.html, tabel 3, baris 3"
    side = yaml.safe_load(result.sidecar.read_text(encoding="utf-8"))
    assert side["text"]["kind"] == "html" and side["authority"] == "news"


def test_html_repeated_header_rows_inside_a_table_are_skipped():
    page = ("<html><body><h3>Tabel 8. Hasil Evaluasi SPBE Kementerian</h3><table>"
            "<tr><th>No</th><th>Nama Instansi</th><th>Indeks</th><th>Predikat</th></tr>"
            "<tr><td>1</td><td>Kementerian Keuangan</td><td>4,66</td><td>Memuaskan</td></tr>"
            "<tr><th>No</th><th>Nama Instansi</th><th>Indeks</th><th>Predikat</th></tr>"
            "<tr><td>2</td><td>Kementerian Komunikasi dan Informatika</td><td>4,52</td>"
            "<td>Memuaskan</td></tr></table></body></html>")
    read = read_html(page.encode(), FW)
    assert [r.cells["no"] for r in _data(read.rows)] == ["1", "2"]
    assert [r.section for r in read.rows if r.kind == "section"] == ["kementerian"]


# -- the shipped reports


@pytest.mark.parametrize("name, rows", [("laporan_evaluasi_spbe_2023.md", 621),
                                        ("laporan_pelaksanaan_evaluasi_spbe_2024.md", 615)])
def test_the_shipped_report_reads_every_results_row(name, rows):
    text = (PROJECT_ROOT / "data" / "sources" / "laporan" / name).read_text(encoding="utf-8")
    read = read_markdown(text, FW)
    data = _data(read.rows)
    assert len(data) == rows
    provinces = [r.province for r in read.rows if r.kind == "section" and r.province]
    assert len(provinces) == 38
    assert all(set(r.columns) >= {"D1", "D2", "D3", "D4", "index", "predikat"} for r in data)


def test_the_command_reads_markdown_with_the_sidecar_options_and_refuses_pages(tmp_path,
                                                                                capsys):
    from spbe_tools.cli import main

    src = tmp_path / "laporan.md"
    src.write_text("**Tabel 24. Hasil Evaluasi SPBE Pemerintah Daerah di Bengkulu**\n\n" + HEAD
                   + BENGKULU, encoding="utf-8")
    out = tmp_path / "laporan.xlsx"
    assert main(["extract", str(src), "--out", str(out), "--year", "2023", "--authority",
                 "pemda", "--source-url", "https://a.example", "--source-url",
                 "https://b.example", "--title", "Laporan Bengkulu"]) == 0
    assert "3 baris dibaca, 3 bersih, 0 perlu diperiksa; 1 tabel (Markdown)" in (
        capsys.readouterr().out)
    side = yaml.safe_load(out.with_name("laporan.source.yml").read_text(encoding="utf-8"))
    assert (side["title"], side["source_urls"], side["authority"]) == (
        "Laporan Bengkulu", ["https://a.example", "https://b.example"], "pemda")
    assert main(["extract", str(src), "--out", str(tmp_path / "b.xlsx"), "--year", "2023",
                 "--pages", "1-2"]) == 2
    assert "--pages applies to a PDF only" in capsys.readouterr().err
    assert main(["extract", str(tmp_path / "x.txt"), "--out", str(tmp_path / "c.xlsx")]) == 2
    assert "reads PDF, Markdown and HTML files" in capsys.readouterr().err


def test_a_title_before_a_layout_table_belongs_to_the_results_table_inside_it():
    page = NEWS_PAGE.replace("<table class=\"layout\"><tr><td>\n  <h2>Hasil Evaluasi SPBE "
                             "Pemerintah Daerah di Bengkulu</h2>",
                             "<h2>Hasil Evaluasi SPBE Pemerintah Daerah di Bengkulu</h2>\n"
                             "<table class=\"layout\"><tr><td>")
    assert page != NEWS_PAGE
    read = read_html(page.encode("utf-8"), FW)
    assert [(r.section, r.province) for r in read.rows if r.kind == "section"] == [
        ("pemda", "Bengkulu")]
    assert len(_data(read.rows)) == 2


def test_prose_starting_like_a_title_does_not_break_a_continued_table():
    text = ("**Tabel 24. Hasil Evaluasi SPBE Pemerintah Daerah di Bengkulu**\n\n" + HEAD
            + BENGKULU + "\nHasil evaluasi ini menunjukkan kenaikan.\n\n" + HEAD
            + "| 4 | Pemerintah Kab. Kaur | 3,10 | 1,20 | 1,00 | 3,01 | 2,24 | Cukup |\n")
    read = read_markdown(text, FW)
    assert [r.province for r in read.rows if r.kind == "section"] == ["Bengkulu"]
    assert len(_data(read.rows)) == 4
