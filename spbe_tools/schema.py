"""The one place where the tables the commands read are checked: columns and types.

``spbe compare``/``brief``/``map``/``plan``/``lock`` and the notebooks read the CSV tables
``spbe build`` wrote (``results.csv``, ``scores.csv``) and the signed-off lock files
(``data/locked/results_<year>.csv``). A hand-edited or damaged file fails here with an
:class:`~spbe_tools.errors.InputError` naming the file, the row (the CSV line, header = 1)
and the column, what was expected and what was found — never a traceback further on.

Every column is read as text first (codes such as ``17.10`` stay text), then converted
by its declared kind:

* ``int``   a whole number (``2023``; ``2023.0`` is accepted), never empty;
* ``float`` a number with a decimal point (``2.61``); empty is allowed (NaN, never 0) only
  where the column is ``nullable``;
* ``bool``  ``True``/``False`` (also ``1``/``0``, ``yes``/``no``); empty is False;
* ``str``   text as written.

>>> import io
>>> text = b"year,instansi_code,instansi,index,predikat\\n2023,17.10,X,2.61,Baik\\n"
>>> read_table(io.BytesIO(text), LOCK, name="results_2023.csv").dtypes["year"]
dtype('int64')
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from spbe_tools.errors import InputError

__all__ = ["Column", "TableSchema", "RESULTS", "SCORES", "LOCK", "read_table", "check_frame"]


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # int|float|bool|str
    required: bool = True
    nullable: bool = False  # an empty cell allowed (float: NaN)


@dataclass(frozen=True)
class TableSchema:
    name: str
    columns: tuple[Column, ...]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


RESULTS = TableSchema("results", (
    Column("year", "int"), Column("instansi_code", "str"), Column("instansi", "str"),
    Column("category", "str"), Column("province_code", "str"), Column("province", "str"),
    Column("index", "float", nullable=True), Column("index_raw", "float", False, True),
    Column("predikat", "str"), Column("predikat_computed", "str", False),
    Column("framework", "str"), Column("synthetic", "bool", False),
    Column("sumber", "str", False), Column("origin", "str", False),
))
SCORES = TableSchema("scores", (
    Column("year", "int"), Column("instansi_code", "str"), Column("instansi", "str", False),
    Column("level", "str"), Column("item", "str"), Column("value", "float", nullable=True),
    Column("framework", "str"), Column("synthetic", "bool", False),
))
LOCK = TableSchema("lock", (
    Column("year", "int"), Column("instansi_code", "str"), Column("instansi", "str"),
    Column("index", "float"), Column("predikat", "str"),
    Column("index_raw", "float", required=False, nullable=True),  # absent in older locks
))

_INT = re.compile(r"^[+-]?\d+(\.0*)?$")
_TRUE, _FALSE = {"true", "1", "yes"}, {"false", "0", "no", ""}


def read_table(source: str | Path | BinaryIO, schema: TableSchema, *,
               name: str | None = None) -> pd.DataFrame:
    """The CSV at ``source`` as a typed DataFrame (schema columns converted, other columns
    kept as text); InputError naming file, row and column when it does not fit."""
    shown = name or str(source)
    raw = source.read() if hasattr(source, "read") else Path(source).read_bytes()
    text = _decode(raw, shown)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise InputError(f"not a readable {schema.name} table ({str(exc).strip()})", file=shown,
                         row=int(line.group(1)) if line else None,
                         expected="a CSV table written by spbe") from None
    return check_frame(frame, schema, file=shown)


def _decode(raw: bytes, shown: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise InputError("the file is not UTF-8 text", file=shown, row=line,
                         expected="UTF-8 (save the CSV as 'CSV UTF-8')",
                         found=f"byte {raw[exc.start]:#04x} at offset {exc.start}") from None


def check_frame(frame: pd.DataFrame, schema: TableSchema, *, file: str) -> pd.DataFrame:
    """A copy of ``frame`` (read as text) with the schema's columns converted; InputError
    for a missing required column (row 1 = the header) or a value that does not convert."""
    missing = [c for c in schema.required if c not in frame.columns]
    if missing:
        raise InputError(f"the {schema.name} table lacks column(s) {missing}", file=file, row=1,
                         column=missing[0], expected=", ".join(schema.required),
                         found=", ".join(map(str, frame.columns)) or "no header")
    out = frame.copy()
    for col in schema.columns:
        if col.name in out.columns:
            out[col.name] = _convert(out[col.name], col, file)
    return out


def _convert(values: pd.Series, col: Column, file: str) -> pd.Series:
    text = values.astype(str).str.strip()
    if col.kind == "str":
        return values.astype(str)
    if col.kind == "bool":
        bad = ~text.str.lower().isin(_TRUE | _FALSE)
        _fail(text, bad, col, file, "True or False")
        return text.str.lower().isin(_TRUE)
    empty = text == ""
    if col.kind == "int":
        _fail(text, ~text.str.match(_INT), col, file, "a whole number such as 2023")
        return text.astype(float).astype("int64")
    numbers = pd.to_numeric(text.where(~empty), errors="coerce")
    _fail(text, (numbers.isna() & ~empty) | (empty & (not col.nullable)), col, file,
          "a number with a decimal point, e.g. 2.61" + ("" if col.nullable else ", never empty"))
    return numbers.astype(float)


def _fail(text: pd.Series, bad: pd.Series, col: Column, file: str, expected: str) -> None:
    if bad.any():
        first = int(bad.to_numpy().nonzero()[0][0])
        more = int(bad.sum()) - 1
        raise InputError(f"a value that is not {col.kind}"
                         + (f" (and {more} more row(s) in this column)" if more else ""),
                         file=file, row=first + 2, column=col.name, expected=expected,
                         found=repr(text.iloc[first]))
