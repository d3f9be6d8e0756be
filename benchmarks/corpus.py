"""Generated national annexes for the speed benchmarks: every autonomous pemda, one
workbook per year, shaped like the published annex (title rows, a merged two-row header
repeated at page breaks, section rows, comma decimals and footnote marks in some cells,
a "Keterangan" footnote); with ``domains`` shaped like the reports' tables instead (an
"Indeks Domain" group over D1…D4 beside the index, the index Σ bobot × domain of the
domains). The values are **synthetic**: each file is named
``synthetic_annex_<year>.xlsx`` and its sidecar says ``synthetic: true``; they are written
to a temporary folder and never shipped.
"""
from __future__ import annotations

import csv
import random
from pathlib import Path

import yaml
from openpyxl import Workbook

import spbe_tools
from spbe_tools import registry
from spbe_tools.registry import structure

_REGIONS = Path(spbe_tools.__file__).resolve().parent / "data" / "regions.csv"
_SECTIONS = (("provinsi", "A. PEMERINTAH PROVINSI", "Provinsi"),
             ("kabupaten", "B. PEMERINTAH KABUPATEN", "Kabupaten"),
             ("kota", "C. PEMERINTAH KOTA", "Kota"))
#: Rows per printed page: the header repeats after this many data rows, as in a PDF annex.
ROWS_PER_PAGE = 40


def agencies_in(year: int) -> list[str]:
    """Names of the central agencies of the reference table in force in ``year``."""
    path = _REGIONS.with_name("agencies.csv")
    out = []
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            start, end = row["valid_from"][:4], row["valid_to"][:4]
            if (not start or int(start) <= year) and (not end or int(end) >= year):
                out.append(row["name"])
    return out


def autonomous_pemda() -> dict[str, list[str]]:
    """Section (provinsi/kabupaten/kota) -> reference names of its autonomous regions (546)."""
    out: dict[str, list[str]] = {s: [] for s, _, _ in _SECTIONS}
    with open(_REGIONS, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["autonomous"] == "1" and row["type"] in out:
                out[row["type"]].append(row["name"])
    return out


def _header(domains: list[str]) -> list[list]:
    if domains:
        gap = [None] * (len(domains) - 1)
        return [["No", "Nama Instansi", "Indeks Domain", *gap, "Indeks", "Predikat"],
                [None, None, *domains, None, None]]
    return [["No", "Nama Instansi", "Hasil Evaluasi", None], [None, None, "Indeks", "Predikat"]]


def _framework(year: int) -> str:
    known = registry.evaluations()  # years before the first one take its framework
    return (known.get(year) or known[min(known)]).framework


def _shown(rng: random.Random, value: float) -> object:
    """A value as an annex prints it: mostly a number, sometimes "2,61" or "2,61*"."""
    roll = rng.random()
    if roll < 0.15:
        return f"{value:.2f}".replace(".", ",")
    if roll < 0.18:
        return f"{value:.2f}*".replace(".", ",")
    return value


def _value(rng: random.Random, year: int) -> tuple[object, str]:
    """An index as an annex prints it and the predikat of its band, in the case the annex
    happens to use."""
    index = round(rng.uniform(1.2, 4.6), 2)
    predikat = registry.band_for(index, _framework(year))
    shown = _shown(rng, index)
    return shown, (predikat.upper() if rng.random() < 0.5 else predikat)


def _domain_values(rng: random.Random, year: int, domains: list[str]) -> list[object]:
    """The domain cells, the index (Σ bobot × domain, published) and the predikat."""
    values = {d: round(rng.uniform(1.2, 4.8), 2) for d in domains}
    fw = _framework(year)
    index = registry.published_value(registry.index_from_domains(values, fw))
    predikat = registry.band_for(index, fw)
    return [*(_shown(rng, v) for v in values.values()), _shown(rng, index), predikat]


def annex_rows(year: int, pemda: dict[str, list[str]], agencies: list[str] = (),
               domains: bool = False) -> tuple[list[list], list[str]]:
    """The rows and merged ranges of one year's annex sheet (``agencies``: a
    kementerian/lembaga section first, as the decree prints it; ``domains``: the year's
    domain columns before the index, as the reports print them)."""
    rng = random.Random(year)
    items = list(structure.domains(_framework(year))["item"]) if domains else []
    last = "ABCDEFGHIJ"[len(items) + 3 if items else 3]
    title = f"LAMPIRAN KEPUTUSAN MENTERI PANRB (SINTETIS, UNTUK UJI KECEPATAN) {year}"
    rows: list[list] = [[title],
                        [f"HASIL EVALUASI SPBE PEMERINTAH DAERAH TAHUN {year} — DATA SINTETIS"],
                        []]
    merges: list[str] = []

    def header() -> None:
        top = len(rows) + 1
        rows.extend(_header(items))
        merges.extend([f"A{top}:A{top + 1}", f"B{top}:B{top + 1}"])
        if items:
            group_end, index_col = "ABCDEFGHIJ"[len(items) + 1], "ABCDEFGHIJ"[len(items) + 2]
            merges.extend([f"C{top}:{group_end}{top}", f"{index_col}{top}:{index_col}{top + 1}",
                           f"{last}{top}:{last}{top + 1}"])
        else:
            merges.append(f"C{top}:D{top}")

    header()
    on_page = 0
    sections = ([("agencies", "INSTANSI PUSAT", "")] if agencies else []) + list(_SECTIONS)
    names = {**pemda, "agencies": list(agencies)}
    for section, title, _ in sections:
        rows.append([title])
        merges.append(f"A{len(rows)}:{last}{len(rows)}")
        for n, name in enumerate(names[section], start=1):
            if on_page == ROWS_PER_PAGE:
                header()
                on_page = 0
            values = _domain_values(rng, year, items) if items else list(_value(rng, year))
            # a tenth of the kabupaten in the short form many annexes print
            written = (name.replace("Kabupaten ", "Kab. ", 1)
                       if section == "kabupaten" and rng.random() < 0.1 else name)
            rows.append([n, written, *values])
            on_page += 1
    rows.extend([[], ["Keterangan: *) nilai setelah klarifikasi; data sintetis"]])
    return rows, merges


def write_national_annexes(folder: Path, years: list[int], *, agencies: bool = False,
                           domains: bool = False) -> list[Path]:
    """One synthetic annex workbook (546 pemda, and with ``agencies`` the central agencies
    of the reference table in force that year; with ``domains`` the domain columns) and
    sidecar per year in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    pemda = autonomous_pemda()
    paths = []
    for year in years:
        wb = Workbook()
        ws = wb.active
        ws.title = "Lampiran"
        rows, merges = annex_rows(year, pemda, agencies_in(year) if agencies else (), domains)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(r, c, value)
        for rng in merges:
            ws.merge_cells(rng)
        path = folder / f"synthetic_annex_{year}.xlsx"
        wb.save(path)
        path.with_name(path.stem + ".source.yml").write_text(yaml.safe_dump({
            "publisher": "SPBE Workbook benchmarks (generated)", "evaluation_year": year,
            "synthetic": True, "notes": "synthetic values for speed measurement only",
        }, allow_unicode=True), encoding="utf-8")
        paths.append(path)
    return paths
