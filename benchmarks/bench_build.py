"""How long ``spbe build`` takes on the shipped data, against just opening the workbooks.

Baseline (same process): ``openpyxl.load_workbook`` of every shipped workbook once, the
least any reader must do. The ratio says what recognition, validation, identity and
writing add on top of it.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import openpyxl

from benchmarks.harness import compare
from spbe_tools.build import build
from spbe_tools.paths import DEMO_DIR, RAW_DIR


def run() -> list[dict]:
    books = sorted(RAW_DIR.rglob("*.xlsx")) + sorted(DEMO_DIR.rglob("*.xlsx"))
    with tempfile.TemporaryDirectory() as tmp:
        def full_build():
            build([RAW_DIR, DEMO_DIR], Path(tmp) / "out")

        def open_only():
            for b in books:
                openpyxl.load_workbook(b, data_only=True).close()

        row = compare("spbe build (shipped data/raw + data/demo)", full_build,
                      "openpyxl.load_workbook of the same files", open_only, repeat=5,
                      files=len(books))
    return [row]
