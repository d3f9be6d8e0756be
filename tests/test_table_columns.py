"""One declaration per tidy table (spbe_tools/table_columns.py): the build writes it, the
readers check it, docs/architecture.md shows it."""
from __future__ import annotations

import io
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from docs_columns import BLOCK, DOCS, rendered  # noqa: E402

from spbe_tools.build import _output_bytes, run_build  # noqa: E402
from spbe_tools.errors import InputError  # noqa: E402
from spbe_tools.schema import conform, read_table  # noqa: E402
from spbe_tools.table_columns import (  # noqa: E402
    CHECKS,
    NATIONAL,
    REJECTS,
    RESULTS,
    SCORES,
    TIDY_TABLES,
    markdown_table,
)

PANDAS_KIND = {"int": "iu", "float": "f", "bool": "b"}


def test_the_docs_show_every_table_as_declared():
    text = DOCS.read_text(encoding="utf-8")
    documented = {m.group(2) for m in BLOCK.finditer(text)}
    assert documented == {t.name for t in TIDY_TABLES}
    assert text == rendered(text), "run: python tools/docs_columns.py"
    assert markdown_table(RESULTS) in text and "| note | str | yes |" in text


@pytest.fixture(scope="module")
def shipped_build():
    return run_build([ROOT / "data" / "raw", ROOT / "data" / "demo"], jobs=1)


@pytest.mark.parametrize("table", TIDY_TABLES, ids=lambda t: t.name)
def test_the_build_writes_each_table_in_its_declared_order_and_types(shipped_build, table):
    frame = getattr(shipped_build, table.name)
    assert list(frame.columns) == table.names
    assert len(frame), f"the shipped data give {table.name} rows"
    for f in table.fields:
        if f.dtype in PANDAS_KIND:
            assert frame[f.name].dtype.kind in PANDAS_KIND[f.dtype], f.name
        if not f.nullable:
            column = frame[f.name]
            assert column.notna().all() and (column.astype(str) != "").all(), f.name
    header = _output_bytes(shipped_build)[f"{table.name}.csv"].split(b"\n", 1)[0]
    assert header.decode().split(",") == table.names


def test_readers_check_the_declared_columns_and_name_file_row_and_column(shipped_build):
    text = _output_bytes(shipped_build)["results.csv"].decode()
    typed = read_table(io.BytesIO(text.encode()), RESULTS, name="results.csv")
    assert typed["year"].dtype == "int64" and typed["synthetic"].dtype == bool
    lines = text.split("\n")
    head = lines[0].split(",")
    row = lines[1].split(",")
    row[head.index("framework")] = ""  # a non-nullable text column left empty
    damaged = "\n".join([lines[0], ",".join(row), *lines[2:]])
    with pytest.raises(InputError) as err:
        read_table(io.BytesIO(damaged.encode()), RESULTS, name="results.csv")
    assert (err.value.file, err.value.row, err.value.column) == ("results.csv", 2, "framework")


def test_a_row_built_against_a_declaration_must_name_every_column():
    row = {n: "" for n in reversed(NATIONAL.names)}
    assert NATIONAL.record(**row) == row
    with pytest.raises(TypeError, match=r"missing \['year'\], undeclared \['yeer'\]"):
        NATIONAL.record(**{**{k: v for k, v in row.items() if k != "year"}, "yeer": 2023})


def test_conform_refuses_a_table_that_does_not_match_its_declaration():
    frame = pd.DataFrame([{n: 1 for n in CHECKS.names}])
    assert list(conform(frame[CHECKS.names[::-1]], CHECKS).columns) == CHECKS.names
    with pytest.raises(ValueError, match="missing \\['note'\\]"):
        conform(frame.drop(columns="note"), CHECKS)


def test_empty_tables_keep_their_declared_types():
    empty = conform(pd.DataFrame(columns=SCORES.names), SCORES)
    assert empty["year"].dtype == "int64" and empty["value"].dtype == "float64"
    rejects = conform(pd.DataFrame([REJECTS.record(**{**{n: "" for n in REJECTS.names},
                                                       "source_row": None})]), REJECTS)
    assert rejects["source_row"].dtype == "Int64" and rejects["source_row"].isna().all()
