"""Locked past years: a rebuild that moves a signed-off value fails loudly."""
from __future__ import annotations

import pytest

from spbe_tools.build import run_build
from spbe_tools.cli import main
from spbe_tools.errors import LockedValueError
from spbe_tools.lock import compare_with_locks, write_locks

from _workbooks import make_workbook


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


def _built(raw_dir, tmp_path, value=2.61):
    from spbe_tools.build import build

    _annex(raw_dir, value)
    rows = [["HASIL EVALUASI SPBE TAHUN 2022"], ["Instansi", "Indeks", "Predikat"],
            ["Kota Bengkulu", 2.34, "Cukup"]]
    make_workbook(raw_dir / "b.xlsx", {"S": (rows, [])})
    build(raw_dir, tmp_path / "processed")
    return tmp_path / "processed"


def test_cli_lock_writes_the_years_before_the_latest_and_reports_changes(raw_dir, tmp_path,
                                                                         capsys):
    processed, locked = _built(raw_dir, tmp_path), tmp_path / "locked"
    assert main(["lock", "--processed", str(processed), "--locked", str(locked)]) == 0
    assert capsys.readouterr().out == f"locked {locked / 'results_2022.csv'}\n"
    assert (locked / "results_2022.csv").read_text(encoding="utf-8") == (
        "year,instansi_code,instansi,index,predikat,index_raw\n"
        "2022,17.71,Kota Bengkulu,2.34,Cukup,2.34\n")
    assert main(["lock", "--years", "2022", "2023", "--processed", str(processed),
                 "--locked", str(locked)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == \
        "  2022: 0 changed, 0 added, 0 removed since the previous lock"
    assert sorted(p.name for p in locked.iterdir()) == ["results_2022.csv", "results_2023.csv"]


@pytest.mark.parametrize("years, message", [
    (["abc"], "argument --years: 'abc' is not a year such as 2023"),
    (["2019"], "no processed results for year(s) [2019]"),
    ([], "argument --years: expected at least one argument"),
])
def test_cli_lock_with_years_it_cannot_lock_is_exit_2(raw_dir, tmp_path, capsys, years, message):
    processed = _built(raw_dir, tmp_path)
    try:  # argparse's own usage errors exit 2 by SystemExit
        rc = main(["lock", "--years", *years, "--processed", str(processed),
                   "--locked", str(tmp_path / "locked")])
    except SystemExit as exc:
        rc = exc.code
    assert rc == 2 and message in capsys.readouterr().err
    assert not (tmp_path / "locked").exists()


def _damaged_lock(locked):
    locked.mkdir(parents=True, exist_ok=True)
    (locked / "results_2021.csv").write_text(
        "year,instansi_code,instansi,index,predikat\n2021,17.71,Kota Bengkulu,2.29,Cukup\n"
        "2021,17,Provinsi Bengkulu,dua,Cukup\n", encoding="utf-8")


def test_a_damaged_lock_file_stops_build_and_lock_naming_file_row_and_column(raw_dir, tmp_path,
                                                                             capsys):
    processed, locked = _built(raw_dir, tmp_path), tmp_path / "locked"
    _damaged_lock(locked)
    where = 'results_2021.csv, row 3, column "index": a value that is not float'
    assert main(["build", "--raw", str(raw_dir), "--out", str(processed), "--locked",
                 str(locked), "--quiet"]) == 2
    assert where in capsys.readouterr().err
    assert main(["lock", "--years", "2022", "--processed", str(processed),
                 "--locked", str(locked)]) == 2
    err = capsys.readouterr().err
    assert where in err and "Traceback" not in err
    assert not (locked / "results_2022.csv").exists()


def test_a_lock_file_named_without_a_year_is_named_in_the_error(raw_dir, tmp_path, capsys):
    processed, locked = _built(raw_dir, tmp_path), tmp_path / "locked"
    locked.mkdir()
    (locked / "results_lama.csv").write_text("year,instansi_code,instansi,index,predikat\n")
    assert main(["build", "--raw", str(raw_dir), "--out", str(processed), "--locked",
                 str(locked), "--quiet"]) == 2
    assert "results_lama.csv: a lock file's name must be results_<year>.csv" in \
        capsys.readouterr().err


# --- issue 13 item 13: raw values, the lock folder in force, re-locking needs --force ------

def test_a_locked_value_moved_below_the_second_decimal_fails_on_the_raw_value(raw_dir,
                                                                               tmp_path):
    _annex(raw_dir, 2.61)
    write_locks(run_build(raw_dir).results, tmp_path / "locked", [2023])
    text = (tmp_path / "locked" / "results_2023.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "year,instansi_code,instansi,index,predikat,index_raw"
    _annex(raw_dir, 2.6149)  # publishes as 2.61 too: only the value as read moved
    with pytest.raises(LockedValueError) as err:
        run_build(raw_dir, locked_dir=tmp_path / "locked")
    assert "2023 17.71 Kota Bengkulu: changed (2.61 Baik -> 2.61 Baik; as read 2.61 -> " \
           "2.6149)" in str(err.value)
    assert "17 Provinsi" not in str(err.value)


def test_a_lock_written_before_the_raw_column_still_verifies_on_the_published_value(raw_dir,
                                                                                    tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "results_2023.csv").write_text(
        "year,instansi_code,instansi,index,predikat\n2023,17,Provinsi Bengkulu,3.12,Baik\n"
        "2023,17.71,Kota Bengkulu,2.61,Baik\n", encoding="utf-8")
    _annex(raw_dir, 2.6149)
    run_build(raw_dir, locked_dir=locked)
    _annex(raw_dir, 2.66)
    with pytest.raises(LockedValueError, match="2.61 Baik -> 2.66 Baik"):
        run_build(raw_dir, locked_dir=locked)


def test_cli_build_names_the_lock_folder_in_force_and_refuses_a_missing_named_one(
        raw_dir, tmp_path, capsys):
    processed = _built(raw_dir, tmp_path)
    typo = tmp_path / "lokced"
    assert main(["build", "--raw", str(raw_dir), "--out", str(processed), "--quiet",
                 "--locked", str(typo)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"spbe build: error: {typo}: the lock folder named by --locked does "
                          "not exist") and err.count("\n") == 1
    # no lock folder beside the raw folder (a copy elsewhere): said, even with --quiet
    assert main(["build", "--raw", str(raw_dir), "--out", str(processed), "--quiet"]) == 0
    beside = raw_dir.parent / "locked"
    assert capsys.readouterr().err == (f"spbe build: no lock folder at {beside}: locked past "
                                       "years were not checked (name one with --locked)\n")
    main(["lock", "--processed", str(processed), "--locked", str(beside)])
    capsys.readouterr()
    assert main(["build", "--raw", str(raw_dir), "--out", str(processed)]) == 0
    assert f"spbe build: locks in force: {beside} (1 lock file: 2022)" in \
        capsys.readouterr().err


def test_cli_relock_that_moves_a_signed_off_value_shows_the_diff_and_needs_force(
        raw_dir, tmp_path, capsys):
    processed, locked = _built(raw_dir, tmp_path), tmp_path / "locked"
    assert main(["lock", "--years", "2023", "--processed", str(processed),
                 "--locked", str(locked)]) == 0
    signed = (locked / "results_2023.csv").read_bytes()
    _built(raw_dir, tmp_path, value=2.71)
    capsys.readouterr()
    argv = ["lock", "--years", "2023", "--processed", str(processed), "--locked", str(locked)]
    assert main(argv) == 2
    out = capsys.readouterr()
    assert "  2023 17.71 Kota Bengkulu: changed (2.61 Baik -> 2.71 Baik)" in out.out
    assert "re-locking 2023 would change 1 signed-off value(s)" in out.err
    assert "--force" in out.err
    assert (locked / "results_2023.csv").read_bytes() == signed
    assert main(argv + ["--force"]) == 0
    assert "2.71" in (locked / "results_2023.csv").read_text(encoding="utf-8")
