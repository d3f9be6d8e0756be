# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   language_info:
#     name: python
# ---

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
#
# Jalur folder relatif dihitung dari akar proyek (folder yang berisi `pyproject.toml`), di
# mana pun kernel dimulai. `out_dir` kosong berarti `reports/<wilayah>-<tahun>/`.

# %% tags=["parameters"]
region = "Kota Bengkulu"
year = 2023
peers = "province"
raw_dir = "data/raw"
demo_dir = "data/demo"
processed_dir = "data/processed"
out_dir = ""
lang = "id"

# %%
from IPython.display import Markdown, display

from spbe_tools import compare, show
from spbe_tools.build import build, inputs_table
from spbe_tools.paths import notebook_out_dir, project_path
from spbe_tools.preview import sheet_preview

show.setup_notebook()
raw = project_path(raw_dir)
demo = project_path(demo_dir) if demo_dir else None
raw_dirs = [raw] + ([demo] if demo is not None and demo.is_dir() else [])
result = build(raw_dirs, project_path(processed_dir))
ctx = compare.load_context(project_path(processed_dir), region, year)
out = notebook_out_dir(out_dir, ctx.focal.name, ctx.year, peers)
out.mkdir(parents=True, exist_ok=True)

# %% [markdown]
# ## Apa yang dibaca dari setiap berkas
# *Nilai dibaca* selalu sama dengan *Diterima* + *Ditolak* (+ duplikat identik yang digabung).

# %%
files = inputs_table(result.manifest)
files.to_csv(out / "01-ingest-files.csv", index=False)
show.table(files, lang)

# %% [markdown]
# ## Baris yang ditolak, dengan alasannya
# Tabel kosong berarti semua nilai diterima. Nilai yang saling bertentangan dari dua sumber
# sengaja ditampilkan di sini, bukan disembunyikan.

# %%
show.table(result.rejects, lang, columns=["source_file", "source_sheet", "source_cell",
                                          "instansi_reported", "index_raw", "reason"])

# %% [markdown]
# ## Pratinjau: sel mana yang dianggap judul, header, seksi, data, atau catatan
# Untuk satu sheet (berkas pertama yang berisi tabel hasil). Kolom *Dibaca sebagai* menunjukkan
# keputusan langkah tata letak untuk setiap baris.

# %%
first = next(p for d in raw_dirs for p in sorted(d.rglob("*.xlsx")) if not p.name.startswith("lhe")
             and not p.name.startswith("synthetic"))
display(Markdown(f"Berkas: `{first.relative_to(raw).as_posix()}`"))
show.table(sheet_preview(first), lang)

# %% [markdown]
# ## Ringkasan tabel rapi

# %%
display(Markdown(f"{len(result.results)} baris hasil, {len(result.rejects)} tolakan, "
                 f"{len(result.scores)} baris skor LHE."))
show.table(result.results.query("instansi_code == instansi_code").tail(10), lang,
           columns=["year", "instansi_code", "instansi", "index", "predikat", "source_file",
                    "source_cell"])
