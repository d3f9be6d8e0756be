"""Framework structure in the registry: spbe_tools/registry/structure.py and its CSVs."""
from __future__ import annotations

import pandas as pd
import pytest

from spbe_tools import registry
from spbe_tools.errors import ConfigError
from spbe_tools.registry import structure


def test_59_2020_has_4_domains_8_aspects_47_indicators_summing_to_100():
    ind = structure.indicators("spbe-59-2020")
    assert len(ind) == 47
    assert list(ind["number"]) == list(range(1, 48))
    assert ind["domain_no"].nunique() == 4 and ind["aspect_no"].nunique() == 8
    assert int(ind["weight_units"].sum()) == 10000


@pytest.mark.parametrize("number, weight, domain_no, aspect_no", [
    (1, 1.30, 1, 1), (10, 1.30, 1, 1), (11, 2.50, 2, 2), (18, 2.50, 2, 3), (20, 2.50, 2, 4),
    (21, 1.50, 3, 5), (31, 1.50, 3, 6), (32, 2.75, 4, 7), (41, 2.75, 4, 7), (47, 3.00, 4, 8)])
def test_59_2020_indicator_weights_and_blocks_match_the_facts_table(number, weight, domain_no,
                                                                     aspect_no):
    row = structure.indicators("spbe-59-2020").set_index("number").loc[number]
    assert row["weight"] == pytest.approx(weight)
    assert (row["domain_no"], row["aspect_no"]) == (domain_no, aspect_no)


def test_59_2020_domain_weights_are_13_25_16_5_45_5_and_equal_their_indicator_sums():
    dom = structure.domains("spbe-59-2020")
    assert list(dom["weight"]) == [13.0, 25.0, 16.5, 45.5]
    assert (dom["weight"] == dom["weight_stated"]).all()


def test_59_2020_aspect_weights_equal_the_stated_weights():
    asp = structure.aspects("spbe-59-2020")
    assert list(asp["weight"]) == [13.0, 10.0, 10.0, 5.0, 12.0, 4.5, 27.5, 18.0]
    assert (asp["weight"] == asp["weight_stated"]).all()
    assert list(asp["domain_no"]) == [1, 2, 2, 2, 3, 3, 4, 4]


def test_5_2018_has_3_domains_7_aspects_35_indicators_all_unverified():
    ind = structure.indicators("spbe-5-2018")
    assert len(ind) == 35
    assert ind.groupby("aspect_no").size().tolist() == [7, 10, 2, 2, 3, 7, 4]
    assert ind["domain_no"].nunique() == 3
    assert not ind["verified"].any()
    assert not structure.domains("spbe-5-2018")["verified"].any()


def test_5_2018_unsourced_indicator_names_show_the_number_not_an_invented_name():
    raw = pd.read_csv(structure._HERE / "indicators.csv", dtype=str, keep_default_na=False)
    assert (raw.loc[raw["framework"] == "spbe-5-2018", "name"] == "").all()
    assert structure.indicators("spbe-5-2018")["name"].iloc[0] == "Indikator 1"


def test_pemdi_is_an_open_slot_and_functions_needing_indicators_say_so():
    for key in ("pemdi-draft", "pemdi-final"):
        assert not structure.has_structure(key)
        with pytest.raises(ConfigError, match="no indicator structure") as err:
            structure.indicators(key)
        assert err.value.file.endswith("indicators.csv")


def test_pemdi_draft_aspects_are_listed_with_their_stated_weights():
    asp = structure.aspects("pemdi-draft")
    assert len(asp) == 9
    assert asp["weight"].sum() == pytest.approx(100)
    assert asp["domain_no"].isna().all()


def test_unknown_framework_is_a_config_error_listing_the_known_keys():
    with pytest.raises(ConfigError, match="unknown framework") as err:
        structure.indicators("spbe-1-2099")
    assert "spbe-59-2020" in err.value.expected


def test_every_csv_framework_is_a_registry_key_and_weights_are_exact_hundredths():
    known = set(registry.frameworks())
    for name in ("indicators.csv", "domains.csv", "aspects.csv"):
        raw = pd.read_csv(structure._HERE / name, dtype=str, keep_default_na=False)
        assert set(raw["framework"]) <= known, name
        assert (raw["source"].str.len() > 0).all(), name
    for key in known:
        if structure.has_structure(key):
            ind = structure.indicators(key)
            assert ((ind["weight"] * 100 - ind["weight_units"]).abs() < 1e-9).all()


def test_level_range_comes_from_the_framework():
    assert structure.level_range("spbe-59-2020") == (1, 5)
    assert structure.level_range("spbe-5-2018") == (0, 5)


def test_item_codes():
    assert [structure.item_code(k, 3) for k in ("indicator", "domain", "aspect")] == \
        ["I3", "D3", "A3"]
