"""Recomputing indices from LHE scores and cross-checking them (spbe_tools/scores.py)."""
from __future__ import annotations

import pandas as pd
import pytest

from spbe_tools.registry import published_value
from spbe_tools.scores import cross_check, recompute
from spbe_tools.table_columns import CHECKS

FW = "spbe-59-2020"


def score_rows(code, year, level, values, framework=FW, synthetic=False):
    """Rows of the scores table: values is {item: value}."""
    return [{"year": year, "instansi_code": code, "instansi": code, "level": level, "item": item,
             "item_name": item, "value": float(v), "framework": framework,
             "synthetic": synthetic, "source_file": "lhe/x.xlsx", "source_sheet": "LHE",
             "source_cell": "C1"} for item, v in values.items()]


def frame(*groups):
    return pd.DataFrame([row for g in groups for row in g])


# Kab. Magelang 2022, published on https://pusaka.magelangkab.go.id/blog/detail/89
# (../shared/spbe_facts.md section 3): domains 4.90 / 2.40 / 1.09 / 3.76, index 3.13.
MAGELANG_DOMAINS = {"D1": 4.90, "D2": 2.40, "D3": 1.09, "D4": 3.76}


def test_magelang_published_domains_reproduce_the_published_index():
    scores = frame(score_rows("33.08", 2022, "domain", MAGELANG_DOMAINS),
                   score_rows("33.08", 2022, "index", {"index": 3.13}))
    results = pd.DataFrame({"year": [2022], "instansi_code": ["33.08"], "index": [3.13]})
    checks = cross_check(scores, results)
    assert list(checks.columns) == CHECKS.names
    assert len(checks) == 2 and checks["ok"].all()
    assert checks["recomputed"].iloc[0] == pytest.approx(3.12765)
    assert set(checks["note"]) == {"domains vs LHE", "domains vs results"}


def test_swapped_kebijakan_and_manajemen_weights_would_fail_the_check():
    # The facts file warns of a 16.5 / 13 swap; feeding the domains in swapped order
    # is the same computation and must be flagged, not hidden (it gives 3.26).
    swapped = {"D1": 1.09, "D2": 2.40, "D3": 4.90, "D4": 3.76}
    scores = frame(score_rows("33.08", 2022, "domain", swapped),
                   score_rows("33.08", 2022, "index", {"index": 3.13}))
    check = cross_check(scores).iloc[0]
    assert not check["ok"] and published_value(check["recomputed"]) == 3.26
    assert "Σ bobot × domain 3.26 (3.2610), published 3.13" in check["note"]


def levels_by_domain(d1, d2, d3, d4):
    return {**{f"I{n}": d1 for n in range(1, 11)}, **{f"I{n}": d2 for n in range(11, 21)},
            **{f"I{n}": d3 for n in range(21, 32)}, **{f"I{n}": d4 for n in range(32, 48)}}


def test_index_domains_and_aspects_are_weighted_means_of_levels():
    levels = levels_by_domain(5, 1, 1, 1)
    levels.update({"I29": 2, "I30": 3, "I31": 4})        # the Audit TIK aspect
    rec = recompute(frame(score_rows("17.71", 2023, "indicator", levels)))
    value = dict(zip(rec["item"], rec["value"]))
    # (5 x 13 + 1 x 25 + (8 x 1 + 2 + 3 + 4) x 1.5 + 1 x 45.5) / 100
    assert value["index"] == pytest.approx((65 + 25 + 17 * 1.5 + 45.5) / 100)
    assert value["D1"] == 5.0 and value["D2"] == 1.0
    assert value["A6"] == pytest.approx(3.0)
    assert value["D3"] == pytest.approx(17 / 11)
    assert len(rec) == 1 + 4 + 8 and set(rec["basis"]) == {"indicators"}


def test_recomputed_index_disagreeing_with_the_lhe_is_flagged():
    scores = frame(score_rows("17.71", 2023, "indicator", levels_by_domain(3, 3, 3, 3)),
                   score_rows("17.71", 2023, "index", {"index": 3.02}),
                   score_rows("17.71", 2023, "domain", {"D1": 3.0}))
    checks = cross_check(scores)
    index = checks[checks["level"] == "index"].iloc[0]
    assert not index["ok"] and index["difference"] == pytest.approx(-0.02)
    assert checks[checks["item"] == "D1"]["ok"].item()


def test_incomplete_indicator_sets_are_not_recomputed():
    levels = levels_by_domain(3, 3, 3, 3)
    del levels["I47"]
    assert recompute(frame(score_rows("17.71", 2023, "indicator", levels))).empty


def test_instansi_without_published_values_get_no_check_rows():
    scores = frame(score_rows("17.71", 2023, "indicator", levels_by_domain(3, 3, 3, 3)))
    assert cross_check(scores).empty and len(recompute(scores)) == 13


def test_frameworks_without_structure_are_skipped():
    scores = frame(score_rows("17.71", 2026, "domain", {"D1": 3.0}, framework="pemdi-final"))
    assert recompute(scores).empty


def test_5_2018_checks_say_the_weights_are_unverified():
    levels = {f"I{n}": 2 for n in range(1, 36)}
    scores = frame(score_rows("17.71", 2019, "indicator", levels, framework="spbe-5-2018"),
                   score_rows("17.71", 2019, "index", {"index": 2.0}, framework="spbe-5-2018"))
    check = cross_check(scores).iloc[0]
    assert check["ok"] and "weights unverified" in check["note"]


def test_synthetic_flag_travels_to_recomputed_rows():
    scores = frame(score_rows("17.71", 2023, "indicator", levels_by_domain(3, 3, 3, 3),
                              synthetic=True))
    assert recompute(scores)["synthetic"].all()


@pytest.mark.parametrize("value, shown", [(2.605, 2.61), (3.12765, 3.13), (2.6049999, 2.6),
                                          (3.125, 3.13), (0.005, 0.01)])
def test_cross_checks_round_as_values_are_published(value, shown):
    assert published_value(value) == shown
