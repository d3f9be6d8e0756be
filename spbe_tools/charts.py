"""Charts of the comparison tables: each function returns a Figure and never writes.

One house style (``data/spbe.mplstyle``, Okabe-Ito colours) is applied through a
style context inside each function, so importing this module changes nothing
global. Figures are built with :class:`matplotlib.figure.Figure` (no pyplot
state), which also keeps them safe in tests and servers.

Every chart carries a title, its units, and a source note made from the rows it
draws ("Sumber: KepmenPANRB No. 13/2024, hasil evaluasi SPBE 2023", the figure's
``supxlabel``), ending in "data contoh" whenever those rows are synthetic (then the
title says "(contoh)" too). Numbers in ticks and text use a decimal comma in Indonesian
(default) and a point in English.
:func:`save_figure` is the only function that writes.
"""
from __future__ import annotations

import io
from pathlib import Path

import matplotlib
import matplotlib.style
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from spbe_tools import registry
from spbe_tools.compare import Comparison, is_synthetic, source_note
from spbe_tools.output_set import write_atomic
from spbe_tools.paths import PACKAGE_DATA
from spbe_tools.peers import PeerGroup, describe_group
from spbe_tools.wording import fmt_num, label, text

__all__ = ["STYLE", "COLORS", "distribution_chart", "domain_profile", "indicator_heatmap",
           "ranking_chart", "save_figure", "trend_chart"]

STYLE = PACKAGE_DATA / "spbe.mplstyle"
# Roles -> Okabe-Ito colours (colour-blind safe); the focal instansi always stands out.
COLORS = {"peer": "#0072B2", "focal": "#D55E00", "median": "#009E73", "best": "#CC79A7",
          "national": "#000000", "band_a": "#F2F2F2", "band_b": "#FFFFFF", "missing": "#BBBBBB"}


def _new_figure(height: float | None = None) -> Figure:
    """A pyplot-free figure; constrained layout keeps the source note clear of the axes."""
    return Figure(figsize=(10, height) if height else None, layout="constrained")


def _decimal_axis(axis: matplotlib.axis.Axis, lang: str, decimals: int = 1) -> None:
    """Tick labels with the language's decimal mark."""
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: fmt_num(v, decimals, lang=lang)))


def _note(fig: Figure, rows: pd.DataFrame, lang: str) -> None:
    """Source note in the bottom-left corner (from the drawn rows; flags synthetic)."""
    # supxlabel takes part in the constrained layout, so the note never overlaps the axes.
    fig.supxlabel(source_note(rows, lang), x=0.01, ha="left", fontsize=9, color="#444444")


def _draw_bands(ax, framework_key: str, *, horizontal: bool) -> None:
    """Predikat bands behind the data: light alternating spans, labelled at the top."""
    fw = registry.framework(framework_key)
    upper = fw.index_max
    for i, band in enumerate(fw.bands):
        lower = band.lower if band.lower is not None else 0.0
        colour = COLORS["band_a"] if i % 2 == 0 else COLORS["band_b"]
        span = ax.axvspan if horizontal else ax.axhspan
        span(lower, upper, color=colour, zorder=0, lw=0, gid=f"band:{band.predikat}")
        if horizontal:
            ax.annotate(band.predikat, ((lower + upper) / 2, 1.0),
                        xycoords=ax.get_xaxis_transform(), xytext=(0, 2),
                        textcoords="offset points", ha="center", va="bottom", fontsize=9,
                        color="#666666")
        upper = lower


def _focal_tick(ax, name: str, axis: str = "y") -> None:
    """Highlight the focal instansi's tick label (bold, focal colour)."""
    labels = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    for lab in labels:
        if lab.get_text() == name:
            lab.set_fontweight("bold")
            lab.set_color(COLORS["focal"])


def _group_rows(comp: Comparison) -> pd.DataFrame:
    """The drawn rows of a comparison, for the source note: year + synthetic."""
    valued = comp.table[comp.table["has_value"]]
    return pd.DataFrame({"year": comp.year, "synthetic": valued["synthetic"].to_numpy()})


def _titled(title: str, rows: pd.DataFrame, lang: str) -> str:
    """The title, with "(contoh)" when any drawn row is synthetic: said where it is read."""
    return f"{title} ({label('synthetic', lang)})" if is_synthetic(rows) else title


def _group_words(comp: Comparison, lang: str) -> str:
    return describe_group(PeerGroup(comp.peers, comp.focal, pd.DataFrame()), lang)


def ranking_chart(comp: Comparison, *, lang: str = "id") -> Figure:
    """Horizontal bars of the peer group's index (best on top), focal highlighted.

    Draws only members with a value (missing ones are counted in the subtitle,
    never drawn as zero); predikat bands of the year's framework sit behind the
    bars; a dotted line marks the published national index (registry).
    """
    t = comp.table[comp.table["has_value"]].iloc[::-1]  # barh draws bottom-up
    with matplotlib.style.context(STYLE):
        fig = _new_figure(max(4.5, 1.2 + 0.38 * len(t)))
        ax = fig.add_subplot()
        _draw_bands(ax, comp.framework, horizontal=True)
        colours = [COLORS["focal"] if f else COLORS["peer"] for f in t["is_focal"]]
        bars = ax.barh(t["instansi"], t["index"], color=colours, zorder=2, gid="ranking")
        for bar, value, rank in zip(bars, t["index"], t["rank_label"]):
            shown = fmt_num(value, lang=lang) + (f" (#{rank})" if comp.rank_representative
                                                 else "")
            # a white backing keeps the national line from running through the label
            ax.text(bar.get_width() + 0.03, bar.get_y() + bar.get_height() / 2, shown,
                    va="center", fontsize=10, zorder=4,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0})
        if comp.national_index is not None:
            ax.axvline(comp.national_index, color=COLORS["national"], ls=":", lw=1.5, zorder=3,
                       label=f"{label('national', lang)} {fmt_num(comp.national_index, lang=lang)}",
                       gid="national")
            ax.legend(loc="lower right")
        ax.set_xlim(0, registry.framework(comp.framework).index_max)
        _decimal_axis(ax.xaxis, lang)
        ax.set_xlabel(label("index_unit", lang))
        ax.grid(axis="y", visible=False)
        _focal_tick(ax, comp.focal.name)
        ax.set_title(_titled(text("title_ranking", lang, year=comp.year,
                                  group=_group_words(comp, lang)), _group_rows(comp), lang),
                     pad=34)
        _subtitle(ax, comp, lang)
        _note(fig, _group_rows(comp), lang)
    return fig


def _subtitle(ax, comp: Comparison, lang: str) -> None:
    """Coverage under the title: 'n of N … have a value' (missing is shown, not zeroed)."""
    ax.annotate(text("coverage_statement", lang, n_ranked=comp.n_ranked, n_group=comp.n_group,
                     group=_group_words(comp, lang), year=comp.year),
                xy=(0, 1), xycoords="axes fraction", xytext=(0, 16), textcoords="offset points",
                fontsize=10, color="#444444", va="bottom")


def distribution_chart(comp: Comparison, *, lang: str = "id") -> Figure:
    """Histogram of the group's index (bins of 0.25 on the framework's scale), focal marked.

    Vertical lines: focal (solid, focal colour), group median (dashed), national
    index (dotted, registry). Bands of the year's framework behind.
    """
    fw = registry.framework(comp.framework)
    values = comp.table.loc[comp.table["has_value"], "index"].to_numpy(dtype=float)
    with matplotlib.style.context(STYLE):
        fig = _new_figure()
        ax = fig.add_subplot()
        _draw_bands(ax, comp.framework, horizontal=True)
        bins = np.arange(0.0, fw.index_max + 0.25, 0.25)
        ax.hist(values, bins=bins, color=COLORS["peer"], edgecolor="white", zorder=2,
                gid="distribution")
        # Focal drawn last so it stays visible when it coincides with the median.
        lines = [(comp.peer_median, COLORS["median"], "--", label("peer_median", lang), "median"),
                 (comp.national_index, COLORS["national"], ":", label("national", lang),
                  "national"),
                 (comp.index, COLORS["focal"], "-", comp.focal.name, "focal")]
        for x, colour, style, name, gid in lines:
            if x is not None:
                ax.axvline(x, color=colour, ls=style, lw=2, zorder=3, gid=gid,
                           label=f"{name} {fmt_num(x, lang=lang)}")
        ax.set_xlim(0.0, fw.index_max)  # one scale everywhere: the index runs 0–5
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        _decimal_axis(ax.xaxis, lang)
        ax.set_xlabel(label("index_unit", lang))
        ax.set_ylabel(label("count", lang))
        # beside the axes: inside, it covers the bars of small groups
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
        ax.set_title(_titled(text("title_distribution", lang, year=comp.year,
                                  group=_group_words(comp, lang)), _group_rows(comp), lang),
                     pad=34)
        _subtitle(ax, comp, lang)
        _note(fig, _group_rows(comp), lang)
    return fig


def trend_chart(trend: pd.DataFrame, name: str, *, lang: str = "id") -> Figure:
    """Focal index across years with the peer median and the national index.

    ``trend`` is :func:`spbe_tools.trends.trend` (``year, index, framework,
    series_break, peer_median, n_peers_valued, n_group, national_index,
    synthetic``). A framework change between two years is drawn as a dashed
    vertical line labelled with the new framework, so nobody reads across it as
    like-for-like. Years without a focal value stay gaps (never bridged) and are
    marked on the axis; the median is drawn only where ``trend`` has one (at least
    ``trends.MIN_MEDIAN_PEERS`` valued members), each point saying "n dari N", and
    the subtitle names the years left out with their counts.
    """
    with matplotlib.style.context(STYLE):
        fig = _new_figure()
        ax = fig.add_subplot()
        ax.plot(trend["year"], trend["national_index"], ls=":", marker="s",
                color=COLORS["national"], label=label("national", lang), gid="national")
        ax.plot(trend["year"], trend["peer_median"], ls="--", marker="o", color=COLORS["median"],
                label=label("peer_median", lang), gid="median")
        # NaN years break the line: a missing year is a gap, never a bridge
        ax.plot(trend["year"], trend["index"], marker="o", color=COLORS["focal"], lw=3,
                label=name, gid="focal")
        for _, row in trend[trend["index"].notna()].iterrows():
            ax.annotate(fmt_num(row["index"], lang=lang), (row["year"], row["index"]),
                        xytext=(-10, 8), textcoords="offset points", ha="right",
                        color=COLORS["focal"], fontsize=10)
        _trend_gaps(ax, trend, name, lang)
        _trend_median_counts(ax, trend, lang)
        for _, row in trend[trend["series_break"]].iterrows():
            ax.axvline(row["year"] - 0.5, color="#777777", ls="--", lw=1.2, gid="series-break")
            ax.text(row["year"] - 0.45, 0.05, f"{label('series_break', lang)}: "
                    f"{registry.framework(row['framework']).short}",
                    transform=ax.get_xaxis_transform(), fontsize=9, color="#555555")
        ax.set_xticks(trend["year"].tolist())
        ax.set_ylim(0, 5)
        _decimal_axis(ax.yaxis, lang)
        ax.grid(axis="y", visible=True)
        ax.set_ylabel(label("index_unit", lang))
        ax.set_xlabel(label("year", lang))
        ax.legend(loc="upper left")
        ax.set_title(text("title_trend", lang, name=name), pad=44)
        drawn = trend[trend["index"].notna() | trend["peer_median"].notna()]
        _note(fig, drawn, lang)
    return fig


def _trend_gaps(ax, trend: pd.DataFrame, name: str, lang: str) -> None:
    """An open marker on the axis for each year without a focal value (in the legend)."""
    missing = trend.loc[trend["index"].isna(), "year"]
    if len(missing):
        ax.plot(missing, [0.0] * len(missing), ls="none", marker="x", ms=8, mew=2,
                color=COLORS["focal"], clip_on=False, gid="focal-missing",
                label=text("trend_missing", lang, name=name))


def _trend_median_counts(ax, trend: pd.DataFrame, lang: str) -> None:
    """'n dari N' under each drawn median point; the subtitle states the rule and the years
    whose median is not drawn (too few valued members), with their counts."""
    from spbe_tools.trends import MIN_MEDIAN_PEERS

    def n_of(row) -> str:
        return text("trend_n_of", lang, n=int(row["n_peers_valued"]), total=int(row["n_group"]))

    for _, row in trend[trend["peer_median"].notna()].iterrows():
        # right of the point: the focal's values sit left of theirs
        ax.annotate(n_of(row), (row["year"], row["peer_median"]), xytext=(7, -12),
                    textcoords="offset points", ha="left", color=COLORS["median"],
                    fontsize=9, gid="median-n",
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5, "alpha": 0.8})
    hidden: dict[str, list[int]] = {}  # "1 dari 11" -> [2022, 2024, 2025]
    for _, row in trend[trend["peer_median"].isna()].iterrows():
        hidden.setdefault(n_of(row), []).append(int(row["year"]))
    lines = [text("trend_median_rule", lang, min=MIN_MEDIAN_PEERS)]
    if hidden:
        lines.append(text("trend_median_hidden", lang, years="; ".join(
            f"{_year_runs(years)} ({n})" for n, years in hidden.items())))
    ax.annotate("\n".join(lines), xy=(0, 1), xycoords="axes fraction", xytext=(0, 8),
                textcoords="offset points", fontsize=9, color="#444444", va="bottom",
                gid="median-rule")


def _year_runs(years: list[int]) -> str:
    """[2018, 2019, 2020, 2022] -> '2018–2020, 2022'."""
    runs: list[list[int]] = []
    for y in sorted(years):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs)


def domain_profile(gaps: pd.DataFrame, name: str, year: int, *, rows: pd.DataFrame,
                   lang: str = "id") -> Figure:
    """Dumbbell per domain: focal value, peer median and peer best on one line.

    ``gaps`` is :func:`spbe_tools.trends.score_gaps` (``item, item_name, value,
    peer_median, peer_best``); ``rows`` are the score rows drawn (``year,
    synthetic``) for the source note.
    """
    g = gaps.iloc[::-1]
    y = np.arange(len(g))
    with matplotlib.style.context(STYLE):
        fig = _new_figure(max(3.5, 1.5 + 0.55 * len(g)))
        ax = fig.add_subplot()
        lo = g[["value", "peer_median", "peer_best"]].min(axis=1)
        hi = g[["value", "peer_median", "peer_best"]].max(axis=1)
        ax.hlines(y, lo, hi, color="#BBBBBB", lw=4, zorder=1)
        for col, colour, marker, key in [("peer_median", COLORS["median"], "D", "peer_median"),
                                         ("peer_best", COLORS["best"], "^", "peer_best"),
                                         ("value", COLORS["focal"], "o", None)]:
            ax.scatter(g[col], y, color=colour, marker=marker, s=90, zorder=3, gid=col,
                       label=name if key is None else label(key, lang))
        for yy, v in zip(y, g["value"]):
            ax.annotate(fmt_num(v, lang=lang), (v, yy), xytext=(0, 9), textcoords="offset points",
                        ha="center", fontsize=10, color=COLORS["focal"])
        ax.set_yticks(y, [f"{i} {n}" for i, n in zip(g["item"], g["item_name"])])
        ax.set_xlim(0, 5)
        _decimal_axis(ax.xaxis, lang)
        ax.set_xlabel(label("index_unit", lang))
        ax.legend(loc="lower right")
        ax.set_title(_titled(text("title_profile", lang, name=name, year=year), rows, lang))
        _note(fig, rows, lang)
    return fig


def indicator_heatmap(matrix: pd.DataFrame, focal_name: str, year: int, group_words: str, *,
                      rows: pd.DataFrame, lang: str = "id") -> Figure:
    """Heatmap of indicator values: instansi (rows) × indicator (columns); blank = missing.

    ``matrix`` is :func:`spbe_tools.trends.score_matrix`; the focal row label is
    highlighted; values are printed in each cell (decimal comma in id).
    """
    data = np.ma.masked_invalid(matrix.to_numpy(dtype=float))
    with matplotlib.style.context(STYLE):
        fig = _new_figure(max(3.5, 1.8 + 0.45 * len(matrix)))
        ax = fig.add_subplot()
        cmap = matplotlib.colormaps["cividis"].with_extremes(bad="#FFFFFF")
        image = ax.imshow(data, cmap=cmap, vmin=0, vmax=5, aspect="auto", gid="heatmap")
        values = matrix.to_numpy(dtype=float)
        wide = matrix.shape[1] > 20  # e.g. all 47 indicators: numbers in cells would collide
        decimals = 0 if np.allclose(np.nan_to_num(values) % 1, 0) else 1  # levels are integers
        for (r, c), v in np.ndenumerate(values):
            if not np.isnan(v) and not wide:
                ax.text(c, r, fmt_num(v, decimals, lang=lang), ha="center", va="center",
                        fontsize=8, color="white" if v < 2.5 else "black")
        ax.set_xticks(range(matrix.shape[1]), matrix.columns, rotation=90 if wide else 0,
                      fontsize=8 if wide else None)
        ax.set_yticks(range(matrix.shape[0]), matrix.index)
        ax.grid(False)
        _focal_tick(ax, focal_name)
        bar = fig.colorbar(image, ax=ax, fraction=0.03)
        bar.set_label(label("value", lang))
        _decimal_axis(bar.ax.yaxis, lang)
        ax.set_title(_titled(text("title_heatmap", lang, year=year, group=group_words), rows,
                             lang))
        _note(fig, rows, lang)
    return fig


def _clipped(name: str, width: int = 40) -> str:
    """An indicator name cut to ``width`` characters so long names don't squeeze the bars."""
    return name if len(name) <= width else name[:width - 1].rstrip() + "…"


def plan_chart(plan, name: str, year: int, *, rows: pd.DataFrame, lang: str = "id") -> Figure:
    """Bars of index points each raised indicator adds in the plan to the target.

    ``plan`` is a :class:`spbe_tools.plan.Plan`; ``rows`` are the LHE score rows the
    levels came from (for the source note and the synthetic flag). One bar per raised
    indicator, labelled "I11 Arsitektur SPBE: 3 → 5", largest gain on top.
    """
    raises = plan.raises.sort_values(["gain", "indicator"], ascending=[True, False])
    with matplotlib.style.context(STYLE):
        fig = _new_figure(height=max(3.5, 0.42 * len(raises) + 1.8))
        ax = fig.add_subplot()
        labels = [f"I{r.indicator} {_clipped(r.name)}: {r.from_level} → {r.to_level}"
                  for r in raises.itertuples()]
        ax.barh(labels, raises["gain"], color=COLORS["focal"], gid="gain")
        for y, g in enumerate(raises["gain"]):
            ax.annotate("+" + fmt_num(g, 3, lang=lang), (g, y), xytext=(4, 0),
                        textcoords="offset points", va="center", fontsize=10)
        _decimal_axis(ax.xaxis, lang, decimals=2)
        ax.set_xlabel(label("plan_axis", lang))
        ax.set_xlim(0, float(raises["gain"].max()) * 1.2 if len(raises) else 1)
        ax.set_title(_titled(text("title_plan", lang, target=plan.target_predikat or
                                  fmt_num(plan.target_index, lang=lang), name=name, year=year),
                             rows, lang), pad=34)
        ax.annotate(text("plan_subtitle", lang, steps=plan.total_steps,
                         start=fmt_num(plan.start_index, lang=lang),
                         end=fmt_num(plan.end_index, lang=lang)),
                    xy=(0, 1), xycoords="axes fraction", xytext=(0, 16),
                    textcoords="offset points", fontsize=10, color="#444444", va="bottom")
        _note(fig, rows, lang)
    return fig


def save_figure(fig: Figure, stem: str | Path) -> list[Path]:
    """Write ``<stem>.png`` (200 dpi) and ``<stem>.svg``; returns both paths. Each is written
    atomically (a reader never sees half a file), and neither carries a date, so the same
    figure gives the same bytes."""
    stem = Path(stem)
    written = []
    with matplotlib.style.context(STYLE):
        for suffix, metadata in ((".png", {"Software": None}), (".svg", {"Date": None})):
            buf = io.BytesIO()
            fig.savefig(buf, format=suffix[1:], dpi=200, metadata=metadata)
            written.append(write_atomic(stem.with_suffix(suffix), buf.getvalue()))
    return written
