"""Checks that turn reading errors into flags instead of wrong numbers.

Each data row read from the PDF becomes an :class:`AnnexRow` holding its best reading
and the reasons (``flags``, Indonesian, for the analyst) it needs a human look:

* ``No`` continues the sequence (1, 2, 3 … within a section; a section restarts at 1 or
  continues the previous count);
* the index is a number with the printed precision (two decimals) inside the framework's
  range;
* the printed predikat is a band of the framework and agrees with the band of the index,
  or is the band just below on an index equal to that band's lower bound (the unrounded
  index was below the cut: consistent, said in the row's notes);
* domain columns, when the table has them: each cell a two-decimal number in range, and
  the index within :data:`~spbe_tools.registry.DOMAIN_ROUNDING_TOLERANCE` of
  Σ weight × domain (:func:`~spbe_tools.registry.index_from_domains`);
* the name resolves through :class:`spbe_tools.identity.Matcher` to exactly one instansi
  of the section's category; under a table titled with a province ("Pemerintah Daerah di
  Bengkulu") to a provinsi, kabupaten or kota lying in that province. OCR readings that
  lost spaces or confuse ``l``/``I``, ``0``/``O`` are compared as *folded keys* with
  every reference name of that category; a reading is accepted only when its folded key
  equals exactly one instansi's key;
* no instansi appears twice;
* OCR text read with low confidence is flagged.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from spbe_tools import registry
from spbe_tools.categories import categories_of, section_hint
from spbe_tools.extract.table import RawRow, domain_item
from spbe_tools.wording import fmt_id

__all__ = ["AnnexRow", "check_rows", "expected_counts", "MIN_OCR_CONF", "folded_key"]

MIN_OCR_CONF = 0.85  # OCR confidence below this on the index or predikat -> flagged
_INDEX = re.compile(r"^(\d)[,.](\d{2})$")


@dataclass
class AnnexRow:
    """One instansi row of the annex: what was read, what is written, and why to check it."""

    raw: RawRow
    section: str | None
    no: int | None
    name: str  # written to the workbook (as printed, or the matched name after OCR fixes)
    index: float | None
    index_text: str
    predikat: str  # written: as printed, or the band's spelling when OCR lost a space
    code: str | None = None
    category: str | None = None
    flags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    domains: dict[str, float | None] = field(default_factory=dict)  # item -> value read
    group: object = None  # the table (PDF: the section) whose No sequence the row continues
    province_code: str | None = None  # the province a table title names, resolved
    province: str | None = None

    @property
    def page(self) -> int:
        return self.raw.page

    @property
    def where(self) -> str:
        """Where the row stands in its source ("hlm. 3", "baris 1093")."""
        return self.raw.where


def folded_key(text: str) -> str:
    """Letters and digits only, lower case, with OCR look-alikes folded together
    (``l``/``I``/``1`` -> ``i``, ``0`` -> ``o``, ``rn`` -> ``m``, ``vv`` -> ``w``, doubled
    letters once: OCR often drops one of two equal letters).

    >>> folded_key("Kabupaten Ogan Komering llir") == folded_key("KabupatenOganKomeringIlir")
    True
    """
    key = re.sub(r"[^a-z0-9|]", "", text.lower())
    key = key.replace("rn", "m").replace("vv", "w")
    key = key.translate(str.maketrans({"l": "i", "1": "i", "0": "o", "|": "i"}))
    return re.sub(r"(.)\1+", r"\1", key)  # a doubled letter read once (Sikka/Sika)


@cache
def _reference_keys() -> dict[str, dict[str, set[tuple[str, str]]]]:
    """category -> folded key -> {(code, printed name)} for every name of that category."""
    from spbe_tools.identity import load_agencies, load_aliases, load_regions

    out: dict[str, dict[str, set[tuple[str, str]]]] = {}

    def add(cat: str, text: str, code: str, printed: str) -> None:
        out.setdefault(cat, {}).setdefault(folded_key(text), set()).add((code, printed))

    regions = load_regions()
    for code, name, kind in zip(regions["code"], regions["name"], regions["type"]):
        printed = f"Provinsi {name}" if kind == "provinsi" else name
        add(kind, printed, code, printed)
        add(kind, name, code, printed)
    for code, name, cat, shorts in zip(*(load_agencies()[c] for c in
                                        ("code", "name", "category", "short_names"))):
        add(cat, name, code, name)
        for short in filter(None, str(shorts).split(";")):
            add(cat, short, code, name)
    types = dict(zip(regions["code"], regions["type"]))
    for alias, code in zip(load_aliases()["alias"], load_aliases()["code"]):
        if code in types:
            add(types[code], alias, code, alias)
    return out


def expected_counts(year: int) -> dict[str, int]:
    """Instansi per category the reference tables know for ``year`` (autonomous pemda;
    agencies whose name period covers the year)."""
    from spbe_tools.identity import load_agencies, load_regions

    r = load_regions()
    counts = r[r["autonomous"].astype(str) == "1"].groupby("type").size().to_dict()
    a = load_agencies()
    valid = [(not f or f[:4] <= str(year)) and (not t or t[:4] >= str(year))
             for f, t in zip(a["valid_from"], a["valid_to"])]
    counts.update(a[valid].drop_duplicates("code").groupby("category").size().to_dict())
    return {k: int(v) for k, v in counts.items()}


def _parse_no(text: str) -> int | None:
    m = re.fullmatch(r"\s*(\d{1,4})\s*[.)]?\s*", text or "")
    return int(m.group(1)) if m else None


def _split_merged(cells: dict[str, str]) -> dict[str, str]:
    """Undo OCR text lines that joined two cells: "5 Kabupaten X" in No or Nama,
    "2,30 Cukup" in Indeks or Predikat. Returns a new dict."""
    c = dict(cells)
    for col in ("no", "name"):
        m = re.fullmatch(r"\s*(\d{1,4})\s*[.)]?\s+(\D.*)", c.get(col, ""))
        if m and (col == "name" and not c.get("no") or col == "no" and not c.get("name")):
            c["no"], c["name"] = m.group(1), m.group(2)
    for col in ("index", "predikat"):
        m = re.fullmatch(r"\s*(\d\s*[,.]\s*\d+)\s+([A-Za-z].*)", c.get(col, ""))
        if m and not c.get("predikat" if col == "index" else "index"):
            c["index"], c["predikat"] = m.group(1), m.group(2)
    return c


def _index(text: str, fw: registry.Framework, label: str = "indeks"
           ) -> tuple[float | None, str]:
    """(value, problem) for an index (or domain, ``label`` D1…) cell; the printed precision
    is two decimals."""
    clean = re.sub(r"\s+", "", text or "").replace("O", "0").replace("o", "0")
    m = _INDEX.fullmatch(clean)
    if not m:
        unread = "tidak terbaca" if label == "indeks" else "kosong"
        return None, (f"{label} {text!r} bukan angka dengan dua desimal" if text
                      else f"{label} {unread}")
    value = float(f"{m.group(1)}.{m.group(2)}")
    if not fw.index_min <= value <= fw.index_max:
        return value, f"{label} {value:.2f} di luar rentang {fw.index_min:g}–{fw.index_max:g}"
    return value, ""


def _comma(value: float) -> str:
    """A two-decimal figure as the reports print it: 2,83."""
    return fmt_id(registry.published_value(value))


def _domains(raw: RawRow, cells: dict[str, str], index: float | None,
             fw: registry.Framework) -> tuple[dict[str, float | None], list[str]]:
    """(item -> value read, problems) for the row's domain cells; the index is checked
    against Σ weight × domain when every domain cell reads."""
    items = [c for c in raw.columns if domain_item(c)]
    if not items:
        return {}, []
    values, problems = {}, []
    for item in items:
        values[item], problem = _index(cells.get(item, ""), fw, item)
        problems += [problem] if problem else []
    if problems or index is None:
        return values, problems
    computed = registry.index_from_domains(values, fw.key)
    if computed is None:
        return values, [f"kolom domain {', '.join(items)} bukan domain kerangka {fw.short}"]
    gap = round(abs(index - computed), registry.FLOAT_NOISE_DECIMALS)
    if gap > registry.DOMAIN_ROUNDING_TOLERANCE:
        problems.append(f"indeks {_comma(index)} ≠ Σ bobot × domain {_comma(computed)}")
    return values, problems


def _predikat(text: str, value: float | None, fw: registry.Framework
              ) -> tuple[str, str, str]:
    """(predikat to write, problem, note): a known band that agrees with the index's band,
    or the band below when the index sits on its cut (noted, not flagged)."""
    canon = registry.canonical_predikat(text)
    if canon is None:
        return text, (f"predikat {text!r} tidak dikenal" if text else "predikat tidak terbaca"), ""
    note = ""
    if value is not None and registry.band_for(value, fw.key) != canon:
        if not registry.predikat_below_cut(value, text, fw.key):
            return text, (f"predikat {text!r} tidak sesuai pita indeks {value:.2f} "
                          f"({registry.band_for(value, fw.key)})"), ""
        note = (f"predikat {canon} pada indeks {_comma(value)} (batas bawah "
                f"{registry.band_for(value, fw.key)}): indeks sebelum dibulatkan di bawah batas")
    printed = text if re.sub(r"\s+", " ", text.strip()).lower() == canon.lower() else canon
    return printed, "", note


def _low_confidence(raw: RawRow) -> str:
    if raw.engine != "ocr":
        return ""
    low = [f"{col} {raw.conf[col]:.2f}" for col in ("index", "predikat", "name")
           if col in raw.conf and raw.conf[col] < MIN_OCR_CONF]
    return f"OCR kurang yakin ({', '.join(low)})" if low else ""


def _name(text: str, hint: str | None, year: int, matcher, ocr: bool
          ) -> tuple[str, str | None, str | None, str, str]:
    """(name to write, code, category, problem, note) for a name read in a section."""
    allowed = categories_of(hint)
    res = matcher.resolve(text, category=hint, year=year)
    if res.ok and (allowed is None or res.category in allowed):
        if ocr and res.name != text:  # OCR loses spaces: write the name as the tables spell it
            return res.name, res.code, res.category, "", f"nama terbaca {text!r}"
        return text, res.code, res.category, "", ""
    if ocr:
        refs = _reference_keys()
        found = {m for cat in (allowed or refs) for m in refs.get(cat, {}).get(folded_key(text),
                                                                                ())}
        if len({code for code, _ in found}) == 1:
            code, printed = sorted(found)[0]
            again = matcher.resolve(printed, category=hint, year=year)
            if again.code == code:
                return (printed, code, again.category, "",
                        f"nama terbaca {text!r}, dicocokkan dengan {printed!r}")
    why = res.reason if not res.ok else f"kategori {res.category}, bukan {hint}"
    where = f" sebagai {hint}" if hint else ""
    return text, None, None, f"nama {text!r} tidak dikenali{where}: {why}", ""


def _name_in_province(text: str, hint: str | None, province, year: int, matcher
                      ) -> tuple[str, str | None, str | None, str, str]:
    """(name, code, category, problem, note) for a name under a table titled with
    ``province`` (a resolved provinsi): it must be a pemda lying in that province."""
    res = matcher.resolve(text, category=hint, province=province.code, year=year)
    if res.ok:
        return text, res.code, res.category, "", ""
    alone = matcher.resolve(text, category=hint, year=year)
    if alone.ok:
        return text, None, None, (f"nama {text!r} adalah {alone.name} di provinsi "
                                  f"{alone.province}, bukan di {province.province} "
                                  "(judul tabel)"), ""
    return text, None, None, f"nama {text!r} tidak dikenali sebagai {hint}: {alone.reason}", ""


@dataclass(frozen=True)
class _Group:
    """The section or table a row belongs to: its hint, the No sequence it continues, the
    province its title names (resolved, or None) and a problem every row of it shares."""

    section: str | None
    key: object
    province: object = None
    problem: str = ""


def _row(raw: RawRow, group: _Group, year: int, fw: registry.Framework,
         matcher) -> AnnexRow:
    """Parse and check one data row on its own (sequence and duplicates come later)."""
    section = group.section
    cells = _split_merged(raw.cells) if raw.engine == "ocr" else raw.cells
    no = _parse_no(cells.get("no", ""))
    value, p_index = _index(cells.get("index", ""), fw)
    predikat, p_pred, cut = _predikat(cells.get("predikat", ""), value, fw)
    domains, p_domains = _domains(raw, cells, value, fw)
    text = " ".join(cells.get("name", "").split())
    if group.province is not None:
        name, code, category, p_name, note = _name_in_province(text, section, group.province,
                                                               year, matcher)
    else:
        name, code, category, p_name, note = _name(text, section, year, matcher,
                                                   raw.engine == "ocr")
    row = AnnexRow(raw, section, no, name, value, cells.get("index", ""), predikat, code,
                   category, domains=domains, group=group.key)
    if group.province is not None:
        row.province_code, row.province = group.province.code, group.province.province
    row.flags = [p for p in (p_index, *p_domains, p_pred, p_name, group.problem,
                             _low_confidence(raw)) if p]
    row.notes = [n for n in (note, cut) if n]
    if not name:
        row.flags.append("nama kosong")
    return row


def _sequence(rows: list[AnnexRow]) -> None:
    """Flag rows whose No breaks the 1, 2, 3 … sequence (a section may restart at 1)."""
    expected, group = 1, object()
    for i, row in enumerate(rows):
        if row.group != group:
            group = row.group
            if row.no == 1:
                expected = 1
        nxt = rows[i + 1].no if i + 1 < len(rows) else None
        if row.no == expected:
            expected += 1
        elif row.no is None:
            row.flags.append(f"No tidak terbaca (diharapkan {expected})")
            expected += 1
        elif row.no > expected and nxt == row.no + 1:
            row.flags.append(f"No melompat dari {expected - 1} ke {row.no}: ada baris hilang?")
            expected = row.no + 1
        else:
            row.flags.append(f"No {row.no} tidak berurutan (diharapkan {expected})")
            expected += 1


def _duplicates(rows: list[AnnexRow]) -> None:
    seen: dict[str, list[AnnexRow]] = {}
    for row in rows:
        if row.code:
            seen.setdefault(row.code, []).append(row)
    for group in seen.values():
        if len(group) > 1:
            where = ", ".join(f"{r.where} No {r.no}" for r in group)
            for row in group:
                row.flags.append(f"instansi {row.name!r} muncul {len(group)} kali ({where})")


def _group(raw: RawRow, year: int, matcher) -> _Group:
    """The group a section row opens. A PDF's section is its hint (a repeated "A.
    KEMENTERIAN" continues the count); a text source's table title opens a new count, and
    its province is resolved as a provinsi, never guessed."""
    section = raw.section or section_hint(raw.text)
    if not raw.label:
        return _Group(section, section)
    if raw.province is None:
        return _Group(section, (raw.label, raw.text))
    res = matcher.resolve(raw.province, category="provinsi", year=year)
    if res.ok:
        return _Group(section, (raw.label, raw.text), res)
    return _Group(section, (raw.label, raw.text), None,
                  f"provinsi judul tabel {raw.province!r} tidak dikenali: {res.reason}")


def check_rows(raw_rows: list[RawRow], year: int, matcher) -> list[AnnexRow]:
    """Data rows of the whole annex (sections applied in order), each checked."""
    fw = registry.framework(registry.evaluation(year).framework)
    group, out = _Group(None, None), []
    for raw in raw_rows:
        if raw.kind == "section":
            group = _group(raw, year, matcher)
        elif raw.kind == "data":
            out.append(_row(raw, group, year, fw, matcher))
    _sequence(out)
    _duplicates(out)
    return out
