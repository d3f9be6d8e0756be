"""Write the shipped boundary files from the shared Kemendagri-coded GeoJSON (development-time).

    python tools/make_boundaries.py [tools/boundaries_source] [spbe_tools/data/boundaries]

Input: ``prov.geojson`` (38 provinces) and ``kab.geojson`` (514 kab/kota) from
cahyadsn/wilayah_boundaries (MIT), already swapped to ``[lng, lat]``, simplified and
rounded to 0.001 degree (see the folder's README). This script makes them smaller for
the package, deterministically:

* drops island parts smaller than ``MIN_PART_AREA`` square degrees (about 2.5 km²),
  except each region's largest part, so every region keeps a shape;
* simplifies every ring again with Douglas-Peucker at ``TOLERANCE`` degrees (a ring keeps
  at least 4 points), rounds to 0.001 degree;
* keeps only the properties ``kode`` and ``nama``, sorted by ``kode``, and writes compact
  JSON with a ``source`` line, gzip-compressed with a zero timestamp (``prov.geojson.gz``,
  ``kab.geojson.gz``: about a fifth of the plain size); copies ``LICENSE-MIT.txt``.

Running it twice gives byte-identical files. Geometry is fit for a briefing choropleth,
not for measuring areas or borders.
"""
from __future__ import annotations

import gzip
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# the source files, gzipped as received (README and licence beside them), kept in the
# repository so the shipped files can be regenerated and checked on any clone
DEFAULT_SRC = ROOT / "tools" / "boundaries_source"
DEFAULT_OUT = ROOT / "spbe_tools" / "data" / "boundaries"
TOLERANCE = {"prov": 0.012, "kab": 0.005}  # degrees (0.001 degree is about 110 m)
MIN_PART_AREA = 0.0002  # square degrees
DECIMALS = 3


def ring_area(ring: list[list[float]]) -> float:
    """Unsigned shoelace area of a closed ring, in square degrees."""
    s = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        s += x1 * y2 - x2 * y1
    return abs(s) / 2


def _distance(p: list[float], a: list[float], b: list[float]) -> float:
    """Distance of ``p`` from the segment ``a``–``b``."""
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    if dx == dy == 0:
        return ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return ((px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2) ** 0.5


def douglas_peucker(points: list[list[float]], tol: float) -> list[list[float]]:
    """Iterative Douglas-Peucker of an open polyline (keeps both ends)."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        best, index = 0.0, None
        for k in range(i + 1, j):
            d = _distance(points[k], points[i], points[j])
            if d > best:
                best, index = d, k
        if index is not None and best > tol:
            keep[index] = True
            stack += [(i, index), (index, j)]
    return [p for p, k in zip(points, keep) if k]


def simplify_ring(ring: list[list[float]], tol: float) -> list[list[float]]:
    """A closed ring simplified; the original when simplification leaves fewer than 4 points."""
    out = douglas_peucker(ring, tol)
    out = [[round(x, DECIMALS), round(y, DECIMALS)] for x, y in out]
    deduped = [p for i, p in enumerate(out) if i == 0 or p != out[i - 1]]
    return deduped if len(deduped) >= 4 else ring


def simplify_feature(feature: dict, tol: float) -> dict:
    """One region: tiny parts dropped (never the largest), rings simplified."""
    polygons = feature["geometry"]["coordinates"]
    largest = max(polygons, key=lambda p: ring_area(p[0]))
    kept = [p for p in polygons if p is largest or ring_area(p[0]) >= MIN_PART_AREA]
    parts = []
    for polygon in kept:
        rings = [simplify_ring(r, tol) for r in polygon]
        outer, holes = rings[0], [h for h in rings[1:] if ring_area(h) >= MIN_PART_AREA]
        parts.append([outer, *holes])
    props = feature["properties"]
    return {"type": "Feature", "properties": {"kode": props["kode"], "nama": props["nama"]},
            "geometry": {"type": "MultiPolygon", "coordinates": parts}}


def convert(src: Path, out: Path, name: str) -> tuple[int, int]:
    """Simplify ``src/<name>.geojson`` into ``out/<name>.geojson.gz``; returns (regions, bytes)."""
    plain, packed = src / f"{name}.geojson", src / f"{name}.geojson.gz"
    raw = plain.read_bytes() if plain.exists() else gzip.decompress(packed.read_bytes())
    data = json.loads(raw.decode("utf-8"))
    features = sorted((simplify_feature(f, TOLERANCE[name]) for f in data["features"]),
                      key=lambda f: f["properties"]["kode"])
    source = (f"{data.get('source', 'cahyadsn/wilayah_boundaries (MIT)')}; for SPBE Workbook: "
              f"parts under {MIN_PART_AREA} sq. degree dropped (never a region's largest), "
              f"Douglas-Peucker {TOLERANCE[name]} degree, tools/make_boundaries.py")
    body = json.dumps({"type": "FeatureCollection", "source": source, "features": features},
                      ensure_ascii=False, separators=(",", ":"))
    path = out / f"{name}.geojson.gz"
    path.write_bytes(gzip.compress((body + "\n").encode("utf-8"), compresslevel=9, mtime=0))
    return len(features), path.stat().st_size


def main(argv: list[str]) -> int:
    src = Path(argv[0]) if argv else DEFAULT_SRC
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    out.mkdir(parents=True, exist_ok=True)
    for name in ("prov", "kab"):
        n, size = convert(src, out, name)
        print(f"{name}.geojson.gz: {n} regions, {size / 1024:.0f} KiB")
    shutil.copyfile(src / "LICENSE-MIT.txt", out / "LICENSE-MIT.txt")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
