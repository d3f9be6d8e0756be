"""The target planner (spbe_tools/plan.py) and ``spbe plan``."""
from __future__ import annotations

import itertools
import json
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spbe_tools import cli
from spbe_tools.errors import ConfigError
from spbe_tools.plan import (
    drop_risk,
    fewest_drops,
    headroom,
    levels_from_scores,
    min_effort_steps,
    normalise_levels,
    plan_to_target,
    resolve_target,
)
from spbe_tools.registry import structure

FW = "spbe-59-2020"
UNITS = dict(zip(structure.indicators(FW)["number"], structure.indicators(FW)["weight_units"]))

# Synthetic example levels (as shipped): invented, sum(level x weight) = 261.00 -> 2.61.
SYNTHETIC_2_61 = dict(zip(range(1, 48), [3, 3, 2, 2, 3, 2, 2, 3, 2, 3, 3, 3, 3, 2, 3, 3, 3, 3,
                                         3, 2, 2, 2, 2, 1, 2, 1, 1, 1, 1, 1, 1, 3, 3, 4, 3, 4,
                                         3, 3, 4, 2, 3, 3, 3, 3, 2, 3, 2]))


def _brute(weights, rooms, efforts, need):
    """Least (effort, steps) over every combination of steps; None if unreachable."""
    best = None
    for steps in itertools.product(*(range(r + 1) for r in rooms)):
        if sum(w * k for w, k in zip(weights, steps)) >= need:
            key = (sum(e * k for e, k in zip(efforts, steps)), sum(steps))
            best = key if best is None or key < best else best
    return best


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 400), st.integers(0, 4), st.integers(0, 6)),
                min_size=1, max_size=5),
       st.integers(-50, 2500))
def test_optimiser_matches_brute_force_on_small_instances(items, need):
    weights, rooms, efforts = map(list, zip(*items))
    got = min_effort_steps(weights, rooms, efforts, need)
    expected = _brute(weights, rooms, efforts, need)
    if expected is None:
        assert got is None
    else:
        assert got is not None
        assert all(0 <= k <= r for k, r in zip(got, rooms))
        assert sum(w * k for w, k in zip(weights, got)) >= need
        assert (sum(e * k for e, k in zip(efforts, got)), sum(got)) == expected


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=47, max_size=47),
       st.sets(st.integers(1, 47), min_size=3, max_size=4),
       st.lists(st.integers(1, 5), min_size=4, max_size=4),
       st.sampled_from(["Baik", "Sangat Baik", "Memuaskan", 3.0, 3.3]))
def test_planner_with_four_movable_indicators_matches_brute_force(levels, movable, efforts, target):
    lv = dict(zip(range(1, 48), levels))
    movable = sorted(movable)
    effort = dict(zip(movable, efforts))
    fixed = [n for n in range(1, 48) if n not in movable]
    plan = plan_to_target(lv, FW, target, effort=effort, fixed=fixed)
    goal, _ = resolve_target(target, FW)
    start = sum(UNITS[n] * lv[n] for n in lv)
    need = math.ceil(goal * 10000) - start
    expected = _brute([UNITS[n] for n in movable], [5 - lv[n] for n in movable],
                      [effort[n] for n in movable], need)
    assert plan.feasible == (expected is not None)
    if expected is not None:
        assert (plan.total_effort, plan.total_steps) == expected
        assert plan.end_index >= plan.target_index
        assert plan.margin == pytest.approx(plan.end_index - plan.target_index)
    assert set(plan.raises["indicator"]) <= set(movable)


def test_all_level_3_needs_18_steps_to_sangat_baik_because_levels_cap_at_5():
    # 0.50 is needed: 6 indicators of 3.00 give at most 12 steps (0.36), the rest comes
    # from 2.75s; an uncapped greedy count would say ceil(0.50 / 0.03) = 17.
    plan = plan_to_target({n: 3 for n in range(1, 48)}, FW, "Sangat Baik")
    assert plan.total_steps == 18
    assert plan.end_index >= 3.5 and plan.target_predikat == "Sangat Baik"
    assert (plan.raises["to_level"] <= 5).all()


def test_indicators_at_level_5_and_fixed_ones_are_never_raised():
    lv = {n: (5 if n > 40 else 2) for n in range(1, 48)}
    plan = plan_to_target(lv, FW, "Baik", fixed=["I32", 33, "Layanan Keuangan"])
    raised = set(plan.raises["indicator"])
    assert not raised & ({32, 33, 34} | set(range(41, 48)))
    assert plan.feasible and plan.end_index >= 2.6


def test_max_level_caps_every_raise():
    plan = plan_to_target({n: 3 for n in range(1, 48)}, FW, 3.6, max_level=4)
    assert plan.feasible and plan.raises["to_level"].max() == 4


def test_effort_steers_the_plan_away_from_expensive_indicators():
    lv = {n: 3 for n in range(1, 48)}
    # +0.06 in two steps is only possible with two 3.00-weight steps
    cheap = plan_to_target(lv, FW, 3.06)
    assert cheap.total_steps == 2 and set(cheap.raises["indicator"]) <= set(range(42, 48))
    costly = plan_to_target(lv, FW, 3.06, effort={n: 10 for n in range(42, 48)})
    assert not set(costly.raises["indicator"]) & set(range(42, 48))
    assert costly.total_effort == costly.total_steps == 3


def test_target_already_reached_gives_an_empty_plan():
    plan = plan_to_target(SYNTHETIC_2_61, FW, "Baik")
    assert plan.feasible and plan.raises.empty and plan.margin == pytest.approx(0.01)
    assert plan.reason.startswith("already")


def test_unreachable_target_reports_the_best_reachable_index():
    fixed = list(range(1, 45))
    plan = plan_to_target(SYNTHETIC_2_61, FW, "Memuaskan", fixed=fixed)
    assert not plan.feasible and "not reachable" in plan.reason
    # only 45, 46, 47 (levels 2, 3, 2; weight 3.00) may move: 8 steps of 0.03
    assert plan.end_index == pytest.approx(2.61 + 8 * 0.03)


def test_exact_target_is_met_without_float_error():
    # 2.61 + 0.89: the plan ends exactly on 3.50 for the synthetic levels (margin 0)
    plan = plan_to_target(SYNTHETIC_2_61, FW, "Sangat Baik")
    assert plan.end_index == 3.5 and plan.margin == 0.0
    assert sum(UNITS[n] * SYNTHETIC_2_61[n] for n in SYNTHETIC_2_61) == 26100


def test_target_names_resolve_to_registry_band_bounds():
    assert float(resolve_target("sangat  baik", FW)[0]) == 3.5
    assert float(resolve_target("Memuaskan", FW)[0]) == 4.2
    assert float(resolve_target("3,6", FW)[0]) == 3.6
    with pytest.raises(ConfigError):
        resolve_target("Luar Biasa", FW)
    with pytest.raises(ConfigError):
        resolve_target(7.0, FW)


def test_levels_must_be_complete_whole_and_in_range():
    full = {n: 3 for n in range(1, 48)}
    with pytest.raises(ConfigError, match="missing"):
        normalise_levels({n: 3 for n in range(1, 47)}, FW)
    with pytest.raises(ConfigError, match="whole level"):
        normalise_levels({**full, 5: 6}, FW)
    with pytest.raises(ConfigError, match="whole level"):
        normalise_levels({**full, 5: 2.5}, FW)
    with pytest.raises(ConfigError, match="twice"):
        normalise_levels({**full, "I5": 3}, FW)
    with pytest.raises(ConfigError, match="unknown indicator"):
        normalise_levels({**full, 48: 3}, FW)


def test_plan_needs_a_framework_with_structure():
    with pytest.raises(ConfigError, match="open slot"):
        plan_to_target({1: 3}, "pemdi-final", "Baik")


def test_headroom_of_kota_bengkulu_2023_is_one_hundredth_above_baik():
    assert headroom(2.61, FW) == ("Baik", 2.6, 0.01)
    assert headroom(3.50, FW) == ("Sangat Baik", 3.5, 0.0)
    assert headroom(1.5, FW) == ("Kurang", None, None)


def test_one_level_drop_anywhere_loses_baik_at_2_61():
    risk = drop_risk(SYNTHETIC_2_61, FW)
    assert risk["drops_predikat"].all()                 # every weight (>= 1.30) > 0.01 margin
    assert len(risk) == sum(1 for v in SYNTHETIC_2_61.values() if v > 1)
    assert risk["loss_per_level"].iloc[0] == pytest.approx(0.03)
    assert fewest_drops(SYNTHETIC_2_61, FW) == 1


def test_fewest_drops_takes_the_heaviest_steps_first():
    # 3.00 sits 0.40 above Baik: 12 steps of 0.03 lose 0.36, two 0.0275 steps pass 0.40
    lv = {n: 3 for n in range(1, 48)}
    assert fewest_drops(lv, FW) == 14
    assert not drop_risk(lv, FW)["drops_predikat"].any()


def test_levels_from_scores_picks_one_instansi_year():
    rows = [{"year": 2023, "instansi_code": "17.71", "level": "indicator", "item": f"I{n}",
             "value": float(v), "framework": FW, "synthetic": True}
            for n, v in SYNTHETIC_2_61.items()]
    rows.append({"year": 2023, "instansi_code": "17.71", "level": "index", "item": "index",
                 "value": 2.61, "framework": FW, "synthetic": True})
    levels, fw, synthetic = levels_from_scores(pd.DataFrame(rows), "17.71", 2023)
    assert fw == FW and synthetic and levels["I40"] == 2 and len(levels) == 47
    with pytest.raises(ConfigError, match="no indicator levels"):
        levels_from_scores(pd.DataFrame(rows), "17.71", 2022)


def _write_scores(folder):
    rows = [{"year": 2023, "instansi_code": "17.71", "instansi": "Kota Bengkulu",
             "level": "indicator", "item": f"I{n}", "item_name": "", "value": float(v),
             "framework": FW, "synthetic": True, "source_file": "lhe/synthetic_x.xlsx",
             "source_sheet": "LHE", "source_cell": f"D{n}"} for n, v in SYNTHETIC_2_61.items()]
    pd.DataFrame(rows).to_csv(folder / "scores.csv", index=False)


def test_cli_plan_json_reaches_sangat_baik_and_says_synthetic(tmp_path, capsys):
    _write_scores(tmp_path)
    rc = cli.main(["plan", "--region", "Kota Bengkulu", "--year", "2023",
                   "--target", "Sangat Baik", "--processed", str(tmp_path), "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert rc == 0 and out["feasible"] and out["end_index"] >= 3.5
    assert out["label"] == "contoh" and out["headroom"] == 0.01
    assert sum(r["steps"] for r in out["raises"]) == out["total_steps"]


def test_cli_plan_honours_fixed_and_effort_file(tmp_path, capsys):
    _write_scores(tmp_path)
    effort = tmp_path / "effort.csv"
    effort.write_text("indicator,effort\nI42,9\nI43,9\n", encoding="utf-8")
    rc = cli.main(["plan", "--region", "Kota Bengkulu", "--year", "2023", "--processed",
                   str(tmp_path), "--fixed", "44,45", "--effort", str(effort), "--format", "csv"])
    table = pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out))
    assert rc == 0 and not set(table["indicator"]) & {44, 45}
    assert table["synthetic"].all()


def test_cli_plan_without_scores_is_a_readable_error(tmp_path, capsys):
    rc = cli.main(["plan", "--region", "Kota Bengkulu", "--year", "2023",
                   "--processed", str(tmp_path)])
    assert rc == 2 and "scores.csv" in capsys.readouterr().err


def test_cli_plan_with_a_damaged_scores_csv_names_file_row_and_column(tmp_path, capsys):
    _write_scores(tmp_path)
    text = (tmp_path / "scores.csv").read_text(encoding="utf-8").splitlines()
    text[3] = text[3].replace(",2023,", ",2O23,", 1) if ",2023," in text[3] else \
        text[3].replace("2023,", "2O23,", 1)
    (tmp_path / "scores.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    rc = cli.main(["plan", "--region", "Kota Bengkulu", "--year", "2023",
                   "--processed", str(tmp_path)])
    err = capsys.readouterr().err
    assert rc == 2 and 'scores.csv, row 4, column "year"' in err and "'2O23'" in err


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 400), st.integers(0, 4)), min_size=1, max_size=5),
       st.integers(-50, 2500))
def test_fewest_indicators_optimiser_matches_brute_force(items, need):
    from spbe_tools.plan import min_indicator_steps

    weights, rooms = map(list, zip(*items))
    got = min_indicator_steps(weights, rooms, need)
    best = None
    for steps in itertools.product(*(range(r + 1) for r in rooms)):
        if sum(w * k for w, k in zip(weights, steps)) >= need:
            key = (sum(k > 0 for k in steps), sum(steps))
            best = key if best is None or key < best else best
    if best is None:
        assert got is None
    else:
        assert sum(w * k for w, k in zip(weights, got)) >= need
        assert all(0 <= k <= r for k, r in zip(got, rooms))
        assert (sum(k > 0 for k in got), sum(got)) == best


def test_the_two_objectives_trade_steps_for_indicators():
    steps = plan_to_target(SYNTHETIC_2_61, FW, "Sangat Baik")
    fewest = plan_to_target(SYNTHETIC_2_61, FW, "Sangat Baik", objective="indicators")
    assert steps.feasible and fewest.feasible and fewest.end_index >= 3.5
    assert fewest.indicators_raised < steps.indicators_raised
    assert fewest.total_steps > steps.total_steps
    assert "fewest distinct indicators" in fewest.reason
    with pytest.raises(ConfigError, match="unknown planning objective"):
        plan_to_target(SYNTHETIC_2_61, FW, "Sangat Baik", objective="cheapest")


def test_cli_help_says_what_the_planner_minimises(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    listing = " ".join(capsys.readouterr().out.split())
    assert "fewest one-level steps (or fewest indicators) to reach a predikat" in listing
    assert "fewest indicator raises" not in listing


def test_cli_plan_table_output_reads_as_the_plan(tmp_path, capsys):
    _write_scores(tmp_path)
    argv = ["plan", "--region", "Kota Bengkulu", "--year", "2023", "--processed", str(tmp_path)]
    assert cli.main(argv + ["--format", "json"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert cli.main(argv + ["--objective", "indicators", "--format", "json"]) == 0
    fewest = json.loads(capsys.readouterr().out)
    assert cli.main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:4] == [
        "Kota Bengkulu 2023: indeks 2,6100 (Baik)  [contoh]",
        "  0,0100 di atas batas Baik (2,60); 1 penurunan satu level sudah cukup untuk turun "
        "predikat",
        "Target Sangat Baik (≥ 3,50): optimal: fewest one-level steps reaching the target",
        f"  {plan['total_steps']} langkah pada {plan['indicators_raised']} indikator, indeks "
        "akhir 3,5000, margin +0,0000"]
    assert lines[4].split() == ["indicator", "name", "from_level", "to_level", "steps",
                                "weight", "gain", "effort"]
    rows = [line.split() for line in lines[5:]]
    assert [int(r[0]) for r in rows] == [r["indicator"] for r in plan["raises"]]
    assert sum(int(r[-4]) for r in rows) == plan["total_steps"]
    assert fewest["indicators_raised"] < plan["indicators_raised"]
