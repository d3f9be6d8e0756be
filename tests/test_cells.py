"""cells.py: absurd extents are refused before anything walks them, and a Grid holds only
the cells that exist (issue 13, items 5, 9 and 11). Bounded variants: no timing here,
the speed of the full-size cases is measured by ``python -m benchmarks hostile``."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import Workbook

from spbe_tools import cells
from spbe_tools.cells import MAX_CELLS, MAX_COLUMNS, MAX_SHEETS, read_grids
from spbe_tools.errors import UnreadableInputError

from bad_inputs import EXTERNAL_TARGET, FAR_CELL, case_named, rows_under_cell_limit, write_case

TABLE = [["HASIL EVALUASI SPBE TAHUN 2023"], ["No", "Nama Instansi", "Indeks", "Predikat"],
         [1, "Provinsi Bengkulu", 3.12, "Baik"]]


def _sheet(path, cells_at: dict[str, object]):
    wb = Workbook()
    wb.active.title = "Lampiran"
    for row in TABLE:
        wb.active.append(row)
    for ref, value in cells_at.items():
        wb.active[ref] = value
    wb.save(path)
    return path


def test_a_value_in_the_last_cell_of_the_sheet_is_refused_naming_file_sheet_and_cell(tmp_path):
    path = write_case(case_named("cell-at-xfd1048576"), tmp_path)
    with pytest.raises(UnreadableInputError) as err:
        read_grids(path)
    e = err.value
    assert (e.file, e.sheet, e.cell) == (path.name, "Lampiran", FAR_CELL)
    assert f"beyond column {MAX_COLUMNS} (IV)" in str(e)
    assert "16384" in str(e.found) and "\n" not in str(e)


def test_scattered_far_cells_are_refused_at_the_first_one_in_reading_order(tmp_path):
    path = write_case(case_named("far-cells-scattered"), tmp_path)
    with pytest.raises(UnreadableInputError) as err:
        read_grids(path)
    from bad_inputs import _far_cells
    first = min(_far_cells())
    assert err.value.cell == cells.address(*first)


def test_a_grid_holds_only_the_cells_that_exist_however_far_apart(tmp_path):
    """A note in the last row and a value in column IV: two far cells, two stored values."""
    path = _sheet(tmp_path / "jauh.xlsx", {"A1048576": "Catatan", "IV1": "x", "IV5000": 1})
    _, (grid,) = read_grids(path)
    assert (grid.n_rows, grid.n_cols) == (1_048_576, MAX_COLUMNS)
    assert (grid.value(1_048_576, 1), grid.value(1, 256), grid.value(5000, 256)) == (
        "Catatan", "x", 1)
    stored = sum(len(r) for r in grid.rows)
    assert stored <= 4 * 4 + 256 + 256 + 1  # the table's rows, row 1, row 5000, the note
    walked = sum(len(r) for r in grid.iter_rows())
    assert walked == stored


def test_a_merged_range_over_the_whole_sheet_is_refused_before_openpyxl_expands_it(
        tmp_path, monkeypatch):
    """openpyxl creates one object per cell of a merged range: F1:XFD1048576 is 17 billion."""
    from bad_inputs import SHEET, _rewrite
    path = _sheet(tmp_path / "gabung.xlsx", {})
    _rewrite(path, {SHEET: lambda b: b.replace(
        b"</sheetData>", b'</sheetData><mergeCells count="2"><mergeCell ref="A1:D1"/>'
        b'<mergeCell ref="F1:XFD1048576"/></mergeCells>')})
    monkeypatch.setattr(cells.openpyxl, "load_workbook", _never)
    with pytest.raises(UnreadableInputError) as err:
        read_grids(path)
    assert (err.value.sheet, err.value.cell) == ("Lampiran", "F1:XFD1048576")
    assert f"more than {cells.MAX_MERGED_CELLS:,} cells" in str(err.value)


def test_more_sheets_than_the_limit_is_refused_before_any_sheet_is_parsed(tmp_path,
                                                                          monkeypatch):
    path = write_case(case_named("ten-thousand-sheets"), tmp_path)
    monkeypatch.setattr(cells.openpyxl, "load_workbook", _never)
    with pytest.raises(UnreadableInputError) as err:
        read_grids(path)
    assert f"more than {MAX_SHEETS:,} sheets" in str(err.value)
    assert "10,000" in str(err.value)


def test_six_million_shared_strings_are_refused_before_openpyxl_reads_them(tmp_path,
                                                                          monkeypatch):
    path = write_case(case_named("shared-strings-6m"), tmp_path)
    monkeypatch.setattr(cells.openpyxl, "load_workbook", _never)
    with pytest.raises(UnreadableInputError) as err:
        read_grids(path)
    assert f"more than {cells.MAX_SHARED_STRINGS:,} shared strings" in str(err.value)
    assert err.value.file == path.name


def test_rows_over_the_cell_limit_are_refused_and_rows_under_it_are_read(tmp_path,
                                                                          monkeypatch):
    over = write_case(case_named("rows-over-cell-limit"), tmp_path / "over")
    with monkeypatch.context() as m:
        m.setattr(cells.openpyxl, "load_workbook", _never)
        with pytest.raises(UnreadableInputError) as err:
            read_grids(over)
    assert f"more than {MAX_CELLS:,} non-empty cells" in str(err.value)
    (tmp_path / "under").mkdir()
    _, (grid,) = read_grids(rows_under_cell_limit(tmp_path / "under"))
    assert sum(v is not None for r in grid.rows for v in r) <= MAX_CELLS


def test_an_external_link_with_a_cached_value_is_flagged_with_its_target(tmp_path):
    path = write_case(case_named("external-link"), tmp_path)
    _, (grid,) = read_grids(path)
    assert grid.value(4, 3) == 2.61  # the cached value is read ...
    assert set(grid.external) == {(4, 3)}  # ... and the cell is flagged
    note = grid.external[(4, 3)]
    assert "[1]Sheet1!A1" in note and EXTERNAL_TARGET in note and "C4" in note
    assert (4, 3) not in grid.uncached


def test_an_ordinary_formula_with_a_cached_value_is_not_an_external_link(tmp_path):
    path = write_case(case_named("external-link"), tmp_path)
    from bad_inputs import _cell_xml
    _cell_xml(path, "C4", '<c r="C4"><f>SUM(C3:C3)</f><v>2.61</v></c>')
    _, (grid,) = read_grids(path)
    assert grid.external == {} and grid.uncached == set()


def _never(*args, **kwargs):
    raise AssertionError("openpyxl was asked to parse a workbook that should have been refused")


def test_two_thousand_names_of_32767_characters_are_refused_naming_the_longest_cell(tmp_path):
    path = write_case(case_named("long-names-32767"), tmp_path)
    with pytest.raises(UnreadableInputError) as err:
        read_grids(path)
    assert (err.value.sheet, err.value.cell) == ("Lampiran", "B4")
    assert f"more than {cells.MAX_TEXT_CHARS:,} characters of text" in str(err.value)
    assert "32,767 characters" in str(err.value)


def test_cell_text_collapses_every_kind_of_whitespace_as_before():
    assert cells.cell_text(" Kota\u00a0 Bengkulu\n\t\u2003x ") == "Kota Bengkulu x"
    assert cells.cell_text(2.0) == "2" and cells.cell_text(None) == ""


def test_the_limits_table_in_the_architecture_doc_gives_the_values_in_force():
    from pathlib import Path

    from spbe_tools import identity
    doc = (Path(__file__).resolve().parents[1] / "docs" / "architecture.md").read_text()
    for name in ("MAX_UNCOMPRESSED_BYTES", "MAX_CELLS", "MAX_SHEETS", "MAX_SHARED_STRINGS",
                 "MAX_MERGED_CELLS", "MAX_TEXT_CHARS"):
        assert f"| {getattr(cells, name):,} " in doc and f"`cells.{name}`" in doc, name
    assert f"| {cells.MAX_COLUMNS} (IV) |" in doc
    for name in ("MAX_NAME_CHARS", "MAX_SUGGESTION_CHARS", "MAX_SUGGESTED_NAMES_PER_FILE"):
        value = getattr(identity, name)
        assert re.search(rf"\b{value}\s+characters|\b{value}\s+distinct", doc), name
        assert f"`identity.{name}`" in doc, name


def test_the_private_cell_store_is_used_only_with_openpyxl_versions_it_is_known_to_work_with(
        tmp_path):
    """cells.stored_cells reads openpyxl's private Worksheet._cells (no public API gives the
    stored cells without walking the used range). Pin it: a new openpyxl must be checked."""
    import openpyxl

    from spbe_tools.cells import OPENPYXL_CELL_STORE_VERSIONS, stored_cells

    assert openpyxl.__version__.startswith(OPENPYXL_CELL_STORE_VERSIONS), openpyxl.__version__
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["B2"], ws["D1048576"] = "a", 2.61
    ws.row_dimensions[500].height = 30  # formatting only: not a stored cell
    path = tmp_path / "store.xlsx"
    wb.save(path)
    read = openpyxl.load_workbook(path).active
    assert {rc: c.value for rc, c in stored_cells(read).items()} == {(2, 2): "a",
                                                                     (1048576, 4): 2.61}
    source = (Path(__file__).resolve().parents[1] / "spbe_tools").rglob("*.py")
    users = sorted(p.name for p in source if "._cells" in p.read_text(encoding="utf-8"))
    assert users == ["cells.py"]
