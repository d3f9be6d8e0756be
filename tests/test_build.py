"""The build's promises: byte-identical outputs, atomic writes, readable CLI errors,
shipped data."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from spbe_tools.build import OUTPUT_FILES, build, run_build, write_outputs
from spbe_tools.cli import main
from spbe_tools.compare import compare_region
from spbe_tools.errors import InputError

from _workbooks import make_workbook
from conftest import SHIPPED_RAW

DETERMINISTIC = ("results.csv", "rejects.csv", "national.csv", "scores.csv", "checks.csv",
                 "manifest.json")


def test_two_builds_of_the_same_inputs_are_byte_identical(raw_dir, annex_2023, tmp_path):
    build(raw_dir, tmp_path / "one")
    build(raw_dir, tmp_path / "two")
    for name in DETERMINISTIC:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_manifest_records_inputs_without_timestamps_or_absolute_paths(raw_dir, annex_2023,
                                                                      tmp_path):
    build(raw_dir, tmp_path / "out")
    text = (tmp_path / "out" / "manifest.json").read_text()
    manifest = json.loads(text)
    (entry,) = manifest["inputs"]
    assert entry["file"] == "annex_2023.xlsx"
    assert len(entry["sha256"]) == 64
    assert entry["sidecar"]["evaluation_year"] == 2023
    assert entry["values_read"] == entry["values_accepted"] + entry["values_rejected"] == 4
    assert str(tmp_path) not in text
    assert manifest["outputs"]["results.csv"]["sha256"]


def test_failed_build_leaves_previous_outputs_byte_identical(raw_dir, annex_2023, tmp_path):
    out = tmp_path / "out"
    build(raw_dir, out)
    before = {n: (out / n).read_bytes() for n in OUTPUT_FILES}
    result = run_build(raw_dir)
    result.results = result.results.iloc[:1]  # a different build, so a swap would show
    with pytest.raises(RuntimeError, match="injected failure"):
        write_outputs(result, out, _fail_after=1)
    assert {n: (out / n).read_bytes() for n in OUTPUT_FILES} == before
    assert not list(out.parent.glob(".spbe-build-*")), "temporary folder left behind"


def test_cli_build_writes_outputs_and_exits_zero(raw_dir, annex_2023, tmp_path, capsys):
    assert main(["build", "--raw", str(raw_dir), "--out", str(tmp_path / "o"), "--quiet"]) == 0
    results = pd.read_csv(tmp_path / "o" / "results.csv", dtype={"instansi_code": str})
    assert "17.71" in set(results["instansi_code"])


def test_cli_strict_reports_a_bad_workbook_in_one_paragraph_and_writes_nothing(raw_dir,
                                                                               annex_2023,
                                                                               tmp_path):
    (raw_dir / "rusak.xlsx").write_bytes(b"PK\x03\x04 truncated")
    proc = subprocess.run([sys.executable, "-m", "spbe_tools", "build", "--raw", str(raw_dir),
                           "--out", str(tmp_path / "o"), "--quiet", "--strict"],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("spbe build: error: rusak.xlsx: the workbook is damaged")
    assert not (tmp_path / "o" / "results.csv").exists()


def test_results_csv_and_parquet_hold_the_same_published_value_and_the_raw_one(raw_dir,
                                                                             tmp_path):
    rows = [["HASIL EVALUASI SPBE TAHUN 2023"], ["Instansi", "Indeks", "Predikat"],
            ["Kota Bengkulu", 2.6099999, "Baik"], ["Kabupaten Lebong", 2.605, "Baik"],
            ["Kabupaten Kaur", 2.595, "Baik"], ["Kabupaten Seluma", 2.61, "Baik"]]
    make_workbook(raw_dir / "a.xlsx", {"S": (rows, [])})
    build(raw_dir, tmp_path / "o")
    csv = pd.read_csv(tmp_path / "o" / "results.csv", dtype={"instansi_code": str},
                      keep_default_na=False)
    parquet = pd.read_parquet(tmp_path / "o" / "results.parquet")
    for table in (csv, parquet):
        got = table.set_index("instansi")
        assert dict(got["index"]) == {"Kota Bengkulu": 2.61, "Kabupaten Lebong": 2.61,
                                      "Kabupaten Kaur": 2.6, "Kabupaten Seluma": 2.61}
        assert dict(got["index_raw"]) == {"Kota Bengkulu": 2.6099999, "Kabupaten Lebong": 2.605,
                                          "Kabupaten Kaur": 2.595, "Kabupaten Seluma": 2.61}
        # the band is judged on the published 2.60, so the published Baik is no mismatch
        assert got.loc["Kabupaten Kaur", "predikat_computed"] == "Baik"
        assert (got["predikat_flag"] == "").all()
    ranks = compare_region(csv.assign(year=2023), "Kota Bengkulu", 2023, "province").table
    ranked = ranks[ranks["has_value"]].set_index("instansi")["rank_label"]
    tied = {ranked["Kota Bengkulu"], ranked["Kabupaten Lebong"], ranked["Kabupaten Seluma"]}
    assert tied == {"=1"}


def test_a_workbook_that_fails_as_a_whole_is_a_failed_file_and_the_others_build(
        raw_dir, annex_2023, tmp_path, capsys):
    (raw_dir / "rusak.xlsx").write_bytes(b"PK\x03\x04 truncated")
    make_workbook(raw_dir / "kosong.xlsx", {"S": ([["Catatan rapat"], ["tidak ada tabel"]], [])})
    out = tmp_path / "o"
    assert main(["build", "--raw", str(raw_dir), "--out", str(out), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "spbe build: file not read: rusak.xlsx: the workbook is damaged" in err
    assert 'spbe build: file not read: kosong.xlsx, sheet "S": no header row found' in err
    results = pd.read_csv(out / "results.csv", dtype={"instansi_code": str})
    assert len(results) == 4 and set(results["source_file"]) == {"annex_2023.xlsx"}
    rejects = pd.read_csv(out / "rejects.csv", dtype=str, keep_default_na=False)
    failed = rejects[rejects["reason"].str.startswith("file not read: ")]
    assert list(zip(failed["source_file"], failed["source_sheet"])) == [("kosong.xlsx", "S"),
                                                                        ("rusak.xlsx", "")]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [(e["file"], e.get("failed", False)) for e in manifest["inputs"]] == [
        ("annex_2023.xlsx", False), ("kosong.xlsx", True), ("rusak.xlsx", True)]
    assert manifest["totals"]["failed_files"] == 2 and manifest["totals"]["files"] == 3
    first = (out / "manifest.json").read_bytes()
    assert main(["build", "--raw", str(raw_dir), "--out", str(out), "--quiet"]) == 1
    assert (out / "manifest.json").read_bytes() == first


def test_a_bad_sidecar_fails_only_its_own_workbook(raw_dir, annex_2023, tmp_path):
    make_workbook(raw_dir / "b.xlsx", {"S": ([["TAHUN 2022"], ["Instansi", "Indeks"],
                                            ["Kota Bengkulu", 2.34]], [])},
                  sidecar={"source_urls": "https://example.org"})
    result = run_build(raw_dir, strict=False)
    assert set(result.results["source_file"]) == {"annex_2023.xlsx"}
    (reason,) = result.rejects.loc[result.rejects["source_file"] == "b.xlsx", "reason"]
    assert reason.startswith("file not read: b.source.yml: sidecar key 'source_urls'")
    with pytest.raises(InputError, match="source_urls"):
        run_build(raw_dir)  # the API default, like spbe build --strict


def _lhe_only(raw_dir, *, annex_has_kota: bool):
    annex = [["HASIL EVALUASI SPBE TAHUN 2023"], ["Instansi", "Indeks", "Predikat"],
             ["Provinsi Bengkulu", 3.12, "Baik"], ["Kabupaten Lebong", 2.93, "Baik"]]
    if annex_has_kota:
        annex.append(["Kota Bengkulu", 2.61, "Baik"])
    make_workbook(raw_dir / "annex.xlsx", {"S": (annex, [])})
    lhe = [["INDEKS DOMAIN SPBE TAHUN 2023"],
           ["Nama Pemda", "Domain 1", "Domain 2", "Domain 3", "Domain 4", "Indeks SPBE"],
           ["Kota Bengkulu", 2.4, 2.8, 2.5, 2.7, 2.6099999]]
    make_workbook(raw_dir / "lhe_kota.xlsx", {"LHE": (lhe, [])},
                  sidecar={"source_urls": ["https://example.org/lhe-kota-bengkulu-2023"]})


def test_an_lhe_index_joins_results_when_no_results_table_gives_it(raw_dir, tmp_path):
    _lhe_only(raw_dir, annex_has_kota=False)
    result = build(raw_dir, tmp_path / "o")
    row = result.results.set_index("instansi_code").loc["17.71"]
    assert (row["origin"], row["index"], row["index_raw"], row["predikat"],
            row["predikat_computed"], row["decree"]) == ("lhe", 2.61, 2.6099999, "", "Baik", "")
    assert (row["source_file"], row["source_sheet"], row["source_cell"]) == \
        ("lhe_kota.xlsx", "LHE", "F3")
    assert row["sumber"] == "https://example.org/lhe-kota-bengkulu-2023"
    assert row["category"] == "kota" and row["province"] == "Bengkulu"
    assert set(result.results["origin"]) == {"table", "lhe"}
    assert result.manifest["totals"]["results_from_lhe"] == 1
    table = compare_region(result.results, "Kota Bengkulu", 2023, "province").table
    assert table.loc[table["is_focal"], "rank_label"].item() == "3"


def test_a_results_table_value_wins_over_the_lhe_index(raw_dir):
    _lhe_only(raw_dir, annex_has_kota=True)
    result = run_build(raw_dir)
    rows = result.results[result.results["instansi_code"] == "17.71"]
    assert list(rows["origin"]) == ["table"] and list(rows["source_file"]) == ["annex.xlsx"]


def test_missing_raw_folder_is_a_clear_error(tmp_path, capsys):
    assert main(["build", "--raw", str(tmp_path / "nope"), "--out", str(tmp_path / "o")]) == 2
    assert "the raw folder does not exist" in capsys.readouterr().err


# --- the shipped data -------------------------------------------------------------------

@pytest.fixture(scope="module")
def shipped():
    return run_build(SHIPPED_RAW)


def test_shipped_kota_bengkulu_2023_is_2_61_baik(shipped):
    row = shipped.results.query("year == 2023 and instansi_code == '17.71'").iloc[0]
    assert (row["instansi"], row["index"], row["predikat"], row["category"], row["province"]) \
        == ("Kota Bengkulu", 2.61, "Baik", "kota", "Bengkulu")
    assert row["predikat_computed"] == "Baik" and row["predikat_flag"] == ""
    assert row["decree"] == "KepmenPANRB No. 13 Tahun 2024"
    # the official report gives the row; the news page that gave it before confirms it
    assert row["source_file"] == "laporan/hasil_spbe_2023_laporan.xlsx"
    assert row["sumber"].startswith("laporan_evaluasi_spbe_2023.md, baris ")
    assert "https://" in row["sumber"] and "confirmed" in row["note"]
    domains = shipped.scores.query("year == 2023 and instansi_code == '17.71' and "
                                   "level == 'domain'")
    assert list(domains["item"]) == ["D1", "D2", "D3", "D4"]
    later = shipped.results.query("year == 2024 and instansi_code == '17.71'").iloc[0]
    assert (later["index"], later["predikat"]) == (2.63, "Baik")


def test_the_reports_ship_every_official_row_with_its_domains(shipped):
    from_reports = shipped.results[shipped.results["source_file"].str.startswith("laporan/")]
    assert from_reports.groupby("year").size().to_dict() == {2023: 621, 2024: 615}
    domains = shipped.scores[(shipped.scores["level"] == "domain")
                             & shipped.scores["source_file"].str.startswith("laporan/")]
    # four domains a row, but for the cells the review left out (review_decisions.csv):
    # 2023 Kab. Banyuasin D4 0,30 (outside the 1-5 scale); 2024 Kementerian Pertanian and
    # Kementerian ESDM (D1 empty) and Provinsi Jawa Timur (D1 read ',60')
    assert domains.groupby("year").size().to_dict() == {2023: 4 * 621 - 1, 2024: 4 * 615 - 3}
    assert shipped.checks["ok"].all()


def test_each_report_row_traces_to_the_line_of_the_report_that_prints_it(shipped):
    laporan = Path(__file__).resolve().parents[1] / "data" / "sources" / "laporan"
    texts = {p.name: p.read_text(encoding="utf-8").splitlines() for p in laporan.glob("*.md")}
    rows = shipped.results[shipped.results["source_file"].str.startswith("laporan/")]
    for r in rows.itertuples():
        name, line = r.sumber.split(" ; ")[0].rsplit(", baris ", 1)
        printed = texts[name][int(line) - 1]
        assert f"| {r.index:.2f}".replace(".", ",") in printed, (r.instansi, printed)


def test_shipped_2023_has_all_eleven_pemda_of_bengkulu(shipped, ):
    from spbe_tools.identity import load_regions

    regions = load_regions()
    expected = set(regions.loc[(regions["code"] == "17") | (regions["province_code"] == "17"),
                               "code"])
    got = set(shipped.results.query("year == 2023 and province_code == '17'")["instansi_code"])
    assert len(expected) == 11 and got == expected


def test_shipped_rejects_hold_only_the_documented_conflicts_and_predikat_only_rows(shipped):
    # The source lists record sources disagreeing (Luwu Utara 2021: 2.69 vs 2.68; Bandar
    # Lampung 2022: 1.50 vs 1.53; Tanggamus 2022: 1.60 vs 1.03) and ask the build to surface
    # them: both sides of each are rejected, naming both source cells. Two reports give a
    # predikat without an index: kept in rejects, never a number. The national reports
    # outrank the news pages: where they disagree the news row is rejected naming both, and
    # a news value equal to the official one of the year beside is a likely wrong-year
    # report. Everything else is accepted.
    r = shipped.rejects[~shipped.rejects["source_file"].str.startswith("national/")]
    conflicts = r[r["reason"].str.startswith("conflicting values")]
    assert sorted(zip(conflicts["year"], conflicts["instansi_reported"])) == sorted(
        [("2021", "Kabupaten Luwu Utara")] * 2 + [("2022", "Kota Bandar Lampung")] * 2
        + [("2022", "Kabupaten Tanggamus")] * 2)
    lampung = conflicts[conflicts["instansi_reported"] == "Kota Bandar Lampung"]
    assert sorted(lampung["index_raw"]) == ["1.5", "1.53"]
    assert all("annex/hasil_spbe_2022_ekstrak.xlsx" in why
               and "long/nilai_spbe_tambahan_ekstrak.xlsx" in why for why in lampung["reason"])
    outranked = r[r["reason"].str.contains("the official value stands")]
    assert sorted(zip(outranked["year"], outranked["instansi_reported"],
                      outranked["index_raw"])) == [("2023", "Kabupaten Mesuji", "3.7"),
                                                   ("2024", "Kabupaten Banyuwangi", "4.5")]
    assert all("laporan/hasil_spbe_" in why for why in outranked["reason"])
    wrong_year = r[r["reason"].str.contains("not kept until a source of official authority")]
    assert sorted(zip(wrong_year["year"], wrong_year["instansi_reported"])) == [
        ("2022", "Kabupaten Magelang"), ("2022", "Provinsi Kepulauan Riau"),
        ("2025", "Provinsi Bengkulu")]
    no_index = r[r["reason"].str.endswith("is empty")]
    assert sorted(zip(no_index["instansi_reported"], no_index["predikat_raw"])) == [
        ("Kabupaten Seruyan", "Cukup"), ("Kota Palangka Raya", "Sangat Baik")]
    # the news article's 2024 value for Kemendikdasmen: the 2024 evaluation was of its
    # predecessor (the report's row, 4,02), and the name fits both in 2024
    ambiguous = r[r["reason"].str.contains("ambiguous agency name")]
    assert list(zip(ambiguous["year"], ambiguous["index_raw"])) == [("2024", "4.02")]
    assert len(conflicts) + len(outranked) + len(wrong_year) + len(no_index) \
        + len(ambiguous) == len(r)
    named = shipped.results[shipped.results["instansi"].isin(["Kota Palangka Raya",
                                                              "Kabupaten Seruyan"])]
    assert named["source_file"].str.startswith("laporan/").all()  # the reports' numbers only


def test_kemendikdasmen_2021_2024_values_are_attributed_to_its_predecessor(shipped):
    rows = shipped.results[shipped.results["instansi_reported"]
                           == "Kementerian Pendidikan Dasar dan Menengah"].set_index("year")
    assert dict(rows["instansi_code"]) == {2021: "K.DIKBUDRISTEK", 2022: "K.DIKBUDRISTEK",
                                           2025: "K.DIKDASMEN"}
    assert all("predecessor" in rule for rule in rows.loc[[2021, 2022], "match_rule"])
    # 2023: the report's row, which the news article claims for the successor with the same
    # 3,90, is one row citing both; 2024 (4,02 in the report) is the report's alone
    both = shipped.results.query("year in (2023, 2024) and instansi_code == 'K.DIKBUDRISTEK'")
    assert list(both["index"]) == [3.90, 4.02]
    assert all(s.startswith("laporan_") for s in both["sumber"])
    assert "jpnn.com" in both["sumber"].iloc[0]


def test_shipped_values_all_carry_a_source_url_and_none_are_synthetic(shipped):
    report = shipped.results["source_file"].str.startswith("laporan/")
    assert shipped.results.loc[~report, "sumber"].str.startswith("http").all()
    assert shipped.results.loc[report, "sumber"].str.startswith("laporan_").all()
    assert not shipped.results["synthetic"].any()


def test_shipped_national_indices_match_the_registry(shipped):
    overall = shipped.national.query("category == '' and level == 'index'")
    assert overall["matches_registry"].all()
    assert sorted(set(overall["year"])) == [2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025]
    means = shipped.national.query("category != '' and level == 'index'")
    assert means.query("year == 2024 and category == 'kota'")["index"].tolist() == [3.39]
    assert (~means["matches_registry"]).all()


def test_every_shipped_workbook_has_a_sidecar():
    for book in SHIPPED_RAW.rglob("*.xlsx"):
        assert book.with_name(book.stem + ".source.yml").exists(), book


SOURCE_LISTS = Path(__file__).resolve().parents[1] / "data" / "sources"
PUBLISHED = SOURCE_LISTS / "published_results.csv"
PUBLISHED_MORE = SOURCE_LISTS / "published_results_more.csv"
PUBLISHED_NEWS2 = SOURCE_LISTS / "published_results_news2.csv"
SOURCE_FILES = (PUBLISHED, PUBLISHED_MORE, PUBLISHED_NEWS2)


def test_the_published_source_lists_ship_inside_the_repository():
    root = Path(__file__).resolve().parents[1]
    for source in SOURCE_FILES:
        assert source.is_file() and root in source.resolve().parents, source


def test_every_shipped_value_is_a_published_figure_with_its_source(shipped):
    from spbe_tools.identity import default_matcher

    published = pd.concat([pd.read_csv(p, dtype=str, keep_default_na=False)
                           for p in SOURCE_FILES], ignore_index=True)
    published = published[published["category"] != "nasional"]
    # research notes in code repositories are leads, not publications: not shipped
    leads = published["note"].str.startswith("SECONDARY")
    matcher = default_matcher()
    codes = [matcher.resolve(n, category=c, year=int(y)).code
             for n, c, y in zip(published["instansi"], published["category"], published["year"])]
    known = {(int(y), code, round(float(i), 2), url)
             for y, code, i, url in zip(published["year"], codes, published["index"],
                                        published["source_url"]) if i}
    # a list figure is a results row citing its page (alone, or beside the report that
    # confirms it), or a reject of its list workbook
    lists = shipped.results[~shipped.results["source_file"].str.startswith("laporan/")]
    shipped_rows = {(int(r.year), r.instansi_code, round(r.index, 2), r.sumber)
                    for r in lists.itertuples()}
    assert shipped_rows <= known
    cited = {(int(r.year), r.instansi_code, round(r.index, 2), url)
             for r in shipped.results.itertuples() for url in r.sumber.split(" ; ")}
    list_rejects = shipped.rejects[~shipped.rejects["source_file"].str.startswith("national/")]
    rejected = {(int(y), name) for y, name in zip(list_rejects["year"],
                                                   list_rejects["instansi_reported"])}
    lead_urls = set(published.loc[leads, "source_url"])
    for y, code, i, url, name in zip(published["year"], codes, published["index"],
                                     published["source_url"], published["instansi"]):
        if url in lead_urls:
            continue
        figure = (int(y), code, round(float(i), 2) if i else None, url)
        assert figure in cited or (int(y), name) in rejected, figure
