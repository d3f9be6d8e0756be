"""LHE sheets: recognition, reading, rejects, the template round trip, shipped files."""
from __future__ import annotations

from types import SimpleNamespace

import openpyxl
import pytest
import yaml

from spbe_tools import cli
from spbe_tools.cells import open_workbook
from spbe_tools.errors import InputError, LayoutError
from spbe_tools.lhe import read_lhe_sheet
from spbe_tools.lhe_layout import is_lhe_sheet
from spbe_tools.lhe_template import template_workbook
from spbe_tools.office_files import save_workbook, workbook_bytes
from spbe_tools.paths import DEMO_DIR, RAW_DIR
from spbe_tools.registry import structure
from spbe_tools.scores import recompute
from spbe_tools.validate import name_lhe_sheet

from _tools import load_tool

FW = "spbe-59-2020"
IND = structure.indicators(FW)


class StubMatcher:
    """Resolves a few names the way identity.Matcher does (ok/code/name/reason)."""

    known = {"kota bengkulu": ("17.71", "Kota Bengkulu"),
             "kabupaten magelang": ("33.08", "Kabupaten Magelang"),
             "kabupaten lebong": ("17.07", "Kabupaten Lebong")}

    def resolve(self, name, category=None, province=None, year=None):
        hit = self.known.get(name.casefold())
        return SimpleNamespace(ok=hit is not None, code=hit and hit[0], name=hit and hit[1],
                               category=None, reason="" if hit else f"no region named {name!r}")


def instansi_sheet(levels=None, *, title="LAPORAN HASIL EVALUASI SPBE TAHUN 2023",
                   instansi="Instansi: Pemerintah Kota Bengkulu", index=2.61, extra_rows=()):
    """A per-instansi LHE like the ones pemda receive: title, instansi, index, a domain
    block, then indicator rows under merged domain section rows."""
    levels = levels or {n: 3 for n in range(1, 48)}
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "LHE"
    ws["A1"] = title
    if instansi:
        ws["A2"] = instansi
    ws["B4"], ws["C4"] = "Indeks SPBE", index
    ws.append([])
    ws.append(["No", "Domain", "Indeks Domain"])                      # row 6
    for no, name, value in [(1, "Kebijakan Internal SPBE", 3.0), (2, "Tata Kelola SPBE", 3.0),
                            (3, "Manajemen SPBE", 3.0), (4, "Layanan SPBE", 3.0)]:
        ws.append([no, name, value])
    ws.append([])
    ws.append(["No", "Indikator", "Tingkat Kematangan"])              # row 12
    current = None
    for row in IND.itertuples(index=False):
        if row.domain_no != current:
            current = row.domain_no
            ws.append([f"DOMAIN {current}"])
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=3)
        if row.number in levels:
            ws.append([row.number, f"Tingkat Kematangan {row.name}", levels[row.number]])
    for extra in extra_rows:
        ws.append(list(extra))
    ws.append(["Catatan: hasil evaluasi eksternal"])
    return ws


def read(ws, year=2023, matcher=None, *, source_file="lhe/x.xlsx", synthetic=False):
    """The sheet read, then named as the build names it (validate.name_lhe_sheet)."""
    return name_lhe_sheet(read_lhe_sheet(ws, source_file=source_file, year=year,
                                         synthetic=synthetic), matcher or StubMatcher())


def level_cell(ws, number):
    for row in ws.iter_rows(min_col=1, max_col=3):
        if row[0].value == number and isinstance(row[1].value, str) \
                and row[1].value.startswith("Tingkat"):
            return row[2]
    raise KeyError(number)


def test_per_instansi_sheet_reads_47_levels_domains_and_index_with_cells():
    ws = instansi_sheet()
    assert is_lhe_sheet(ws)
    sheet = read(ws)
    s = sheet.scores
    assert sheet.layout == "lhe-instansi"
    assert s.groupby("level").size().to_dict() == {"domain": 4, "index": 1, "indicator": 47}
    assert sheet.rows_read == 52 == sheet.rows_accepted and sheet.rejects.empty
    assert set(s["instansi_code"]) == {"17.71"} and set(s["year"]) == {2023}
    first = s[s["item"] == "I1"].iloc[0]
    assert first["item_name"] == "Kebijakan Internal Arsitektur SPBE"
    assert first["source_cell"] == level_cell(ws, 1).coordinate
    assert s.loc[s["item"] == "index", "source_cell"].item() == "C4"


def test_results_annex_and_year_tables_are_not_lhe_sheets():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["No", "Nama Instansi", "Indeks", "Predikat"])
    ws.append([1, "Kota Bengkulu", 2.61, "Baik"])
    assert not is_lhe_sheet(ws)
    ws2 = wb.create_sheet("wide")
    ws2.append(["No", "Instansi", 2021, 2022, 2023])
    ws2.append([1, "Kota Bengkulu", None, None, 2.61])
    assert not is_lhe_sheet(ws2)


@pytest.mark.parametrize("bad, reason", [(7, "not a whole level 1–5"), (2.5, "not a whole level"),
                                         (None, "level missing"), ("tiga", "not a number"),
                                         (0, "not a whole level")])
def test_a_bad_level_is_rejected_and_the_incomplete_set_is_not_used(bad, reason):
    ws = instansi_sheet()
    level_cell(ws, 17).value = bad
    sheet = read(ws)
    rej = sheet.rejects
    assert reason in rej.loc[rej["source_cell"] == level_cell(ws, 17).coordinate, "reason"].item()
    assert (sheet.scores["level"] != "indicator").all()          # never a partial set
    assert rej["reason"].str.contains("incomplete").sum() == 46
    assert sheet.rows_read == sheet.rows_accepted + len(rej)


def test_a_missing_indicator_row_rejects_the_rest_of_the_set():
    levels = {n: 3 for n in range(1, 48) if n != 30}
    sheet = read(instansi_sheet(levels))
    assert (sheet.scores["level"] != "indicator").all()
    assert sheet.rejects["reason"].str.contains("I30").all()


def test_a_duplicated_indicator_names_both_cells():
    ws = instansi_sheet(extra_rows=[(5, "Kebijakan Internal Layanan Pusat Data", 4)])
    rej = read(ws).rejects
    dup = rej[rej["reason"].str.contains("more than once")]
    assert len(dup) == 2 and dup["reason"].str.contains(level_cell(ws, 5).coordinate).all()


def test_an_unresolved_instansi_rejects_every_row_with_the_matchers_reason():
    sheet = read(instansi_sheet(instansi="Instansi: Kota Antah Berantah"))
    assert sheet.scores.empty and len(sheet.rejects) == sheet.rows_read == 52
    assert sheet.rejects["reason"].str.contains("no region named 'Kota Antah Berantah'").all()
    assert (sheet.rejects["instansi_reported"] == "Kota Antah Berantah").all()


def test_instansi_can_come_from_the_title():
    ws = instansi_sheet(title="LHE SPBE PEMERINTAH KABUPATEN LEBONG TAHUN 2023", instansi=None)
    assert set(read(ws).scores["instansi_code"]) == {"17.07"}


def test_no_instansi_anywhere_is_a_layout_error():
    ws = instansi_sheet(title="LAPORAN HASIL EVALUASI TAHUN 2023", instansi=None)
    with pytest.raises(LayoutError, match="no instansi"):
        read(ws)


def test_year_from_the_title_when_the_sidecar_gives_none_ignoring_decree_numbers():
    ws = instansi_sheet(title="LHE SPBE TAHUN 2022 (KepmenPANRB No. 108 Tahun 2023)")
    assert set(read(ws, year=None).scores["year"]) == {2022}


def test_year_contradicting_the_sidecar_names_the_title_cell():
    with pytest.raises(InputError, match="contradicts") as err:
        read(instansi_sheet(title="LHE SPBE TAHUN 2022"), year=2023)
    assert err.value.cell == "A1" and err.value.sheet == "LHE"


def test_no_year_at_all_is_an_input_error():
    with pytest.raises(InputError, match="no evaluation year"):
        read(instansi_sheet(title="LAPORAN HASIL EVALUASI SPBE"), year=None)


def test_a_domain_value_outside_0_5_is_rejected():
    ws = instansi_sheet()
    ws["C7"] = 6.2
    sheet = read(ws)
    assert "D1" in sheet.rejects["reason"].item() and "outside" in sheet.rejects["reason"].item()
    assert len(sheet.scores[sheet.scores["level"] == "indicator"]) == 47


def wide_sheet(rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Rekap LHE"
    ws["A1"] = "REKAP TINGKAT KEMATANGAN INDIKATOR SPBE TAHUN 2023"
    ws["C3"], ws["AX3"] = "Tingkat Kematangan Indikator", "Indeks Domain"
    ws.merge_cells("C3:AW3")
    ws.merge_cells("AX3:BA3")
    ws["A3"], ws["B3"], ws["BB3"] = "No", "Nama Instansi", "Indeks SPBE"
    for col in ("A", "B", "BB"):
        ws.merge_cells(f"{col}3:{col}4")
    for n in range(1, 48):
        ws.cell(4, 2 + n, n)
    for d in range(1, 5):
        ws.cell(4, 49 + d, d)
    for r, (name, levels, domains, index) in enumerate(rows, start=5):
        ws.cell(r, 1, r - 4)
        ws.cell(r, 2, name)
        for n in range(1, 48):
            ws.cell(r, 2 + n, levels.get(n))
        for d, v in enumerate(domains, start=1):
            ws.cell(r, 49 + d, v)
        ws.cell(r, 54, index)
    return ws


def test_wide_sheet_reads_numbered_indicator_and_domain_columns_under_merged_groups():
    good = {n: 3 for n in range(1, 48)}
    bad = {**good, 12: 9}
    ws = wide_sheet([("Kota Bengkulu", good, [3, 3, 3, 3], 3.0),
                     ("Kabupaten Lebong", bad, [3, 3, 3, 3], 3.0)])
    assert is_lhe_sheet(ws)
    sheet = read(ws)
    assert sheet.layout == "lhe-wide" and sheet.rows_read == 2 and sheet.rows_accepted == 1
    s = sheet.scores
    assert s.groupby("level").size().to_dict() == {"domain": 4, "index": 1, "indicator": 47}
    assert s.loc[s["item"] == "D2", "source_cell"].item() == "AY5"
    assert "I12" in sheet.rejects["reason"].item() and "N6" in sheet.rejects["reason"].item()
    assert sheet.rejects["instansi_reported"].item() == "Kabupaten Lebong"


def test_wide_sheet_with_only_some_indicator_columns_is_a_layout_error():
    ws = wide_sheet([("Kota Bengkulu", {n: 3 for n in range(1, 48)}, [3, 3, 3, 3], 3.0)])
    ws.cell(4, 9).value = ws.cell(5, 9).value = None          # indicator 7's column gone
    with pytest.raises(LayoutError, match="only some indicators"):
        read(ws)


def test_template_round_trip_recomputes_the_hand_computed_index(tmp_path):
    wb = template_workbook(FW, instansi="Kota Bengkulu", year=2023)
    ws = wb.active
    hand = {**{n: 4 for n in range(1, 11)}, **{n: 2 for n in range(11, 21)},
            **{n: 1 for n in range(21, 32)}, **{n: 3 for n in range(32, 42)},
            **{n: 5 for n in range(42, 48)}}
    for row in ws.iter_rows(min_row=8, max_row=54):
        row[5].value = hand[row[0].value]
    path = save_workbook(wb, tmp_path / "lhe.xlsx")
    back = open_workbook(path).active
    sheet = read(back)
    rec = recompute(sheet.scores)
    index = rec[(rec["level"] == "index") & (rec["basis"] == "indicators")]["value"].item()
    # (4 x 13 + 2 x 25 + 1 x 16.5 + 3 x 27.5 + 5 x 18) / 100
    assert index == pytest.approx(2.91, abs=1e-12)
    assert rec.loc[rec["item"] == "D3", "value"].item() == 1.0


def test_template_validates_levels_as_whole_numbers_1_to_5():
    ws = template_workbook(FW).active
    (dv,) = ws.data_validations.dataValidation
    assert (dv.type, dv.formula1, dv.formula2) == ("whole", "1", "5")
    assert str(dv.sqref) == "F8:F54"
    assert [ws.cell(r, 1).value for r in (8, 54)] == [1, 47]


def test_unfilled_template_is_all_missing_level_rejects(tmp_path):
    sheet = read(template_workbook(FW, instansi="Kota Bengkulu", year=2023).active)
    assert sheet.scores.empty and sheet.rows_read == 47
    assert sheet.rejects["reason"].str.contains("level missing").sum() == 47


def test_workbook_bytes_do_not_depend_on_when_they_were_written():
    assert workbook_bytes(template_workbook(FW)) == workbook_bytes(template_workbook(FW))


def test_cli_template_writes_a_workbook_that_reads_back(tmp_path, capsys):
    out = tmp_path / "isian.xlsx"
    assert cli.main(["template", "lhe", "--out", str(out), "--region", "Kota Bengkulu",
                     "--year", "2023"]) == 0
    ws = open_workbook(out).active
    assert ws["B2"].value == "Kota Bengkulu" and ws["B3"].value == 2023
    assert cli.main(["template", "lhe", "--out", str(out)]) == 2      # no silent overwrite
    assert "--force" in capsys.readouterr().err


def _tool():
    return load_tool("make_lhe_data")


def test_shipped_lhe_files_are_exactly_what_the_script_writes():
    for name, data in _tool().outputs().items():
        folder = DEMO_DIR if name.startswith("synthetic_") else RAW_DIR
        assert (folder / "lhe" / name).read_bytes() == data, name


def test_shipped_synthetic_file_is_labelled_synthetic_and_recomputes_to_2_61():
    path = DEMO_DIR / "lhe" / "synthetic_lhe_kota_bengkulu_2023.xlsx"
    meta = yaml.safe_load(path.with_suffix(".source.yml").read_text(encoding="utf-8"))
    assert meta["synthetic"] is True and meta["evaluation_year"] == 2023
    ws = open_workbook(path).worksheets[0]
    assert "SYNTHETIC" in ws["A2"].value
    sheet = read(ws, meta["evaluation_year"], source_file=f"lhe/{path.name}",
                 synthetic=meta["synthetic"])
    assert sheet.scores["synthetic"].all() and sheet.rejects.empty
    rec = recompute(sheet.scores)
    assert rec.loc[rec["level"] == "index", "value"].item() == pytest.approx(2.61, abs=1e-12)


def test_shipped_magelang_file_holds_the_published_domains():
    path = RAW_DIR / "lhe" / "lhe_domain_kab_magelang_2022.xlsx"
    meta = yaml.safe_load(path.with_suffix(".source.yml").read_text(encoding="utf-8"))
    assert meta["synthetic"] is False
    sheet = read(open_workbook(path).worksheets[0], meta["evaluation_year"],
                 source_file=f"lhe/{path.name}")
    values = dict(zip(sheet.scores["item"], sheet.scores["value"]))
    assert values == {"D1": 4.90, "D2": 2.40, "D3": 1.09, "D4": 3.76, "index": 3.13}


def test_text_year_headers_are_not_indicator_numbers():
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["No", "Instansi", "2021", "2022", "2023"], [1, "Kota Bengkulu", 2.29, 2.34, 2.61]):
        ws.append(row)
    assert not is_lhe_sheet(ws)
    ws.cell(1, 3).value, ws.cell(1, 4).value = "1", "2"  # indicator numbers as text still are
    assert is_lhe_sheet(ws)


DOMAINS = ["Kebijakan Internal SPBE", "Tata Kelola SPBE", "Manajemen SPBE", "Layanan SPBE"]


def _domain_scores(raw_dir, rows, sidecar=None):
    from spbe_tools.build import run_build

    from _workbooks import make_workbook

    make_workbook(raw_dir / "domain.xlsx", {"Domain": (rows, [])}, sidecar=sidecar)
    result = run_build(raw_dir)
    s = result.scores
    return result, {(int(r.year), r.instansi_code, r.item): (r.value, r.source_cell)
                    for r in s.itertuples()}


def test_an_unmerged_two_row_header_with_nama_pemda_reads_domains_and_index(raw_dir):
    rows = [["INDEKS DOMAIN SPBE TAHUN 2023"],
            ["No", "Nama Pemda", "Indeks Domain", None, None, None, "Indeks SPBE"],
            [None, None, 1, 2, 3, 4, None],
            [1, "Kota Bengkulu", 2.4, 2.8, 2.5, 2.7, 2.61],
            [2, "Kabupaten Lebong", "3,1", 3.0, 2.9, 3.0, 3.0]]
    result, got = _domain_scores(raw_dir, rows)
    assert result.manifest["inputs"][0]["sheets"][0]["layout"] == "lhe-wide"
    assert got[(2023, "17.71", "D2")] == (2.8, "D4")
    assert got[(2023, "17.07", "D1")] == (3.1, "C5")
    assert got[(2023, "17.71", "index")] == (2.61, "G4")
    assert len(got) == 10 and result.rejects.empty


def test_a_tahun_column_gives_each_row_its_year(raw_dir):
    rows = [["INDEKS DOMAIN SPBE"],
            ["Pemerintah Daerah", "Tahun", "Domain 1", "Domain 2", "Domain 3", "Domain 4",
             "Indeks SPBE"],
            ["Kota Bengkulu", 2022, 2.0, 2.3, 2.1, 2.5, 2.34],
            ["Kota Bengkulu", "2023", 2.4, 2.8, 2.5, 2.7, 2.61],
            ["Kota Bengkulu", 2019, 2.4, 2.8, 2.5, 2.7, 2.61]]    # another framework's year
    result, got = _domain_scores(raw_dir, rows)
    assert got[(2022, "17.71", "index")] == (2.34, "G3")
    assert got[(2023, "17.71", "D4")] == (2.7, "F4")
    assert {y for y, _, _ in got} == {2022, 2023}
    (reason,) = result.rejects["reason"]
    assert reason == "Tahun 2019 is scored under another framework than spbe-59-2020"
    assert result.rejects["source_row"].tolist() == [5]


def test_one_instansi_per_sheet_as_a_vertical_domain_nilai_list(raw_dir):
    rows = [["LAPORAN HASIL EVALUASI SPBE TAHUN 2023"], ["Instansi", "Kota Bengkulu"], [],
            ["Domain", "Nilai"]] + [[d, v] for d, v in zip(DOMAINS, [2.4, 2.8, 2.5, 2.7])] \
        + [["Indeks SPBE", 2.61]]
    result, got = _domain_scores(raw_dir, rows)
    assert result.manifest["inputs"][0]["sheets"][0]["layout"] == "lhe-instansi"
    assert got == {(2023, "17.71", "D1"): (2.4, "B5"), (2023, "17.71", "D2"): (2.8, "B6"),
                   (2023, "17.71", "D3"): (2.5, "B7"), (2023, "17.71", "D4"): (2.7, "B8"),
                   (2023, "17.71", "index"): (2.61, "B9")}


def test_indicators_as_rows_and_years_as_columns_give_one_set_per_year(raw_dir):
    rows = [["TINGKAT KEMATANGAN INDIKATOR SPBE"], ["Instansi: Pemerintah Kota Bengkulu"], [],
            ["No", "Indikator", "2022", 2023, "Level 2024"]]
    for n, name in zip(IND["number"], IND["name"]):
        rows.append([int(n), name, None if n == 7 else 2, 3, 4])   # 2022 misses indicator 7
    result, got = _domain_scores(raw_dir, rows)
    assert result.manifest["inputs"][0]["sheets"][0]["layout"] == "lhe-instansi"
    years = sorted({y for y, _, _ in got})
    assert years == [2023, 2024]
    assert got[(2023, "17.71", "I17")] == (3.0, "D21") and got[(2024, "17.71", "I1")] == (4.0, "E5")
    rejected = result.rejects
    assert set(rejected["year"].astype(int)) == {2022} and len(rejected) == 47
    assert rejected.loc[rejected["source_cell"] == "C11", "reason"].item() == "I7: level missing"
    assert rejected["reason"].str.contains("indicator set incomplete").sum() == 46
