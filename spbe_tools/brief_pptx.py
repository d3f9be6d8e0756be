"""``briefing.pptx``: the deck of the briefing pack, one design, text that always fits.

Slides are 16:9. Without a template every slide has a coloured title band (the
charts' peer blue), the takeaway under it, the chart, and a small footer; the first
slide carries the headline and, when any drawn data are synthetic, the demo warning.
With ``template`` (an office's own ``.pptx``) its masters, layouts, fonts and size are
used instead: titles go into the layout's title placeholder, our boxes fill the body.

Every text box is sized with :mod:`spbe_tools.text_fit`: the font shrinks (within
limits) until the text fits its box, so nothing runs off a slide.
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.util import Inches, Pt

from spbe_tools.office_files import FIXED_TIMESTAMP, stable_package
from spbe_tools.output_set import write_atomic
from spbe_tools.text_fit import fit_size

__all__ = ["Box", "DeckText", "write_deck"]

BAND = RGBColor(0x00, 0x72, 0xB2)  # charts.COLORS["peer"]
WARN = RGBColor(0xD5, 0x5E, 0x00)  # charts.COLORS["focal"]
GREY = RGBColor(0x44, 0x44, 0x44)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
_INSET_PT = 7.2 + 7.2  # python-pptx text frames: 0.1 in margin left + right
_INSET_V_PT = 3.6 + 3.6  # 0.05 in top + bottom


@dataclass
class Box:
    """A text box: position and size in inches, font size limits in points."""

    left: float
    top: float
    width: float
    height: float
    max_pt: int
    min_pt: int
    bold: bool = False
    color: RGBColor | None = None


@dataclass
class DeckText:
    """What the deck says: the title slide's texts, per chart slide, and the sources."""

    title: str
    headline: str
    warning: str  # "" when no drawn data are synthetic
    footer: str
    sources_title: str
    sources: list[str]


def _fill(frame, paragraphs: Sequence[str], box: Box) -> None:
    """Write the paragraphs into ``frame`` at the largest size that fits ``box``."""
    frame.word_wrap = True
    size = fit_size(paragraphs, box.width * 72 - _INSET_PT, box.height * 72 - _INSET_V_PT,
                    max_pt=box.max_pt, min_pt=box.min_pt, bold=box.bold)
    for i, line in enumerate(paragraphs):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.text = line
        for font in [para.font] + [run.font for run in para.runs]:
            font.size = Pt(size)
            font.bold = box.bold
            if box.color is not None:
                font.color.rgb = box.color


def _add_text(slide, paragraphs: Sequence[str], box: Box) -> None:
    shape = slide.shapes.add_textbox(Inches(box.left), Inches(box.top), Inches(box.width),
                                     Inches(box.height))
    _fill(shape.text_frame, paragraphs, box)


def _band(slide, width: float, height: float) -> None:
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, Inches(width), Inches(height))
    band.fill.solid()
    band.fill.fore_color.rgb = BAND
    band.line.fill.background()
    band.shadow.inherit = False


def _title(slide, text_: str, width: float, templated: bool) -> None:
    """The slide title: in the layout's title placeholder (template) or on the band."""
    if templated and slide.shapes.title is not None:
        ph = slide.shapes.title
        box = Box(ph.left / 914400, ph.top / 914400, ph.width / 914400, ph.height / 914400,
                  max_pt=28, min_pt=14, bold=True)
        ph.text_frame.text = ""
        _fill(ph.text_frame, [text_], box)
        return
    _band(slide, width, 1.0)
    _add_text(slide, [text_], Box(0.4, 0.08, width - 0.8, 0.84, 28, 14, True, WHITE))


def _layout(prs, templated: bool):
    """Layout for every slide: the template's 'Title Only' (or last), else the blank one."""
    if templated:
        by_name = {layout.name.lower(): layout for layout in prs.slide_layouts}
        return by_name.get("title only") or by_name.get("judul saja") or prs.slide_layouts[-1]
    return prs.slide_layouts[6]


def _clear_slides(prs) -> None:
    """Drop the slides a template file came with (keep its masters and layouts)."""
    id_list = prs.slides._sldIdLst  # python-pptx has no public slide delete
    for sld_id in list(id_list):
        prs.part.drop_rel(sld_id.rId)
        id_list.remove(sld_id)


def _picture(slide, image: Path, top: float, slide_width: float, height: float) -> None:
    """The chart, as large as fits ``height`` inches and the slide's width less margins,
    centred."""
    pic = slide.shapes.add_picture(str(image), 0, Inches(top), height=Inches(height))
    max_width = Inches(slide_width - 1.0)
    if pic.width > max_width:
        ratio = max_width / pic.width
        pic.width, pic.height = max_width, int(pic.height * ratio)
    pic.left = int((Inches(slide_width) - pic.width) / 2)


def write_deck(path: Path, words: DeckText, slides: Sequence[tuple[str, str, Path]], *,
               template: Path | None = None) -> Path:
    """Write the deck: title slide, one slide per (title, takeaway, image), sources."""
    templated = template is not None
    prs = Presentation(str(template)) if templated else Presentation()
    if templated:
        _clear_slides(prs)
    else:
        prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    w, h = prs.slide_width / 914400, prs.slide_height / 914400
    layout = _layout(prs, templated)
    first = prs.slides.add_slide(layout)
    _title(first, words.title, w, templated)
    _add_text(first, [words.headline], Box(0.5, 1.4, w - 1.0, 3.2, 26, 14))
    if words.warning:
        _add_text(first, [words.warning], Box(0.5, 4.8, w - 1.0, 0.9, 18, 11, True, WARN))
    _add_text(first, [words.footer], Box(0.5, h - 0.7, w - 1.0, 0.5, 12, 8, color=GREY))
    for title, takeaway, image in slides:
        slide = prs.slides.add_slide(layout)
        _title(slide, title, w, templated)
        _add_text(slide, [takeaway], Box(0.5, 1.1, w - 1.0, 0.95, 18, 11))
        _picture(slide, image, 2.1, w, h - 2.1 - 0.55)
        _add_text(slide, [words.footer], Box(0.5, h - 0.45, w - 1.0, 0.4, 10, 7, color=GREY))
    last = prs.slides.add_slide(layout)
    _title(last, words.sources_title, w, templated)
    _add_text(last, words.sources, Box(0.5, 1.2, w - 1.0, h - 1.5, 14, 7))
    return _save(prs, path)


def _save(prs, path: Path) -> Path:
    """Fixed document dates and zip times (the same deck gives the same bytes), written
    atomically."""
    props = prs.core_properties
    props.created = props.modified = props.last_printed = FIXED_TIMESTAMP
    props.revision = 1
    buf = io.BytesIO()
    prs.save(buf)
    return write_atomic(path, stable_package(buf.getvalue()))
