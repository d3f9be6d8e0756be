"""The name matcher: real-world spellings resolve to the right code, the rest land in rejects."""
from __future__ import annotations

import doctest
import json
import os
from pathlib import Path

import pandas as pd
import pytest

from spbe_tools import cli, identity
from spbe_tools.errors import ConfigError, InputError
from spbe_tools.identity import Matcher, default_matcher


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher()


# Names as they appear in result workbooks, press releases and older decree data
# (issue 3, region_reference.md, spbe_facts.md) -> the Kemendagri / agency code.
VARIANTS = [
    ("Pemerintah Kota Bengkulu", "17.71"), ("Pemkot Bengkulu", "17.71"), ("KOTA BENGKULU", "17.71"),
    ("Kab. Muko Muko", "17.06"), ("Kabupaten Muko-Muko", "17.06"),
    ("Kabupaten Toba Samosir", "12.12"), ("Toba Samosir", "12.12"), ("Prov. Kepri", "21"),
    ("DKI Jakarta", "31"), ("Kab. Bengkulu Utara", "17.03"), ("KABUPATEN BENGKULU TENGAH", "17.09"),
    ("Provinsi Bengkulu", "17"), ("Kota Tanjung Balai", "12.74"), ("Kota Pare Pare", "73.72"),
    ("Kota Pare-Pare", "73.72"), ("Kab. Labuhan Batu", "12.10"), ("Kab. Banyu Asin", "16.07"),
    ("Kab. Gunung Kidul", "34.03"), ("Kab. Karang Asem", "51.07"), ("Kab. Kotabaru", "63.02"),
    ("Kota Kotamobagu", "71.74"), ("Pangkep", "73.10"), ("Kabupaten Pangkajene Kepulauan", "73.10"),
    ("Kota Padang Sidempuan", "12.77"), ("Kota Padangsidempuan", "12.77"),
    ("Kabupaten Mamuju Utara", "76.01"), ("Kabupaten Maluku Tenggara Barat", "81.03"),
    ("Kab. Pahuwato", "75.04"), ("Kota Pematang Siantar", "12.72"),
    ("Kabupaten Toli Toli", "72.04"),
    ("Kab. Tolitoli", "72.04"), ("Kab. Fak Fak", "92.03"), ("Kabupaten Fakfak", "92.03"),
    ("Kab. Sitaro", "71.09"), ("Kab. Touna", "72.09"), ("Kab. Tojo Una-Una", "72.09"),
    ("Babel", "19"), ("Prov. Babel", "19"), ("DIY", "34"), ("DI Yogyakarta", "34"),
    ("Pemerintah Daerah Istimewa Yogyakarta", "34"), ("NAD", "11"),
    ("Nanggroe Aceh Darussalam", "11"), ("DKJ", "31"), ("Daerah Khusus Jakarta", "31"),
    ("Sumatra Utara", "12"), ("Kota Adm. Jakarta Pusat", "31.71"),
    ("Kab. Adm. Kepulauan Seribu", "31.01"), ("Kab. Kep. Seribu", "31.01"),
    ("Kabupaten Lima Puluh Kota", "13.07"), ("Kab. Limapuluh Kota", "13.07"),
    ("Kabupaten Kotawaringin Barat", "62.01"), ("Kota Banjar", "32.79"),
    ("Kabupaten Banjar", "63.03"), ("Pemprov Jambi", "15"), ("Kota Jambi", "15.71"),
    ("Pemerintah Provinsi Gorontalo", "75"), ("Kab. Gorontalo", "75.01"),
    ("Kota Gorontalo", "75.71"), ("Kota Pangkalpinang", "19.71"), ("Kota Tanjungpinang", "21.72"),
    ("Kota Bau-Bau", "74.72"), ("Pemko Batam", "21.71"), ("Kepulauan Riau", "21"),
    ("Kab. Selayar", "73.01"), ("Provinsi Papua Barat Daya", "96"), ("Kabupaten Merauke", "93.01"),
    ("Kota Sorong", "96.71"), ("Kotamadya Bengkulu", "17.71"),
    ("Pemerintah Kabupaten Rejang Lebong", "17.02"),
    # codes: current, undotted, former
    ("17.71", "17.71"), ("1771", "17.71"), ("91.01", "93.01"), ("92.71", "96.71"),
    # central agencies
    ("Kementerian PANRB", "K.PANRB"), ("Kemenpan RB", "K.PANRB"), ("KemenPAN-RB", "K.PANRB"),
    ("Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi", "K.PANRB"),
    ("Kemenkeu", "K.KEUANGAN"), ("Kementerian Keuangan Republik Indonesia", "K.KEUANGAN"),
    ("Kementrian Keuangan", "K.KEUANGAN"), ("Kominfo", "K.KOMDIGI"), ("Komdigi", "K.KOMDIGI"),
    ("BPS", "L.BPS"), ("Badan Pusat Statistik", "L.BPS"), ("BRIN", "L.BRIN"), ("LAPAN", "L.LAPAN"),
    ("Kemenkumham", "K.KUMHAM"), ("Kemenko Polhukam", "K.POLHUKAM"),
    ("Kementerian Koordinator Bidang Politik, Hukum dan Keamanan", "K.POLHUKAM"),
    ("Kemenko Perekonomian", "K.PEREKONOMIAN"), ("Kemenko PMK", "K.PMK"),
    ("Kementerian Koordinator Bidang Pembangunan Manusia dan Kebudayaan", "K.PMK"),
    ("Kemenko Marves", "K.MARVES"), ("KemenKopUKM", "K.KOPUKM"),
    ("Kementerian Koperasi dan Usaha Kecil dan Menengah", "K.KOPUKM"),
    ("Kementerian BUMN", "K.BUMN"), ("Kementerian Badan Usaha Milik Negara", "K.BUMN"),
    ("KemenPPPA", "K.PPPA"), ("Kemenpora", "K.PORA"), ("Kementerian Pemuda dan Olahraga", "K.PORA"),
    ("K.PANRB", "K.PANRB"),
]


@pytest.mark.parametrize("name, code", VARIANTS)
def test_real_world_variant_resolves_to_its_code(matcher, name, code):
    res = matcher.resolve(name)
    assert (res.code, res.reason) == (code, "")
    assert res.rule


def test_the_variant_table_is_large_enough():
    assert len(VARIANTS) >= 60


HINTED = [  # name, hints, code
    ("Bengkulu", {"category": "kota"}, "17.71"),
    ("Bengkulu", {"category": "provinsi"}, "17"),
    ("Jambi", {"category": "kota"}, "15.71"),
    ("Gorontalo", {"category": "kabupaten"}, "75.01"),
    ("Lebong", {"category": "kabupaten/kota"}, "17.07"),
    ("Banjar", {"province": "Jawa Barat"}, "32.79"),
    ("Banjar", {"province": "Kalsel"}, "63.03"),
    ("Sorong", {"category": "kota", "province": "Papua Barat Daya"}, "96.71"),
    ("Kota Bengkulu", {"province": "Bengkulu"}, "17.71"),
    ("Kota Batam", {"province": "Kepri"}, "21.71"),
    ("Kabupaten Merauke", {"province": "Papua", "year": 2021}, "93.01"),
    ("Kabupaten Sorong", {"province": "Papua Barat", "year": 2023}, "96.01"),
    ("Kemenkeu", {"category": "kementerian"}, "K.KEUANGAN"),
    ("BPS", {"category": "pusat"}, "L.BPS"),
]


@pytest.mark.parametrize("name, hints, code", HINTED)
def test_context_hints_resolve_names_without_a_type_word(matcher, name, hints, code):
    assert matcher.resolve(name, **hints).code == code


MUST_NOT_RESOLVE = [  # name, hints, a candidate that must be suggested
    ("Kota Kotabaru", {}, "Kabupaten Kotabaru (63.02)"),
    ("Kota Baru", {}, "Kabupaten Kotabaru (63.02)"),
    ("Banjar", {}, "Kota Banjar (32.79)"),
    ("Bengkulu", {}, "Kota Bengkulu (17.71)"),
    ("Gorontalo", {}, "Provinsi Gorontalo (75)"),
    ("Jambi", {}, "Provinsi Jambi (15)"),
    ("Kota Antah Berantah", {}, None),
    ("Kabupaten Wakanda Raya", {}, None),
    ("Kementerian Urusan Sihir", {}, None),
    ("Kota Bengkulu", {"category": "kabupaten"}, "Kota Bengkulu (17.71)"),
    ("Kota Bengkulu", {"province": "Jambi"}, "Kota Bengkulu (17.71)"),
    ("Kabupaten Merauke", {"province": "Jambi"}, "Kabupaten Merauke (93.01)"),
    ("Banjar", {"province": "Atlantis Raya"}, None),
    ("Kementerian Keuangan", {"category": "lembaga"}, "Kementerian Keuangan (K.KEUANGAN)"),
    ("Kota Bengkuluu", {}, "Kota Bengkulu (17.71)"),
    ("Kab. Mukomukoo", {}, "Kabupaten Mukomuko (17.06)"),
]


@pytest.mark.parametrize("name, hints, expected_candidate", MUST_NOT_RESOLVE)
def test_names_that_must_not_resolve_go_to_rejects_with_suggestions(
        matcher, name, hints, expected_candidate):
    res = matcher.resolve(name, **hints)
    assert not res.ok and res.code is None and res.rule == ""
    assert 1 <= len(res.candidates) <= 3
    assert res.reason.endswith("closest: " + ", ".join(res.candidates))
    if expected_candidate:
        assert expected_candidate in res.candidates


def test_a_near_miss_is_suggested_but_never_accepted(matcher):
    res = matcher.resolve("Kabupaten Rejang Lebongg")
    assert res.code is None
    assert res.candidates[0] == "Kabupaten Rejang Lebong (17.02)"


def test_plain_bengkulu_explains_that_the_type_is_missing(matcher):
    res = matcher.resolve("Bengkulu")
    assert "ambiguous" in res.reason
    assert set(res.candidates) == {"Provinsi Bengkulu (17)", "Kota Bengkulu (17.71)"}


def test_empty_name_and_unknown_code_are_unresolved(matcher):
    assert matcher.resolve("  ").reason.startswith("empty name")
    assert matcher.resolve("99.99").reason.startswith("unknown code")


def test_unknown_category_hint_is_a_config_error_naming_the_argument(matcher):
    with pytest.raises(ConfigError, match="category"):
        matcher.resolve("Bengkulu", category="kecamatan")


# ---------------------------------------------------------------- what a resolution carries

def test_resolution_carries_canonical_name_category_and_current_province(matcher):
    res = matcher.resolve("Kab. Muko Muko")
    assert (res.name, res.category, res.province_code, res.province) == (
        "Kabupaten Mukomuko", "kabupaten", "17", "Bengkulu")
    prov = matcher.resolve("Prov. Kepri")
    assert (prov.name, prov.province_code, prov.province) == (
        "Provinsi Kepulauan Riau", "21", "Kepulauan Riau")
    agency = matcher.resolve("Kemenpan RB")
    assert (agency.category, agency.province_code, agency.province) == ("kementerian", "", "")


def test_rule_says_which_alias_line_matched(matcher):
    res = matcher.resolve("Kabupaten Toba Samosir")
    assert res.rule.startswith("alias: Kabupaten Toba Samosir -> 12.12 (")
    assert "region_aliases.csv:" in res.rule
    assert matcher.resolve("Kota Bengkulu").rule == "exact"
    assert matcher.resolve("17.71").rule == "code"


def test_papua_regency_reported_under_papua_in_2021_keeps_current_code_and_says_why(matcher):
    res = matcher.resolve("Kabupaten Merauke", province="Papua", year=2021)
    assert (res.code, res.province_code, res.province) == ("93.01", "93", "Papua Selatan")
    assert "former province Papua (91" in res.rule


def test_kominfo_takes_the_name_in_force_in_the_year(matcher):
    old = matcher.resolve("Kominfo", year=2021)
    new = matcher.resolve("Kominfo", year=2025)
    assert old.code == new.code == "K.KOMDIGI"
    assert old.name == "Kementerian Komunikasi dan Informatika"
    assert new.name == "Kementerian Komunikasi dan Digital"
    assert "outside its validity" in new.rule


def test_split_agency_used_after_its_end_names_the_successor(matcher):
    res = matcher.resolve("Kemenkumham", year=2025)
    assert res.code == "K.KUMHAM" and "successor K.HUKUM" in res.rule


def _alias_frame(rows):
    frame = pd.DataFrame(rows, columns=["alias", "code", "valid_from", "valid_to", "note"])
    frame["file"], frame["line"] = "inline.csv", range(2, len(frame) + 2)
    return frame


def test_dated_aliases_pick_the_code_valid_in_the_year():
    m = Matcher(aliases=_alias_frame([
        ("Kabupaten Lama Sekali", "17.01", "", "2019", "synthetic: before"),
        ("Kabupaten Lama Sekali", "17.02", "2020", "", "synthetic: after")]))
    assert m.resolve("Kabupaten Lama Sekali", year=2018).code == "17.01"
    assert m.resolve("Kabupaten Lama Sekali", year=2021).code == "17.02"
    assert not m.resolve("Kabupaten Lama Sekali").ok


# ---------------------------------------------------------------- analyst alias files

def _write(path, lines):
    header = "alias,code,valid_from,valid_to,note\n"
    path.write_text(header + "".join(line + "\n" for line in lines),
                    encoding="utf-8")
    return path


def test_an_analyst_alias_line_confirms_a_rejected_name(tmp_path):
    name = "Pemkab Kep. Sitaro Raya"
    assert not Matcher().resolve(name).ok
    extra = _write(tmp_path / "aliases.csv",
                   ["Kabupaten Kep. Sitaro Raya,71.09,,,confirmed by analyst"])
    res = Matcher(extra_alias_files=[extra]).resolve(name)
    assert res.code == "71.09" and "aliases.csv:2" in res.rule


def test_alias_to_an_unknown_code_is_an_error_naming_file_and_line(tmp_path):
    extra = _write(tmp_path / "aliases.csv",
                   ["Kota Bengkulu Lama,17.71,,,ok", "Kota Hilang,17.99,,,bad"])
    with pytest.raises(InputError) as info:
        Matcher(extra_alias_files=[extra])
    assert info.value.file.endswith("aliases.csv") and info.value.row == 3
    assert "17.99" in str(info.value)


def test_alias_whose_type_word_contradicts_its_target_is_an_error(tmp_path):
    extra = _write(tmp_path / "aliases.csv", ["Kota Kotabaru,63.02,,,wrong type"])
    with pytest.raises(InputError, match="contradicts"):
        Matcher(extra_alias_files=[extra])


def test_two_aliases_sending_one_name_to_two_codes_is_an_error(tmp_path):
    extra = _write(tmp_path / "aliases.csv", ["Pangkep,73.09,,,conflicts with region_aliases.csv"])
    with pytest.raises(InputError, match="conflicts"):
        Matcher(extra_alias_files=[extra])


def test_alias_file_without_the_columns_is_an_error(tmp_path):
    bad = tmp_path / "aliases.csv"
    bad.write_text("name,kode\nX,17\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing columns"):
        Matcher(extra_alias_files=[bad])


def test_default_matcher_sees_a_line_added_to_the_alias_file(tmp_path):
    extra = _write(tmp_path / "aliases.csv", ["Kota Bengkulu Raya,17.71,,,analyst"])
    first = default_matcher((extra,))
    assert first is default_matcher((extra,))
    assert not first.resolve("Kabupaten Seluma Raya").ok
    _write(extra, ["Kota Bengkulu Raya,17.71,,,analyst", "Kabupaten Seluma Raya,17.05,,,analyst"])
    os.utime(extra, ns=(1, 1))  # a different mtime even on coarse file systems
    assert default_matcher((extra,)).resolve("Kabupaten Seluma Raya").code == "17.05"


# ---------------------------------------------------------------- all 552 names round-trip

def _forms(row) -> list[str]:
    rest = row["name"].split(" ", 1)[1] if row["type"] != "provinsi" else row["name"]
    if row["type"] == "provinsi":
        return [f"Pemerintah Provinsi {rest}", f"PROVINSI {rest}".upper(), f"Prov. {rest}"]
    word = {"kabupaten": "Kabupaten", "kota": "Kota"}[row["type"]]
    short = {"kabupaten": "Kab.", "kota": "Kota"}[row["type"]]
    return [f"Pemerintah {word} {rest}", f"{word} {rest}".upper(), f"{short} {rest}"]


def test_every_reference_name_round_trips_in_three_written_forms(matcher):
    regions = identity.load_regions()
    failures = [(form, matcher.resolve(form).code, row["code"])
                for row in regions.to_dict("records") for form in _forms(row)
                if matcher.resolve(form).code != row["code"]]
    assert failures == []
    assert len(regions) * 3 == 1656


def test_no_agency_name_shadows_a_region_name(matcher):
    regions = identity.load_regions()
    agency_keys = set(matcher._agency_keys)
    region_bases = {identity.parse_name(n).base for n in regions["name"]}
    assert agency_keys.isdisjoint(region_bases)


def test_resolve_frame_returns_one_row_per_input_with_rule_or_reason(matcher):
    frame = pd.DataFrame({"instansi": ["Kota Bengkulu", "Banjar", "Sorong"],
                          "province": ["Bengkulu", "", "Papua Barat Daya"],
                          "category": ["kota", "kabupaten", "kota"], "year": [2023, 2023, 2024]},
                         index=[10, 11, 12])
    out = matcher.resolve_frame(frame, category_col="category", province_col="province",
                                year_col="year")
    assert out.index.tolist() == [10, 11, 12]
    assert out["code"].tolist() == ["17.71", "63.03", "96.71"]
    assert (out["rule"] != "").all() and (out["reason"] == "").all()


# ---------------------------------------------------------------- CLI and doctests

def test_cli_regions_prints_the_match_and_exits_0(capsys):
    assert cli.main(["regions", "Pemkot Bengkulu", "Kemenpan RB"]) == 0
    out = capsys.readouterr().out
    assert "17.71  Kota Bengkulu" in out and "K.PANRB" in out and "rule: exact" in out


def test_cli_regions_exits_1_and_gives_json_reasons_when_unresolved(capsys):
    code = cli.main(["regions", "Kota Kotabaru", "17", "--format", "json"])
    rows = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [r["ok"] for r in rows] == [False, True]
    assert "Kabupaten Kotabaru (63.02)" in rows[0]["candidates"]


def test_cli_regions_uses_hints(capsys):
    args = ["regions", "Merauke", "--category", "kabupaten", "--province", "Papua",
            "--year", "2021"]
    assert cli.main(args) == 0
    assert "93.01" in capsys.readouterr().out


def test_module_docstring_examples_run():
    result = doctest.testmod(identity, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 7 and result.failed == 0


def test_an_alias_that_is_a_current_code_is_an_error(tmp_path):
    extra = _write(tmp_path / "aliases.csv", ["17.71,17.06,,,a current code cannot be an alias"])
    with pytest.raises(InputError, match="current code"):
        Matcher(extra_alias_files=[extra])


def test_alias_conflict_error_names_the_file_and_line(tmp_path):
    extra = _write(tmp_path / "aliases.csv", ["Kota Bengkulu Raya,17.71,,,ok", "Pangkep,73.09,,,x"])
    with pytest.raises(InputError) as info:
        Matcher(extra_alias_files=[extra])
    assert (info.value.file, info.value.row) == ("aliases.csv", 3)


def test_missing_names_from_a_frame_are_unresolved_not_the_string_nan(matcher):
    frame = pd.DataFrame({"instansi": ["Kota Bengkulu", None, float("nan")]})
    out = matcher.resolve_frame(frame)
    assert out["code"].tolist() == ["17.71", "", ""]
    assert out["reason"].str.startswith("empty name").tolist() == [False, True, True]


# --- issue 13: hostile names (item 6: length and suggestion work; item 12: invisible
# characters and look-alike letters) ---------------------------------------------------

INVISIBLE = {"\u200b": "ZERO WIDTH SPACE", "\u200d": "ZERO WIDTH JOINER",
             "\ufeff": "ZERO WIDTH NO-BREAK SPACE", "\u202e": "RIGHT-TO-LEFT OVERRIDE",
             "\u200e": "LEFT-TO-RIGHT MARK", "\u00ad": "SOFT HYPHEN",
             "\u2066": "LEFT-TO-RIGHT ISOLATE"}


@pytest.mark.parametrize("char", sorted(INVISIBLE))
@pytest.mark.parametrize("where", ["start", "inner", "end"])
def test_invisible_characters_anywhere_resolve_alike_and_the_rule_names_them(matcher, char,
                                                                            where):
    name = {"start": char + "Kota Bengkulu", "inner": "Kota Beng" + char + "kulu",
            "end": "Kota Bengkulu" + char}[where]
    res = matcher.resolve(name)
    assert res.code == "17.71"
    point = f"U+{ord(char):04X} {INVISIBLE[char]}"
    assert res.rule == f"exact; invisible character(s) removed: {point}"


def test_a_name_without_invisible_characters_keeps_its_plain_rule(matcher):
    assert matcher.resolve("Kota Bengkulu").rule == "exact"


def test_a_cyrillic_look_alike_is_unresolved_and_the_reason_shows_the_foreign_letter(matcher):
    res = matcher.resolve("Kabupaten Leb\u043eng")
    assert not res.ok
    assert ("letter(s) from another script: U+043E CYRILLIC SMALL LETTER O at position 14"
            in res.reason)
    assert res.candidates[0] == "Kabupaten Lebong (17.07)"


def test_a_foreign_letter_that_would_vanish_is_not_silently_dropped(matcher):
    """Stripping non-ASCII used to turn 'Kota Bengkulu' + a Greek alpha into an exact match."""
    res = matcher.resolve("Kota Bengkulu\u03b1")
    assert not res.ok and "U+03B1 GREEK SMALL LETTER ALPHA" in res.reason


def test_accented_latin_letters_are_still_read_as_their_base_letter(matcher):
    assert matcher.resolve("Kabupaten Mukomukó").code == "17.06"


def test_an_overlong_name_is_unresolved_without_any_fuzzy_search(monkeypatch):
    m = Matcher()
    monkeypatch.setattr(identity.process, "extract", _no_fuzzy)
    res = m.resolve("Kota Bengkulu " + "x" * 32_753)
    assert not res.ok and res.candidates == ()
    assert (f"the name is 32,767 characters long, longer than any instansi name "
            f"(at most {identity.MAX_NAME_CHARS} are matched)") in res.reason
    assert len(res.reason) < 400


def test_suggestions_search_at_most_the_capped_length_of_a_name(monkeypatch):
    m = Matcher()
    seen = []
    real = identity.process.extract
    monkeypatch.setattr(identity.process, "extract",
                        lambda q, *a, **k: seen.append(len(q)) or real(q, *a, **k))
    m.resolve("Kabupaten " + "Lebongg" * 20)  # 150 characters: matched, suggestions capped
    assert seen and max(seen) <= identity.MAX_SUGGESTION_CHARS


def test_fuzzy_suggestions_are_bounded_per_file_and_every_name_still_gets_a_reason(
        monkeypatch):
    m = Matcher()
    calls = []
    real = identity.process.extract
    monkeypatch.setattr(identity.process, "extract",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    names = m.per_file()
    limit = identity.MAX_SUGGESTED_NAMES_PER_FILE
    out = [names.resolve(f"Kota Antah {i:04d}", source="a.xlsx") for i in range(limit + 50)]
    assert all(not r.ok for r in out)
    assert all(r.candidates for r in out[:limit])
    assert all(r.candidates == () and f"more than {limit} unidentified names in this file"
               in r.reason for r in out[limit:])
    assert len(calls) <= 2 * limit
    again = names.resolve("Kota Antah 0000", source="a.xlsx")  # a name seen before keeps its
    assert again == out[0]                                   # suggestions
    other = names.resolve(f"Kota Antah {limit + 10:04d}", source="b.xlsx")  # another file
    assert other.candidates


def test_the_per_file_budget_does_not_change_results_between_runs():
    """A second pass with a fresh budget gives the same resolutions (byte-identical builds)."""
    m = Matcher()
    limit = identity.MAX_SUGGESTED_NAMES_PER_FILE
    queries = [f"Kota Antah {i:04d}" for i in range(limit + 5)]
    first = [m.per_file().resolve(q, source="a.xlsx") for q in queries]
    budget = m.per_file()
    second = [budget.resolve(q, source="a.xlsx") for q in queries]
    assert [r.candidates for r in second[:limit]] == [r.candidates for r in first[:limit]]


def _unidentified_rows(n: int, source_file: str = "a.xlsx") -> list:
    from spbe_tools.ingest import ParsedRow

    return [ParsedRow(source_file, "S", 2 + i, f"B{2 + i}", 2023, f"Kota Antah {i:04d}", None,
                      "", 3.5, None, "") for i in range(n)]


def test_builds_with_different_budgets_sharing_the_cached_matcher_each_name_their_own():
    """A reason memoised under one build's budget used to reach a later build with another."""
    from spbe_tools.validate import validate_rows

    shared = default_matcher()
    rows = _unidentified_rows(6)
    for budget in (2, 4, 2):
        rejects = validate_rows(rows, shared.per_file(budget)).rejects
        reasons = rejects.sort_values("source_row")["reason"].tolist()
        unsearched = [r for r in reasons if "not searched" in r]
        assert len(unsearched) == 6 - budget
        assert all(f"(not searched: more than {budget} unidentified names in this file)" in r
                   for r in unsearched)
    assert default_matcher() is shared


def test_resolving_with_any_suggestion_settings_leaves_the_matcher_as_it_was():
    """The shared matcher holds no per-call state: every attribute keeps its object."""
    from spbe_tools.identity import Suggestions

    m = Matcher()
    before = {name: id(value) for name, value in vars(m).items()}
    seen = {budget: m.resolve("Kota Antah", suggestions=Suggestions(False, budget)).reason
            for budget in (1, 7)}
    assert {name: id(value) for name, value in vars(m).items()} == before
    assert "more than 1 unidentified" in seen[1] and "more than 7 unidentified" in seen[7]
    assert m.resolve("Kota Antah").candidates  # the default still searches
    budget = m.per_file(3)
    budget.resolve("Kota Antah", source="a.xlsx")
    assert {name: id(value) for name, value in vars(m).items()} == before


def _no_fuzzy(*args, **kwargs):
    raise AssertionError("a fuzzy search ran for a name that should not be searched")


def test_commands_share_one_region_lookup_that_fails_with_the_matchers_reason():
    from spbe_tools.errors import ConfigError
    from spbe_tools.identity import resolve_region

    assert resolve_region("Kota Bengkulu", year=2023).code == "17.71"
    with pytest.raises(ConfigError, match="unknown region") as caught:
        resolve_region("Kota Zzz")
    assert "'Kota Zzz'" in caught.value.found
    commands = Path(__file__).resolve().parents[1] / "spbe_tools" / "commands"
    lookups = sorted(p.name for p in commands.glob("*.py")
                     if "default_matcher().resolve" in p.read_text(encoding="utf-8"))
    assert lookups == []  # plan and template used to each redo it


# ---------------------------------------------------------------- forms of the national reports

@pytest.mark.parametrize(("name", "code", "note"), [
    ("Pemerintah Kab. Ogan Komering Ulu Sel.", "16.09", "abbreviation: Sel. -> Selatan"),
    ("Kab. Tapanuli Sel", "12.03", "abbreviation: Sel. -> Selatan"),
    ("Pemerintah Provinsi Kep. Bangka Belitung", "19", "abbreviation: Kep. -> Kepulauan"),
    ("Pemerintah Kab. Kep. Mentawai", "13.09", "abbreviation: Kep. -> Kepulauan"),
])
def test_an_abbreviated_word_is_read_in_full_and_the_rule_says_so(matcher, name, code, note):
    res = matcher.resolve(name)
    assert res.code == code and res.rule == f"exact; {note}"


def test_a_lone_letter_is_no_abbreviation(matcher):
    res = matcher.resolve("Kab. Ogan Komering Ulu S.")
    assert not res.ok and "Kabupaten Ogan Komering Ulu Selatan (16.09)" in res.candidates


@pytest.mark.parametrize(("name", "code"), [
    ("Pemerintah Aceh", "11"), ("Pemerintah D.I. Yogyakarta", "34"),
    ("Pemerintah Kota Banjar", "32.79"), ("Pemerintah Kab. Banjar", "63.03"),
])
def test_the_reports_pemda_names_resolve(matcher, name, code):
    assert matcher.resolve(name, category="pemda").code == code


def test_a_slash_double_name_resolves_whole_by_either_name_or_by_both(matcher):
    whole = "Kementerian Pariwisata dan Ekonomi Kreatif/Badan Pariwisata dan Ekonomi Kreatif"
    assert matcher.resolve(whole, year=2023).rule == "exact"
    part = matcher.resolve("Badan Pertanahan Nasional")
    assert part.code == "K.ATRBPN" and part.rule.startswith(
        "slash part: Badan Pertanahan Nasional is one name of Kementerian Agraria dan Tata Ruang/")
    both = matcher.resolve("Kementerian Agraria dan Tata Ruang/BPN")
    assert both.code == "K.ATRBPN" and both.rule.startswith("slash name: each of ")
    # the slash of "Barang/Jasa" separates no names
    assert matcher.resolve("Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah").code == "L.LKPP"


def test_a_slash_name_naming_two_instansi_stays_unresolved_with_both(matcher):
    res = matcher.resolve("Kementerian Keuangan/Badan Pusat Statistik")
    assert not res.ok and res.reason.startswith("ambiguous: the names of the slash name")
    assert res.candidates == ("Kementerian Keuangan (K.KEUANGAN)", "Badan Pusat Statistik (L.BPS)")


def test_a_secretariat_resolves_to_the_lembaga_it_serves(matcher):
    res = matcher.resolve("Sekretariat Jenderal Komisi Pemilihan Umum", year=2024)
    assert res.code == "L.KPU" and res.name == "Komisi Pemilihan Umum"
    assert res.rule.startswith("secretariat: Sekretariat Jenderal of 'Komisi Pemilihan Umum'")
    assert matcher.resolve("Sekretariat Dewan Pers").code == "L.DEWANPERS"
    assert matcher.resolve("Sekretariat Kabinet").rule == "exact"  # a body of its own


def test_the_secretariat_rule_is_for_lembaga_only(matcher):
    assert not matcher.resolve("Sekretariat Jenderal Kementerian Keuangan").ok
    res = matcher.resolve("Sekretariat Jenderal Komisi Pemilihan Umum", category="kementerian")
    assert not res.ok and "Komisi Pemilihan Umum (L.KPU)" in res.candidates


def test_a_secretariat_of_a_name_two_lembaga_share_stays_unresolved():
    rows = [{"code": code, "name": name, "category": "lembaga", "short_names": "Dewan X",
             "valid_from": "", "valid_to": "", "successor_code": "", "source_url": "https://x",
             "note": ""} for code, name in (("L.XA", "Dewan Xa"), ("L.XB", "Dewan Xb"))]
    res = Matcher(aliases=[], agencies=rows).resolve("Sekretariat Jenderal Dewan X")
    assert not res.ok and set(res.candidates) == {"Dewan Xa (L.XA)", "Dewan Xb (L.XB)"}


def test_the_ri_suffix_is_read_or_dropped_and_the_rule_says_which(matcher):
    read = matcher.resolve("Perpustakaan Nasional RI")
    assert read.rule == "exact; RI read as Republik Indonesia"
    assert matcher.resolve("Kementerian Keuangan RI").rule == "exact; suffix 'RI' dropped"
    # "Republik Indonesia" is the name itself when one word precedes it
    assert not matcher.resolve("Radio").ok
    assert matcher.resolve("Radio Republik Indonesia").code == "L.RRI"


@pytest.mark.parametrize(("name", "code", "why"), [
    ("Kementerian Koordinator Bidang Kemaritiman", "K.MARVES", "without 'dan Investasi'"),
    ("Badan Pengusahaan Badan Pengusahaan Kawasan Perdagangan Bebas dan Pelabuhan Bebas Batam",
     "L.BPBATAM", "OCR doubling"),
    ("Kementerian Pendidikan dan Kebudayaan", "K.DIKBUDRISTEK", "both reports print"),
])
def test_report_forms_resolve_by_an_alias_line_with_its_reason(matcher, name, code, why):
    res = matcher.resolve(name, year=2023)
    assert res.code == code and res.rule.startswith(f"alias: {name} -> {code} (")
    assert why in res.rule and "region_aliases.csv:" in res.rule


def test_the_title_typo_of_the_2024_report_is_a_known_province(matcher):
    res = matcher.resolve("Pemerintah Kota Kupang", category="pemda",
                          province="Nusa Tenggara Tlmur")
    assert res.code == "53.71"


def test_kabinet_merah_putih_ends_the_old_names_and_starts_the_new(matcher):
    old = matcher.resolve("Kementerian Lingkungan Hidup dan Kehutanan", year=2025)
    assert old.code == "K.LHK" and "outside its validity ..2024-10-20 for 2025" in old.rule
    assert matcher.resolve("Kementerian Lingkungan Hidup", year=2025).code == "K.LH"
    new = matcher.resolve("Kemenko Pangan", year=2023)
    assert new.code == "K.PANGAN" and "outside its validity 2024-10-21.." in new.rule
    assert matcher.resolve("Kementerian Lingkungan Hidup", year=2024).rule == "exact"


def test_agency_periods_cut_at_the_cabinet_change_cite_a_source_for_it():
    agencies = identity.load_agencies()
    cut = agencies[(agencies["valid_to"] == "2024-10-20")
                   | (agencies["valid_from"] == "2024-10-21")]
    assert {"K.LHK", "K.PAREKRAF", "K.DESA", "K.MARVES", "K.KUMHAM"} <= set(cut["code"])
    assert (cut["note"] != "").all() and cut["source_url"].str.startswith("https://").all()
    # a reorganisation not sourced leaves the period open and says so
    open_ended = agencies.set_index("code").loc[["K.INVESTASI", "L.BP2MI", "L.KASN"]]
    assert (open_ended["valid_to"] == "").all()
    assert open_ended["note"].str.contains("no valid_to").all()
