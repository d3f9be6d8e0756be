"""Facts about the SPBE evaluation, loaded from the YAML files beside this module.

This is the only place in the package that knows evaluation years, frameworks,
national indices and predikat bands; everything else asks here.

>>> band_for(2.61, "spbe-59-2020")
'Baik'
>>> band_for(2.60, "spbe-59-2020")
'Baik'
>>> band_for(2.59, "spbe-59-2020")
'Cukup'
>>> evaluation(2023).decree
'KepmenPANRB No. 13 Tahun 2024'
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache
from pathlib import Path

import yaml

__all__ = [
    "Band",
    "Evaluation",
    "Framework",
    "band_for",
    "canonical_predikat",
    "evaluation",
    "evaluations",
    "framework",
    "frameworks",
    "next_band",
    "current_band",
    "published_precision",
    "published_value",
    "series_break",
]

_HERE = Path(__file__).parent


@dataclass(frozen=True)
class Band:
    predikat: str
    lower: float | None  # inclusive lower bound; None for the bottom band


@dataclass(frozen=True)
class Framework:
    key: str
    name: str
    short: str
    index_min: float
    index_max: float
    verified: bool
    bands: tuple[Band, ...]  # top band first
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Evaluation:
    year: int
    framework: str
    framework_basis: str
    decree: str | None
    decree_year: int | None
    decree_date: str | None
    instansi_covered: int | None
    national_index: float | None
    national_predikat: str | None
    sources: tuple[str, ...]


@cache
def _load(name: str) -> dict:
    with open(_HERE / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@cache
def frameworks() -> dict[str, Framework]:
    """All frameworks by key (``spbe-5-2018``, ``spbe-59-2020``, ``pemdi-draft``, ...)."""
    out = {}
    for key, f in _load("frameworks.yaml")["frameworks"].items():
        bands = tuple(Band(b["predikat"], b["lower"]) for b in f["bands"])
        out[key] = Framework(key, f["name"], str(f["short"]), float(f["index_min"]),
                             float(f["index_max"]), bool(f["verified"]), bands,
                             tuple(f.get("sources") or ()))
    return out


def framework(key: str) -> Framework:
    """One framework by key; a clear KeyError names the known keys."""
    try:
        return frameworks()[key]
    except KeyError:
        raise KeyError(f"unknown framework {key!r}; known: {sorted(frameworks())}") from None


@cache
def evaluations() -> dict[int, Evaluation]:
    """All evaluation years (evaluation year, not decree year) in ascending order."""
    out = {}
    for e in _load("evaluations.yaml")["evaluations"]:
        out[int(e["year"])] = Evaluation(
            year=int(e["year"]), framework=e["framework"], framework_basis=e["framework_basis"],
            decree=e["decree"], decree_year=e["decree_year"],
            decree_date=None if e["decree_date"] is None else str(e["decree_date"]),
            instansi_covered=e["instansi_covered"], national_index=e["national_index"],
            national_predikat=e["national_predikat"], sources=tuple(e.get("sources") or ()))
    return dict(sorted(out.items()))


def evaluation(year: int) -> Evaluation:
    """The registry entry of one evaluation year; KeyError lists the known years."""
    try:
        return evaluations()[int(year)]
    except KeyError:
        raise KeyError(f"no SPBE evaluation registered for year {year}; "
                       f"known years: {list(evaluations())}") from None


def published_precision() -> float:
    """Precision of published indices (0.01): smaller differences are ties."""
    return float(_load("frameworks.yaml")["published_precision"])


@lru_cache(maxsize=1 << 14)  # asked once per row of every build
def published_value(index: float) -> float:
    """An index as published: rounded half-up to the published precision (0.01).

    Python's ``round`` rounds binary floats (2.605 is stored as 2.60499…) and ties to
    even; the published figure rounds the decimal value half-up, as the decree does.

    >>> published_value(2.605), published_value(2.6099999), published_value(2.595)
    (2.61, 2.61, 2.6)
    """
    step = Decimal(str(published_precision()))
    return float(Decimal(repr(float(index))).quantize(step, rounding=ROUND_HALF_UP))


def band_for(index: float, framework_key: str) -> str:
    """Predikat band of an index under a framework (inclusive lower bounds).

    The index is taken as given, only rounded to 6 decimals so float noise from
    arithmetic (2.5999999999 for 2.60) is not read as below a bound. It does not
    round to the published precision: a published index is banded by passing
    :func:`published_value` (2.595 alone is Cukup, published as 2.60 it is Baik), while
    a recomputed or planned index is banded as it is.

    >>> band_for(2.595, "spbe-59-2020"), band_for(published_value(2.595), "spbe-59-2020")
    ('Cukup', 'Baik')
    """
    value = round(float(index), 6)
    for band in framework(framework_key).bands:
        if band.lower is None or value >= band.lower:
            return band.predikat
    raise AssertionError("frameworks.yaml: the last band must have lower: null")


def next_band(index: float, framework_key: str) -> Band | None:
    """The band directly above the one an index sits in, or None at the top."""
    bands = framework(framework_key).bands
    current = band_for(index, framework_key)
    pos = [b.predikat for b in bands].index(current)
    return bands[pos - 1] if pos > 0 else None


def current_band(index: float, framework_key: str) -> Band:
    """The band an index sits in."""
    current = band_for(index, framework_key)
    return next(b for b in framework(framework_key).bands if b.predikat == current)


def canonical_predikat(text: object) -> str | None:
    """Fold a predikat as written ("SANGAT  BAIK", "sangat baik*") to its band name.

    Returns None for blanks and for words that are not a known predikat.
    """
    if text is None:
        return None
    try:
        return _canonical(text)
    except TypeError:  # an unhashable value: not worth caching
        return _canonical.__wrapped__(text)


@lru_cache(maxsize=1 << 12, typed=True)  # a handful of spellings, asked once per row
def _canonical(text: object) -> str | None:
    key = re.sub(r"[^a-z ]", "", str(text).lower())
    key = re.sub(r"\s+", " ", key).strip()
    if not key:
        return None
    return _load("frameworks.yaml")["predikat_synonyms"].get(key)


def series_break(year_a: int, year_b: int) -> bool:
    """True when two evaluation years were scored under different frameworks."""
    return evaluation(year_a).framework != evaluation(year_b).framework
