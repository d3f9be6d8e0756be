"""The target view: position against the bands, the plan up, and honest labels."""
from __future__ import annotations

import pandas as pd

from spbe_tools import plan, target
from spbe_tools.peers import peer_group, resolve_focal  # noqa: E402
from spbe_tools.processed import load_processed  # noqa: E402
from spbe_tools.trends import year_over_year  # noqa: E402


def test_kota_bengkulu_2023_view_uses_the_published_index_and_the_exact_plan(shipped_processed):
    results, _ = load_processed(shipped_processed)
    # the shipped data/raw has no LHE for Kota Bengkulu: position only, no invented plan
    view = target.target_view(None, results, "17.71", 2023)
    assert view.plan is None
    assert view.summary["index"] == 2.61 and view.summary["margin_above_band"] == 0.01
    assert view.headline.startswith("Kota Bengkulu 2023: indeks 2,61 (Baik), 0,01 di atas batas")
    assert "Belum ada data LHE" in view.headline


def test_view_with_synthetic_levels_is_labelled_and_matches_the_planner(shipped_processed):
    from spbe_tools.build import run_build
    from spbe_tools.paths import DEMO_DIR

    scores = run_build(DEMO_DIR).scores
    results, _ = load_processed(shipped_processed)
    view = target.target_view(scores, results, "17.71", 2023, "Sangat Baik", lang="en")
    levels, fw, synthetic = plan.levels_from_scores(scores, "17.71", 2023)
    expected = plan.plan_to_target(levels, fw, "Sangat Baik")
    assert synthetic and view.summary["lhe_synthetic"] is True
    assert view.summary["total_steps"] == expected.total_steps
    assert view.summary["recomputed_index"] == 2.61
    assert view.headline.endswith("(synthetic example)")
    assert f"at least {expected.total_steps} level raises" in view.headline


def test_year_over_year_stacks_consecutive_years_with_the_series_break():
    rows = [(2019, "17.71", "Kota Bengkulu", 2.0, "spbe-5-2018"),
            (2021, "17.71", "Kota Bengkulu", 2.3, "spbe-59-2020"),
            (2022, "17.71", "Kota Bengkulu", 2.5, "spbe-59-2020")]
    columns = ["year", "instansi_code", "instansi", "index", "framework"]
    results = pd.DataFrame(rows, columns=columns)
    results = results.assign(category="kota", province_code="17", province="Bengkulu",
                             predikat="", predikat_computed="", synthetic=False, sumber="",
                             decree="")
    focal = resolve_focal(results, "Kota Bengkulu")
    group = peer_group(results, focal, "custom", custom=["17.71"])
    yoy = year_over_year(results, group)
    assert list(zip(yoy["year_a"], yoy["year_b"], yoy["delta"], yoy["series_break"])) == [
        (2019, 2021, 0.3, True), (2021, 2022, 0.2, False)]
