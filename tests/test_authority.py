"""Sources of different weight (spbe_tools/validate.py rules 6 and 7): the official value
stands over a lower source, a lower source of the same value confirms it, sources of equal
authority keep the conflict rule, and a lower value equal to the official value of the next
or previous year is a doubt in rejects."""
from __future__ import annotations

import pytest

from spbe_tools.identity import default_matcher
from spbe_tools.ingest import ParsedRow, read_workbook
from spbe_tools.raw_folder import workbooks
from spbe_tools.sidecar import authority_of
from spbe_tools.validate import validate_rows

from _workbooks import make_workbook

REPORT_2024 = "laporan/laporan_2024.xlsx"
REPORT_2023 = "laporan/laporan_2023.xlsx"
NEWS_2024 = "annex/hasil_spbe_2024_ekstrak.xlsx"
NEWS_2023 = "annex/hasil_spbe_2023_ekstrak.xlsx"
NEWS_2022 = "annex/hasil_spbe_2022_ekstrak.xlsx"
KOMINFO = "pemda/banyuwangi.xlsx"


def _row(file: str, cell: str, year: int, name: str, index: object, predikat: object = None,
         sumber: str = "") -> ParsedRow:
    return ParsedRow(file, "Lampiran", int(cell[1:]), cell, year, name, None, "", index,
                     predikat, sumber or f"https://example.org/{file}")


@pytest.fixture(scope="module")
def matcher():
    return default_matcher()


def test_a_news_value_that_disagrees_with_the_report_goes_to_rejects_naming_both(matcher):
    """Kab. Banyuwangi 2024: a news page 4.50, the official report 4.77."""
    rows = [_row(NEWS_2024, "C13", 2024, "Kabupaten Banyuwangi", 4.50),
            _row(REPORT_2024, "H31", 2024, "Pemerintah Kab. Banyuwangi", "4,77", "Memuaskan")]
    out = validate_rows(rows, matcher, {REPORT_2024: "official", NEWS_2024: "news"})
    kept = out.results.set_index("instansi").loc["Kabupaten Banyuwangi"]
    assert (kept["index"], kept["predikat"], kept["source_file"]) == (4.77, "Memuaskan",
                                                                       REPORT_2024)
    assert f"the news source {NEWS_2024} Lampiran!C13 gives 4.50" in kept["note"]
    (reason,) = out.rejects["reason"]
    assert out.rejects["source_cell"].tolist() == ["C13"]
    for part in (f"news source gives 4.50 (no predikat) at {NEWS_2024} Lampiran!C13",
                 f"official source gives 4.77 Memuaskan at {REPORT_2024} Lampiran!H31",
                 "the official value stands"):
        assert part in reason


def test_the_mesuji_2023_news_value_is_outranked_by_the_report(matcher):
    rows = [_row(REPORT_2023, "H29", 2023, "Pemerintah Kab. Mesuji", "3,57", "Sangat Baik"),
            _row(NEWS_2023, "C30", 2023, "Kabupaten Mesuji", 3.7, "Sangat Baik")]
    out = validate_rows(rows, matcher, {REPORT_2023: "official"})  # the news file: default
    assert out.results["index"].tolist() == [3.57]
    assert "3.70 Sangat Baik" in out.rejects["reason"].iloc[0]
    assert out.accepted == {REPORT_2023: 1} and out.rejected == {NEWS_2023: 1}


def test_a_lower_source_of_the_same_value_confirms_the_official_row_citing_both(matcher):
    rows = [_row(REPORT_2024, "H31", 2024, "Pemerintah Kab. Banyuwangi", "4,77", "Memuaskan",
                 sumber="KepmenPANRB 663/2024"),
            _row(KOMINFO, "B2", 2024, "Kabupaten Banyuwangi", 4.77,
                 sumber="https://banyuwangikab.go.id/spbe")]
    out = validate_rows(rows, matcher, {REPORT_2024: "official", KOMINFO: "pemda"})
    (kept,) = out.results.to_dict("records")
    assert kept["source_file"] == REPORT_2024
    assert kept["sumber"] == "KepmenPANRB 663/2024 ; https://banyuwangikab.go.id/spbe"
    assert f"confirmed by the pemda source {KOMINFO} Lampiran!B2" in kept["note"]
    assert out.rejects.empty
    assert out.collapsed == {KOMINFO: 1}
    assert out.accepted == {REPORT_2024: 1, KOMINFO: 1}


def test_a_pemda_source_outranks_a_news_page(matcher):
    rows = [_row(NEWS_2024, "C13", 2024, "Kabupaten Banyuwangi", 4.50),
            _row(KOMINFO, "B2", 2024, "Kabupaten Banyuwangi", 4.77)]
    out = validate_rows(rows, matcher, {KOMINFO: "pemda", NEWS_2024: "news"})
    assert out.results["source_file"].tolist() == [KOMINFO]
    assert "the pemda value stands" in out.rejects["reason"].iloc[0]


@pytest.mark.parametrize("authority", [{}, {NEWS_2024: "official", KOMINFO: "official"}],
                         ids=["both unstated", "both official"])
def test_sources_of_equal_authority_that_disagree_both_go_to_rejects(matcher, authority):
    rows = [_row(NEWS_2024, "C13", 2024, "Kabupaten Banyuwangi", 4.50),
            _row(KOMINFO, "B2", 2024, "Kabupaten Banyuwangi", 4.77)]
    out = validate_rows(rows, matcher, authority)
    assert out.results.empty
    assert sorted(out.rejects["source_cell"]) == ["B2", "C13"]
    assert out.rejects["reason"].str.startswith("conflicting values for Kabupaten "
                                                "Banyuwangi (35.10) in 2024").all()


def test_sources_of_equal_authority_that_agree_collapse_as_before(matcher):
    rows = [_row(NEWS_2024, "C13", 2024, "Kabupaten Banyuwangi", 4.77),
            _row(KOMINFO, "B2", 2024, "Kabupaten Banyuwangi", 4.77)]
    kept = validate_rows(rows, matcher).results.iloc[0]
    assert kept["sumber"] == f"https://example.org/{NEWS_2024}"  # the first row's, as before
    assert kept["note"] == f"identical value also in {KOMINFO} Lampiran!B2"


def test_two_official_rows_that_disagree_reject_the_whole_group_news_included(matcher):
    rows = [_row(REPORT_2024, "H31", 2024, "Kabupaten Banyuwangi", 4.77),
            _row(REPORT_2024, "H90", 2024, "Kabupaten Banyuwangi", 4.70),
            _row(NEWS_2024, "C13", 2024, "Kabupaten Banyuwangi", 4.50)]
    out = validate_rows(rows, matcher, {REPORT_2024: "official"})
    assert out.results.empty and len(out.rejects) == 3
    assert out.rejects["reason"].str.contains("4.50 .no predikat. at", regex=True).all()


def test_a_news_value_equal_to_the_next_years_official_value_is_a_doubt_in_rejects(matcher):
    """Kepulauan Riau: a news site's 2022 value 2.68 is the report's 2023 value."""
    rows = [_row(NEWS_2022, "C9", 2022, "Provinsi Kepulauan Riau", 2.68),
            _row(REPORT_2023, "H7", 2023, "Pemerintah Provinsi Kepulauan Riau", "2,68", "Baik"),
            _row(NEWS_2022, "C31", 2022, "Kota Batam", 2.85, "Baik")]
    out = validate_rows(rows, matcher, {REPORT_2023: "official"})
    kept = out.results.set_index(["instansi", "year"])
    assert ("Provinsi Kepulauan Riau", 2022) not in kept.index
    assert ("Kota Batam", 2022) in kept.index  # no official value beside it: kept
    note = kept.loc[("Provinsi Kepulauan Riau", 2023), "note"]
    assert f"the same value for 2022 from the news source {NEWS_2022} Lampiran!C9" in note
    (reason,) = out.rejects["reason"]
    assert "likely the 2023 figure reported under 2022" in reason
    assert f"{REPORT_2023} Lampiran!H7" in reason
    assert out.accepted == {NEWS_2022: 1, REPORT_2023: 1} and out.rejected == {NEWS_2022: 1}


def test_a_news_value_equal_to_the_previous_years_official_value_is_a_doubt_too(matcher):
    rows = [_row(REPORT_2023, "H40", 2023, "Kabupaten Banyuwangi", 4.50, "Memuaskan"),
            _row(NEWS_2024, "C13", 2024, "Kabupaten Banyuwangi", 4.50)]
    out = validate_rows(rows, matcher, {REPORT_2023: "official"})
    assert out.results["year"].tolist() == [2023]
    assert "likely the 2023 figure reported under 2024" in out.rejects["reason"].iloc[0]


def test_equal_values_in_adjacent_years_from_equal_sources_are_both_kept(matcher):
    rows = [_row(NEWS_2022, "C9", 2022, "Provinsi Kepulauan Riau", 2.68),
            _row(NEWS_2023, "C9", 2023, "Provinsi Kepulauan Riau", 2.68)]
    out = validate_rows(rows, matcher)
    assert out.results["year"].tolist() == [2022, 2023] and out.rejects.empty


def test_an_outranked_value_equal_to_the_official_value_of_the_year_before_says_so(matcher):
    """Kab. Banyuwangi: the news page's 2024 value 4.50 is the report's 2023 value."""
    rows = [_row(REPORT_2023, "H40", 2023, "Kabupaten Banyuwangi", "4,50", "Memuaskan"),
            _row(NEWS_2024, "C13", 2024, "Kabupaten Banyuwangi", 4.50),
            _row(REPORT_2024, "H31", 2024, "Kabupaten Banyuwangi", "4,77", "Memuaskan")]
    out = validate_rows(rows, matcher, {REPORT_2023: "official", REPORT_2024: "official"})
    assert out.results["index"].tolist() == [4.50, 4.77]
    (reason,) = out.rejects["reason"]
    assert "the official value stands; its value is the very value the official source gives "\
           f"for 2023 at {REPORT_2023} Lampiran!H40: likely the 2023 figure reported under "\
           "2024" in reason


def _annex(rows: list, sidecar: dict) -> tuple[list, dict]:
    return ([["HASIL EVALUASI SPBE TAHUN 2024"], [], ["No", "Nama Instansi", "Indeks",
                                                      "Predikat"], *rows], []), sidecar


def test_workbooks_read_with_their_sidecars_give_the_authority_mapping_validate_takes(
        tmp_path, matcher):
    """The wiring a build uses: {file: authority_of(sidecar)} from each file's report."""
    raw = tmp_path / "raw"
    sheet, side = _annex([[1, "Pemerintah Kab. Banyuwangi", "4,77", "Memuaskan"]],
                         {"publisher": "Kementerian PANRB", "authority": "official"})
    make_workbook(raw / "laporan_2024.xlsx", {"Tabel 30": sheet}, sidecar=side)
    sheet, side = _annex([[1, "Kabupaten Banyuwangi", "4,50", None]],
                         {"publisher": "ganeshabwi.com"})  # no authority: news
    make_workbook(raw / "berita_2024.xlsx", {"Lampiran": sheet}, sidecar=side)
    reports, rows = [], []
    for book in workbooks([raw]):
        report, read, _ = read_workbook(book)
        reports.append(report)
        rows.extend(read)
    authority = {r.file: authority_of(r.sidecar) for r in reports}
    assert authority == {"laporan_2024.xlsx": "official", "berita_2024.xlsx": "news"}
    out = validate_rows(rows, matcher, authority)
    assert out.results[["index", "source_file"]].values.tolist() == [[4.77,
                                                                      "laporan_2024.xlsx"]]
    assert out.rejects["source_file"].tolist() == ["berita_2024.xlsx"]
