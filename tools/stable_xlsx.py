"""Save an openpyxl workbook byte-identically for the same content (dev-time data scripts).

openpyxl stamps the save time into docProps/core.xml and into every zip entry;
this rewrites both to a fixed moment so regenerating a shipped file changes nothing.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

FIXED = "2026-11-28T00:00:00Z"


def save_stable(wb, path: Path) -> None:
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(src.namelist()):
            data = src.read(name)
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + FIXED.encode(),
                              data)
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 28, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, data)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_bytes(out.getvalue())
