"""The briefing pack's workbook, ``ringkasan.xlsx``: one print-ready sheet per table (the
summary, the peer ranking, the change from the previous year, the trend, domain and
indicator scores, the plan, the sources), Indonesian headers, numbers as numbers, each
table ending with its source note; text that starts like a formula is stored as text.

Every number comes from the comparison steps (:mod:`spbe_tools.compare`,
:mod:`spbe_tools.trends`); :mod:`spbe_tools.brief` decides what goes in the pack.
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from spbe_tools.compare import Comparison, headline, source_note
from spbe_tools.office_files import save_workbook
from spbe_tools.peers import PeerGroup, describe_group
from spbe_tools.safe_output import looks_like_formula
from spbe_tools.show import header
from spbe_tools.trends import changes_into, score_gaps, score_matrix
from spbe_tools.wording import label, text

__all__ = ["write_workbook"]

_RANK_COLUMNS = ["rank_label", "instansi_code", "instansi", "category", "province", "index",
                 "predikat", "tied", "synthetic", "sumber"]


def _cell_value(value: object, lang: str) -> object:
    """Value for a cell: NaN/NA -> empty, booleans -> "ya"/empty, numpy scalars -> Python."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, bool):
        return label("word_yes", lang) if value else None
    return value


# Numbers print with 2 decimals, and up to 4 where a plan's gains need them (0,0275).
_NUMBER_FORMAT = "0.00##"
_WIDE_SHEET = 6  # more columns than this print in landscape
_MAX_WIDTH = 60  # characters; longer text wraps


def _put(ws, row: int, col: int, value: object, lang: str = "id") -> None:
    """Write one cell; text starting like a formula is stored as text with a quote prefix."""
    cell = ws.cell(row=row, column=col)
    value = _cell_value(value, lang)
    cell.value = value
    if looks_like_formula(value):
        cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
        cell.quotePrefix = True
    if isinstance(value, float):
        cell.number_format = _NUMBER_FORMAT


def _print_ready(ws, n_rows: int, n_cols: int) -> None:
    """One page wide (as many tall as needed), header row repeated, landscape when wide."""
    ws.print_options.gridLines = False
    ws.page_setup.orientation = "landscape" if n_cols > _WIDE_SHEET else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.print_area = f"A1:{get_column_letter(max(1, n_cols))}{n_rows}"


def _sheet(wb: Workbook, title: str, df: pd.DataFrame, note: str, lang: str = "id") -> None:
    """A print-ready table sheet: Indonesian bold frozen headers, numbers as numbers,
    long text wrapped, the source note below, one page wide."""
    ws = wb.create_sheet(title)
    for c, name in enumerate(df.columns, start=1):
        _put(ws, 1, c, header(str(name), lang), lang)
        ws.cell(row=1, column=c).font = Font(bold=True)
        ws.cell(row=1, column=c).alignment = Alignment(wrap_text=True, vertical="bottom")
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(df.itertuples(index=False), start=2):
        for c, value in enumerate(row, start=1):
            _put(ws, r, c, value, lang)
            ws.cell(row=r, column=c).alignment = wrap
    _put(ws, len(df) + 3, 1, note, lang)
    ws.freeze_panes = "A2"
    widths = []
    for c, name in enumerate(df.columns, start=1):
        head = len(header(str(name), lang))
        longest = max([head if head <= 14 else head // 2]
                      + [len(str(_cell_value(v, lang) or "")) for v in df.iloc[:, c - 1]])
        widths.append(min(_MAX_WIDTH, max(8, longest + 2)))
        ws.column_dimensions[get_column_letter(c)].width = widths[-1]
    _row_heights(ws, df, widths, lang)
    _print_ready(ws, len(df) + 3, len(df.columns))


def _row_heights(ws, df: pd.DataFrame, widths: list[int], lang: str) -> None:
    """Rows tall enough for their wrapped text (LibreOffice does not grow them itself)."""
    for r, row in enumerate(df.itertuples(index=False), start=2):
        lines = max([1] + [math.ceil(len(str(_cell_value(v, lang) or "")) / max(1, w - 1))
                           for v, w in zip(row, widths)])
        if lines > 1:
            ws.row_dimensions[r].height = 15 * lines


def _summary_rows(comp: Comparison, group: PeerGroup, lang: str) -> list[tuple]:
    """(field, value) pairs of the Ringkasan sheet, numbers as numbers."""
    words = describe_group(group, lang)
    b = comp.band
    rows = [
        (label("field_headline", lang), headline(comp, lang)),
        (label("field_instansi", lang), comp.focal.name),
        (label("field_code", lang), comp.focal.code),
        (label("field_year", lang), comp.year),
        (label("field_framework", lang), comp.framework_short),
        (label("field_peers", lang), words),
        (label("field_index", lang), comp.index), (label("field_predikat", lang), comp.predikat),
        (label("field_rank", lang), text("rank_of", lang, rank=comp.rank_label or "–",
                                         n=comp.n_ranked)),
        (label("field_coverage", lang), text("coverage_statement", lang, n_ranked=comp.n_ranked,
                                             n_group=comp.n_group, group=words, year=comp.year)),
        (label("field_percentile", lang), comp.percentile),
        (label("field_median", lang), comp.peer_median),
        (label("field_mean", lang), comp.peer_mean),
        (label("field_best", lang), comp.peer_best),
        (label("field_gap_median", lang), comp.gap_median),
        (label("field_gap_best", lang), comp.gap_best),
        (label("field_national", lang), comp.national_index),
        (label("field_gap_national", lang), comp.gap_national),
    ]
    if b.get("margin_above_current") is not None:
        rows.append((text("field_margin", lang, band=b["current_band"]), b["margin_above_current"]))
    if b.get("next_band"):
        rows.append((text("field_distance", lang, band=b["next_band"]), b["distance_to_next"]))
    rows += [(text("field_band_count", lang, band=k), v) for k, v in comp.band_counts.items()]
    rows.append((label("field_data", lang),
                 label("synthetic", lang) if comp.synthetic else label("data_published", lang)))
    return rows


def write_workbook(path: Path, results: pd.DataFrame, scores: pd.DataFrame | None,
                   comp: Comparison, group: PeerGroup, lang: str, *, trend: pd.DataFrame,
                   focal_target, sources: list[str]) -> Path:
    """``ringkasan.xlsx``: Ringkasan, Peringkat, [Perubahan (from the previous year with
    values)], Tren, [Skor domain, Skor indikator, Rencana (plan to the next predikat)],
    Sumber. ``trend``: the focal's trend up to the year; ``focal_target``: (target view, its LHE
    indicator rows) or None; ``sources``: the lines of the Sumber sheet.

    Each table sheet ends with its source note (flagging synthetic rows). The same tables
    give the same bytes (:func:`spbe_tools.office_files.save_workbook`).
    """
    wb = Workbook()
    wb.remove(wb.active)
    note = source_note(pd.DataFrame({"year": comp.year, "synthetic": [comp.synthetic]}), lang)
    _sheet(wb, "Ringkasan", pd.DataFrame(_summary_rows(comp, group, lang),
                                         columns=[label("field_headline", lang),
                                                  label("value", lang)]), note, lang)
    _sheet(wb, "Peringkat", comp.table[_RANK_COLUMNS], note, lang)
    changes = changes_into(results, group, comp.year)
    if not changes.empty:
        _sheet(wb, "Perubahan", changes, source_note(
            pd.DataFrame({"year": [int(changes["year_a"].iloc[0]), comp.year],
                          "synthetic": [comp.synthetic] * 2}), lang), lang)
    _sheet(wb, "Tren", trend, source_note(trend[trend["index"].notna()
                                                | trend["peer_median"].notna()], lang), lang)
    if scores is not None and not scores.empty:
        _score_sheets(wb, scores, comp, group, lang)
    if focal_target is not None:
        view, rows = focal_target
        _sheet(wb, "Rencana", view.plan.raises, source_note(rows, lang), lang)
    _sheet(wb, "Sumber", pd.DataFrame({label("source_prefix", lang): sources}), note, lang)
    return save_workbook(wb, path)


def _score_sheets(wb: Workbook, scores: pd.DataFrame, comp: Comparison, group: PeerGroup,
                  lang: str) -> None:
    """Skor domain (focal vs group median and best) and Skor indikator (group × item)."""
    gaps = score_gaps(scores, group, comp.year, "domain")
    rows = scores[(scores["year"] == comp.year)
                  & scores["instansi_code"].isin(group.members["instansi_code"])]
    if not gaps.empty:
        _sheet(wb, "Skor domain", gaps, source_note(rows[rows["level"] == "domain"], lang),
               lang)
    matrix = score_matrix(scores, group, comp.year, "indicator")
    if not matrix.empty:
        _sheet(wb, "Skor indikator", matrix.rename_axis("instansi").reset_index(),
               source_note(rows[rows["level"] == "indicator"], lang), lang)
