"""One rounding for every published value: publishing, ranking, banding and the cross-checks
all round half-up after dropping float noise (registry.published_value)."""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from spbe_tools.build import run_build  # noqa: E402
from spbe_tools.lock import diff_year  # noqa: E402
from spbe_tools.ranks import units_of  # noqa: E402
from spbe_tools.registry import band_for, published_value  # noqa: E402
from spbe_tools.scores import cross_check  # noqa: E402

from _workbooks import make_workbook  # noqa: E402

FW = "spbe-59-2020"
NOISY = 2.6049999999999  # 2.605 with float noise: published as 2.61
TIE = 2.595  # a true half: 2.60, which is Baik while 2.595 itself is Cukup


@pytest.mark.parametrize("value, published", [(NOISY, 2.61), (TIE, 2.60), (2.605, 2.61),
                                              (2.6049, 2.60), (2.60499, 2.60)])
def test_the_published_value_rounds_half_up_ignoring_float_noise(value, published):
    assert published_value(value) == published


def test_a_build_publishes_bands_and_ranks_by_the_one_rounding(tmp_path):
    rows = [["HASIL EVALUASI SPBE TAHUN 2023"], ["No", "Nama Instansi", "Indeks", "Predikat"],
            [1, "Kota Bengkulu", NOISY, "Baik"], [2, "Kabupaten Kaur", TIE, "Baik"],
            [3, "Kabupaten Mukomuko", 2.61, "Baik"]]
    make_workbook(tmp_path / "hasil_2023.xlsx", {"Lampiran": (rows, [])},
                  sidecar={"source_urls": ["https://example.org/hasil-2023"]})
    results = run_build(tmp_path, jobs=1).results.set_index("instansi")
    assert results.loc["Kota Bengkulu", "index"] == 2.61
    assert results.loc["Kota Bengkulu", "index_raw"] == NOISY
    assert results.loc["Kabupaten Kaur", ["index", "predikat_computed", "predikat_flag"]].tolist() \
        == [2.60, "Baik", ""]
    units = units_of(results["index"])
    assert units["Kota Bengkulu"] == units["Kabupaten Mukomuko"] == 261  # a tie, ranked so


def test_ranks_tie_values_that_publish_the_same():
    units = units_of(pd.Series([NOISY, 2.61, TIE, 2.6, float("nan")]))
    assert units.iloc[0] == units.iloc[1] == 261 and units.iloc[2] == units.iloc[3] == 260
    assert units.isna().iloc[4]


def test_banding_a_published_value_and_a_noisy_sum():
    assert band_for(TIE, FW) == "Cukup" and band_for(published_value(TIE), FW) == "Baik"
    assert band_for(2.5999999999, FW) == "Baik"  # arithmetic noise is not below the bound


def _domains(value: float, index: float) -> pd.DataFrame:
    rows = [{"year": 2023, "instansi_code": "17.71", "instansi": "Kota Bengkulu",
             "level": level, "item": item, "item_name": item, "value": v, "framework": FW,
             "synthetic": False, "source_file": "lhe.xlsx", "source_sheet": "LHE",
             "source_cell": "C1"}
            for level, item, v in [("domain", d, value) for d in ("D1", "D2", "D3", "D4")]
            + [("index", "index", index)]]
    return pd.DataFrame(rows)


@pytest.mark.parametrize("domain, index", [(NOISY, 2.61), (TIE, 2.60)])
def test_cross_checks_judge_by_the_rule_values_are_published_by(domain, index):
    check = cross_check(_domains(domain, index)).iloc[0]
    assert check["ok"], check["note"]
    # published domains carry two decimals, so the index may differ from Σ bobot × domain by
    # registry.DOMAIN_ROUNDING_TOLERANCE; beyond it the check fails with both numbers
    wrong = cross_check(_domains(domain, round(index - 0.02, 2))).iloc[0]
    assert not wrong["ok"] and f"published {index - 0.02:.2f}" in wrong["note"]


def test_a_lock_compares_published_values_by_the_same_rule():
    locked = pd.DataFrame({"year": [2023], "instansi_code": ["17.71"], "instansi": ["X"],
                           "index": [2.61], "predikat": ["Baik"], "index_raw": [NOISY]})
    assert diff_year(locked, locked.assign(index=[NOISY]), 2023).empty
