"""``spbe brief``: the briefing pack (charts, ringkasan.xlsx, briefing.pptx) and the
executed notebooks with their HTML exports, in ``reports/<slug>-<year>/``.

Thin: the pack is written by :func:`spbe_tools.brief.write_pack`, the notebooks are
run by :func:`spbe_tools.notebooks.run_notebooks`.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from spbe_tools import compare as cmp
from spbe_tools.commands.compare import add_common, resolve_year
from spbe_tools.paths import DEFAULT_DEMO, DEFAULT_RAW


def register(subparsers) -> None:
    p = subparsers.add_parser("brief", help="write the briefing pack for a region")
    add_common(p)
    p.add_argument("--year", type=int, help="evaluation year (default: latest with a value)")
    p.add_argument("--out", help="output folder (default: reports/<slug>-<year>[-<peers>]/; the peer group is "
                        "named unless it is province)")
    p.add_argument("--raw", type=Path, default=DEFAULT_RAW,
                   help="raw folder the ingest notebook reads (default: data/raw)")
    p.add_argument("--demo", type=Path, default=DEFAULT_DEMO,
                   help="synthetic demo folder read beside --raw (default: data/demo; "
                        "'' for none)")
    p.add_argument("--no-notebooks", dest="notebooks", action="store_false",
                   help="write only the pack, without executing the notebooks")
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    from spbe_tools.brief import write_pack  # late: matplotlib/pptx only when briefing

    results, scores = cmp.load_processed(args.processed)
    year = resolve_year(results, args.region, args.year)
    written = write_pack(results, scores, region=args.region, year=year, peers=args.peers,
                         out_dir=args.out, lang=args.lang, custom=args.custom)
    folder = next(iter(written.values())).parent
    names = list(written)
    if args.notebooks:
        from spbe_tools.notebooks import run_notebooks

        print(f"executing notebooks into {folder} …", file=sys.stderr)
        demo = str(args.demo.resolve()) if str(args.demo) not in {"", "."} else ""
        params = {"region": args.region, "year": year, "peers": args.peers,
                  "raw_dir": str(args.raw.resolve()), "demo_dir": demo,
                  "processed_dir": str(Path(args.processed).resolve()),
                  "out_dir": str(folder.resolve()), "lang": args.lang}
        names += [p.name for p in run_notebooks(folder, params)]
    print(f"{len(names)} files written to {folder}")
    for name in names:
        print(f"  {name}")
    return 0
