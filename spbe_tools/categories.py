"""The kinds of instansi the SPBE evaluation ranks, and the words tables use for them: the one
copy of the category vocabulary (identity, layout, ingest, extract, peers and maps read it).

A *category* is one of :data:`CATEGORIES`. A *hint* is what a section row, a sheet name or a
category column says ("Pemerintah Kabupaten/Kota", "K/L", "Pemda"): :func:`categories_of`
gives the categories it allows. A *section row* ("B. PEMERINTAH KABUPATEN", "Instansi
Pusat") opens the rows of a category or a group of them: :func:`section_hint` reads it,
for the workbook and the PDF readers alike.

>>> section_hint("C.PEMERINTAHPROVINSI"), section_hint("Lembaga Non Kementerian")
('provinsi', 'lembaga')
>>> section_hint("Instansi Pusat"), section_hint("Kabupaten Aceh Barat")
('kl', None)
"""
from __future__ import annotations

import re

__all__ = ["AGENCY_CATEGORIES", "ALL_CATEGORIES", "CATEGORIES", "CATEGORY_GROUPS",
           "GROUP_SECTIONS", "NATIONAL_CATEGORIES", "NATIONAL_CATEGORY_WORDS",
           "REGION_CATEGORIES", "SECTION_FILLERS", "SECTION_LABELS", "categories_of",
           "hint_key", "names_categories", "national_category", "section_hint",
           "without_enumeration"]

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


def names_categories(value: object) -> bool:
    """True when a category column's value names categories ("Kota", "K/L", "Pemda") or
    the national row ("Nasional")."""
    return categories_of(value) is not None or hint_key(value) == "nasional"


#: The groups the evaluation reports give national figures for (the means by category,
#: Tabel 7 of the 2023 report and Tabel 8 of 2024; the Instansi Pusat and Pemerintah Daerah
#: means of their domain charts), in the reports' order; ``""`` is every instansi (Nasional).
#: 2024 prints LNS and Instansi Lainnya as one column.
NATIONAL_CATEGORIES = ("", "instansi pusat", "kementerian", "lpnk", "lns", "instansi lainnya",
                       "lns dan instansi lainnya", "pemerintah daerah", "provinsi", "kabupaten",
                       "kota")
#: A national figure's category as written, squeezed by :func:`hint_key`, -> its category.
NATIONAL_CATEGORY_WORDS: dict[str, str] = {
    "": "", "nasional": "", "national": "", "semuainstansi": "",
    "instansipusat": "instansi pusat", "pusat": "instansi pusat",
    "kementerian": "kementerian",
    "lpnk": "lpnk", "lembagapemerintahnonkementerian": "lpnk",
    "lembaganonkementerian": "lpnk",
    "lns": "lns", "lembaganonstruktural": "lns",
    "instansilainnya": "instansi lainnya", "lainnya": "instansi lainnya",
    "lnsdaninstansilainnya": "lns dan instansi lainnya",
    "lnsdannstansilainnya": "lns dan instansi lainnya",  # the 2024 report's OCR drops the I
    "pemerintahdaerah": "pemerintah daerah", "pemda": "pemerintah daerah",
    "provinsi": "provinsi", "pemerintahprovinsi": "provinsi",
    "kabupaten": "kabupaten", "pemerintahkabupaten": "kabupaten",
    "kota": "kota", "pemerintahkota": "kota",
}


def national_category(text: object) -> str | None:
    """The category of a national figure as written ("LPNK", "Pemerintah Kota", "Nasional" or
    empty for every instansi) -> one of :data:`NATIONAL_CATEGORIES`; None for a word that is
    none of them (the caller rejects it).

    >>> national_category("LPNK"), national_category("Nasional"), national_category("Pusat!")
    ('lpnk', '', 'instansi pusat')
    """
    return NATIONAL_CATEGORY_WORDS.get(hint_key(text or ""))


#: Words a section row adds to a category's word: "Pemerintah Provinsi", "Lembaga Non
#: Kementerian", "Kementerian Negara", "Provinsi dan Kabupaten".
SECTION_FILLERS = ("dan", "non", "pemerintah", "negara")
#: Section rows naming a group of categories, as :func:`hint_key` squeezes them (leading
#: "pemerintah" dropped) -> the hint they give; each hint is one :func:`categories_of` knows.
GROUP_SECTIONS = {
    "kementerianlembaga": "kl", "kl": "kl", "instansipusat": "kl", "pusat": "kl",
    "kabupatenkota": "kabupaten/kota",
    "daerah": "pemda", "pemda": "pemda",
}
#: The section row written for a hint (spbe extract's annex workbook), read back by
#: :func:`section_hint` as the same hint; rows read under no section go under "TANPA SEKSI".
SECTION_LABELS = {"kementerian": "A. KEMENTERIAN", "lembaga": "B. LEMBAGA",
                  "provinsi": "C. PEMERINTAH PROVINSI", "kabupaten": "D. PEMERINTAH KABUPATEN",
                  "kota": "E. PEMERINTAH KOTA", "kl": "KEMENTERIAN/LEMBAGA",
                  "kabupaten/kota": "PEMERINTAH KABUPATEN/KOTA", "pemda": "PEMERINTAH DAERAH",
                  None: "TANPA SEKSI"}
#: At most this many words in a section row that names one category.
SECTION_MAX_WORDS = 4
_ENUMERATION = re.compile(r"^\s*([a-z]|[ivx]+|\d+)\s*[.)]\s*", re.IGNORECASE)
# no word of the vocabulary starts another, so a squeezed key splits back one way only
_SECTION_WORD = re.compile("|".join(CATEGORIES + SECTION_FILLERS))
_SECTION_KEY = re.compile(f"(?:{_SECTION_WORD.pattern})+")


def without_enumeration(text: object) -> str:
    """A section row's text without its "A." / "IV)" / "2." before the words."""
    return _ENUMERATION.sub("", str(text))


def section_hint(text: object) -> str | None:
    """The hint a section row gives: its category ("D. PEMERINTAH KABUPATEN" ->
    "kabupaten") or group ("Instansi Pusat" -> "kl"); None when ``text`` is not a section
    row. Read as letters only, so an OCR line that lost its spaces reads the same."""
    key = hint_key(without_enumeration(text)).removeprefix("pemerintah")
    if key in GROUP_SECTIONS:
        return GROUP_SECTIONS[key]
    if not _SECTION_KEY.fullmatch(key):
        return None
    words = _SECTION_WORD.findall(key)
    return words[0] if len(words) <= SECTION_MAX_WORDS and words[0] in CATEGORIES else None
