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
# # 00 · Extract — dari PDF lampiran keputusan ke workbook lampiran
#
# Hasil evaluasi SPBE terbit sebagai lampiran Keputusan Menteri PANRB dalam bentuk PDF,
# sering berupa hasil pindai. Buku kerja ini membaca PDF itu (parameter `pdf_path`) dengan
# `spbe extract`: lapisan teks PDF bila ada, OCR (rapidocr, model ikut terpasang, tanpa
# unduhan) untuk halaman pindaian. Hasilnya workbook lampiran (`annex_out`, bawaan
# `<raw_dir>/annex/<nama>.xlsx`) yang dibaca `spbe build` seperti workbook lain. Tahun
# evaluasi dibaca dari judul lampiran (`pdf_year` bila judulnya tidak menyebutnya).
#
# Setiap baris yang diragukan (No tidak berurutan, indeks di luar rentang atau presisi,
# predikat tidak sesuai pita, nama tidak dikenali, instansi ganda, OCR kurang yakin)
# **ditandai** di kolom *Periksa* dan di sheet `periksa`, lengkap dengan gambar baris itu
# dari PDF. Baris bertanda masuk `rejects.csv` sampai analis memeriksa, membetulkan nilai
# bila perlu, lalu mengosongkan sel *Periksa*-nya.
#
# Perlu paket tambahan: `pip install -e ".[pdf]"` (sudah dipasang oleh `make setup`).

# %% tags=["parameters"]
region = "Kota Bengkulu"
year = 2023
peers = "province"
raw_dir = "data/raw"
demo_dir = "data/demo"
processed_dir = "data/processed"
out_dir = ""
lang = "id"
pdf_path = ""
pdf_year = 0
annex_out = ""
pages = ""
overwrite = False

# %%
from pathlib import Path

from IPython.display import Image, Markdown, display

from spbe_tools import show
from spbe_tools.extract import extract_pdf, review_frame, row_pictures, summary_lines
from spbe_tools.paths import project_path

show.setup_notebook()

result = None
if pdf_path:
    pdf = project_path(pdf_path)
    target = (project_path(annex_out) if annex_out
              else project_path(raw_dir) / "annex" / f"{Path(pdf).stem}.xlsx")
    if target.exists() and not overwrite:
        raise FileExistsError(f"{target} sudah ada (tanda Periksa di dalamnya mungkin sudah "
                              "diputuskan analis); pakai overwrite = True untuk menimpanya")
    result = extract_pdf(pdf, target, year=pdf_year or None, pages=pages or None)
else:
    display(Markdown("Belum ada PDF: isi parameter `pdf_path` dengan berkas PDF lampiran, "
                     "lalu jalankan ulang."))

# %% [markdown]
# ## Ringkasan
# Baris dibaca, baris bersih, baris yang perlu diperiksa, dan jumlah per seksi dibanding
# jumlah instansi yang dikenal tabel rujukan (mis. `kabupaten 415/415`).

# %%
if result is not None:
    display(Markdown("\n\n".join(summary_lines(result))))

# %% [markdown]
# ## Baris yang perlu diperiksa, dengan gambarnya
# Yang terbaca mesin, alasannya, lalu potongan baris dari halaman PDF. Putuskan di workbook:
# betulkan nilainya bila salah, lalu kosongkan sel *Periksa*.

# %%
if result is not None:
    display(show.table(review_frame(result), lang))
    for row, png in zip(result.flagged, row_pictures(pdf, result.flagged)):
        display(Markdown(f"**hlm. {row.page}, No {row.raw.cells.get('no', '')}** — "
                         f"{'; '.join(row.flags)}"))
        display(Image(png))
