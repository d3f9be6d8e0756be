"""Domains, aspects and indicators of each framework, loaded from the CSVs beside this module.

``indicators.csv`` holds one row per (framework, indicator) with its domain, aspect,
weight (% of the final index) and whether the weight is verified; ``domains.csv``
and ``aspects.csv`` hold names and the weights the sources *state*. A framework
with no indicator rows (Pemdi today) is an open slot: :func:`has_structure` is
False and functions that need indicators raise :class:`ConfigError`.

The index rule is data-independent and lives here: an index (whole, domain or
aspect) is the weight-averaged indicator level of its indicators,
Σ level × weight / Σ weight. Under 59/2020 the weights sum to 100, so the index is
Σ level × weight / 100 as the regulation writes it.

Weights are also given as integer ``weight_units`` (hundredths of a percent
point) so sums of level × weight are exact integers.

>>> ind = indicators("spbe-59-2020")
>>> len(ind), int(ind["weight_units"].sum())
(47, 10000)
>>> domains("spbe-59-2020")[["item", "weight"]].to_dict("records")[2]
{'item': 'D3', 'weight': 16.5}
>>> has_structure("pemdi-draft")
False
"""
from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from spbe_tools import registry
from spbe_tools.errors import ConfigError

__all__ = ["aspects", "domains", "has_structure", "indicators", "level_range", "item_code"]

_HERE = Path(__file__).parent
_PREFIX = {"indicator": "I", "domain": "D", "aspect": "A"}


def item_code(level: str, number: int) -> str:
    """Item code used in the ``scores`` table: ``I17``, ``D2``, ``A8``.

    >>> item_code("indicator", 17)
    'I17'
    """
    return f"{_PREFIX[level]}{int(number)}"


def _check_key(framework_key: str) -> None:
    if framework_key not in registry.frameworks():
        raise ConfigError(f"unknown framework {framework_key!r}",
                          expected=", ".join(sorted(registry.frameworks())),
                          found=repr(framework_key))


@cache
def _read(name: str) -> pd.DataFrame:
    df = pd.read_csv(_HERE / name, dtype=str, keep_default_na=False)
    return df


def _rows(name: str, framework_key: str) -> pd.DataFrame:
    _check_key(framework_key)
    df = _read(name)
    return df[df["framework"] == framework_key].reset_index(drop=True)


def _int_or_na(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series.replace("", None), errors="raise").astype("Int64")


def _units(series: pd.Series) -> pd.Series:
    # hundredths of a percent point: 1.30 -> 130, 16.5 -> 1650; exact for the
    # weights we hold (at most two decimals), checked in tests/test_structure.py
    return (pd.to_numeric(series) * 100).round().astype("int64")


@cache  # asked per instansi by the readers and the cross-checks; the CSVs do not change
def has_structure(framework_key: str) -> bool:
    """True when the registry lists the framework's indicators (False for an open slot)."""
    return not _rows("indicators.csv", framework_key).empty


@cache
def _indicators(framework_key: str) -> pd.DataFrame:
    raw = _rows("indicators.csv", framework_key)
    if raw.empty:
        raise ConfigError(
            f"framework {framework_key!r} has no indicator structure in the registry yet "
            "(an open slot until its final form is published)",
            file="spbe_tools/registry/indicators.csv",
            expected="indicator rows for this framework", found="none")
    out = pd.DataFrame({
        "framework": raw["framework"],
        "number": raw["number"].astype("int64"),
        "item": ["I" + n for n in raw["number"]],
        # 5/2018 names are not sourced: show the number instead of inventing a name
        "name": [nm or f"Indikator {n}" for nm, n in zip(raw["name"], raw["number"])],
        "domain_no": _int_or_na(raw["domain_no"]),
        "domain": raw["domain"],
        "aspect_no": _int_or_na(raw["aspect_no"]),
        "aspect": raw["aspect"],
        "weight": pd.to_numeric(raw["weight"]).astype("float64"),
        "weight_units": _units(raw["weight"]),
        "verified": raw["verified"].str.lower().eq("true"),
        "source": raw["source"],
    })
    return out.sort_values("number").reset_index(drop=True)


def indicators(framework_key: str) -> pd.DataFrame:
    """The framework's indicators, one row each, ordered by number.

    Columns: framework, number (int), item (``I1``…), name, domain_no (Int64),
    domain, aspect_no (Int64), aspect, weight (float, % of the index),
    weight_units (int, hundredths of a percent point), verified (bool), source.
    Raises ConfigError for an unknown framework or an open slot.
    """
    _check_key(framework_key)
    return _indicators(framework_key).copy()


@cache  # the callers get copies (domains, aspects), so the cached frame stays as read
def _blocks(kind: str, framework_key: str) -> pd.DataFrame:
    no_col = f"{kind}_no"
    stated = _rows(f"{kind}s.csv", framework_key)
    if stated.empty and not has_structure(framework_key):
        raise ConfigError(f"framework {framework_key!r} lists no {kind}s in the registry",
                          file=f"spbe_tools/registry/{kind}s.csv")
    out = pd.DataFrame({
        "framework": stated["framework"],
        no_col: stated[no_col].astype("int64"),
        "item": [item_code(kind, n) for n in stated[no_col]],
        "name": stated["name"],
        "weight_stated": pd.to_numeric(stated["weight_stated"].replace("", None)).astype("float64"),
        "verified": stated["verified"].str.lower().eq("true"),
        "source": stated["source"],
    })
    if kind == "aspect":
        out.insert(4, "domain_no", _int_or_na(stated["domain_no"]))
    if has_structure(framework_key):
        sums = _indicators(framework_key).groupby(no_col)["weight_units"].sum()
        units = out[no_col].map(sums)
        if units.isna().any():
            raise ConfigError(f"{kind} without indicators in {framework_key!r}",
                              file=f"spbe_tools/registry/{kind}s.csv",
                              found=str(out.loc[units.isna(), "item"].tolist()))
        out["weight_units"] = units.astype("int64")
        out["weight"] = out["weight_units"] / 100.0
    else:
        out["weight"] = out["weight_stated"]
        out["weight_units"] = (out["weight_stated"] * 100).round().astype("Int64")
    return out.sort_values(no_col).reset_index(drop=True)


def domains(framework_key: str) -> pd.DataFrame:
    """The framework's domains with the weight the index rule uses.

    Columns: framework, domain_no (int), item (``D1``…), name, weight_stated (float,
    NaN when no source states it), verified, source, weight_units (int), weight
    (float, % of the index: the sum of the domain's indicator weights when the
    indicators are known, else the stated weight).
    """
    return _blocks("domain", framework_key).copy()


def aspects(framework_key: str) -> pd.DataFrame:
    """The framework's aspects; same columns as :func:`domains` plus domain_no (Int64)."""
    return _blocks("aspect", framework_key).copy()


def level_range(framework_key: str) -> tuple[int, int]:
    """Lowest and highest indicator level (59/2020: 1–5; 5/2018: 0–5), from frameworks.yaml."""
    _check_key(framework_key)
    fw = registry.framework(framework_key)
    return int(fw.index_min), int(fw.index_max)
