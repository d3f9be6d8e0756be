"""Tidy tables against their declarations (:mod:`spbe_tools.table_columns`): typing the
frames a build writes (:func:`conform`) and checking the CSV tables the commands read.

``spbe compare``/``brief``/``map``/``plan``/``lock`` and the notebooks read the CSV tables
``spbe build`` wrote (``results.csv``, ``scores.csv``) and the signed-off lock files
(``data/locked/results_<year>.csv``). A hand-edited or damaged file fails here with an
:class:`~spbe_tools.errors.InputError` naming the file, the row (the CSV line, header = 1)
and the column, what was expected and what was found — never a traceback further on.

Every column is read as text first (codes such as ``17.10`` stay text), then converted
by its declared type:

* ``int``   a whole number (``2023``; ``2023.0`` is accepted), never empty;
* ``float`` a number with a decimal point (``2.61``); empty is allowed (NaN, never 0) only
  where the column is ``nullable``;
* ``bool``  ``True``/``False`` (also ``1``/``0``, ``yes``/``no``); empty is False;
* ``str``   text as written; a required column is empty only where it is ``nullable``.

>>> import io
>>> from spbe_tools.table_columns import LOCK
>>> text = b"year,instansi_code,instansi,index,predikat\\n2023,17.10,X,2.61,Baik\\n"
>>> read_table(io.BytesIO(text), LOCK, name="results_2023.csv").dtypes["year"]
dtype('int64')
"""
from __future__ import annotations

import io
import re
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from spbe_tools.errors import InputError
from spbe_tools.table_columns import PANDAS_DTYPES, Field, Table

__all__ = ["check_frame", "conform", "read_table"]

_INT = re.compile(r"^[+-]?\d+(\.0*)?$")
_TRUE, _FALSE = {"true", "1", "yes"}, {"false", "0", "no", ""}


def read_table(source: str | Path | BinaryIO, table: Table, *,
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
        raise InputError(f"not a readable {table.name} table ({str(exc).strip()})", file=shown,
                         row=int(line.group(1)) if line else None,
                         expected="a CSV table written by spbe") from None
    return check_frame(frame, table, file=shown)


def _decode(raw: bytes, shown: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise InputError("the file is not UTF-8 text", file=shown, row=line,
                         expected="UTF-8 (save the CSV as 'CSV UTF-8')",
                         found=f"byte {raw[exc.start]:#04x} at offset {exc.start}") from None


def check_frame(frame: pd.DataFrame, table: Table, *, file: str) -> pd.DataFrame:
    """A copy of ``frame`` (read as text) with the schema's columns converted; InputError
    for a missing required column (row 1 = the header) or a value that does not convert."""
    missing = [c for c in table.required if c not in frame.columns]
    if missing:
        raise InputError(f"the {table.name} table lacks column(s) {missing}", file=file, row=1,
                         column=missing[0], expected=", ".join(table.required),
                         found=", ".join(map(str, frame.columns)) or "no header")
    out = frame.copy()
    for col in table.fields:
        if col.name in out.columns:
            out[col.name] = _convert(out[col.name], col, file)
    return out


def _convert(values: pd.Series, col: Field, file: str) -> pd.Series:
    text = values.astype(str).str.strip()
    empty = text == ""
    if col.dtype == "str":
        # an optional text column is a courtesy to the reader: only required ones must be filled
        _fail(text, empty & (col.required and not col.nullable), col, file, "text, never empty")
        return values.astype(str)
    if col.dtype == "bool":
        bad = ~text.str.lower().isin(_TRUE | _FALSE)
        _fail(text, bad, col, file, "True or False")
        return text.str.lower().isin(_TRUE)
    if col.dtype == "int":
        _fail(text, ~text.str.match(_INT), col, file, "a whole number such as 2023")
        return text.astype(float).astype("int64")
    numbers = pd.to_numeric(text.where(~empty), errors="coerce")
    _fail(text, (numbers.isna() & ~empty) | (empty & (not col.nullable)), col, file,
          "a number with a decimal point, e.g. 2.61" + ("" if col.nullable else ", never empty"))
    return numbers.astype(float)


def _fail(text: pd.Series, bad: pd.Series, col: Field, file: str, expected: str) -> None:
    if bad.any():
        first = int(bad.to_numpy().nonzero()[0][0])
        more = int(bad.sum()) - 1
        raise InputError(f"a value that is not {col.dtype}"
                         + (f" (and {more} more row(s) in this column)" if more else ""),
                         file=file, row=first + 2, column=col.name, expected=expected,
                         found=repr(text.iloc[first]))


def conform(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """``frame`` with exactly the declared columns in the declared order, the numeric and
    boolean ones in their declared dtype (text columns keep the string dtype pandas gave
    them). The one step between building a table and writing it: a column missing or not
    declared is a bug of the writer, so it raises ValueError rather than filling or dropping.
    """
    if set(frame.columns) != set(table.names):
        raise ValueError(f"the {table.name} table built does not match its declaration: "
                         f"missing {sorted(set(table.names) - set(frame.columns))}, "
                         f"undeclared {sorted(set(frame.columns) - set(table.names))}")
    out = frame[table.names]
    declared = {f.name: _pandas_dtype(f) for f in table.fields if f.dtype != "str"}
    retype = {name: dtype for name, dtype in declared.items() if out[name].dtype != dtype}
    return out.astype(retype) if retype else out


def _pandas_dtype(col: Field) -> str:
    # a whole number that may be unknown needs pandas' nullable integer
    return "Int64" if col.dtype == "int" and col.nullable else PANDAS_DTYPES[col.dtype]
