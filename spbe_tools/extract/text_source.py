"""A Markdown or HTML file's results tables -> the annex workbook and sidecar, as
:func:`~spbe_tools.extract.extract_pdf` writes them for a PDF (without row pictures).

The tables are read by :mod:`~spbe_tools.extract.text_tables`, checked by
:mod:`~spbe_tools.extract.checks`; each row cites the file and its line (Markdown) or its
table and row (HTML) in ``Sumber``, ``Catatan`` and the provenance sheet, and the sidecar
carries a ``text:`` block (file, sha256, kind, tables, rows, needs_review, review_lines).
"""
from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from pathlib import Path

from spbe_tools.errors import ConfigError, InputError
from spbe_tools.extract import (
    KIND_NAMES,
    SUFFIXES,
    Cited,
    Extraction,
    checked_rows,
    cited_source,
    count_rows,
    save_sidecar,
    sidecar_head,
)
from spbe_tools.year_text import decree_in, title_years

__all__ = ["extract_text", "MAX_TEXT_BYTES"]

MAX_TEXT_BYTES = 50 * 1024 * 1024  # the shipped reports' Markdown is ~0.16 MB each


def _text_year(title: str, year: int | None, file: str) -> tuple[int, str | None]:
    """The evaluation year (``year`` or the one the document's headings name) and the
    decree they cite; a report names many years, so several candidates need ``--year``."""
    from spbe_tools import registry

    number = decree_in(title)
    decree = f"KepmenPANRB No. {number[0]} Tahun {number[1]}" if number else None
    found = sorted(set(title_years(title)))
    if year is None:
        if len(found) != 1:
            raise ConfigError("the evaluation year cannot be read from the document's headings; "
                              "pass --year", file=file, expected="one 'Tahun 20xx' in the "
                              "headings, or --year", found=", ".join(map(str, found)) or "none")
        year = found[0]
    elif len(found) == 1 and found != [year]:
        raise ConfigError(f"--year {year} contradicts the document's title", file=file,
                          expected=str(year), found=str(found[0]))
    if not registry.is_evaluation_year(year):
        raise ConfigError(f"{year} is not a registered SPBE evaluation year", file=file,
                          expected=registry.evaluation_span())
    return year, decree


def _read_text(path: Path, kind: str, framework_key: str):
    """The file's results tables (:class:`~spbe_tools.extract.text_tables.TextRead`)."""
    from spbe_tools.extract.text_tables import read_html, read_markdown

    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise InputError(f"the file is {size / 2**20:.0f} MB, above the "
                         f"{MAX_TEXT_BYTES // 2**20} MB limit for a results document",
                         file=str(path))
    data = path.read_bytes()
    if kind == "html":
        return read_html(data, framework_key)
    try:
        return read_markdown(data.decode("utf-8-sig"), framework_key)
    except UnicodeDecodeError as exc:
        raise InputError("the Markdown file is not UTF-8 text", file=str(path),
                         found=f"byte {data[exc.start]:#04x} at offset {exc.start}") from None


def extract_text(path: Path | str, out: Path | str, *, year: int | None = None,
                 today: dt.date | None = None, title: str | None = None,
                 source_urls: Iterable[str] = (), authority: str | None = None) -> Extraction:
    """Read the results tables of the Markdown or HTML file ``path`` and write the workbook
    ``out`` and its sidecar, as :func:`extract_pdf` does (no row pictures). InputError when
    the file holds no results table."""
    from spbe_tools import registry
    from spbe_tools.extract.workbook import TextOrigin, annex_workbook
    from spbe_tools.office_files import workbook_bytes
    from spbe_tools.output_set import sha256_of, write_atomic

    start = time.perf_counter()
    cited = cited_source(title, source_urls, authority)
    path, out = Path(path), Path(out)
    kind = SUFFIXES[path.suffix.lower()]
    first = _read_text(path, kind, registry.default_framework())
    if not any(r.kind == "data" for r in first.rows):
        raise InputError("no table with the columns No / Nama Instansi / Indeks", file=str(path),
                         expected="a results table", found=f"{first.skipped} such table(s), "
                         "each under a title naming no results" if first.skipped else "none")
    year, decree_found = _text_year(first.title, year, str(path))
    fw = registry.evaluation(year).framework  # its domain names label the domain columns
    read = first if fw == registry.default_framework() else _read_text(path, kind, fw)
    rows = checked_rows(read.rows, path, year)
    decree = decree_found or registry.evaluation(year).decree
    wb = annex_workbook(rows, year=year, decree=decree, source=path.name,
                        origin=TextOrigin(KIND_NAMES[kind], path.name))
    write_atomic(out, workbook_bytes(wb))
    result = Extraction(rows, {}, year, decree, sha256_of(path), 0, count_rows(rows, year), out,
                        decree_found=decree_found, kind=kind, tables=read.tables)
    _write_text_sidecar(result, path, today, cited)
    result.seconds = time.perf_counter() - start
    return result


def _write_text_sidecar(result: Extraction, path: Path, today, cited: Cited) -> None:
    date = (today or dt.date.today()).isoformat()
    flagged = result.flagged
    sidecar = {
        **sidecar_head(result, path, cited, date, f"{KIND_NAMES[result.kind]} {path.name}"),
        "text": {
            "file": path.name, "sha256": result.sha256, "kind": result.kind,
            "tables": result.tables, "extracted_on": date, "decree_found": result.decree_found,
            "year": result.year, "rows": len(result.rows), "needs_review": len(flagged),
            "review_lines": [r.where for r in flagged],
        },
    }
    save_sidecar(result, sidecar)
