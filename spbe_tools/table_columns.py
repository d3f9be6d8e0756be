"""The columns of the tidy tables ``spbe build`` writes, in order: the one copy of each
list (docs/architecture.md describes them). Plain data, no imports: every step may use it.
"""
from __future__ import annotations

__all__ = ["LHE_RECORD_COLUMNS", "LHE_REJECT_COLUMNS", "LHE_VALUE_COLUMNS", "NATIONAL_COLUMNS",
           "REJECT_COLUMNS", "RESULT_COLUMNS",
           "SCORE_COLUMNS"]

RESULT_COLUMNS = [
    "year", "instansi_code", "instansi", "category", "province_code", "province",
    "province_reported", "instansi_reported", "index", "index_raw", "predikat",
    "predikat_computed",
    "predikat_flag", "framework", "decree", "synthetic", "sumber", "note", "match_rule",
    "source_file", "source_sheet", "source_cell",
]
REJECT_COLUMNS = [
    "source_file", "source_sheet", "source_row", "source_cell", "year", "instansi_reported",
    "index_raw", "predikat_raw", "reason", "candidates",
]
#: An LHE sheet's rejects: those of a results table without name suggestions.
LHE_REJECT_COLUMNS = [c for c in REJECT_COLUMNS if c != "candidates"]
NATIONAL_COLUMNS = [
    "year", "index", "predikat", "registry_index", "matches_registry", "framework", "sumber",
    "source_file", "source_sheet", "source_cell",
]
SCORE_COLUMNS = ["year", "instansi_code", "instansi", "level", "item", "item_name", "value",
                 "framework", "synthetic", "source_file", "source_sheet", "source_cell"]

#: What reading an LHE sheet gives before its names are resolved: one row per data row read
#: (``record`` numbers them in reading order; ``reason`` is empty while the row is usable) ...
LHE_RECORD_COLUMNS = ["record"] + LHE_REJECT_COLUMNS
#: ... and the score values of its usable rows: a score row without its instansi.
LHE_VALUE_COLUMNS = ["record"] + [c for c in SCORE_COLUMNS
                                  if c not in ("instansi_code", "instansi")]
