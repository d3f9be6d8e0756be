"""How tables and charts look in a notebook (JupyterLab, executed notebooks, HTML exports).

The last step of the flow for notebooks, beside :mod:`spbe_tools.brief` for the pack.

* :func:`setup_notebook` makes every :class:`matplotlib.figure.Figure` a cell returns
  display as a PNG image. The charts are built without pyplot (so no inline backend
  is active), and without this a chart cell shows only ``<Figure size …>`` and the
  HTML export carries no picture.
* :func:`table` turns a tidy table into what an analyst would print: headers in
  Indonesian (``data/labels.yaml``, ``columns``), no index, decimal comma, empty cells
  for missing values (never ``NaN``/``<NA>``), ``ya`` for true, sources never cut off.

>>> fmt_cell(2.61), fmt_cell(0.0275), fmt_cell(float("nan")), fmt_cell(True), fmt_cell(7)
('2,61', '0,0275', '', 'ya', '7')
>>> fmt_cell(1.5, lang="en")
'1.50'
"""
from __future__ import annotations

import hashlib
import io
import math
from collections.abc import Iterable, Sequence

import pandas as pd
from matplotlib.figure import Figure

from spbe_tools.wording import label, labels

__all__ = ["figure_png", "fmt_cell", "header", "register_figure_display", "setup_notebook",
           "table"]

FIGURE_DPI = 110  # on screen and in the HTML export; the pack's files use charts.save_figure
_MAX_DECIMALS = 4  # gains such as 0,0275 must not round away to 0,03


def figure_png(fig: Figure, dpi: int = FIGURE_DPI) -> bytes:
    """The figure as PNG bytes, cropped to its drawn area (no PNG time stamp)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight",
                metadata={"Software": None})
    return buf.getvalue()


def register_figure_display(display_formatter) -> None:
    """Make ``display_formatter`` (an IPython ``DisplayFormatter``) render Figures as PNG."""
    display_formatter.formatters["image/png"].for_type(Figure, figure_png)


def setup_notebook() -> bool:
    """Display figures returned by a cell (or passed to ``display``) as PNG images.

    Returns False outside IPython (plain ``python``), where there is nothing to set.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return False
    shell = get_ipython()
    if shell is None:
        return False
    register_figure_display(shell.display_formatter)
    return True


def header(column: str, lang: str = "id") -> str:
    """The column's header for people (``index`` -> ``Indeks``); unknown names as given."""
    entry = labels()["columns"].get(column)
    return entry[lang] if entry else column


def fmt_cell(value: object, lang: str = "id") -> str:
    """One cell as text: decimal comma (id), 2–4 decimals, '' for missing, 'ya' for true."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool):
        return label("word_yes", lang) if value else ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        out = f"{round(value, _MAX_DECIMALS) + 0.0:.{_MAX_DECIMALS}f}".rstrip("0")
        whole, _, frac = out.partition(".")
        out = f"{whole}.{frac.ljust(2, '0')}"
        return out.replace(".", ",") if lang == "id" else out
    if hasattr(value, "item"):  # numpy scalars
        return fmt_cell(value.item(), lang)
    return str(value)


def _translated_values(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Direction codes in words (``up`` -> ``naik``); other columns unchanged."""
    out = df.copy()
    if "direction" in out.columns:
        words = {code: entry[lang] for code, entry in labels()["direction_names"].items()}
        out["direction"] = out["direction"].map(
            lambda v: words.get(v, v) if isinstance(v, str) else v)
    return out


def _numeric_columns(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns
            if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])]


def table(df: pd.DataFrame, lang: str = "id", *, columns: Sequence[str] | None = None,
          bold_rows: Iterable[bool] | pd.Series | None = None):
    """A pandas Styler of ``df`` as an analyst prints it.

    ``columns`` picks and orders columns (default: all); ``bold_rows`` marks rows to
    set in bold (e.g. the focal instansi), aligned with ``df``'s rows. Every row is
    shown (no truncation). The Styler's id is derived from the content, so an
    executed notebook is the same for the same tables.
    """
    shown = _translated_values(df.reset_index(drop=True), lang)
    if columns is not None:
        shown = shown[list(columns)]
    numeric = _numeric_columns(shown)
    uid = hashlib.sha1(shown.to_csv(index=False).encode("utf-8")).hexdigest()[:12]
    styler = (shown.style.set_uuid(uid)
              .format(lambda v: fmt_cell(v, lang), na_rep="")
              .hide(axis="index")
              .relabel_index([header(c, lang) for c in shown.columns], axis="columns")
              .set_table_styles([
                  {"selector": "th", "props": "text-align: left; vertical-align: bottom;"},
                  # break only words longer than the cell (URLs), never codes or names
                  {"selector": "td", "props": "vertical-align: top; white-space: normal; "
                                               "overflow-wrap: break-word;"},
              ]))
    # per-cell alignment: Jupyter's own CSS right-aligns every cell
    text_columns = [c for c in shown.columns if c not in numeric]
    if text_columns:
        styler = styler.set_properties(subset=text_columns, **{"text-align": "left"})
    if numeric:
        styler = styler.set_properties(subset=numeric, **{"text-align": "right"})
    if bold_rows is not None:
        marks = list(bold_rows)
        styler = styler.apply(lambda row: ["font-weight: bold" if marks[row.name] else ""]
                              * len(row), axis=1)
    return styler
