# %% [markdown]
# # 04 · Target — dari LHE ke rencana menuju predikat berikutnya
#
# Laporan Hasil Evaluasi (LHE) memuat tingkat kematangan (1–5) setiap indikator. Dari situ
# indeks dihitung ulang (Σ tingkat × bobot / 100) dan dicari **kenaikan paling sedikit**
# (satu tingkat per langkah) yang membawa indeks ke target — hasil optimal yang eksak, bukan
# sekadar "naikkan indikator berbobot terbesar dulu".
#
# Catatan kejujuran data: tingkat indikator Kota Bengkulu **tidak dipublikasikan**. Data LHE
# Kota Bengkulu yang dipakai di sini adalah **contoh / synthetic** yang konsisten dengan indeks
# 2,61 yang dipublikasikan. Setiap tabel dan grafik dari data itu diberi tanda tersebut.

# %% tags=["parameters"]
region = "Kota Bengkulu"
year = 2023
peers = "province"
raw_dir = "data/raw"
demo_dir = "data/demo"
processed_dir = "data/processed"
out_dir = "reports/kota-bengkulu-2023"
lang = "id"
target = "Sangat Baik"

# %%
import json
from pathlib import Path

from IPython.display import Markdown, display

from spbe_tools import compare, target as target_mod

ctx = compare.load_context(processed_dir, region, year)
Path(out_dir).mkdir(parents=True, exist_ok=True)
view = target_mod.target_view(ctx.scores, ctx.results, ctx.focal.code, ctx.year, target,
                              lang=lang)
(Path(out_dir) / "04-target-summary.json").write_text(
    json.dumps(view.summary, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
display(Markdown(view.headline))

# %% [markdown]
# ## Kenaikan indikator yang diusulkan
# Setiap baris: indikator, tingkat sekarang → tingkat tujuan, bobot, dan sumbangan ke indeks.

# %%
if view.plan is not None:
    view.plan.raises.to_csv(Path(out_dir) / "04-target-plan.csv", index=False)
view.plan.raises if view.plan is not None else "Tidak ada data LHE untuk wilayah dan tahun ini."

# %% [markdown]
# ## Risiko turun predikat
# Seberapa jauh indeks boleh turun sebelum predikatnya turun, dan indikator mana yang paling
# berisiko (penurunan satu tingkat mengurangi indeks paling banyak).

# %%
view.drop_risk.head(10) if view.drop_risk is not None else view.summary.get("headroom")
