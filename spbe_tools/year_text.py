"""How a text states a year: the one year pattern, the decree reference that is not a year,
and the evaluation year a title names. Every reader (workbook layout, annex ingest, LHE
titles, PDF extract) takes its years from here.

>>> title_years("HASIL EVALUASI SPBE TAHUN 2023 (Keputusan Menteri PANRB No. 13 Tahun 2024)")
[2023]
>>> decree_in("LAMPIRAN KEPUTUSAN MENTERI PANRB NOMOR 13 TAHUN 2024")
('13', '2024')
"""
from __future__ import annotations

import re

__all__ = ["DECREE", "TITLE_YEAR", "YEAR_DIGITS", "YEAR_IN_TEXT", "decree_in", "title_years"]

#: A year of the evaluation era as written in a title or header ("TAHUN 2023", "Level 2023",
#: "2023"): the one pattern every reader uses, whole (:data:`YEAR_IN_TEXT`) or inside its own.
YEAR_DIGITS = r"20[1-4]\d"
YEAR_IN_TEXT = re.compile(rf"(?<!\d)({YEAR_DIGITS})(?!\d)")

#: "No. 13 Tahun 2024", "NOMOR: 13 TAHUN 2024": a decree's number and the year it was
#: issued, never the evaluation year. "NOMOR13TAHUN2024" too (OCR loses spaces); a bare "no"
#: must start a word ("kasino 3 tahun" is no decree).
DECREE = re.compile(r"(?:nomor|(?<![a-z])no)\W*(\d+)\W*tahun\W*(20\d\d)(?!\d)", re.IGNORECASE)
#: "Tahun 2023", "TAHUN EVALUASI 2023", "TAHUN2023": how a title names its evaluation year.
TITLE_YEAR = re.compile(rf"tahun\W*(?:evaluasi\W*)?({YEAR_DIGITS})(?!\d)", re.IGNORECASE)


def decree_in(text: str) -> tuple[str, str] | None:
    """(number, year) of the first decree reference in ``text``, as written; None if none."""
    found = DECREE.search(text)
    return (found.group(1), found.group(2)) if found else None


def title_years(text: str) -> list[int]:
    """The evaluation years a title names ("Tahun 2023"), in order; a decree's year
    ("No. 13 Tahun 2024") is not one."""
    return [int(year) for year in TITLE_YEAR.findall(DECREE.sub(" ", text))]
