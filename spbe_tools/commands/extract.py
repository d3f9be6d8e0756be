"""``spbe extract FILE.pdf [--out …] [--year Y] [--pages 3-20]``: decree annex PDF -> workbook.

Writes an annex workbook ``spbe build`` reads, with a ``periksa`` sheet (flagged rows and
their picture), a ``provenance`` sheet and a ``<stem>.source.yml`` sidecar. Needs the
``pdf`` extra (``pip install -e ".[pdf]"``).
"""
from __future__ import annotations

import argparse
from pathlib import Path

from spbe_tools.commands import SUMMARIES
from spbe_tools.errors import ConfigError
from spbe_tools.paths import DEFAULT_RAW

ANNEX_FOLDER = DEFAULT_RAW / "annex"


def register(subparsers: argparse._SubParsersAction) -> None:
    from spbe_tools.extract.pages import MAX_PAGES

    p = subparsers.add_parser(
        "extract", help=SUMMARIES["extract"],
                       description="Read a KepmenPANRB annex PDF (text layer or scan, by OCR) "
                                   "into an annex workbook for spbe build; doubtful rows are "
                                   "flagged in its Periksa column and the periksa sheet.")
    p.add_argument("pdf", type=Path, help="the annex PDF")
    p.add_argument("--out", type=Path, default=None,
                   help=f"workbook to write (default: {ANNEX_FOLDER}/<pdf name>.xlsx)")
    p.add_argument("--year", type=int, default=None,
                   help="evaluation year (default: read from the annex title)")
    p.add_argument("--pages", default=None,
                   help=f"pages to read, e.g. 3-20 (default: all; at most {MAX_PAGES})")
    p.add_argument("--force", action="store_true",
                   help="overwrite an existing workbook (it may hold the analyst's decisions)")
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from spbe_tools.extract import extract_pdf, summary_lines

    out = args.out or ANNEX_FOLDER / f"{args.pdf.stem}.xlsx"
    if out.suffix.lower() != ".xlsx":
        raise ConfigError("the output is an .xlsx workbook", file=str(out),
                          expected="a name ending in .xlsx", found=out.suffix or "no suffix")
    if out.exists() and not args.force:
        raise ConfigError("the workbook exists (its Periksa marks may hold the analyst's "
                          "decisions); use --force to overwrite", file=str(out))
    if not args.pdf.is_file():
        raise ConfigError("the PDF does not exist", file=str(args.pdf))
    progress = None
    if not args.quiet:
        from tqdm import tqdm

        def progress(pages):
            return tqdm(pages, desc="halaman", unit="hlm", leave=False, disable=None)

    result = extract_pdf(args.pdf, out, year=args.year, pages=args.pages, progress=progress)
    if not args.quiet:
        print("\n".join(summary_lines(result)))
    return 0
