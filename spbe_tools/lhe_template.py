"""``spbe template lhe``: the fill-in workbook for an LHE's indicator levels — one row per
indicator of the framework (registry structure), the level column validated to its whole
levels. It reads back through the LHE reader (:mod:`spbe_tools.lhe`) like any LHE sheet.
"""
from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from spbe_tools import registry
from spbe_tools.registry import structure

__all__ = ["template_workbook"]

_HEADER = ["No", "Indikator", "Domain", "Aspek", "Bobot (%)", "Tingkat Kematangan"]


def template_workbook(framework_key: str | None = None, *, instansi: str | None = None,
                      year: int | None = None) -> Workbook:
    """A workbook an analyst fills from their LHE: one row per indicator, level column
    validated to the framework's whole levels; it reads back with
    :func:`spbe_tools.lhe.read_lhe_sheet`.

    ``framework_key``: default the registry's default framework. Raises ConfigError for a
    framework without a registry structure.
    """
    framework_key = framework_key or registry.default_framework()
    ind = structure.indicators(framework_key)
    lo, hi = structure.level_range(framework_key)
    fw = registry.framework(framework_key)
    wb = Workbook()
    ws = wb.active
    ws.title = "LHE"
    bold = Font(bold=True)
    ws["A1"] = "LEMBAR ISIAN HASIL EVALUASI SPBE (LHE)"
    ws["A1"].font = Font(bold=True, size=13)
    for r, (label, value) in enumerate([("Instansi", instansi), ("Tahun", year),
                                        ("Kerangka", f"{fw.name} ({framework_key})"),
                                        ("Indeks SPBE (dari LHE, boleh kosong)", None)], start=2):
        ws.cell(r, 1, label).font = bold
        ws.cell(r, 2, value)
    head = 7
    level_header = f"{_HEADER[-1]} ({lo}–{hi})"
    for c, text in enumerate(_HEADER[:-1] + [level_header], start=1):
        cell = ws.cell(head, c, text)
        cell.font, cell.fill = bold, PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    fill = PatternFill("solid", fgColor="FFF2CC")
    for i, row in enumerate(ind.itertuples(index=False), start=head + 1):
        for c, v in enumerate([int(row.number), row.name, row.domain, row.aspect,
                               float(row.weight)], start=1):
            ws.cell(i, c, v)
        ws.cell(i, 6).fill = fill
    last = head + len(ind)
    dv = DataValidation(type="whole", operator="between", formula1=str(lo), formula2=str(hi),
                        allow_blank=True, showErrorMessage=True, errorTitle="Level",
                        error=f"Isi level bilangan bulat {lo}–{hi}")
    dv.add(f"F{head + 1}:F{last}")
    ws.add_data_validation(dv)
    status = "terverifikasi" if fw.verified else "belum terverifikasi"
    ws.cell(last + 2, 1, f"Catatan: isi kolom '{level_header}' dari LHE. Bobot dan struktur: "
                         f"registri spbe_tools ({status}).")
    for col, width in zip("ABCDEF", (6, 52, 26, 44, 10, 22)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = ws.cell(head + 1, 1)
    return wb
