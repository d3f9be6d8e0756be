"""``spbe regions NAME_OR_CODE...``: what a name or code resolves to, and why.

Examples::

    spbe regions "Pemkot Bengkulu" 17.71 "Kab. Muko Muko"
    spbe regions Bengkulu --category kota
    spbe regions "Kabupaten Merauke" --province Papua --year 2021 --format json
    spbe regions "Kab. Kep. Sitaro" --aliases data/raw/aliases.csv

Exit status 0 when every query resolved, 1 when any did not (the reason names
the three closest candidates), 2 on a usage error such as an unknown category.
"""
from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path

from spbe_tools.commands import SUMMARIES
from spbe_tools.identity import Resolution, default_matcher

__all__ = ["format_table", "register", "run"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``regions`` sub-command."""
    p = subparsers.add_parser(
        "regions", help=SUMMARIES["regions"],
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("queries", nargs="+", metavar="NAME_OR_CODE")
    p.add_argument("--category", help="context hint: provinsi, kabupaten, kota, kementerian, "
                   "lembaga (or kabupaten/kota, pemda, pusat)")
    p.add_argument("--province", help="province as the source reported it (any spelling)")
    p.add_argument("--year", type=int, help="evaluation year, for dated names and codes")
    p.add_argument("--aliases", type=Path, action="append", default=[], metavar="CSV",
                   help="extra alias file (alias,code,valid_from,valid_to,note); repeatable")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Resolve each query, print the results, return 0 if all resolved else 1."""
    matcher = default_matcher(tuple(args.aliases))
    results = [matcher.resolve(q, category=args.category, province=args.province,
                               year=args.year) for q in args.queries]
    if args.format == "json":
        print(json.dumps([_as_dict(r) for r in results], ensure_ascii=False, indent=2))
    else:
        print(format_table(results))
    return 0 if all(r.ok for r in results) else 1


def _as_dict(res: Resolution) -> dict:
    out = asdict(res)
    out["candidates"] = list(res.candidates)
    out["ok"] = res.ok
    return out


def format_table(results: list[Resolution]) -> str:
    """One block per query: the match (code, name, category, province) and the rule or reason."""
    lines = []
    for r in results:
        if r.ok:
            where = f", province {r.province} ({r.province_code})" if r.province_code else ""
            lines.append(f"{r.query}\n  -> {r.code}  {r.name}  [{r.category}{where}]\n"
                         f"     rule: {r.rule}")
        else:
            lines.append(f"{r.query}\n  -> UNRESOLVED\n     reason: {r.reason}")
    return "\n".join(lines)
