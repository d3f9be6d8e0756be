"""A results table (a KepmenPANRB decree-annex PDF, a report's Markdown conversion, a web
page) -> an annex workbook for ``spbe build``.

``extract_pdf(pdf, out)`` reads every page with its text layer, or by OCR when the page is
a scan (:mod:`~spbe_tools.extract.pages`), finds the table geometry
(:mod:`~spbe_tools.extract.table`), checks every row (:mod:`~spbe_tools.extract.checks`)
and writes the workbook, its ``periksa`` and ``provenance`` sheets and the
``<stem>.source.yml`` sidecar (:mod:`~spbe_tools.extract.workbook`).
:func:`~spbe_tools.extract.text_source.extract_text` does the same for a Markdown or HTML
file's tables, each row citing its line; :func:`extract` picks the reader by the file's
suffix. Doubtful rows are flagged, never dropped and never
silently trusted: ``spbe build`` rejects them until the analyst empties their ``Periksa``
cell.

PDFs need the ``pdf`` extra: ``pip install -e ".[pdf]"``.
"""
from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from spbe_tools.errors import ConfigError
from spbe_tools.extract.errors import PdfError
from spbe_tools.extract.pages import missing_dependencies
from spbe_tools.raw_folder import sidecar_path
from spbe_tools.year_text import decree_in, title_years

__all__ = ["Extraction", "extract", "extract_pdf", "summary_lines", "review_frame",
           "row_pictures", "SUFFIXES", "AUTHORITIES", "KIND_NAMES", "Cited", "cited_source",
           "checked_rows", "count_rows", "sidecar_head", "save_sidecar"]

#: Suffix -> the kind of source it is read as.
SUFFIXES = {".pdf": "pdf", ".md": "markdown", ".markdown": "markdown", ".html": "html",
            ".htm": "html"}
KIND_NAMES = {"markdown": "Markdown", "html": "HTML"}
#: What ``--authority`` may say of a source (the build weighs sources by it).
AUTHORITIES = ("official", "pemda", "news")
SUMMARY_PLACES = 8  # flagged rows of a text source the summary names by line


@dataclass
class Extraction:
    """What one run read: checked rows, engine per page, year and decree, counts per
    category (found, known to the reference tables), where it was written, seconds."""

    rows: list
    engines: dict[int, str]
    year: int
    decree: str | None
    sha256: str
    n_pages: int
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)
    out: Path | None = None
    sidecar: Path | None = None
    seconds: float = 0.0
    decree_found: str | None = None  # the decree as the PDF's title states it
    kind: str = "pdf"  # pdf | markdown | html
    tables: int = 0  # results tables read (text sources)

    @property
    def flagged(self) -> list:
        return [r for r in self.rows if r.flags]

    @property
    def clean(self) -> list:
        return [r for r in self.rows if not r.flags]


def _year_and_decree(title: str, year: int | None, file: str) -> tuple[int, str | None]:
    """The evaluation year (``--year`` or the title) and the decree found in the title."""
    from spbe_tools import registry

    number = decree_in(title)
    decree = f"KepmenPANRB No. {number[0]} Tahun {number[1]}" if number else None
    found = sorted(set(title_years(title)))
    if year is not None and found and found != [year]:
        raise PdfError(f"--year {year} contradicts the title of the annex", file=file,
                       expected=str(year), found=", ".join(map(str, found)))
    if year is None:
        if len(found) != 1:
            raise PdfError("the evaluation year cannot be read from the title; pass --year",
                           file=file, expected="one 'TAHUN 20xx' in the title",
                           found=", ".join(map(str, found)) or "none")
        year = found[0]
    if not registry.is_evaluation_year(year):
        raise ConfigError(f"{year} is not a registered SPBE evaluation year", file=file,
                          expected=registry.evaluation_span())
    return year, decree


def _read_pages(path: Path, numbers: list[int], progress, force_ocr: bool):
    """(raw rows in order, title text, engine per page) for the selected pages."""
    import pdfplumber
    import pypdfium2 as pdfium

    from spbe_tools.extract.pages import read_pages
    from spbe_tools.extract.table import page_rows

    rows, titles, engines, seen_header = [], [], {}, False
    pdf = pdfium.PdfDocument(str(path))
    try:
        with pdfplumber.open(str(path)) as plumber, \
                closing(read_pages(plumber, pdf, numbers, force_ocr=force_ocr)) as pages:
            for n in (progress(numbers) if progress else numbers):
                try:
                    page = next(pages)  # pages come in the order of numbers
                except PdfError:
                    raise
                except Exception as exc:  # a damaged page: say which one
                    raise PdfError(f"the page cannot be read ({type(exc).__name__}: {exc})",
                                   file=str(path), page=n) from None
                engines[n] = page.engine
                page_raw, title = page_rows(page)
                if not seen_header:
                    titles.extend(title)
                seen_header = seen_header or bool(page_raw)
                rows.extend(page_raw)
    finally:
        pdf.close()
    return rows, " \n".join(titles), engines


def extract_pdf(path: Path | str, out: Path | str, *, year: int | None = None,
                pages: str | None = None, progress: Callable[[Iterable], Iterable] | None = None,
                force_ocr: bool = False, today: dt.date | None = None, title: str | None = None,
                source_urls: Iterable[str] = (), authority: str | None = None) -> Extraction:
    """Read the annex PDF ``path`` and write the workbook ``out`` and its sidecar.

    ``pages``: "3-20" style range (default all, at most MAX_PAGES); ``progress``: wraps the
    page list (e.g. tqdm); ``force_ocr``: OCR even pages with a text layer (to compare the
    two engines on one PDF); ``title``, ``source_urls``, ``authority``: the sidecar's keys
    (:data:`AUTHORITIES`; written only when given). PdfError (exit 2) for a PDF that cannot
    be read as an annex.
    """
    cited = cited_source(title, source_urls, authority)
    start = time.perf_counter()
    missing = missing_dependencies()
    if missing:
        raise ConfigError("reading PDFs needs the pdf extra: pip install -e \".[pdf]\"",
                          expected="installed: pypdfium2, pdfplumber, rapidocr-onnxruntime",
                          found="missing: " + ", ".join(missing))
    from spbe_tools.extract.pages import check_pdf, page_range
    from spbe_tools.output_set import sha256_of

    path, out = Path(path), Path(out)
    n_pages = check_pdf(path)
    numbers = page_range(pages, n_pages, str(path))
    raw_rows, title, engines = _read_pages(path, numbers, progress, force_ocr)
    if not raw_rows:
        raise PdfError("no table with the columns No / Nama Instansi / Indeks on the pages read",
                       file=str(path), expected="a decree annex table",
                       found=f"pages {numbers[0]}-{numbers[-1]} without such a header")
    year, decree = _year_and_decree(title, year, str(path))
    result = _check_and_write(raw_rows, path, out, year, decree, engines)
    result.n_pages, result.sha256 = n_pages, sha256_of(path)
    _write_sidecar(result, path, numbers, today, cited)
    result.seconds = time.perf_counter() - start
    return result


def cited_source(title: str | None, source_urls: Iterable[str], authority: str | None) -> Cited:
    """The sidecar keys given on the command line; ConfigError for an unknown authority."""
    if authority is not None and authority not in AUTHORITIES:
        raise ConfigError(f"unknown authority {authority!r}", expected=", ".join(AUTHORITIES),
                          found=repr(authority))
    return Cited(title, tuple(source_urls), authority)


def extract(path: Path | str, out: Path | str, **options) -> Extraction:
    """:func:`extract_pdf` or :func:`~spbe_tools.extract.text_source.extract_text`, by the
    suffix of ``path`` (:data:`SUFFIXES`); ConfigError for any other suffix. ``options`` go
    to the reader (``pages``, ``progress`` and ``force_ocr`` only apply to a PDF)."""
    path = Path(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise ConfigError("spbe extract reads PDF, Markdown and HTML files", file=str(path),
                          expected="a name ending in " + ", ".join(SUFFIXES),
                          found=path.suffix or "no suffix")
    if kind == "pdf":
        return extract_pdf(path, out, **options)
    for pdf_only in ("pages", "progress", "force_ocr"):
        if options.pop(pdf_only, None) not in (None, False):
            raise ConfigError(f"--{pdf_only.replace('_', '-')} applies to a PDF only",
                              file=str(path))
    from spbe_tools.extract.text_source import extract_text

    return extract_text(path, out, **options)


def count_rows(rows: list, year: int) -> dict[str, tuple[int, int]]:
    """category -> (rows of that section read, instansi the reference tables know)."""
    from spbe_tools.extract.checks import expected_counts

    known = expected_counts(year)
    found: dict[str, int] = {}
    for r in rows:  # a province's table holds three categories: count each
        key = (r.category if r.province_code and r.category else r.section) or "tanpa seksi"
        found[key] = found.get(key, 0) + 1
    return {k: (v, known.get(k, 0)) for k, v in found.items()}


def checked_rows(raw_rows, path: Path, year: int) -> list:
    """The checked data rows; an error when a header had no data row below it."""
    from spbe_tools.extract.checks import check_rows
    from spbe_tools.identity import default_matcher

    rows = check_rows(raw_rows, year, default_matcher())
    if not rows:
        raise PdfError("a table header but no data rows below it", file=str(path),
                       expected="one row per instansi", found="only headers and page furniture")
    return rows


def _check_and_write(raw_rows, path: Path, out: Path, year: int, decree_found: str | None,
                     engines: dict[int, str]) -> Extraction:
    """Check the rows, write the workbook atomically; PdfError when no data row was read."""
    import pypdfium2 as pdfium

    from spbe_tools import registry
    from spbe_tools.extract.workbook import annex_workbook
    from spbe_tools.office_files import workbook_bytes
    from spbe_tools.output_set import write_atomic

    rows = checked_rows(raw_rows, path, year)
    decree = decree_found or registry.evaluation(year).decree
    pdf = pdfium.PdfDocument(str(path))
    try:
        wb = annex_workbook(rows, year=year, decree=decree,
                            source=f"Lampiran {decree or path.name}", pdf=pdf)
        write_atomic(out, workbook_bytes(wb))
    finally:
        pdf.close()
    return Extraction(rows, engines, year, decree, "", 0, count_rows(rows, year), out,
                      decree_found=decree_found)


@dataclass(frozen=True)
class Cited:
    """What the analyst says of the source on the command line (sidecar keys)."""

    title: str | None = None
    source_urls: tuple[str, ...] = ()
    authority: str | None = None


def sidecar_head(result: Extraction, path: Path, cited: Cited, date: str, read: str
                  ) -> dict:
    """The sidecar's keys before the reader's own block; ``read`` names what was read."""
    from spbe_tools import __version__

    flagged = result.flagged
    head = {
        "title": cited.title or f"Hasil Evaluasi SPBE Tahun {result.year} "
                                f"(diekstrak dari {path.name})",
        "publisher": "Kementerian PANRB",
        "decree": result.decree,
        "evaluation_year": result.year,
        "extract": False,
        "synthetic": result.out.name.lower().startswith("synthetic"),
        "source_urls": list(cited.source_urls),
        "transcribed": date,
        "transcribed_by": f"spbe extract (spbe-tools {__version__})",
        "notes": (f"Dibaca otomatis dari {read}; {len(flagged)} baris ditandai di kolom "
                  "Periksa dan masuk rejects sampai analis menghapus tandanya."),
    }
    if cited.authority in {"pemda", "news"}:  # then the numbers are not the ministry's
        del head["publisher"]
    if cited.authority:
        head = {**head, "authority": cited.authority}
    return head


def save_sidecar(result: Extraction, sidecar: dict) -> None:
    from spbe_tools.output_set import write_atomic

    side = sidecar_path(result.out)
    write_atomic(side, yaml.safe_dump(sidecar, allow_unicode=True, sort_keys=False,
                                      width=100).encode("utf-8"))
    result.sidecar = side


def _write_sidecar(result: Extraction, path: Path, numbers: list[int], today,
                   cited: Cited) -> None:
    date = (today or dt.date.today()).isoformat()
    flagged = result.flagged
    sidecar = {
        **sidecar_head(result, path, cited, date, "PDF lampiran"),
        "pdf": {
            "file": path.name, "sha256": result.sha256, "pages": result.n_pages,
            "pages_read": f"{numbers[0]}-{numbers[-1]}",
            "engines": {n: result.engines[n] for n in sorted(result.engines)},
            "extracted_on": date, "decree_found": result.decree_found,
            "year": result.year, "rows": len(result.rows), "needs_review": len(flagged),
            "review_pages": sorted({r.page for r in flagged}),
        },
    }
    save_sidecar(result, sidecar)


def summary_lines(result: Extraction) -> list[str]:
    """The terminal report: rows read / clean / to review (with pages), counts per
    section against the reference tables, time taken."""
    flagged = result.flagged
    if result.kind == "pdf":
        pages = sorted({r.page for r in flagged})
        engines = sorted(set(result.engines.values()))
        where = f" (hlm. {', '.join(map(str, pages))})" if pages else ""
        read = f"{len(result.engines)} halaman ({'/'.join(engines)})"
    else:
        shown = [r.where for r in flagged[:SUMMARY_PLACES]]
        more = len(flagged) - len(shown)
        if shown and all(w.startswith("baris ") for w in shown):  # "baris 730, 737"
            shown = ["baris " + ", ".join(w.removeprefix("baris ") for w in shown)]
        where = (f" ({', '.join(shown)}" + (f", … {more} lagi" if more else "") + ")"
                 if shown else "")
        read = f"{result.tables} tabel ({KIND_NAMES[result.kind]})"
    lines = [f"spbe extract: {len(result.rows)} baris dibaca, {len(result.clean)} bersih, "
             f"{len(flagged)} perlu diperiksa" + where + f"; {read}, {result.seconds:.1f} s",
             "  per seksi: " + ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in result.counts.items()),
             f"  ditulis: {result.out} (+ {result.sidecar.name if result.sidecar else ''})"]
    return lines


def review_frame(result: Extraction):
    """The flagged rows as a DataFrame: ``halaman, no, nama, indeks, predikat, alasan``
    (what was read, one row per flagged instansi, in annex order)."""
    import pandas as pd

    return pd.DataFrame([{"halaman": r.page if r.page else r.where, "no": r.raw.cells.get("no", ""),
                          "nama": r.raw.cells.get("name", ""), "indeks": r.index_text,
                          "predikat": r.raw.cells.get("predikat", ""),
                          "alasan": "; ".join(r.flags)} for r in result.flagged],
                        columns=["halaman", "no", "nama", "indeks", "predikat", "alasan"])


def row_pictures(pdf_path: Path | str, rows: list) -> list[bytes]:
    """PNG bytes of each row's strip of its PDF page (the picture in the periksa sheet)."""
    import pypdfium2 as pdfium

    from spbe_tools.extract.workbook import row_png

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return [row_png(pdf, r) for r in rows]
    finally:
        pdf.close()
