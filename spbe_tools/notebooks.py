"""Execute the analyst notebooks with parameters (papermill) and export them to HTML.

The reviewed source of each notebook is its jupytext percent-format ``.py`` in
``notebooks/``; the paired ``.ipynb`` is what JupyterLab opens. A run reads the
``.py`` (so an unsynced ``.ipynb`` can never be what leaders receive), injects the
parameters with papermill, executes headless, and writes into ``out_dir``:

* ``NN-name.ipynb`` — the executed notebook with its outputs;
* ``NN-name.html`` — a static HTML export with the code hidden, to e-mail.
"""
from __future__ import annotations

import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from spbe_tools.errors import SpbeError
from spbe_tools.paths import NOTEBOOKS_DIR

__all__ = ["ALL_NOTEBOOKS", "NOTEBOOKS", "NotebookError", "run_notebook", "run_notebooks",
           "export_html"]

# The notebooks of a briefing pack, in order; 00-extract (PDF annex -> workbook) is a
# tool for the analyst before the build, not part of what leaders receive.
NOTEBOOKS = ("01-ingest", "02-compare", "03-trends", "04-target")
ALL_NOTEBOOKS = ("00-extract", *NOTEBOOKS)


class NotebookError(SpbeError):
    """A notebook failed while executing; names the notebook and the failing cell."""


def _kernel_name() -> str:
    """A kernel running this interpreter, so the notebooks see the same spbe_tools."""
    from jupyter_client.kernelspec import NATIVE_KERNEL_NAME

    return NATIVE_KERNEL_NAME


def export_html(executed: Path, html: Path) -> Path:
    """Static HTML of an executed notebook with code cells and prompts hidden."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(nbformat.read(executed, as_version=4))
    html.write_text(body, encoding="utf-8")
    return html


def run_notebook(source: Path, out_dir: Path, parameters: Mapping[str, object], *,
                 html: bool = True, cwd: Path | None = None) -> list[Path]:
    """Execute one notebook source into ``out_dir``; returns the files written.

    The kernel starts in ``cwd``, by default the notebook's own folder, as in
    JupyterLab: the notebooks resolve relative paths against the project root.
    """
    import jupytext
    import papermill as pm

    out_dir.mkdir(parents=True, exist_ok=True)
    executed = out_dir / f"{source.stem}.ipynb"
    with tempfile.TemporaryDirectory(prefix="spbe-nb-") as tmp:
        src_nb = Path(tmp) / f"{source.stem}.ipynb"
        nb = jupytext.read(source)
        nb.metadata["kernelspec"] = {"name": _kernel_name(), "display_name": "Python 3",
                                     "language": "python"}
        jupytext.write(nb, src_nb)
        try:
            # the kernel's own log (a TCP-transport warning at start) is noise for analysts;
            # cell errors still arrive as messages and fail the run below
            pm.execute_notebook(str(src_nb), str(executed), parameters=dict(parameters),
                                kernel_name=_kernel_name(), cwd=str(cwd or source.parent),
                                progress_bar=False, log_output=False,
                                extra_arguments=["--IPKernelApp.log_level=ERROR"])
        except pm.PapermillExecutionError as exc:
            raise NotebookError(
                f"notebook failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue}",
                file=str(source)) from None
    written = [executed]
    if html:
        written.append(export_html(executed, executed.with_suffix(".html")))
    return written


def run_notebooks(out_dir: Path, parameters: Mapping[str, object], *,
                  names: Sequence[str] = NOTEBOOKS, notebooks_dir: Path = NOTEBOOKS_DIR,
                  html: bool = True, progress: bool = False) -> list[Path]:
    """Execute the named notebooks in order with the same parameters."""
    written: list[Path] = []
    sources = [Path(notebooks_dir) / f"{n}.py" for n in names]
    missing = [str(s) for s in sources if not s.exists()]
    if missing:
        raise NotebookError(f"notebook source(s) not found: {missing}")
    for source in sources:
        if progress:
            print(f"  notebook {source.stem} …", file=sys.stderr)
        written += run_notebook(source, Path(out_dir), parameters, html=html)
    return written
