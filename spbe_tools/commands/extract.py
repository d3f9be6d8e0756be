"""``spbe extract FILE [--out …] [--year Y] [--pages 3-20] [--title T] [--source-url URL]
[--authority official|pemda|news]``: a results table -> workbook.

``FILE`` is a KepmenPANRB annex PDF (text layer or scan), a report's Markdown conversion
(``.md``) or a web page (``.html``/``.htm``); the reader is chosen by the suffix. Writes an
annex workbook ``spbe build`` reads, with a ``periksa`` sheet (flagged rows, with their
picture for a PDF), a ``provenance`` sheet and a ``<stem>.source.yml`` sidecar. PDFs need
the ``pdf`` extra (``pip install -e ".[pdf]"``).
"""
from __future__ import annotations

import argparse
from pathlib import Path

from spbe_tools.commands import SUMMARIES
from spbe_tools.errors import ConfigError
from spbe_tools.paths import DEFAULT_RAW

ANNEX_FOLDER = DEFAULT_RAW / "annex"


def register(subparsers: argparse._SubParsersAction) -> None:
    from spbe_tools.extract import AUTHORITIES
    from spbe_tools.extract.pages import MAX_PAGES

    p = subparsers.add_parser(
        "extract", help=SUMMARIES["extract"],
                       description="Read a results table (a KepmenPANRB annex PDF, by its text "
                                   "layer or by OCR; a report's Markdown; a web page's HTML) "
                                   "into an annex workbook for spbe build; doubtful rows are "
                                   "flagged in its Periksa column and the periksa sheet.")
    p.add_argument("pdf", type=Path, metavar="FILE",
                   help="the annex PDF, Markdown (.md) or HTML (.html, .htm) file")
    p.add_argument("--out", type=Path, default=None,
                   help=f"workbook to write (default: {ANNEX_FOLDER}/<file name>.xlsx)")
    p.add_argument("--year", type=int, default=None,
                   help="evaluation year (default: read from the title; a report naming "
                        "several years needs it)")
    p.add_argument("--pages", default=None,
                   help=f"PDF pages to read, e.g. 3-20 (default: all; at most {MAX_PAGES})")
    p.add_argument("--title", default=None, help="the source's title, for the sidecar")
    p.add_argument("--source-url", action="append", default=[], dest="source_urls",
                   metavar="URL", help="where the source was published (repeatable)")
    p.add_argument("--authority", choices=AUTHORITIES, default=None,
                   help="who published the numbers: the ministry (official), a pemda, or "
                        "the news (sidecar key authority; omitted when not given)")
    p.add_argument("--force", action="store_true",
                   help="overwrite an existing workbook (it may hold the analyst's decisions)")
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from spbe_tools.extract import SUFFIXES, extract, summary_lines

    kind = SUFFIXES.get(args.pdf.suffix.lower())
    if kind is None:
        raise ConfigError("spbe extract reads PDF, Markdown and HTML files", file=str(args.pdf),
                          expected="a name ending in " + ", ".join(SUFFIXES),
                          found=args.pdf.suffix or "no suffix")
    out = args.out or ANNEX_FOLDER / f"{args.pdf.stem}.xlsx"
    if out.suffix.lower() != ".xlsx":
        raise ConfigError("the output is an .xlsx workbook", file=str(out),
                          expected="a name ending in .xlsx", found=out.suffix or "no suffix")
    if out.exists() and not args.force:
        raise ConfigError("the workbook exists (its Periksa marks may hold the analyst's "
                          "decisions); use --force to overwrite", file=str(out))
    if not args.pdf.is_file():
        raise ConfigError(f"the {'PDF' if kind == 'pdf' else 'file'} does not exist",
                          file=str(args.pdf))
    options = {"year": args.year, "title": args.title, "source_urls": args.source_urls,
               "authority": args.authority}
    if kind == "pdf":
        options.update(pages=args.pages, progress=None if args.quiet else _progress)
    elif args.pages is not None:
        raise ConfigError("--pages applies to a PDF only", file=str(args.pdf))
    result = extract(args.pdf, out, **options)
    if not args.quiet:
        print("\n".join(summary_lines(result)))
    return 0


def _progress(pages):
    from tqdm import tqdm

    return tqdm(pages, desc="halaman", unit="hlm", leave=False, disable=None)
