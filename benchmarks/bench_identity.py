"""How long the matcher takes on an annex-sized list of names (650, varied spellings).

The list is built from the reference tables: every autonomous pemda written in one
of several forms ("Pemerintah Kabupaten X", "KAB. X", "Kab X", "Pemkot X", ...),
the central agencies by short name, aliases and former codes, and a few misspelt
names that go through the rapidfuzz suggestion path. The resolution cache is
cleared before every run, so each run resolves all 650 names from scratch.

Baselines (same process): a plain dict lookup of ``str.casefold`` names, and
reading ``regions.csv`` with pandas for the one-off matcher build.

Run: ``python -m benchmarks identity``
"""
from __future__ import annotations

import pandas as pd

from benchmarks.harness import against_baseline
from spbe_tools import identity

N_NAMES = 650
_FORMS = {
    "provinsi": ("Pemerintah Provinsi {x}", "PROVINSI {x}", "Prov. {x}", "Pemprov {x}"),
    "kabupaten": ("Pemerintah Kabupaten {x}", "KAB. {x}", "Kab {x}", "Kabupaten {x}", "Pemkab {x}"),
    "kota": ("Pemerintah Kota {x}", "KOTA {x}", "Kota {x}", "Pemkot {x}"),
}
_EXTRA = ["Kemenpan RB", "KemenPAN-RB", "Kementerian PANRB", "Kemenkeu", "Kominfo", "BPS", "BRIN",
          "Kemenko Polhukam", "KemenKopUKM", "Kementerian BUMN", "KemenPPPA", "Kemenpora",
          "Kab. Muko Muko", "Kabupaten Toba Samosir", "Prov. Kepri", "DKI Jakarta", "Pangkep",
          "Kota Pare Pare", "Kab. Fak Fak", "91.01", "92.71", "1771", "DIY", "Babel", "NAD"]
_MISSPELT = ["Kota Bengkuluu", "Kab. Rejang Lebongg", "Kabupaten Lampung Utaraa", "Kota Kotabaru",
             "Kabupaten Wakanda", "Kota Antah Berantah", "Provinsi Sumatera Utaraa", "Kemenkeuu"]


def annex_names(n: int = N_NAMES) -> list[str]:
    """``n`` names in varied spellings (deterministic), drawn from the reference tables."""
    regions = identity.load_regions()
    regions = regions[regions["autonomous"] == "1"]
    names = []
    for i, row in enumerate(regions.to_dict("records")):
        rest = row["name"] if row["type"] == "provinsi" else row["name"].split(" ", 1)[1]
        forms = _FORMS[row["type"]]
        names.append(forms[i % len(forms)].format(x=rest))
    names += _EXTRA + _MISSPELT
    while len(names) < n:  # an annex lists some pemda twice (e.g. per category sheet)
        names.append(names[len(names) % len(regions)].upper())
    return names[:n]


def run() -> list[dict]:
    names = annex_names()
    matcher = identity.Matcher()

    def resolve_all():
        matcher.clear_cache()  # measure resolution, not the memo
        return [matcher.resolve(n) for n in names]

    canonical = {n.casefold(): c for n, c in zip(identity.load_regions()["name"],
                                                 identity.load_regions()["code"])}

    def dict_lookup():
        return [canonical.get(n.casefold()) for n in names]

    results = resolve_all()
    resolved = sum(r.ok for r in results)
    rows = [against_baseline(f"identity: resolve {len(names)}-name annex", resolve_all,
                    "dict lookup of casefolded names", dict_lookup,
                    names=len(names), resolved=resolved, unresolved=len(names) - resolved)]
    rows.append(against_baseline("identity: build Matcher (once per build)", identity.Matcher,
                        "pd.read_csv(regions.csv)",
                        lambda: pd.read_csv(identity.REGIONS_CSV, dtype=str), repeat=5))
    return rows
