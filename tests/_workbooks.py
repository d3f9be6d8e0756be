"""Helpers for tests: write small real-looking workbooks with openpyxl."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook


def write_sheet(ws, rows: Iterable[Iterable[Any]], merges: Iterable[str] = ()) -> None:
    """Write rows (lists of values, None for empty) from A1 down, then merge ranges."""
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(r, c, value)
    for rng in merges:
        ws.merge_cells(rng)


def make_workbook(path: Path, sheets: dict[str, tuple[list, list]],
                  sidecar: dict | None = None) -> Path:
    """Write ``{sheet: (rows, merges)}`` to ``path`` (+ ``<stem>.source.yml`` if given)."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, (rows, merges) in sheets.items():
        write_sheet(wb.create_sheet(name), rows, merges)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    if sidecar is not None:
        path.with_name(path.stem + ".source.yml").write_text(
            yaml.safe_dump(sidecar, allow_unicode=True), encoding="utf-8")
    return path
