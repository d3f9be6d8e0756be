"""``spbe brief``: write the briefing pack (charts, ringkasan.xlsx, briefing.pptx).

Thin: the pack is written by :func:`spbe_tools.brief.write_pack`.
"""
from __future__ import annotations

import argparse

from spbe_tools import compare as cmp
from spbe_tools.commands.compare import add_common, resolve_year


def register(subparsers) -> None:
    p = subparsers.add_parser("brief", help="write the briefing pack for a region")
    add_common(p)
    p.add_argument("--year", type=int, help="evaluation year (default: latest with a value)")
    p.add_argument("--out", help="output folder (default: reports/<slug>-<year>/)")
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    from spbe_tools.brief import write_pack  # late: matplotlib/pptx only when briefing

    results, scores = cmp.load_processed(args.processed)
    year = resolve_year(results, args.region, args.year)
    written = write_pack(results, scores, region=args.region, year=year, peers=args.peers,
                         out_dir=args.out, lang=args.lang, custom=args.custom)
    folder = next(iter(written.values())).parent
    print(f"{len(written)} files written to {folder}")
    for name in written:
        print(f"  {name}")
    return 0
