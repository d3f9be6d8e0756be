"""The briefing pack: charts, ``ringkasan.xlsx``, ``briefing.pptx`` and ``briefing.docx`` for
one instansi. This module decides what the pack holds (slides with their computed
takeaways, the sources); the files are drawn by :mod:`spbe_tools.charts`,
:mod:`spbe_tools.brief_xlsx`, :mod:`spbe_tools.brief_pptx` and :mod:`spbe_tools.brief_docx`.

Every number in the pack comes from :mod:`spbe_tools.compare` (and so from the
tidy tables and the registry); the one-line takeaways are computed, never typed.
The pack is written atomically: everything is built in a hidden folder beside
the destination and moved into place only when complete, so a failed run never
leaves half a pack, and only a folder the brief wrote itself is ever replaced.
"""
from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from spbe_tools import charts, registry, trends
from spbe_tools.brief_docx import write_docx
from spbe_tools.brief_pptx import DeckText, write_deck
from spbe_tools.brief_xlsx import write_workbook
from spbe_tools.compare import Comparison, compare_region, headline, is_synthetic, source_note
from spbe_tools.errors import ConfigError
from spbe_tools.pack_folder import staging, swap_into_place
from spbe_tools.paths import DEFAULT_REPORTS, report_dir
from spbe_tools.peers import PEMDA, PeerGroup, describe_group, peer_group, resolve_focal
from spbe_tools.target import target_view
from spbe_tools.wording import fmt_num, label, text

__all__ = ["Slide", "build_slides", "default_out_dir", "trend_until", "write_pack",
           "write_pptx", "write_xlsx"]

@dataclass
class Slide:
    """One chart of the pack: file stem, figure, title and computed takeaway."""

    stem: str
    figure: Figure
    title: str
    takeaway: str
    synthetic: bool = False  # drawn from synthetic rows: the title says "(contoh)"


def default_out_dir(name: str, year: int, reports_dir: str | Path = DEFAULT_REPORTS,
                    peers: str | None = None) -> Path:
    """``reports/<slug>-<year>[-<peers>]`` (see :func:`spbe_tools.paths.report_dir`)."""
    return report_dir(name, year, peers, reports_dir)


# --------------------------------------------------------------------------- slides

#: "Not computed yet" for an optional argument whose None means "there is none".
_UNSET = object()


def trend_until(results: pd.DataFrame, group: PeerGroup, year: int) -> pd.DataFrame:
    """:func:`spbe_tools.trends.trend` up to the briefed year: a 2024 brief shows nothing
    of 2025."""
    trend = trends.trend(results, group)
    return trend[trend["year"] <= int(year)].reset_index(drop=True)


def _trend_takeaway(trend: pd.DataFrame, name: str, lang: str) -> str:
    """First vs last year with a value; warns when a framework change lies between them."""
    valued = trend[trend["index"].notna()]
    if valued.empty:
        return text("takeaway_trend_none", lang, name=name, year=int(trend["year"].max()))
    if len(valued) < 2:
        return text("takeaway_trend_one", lang, name=name, year=int(valued["year"].iloc[0]))
    a, b = valued.iloc[0], valued.iloc[-1]
    crossed = trend[(trend["year"] > a["year"]) & (trend["year"] <= b["year"])]["series_break"]
    return text("takeaway_trend", lang, name=name, index_a=fmt_num(a["index"], lang=lang),
                year_a=int(a["year"]), index_b=fmt_num(b["index"], lang=lang),
                year_b=int(b["year"]),
                delta=fmt_num(b["index"] - a["index"], lang=lang, signed=True),
                break_note=text("break_note", lang) if crossed.any() else "")


def _distribution_takeaway(comp: Comparison, lang: str) -> str:
    if comp.index is None:  # say so plainly: never "Kota X – dari median"
        return text("takeaway_distribution_no_value", lang,
                    median=fmt_num(comp.peer_median, lang=lang),
                    best=fmt_num(comp.peer_best, lang=lang),
                    best_name=", ".join(comp.peer_best_names), name=comp.focal.name,
                    year=comp.year)
    return text("takeaway_distribution", lang, median=fmt_num(comp.peer_median, lang=lang),
                best=fmt_num(comp.peer_best, lang=lang),
                best_name=", ".join(comp.peer_best_names), name=comp.focal.name,
                gap=fmt_num(comp.gap_median, lang=lang, signed=True))


def _synthetic_suffix(rows: pd.DataFrame, lang: str) -> str:
    """' (contoh)' when any drawn score row is synthetic, else ''."""
    return f" ({label('synthetic', lang)})" if is_synthetic(rows) else ""


def _score_slides(scores: pd.DataFrame, comp: Comparison, group: PeerGroup,
                  lang: str) -> list[Slide]:
    """Domain profile and indicator heatmap, only when the focal has LHE scores that year."""
    out = []
    gaps = trends.score_gaps(scores, group, comp.year, "domain")
    rows = scores[(scores["year"] == comp.year)
                  & scores["instansi_code"].isin(group.members["instansi_code"])]
    if not gaps.empty:
        worst = gaps.loc[gaps["gap_median"].idxmin()]
        out.append(Slide("04-domains", charts.domain_profile(
            gaps, comp.focal.name, comp.year, rows=rows[rows["level"] == "domain"], lang=lang),
            text("title_profile", lang, name=comp.focal.name, year=comp.year)
            + _synthetic_suffix(rows, lang),
            text("takeaway_profile", lang, item=f"{worst['item']} {worst['item_name']}",
                 gap=fmt_num(worst["gap_median"], lang=lang, signed=True)),
            is_synthetic(rows)))
    matrix = trends.score_matrix(scores, group, comp.year, "indicator")
    if comp.focal.name in matrix.index:
        words = describe_group(group, lang)
        out.append(Slide("05-indicators", charts.indicator_heatmap(
            matrix, comp.focal.name, comp.year, words,
            rows=rows[rows["level"] == "indicator"], lang=lang),
            text("title_heatmap", lang, year=comp.year, group=words)
            + _synthetic_suffix(rows, lang),
            text("takeaway_heatmap", lang, n_items=matrix.shape[1], n_instansi=matrix.shape[0],
                 year=comp.year), is_synthetic(rows)))
    return out


def _map_slides(results: pd.DataFrame, comp: Comparison, lang: str,
                regions: pd.DataFrame | None) -> list[Slide]:
    """The focal's province by kab/kota on a map (pemda only: agencies have no territory)."""
    if comp.focal.category not in PEMDA:
        return []
    from spbe_tools import maps  # late: boundaries load only when a map is drawn

    table = maps.map_table(results, comp.focal.code, comp.year, regions=regions)
    fig = maps.region_map(results, comp.focal.code, comp.year, lang=lang, regions=regions)
    return [Slide("07-map", fig,
                  text("title_map", lang, year=comp.year, province=comp.focal.province),
                  text("takeaway_map", lang, n_valued=int(table["has_index"].sum()),
                       n=len(table), province=comp.focal.province, year=comp.year),
                  is_synthetic(table[table["has_index"]]))]


def build_slides(results: pd.DataFrame, scores: pd.DataFrame | None, comp: Comparison,
                 group: PeerGroup, lang: str = "id",
                 regions: pd.DataFrame | None = None, *, trend: pd.DataFrame | None = None,
                 focal_target=_UNSET) -> list[Slide]:
    """The pack's charts with titles and takeaways (ranking, distribution, map, trend,
    scores, plan). ``trend`` (:func:`trend_until`) and ``focal_target`` (:func:`_focal_target`) when
    the caller has them already."""
    words = describe_group(group, lang)
    trend = trend if trend is not None else trend_until(results, group, comp.year)
    slides = [
        Slide("01-ranking", charts.ranking_chart(comp, lang=lang),
              text("title_ranking", lang, year=comp.year, group=words), headline(comp, lang)),
        Slide("02-distribution", charts.distribution_chart(comp, lang=lang),
              text("title_distribution", lang, year=comp.year, group=words),
              _distribution_takeaway(comp, lang)),
        *_map_slides(results, comp, lang, regions),
        Slide("03-trend", charts.trend_chart(trend, comp.focal.name, lang=lang),
              text("title_trend", lang, name=comp.focal.name),
              _trend_takeaway(trend, comp.focal.name, lang)),
    ]
    if scores is not None and not scores.empty:
        slides += _score_slides(scores, comp, group, lang)
        slides += _plan_slides(results, scores, comp, lang, focal_target)
    return slides


def _focal_target(results: pd.DataFrame, scores: pd.DataFrame | None, comp: Comparison,
                lang: str):
    """(target view, its LHE indicator rows) for the plan to the next predikat, or None
    when the focal has no indicator levels that year or is already in the top band."""
    if scores is None or scores.empty or comp.index is None:
        return None
    nxt = registry.next_band(comp.index, comp.framework)
    if nxt is None:
        return None
    view = target_view(scores, results, comp.focal.code, comp.year, nxt.predikat,
                       name=comp.focal.name, lang=lang)
    if view.plan is None or view.plan.raises.empty:
        return None
    rows = scores[(scores["year"] == comp.year) & (scores["instansi_code"] == comp.focal.code)
                  & (scores["level"] == "indicator")]
    return view, rows


def _plan_slides(results: pd.DataFrame, scores: pd.DataFrame, comp: Comparison,
                 lang: str, found=_UNSET) -> list[Slide]:
    """The plan to the next predikat, when the focal has LHE indicator levels that year."""
    found = _focal_target(results, scores, comp, lang) if found is _UNSET else found
    if found is None:
        return []
    view, rows = found
    fig = charts.plan_chart(view.plan, comp.focal.name, comp.year, rows=rows, lang=lang)
    title = text("title_plan", lang, target=view.plan.target_predikat, name=comp.focal.name,
                 year=comp.year) + _synthetic_suffix(rows, lang)
    return [Slide("06-target", fig, title, view.headline, is_synthetic(rows))]


# --------------------------------------------------------------------------- xlsx

def write_xlsx(path: Path, results: pd.DataFrame, scores: pd.DataFrame | None,
               comp: Comparison, group: PeerGroup, lang: str = "id", *,
               trend: pd.DataFrame | None = None, focal_target=_UNSET) -> Path:
    """``ringkasan.xlsx`` (:func:`spbe_tools.brief_xlsx.write_workbook`); ``trend``
    (:func:`trend_until`) and ``focal_target`` (:func:`_focal_target`) when the caller has
    them."""
    return write_workbook(
        path, results, scores, comp, group, lang,
        trend=trend if trend is not None else trend_until(results, group, comp.year),
        focal_target=(_focal_target(results, scores, comp, lang) if focal_target is _UNSET
                      else focal_target),
        sources=_source_lines(comp, lang, _score_sources(scores, comp, group, lang)))


def _score_sources(scores: pd.DataFrame | None, comp: Comparison, group: PeerGroup,
                   lang: str) -> list[str]:
    """One line per LHE score file used for the group and year, flagged when synthetic."""
    if scores is None or scores.empty:
        return []
    rows = scores[(scores["year"] == comp.year)
                  & scores["instansi_code"].isin(group.members["instansi_code"])]
    lines = []
    for source, part in rows.groupby("source_file", sort=True):
        flag = f" ({label('synthetic', lang)})" if is_synthetic(part) else ""
        lines.append(f"LHE: {source}{flag}")
    return lines


def _source_lines(comp: Comparison, lang: str, extra: list[str] = ()) -> list[str]:
    """Source note, the decree and per-row sources, the registry's sources, score files."""
    from spbe_tools import registry

    ev = registry.evaluation(comp.year)
    lines = [source_note(pd.DataFrame({"year": [comp.year],
                                           "synthetic": [comp.synthetic]}), lang)]
    lines += comp.sources
    lines += [s for s in ev.sources if s not in lines]
    lines.append(f"{label('field_framework', lang)}: {registry.framework(comp.framework).name}")
    return lines + list(extra)


# --------------------------------------------------------------------------- pptx

def write_pptx(path: Path, slides: list[Slide], images: dict[str, Path],
               comp: Comparison, lang: str = "id", extra_sources: list[str] = (), *,
               template: Path | None = None) -> Path:
    """``briefing.pptx`` (16:9, or the template's size): title slide with the headline
    (and the demo warning when any drawn data are synthetic), one slide per chart with
    its takeaway, sources. See :mod:`spbe_tools.brief_pptx`."""
    synthetic = comp.synthetic or any(s.synthetic for s in slides)
    words = DeckText(
        title=text("slide_title", lang, name=comp.focal.name, year=comp.year)
        + (f" ({label('synthetic', lang)})" if synthetic else ""),
        headline=headline(comp, lang),
        warning=label("demo_warning", lang) if synthetic else "",
        footer=text("slide_title", lang, name=comp.focal.name, year=comp.year),
        sources_title=label("slide_sources", lang),
        sources=_source_lines(comp, lang, extra_sources))
    return write_deck(path, words, [(s.title, s.takeaway, images[s.stem]) for s in slides],
                      template=template)


# --------------------------------------------------------------------------- the pack

def office_templates(paths: list[Path]) -> dict[str, Path]:
    """{".pptx": path, ".docx": path} from ``--template`` files; ConfigError for a missing
    file, another kind of file, or two templates of one kind."""
    found: dict[str, Path] = {}
    for path in map(Path, paths):
        suffix = path.suffix.lower()
        if suffix not in {".pptx", ".docx"}:
            raise ConfigError("a template must be a .pptx or a .docx file", file=str(path),
                              expected=".pptx or .docx", found=suffix or "no extension")
        if not path.is_file():
            raise ConfigError("template file not found", file=str(path))
        if suffix in found:
            raise ConfigError(f"two {suffix} templates given", file=str(path),
                              expected=f"one {suffix}", found=f"{found[suffix]} and {path}")
        found[suffix] = path
    return found


def _no_value_error(results: pd.DataFrame, comp: Comparison) -> ConfigError:
    rows = results[(results["instansi_code"] == comp.focal.code) & results["index"].notna()]
    years = ", ".join(str(y) for y in sorted(rows["year"].unique())) or "none"
    return ConfigError(f"{comp.focal.name} ({comp.focal.code}) has no SPBE index for "
                       f"{comp.year} in the processed results; brief another year, or pass "
                       "--allow-missing to brief on its peer group anyway",
                       expected=f"a year with a value ({years})", found=str(comp.year))


def write_pack(results: pd.DataFrame, scores: pd.DataFrame | None, *, region: str, year: int,
               peers: str = "province", out_dir: str | Path | None = None, lang: str = "id",
               custom: list[str] | None = None, regions: pd.DataFrame | None = None,
               reports_dir: str | Path = DEFAULT_REPORTS,
               extra: Callable[[Path], list[Path]] | None = None,
               allow_missing: bool = False,
               templates: list[Path] = ()) -> dict[str, Path]:
    """Write the briefing pack for ``region`` in ``year``; returns {file name: final path}.

    ``out_dir`` defaults to ``reports_dir/<slug>-<year>[-<peers>]`` (slug of the
    canonical name; the peer group is named unless it is the default). Charts are
    PNG (200 dpi) + SVG; then ``ringkasan.xlsx``, ``briefing.pptx`` and the Word
    nota ``briefing.docx``; then whatever ``extra(staging_folder)`` writes (the executed
    notebooks). Built in a hidden folder beside ``out_dir`` and moved into place at
    the end; an existing ``out_dir`` is replaced only if the brief wrote it
    (:mod:`spbe_tools.pack_folder`), else ConfigError (exit 2) before any work.
    A focal without a value in ``year`` is a ConfigError naming the years it has,
    unless ``allow_missing`` (then every text says plainly that it has no value).
    ``templates``: an office's ``.pptx`` (masters and layouts for the deck) and/or
    ``.docx`` (styles for the Word brief).
    """
    office = office_templates(templates)
    # the peer group, the trend and the plan are made once and used by every part
    focal = resolve_focal(results, region, regions)
    group = peer_group(results, focal, peers, custom=custom, regions=regions)
    comp = compare_region(results, region, year, peers, group=group)
    if comp.index is None and not allow_missing:
        raise _no_value_error(results, comp)
    out = (Path(out_dir) if out_dir
           else default_out_dir(comp.focal.name, year, reports_dir, peers))
    with staging(out) as tmp, ThreadPoolExecutor(1) as background:
        # the notebooks run in their kernel's process while this one draws the pack
        notebooks = background.submit(extra, tmp) if extra is not None else None
        written = _write_pack_files(tmp, results, scores, comp, group, lang, regions, office)
        if notebooks is not None:
            written += notebooks.result()
        swap_into_place(tmp, out)
    return {p.name: out / p.name for p in written}


def _write_pack_files(tmp: Path, results: pd.DataFrame, scores: pd.DataFrame | None,
                      comp: Comparison, group: PeerGroup, lang: str,
                      regions: pd.DataFrame | None, office: dict) -> list[Path]:
    """The charts (PNG + SVG), ringkasan.xlsx, briefing.pptx and briefing.docx in ``tmp``."""
    trend = trend_until(results, group, comp.year)
    found = _focal_target(results, scores, comp, lang)
    slides = build_slides(results, scores, comp, group, lang, regions, trend=trend,
                          focal_target=found)
    written, images = [], {}
    for s in slides:
        png, svg = charts.save_figure(s.figure, tmp / s.stem)
        images[s.stem] = png
        written += [png, svg]
    written.append(write_xlsx(tmp / "ringkasan.xlsx", results, scores, comp, group, lang,
                              trend=trend, focal_target=found))
    score_sources = _score_sources(scores, comp, group, lang)
    written.append(write_pptx(tmp / "briefing.pptx", slides, images, comp, lang,
                              score_sources, template=office.get(".pptx")))
    written.append(write_docx(
        tmp / "briefing.docx", comp, trend=trend,
        images=images, target_view=found[0] if found else None,
        sources=_source_lines(comp, lang, score_sources), lang=lang,
        template=office.get(".docx")))
    return written
