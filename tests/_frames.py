"""Small inline tables in the schemas of docs/architecture.md, for the compare/charts/brief tests.

Values for Provinsi Bengkulu 2023 are the published ones (spbe_facts.md section 8)
so the tests read like the analyst's question; the rest is a handful of rows
chosen to exercise other peer groups, missing years and a series break.
"""
from __future__ import annotations

import pandas as pd

from spbe_tools import registry

REGIONS = [  # code, name, type, province_code, autonomous, island
    ("11", "Aceh", "provinsi", "", 1, "Sumatera"),
    ("11.71", "Kota Banda Aceh", "kota", "11", 1, "Sumatera"),
    ("11.72", "Kota Sabang", "kota", "11", 1, "Sumatera"),
    ("15", "Jambi", "provinsi", "", 1, "Sumatera"),
    ("15.71", "Kota Jambi", "kota", "15", 1, "Sumatera"),
    ("15.72", "Kota Sungai Penuh", "kota", "15", 1, "Sumatera"),
    ("17", "Bengkulu", "provinsi", "", 1, "Sumatera"),
    ("17.01", "Kabupaten Bengkulu Selatan", "kabupaten", "17", 1, "Sumatera"),
    ("17.02", "Kabupaten Rejang Lebong", "kabupaten", "17", 1, "Sumatera"),
    ("17.03", "Kabupaten Bengkulu Utara", "kabupaten", "17", 1, "Sumatera"),
    ("17.04", "Kabupaten Kaur", "kabupaten", "17", 1, "Sumatera"),
    ("17.05", "Kabupaten Seluma", "kabupaten", "17", 1, "Sumatera"),
    ("17.06", "Kabupaten Mukomuko", "kabupaten", "17", 1, "Sumatera"),
    ("17.07", "Kabupaten Lebong", "kabupaten", "17", 1, "Sumatera"),
    ("17.08", "Kabupaten Kepahiang", "kabupaten", "17", 1, "Sumatera"),
    ("17.09", "Kabupaten Bengkulu Tengah", "kabupaten", "17", 1, "Sumatera"),
    ("17.71", "Kota Bengkulu", "kota", "17", 1, "Sumatera"),
    ("31", "DKI Jakarta", "provinsi", "", 1, "Jawa"),
    ("31.71", "Kota Administrasi Jakarta Pusat", "kota", "31", 0, "Jawa"),
    ("51", "Bali", "provinsi", "", 1, "Bali-Nusa Tenggara"),
    ("51.71", "Kota Denpasar", "kota", "51", 1, "Bali-Nusa Tenggara"),
]

PROVINCES = {"11": "Aceh", "15": "Jambi", "17": "Bengkulu", "51": "Bali"}

RESULTS = [  # year, code, name, index, published predikat ("" = none given)
    (2023, "17.02", "Kabupaten Rejang Lebong", 3.23, "Baik"),
    (2023, "17", "Provinsi Bengkulu", 3.12, "Baik"),
    (2023, "17.07", "Kabupaten Lebong", 2.93, "Baik"),
    (2023, "17.03", "Kabupaten Bengkulu Utara", 2.90, "Baik"),
    (2023, "17.71", "Kota Bengkulu", 2.61, "Baik"),
    (2023, "17.09", "Kabupaten Bengkulu Tengah", 2.55, "Cukup"),
    (2023, "17.05", "Kabupaten Seluma", 2.54, "Cukup"),
    (2023, "17.01", "Kabupaten Bengkulu Selatan", 2.45, "Cukup"),
    (2023, "17.08", "Kabupaten Kepahiang", 2.28, "Cukup"),
    (2023, "17.04", "Kabupaten Kaur", 2.24, "Cukup"),
    (2023, "17.06", "Kabupaten Mukomuko", 2.07, "Cukup"),
    (2022, "17.07", "Kabupaten Lebong", 1.55, "Kurang"),
    (2024, "17", "Provinsi Bengkulu", 3.92, "Sangat Baik"),
    (2021, "11.71", "Kota Banda Aceh", 2.62, ""),
    (2022, "11.71", "Kota Banda Aceh", 3.15, "Baik"),
    (2023, "11.71", "Kota Banda Aceh", 3.54, "Sangat Baik"),
    (2024, "11.71", "Kota Banda Aceh", 3.70, "Sangat Baik"),
    (2023, "15.71", "Kota Jambi", 4.27, "Memuaskan"),
    (2024, "15.71", "Kota Jambi", 4.32, "Memuaskan"),
    (2018, "51.71", "Kota Denpasar", 2.64, ""),
    (2019, "51.71", "Kota Denpasar", 3.33, ""),
    (2021, "51.71", "Kota Denpasar", 3.19, ""),
    (2023, "K.PANRB", "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi",
     4.56, "Memuaskan"),
    (2023, "K.BUMN", "Kementerian Badan Usaha Milik Negara", 3.01, "Baik"),
]


def regions_frame() -> pd.DataFrame:
    """The reference table in the shape of identity.load_regions() (plus island)."""
    return pd.DataFrame(REGIONS, columns=["code", "name", "type", "province_code", "autonomous",
                                          "island"])


def _category(code: str, name: str) -> str:
    if code.startswith("K."):
        return "kementerian"
    if "." not in code:
        return "provinsi"
    return "kota" if name.startswith("Kota") else "kabupaten"


def results_frame(rows: list[tuple] | None = None, *, synthetic: bool = False) -> pd.DataFrame:
    """Rows in the results.csv schema; framework and computed band from the registry."""
    out = []
    for year, code, name, index, predikat in rows or RESULTS:
        ev = registry.evaluation(year)
        pcode = "" if code.startswith("K.") else code.split(".")[0]
        out.append({
            "year": year, "instansi_code": code, "instansi": name,
            "category": _category(code, name), "province_code": pcode,
            "province": PROVINCES.get(pcode, ""), "province_reported": "",
            "instansi_reported": name, "index": index, "predikat": predikat,
            "predikat_computed": registry.band_for(index, ev.framework), "predikat_flag": "",
            "framework": ev.framework, "decree": ev.decree or "", "synthetic": synthetic,
            "sumber": f"https://example.org/{year}", "match_rule": "exact",
            "source_file": "x.xlsx", "source_sheet": "S", "source_cell": "C7",
        })
    return pd.DataFrame(out)


SCORES = {  # code -> domain values D1..D4; indicators are derived below
    "17.71": [2.4, 2.8, 2.5, 2.7],
    "17.02": [3.0, 3.5, 3.1, 3.3],
    "17.07": [2.9, 3.0, 2.8, 3.0],
    "17.06": [1.9, 2.2, 2.0, 2.1],
}


def scores_frame(*, synthetic: bool = False) -> pd.DataFrame:
    """Domain and indicator scores (2023) for four Bengkulu pemda, scores.csv schema."""
    names = dict((c, n) for _, c, n, _, _ in RESULTS)
    rows = []
    for code, domains in SCORES.items():
        for i, v in enumerate(domains, start=1):
            rows.append((code, "domain", f"D{i}", f"Domain {i}", v))
            # Two indicators per domain around the domain value, so the heatmap has texture.
            rows.append((code, "indicator", f"I{2 * i - 1}", f"Indikator {2 * i - 1}", v - 0.5))
            rows.append((code, "indicator", f"I{2 * i}", f"Indikator {2 * i}", v + 0.5))
    return pd.DataFrame([{
        "year": 2023, "instansi_code": c, "instansi": names[c], "level": lvl, "item": item,
        "item_name": name, "value": round(v, 2), "framework": "spbe-59-2020",
        "synthetic": synthetic, "source_file": "lhe.xlsx", "source_sheet": "LHE",
        "source_cell": "D5"} for c, lvl, item, name, v in rows])
