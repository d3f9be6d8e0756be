"""Every instansi name of the 2023 and 2024 national reports resolves, by rule, to one instansi
of its table's category (and, for a pemda table, inside the table's province).

The reports are the Markdown conversions in ``data/sources/laporan`` (see its README): one
pipe table per group, titled "Tabel N. Hasil Evaluasi SPBE <group>"; a table that restarts
after a page break has no title and continues the group above it. The rows are read with
``spbe extract``'s Markdown reader (:func:`spbe_tools.extract.text_tables.read_markdown`).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest

from spbe_tools.extract.text_tables import read_markdown
from spbe_tools.identity import default_matcher
from spbe_tools.paths import PROJECT_ROOT

LAPORAN = PROJECT_ROOT / "data" / "sources" / "laporan"
REPORTS = {2023: LAPORAN / "laporan_evaluasi_spbe_2023.md",
           2024: LAPORAN / "laporan_pelaksanaan_evaluasi_spbe_2024.md"}
# README.md of data/sources/laporan: rows per category, instansi pusat split by table group.
EXPECTED = {
    2023: {"kementerian": 34, "lembaga": 58, "provinsi": 38, "kabupaten": 398, "kota": 93},
    2024: {"kementerian": 34, "lembaga": 58, "provinsi": 38, "kabupaten": 392, "kota": 93},
}
# No row is excepted: the OCR damage of these files (empty domain cells, the title typo
# "Nusa Tenggara Tlmur" of the 2024 Tabel 46) leaves every name readable; the typo resolves
# through its alias line.
EXCEPTIONS: dict[tuple[int, str], str] = {}


@dataclass(frozen=True)
class ReportRow:
    table: str      # the title of the row's group: "Tabel 9. Hasil Evaluasi SPBE Kementerian"
    hint: tuple[str, str | None]  # (category hint, province) the table's group gives
    no: str
    name: str       # the Nama Instansi cell, <br> read as a space


def report_rows(path) -> list[ReportRow]:
    """Data rows of the results tables, in file order, each under the group of its table."""
    read = read_markdown(path.read_text(encoding="utf-8"), "spbe-59-2020")
    rows, group = [], None
    for raw in read.rows:
        if raw.kind == "section":
            group = raw
        elif raw.kind == "data":
            rows.append(ReportRow(group.text, (group.section, group.province),
                                  raw.cells.get("no", ""), raw.cells.get("name", "")))
    return rows


@pytest.fixture(scope="module", params=sorted(REPORTS))
def report(request) -> tuple[int, list[ReportRow]]:
    return request.param, report_rows(REPORTS[request.param])


def _resolve(row: ReportRow, year: int):
    category, province = row.hint
    return default_matcher().resolve(row.name, category=category, province=province, year=year)


def test_the_reader_finds_every_results_row_under_a_titled_group(report):
    year, rows = report
    assert len(rows) == sum(EXPECTED[year].values())
    assert all(r.table and r.name for r in rows)
    assert {r.hint[0] for r in rows} == {"kementerian", "lembaga", "pemda"}


def test_every_report_name_resolves_to_one_instansi_of_its_table_group(report):
    year, rows = report
    wrong = []
    for row in rows:
        if (year, row.name) in EXCEPTIONS:
            continue
        res = _resolve(row, year)
        category, _ = row.hint
        allowed = {"provinsi", "kabupaten", "kota"} if category == "pemda" else {category}
        if not res.ok or res.category not in allowed:
            wrong.append(f"{row.table} no. {row.no} {row.name!r}: {res.category} {res.reason}")
    assert wrong == []


def test_every_pemda_resolves_inside_the_province_of_its_table(report):
    year, rows = report
    matcher = default_matcher()
    outside = []
    for row in rows:
        category, province = row.hint
        if category != "pemda":
            continue
        res, prov = _resolve(row, year), matcher.resolve(province, category="provinsi")
        if res.province_code != prov.code:
            outside.append(f"{row.table} {row.name!r} -> {res.code} not in {prov.code}")
    assert outside == []


def test_each_category_has_the_reported_count_and_no_instansi_appears_twice(report):
    year, rows = report
    resolved = [_resolve(row, year) for row in rows]
    assert Counter(r.category for r in resolved) == EXPECTED[year]
    twice = [c for c, n in Counter(r.code for r in resolved).items() if n > 1]
    assert twice == []


def test_names_resolve_by_a_named_rule_never_by_a_fuzzy_guess(report):
    year, rows = report
    kinds = ("exact", "alias: ", "short name: ", "slash part: ", "slash name: ",
             "secretariat: ")
    rules = {_resolve(row, year).rule for row in rows}
    assert all(rule.startswith(kinds) for rule in rules)


def test_the_reports_need_the_rules_they_were_written_for():
    rules = {r.name: _resolve(r, y).rule for y, p in REPORTS.items() for r in report_rows(p)}
    assert "abbreviation: Sel. -> Selatan" in rules["Pemerintah Kab. Ogan Komering Ulu Sel."]
    assert rules["Sekretariat Jenderal Komisi Pemilihan Umum"].startswith("secretariat: ")
    assert rules["Kementerian Koordinator Bidang Kemaritiman"].startswith(
        "alias: Kementerian Koordinator Bidang Kemaritiman -> K.MARVES")
    assert rules["Perpustakaan Nasional RI"] == "exact; RI read as Republik Indonesia"


def test_the_two_years_share_codes_for_the_same_central_instansi():
    codes = {}
    for year, path in REPORTS.items():
        codes[year] = {_resolve(r, year).code for r in report_rows(path)
                       if r.hint[0] != "pemda"}
    # bodies of one year only: LAN and KASN in 2023; Kompolnas and Wantimpres in 2024
    assert codes[2023] - codes[2024] == {"L.LAN", "L.KASN"}
    assert codes[2024] - codes[2023] == {"L.KOMPOLNAS", "L.WANTIMPRES"}
