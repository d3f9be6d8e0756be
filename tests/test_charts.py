"""spbe_tools.charts: the data drawn (bar widths, lines, highlighted label, notes), not pixels."""
from __future__ import annotations

import matplotlib
import numpy as np
import pytest
from PIL import Image

matplotlib.use("Agg")

from spbe_tools import (  # noqa: E402
    charts,
    compare,  # noqa: E402
    registry,
    trends,  # noqa: E402
)
from spbe_tools.peers import peer_group, resolve_focal  # noqa: E402

from _frames import regions_frame, results_frame, scores_frame  # noqa: E402


def _comp(peers="province", region="Kota Bengkulu", synthetic=False):
    return compare.compare_region(results_frame(synthetic=synthetic), region, 2023, peers,
                           regions=regions_frame())


def _group(region="Kota Bengkulu", peers="province"):
    r, g = results_frame(), regions_frame()
    return peer_group(r, resolve_focal(r, region, g), peers, regions=g)


def _note(fig) -> str:
    return fig._supxlabel.get_text()


def test_ranking_bars_have_the_index_of_each_valued_peer():
    comp = _comp("island")
    ax = charts.ranking_chart(comp).axes[0]
    bars = ax.containers[0]
    drawn = {lab.get_text(): bar.get_width() for lab, bar in zip(ax.get_yticklabels(), bars)}
    valued = comp.table[comp.table["has_value"]]
    assert drawn == dict(zip(valued["instansi"], valued["index"]))
    assert len(bars) == comp.n_ranked < comp.n_group  # peers without a value are not zero bars


def test_ranking_highlights_only_the_focal_bar_and_label():
    ax = charts.ranking_chart(_comp()).axes[0]
    focal = matplotlib.colors.to_rgba(charts.COLORS["focal"])
    coloured = [lab.get_text() for lab, bar in zip(ax.get_yticklabels(), ax.containers[0])
                if bar.get_facecolor() == focal]
    bold = [lab.get_text() for lab in ax.get_yticklabels() if lab.get_fontweight() == "bold"]
    assert coloured == bold == ["Kota Bengkulu"]


def test_ranking_draws_predikat_bands_and_the_national_line_from_the_registry():
    comp = _comp()
    ax = charts.ranking_chart(comp).axes[0]
    baik = next(p for p in ax.patches if p.get_gid() == "band:Baik")
    x0, x1 = baik.get_x(), baik.get_x() + baik.get_width()
    bands = {b.predikat: b.lower for b in registry.framework(comp.framework).bands}
    assert (x0, x1) == pytest.approx((bands["Baik"], bands["Sangat Baik"]))
    national = next(line for line in ax.lines if line.get_gid() == "national")
    assert national.get_xdata()[0] == registry.evaluation(2023).national_index


def test_charts_carry_title_units_and_a_source_note_from_the_data():
    fig = charts.ranking_chart(_comp())
    ax = fig.axes[0]
    title = ax.get_title("left")  # the house style puts titles on the left
    assert "2023" in title and "Provinsi Bengkulu" in title
    assert ax.get_xlabel() == "Indeks SPBE (skala 0–5)"
    assert _note(fig) == "Sumber: KepmenPANRB No. 13/2024, hasil evaluasi SPBE 2023"


def test_synthetic_inputs_are_flagged_on_every_chart():
    comp = _comp(synthetic=True)
    for fig in (charts.ranking_chart(comp), charts.distribution_chart(comp)):
        assert "data contoh" in _note(fig)
    assert "synthetic" not in _note(charts.ranking_chart(_comp()))


def test_ticks_use_a_decimal_comma_in_indonesian_and_a_point_in_english():
    comp = _comp()
    id_ax = charts.ranking_chart(comp).axes[0]
    en_ax = charts.ranking_chart(comp, lang="en").axes[0]
    assert id_ax.xaxis.get_major_formatter()(2.5, 0) == "2,5"
    assert en_ax.xaxis.get_major_formatter()(2.5, 0) == "2.5"
    assert "2,61 (#5)" in [t.get_text() for t in id_ax.texts]
    assert en_ax.get_xlabel() == "SPBE index (scale 0–5)"


def test_distribution_counts_every_valued_peer_and_marks_the_focal():
    comp = _comp("island")
    ax = charts.distribution_chart(comp).axes[0]
    heights = [p.get_height() for p in ax.patches if p.get_gid() != "band" and
               not str(p.get_gid()).startswith("band:")]
    assert sum(heights) == comp.n_ranked
    lines = {line.get_gid(): line.get_xdata()[0] for line in ax.lines}
    assert lines["focal"] == comp.index and lines["median"] == comp.peer_median


def test_trend_draws_the_focal_series_and_the_series_break():
    group = _group("Kota Banda Aceh", "category")
    trend = trends.trend(results_frame(), group)
    ax = charts.trend_chart(trend, "Kota Banda Aceh").axes[0]
    focal = next(line for line in ax.lines if line.get_gid() == "focal")
    np.testing.assert_array_equal(focal.get_ydata(), trend["index"].to_numpy())
    breaks = [line.get_xdata()[0] for line in ax.lines if line.get_gid() == "series-break"]
    assert breaks == [2020.5]


def test_trend_says_how_many_peers_of_how_many_each_median_covers():
    trend = trends.trend(results_frame(), _group())
    ax = charts.trend_chart(trend, "Kota Bengkulu").axes[0]
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "median-n"]
    valued = trend[trend["peer_median"].notna()]
    assert labels == [f"{n} dari {g}" for n, g in zip(valued["n_peers_valued"], valued["n_group"])]
    assert "11 dari 11" in labels


def test_trend_draws_no_median_point_where_fewer_than_three_peers_have_a_value():
    results = results_frame()
    thin = results[~((results["year"] == 2023) & (results["province_code"] == "17")
                     & ~results["instansi_code"].isin(["17.71", "17.02"]))]  # 2 of 11 left
    trend = trends.trend(thin, _group())
    row = trend[trend["year"] == 2023].iloc[0]
    assert row["n_peers_valued"] == 2 < trends.MIN_MEDIAN_PEERS and np.isnan(row["peer_median"])
    ax = charts.trend_chart(trend, "Kota Bengkulu").axes[0]
    median = next(line for line in ax.lines if line.get_gid() == "median")
    drawn = {int(x) for x, y in zip(median.get_xdata(), median.get_ydata()) if not np.isnan(y)}
    assert drawn == set(trend.loc[trend["n_peers_valued"] >= trends.MIN_MEDIAN_PEERS, "year"])
    assert 2023 not in drawn
    rule = next(t.get_text() for t in ax.texts if t.get_gid() == "median-rule")
    assert f"sedikitnya {trends.MIN_MEDIAN_PEERS} anggota bernilai" in rule
    assert "2023 (2 dari 11)" in rule  # the chart says which year is left out, with its count


def test_trend_leaves_the_focal_missing_years_as_gaps_and_marks_them():
    trend = trends.trend(results_frame(), _group("Kota Banda Aceh", "category"))
    ax = charts.trend_chart(trend, "Kota Banda Aceh").axes[0]
    focal = next(line for line in ax.lines if line.get_gid() == "focal")
    missing = trend.loc[trend["index"].isna(), "year"].tolist()
    assert missing  # the fixture has gaps
    ys = dict(zip(focal.get_xdata(), focal.get_ydata()))
    assert all(np.isnan(ys[y]) for y in missing)  # NaN breaks the line: no bridge
    marks = next(line for line in ax.lines if line.get_gid() == "focal-missing")
    assert list(marks.get_xdata()) == missing


def test_domain_profile_places_focal_median_and_best_per_domain():
    s = scores_frame()
    gaps = trends.score_gaps(s, _group(), 2023)
    ax = charts.domain_profile(gaps, "Kota Bengkulu", 2023, rows=s).axes[0]
    points = {c.get_gid(): c.get_offsets()[:, 0][::-1] for c in ax.collections if c.get_gid()}
    np.testing.assert_array_equal(points["value"], gaps["value"].to_numpy())
    np.testing.assert_array_equal(points["peer_best"], gaps["peer_best"].to_numpy())


def test_heatmap_shows_the_score_matrix_with_the_focal_row_highlighted():
    s = scores_frame()
    matrix = trends.score_matrix(s, _group(), 2023)
    fig = charts.indicator_heatmap(matrix, "Kota Bengkulu", 2023, "x", rows=s)
    ax = fig.axes[0]
    np.testing.assert_array_equal(ax.images[0].get_array(), matrix.to_numpy())
    bold = [t.get_text() for t in ax.get_yticklabels() if t.get_fontweight() == "bold"]
    assert bold == ["Kota Bengkulu"] == [matrix.index[0]]


def test_save_writes_png_at_200_dpi_and_svg(tmp_path):
    paths = charts.save_figure(charts.ranking_chart(_comp()), tmp_path / "sub" / "rank")
    assert [p.name for p in paths] == ["rank.png", "rank.svg"]
    assert Image.open(paths[0]).info["dpi"] == pytest.approx((200, 200), abs=0.1)
    assert "Sumber: KepmenPANRB No. 13/2024" in paths[1].read_text(encoding="utf-8")


def test_chart_functions_leave_global_rcparams_alone():
    before = dict(matplotlib.rcParams)
    charts.distribution_chart(_comp())
    assert dict(matplotlib.rcParams) == before


def test_plan_chart_draws_one_bar_per_raise_with_its_gain_and_the_synthetic_note():
    from spbe_tools import plan
    from spbe_tools.build import run_build
    from spbe_tools.paths import DEMO_DIR

    scores = run_build(DEMO_DIR).scores
    levels, fw, _ = plan.levels_from_scores(scores, "17.71", 2023)
    p = plan.plan_to_target(levels, fw, "Sangat Baik")
    fig = charts.plan_chart(p, "Kota Bengkulu", 2023, rows=scores, lang="id")
    ax = fig.axes[0]
    bars = [b for b in ax.patches if b.get_gid() == "gain"]
    widths = sorted(round(b.get_width(), 6) for b in bars)
    assert widths == sorted(round(g, 6) for g in p.raises["gain"])
    assert len(bars) == len(p.raises)
    assert "data contoh" in fig._supxlabel.get_text()
    titles = {ax.get_title(loc=loc) for loc in ("left", "center")}
    assert "Jalan menuju Sangat Baik: Kota Bengkulu 2023 (contoh)" in titles
