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
from spbe_tools.commands import SUMMARIES
from spbe_tools.commands.compare import add_common, resolve_year
from spbe_tools.paths import DEFAULT_DEMO, DEFAULT_RAW


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "brief", help=SUMMARIES["brief"])
    add_common(p)
    p.add_argument("--year", type=int, help="evaluation year (default: latest with a value)")
    p.add_argument("--out", help="output folder (default: reports/<slug>-<year>[-<peers>]/; the peer group is "
                        "named unless it is province)")
    p.add_argument("--raw", type=Path, default=DEFAULT_RAW,
                   help="raw folder the ingest notebook reads (default: data/raw)")
    p.add_argument("--demo", type=Path, default=DEFAULT_DEMO,
                   help="synthetic demo folder read beside --raw (default: data/demo; "
                        "'' for none)")
    p.add_argument("--allow-missing", action="store_true",
                   help="write the pack even when the region has no index that year "
                        "(the texts say so); without it, that is an error")
    p.add_argument("--template", type=Path, action="append", default=[],
                   metavar="FILE",
                   help="an office's own .pptx (masters and layouts for the deck) or .docx "
                        "(styles for the Word nota); may be given once for each")
    p.add_argument("--no-notebooks", dest="notebooks", action="store_false",
                   help="write only the pack, without executing the notebooks")
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    from spbe_tools.brief import write_pack  # late: matplotlib/pptx only when briefing
    from spbe_tools.pack_folder import check_destination

    if args.out:
        check_destination(Path(args.out))  # refuse a user's folder before any work
    results, scores = cmp.load_processed(args.processed)
    year = resolve_year(results, args.region, args.year)
    params = {"region": args.region, "year": year, "peers": args.peers,
              "raw_dir": str(args.raw.resolve()),
              "demo_dir": str(args.demo.resolve()) if str(args.demo) not in {"", "."} else "",
              "processed_dir": str(Path(args.processed).resolve()), "lang": args.lang}

    def notebooks(folder: Path) -> list[Path]:
        """The executed notebooks and their HTML, written into the pack being built."""
        from spbe_tools.notebooks import run_notebooks

        print("executing notebooks …", file=sys.stderr)
        return run_notebooks(folder, {**params, "out_dir": str(folder.resolve())})

    written = write_pack(results, scores, region=args.region, year=year, peers=args.peers,
                         out_dir=args.out, lang=args.lang, custom=args.custom,
                         extra=notebooks if args.notebooks else None,
                         allow_missing=args.allow_missing, templates=args.template)
    folder = next(iter(written.values())).parent
    print(f"{len(written)} files written to {folder}")
    for name in written:
        print(f"  {name}")
    return 0
