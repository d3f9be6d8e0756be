"""The raw folder's files as records: the name every output gives a file, its sidecar, its
checksum, and the one listing that ``spbe build`` and ``spbe check`` share."""
from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

import pytest

from spbe_tools.build import build, run_build
from spbe_tools.cli import main
from spbe_tools.errors import InputError
from spbe_tools.raw_folder import RawFile, workbooks

from _workbooks import make_workbook


def _annex(path: Path, *names: str, sidecar: dict | None = None) -> Path:
    rows = [["HASIL EVALUASI SPBE TAHUN 2023"], ["No", "Nama Instansi", "Indeks", "Predikat"]]
    rows += [[i, name, 2.5, "Cukup"] for i, name in enumerate(names, 1)]
    return make_workbook(path, {"Lampiran": (rows, [])}, sidecar=sidecar)


@pytest.fixture
def two_folders(tmp_path: Path) -> list[Path]:
    first, second = tmp_path / "raw", tmp_path / "demo"
    _annex(first / "annex" / "a.xlsx", "Provinsi Bengkulu",
           sidecar={"publisher": "test", "evaluation_year": 2023})
    _annex(first / "b.xlsx", "Kota Bengkulu")
    _annex(second / "c.xlsx", "Kabupaten Lebong")
    return [first, second]


def test_each_record_is_named_as_the_build_writes_its_source_file(two_folders):
    records = workbooks(two_folders)
    assert [r.name for r in records] == ["raw/annex/a.xlsx", "raw/b.xlsx", "demo/c.xlsx"]
    result = run_build(two_folders)
    assert [e["file"] for e in result.manifest["inputs"]] == [r.name for r in records]
    by_file = dict(zip(result.results["source_file"], result.results["instansi_code"]))
    assert by_file == {"raw/annex/a.xlsx": "17", "raw/b.xlsx": "17.71", "demo/c.xlsx": "17.07"}


def test_one_folder_gives_names_without_a_prefix(two_folders):
    assert [r.name for r in workbooks(two_folders[:1])] == ["annex/a.xlsx", "b.xlsx"]


def test_the_record_is_immutable_and_its_path_absolute(two_folders, monkeypatch):
    monkeypatch.chdir(two_folders[0].parent)
    raw = workbooks([Path("raw")])[0]
    assert raw.path.is_absolute() and raw.path == two_folders[0] / "annex" / "a.xlsx"
    assert raw.name == "annex/a.xlsx"
    with pytest.raises(AttributeError, match="immutable"):
        raw.name = "other.xlsx"
    assert raw == workbooks([Path("raw")])[0] and len({raw, workbooks([Path("raw")])[0]}) == 1
    assert pickle.loads(pickle.dumps(raw)) == raw  # as the reading worker processes get it


def test_sha256_is_the_hash_of_the_bytes_and_the_manifest_records_it(two_folders):
    records = workbooks(two_folders)
    for raw in records:
        assert raw.sha256 == hashlib.sha256(raw.path.read_bytes()).hexdigest()
    manifest = run_build(two_folders).manifest
    assert {e["file"]: e["sha256"] for e in manifest["inputs"]} == {
        r.name: r.sha256 for r in records}


def test_the_sidecar_is_found_beside_its_workbook_and_named_like_it(two_folders):
    with_sidecar, without, _ = workbooks(two_folders)
    assert with_sidecar.sidecar == two_folders[0] / "annex" / "a.source.yml"
    assert with_sidecar.sidecar_name == "raw/annex/a.source.yml"
    assert without.sidecar is None
    link = two_folders[0] / "b.source.yml"
    link.symlink_to(two_folders[0] / "gone.yml")  # a broken link is a sidecar that says why
    assert without.sidecar == link


def test_a_broken_sidecar_link_fails_a_cached_build_as_it_fails_an_uncached_one(two_folders,
                                                                                tmp_path):
    build(two_folders, tmp_path / "out")
    (two_folders[0] / "b.source.yml").symlink_to(two_folders[0] / "gone.yml")
    for cache in (True, False):
        with pytest.raises(InputError, match="the sidecar cannot be read") as caught:
            build(two_folders, tmp_path / "out", cache=cache)
        assert caught.value.file == "raw/b.source.yml"


def _skipped_and_read(folder: Path) -> None:
    _annex(folder / "a-b.xlsx", "Kota Bengkulu")  # '-' sorts before '/': listed before a/
    _annex(folder / "a" / "c.xlsx", "Kabupaten Lebong")
    _annex(folder / ".hidden.xlsx", "Kabupaten Kaur")  # hidden files are read today
    (folder / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0 an Excel 97 file")  # listed: refused
    for skipped in ("~$a-b.xlsx", ".~lock.c.xlsx", "notes.txt", "table.csv"):
        (folder / skipped).write_bytes(b"not a workbook")


def test_check_lists_exactly_the_files_the_build_reads_in_its_order(raw_dir, capsys):
    _skipped_and_read(raw_dir)
    read = [e["file"] for e in run_build(raw_dir, strict=False).manifest["inputs"]]
    assert read == [".hidden.xlsx", "a-b.xlsx", "a/c.xlsx", "old.xls"]
    assert read == [r.name for r in workbooks([raw_dir])]
    assert main(["check", str(raw_dir)]) == 2  # old.xls cannot be read
    reported = [line.split(": ", 1)[0] for line in capsys.readouterr().out.splitlines()
                if not line.startswith("  ")]
    assert reported == [str(raw_dir / name) for name in read]


def test_check_takes_a_file_named_on_the_command_line_with_its_sidecar(raw_dir, capsys):
    path = _annex(raw_dir / "x.xlsx", "Kota Bengkulu",
                  sidecar={"publisher": "test", "evaluation_year": 2023})
    assert RawFile.under(path, raw_dir).sidecar == raw_dir / "x.source.yml"
    assert main(["check", str(path)]) == 0
    assert capsys.readouterr().out == (f"{path}: Lampiran: annex; 1 value(s) read, "
                                       "1 accepted, 0 rejected\n")
    (raw_dir / "x.source.yml").write_text("publisher: test\nevaluation_year: 2022\n")
    assert main(["check", str(path)]) == 2  # the staged sidecar contradicts the title
    assert "the evaluation year is contradictory: 2023 (A1); 2022" in capsys.readouterr().out
