"""The tidy tables ``spbe build`` writes, declared once: for each table its columns in order,
with each column's type, whether it may be empty, whether a reader requires it, and what it
means. The writers take their order and types from here (:func:`spbe_tools.schema.conform`),
the readers check against it (:func:`spbe_tools.schema.read_table`), and the columns tables
of docs/architecture.md are these declarations rendered (:func:`markdown_table`; a test
compares them). Plain data, no imports beyond the standard library: every step may use it.

Types: ``int`` a whole number, never empty; ``float`` a number, empty only where
``nullable`` (NaN, never 0); ``bool`` True/False; ``str`` text as written (empty is ``""``,
allowed only where ``nullable``).

>>> RESULTS.names[:3], RESULTS.field("index").dtype
(['year', 'instansi_code', 'instansi'], 'float')
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

__all__ = ["CHECKS", "LHE_RECORD_COLUMNS", "LHE_REJECT_COLUMNS", "LHE_VALUE_COLUMNS", "LOCK",
           "NATIONAL", "REJECTS", "RESULTS", "SCORES", "TIDY_TABLES", "Field", "Table",
           "markdown_table"]

#: The pandas dtype each declared type is written with.
PANDAS_DTYPES = {"int": "int64", "float": "float64", "bool": "bool", "str": "object"}


@dataclass(frozen=True)
class Field:
    """One column of a tidy table."""

    name: str
    dtype: str  # int | float | bool | str
    meaning: str
    nullable: bool = False  # may be empty (float: NaN, str: "")
    required: bool = True  # a reader refuses a table without it


@dataclass(frozen=True)
class Table:
    """One tidy table: its file stem and its columns in the order written."""

    name: str
    fields: tuple[Field, ...]

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def required(self) -> list[str]:
        return [f.name for f in self.fields if f.required]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def record(self, **values: object) -> dict:
        """One row of this table as a dict (keys in the caller's order: the frame built from
        the rows takes the declared order, :func:`spbe_tools.schema.conform`); a column
        missing or not declared raises TypeError naming it (rows are built against the
        declaration, never a copy)."""
        if values.keys() != self._name_set:
            missing = sorted(self._name_set - values.keys())
            extra = sorted(values.keys() - self._name_set)
            raise TypeError(f"a {self.name} row: missing {missing}, undeclared {extra}")
        return values

    # asked once per row of every build: computed once (frozen dataclasses allow this)
    @cached_property
    def _name_set(self) -> frozenset[str]:
        return frozenset(self.names)

    def without(self, *names: str) -> list[str]:
        """The column names in order, leaving ``names`` out."""
        return [n for n in self.names if n not in names]


def _f(name: str, dtype: str, meaning: str, *, empty: bool = False,
       required: bool = True) -> Field:
    return Field(name, dtype, meaning, nullable=empty, required=required)


_SOURCE = (
    _f("source_file", "str", "path relative to the raw folder, `/` separators", required=False),
    _f("source_sheet", "str", "sheet name", required=False),
    _f("source_cell", "str", "cell holding the value, e.g. `C7`", required=False),
)

RESULTS = Table("results", (
    _f("year", "int", "evaluation year (not decree year)"),
    _f("instansi_code", "str", "Kemendagri code for pemda (`17`, `17.71`); `K.<SHORT>` / "
       "`L.<SHORT>` for central agencies"),
    _f("instansi", "str", "canonical name (`Kota Bengkulu`, `Provinsi Bengkulu`, "
       "`Kabupaten Mukomuko`)"),
    _f("category", "str", "`kementerian`, `lembaga`, `provinsi`, `kabupaten`, `kota`"),
    _f("province_code", "str", "current canonical province code (`17`); empty for central "
       "agencies", empty=True),
    _f("province", "str", "current canonical province name; empty for central agencies",
       empty=True),
    _f("province_reported", "str", "province as the source wrote it (may be empty)",
       empty=True, required=False),
    _f("instansi_reported", "str", "the name exactly as the source wrote it", required=False),
    _f("index", "float", "SPBE index, 0–5, as published: the value read rounded half-up to 2 "
       "decimals (`registry.published_value`); the same number in the CSV and the parquet; "
       "bands, ranks and duplicate checks use it", empty=True),
    _f("index_raw", "float", "the number as read from the source cell, before rounding "
       "(e.g. `2.6099999`)", empty=True, required=False),
    _f("predikat", "str", "published predikat, canonical spelling; empty when the source "
       "gave none", empty=True),
    _f("predikat_computed", "str", "band computed from the index under the year's framework",
       required=False),
    _f("predikat_flag", "str", "empty, or `mismatch` when published predikat ≠ computed band",
       empty=True, required=False),
    _f("framework", "str", "registry key, e.g. `spbe-59-2020`"),
    _f("decree", "str", "decree that published the year's results (registry), may be empty",
       empty=True, required=False),
    _f("synthetic", "bool", "true when the input file is synthetic (file name `synthetic_…`)",
       required=False),
    _f("sumber", "str", "source URL / citation for this row (row `Sumber` column or sidecar)",
       empty=True, required=False),
    _f("note", "str", "what the reader noticed about the row (a hidden row, the same value "
       "also in another cell, the PDF page and box it came from); may be empty",
       empty=True, required=False),
    _f("match_rule", "str", "how the name was resolved (`exact`, `alias: …`)",
       required=False),
    *_SOURCE,
    _f("origin", "str", "`table` (a results table gave the value) or `lhe` (the published "
       "index of an LHE/domain table, added when no results table gives that instansi-year; "
       "`predikat` and `decree` empty, `sumber` from the LHE's sidecar)", required=False),
))

REJECTS = Table("rejects", (
    _f("source_file", "str", "path relative to the raw folder, `/` separators"),
    _f("source_sheet", "str", "sheet name; empty when the whole file was not read",
       empty=True),
    _f("source_row", "int", "the row in the sheet; empty when a whole file was not read and "
       "its error names no row", empty=True),
    _f("source_cell", "str", "cell of the value rejected; may be empty", empty=True),
    _f("year", "str", "the year as read (may be empty or unreadable)", empty=True),
    _f("instansi_reported", "str", "the name as the source wrote it", empty=True),
    _f("index_raw", "str", "the index cell as read", empty=True),
    _f("predikat_raw", "str", "the predikat cell as read", empty=True),
    _f("reason", "str", "why the row is not in the results"),
    _f("candidates", "str", "for an unresolved name: the closest canonical names, `; `-joined",
       empty=True, required=False),
))

NATIONAL = Table("national", (
    _f("year", "int", "evaluation year"),
    _f("category", "str", "the group the figure is for: empty for every instansi, else one of "
       "`categories.NATIONAL_CATEGORIES` (`kementerian`, `lpnk`, `lns`, `instansi lainnya`, "
       "`provinsi`, `kabupaten`, `kota`, …)", empty=True, required=False),
    _f("level", "str", "`index` (the SPBE index) or `domain`", required=False),
    _f("item", "str", "`index`, or the domain `D1`…`D4` (the registry's items)",
       required=False),
    _f("index", "float", "the figure as published in the input, rounded half-up to 2 decimals "
       "(`registry.published_value`): the index, or on a domain row the domain's index"),
    _f("predikat", "str", "published predikat of an index row; empty on domain rows and when "
       "the input gave none", empty=True),
    _f("registry_index", "float", "the registry's national index of that year; only on the "
       "all-instansi index row (empty on category and domain rows)", empty=True),
    _f("matches_registry", "bool", "the input's value equals the registry's (false where "
       "`registry_index` is empty: not compared)"),
    _f("framework", "str", "registry key of the year's framework"),
    _f("sumber", "str", "source URL / citation", empty=True),
    *_SOURCE,
))

SCORES = Table("scores", (
    _f("year", "int", "evaluation year"),
    _f("instansi_code", "str", "canonical code (as in `results`)"),
    _f("instansi", "str", "canonical name", required=False),
    _f("level", "str", "`index`, `domain`, `aspect` or `indicator`"),
    _f("item", "str", "`index`, `D1`…, `A1`…, `I1`… (the registry's items)"),
    _f("item_name", "str", "the item's name in the registry", required=False),
    _f("value", "float", "index points 0–5 (an indicator: its level 1–5); empty when the "
       "sheet gave none", empty=True),
    _f("framework", "str", "registry key of the year's framework"),
    _f("synthetic", "bool", "true when the input file is synthetic", required=False),
    *_SOURCE,
))

CHECKS = Table("checks", (
    _f("year", "int", "evaluation year"),
    _f("instansi_code", "str", "canonical code"),
    _f("level", "str", "`index`, `domain` or `aspect`"),
    _f("item", "str", "the item recomputed"),
    _f("published", "float", "the published value (index points)"),
    _f("recomputed", "float", "the value recomputed from the level below, unrounded"),
    _f("difference", "float", "recomputed − published"),
    _f("ok", "bool", "the recomputed value, published the way values are published "
       "(`registry.published_value`), equals the published one"),
    _f("note", "str", "the pair compared (`domains vs results`, …) and, on disagreement, "
       "`recomputed rounds to X, published Y`"),
))

#: A signed-off snapshot ``data/locked/results_<year>.csv`` (:mod:`spbe_tools.lock`).
LOCK = Table("lock", (
    _f("year", "int", "evaluation year"),
    _f("instansi_code", "str", "canonical code"),
    _f("instansi", "str", "canonical name"),
    _f("index", "float", "the published index signed off"),
    _f("predikat", "str", "the published predikat signed off", empty=True),
    _f("index_raw", "float", "the value as read, in full; absent in older locks", empty=True,
       required=False),
))

#: The tables ``spbe build`` writes, in the order docs/architecture.md describes them.
TIDY_TABLES = (RESULTS, REJECTS, NATIONAL, SCORES, CHECKS)

#: An LHE sheet's rejects: those of a results table without name suggestions.
LHE_REJECT_COLUMNS = REJECTS.without("candidates")
#: What reading an LHE sheet gives before its names are resolved: one row per data row read
#: (``record`` numbers them in reading order; ``reason`` is empty while the row is usable) ...
LHE_RECORD_COLUMNS = ["record", *LHE_REJECT_COLUMNS]
#: ... and the score values of its usable rows: a score row without its instansi.
LHE_VALUE_COLUMNS = ["record", *SCORES.without("instansi_code", "instansi")]


def markdown_table(table: Table) -> str:
    """The columns of ``table`` as the Markdown table docs/architecture.md shows."""
    lines = ["| column | type | may be empty | readers require it | meaning |",
             "|---|---|---|---|---|"]
    lines += [f"| {f.name} | {f.dtype} | {_yes(f.nullable)} | {_yes(f.required)} | {f.meaning} |"
              for f in table.fields]
    return "\n".join(lines)


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"
