# %% [markdown]
# # 01 · Ingest — dari workbook hasil evaluasi ke tabel rapi
#
# Buku kerja ini membaca semua berkas `.xlsx` di folder mentah (`raw_dir`), mengenali tata
# letaknya (lampiran/annex, panjang/long, lebar per tahun/wide), lalu menulis tabel rapi ke
# `processed_dir`: `results.csv` (satu baris per tahun × instansi), `rejects.csv` (baris yang
# ditolak beserta alasannya), `scores.csv` (skor LHE) dan `manifest.json` (jejak setiap berkas).
#
# Setiap angka dapat ditelusuri ke berkas, sheet, dan sel asalnya (`source_file`,
# `source_sheet`, `source_cell`). Tidak ada baris yang hilang: setiap baris yang dibaca
# masuk ke tabel rapi **atau** ke tabel tolakan.

# %% tags=["parameters"]
region = "Kota Bengkulu"
year = 2023
peers = "province"
raw_dir = "data/raw"
demo_dir = "data/demo"
processed_dir = "data/processed"
out_dir = "reports/kota-bengkulu-2023"
lang = "id"

# %%
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from spbe_tools.build import build, inputs_table
from spbe_tools.preview import sheet_preview

raw_dirs = [Path(raw_dir)] + ([Path(demo_dir)] if demo_dir and Path(demo_dir).is_dir() else [])
result = build(raw_dirs, Path(processed_dir), progress=lambda files: tqdm(files, desc="berkas"))
Path(out_dir).mkdir(parents=True, exist_ok=True)

# %% [markdown]
# ## Apa yang dibaca dari setiap berkas
# `values_read` = nilai yang dibaca; selalu sama dengan `values_accepted` + `values_rejected`.

# %%
files = inputs_table(result.manifest)
files.to_csv(Path(out_dir) / "01-ingest-files.csv", index=False)
files

# %% [markdown]
# ## Baris yang ditolak, dengan alasannya
# Tabel kosong berarti semua nilai diterima. Nilai yang saling bertentangan dari dua sumber
# sengaja ditampilkan di sini, bukan disembunyikan.

# %%
result.rejects[["source_file", "source_sheet", "source_cell", "instansi_reported", "index_raw",
                "reason"]]

# %% [markdown]
# ## Pratinjau: sel mana yang dianggap judul, header, seksi, data, atau catatan
# Untuk satu sheet (berkas pertama yang berisi tabel hasil). Kolom `kind` menunjukkan keputusan
# langkah tata letak untuk setiap baris.

# %%
first = next(p for d in raw_dirs for p in sorted(d.rglob("*.xlsx")) if not p.name.startswith("lhe")
             and not p.name.startswith("synthetic"))
print(first)
sheet_preview(first)

# %% [markdown]
# ## Ringkasan tabel rapi

# %%
print(f"{len(result.results)} baris hasil, {len(result.rejects)} tolakan, "
      f"{len(result.scores)} baris skor LHE.")
result.results.query("instansi_code == instansi_code").tail(10)[
    ["year", "instansi_code", "instansi", "index", "predikat", "source_file", "source_cell"]]
