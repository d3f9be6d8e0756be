"""Synthetic decree-annex PDFs for the extract tests and benchmark, with their truth.

Every number here is generated (seeded), never a published figure: the PDFs exist only in
temporary folders. :func:`annex_entries` draws rows from the package's reference tables
(canonical names of kementerian/lembaga, provinsi, kabupaten, kota), :func:`write_text_pdf`
draws them as a KepmenPANRB annex with reportlab (title block, ruled table, header repeated
on every page, section rows, page numbers, Keterangan and a signature block), and
:func:`scan_pdf` rasterises that PDF like a scanner would (150–200 dpi, a small rotation,
noise, blur, JPEG), leaving no text layer.
"""
from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path

SECTION_TITLES = {"kementerian": "A. KEMENTERIAN", "lembaga": "B. LEMBAGA",
                  "provinsi": "C. PEMERINTAH PROVINSI", "kabupaten": "D. PEMERINTAH KABUPATEN",
                  "kota": "E. PEMERINTAH KOTA"}
PAGE_W, PAGE_H = 595.0, 842.0  # A4 in points
COLS = (40.0, 75.0, 395.0, 465.0, 555.0)  # No | Nama Instansi | Indeks | Predikat
ROW_H, HEAD_H = 16.0, 20.0
TOP, BOTTOM = 790.0, 70.0


@dataclass(frozen=True)
class Entry:
    """One generated annex row: ``no`` restarts at 1 in every section."""

    category: str
    no: int
    name: str
    index: float  # two decimals
    predikat: str  # as printed (mixed case on purpose)


def _band(index: float) -> str:
    from spbe_tools import registry
    return registry.band_for(index, "spbe-59-2020")


def _printed(predikat: str, rng: random.Random) -> str:
    return rng.choice([predikat, predikat.upper(), predikat.title()])


#: Agency rows an annex draws (the first ones of agencies.csv valid in the year): the page
#: breaks the extract tests were written against, kept as agencies.csv grew to the reports' 92.
ANNEX_AGENCIES = {"kementerian": 14, "lembaga": 6}


def _names(category: str, year: int) -> list[str]:
    from spbe_tools.identity import load_agencies, load_regions
    if category in {"kementerian", "lembaga"}:
        a = load_agencies()
        a = a[a["category"] == category]
        ok = [(not f or f[:4] <= str(year)) and (not t or t[:4] > str(year))
              for f, t in zip(a["valid_from"], a["valid_to"])]
        return list(a[ok]["name"])[:ANNEX_AGENCIES[category]]
    r = load_regions()
    r = r[(r["type"] == category) & (r["autonomous"] == "1")]
    return [f"Provinsi {n}" for n in r["name"]] if category == "provinsi" else list(r["name"])


def annex_entries(*, year: int = 2023, per_section: int | None = None,
                  seed: int = 7) -> list[Entry]:
    """Rows for every section in annex order; ``per_section`` keeps the first n of each
    (None = all: the full national annex, about 570 rows)."""
    rng = random.Random(seed)
    out: list[Entry] = []
    for category in SECTION_TITLES:
        names = _names(category, year)[:per_section]
        for no, name in enumerate(names, start=1):
            index = round(rng.uniform(1.2, 4.6), 2)
            out.append(Entry(category, no, name, index, _printed(_band(index), rng)))
    return out


def _fmt(index: float) -> str:
    return f"{index:.2f}".replace(".", ",")


class _Writer:
    """Draws the annex page by page on a reportlab canvas."""

    def __init__(self, path: Path, font: str, rules: bool):
        from reportlab.pdfgen import canvas
        self.c = canvas.Canvas(str(path), pagesize=(PAGE_W, PAGE_H), invariant=1)
        self.font, self.bold, self.rules = font, _bold(font), rules
        self.page, self.y = 0, TOP

    def new_page(self, title: list[str] | None = None) -> None:
        if self.page:
            self._page_number()
            self.c.showPage()
        self.page += 1
        self.y = TOP
        for line in title or []:
            self.c.setFont(self.bold, 10)
            self.c.drawCentredString(PAGE_W / 2, self.y, line)
            self.y -= 14
        self.y -= 8 if title else 0
        self._header()

    def _page_number(self) -> None:
        self.c.setFont(self.font, 9)
        self.c.drawCentredString(PAGE_W / 2, 36, f"- {self.page} -")

    def _header(self) -> None:
        self._box(HEAD_H)
        self.c.setFont(self.bold, 9)
        for (x0, x1), label in zip(zip(COLS, COLS[1:]), ("No", "Nama Instansi", "Indeks",
                                                           "Predikat")):
            self.c.drawCentredString((x0 + x1) / 2, self.y - 13, label)
        self.y -= HEAD_H

    def _box(self, h: float, span: bool = False) -> None:
        if not self.rules:
            return
        self.c.setLineWidth(0.6)
        self.c.rect(COLS[0], self.y - h, COLS[-1] - COLS[0], h)
        for x in ([] if span else COLS[1:-1]):
            self.c.line(x, self.y, x, self.y - h)

    def room(self, h: float = ROW_H) -> bool:
        return self.y - h >= BOTTOM

    def section(self, text: str) -> None:
        self._box(ROW_H, span=True)
        self.c.setFont(self.bold, 9)
        self.c.drawString(COLS[0] + 4, self.y - 11.5, text)
        self.y -= ROW_H

    def row(self, e: Entry) -> None:
        self._box(ROW_H)
        self.c.setFont(self.font, 9)
        base = self.y - 11.5
        self.c.drawCentredString((COLS[0] + COLS[1]) / 2, base, str(e.no))
        self.c.drawString(COLS[1] + 4, base, e.name)
        self.c.drawCentredString((COLS[2] + COLS[3]) / 2, base, _fmt(e.index))
        self.c.drawString(COLS[3] + 4, base, e.predikat)
        self.y -= ROW_H

    def closing(self, decree_no: str, decree_year: int) -> None:
        lines = [(self.font, "Keterangan: predikat menurut Peraturan Menteri PANRB Nomor 59 "
                             "Tahun 2020."), ("", ""),
                 (self.font, "MENTERI PENDAYAGUNAAN APARATUR NEGARA"),
                 (self.font, "DAN REFORMASI BIROKRASI REPUBLIK INDONESIA,"), ("", ""),
                 (self.font, "ttd."), ("", ""), (self.bold, "NAMA PEJABAT (CONTOH)")]
        if self.y - 14 * len(lines) < BOTTOM - 30:
            self.new_page()
        self.y -= 14
        for i, (font, text) in enumerate(lines):
            if text:
                self.c.setFont(font, 9)
                x = COLS[0] if i == 0 else 330
                self.c.drawString(x, self.y, text)
            self.y -= 14
        self._page_number()
        self.c.save()


def _bold(font: str) -> str:
    return {"Times-Roman": "Times-Bold", "Helvetica": "Helvetica-Bold"}.get(font, font)


def title_lines(year: int, decree_no: str = "13", decree_year: int = 2024) -> list[str]:
    return ["LAMPIRAN",
            "KEPUTUSAN MENTERI PENDAYAGUNAAN APARATUR NEGARA DAN REFORMASI BIROKRASI",
            f"NOMOR {decree_no} TAHUN {decree_year}",
            "TENTANG HASIL EVALUASI SISTEM PEMERINTAHAN BERBASIS ELEKTRONIK",
            f"PADA INSTANSI PUSAT DAN PEMERINTAH DAERAH TAHUN {year}"]


def write_text_pdf(path: Path, entries: list[Entry], *, year: int = 2023,
                   font: str = "Helvetica", rules: bool = True, decree_no: str = "13",
                   decree_year: int = 2024) -> Path:
    """Draw ``entries`` as an annex PDF with a text layer; returns ``path``."""
    w = _Writer(Path(path), font, rules)
    w.new_page(title_lines(year, decree_no, decree_year))
    category = None
    for e in entries:
        need = ROW_H * (2 if e.category != category else 1)
        if not w.room(need):
            w.new_page()
        if e.category != category:
            w.section(SECTION_TITLES[e.category])
            category = e.category
        w.row(e)
    w.closing(decree_no, decree_year)
    return Path(path)


def scan_pdf(src: Path, dest: Path, *, dpi: int = 200, max_angle: float = 1.0,
             noise: float = 10.0, blur: float = 0.5, quality: int = 70, seed: int = 3) -> Path:
    """Rasterise every page of ``src`` like a scan (no text layer) into ``dest``.

    Each page is rendered at ``dpi``, rotated by a random angle in ±``max_angle`` degrees,
    blurred (Gaussian radius in px), given Gaussian noise (std in grey levels) and
    JPEG-compressed at ``quality``.
    """
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    pages = []
    pdf = pdfium.PdfDocument(str(src))
    try:
        for page in pdf:
            img = page.render(scale=dpi / 72).to_pil().convert("L")
            img = img.rotate(rng.uniform(-max_angle, max_angle), resample=Image.BICUBIC,
                             fillcolor=255)
            img = img.filter(ImageFilter.GaussianBlur(blur)) if blur else img
            arr = np.asarray(img, dtype=np.float32) + nrng.normal(0, noise, (img.height,
                                                                             img.width))
            img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
            buf = io.BytesIO()
            img.save(buf, "JPEG", quality=quality)
            pages.append(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))
    finally:
        pdf.close()
    pages[0].save(dest, "PDF", resolution=float(dpi), save_all=True, append_images=pages[1:])
    return Path(dest)
