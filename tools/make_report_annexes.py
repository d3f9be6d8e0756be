"""Write the shipped workbooks of the two national reports through the product's own path
(development-time script).

    python tools/make_report_annexes.py [data/sources/laporan] [data/raw]

For each report in ``data/sources/laporan/`` (see its README) this runs ``spbe extract``'s
reader (:func:`spbe_tools.extract.extract`) with the report's title, its source and
``authority: official``, then applies the analyst's review decisions recorded in
``data/sources/laporan/review_decisions.csv`` (``year, line, decision, empty_cells,
reason``) to the review workbook:

* ``keep`` — the row's Periksa mark is cleared (the build then takes the row) and the
  decision is written into its Catatan cell, ``Diperiksa: <reason>``;
* ``reject`` — the mark stays, with the decision appended (the build rejects the row);
* ``empty_cells`` — domain columns (``D1``…) whose unreadable cell is emptied, so that no
  value is guessed.

A decision for a row that is not flagged, or a flagged row without a decision, stops the
script: the decisions must match what the reader flags. The workbooks go to
``data/raw/laporan/`` with their sidecars; the same inputs give the same bytes.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from pathlib import Path

import yaml
from openpyxl import load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from spbe_tools.extract import extract  # noqa: E402
from spbe_tools.office_files import workbook_bytes  # noqa: E402
from spbe_tools.output_set import write_atomic  # noqa: E402

#: The date the reports were extracted and reviewed (the sidecars' ``transcribed``).
REVIEWED = dt.date(2026, 12, 4)
CONVERSION = ("https://github.com/aqilalfa/TA_PUSDATIK/blob/"
              "004d42d803db444c476a6af13cc64b395c6f14a0/backend/data/marker_output/")
REPORTS = {
    2023: ("laporan_evaluasi_spbe_2023.md",
           "Laporan Evaluasi SPBE 2023 (hasil KepmenPANRB No. 13 Tahun 2024), Tabel 8-53",
           CONVERSION + "e34ab432_LAPORAN_EVALUASI_SPBE_KemenpanRB_2023/"
                        "e34ab432_LAPORAN_EVALUASI_SPBE_KemenpanRB_2023.md"),
    2024: ("laporan_pelaksanaan_evaluasi_spbe_2024.md",
           "Laporan Pelaksanaan Evaluasi SPBE 2024 (hasil KepmenPANRB No. 663 Tahun 2024), "
           "Tabel 9-54",
           CONVERSION + "20250313_Laporan_Pelaksanaan_Evaluasi_SPBE_2024/"
                        "20250313_Laporan_Pelaksanaan_Evaluasi_SPBE_2024.md"),
}


def load_decisions(path: Path) -> dict[tuple[int, int], dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return {(int(r["year"]), int(r["line"])): r for r in csv.DictReader(fh)}


def _header(ws) -> tuple[int, dict[str, int]]:
    """(row, label -> column) of the data sheet's header (the row holding "Periksa")."""
    for row in ws.iter_rows():
        labels = {str(c.value).strip(): c.column for c in row if c.value is not None}
        if "Periksa" in labels:
            return row[0].row, labels
    raise SystemExit(f"{ws.title}: no header with a Periksa column")


def apply_decisions(data: bytes, year: int, decisions: dict, file: str) -> tuple[bytes, int]:
    """The review workbook ``data`` with the decisions of ``year`` applied; (bytes, rows
    decided). SystemExit when decisions and flags do not match."""
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    head, cols = _header(ws)
    wanted = {line: d for (y, line), d in decisions.items() if y == year}
    done = set()
    for r in range(head + 1, ws.max_row + 1):
        source = str(ws.cell(r, cols["Sumber"]).value or "")
        line = int(source.rsplit("baris ", 1)[1]) if "baris " in source else None
        mark = ws.cell(r, cols["Periksa"])
        if line not in wanted:
            if mark.value:
                raise SystemExit(f"{file} {year}: row {r} (baris {line}) is flagged "
                                 f"({mark.value}) but has no decision in review_decisions.csv")
            continue
        d = wanted[line]
        if not mark.value:
            raise SystemExit(f"{file} {year}: baris {line} has a decision but is not flagged")
        for label in filter(None, d["empty_cells"].split(";")):
            ws.cell(r, cols[label.strip()]).value = None
        note = ws.cell(r, cols["Catatan"])
        decided = f"Diperiksa ({REVIEWED.isoformat()}): {d['reason']}"
        if d["decision"] == "keep":
            note.value = "; ".join(filter(None, [note.value, f"tanda Periksa: {mark.value}",
                                                 decided]))
            mark.value = None
        elif d["decision"] == "reject":
            mark.value = f"{mark.value}; {decided}"
        else:
            raise SystemExit(f"review_decisions.csv: decision {d['decision']!r} for {year} "
                             f"baris {line} is not keep or reject")
        done.add(line)
    missing = sorted(set(wanted) - done)
    if missing:
        raise SystemExit(f"{file} {year}: decisions for lines not read: {missing}")
    return workbook_bytes(wb), len(done)


def ship(src: Path, out: Path, year: int, decisions: dict) -> tuple[int, int]:
    """Extract one report into ``out/laporan`` and apply its decisions; (rows, decided)."""
    name, title, url = REPORTS[year]
    book = out / "laporan" / f"hasil_spbe_{year}_laporan.xlsx"
    result = extract(src / name, book, year=year, today=REVIEWED, title=title,
                     source_urls=[url], authority="official")
    data, decided = apply_decisions(book.read_bytes(), year, decisions, name)
    write_atomic(book, data)
    side = yaml.safe_load(result.sidecar.read_text(encoding="utf-8"))
    side["notes"] = (f"Semua {len(result.rows)} baris tabel hasil laporan, dibaca dengan spbe "
                     f"extract dari konversi Markdown (data/sources/laporan/{name}). "
                     f"{decided} baris yang ditandai telah diperiksa terhadap teks laporan; "
                     "keputusannya tercatat di kolom Catatan dan di "
                     "data/sources/laporan/review_decisions.csv (tools/make_report_annexes.py).")
    write_atomic(result.sidecar, yaml.safe_dump(side, allow_unicode=True, sort_keys=False,
                                                width=100).encode("utf-8"))
    return len(result.rows), decided


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parents[1]
    src = Path(argv[0]) if argv else here / "data/sources/laporan"
    out = Path(argv[1]) if len(argv) > 1 else here / "data/raw"
    decisions = load_decisions(src / "review_decisions.csv")
    for year in sorted(REPORTS):
        rows, decided = ship(src, out, year, decisions)
        print(f"{year}: {rows} rows, {decided} reviewed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
