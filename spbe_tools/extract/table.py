"""Table geometry: the header's columns, rows from line geometry, and what each row is.

A page's words are grouped into *lines* by their vertical centre (not by reading order).
The header line is the one holding ``No``, ``Nama``/``Instansi`` and ``Indeks``/``Nilai``
(``Predikat`` optional, domain columns ``D1``…``D4`` optional: the national report's
``No | Nama Instansi | D1 | D2 | D3 | D4 | Indeks | Predikat``); it gives one anchor per
column. Column boundaries between two
anchors are the page's vertical ruling lines when there are some, otherwise the x position
that the fewest lines below the header cover (the white corridor between two columns).

Every line below the header is then a data row, a section row (``A. KEMENTERIAN``), a
repeated header, page furniture (page number) or the start of the closing block
(Keterangan, the minister's signature); nothing below the closing block is data.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from functools import cache

from spbe_tools.categories import section_hint
from spbe_tools.extract.pages import Page, Word

__all__ = ["Line", "RawRow", "Header", "lines_of", "find_header", "boundaries",
           "page_rows", "domain_item", "MAX_DOMAINS"]

MAX_DOMAINS = 9  # domain columns a header may carry (59/2020 has four; the registry says which)


@cache
def _domain_items() -> tuple[str, ...]:
    from spbe_tools.registry.structure import item_code

    return tuple(item_code("domain", n) for n in range(1, MAX_DOMAINS + 1))


def domain_item(label: str) -> str | None:
    """The domain item a header label names as a code ("D1", "D.1", "D 1" -> ``D1``), or None.

    >>> domain_item("D.3"), domain_item("Indeks")
    ('D3', None)
    """
    key = re.sub(r"[^a-z0-9]", "", label.lower())
    return next((item for item in _domain_items() if key == item.lower()), None)


def _columns() -> tuple[str, ...]:
    """Columns in the order they stand left to right: domains between name and index."""
    return ("no", "name", *_domain_items(), "index", "predikat")




@dataclass
class Line:
    """Words sharing a vertical centre, left to right; ``top``/``bottom`` in points."""

    words: list[Word]

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass
class Header:
    anchors: dict[str, float]  # column -> x centre of its label (points)
    line: Line


@dataclass
class RawRow:
    """One line of the table as read: ``kind`` data|section|header|furniture|closing,
    ``cells`` column -> text (domain columns under their item, ``D1``…), ``boxes`` column ->
    (x0, top, x1, bottom) in points, ``conf`` column -> lowest engine confidence of the words
    in that cell. A row of a text source (Markdown, HTML) has ``page`` 0, no boxes, and says
    where it stands in ``label`` ("baris 1093", "tabel 3, baris 5"); its section rows carry
    the ``section`` hint and the ``province`` their table title names, as written."""

    page: int
    kind: str
    text: str
    cells: dict[str, str] = field(default_factory=dict)
    boxes: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)
    conf: dict[str, float] = field(default_factory=dict)
    box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    engine: str = "teks"
    section: str | None = None
    label: str = ""
    province: str | None = None
    columns: tuple[str, ...] = ()  # the columns of the header above the row, left to right

    @property
    def where(self) -> str:
        """Where the row stands in its source: "hlm. 3" (PDF) or its ``label``."""
        return self.label or f"hlm. {self.page}"


def lines_of(words: list[Word]) -> list[Line]:
    """Group words into lines: a word joins the current line when its vertical centre lies
    within 45% of the median word height of the line's centre."""
    if not words:
        return []
    tol = 0.45 * statistics.median(w.bottom - w.top for w in words)
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: w.yc):
        if lines and abs(w.yc - statistics.fmean(x.yc for x in lines[-1])) <= tol:
            lines[-1].append(w)
        else:
            lines.append([w])
    return [Line(sorted(ws, key=lambda w: w.x0)) for ws in lines]


def _key(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def find_header(lines: list[Line]) -> tuple[int, Header] | None:
    """(position in ``lines``, header) of the first header line, or None."""
    for i, line in enumerate(lines):
        anchors: dict[str, float] = {}
        for w in line.words:
            k = _key(w.text)
            if k in {"no", "nomor"} and "no" not in anchors:
                anchors["no"] = w.xc
            elif k.startswith(("nama", "instansi")) and "name" not in anchors:
                anchors["name"] = _span_centre(line, w)
            elif k.startswith(("indeks", "nilai")) and "index" not in anchors:
                anchors["index"] = w.xc
            elif k.startswith("predikat") and "predikat" not in anchors:
                anchors["predikat"] = w.xc
            elif domain_item(w.text) and domain_item(w.text) not in anchors:
                anchors[domain_item(w.text)] = w.xc
        if {"no", "name", "index"} <= set(anchors):
            return i, Header(anchors, line)
    return None


def _span_centre(line: Line, first: Word) -> float:
    """Centre of "Nama Instansi" when the text layer gives it as two words."""
    words = line.words
    i = words.index(first)
    if i + 1 < len(words) and _key(words[i + 1].text).startswith("instansi"):
        return (first.x0 + words[i + 1].x1) / 2
    return first.xc


def _coverage_gap(lines: list[Line], lo: float, hi: float) -> float:
    """The x in (lo, hi) covered by the fewest lines: the centre of the leftmost run of
    least coverage (numbers sit centred on their anchor, text starts right after its
    column's left edge, so the corridor is the first white run right of an anchor)."""
    import numpy as np

    step = 0.5  # points
    xs = lo + step * np.arange(1, int((hi - lo) / step))
    if not len(xs):
        return (lo + hi) / 2
    counts = np.zeros(len(xs), dtype=np.int64)
    for ln in lines:  # numpy, not a Python loop per x: this ran ~0.1 s per OCR page
        covered = np.zeros(len(xs), dtype=bool)
        for w in ln.words:
            covered |= (w.x0 <= xs) & (xs <= w.x1)
        counts += covered
    low = counts.min()
    first = int(np.argmax(counts == low))
    last = first
    while last + 1 < len(counts) and counts[last + 1] == low:
        last += 1
    return float(xs[first] + xs[last]) / 2


_INDEX_LIKE = re.compile(r"\d\s*[,.]\s*\d")


def boundaries(page: Page, header: Header, body: list[Line]) -> list[float]:
    """x boundaries between consecutive columns of the header (points, ascending)."""
    cols = [c for c in _columns() if c in header.anchors]
    out = []
    for a, b in zip(cols, cols[1:]):
        lo, hi = header.anchors[a], header.anchors[b]
        rules = [x for x in page.vrules if lo < x < hi]
        if rules:
            out.append(rules[len(rules) // 2])
        else:
            data = [ln for ln in body if any(_INDEX_LIKE.search(w.text) for w in ln.words)]
            out.append(_coverage_gap(data or body, lo, hi))
    return out


_PAGE_NUMBER = re.compile(
    r"^[-–—\s]*(hal(aman)?\.?\s*)?\d{1,4}(\s*(dari|/)\s*\d{1,4})?[-–—\s]*$", re.IGNORECASE)
_CLOSING = re.compile(r"^(keterangan|ket\s*[.:]|catatan|\*\)|menteri\b|ttd|salinan|"
                      r"ditetapkan|jakarta\s*,|a\.?\s*n\.?\s+menteri)", re.IGNORECASE)
_NUMBER = re.compile(r"\d")


def _split(word: Word, x: float) -> list[Word]:
    """Split an OCR text line that runs across the column boundary ``x`` (points) at the
    nearest space (else at the character under ``x``), characters taken as equally wide."""
    if not (word.x0 + 2 < x < word.x1 - 2) or len(word.text) < 2:
        return [word]
    text, cw = word.text, (word.x1 - word.x0) / len(word.text)
    cut = min(max(1, round((x - word.x0) / cw)), len(text) - 1)
    spaces = [i for i, ch in enumerate(text) if ch == " " and abs(i - cut) <= 3]
    if spaces:
        cut = min(spaces, key=lambda i: abs(i - cut))
    left, right = text[:cut].strip(), text[cut:].strip()
    if not left or not right:
        return [word]
    xm = word.x0 + cut * cw
    return [Word(left, word.x0, word.top, xm, word.bottom, word.conf),
            Word(right, xm, word.top, word.x1, word.bottom, word.conf)]


def _cells(line: Line, cols: list[str], bounds: list[float], split: bool
           ) -> dict[str, list[Word]]:
    """Column -> words of ``line``; OCR text lines are ``split`` at column boundaries."""
    words = list(line.words)
    for b in bounds if split else ():
        words = [part for w in words for part in _split(w, b)]
    out: dict[str, list[Word]] = {}
    for w in words:
        col = cols[sum(w.xc > b for b in bounds)]
        out.setdefault(col, []).append(w)
    return out


def _row(page: Page, kind: str, line: Line, cells: dict[str, list[Word]]) -> RawRow:
    row = RawRow(page.number, kind, line.text, engine=page.engine,
                 box=(min(w.x0 for w in line.words), line.top,
                      max(w.x1 for w in line.words), line.bottom))
    for col, ws in cells.items():
        row.cells[col] = " ".join(w.text for w in ws).strip()
        row.boxes[col] = (min(w.x0 for w in ws), min(w.top for w in ws),
                          max(w.x1 for w in ws), max(w.bottom for w in ws))
        row.conf[col] = min(w.conf for w in ws)
    return row


def _kind(line: Line, cells: dict[str, list[Word]]) -> str:
    text = line.text.strip()
    if find_header([line]) is not None:
        return "header"
    if _CLOSING.match(text):
        return "closing"
    if len(line.words) <= 3 and _PAGE_NUMBER.match(text):
        return "furniture"
    if "index" not in cells and "predikat" not in cells and section_hint(text):
        return "section"
    return "data"


def _continues(prev: RawRow | None, line: Line, cells: dict[str, list[Word]]) -> bool:
    """A wrapped name: only name text, right under a data row."""
    if prev is None or prev.kind != "data" or set(cells) != {"name"}:
        return False
    height = prev.box[3] - prev.box[1]
    return line.top - prev.box[3] < 0.8 * height and not _NUMBER.search(line.text)


def page_rows(page: Page) -> tuple[list[RawRow], list[str]]:
    """(rows below the header, title lines above it) of one page; ([], all lines' text)
    when the page has no header."""
    lines = lines_of(page.words)
    found = find_header(lines)
    if found is None:
        return [], [ln.text for ln in lines]
    at, header = found
    body = lines[at + 1:]
    cols = [c for c in _columns() if c in header.anchors]
    bounds = boundaries(page, header, body)
    rows: list[RawRow] = []
    closing = False
    for line in body:
        cells = _cells(line, cols, bounds, page.engine == "ocr")
        kind = "closing" if closing else _kind(line, cells)
        closing = kind == "closing"
        prev = next((r for r in reversed(rows) if r.kind in {"data", "section"}), None)
        if kind == "data" and _continues(prev, line, cells):
            prev.cells["name"] = f"{prev.cells.get('name', '')} {line.text}".strip()
            prev.box = (prev.box[0], prev.box[1], max(prev.box[2], line.words[-1].x1),
                        line.bottom)
            continue
        rows.append(_row(page, kind, line, cells))
        rows[-1].columns = tuple(cols)
    return rows, [ln.text for ln in lines[:at]]
