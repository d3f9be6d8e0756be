"""spbe_tools.compare (+ format and the `spbe compare` command) on small inline tables."""
from __future__ import annotations

import doctest
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from spbe_tools import (
    cli,
    compare,
    ranks,
    registry,
    trends,  # noqa: E402
)
from spbe_tools import wording as fmt
from spbe_tools.errors import ConfigError, InputError
from spbe_tools.peers import peer_group, resolve_focal  # noqa: E402
from spbe_tools.processed import load_processed  # noqa: E402

from _frames import RESULTS, regions_frame, results_frame, scores_frame


@pytest.fixture
def results() -> pd.DataFrame:
    return results_frame()


@pytest.fixture
def regions() -> pd.DataFrame:
    return regions_frame()


def _compare(results, regions, region="Kota Bengkulu", year=2023, peers="province", **kw):
    return compare.compare_region(results, region, year, peers, regions=regions, **kw)


def test_doctests_of_format_and_compare_pass():
    for module in (fmt, compare, ranks):
        assert doctest.testmod(module).failed == 0


def test_decimal_comma_in_indonesian_and_point_in_english():
    assert fmt.fmt_id(2.61) == "2,61"
    assert fmt.fmt_num(2.61, lang="en") == "2.61"
    assert fmt.fmt_num(-0.004, signed=True) == "+0,00"  # no "-0,00"
    assert fmt.fmt_num(float("nan")) == "–"


def test_kota_bengkulu_is_fifth_of_eleven_in_its_province(results, regions):
    comp = _compare(results, regions)
    assert (comp.index, comp.rank, comp.rank_label, comp.n_ranked, comp.n_group) == \
        (2.61, 5, "5", 11, 11)
    assert comp.predikat == "Baik"
    assert set(comp.table["instansi_code"]) == {c for _, c, *_ in RESULTS if c.startswith("17")}


def test_margin_above_baik_and_distance_to_sangat_baik_come_from_registry_bands(results, regions):
    band = _compare(results, regions).band
    assert band["current_band"] == "Baik" and band["margin_above_current"] == 0.01
    assert band["next_band"] == "Sangat Baik" and band["distance_to_next"] == 0.89


def test_national_figure_is_the_published_index_not_a_mean_of_rows(results, regions):
    comp = _compare(results, regions)
    assert comp.national_index == registry.evaluation(2023).national_index
    assert comp.national_index != round(results[results["year"] == 2023]["index"].mean(), 2)
    assert comp.gap_national == round(comp.index - comp.national_index, 2)


def test_province_2023_splits_five_baik_six_cukup(results, regions):
    counts = _compare(results, regions).band_counts
    assert counts["Baik"] == 5 and counts["Cukup"] == 6
    assert list(counts) == [b.predikat for b in registry.framework("spbe-59-2020").bands]


def test_peer_median_mean_best_and_gaps(results, regions):
    comp = _compare(results, regions)
    values = results[(results["year"] == 2023) & (results["province_code"] == "17")]["index"]
    assert comp.peer_median == round(values.median(), 2)
    assert comp.peer_mean == round(values.mean(), 2)
    assert comp.peer_best == values.max() and comp.peer_best_names == ["Kabupaten Rejang Lebong"]
    assert comp.gap_best == round(comp.index - values.max(), 2)
    assert comp.percentile == 60.0  # 6 of the 10 other pemda score lower


def test_equal_indices_share_a_rank_shown_with_equals(regions):
    rows = [r if r[1] != "17.05" else (2023, "17.05", "Kabupaten Seluma", 2.55, "Cukup")
            for r in RESULTS]
    t = _compare(results_frame(rows), regions).table.set_index("instansi_code")
    assert t.loc["17.09", "rank_label"] == "=6" and t.loc["17.05", "rank_label"] == "=6"
    assert t.loc["17.01", "rank"] == 8  # competition ranking: the next rank skips


def test_differences_below_published_precision_are_ties(regions):
    rows = [(2022, "17.71", "Kota Bengkulu", 2.611, "Baik"),
            (2023, "17.71", "Kota Bengkulu", 2.614, "Baik"),
            (2023, "17.09", "Kabupaten Bengkulu Tengah", 2.609, "Baik")]
    r = results_frame(rows)
    comp = _compare(r, regions)
    assert comp.tied and comp.rank_label == "=1"
    group = peer_group(r, comp.focal, "province", regions=regions)
    change = trends.change(r, group, 2022, 2023)
    assert change["direction"] == "tie"


def test_missing_values_are_shown_and_never_counted_as_zero(results, regions):
    comp = _compare(results, regions, peers="island")
    missing = comp.table[~comp.table["has_value"]]
    assert comp.n_group == 17 and comp.n_ranked == 13 and len(missing) == 4
    assert missing["rank"].isna().all() and missing["index"].isna().all()
    assert comp.peer_median == round(comp.table["index"].dropna().median(), 2)


def test_coverage_denominator_counts_autonomous_regions_only(results, regions):
    comp = _compare(results, regions, peers="all")
    autonomous_pemda = regions[regions["autonomous"] == 1]
    assert comp.n_group == len(autonomous_pemda)
    assert "31.71" not in set(comp.table["instansi_code"])


def test_category_group_is_same_category_nationwide(results, regions):
    comp = _compare(results, regions, peers="category")
    assert set(comp.table["category"]) == {"kota"}
    assert comp.n_group == len(regions[(regions["type"] == "kota") & (regions["autonomous"] == 1)])
    assert comp.rank_label == "3"  # behind Kota Jambi and Kota Banda Aceh


@pytest.mark.parametrize("region, rank", [("17", 2), ("Kabupaten Lebong", 3),
                                          ("Kabupaten Mukomuko", 11)])
def test_a_province_and_kabupaten_are_compared_the_same_way(results, regions, region, rank):
    comp = _compare(results, regions, region=region)
    assert comp.rank == rank and comp.n_ranked == 11


def test_central_agency_has_no_province_group_but_a_category_group(results, regions):
    with pytest.raises(ConfigError, match="needs a pemda"):
        _compare(results, regions, region="K.PANRB")
    comp = _compare(results, regions, region="K.PANRB", peers="category")
    assert (comp.rank, comp.n_ranked, comp.n_group) == (1, 2, 2)


def test_custom_group_takes_names_and_codes_and_always_holds_the_focal(results, regions):
    comp = _compare(results, regions, peers="custom", custom=["Kota Jambi", "11.71"])
    assert set(comp.table["instansi_code"]) == {"17.71", "15.71", "11.71"}
    assert comp.rank == 3


def test_bad_parameters_are_config_errors(results, regions):
    with pytest.raises(ConfigError):
        _compare(results, regions, peers="galaxy")
    with pytest.raises(ConfigError):
        _compare(results, regions, year=1999)
    with pytest.raises(ConfigError):
        _compare(results, regions, region="Kota Atlantis")


def test_names_resolve_through_the_identity_matcher(results, regions):
    assert resolve_focal(results, "Pemerintah Kota Bengkulu", regions).code == "17.71"
    assert resolve_focal(results, "Kab. Muko Muko", regions).code == "17.06"


def test_changes_flag_series_breaks_and_predikat_transitions(results, regions):
    focal = resolve_focal(results, "Kota Denpasar", regions)
    group = peer_group(results, focal, "category", regions=regions)
    across = trends.change(results, group, 2019, 2021)
    assert across["series_break"] and across["framework_a"] != across["framework_b"]
    assert across["delta"] == round(3.19 - 3.33, 2) and across["direction"] == "down"
    t = trends.changes(results, 2022, 2023, group).set_index("instansi_code")
    assert not t["series_break"].any()
    assert t.loc["11.71", "transition"] == "Baik → Sangat Baik"
    # 1st of the one kota with a 2022 value, then 2nd behind Kota Jambi: one place down.
    assert (t.loc["11.71", "rank_a"], t.loc["11.71", "rank_b"]) == (1, 2)
    assert t.loc["11.71", "rank_change"] == -1
    assert pd.isna(t.loc["17.71", "index_a"]) and t.loc["17.71", "direction"] == ""


def test_trend_keeps_missing_years_and_marks_the_framework_change(results, regions):
    focal = resolve_focal(results, "Kota Banda Aceh", regions)
    tr = trends.trend(results, peer_group(results, focal, "category", regions=regions))
    assert tr["year"].tolist() == [y for y in registry.evaluations() if y <= 2024]
    assert tr.loc[tr["year"] == 2019, "index"].isna().all()
    assert tr.loc[tr["series_break"], "year"].tolist() == [2021]
    assert tr.loc[tr["year"] == 2023, "national_index"].item() == 2.79


def test_score_gaps_against_peer_median_and_best():
    r, s = results_frame(), scores_frame()
    focal = resolve_focal(r, "Kota Bengkulu", regions_frame())
    group = peer_group(r, focal, "province", regions=regions_frame())
    gaps = trends.score_gaps(s, group, 2023)
    d1 = s[(s["level"] == "domain") & (s["item"] == "D1")]["value"]
    row = gaps.set_index("item").loc["D1"]
    assert row["peer_median"] == d1.median() and row["peer_best"] == d1.max()
    assert row["gap_median"] == round(row["value"] - d1.median(), 2)
    assert gaps["item"].tolist() == ["D1", "D2", "D3", "D4"] and (gaps["n_peers"] == 4).all()


def test_headline_states_rank_with_denominator_and_coverage(results, regions):
    comp = _compare(results, regions)
    id_text, en_text = compare.headline(comp), compare.headline(comp, "en")
    assert "2,61 (Baik)" in id_text and "5 dari 11" in id_text and "2,79" in id_text
    assert "5 of 11" in en_text and "with a published 2023 index" in en_text
    assert "0.89 points short of Sangat Baik" in en_text
    island = compare.headline(_compare(results, regions, peers="island"), "en")
    assert "13 of 17" in island


def test_source_note_cites_the_decree_and_flags_synthetic_rows():
    real = results_frame()
    assert compare.source_note(real[real["year"] == 2023]) == \
        "Sumber: KepmenPANRB No. 13/2024, hasil evaluasi SPBE 2023"
    fake = results_frame(synthetic=True)
    note = compare.source_note(fake[fake["year"] == 2023])
    assert "data contoh" in note and "KepmenPANRB" not in note  # no decree for invented data
    mixed = pd.concat([real[real["year"] == 2023], fake[fake["year"] == 2023].head(1)])
    assert compare.source_note(mixed) == ("Sumber: KepmenPANRB No. 13/2024, hasil evaluasi SPBE "
                                          "2023 — sebagian data contoh")
    assert _compare(fake, regions_frame()).synthetic


def test_load_processed_keeps_codes_as_text(tmp_path):
    rows = RESULTS + [(2023, "11.10", "Kabupaten Bireuen", 2.0, "Cukup")]
    results_frame(rows).to_csv(tmp_path / "results.csv", index=False)
    scores_frame().to_csv(tmp_path / "scores.csv", index=False)
    results, scores = load_processed(tmp_path)
    assert "11.10" in set(results["instansi_code"]) and "17" in set(results["instansi_code"])
    assert results["synthetic"].dtype == bool and results["index"].dtype == float
    assert scores is not None and scores["value"].sum() == pytest.approx(
        scores_frame()["value"].sum())


def test_load_processed_without_results_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="spbe build"):
        load_processed(tmp_path)


@pytest.fixture
def processed(tmp_path) -> Path:
    results_frame().to_csv(tmp_path / "results.csv", index=False)
    return tmp_path


@pytest.mark.parametrize("region, rank", [("Kota Bengkulu", 5), ("Kabupaten Lebong", 3),
                                          ("Provinsi Bengkulu", 2)])
def test_compare_command_prints_json_with_the_api_numbers(processed, capsys, region, rank):
    argv = ["compare", "--region", region, "--year", "2023", "--peers", "province",
            "--format", "json", "--processed", str(processed)]
    assert cli.main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    api = compare.compare_region(load_processed(processed)[0], region, 2023, "province").to_dict()
    assert out["rank"] == rank and out["n_ranked"] == 11
    assert {k: out[k] for k in ("index", "band", "national_index", "band_counts")} == \
        {k: api[k] for k in ("index", "band", "national_index", "band_counts")}


def test_compare_command_defaults_to_latest_year_and_prints_a_table(processed, capsys):
    assert cli.main(["compare", "--region", "Provinsi Bengkulu", "--processed",
                     str(processed)]) == 0
    out = capsys.readouterr().out
    assert "3,92" in out and "2024" in out and "> " in out


def test_compare_command_reports_unknown_region_without_traceback(processed, capsys):
    assert cli.main(["compare", "--region", "Kota Atlantis", "--processed", str(processed)]) == 2
    assert "Kota Atlantis" in capsys.readouterr().err


def test_shipped_data_kota_bengkulu_2023(shipped_processed, capsys):
    argv = ["compare", "--region", "Kota Bengkulu", "--year", "2023", "--peers", "province",
            "--format", "json", "--processed", str(shipped_processed)]
    assert cli.main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["index"], out["rank"], out["n_ranked"], out["predikat"]) == (2.61, 5, 11, "Baik")
    assert out["band"]["margin_above_current"] == 0.01
    assert out["band"]["distance_to_next"] == 0.89 and out["national_index"] == 2.79
    assert out["band_counts"]["Baik"] == 5 and out["band_counts"]["Cukup"] == 6


def test_compare_csv_output_neutralises_text_a_spreadsheet_would_evaluate(tmp_path, capsys):
    table = results_frame()
    table.loc[table["instansi_code"] == "17.07", "sumber"] = '=HYPERLINK("http://x","Lebong")'
    table.to_csv(tmp_path / "results.csv", index=False)
    assert cli.main(["compare", "--region", "Kota Bengkulu", "--year", "2023", "--format", "csv",
                     "--processed", str(tmp_path)]) == 0
    out = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str, keep_default_na=False)
    assert "'=HYPERLINK(\"http://x\",\"Lebong\")" in set(out["sumber"])
    assert not out.map(lambda v: str(v).startswith(("=", "+", "@"))).any().any()


def _damage(folder: Path, how: str) -> None:
    """A results.csv as a hand edit or a bad save leaves it."""
    path = folder / "results.csv"
    table = results_frame()
    if how == "year":
        table["year"] = table["year"].astype(str)
        table.loc[3, "year"] = "2023a"
    if how == "column":
        table = table.drop(columns=["index"])
    table.to_csv(path, index=False)
    if how == "encoding":
        path.write_bytes(path.read_bytes().replace(b"Kabupaten Kaur", b"Kabupaten K\xe4ur"))


@pytest.mark.parametrize("how, where", [
    ("year", 'results.csv, row 5, column "year": a value that is not int'),
    ("column", 'results.csv, row 1, column "index": the results table lacks column'),
    ("encoding", "results.csv, row 11: the file is not UTF-8 text"),
])
@pytest.mark.parametrize("command", ["compare", "brief"])
def test_a_damaged_results_csv_is_exit_2_naming_file_row_and_column(tmp_path, capsys, how,
                                                                    where, command):
    _damage(tmp_path, how)
    argv = [command, "--region", "Kota Bengkulu", "--year", "2023", "--processed", str(tmp_path)]
    if command == "brief":
        argv += ["--out", str(tmp_path / "pack"), "--no-notebooks"]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert where in err and "Traceback" not in err
    assert not (tmp_path / "pack").exists()


def test_the_notebook_loaders_raise_the_same_input_error(tmp_path):
    _damage(tmp_path, "year")
    for load in (lambda: load_processed(tmp_path),
                 lambda: compare.load_context(tmp_path, "Kota Bengkulu", 2023)):
        with pytest.raises(InputError, match='row 5, column "year"'):
            load()


def test_a_damaged_scores_csv_names_its_row_and_column(tmp_path):
    results_frame().to_csv(tmp_path / "results.csv", index=False)
    scores = scores_frame().astype({"value": str})
    scores.loc[2, "value"] = "tiga"
    scores.to_csv(tmp_path / "scores.csv", index=False)
    with pytest.raises(InputError, match=r"scores.csv, row 4, column \"value\".*'tiga'"):
        load_processed(tmp_path)


def test_compare_changes_csv_gives_the_groups_year_over_year_table(processed, capsys):
    argv = ["compare", "--region", "Kota Banda Aceh", "--year", "2023", "--peers", "province",
            "--changes", "--format", "csv", "--processed", str(processed)]
    assert cli.main(argv) == 0
    out = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype={"instansi_code": str})
    assert set(out["year_a"]) == {2022} and set(out["year_b"]) == {2023}
    aceh = out.set_index("instansi_code").loc["11.71"]
    assert (aceh["index_a"], aceh["index_b"], aceh["delta"]) == (3.15, 3.54, 0.39)
    assert aceh["transition"] == "Baik → Sangat Baik"
    group = peer_group(results_frame(), resolve_focal(results_frame(), "11.71"),
                               "province")
    assert len(out) == len(trends.changes_into(results_frame(), group, 2023))


def test_changes_into_a_year_without_an_earlier_one_is_empty():
    results = results_frame()
    group = peer_group(results, resolve_focal(results, "Kota Denpasar"), "province")
    assert trends.changes_into(results, group, 2018).empty
