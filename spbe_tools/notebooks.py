"""Execute the analyst notebooks with parameters (papermill) and export them to HTML.

The reviewed source of each notebook is its jupytext percent-format ``.py`` in
``notebooks/``; the paired ``.ipynb`` is what JupyterLab opens. A run reads the
``.py`` (so an unsynced ``.ipynb`` can never be what leaders receive), injects the
parameters with papermill, executes headless, and writes into ``out_dir``:

* ``NN-name.ipynb`` — the executed notebook with its outputs;
* ``NN-name.html`` — a static HTML export with the code hidden, to e-mail.

The notebooks of one run (one pack, or every pack of ``spbe brief --region … --region …``)
share one kernel (:class:`KernelSession`): it starts once, imports pandas and matplotlib
once, and before each notebook its namespace is reset and its execution count set back
to 1, so each notebook runs as it would in a fresh kernel, from its own cells only.
"""
from __future__ import annotations

import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from spbe_tools.errors import SpbeError
from spbe_tools.paths import NOTEBOOKS_DIR

__all__ = ["ALL_NOTEBOOKS", "NOTEBOOKS", "KernelSession", "NotebookError", "run_notebook",
           "run_notebooks", "export_html"]

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


#: Run before each notebook in a shared kernel: a fresh namespace and execution count 1.
_RESET = "get_ipython().reset(new_session=True)"


class KernelSession:
    """One kernel, started in ``cwd`` (the notebooks' folder, as JupyterLab does), for
    several notebooks run one after another; a context manager that shuts it down."""

    def __init__(self, cwd: Path = NOTEBOOKS_DIR):
        self.cwd = Path(cwd)
        self.km = None

    def __enter__(self) -> KernelSession:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self.km = AsyncKernelManager(kernel_name=_kernel_name())
        # the kernel's own log (a TCP-transport warning at start) is noise for analysts;
        # cell errors still arrive as messages and fail the run
        run_sync(self.km.start_kernel)(cwd=str(self.cwd),
                                       extra_arguments=["--IPKernelApp.log_level=ERROR"])
        return self

    def __exit__(self, *exc) -> None:
        from jupyter_core.utils import run_sync

        if self.km is not None:
            run_sync(self.km.shutdown_kernel)(now=True)
            self.km = None

    def reset(self) -> None:
        """Clear the namespace and history, as a fresh kernel would have them."""
        kc = self.km.blocking_client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=60)
            reply = kc.execute_interactive(_RESET, store_history=False, timeout=60,
                                           output_hook=lambda msg: None)
            if reply["content"]["status"] != "ok":
                raise NotebookError(f"the notebook kernel could not be reset: "
                                    f"{reply['content'].get('evalue', '')}")
        finally:
            kc.stop_channels()

    def run(self, source: Path, out_dir: Path, parameters: Mapping[str, object], *,
            html: bool = True) -> list[Path]:
        """Execute one notebook source into ``out_dir`` in this kernel; the files written."""
        import jupytext
        import papermill as pm

        self.reset()
        out_dir.mkdir(parents=True, exist_ok=True)
        executed = out_dir / f"{source.stem}.ipynb"
        with tempfile.TemporaryDirectory(prefix="spbe-nb-") as tmp:
            src_nb = Path(tmp) / f"{source.stem}.ipynb"
            nb = jupytext.read(source)
            nb.metadata["kernelspec"] = {"name": _kernel_name(), "display_name": "Python 3",
                                         "language": "python"}
            jupytext.write(nb, src_nb)
            try:
                pm.execute_notebook(str(src_nb), str(executed), parameters=dict(parameters),
                                    kernel_name=_kernel_name(), km=self.km,
                                    progress_bar=False, log_output=False)
            except pm.PapermillExecutionError as exc:
                raise NotebookError(
                    f"notebook failed in cell {exc.exec_count}: {exc.ename}: {exc.evalue}",
                    file=str(source)) from None
        written = [executed]
        if html:
            written.append(export_html(executed, executed.with_suffix(".html")))
        return written


def run_notebook(source: Path, out_dir: Path, parameters: Mapping[str, object], *,
                 html: bool = True, cwd: Path | None = None) -> list[Path]:
    """Execute one notebook source into ``out_dir`` in a kernel of its own; returns the
    files written. The kernel starts in ``cwd``, by default the notebook's own folder, as
    in JupyterLab: the notebooks resolve relative paths against the project root.
    """
    with KernelSession(cwd or source.parent) as session:
        return session.run(source, out_dir, parameters, html=html)


def run_notebooks(out_dir: Path, parameters: Mapping[str, object], *,
                  names: Sequence[str] = NOTEBOOKS, notebooks_dir: Path = NOTEBOOKS_DIR,
                  html: bool = True, progress: bool = False,
                  session: KernelSession | None = None) -> list[Path]:
    """Execute the named notebooks in order with the same parameters, in ``session``'s
    kernel (default: one started for them, in ``notebooks_dir``)."""
    sources = [Path(notebooks_dir) / f"{n}.py" for n in names]
    missing = [str(s) for s in sources if not s.exists()]
    if missing:
        raise NotebookError(f"notebook source(s) not found: {missing}")
    if session is None:
        with KernelSession(Path(notebooks_dir)) as own:
            return run_notebooks(out_dir, parameters, names=names, notebooks_dir=notebooks_dir,
                                 html=html, progress=progress, session=own)
    written: list[Path] = []
    for source in sources:
        if progress:
            print(f"  notebook {source.stem} …", file=sys.stderr)
        written += session.run(source, Path(out_dir), parameters, html=html)
    return written
