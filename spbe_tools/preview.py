"""Show how a sheet was read: which rows were taken as title, header, section, data or notes.

For the ingest notebook: the analyst sees, row by row, what the layout step decided,
so a surprising result can be traced to a cell. Reads the workbook; writes nothing.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from spbe_tools.cells import cell_text, read_grids
from spbe_tools.layout import classify_body, find_table

__all__ = ["sheet_preview"]


def sheet_preview(path: Path | str, sheet: str | None = None, *, max_rows: int = 60,
                  max_cols: int = 8) -> pd.DataFrame:
    """One row per sheet row: ``row``, ``kind`` (title|header|section|data|header_repeat|
    blank|note), ``layout`` and the cell texts under their column letters (A, B, …)."""
    values_wb, grids = read_grids(Path(path))
    values_wb.close()
    grid = next((g for g in grids if sheet is None or g.sheet == sheet), None)
    if grid is None:
        raise KeyError(f"no sheet {sheet!r} in {path}; sheets: {[g.sheet for g in grids]}")
    table = find_table(grid)
    kinds = {r: "title" for r in table.title_rows}
    kinds.update({r: "header" for r in table.header_rows})
    kinds.update({b.row: b.kind for b in classify_body(grid, table)})
    letters = [chr(ord("A") + i) for i in range(min(grid.n_cols, max_cols))]
    rows = []
    for r in range(1, min(grid.n_rows, max_rows) + 1):
        cells = [cell_text(grid.value(r, c)) for c in range(1, len(letters) + 1)]
        rows.append([r, kinds.get(r, "blank"), table.layout, *cells])
    return pd.DataFrame(rows, columns=["row", "kind", "layout", *letters])
