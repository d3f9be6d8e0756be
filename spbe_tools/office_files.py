"""Office files (.xlsx, .docx, .pptx) as bytes that depend only on their content.

openpyxl, python-docx and python-pptx stamp a package with "now" twice: in its document
properties (``docProps/core.xml``) and in every zip entry's date. Both are fixed here to
:data:`FIXED_TIMESTAMP`, so the same inputs give the same bytes (the template, the review
workbook of ``spbe extract``, and every file of a briefing pack), and each file is written
atomically (:func:`spbe_tools.output_set.write_atomic`).
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from spbe_tools.output_set import write_atomic

__all__ = ["FIXED_TIMESTAMP", "save_workbook", "stable_package", "workbook_bytes"]

FIXED_TIMESTAMP = dt.datetime(2024, 1, 1, 0, 0, 0)
_STAMP = FIXED_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)")


def stable_package(data: bytes) -> bytes:
    """The zip package ``data`` with its core-property dates and every entry's date set to
    FIXED_TIMESTAMP, entries in the same order, deflated."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            part = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                part = _CORE_DATES.sub(rb"\g<1>" + _STAMP + rb"\g<2>", part)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, part)
    return out.getvalue()


def workbook_bytes(wb) -> bytes:
    """An openpyxl workbook as .xlsx bytes that depend only on its content."""
    wb.properties.created = FIXED_TIMESTAMP
    wb.properties.modified = FIXED_TIMESTAMP
    buf = io.BytesIO()
    wb.save(buf)  # resets `modified` to now: stable_package puts it back
    return stable_package(buf.getvalue())


def save_workbook(wb, path: Path | str) -> Path:
    """Write :func:`workbook_bytes` to ``path`` atomically."""
    return write_atomic(path, workbook_bytes(wb))
