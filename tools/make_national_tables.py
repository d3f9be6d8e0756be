"""Write the national and category means of the two national reports as a raw workbook
(development-time script).

    python tools/make_national_tables.py [data/sources/laporan] [data/raw]

Reads, from the Markdown conversions in ``data/sources/laporan/`` (see its README):

* *Laporan Pelaksanaan Evaluasi SPBE 2024*, Tabel 4 "Indeks SPBE Nasional 2018-2024": the
  national index and the national domain means of every year 2018-2024;
* *Laporan Evaluasi SPBE 2023*, Tabel 7, and the 2024 report, Tabel 8, "Nilai Indeks
  Kematangan SPBE": the index and domain means by category (Kementerian, LPNK, LNS, Instansi
  Lainnya, Provinsi, Kabupaten, Kota) of that year.

and writes ``national/indeks_nasional_laporan.xlsx`` (long layout: Tahun, Instansi,
Kategori, domain columns, Indeks, an empty Predikat, Sumber naming the report, table and
Markdown lines) with its sidecar. The 2018-2020 years were scored under PermenPANRB
5/2018 (three domains: Kebijakan, Tata Kelola, Layanan) and sit on a sheet of their own
with D1-D3; the
2021-2024 years have the four domains of PermenPANRB 59/2020. The category tables' own
"Nasional" column is not written: the year series of Tabel 4 gives the national figures,
and where the two reports disagree on 2023 the sidecar says so. Output is byte-stable.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml
from openpyxl import Workbook
from openpyxl.styles import Font

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from spbe_tools.extract.text_tables import markdown_tables  # noqa: E402
from spbe_tools.office_files import save_workbook  # noqa: E402

REPORT_2023 = "laporan_evaluasi_spbe_2023.md"
REPORT_2024 = "laporan_pelaksanaan_evaluasi_spbe_2024.md"
TITLES = {REPORT_2023: "Laporan Evaluasi SPBE 2023",
          REPORT_2024: "Laporan Pelaksanaan Evaluasi SPBE 2024"}
NATIONAL_NAME = "Indeks SPBE Nasional"
TRANSCRIBED = "2026-12-04"
BOLD = Font(bold=True)
# column labels the OCR damaged, as the report prints them (the 2024 Tabel 8 lost an "I")
OCR_LABELS = {"LNS dan nstansi Lainnya": "LNS dan Instansi Lainnya"}
# row labels of the tables -> domain number (the rows the reports print per domain)
_DOMAIN_ROW = (("kebijakan", 1), ("tata kelola", 2), ("manajemen", 3), ("layanan", 4))
# spbe-5-2018 had no Manajemen domain: Layanan is its third
_DOMAIN_2018 = {1: "D1", 2: "D2", 4: "D3"}
_DOMAIN_2020 = {1: "D1", 2: "D2", 3: "D3", 4: "D4"}


def _table(path: Path, prefix: str) -> tuple[list[str], list[list[str]], list[int]]:
    """(header, body rows, 1-based line of each body row) of the one table of the report
    titled ``prefix`` ("Tabel 4."), read by spbe extract's Markdown reader."""
    tables, _ = markdown_tables(path.read_text(encoding="utf-8"))
    found = [t for t in tables if (t.title or "").startswith(prefix)]
    if len(found) != 1:
        raise SystemExit(f"{path}: expected one table titled {prefix!r}, found {len(found)}")
    t = found[0]
    return t.rows[0], t.rows[1:], [int(label.split()[-1]) for label in t.labels[1:]]


def _number(text: str) -> float | None:
    text = text.strip()
    if text in {"", "-", "–"}:
        return None
    return float(text.replace(",", "."))


def _domain_of(label: str) -> int | None:
    """Domain number of a row label ("Indeks Domain Tata Kelola", "D.2 Tata Kelola");
    None for the index row and for aspect rows ("A.2 Perencanaan")."""
    low = label.lower()
    if re.match(r"^a\.?\s*\d", low):
        return None
    return next((n for word, n in _DOMAIN_ROW if word in low), None)


def _source(path: Path, table: str, lines: set[int]) -> str:
    where = f"baris {min(lines)}-{max(lines)}" if len(lines) > 1 else f"baris {min(lines)}"
    return f"{TITLES[path.name]}, {table} (data/sources/laporan/{path.name}, {where})"


def year_series(path: Path) -> list[dict]:
    """Tabel 4 of the 2024 report: one record per year with index, domains and the line
    of each value's row."""
    header, body, lines = _table(path, "Tabel 4.")
    years = [int(h) for h in header[1:]]
    out = {y: {"year": y, "category": "Nasional", "domains": {}, "lines": set()} for y in years}
    for cells, line in zip(body, lines):
        dom = _domain_of(cells[0])
        for y, text in zip(years, cells[1:]):
            value = _number(text)
            if value is None:
                continue
            rec = out[y]
            rec["lines"].add(line)
            if dom is None:
                rec["index"] = value
            else:
                rec["domains"][(_DOMAIN_2018 if y <= 2020 else _DOMAIN_2020)[dom]] = value
    for rec in out.values():
        rec["sumber"] = _source(path, "Tabel 4", rec["lines"])
    return [out[y] for y in years]


def category_means(path: Path, prefix: str, year: int) -> list[dict]:
    """The index and domain means by category of one report (its "Nasional" column left
    out: the year series gives the national figures)."""
    header, body, lines = _table(path, prefix)
    cats = [OCR_LABELS.get(c, c) for c in header[1:]]
    out = {c: {"year": year, "category": c, "domains": {}, "lines": set()} for c in cats
           if c.lower() != "nasional"}
    for cells, line in zip(body, lines):
        label = cells[0]
        dom = _domain_of(label)
        if dom is None and label.strip().upper() != "SPBE":
            continue  # an aspect row
        for c, text in zip(cats, cells[1:]):
            if c not in out:
                continue
            out[c]["lines"].add(line)
            if dom is None:
                out[c]["index"] = _number(text)
            else:
                out[c]["domains"][_DOMAIN_2020[dom]] = _number(text)
    for rec in out.values():
        rec["sumber"] = _source(path, prefix.rstrip("."), rec["lines"])
    return list(out.values())


def _sheet(ws, records: list[dict], items: list[str]) -> None:
    # the tables print no predikat; the empty column gives the sheet the shape of a results
    # table (an LHE sheet has none), so the build reads it as published figures
    header = ["Tahun", "Instansi", "Kategori", *items, "Indeks", "Predikat", "Sumber"]
    for c, label in enumerate(header, start=1):
        ws.cell(1, c, label).font = BOLD
    for r, rec in enumerate(records, start=2):
        values = [rec["year"], NATIONAL_NAME, rec["category"],
                  *(rec["domains"].get(i) for i in items), rec["index"], None, rec["sumber"]]
        for c, v in enumerate(values, start=1):
            cell = ws.cell(r, c, v)
            if isinstance(v, float):
                cell.number_format = "0.00"
    ws.column_dimensions["B"].width = 22
    ws.column_dimensions["C"].width = 26
    ws.column_dimensions[chr(ord("A") + len(header) - 1)].width = 90


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parents[1]
    src = Path(argv[0]) if argv else here / "data/sources/laporan"
    out = Path(argv[1]) if len(argv) > 1 else here / "data/raw"
    series = year_series(src / REPORT_2024)
    cats = (category_means(src / REPORT_2023, "Tabel 7.", 2023)
            + category_means(src / REPORT_2024, "Tabel 8.", 2024))
    wb = Workbook()
    _sheet(wb.active, [r for r in series if r["year"] <= 2020], ["D1", "D2", "D3"])
    wb.active.title = "2018-2020"
    _sheet(wb.create_sheet("2021-2024"), [r for r in series if r["year"] > 2020] + cats,
           ["D1", "D2", "D3", "D4"])
    path = out / "national" / "indeks_nasional_laporan.xlsx"
    save_workbook(wb, path)
    sidecar = {
        "publisher": "Kementerian PANRB",
        "title": "Indeks SPBE nasional dan rerata per kategori, dari laporan evaluasi SPBE "
                 "2023 dan 2024",
        "authority": "official",
        "source_urls": [f"data/sources/laporan/{REPORT_2023}",
                        f"data/sources/laporan/{REPORT_2024}"],
        "transcribed": TRANSCRIBED,
        "transcribed_by": "tools/make_national_tables.py, from the Markdown conversions of "
                          "the reports (see data/sources/laporan/README.md)",
        "licence": "Figures from publications of the Government of Indonesia.",
        "extract": True,
        "synthetic": False,
        "notes": "National index and domain means 2018-2024: the 2024 report, Tabel 4 "
                 "(2018-2020 under PermenPANRB 5/2018: D1 Kebijakan, D2 Tata Kelola, D3 "
                 "Layanan; Manajemen was printed as '-'). Means by category: the 2023 report, "
                 "Tabel 7, and the 2024 report, Tabel 8 (2024 prints LNS and Instansi "
                 "Lainnya as one column; the conversion reads its label 'LNS dan nstansi Lainnya', "
                 "restored here). Doubt: the 2023 report gives the 2023 national "
                 "domain means as 2,91 / 2,27 / 1,65 / 3,45 (Tabel 4 and 7); the 2024 "
                 "report's series gives 2,94 / 2,29 / 1,66 / 3,47 for the same year; the "
                 "2024 series is written here. The national index is published, never "
                 "recomputed from the instansi rows (2,79 published; the mean of the 621 "
                 "rows is 2,816).",
    }
    path.with_name(path.stem + ".source.yml").write_text(
        yaml.safe_dump(sidecar, sort_keys=True, allow_unicode=True, width=100),
        encoding="utf-8")
    print(f"wrote {len(series)} national and {len(cats)} category rows into {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
