"""Open a decree-annex PDF safely and read each page as positioned words.

Two engines, chosen per page (:func:`read_page`):

* ``teks`` — the PDF's own text layer (pdfplumber): exact characters and boxes;
* ``ocr``  — pages without a usable text layer are rendered with pypdfium2 and read by
  rapidocr-onnxruntime, whose wheel ships its ONNX models (nothing is downloaded).

Coordinates are PDF points with the origin at the top-left of the page (x right, y down),
the convention of pdfplumber. OCR boxes are de-skewed (:func:`deskew`) so a scan rotated by
up to a degree or two still yields horizontal rows.

OCR cost (``python -m benchmarks extract``, 14-page national annex scanned at
200 dpi, 2 cores): 2.2-2.8 s per page (4.2-4.5 CPU s), peak RSS about 1 GB; recognition is
about three quarters of the CPU time and text-line detection a sixth. Recognition costs in
proportion to the width of its input (crops scaled to 48 px high), so crops are not padded
beyond their batch's widest one (:data:`REC_MIN_WIDTH_PX`); the recogniser's height stays
at 48 px (at 40 px it misreads names). Two pages are read at once (:data:`OCR_WORKERS`).
rapidocr's angle classifier is not run: annex pages are upright.
"""
from __future__ import annotations

import math
import os
import queue
import re
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from spbe_tools.extract.errors import PdfError

__all__ = ["Word", "Page", "MAX_PAGES", "MAX_BYTES", "OCR_DPI", "check_pdf", "page_range",
           "read_page", "read_pages", "render_page", "deskew", "missing_dependencies",
           "ocr_engine", "OCR_WORKERS"]

MAX_PAGES = 200  # pages read per run; a decree annex has 15-25 (see docs/architecture.md)
MAX_BYTES = 300 * 1024 * 1024  # 300 MB
OCR_DPI = 200  # render resolution for OCR (px per inch)
DET_SCALE = 0.5  # text lines are detected at OCR_DPI * DET_SCALE (100 dpi)
MIN_TEXT_WORDS = 8  # fewer text-layer words than this: the page is treated as scanned
# Recognition input: crops are scaled to REC_HEIGHT_PX high and a batch is padded to its
# widest crop, but never narrower than REC_MIN_WIDTH_PX. rapidocr's default minimum (320 px)
# padded the many short cells of an annex (No, Indeks, Predikat: 1-5 characters, 48-220 px)
# to 320 px, so about two thirds of the recogniser's work was padding (measured profile).
REC_HEIGHT_PX = 48  # the height the PP-OCRv4 recogniser was trained at
REC_MIN_WIDTH_PX = 96  # 48 px saves ~8% more but read one "2,37" as "2.37", less sure
REC_BATCH = 6  # crops per recogniser call, sorted by width (12 or 24 cost more per column)


@dataclass(frozen=True)
class Word:
    """One piece of text on a page: a word (text layer) or a text line (OCR).

    ``x0, top, x1, bottom`` in points from the top-left corner; ``conf`` the engine's
    confidence 0-1 (1.0 for the text layer).
    """

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    conf: float = 1.0

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Page:
    """Words of one page (1-based ``number``), the engine that read them, the x positions
    of vertical ruling lines (points) and the page size (points)."""

    number: int
    engine: str  # teks | ocr
    words: list[Word]
    width: float
    height: float
    vrules: list[float] = field(default_factory=list)
    skew_deg: float = 0.0


def missing_dependencies(ocr: bool = True) -> list[str]:
    """Names of the ``.[pdf]`` extra's packages that cannot be imported."""
    import importlib.util
    mods = {"pypdfium2": "pypdfium2", "pdfplumber": "pdfplumber"}
    if ocr:
        mods["rapidocr_onnxruntime"] = "rapidocr-onnxruntime"
    return [pkg for mod, pkg in mods.items() if importlib.util.find_spec(mod) is None]


def _sniff(path: Path) -> None:
    """PdfError unless ``path`` starts like a PDF and ends with the %%EOF marker."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise PdfError(f"the file is {size / 2**20:.0f} MB, above the {MAX_BYTES // 2**20} MB "
                       "limit for a decree annex", file=str(path))
    with open(path, "rb") as fh:
        head = fh.read(1024)
        fh.seek(max(0, size - 2048))
        tail = fh.read()
    if b"%PDF-" not in head:
        raise PdfError("not a PDF file", file=str(path), expected="a file starting with %PDF-",
                       found=repr(head[:16]))
    if b"%%EOF" not in tail:
        raise PdfError("the PDF is truncated (no %%EOF end marker); download it again",
                       file=str(path), expected="a complete PDF", found=f"{size} bytes ending "
                       f"without %%EOF")


def check_pdf(path: Path) -> int:
    """Open ``path`` with pypdfium2 and return its page count; PdfError for a file that is
    not a PDF, truncated, encrypted (password) or damaged."""
    import pypdfium2 as pdfium

    _sniff(path)
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        text = str(exc)
        if "password" in text.lower():
            raise PdfError("the PDF is encrypted (needs a password); save an unprotected copy "
                           "first", file=str(path)) from None
        raise PdfError(f"the PDF cannot be opened ({text})", file=str(path)) from None
    try:
        return len(pdf)
    finally:
        pdf.close()


_RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")


def page_range(spec: str | None, n_pages: int, file: str) -> list[int]:
    """1-based page numbers to read from ``--pages`` ("3-20", "5", None = all).

    PdfError when the range is malformed, outside the PDF, or longer than MAX_PAGES.
    """
    if spec is None:
        pages = list(range(1, n_pages + 1))
    else:
        m = _RANGE.match(spec)
        if not m:
            raise PdfError("--pages must be a page or a range such as 3-20", file=file,
                           found=repr(spec))
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        if not 1 <= first <= last <= n_pages:
            raise PdfError(f"--pages {spec} is outside the PDF", file=file,
                           expected=f"pages within 1-{n_pages}", found=spec)
        pages = list(range(first, last + 1))
    if len(pages) > MAX_PAGES:
        raise PdfError(f"{len(pages)} pages to read, above the limit of {MAX_PAGES} pages per "
                       "run (a decree annex has 15-25); choose the annex pages with --pages",
                       file=file, expected=f"at most {MAX_PAGES} pages", found=str(len(pages)))
    return pages


def _text_words(plumber_page) -> list[Word]:
    words = plumber_page.extract_words(keep_blank_chars=False, use_text_flow=False)
    return [Word(w["text"], float(w["x0"]), float(w["top"]), float(w["x1"]),
                 float(w["bottom"])) for w in words if w["text"].strip() and w.get("upright", True)]


def _vertical_rules(plumber_page) -> list[float]:
    """x positions (points, rounded to 0.5) of vertical lines at least 12 pt long."""
    xs = {round(float(e["x0"]) * 2) / 2 for e in plumber_page.edges
          if e["orientation"] == "v" and float(e["bottom"]) - float(e["top"]) >= 12}
    return sorted(xs)


def render_page(pdf, number: int, dpi: int = OCR_DPI):
    """Page ``number`` (1-based) of an open pypdfium2 document as a greyscale PIL image."""
    return pdf[number - 1].render(scale=dpi / 72).to_pil().convert("L")


def deskew(words: list[Word], angle_deg: float, width: float, height: float) -> list[Word]:
    """Words rotated by ``-angle_deg`` about the page centre (boxes keep their size)."""
    if not angle_deg:
        return words
    a = math.radians(-angle_deg)
    cx, cy = width / 2, height / 2
    out = []
    for w in words:
        dx, dy = w.xc - cx, w.yc - cy
        nx = cx + dx * math.cos(a) - dy * math.sin(a)
        ny = cy + dx * math.sin(a) + dy * math.cos(a)
        hw, hh = (w.x1 - w.x0) / 2, (w.bottom - w.top) / 2
        out.append(replace(w, x0=nx - hw, x1=nx + hw, top=ny - hh, bottom=ny + hh))
    return out


def _skew(quads: list) -> float:
    """Median angle in degrees of the top edges of OCR boxes wider than 3x their height
    (image coordinates, y down: positive when a line's right end sits lower)."""
    angles = []
    for q in quads:
        (x0, y0), (x1, y1) = q[0], q[1]
        height = abs(q[3][1] - q[0][1]) or 1.0
        if x1 - x0 > 3 * height:
            angles.append(math.degrees(math.atan2(y1 - y0, x1 - x0)))
    if not angles:
        return 0.0
    angles.sort()
    return angles[len(angles) // 2]


# Scanned pages are read OCR_WORKERS at a time, each by an engine whose ONNX sessions run
# on one thread. Measured on 2 cores: as fast as one page on two ONNX threads
# when the machine is idle, about twice as fast when another process keeps a core busy
# (two threads splitting each operator wait for each other; two pages do not).
OCR_WORKERS = min(2, os.cpu_count() or 1)
PAGES_AHEAD = 2 * OCR_WORKERS  # rendered pages queued, so a worker never waits for one
_IDLE_ENGINES: queue.SimpleQueue = queue.SimpleQueue()


def _new_engine():
    """A RapidOCR engine with single-threaded ONNX sessions (loads the packaged models)."""
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR(print_verbose=False, use_cls=False, rec_batch_num=REC_BATCH,
                    rec_img_shape=[3, REC_HEIGHT_PX, REC_MIN_WIDTH_PX],
                    intra_op_num_threads=1, inter_op_num_threads=1)


@contextmanager
def ocr_engine() -> Iterator:
    """Borrow a RapidOCR engine for one thread's use; engines are kept for the process
    (at most one per thread that ever used one at the same time, i.e. OCR_WORKERS).

    Only its detector (``text_det``) and recogniser (``text_rec``) are called.
    """
    try:
        engine = _IDLE_ENGINES.get_nowait()
    except queue.Empty:
        engine = _new_engine()
    try:
        yield engine
    finally:
        _IDLE_ENGINES.put(engine)


def ocr_words(image, dpi: int = OCR_DPI) -> tuple[list[Word], float]:
    """OCR a page image rendered at ``dpi``: (text-line boxes in points, skew in degrees).

    Text lines are *detected* on the image scaled by :data:`DET_SCALE` (fast; 9 pt text is
    still 12 px high) and *recognised* on crops of the full-resolution image.
    """
    import numpy as np
    from PIL import Image

    rgb = image.convert("RGB")
    full = np.asarray(rgb)
    size = (round(rgb.width * DET_SCALE), round(rgb.height * DET_SCALE))
    small = np.asarray(rgb.resize(size, Image.BOX))
    with ocr_engine() as engine:
        boxes, _ = engine.text_det(small)
        if boxes is None or len(boxes) == 0:
            return [], 0.0
        quads = np.asarray(boxes, dtype=np.float32) / DET_SCALE
        texts, _ = engine.text_rec(engine.get_crop_img_list(full, quads))
        texts = _second_reading(engine, full, quads,
                                [(str(t[0]), float(t[1])) for t in texts])
    k = 72 / dpi
    words = []
    for quad, (text, score) in zip(quads, texts):
        text = text.strip()
        if text:
            xs, ys = quad[:, 0], quad[:, 1]
            words.append(Word(text, float(xs.min()) * k, float(ys.min()) * k,
                              float(xs.max()) * k, float(ys.max()) * k, score))
    return words, _skew(quads.tolist())


_NUMBER_TEXT = re.compile(r"^\s*[\dOo]\s*[,.]\s*[\dOo]{1,3}\s*$")
SECOND_READ_BELOW = 0.9  # numbers read with less confidence are read again (padded crop)
PAD_PX = 4  # padding of the second reading's crop, px at OCR_DPI


def _second_reading(engine, full, quads, texts: list[tuple[str, float]]
                    ) -> list[tuple[str, float]]:
    """Read doubtful numbers again from a slightly larger crop. Two equal readings keep the
    higher confidence; different readings keep the first text with the lower confidence
    (so the checks flag it)."""
    import numpy as np

    todo = [i for i, (t, c) in enumerate(texts) if c < SECOND_READ_BELOW and _NUMBER_TEXT.match(t)]
    if not todo:
        return texts
    pad = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], dtype=np.float32) * PAD_PX
    again, _ = engine.text_rec(engine.get_crop_img_list(full, quads[todo] + pad))
    out = list(texts)
    for i, (text, conf) in zip(todo, again):
        same = re.sub(r"\s", "", str(text)) == re.sub(r"\s", "", out[i][0])
        out[i] = (out[i][0], max(out[i][1], float(conf)) if same else min(out[i][1], float(conf)))
    return out


def _text_page(plumber_pdf, number: int, force_ocr: bool) -> Page | None:
    """Page ``number`` from its text layer; None when it has too few words (a scan)."""
    pp = plumber_pdf.pages[number - 1]
    words = [] if force_ocr else _text_words(pp)
    if len(words) < MIN_TEXT_WORDS:
        return None
    return Page(number, "teks", words, float(pp.width), float(pp.height), _vertical_rules(pp))


def _ocr_page(image, number: int, width: float, height: float) -> Page:
    """Page ``number`` (``width`` x ``height`` points) read by OCR from its rendered image."""
    words, angle = ocr_words(image)
    return Page(number, "ocr", deskew(words, angle, width, height), width, height, [],
                round(angle, 3))


def read_page(plumber_pdf, pdfium_pdf, number: int, *, force_ocr: bool = False) -> Page:
    """Words of page ``number`` from its text layer, or by OCR when it has none."""
    page = _text_page(plumber_pdf, number, force_ocr)
    if page is not None:
        return page
    pp = plumber_pdf.pages[number - 1]
    return _ocr_page(render_page(pdfium_pdf, number), number, float(pp.width),
                     float(pp.height))


def _start(pool: ThreadPoolExecutor, plumber_pdf, pdfium_pdf, number: int,
           force_ocr: bool) -> Future:
    """A future of page ``number``: done at once for a text page; a scan is rendered here
    (pdfium and pdfplumber are not thread-safe) and read by OCR in ``pool``. An error is
    kept in the future, so it is raised for the page it belongs to."""
    try:
        page = _text_page(plumber_pdf, number, force_ocr)
        if page is None:
            pp = plumber_pdf.pages[number - 1]
            return pool.submit(_ocr_page, render_page(pdfium_pdf, number), number,
                               float(pp.width), float(pp.height))
        done: Future = Future()
        done.set_result(page)
    except Exception as exc:  # noqa: BLE001 - re-raised by .result() for this page
        done = Future()
        done.set_exception(exc)
    return done


def read_pages(plumber_pdf, pdfium_pdf, numbers: list[int], *, force_ocr: bool = False
               ) -> Iterator[Page]:
    """:func:`read_page` of each of ``numbers``, yielded in order, scanned pages read
    :data:`OCR_WORKERS` at a time; at most :data:`PAGES_AHEAD` pages (a rendered image of
    ~4 MB each) wait ahead of the one yielded."""
    pool = ThreadPoolExecutor(OCR_WORKERS, thread_name_prefix="spbe-ocr")
    ahead: deque[Future] = deque()
    todo = iter(numbers)
    try:
        for number in todo:
            ahead.append(_start(pool, plumber_pdf, pdfium_pdf, number, force_ocr))
            if len(ahead) > PAGES_AHEAD:
                yield ahead.popleft().result()
        while ahead:
            yield ahead.popleft().result()
    finally:  # the caller stopped early (an error): drop what has not started
        pool.shutdown(wait=True, cancel_futures=True)
