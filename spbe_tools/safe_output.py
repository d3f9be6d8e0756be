"""Keep spreadsheet programs from evaluating text we write (CSV/XLSX injection).

A text cell that begins with ``=``, ``+``, ``-``, ``@``, tab or carriage return is
read by Excel as a formula. Such text gets a leading apostrophe, the usual
neutraliser, so it shows as text and is never evaluated. Numbers are untouched.

>>> neutralise("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> neutralise("Kota Bengkulu"), neutralise(2.61)
('Kota Bengkulu', 2.61)
"""
from __future__ import annotations

import re
from typing import Any

import pandas as pd

__all__ = ["looks_like_formula", "neutralise", "neutralise_frame", "safe_slug"]

_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: Any) -> bool:
    """True for text a spreadsheet program would evaluate (starts with = + - @ tab CR)."""
    return isinstance(value, str) and value.startswith(_DANGEROUS_START)


def neutralise(value: Any) -> Any:
    """``value`` with a leading apostrophe if it is text Excel would evaluate (for CSV;
    in XLSX the brief sets Excel's quote-prefix flag instead, keeping the text as is)."""
    if looks_like_formula(value):
        return "'" + value
    return value


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell neutralised (same shape and columns)."""
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_string_dtype(out[col]) or out[col].dtype == object:
            # the per-cell check runs on the distinct values only: a column repeats a few
            # file names, sheets, decrees and predikat thousands of times
            uniques = pd.unique(out[col])
            risky = {v: neutralise(v) for v in uniques if looks_like_formula(v)}
            if risky:
                out[col] = out[col].map(lambda v, risky=risky: risky.get(v, v))
    return out


def safe_slug(text: str, *, fallback: str = "region") -> str:
    """An ASCII file-name slug that cannot leave its folder: ``"../../x"`` -> ``"x"``.

    >>> safe_slug("Kota Bengkulu"), safe_slug("../../etc/passwd")
    ('kota-bengkulu', 'etc-passwd')
    """
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:80] or fallback
