# %% [markdown]
# # 02 · Banding — posisi wilayah fokus terhadap pembandingnya dalam satu tahun
#
# Wilayah fokus (`region`) dibandingkan dengan kelompok pembanding (`peers`): `province`
# (semua pemda di provinsi yang sama, termasuk provinsinya), `category` (kategori yang sama
# secara nasional), `island` (wilayah pulau), `all` (semua pemda). Peringkat selalu
# menyebut penyebutnya dan cakupannya; selisih di bawah 0,01 dianggap seri. Angka nasional
# adalah indeks nasional yang dipublikasikan, bukan rata-rata baris yang kebetulan ada.

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
import json
from pathlib import Path

from IPython.display import Markdown, display

from spbe_tools import charts, compare

ctx = compare.load_context(processed_dir, region, year)
comp = compare.compare(ctx.results, region, ctx.year, peers)
Path(out_dir).mkdir(parents=True, exist_ok=True)
display(Markdown(f"**{compare.headline(comp, lang)}**"))

# %% [markdown]
# ## Tabel peringkat kelompok pembanding
# Baris tanpa nilai tetap ditampilkan (tidak dianggap nol) dan tidak diberi peringkat.

# %%
comp.table.to_csv(Path(out_dir) / "02-compare-peers.csv", index=False)
summary = {k: v for k, v in comp.to_dict().items() if k != "table"}
(Path(out_dir) / "02-compare-summary.json").write_text(
    json.dumps(summary, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
comp.table

# %% [markdown]
# ## Grafik peringkat dan sebaran
# Pita predikat ada di latar belakang; wilayah fokus ditandai.

# %%
charts.ranking_chart(comp, lang=lang)

# %%
charts.distribution_chart(comp, lang=lang)
