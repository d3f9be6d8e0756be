"""Numbers and labels for people: decimal comma in Indonesian, labels from data.

Every text the charts, the briefing pack and ``spbe compare --format table``
show goes through here, so Indonesian (default) and English stay in one place
(``spbe_tools/data/labels.yaml``).

>>> fmt_id(2.61)
'2,61'
>>> fmt_num(-0.89, lang="en")
'-0.89'
>>> fmt_num(0.01, signed=True)
'+0,01'
>>> fmt_num(None)
'–'
>>> label("index", "en")
'SPBE index'
"""
from __future__ import annotations

import math
from functools import cache

import yaml

from spbe_tools.paths import PACKAGE_DATA
from spbe_tools.year_text import DECREE

__all__ = ["LANGS", "fmt_id", "fmt_num", "label", "labels", "short_decree", "text"]

LANGS = ("id", "en")
MISSING = "–"  # shown for a missing value: never a zero


@cache
def labels() -> dict:
    """All labels from ``data/labels.yaml`` (key -> {id: ..., en: ...})."""
    with open(PACKAGE_DATA / "labels.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, got {lang!r}")


def label(key: str, lang: str = "id") -> str:
    """One label in one language; nested keys use dots (``category_names.kota``)."""
    _check_lang(lang)
    node = labels()
    for part in key.split("."):
        node = node[part]
    return node[lang]


def text(key: str, lang: str = "id", **values: object) -> str:
    """A label with its ``{placeholders}`` filled (values must already be formatted)."""
    return label(key, lang).format(**values)


def fmt_num(value: float | None, decimals: int = 2, *, lang: str = "id",
            signed: bool = False) -> str:
    """Format a number with a decimal comma (id) or point (en); '–' when missing.

    ``signed`` adds '+' to positive values (for gaps and changes).
    """
    _check_lang(lang)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    # Round first so -0.004 does not print as "-0,00".
    rounded = round(float(value), decimals) + 0.0
    out = f"{rounded:+.{decimals}f}" if signed else f"{rounded:.{decimals}f}"
    return out.replace(".", ",") if lang == "id" else out


def fmt_id(value: float | None, decimals: int = 2) -> str:
    """Indonesian number: ``fmt_id(2.61) == "2,61"``."""
    return fmt_num(value, decimals, lang="id")


def short_decree(decree: str) -> str:
    """'KepmenPANRB No. 13 Tahun 2024' -> 'KepmenPANRB No. 13/2024' for source lines.

    >>> short_decree("KepmenPANRB No. 13 Tahun 2024")
    'KepmenPANRB No. 13/2024'
    >>> short_decree("Keputusan Menteri PANRB Nomor 13 Tahun 2024")
    'Keputusan Menteri PANRB No. 13/2024'
    """
    return DECREE.sub(lambda found: f"No. {found.group(1)}/{found.group(2)}", decree)
