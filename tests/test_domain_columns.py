"""Results tables with domain columns (the reports' ``No | Nama Instansi | D1 | D2 | D3 | D4 |
Indeks | Predikat``): each accepted row keeps its index, predikat and decree and gives four
domain score rows; Σ bobot × domain is checked against the index within the rounding
tolerance."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from spbe_tools import registry
from spbe_tools.build import build, run_build
from spbe_tools.cells import read_grids
from spbe_tools.ingest import read_results_sheet
from spbe_tools.lhe_layout import recognise
from spbe_tools.paths import RAW_DIR
from spbe_tools.registry import structure

from _workbooks import make_workbook

TITLE = ["HASIL EVALUASI SPBE TAHUN 2023"]
#: Domains whose Σ bobot × domain (13/25/16.5/45.5 %) is 2.723: 2.72 and 2.73 agree with it
#: within the two-decimal rounding, 2.79 does not.
DOMAINS = ["3,10", "2,50", "2,00", "3,00"]


def _build(raw_dir: Path, rows: list, merges: list | None = None, name: str = "tabel.xlsx"):
    make_workbook(raw_dir / name, {"Tabel": (rows, merges or [])})
    return run_build(raw_dir)


def _scores(result) -> dict:
    """(instansi_code, item) -> (value, source_cell) of the domain score rows."""
    s = result.scores[result.scores["level"] == "domain"]
    return {(r.instansi_code, r.item): (r.value, r.source_cell) for r in s.itertuples()}


def _results(result):
    return result.results.set_index("instansi")


def _check(result, code: str):
    checks = result.checks[(result.checks["instansi_code"] == code)
                           & (result.checks["note"].str.startswith("domains vs results"))]
    (row,) = checks.itertuples()
    return row


def test_d1_to_d4_columns_give_the_results_row_and_four_domain_scores(raw_dir):
    rows = [TITLE, ["No", "Nama Instansi", "D1", "D2", "D3", "D4", "Indeks", "Predikat"],
            [1, "Kota Bengkulu", *DOMAINS, "2,72", "Baik"],
            [2, "Kabupaten Kaur", "4,10", "3,20", "2,80", "3,60", "3,48", "Baik"]]
    result = _build(raw_dir, rows)
    assert result.manifest["inputs"][0]["sheets"][0]["layout"] == "annex"
    got = _results(result).loc["Kota Bengkulu"]
    assert (got["index"], got["predikat"], got["origin"], got["source_cell"]) == \
        (2.72, "Baik", "table", "G3")
    assert got["decree"] == registry.evaluation(2023).decree != ""
    scores = _scores(result)
    assert scores[("17.71", "D1")] == (3.1, "C3") and scores[("17.71", "D4")] == (3.0, "F3")
    assert scores[("17.04", "D3")] == (2.8, "E4")
    assert len(scores) == 8 and result.rejects.empty


def test_each_domain_score_row_carries_its_own_cell_and_the_registry_name(raw_dir):
    rows = [TITLE, ["No", "Nama Instansi", "D1", "D2", "D3", "D4", "Indeks", "Predikat"],
            [1, "Kota Bengkulu", *DOMAINS, "2,72", "Baik"],
            [2, "Kabupaten Kaur", *DOMAINS, "2,72", "Baik"]]
    s = _build(raw_dir, rows).scores
    s = s[s["instansi_code"] == "17.71"]
    names = dict(zip(structure.domains("spbe-59-2020")["item"],
                     structure.domains("spbe-59-2020")["name"]))
    assert s["item_name"].tolist() == [names[i] for i in s["item"]]
    assert s["source_cell"].tolist() == ["C3", "D3", "E3", "F3"]
    assert set(s["source_file"]) == {"tabel.xlsx"} and set(s["source_sheet"]) == {"Tabel"}
    assert set(s["framework"]) == {"spbe-59-2020"} and not s["synthetic"].any()


def test_domain_names_as_headers_full_and_short_are_domain_columns(raw_dir):
    rows = [TITLE, ["No", "Nama Instansi", "Kebijakan Internal", "Tata Kelola SPBE", "Manajemen",
                    "Layanan", "Indeks SPBE", "Predikat"],
            [1, "Kota Bengkulu", *DOMAINS, "2,72", "Baik"],
            [2, "Kabupaten Kaur", *DOMAINS, "2,72", "Baik"]]
    result = _build(raw_dir, rows)
    assert _results(result).loc["Kota Bengkulu", "predikat"] == "Baik"
    scores = _scores(result)
    assert {item for _, item in scores} == {"D1", "D2", "D3", "D4"}
    assert scores[("17.71", "D2")] == (2.5, "D3")


def test_a_merged_indeks_domain_group_is_not_an_index_column(raw_dir):
    rows = [TITLE, ["No", "Nama Instansi", "Indeks Domain", None, None, None, "Indeks", "Predikat"],
            [None, None, "D1", "D2", "D3", "D4", None, None],
            [1, "Kota Bengkulu", *DOMAINS, "2,72", "Baik"],
            [2, "Kabupaten Kaur", *DOMAINS, "2,72", "Baik"]]
    merges = ["A2:A3", "B2:B3", "C2:F2", "G2:G3", "H2:H3"]
    result = _build(raw_dir, rows, merges)
    sheet = result.manifest["inputs"][0]["sheets"][0]
    assert (sheet["kind"], sheet["layout"], sheet["header_rows"]) == ("results", "annex", [2, 3])
    got = _results(result).loc["Kota Bengkulu"]
    assert (got["index"], got["source_cell"]) == (2.72, "G4")
    assert _scores(result)[("17.71", "D1")] == (3.1, "C4")


def test_bare_numbers_under_an_indeks_domain_typed_once_are_the_domains(raw_dir):
    rows = [TITLE, ["No", "Nama Instansi", "Indeks Domain", None, None, None, "Indeks", "Predikat"],
            [None, None, 1, 2, 3, 4, None, None],
            [1, "Kota Bengkulu", *DOMAINS, "2,72", "Baik"],
            [2, "Kabupaten Kaur", *DOMAINS, "2,72", "Baik"]]
    result = _build(raw_dir, rows)
    assert _scores(result)[("17.04", "D4")] == (3.0, "F5")
    assert _results(result).loc["Kabupaten Kaur", "source_cell"] == "G5"


def test_decimal_commas_in_domain_cells_read_as_numbers(raw_dir):
    rows = [TITLE, ["No", "Nama Instansi", "D1", "D2", "D3", "D4", "Indeks", "Predikat"],
            [1, "Kota Bengkulu", "3,10", " 2,50 ", 2.0, "3,00*", "2,72", "Baik"],
            [2, "Kabupaten Kaur", *DOMAINS, "2,72", "Baik"]]
    scores = _scores(_build(raw_dir, rows))
    assert [scores[("17.71", d)][0] for d in ("D1", "D2", "D3", "D4")] == [3.1, 2.5, 2.0, 3.0]


@pytest.mark.parametrize("index, ok", [("2,72", True), ("2,73", True), ("2,79", False)])
def test_the_index_is_checked_against_the_domains_within_the_rounding_tolerance(
        raw_dir, index, ok):
    rows = [TITLE, ["No", "Nama Instansi", "D1", "D2", "D3", "D4", "Indeks", "Predikat"],
            [1, "Kota Bengkulu", *DOMAINS, index, "Baik"],
            [2, "Kabupaten Kaur", *DOMAINS, "2,72", "Baik"]]
    check = _check(_build(raw_dir, rows), "17.71")
    assert check.ok is ok
    assert check.recomputed == pytest.approx(2.723, abs=1e-12)
    if index == "2,79":
        assert check.note == "domains vs results: Σ bobot × domain 2.72 (2.7230), published 2.79"
    elif index == "2,73":
        assert "published 2.73, within the rounding tolerance 0.01" in check.note
    else:
        assert check.note == "domains vs results"


def test_an_empty_domain_cell_keeps_the_index_and_says_so(raw_dir):
    rows = [TITLE, ["No", "Nama Instansi", "D1", "D2", "D3", "D4", "Indeks", "Predikat"],
            [1, "Kota Bengkulu", "3,10", "2,50", None, "3,00", "2,72", "Baik"],
            [2, "Kabupaten Kaur", "3,10", "2,50", "n.a.", "3,00", "2,72", "Baik"]]
    result = _build(raw_dir, rows)
    got = _results(result)
    assert got.loc["Kota Bengkulu", "index"] == 2.72 and got.loc["Kabupaten Kaur", "index"] == 2.72
    assert "D3 in E3 is empty: no Σ bobot × domain check" in got.loc["Kota Bengkulu", "note"]
    assert "D3 in E4: " in got.loc["Kabupaten Kaur", "note"]
    scores = _scores(result)
    assert sorted(i for c, i in scores if c == "17.71") == ["D1", "D2", "D4"]  # D3 left out
    assert result.checks.empty  # an incomplete set is never recomputed


def test_a_row_marked_for_review_gives_no_scores(raw_dir):
    rows = [TITLE, ["No", "Nama Instansi", "D1", "D2", "D3", "D4", "Indeks", "Predikat",
                    "Periksa"],
            [1, "Kota Bengkulu", *DOMAINS, "2,72", "Baik", "angka hilang satu digit?"],
            [2, "Kabupaten Kaur", *DOMAINS, "2,72", "Baik", None]]
    result = _build(raw_dir, rows)
    assert result.rejects["instansi_reported"].tolist() == ["Kota Bengkulu"]
    assert {code for code, _ in _scores(result)} == {"17.04"}


def test_the_table_domains_give_way_to_an_lhe_sheet_of_the_same_instansi_year(raw_dir):
    rows = [TITLE, ["No", "Nama Instansi", "D1", "D2", "D3", "D4", "Indeks", "Predikat"],
            [1, "Kota Bengkulu", *DOMAINS, "2,72", "Baik"],
            [2, "Kabupaten Kaur", *DOMAINS, "2,72", "Baik"]]
    make_workbook(raw_dir / "lhe.xlsx", {"Domain": ([
        ["INDEKS DOMAIN SPBE TAHUN 2023"],
        ["No", "Nama Pemda", "D1", "D2", "D3", "D4", "Indeks SPBE"],
        [1, "Kota Bengkulu", 3.2, 2.5, 2.0, 3.0, 2.74]], [])})
    result = _build(raw_dir, rows)
    s = result.scores[(result.scores["instansi_code"] == "17.71")
                      & (result.scores["level"] == "domain")]
    assert set(s["source_file"]) == {"lhe.xlsx"} and len(s) == 4
    assert "an LHE sheet gives this instansi-year's" in \
        _results(result).loc["Kota Bengkulu", "note"]
    assert set(result.scores.loc[result.scores["instansi_code"] == "17.04",
                                 "source_file"]) == {"tabel.xlsx"}


def test_two_builds_write_the_same_scores_bytes(raw_dir, tmp_path):
    rows = [TITLE, ["No", "Nama Instansi", "D1", "D2", "D3", "D4", "Indeks", "Predikat"],
            [1, "Kota Bengkulu", *DOMAINS, "2,72", "Baik"],
            [2, "Kabupaten Kaur", "4,10", "3,20", "2,80", "3,60", "3,48", "Baik"]]
    make_workbook(raw_dir / "tabel.xlsx", {"Tabel": (rows, [])})
    first = build(raw_dir, tmp_path / "a", cache=False)
    build(raw_dir, tmp_path / "b", cache=False)
    for name in ("scores.csv", "scores.parquet", "checks.csv", "results.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert first.scores.dtypes["value"] == "float64" and first.scores.dtypes["year"] == "int64"


def _parsed(tmp_path: Path, rows: list, merges: list | None = None):
    path = make_workbook(tmp_path / "t.xlsx", {"Tabel": (rows, merges or [])})
    _, grids = read_grids(path, display_name="t.xlsx")
    return read_results_sheet(grids[0], {}, sidecar_name="t.source.yml", category_hint=None)[0]


def test_a_pemerintah_daerah_di_section_gives_the_pemda_group_and_the_province(tmp_path):
    rows = [TITLE, ["No", "Nama Instansi", "D1", "D2", "D3", "D4", "Indeks", "Predikat"],
            ["PEMERINTAH DAERAH DI BENGKULU"],
            [1, "Pemerintah Provinsi Bengkulu", *DOMAINS, "2,72", "Baik"],
            [2, "Pemerintah Kab. Kaur", *DOMAINS, "2,72", "Baik"],
            ["Pemerintah Daerah Aceh"],
            [1, "Pemerintah Aceh", *DOMAINS, "2,72", "Baik"]]
    rows_read = _parsed(tmp_path, rows, ["A3:H3", "A6:H6"])
    assert [(r.category_hint, r.province_reported) for r in rows_read] == [
        ("pemda", "BENGKULU"), ("pemda", "BENGKULU"), ("pemda", "Aceh")]


def test_a_section_row_naming_a_group_passes_it_on_as_the_hint(tmp_path):
    rows = [TITLE, ["No", "Nama Instansi", "Indeks", "Predikat"], ["INSTANSI PUSAT"],
            [1, "Kementerian Keuangan", "4,50", "Memuaskan"], ["PEMERINTAH KABUPATEN/KOTA"],
            [1, "Kota Bengkulu", "2,72", "Baik"]]
    assert [r.category_hint for r in _parsed(tmp_path, rows)] == ["kl", "kabupaten/kota"]


def test_the_pemda_section_lets_the_build_place_the_rows_in_their_province(raw_dir):
    rows = [TITLE, ["No", "Nama Instansi", "D1", "D2", "D3", "D4", "Indeks", "Predikat"],
            ["PEMERINTAH DAERAH DI BENGKULU"],
            [1, "Pemerintah Kab. Kaur", *DOMAINS, "2,72", "Baik"],
            [2, "Pemerintah Kota Bengkulu", *DOMAINS, "2,72", "Baik"]]
    got = _results(_build(raw_dir, rows, ["A3:H3"]))
    assert got.loc["Kabupaten Kaur", "province_reported"] == "BENGKULU"
    assert got["province_code"].tolist() == ["17", "17"]


def test_the_category_cell_is_kept_as_written_and_national_rows_keep_their_domains(tmp_path):
    rows = [TITLE, ["No", "Nama Instansi", "Kategori", "D1", "D2", "D3", "D4", "Indeks",
                    "Predikat"],
            [1, "Badan Pusat Statistik", "LPNK", *DOMAINS, "2,72", "Baik"],
            [2, "Indeks SPBE Nasional", None, *DOMAINS, "2,72", "Baik"]]
    bps, national = _parsed(tmp_path, rows)
    assert bps.category_reported == "LPNK" and national.category_reported == ""
    assert national.domains == (("D1", "3,10", "D4"), ("D2", "2,50", "E4"),
                                ("D3", "2,00", "F4"), ("D4", "3,00", "G4"))


def test_the_shipped_magelang_lhe_sheet_still_reads_as_an_lhe_sheet(raw_dir):
    path = RAW_DIR / "lhe" / "lhe_domain_kab_magelang_2022.xlsx"
    assert recognise(openpyxl.load_workbook(path).worksheets[0]).layout == "lhe-wide"
    (raw_dir / "lhe").mkdir()
    for suffix in (".xlsx", ".source.yml"):
        source = path.with_suffix(suffix)
        (raw_dir / "lhe" / source.name).write_bytes(source.read_bytes())
    result = run_build(raw_dir)
    assert result.manifest["inputs"][0]["sheets"][0]["layout"] == "lhe-wide"
    values = dict(zip(result.scores["item"], result.scores["value"]))
    assert values == {"D1": 4.90, "D2": 2.40, "D3": 1.09, "D4": 3.76, "index": 3.13}
    assert result.results["origin"].tolist() == ["lhe"]
    assert result.checks["ok"].all()


def test_a_domain_table_without_predikat_stays_an_lhe_sheet(raw_dir):
    rows = [TITLE, ["No", "Nama Instansi", "D1", "D2", "D3", "D4", "Indeks SPBE"],
            [1, "Kota Bengkulu", *DOMAINS, "2,72"], [2, "Kabupaten Kaur", *DOMAINS, "2,72"]]
    result = _build(raw_dir, rows)
    assert result.manifest["inputs"][0]["sheets"][0]["layout"] == "lhe-wide"
    assert set(result.results["origin"]) == {"lhe"}


def test_a_domain_name_means_the_item_of_the_rows_framework(raw_dir):
    rows = [["Tahun", "Nama Instansi", "Kebijakan", "Tata Kelola", "Layanan", "Indeks",
             "Predikat"],
            [2019, "Kota Bengkulu", "2,00", "2,00", "2,00", "2,00", "Cukup"],
            [2019, "Kabupaten Kaur", "2,00", "2,00", "2,00", "2,00", "Cukup"]]
    result = _build(raw_dir, rows)
    assert result.manifest["inputs"][0]["sheets"][0]["layout"] == "long"
    s = result.scores[result.scores["instansi_code"] == "17.71"]
    # 5/2018 has three domains: Layanan SPBE is its D3 (D4 under 59/2020)
    assert dict(zip(s["item"], s["item_name"])) == {
        "D1": "Kebijakan SPBE", "D2": "Tata Kelola SPBE", "D3": "Layanan SPBE"}
