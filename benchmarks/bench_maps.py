"""How long a map takes: the Provinsi Bengkulu kab/kota map and the national map of 2023.

Builds the shipped raw data once (into a temporary folder), then times
:func:`spbe_tools.maps.region_map` alone (figure built, labels placed) and with
:func:`spbe_tools.maps.save_map` (PNG at 200 dpi + SVG). The baseline, in the same
process, is the trend chart of the same region saved with ``charts.save_figure``: a map
costs about this many ordinary charts. Loading the boundaries (gunzip + parse) is timed on
its own with the cache cleared.

Run: ``python -m benchmarks maps``
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.harness import against_baseline, median_seconds
from spbe_tools import boundaries, charts, maps
from spbe_tools.build import run_build
from spbe_tools.paths import RAW_DIR
from spbe_tools.peers import peer_group, resolve_focal
from spbe_tools.trends import trend


def run() -> list[dict]:
    results = run_build(RAW_DIR).results
    out = Path(tempfile.mkdtemp(prefix="bench-maps-"))
    focal = resolve_focal(results, "Kota Bengkulu")
    series = trend(results, peer_group(results, focal, "province"))

    def trend_saved():
        charts.save_figure(charts.trend_chart(series, focal.name), out / "trend")

    def load_shapes():
        boundaries.load_boundaries.cache_clear()
        boundaries.load_boundaries("kabkota")
        boundaries.load_boundaries("province")

    rows = [{"name": "boundaries: load both levels (gunzip + parse)",
             "median_s": median_seconds(load_shapes, repeat=5),
             "bytes": sum(p.stat().st_size for p in boundaries.BOUNDARY_DIR.glob("*.gz"))}]
    for level in ("kabkota", "province"):
        rows.append(against_baseline(
            f"map {level} 2023 (Kota Bengkulu): figure", lambda lv=level: maps.region_map(
                results, "Kota Bengkulu", 2023, level=lv),
            "trend chart saved (PNG + SVG)", trend_saved, repeat=5))
        rows.append(against_baseline(
            f"map {level} 2023 (Kota Bengkulu): figure + PNG + SVG",
            lambda lv=level: maps.save_map(maps.region_map(results, "Kota Bengkulu", 2023,
                                                           level=lv), out / f"map-{lv}"),
            "trend chart saved (PNG + SVG)", trend_saved, repeat=5))
    return rows
