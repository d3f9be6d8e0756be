# %% [markdown]
# # 03 · Tren — wilayah fokus dan pembandingnya dari tahun ke tahun
#
# Nilai 2018–2020 memakai PermenPANRB 5/2018 (35 indikator), sedangkan 2021 ke atas memakai
# PermenPANRB 59/2020 (47 indikator). Perbandingan melintasi pergantian kerangka ditandai
# sebagai **series break** dan digambar sebagai garis putus pada grafik.

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

from spbe_tools import charts, compare

ctx = compare.load_context(processed_dir, region, year)
group = compare.peer_group(ctx.results, ctx.focal, peers)
trend = compare.trend(ctx.results, group)
Path(out_dir).mkdir(parents=True, exist_ok=True)
trend.to_csv(Path(out_dir) / "03-trends.csv", index=False)
trend

# %%
charts.trend_chart(trend, ctx.focal.name, lang=lang)

# %% [markdown]
# ## Perubahan antartahun di kelompok pembanding
# Untuk setiap pasangan tahun berurutan yang punya nilai: perubahan indeks, perubahan
# peringkat, dan transisi predikat, dengan tanda `series_break` bila kerangkanya berbeda.

# %%
changes = compare.year_over_year(ctx.results, group)
changes.to_csv(Path(out_dir) / "03-changes.csv", index=False)
changes
