"""Will this text fit in this box? Wrapping measured with a real font, for slides and pages.

Office programs lay text out themselves, so a writer of PPTX/DOCX cannot ask them
how much room a sentence takes. We measure with DejaVu Sans, which ships inside
matplotlib (nothing to download) and is wider than the usual office fonts (Calibri,
Arial), so text that fits by this measure fits on the analyst's screen too.

>>> lines = wrap("Kota Bengkulu meraih indeks 2,61 (Baik) pada 2023", 200, 14)
>>> len(lines) > 1 and " ".join(lines) == "Kota Bengkulu meraih indeks 2,61 (Baik) pada 2023"
True
>>> fit_size(["pendek"], 300, 40, max_pt=28, min_pt=10)
28
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

from matplotlib import font_manager
from PIL import ImageFont

__all__ = ["LINE_SPACING", "fit_size", "fits", "text_height", "wrap"]

LINE_SPACING = 1.2  # line height as a multiple of the font size (office default ~1.2)


@cache
def _font(size_pt: float, bold: bool) -> ImageFont.FreeTypeFont:
    props = font_manager.FontProperties(family="DejaVu Sans",
                                        weight="bold" if bold else "normal")
    path = Path(font_manager.findfont(props, fallback_to_default=True))
    # 10x the size: PIL measures in whole pixels, so a large scale keeps the rounding small
    return ImageFont.truetype(str(path), size=max(1, round(size_pt * 10)))


def _width(text: str, size_pt: float, bold: bool) -> float:
    """Width of ``text`` in points."""
    return _font(size_pt, bold).getlength(text) / 10


def wrap(text: str, width_pt: float, size_pt: float, *, bold: bool = False) -> list[str]:
    """Greedy word wrap of one paragraph into lines no wider than ``width_pt``.

    A word longer than the line (a URL) is broken where it reaches the edge, as
    office programs do.
    """
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if _width(candidate, size_pt, bold) <= width_pt:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while _width(current, size_pt, bold) > width_pt and len(current) > 1:
            cut = len(current) - 1
            while cut > 1 and _width(current[:cut], size_pt, bold) > width_pt:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current or not lines:
        lines.append(current)
    return lines


def text_height(paragraphs: Sequence[str], width_pt: float, size_pt: float, *,
                bold: bool = False) -> float:
    """Height in points of the wrapped paragraphs at ``size_pt``."""
    n_lines = sum(len(wrap(p, width_pt, size_pt, bold=bold)) for p in paragraphs)
    return n_lines * size_pt * LINE_SPACING


def fits(paragraphs: Sequence[str], width_pt: float, height_pt: float, size_pt: float, *,
         bold: bool = False) -> bool:
    """True when the paragraphs, wrapped to ``width_pt``, are no taller than ``height_pt``."""
    return text_height(paragraphs, width_pt, size_pt, bold=bold) <= height_pt


def fit_size(paragraphs: Sequence[str], width_pt: float, height_pt: float, *, max_pt: int,
             min_pt: int, bold: bool = False) -> int:
    """The largest whole point size from ``max_pt`` down to ``min_pt`` at which the text
    fits; ``min_pt`` when none does (the caller shortens the text, see the tests)."""
    for size in range(max_pt, min_pt - 1, -1):
        if fits(paragraphs, width_pt, height_pt, size, bold=bold):
            return size
    return min_pt
