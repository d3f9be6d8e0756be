"""The kinds of instansi the SPBE evaluation ranks, and the words tables use for them: the one
copy of the category vocabulary (identity, layout, extract, peers and maps read it).

A *category* is one of :data:`CATEGORIES`. A *hint* is what a section row, a sheet name or a
category column says ("Pemerintah Kabupaten/Kota", "K/L", "Pemda"): :func:`categories_of`
gives the categories it allows.
"""
from __future__ import annotations

import re

__all__ = ["AGENCY_CATEGORIES", "ALL_CATEGORIES", "CATEGORIES", "CATEGORY_GROUPS",
           "REGION_CATEGORIES", "categories_of", "hint_key"]

REGION_CATEGORIES = ("provinsi", "kabupaten", "kota")
AGENCY_CATEGORIES = ("kementerian", "lembaga")
CATEGORIES = AGENCY_CATEGORIES + REGION_CATEGORIES
ALL_CATEGORIES = frozenset(CATEGORIES)

#: A hint, as :func:`hint_key` squeezes it (letters only), -> the categories it allows.
CATEGORY_GROUPS: dict[str, frozenset[str]] = {
    **{c: frozenset({c}) for c in CATEGORIES},
    "kabupatenkota": frozenset({"kabupaten", "kota"}), "kabkota": frozenset({"kabupaten", "kota"}),
    "pemda": frozenset(REGION_CATEGORIES), "pemerintahdaerah": frozenset(REGION_CATEGORIES),
    "pusat": frozenset(AGENCY_CATEGORIES), "instansipusat": frozenset(AGENCY_CATEGORIES),
    "kementerianlembaga": frozenset(AGENCY_CATEGORIES), "kl": frozenset(AGENCY_CATEGORIES),
}


def hint_key(text: object) -> str:
    """A hint as letters only, case-folded: "Kabupaten/Kota" -> "kabupatenkota"."""
    return re.sub(r"[^a-z]", "", str(text).casefold())


def categories_of(hint: object) -> frozenset[str] | None:
    """The categories a hint allows ("K/L" -> kementerian and lembaga); None for a hint
    that is not one (the caller decides whether that is an error)."""
    return CATEGORY_GROUPS.get(hint_key(hint)) if hint else None
