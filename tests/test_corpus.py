"""The hostile-input corpus (tests/bad_inputs.py): every kind gives its expected outcome.

Errors are exactly the expected SpbeError subclass, name the file (and sheet/cell when
known) and leave the previous outputs byte-identical; rejects carry their cell and
reason and keep rows read = accepted + rejected; odd-but-readable inputs are read and
said so in the manifest. The CLI never shows a traceback for any of them.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from spbe_tools.build import OUTPUT_FILES, build
from spbe_tools.cli import main
from spbe_tools.errors import SpbeError

from _workbooks import make_workbook
from bad_inputs import CASES, INJECTED_NAME, INJECTED_PREDIKAT, SECRET, case_named, write_case
from conftest import ANNEX_2023_MERGES, ANNEX_2023_ROWS

BY_KIND = {c.kind: c for c in CASES}


def test_the_corpus_lists_at_least_25_distinct_kinds_with_an_outcome_each():
    assert len(BY_KIND) == len(CASES) >= 25
    assert {c.outcome for c in CASES} == {"error", "reject", "read"}
    for c in CASES:
        assert c.fragment
        assert (c.error is not None) == (c.outcome == "error"), c.kind
        assert c.outcome != "reject" or c.cell, c.kind


@pytest.fixture(scope="module")
def previous_outputs(tmp_path_factory) -> Path:
    """A good earlier build, to prove a failing build leaves it byte-identical."""
    raw = tmp_path_factory.mktemp("good_raw")
    make_workbook(raw / "annex_2023.xlsx", {"Lampiran": (ANNEX_2023_ROWS, ANNEX_2023_MERGES)},
                  sidecar={"evaluation_year": 2023})
    out = tmp_path_factory.mktemp("previous") / "processed"
    build(raw, out)
    return out


def _copy_outputs(src: Path, dst: Path) -> dict[str, bytes]:
    dst.mkdir(parents=True)
    for name in OUTPUT_FILES:
        (dst / name).write_bytes((src / name).read_bytes())
    return {name: (dst / name).read_bytes() for name in OUTPUT_FILES}


@pytest.mark.parametrize("kind", [c.kind for c in CASES if c.outcome == "error"])
def test_bad_input_stops_the_build_with_its_error_and_writes_nothing(kind, raw_dir, tmp_path,
                                                                     previous_outputs):
    c = BY_KIND[kind]
    path = write_case(c, raw_dir)
    out = tmp_path / "processed"
    before = _copy_outputs(previous_outputs, out)
    with pytest.raises(SpbeError) as err:
        build(raw_dir, out)
    assert type(err.value) is c.error
    text = str(err.value)
    assert c.fragment in text
    assert text.startswith((path.name, path.stem + ".source.yml")), text
    if c.sheet:
        assert f'sheet "{c.sheet}"' in text
    if c.cell:
        assert err.value.cell == c.cell
    assert str(raw_dir) not in text and "\n" not in text
    assert {n: (out / n).read_bytes() for n in OUTPUT_FILES} == before
    assert not list(out.parent.glob(".spbe-build-*"))


@pytest.mark.parametrize("kind", [c.kind for c in CASES if c.outcome == "reject"])
def test_bad_value_is_rejected_with_its_cell_and_nothing_is_lost(kind, raw_dir, tmp_path):
    c = BY_KIND[kind]
    path = write_case(c, raw_dir)
    result = build(raw_dir, tmp_path / "out")
    mine = result.rejects[(result.rejects["source_file"] == path.name)
                          & (result.rejects["source_cell"] == c.cell)]
    assert len(mine) == 1, result.rejects.to_dict("records")
    assert c.fragment in mine["reason"].iloc[0]
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    for entry in manifest["inputs"]:
        assert entry["values_read"] == entry["values_accepted"] + entry["values_rejected"]
        assert entry["values_read"] >= 2  # the good row and the bad one both counted
    assert manifest["totals"]["rejects"] == len(result.rejects) >= 1


@pytest.mark.parametrize("kind", [c.kind for c in CASES if c.outcome == "read"])
def test_odd_but_readable_input_is_read_and_said_so(kind, raw_dir, tmp_path):
    c = BY_KIND[kind]
    write_case(c, raw_dir)
    result = build(raw_dir, tmp_path / "out")
    assert result.rejects.empty
    assert {"17", "17.71"} <= set(result.results["instansi_code"])
    assert c.fragment in (tmp_path / "out" / "manifest.json").read_text()


@pytest.mark.parametrize("kind", [c.kind for c in CASES])
def test_cli_build_never_shows_a_traceback(kind, raw_dir, tmp_path, capsys):
    c = BY_KIND[kind]
    write_case(c, raw_dir)
    (tmp_path / "no-locks").mkdir()  # an empty lock folder in force: nothing said (--quiet)
    argv = ["build", "--raw", str(raw_dir), "--quiet", "--locked", str(tmp_path / "no-locks")]
    # --strict: all or nothing, exit 2 and one paragraph, nothing written
    code = main(argv + ["--out", str(tmp_path / "strict"), "--strict"])
    err = capsys.readouterr().err
    assert code == (2 if c.outcome == "error" else 0)
    assert "Traceback" not in err
    if c.outcome == "error":
        assert err.startswith("spbe build: error: ") and c.fragment in err
        assert err.count("\n") == 1
        assert not (tmp_path / "strict" / "results.csv").exists()
    # default: the workbook is a failed file (exit 1, one line, in rejects and the manifest)
    code = main(argv + ["--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == (1 if c.outcome == "error" else 0) and "Traceback" not in err
    if c.outcome == "error":
        assert err.startswith("spbe build: file not read: ") and c.fragment in err
        assert err.count("\n") == 1
        manifest = json.loads((tmp_path / "o" / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["totals"]["failed_files"] == 1


def test_spbe_check_over_the_whole_corpus_reports_every_file_without_traceback(tmp_path):
    for c in CASES:
        write_case(c, tmp_path / c.kind)
    proc = subprocess.run([sys.executable, "-m", "spbe_tools", "check", str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stdout + proc.stderr
    unreadable = [line for line in proc.stdout.splitlines() if "UNREADABLE" in line]
    assert len(unreadable) == sum(c.outcome == "error" for c in CASES)


# --- specific promises -------------------------------------------------------------------

def test_openpyxl_parses_with_defusedxml_which_refuses_the_entity_payload(tmp_path):
    """Even without our pre-parse DTD check, openpyxl's own parse is defused."""
    assert openpyxl.DEFUSEDXML is True
    path = write_case(case_named("xml-external-entity"), tmp_path)
    with pytest.raises(Exception) as err:
        openpyxl.load_workbook(path)
    chain, exc = [], err.value
    while exc is not None:
        chain.append(type(exc).__name__)
        exc = exc.__cause__ or exc.__context__
    assert "EntitiesForbidden" in chain


def test_external_entity_content_never_reaches_any_message_or_output(raw_dir, tmp_path):
    write_case(case_named("xml-external-entity"), raw_dir)
    with pytest.raises(SpbeError) as err:
        build(raw_dir, tmp_path / "out")
    assert SECRET not in str(err.value)
    assert not (tmp_path / "out").exists()


def test_zip_bomb_message_gives_the_limit_and_is_refused_before_parsing(raw_dir, tmp_path):
    from spbe_tools.cells import MAX_UNCOMPRESSED_BYTES

    write_case(case_named("zip-bomb"), raw_dir)
    with pytest.raises(SpbeError) as err:
        build(raw_dir, tmp_path / "out")
    assert f"{MAX_UNCOMPRESSED_BYTES:,} bytes" in str(err.value)
    assert "nothing was parsed" in str(err.value)


def test_injected_formula_text_is_neutralised_in_rejects_csv(raw_dir, tmp_path):
    write_case(case_named("formula-injection-text"), raw_dir)
    build(raw_dir, tmp_path / "out")
    rejects = pd.read_csv(tmp_path / "out" / "rejects.csv", dtype=str, keep_default_na=False)
    (row,) = rejects.to_dict("records")
    assert row["instansi_reported"] == "'" + INJECTED_NAME
    assert row["predikat_raw"] == "'" + INJECTED_PREDIKAT
    for line in (tmp_path / "out" / "rejects.csv").read_text().splitlines()[1:]:
        for field in line.split(","):
            assert not field.lstrip('"').startswith(("=", "+", "@", "\t", "\r"))


def test_macros_are_reported_and_not_kept(raw_dir, tmp_path):
    write_case(case_named("xlsm-with-macros"), raw_dir)
    result = build(raw_dir, tmp_path / "out")
    (entry,) = result.manifest["inputs"]
    assert entry["macros"] == ["xl/vbaProject.bin"]
    assert entry["notes"] == [
        "macros present (xl/vbaProject.bin): values were read, the macros were neither run "
        "nor kept"]
    assert list(result.results["index"]) == [3.12, 2.61]


def test_hidden_sheet_rows_are_read_with_a_note(raw_dir, tmp_path):
    write_case(case_named("hidden-sheet"), raw_dir)
    result = build(raw_dir, tmp_path / "out")
    row = result.results.set_index("instansi_code").loc["17.71"]
    assert row["source_sheet"] == "Tersembunyi" and "sheet hidden" in row["note"]
    sheets = {s["sheet"]: s for s in result.manifest["inputs"][0]["sheets"]}
    assert sheets["Tersembunyi"]["hidden_sheet"] and not sheets["Lampiran"]["hidden_sheet"]


def test_million_row_sheet_reads_the_table_above_its_blank_rows(raw_dir, tmp_path):
    write_case(case_named("million-blank-rows"), raw_dir)
    result = build(raw_dir, tmp_path / "out")
    assert list(zip(result.results["instansi_code"], result.results["source_cell"])) == [
        ("17", "C3"), ("17.71", "C4")]


def test_two_conflicting_files_each_get_a_reject_naming_the_other(raw_dir, tmp_path):
    write_case(case_named("two-files-same-year-conflict"), raw_dir)
    result = build(raw_dir, tmp_path / "out")
    assert sorted(result.rejects["source_file"]) == ["a_sumber_pertama.xlsx",
                                                     "b_sumber_kedua.xlsx"]
    for reason in result.rejects["reason"]:
        assert "a_sumber_pertama.xlsx Lampiran!C4" in reason
        assert "b_sumber_kedua.xlsx Lampiran!C4" in reason
    assert "17.71" not in set(result.results["instansi_code"])


def test_a_conflict_group_is_reported_once_per_row_in_bounded_words_and_nothing_is_lost(
        raw_dir, tmp_path):
    """Issue 13 item 7: every row of a large conflict group is in rejects, each reason names
    the group (its size, distinct values with their count and first cell) in a few hundred
    characters instead of listing every other row."""
    from bad_inputs import CONFLICT_ROWS

    path = write_case(case_named("same-instansi-3000-times"), raw_dir)
    result = build(raw_dir, tmp_path / "out")
    group = result.rejects[result.rejects["instansi_reported"] == "Kota Bengkulu"]
    assert len(group) == CONFLICT_ROWS
    assert sorted(group["source_cell"]) == sorted(f"C{r}" for r in range(4, 4 + CONFLICT_ROWS))
    (reason,) = set(group["reason"])
    assert len(reason) < 600, len(reason)
    assert reason.startswith(f"conflicting values for Kota Bengkulu (17.71) in 2023: "
                             f"{CONFLICT_ROWS:,} rows, 2 distinct values: ")
    assert f"2.61 Baik ×{CONFLICT_ROWS // 2:,} (first at {path.name} Lampiran!C4)" in reason
    assert f"2.62 Baik ×{CONFLICT_ROWS // 2:,} (first at {path.name} Lampiran!C5)" in reason
    assert "group key 2023/17.71" in reason
    entry = result.manifest["inputs"][0]
    assert entry["values_read"] == entry["values_accepted"] + entry["values_rejected"]
