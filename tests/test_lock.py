"""Locked past years: a rebuild that moves a signed-off value fails loudly."""
from __future__ import annotations

import pytest

from _workbooks import make_workbook
from spbe_tools.build import run_build
from spbe_tools.errors import LockedValueError
from spbe_tools.lock import compare_with_locks, write_locks


def _annex(raw_dir, value):
    rows = [["HASIL EVALUASI SPBE TAHUN 2023"], ["Instansi", "Indeks", "Predikat"],
            ["Kota Bengkulu", value, "Baik"], ["Provinsi Bengkulu", 3.12, "Baik"]]
    make_workbook(raw_dir / "a.xlsx", {"S": (rows, [])})


def test_unchanged_rebuild_passes_the_lock(raw_dir, tmp_path):
    _annex(raw_dir, 2.61)
    write_locks(run_build(raw_dir).results, tmp_path / "locked", [2023])
    assert compare_with_locks(run_build(raw_dir).results, tmp_path / "locked").empty
    run_build(raw_dir, locked_dir=tmp_path / "locked")


def test_changed_locked_value_fails_listing_the_row_until_relocked(raw_dir, tmp_path):
    _annex(raw_dir, 2.61)
    write_locks(run_build(raw_dir).results, tmp_path / "locked", [2023])
    _annex(raw_dir, 2.71)
    with pytest.raises(LockedValueError) as err:
        run_build(raw_dir, locked_dir=tmp_path / "locked")
    assert "2023 17.71 Kota Bengkulu: changed (2.61 Baik -> 2.71 Baik)" in str(err.value)
    assert "spbe lock --years 2023" in str(err.value)
    write_locks(run_build(raw_dir).results, tmp_path / "locked", [2023])  # deliberate re-lock
    run_build(raw_dir, locked_dir=tmp_path / "locked")


def test_removed_locked_row_fails_and_added_row_is_reported(raw_dir, tmp_path):
    _annex(raw_dir, 2.61)
    results = run_build(raw_dir).results
    write_locks(results[results["instansi_code"] == "17.71"], tmp_path / "locked", [2023])
    diff = compare_with_locks(results, tmp_path / "locked")
    assert list(zip(diff["instansi_code"], diff["change"])) == [("17", "added")]
    write_locks(results, tmp_path / "locked", [2023])
    (raw_dir / "a.xlsx").unlink()
    make_workbook(raw_dir / "a.xlsx", {"S": ([["TAHUN 2023"], ["Instansi", "Indeks"],
                                            ["Provinsi Bengkulu", 3.12]], [])})
    with pytest.raises(LockedValueError, match="17.71 Kota Bengkulu: removed"):
        run_build(raw_dir, locked_dir=tmp_path / "locked")


def test_committed_locks_hold_for_the_shipped_data():
    from conftest import PROJECT_ROOT, SHIPPED_RAW

    locked = PROJECT_ROOT / "data" / "locked"
    assert sorted(p.name for p in locked.glob("results_*.csv"))  # past years are locked
    diff = compare_with_locks(run_build(SHIPPED_RAW, locked_dir=locked).results, locked)
    assert diff.empty
