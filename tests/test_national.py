"""National figures (spbe_tools/validate.py, national.csv): the national index and the
reports' means by category, each with one row for the index and one per domain cell, each
with its own cell; the registry check on the all-instansi index only."""
from __future__ import annotations

import math

import pytest

from spbe_tools.identity import default_matcher
from spbe_tools.ingest import ParsedRow
from spbe_tools.table_columns import NATIONAL
from spbe_tools.validate import validate_rows

REPORT = "laporan/laporan_2023.xlsx"
TABEL_7 = (("D1", "2,91", "C4"), ("D2", "2,27", "C6"), ("D3", "1,65", "C10"),
           ("D4", "3,45", "C13"))


def _row(cell: str, name: str, index: object, *, category: str = "", domains=(),
         predikat: object = None, year: object = 2023) -> ParsedRow:
    return ParsedRow(REPORT, "Tabel 7", int(cell[1:]), cell, year, name, None, "", index,
                     predikat, "Laporan Evaluasi SPBE 2023", domains=tuple(domains),
                     category_reported=category)


@pytest.fixture(scope="module")
def matcher():
    return default_matcher()


def test_an_old_national_row_gives_one_all_instansi_index_row_checked_on_the_registry(
        matcher):
    out = validate_rows([_row("C3", "Indeks SPBE Nasional", 2.79, predikat="Baik")], matcher)
    (row,) = out.national.to_dict("records")
    assert list(out.national.columns) == NATIONAL.names
    assert (row["category"], row["level"], row["item"], row["index"]) == ("", "index", "index",
                                                                          2.79)
    assert (row["registry_index"], row["matches_registry"]) == (2.79, True)
    assert out.results.empty and out.rejects.empty and out.accepted == {REPORT: 1}


def test_the_national_index_with_its_domains_gives_a_row_per_domain_with_its_cell(matcher):
    out = validate_rows([_row("C3", "Nasional", "2,79", domains=TABEL_7)], matcher)
    nat = out.national
    assert nat[["level", "item", "index", "source_cell"]].values.tolist() == [
        ["index", "index", 2.79, "C3"], ["domain", "D1", 2.91, "C4"],
        ["domain", "D2", 2.27, "C6"], ["domain", "D3", 1.65, "C10"],
        ["domain", "D4", 3.45, "C13"]]
    assert nat["matches_registry"].tolist() == [True, False, False, False, False]
    assert all(math.isnan(v) for v in nat["registry_index"].iloc[1:])
    assert out.accepted == {REPORT: 1}  # one parsed row read, one accepted: conservation


@pytest.mark.parametrize("name, written, category", [
    ("Rerata Nasional", "LPNK", "lpnk"),
    ("Nasional", "Lembaga Non Struktural", "lns"),
    ("Rerata", "Instansi Lainnya", "instansi lainnya"),
    ("Rata-rata", "Pemerintah Kota", "kota"),
    ("Nilai Indeks Kematangan SPBE Nasional", "LNS dan nstansi Lainnya",
     "lns dan instansi lainnya"),
])
def test_a_category_mean_is_a_national_row_of_that_category_not_checked_on_the_registry(
        matcher, name, written, category):
    out = validate_rows([_row("E3", name, "3,40", category=written, domains=TABEL_7[:1])],
                        matcher)
    assert out.national["category"].tolist() == [category, category]
    assert not out.national["matches_registry"].any()
    assert out.national["registry_index"].isna().all()


def test_rows_sort_by_year_then_the_reports_category_order_index_first(matcher):
    rows = [_row("I3", "Rerata Nasional", "3,02", category="Kota", domains=TABEL_7[:2]),
            _row("D3", "Rerata Nasional", "3,66", category="Kementerian"),
            _row("C3", "Rerata Nasional", "2,79", category="Nasional")]
    nat = validate_rows(rows, matcher).national
    assert nat[["category", "item"]].values.tolist() == [
        ["", "index"], ["kementerian", "index"], ["kota", "index"], ["kota", "D1"],
        ["kota", "D2"]]


def test_a_category_the_reports_do_not_have_rejects_the_row_naming_it(matcher):
    out = validate_rows([_row("E3", "Rerata Nasional", "3,40", category="BUMN")], matcher)
    assert out.national.empty
    (reason,) = out.rejects["reason"]
    assert "category 'BUMN': not one of the reports' categories" in reason and "lpnk" in reason


@pytest.mark.parametrize("domains, expected", [
    ((("D1", "2,91", "C4"), ("D9", "1,00", "C5")), "domain 'D9' in C5"),
    ((("D1", "2,91", "C4"), ("D1", "2,91", "C5")), "given twice"),
    ((("D1", "", "C4"),), "domain D1 in C4 is empty"),
    ((("D2", "7,5", "C6"),), "domain D2 in C6 is 7,5, not a value within"),
])
def test_a_bad_domain_cell_rejects_the_whole_national_row(matcher, domains, expected):
    out = validate_rows([_row("C3", "Nasional", "2,79", domains=domains)], matcher)
    assert out.national.empty
    assert expected in out.rejects["reason"].iloc[0]
    assert out.rejected == {REPORT: 1} and out.accepted == {}


def test_a_mean_row_without_a_category_and_an_agency_named_nasional_are_not_national(matcher):
    rows = [_row("A9", "Rerata", "2,79"),
            _row("A10", "Badan Riset dan Inovasi Nasional", "3,10", predikat="Baik")]
    out = validate_rows(rows, matcher)
    assert out.national.empty
    assert out.results["instansi_code"].str.startswith("L.").tolist() == [True]
    assert out.rejects["source_cell"].tolist() == ["A9"]
