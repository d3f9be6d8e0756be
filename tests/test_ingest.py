"""Ingest of result workbooks in annex, long and wide layouts, down to the tidy rows."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from spbe_tools.build import run_build
from spbe_tools.errors import InputError, LayoutError, UnreadableInputError
from spbe_tools.layout import section_category
from spbe_tools.sidecar import read_sidecar

from _workbooks import make_workbook

KEY_COLUMNS = ["year", "instansi_code", "instansi", "category", "province_code", "index",
               "predikat", "predikat_computed", "predikat_flag", "source_file", "source_sheet",
               "source_cell"]


def tidy(result) -> list[tuple]:
    return [tuple(r) for r in result.results[KEY_COLUMNS].itertuples(index=False)]


def test_annex_with_merged_header_sections_page_breaks_and_notes_gives_exact_rows(raw_dir,
                                                                                  annex_2023):
    result = run_build(raw_dir)
    assert tidy(result) == [
        (2023, "17", "Provinsi Bengkulu", "provinsi", "17", 3.12, "Baik", "Baik", "",
         "annex_2023.xlsx", "Lampiran", "C7"),
        (2023, "17.02", "Kabupaten Rejang Lebong", "kabupaten", "17", 3.23, "Baik", "Baik", "",
         "annex_2023.xlsx", "Lampiran", "C10"),
        (2023, "17.06", "Kabupaten Mukomuko", "kabupaten", "17", 2.07, "Cukup", "Cukup", "",
         "annex_2023.xlsx", "Lampiran", "C9"),
        (2023, "17.71", "Kota Bengkulu", "kota", "17", 2.61, "Sangat Baik", "Baik", "mismatch",
         "annex_2023.xlsx", "Lampiran", "C15"),
    ]
    assert result.rejects.empty
    sheet = result.manifest["inputs"][0]["sheets"][0]
    assert sheet["layout"] == "annex"
    assert sheet["header_rows"] == [4, 5]
    assert sheet["repeated_headers"] == 2
    assert sheet["sections"] == 3
    assert [n[:11] for n in sheet["notes"]] == ["Keterangan:", "Sumber: Kep"]
    assert set(result.results["sumber"]) == {"https://example.org/kepmen-13-2024"}
    assert set(result.results["decree"]) == {"KepmenPANRB No. 13 Tahun 2024"}


def test_long_layout_reads_year_category_province_and_row_sources(raw_dir):
    rows = [["Tahun", "Instansi", "Kategori", "Provinsi", "Indeks", "Predikat", "Sumber"],
            [2022, "Kabupaten Lebong", "Kabupaten", "Bengkulu", "1,55", "Kurang", "https://a.example"],
            ["2023", "Kota Bengkulu", "kota", "Bengkulu", 2.61, "Baik", "https://b.example"],
            [2023, "Prov. Bengkulu", "provinsi", None, 3.12, "Baik", None]]
    make_workbook(raw_dir / "long.xlsx", {"Data": (rows, [])},
                  sidecar={"source_urls": ["https://sidecar.example"]})
    result = run_build(raw_dir)
    got = result.results[["year", "instansi_code", "index", "predikat", "sumber", "source_cell",
                          "province_reported"]]
    assert [tuple(r) for r in got.itertuples(index=False)] == [
        (2022, "17.07", 1.55, "Kurang", "https://a.example", "E2", "Bengkulu"),
        (2023, "17", 3.12, "Baik", "https://sidecar.example", "E4", ""),
        (2023, "17.71", 2.61, "Baik", "https://b.example", "E3", "Bengkulu"),
    ]
    assert result.manifest["inputs"][0]["sheets"][0]["layout"] == "long"


def test_wide_layout_with_year_over_indeks_and_predikat_gives_one_row_per_year(raw_dir):
    rows = [["Seri indeks SPBE"], [],
            ["Instansi", 2021, None, 2022, None, "Sumber"],
            [None, "Indeks", "Predikat", "Indeks", "Predikat", None],
            ["Kota Banda Aceh", 2.62, None, "3,15", "Baik", "2021: https://x.example/21; 2022: https://x.example/22"],
            ["Provinsi Aceh", 3.19, "Baik", None, None, None]]
    make_workbook(raw_dir / "wide.xlsx",
                  {"Seri": (rows, ["A3:A4", "B3:C3", "D3:E3", "F3:F4"])})
    result = run_build(raw_dir)
    got = result.results[["year", "instansi_code", "index", "predikat", "source_cell", "sumber"]]
    assert [tuple(r) for r in got.itertuples(index=False)] == [
        (2021, "11", 3.19, "Baik", "B6", ""),
        (2021, "11.71", 2.62, "", "B5", "https://x.example/21"),
        (2022, "11.71", 3.15, "Baik", "D5", "https://x.example/22"),
    ]
    assert result.manifest["inputs"][0]["sheets"][0]["layout"] == "wide"


def test_wide_layout_with_bare_year_headers(raw_dir):
    rows = [["Instansi", 2019, 2021], ["Kota Denpasar", 3.33, "3,19"]]
    make_workbook(raw_dir / "w.xlsx", {"S": (rows, [])})
    result = run_build(raw_dir)
    assert list(zip(result.results["year"], result.results["index"])) == [(2019, 3.33),
                                                                          (2021, 3.19)]


def test_wide_layout_with_text_year_headers_reads_years_not_indicators(raw_dir):
    rows = [["REKAP INDEKS SPBE"], ["No", "Instansi", "2021", "2022", "2023"],
            [1, "Kota Bengkulu", "2,29", "2,34", "2,61"], [2, "Provinsi Bengkulu", 2.4, 2.8, 3.12]]
    make_workbook(raw_dir / "rekap.xlsx", {"Rekap": (rows, [])})
    result = run_build(raw_dir)
    sheet = result.manifest["inputs"][0]["sheets"][0]
    assert (sheet["kind"], sheet["layout"]) == ("results", "wide")
    got = result.results[["year", "instansi_code", "index", "source_cell"]]
    assert [tuple(r) for r in got.itertuples(index=False)] == [
        (2021, "17", 2.4, "C4"), (2021, "17.71", 2.29, "C3"), (2022, "17", 2.8, "D4"),
        (2022, "17.71", 2.34, "D3"), (2023, "17", 3.12, "E4"), (2023, "17.71", 2.61, "E3")]


def test_one_sheet_per_category_takes_the_category_from_the_sheet_name(raw_dir):
    title = [["HASIL EVALUASI SPBE TAHUN 2023"], []]
    head = [["No", "Instansi", "Nilai Indeks", "Kategori"]]
    make_workbook(raw_dir / "split.xlsx", {
        "Provinsi": (title + head + [[1, "Bengkulu", 3.12, "Baik"]], []),
        "Kota": (title + head + [[1, "Bengkulu", 2.61, "Baik"]], []),
    })
    result = run_build(raw_dir)
    assert list(result.results["instansi_code"]) == ["17", "17.71"]
    assert list(result.results["source_sheet"]) == ["Provinsi", "Kota"]


def test_year_only_in_sidecar_is_used(raw_dir):
    sheet = ([["Instansi", "Indeks"], ["Kota Bengkulu", 2.61]], [])
    make_workbook(raw_dir / "a.xlsx", {"S": sheet}, sidecar={"evaluation_year": 2023})
    assert list(run_build(raw_dir).results["year"]) == [2023]


def test_contradictory_years_fail_naming_both_places(raw_dir):
    sheet = ([["HASIL EVALUASI SPBE TAHUN 2022"], ["Instansi", "Indeks"],
              ["Kota Bengkulu", 2.61]], [])
    make_workbook(raw_dir / "a.xlsx", {"S": sheet}, sidecar={"evaluation_year": 2023})
    with pytest.raises(InputError) as err:
        run_build(raw_dir)
    text = str(err.value)
    assert "a.xlsx" in text and '"S"' in text
    assert "2022 (A1)" in text and "2023 (a.source.yml)" in text


def test_missing_year_fails_with_what_was_expected(raw_dir):
    make_workbook(raw_dir / "a.xlsx",
                  {"S": ([["Instansi", "Indeks"], ["Kota Bengkulu", 2.61]], [])})
    with pytest.raises(InputError, match="evaluation year is not stated"):
        run_build(raw_dir)


def test_sheet_without_header_fails_naming_file_and_sheet(raw_dir):
    make_workbook(raw_dir / "a.xlsx", {"Catatan": ([["Daftar hadir"], ["Budi", "Ani"]], [])})
    with pytest.raises(LayoutError) as err:
        run_build(raw_dir)
    assert 'a.xlsx, sheet "Catatan"' in str(err.value)
    assert "A1='Daftar hadir'" in str(err.value)


@pytest.mark.parametrize("value, reason", [
    ("dua koma enam", "text 'dua koma enam' where a number was expected"),
    (-1.2, "outside PermenPANRB 59/2020's range"),
    (5.4, "outside PermenPANRB 59/2020's range"),
    (None, "is empty"),
])
def test_bad_index_values_are_rejected_with_their_cell(raw_dir, value, reason):
    rows = [["HASIL EVALUASI SPBE TAHUN 2023"], ["Instansi", "Indeks"],
            ["Kota Bengkulu", value], ["Provinsi Bengkulu", 3.12]]
    make_workbook(raw_dir / "a.xlsx", {"S": (rows, [])})
    result = run_build(raw_dir)
    assert list(result.results["instansi_code"]) == ["17"]
    (rej,) = result.rejects.to_dict("records")
    assert rej["source_cell"] == "B3" and rej["source_row"] == 3
    assert reason in rej["reason"]
    entry = result.manifest["inputs"][0]
    assert (entry["values_read"], entry["values_accepted"], entry["values_rejected"]) == (2, 1, 1)


def test_unknown_predikat_is_rejected_and_names_the_bands(raw_dir):
    rows = [["TAHUN 2022"], ["Instansi", "Indeks", "Predikat"],
            ["Provinsi Kalimantan Tengah", 1.9, "Sedang"]]
    make_workbook(raw_dir / "a.xlsx", {"S": (rows, [])})
    (rej,) = run_build(raw_dir).rejects.to_dict("records")
    assert "predikat 'Sedang' is not a band" in rej["reason"] and "Cukup" in rej["reason"]


def test_unknown_instansi_is_rejected_with_three_suggestions(raw_dir):
    rows = [["TAHUN 2023"], ["Instansi", "Indeks"], ["Kota Bengkulux Raya", 2.61]]
    make_workbook(raw_dir / "a.xlsx", {"S": (rows, [])})
    (rej,) = run_build(raw_dir).rejects.to_dict("records")
    assert rej["reason"].startswith("instansi not identified")
    assert "Kota Bengkulu (17.71)" in rej["candidates"]
    assert len(rej["candidates"].split("; ")) == 3


def test_identical_duplicates_collapse_with_a_note(raw_dir):
    rows = [["TAHUN 2023"], ["Instansi", "Indeks", "Predikat"],
            ["Kota Bengkulu", 2.61, "Baik"], ["Pemkot Bengkulu", "2,61", None]]
    make_workbook(raw_dir / "a.xlsx", {"S": (rows, [])})
    result = run_build(raw_dir)
    (row,) = result.results.to_dict("records")
    assert row["source_cell"] == "B3" and row["predikat"] == "Baik"
    assert "identical value also in a.xlsx S!B4" in row["note"]
    assert result.rejects.empty
    assert result.manifest["inputs"][0]["values_collapsed"] == 1


def test_conflicting_duplicates_across_files_send_both_rows_to_rejects(raw_dir):
    for name, value in (("a.xlsx", 2.69), ("b.xlsx", 2.68)):
        make_workbook(raw_dir / name, {"S": ([["TAHUN 2021"], ["Instansi", "Indeks"],
                                              ["Kabupaten Luwu Utara", value]], [])})
    result = run_build(raw_dir)
    assert result.results.empty
    assert list(result.rejects["source_file"]) == ["a.xlsx", "b.xlsx"]
    for reason in result.rejects["reason"]:
        assert "conflicting values for Kabupaten Luwu Utara (73.22) in 2021" in reason
        assert "2.69" in reason and "2.68" in reason


def _with_cached_value(path: Path, cell: str, cached: str | None) -> None:
    """Give a formula cell a cached value (openpyxl cannot write one)."""
    data = path.read_bytes()
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            body = src.read(name)
            if name.startswith("xl/worksheets/sheet") and cached is not None:
                body = re.sub(rf'(<c r="{cell}"[^>]*>)<f>([^<]*)</f><v\s*/?>(</v>)?'.encode(),
                              rf"\1<f>\2</f><v>{cached}</v>".encode(), body)
            dst.writestr(name, body)
    path.write_bytes(out.getvalue())


def test_formula_cells_are_read_through_their_cached_values(raw_dir):
    wb = Workbook()
    ws = wb.active
    for row in (["TAHUN 2023"], ["Instansi", "Indeks"], ["Kota Bengkulu", "=2.6+0.01"],
                ["Provinsi Bengkulu", "=3+0.12"]):
        ws.append(row)
    path = raw_dir / "f.xlsx"
    wb.save(path)
    _with_cached_value(path, "B3", "2.61")
    result = run_build(raw_dir)
    assert list(result.results["index"]) == [2.61]
    (rej,) = result.rejects.to_dict("records")
    assert rej["source_cell"] == "B4"
    assert "cell B4 holds a formula with no cached value" in rej["reason"]


def test_merged_cell_spanning_data_rows_is_rejected(raw_dir):
    rows = [["TAHUN 2023"], ["Instansi", "Indeks"], ["Kota Bengkulu", 2.61],
            ["Kabupaten Kaur", None]]
    make_workbook(raw_dir / "m.xlsx", {"S": (rows, ["B3:B4"])})
    result = run_build(raw_dir)
    assert list(result.results["instansi_code"]) == ["17.71"]
    assert "merged range starting at B3" in result.rejects["reason"].iloc[0]


def test_hidden_rows_are_read_and_said_so(raw_dir):
    wb = Workbook()
    ws = wb.active
    for row in (["TAHUN 2023"], ["Instansi", "Indeks"], ["Kota Bengkulu", 2.61],
                ["Kabupaten Kaur", 2.24]):
        ws.append(row)
    ws.row_dimensions[4].hidden = True
    wb.save(raw_dir / "h.xlsx")
    result = run_build(raw_dir)
    kaur = result.results.set_index("instansi_code").loc["17.04"]
    assert "row hidden in the workbook" in kaur["note"]
    assert result.manifest["inputs"][0]["sheets"][0]["hidden_rows_read"] == 1


def test_data_row_below_the_notes_is_rejected_not_dropped(raw_dir):
    rows = [["TAHUN 2023"], ["Instansi", "Indeks"], ["Kota Bengkulu", 2.61],
            ["Keterangan: ekstrak"], ["Kabupaten Kaur", 2.24]]
    make_workbook(raw_dir / "n.xlsx", {"S": (rows, [])})
    result = run_build(raw_dir)
    assert "below the table's notes" in result.rejects["reason"].iloc[0]


@pytest.mark.parametrize("name, payload, message", [
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "save it as .xlsx"),
    ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "password-protected"),
    ("notzip.xlsx", b"Nama,Indeks\nKota Bengkulu,2.61\n", "not a zip archive"),
])
def test_unreadable_files_fail_with_a_message_naming_the_file(raw_dir, name, payload, message):
    (raw_dir / name).write_bytes(payload)
    with pytest.raises(UnreadableInputError) as err:
        run_build(raw_dir)
    assert name in str(err.value) and message in str(err.value)


def test_sidecar_with_invalid_yaml_fails_naming_the_line(raw_dir, annex_2023):
    annex_2023.with_name("annex_2023.source.yml").write_text("publisher: [unclosed\nyear: 1\n")
    with pytest.raises(InputError,
                       match=r"annex_2023.source.yml, row \d: the sidecar is not valid"):
        run_build(raw_dir)


def test_synthetic_sidecar_must_match_the_file_name(raw_dir, annex_2023):
    annex_2023.with_name("annex_2023.source.yml").write_text("synthetic: true\n")
    with pytest.raises(InputError, match="synthetic data must say so in both"):
        run_build(raw_dir)


@pytest.mark.parametrize("text, key", [
    ("source_urls: https://example.org/kepmen\n", "source_urls"),  # a string, not a list
    ("source_urls: [2023, 2024]\n", "source_urls"),                 # numbers, not URLs
    ("synthetic: 'no'\n", "synthetic"),
    ("publisher: [a, b]\n", "publisher"),
    ("evaluation_year: '2023'\n", "evaluation_year"),
])
def test_sidecar_values_of_the_wrong_type_fail_naming_the_key(raw_dir, annex_2023, text, key):
    annex_2023.with_name("annex_2023.source.yml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_sidecar(annex_2023, "annex_2023.xlsx")
    assert f"annex_2023.source.yml: sidecar key '{key}' has the wrong type" in str(err.value)


def test_a_sidecar_url_list_reaches_sumber_whole(raw_dir, annex_2023):
    result = run_build(raw_dir)
    assert set(result.results["sumber"]) == {"https://example.org/kepmen-13-2024"}


@pytest.mark.parametrize("text, parsed", [
    ("Provinsi Bengkulu", (None, "Bengkulu")),
    ("PROVINSI KEPULAUAN RIAU", (None, "KEPULAUAN RIAU")),
    ("2. Pemerintah Provinsi Jawa Barat", (None, "Jawa Barat")),
    ("A. PEMERINTAH PROVINSI", ("provinsi", None)),
    ("Provinsi dan Kabupaten", ("provinsi", None)),
    ("Instansi Pusat", (None, None)),
    ("Kota Bengkulu", None),
])
def test_section_category_returns_the_province_of_a_grouping_row(text, parsed):
    assert section_category(text) == parsed


def test_province_grouping_rows_give_each_row_its_province(raw_dir):
    rows = [["HASIL EVALUASI SPBE TAHUN 2023"], ["No", "Nama Instansi", "Indeks"],
            ["Provinsi Bengkulu"], [1, "Kota Bengkulu", 2.61],
            ["PROVINSI JAMBI"], [1, "Kota Jambi", 4.27], [2, "Provinsi Jambi", None]]
    make_workbook(raw_dir / "a.xlsx", {"S": (rows, ["A3:C3", "A5:C5"])})
    result = run_build(raw_dir)
    got = result.results[["instansi_code", "province_reported"]]
    assert [tuple(r) for r in got.itertuples(index=False)] == [("15.71", "JAMBI"),
                                                               ("17.71", "Bengkulu")]
    # a province's own row without a value is a reject, never a grouping row
    assert list(result.rejects["source_cell"]) == ["C7"]
