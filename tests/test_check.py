"""``spbe check``: the per-file report and its exit codes; nothing is written."""
from __future__ import annotations

from pathlib import Path

from spbe_tools.cli import main

from _workbooks import make_workbook
from bad_inputs import case_named, write_case

CLEAN = [["HASIL EVALUASI SPBE TAHUN 2023"], ["No", "Nama Instansi", "Indeks", "Predikat"],
         [1, "Provinsi Bengkulu", 3.12, "Baik"], [2, "Kota Bengkulu", "2,61", "Baik"]]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_clean_workbook_exits_0_with_its_layout_and_counts(raw_dir, capsys):
    path = make_workbook(raw_dir / "bersih.xlsx", {"Lampiran": (CLEAN, [])})
    assert main(["check", str(path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{path}: Lampiran: annex; 2 value(s) read, 2 accepted, 0 rejected"]


def test_problems_exit_1_and_list_every_cell(raw_dir, capsys):
    rows = CLEAN + [[3, "Kabupaten Kaur", "dua", "Baik"], [4, "Kabupaten Lebong", 2.93, "Cukup"]]
    path = make_workbook(raw_dir / "masalah.xlsx", {"Lampiran": (rows, [])})
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{path}: Lampiran: annex; 4 value(s) read, 3 accepted, 1 rejected"
    assert out[1] == ("  - Lampiran!C5 (row 5): index in C5: text 'dua' where a number was "
                      "expected")
    assert out[2].startswith("  - Lampiran!C6: published predikat Cukup differs from the band "
                             "of 2.93 (Baik)")
    assert len(out) == 3


def test_unreadable_input_exits_2_naming_the_original_path(raw_dir, capsys):
    good = make_workbook(raw_dir / "bersih.xlsx", {"Lampiran": (CLEAN, [])})
    bad = write_case(case_named("zip-bomb"), raw_dir / "sub")
    assert main(["check", str(good), str(bad)]) == 2
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{good}: Lampiran: annex; 2 value(s) read")
    assert out[1].startswith(f"{bad}: UNREADABLE — {bad}: refused: the workbook declares")
    assert "209,715,200 bytes" in out[1]


def test_sidecar_errors_name_the_sidecar_beside_the_original(raw_dir, capsys):
    path = write_case(case_named("sidecar-invalid-yaml"), raw_dir)
    assert main(["check", str(path)]) == 2
    out = capsys.readouterr().out
    assert out.startswith(f"{path}: UNREADABLE — {raw_dir / 'hasil.source.yml'}, row 2: "
                          "the sidecar is not valid YAML")


def test_conflicts_between_two_files_are_found_and_named_by_original_path(raw_dir, capsys):
    write_case(case_named("two-files-same-year-conflict"), raw_dir)
    assert main(["check", str(raw_dir)]) == 1
    out = capsys.readouterr().out
    assert out.count("conflicting values for Kota Bengkulu (17.71) in 2023") == 2
    assert f"2.61 Baik at {raw_dir / 'a_sumber_pertama.xlsx'} Lampiran!C4" in out
    assert "0000/" not in out and "0001/" not in out


def test_hidden_rows_and_macros_are_notes_not_problems(raw_dir, capsys):
    rows = write_case(case_named("hidden-rows"), raw_dir / "a")
    macros = write_case(case_named("xlsm-with-macros"), raw_dir / "b")
    assert main(["check", str(rows)]) == 0
    assert "  - note: sheet Sheet: 1 hidden row(s) read: 4" in capsys.readouterr().out
    assert main(["check", str(macros)]) == 0
    assert ("  - note: macros present (xl/vbaProject.bin): values were read, the macros were "
            "neither run nor kept") in capsys.readouterr().out


def test_check_writes_nothing_beside_the_inputs(raw_dir, tmp_path, monkeypatch, capsys):
    write_case(case_named("index-text"), raw_dir)
    write_case(case_named("truncated-zip"), raw_dir)
    monkeypatch.chdir(tmp_path)
    before = _files(tmp_path)
    assert main(["check", str(raw_dir)]) == 2
    assert _files(tmp_path) == before


def test_a_missing_path_is_a_clear_error(tmp_path, capsys):
    assert main(["check", str(tmp_path / "tidak_ada.xlsx")]) == 2
    assert "tidak_ada.xlsx: no such file or folder" in capsys.readouterr().err


# --- issue 13: tiny files that used to hang `spbe check`, odd cells and odd names -------

def test_a_value_at_xfd1048576_is_unreadable_naming_file_sheet_and_cell(raw_dir, capsys):
    """Used to walk 1,048,576 rows x 16,384 columns (> 600 s); now refused before any walk."""
    path = write_case(case_named("cell-at-xfd1048576"), raw_dir)
    assert main(["check", str(path)]) == 2
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith(f'{path}: UNREADABLE — {path}, sheet "Lampiran", cell XFD1048576: '
                           "refused: a value beyond column 256 (IV)")


def test_an_external_link_is_a_problem_naming_the_cell_and_the_linked_file(raw_dir, capsys):
    path = write_case(case_named("external-link"), raw_dir)
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "1 rejected" in out.splitlines()[0]
    assert ("Lampiran!C4 (row 4): cell C4 takes its value from another workbook through an "
            "external link (=[1]Sheet1!A1 -> file:///\\\\fileserver\\spbe\\hasil_2023.xlsx)"
            in out)


def test_a_cyrillic_look_alike_is_a_problem_showing_the_code_point(raw_dir, capsys):
    path = write_case(case_named("cyrillic-lookalike"), raw_dir)
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "U+043E CYRILLIC SMALL LETTER O at position 14" in out
    assert "Kabupaten Lebong (17.07)" in out


def test_invisible_characters_are_accepted_alike_and_the_build_says_so(raw_dir, tmp_path):
    from spbe_tools.build import build

    rows = CLEAN[:2] + [[1, "Provinsi Beng\u200bkulu", 3.12, "Baik"],
                        [2, "\u202eKota Bengkulu", 2.61, "Baik"],
                        [3, "Kabupaten Ka\ufeffur", 2.0, "Cukup"]]
    make_workbook(raw_dir / "tak_terlihat.xlsx", {"Lampiran": (rows, [])})
    result = build(raw_dir, tmp_path / "out")
    assert result.rejects.empty
    rules = dict(zip(result.results["instansi_code"], result.results["match_rule"]))
    assert rules == {"17": "exact; invisible character(s) removed: U+200B ZERO WIDTH SPACE",
                     "17.71": "exact; invisible character(s) removed: U+202E RIGHT-TO-LEFT "
                              "OVERRIDE",
                     "17.04": "exact; invisible character(s) removed: U+FEFF ZERO WIDTH "
                              "NO-BREAK SPACE"}
