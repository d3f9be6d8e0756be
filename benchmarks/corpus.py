"""Generated national annexes for the speed benchmarks: every autonomous pemda, one
workbook per year, shaped like the published annex (title rows, a merged two-row header
repeated at page breaks, section rows, comma decimals and footnote marks in some cells,
a "Keterangan" footnote). The values are **synthetic**: each file is named
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


def _header() -> list[list]:
    return [["No", "Nama Instansi", "Hasil Evaluasi", None], [None, None, "Indeks", "Predikat"]]


def _value(rng: random.Random, year: int) -> tuple[object, str]:
    """An index as an annex prints it (mostly a number, sometimes "2,61" or "2,61*") and
    the predikat of its band, in the case the annex happens to use."""
    index = round(rng.uniform(1.2, 4.6), 2)
    known = registry.evaluations()  # years before the first one take its framework
    fw = (known.get(year) or known[min(known)]).framework
    predikat = registry.band_for(index, fw)
    shown: object = index
    roll = rng.random()
    if roll < 0.15:
        shown = f"{index:.2f}".replace(".", ",")
    elif roll < 0.18:
        shown = f"{index:.2f}*".replace(".", ",")
    return shown, (predikat.upper() if rng.random() < 0.5 else predikat)


def annex_rows(year: int, pemda: dict[str, list[str]], agencies: list[str] = ()
               ) -> tuple[list[list], list[str]]:
    """The rows and merged ranges of one year's annex sheet (``agencies``: a
    kementerian/lembaga section first, as the decree prints it)."""
    rng = random.Random(year)
    title = f"LAMPIRAN KEPUTUSAN MENTERI PANRB (SINTETIS, UNTUK UJI KECEPATAN) {year}"
    rows: list[list] = [[title],
                        [f"HASIL EVALUASI SPBE PEMERINTAH DAERAH TAHUN {year} — DATA SINTETIS"],
                        []]
    merges: list[str] = []

    def header() -> None:
        top = len(rows) + 1
        rows.extend(_header())
        merges.extend([f"A{top}:A{top + 1}", f"B{top}:B{top + 1}", f"C{top}:D{top}"])

    header()
    on_page = 0
    sections = ([("agencies", "INSTANSI PUSAT", "")] if agencies else []) + list(_SECTIONS)
    names = {**pemda, "agencies": list(agencies)}
    for section, title, _ in sections:
        rows.append([title])
        merges.append(f"A{len(rows)}:D{len(rows)}")
        for n, name in enumerate(names[section], start=1):
            if on_page == ROWS_PER_PAGE:
                header()
                on_page = 0
            shown, predikat = _value(rng, year)
            # a tenth of the kabupaten in the short form many annexes print
            written = (name.replace("Kabupaten ", "Kab. ", 1)
                       if section == "kabupaten" and rng.random() < 0.1 else name)
            rows.append([n, written, shown, predikat])
            on_page += 1
    rows.extend([[], ["Keterangan: *) nilai setelah klarifikasi; data sintetis"]])
    return rows, merges


def write_national_annexes(folder: Path, years: list[int], *, agencies: bool = False
                           ) -> list[Path]:
    """One synthetic annex workbook (546 pemda, and with ``agencies`` the central agencies
    of the reference table in force that year) and sidecar per year in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    pemda = autonomous_pemda()
    paths = []
    for year in years:
        wb = Workbook()
        ws = wb.active
        ws.title = "Lampiran"
        rows, merges = annex_rows(year, pemda, agencies_in(year) if agencies else ())
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
