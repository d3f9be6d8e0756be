"""The notebooks: paired with their .py, committed without outputs, and executed headless."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pandas as pd
import pytest

from spbe_tools import compare, target
from spbe_tools.notebooks import ALL_NOTEBOOKS, NOTEBOOKS, NotebookError, run_notebooks
from spbe_tools.paths import DEMO_DIR, NOTEBOOKS_DIR, ROOT_MARKER
from spbe_tools.processed import load_processed  # noqa: E402

from _workbooks import make_workbook
from conftest import ANNEX_2023_MERGES, ANNEX_2023_ROWS, PROJECT_ROOT, SHIPPED_RAW

PARAMETER_NAMES = {"region", "year", "peers", "raw_dir", "processed_dir", "out_dir"}


def _cells(nb) -> list[tuple[str, str]]:
    return [(c.cell_type, c.source.strip()) for c in nb.cells]


@pytest.mark.parametrize("name", ALL_NOTEBOOKS)
def test_each_notebook_is_in_sync_with_its_py_source(name):
    py = jupytext.read(NOTEBOOKS_DIR / f"{name}.py")
    ipynb = jupytext.read(NOTEBOOKS_DIR / f"{name}.ipynb")
    assert _cells(py) == _cells(ipynb), f"run `jupytext --sync notebooks/{name}.py`"


@pytest.mark.parametrize("name", ALL_NOTEBOOKS)
def test_each_notebook_is_committed_without_outputs(name):
    nb = nbformat.read(NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)


@pytest.mark.parametrize("name", ALL_NOTEBOOKS)
def test_each_notebook_has_a_tagged_parameters_cell_with_the_agreed_names(name):
    nb = jupytext.read(NOTEBOOKS_DIR / f"{name}.py")
    (cell,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assigned = {line.split("=")[0].strip() for line in cell.source.splitlines() if "=" in line}
    assert PARAMETER_NAMES <= assigned


def _params(raw: Path, demo: Path | str, out: Path, region: str, year: int) -> dict:
    return {"region": region, "year": year, "peers": "province", "raw_dir": str(raw),
            "demo_dir": str(demo), "processed_dir": str(out / "processed"),
            "out_dir": str(out / "report"), "lang": "id"}


@pytest.fixture(scope="module")
def shipped_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("nb-shipped")
    params = _params(SHIPPED_RAW, DEMO_DIR, out, "Kota Bengkulu", 2023)
    written = run_notebooks(out / "report", params)
    return out, written


@pytest.mark.slow
def test_notebooks_on_the_shipped_data_write_their_tables_and_html(shipped_run):
    out, written = shipped_run
    names = {p.name for p in written}
    for nb in NOTEBOOKS:
        assert {f"{nb}.ipynb", f"{nb}.html"} <= names
    html = (out / "report" / "02-compare.html").read_text(encoding="utf-8")
    assert "Kota Bengkulu" in html and "import " not in html  # code cells hidden


@pytest.mark.slow
def test_ingest_notebook_builds_the_processed_tables_it_reports(shipped_run):
    out, _ = shipped_run
    files = pd.read_csv(out / "report" / "01-ingest-files.csv")
    assert (files["values_read"] == files["values_accepted"] + files["values_rejected"]).all()
    results, _ = load_processed(out / "processed")
    assert files["values_accepted"].sum() >= len(results) > 0


@pytest.mark.slow
def test_compare_notebook_numbers_equal_the_api(shipped_run):
    out, _ = shipped_run
    summary = json.loads((out / "report" / "02-compare-summary.json").read_text())
    results, _ = load_processed(out / "processed")
    api = compare.compare_region(results, "Kota Bengkulu", 2023, "province")
    assert (summary["index"], summary["rank"], summary["n_ranked"]) == (2.61, 5, 11)
    assert (summary["index"], summary["rank"]) == (api.index, api.rank)
    peers = pd.read_csv(out / "report" / "02-compare-peers.csv", dtype={"instansi_code": str})
    assert len(peers) == 11


@pytest.mark.slow
def test_trend_and_target_notebooks_write_what_the_package_computes(shipped_run):
    out, _ = shipped_run
    trend = pd.read_csv(out / "report" / "03-trends.csv")
    assert set(range(2018, 2026)) <= set(trend["year"])
    summary = json.loads((out / "report" / "04-target-summary.json").read_text())
    results, scores = load_processed(out / "processed")
    view = target.target_view(scores, results, "17.71", 2023)
    assert summary == json.loads(json.dumps(view.summary, default=str))
    assert summary["lhe_synthetic"] is True and summary["end_index"] >= 3.5
    plan = pd.read_csv(out / "report" / "04-target-plan.csv")
    assert plan["steps"].sum() == summary["total_steps"]


@pytest.mark.slow
def test_notebooks_run_on_a_small_fixture_for_another_region(raw_dir, tmp_path):
    make_workbook(raw_dir / "annex_2023.xlsx", {"Lampiran": (ANNEX_2023_ROWS, ANNEX_2023_MERGES)})
    params = _params(raw_dir, "", tmp_path, "Provinsi Bengkulu", 2023)
    run_notebooks(tmp_path / "report", params, html=False)
    summary = json.loads((tmp_path / "report" / "02-compare-summary.json").read_text())
    assert (summary["index"], summary["rank"], summary["n_ranked"]) == (3.12, 2, 4)
    target_summary = json.loads((tmp_path / "report" / "04-target-summary.json").read_text())
    assert "total_steps" not in target_summary  # no LHE for this fixture: no plan, no crash


@pytest.mark.slow
def test_a_deliberately_broken_notebook_makes_the_run_fail(tmp_path, raw_dir):
    make_workbook(raw_dir / "annex_2023.xlsx", {"Lampiran": (ANNEX_2023_ROWS, ANNEX_2023_MERGES)})
    nbdir = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS_DIR, nbdir)
    src = (nbdir / "02-compare.py").read_text()
    (nbdir / "02-compare.py").write_text(src + "\n# %%\nraise RuntimeError('broken on purpose')\n")
    with pytest.raises(NotebookError, match="broken on purpose"):
        run_notebooks(tmp_path / "report", _params(raw_dir, "", tmp_path, "Kota Bengkulu", 2023),
                      notebooks_dir=nbdir, html=False)


def test_committed_notebooks_folder_has_only_the_known_notebooks():
    stems = {p.stem for p in (PROJECT_ROOT / "notebooks").glob("*.ipynb")}
    assert stems == set(ALL_NOTEBOOKS)


# ------------------------------------------------------------------ as JupyterLab runs them

def make_clone(dest: Path) -> Path:
    """What a fresh clone holds after ``make build``: the project marker, the notebooks,
    the shipped raw/demo/locked data, and data/processed built from them."""
    from spbe_tools.build import build

    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT_ROOT / ROOT_MARKER, dest / ROOT_MARKER)
    shutil.copytree(NOTEBOOKS_DIR, dest / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    for name in ("raw", "demo", "locked"):
        shutil.copytree(PROJECT_ROOT / "data" / name, dest / "data" / name)
    build([dest / "data" / "raw", dest / "data" / "demo"], dest / "data" / "processed")
    return dest


def chart_cells(nb) -> list:
    """Code cells that draw a chart (call a ``charts.`` builder or draw a map)."""
    return [c for c in nb.cells if c.cell_type == "code"
            and ("charts." in c.source or "maps.region_map" in c.source)]


def png_outputs(cell) -> int:
    return sum("image/png" in o.get("data", {}) for o in cell.outputs)


@pytest.fixture(scope="module")
def lab_run(tmp_path_factory):
    """Every committed .ipynb executed unchanged, kernel started in notebooks/ (JupyterLab)."""
    from nbclient import NotebookClient

    clone = make_clone(tmp_path_factory.mktemp("clone"))
    executed = {}
    for name in ALL_NOTEBOOKS:  # 00-extract without a PDF: says what to fill in
        nb = nbformat.read(clone / "notebooks" / f"{name}.ipynb", as_version=4)
        kernel = nb.metadata["kernelspec"]["name"]  # no kernel choice needed
        NotebookClient(nb, timeout=600, kernel_name=kernel,
                       resources={"metadata": {"path": str(clone / "notebooks")}}).execute()
        executed[name] = nb
    return clone, executed


@pytest.mark.parametrize("name", ALL_NOTEBOOKS)
def test_each_notebook_carries_a_python3_kernelspec_and_language(name):
    nb = nbformat.read(NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.metadata["language_info"]["name"] == "python"
    assert jupytext.read(NOTEBOOKS_DIR / f"{name}.py").metadata["kernelspec"]["name"] == "python3"


@pytest.mark.slow
def test_notebooks_run_top_to_bottom_from_the_notebooks_folder_with_no_edits(lab_run):
    clone, executed = lab_run
    errors = [(name, o.get("ename")) for name, nb in executed.items() for c in nb.cells
              if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    pack = clone / "reports" / "kota-bengkulu-2023"
    assert {"01-ingest-files.csv", "02-compare-summary.json", "03-trends.csv",
            "04-target-summary.json"} <= {p.name for p in pack.iterdir()}
    assert not (clone / "notebooks" / "data").exists()  # nothing written beside the notebooks


@pytest.mark.slow
def test_every_chart_cell_shows_a_png_image_not_a_figure_repr(lab_run):
    _, executed = lab_run
    charts_seen = 0
    for name, nb in executed.items():
        for cell in chart_cells(nb):
            assert png_outputs(cell) >= 1, f"{name}: {cell.source!r} shows no image"
            charts_seen += 1
    assert charts_seen >= 5  # ranking, distribution, map, trend, plan


@pytest.mark.slow
def test_tables_print_as_an_analyst_reads_them(lab_run):
    _, executed = lab_run
    nb = executed["02-compare"]
    (table,) = [o["data"]["text/html"] for c in nb.cells if c.cell_type == "code"
                for o in c.outputs if "text/html" in o.get("data", {})]
    assert ">Peringkat</th>" in table and ">Indeks</th>" in table and ">Sumber</th>" in table
    assert "rank_label" not in table and "instansi_code" not in table
    assert ">2,61</td>" in table and ">2.61</td>" not in table
    assert "NaN" not in table and "&lt;NA&gt;" not in table
    assert "row_heading" not in table  # no pandas index column
    long_url = "https://harianbengkuluekspress.bacakoran.co/read/4879/pemkot-raih-predikat-baik"
    assert long_url in table  # sources are never cut off


@pytest.mark.slow
def test_html_exports_carry_one_image_per_chart_and_no_machine_paths(lab_run, tmp_path):
    from spbe_tools.notebooks import export_html

    clone, executed = lab_run
    for name, nb in executed.items():
        ipynb = tmp_path / f"{name}.ipynb"
        nbformat.write(nb, ipynb)
        html = export_html(ipynb, tmp_path / f"{name}.html").read_text(encoding="utf-8")
        images = sum(png_outputs(c) for c in nb.cells if c.cell_type == "code")
        assert html.count("<img ") == images
        assert images >= len(chart_cells(nb))
        assert "<Figure size" not in html
        assert "IProgress" not in html and "tqdm" not in html
        for path in {str(clone), str(clone.resolve()), str(PROJECT_ROOT), str(Path.home())}:
            assert path not in html, f"{name}.html shows the path {path}"


@pytest.mark.slow
def test_papermill_needs_only_parameters_and_writes_where_they_say(tmp_path):
    clone = make_clone(tmp_path)
    for args, folder, name in (
            (["-p", "region", "Provinsi Bengkulu", "-p", "year", "2023"],
             "provinsi-bengkulu-2023", "Provinsi Bengkulu"),
            (["-p", "peers", "category"], "kota-bengkulu-2023-category", "Kota Bengkulu")):
        subprocess.run([sys.executable, "-m", "papermill", "notebooks/02-compare.ipynb",
                        str(tmp_path / "out.ipynb"), *args, "--no-progress-bar"],
                       cwd=clone, check=True, capture_output=True, env=os.environ.copy())
        summary = json.loads((clone / "reports" / folder / "02-compare-summary.json").read_text())
        assert summary["focal"]["name"] == name
    assert sorted(p.name for p in (clone / "reports").iterdir()) == [
        "kota-bengkulu-2023-category", "provinsi-bengkulu-2023"]


def test_notebooks_sharing_a_kernel_each_start_from_an_empty_namespace(tmp_path):
    nbdir = tmp_path / "notebooks"
    nbdir.mkdir()
    (nbdir / "a.py").write_text('# %% tags=["parameters"]\nregion = ""\n\n# %%\nleak = 42\n')
    (nbdir / "b.py").write_text('# %% tags=["parameters"]\nregion = ""\n\n# %%\n'
                                'assert "leak" not in globals(), "a variable of notebook a"\n'
                                'print(region)\n')
    written = run_notebooks(tmp_path / "out", {"region": "Kota Bengkulu"}, names=("a", "b"),
                            notebooks_dir=nbdir, html=False)
    assert [p.name for p in written] == ["a.ipynb", "b.ipynb"]
    b = nbformat.read(tmp_path / "out" / "b.ipynb", as_version=4)
    code = [c for c in b.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == [1, 2, 3]  # as in a fresh kernel
    assert code[-1].outputs[0]["text"] == "Kota Bengkulu\n"
    (nbdir / "b.py").write_text("# %%\nprint(leak)\n")
    with pytest.raises(NotebookError, match="NameError"):
        run_notebooks(tmp_path / "out2", {}, names=("a", "b"), notebooks_dir=nbdir, html=False)


def test_a_brief_for_two_regions_runs_every_notebook_in_one_kernel(tmp_path, raw_dir,
                                                                   monkeypatch):
    from spbe_tools import cli, notebooks
    from spbe_tools.build import build

    make_workbook(raw_dir / "annex_2023.xlsx", {"Lampiran": (ANNEX_2023_ROWS, ANNEX_2023_MERGES)})
    processed = tmp_path / "processed"
    build(raw_dir, processed)
    started = []
    real_enter = notebooks.KernelSession.__enter__
    monkeypatch.setattr(notebooks.KernelSession, "__enter__",
                        lambda self: started.append(self) or real_enter(self))
    reports = tmp_path / "reports"
    assert cli.main(["brief", "--region", "Kota Bengkulu", "--region", "Provinsi Bengkulu",
                     "--year", "2023", "--raw", str(raw_dir), "--demo", "",
                     "--processed", str(processed), "--reports", str(reports)]) == 0
    assert len(started) == 1
    for folder in ("kota-bengkulu-2023", "provinsi-bengkulu-2023"):
        summary = json.loads((reports / folder / "02-compare-summary.json").read_text())
        assert summary["focal"]["code"] == ("17.71" if folder.startswith("kota") else "17")
        assert {f"{n}.html" for n in NOTEBOOKS} <= {p.name for p in (reports / folder).iterdir()}
