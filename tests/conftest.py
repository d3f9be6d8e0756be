"""Shared fixtures: small real-looking workbooks written with openpyxl, a fresh raw folder."""
from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

from hypothesis import settings  # noqa: E402

from _workbooks import make_workbook  # noqa: E402

settings.register_profile("default", max_examples=500, deadline=None)
settings.register_profile("long", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHIPPED_RAW = PROJECT_ROOT / "data" / "raw"


ANNEX_2023_ROWS = [
    ["LAMPIRAN KEPUTUSAN MENTERI PANRB NOMOR 13 TAHUN 2024"],
    ["HASIL EVALUASI SPBE PADA INSTANSI PUSAT DAN PEMERINTAH DAERAH TAHUN 2023"],
    [],
    ["No", "Nama Instansi", "Hasil Evaluasi", None],
    [None, None, "Indeks", "Predikat"],
    ["A. PEMERINTAH PROVINSI"],
    [1, "Provinsi Bengkulu", "3,12", "BAIK"],
    ["B. PEMERINTAH KABUPATEN"],
    [1, "Kab. Muko Muko", 2.07, "cukup"],
    [2, "Kabupaten Rejang Lebong", " 3,23* ", "Baik"],
    [],
    ["No", "Nama Instansi", "Hasil Evaluasi", None],  # page-break repeat of the header
    [None, None, "Indeks", "Predikat"],
    ["C. PEMERINTAH KOTA"],
    [1, "Bengkulu", "2,61", "SANGAT  BAIK"],  # published predikat disagrees: kept, flagged
    [],
    ["Keterangan: *) nilai setelah klarifikasi"],
    ["Sumber: KepmenPANRB 13/2024"],
]
ANNEX_2023_MERGES = ["A4:A5", "B4:B5", "C4:D4", "A6:D6", "A8:D8", "A12:A13", "B12:B13",
                     "C12:D12", "A14:D14"]


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    d = tmp_path / "raw"
    d.mkdir()
    return d


@pytest.fixture
def annex_2023(raw_dir: Path) -> Path:
    return make_workbook(raw_dir / "annex_2023.xlsx",
                         {"Lampiran": (ANNEX_2023_ROWS, ANNEX_2023_MERGES)},
                         sidecar={"publisher": "test", "evaluation_year": 2023,
                                  "source_urls": ["https://example.org/kepmen-13-2024"]})


@pytest.fixture(scope="session")
def shipped_processed(tmp_path_factory) -> Path:
    """``spbe build`` of the shipped data/raw into a temporary processed folder (once)."""
    from spbe_tools.build import build

    out = tmp_path_factory.mktemp("shipped") / "processed"
    build(SHIPPED_RAW, out)
    return out
