"""``spbe build --engine calamine`` gives the same tidy tables as openpyxl, on every case of
the fixture corpus, the shipped data and a generated national annex."""
from __future__ import annotations

import pandas as pd
import pytest

from spbe_tools.build import run_build
from spbe_tools.cli import main
from spbe_tools.errors import SpbeError

from bad_inputs import CASES, write_case
from conftest import PROJECT_ROOT, SHIPPED_RAW

pytest.importorskip("python_calamine")

SLOW_KINDS = {c.kind for c in CASES if c.kind in {
    "zip-bomb", "zip-bomb-lying-header", "million-blank-rows", "long-names-32767",
    "shared-strings-6m", "ten-thousand-sheets", "rows-over-cell-limit",
    "same-instansi-3000-times", "far-cells-scattered"}}


def _tables(raw, engine: str) -> dict[str, object]:
    try:
        result = run_build(raw, strict=False, engine=engine)
    except SpbeError as exc:  # e.g. a sidecar the whole build refuses
        return {"error": (type(exc).__name__, exc.describe())}
    frames = {name: getattr(result, name).reset_index(drop=True)
              for name in ("results", "national", "rejects", "scores", "checks")}
    return {**frames, "manifest": result.manifest}


def _same(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for name, value in a.items():
        if isinstance(value, pd.DataFrame):
            pd.testing.assert_frame_equal(value, b[name], check_exact=True, obj=name)
        else:
            assert value == b[name], name


@pytest.mark.parametrize("kind", [
    pytest.param(c.kind, marks=pytest.mark.slow) if c.kind in SLOW_KINDS else c.kind
    for c in CASES])
def test_both_engines_give_the_same_tables_on_every_corpus_case(kind, tmp_path):
    case = next(c for c in CASES if c.kind == kind)
    raw = tmp_path / "raw"
    raw.mkdir()
    write_case(case, raw)
    _same(_tables(raw, "openpyxl"), _tables(raw, "calamine"))


def test_both_engines_give_the_same_tables_on_the_shipped_data():
    raw = [SHIPPED_RAW, PROJECT_ROOT / "data" / "demo"]
    _same(_tables(raw, "openpyxl"), _tables(raw, "calamine"))


def test_both_engines_give_the_same_tables_on_a_national_annex(tmp_path):
    from benchmarks.corpus import write_national_annexes

    write_national_annexes(tmp_path / "raw", [2023], agencies=True)
    _same(_tables(tmp_path / "raw", "openpyxl"), _tables(tmp_path / "raw", "calamine"))


def test_calamine_build_writes_the_same_bytes_through_the_cli(tmp_path, capsys):
    outs = {}
    for engine in ("openpyxl", "calamine"):
        out = tmp_path / engine
        assert main(["build", "--raw", str(SHIPPED_RAW), "--out", str(out), "--quiet",
                     "--no-cache", "--engine", engine]) == 0
        outs[engine] = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert outs["openpyxl"] == outs["calamine"]


def _typed(grid) -> tuple:
    rows = [[(type(v).__name__, v) for v in row] for row in grid.rows]
    return (grid.sheet, rows, grid.merged, grid.hidden_rows, grid.hidden, grid.uncached,
            grid.external)


@pytest.mark.parametrize("kind", ["hidden-rows", "hidden-sheet", "formula-without-cached-value",
                                  "external-link", "index-excel-error", "index-date"])
def test_both_readers_make_the_same_grids_value_types_included(kind, tmp_path):
    from spbe_tools import calamine_cells, cells

    case = next(c for c in CASES if c.kind == kind)
    path = write_case(case, tmp_path)
    wb, expected = cells.read_grids(path)
    wb.close()
    got = calamine_cells.read_grids(path)
    assert got is not None
    assert [_typed(g) for g in got] == [_typed(g) for g in expected]


def test_both_readers_make_the_same_grids_for_the_shipped_workbooks():
    from spbe_tools import calamine_cells, cells

    for path in sorted(SHIPPED_RAW.rglob("*.xlsx")):
        wb, expected = cells.read_grids(path)
        wb.close()
        assert [_typed(g) for g in calamine_cells.read_grids(path)] == \
            [_typed(g) for g in expected], path.name
