"""Write the shipped LHE workbooks reproducibly (byte-identical reruns).

Real data goes to ``data/raw/lhe/``; synthetic demo data to ``data/demo/lhe/`` (the
default ``data/raw`` holds published figures only).

Usage (from the repository root)::

    python tools/make_lhe_data.py            # (re)write the files
    python tools/make_lhe_data.py --check    # rebuild in memory, compare with the files on disk

Files:

* ``lhe_domain_kab_magelang_2022.xlsx`` — **real**: Kabupaten Magelang's published
  2022 domain indices 4.90 / 2.40 / 1.09 / 3.76 and index 3.13 (Baik), transcribed
  from https://pusaka.magelangkab.go.id/blog/detail/89 (../shared/spbe_facts.md §3),
  as a wide sheet (one row per instansi, a merged "Indeks Domain" group header).
* ``synthetic_lhe_kota_bengkulu_2023.xlsx`` — **synthetic**: Kota Bengkulu's
  indicator levels are not public. The levels below are invented so that they
  recompute to exactly 2.6100, the published 2023 index (2.61, Baik); the sheet
  imitates a per-instansi LHE with merged domain section rows. Every output drawn
  from it must say "contoh / synthetic".
"""
from __future__ import annotations

import argparse
import sys

import yaml
from openpyxl import Workbook
from openpyxl.styles import Font

from spbe_tools import registry
from spbe_tools.office_files import workbook_bytes
from spbe_tools.paths import RAW_DIR
from spbe_tools.registry import structure

OUT_DIR = RAW_DIR / "lhe"
DEMO_DIR = RAW_DIR.parent / "demo" / "lhe"
FW = "spbe-59-2020"
MAGELANG_URL = "https://pusaka.magelangkab.go.id/blog/detail/89"
BENGKULU_URLS = [
    "https://harianbengkuluekspress.bacakoran.co/read/4879/pemkot-raih-predikat-baik-penerapan-spbe-ini-dia-programnya",
    "https://www.rmolbengkulu.id/naik-kelas-menpan-rb-nilai-spbe-pemkab-lebong-kategori-baik",
]

# INVENTED levels (synthetic), in indicator order 1..47, grouped by block for reading.
# Chosen so that sum(level x weight) = 261.00 exactly -> index 2.6100 (published: 2.61).
SYNTHETIC_LEVELS = (
    [3, 3, 2, 2, 3, 2, 2, 3, 2, 3]            # 1-10  Kebijakan Internal (1.30 each)
    + [3, 3, 3, 2, 3, 3, 3, 3, 3, 2]          # 11-20 Tata Kelola (2.50 each)
    + [2, 2, 2, 1, 2, 1, 1, 1, 1, 1, 1]       # 21-31 Manajemen (1.50 each)
    + [3, 3, 4, 3, 4, 3, 3, 4, 2, 3]          # 32-41 Layanan Administrasi (2.75 each)
    + [3, 3, 3, 2, 3, 2]                      # 42-47 Layanan Publik (3.00 each)
)


def magelang_workbook() -> Workbook:
    """Kab. Magelang 2022 published domain indices as a one-row wide sheet."""
    doms = structure.domains(FW)
    wb = Workbook()
    ws = wb.active
    ws.title = "Indeks Domain 2022"
    ws["A1"] = "INDEKS DOMAIN SPBE KABUPATEN MAGELANG TAHUN 2022"
    ws["A1"].font = Font(bold=True)
    ws["A2"] = f"Sumber: {MAGELANG_URL}"
    ws.append([])
    ws["A4"], ws["B4"], ws["C4"] = "No", "Nama Instansi", "Indeks Domain"
    ws["G4"], ws["H4"] = "Indeks SPBE", "Predikat"
    for col in ("A", "B", "G", "H"):
        ws.merge_cells(f"{col}4:{col}5")
    ws.merge_cells("C4:F4")
    for c, name in enumerate(doms["name"], start=3):
        ws.cell(5, c, name)
    for c, value in enumerate([1, "Kabupaten Magelang", 4.90, 2.40, 1.09, 3.76, 3.13, "Baik"],
                              start=1):
        ws.cell(6, c, value)
    return wb


def bengkulu_workbook() -> Workbook:
    """Synthetic per-instansi LHE for Kota Bengkulu 2023 (levels invented)."""
    ind = structure.indicators(FW)
    wb = Workbook()
    ws = wb.active
    ws.title = "LHE 2023 (contoh)"
    ws["A1"] = "LAPORAN HASIL EVALUASI SPBE TAHUN 2023"
    ws["A1"].font = Font(bold=True)
    ws["A2"] = ("CONTOH SINTETIS / SYNTHETIC EXAMPLE: level indikator rekaan, bukan LHE resmi; "
                "hanya indeks 2,61 dan predikat Baik yang dipublikasikan")
    ws["A3"] = "Instansi: Pemerintah Kota Bengkulu"
    ws["B5"], ws["C5"] = "Indeks SPBE", 2.61
    ws["B6"], ws["C6"] = "Predikat", "Baik"
    for c, text in enumerate(["No", "Indikator", "Aspek", "Tingkat Kematangan"], start=1):
        ws.cell(8, c, text).font = Font(bold=True)
    r = 9
    domain_names = dict(zip(structure.domains(FW)["domain_no"], structure.domains(FW)["name"]))
    current = None
    for row, level in zip(ind.itertuples(index=False), SYNTHETIC_LEVELS, strict=True):
        if row.domain_no != current:
            current = row.domain_no
            title = f"DOMAIN {current} {domain_names[current].upper()}"
            ws.cell(r, 1, title).font = Font(bold=True)
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=4)
            r += 1
        for c, v in enumerate([int(row.number), row.name, row.aspect, level], start=1):
            ws.cell(r, c, v)
        r += 1
    ws.cell(r + 1, 1, "Catatan: data contoh sintetis (synthetic) untuk demonstrasi "
                      "perencana target.")
    return wb


def _sidecar(**fields) -> bytes:
    return yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, width=100).encode()


def outputs() -> dict[str, bytes]:
    """File name -> bytes for every shipped LHE file."""
    ev22, ev23 = registry.evaluation(2022), registry.evaluation(2023)
    total = sum(u * lv for u, lv in zip(structure.indicators(FW)["weight_units"], SYNTHETIC_LEVELS))
    assert total == 26100, f"synthetic levels must recompute to 2.6100, got {total / 10000}"
    files = {}
    for name, wb in (("lhe_domain_kab_magelang_2022.xlsx", magelang_workbook()),
                     ("synthetic_lhe_kota_bengkulu_2023.xlsx", bengkulu_workbook())):
        files[name] = workbook_bytes(wb)
    files["lhe_domain_kab_magelang_2022.source.yml"] = _sidecar(
        publisher="Pemerintah Kabupaten Magelang",
        title="Indeks SPBE Kabupaten Magelang 2022 per domain (artikel portal Pusaka)",
        decree=ev22.decree, evaluation_year=2022, source_urls=[MAGELANG_URL], retrieved=None,
        transcribed_by="tools/make_lhe_data.py, from ../shared/spbe_facts.md section 3",
        licence="not stated on the source page; public government statement",
        synthetic=False,
        notes=("Real published figures: domain indices Kebijakan Internal 4.90, Tata Kelola "
               "2.40, Manajemen 1.09, Layanan 3.76; index 3.13 (Baik). With weights "
               "13/25/16.5/45.5 the domains give 3.12765, i.e. 3.13. Retrieval date not recorded."))
    files["synthetic_lhe_kota_bengkulu_2023.source.yml"] = _sidecar(
        publisher="SPBE Workbook (contoh sintetis)",
        title="Contoh LHE sintetis Kota Bengkulu 2023 (synthetic)",
        decree=ev23.decree, evaluation_year=2023, source_urls=BENGKULU_URLS, retrieved=None,
        transcribed_by="tools/make_lhe_data.py", licence="CC0-1.0 (invented example data)",
        synthetic=True,
        notes=("SYNTHETIC. Kota Bengkulu's indicator levels are not public; the 47 levels are "
               "invented, chosen so that sum(level x weight)/100 = 2.6100 exactly, consistent "
               "with the published 2023 index 2.61 (Baik) in the source URLs. Only the index "
               "and predikat are real. Label every chart or table drawn from it "
               "'contoh / synthetic'."))
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the files on disk")
    args = parser.parse_args(argv)
    stale = []
    for name, data in outputs().items():
        path = (DEMO_DIR if name.startswith("synthetic_") else OUT_DIR) / name
        if args.check:
            if not path.exists() or path.read_bytes() != data:
                stale.append(name)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"wrote {path.relative_to(RAW_DIR.parent.parent)}")
    if stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
