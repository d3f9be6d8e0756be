"""Who each row is: regions (Kemendagri codes), aliases and history, central agencies, the matcher.

Why one module of ~950 lines: it is one algorithm. Normalising a name, the reference
tables with their validity periods and the matcher's rules share the entries built at
load (:class:`_Entry`, :class:`_Unit`); split apart, each part would reach into the
others' internals.

Reference tables shipped in ``spbe_tools/data/``:

``regions.csv`` (ODbL 1.0, see ``NOTICE.md``)
    ``code, name, type, province_code, autonomous, island``: 38 provinces and
    514 kabupaten/kota from idn-area-data 4.0.1 (Kepmendagri 300.2.2-2138/2025),
    built by ``tools/build_regions.py``. Codes are dotted strings (``17``, ``17.71``).
``region_aliases.csv`` (ours, hand-written)
    ``alias, code, valid_from, valid_to, note``: former names, spelling variants,
    short forms and former codes (``91.01`` -> ``93.01``). Dates are ``YYYY-MM-DD``
    or ``YYYY``, blank when open or unknown.
``agencies.csv`` (ours)
    ``code, name, category, short_names, valid_from, valid_to, successor_code,
    source_url, note``: one row per (agency, name period). It holds the 92 instansi pusat
    of each national report of 2023 and 2024 (``data/sources/laporan``) under the names
    printed there, and the Kabinet Merah Putih reorganisation of 2024-10-21 where a source
    dates it (an unsourced date is left blank and the note says so).

**Analyst alias files.** ``Matcher(extra_alias_files=[...])`` and
``default_matcher(...)`` read more CSVs with the same columns as
``region_aliases.csv``; ``spbe build`` passes ``<raw dir>/aliases.csv`` when it
exists. To confirm a match that landed in rejects, add a line such as
``Kab. Kep. Sitaro,71.09,,,confirmed by analyst`` there; the next build uses it.
An alias pointing to an unknown code, a type word contradicting its target
(``Kota X`` -> a kabupaten) or two aliases sending one name to two codes in the
same period is an :class:`~spbe_tools.errors.InputError` naming the file and line.

**Matching rules** (:meth:`Matcher.resolve`):

1. Normalise: case-fold, strip accents, punctuation, hyphens and spaces
   (``Muko-Muko`` = ``Mukomuko``). Abbreviated words of a region name are read in full
   (``Kep.`` Kepulauan, ``Sel.`` Selatan, ``Ut.`` Utara, ``Tim.`` Timur, ``Bar.`` Barat,
   ``Teng.`` Tengah) and the rule says so (``exact; abbreviation: Sel. -> Selatan``).
   A trailing ``RI``/``Republik Indonesia`` of an agency name is dropped before two words
   or more (``Radio Republik Indonesia`` keeps it) and the rule says how the matched name
   differs (``RI read as Republik Indonesia``). Invisible characters
   (Unicode format characters: zero-width spaces and joiners, byte-order marks,
   soft hyphens, left-to-right/right-to-left marks, overrides and isolates) are
   removed wherever they are, and the rule names them by code point
   (``exact; invisible character(s) removed: U+200B ZERO WIDTH SPACE``). A letter
   from another script (a Cyrillic ``о`` that looks like a Latin ``o``) is never
   dropped: the name is unresolved and the reason shows the letter's code point.
   A name longer than :data:`MAX_NAME_CHARS` is unresolved without being searched.
2. Prefixes: ``Pemerintah``/``Pemda`` are dropped; the type comes only from a
   whole leading word (``Kabupaten``/``Kab``/``Pemkab``, ``Kota``/``Pemkot``/``Pemko``,
   ``Provinsi``/``Prov``/``Pemprov``), never from ``Kota`` inside Kotabaru or
   Kotamobagu; ``Adm.``/``Administrasi`` after the type is dropped.
3. Candidates are canonical names (rule ``exact``), codes (``code``), agency short names
   (``short name: ...``) and aliases (``alias: ...``), filtered by the type word or,
   without one, the ``category`` hint. A type word contradicting the hint is unresolved.
   An agency name found no other way may be one name of a slash double name
   (``Badan Pertanahan Nasional`` of ``Kementerian Agraria dan Tata Ruang/Badan Pertanahan
   Nasional``: ``slash part: ...``), a slash name each of whose names matches the same agency
   (``slash name: ...``; two agencies: unresolved, both named), or ``Sekretariat
   [Jenderal] X`` of a lembaga X, the secretariat evaluated for it (``secretariat: ...``).
4. Several candidates left are told apart by the reported ``province`` (Kota
   Banjar in Jawa Barat vs Kabupaten Banjar in Kalimantan Selatan); otherwise the
   name is unresolved ("Bengkulu" alone is a province and a kota).
5. A reported province must contain the match, now or formerly (former codes in
   the alias table: Merauke reported under Papua resolves to 93.01).
6. Anything else is unresolved, with the three closest names (rapidfuzz, on the first
   :data:`MAX_SUGGESTION_CHARS` characters) in the reason. A fuzzy match is never
   accepted. Through :meth:`Matcher.per_file` (the build), at most
   :data:`MAX_SUGGESTED_NAMES_PER_FILE` distinct unidentified names of one file are
   searched; the others say so in their reason.

**Dates.** With ``year`` (the evaluation year), entries valid in that year win
over entries that are not; an entry used outside its validity is still accepted
when nothing else matches, and the rule says so.

**Agency renames.** One stable code per continuing body: Kominfo and Komdigi
share ``K.KOMDIGI`` and the canonical name is the name in force in the year (the
latest one in force when a rename falls inside the year; the current name without
a year). Bodies merged or split get their own codes, and the old row names its
successor when there is exactly one (LAPAN, BPPT, LIPI, BATAN -> ``L.BRIN``;
Kemenkumham -> ``K.HUKUM``). The reported province is not used for central agencies.

>>> m = default_matcher()
>>> m.resolve("Pemerintah Kota Bengkulu").code
'17.71'
>>> m.resolve("Bengkulu", category="provinsi").name
'Provinsi Bengkulu'
>>> m.resolve("Kab. Muko Muko").name
'Kabupaten Mukomuko'
>>> m.resolve("Kota Kotabaru").ok
False
"""
from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from rapidfuzz import fuzz, process

from spbe_tools.categories import (
    AGENCY_CATEGORIES,
    ALL_CATEGORIES,
    CATEGORY_GROUPS,
    REGION_CATEGORIES,
    categories_of,
)
from spbe_tools.errors import ConfigError, InputError
from spbe_tools.paths import PACKAGE_DATA

if TYPE_CHECKING:  # pandas is imported only where a DataFrame is made: `spbe regions` starts fast
    import pandas as pd

__all__ = [
    "Resolution",
    "Matcher",
    "PerFileMatcher",
    "ParsedName",
    "Suggestions",
    "default_matcher",
    "resolve_region",
    "load_regions",
    "load_aliases",
    "load_agencies",
    "island_of",
    "province_name",
    "parse_name",
]

REGIONS_CSV = PACKAGE_DATA / "regions.csv"
ALIASES_CSV = PACKAGE_DATA / "region_aliases.csv"
AGENCIES_CSV = PACKAGE_DATA / "agencies.csv"

REGION_COLUMNS = ["code", "name", "type", "province_code", "autonomous", "island"]
ALIAS_COLUMNS = ["alias", "code", "valid_from", "valid_to", "note"]
AGENCY_COLUMNS = ["code", "name", "category", "short_names", "valid_from", "valid_to",
                  "successor_code", "source_url", "note"]
# Whole leading words that carry the type of a pemda.
_TYPE_WORDS = {
    "kabupaten": "kabupaten", "kab": "kabupaten", "pemkab": "kabupaten",
    "kota": "kota", "kotamadya": "kota", "kodya": "kota", "pemkot": "kota", "pemko": "kota",
    "provinsi": "provinsi", "propinsi": "provinsi", "prov": "provinsi", "prop": "provinsi",
    "pemprov": "provinsi", "pemprop": "provinsi",
}
_ADMIN_WORDS = {"adm", "administrasi", "administratif"}
_TOKEN_SYNONYMS = {"kementrian": "kementerian"}
#: Abbreviated words of region names (whole words, with or without the dot) -> the word; a
#: region matched through one says so in its rule ("abbreviation: Sel. -> Selatan").
_ABBREVIATIONS = {
    "kep": "kepulauan", "sel": "selatan", "ut": "utara", "utr": "utara", "tim": "timur",
    "tmr": "timur", "bar": "barat", "brt": "barat", "teng": "tengah", "tgh": "tengah",
}
#: First words of a central agency's name: a slash followed by one starts a second name
#: of the same body ("Kementerian Investasi/Badan Koordinasi Penanaman Modal"), unlike the
#: slash of "Barang/Jasa".
_INSTITUTION_WORDS = {"kementerian", "badan", "lembaga", "komisi", "dewan", "kantor",
                      "sekretariat", "majelis", "mahkamah"}
#: Leading words naming a body's secretariat, evaluated for the body ("Sekretariat Jenderal
#: Komisi Pemilihan Umum" in the 2024 report is Komisi Pemilihan Umum of 2023).
_SECRETARIAT_WORDS = (("sekretariat", "jenderal"), ("sekretariat",))
# Words that carry no identity in agency names ("Kementerian Koordinator Bidang X", "... RI").
_AGENCY_NOISE = {"dan", "bidang"}
_REGION_CODE_RE = re.compile(r"^(\d{2})(?:\.?(\d{2}))?$")
#: Names longer than this are not matched (the longest official name has 65 characters,
#: a reported one with "Pemerintah Daerah" and a province fits easily); a cell may hold
#: 32,767 characters, and fuzzy scoring costs grow with the length.
MAX_NAME_CHARS = 150
#: Fuzzy suggestions compare at most this many characters of a name's key.
MAX_SUGGESTION_CHARS = 64
#: Distinct unidentified names of one file that get fuzzy suggestions (a few milliseconds
#: each) through :meth:`Matcher.per_file`; an annex has a handful.
MAX_SUGGESTED_NAMES_PER_FILE = 200
_AGENCY_CODE_RE = re.compile(r"^[KL]\.[A-Z0-9]+$", re.IGNORECASE)


class Suggestions(NamedTuple):
    """The fuzzy-suggestion work one :meth:`Matcher.resolve` may do.

    ``search``: an unresolved name gets the closest names; when False it gets none and its
    reason says more than ``budget`` unidentified names of its file were searched first
    (:class:`PerFileMatcher`). Part of the matcher's memo key: a resolution made under one
    budget is never served to a caller with another. Immutable, hashed in C: a key part of
    every resolution of a build.
    """

    search: bool = True
    budget: int = MAX_SUGGESTED_NAMES_PER_FILE


#: Suggestions for every unresolved name (a resolution outside a build).
SEARCH_ALL = Suggestions()


@dataclass(frozen=True)
class Resolution:
    """What one reported name resolved to, and why (``rule``) or why not (``reason``)."""

    query: str
    code: str | None
    name: str | None
    category: str | None
    province_code: str
    province: str
    rule: str
    reason: str
    candidates: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when the name resolved to exactly one instansi."""
        return self.code is not None


@dataclass(frozen=True)
class ParsedName:
    """A reported name taken apart: the type word (if any) and the comparison keys."""

    type_word: str | None   # provinsi|kabupaten|kota from a whole leading word, else None
    base: str               # region key: the name without prefixes, spaces or punctuation
    agency_key: str         # agency key: the whole name without punctuation, 'dan', 'bidang'
    abbreviations: tuple[str, ...] = ()  # words read in full: ('Sel. -> Selatan',)


@dataclass(frozen=True)
class _Unit:
    code: str
    name: str
    category: str
    province_code: str
    province: str


@dataclass(frozen=True)
class _Entry:
    """One way to reach a code: canonical name, agency short name, or alias line."""

    code: str
    kind: str                 # exact | code | short name | slash part | alias
    text: str                 # the matching text as written in the table
    valid_from: date | None = None
    valid_to: date | None = None
    note: str = ""
    origin: str = ""          # "region_aliases.csv:12" for alias lines


# ---------------------------------------------------------------- normalisation

def _words(text: str) -> list[str]:
    """Case-folded ASCII words of ``text`` as written; punctuation and hyphens separate."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    text = text.casefold().replace("&", " dan ")
    return re.sub(r"[^a-z0-9]+", " ", text).split()


def _in_full(word: str) -> str:
    """A word of :func:`_words` with its spelling variant or abbreviation read in full."""
    return _TOKEN_SYNONYMS.get(word) or _ABBREVIATIONS.get(word, word)


def _tokens(text: str) -> list[str]:
    """:func:`_words` read in full (:func:`_in_full`)."""
    return [_in_full(w) for w in _words(text)]


def _abbreviations(words: list[str]) -> tuple[str, ...]:
    """The abbreviated words among ``words`` (:func:`_words`) as 'Sel. -> Selatan', each
    once, in order.

    >>> _abbreviations(["ogan", "komering", "ulu", "sel"]), _abbreviations(["bengkulu"])
    (('Sel. -> Selatan',), ())
    """
    found = [w for w in words if w in _ABBREVIATIONS]
    return tuple(f"{w.capitalize()}. -> {_ABBREVIATIONS[w].capitalize()}"
                 for w in dict.fromkeys(found))


def _suffix(words: list[str]) -> str:
    """'RI' or 'Republik Indonesia' when the words end with it, else ''."""
    if words[-2:] == ["republik", "indonesia"] and len(words) > 2:
        return "Republik Indonesia"
    return "RI" if words[-1:] == ["ri"] and len(words) > 1 else ""


def _suffix_note(query: str, name: str) -> str:
    """How a matched agency name's suffix differs from the query's ('' when alike).

    >>> _suffix_note("Perpustakaan Nasional RI", "Perpustakaan Nasional Republik Indonesia")
    'RI read as Republik Indonesia'
    >>> _suffix_note("Kementerian Keuangan RI", "Kementerian Keuangan")
    "suffix 'RI' dropped"
    """
    asked, official = _suffix(_words(query)), _suffix(_words(name))
    if not asked or asked == official:
        return ""
    if official:
        return f"{asked} read as {official}"
    return f"suffix {asked!r} dropped"


def _slash_parts(text: str) -> list[str]:
    """The names of a slash double name, split only where the part after a slash starts
    with an institution word; ``[text]`` when there is none.

    >>> _slash_parts("Kementerian Agraria dan Tata Ruang/Badan Pertanahan Nasional")
    ['Kementerian Agraria dan Tata Ruang', 'Badan Pertanahan Nasional']
    >>> _slash_parts("Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah")
    ['Lembaga Kebijakan Pengadaan Barang/Jasa Pemerintah']
    """
    parts = [p.strip() for p in str(text).split("/")]
    out = [parts[0]]
    for part in parts[1:]:
        first = _tokens(part)[:1]
        if first and first[0] in _INSTITUTION_WORDS and out[-1]:
            out.append(part)
        else:
            out[-1] = f"{out[-1]}/{part}"
    return out


def _invisible(text: str) -> tuple[str, list[str]]:
    """``text`` without Unicode format characters (category Cf: zero-width spaces and
    joiners, BOM, soft hyphen, bidi marks, overrides and isolates), and those removed
    as 'U+200B ZERO WIDTH SPACE' (each once, in order of appearance).

    >>> _invisible("Kota\u200b Beng\ufeffkulu")
    ('Kota Bengkulu', ['U+200B ZERO WIDTH SPACE', 'U+FEFF ZERO WIDTH NO-BREAK SPACE'])
    """
    if text.isascii():
        return text, []
    found = [ch for ch in text if unicodedata.category(ch) == "Cf"]
    if not found:
        return text, []
    kept = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return kept, [_code_point(ch) for ch in dict.fromkeys(found)]


def _code_point(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'UNNAMED CHARACTER')}"


def _foreign_letters(text: str) -> list[str]:
    """Letters and digits that are not Latin once accents are stripped (a Cyrillic or
    Greek look-alike), as 'U+043E CYRILLIC SMALL LETTER O at position 14' (1-based).

    >>> _foreign_letters("Kabupaten Mukomukó"), _foreign_letters("Kab. Leb\u043eng")
    ([], ['U+043E CYRILLIC SMALL LETTER O at position 9'])
    """
    if text.isascii():
        return []
    out = []
    for i, ch in enumerate(text, start=1):
        if ch.isascii():
            continue
        base = [c for c in unicodedata.normalize("NFKD", ch)
                if not unicodedata.category(c).startswith("M")]
        if any(not c.isascii() and unicodedata.category(c)[0] in "LN" for c in base):
            out.append(f"{_code_point(ch)} at position {i}")
    return out


def _strip_prefixes(words: list[str]) -> tuple[str | None, list[str]]:
    """Drop 'Pemerintah [Daerah]'/'Pemda', take the type from the leading word, drop 'Adm.'."""
    i = 0
    if words[:1] == ["pemda"]:
        i = 1
    elif words[:1] == ["pemerintah"]:
        i = 1
        # "Pemerintah Daerah Kabupaten X", but not "Pemerintah Daerah Istimewa Yogyakarta".
        if words[1:2] == ["daerah"] and words[2:3] and words[2] not in {"istimewa", "khusus"}:
            i = 2
    type_word = _TYPE_WORDS.get(words[i]) if i < len(words) else None
    if type_word:
        i += 1
        if type_word != "provinsi" and i < len(words) and words[i] in _ADMIN_WORDS:
            i += 1
    return type_word, words[i:]


def parse_name(text: str) -> ParsedName:
    """Take a reported name apart.

    >>> p = parse_name("Pemerintah Kota Bengkulu")
    >>> p.type_word, p.base, p.agency_key, p.abbreviations
    ('kota', 'bengkulu', 'pemerintahkotabengkulu', ())
    >>> parse_name("Pemerintah Kab. Ogan Komering Ulu Sel.").abbreviations
    ('Sel. -> Selatan',)
    >>> parse_name("Kab. Kotabaru").base, parse_name("Kotabaru").type_word
    ('kotabaru', None)
    >>> parse_name("KemenPAN-RB").agency_key == parse_name("Kemenpan RB").agency_key
    True
    """
    written = _words(text)
    words = [_in_full(w) for w in written]
    type_word, rest = _strip_prefixes(words) if words else (None, [])
    agency = [w for w in words if w not in _AGENCY_NOISE]
    # a suffix is dropped only before two words or more: "Radio Republik Indonesia" is a name
    if agency[-2:] == ["republik", "indonesia"] and len(agency) > 3:
        agency = agency[:-2]
    elif agency[-1:] == ["ri"] and len(agency) > 2:
        agency = agency[:-1]
    # words and written align one to one: the region part is the tail of both
    abbreviations = _abbreviations(written[len(written) - len(rest):])
    return ParsedName(type_word, "".join(rest), "".join(agency), abbreviations)


def _category_group(category: str | None) -> frozenset[str] | None:
    """Categories allowed by a context hint; None when there is no hint."""
    if category is None or not str(category).strip():
        return None
    allowed = categories_of(category)
    if allowed is None:
        raise ConfigError("unknown category hint (argument category).",
                          expected=", ".join(sorted(CATEGORY_GROUPS)), found=repr(category))
    return allowed


def _region_code(text: str) -> str | None:
    """'17.71' or '1771' -> '17.71'; '17' -> '17'; anything else None."""
    m = _REGION_CODE_RE.match(text.strip())
    if not m:
        return None
    return m.group(1) if m.group(2) is None else f"{m.group(1)}.{m.group(2)}"


# ---------------------------------------------------------------- tables

Records = list[dict[str, str]]


def _read_records(path: Path, columns: list[str]) -> Records:
    """A CSV as rows of stripped strings (codes stay '17.10'; an empty cell is "");
    InputError if it cannot be read or lacks ``columns``."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh, restval="")
            fields = [f for f in (reader.fieldnames or []) if f is not None]
            rows = [{k: (v or "").strip() for k, v in row.items() if k is not None}
                    for row in reader]
    except (csv.Error, UnicodeDecodeError) as exc:
        raise InputError(f"not a readable CSV ({exc})", file=str(path)) from None
    missing = [c for c in columns if c not in fields]
    if missing:
        raise InputError("missing columns", file=str(path), expected=", ".join(columns),
                         found=", ".join(fields))
    return rows


def _frame(records: Records, columns: list[str]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(records, columns=columns, dtype=str)


def _records(table) -> Records:
    """Rows of a table given as records or as a DataFrame (all values as stripped str)."""
    if isinstance(table, list):
        return table
    return [{k: str(v).strip() for k, v in row.items()} for row in table.to_dict("records")]


@cache
def _regions_records() -> Records:
    return _read_records(REGIONS_CSV, REGION_COLUMNS)


def load_regions() -> pd.DataFrame:
    """The 552 reference regions.

    Columns (all str): ``code`` ("17", "17.71"), ``name`` ("Bengkulu", "Kota Bengkulu"),
    ``type`` (provinsi|kabupaten|kota), ``province_code`` ("" for provinces),
    ``autonomous`` ("1"/"0"; "0" for the six Jakarta administrative units), ``island``.
    """
    return _frame(_regions_records(), REGION_COLUMNS)


def _alias_records(path: Path | None = None) -> Records:
    path = Path(path) if path is not None else ALIASES_CSV
    shown = path.name if path == ALIASES_CSV else str(path)
    return [{**{c: row[c] for c in ALIAS_COLUMNS}, "file": shown, "line": line}
            for line, row in enumerate(_read_records(path, ALIAS_COLUMNS), start=2)]


def load_aliases(path: Path | None = None) -> pd.DataFrame:
    """An alias table (default: the packaged ``region_aliases.csv``).

    Columns: ``alias, code, valid_from, valid_to, note`` (str) plus ``file`` (the
    file name) and ``line`` (int, 1-based line in the file, header = line 1).
    """
    import pandas as pd

    return pd.DataFrame(_alias_records(path), columns=ALIAS_COLUMNS + ["file", "line"])


@cache
def _agencies_records() -> Records:
    return _read_records(AGENCIES_CSV, AGENCY_COLUMNS)


def load_agencies() -> pd.DataFrame:
    """Central agencies, one row per (code, name period); columns ``AGENCY_COLUMNS`` (all str).

    ``short_names`` is ';'-separated; ``valid_from``/``valid_to`` are ISO dates or blank;
    ``successor_code`` names the body that carries on after ``valid_to``.
    """
    return _frame(_agencies_records(), AGENCY_COLUMNS)


def island_of(province_code: str) -> str:
    """Island group of a province (or of a kab/kota code): '17' or '17.71' -> 'Sumatera'."""
    return _province_row(province_code)["island"]


def province_name(province_code: str) -> str:
    """Canonical province name: '17' -> 'Bengkulu' ('17.71' gives its province too)."""
    return _province_row(province_code)["name"]


def _province_row(code: str) -> dict[str, str]:
    prov = str(code).strip().split(".")[0]
    hit = next((r for r in _regions_records() if r["code"] == prov and r["type"] == "provinsi"),
               None)
    if hit is None:
        raise ConfigError("unknown province code (argument province_code).",
                          expected="a Kemendagri province code such as '17'", found=repr(code))
    return dict(hit)


def _parse_date(text: str, *, end: bool, where: dict) -> date | None:
    """'' -> None; '2022' -> Jan 1 (or Dec 31 when ``end``); '2022-11-08' -> that day."""
    text = str(text).strip()
    if not text:
        return None
    try:
        if re.fullmatch(r"\d{4}", text):
            return date(int(text), 12, 31) if end else date(int(text), 1, 1)
        return date.fromisoformat(text)
    except ValueError:
        raise InputError("bad date", expected="YYYY or YYYY-MM-DD", found=repr(text),
                         **where) from None


def _valid_in(entry: _Entry, year: int | None) -> bool:
    """True when ``entry`` is in force at some time during evaluation ``year`` (or no year)."""
    if year is None:
        return True
    if entry.valid_from and entry.valid_from > date(year, 12, 31):
        return False
    return not (entry.valid_to and entry.valid_to < date(year, 1, 1))


def _period(entry: _Entry) -> str:
    start = entry.valid_from.isoformat() if entry.valid_from else ""
    end = entry.valid_to.isoformat() if entry.valid_to else ""
    return f"{start}..{end}"


# ---------------------------------------------------------------- the matcher

def _is_missing(value: object) -> bool:
    """None, NaN, NaT or pandas' NA (whose comparisons are neither true nor false)."""
    if value is None or isinstance(value, str):
        return value is None
    try:
        return bool(value != value)  # noqa: PLR0124 -- true only for NaN and NaT
    except TypeError:
        return True


class _Row:
    """A table row's values as attributes (``row.code``)."""

    def __init__(self, values: dict[str, str]):
        self.__dict__.update(values)


class Matcher:
    """Resolve reported instansi names to codes; lookup dicts are built once here.

    ``regions``/``aliases``/``agencies`` default to the packaged tables (DataFrames with
    the columns of :func:`load_regions`, :func:`load_aliases`, :func:`load_agencies`, or
    the same as lists of row dicts); ``extra_alias_files`` are analyst CSVs appended to
    the aliases.
    """

    def __init__(self, regions: pd.DataFrame | Records | None = None,
                 aliases: pd.DataFrame | Records | None = None,
                 agencies: pd.DataFrame | Records | None = None,
                 extra_alias_files: Sequence[Path] = ()):
        regions = _regions_records() if regions is None else _records(regions)
        agencies = _agencies_records() if agencies is None else _records(agencies)
        alias_frames = [_alias_records() if aliases is None else _records(aliases)]
        alias_frames += [_alias_records(Path(p)) for p in extra_alias_files]
        self._units: dict[str, _Unit] = {}
        self._region_keys: dict[str, list[_Entry]] = {}
        self._agency_keys: dict[str, list[_Entry]] = {}
        self._part_keys: dict[str, list[_Entry]] = {}     # one name of a slash double name
        self._code_aliases: dict[str, list[_Entry]] = {}
        self._periods: dict[str, list[_Entry]] = {}       # agency code -> name periods
        self._successor: dict[str, str] = {}
        self._former: dict[str, list[tuple[str, _Entry]]] = {}  # code -> (old province, alias)
        self._cache: dict[tuple, Resolution] = {}
        self._add_regions(regions)
        self._add_agencies(agencies)
        for frame in alias_frames:
            self._add_aliases(frame)
        self._check_alias_conflicts()
        self._fuzzy_regions, self._fuzzy_agencies = self._fuzzy_choices()

    # -- building the lookup dicts

    def _add_regions(self, regions: Records) -> None:
        """Index canonical region names by base key (columns of :func:`load_regions`)."""
        names = {r["code"]: r["name"] for r in regions}
        for row in map(_Row, regions):
            prov = row.code if row.type == "provinsi" else row.province_code
            display = f"Provinsi {row.name}" if row.type == "provinsi" else row.name
            self._units[row.code] = _Unit(row.code, display, row.type, prov, names[prov])
            base = parse_name(display).base
            self._region_keys.setdefault(base, []).append(_Entry(row.code, "exact", display))

    def _add_agencies(self, agencies: Records) -> None:
        """Index official and short names (columns of :func:`load_agencies`)."""
        category = {r["code"]: r["category"] for r in reversed(agencies)}  # the first row's
        for i, row in enumerate(map(_Row, agencies), start=2):
            where = {"file": AGENCIES_CSV.name, "row": i}
            if row.category not in AGENCY_CATEGORIES or not _AGENCY_CODE_RE.match(row.code):
                raise InputError("bad agency code or category", expected="K.<X>/L.<X> and "
                                 "kementerian|lembaga", found=f"{row.code} {row.category}", **where)
            dates = {"valid_from": _parse_date(row.valid_from, end=False, where=where),
                     "valid_to": _parse_date(row.valid_to, end=True, where=where)}
            official = _Entry(row.code, "exact", row.name, **dates, note=row.note)
            self._periods.setdefault(row.code, []).append(official)
            self._agency_keys.setdefault(parse_name(row.name).agency_key, []).append(official)
            for short in filter(None, (s.strip() for s in row.short_names.split(";"))):
                entry = _Entry(row.code, "short name", short, **dates, note=row.name)
                self._agency_keys.setdefault(parse_name(short).agency_key, []).append(entry)
            parts = _slash_parts(row.name)
            for part in parts if len(parts) > 1 else ():
                entry = _Entry(row.code, "slash part", part, **dates, note=row.name)
                self._part_keys.setdefault(parse_name(part).agency_key, []).append(entry)
            if row.successor_code:
                self._successor[row.code] = row.successor_code
        for code, periods in self._periods.items():
            periods.sort(key=lambda e: e.valid_from or date.min)
            self._units[code] = _Unit(code, periods[-1].text, category[code], "", "")
        for code, succ in self._successor.items():
            if succ not in self._units:
                raise InputError("successor_code is not an agency code in the table",
                                 file=AGENCIES_CSV.name, found=f"{code} -> {succ}")

    def _add_aliases(self, aliases: Records) -> None:
        """Index alias lines (columns of :func:`load_aliases`) after checking each one."""
        for row in aliases:
            where = {"file": str(row.get("file", "aliases")),
                     "row": int(row.get("line", 0)) or None}
            entry = self._alias_entry(row, where)
            code_alias = _region_code(entry.text) if "." in entry.text else None
            if code_alias in self._units:
                raise InputError("alias is a current code, so it can never apply",
                                 found=f"{entry.text!r} -> {entry.code}", **where)
            if code_alias:
                self._code_aliases.setdefault(code_alias, []).append(entry)
                former_province = code_alias.split(".")[0]
                if former_province != self._units[entry.code].province_code:
                    self._former.setdefault(entry.code, []).append((former_province, entry))
            elif self._units[entry.code].category in AGENCY_CATEGORIES:
                self._agency_keys.setdefault(parse_name(entry.text).agency_key, []).append(entry)
            else:
                self._region_keys.setdefault(parse_name(entry.text).base, []).append(entry)

    def _alias_entry(self, row: dict, where: dict) -> _Entry:
        """One checked alias line: known target code, type word agreeing with the target."""
        alias, code = str(row["alias"]).strip(), str(row["code"]).strip()
        code = _region_code(code) or code
        if not alias or code not in self._units:
            raise InputError("alias line points to an unknown code (or has no alias)",
                             expected="a code of regions.csv or agencies.csv",
                             found=f"{alias!r} -> {code!r}", **where)
        parsed = parse_name(alias)
        target = self._units[code]
        if parsed.type_word and parsed.type_word != target.category:
            raise InputError("alias type word contradicts its target", found=(
                f"{alias!r} says {parsed.type_word}, {code} is {target.name}"), **where)
        origin = f"{Path(where['file']).name}:{where['row']}" if where.get("row") else ""
        return _Entry(code, "alias", alias, _parse_date(row["valid_from"], end=False, where=where),
                      _parse_date(row["valid_to"], end=True, where=where),
                      str(row.get("note", "")), origin)

    def _check_alias_conflicts(self) -> None:
        """Two aliases may not send one key to two codes of one category in one period."""
        for table in (self._region_keys, self._agency_keys, self._code_aliases):
            for entries in table.values():
                lines = [e for e in entries if e.kind == "alias"]
                for i, a in enumerate(lines):
                    for b in lines[i + 1:]:
                        same_type = self._units[a.code].category == self._units[b.code].category
                        if a.code != b.code and same_type and _overlap(a, b):
                            file, _, line = b.origin.rpartition(":")
                            raise InputError(
                                "alias conflicts with another alias line", file=file or None,
                                row=int(line) if line.isdigit() else None,
                                found=f"{b.text!r} -> {b.code} vs {a.text!r} -> {a.code} "
                                      f"({a.origin})")

    def _fuzzy_choices(self) -> tuple[tuple[list[str], list[str]], tuple[list[str], list[str]]]:
        """(keys, codes) that suggestions are drawn from, regions and agencies apart.

        Keys shorter than 4 characters (DIY, NTB, BPS) are left out: partial-ratio
        scoring would rank them high inside any longer name.
        """
        def pairs(table):
            items = [(k, e.code) for k, es in table.items() for e in es if len(k) >= 4]
            return [k for k, _ in items], [c for _, c in items]
        return pairs(self._region_keys), pairs(self._agency_keys)

    # -- resolving

    def resolve(self, name: str, *, category: str | None = None, province: str | None = None,
                year: int | None = None, suggestions: Suggestions = SEARCH_ALL) -> Resolution:
        """Resolve one reported name; see the module docstring for the rules.

        ``category``: context hint (provinsi|kabupaten|kota|kementerian|lembaga, or
        groups such as 'kabupaten/kota', 'pemda', 'pusat'); ``province``: the province
        as the source reported it; ``year``: evaluation year for dated entries;
        ``suggestions``: the fuzzy search an unresolved name gets (:class:`Suggestions`).
        """
        key = (name, category, province, year, suggestions)
        if key not in self._cache:
            self._cache[key] = self._resolve(name, category, province, year, suggestions)
        return self._cache[key]

    def per_file(self, limit: int | None = None) -> PerFileMatcher:
        """A view for one build: ``resolve(..., source=file)`` searches fuzzy suggestions
        for at most ``limit`` (default :data:`MAX_SUGGESTED_NAMES_PER_FILE`) distinct
        unidentified names per file, in the order they come."""
        return PerFileMatcher(self, MAX_SUGGESTED_NAMES_PER_FILE if limit is None else limit)

    def clear_cache(self) -> None:
        """Forget memoised resolutions (benchmarks; the tables themselves do not change)."""
        self._cache.clear()

    def resolve_frame(self, frame: pd.DataFrame, *, name_col: str = "instansi",
                      category_col: str | None = None, province_col: str | None = None,
                      year_col: str | None = None) -> pd.DataFrame:
        """Resolve a column of names row by row, hints taken from other columns.

        Returns a new frame on ``frame``'s index with columns ``code, name, category,
        province_code, province, rule, reason, candidates`` (candidates ';'-joined);
        unresolved rows have empty code/name/category.
        """
        import pandas as pd

        def hint(row, col):
            value = row[col] if col else None
            return None if value is None or pd.isna(value) or str(value) == "" else value
        out = []
        for _, row in frame.iterrows():
            year = hint(row, year_col)
            res = self.resolve(row[name_col], category=hint(row, category_col),
                               province=hint(row, province_col),
                               year=None if year is None else int(year))
            out.append({"code": res.code or "", "name": res.name or "",
                        "category": res.category or "", "province_code": res.province_code,
                        "province": res.province, "rule": res.rule, "reason": res.reason,
                        "candidates": "; ".join(res.candidates)})
        columns = ["code", "name", "category", "province_code", "province", "rule", "reason",
                   "candidates"]
        return pd.DataFrame(out, index=frame.index, columns=columns).astype(str)

    def _resolve(self, name, category, province, year, sug: Suggestions) -> Resolution:
        missing = _is_missing(name)
        query = "" if missing else str(name)
        cleaned, invisible = _invisible(query)
        res = self._resolve_text(query, " ".join(cleaned.split()), category, province, year,
                                 sug)
        if res.ok and res.category in REGION_CATEGORIES:
            abbreviations = parse_name(cleaned).abbreviations
            if abbreviations:
                res = replace(res, rule=f"{res.rule}; abbreviation: {', '.join(abbreviations)}")
        if not invisible:
            return res
        note = "invisible character(s) removed: " + ", ".join(invisible)
        if res.ok:
            return replace(res, rule=f"{res.rule}; {note}")
        return replace(res, reason=f"{res.reason}; {note}")

    def _resolve_text(self, query, text, category, province, year,
                      sug: Suggestions) -> Resolution:
        """:meth:`_resolve` on the name as read: invisible characters removed, spaces collapsed."""
        groups = _category_group(category)
        if not text:
            return self._fail(query, "empty name", [], sug)
        if len(text) > MAX_NAME_CHARS:
            return self._fail(query, f"the name is {len(text):,} characters long, longer than "
                              f"any instansi name (at most {MAX_NAME_CHARS} are matched); it "
                              f"begins {text[:40]!r}", [], sug, search=False)
        foreign = _foreign_letters(text)
        if foreign:
            return self._fail(query, f"the name holds letter(s) from another script: "
                              f"{', '.join(foreign[:3])}; retype them in Latin letters",
                              self._suggest(parse_name(text), sug), sug)
        if _region_code(text) or _AGENCY_CODE_RE.match(text):
            return self._resolve_code(query, text, groups, province, year, sug)
        parsed = parse_name(text)
        if parsed.type_word and groups is not None and parsed.type_word not in groups:
            return self._fail(query, f"the name says {parsed.type_word} but the source context "
                              f"says {category}", self._suggest(parsed, sug), sug)
        allowed = frozenset({parsed.type_word}) if parsed.type_word else (groups or ALL_CATEGORIES)
        if not parsed.type_word and allowed & set(AGENCY_CATEGORIES):
            found = self._resolve_agency(query, parsed, allowed, year, category, sug)
            if found is not None:
                return found
        if not parsed.base:
            return self._fail(query, "no name after the type word", [], sug)
        if allowed & set(REGION_CATEGORIES):
            entries = self._region_keys.get(parsed.base, [])
            if entries:
                return self._pick_region(query, entries, allowed, province, year, category,
                                         parsed, sug)
        what = "/".join(sorted(allowed)) if allowed != ALL_CATEGORIES else "instansi"
        why = f"no {what} named {text!r}"
        glued = _tokens(text)[0] + parsed.base if parsed.type_word else ""
        if glued in self._region_keys:  # "Kota Baru" for Kabupaten Kotabaru
            why += f" (its first word was read as the type {parsed.type_word})"
        return self._fail(query, why, self._suggest(parsed, sug), sug)

    def _resolve_code(self, query, text, groups, province, year,
                      sug: Suggestions) -> Resolution:
        """A Kemendagri code (current or former, dotted or not) or an agency code."""
        code = _region_code(text) or text.upper()
        if code in self._units:
            entries = [_Entry(code, "code", code)]
        else:
            entries = self._code_aliases.get(code, [])
        if not entries:
            return self._fail(query, f"unknown code {text!r}", [], sug, search=False)
        allowed = groups or ALL_CATEGORIES
        if self._units[entries[0].code].category in AGENCY_CATEGORIES:
            unit = self._units[entries[0].code]
            if unit.category not in allowed:
                return self._fail(query, f"{code} is a {unit.category} but the source context "
                                  f"says {'/'.join(sorted(allowed))}", [], sug)
            return self._agency_result(query, code, "code", year)
        return self._pick_region(query, entries, allowed, province, year, None, None, sug)

    # -- regions

    def _pick_region(self, query, entries, allowed, province, year, category, parsed,
                     sug: Suggestions):
        """Filter region candidates by type, date and province; one left -> resolved."""
        typed = [e for e in entries if self._units[e.code].category in allowed]
        if not typed:
            units = ", ".join(self._label(e.code) for e in _dedupe(entries))
            want = "/".join(sorted(allowed))
            return self._fail(query, f"no {want} of that name (exists as {units}); check the type",
                              [self._label(e.code) for e in _dedupe(entries)]
                              + (self._suggest(parsed, sug) if parsed else []), sug)
        typed = _prefer_valid(typed, year)
        notes = []
        if category and len({self._units[e.code].category for e in entries}) > 1:
            notes.append(f"type from category hint {category!r}")
        if province is not None and str(province).strip():
            return self._check_province(query, typed, str(province), year, notes, sug)
        cands = _dedupe(typed)
        if len(cands) > 1:
            return self._fail(query, "ambiguous: give the type word (Provinsi/Kabupaten/Kota) "
                              "or the province", [self._label(e.code) for e in cands], sug)
        return self._region_result(query, cands[0], year, notes)

    def _check_province(self, query, typed, province, year, notes,
                        sug: Suggestions) -> Resolution:
        """Keep candidates inside the reported province (now or formerly)."""
        hint = self._province_hint(province)
        if not hint.ok:
            return self._fail(query, f"reported province {province!r} is not a known province",
                              list(hint.candidates), sug)
        fits = []
        for entry in _dedupe(typed):
            ok, how = self._in_province(entry.code, hint.code)
            if ok:
                fits.append((entry, how))
        cands = _dedupe(typed)
        if not fits:
            where = "; ".join(f"{self._label(e.code)} is in {self._units[e.code].province}"
                              for e in cands)
            return self._fail(query, f"{where}, but the source reports province "
                              f"{hint.province} ({hint.code})",
                              [self._label(e.code) for e in cands], sug)
        if len(fits) > 1:
            return self._fail(query, f"ambiguous even within province {hint.province}",
                              [self._label(e.code) for e, _ in fits], sug)
        entry, how = fits[0]
        if len(cands) > 1:
            notes.append(f"chosen by reported province {province!r}")
        if how:
            notes.append(how)
        return self._region_result(query, entry, year, notes)

    def _province_hint(self, province: str) -> Resolution:
        """The reported province resolved as a province (cached through :meth:`resolve`)."""
        return self.resolve(province, category="provinsi")

    def _in_province(self, code: str, prov: str) -> tuple[bool, str]:
        """Is ``code`` in province ``prov`` now, or was it (former code in the alias table)?"""
        if self._units[code].province_code == prov:
            return True, ""
        for old_prov, alias in self._former.get(code, []):
            if old_prov == prov:
                until = f" until {alias.valid_to.isoformat()}" if alias.valid_to else ""
                return True, (f"reported under former province {self._units[old_prov].province} "
                              f"({old_prov}; code {alias.text}{until})")
        return False, ""

    def _region_result(self, query, entry: _Entry, year, notes) -> Resolution:
        unit = self._units[entry.code]
        rule = self._rule(entry, year)
        if notes:
            rule += "; " + "; ".join(notes)
        return Resolution(query, unit.code, unit.name, unit.category, unit.province_code,
                          unit.province, rule, "", ())

    def _rule(self, entry: _Entry, year: int | None) -> str:
        """'exact', 'code', 'short name: X -> CODE', 'slash part: X is one name of Y -> CODE'
        or 'alias: X -> CODE (note) [file:line]'."""
        if entry.kind in ("exact", "code"):
            rule = entry.kind
        elif entry.kind == "short name":
            rule = f"short name: {entry.text} -> {entry.code}"
        elif entry.kind == "slash part":
            rule = f"slash part: {entry.text} is one name of {entry.note} -> {entry.code}"
        else:
            rule = f"alias: {entry.text} -> {entry.code} ({entry.note})"
            if entry.origin:
                rule += f" [{entry.origin}]"
        if not _valid_in(entry, year):
            rule += f"; used outside its validity {_period(entry)} for {year}"
        return rule

    # -- agencies

    def _resolve_agency(self, query, parsed, allowed, year, category,
                        sug: Suggestions) -> Resolution | None:
        """Official name, short name or alias of a central agency, else one name of a slash
        double name, a slash name both of whose names match, or a body's secretariat; None
        if no agency matches."""
        entries = self._agency_keys.get(parsed.agency_key, [])
        if not entries:
            return (self._resolve_slash(query, allowed, year, category, sug)
                    or self._pick_agency(query, self._part_keys.get(parsed.agency_key, []),
                                         allowed, year, category, sug)
                    or self._resolve_secretariat(query, allowed, year, sug))
        return self._pick_agency(query, entries, allowed, year, category, sug)

    def _pick_agency(self, query, entries, allowed, year, category,
                     sug: Suggestions) -> Resolution | None:
        """One agency among ``entries`` (of one key) of the ``allowed`` categories; None
        when there are no entries."""
        if not entries:
            return None
        typed = [e for e in entries if self._units[e.code].category in allowed]
        if not typed:
            unit = self._units[entries[0].code]
            return self._fail(query, f"{unit.name} is a {unit.category} but the source context "
                              f"says {category}", [self._label(unit.code)], sug)
        typed = _prefer_valid(typed, year)
        codes = sorted({e.code for e in typed})
        if len(codes) > 1:
            return self._fail(query, "ambiguous agency name", [self._label(c) for c in codes],
                              sug)
        best = next(e for e in typed if e.code == codes[0])
        matched = {"exact": best.text, "short name": best.note, "slash part": best.note}.get(
            best.kind)
        return self._agency_result(query, codes[0], self._rule(best, year), year, matched)

    def _agency_codes(self, text: str, allowed, year) -> list[str]:
        """Codes of the ``allowed`` categories that ``text`` names by an official name,
        short name, alias or one name of a slash double name (entries valid in ``year``
        preferred)."""
        key = parse_name(text).agency_key
        entries = self._agency_keys.get(key) or self._part_keys.get(key, [])
        typed = _prefer_valid([e for e in entries if self._units[e.code].category in allowed],
                              year)
        return sorted({e.code for e in typed})

    def _resolve_slash(self, query, allowed, year, category,
                       sug: Suggestions) -> Resolution | None:
        """'A/B' where A and B each name the same one agency; ambiguous when they name
        different ones; None when the name has no slash or a part names none. Every
        slash splits here ("Kementerian ATR/BPN"): a part that names nothing ends the rule."""
        parts = [p.strip() for p in _invisible(query)[0].split("/")]
        if len(parts) < 2:
            return None
        found = [self._agency_codes(part, allowed, year) for part in parts]
        if not all(found):
            return None
        codes = sorted({c for f in found for c in f})
        if len(codes) > 1:
            return self._fail(query, "ambiguous: the names of the slash name are different "
                              "instansi", [self._label(c) for c in codes], sug)
        rule = f"slash name: each of {' / '.join(map(repr, parts))} names {codes[0]}"
        return self._agency_result(query, codes[0], rule, year)

    def _resolve_secretariat(self, query, allowed, year,
                             sug: Suggestions) -> Resolution | None:
        """'Sekretariat [Jenderal] X' where X names one lembaga: the secretariat evaluated
        for it. None when the name does not start so or X names no lembaga."""
        if "lembaga" not in allowed:
            return None
        written = " ".join(_invisible(query)[0].split()).split()
        lead = [w.casefold() for w in written[:2]]
        for words in _SECRETARIAT_WORDS:
            if tuple(lead[:len(words)]) != words or len(written) <= len(words):
                continue
            body = " ".join(written[len(words):])
            codes = self._agency_codes(body, frozenset({"lembaga"}), year)
            if len(codes) > 1:
                return self._fail(query, f"ambiguous: {body!r} names several lembaga",
                                  [self._label(c) for c in codes], sug)
            if codes:
                rule = (f"secretariat: {' '.join(written[:len(words)])} of {body!r} -> "
                        f"{codes[0]} (the secretariat is evaluated for the body)")
                return self._agency_result(query, codes[0], rule, year)
        return None

    def _agency_result(self, query, code, rule, year, matched: str | None = None) -> Resolution:
        """Agency resolution with the name in force in ``year`` (latest name without a year).

        ``matched`` is the official name the query matched; the rule notes the name of
        the year when it differs.
        """
        periods = self._periods[code]
        in_force = [p for p in periods if _valid_in(p, year)] or periods
        name = in_force[-1].text
        if len(periods) > 1 and name != matched:
            rule += f"; name in {year}: {name}" if year is not None else f"; current name: {name}"
        suffix = _suffix_note(query, name)
        if suffix:
            rule += f"; {suffix}"
        if code in self._successor and year is not None and not any(
                _valid_in(p, year) for p in periods):
            rule += f"; successor {self._successor[code]}"
        unit = self._units[code]
        return Resolution(query, code, name, unit.category, "", "", rule, "", ())

    # -- failures and suggestions

    def _label(self, code: str) -> str:
        return f"{self._units[code].name} ({code})"

    def _suggest(self, parsed: ParsedName | None, sug: Suggestions, limit: int = 3) -> list[str]:
        """Up to ``limit`` closest 'Name (code)' by rapidfuzz, best first, one per code
        (none when ``sug`` allows no search)."""
        if parsed is None or not sug.search:
            return []
        scored: list[tuple[float, str]] = []
        searches = [(parsed.base[:MAX_SUGGESTION_CHARS], self._fuzzy_regions)]
        if not parsed.type_word:  # a type word says it is a pemda
            searches.append((parsed.agency_key[:MAX_SUGGESTION_CHARS], self._fuzzy_agencies))
        for query, (keys, codes) in searches:
            if not query:
                continue
            hits = process.extract(query, keys, scorer=fuzz.WRatio, limit=limit * 4)
            scored += [(score, codes[i]) for _, score, i in hits]
        out: list[str] = []
        for _, code in sorted(scored, key=lambda s: (-s[0], s[1])):
            label = self._label(code)
            if label not in out:
                out.append(label)
        return out[:limit]

    def _fail(self, query: str, why: str, candidates: list[str], sug: Suggestions, *,
              search: bool = True) -> Resolution:
        """Unresolved: ``why`` plus up to 3 candidates (fuzzy suggestions when none given,
        unless ``search`` is False: a name no search can help)."""
        cands = tuple(dict.fromkeys(candidates))[:3]
        if not cands and search:
            cands = tuple(self._suggest(parse_name(" ".join(_invisible(query)[0].split())), sug))
        shown = ", ".join(cands) if cands else "(none)"
        if not cands and search and not sug.search:
            shown = (f"(not searched: more than {sug.budget} unidentified names in "
                     "this file)")
        return Resolution(query, None, None, None, "", "", "", f"{why}; closest: {shown}", cands)


class PerFileMatcher:
    """A :class:`Matcher` for one build, bounding fuzzy-suggestion work per file.

    ``resolve(name, ..., source=file)``: the first ``limit`` distinct unidentified names
    of each file get fuzzy suggestions, later ones do not (their reason says so); what
    a name resolves to never changes. Results depend only on the order of names within
    each file, so the same inputs give the same output. ``source=None`` is not bounded.
    """

    def __init__(self, matcher: Matcher, limit: int):
        self.matcher, self.limit = matcher, limit
        self._searched: dict[str, set] = {}  # this build's budget: never the shared matcher's
        self._settings = {allowed: Suggestions(allowed, limit) for allowed in (True, False)}

    def resolve(self, name: str, *, category: str | None = None, province: str | None = None,
                year: int | None = None, source: str | None = None) -> Resolution:
        hints = {"category": category, "province": province, "year": year}
        if source is None:
            return self.matcher.resolve(name, **hints)
        searched = self._searched.setdefault(source, set())
        key = (name, category, province, year)
        allowed = key in searched or len(searched) < self.limit
        res = self.matcher.resolve(name, **hints, suggestions=self._settings[allowed])
        if allowed and not res.ok:
            searched.add(key)
        return res


def _overlap(a: _Entry, b: _Entry) -> bool:
    """Do the validity periods of two entries overlap (open ends count as infinite)?"""
    a_from, a_to = a.valid_from or date.min, a.valid_to or date.max
    b_from, b_to = b.valid_from or date.min, b.valid_to or date.max
    return a_from <= b_to and b_from <= a_to


def _prefer_valid(entries: list[_Entry], year: int | None) -> list[_Entry]:
    """Entries in force in ``year`` when there are any, else all (their rule says so)."""
    valid = [e for e in entries if _valid_in(e, year)]
    return valid or entries


def _dedupe(entries: Iterable[_Entry]) -> list[_Entry]:
    """One entry per code, the first seen (canonical names come before aliases)."""
    seen: dict[str, _Entry] = {}
    for e in entries:
        seen.setdefault(e.code, e)
    return list(seen.values())


def _file_key(path: Path) -> tuple[str, int, int]:
    p = Path(path)
    st = p.stat()
    return (str(p.resolve()), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=16)
def _matcher_for(keys: tuple[tuple[str, int, int], ...]) -> Matcher:
    return Matcher(extra_alias_files=[Path(k[0]) for k in keys])


def default_matcher(extra_alias_files: Sequence[Path] = ()) -> Matcher:
    """The packaged tables plus ``extra_alias_files``, cached per file list.

    The cache key includes each file's modification time and size, so an alias
    line added in a notebook session is picked up by the next call.
    """
    return _matcher_for(tuple(_file_key(p) for p in extra_alias_files))


def resolve_region(name: str, *, year: int | None = None) -> Resolution:
    """``name`` (a region or agency name or code, as a user types it on the command line)
    resolved by the default matcher; ConfigError (exit 2) with the matcher's reason when it
    does not resolve. The one lookup the commands share."""
    res = default_matcher().resolve(name, year=year)
    if not res.ok:
        raise ConfigError("unknown region", expected="a name or code the matcher knows",
                          found=f"{name!r} ({res.reason})")
    return res
