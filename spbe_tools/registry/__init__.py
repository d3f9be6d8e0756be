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
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, lru_cache
from pathlib import Path

import yaml

from spbe_tools.errors import NotRegisteredError

__all__ = [
    "Band",
    "Evaluation",
    "Framework",
    "band_for",
    "FLOAT_NOISE_DECIMALS",
    "canonical_predikat",
    "DOMAIN_ROUNDING_TOLERANCE",
    "index_from_domains",
    "predikat_below_cut",
    "default_framework",
    "evaluation",
    "evaluation_span",
    "evaluation_years",
    "evaluations",
    "is_evaluation_year",
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
    """One framework by key; NotRegisteredError names the key asked for and the known ones."""
    try:
        return frameworks()[key]
    except (KeyError, TypeError):
        raise NotRegisteredError(f"unknown framework {key!r}; known: {sorted(frameworks())}",
                                 found=str(key)) from None


def default_framework() -> str:
    """The key of the framework used when neither a year nor a key names one."""
    return str(_load("frameworks.yaml")["default_framework"])


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
    """The registry entry of one evaluation year; NotRegisteredError names the year asked
    for and lists the known ones."""
    if not is_evaluation_year(year):
        raise NotRegisteredError(f"no SPBE evaluation registered for year {year}; "
                                 f"known years: {evaluation_years()}", found=str(year))
    return evaluations()[int(year)]


def evaluation_years() -> list[int]:
    """The registered evaluation years, ascending."""
    return list(evaluations())


def evaluation_span() -> str:
    """The registered years as a span, ``2018–2025``."""
    years = evaluation_years()
    return f"{years[0]}–{years[-1]}"


def is_evaluation_year(year: object) -> bool:
    """True for a registered evaluation year given as a whole number (``2023``, not
    ``"2023"``, ``2023.5`` or ``True``)."""
    if type(year) is int:  # the common case, asked once per row of a build
        return year in evaluations()
    if isinstance(year, bool):
        return False
    try:
        return int(year) == year and int(year) in evaluations()
    except (TypeError, ValueError, OverflowError):
        return False


def published_precision() -> float:
    """Precision of published indices (0.01): smaller differences are ties."""
    return float(_load("frameworks.yaml")["published_precision"])


#: Digits below the 9th decimal are float noise of arithmetic (2.6049999999999 is 2.605
#: summed in binary), never a figure someone wrote: rounding and banding ignore them.
FLOAT_NOISE_DECIMALS = 9


@lru_cache(maxsize=1 << 14)  # asked once per row of every build
def published_value(index: float) -> float:
    """An index as published: rounded half-up to the published precision (0.01), after
    dropping float noise (:data:`FLOAT_NOISE_DECIMALS`). The one rounding of the package:
    publishing, ranking, banding a published value and the cross-checks all use it.

    Python's ``round`` rounds binary floats (2.605 is stored as 2.60499…) and ties to
    even; the published figure rounds the decimal value half-up, as the decree does.

    >>> published_value(2.605), published_value(2.6049999999999), published_value(2.595)
    (2.61, 2.61, 2.6)
    >>> published_value(2.6099999), published_value(2.604)
    (2.61, 2.6)
    """
    step = Decimal(str(published_precision()))
    exact = Decimal(repr(round(float(index), FLOAT_NOISE_DECIMALS)))
    return float(exact.quantize(step, rounding=ROUND_HALF_UP))


def band_for(index: float, framework_key: str) -> str:
    """Predikat band of an index under a framework (inclusive lower bounds).

    The index is taken as given, only without float noise (:data:`FLOAT_NOISE_DECIMALS`:
    2.5999999999 from arithmetic is 2.60, not below the bound). It does not
    round to the published precision: a published index is banded by passing
    :func:`published_value` (2.595 alone is Cukup, published as 2.60 it is Baik), while
    a recomputed or planned index is banded as it is.

    >>> band_for(2.595, "spbe-59-2020"), band_for(published_value(2.595), "spbe-59-2020")
    ('Cukup', 'Baik')
    """
    value = round(float(index), FLOAT_NOISE_DECIMALS)
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


#: The largest gap between a printed index and Σ weight × domain of its printed domains when
#: all are printed with two decimals: each domain is off by at most 0.005 and the weights sum
#: to 1, so the weighted sum is off by at most 0.005; the index itself by another 0.005.
DOMAIN_ROUNDING_TOLERANCE = 0.01


def index_from_domains(values: Mapping[str, float], framework_key: str) -> float | None:
    """Σ weight × domain of a complete set of domain indices (``{"D1": 3.8, …}``, index
    points), unrounded; None when the framework has no domain structure or ``values`` is
    not exactly its domains. Computed on the decimals as written (2.27 is 227/100).
    """
    from fractions import Fraction

    units = _domain_units(framework_key)
    if not units or set(values) != set(units):
        return None
    total = sum(units.values())
    return float(sum(Fraction(repr(float(values[k]))) * units[k] for k in units) / total)


@cache
def _domain_units(framework_key: str) -> dict[str, int]:
    """Domain item -> weight in hundredths of a percent point; empty without a structure."""
    from spbe_tools.registry import structure

    if not structure.has_structure(framework_key):
        return {}
    dom = structure.domains(framework_key)
    return dict(zip(dom["item"], dom["weight_units"].astype(int)))


def predikat_below_cut(index: float, predikat: object, framework_key: str) -> bool:
    """True when a published predikat is the band directly below the band of a printed
    (two-decimal) index that sits exactly on that band's lower bound: the official predikat
    comes from the unrounded index, which was below the cut (1,80 "Kurang", 2,60 "Cukup").
    Such a pair is consistent.

    >>> predikat_below_cut(2.60, "Cukup", "spbe-59-2020"), predikat_below_cut(2.61, "Cukup",
    ...                                                                       "spbe-59-2020")
    (True, False)
    """
    canon = canonical_predikat(predikat)
    value = published_value(index)
    bands = framework(framework_key).bands
    names = [b.predikat for b in bands]
    current = band_for(value, framework_key)
    pos = names.index(current)
    if canon is None or pos + 1 >= len(bands) or names[pos + 1] != canon:
        return False
    return bands[pos].lower is not None and value == published_value(bands[pos].lower)


def series_break(year_a: int, year_b: int) -> bool:
    """True when two evaluation years were scored under different frameworks."""
    return evaluation(year_a).framework != evaluation(year_b).framework
