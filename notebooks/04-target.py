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
# # 04 · Target — dari LHE ke rencana menuju predikat berikutnya
#
# Laporan Hasil Evaluasi (LHE) memuat tingkat kematangan (1–5) setiap indikator. Dari situ
# indeks dihitung ulang (Σ tingkat × bobot / 100) dan dicari **kenaikan tingkat paling
# sedikit** (satu tingkat per langkah) yang membawa indeks ke target — hasil perhitungan yang
# pasti paling sedikit, bukan sekadar "naikkan indikator berbobot terbesar dulu".
#
# Tingkat indikator per instansi umumnya **tidak dipublikasikan**. Bila data LHE yang dipakai
# adalah data contoh, hal itu disebutkan di bawah dan pada setiap tabel dan grafik.
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
target = "Sangat Baik"

# %%
import json

from IPython.display import Markdown, display

from spbe_tools import charts, compare, show
from spbe_tools import target as target_mod
from spbe_tools.paths import notebook_out_dir, project_path

show.setup_notebook()
ctx = compare.load_context(project_path(processed_dir), region, year)
out = notebook_out_dir(out_dir, ctx.focal.name, ctx.year, peers)
out.mkdir(parents=True, exist_ok=True)
view = target_mod.target_view(ctx.scores, ctx.results, ctx.focal.code, ctx.year, target,
                              lang=lang)
(out / "04-target-summary.json").write_text(
    json.dumps(view.summary, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
display(Markdown(f"**{view.headline}**"))
if view.summary.get("lhe_synthetic"):
    display(Markdown(f"*Data LHE {ctx.focal.name} {ctx.year} di sini adalah data contoh "
                     "(bukan hasil resmi), disusun agar konsisten dengan indeks yang "
                     "dipublikasikan.*"))

# %% [markdown]
# ## Kenaikan indikator yang diusulkan
# Setiap baris: indikator, tingkat sekarang → tingkat tujuan, bobot, dan tambahan indeks.

# %%
if view.plan is not None:
    view.plan.raises.to_csv(out / "04-target-plan.csv", index=False)
    display(show.table(view.plan.raises, lang))
    if not view.plan.raises.empty:
        rows = ctx.scores[(ctx.scores["year"] == ctx.year)
                          & (ctx.scores["instansi_code"] == ctx.focal.code)
                          & (ctx.scores["level"] == "indicator")]
        display(charts.plan_chart(view.plan, ctx.focal.name, ctx.year, rows=rows, lang=lang))
else:
    display(Markdown(f"Belum ada data LHE (tingkat indikator) untuk {ctx.focal.name} "
                     f"{ctx.year}; rencana tidak dapat dihitung."))

# %% [markdown]
# ## Risiko turun predikat
# Seberapa jauh indeks boleh turun sebelum predikatnya turun, dan indikator mana yang paling
# berisiko (penurunan satu tingkat mengurangi indeks paling banyak).

# %%
if view.drop_risk is not None:
    display(show.table(view.drop_risk.head(10), lang))
else:
    display(Markdown("Tanpa data LHE, risiko per indikator tidak dapat dihitung. Jarak indeks "
                     "ke batas bawah predikatnya ada di ringkasan di atas."))
