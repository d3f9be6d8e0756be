"""Results tables of a text source -> table rows for the checks: Markdown pipe tables (as
the PDF converters marker, docling and pandoc write them, parsed by markdown-it-py) and the
tables of a web page (parsed by lxml.html).

A table is a results table when its header names ``No``, ``Nama``/``Instansi`` and
``Indeks``/``Nilai`` (``Predikat`` and the domain columns optional); any other table (a
*Daftar Tabel*, a page's navigation or layout) is skipped. A converter's two header rows
(``Indeks Domain`` over four columns, ``D1 … D4`` below) are read as one. Domain columns
are named ``D1``… or by the framework's domain names (:func:`domain_labels`).

The *title* before a table ("Tabel 24. Hasil Evaluasi SPBE Pemerintah Daerah di Bengkulu",
with or without "di", bold or inside a ``<span>``) names its group (:func:`title_group`)
and becomes a section row; a table with no title of its own continues the previous one (a
header repeated at a page break). A table titled as something other than results
("Tabel 4. Nilai Indeks Domain Nasional") is skipped.

Each row carries where it stands: the 1-based source line of a Markdown table row
("baris 1093"), or the table's and the row's number on an HTML page ("tabel 3, baris 5").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from spbe_tools.categories import REGION_CATEGORIES, categories_of, section_hint
from spbe_tools.errors import ConfigError
from spbe_tools.extract.table import RawRow, domain_item

__all__ = ["TextRead", "TextTable", "markdown_tables", "read_markdown", "read_html",
           "title_group", "domain_labels", "MAX_SPAN"]

MAX_SPAN = 64  # colspan/rowspan honoured up to this (a hostile page may say 10**9)
_TABLE_TITLE = re.compile(r"^\s*tabel\s+\d+\s*[.:]?\s*", re.IGNORECASE)
_RESULTS_TITLE = re.compile(r"^\s*hasil\s+evaluasi\s+spbe\s+(.*)$", re.IGNORECASE)
_PARENTHESES = re.compile(r"\([^)]*\)")
_NUMBER = re.compile(r"\d\s*[,.]\s*\d")
_HEADER_FILLERS = {"indeks", "nilai", "domain", "spbe"}
MAX_TITLE_CHARS = 160  # a longer paragraph is prose, not a table's title


@dataclass
class TextRead:
    """What a text source gave: section and data rows in order, the document's headings
    (where its year and decree are read), the results tables read and skipped."""

    rows: list[RawRow]
    title: str
    tables: int = 0
    skipped: int = 0


@dataclass
class TextTable:
    """One table as text: each row's cells (spans filled, header rows first) and its
    provenance label ("baris 12", "tabel 3, baris 2"), with the title line before it."""

    rows: list[list[str]]
    labels: list[str]
    title: str | None = None  # the title seen since the previous table, if any
    title_label: str = ""


@dataclass
class _State:
    """The reading so far: rows out, the group a title-less table continues."""

    rows: list[RawRow] = field(default_factory=list)
    group: RawRow | None = None
    skip: bool = False  # the current title names no results table
    tables: int = 0
    skipped: int = 0


def title_group(title: str) -> tuple[str, str | None] | None:
    """(section hint, province as written) a results table's title names; None when the
    title names no results table. Every central group that is not the ministries (LPNK,
    Alat Negara, Sekretariat Kabinet, …) is a *lembaga*, as in the decree's annex.

    >>> title_group("Tabel 24. Hasil Evaluasi SPBE Pemerintah Daerah di Bengkulu")
    ('pemda', 'Bengkulu')
    >>> title_group("Hasil Evaluasi SPBE Pemerintah Daerah Jambi")
    ('pemda', 'Jambi')
    >>> title_group("Tabel 8. Hasil Evaluasi SPBE Kementerian")
    ('kementerian', None)
    >>> title_group("Tabel 10. Hasil Evaluasi SPBE Alat Negara")
    ('lembaga', None)
    >>> title_group("Tabel 4. Nilai Indeks Domain Nasional 2023") is None
    True
    """
    found = _RESULTS_TITLE.match(_TABLE_TITLE.sub("", " ".join(title.split())))
    if not found:
        return None
    words = _PARENTHESES.sub(" ", found.group(1)).split()
    for k in range(len(words), 0, -1):
        hint = section_hint(" ".join(words[:k]))
        if hint and categories_of(hint) <= frozenset(REGION_CATEGORIES):
            rest = words[k:]
            rest = rest[1:] if rest and rest[0].lower() == "di" else rest
            return hint, " ".join(rest) or None
    hint = section_hint(" ".join(words))
    return (hint or "lembaga"), None


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


@cache
def domain_labels(framework_key: str) -> dict[str, str]:
    """Header label (letters and digits, indeks/domain/SPBE words dropped) -> domain item:
    the registry's names ("Kebijakan Internal SPBE" -> ``D1``), their first word when no
    other domain shares it ("Kebijakan"); {} for a framework without domains."""
    from spbe_tools.registry import structure

    try:
        dom = structure.domains(framework_key)
    except ConfigError:  # a framework without a domain list: domain codes only
        return {}
    out: dict[str, str] = {}
    firsts: dict[str, list[str]] = {}
    for item, name in zip(dom["item"], dom["name"]):
        words = [w for w in name.split() if _key(w) not in _HEADER_FILLERS]
        out[_key("".join(words))] = item
        firsts.setdefault(_key(words[0]), []).append(item)
    out.update({k: items[0] for k, items in firsts.items() if len(items) == 1 and k not in out})
    return out


def _role(text: str, labels: dict[str, str]) -> str | None:
    """The column a header cell names: no, name, index, predikat or a domain item."""
    words = text.split()
    core = "".join(_key(w) for w in words if _key(w) not in _HEADER_FILLERS)
    item = domain_item(core) if core else None
    if item or core in labels:
        return item or labels[core]
    key = _key(text)
    if key in {"no", "nomor"}:
        return "no"
    if key.startswith(("nama", "instansi")):
        return "name"
    if key.startswith(("indeks", "nilai")) and "domain" not in key:
        return "index"
    if key.startswith("predikat"):
        return "predikat"
    return None


def _roles(cells: list[str], labels: dict[str, str]) -> list[str | None] | None:
    """Each column's role, or None when the row is no results header."""
    roles = [_role(c, labels) for c in cells]
    return roles if {"no", "name", "index"} <= set(roles) else None


def _is_label_row(cells: list[str]) -> bool:
    """A second header row: no figure in it and no number in its first cell."""
    return not any(_NUMBER.search(c) for c in cells) and not re.fullmatch(r"\s*\d+\s*[.)]?\s*",
                                                                          cells[0] if cells else "")


def _header(table: TextTable, labels: dict[str, str]) -> tuple[list, int] | None:
    """(column roles, rows the header takes) of a table, or None for one that is not a
    results table. Two header rows are joined column by column."""
    rows = table.rows
    if not rows:
        return None
    one = _roles(rows[0], labels)
    if len(rows) > 1 and _is_label_row(rows[1]) and len(rows[1]) == len(rows[0]):
        joined = [a if a == b else f"{a} {b}" for a, b in zip(rows[0], rows[1])]  # rowspan
        two = _roles(joined, labels)
        if two is not None and (one is None or len(set(two) - {None}) > len(set(one) - {None})):
            return two, 2
    return (one, 1) if one is not None else None


def _section(cells: list[str]) -> str | None:
    """The hint of a row holding only a section's words ("A. KEMENTERIAN"), else None."""
    filled = {c for c in cells if c.strip()}
    return section_hint(filled.pop()) if len(filled) == 1 else None


def _body(table: TextTable, roles: list, start: int, labels: dict[str, str]) -> list[RawRow]:
    """The table's rows below its header: data, section and repeated-header rows."""
    columns = tuple(r for r in roles if r)
    out = []
    for cells, label in zip(table.rows[start:], table.labels[start:]):
        if not any(c.strip() for c in cells):
            continue
        text = " | ".join(cells)
        if _roles(cells, labels) is not None:
            out.append(RawRow(0, "header", text, label=label, columns=columns))
            continue
        hint = _section(cells)
        if hint:
            out.append(RawRow(0, "section", text, label=label, section=hint, columns=columns))
            continue
        row = RawRow(0, "data", text, engine="teks", label=label, columns=columns)
        for role, cell in zip(roles, cells):
            if role and role not in row.cells:
                row.cells[role] = cell
        out.append(row)
    return out


def _take(table: TextTable, state: _State, labels: dict[str, str]) -> None:
    """Add one table's rows to ``state``: a titled table opens its group, an untitled one
    continues the previous group."""
    header = _header(table, labels)
    if table.title is not None:
        group = title_group(table.title)
        state.skip = group is None
        if group is not None and header is not None:
            state.group = RawRow(0, "section", table.title, label=table.title_label,
                                 section=group[0], province=group[1])
            state.rows.append(state.group)
    if header is None or state.skip:
        state.skipped += header is not None
        return
    state.tables += 1
    state.rows.extend(_body(table, header[0], header[1], labels))


# -- Markdown


def _inline_text(token) -> str:
    """A Markdown inline's text: ``<br>`` and line breaks as spaces, other markup dropped."""
    parts = []
    for child in token.children or ():
        if child.type in {"text", "code_inline"}:
            parts.append(child.content)
        elif child.type in {"softbreak", "hardbreak"} or (
                child.type == "html_inline" and re.match(r"<br\b", child.content, re.I)):
            parts.append(" ")
    return " ".join("".join(parts).split())


def markdown_tables(text: str) -> tuple[list[TextTable], list[str]]:
    """Every pipe table of a Markdown document, each with the title ("Tabel 4. …",
    "Hasil Evaluasi SPBE …") seen since the previous table, and the headings' texts."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    tables, headings = [], []
    title, title_line, heading = None, "", False
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open":
            heading = True
        elif tok.type == "inline" and tok.map:
            text = _inline_text(tok)
            if heading:
                headings.append(text)
            heading = False
            if len(text) <= MAX_TITLE_CHARS and (_TABLE_TITLE.match(text)
                                                 or _RESULTS_TITLE.match(text)):
                title, title_line = text, f"baris {tok.map[0] + 1}"
        elif tok.type == "table_open":
            i, table = _markdown_table(tokens, i)
            table.title, table.title_label = title, title_line
            tables.append(table)
            title = None
        i += 1
    return tables, headings


def _markdown_table(tokens, i: int) -> tuple[int, TextTable]:
    """(index of ``table_close``, the table) for the ``table_open`` at ``i``."""
    table = TextTable([], [])
    while tokens[i].type != "table_close":
        tok = tokens[i]
        if tok.type == "tr_open":
            table.rows.append([])
            table.labels.append(f"baris {tok.map[0] + 1}")
        elif tok.type == "inline":
            table.rows[-1].append(_inline_text(tok))
        i += 1
    return i, table


def read_markdown(text: str, framework_key: str) -> TextRead:
    """The results tables of a Markdown document (pipe tables)."""
    tables, headings = markdown_tables(text)
    state = _State()
    labels = domain_labels(framework_key)
    for table in tables:
        _take(table, state, labels)
    return TextRead(state.rows, " \n".join(headings), state.tables, state.skipped)


# -- HTML


def _span(cell, name: str) -> int:
    try:
        return min(max(int(cell.get(name, "1")), 1), MAX_SPAN)
    except ValueError:
        return 1


def _html_grid(table) -> list[list[str]]:
    """The rows of an lxml ``<table>`` (not of tables inside it) as texts, a cell spanning
    columns or rows repeated in each."""
    grid: list[list[str]] = []
    below: dict[int, tuple[str, int]] = {}  # column -> (text, rows still covered)
    for tr in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
        row: list[str] = []
        cells = iter(tr.xpath("./td|./th"))
        while True:
            col = len(row)
            if col in below:
                text, left = below[col]
                row.append(text)
                below[col] = (text, left - 1)
                if left <= 1:
                    del below[col]
                continue
            cell = next(cells, None)
            if cell is None:
                break
            text = " ".join(cell.text_content().split())
            for k in range(_span(cell, "colspan")):
                if _span(cell, "rowspan") > 1:
                    below[col + k] = (text, _span(cell, "rowspan") - 1)
                row.append(text)
        grid.append(row)
    return grid


def _block_text(el) -> str:
    return " ".join(el.text_content().split())


def read_html(data: bytes, framework_key: str) -> TextRead:
    """The results tables of an HTML page; titles from headings, paragraphs and captions."""
    import lxml.html

    doc = lxml.html.document_fromstring(data)
    for br in doc.iter("br"):
        br.tail = " " + (br.tail or "")
    tables, headings, title, n = [], [], None, 0
    for el in doc.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "table":
            n += 1
            grid = _html_grid(el)
            labels = [f"tabel {n}, baris {r}" for r in range(1, len(grid) + 1)]
            caption = el.find("caption")
            own = _block_text(caption) if caption is not None else None
            if el.find(".//table") is not None:  # a layout table: the title is its inner one's
                tables.append(TextTable(grid, labels, own, f"tabel {n}"))
                continue
            tables.append(TextTable(grid, labels, own or title, f"tabel {n}"))
            title = None
        elif tag in {"title", "h1", "h2", "h3", "h4", "h5", "h6", "p", "caption"}:
            text = _block_text(el)
            if tag in {"title", "h1", "h2", "h3"}:
                headings.append(text)
            if tag != "caption" and len(text) <= MAX_TITLE_CHARS and (
                    _TABLE_TITLE.match(text) or _RESULTS_TITLE.match(text)):
                title = text
    state = _State()
    labels = domain_labels(framework_key)
    for table in tables:
        _take(table, state, labels)
    return TextRead(state.rows, " \n".join(headings), state.tables, state.skipped)
