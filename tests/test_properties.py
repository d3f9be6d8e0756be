"""Property: any table we can describe, written by openpyxl in a supported layout, reads back
to exactly the values written.

Real instansi names (distinct autonomous regions from the reference table), indices in
hundredths inside the year's framework range, a band as predikat (any band, in any
case: a band that disagrees with the index is kept and flagged, never changed), in one
of the layouts: annex (title rows, header variants, one- or two-row merged header,
section rows, comma or point decimals as text, footnote marks, blank rows, notes below,
one sheet per category), long (Tahun column) or wide (one index column per year).
Each example writes one small workbook to a fresh folder and runs the real build on it.
Profiles: ``default`` (500 examples) and ``HYPOTHESIS_PROFILE=long`` (5,000).
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spbe_tools import registry
from spbe_tools.build import run_build
from spbe_tools.identity import default_matcher, load_regions

from _workbooks import make_workbook

YEARS = [2021, 2022, 2023, 2024, 2025]
SECTION_TITLES = {"provinsi": "A. PEMERINTAH PROVINSI", "kabupaten": "B. PEMERINTAH KABUPATEN",
                  "kota": "C. PEMERINTAH KOTA"}
NAME_LABELS = ["Nama Instansi", "Instansi", "Pemerintah Daerah", "NAMA INSTANSI"]
INDEX_LABELS = ["Indeks", "Nilai Indeks", "Indeks SPBE", "INDEKS"]


@cache
def regions() -> list[tuple[str, str, str]]:
    """(code, canonical instansi name, category) of every autonomous region."""
    table = load_regions()
    table = table[table["autonomous"] == "1"]
    return [(code, f"Provinsi {name}" if kind == "provinsi" else name, kind)
            for code, name, kind in zip(table["code"], table["name"], table["type"])]


@dataclass(frozen=True)
class Value:
    code: str
    name: str
    category: str
    year: int
    hundredths: int
    predikat: str | None  # canonical band, or None for no predikat

    @property
    def index(self) -> float:
        return self.hundredths / 100


@st.composite
def values(draw, years: list[int]) -> list[Value]:
    picks = draw(st.lists(st.integers(0, len(regions()) - 1), min_size=1, max_size=8,
                          unique=True))
    out = []
    for year in years:
        fw = registry.framework(registry.evaluation(year).framework)
        lo, hi = round(fw.index_min * 100), round(fw.index_max * 100)
        for i in picks:
            code, name, kind = regions()[i]
            band = draw(st.none() | st.sampled_from([b.predikat for b in fw.bands]))
            out.append(Value(code, name, kind, year, draw(st.integers(lo, hi)), band))
    return out


@st.composite
def number_cells(draw, value: Value):
    """How a value is written: a float, text with a decimal comma or point, a footnote mark."""
    style = draw(st.sampled_from(["float", "comma", "point", "comma-star", "padded"]))
    text = f"{value.index:.2f}"
    return {"float": value.index, "comma": text.replace(".", ","), "point": text,
            "comma-star": text.replace(".", ",") + "*", "padded": f" {text.replace('.', ',')} "
            }[style]


@st.composite
def predikat_cells(draw, value: Value):
    if value.predikat is None:
        return None
    return draw(st.sampled_from([value.predikat, value.predikat.upper(), value.predikat.lower(),
                                 " " + value.predikat + " "]))


def _blanks(draw) -> list[list]:
    return [[]] * draw(st.integers(0, 2))


@st.composite
def annex_sheet(draw, vals: list[Value], year_in: str, title: bool) -> tuple[list, list]:
    """Rows and merges of one annex sheet."""
    year = vals[0].year
    rows: list[list] = []
    if title:
        decree_title = [["LAMPIRAN KEPUTUSAN MENTERI PANRB NOMOR 13 TAHUN 2024"]]
        rows += decree_title[: draw(st.integers(0, 1))]
        rows.append([f"HASIL EVALUASI SPBE TAHUN {year}"] if year_in == "title"
                     else ["HASIL EVALUASI SPBE"])
        rows += _blanks(draw)
    index_label = draw(st.sampled_from(INDEX_LABELS))
    if year_in == "header":
        index_label = f"{index_label} {year}"
    two_rows = draw(st.booleans())
    head = len(rows) + 1
    merges = []
    if two_rows:
        rows += [["No", draw(st.sampled_from(NAME_LABELS)), "Hasil Evaluasi", None],
                 [None, None, index_label, "Predikat"]]
        merges += [f"A{head}:A{head + 1}", f"B{head}:B{head + 1}", f"C{head}:D{head}"]
    else:
        rows.append(["No", draw(st.sampled_from(NAME_LABELS)), index_label, "Predikat"])
    sections = draw(st.booleans())
    for cat in ("provinsi", "kabupaten", "kota"):
        group = [v for v in vals if v.category == cat]
        if not group:
            continue
        if sections:
            rows.append([SECTION_TITLES[cat]])
        for n, v in enumerate(group, start=1):
            rows.append([n, v.name, draw(number_cells(v)), draw(predikat_cells(v))])
            rows += _blanks(draw) if draw(st.integers(0, 4)) == 0 else []
    if draw(st.booleans()):
        rows += _blanks(draw) + [["Keterangan: *) nilai setelah klarifikasi"],
                                 ["Sumber: KepmenPANRB"]]
    return rows, merges


@st.composite
def annex_workbook(draw, vals: list[Value]) -> tuple[dict, dict | None]:
    year_in = draw(st.sampled_from(["title", "header", "sidecar"]))
    sidecar = {"evaluation_year": vals[0].year} if year_in == "sidecar" else None
    split = draw(st.booleans())
    if not split:
        return {"Lampiran": draw(annex_sheet(vals, year_in, title=True))}, sidecar
    sheets = {}
    for cat in ("provinsi", "kabupaten", "kota"):
        group = [v for v in vals if v.category == cat]
        if group:
            title = year_in == "title" or draw(st.booleans())
            sheets[cat.title()] = draw(annex_sheet(group, year_in, title=title))
    return sheets, sidecar


@st.composite
def long_workbook(draw, vals: list[Value]) -> tuple[dict, dict | None]:
    rows = [[None, "Seri hasil evaluasi SPBE"]] * draw(st.integers(0, 1)) + _blanks(draw)
    rows.append(["Tahun", draw(st.sampled_from(NAME_LABELS)), "Indeks", "Predikat"])
    for v in draw(st.permutations(vals)):
        year = draw(st.sampled_from([v.year, str(v.year)]))
        rows.append([year, v.name, draw(number_cells(v)), draw(predikat_cells(v))])
    return {"Data": (rows, [])}, None


@st.composite
def wide_workbook(draw, vals: list[Value]) -> tuple[dict, dict | None]:
    years = sorted({v.year for v in vals})
    bare = draw(st.booleans())
    rows = [["Instansi", *[y if bare else f"Indeks {y}" for y in years]]]
    by_name: dict[str, dict[int, Value]] = {}
    for v in vals:
        by_name.setdefault(v.name, {})[v.year] = v
    for name, per_year in by_name.items():
        rows.append([name, *[draw(number_cells(per_year[y])) for y in years]])
    return {"Seri": (rows, [])}, None


@st.composite
def tables(draw) -> tuple[str, dict, dict | None, list[Value]]:
    layout = draw(st.sampled_from(["annex", "annex", "long", "wide"]))
    if layout == "annex":
        vals = draw(values([draw(st.sampled_from(YEARS))]))
        sheets, sidecar = draw(annex_workbook(vals))
    else:
        years = draw(st.lists(st.sampled_from(YEARS), min_size=1, max_size=3, unique=True))
        vals = draw(values(sorted(years)))
        if layout == "wide":  # the wide layout carries no predikat
            vals = [Value(v.code, v.name, v.category, v.year, v.hundredths, None) for v in vals]
        sheets, sidecar = draw((long_workbook if layout == "long" else wide_workbook)(vals))
    return layout, sheets, sidecar, vals


def write(folder: Path, sheets: dict, sidecar: dict | None) -> None:
    make_workbook(folder / "hasil.xlsx", sheets, sidecar)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(tables())
def test_a_table_written_in_any_supported_layout_reads_back_to_the_values_written(table):
    layout, sheets, sidecar, vals = table
    matcher = default_matcher()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write(folder, sheets, sidecar)
        result = run_build(folder, matcher=matcher)
    assert result.rejects.empty, result.rejects["reason"].tolist()
    got = sorted((int(r.year), r.instansi_code, r.instansi, r.category, round(r.index * 100),
                  r.predikat) for r in result.results.itertuples(index=False))
    want = sorted((v.year, v.code, v.name, v.category, v.hundredths, v.predikat or "")
                  for v in vals)
    assert got == want
    flags = {(int(r.year), r.instansi_code): r.predikat_flag
             for r in result.results.itertuples(index=False)}
    for v in vals:
        fw = registry.evaluation(v.year).framework
        computed = registry.band_for(v.index, fw)
        # the band below, on an index printed on its cut, is the unrounded index's: consistent
        wrong = (v.predikat and v.predikat != computed
                 and not registry.predikat_below_cut(v.index, v.predikat, fw))
        assert flags[(v.year, v.code)] == ("mismatch" if wrong else "")
    (entry,) = result.manifest["inputs"]
    assert entry["values_read"] == entry["values_accepted"] == len(vals)
    if layout == "wide" and len({v.year for v in vals}) == 1:
        layout = "annex"  # one year column is an annex whose header carries the year
    assert {s["layout"] for s in entry["sheets"]} == {layout}


# Invisible characters (Unicode format characters) anywhere in a name never change what it
# resolves to, and the rule always says they were removed (issue 13, item 12).
FORMAT_CHARS = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c",
                "\u202d", "\u202e", "\u2060", "\u2066", "\u2067", "\u2068", "\u2069", "\ufeff",
                "\u00ad", "\u061c"]


@settings(max_examples=200)
@given(st.integers(0, 10_000), st.lists(st.tuples(st.integers(0, 200),
                                                  st.sampled_from(FORMAT_CHARS)),
                                        min_size=1, max_size=4))
def test_invisible_characters_anywhere_in_a_name_resolve_to_the_same_code(pick, inserts):
    code, name, _ = regions()[pick % len(regions())]
    for pos, char in inserts:
        pos %= len(name) + 1
        name = name[:pos] + char + name[pos:]
    res = default_matcher().resolve(name)
    assert res.code == code, res.reason
    assert "invisible character(s) removed: " in res.rule
    for _, char in inserts:
        assert f"U+{ord(char):04X}" in res.rule
