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
# # 02 · Banding — posisi wilayah fokus terhadap pembandingnya dalam satu tahun
#
# Wilayah fokus (`region`) dibandingkan dengan kelompok pembanding (`peers`): `province`
# (semua pemda di provinsi yang sama, termasuk provinsinya), `category` (kategori yang sama
# secara nasional), `island` (wilayah pulau), `all` (semua pemda). Peringkat selalu
# menyebut penyebutnya dan cakupannya; selisih di bawah 0,01 dianggap seri. Angka nasional
# adalah indeks nasional yang dipublikasikan, bukan rata-rata baris yang kebetulan ada.
#
# `out_dir` kosong berarti `reports/<wilayah>-<tahun>[-<pembanding>]/` di akar proyek.

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
import json

from IPython.display import Markdown, display

from spbe_tools import charts, compare, maps, show
from spbe_tools.paths import notebook_out_dir, project_path
from spbe_tools.peers import PEMDA

show.setup_notebook()
ctx = compare.load_context(project_path(processed_dir), region, year)
comp = compare.compare_region(ctx.results, region, ctx.year, peers)
out = notebook_out_dir(out_dir, ctx.focal.name, ctx.year, peers)
out.mkdir(parents=True, exist_ok=True)
display(Markdown(f"**{compare.headline(comp, lang)}**"))

# %% [markdown]
# ## Tabel peringkat kelompok pembanding
# Baris tanpa nilai tetap ditampilkan (tidak dianggap nol) dan tidak diberi peringkat. Wilayah
# fokus dicetak tebal.

# %%
comp.table.to_csv(out / "02-compare-peers.csv", index=False)
summary = {k: v for k, v in comp.to_dict().items() if k != "table"}
(out / "02-compare-summary.json").write_text(
    json.dumps(summary, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
show.table(comp.table, lang, columns=["rank_label", "instansi", "category", "index", "predikat",
                                      "synthetic", "sumber"],
           bold_rows=comp.table["is_focal"])

# %% [markdown]
# ## Grafik peringkat dan sebaran
# Pita predikat ada di latar belakang; wilayah fokus ditandai.

# %%
charts.ranking_chart(comp, lang=lang)

# %%
charts.distribution_chart(comp, lang=lang)

# %% [markdown]
# ## Peta kabupaten/kota di provinsi wilayah fokus
# Warna menunjukkan predikat; daerah tanpa nilai diarsir dan disebutkan. Wilayah fokus
# bergaris tebal. (Instansi pusat tidak punya peta.)

# %%
if ctx.focal.category in PEMDA:
    display(maps.region_map(ctx.results, ctx.focal.code, ctx.year, lang=lang))
