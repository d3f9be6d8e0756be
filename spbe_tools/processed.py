"""The comparisons' input: the tidy tables ``spbe build`` wrote, checked before anything
uses them — ``results.csv`` (required) and ``scores.csv`` (optional) through
:mod:`spbe_tools.schema` (columns, types; codes stay text), the folder against its build's
manifest (:func:`spbe_tools.output_set.verify`). Every command and notebook reads the
processed folder through :func:`load_processed`.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from spbe_tools.errors import ConfigError

__all__ = ["load_processed"]


def load_processed(processed_dir: str | Path) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Read ``results.csv`` (required) and ``scores.csv`` (optional) of a processed folder.

    Codes stay text ("17.10" must not become 17.1), so every column is read as
    str and only ``year``, ``index``/``index_raw``/``value`` and ``synthetic`` are
    converted. Both tables are checked by :mod:`spbe_tools.schema`: a hand-edited or
    damaged file (text in a number column, a missing column, not UTF-8) raises
    InputError naming the file, row and column; then against the build's manifest
    (:func:`spbe_tools.output_set.verify`): a folder a build is writing, or one that
    mixes two builds, raises InputError too.
    """
    from spbe_tools import output_set, schema
    from spbe_tools.table_columns import RESULTS, SCORES

    folder = Path(processed_dir)
    output_set.check_not_writing(folder)
    path = folder / "results.csv"
    if not path.is_file():
        raise ConfigError("no results table; run `spbe build` first", file=str(path),
                          expected="results.csv written by spbe build", found="nothing")
    results = schema.read_table(path, RESULTS)
    scores = None
    if (folder / "scores.csv").is_file():
        scores = schema.read_table(folder / "scores.csv", SCORES)
    output_set.verify(folder)  # one complete build, not a mix of two or a hand-edited table
    return results, scores
