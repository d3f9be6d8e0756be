"""``briefing.docx``: the briefing pack as a one-to-two-page Word *nota*.

Why one module of ~520 lines: one document. Its sections share the style table, the page
geometry and the template handling (a Word file is consistent only when they agree); the
deck and the workbook are :mod:`spbe_tools.brief_pptx` and :mod:`spbe_tools.brief_xlsx`.

What it says, top to bottom: the title (with "(contoh)" when any drawn data are
synthetic, and then the demo warning as the first paragraph), the peer group and
framework, the headline sentence of :func:`compare.headline`, the rank and the distance
to the next predikat, a small table (this year, the last earlier year with a value,
change, group median, national index), the ranking chart and the map when given, the
plan to the next predikat when LHE levels exist, and the sources.

Formatting lives in the document's styles, defined once: ``Title``, ``Heading 1``,
``Normal``, ``Caption``, ``List Bullet`` and a few ``SPBE …`` styles (table text,
figure, warning, sources, and the ``SPBE Tabel`` table style). No paragraph or run
carries its own font. With ``template`` (an office's ``.docx``) that file is the base
document: its body is cleared and its styles, headers, footers and page setup are kept;
only styles it lacks are added.

The file is byte-identical for the same inputs: fixed core properties and zip entry
times (python-docx stamps neither reproducibly on its own).
"""
from __future__ import annotations

import io
import math
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Emu, Pt, RGBColor

from spbe_tools import registry, target
from spbe_tools.compare import Comparison, headline, source_note
from spbe_tools.office_files import FIXED_TIMESTAMP, stable_package
from spbe_tools.output_set import write_atomic
from spbe_tools.peers import PeerGroup, describe_group
from spbe_tools.trends import MIN_MEDIAN_PEERS
from spbe_tools.wording import fmt_num, label, text

__all__ = ["AUTHOR", "STYLES", "figures_table", "last_year", "write_docx"]

AUTHOR = "SPBE Workbook"
# The styles the nota uses; a template lacking one gets ours, a template's own wins.
STYLES = {
    "title": "Title", "heading": "Heading 1", "body": "Normal", "caption": "Caption",
    "bullet": "List Bullet", "cell": "SPBE Tabel Teks", "number": "SPBE Tabel Angka",
    "figure": "SPBE Gambar", "warning": "SPBE Peringatan", "source": "SPBE Sumber",
    "note": "SPBE Catatan", "table": "SPBE Tabel", "strong": "Strong",
}
_FONT = "Arial"  # metric twin of Liberation Sans, so LibreOffice lays it out like Word
_BLUE = RGBColor(0x00, 0x72, 0xB2)  # charts.COLORS["peer"]
_WARN = RGBColor(0xD5, 0x5E, 0x00)  # charts.COLORS["focal"]
_GREY = RGBColor(0x44, 0x44, 0x44)
_PLAN_ROWS = 8  # raises listed in the nota; the rest are in ringkasan.xlsx
_MAX_FIGURE_CM = {"01-ranking": 9.5, "07-map": 10.5}  # figure heights that keep 2 pages


# --------------------------------------------------------------------------- styles

def _paragraph_style(doc, name: str, base: str | None = "Normal"):
    """The style called ``name``: the document's own, or a new one based on ``base``.
    Returns (style, created)."""
    try:
        return doc.styles[name], False
    except KeyError:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if base is not None:
            style.base_style = doc.styles[base]
        return style, True


def _set(style, *, size: float | None = None, bold: bool | None = None,
         italic: bool | None = None, color: RGBColor | None = None, font: str | None = None,
         before: float | None = None, after: float | None = None,
         align: WD_ALIGN_PARAGRAPH | None = None, keep_next: bool | None = None) -> None:
    """Set the given properties of a paragraph style (points for sizes and spacing)."""
    if font is not None:
        style.font.name = font
        fonts = style.element.rPr.rFonts  # a theme font would win over the name: drop it
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
    if size is not None:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    if italic is not None:
        style.font.italic = italic
    if color is not None:
        style.font.color.rgb = color
    fmt = style.paragraph_format
    if before is not None:
        fmt.space_before = Pt(before)
    if after is not None:
        fmt.space_after = Pt(after)
    if align is not None:
        fmt.alignment = align
    if keep_next is not None:
        fmt.keep_with_next = keep_next


def _house_styles(doc) -> None:
    """Our look for the standard styles (only without a template)."""
    _set(doc.styles["Normal"], font=_FONT, size=10.5, after=4)
    doc.styles["Normal"].paragraph_format.line_spacing = 1.1
    title = doc.styles["Title"]
    _set(title, font=_FONT, size=18, bold=True, color=_BLUE, after=6)
    title.element.get_or_add_pPr().remove_all("w:pBdr")  # the default's rule underneath
    _set(doc.styles["Heading 1"], font=_FONT, size=12.5, bold=True, color=_BLUE, before=10,
         after=3, keep_next=True)
    _set(doc.styles["Caption"], font=_FONT, size=8.5, bold=False, italic=False, color=_GREY,
         after=8)
    _set(doc.styles["List Bullet"], after=2)
    _set(doc.styles["Footer"], font=_FONT, size=8, color=_GREY)


def _own_styles(doc) -> None:
    """Add the SPBE paragraph styles a document lacks (a template's own are kept)."""
    specs = {
        STYLES["cell"]: dict(size=9, before=0, after=0),
        STYLES["number"]: dict(size=9, before=0, after=0, align=WD_ALIGN_PARAGRAPH.RIGHT),
        STYLES["figure"]: dict(before=6, after=0, align=WD_ALIGN_PARAGRAPH.CENTER,
                               keep_next=True),
        STYLES["warning"]: dict(bold=True, color=_WARN, after=6),
        STYLES["source"]: dict(size=8, color=_GREY, after=1),
        STYLES["note"]: dict(size=8.5, color=_GREY, before=2, after=2),
    }
    for name, spec in specs.items():
        style, created = _paragraph_style(doc, name)
        if created:
            _set(style, **spec)
    for name, base in ((STYLES["title"], "Normal"), (STYLES["heading"], "Normal"),
                       (STYLES["caption"], "Normal"), (STYLES["bullet"], "Normal")):
        style, created = _paragraph_style(doc, name, base)
        if created and name != STYLES["bullet"]:
            _set(style, bold=name != STYLES["caption"], keep_next=name == STYLES["heading"])
    if not any(s.name == STYLES["strong"] for s in doc.styles):
        doc.styles.add_style(STYLES["strong"], WD_STYLE_TYPE.CHARACTER).font.bold = True
    _table_style(doc)


def _table_style(doc) -> None:
    """``SPBE Tabel``: blue rules above and below, grey lines between rows, bold shaded
    header row (conditional ``firstRow`` formatting), small cell margins."""
    if any(s.name == STYLES["table"] for s in doc.styles):
        return
    xml = (
        f'<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="SPBETabel">'
        f'<w:name w:val="{STYLES["table"]}"/><w:uiPriority w:val="40"/>'
        '<w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr>'
        '<w:tblPr><w:tblBorders>'
        '<w:top w:val="single" w:sz="8" w:space="0" w:color="0072B2"/>'
        '<w:bottom w:val="single" w:sz="8" w:space="0" w:color="0072B2"/>'
        '<w:insideH w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>'
        '</w:tblBorders><w:tblCellMar>'
        '<w:top w:w="40" w:type="dxa"/><w:left w:w="80" w:type="dxa"/>'
        '<w:bottom w:w="40" w:type="dxa"/><w:right w:w="80" w:type="dxa"/>'
        '</w:tblCellMar></w:tblPr>'
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/></w:rPr>'
        '<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="DCEAF5"/></w:tcPr>'
        '</w:tblStylePr></w:style>')
    doc.styles.element.append(parse_xml(xml))


# --------------------------------------------------------------------------- document

def _clear_body(doc) -> None:
    """Drop a template's content, keep its final section (page setup, headers, footers)."""
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _new_document(template: Path | None):
    """The base document: the template with its body cleared, or ours on A4."""
    if template is not None:
        doc = Document(str(template))
        _clear_body(doc)
        _own_styles(doc)
        return doc
    doc = Document()
    _house_styles(doc)
    _own_styles(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin, section.bottom_margin = Cm(1.8), Cm(1.8)
    section.footer_distance = Cm(0.9)
    return doc


def _footer(doc, words: str, lang: str) -> None:
    """'<title> · Halaman N' in the footer (only without a template: an office's own stays)."""
    para = doc.sections[0].footer.paragraphs[0]
    para.style = doc.styles["Footer"]
    para.add_run(f"{words} · {label('docx_page', lang)} ")
    run = para.add_run()
    for xml in ('<w:fldChar %s w:fldCharType="begin"/>',
                '<w:instrText %s xml:space="preserve"> PAGE </w:instrText>',
                '<w:fldChar %s w:fldCharType="end"/>'):
        run._r.append(parse_xml(xml % nsdecls("w")))


def _text_width(doc) -> int:
    """Width between the margins, EMU."""
    s = doc.sections[-1]
    return int(s.page_width - s.left_margin - s.right_margin)


def _figure(doc, image: Path, caption: str, max_height_cm: float) -> None:
    """The image centred, as wide as the text (at most ``max_height_cm`` tall), captioned."""
    from PIL import Image

    with Image.open(image) as im:
        w, h = im.size
    width = min(_text_width(doc), int(Cm(max_height_cm) * w / h))
    doc.add_paragraph(style=STYLES["figure"]).add_run().add_picture(str(image), width=Emu(width))
    doc.add_paragraph(caption, style=STYLES["caption"])


def _table(doc, rows: Sequence[Sequence[str]], numeric: Sequence[bool],
           widths_cm: Sequence[float]):
    """A table in the ``SPBE Tabel`` style; the first row is the header. ``numeric``
    says per column whether its body cells are numbers (right-aligned style)."""
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = doc.styles[STYLES["table"]]
    table.autofit = False
    for c, column in enumerate(table.columns):
        column.width = Cm(widths_cm[c])  # the grid: what LibreOffice reads
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.width = Cm(widths_cm[c])  # the cell: what Word reads
            para = cell.paragraphs[0]
            para.style = doc.styles[STYLES["number"] if numeric[c] else STYLES["cell"]]
            para.add_run(value)
    return table



def _drop_thumbnail(doc) -> None:
    """Remove the package's preview picture (a blank page, or the template's own content):
    file browsers would show it instead of the nota."""
    rels = doc.part.package.rels
    for r_id, rel in list(rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            rels.pop(r_id)


def _save(doc, path: Path, title: str, lang: str) -> Path:
    """Fixed core properties, fixed zip dates, written atomically (temp file + rename)."""
    props = doc.core_properties
    props.author = props.last_modified_by = AUTHOR
    props.created = props.modified = props.last_printed = FIXED_TIMESTAMP
    props.title, props.language, props.revision = title, "id-ID" if lang == "id" else "en-US", 1
    props.comments = props.keywords = props.subject = props.category = ""
    _drop_thumbnail(doc)
    buf = io.BytesIO()
    doc.save(buf)
    return write_atomic(path, stable_package(buf.getvalue()))


# --------------------------------------------------------------------------- what it says

def _synthetic(comp: Comparison, trend: pd.DataFrame,
               target_view: target.TargetView | None) -> bool:
    """Any drawn data synthetic: the comparison, the trend up to the year, or the LHE."""
    shown = trend[trend["year"] <= comp.year] if len(trend) else trend
    return (comp.synthetic or ("synthetic" in shown and bool(shown["synthetic"].any()))
            or bool(target_view is not None and target_view.summary.get("lhe_synthetic")))


def _points(comp: Comparison, group: str, lang: str) -> list[tuple[str, str]]:
    """(label, sentence) bullets: the rank (or why there is none), the distance to the next
    predikat and the margin above the current one, the national index."""
    if comp.index is None:
        return []
    coverage = text("coverage_statement", lang, n_ranked=comp.n_ranked, n_group=comp.n_group,
                    group=group, year=comp.year)
    if comp.rank_representative:
        rank = text("docx_rank_value", lang, rank=comp.rank_label, n_ranked=comp.n_ranked,
                    group=group, year=comp.year)
        rank += f" ({coverage})" if comp.n_ranked < comp.n_group else ""
    else:
        rank = text("rank_not_representative", lang, coverage=coverage)
    b, f = comp.band, (lambda v: fmt_num(v, lang=lang))
    bands = (text("distance_statement", lang, distance=f(b["distance_to_next"]),
                  band=b["next_band"]) if b.get("next_band")
             else text("top_band_statement", lang))
    if b.get("margin_above_current") is not None:
        bands += "; " + text("margin_statement", lang, margin=f(b["margin_above_current"]),
                             band=b["current_band"])
    out = [(label("docx_point_rank", lang), rank + "."),
           (label("docx_point_band", lang), bands + ".")]
    if comp.national_index is not None:
        key = ("vs_national_equal" if comp.gap_national == 0 else
               "vs_national_above" if comp.gap_national > 0 else "vs_national_below")
        gap = text("docx_points", lang, value=fmt_num(comp.gap_national, lang=lang, signed=True))
        out.append((label("docx_point_national", lang),
                    f"{text(key, lang, national=f(comp.national_index))} ({gap})."))
    return out


def _row_of(trend: pd.DataFrame, year: int | None) -> dict:
    """The trend row of ``year`` as a dict ({} when absent or year is None)."""
    if year is None:
        return {}
    rows = trend[trend["year"] == int(year)]
    return {} if rows.empty else rows.iloc[0].to_dict()


def last_year(trend: pd.DataFrame, year: int) -> int | None:
    """The latest year before ``year`` in which the focal has a value, or None."""
    earlier = trend[(trend["year"] < int(year)) & trend["index"].notna()]
    return None if earlier.empty else int(earlier["year"].max())


def _num(value: object) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) \
        else float(value)


def _change(a: float | None, b: float | None, lang: str) -> str:
    return fmt_num(None if a is None or b is None else b - a, lang=lang, signed=True)


def _predikat_change(before: str, now: str, lang: str) -> str:
    if not before or not now:
        return fmt_num(None)
    return label("docx_unchanged", lang) if before == now else f"{before} → {now}"


def _figures_row(comp: Comparison, trend: pd.DataFrame) -> dict:
    """This year's index, predikat, group median and national index (trend row, else comp)."""
    now = _row_of(trend, comp.year)
    median = (_num(now.get("peer_median")) if now else
              comp.peer_median if comp.n_ranked >= MIN_MEDIAN_PEERS else None)
    return {"index": comp.index, "predikat": comp.predikat or "", "median": median,
            "national": comp.national_index}


def _before_row(trend: pd.DataFrame, year: int | None) -> dict:
    row = _row_of(trend, year)
    return {"index": _num(row.get("index")), "predikat": str(row.get("predikat") or ""),
            "median": _num(row.get("peer_median")), "national": _num(row.get("national_index"))}


def figures_table(comp: Comparison, trend: pd.DataFrame, group: str,
                  lang: str = "id") -> list[list[str]]:
    """The key-figures table as text: header, then index, predikat, group median and
    national index for this year, the last earlier year with a value for the focal, and the
    change ("–" where a value is missing; the previous-year header is starred when the
    framework changed between the two years)."""
    before_year = last_year(trend, comp.year)
    now, before = _figures_row(comp, trend), _before_row(trend, before_year)
    f = lambda v: fmt_num(v, lang=lang)  # noqa: E731
    if before_year is None:
        head = label("docx_col_no_last_year", lang)
    else:
        head = text("docx_col_last_year", lang, year=before_year)
        head += "*" if registry.series_break(before_year, comp.year) else ""
    name = comp.focal.name
    return [
        [label("docx_col_item", lang), text("docx_col_this_year", lang, year=comp.year), head,
         label("docx_col_change", lang)],
        [text("docx_row_index", lang, name=name), f(now["index"]), f(before["index"]),
         _change(before["index"], now["index"], lang)],
        [text("docx_row_predikat", lang, name=name), now["predikat"] or f(None),
         before["predikat"] or f(None), _predikat_change(before["predikat"], now["predikat"],
                                                         lang)],
        [text("docx_row_median", lang, group=group), f(now["median"]), f(before["median"]),
         _change(before["median"], now["median"], lang)],
        [label("docx_row_national", lang), f(now["national"]), f(before["national"]),
         _change(before["national"], now["national"], lang)],
    ]


def _table_notes(comp: Comparison, trend: pd.DataFrame, lang: str) -> list[str]:
    """Which year 'previous' is, a framework change between the years, the median rule."""
    before = last_year(trend, comp.year)
    notes = []
    if before is None:
        notes.append(text("docx_note_no_last_year", lang, name=comp.focal.name, year=comp.year))
    elif ((trend["year"] > before) & (trend["year"] < comp.year)).any():
        notes.append(text("docx_note_gap_years", lang, name=comp.focal.name, year=comp.year))
    if before is not None and registry.series_break(before, comp.year):
        short = lambda y: registry.framework(registry.evaluation(y).framework).short  # noqa: E731
        notes.append(text("docx_note_break", lang, before=short(before), after=short(comp.year)))
    counts = [text("trend_n_of", lang, n=int(r["n_peers_valued"]), total=int(r["n_group"]))
              for r in (_row_of(trend, y) for y in (comp.year, before) if y is not None) if r]
    years = [y for y in (comp.year, before) if y is not None and _row_of(trend, y)]
    if counts:
        notes.append(text("docx_note_median", lang, min=MIN_MEDIAN_PEERS,
                          counts="; ".join(f"{y}: {c}" for y, c in zip(years, counts))))
    return notes


def _plan_rows(view: target.TargetView, lang: str) -> list[list[str]]:
    """Header + the largest raises of the plan: indicator, name, level now → target, gain."""
    raises = view.plan.raises.sort_values(["gain", "indicator"], ascending=[False, True])
    head = [label(f"columns.{c}", lang) for c in ("indicator", "name", "level", "gain")]
    body = [[f"I{int(r.indicator)}", str(r.name), f"{int(r.from_level)} → {int(r.to_level)}",
             fmt_num(r.gain, 3, lang=lang, signed=True)]
            for r in raises.head(_PLAN_ROWS).itertuples()]
    return [head] + body


def _plan_section(doc, view: target.TargetView, lang: str) -> None:
    """Heading, the target view's sentence, and the plan's largest raises."""
    p = view.plan
    goal = (p.target_predikat if p is not None and p.target_predikat else
            str(view.summary.get("target", "")))
    synthetic = f" ({label('synthetic', lang)})" if view.summary.get("lhe_synthetic") else ""
    doc.add_paragraph(text("docx_heading_plan", lang, target=goal) + synthetic,
                      style=STYLES["heading"])
    doc.add_paragraph(view.headline, style=STYLES["body"])
    if p is None or p.raises.empty:
        return
    width = _text_width(doc) / Cm(1)
    _table(doc, _plan_rows(view, lang), [False, False, True, True],
           [0.12 * width, 0.56 * width, 0.16 * width, 0.16 * width])
    if len(p.raises) > _PLAN_ROWS:
        doc.add_paragraph(text("docx_plan_more", lang, n=len(p.raises) - _PLAN_ROWS),
                          style=STYLES["note"])


def _source_lines(comp: Comparison, sources: Sequence[str], lang: str) -> list[str]:
    """The comparison's source note (synthetic said there), its decree and row sources, then
    the caller's lines; each once, in order."""
    note = source_note(pd.DataFrame({"year": [comp.year], "synthetic": [comp.synthetic]}), lang)
    valued = comp.table[comp.table["has_value"]]
    invented = len(valued) > 0 and bool(valued["synthetic"].all())
    decree = registry.evaluation(comp.year).decree
    out: list[str] = []
    for line in [note, *comp.sources, *sources]:
        if invented and line == decree:
            continue  # invented values have no decree to cite
        if line and line not in out:
            out.append(line)
    return out


def _figures(doc, comp: Comparison, images: dict[str, Path], group: str, suffix: str,
             lang: str) -> None:
    """The ranking chart and the map, when given, each captioned 'Gambar n. …'."""
    captions = {"01-ranking": text("title_ranking", lang, year=comp.year, group=group),
                "07-map": text("docx_caption_map", lang, year=comp.year)}
    n = 0
    for stem, caption in captions.items():
        if stem in images:
            n += 1
            _figure(doc, Path(images[stem]),
                    text("docx_figure", lang, n=n, caption=caption + suffix),
                    _MAX_FIGURE_CM[stem])


def _summary(doc, comp: Comparison, group: str, lang: str) -> None:
    """'Ringkasan': the headline sentence and the labelled points."""
    doc.add_paragraph(label("field_headline", lang), style=STYLES["heading"])
    doc.add_paragraph(headline(comp, lang), style=STYLES["body"])
    for name, sentence in _points(comp, group, lang):
        para = doc.add_paragraph(style=STYLES["bullet"])
        para.add_run(f"{name}: ", style=STYLES["strong"])
        para.add_run(sentence)


def _key_figures(doc, comp: Comparison, trend: pd.DataFrame, group: str, suffix: str,
                 lang: str) -> None:
    """'Angka utama': the key-figures table and its notes."""
    doc.add_paragraph(label("docx_table_heading", lang) + suffix, style=STYLES["heading"])
    width = _text_width(doc) / Cm(1)
    _table(doc, figures_table(comp, trend, group, lang), [False, True, True, True],
           [0.40 * width] + [0.20 * width] * 3)
    for note in _table_notes(comp, trend, lang):
        doc.add_paragraph(note, style=STYLES["note"])


def write_docx(path: Path, comp: Comparison, *, trend: pd.DataFrame,
               images: dict[str, Path], target_view: target.TargetView | None = None,
               sources: Sequence[str] = (), lang: str = "id",
               template: Path | None = None) -> Path:
    """Write ``briefing.docx`` (see the module docstring) and return its path.

    ``trend`` is :func:`trends.trend` for the comparison's group (columns year, index,
    predikat, framework, peer_median, n_peers_valued, n_group, national_index, synthetic,
    series_break); ``images`` maps chart stems ("01-ranking", "07-map", …) to PNG files;
    ``target_view`` the view toward the next predikat (None without LHE levels);
    ``sources`` extra source lines (LHE files …); ``template`` an office's ``.docx``.
    """
    trend = trend[trend["year"] <= comp.year].reset_index(drop=True)
    synthetic = _synthetic(comp, trend, target_view)
    suffix = f" ({label('synthetic', lang)})" if synthetic else ""
    group = describe_group(PeerGroup(comp.peers, comp.focal, pd.DataFrame()), lang)
    title = text("docx_title", lang, name=comp.focal.name, year=comp.year)
    doc = _new_document(template)
    if template is None:
        _footer(doc, title + suffix, lang)
    doc.add_paragraph(title + suffix, style=STYLES["title"])
    if synthetic:
        doc.add_paragraph(label("demo_warning", lang), style=STYLES["warning"])
    framework = registry.framework(comp.framework).name
    doc.add_paragraph(text("docx_meta", lang, group=group, framework=framework),
                      style=STYLES["note"])
    _summary(doc, comp, group, lang)
    # the table and charts show results; only results that are examples make them "contoh"
    results_suffix = suffix if _synthetic(comp, trend, None) else ""
    _key_figures(doc, comp, trend, group, results_suffix, lang)
    _figures(doc, comp, images, group, results_suffix, lang)
    if target_view is not None:
        _plan_section(doc, target_view, lang)
    doc.add_paragraph(label("slide_sources", lang), style=STYLES["heading"])
    for line in _source_lines(comp, sources, lang):
        doc.add_paragraph(line, style=STYLES["source"])
    return _save(doc, path, title + suffix, lang)
