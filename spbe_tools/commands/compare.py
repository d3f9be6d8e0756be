"""``spbe compare``: one instansi against its peers in one year (table, CSV or JSON).

Thin: the numbers come from :func:`spbe_tools.compare.compare_region`.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from spbe_tools.commands import SUMMARIES
from spbe_tools.errors import ConfigError
from spbe_tools.paths import DEFAULT_PROCESSED

if TYPE_CHECKING:
    from spbe_tools.compare import Comparison
    from spbe_tools.peers import PeerGroup


def add_common(parser: argparse.ArgumentParser, *, several: bool = False) -> None:
    """Arguments shared by ``compare`` and ``brief`` (``several``: ``--region`` may be
    repeated, or replaced by ``--province``, for one result per region)."""
    from spbe_tools.peers import PEER_GROUPS

    if several:
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--region", action="append",
                         help='name or code, e.g. "Kota Bengkulu", 17.71; repeat it for a '
                              "pack per region")
        who.add_argument("--province", metavar="CODE",
                         help="a pack for the province and each of its kabupaten/kota, "
                              "e.g. 17 (Bengkulu)")
    else:
        parser.add_argument("--region", required=True,
                            help='name or code, e.g. "Kota Bengkulu", 17.71')
    parser.add_argument("--peers", default="province", choices=PEER_GROUPS,
                        help="peer group (default: province)")
    parser.add_argument("--custom", nargs="+", metavar="NAME",
                        help="names or codes of the custom peer group (with --peers custom)")
    parser.add_argument("--processed", default=str(DEFAULT_PROCESSED),
                        help="folder with results.csv (default: data/processed)")
    parser.add_argument("--lang", default="id", choices=("id", "en"))


def resolve_year(results, region: str, year: int | None) -> int:
    """The given year, or the latest year in which the region has a value."""
    from spbe_tools.compare import latest_year
    from spbe_tools.peers import resolve_focal

    if year is not None:
        return year
    focal = resolve_focal(results, region)
    latest = latest_year(results, focal.code)
    if latest is None:
        raise ConfigError(f"{focal.name} has no SPBE index in the processed data",
                          expected="--year YEAR", found="no year with a value")
    return latest


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "compare", help=SUMMARIES["compare"])
    add_common(p)
    p.add_argument("--year", type=int, help="evaluation year (default: latest with a value)")
    p.add_argument("--format", default="table", choices=("table", "csv", "json"))
    p.add_argument("--changes", action="store_true",
                   help="the peer group's change into the year instead of its ranking: index "
                        "the year before and this year, change, predikat change, rank change")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from spbe_tools.compare import compare_region
    from spbe_tools.peers import peer_group, resolve_focal
    from spbe_tools.processed import load_processed
    from spbe_tools.safe_output import neutralise_frame

    results, _scores = load_processed(args.processed)
    year = resolve_year(results, args.region, args.year)
    group = peer_group(results, resolve_focal(results, args.region), args.peers,
                       custom=args.custom)
    comp = compare_region(results, args.region, year, args.peers, group=group)
    if args.changes:
        return _print_changes(results, comp, group, args)
    if args.format == "json":
        json.dump(comp.to_dict(), sys.stdout, ensure_ascii=False, indent=2, default=str)
        print()
    elif args.format == "csv":
        neutralise_frame(comp.table.drop(columns=["is_focal"])).to_csv(sys.stdout, index=False)
    else:
        print(_table(comp, args.lang))
    return 0


def _table(comp: Comparison, lang: str) -> str:
    """Headline, then one line per peer (focal marked with '>'), missing values as '–'."""
    from spbe_tools.compare import headline, source_note
    from spbe_tools.wording import fmt_num

    lines = [headline(comp, lang), source_note(comp.table.assign(year=comp.year), lang), ""]
    for row in comp.table.itertuples():
        mark = ">" if row.is_focal else " "
        lines.append(f"{mark} {row.rank_label or '–':>4}  {fmt_num(row.index, lang=lang):>5}  "
                     f"{row.predikat or '':<12} {row.instansi}")
    return "\n".join(lines)


def _print_changes(results, comp: Comparison, group: PeerGroup,
                   args: argparse.Namespace) -> int:
    """The year-over-year table of the peer group (CSV, JSON records or a text table)."""
    from spbe_tools.peers import describe_group
    from spbe_tools.safe_output import neutralise_frame
    from spbe_tools.trends import changes_into
    from spbe_tools.wording import fmt_num

    changes = changes_into(results, group, comp.year)
    if args.format == "csv":
        neutralise_frame(changes).to_csv(sys.stdout, index=False)
    elif args.format == "json":
        json.dump(json.loads(changes.to_json(orient="records")), sys.stdout,
                  ensure_ascii=False, indent=2)
        print()
    else:
        lines = [f"{comp.focal.name}: {describe_group(group, args.lang)}, "
                 f"{comp.year - 1 if changes.empty else int(changes['year_a'].iloc[0])}"
                 f" → {comp.year}", ""]
        for row in changes.itertuples():
            mark = ">" if row.instansi_code == comp.focal.code else " "
            lines.append(f"{mark} {fmt_num(row.index_a, lang=args.lang):>5} → "
                         f"{fmt_num(row.index_b, lang=args.lang):>5}  "
                         f"{fmt_num(row.delta, lang=args.lang, signed=True):>6}  "
                         f"{row.transition or '':<22} {row.instansi}")
        print("\n".join(lines))
    return 0
