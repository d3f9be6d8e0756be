"""``spbe map``: a choropleth of one year, the focal region's province by kab/kota or
Indonesia by province, written as PNG + SVG (each atomically).

Thin: the figure comes from :func:`spbe_tools.maps.region_map`.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from spbe_tools.commands import SUMMARIES
from spbe_tools.paths import DEFAULT_PROCESSED, report_dir
from spbe_tools.peers import resolve_focal
from spbe_tools.processed import load_processed


def register(subparsers: argparse._SubParsersAction) -> None:
    from spbe_tools.maps import FILL_BY, LEVELS  # late: matplotlib only when mapping

    p = subparsers.add_parser(
        "map", help=SUMMARIES["map"])
    p.add_argument("--region", required=True, help='name or code, e.g. "Kota Bengkulu", 17.71')
    p.add_argument("--year", type=int, help="evaluation year (default: latest with a value)")
    p.add_argument("--level", default="kabkota", choices=LEVELS,
                   help="kabkota: the region's province by kab/kota (default); "
                        "province: Indonesia by province")
    p.add_argument("--by", default="band", choices=FILL_BY,
                   help="fill by predikat band (default) or by index (0–5)")
    p.add_argument("--out", type=Path,
                   help="output file (.png; the .svg is written beside it); default "
                        "reports/<slug>-<year>/map-<level>-<by>.png")
    p.add_argument("--processed", default=str(DEFAULT_PROCESSED),
                   help="folder with results.csv (default: data/processed)")
    p.add_argument("--lang", default="id", choices=("id", "en"))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from spbe_tools.commands.compare import resolve_year
    from spbe_tools.maps import region_map, save_map

    results, _scores = load_processed(args.processed)
    year = resolve_year(results, args.region, args.year)
    fig = region_map(results, args.region, year, level=args.level, by=args.by, lang=args.lang)
    if args.out is not None:
        stem = args.out.with_suffix("")
    else:
        focal = resolve_focal(results, args.region)
        stem = report_dir(focal.name, year) / f"map-{args.level}-{args.by}"
    for path in save_map(fig, stem):
        print(path)
    return 0
