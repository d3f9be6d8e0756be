"""Write the shipped raw workbooks from the sourced figures (development-time script).

    python tools/make_raw_data.py [../shared/data/published_results.csv] [data/raw] \
        [../shared/data/published_results_more.csv] [data/sources/published_results_news2.csv]

Every number comes from ``published_results.csv`` (each row with its source URL); the
workbooks are *extracts* in the shapes analysts hold:

* ``annex/hasil_spbe_<year>_ekstrak.xlsx`` — one annex-layout extract per evaluation year:
  title rows, a two-row merged header, category section rows, a Sumber column per row,
  notes below the table;
* ``wide/seri_indeks_spbe_ekstrak.xlsx`` — wide-by-year layout for instansi with a
  series of three or more years (2021 on), one Sumber per year in the row;
* ``long/nilai_spbe_2018_2019_ekstrak.xlsx`` — long layout for the 5/2018 years;
* ``long/indeks_spbe_nasional.xlsx`` — long layout of the published national indices;
* ``long/nilai_spbe_tambahan_ekstrak.xlsx`` — long layout of the second list
  (``published_results_more.csv``, read when present): quotes and doubts per row, conflicts
  with the first list kept so the build rejects both sides, secondary leads left out;
* ``long/nilai_spbe_berita_2021_2022_ekstrak.xlsx`` — the third list
  (``published_results_news2.csv``): news figures of 2021-2022 with their doubts.

Each workbook gets a ``.source.yml`` sidecar. Output is byte-stable (fixed document and zip
times, spbe_tools.office_files.save_workbook).
"""
from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from spbe_tools import registry  # noqa: E402
from spbe_tools.office_files import save_workbook as save_stable  # noqa: E402  (byte-stable .xlsx)

SECTIONS = [("kementerian", "A. KEMENTERIAN"), ("lembaga", "B. LEMBAGA"),
            ("provinsi", "C. PEMERINTAH PROVINSI"), ("kabupaten", "D. PEMERINTAH KABUPATEN"),
            ("kota", "E. PEMERINTAH KOTA")]
TRANSCRIBED = "2026-11-28"
BY = "SPBE Workbook developers, from the sourced figures in shared/data/published_results.csv"
BOLD = Font(bold=True)
TRANSCRIBED_MORE = "2026-11-29"
TRANSCRIBED_NEWS2 = "2026-12-04"
BY_NEWS2 = ("SPBE Workbook developers, from the sourced figures, quotes and doubts in "
            "data/sources/published_results_news2.csv")
BY_MORE = ("SPBE Workbook developers, from the sourced figures, quotes and doubts in "
           "shared/data/published_results_more.csv")


def load(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def split_rows(rows: list[dict]) -> dict[str, list[dict]]:
    """Assign every source row to exactly one shipped workbook."""
    national = [r for r in rows if r["category"] == "nasional"]
    pemda = [r for r in rows if r["category"] != "nasional"]
    years_of: dict[str, set] = defaultdict(set)
    for r in pemda:
        if int(r["year"]) >= 2021:
            years_of[r["instansi"]].add(r["year"])
    series = {name for name, ys in years_of.items()
              if len(ys) >= 3 and not any(r["instansi"] == name and r["province"] == "Bengkulu"
                                          for r in pemda)}
    counts: dict[tuple, int] = defaultdict(int)
    for r in pemda:
        counts[(r["instansi"], r["year"])] += 1
    out: dict[str, list[dict]] = defaultdict(list)
    for r in pemda:
        year = int(r["year"])
        if year < 2020:
            out["long"].append(r)
        elif r["instansi"] in series and counts[(r["instansi"], r["year"])] == 1:
            out["wide"].append(r)
        else:
            out[f"annex-{year}"].append(r)
    out["national"] = national
    return out


def fmt_index(value: str) -> float:
    return round(float(value), 2)


def sidecar(path: Path, *, title: str, year: int | None, urls: list[str], notes: str,
            decree: str | None = None, transcribed: str = TRANSCRIBED, by: str = BY) -> None:
    data = {
        "publisher": "Kementerian PANRB (figures as quoted by the cited pages)",
        "title": title,
        "decree": decree,
        "evaluation_year": year,
        "source_urls": sorted(set(urls)),
        "transcribed": transcribed,
        "transcribed_by": by,
        "licence": "Figures from public government decisions and press reports; this "
                   "transcription may be reused with attribution to the cited sources.",
        "extract": True,
        "synthetic": False,
        "notes": notes,
    }
    data = {k: v for k, v in data.items() if v is not None}
    path.with_name(path.stem + ".source.yml").write_text(
        yaml.safe_dump(data, sort_keys=True, allow_unicode=True, width=100), encoding="utf-8")


def write_annex(year: int, rows: list[dict], out: Path) -> None:
    ev = registry.evaluation(year)
    wb = Workbook()
    ws = wb.active
    ws.title = f"Lampiran {year}"
    decree = ev.decree or "(nomor keputusan tidak ditemukan)"
    titles = [
        "LAMPIRAN",
        f"KEPUTUSAN MENTERI PENDAYAGUNAAN APARATUR NEGARA DAN REFORMASI BIROKRASI "
        f"({decree.upper()})",
        f"HASIL EVALUASI SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK TAHUN {year}",
        "EKSTRAK: hanya baris yang nilainya terbit di sumber yang dapat dirujuk "
        "(lihat kolom Sumber)",
    ]
    for i, t in enumerate(titles, start=1):
        ws.cell(i, 1, t).font = BOLD
    h = len(titles) + 2
    ws.cell(h, 1, "No")
    ws.cell(h, 2, "Nama Instansi")
    ws.cell(h, 3, f"Hasil Evaluasi SPBE {year}")
    ws.cell(h + 1, 3, "Indeks")
    ws.cell(h + 1, 4, "Predikat")
    ws.cell(h, 5, "Sumber")
    ws.cell(h, 6, "Catatan")
    for rng in (f"A{h}:A{h + 1}", f"B{h}:B{h + 1}", f"C{h}:D{h}", f"E{h}:E{h + 1}",
                f"F{h}:F{h + 1}"):
        ws.merge_cells(rng)
    for c in range(1, 7):
        for r in (h, h + 1):
            ws.cell(r, c).font = BOLD
            ws.cell(r, c).alignment = Alignment(horizontal="center", vertical="center")
    r = h + 2
    for cat, label in SECTIONS:
        members = sorted((x for x in rows if x["category"] == cat),
                         key=lambda x: (x["instansi"], x["source_url"]))
        if not members:
            continue
        ws.cell(r, 1, label).font = BOLD
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=6)
        r += 1
        for n, x in enumerate(members, start=1):
            ws.cell(r, 1, n)
            ws.cell(r, 2, x["instansi"])
            ws.cell(r, 3, fmt_index(x["index"])).number_format = "0.00"
            ws.cell(r, 4, x["predikat"] or None)
            ws.cell(r, 5, x["source_url"])
            ws.cell(r, 6, x["note"] or None)
            r += 1
    r += 1
    ws.cell(r, 1, "Keterangan: Indeks 0–5; predikat sebagaimana tertulis di sumber "
                  "(kosong bila sumber tidak menyebutnya).")
    ws.cell(r + 1, 1, "Sumber: kolom Sumber tiap baris; rincian di berkas .source.yml.")
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["E"].width = 50
    path = out / "annex" / f"hasil_spbe_{year}_ekstrak.xlsx"
    save_stable(wb, path)
    sidecar(path, title=titles[2].title() + " (ekstrak)", year=year, decree=ev.decree,
            urls=[x["source_url"] for x in rows],
            notes="Extract, not the full annex: the published annex is a scanned PDF; these are "
                  "the values of this year that a citable page reports, one source URL per row.")


def write_wide(rows: list[dict], out: Path) -> None:
    years = sorted({int(x["year"]) for x in rows})
    wb = Workbook()
    ws = wb.active
    ws.title = "Seri Indeks"
    title = "SERI INDEKS SPBE PER INSTANSI (EKSTRAK DARI SUMBER BERITA DAN PEMDA)"
    ws.cell(1, 1, title).font = BOLD
    ws.cell(3, 1, "Instansi")
    ws.cell(3, 2, "Provinsi")
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    for i, y in enumerate(years):
        c = 3 + 2 * i
        ws.cell(3, c, y)
        ws.merge_cells(start_row=3, start_column=c, end_row=3, end_column=c + 1)
        ws.cell(4, c, "Indeks")
        ws.cell(4, c + 1, "Predikat")
    src_col = 3 + 2 * len(years)
    ws.cell(3, src_col, "Sumber")
    ws.merge_cells(start_row=3, start_column=src_col, end_row=4, end_column=src_col)
    by_name: dict[str, list[dict]] = defaultdict(list)
    for x in rows:
        by_name[x["instansi"]].append(x)
    for r, name in enumerate(sorted(by_name), start=5):
        items = sorted(by_name[name], key=lambda x: x["year"])
        ws.cell(r, 1, name)
        ws.cell(r, 2, items[0]["province"])
        for x in items:
            c = 3 + 2 * years.index(int(x["year"]))
            ws.cell(r, c, fmt_index(x["index"])).number_format = "0.00"
            ws.cell(r, c + 1, x["predikat"] or None)
        ws.cell(r, src_col, "; ".join(f"{x['year']}: {x['source_url']}" for x in items))
    path = out / "wide" / "seri_indeks_spbe_ekstrak.xlsx"
    save_stable(wb, path)
    sidecar(path, title="Seri indeks SPBE per instansi (ekstrak)", year=None,
            urls=[x["source_url"] for x in rows],
            notes="Wide-by-year extract for instansi with three or more sourced years; the "
                  "Sumber cell gives one URL per year ('2022: url').")


def write_long(rows: list[dict], out: Path, name: str, title: str, notes: str) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    header = ["Tahun", "Instansi", "Kategori", "Provinsi", "Indeks", "Predikat", "Sumber",
              "Catatan"]
    for c, label in enumerate(header, start=1):
        ws.cell(1, c, label).font = BOLD
    for r, x in enumerate(sorted(rows, key=lambda x: (x["year"], x["instansi"])), start=2):
        values = [int(x["year"]), x["instansi"], x["category"], x["province"] or None,
                  fmt_index(x["index"]), x["predikat"] or None, x["source_url"],
                  x["note"] or None]
        for c, v in enumerate(values, start=1):
            ws.cell(r, c, v)
        ws.cell(r, 5).number_format = "0.00"
    path = out / "long" / name
    save_stable(wb, path)
    sidecar(path, title=title, year=None, urls=[x["source_url"] for x in rows], notes=notes)


# Rows of the second source list whose note starts with one of these are leads, not
# published figures (spbe_facts.md: "[SECONDARY] numbers are leads ... never present them
# as official"): they are listed in the sidecar, not written into the workbook.
NOT_SHIPPED = {"SECONDARY": "secondary source (a research note in a code repository), "
                            "not a publication of KemenPANRB or the pemda"}


def _not_shipped(row: dict) -> str:
    """Why a row is kept out of the extract ('' when it is shipped)."""
    return next((why for tag, why in NOT_SHIPPED.items() if row["note"].startswith(tag)), "")


def _write_list(rows: list[dict], path: Path) -> tuple[list[dict], list[dict]]:
    """A source list as a long-layout workbook at ``path``: one row per figure, its source
    URL and the quote with the doubts in Catatan. Rows without an index are written with an
    empty Indeks cell: the build rejects them ("index is empty"), so a predikat-only report
    is kept visible and never charted as a number. Returns (shipped, left out) rows."""
    shipped = [r for r in rows if not _not_shipped(r)]
    left_out = [r for r in rows if _not_shipped(r)]
    for r in shipped:
        r["index"] = r["index"] or ""
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    header = ["Tahun", "Instansi", "Kategori", "Provinsi", "Indeks", "Predikat", "Sumber",
              "Catatan"]
    for c, label in enumerate(header, start=1):
        ws.cell(1, c, label).font = BOLD
    for r, x in enumerate(sorted(shipped, key=lambda x: (x["year"], x["instansi"],
                                                         x["source_url"])), start=2):
        values = [int(x["year"]), x["instansi"], x["category"], x["province"] or None,
                  fmt_index(x["index"]) if x["index"] else None, x["predikat"] or None,
                  x["source_url"], x["note"] or None]
        for c, v in enumerate(values, start=1):
            ws.cell(r, c, v)
        ws.cell(r, 5).number_format = "0.00"
    save_stable(wb, path)
    return shipped, left_out


def _left_out(rows: list[dict]) -> str:
    return "; ".join(f"{x['instansi']} {x['year']} {x['index']} ({x['source_url']}): "
                     f"{_not_shipped(x)}" for x in rows) or "none"


def write_more(rows: list[dict], out: Path) -> int:
    """``long/nilai_spbe_tambahan_ekstrak.xlsx``: the second source list. Returns the number
    of figures written."""
    path = out / "long" / "nilai_spbe_tambahan_ekstrak.xlsx"
    shipped, left_out = _write_list(rows, path)
    sidecar(path, title="Nilai SPBE tambahan dari sumber berita dan pemda (ekstrak)", year=None,
            urls=[x["source_url"] for x in shipped], transcribed=TRANSCRIBED_MORE, by=BY_MORE,
            notes="Long-layout extract of the second list of sourced figures "
                  "(shared/data/published_results_more.csv): one source URL per row, the quote "
                  "and any doubt in Catatan. Conflicts with figures already shipped are kept "
                  "on purpose so the build rejects both sides (Kota Bandar Lampung 2022: 1,53 "
                  "here vs 1,50 in the 2022 annex extract; Kabupaten Tanggamus 2022: 1,03 here, "
                  "possibly the 2021 value, vs 1,60). Rows without an index (predikat only) are "
                  "rejected by the build and never charted as a number. The 2021-2023 values "
                  "the article gives for Kementerian Pendidikan Dasar dan Menengah belong to "
                  "its predecessor Kemendikbudristek (split October 2024); the identity table "
                  "resolves them there (region_aliases.csv). Not shipped: "
                  + _left_out(left_out) + ".")
    return len(shipped)


def write_news2(rows: list[dict], out: Path) -> int:
    """``long/nilai_spbe_berita_2021_2022_ekstrak.xlsx``: the third source list (news,
    2021-2022, quotes and doubts). Returns the number of figures written."""
    path = out / "long" / "nilai_spbe_berita_2021_2022_ekstrak.xlsx"
    shipped, left_out = _write_list(rows, path)
    sidecar(path, title="Nilai SPBE 2021-2022 dari sumber berita (ekstrak)", year=None,
            urls=[x["source_url"] for x in shipped], transcribed=TRANSCRIBED_NEWS2,
            by=BY_NEWS2,
            notes="Long-layout extract of the third list of sourced figures "
                  "(data/sources/published_results_news2.csv): news reports of 2021 and 2022 "
                  "values, one source URL per row, the quote and any doubt in Catatan (a year "
                  "inferred from the article's date, a value given with one decimal). Not "
                  "shipped: " + _left_out(left_out) + ".")
    return len(shipped)


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve()
    src = Path(argv[0]) if argv else here.parents[2] / "shared/data/published_results.csv"
    out = Path(argv[1]) if len(argv) > 1 else here.parents[1] / "data/raw"
    more = Path(argv[2]) if len(argv) > 2 else src.with_name("published_results_more.csv")
    news2 = Path(argv[3]) if len(argv) > 3 else src.with_name("published_results_news2.csv")
    parts = split_rows(load(src))
    for key, rows in sorted(parts.items()):
        if key.startswith("annex-"):
            write_annex(int(key.split("-")[1]), rows, out)
    write_wide(parts["wide"], out)
    write_long(parts["long"], out, "nilai_spbe_2018_2019_ekstrak.xlsx",
               "Nilai SPBE 2018-2019 (PermenPANRB 5/2018), ekstrak",
               "Long-layout extract of the 5/2018-era values a citable page reports.")
    write_long(parts["national"], out, "indeks_spbe_nasional.xlsx",
               "Indeks SPBE nasional per tahun evaluasi",
               "Published national indices (not means of rows), each with its source URL.")
    total = sum(len(v) for v in parts.values())
    if more.exists():
        total += write_more(load(more), out)
    if news2.exists():
        total += write_news2(load(news2), out)
    print(f"wrote {total} sourced figures into {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
