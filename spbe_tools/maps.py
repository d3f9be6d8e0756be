"""Choropleth maps of SPBE results: a province by kab/kota, or Indonesia by province.

Why one module of ~530 lines: one figure. The projection, the classes, the legend, the
labels placed without overlap and the lists of what could not be labelled are measured
against each other on the same canvas; the boundaries themselves are
:mod:`spbe_tools.boundaries`, the saving :func:`spbe_tools.charts.save_figure`.

A chart step like :mod:`spbe_tools.charts` (it uses the same house style and source
note); only ``cli``, ``brief`` and notebooks import it. Plain matplotlib on the shipped
boundaries (:mod:`spbe_tools.boundaries`), no GDAL.

* :func:`map_table` — the table behind a map: one row per region of the level, its
  index, predikat, colour band, whether it has a shape and a value.
* :func:`region_map` — the Figure: regions filled by predikat band (the five colours
  of ``data/maps.yaml``) or by index (0–5), the focal region outlined, name and value
  (decimal comma) on the largest part of each region, regions without a value hatched
  and listed, labels that would overlap dropped and listed with their values instead,
  the source note of the other charts (with "contoh" in the title for synthetic rows).
* :func:`save_map` — PNG (200 dpi) + SVG, each written atomically, byte-stable.

A published predikat without an index colours a region in band mode but is never
written or coloured as a number.
"""
from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import matplotlib
import matplotlib.style
import numpy as np
import pandas as pd
import yaml
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter
from matplotlib.transforms import Bbox

from spbe_tools import registry
from spbe_tools.boundaries import (
    Shape,
    bounds,
    inside,
    label_point,
    largest_part,
    load_boundaries,
    ring_area,
)
from spbe_tools.categories import categories_of
from spbe_tools.charts import STYLE, save_figure
from spbe_tools.compare import source_note
from spbe_tools.errors import ConfigError
from spbe_tools.paths import PACKAGE_DATA
from spbe_tools.peers import PEMDA, Focal, reference_units, resolve_focal
from spbe_tools.wording import fmt_num, label

__all__ = ["FILL_BY", "LEVELS", "band_colours", "map_table", "region_map", "save_map"]

LEVELS = ("kabkota", "province")
FILL_BY = ("band", "index")
INDEX_RANGE = (0.0, 5.0)  # the index scale of every chart


@cache
def settings() -> dict:
    """Colours and words of the maps (``data/maps.yaml``)."""
    with open(PACKAGE_DATA / "maps.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def band_colours() -> dict[str, str]:
    """Predikat -> fill colour (five colour-blind-safe colours, top band first)."""
    return dict(settings()["band_colours"])


def _t(key: str, lang: str, **values: object) -> str:
    return settings()["labels"][key][lang].format(**values)


# --------------------------------------------------------------------------- the table

def _members(units: pd.DataFrame, focal: Focal, level: str) -> pd.DataFrame:
    if level == "province":
        return units[units["category"] == "provinsi"]
    return units[units["category"].isin(categories_of("kabupaten/kota"))
                 & (units["province_code"] == focal.province_code)]


def _outlined(focal: Focal, level: str) -> str:
    """Code whose outline is drawn thick: the focal, or its province on the national map."""
    return focal.province_code if level == "province" else focal.code


def _band_of(row: pd.Series, framework: str) -> str:
    """Published predikat (canonical), else the band of the index, else ''."""
    published = registry.canonical_predikat(row.get("predikat"))
    if published:
        return published
    return registry.band_for(row["index"], framework) if pd.notna(row["index"]) else ""


def map_table(results: pd.DataFrame, region: str, year: int, *, level: str = "kabkota",
              regions: pd.DataFrame | None = None,
              shapes: Mapping[str, Shape] | None = None) -> pd.DataFrame:
    """One row per region of the map: ``kode, instansi, category, index (NaN = none),
    predikat (published, else computed; '' without either), has_index, has_predikat,
    has_shape, is_focal (thick outline), synthetic, sumber``, sorted by ``kode``.

    ``level`` kabkota = the kab/kota of the focal's province; province = the 38
    provinces. ``shapes`` defaults to the shipped boundaries of the level.
    """
    _check_level(level)
    focal = resolve_focal(results, region, regions)
    if focal.category not in PEMDA:
        raise ConfigError(f"a map needs a pemda; {focal.name} is a {focal.category}",
                          expected="a province, kabupaten or kota", found=focal.category)
    framework = _framework(year)
    shapes = load_boundaries(level) if shapes is None else shapes
    members = _members(reference_units(results, regions), focal, level)
    rows = results[results["year"] == int(year)]
    keep = [c for c in ("instansi_code", "index", "predikat", "synthetic", "sumber") if c in rows]
    if members.empty:
        raise ConfigError(f"no autonomous kabupaten/kota to map in {focal.province}",
                          expected="--level province", found=f"--level {level}")
    t = members.merge(rows[keep], on="instansi_code", how="left")
    t["index"] = pd.to_numeric(t["index"], errors="coerce").astype(float)
    t["predikat"] = t.apply(_band_of, axis=1, framework=framework) if len(t) else ""
    t["has_index"] = t["index"].notna()
    t["has_predikat"] = t["predikat"] != ""
    t["has_shape"] = t["instansi_code"].isin(list(shapes))
    t["is_focal"] = t["instansi_code"] == _outlined(focal, level)
    t["synthetic"] = t["synthetic"].fillna(False).astype(bool) if "synthetic" in t else False
    t["sumber"] = t["sumber"].fillna("").astype(str) if "sumber" in t else ""
    t = t.rename(columns={"instansi_code": "kode"}).sort_values("kode")
    cols = ["kode", "instansi", "category", "index", "predikat", "has_index", "has_predikat",
            "has_shape", "is_focal", "synthetic", "sumber"]
    return t[cols].reset_index(drop=True)


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise ConfigError("unknown map level", expected=" | ".join(LEVELS), found=str(level))


def _framework(year: int) -> str:
    return registry.evaluation(int(year)).framework


# --------------------------------------------------------------------------- geometry

def _path(shape: Shape) -> MplPath:
    """One compound path for all parts; holes run against their outer ring (non-zero rule)."""
    verts, codes = [], []
    for part in shape.parts:
        for i, ring in enumerate(part):
            signed = np.dot(ring[:, 0], np.roll(ring[:, 1], -1)) \
                - np.dot(ring[:, 1], np.roll(ring[:, 0], -1))
            if (signed < 0) == (i == 0):  # outer counter-clockwise, holes clockwise
                ring = ring[::-1]
            verts.append(ring)
            codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(ring) - 2) + [MplPath.CLOSEPOLY]
    return MplPath(np.concatenate(verts), codes)


def _without_type_word(name: str) -> str:
    """Map label: 'Kabupaten Bengkulu Utara' -> 'Bengkulu Utara'; 'Kota X' stays."""
    for prefix in ("Kabupaten ", "Provinsi "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def _list_name(name: str) -> str:
    return name.replace("Kabupaten ", "Kab. ").replace("Provinsi ", "")


# --------------------------------------------------------------------------- drawing

def _fill(row: pd.Series, by: str, norm: Normalize, cmap) -> tuple[str | tuple, bool]:
    """(face colour, hatched) of one region: hatched when it has nothing to colour by."""
    miss = settings()["missing"]["face"]
    if by == "index":
        return (cmap(norm(row["index"])), False) if row["has_index"] else (miss, True)
    return (band_colours()[row["predikat"]], False) if row["has_predikat"] else (miss, True)


def _draw_regions(ax, table: pd.DataFrame, shapes: Mapping[str, Shape], by: str) -> None:
    """One PathPatch per region (gid ``region:<kode>``), hatched without a value."""
    style = settings()
    cmap = matplotlib.colormaps[style["index_colormap"]]
    norm = Normalize(*INDEX_RANGE)
    for _, row in table[table["has_shape"]].iterrows():
        face, hatched = _fill(row, by, norm, cmap)
        ax.add_patch(PathPatch(
            _path(shapes[row["kode"]]), facecolor=face, zorder=2, gid=f"region:{row['kode']}",
            edgecolor=style["missing"]["edge"] if hatched else style["outline"]["region_edge"],
            hatch=style["missing"]["hatch"] if hatched else None,
            hatchcolor=style["missing"]["hatch_colour"] if hatched else None,
            lw=style["outline"]["region_width"]))
    for _, row in table[table["is_focal"] & table["has_shape"]].iterrows():
        ax.add_patch(PathPatch(_path(shapes[row["kode"]]), fill=False, zorder=4,
                               edgecolor=style["outline"]["focal"], gid=f"outline:{row['kode']}",
                               lw=style["outline"]["width"]))


def _draw_context(ax, table: pd.DataFrame, level: str, shapes: Mapping[str, Shape]) -> None:
    """Grey neighbours (kab/kota map: the other provinces; Jakarta's unscored units)."""
    style = settings()
    if level == "kabkota":
        x0, y0, x1, y1 = _extent(table, shapes)
        for code, shape in load_boundaries("province").items():
            bx0, by0, bx1, by1 = bounds([shape])
            if bx1 < x0 - 1 or bx0 > x1 + 1 or by1 < y0 - 1 or by0 > y1 + 1:
                continue  # off the map: not drawn, keeps the SVG small
            ax.add_patch(PathPatch(_path(shape), facecolor=style["context"]["face"],
                                   edgecolor=style["context"]["edge"], lw=0.5, zorder=1,
                                   gid=f"context:{code}"))
        province = table["kode"].str.split(".").str[0]
        scored = set(table["kode"])
        for code, shape in shapes.items():
            if code.split(".")[0] in set(province) and code not in scored:
                ax.add_patch(PathPatch(_path(shape), facecolor=style["not_scored"]["face"],
                                       edgecolor=style["not_scored"]["edge"], lw=0.5,
                                       zorder=2, gid=f"not-scored:{code}"))


# Parts smaller than this (square degrees, about 250 km²) do not widen the map frame,
# so a province's far-off small islands do not shrink its mainland; they may be cut off.
FRAME_MIN_PART = 0.02


def _extent(table: pd.DataFrame, shapes: Mapping[str, Shape]) -> tuple[float, ...]:
    """Bounds of every region's largest part and of its parts above ``FRAME_MIN_PART``."""
    kept = []
    for shape in (shapes[k] for k in table.loc[table["has_shape"], "kode"]):
        big = largest_part(shape)
        kept.append(Shape(shape.code, shape.name, tuple(
            p for p in shape.parts if p is big or ring_area(p[0]) >= FRAME_MIN_PART)))
    return bounds(kept) if kept else (95.0, -11.0, 141.0, 6.0)


def _outline_province(ax, focal: Focal, level: str) -> str | None:
    """On the kab/kota map of a province that is itself the focal, outline the province;
    returns its name for the legend (None when the focal is a kab/kota)."""
    if level != "kabkota" or focal.category != "provinsi":
        return None
    style = settings()["outline"]
    shape = load_boundaries("province")[focal.code]
    ax.add_patch(PathPatch(_path(shape), fill=False, zorder=4, edgecolor=style["focal"],
                           lw=style["width"], gid=f"outline:{focal.code}"))
    return focal.name


def _frame(ax, table: pd.DataFrame, shapes: Mapping[str, Shape]) -> None:
    """Limits around the regions (4 % margin), true proportions at their latitude."""
    x0, y0, x1, y1 = _extent(table, shapes)
    mx, my = 0.04 * (x1 - x0) + 0.05, 0.04 * (y1 - y0) + 0.05
    ax.set_xlim(x0 - mx, x1 + mx)
    ax.set_ylim(y0 - my, y1 + my)
    ax.set_aspect(1 / math.cos(math.radians((y0 + y1) / 2)))
    ax.set_axis_off()


def _candidates(row: pd.Series, level: str, lang: str) -> list[str]:
    """Label texts to try, longest first: name + value, then the value alone.

    On the national map only the focal province carries its name (38 names would not
    fit). A region without an index gets no label (it is hatched and listed), except
    the focal region, which is always named.
    """
    value = fmt_num(row["index"], lang=lang) if row["has_index"] else ""
    name = "\n".join(textwrap.wrap(_without_type_word(row["instansi"]), 16))
    if not value:
        return [name] if row["is_focal"] else []
    if level == "province" and not row["is_focal"]:
        return [value]
    return [f"{name}\n{value}", value]


# Label positions tried, in points from the label point: on the region, then around it
# with a leader line (first ring, then a wider one).
_OFFSETS = [(0, 0)] + [(dx * k, dy * k) for k in (1, 2) for dx, dy in
                       ((0, 22), (0, -22), (-42, 0), (42, 0), (-42, 22), (42, 22), (-42, -22),
                        (42, -22))]


def _place(ax, xy, text: str, offset, row: pd.Series, size: float):
    """One label (an annotation; with a leader line when moved off its region)."""
    moved = offset != (0, 0)
    return ax.annotate(
        text, xy, xytext=offset, textcoords="offset points", ha="center", va="center",
        fontsize=size, zorder=6, linespacing=1.0, gid=f"label:{row['kode']}",
        fontweight="bold" if row["is_focal"] else "normal",
        path_effects=[patheffects.withStroke(linewidth=2.5, foreground="white")],
        # an invisible box: the leader line stops at the text's edge instead of crossing it
        bbox={"boxstyle": "square,pad=0.15", "fc": "none", "ec": "none"} if moved else None,
        arrowprops={"arrowstyle": "-", "color": "#333333", "lw": 0.7,
                    "shrinkA": 0, "shrinkB": 0} if moved else None)


def _fits(box, frame, placed) -> bool:
    inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 \
        and box.y1 <= frame.y1
    return inside and not any(box.overlaps(other) for other in placed)


def _draw_labels(fig: Figure, ax, table: pd.DataFrame, shapes: Mapping[str, Shape],
                 level: str, lang: str) -> list[str]:
    """Name and value on the largest part of each region (focal first, then larger regions
    first). A label that does not fit inside its region's extent, overlaps a placed label,
    covers another region's label point or leaves the map is moved aside with a leader
    line, then shortened to the value, else dropped. Returns "name value" of every value
    not written."""
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    drawn = table[table["has_shape"]].copy()
    drawn["area"] = [_area(shapes[k]) for k in drawn["kode"]]
    drawn = drawn.sort_values(["is_focal", "area", "kode"], ascending=[False, False, True])
    anchors = {k: label_point(largest_part(shapes[k])) for k in drawn["kode"]}
    screen = {k: ax.transData.transform(xy) for k, xy in anchors.items()}
    # the focal outline stays clear of moved labels (its own included)
    focal_boxes = [Bbox.from_extents(*ax.transData.transform(largest_part(shapes[k])[0]).min(0),
                                     *ax.transData.transform(largest_part(shapes[k])[0]).max(0))
                   for k in drawn.loc[drawn["is_focal"], "kode"]]
    placed, unwritten = [], []
    size = 8.5 if level == "kabkota" else 8
    for _, row in drawn.iterrows():
        part = largest_part(shapes[row["kode"]])
        others = list(screen.values())  # a moved label must not hide any label point
        if _try_label(ax, anchors[row["kode"]], row, (level, lang, size), part, frame,
                      placed, (others, focal_boxes), renderer):
            continue
        if row["has_index"]:
            unwritten.append(f"{_list_name(row['instansi'])} {fmt_num(row['index'], lang=lang)}")
    return unwritten


def _within(ax, box, part) -> bool:
    """True when the label box lies inside the region (so its outline stays visible)."""
    corners = ax.transData.inverted().transform(
        [(box.x0, box.y0), (box.x1, box.y0), (box.x0, box.y1), (box.x1, box.y1)])
    return bool(inside(corners, part).all())


def _try_label(ax, xy, row, how, part, frame, placed, avoid, renderer) -> bool:
    """Try every text × position; keep the first that fits (True), else draw nothing."""
    level, lang, size = how
    extent = np.ptp(ax.transData.transform(part[0]), axis=0)
    others, focal_boxes = avoid
    for text in _candidates(row, level, lang):
        for offset in _OFFSETS:
            art = _place(ax, xy, text, offset, row, size)
            art.update_positions(renderer)
            box = Text.get_window_extent(art, renderer).expanded(1.06, 1.12)  # text, not leader
            too_big = offset == (0, 0) and (box.width > 1.3 * extent[0]
                                            or box.height > 1.3 * extent[1]
                                            or (row["is_focal"] and not _within(ax, box, part)))
            covers = offset != (0, 0) and (any(box.contains(x, y) for x, y in others)
                                           or any(box.overlaps(f) for f in focal_boxes))
            if not too_big and not covers and _fits(box, frame, placed):
                placed.append(box)
                return True
            art.remove()
    return False


def _area(shape: Shape) -> float:
    return ring_area(largest_part(shape)[0])


def _band_range(framework: str, lang: str) -> dict[str, str]:
    """Predikat -> '2,60–3,49' from the registry bands (published two decimals)."""
    out, upper = {}, registry.framework(framework).index_max
    for band in registry.framework(framework).bands:
        lower = band.lower if band.lower is not None else registry.framework(framework).index_min
        top = upper if upper == registry.framework(framework).index_max else upper - 0.01
        out[band.predikat] = f"{fmt_num(lower, lang=lang)}–{fmt_num(top, lang=lang)}"
        upper = lower
    return out


def _legend(fig: Figure, side, table: pd.DataFrame, by: str, framework: str, year: int,
            lang: str, outlined: str | None = None):
    """Band patches with their ranges and counts (or the 0–5 colour bar), and the hatch."""
    style = settings()
    miss = style["missing"]
    coloured = table["has_predikat"] if by == "band" else table["has_index"]
    handles = []
    if by == "band":
        ranges = _band_range(framework, lang)
        counts = table.loc[table["has_predikat"], "predikat"].value_counts()
        handles = [Patch(facecolor=c, edgecolor="#555555",
                         label=f"{p} ({ranges[p]}): {int(counts.get(p, 0))}")
                   for p, c in band_colours().items() if p in ranges]
    else:
        cax = side.inset_axes([0.04, 0.9, 0.9, 0.05])
        bar = fig.colorbar(ScalarMappable(Normalize(*INDEX_RANGE),
                                          matplotlib.colormaps[style["index_colormap"]]),
                           cax=cax, orientation="horizontal")
        bar.ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: fmt_num(v, 0, lang=lang)))
        bar.set_label(label("index", lang), fontsize=9)
        bar.ax.tick_params(labelsize=9)
    handles.append(Patch(facecolor=miss["face"], edgecolor=miss["edge"], hatch=miss["hatch"],
                         hatchcolor=miss["hatch_colour"],
                         label=f"{_t('no_data', lang)}: {int((~coloured).sum())}"))
    for name in [*table.loc[table["is_focal"], "instansi"], *([outlined] if outlined else [])]:
        handles.append(Patch(fill=False, edgecolor=style["outline"]["focal"],
                             lw=style["outline"]["width"], label=_t("focal", lang, name=name)))
    return side.legend(handles=handles, loc="upper left",
                       bbox_to_anchor=(0, 1 if by == "band" else 0.8), fontsize=9,
                       title=_t("legend_title_band", lang) + f" {year}" if by == "band" else None,
                       title_fontsize=10, alignment="left", borderaxespad=0)


def _lists(table: pd.DataFrame, by: str, year: int, lang: str,
           unwritten: list[str]) -> str:
    """The side lists: regions without data, without a shape, values not written."""
    coloured = table["has_predikat"] if by == "band" else table["has_index"]
    blocks = []
    nodata = table.loc[~coloured, "instansi"].map(_list_name).tolist()
    if nodata:
        blocks.append((_t("no_data_list", lang, year=year), ", ".join(nodata)))
    only = table[table["has_predikat"] & ~table["has_index"]]
    if len(only):
        blocks.append((_t("predikat_only", lang).capitalize(),
                       ", ".join(f"{_list_name(n)} ({p})"
                                 for n, p in zip(only["instansi"], only["predikat"]))))
    noshape = table[~table["has_shape"]]
    if len(noshape):
        blocks.append((_t("no_shape_list", lang), "; ".join(
            f"{_list_name(n)} {fmt_num(v, lang=lang)}" if pd.notna(v) else _list_name(n)
            for n, v in zip(noshape["instansi"], noshape["index"]))))
    if unwritten:
        blocks.append((_t("unwritten_list", lang), "; ".join(unwritten)))
    return "\n".join(f"{head}:\n" + textwrap.fill(body, 40) for head, body in blocks)


def _title(table: pd.DataFrame, level: str, by: str, year: int,
           province: str, lang: str) -> tuple[str, str]:
    """(title, subtitle): 'contoh' in the title when any drawn row is synthetic."""
    title = _t(f"title_{by}_{level}", lang, year=year, province=province)
    if bool(table.loc[table["has_index"] | table["has_predikat"], "synthetic"].any()):
        title += f" ({_t('contoh', lang)})"
    coloured = table["has_predikat"] if by == "band" else table["has_index"]
    subtitle = _t("coverage", lang, n=int(coloured.sum()), total=len(table),
                  units=_t(f"units_{level}", lang), year=year)
    return title, subtitle


def _source_rows(table: pd.DataFrame, year: int) -> pd.DataFrame:
    """The drawn rows for the source note (year + synthetic), as the other charts use."""
    drawn = table[table["has_index"] | table["has_predikat"]]
    return pd.DataFrame({"year": [int(year)] * len(drawn),
                         "synthetic": drawn["synthetic"].to_numpy(dtype=bool)})


def _figure(table: pd.DataFrame, shapes: Mapping[str, Shape]) -> tuple[Figure, object, object]:
    """A figure sized to the map's proportions, with the map axes and a side panel."""
    x0, y0, x1, y1 = _extent(table, shapes)
    ratio = (x1 - x0) * math.cos(math.radians((y0 + y1) / 2)) / max(y1 - y0, 1e-6)
    map_h = 5.2 if ratio < 1.6 else 4.0
    map_w = min(max(map_h * ratio, 3.8), 10.0)
    side_w = 3.3
    fig = Figure(figsize=(map_w + side_w + 0.3, map_w / ratio + 1.6 if ratio >= 1.6 else 6.8),
                 layout="constrained")
    FigureCanvasAgg(fig)  # a renderer to measure labels; no pyplot state
    grid = fig.add_gridspec(1, 2, width_ratios=[map_w, side_w])
    return fig, fig.add_subplot(grid[0]), fig.add_subplot(grid[1])


def region_map(results: pd.DataFrame, region: str, year: int, *, level: str = "kabkota",
               by: str = "band", lang: str = "id", regions: pd.DataFrame | None = None,
               shapes: Mapping[str, Shape] | None = None) -> Figure:
    """Choropleth of one year: ``level`` kabkota (the focal's province by kab/kota) or
    province (Indonesia by province); ``by`` band (predikat colours) or index (0–5).

    ``results`` is the tidy results table (``year, instansi_code, index, predikat,
    synthetic, sumber``); ``region`` a name or code resolved like everywhere else.
    Each region is a patch with gid ``region:<kode>``; the focal outline has gid
    ``outline:<kode>``. Returns the Figure, never writes (see :func:`save_map`).
    """
    if by not in FILL_BY:
        raise ConfigError("unknown map fill", expected=" | ".join(FILL_BY), found=str(by))
    _check_level(level)
    shapes = load_boundaries(level) if shapes is None else shapes
    table = map_table(results, region, year, level=level, regions=regions, shapes=shapes)
    focal = resolve_focal(results, region, regions)
    framework = _framework(year)
    with matplotlib.style.context(STYLE):
        fig, ax, side = _figure(table, shapes)
        _draw_context(ax, table, level, shapes)
        _draw_regions(ax, table, shapes, by)
        outlined = _outline_province(ax, focal, level)
        _frame(ax, table, shapes)
        side.set_axis_off()
        title, subtitle = _title(table, level, by, int(year), focal.province, lang)
        fig.suptitle(title, x=0.01, ha="left", fontsize=15, fontweight="bold")
        ax.set_title(subtitle, loc="left", fontsize=10, color="#444444", fontweight="normal")
        fig.supxlabel(source_note(_source_rows(table, year), lang) + "\n"
                      + _t("boundary_credit", lang), x=0.01, ha="left", fontsize=9,
                      color="#444444")
        legend = _legend(fig, side, table, by, framework, int(year), lang, outlined)
        fig.draw_without_rendering()
        fig.set_layout_engine("none")  # freeze the layout: labels are measured in place
        unwritten = _draw_labels(fig, ax, table, shapes, level, lang)
        box = side.transAxes.inverted().transform_bbox(
            legend.get_window_extent(fig.canvas.get_renderer()))
        side.text(0, box.y0 - 0.04, _lists(table, by, int(year), lang, unwritten),
                  transform=side.transAxes, va="top", ha="left", fontsize=9, gid="lists",
                  linespacing=1.3)
    return fig


def save_map(fig: Figure, stem: str | Path) -> list[Path]:
    """Write ``<stem>.png`` (200 dpi) and ``<stem>.svg`` as every chart is written
    (:func:`spbe_tools.charts.save_figure`: atomic, same figure same bytes)."""
    return save_figure(fig, stem)
