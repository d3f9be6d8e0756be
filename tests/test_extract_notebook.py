"""notebooks/00-extract.py runs on a generated annex PDF and shows every flagged row."""
from __future__ import annotations

from dataclasses import replace

import nbformat
import pytest

pytest.importorskip("pdfplumber", reason="needs the pdf extra: pip install -e '.[pdf]'")
pytest.importorskip("reportlab", reason="needs reportlab (dev extra)")

from spbe_tools.notebooks import run_notebook  # noqa: E402
from spbe_tools.paths import NOTEBOOKS_DIR  # noqa: E402

from _pdfs import annex_entries, write_text_pdf  # noqa: E402


@pytest.mark.slow
def test_extract_notebook_writes_the_workbook_and_shows_each_flagged_row(tmp_path):
    entries = annex_entries(per_section=5, seed=4)
    entries[3] = replace(entries[3], name="Kementerian Urusan Khayalan")
    pdf = write_text_pdf(tmp_path / "synthetic_lampiran.pdf", entries)
    raw = tmp_path / "raw"
    params = {"raw_dir": str(raw), "pdf_path": str(pdf), "out_dir": str(tmp_path / "report")}
    (executed,) = run_notebook(NOTEBOOKS_DIR / "00-extract.py", tmp_path / "report", params,
                               html=False)
    assert (raw / "annex" / "synthetic_lampiran.xlsx").exists()
    nb = nbformat.read(executed, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    pictures = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(pictures) == 1
    text = "".join(str(o.get("data", {}).get("text/markdown", "")) for o in outputs)
    assert "Kementerian Urusan Khayalan" in text and "25 baris dibaca" in text
