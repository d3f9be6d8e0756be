"""Region shapes for the maps: the shipped Kemendagri-coded boundaries and plain geometry.

The files ``data/boundaries/prov.geojson.gz`` (38 provinces) and ``kab.geojson.gz``
(514 kab/kota) are written by ``tools/make_boundaries.py`` from cahyadsn/wilayah_boundaries
(MIT, see ``data/NOTICE.md``). Coordinates are ``[longitude, latitude]`` in degrees,
simplified: fit for a briefing choropleth, not for measuring areas or borders.

No GDAL, no shapely: a shape is a tuple of parts, a part a tuple of rings (numpy arrays
of shape ``(n, 2)``, first ring outer, the others holes).

>>> square = np.array([[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]], dtype=float)
>>> ring_area(square)
4.0
>>> label_point((square,))
(1.0, 1.0)
"""
from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from spbe_tools.paths import PACKAGE_DATA

__all__ = ["BOUNDARY_DIR", "LEVEL_FILES", "Shape", "bounds", "inside", "label_point",
           "largest_part", "load_boundaries", "ring_area"]

BOUNDARY_DIR = PACKAGE_DATA / "boundaries"
LEVEL_FILES = {"province": "prov.geojson.gz", "kabkota": "kab.geojson.gz"}

Ring = np.ndarray
Part = tuple[Ring, ...]


@dataclass(frozen=True)
class Shape:
    """One region's outline: Kemendagri ``code`` (``17``, ``17.71``), ``name``, ``parts``."""

    code: str
    name: str
    parts: tuple[Part, ...]


def _read(path: Path) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return json.load(fh)


@cache
def load_boundaries(level: str, folder: Path = BOUNDARY_DIR) -> dict[str, Shape]:
    """Shapes of one level (``province`` or ``kabkota``) by Kemendagri code."""
    if level not in LEVEL_FILES:
        raise ValueError(f"level must be one of {sorted(LEVEL_FILES)}, got {level!r}")
    out = {}
    for feature in _read(Path(folder) / LEVEL_FILES[level])["features"]:
        props = feature["properties"]
        parts = tuple(tuple(np.asarray(ring, dtype=float) for ring in polygon)
                      for polygon in feature["geometry"]["coordinates"])
        out[str(props["kode"])] = Shape(str(props["kode"]), str(props["nama"]), parts)
    return out


def ring_area(ring: Ring) -> float:
    """Unsigned shoelace area of a closed ring (first point repeated last), square degrees."""
    x, y = ring[:, 0], ring[:, 1]
    return float(abs(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1])) / 2)


def largest_part(shape: Shape) -> Part:
    """The part with the largest outer ring (a region's first part may be a small island)."""
    return max(shape.parts, key=lambda part: ring_area(part[0]))


def bounds(shapes) -> tuple[float, float, float, float]:
    """``(xmin, ymin, xmax, ymax)`` over every ring of the given shapes."""
    rings = [ring for s in shapes for part in s.parts for ring in part]
    xy = np.concatenate(rings)
    return (float(xy[:, 0].min()), float(xy[:, 1].min()), float(xy[:, 0].max()),
            float(xy[:, 1].max()))


def inside(points: np.ndarray, part: Part) -> np.ndarray:
    """Which points lie in the part: even-odd rule over all its rings (holes excluded)."""
    points = np.asarray(points, dtype=float)
    result = np.zeros(len(points), dtype=bool)
    px, py = points[:, 0][:, None], points[:, 1][:, None]
    for ring in part:
        x1, y1 = ring[:-1, 0][None, :], ring[:-1, 1][None, :]
        x2, y2 = ring[1:, 0][None, :], ring[1:, 1][None, :]
        crosses = (y1 > py) != (y2 > py)
        with np.errstate(divide="ignore", invalid="ignore"):
            x_at = x1 + (py - y1) * (x2 - x1) / (y2 - y1)
        result ^= (crosses & (px < x_at)).sum(axis=1) % 2 == 1
    return result


def _edge_distance(points: np.ndarray, part: Part) -> np.ndarray:
    """Distance of each point to the nearest edge of the part."""
    a = np.concatenate([ring[:-1] for ring in part])
    b = np.concatenate([ring[1:] for ring in part])
    d = b - a
    length2 = np.maximum((d ** 2).sum(axis=1), 1e-18)
    rel = points[:, None, :] - a[None, :, :]
    t = np.clip((rel * d[None, :, :]).sum(axis=2) / length2, 0.0, 1.0)
    nearest = a[None, :, :] + t[..., None] * d[None, :, :]
    return np.sqrt(((points[:, None, :] - nearest) ** 2).sum(axis=2)).min(axis=1)


def label_point(part: Part, steps: int = 25) -> tuple[float, float]:
    """A point well inside the part (approximate pole of inaccessibility), rounded to
    0.0001 degree: a grid over the bounding box, then a finer grid around the best point.

    Unlike the centroid it cannot fall outside a crescent-shaped region or into a bay.
    """
    outer = part[0]
    (x0, y0), (x1, y1) = outer.min(axis=0), outer.max(axis=0)
    best, best_d = (float((x0 + x1) / 2), float((y0 + y1) / 2)), -1.0
    span_x, span_y = (x1 - x0), (y1 - y0)
    cx, cy = best
    for _round in range(2):
        gx = np.linspace(cx - span_x / 2, cx + span_x / 2, steps)
        gy = np.linspace(cy - span_y / 2, cy + span_y / 2, steps)
        grid = np.array([(x, y) for y in gy for x in gx])
        inside_ = inside(grid, part)
        if inside_.any():
            dist = _edge_distance(grid[inside_], part)
            k = int(np.argmax(dist))
            if dist[k] > best_d:
                best, best_d = (float(grid[inside_][k][0]), float(grid[inside_][k][1])), dist[k]
        cx, cy = best
        span_x, span_y = 2 * span_x / steps, 2 * span_y / steps
    return round(best[0], 4), round(best[1], 4)
