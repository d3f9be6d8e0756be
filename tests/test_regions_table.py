"""The shipped reference tables: regions.csv (ODbL, generated), region_aliases.csv, agencies.csv."""
from __future__ import annotations

import re

import pytest

from spbe_tools import identity
from spbe_tools.errors import ConfigError
from spbe_tools.paths import PACKAGE_DATA

from _tools import load_tool


@pytest.fixture(scope="module")
def regions():
    return identity.load_regions()


def test_region_counts_are_38_provinces_416_kabupaten_98_kota(regions):
    counts = regions["type"].value_counts().to_dict()
    assert counts == {"kabupaten": 416, "kota": 98, "provinsi": 38}


def test_546_pemda_are_autonomous_and_the_six_jakarta_units_are_not(regions):
    assert (regions["autonomous"] == "1").sum() == 546
    not_autonomous = regions.loc[regions["autonomous"] == "0", "code"].tolist()
    assert not_autonomous == ["31.01", "31.71", "31.72", "31.73", "31.74", "31.75"]


def test_codes_are_unique_dotted_strings(regions):
    assert regions["code"].is_unique
    assert regions["code"].map(lambda c: bool(re.fullmatch(r"\d\d(\.\d\d)?", c))).all()
    # read as text: a float reader would have turned 11.10 into 11.1
    assert "11.10" in set(regions["code"])


def test_every_kab_kota_sits_in_an_existing_province_with_its_code_prefix(regions):
    provinces = set(regions.loc[regions["type"] == "provinsi", "code"])
    kabkota = regions[regions["type"] != "provinsi"]
    assert set(kabkota["province_code"]) <= provinces
    assert (kabkota["code"].str[:2] == kabkota["province_code"]).all()


def test_type_agrees_with_the_code_suffix(regions):
    kabkota = regions[regions["type"] != "provinsi"]
    suffix = kabkota["code"].str[3:].astype(int)
    by_suffix = suffix.map(lambda n: "kota" if n >= 71 else "kabupaten")
    assert (by_suffix == kabkota["type"]).all()


@pytest.mark.parametrize("code, name, type_, province", [
    ("17", "Bengkulu", "provinsi", ""),
    ("17.71", "Kota Bengkulu", "kota", "17"),
    ("12.12", "Kabupaten Toba", "kabupaten", "12"),
    ("93.01", "Kabupaten Merauke", "kabupaten", "93"),
    ("96.71", "Kota Sorong", "kota", "96"),
])
def test_spot_checks(regions, code, name, type_, province):
    row = regions.set_index("code").loc[code]
    assert (row["name"], row["type"], row["province_code"]) == (name, type_, province)


def test_island_comes_from_the_province_code(regions):
    assert identity.island_of("17") == "Sumatera"
    assert identity.island_of("17.71") == "Sumatera"
    assert identity.island_of("21") == "Sumatera"  # Kepulauan Riau
    assert identity.island_of("51") == "Bali-Nusa Tenggara"
    assert identity.island_of("96.71") == "Papua"
    assert set(regions["island"]) == {"Sumatera", "Jawa", "Bali-Nusa Tenggara", "Kalimantan",
                                      "Sulawesi", "Maluku", "Papua"}


def test_province_name_and_its_error_naming_the_argument():
    assert identity.province_name("17") == "Bengkulu"
    assert identity.province_name("96.01") == "Papua Barat Daya"
    with pytest.raises(ConfigError, match="province_code"):
        identity.province_name("99")


def test_the_odbl_licence_and_attribution_travel_with_the_csv():
    licence = (PACKAGE_DATA / "LICENSE-ODbL-1.0.md").read_text(encoding="utf-8")
    notice = (PACKAGE_DATA / "NOTICE.md").read_text(encoding="utf-8")
    assert "Open Database License" in licence
    assert "idn-area-data 4.0.1" in notice and "300.2.2-2138" in notice


def _builder():
    return load_tool("build_regions")


def test_builder_takes_type_from_code_suffix_and_marks_administrasi_not_autonomous():
    build = _builder()
    provinces = "code,name\n17,Bengkulu\n31,Daerah Khusus Ibukota Jakarta\n"
    regencies = ("code,province_code,name\n17.06,17,Kabupaten Mukomuko\n"
                 "17.71,17,Kota Bengkulu\n31.71,31,Kota Administrasi Jakarta Pusat \n")
    rows = build.region_rows(provinces, regencies)
    assert [(r["code"], r["type"], r["autonomous"], r["island"]) for r in rows] == [
        ("17", "provinsi", "1", "Sumatera"), ("31", "provinsi", "1", "Jawa"),
        ("17.06", "kabupaten", "1", "Sumatera"), ("17.71", "kota", "1", "Sumatera"),
        ("31.71", "kota", "0", "Jawa")]
    assert rows[-1]["name"] == "Kota Administrasi Jakarta Pusat"  # trailing space trimmed


def test_builder_stops_when_name_prefix_and_code_disagree():
    build = _builder()
    with pytest.raises(SystemExit, match="17.71"):
        build.region_rows("code,name\n17,Bengkulu\n",
                          "code,province_code,name\n17.71,17,Kabupaten Bengkulu\n")


def test_builder_output_matches_the_committed_csv_header_and_counts():
    build = _builder()
    text = (PACKAGE_DATA / "regions.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(build.COLUMNS)
    assert len(text.splitlines()) == 553 and "\r" not in text


# ---------------------------------------------------------------- aliases

def test_alias_table_has_the_documented_columns_and_only_known_codes():
    aliases = identity.load_aliases()
    assert list(aliases.columns[:5]) == ["alias", "code", "valid_from", "valid_to", "note"]
    known = set(identity.load_regions()["code"]) | set(identity.load_agencies()["code"])
    assert set(aliases["code"]) <= known
    assert (aliases["note"] != "").all()


PAPUA_MOVES = {  # region_reference.md, Kepmendagri 100.1.1-6117/2022 and 300.2.2-2138/2025
    "91.01": "93.01", "91.16": "93.02", "91.17": "93.03", "91.18": "93.04",
    "91.04": "94.01", "91.07": "94.02", "91.08": "94.03", "91.09": "94.04", "91.25": "94.05",
    "91.26": "94.06", "91.27": "94.07", "91.28": "94.08",
    "91.02": "95.01", "91.12": "95.02", "91.13": "95.03", "91.14": "95.04", "91.21": "95.05",
    "91.22": "95.06", "91.23": "95.07", "91.24": "95.08",
    "92.01": "96.01", "92.04": "96.02", "92.05": "96.03", "92.09": "96.04", "92.10": "96.05",
    "92.71": "96.71",
}


def test_every_papua_code_move_is_an_alias_with_its_end_date():
    aliases = identity.load_aliases().set_index("alias")
    for old, new in PAPUA_MOVES.items():
        assert aliases.loc[old, "code"] == new
        expected_end = "2022-11-08" if old.startswith("91") else "2025-04-24"
        assert aliases.loc[old, "valid_to"] == expected_end


# ---------------------------------------------------------------- agencies

def test_agency_rows_have_codes_categories_and_a_source():
    agencies = identity.load_agencies()
    prefix = {"kementerian": "K.", "lembaga": "L."}
    assert (agencies.apply(lambda r: r["code"].startswith(prefix[r["category"]]), axis=1)).all()
    assert agencies["source_url"].str.startswith("https://").all()
    successors = set(agencies["successor_code"]) - {""}
    assert successors <= set(agencies["code"])


def test_kominfo_and_komdigi_share_one_code_and_bppt_lapan_lead_to_brin():
    agencies = identity.load_agencies()
    komdigi = agencies[agencies["code"] == "K.KOMDIGI"]
    assert set(komdigi["name"]) == {"Kementerian Komunikasi dan Informatika",
                                    "Kementerian Komunikasi dan Digital"}
    succ = agencies.set_index("code")["successor_code"]
    assert succ["L.LAPAN"] == "L.BRIN" and succ["L.BPPT"] == "L.BRIN"
