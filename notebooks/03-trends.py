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
# # 03 · Tren — wilayah fokus dan pembandingnya dari tahun ke tahun
#
# Nilai 2018–2020 memakai PermenPANRB 5/2018 (35 indikator), sedangkan 2021 ke atas memakai
# PermenPANRB 59/2020 (47 indikator). Perbandingan melintasi pergantian kerangka ditandai
# sebagai **ganti kerangka** dan digambar sebagai garis putus pada grafik.
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
from spbe_tools import charts, compare, show, trends
from spbe_tools.paths import notebook_out_dir, project_path
from spbe_tools.peers import peer_group

show.setup_notebook()
ctx = compare.load_context(project_path(processed_dir), region, year)
group = peer_group(ctx.results, ctx.focal, peers)
trend = trends.trend(ctx.results, group)
out = notebook_out_dir(out_dir, ctx.focal.name, ctx.year, peers)
out.mkdir(parents=True, exist_ok=True)
trend.to_csv(out / "03-trends.csv", index=False)
show.table(trend, lang)

# %%
charts.trend_chart(trend, ctx.focal.name, lang=lang)

# %% [markdown]
# ## Perubahan antartahun di kelompok pembanding
# Untuk setiap pasangan tahun berurutan yang punya nilai: perubahan indeks, perubahan
# peringkat, dan perubahan predikat, dengan tanda *ganti kerangka* bila kerangkanya berbeda.

# %%
changes = trends.year_over_year(ctx.results, group)
changes.to_csv(out / "03-changes.csv", index=False)
show.table(changes, lang)
