"""spbe_tools.paths: notebooks find the project root wherever their kernel starts."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from spbe_tools import paths
from spbe_tools.paths import (
    ROOT_MARKER,
    find_project_root,
    is_project_root,
    notebook_out_dir,
    project_path,
    report_dir,
)

PYPROJECT = '[project]\nname = "spbe-tools"\nversion = "0.1.0"\n'


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    (tmp_path / ROOT_MARKER).write_text(PYPROJECT, encoding="utf-8")
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "reports" / "kota-bengkulu-2023").mkdir(parents=True)
    return tmp_path


@pytest.mark.parametrize("start", [".", "notebooks", "reports/kota-bengkulu-2023"])
def test_the_root_is_found_from_the_root_the_notebooks_and_a_report_folder(clone, start):
    assert find_project_root(clone / start) == clone.resolve()


def test_relative_parameters_resolve_against_the_root_from_the_notebooks_folder(clone,
                                                                                 monkeypatch):
    monkeypatch.chdir(clone / "notebooks")
    assert project_path("data/processed") == clone.resolve() / "data" / "processed"
    assert project_path(clone / "x") == clone / "x"  # absolute paths are kept


def test_another_projects_pyproject_is_not_taken_for_ours(tmp_path, monkeypatch):
    (tmp_path / ROOT_MARKER).write_text('[project]\nname = "other"\n', encoding="utf-8")
    inner = tmp_path / "sub"
    inner.mkdir()
    assert not is_project_root(tmp_path)
    expected = paths.PROJECT_ROOT if is_project_root(paths.PROJECT_ROOT) else inner.resolve()
    assert find_project_root(inner) == expected


def test_outside_any_clone_the_installed_checkout_is_the_root(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert is_project_root(paths.PROJECT_ROOT)  # the suite runs from an editable checkout
    assert find_project_root() == paths.PROJECT_ROOT
    assert project_path("data/raw") == paths.RAW_DIR


def test_the_pack_folder_names_region_year_and_a_non_default_peer_group():
    assert report_dir("Kota Bengkulu", 2023).as_posix() == "reports/kota-bengkulu-2023"
    assert report_dir("Kota Bengkulu", 2023, "province").name == "kota-bengkulu-2023"
    assert report_dir("Kota Jambi", 2024, "category").name == "kota-jambi-2024-category"
    assert report_dir("../../x", 2023, "../all").name == "x-2023-all"


def test_a_notebook_writes_into_the_given_folder_or_the_packs_folder_under_the_root(
        clone, monkeypatch):
    monkeypatch.chdir(clone / "notebooks")
    root = clone.resolve()
    assert notebook_out_dir("", "Kota Jambi", 2023, "island") == \
        root / "reports" / "kota-jambi-2023-island"
    assert notebook_out_dir("mine", "Kota Jambi", 2023) == root / "mine"
    assert notebook_out_dir(os.fspath(clone / "abs"), "Kota Jambi", 2023) == clone / "abs"
