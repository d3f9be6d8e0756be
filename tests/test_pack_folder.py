"""spbe_tools.pack_folder and `spbe brief --out`: only a folder the brief wrote is replaced."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from spbe_tools import cli
from spbe_tools.errors import ConfigError
from spbe_tools.pack_folder import MARKER, check_destination, staging, swap_into_place


def _write_pack(out: Path, files: dict[str, str]) -> None:
    with staging(out) as tmp:
        for name, content in files.items():
            (tmp / name).write_text(content)
        swap_into_place(tmp, out)


def test_a_new_or_empty_folder_is_accepted(tmp_path):
    check_destination(tmp_path / "new")
    (tmp_path / "empty").mkdir()
    _write_pack(tmp_path / "empty", {"a.png": "1"})
    assert (tmp_path / "empty" / "a.png").read_text() == "1"


def test_a_pack_is_replaced_whole_and_its_marker_lists_what_was_written(tmp_path):
    out = tmp_path / "kota-bengkulu-2023"
    _write_pack(out, {"a.png": "1", "b.svg": "2"})
    _write_pack(out, {"a.png": "3"})
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "a.png"]
    assert json.loads((out / MARKER).read_text())["files"] == ["a.png"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]  # no staging left


def test_the_marker_is_byte_identical_for_the_same_files(tmp_path):
    _write_pack(tmp_path / "x", {"b": "1", "a": "2"})
    _write_pack(tmp_path / "y", {"a": "2", "b": "1"})
    assert (tmp_path / "x" / MARKER).read_bytes() == (tmp_path / "y" / MARKER).read_bytes()


@pytest.mark.parametrize("setup, found", [
    (lambda d: (d / "mine.txt").write_text("x"), "mine.txt"),
    (lambda d: (d / "raw").mkdir(), "raw/"),
    (lambda d: (d / MARKER).write_text("not json"), MARKER),
])
def test_a_folder_the_brief_did_not_write_is_refused_and_kept(tmp_path, setup, found):
    out = tmp_path / "user"
    out.mkdir()
    setup(out)
    before = sorted(p.name for p in out.iterdir())
    with pytest.raises(ConfigError, match="not written by spbe brief") as err:
        _write_pack(out, {"a.png": "1"})
    assert found in str(err.value)
    assert sorted(p.name for p in out.iterdir()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["user"]


def test_a_file_in_place_of_the_folder_is_refused(tmp_path):
    target = tmp_path / "pack"
    target.write_text("a file")
    with pytest.raises(ConfigError, match="is a file"):
        _write_pack(target, {"a.png": "1"})
    assert target.read_text() == "a file"


def test_the_current_folder_and_its_parents_are_refused(tmp_path, monkeypatch):
    inner = tmp_path / "work"
    inner.mkdir()
    monkeypatch.chdir(inner)
    for out in (Path("."), tmp_path):
        with pytest.raises(ConfigError, match="current folder"):
            check_destination(out)


def test_staging_left_by_a_killed_run_is_removed_by_the_next(tmp_path):
    out = tmp_path / "pack"
    (tmp_path / ".pack.tmp-abc").mkdir()
    (tmp_path / ".pack.old-def").mkdir()
    (tmp_path / ".other.tmp-keep").mkdir()
    _write_pack(out, {"a.png": "1"})
    assert sorted(p.name for p in tmp_path.iterdir()) == [".other.tmp-keep", "pack"]


def test_a_failed_swap_puts_the_previous_pack_back(tmp_path, monkeypatch):
    out = tmp_path / "pack"
    _write_pack(out, {"a.png": "old"})
    real = os.replace
    calls = []

    def failing(src, dst):
        calls.append((src, dst))
        if len(calls) == 2:  # the new pack's move fails (disk full, file open elsewhere)
            raise OSError("disk full")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(OSError):
        _write_pack(out, {"a.png": "new"})
    monkeypatch.setattr(os, "replace", real)
    assert (out / "a.png").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack"]


@pytest.mark.parametrize("target", ["data", ".", "README.md"])
def test_brief_refuses_a_users_folder_the_project_or_a_file_with_exit_2(tmp_path, monkeypatch,
                                                                        capsys, target):
    project = tmp_path / "project"
    (project / "data" / "raw").mkdir(parents=True)
    (project / "data" / "raw" / "annex.xlsx").write_bytes(b"keep me")
    (project / "README.md").write_text("readme")
    processed = Path(__file__).parent  # never read: the destination is checked first
    monkeypatch.chdir(project)
    monkeypatch.setattr("spbe_tools.processed.load_processed",
                        lambda _p: pytest.fail("load before checking --out"), raising=False)
    before = sorted(str(p.relative_to(project)) for p in project.rglob("*"))
    code = cli.main(["brief", "--region", "Kota Bengkulu", "--year", "2023", "--out", target,
                     "--processed", str(processed), "--no-notebooks"])
    assert code == 2 and "Traceback" not in capsys.readouterr().err
    assert sorted(str(p.relative_to(project)) for p in project.rglob("*")) == before
