"""The published predikat against the printed index (spbe_tools/validate.py rule 4): the
official predikat comes from the unrounded index, so the band directly below on an index
printed exactly on a cut is consistent; anything else that differs is a mismatch."""
from __future__ import annotations

import pytest

from spbe_tools.identity import default_matcher
from spbe_tools.ingest import ParsedRow
from spbe_tools.validate import validate_rows

REPORT = "laporan/laporan_2024.xlsx"


def _row(cell: str, name: str, index: object, predikat: object, year: int = 2024,
         file: str = REPORT) -> ParsedRow:
    return ParsedRow(file, "Tabel", int(cell[1:]), cell, year, name, None, "", index, predikat,
                     "Laporan Pelaksanaan Evaluasi SPBE 2024")


@pytest.fixture(scope="module")
def matcher():
    return default_matcher()


@pytest.mark.parametrize("name, index, predikat, computed", [
    ("Pemerintah Kab. Nias Barat", "1,80", "Kurang", "Cukup"),
    ("Pemerintah Kab. Pacitan", "3,50", "Baik", "Sangat Baik"),
    ("Pemerintah Kab. Luwu", "2,60", "Cukup", "Baik"),
])
def test_a_predikat_one_band_below_on_the_cut_is_correct_as_printed(matcher, name, index,
                                                                    predikat, computed):
    (row,) = validate_rows([_row("H9", name, index, predikat)], matcher).results.to_dict(
        "records")
    assert (row["predikat"], row["predikat_computed"], row["predikat_flag"]) == (
        predikat, computed, "")
    assert f"the unrounded index was below the {computed} cut" in row["note"]


@pytest.mark.parametrize("index, predikat", [("2,61", "Cukup"), ("2,60", "Kurang"),
                                             ("2,59", "Baik")])
def test_any_other_disagreement_is_still_a_mismatch(matcher, index, predikat):
    row = validate_rows([_row("H9", "Kabupaten Luwu", index, predikat)], matcher).results.iloc[0]
    assert row["predikat_flag"] == "mismatch"
    assert "cut" not in row["note"]


def test_a_collapsed_row_takes_the_predikat_of_its_twin_under_the_same_rule(matcher):
    rows = [_row("H9", "Kabupaten Luwu", 2.60, None),
            _row("H70", "Kabupaten Luwu", 2.60, "Cukup")]
    row = validate_rows(rows, matcher).results.iloc[0]
    assert (row["predikat"], row["predikat_flag"]) == ("Cukup", "")
    assert "below the Baik cut" in row["note"] and "identical value also in" in row["note"]
