"""``spbe template lhe --out FILE``: a fill-in workbook for an LHE's indicator levels.

The workbook lists the framework's indicators with names and weights and a level
column validated to whole levels; ``spbe build`` reads it back as an LHE sheet.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from spbe_tools import registry
from spbe_tools.commands import SUMMARIES
from spbe_tools.errors import ConfigError
from spbe_tools.lhe_template import template_workbook
from spbe_tools.office_files import save_workbook


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "template", help=SUMMARIES["template"])
    p.add_argument("kind", choices=("lhe",), help="which template (lhe)")
    p.add_argument("--out", required=True, help="the .xlsx file to write")
    p.add_argument("--framework", help="registry key (default: the year's framework, "
                                       "else the registry's default)")
    p.add_argument("--region", help="instansi name to pre-fill")
    p.add_argument("--year", type=int, help="evaluation year to pre-fill")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.set_defaults(func=run)


def _framework(framework: str | None, year: int | None) -> str:
    from_year = None if year is None else registry.evaluation(year).framework
    if framework and from_year and framework != from_year:
        raise ConfigError(f"{year} was evaluated under {from_year}, not {framework}",
                          expected=from_year, found=framework)
    return framework or from_year or registry.default_framework()


def _region_name(region: str | None, year: int | None) -> str | None:
    if region is None:
        return None
    from spbe_tools.identity import resolve_region

    return resolve_region(region, year=year).name


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.exists() and not args.force:
        raise ConfigError("the output file exists (it may hold filled levels); use --force",
                          file=str(out))
    if out.suffix.lower() != ".xlsx":
        raise ConfigError("the template is an .xlsx workbook", file=str(out),
                          expected="a name ending in .xlsx", found=out.suffix or "no suffix")
    fw = _framework(args.framework, args.year)
    wb = template_workbook(fw, instansi=_region_name(args.region, args.year), year=args.year)
    save_workbook(wb, out)
    print(f"wrote {out} ({fw})")
    return 0
