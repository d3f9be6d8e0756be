"""The only module that knows directories.

Command-line defaults (``data/raw``, ``data/processed``, ``reports``) are relative
to the current directory, as users type them. Notebooks are different: JupyterLab
starts their kernel in ``notebooks/``, papermill wherever it is run, so a notebook
resolves its relative paths against the project root with :func:`project_path`.
``PROJECT_ROOT`` is the checkout this package was installed from (editable
install), for tests and tools that need its own folders.

>>> report_dir("Kota Bengkulu", 2023, reports_dir="reports").as_posix()
'reports/kota-bengkulu-2023'
>>> report_dir("Kota Bengkulu", 2023, "category", reports_dir="reports").as_posix()
'reports/kota-bengkulu-2023-category'
"""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PACKAGE_DATA = PACKAGE_DIR / "data"
PROJECT_ROOT = PACKAGE_DIR.parent
RAW_DIR = PROJECT_ROOT / "data" / "raw"
DEMO_DIR = PROJECT_ROOT / "data" / "demo"  # synthetic demonstration inputs, kept out of raw/
PROCESSED_DIR = PROJECT_ROOT / "data" / "processed"
LOCKED_NAME = "locked"  # beside the raw folder: data/raw -> data/locked
LOCKED_DIR = PROJECT_ROOT / "data" / LOCKED_NAME
REPORTS_DIR = PROJECT_ROOT / "reports"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"

DEFAULT_RAW = Path("data/raw")
DEFAULT_PROCESSED = Path("data/processed")
DEFAULT_REPORTS = Path("reports")
DEFAULT_LOCKED = Path("data/locked")
DEFAULT_DEMO = Path("data/demo")
DEFAULT_PEERS = "province"  # the peer group a pack folder is named without a suffix

# A project root is a folder whose pyproject.toml names this project.
ROOT_MARKER = "pyproject.toml"
_PROJECT_NAME_LINE = 'name = "spbe-tools"'


def is_project_root(folder: str | Path) -> bool:
    """True when ``folder`` holds this project's ``pyproject.toml``."""
    marker = Path(folder) / ROOT_MARKER
    try:
        with open(marker, encoding="utf-8", errors="replace") as fh:
            head = fh.read(4096)  # the [project] table sits at the top
    except OSError:
        return False
    return _PROJECT_NAME_LINE in head


def find_project_root(start: str | Path | None = None) -> Path:
    """The nearest folder at or above ``start`` (default: the current directory) that is
    the project root; else the checkout the package came from; else ``start`` itself.

    So a kernel started in ``notebooks/`` (JupyterLab) or in a report folder finds the
    same root as a shell in the root.
    """
    here = Path(start if start is not None else os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if is_project_root(folder):
            return folder
    return PROJECT_ROOT if is_project_root(PROJECT_ROOT) else here


def project_path(path: str | Path, root: str | Path | None = None) -> Path:
    """``path`` as given when absolute, else resolved against the project root.

    ``root`` defaults to :func:`find_project_root` from the current directory.
    """
    path = Path(path).expanduser()
    if path.is_absolute():
        return path
    return Path(root) / path if root is not None else find_project_root() / path


def report_dir(name: str, year: int, peers: str | None = None,
               reports_dir: str | Path = DEFAULT_REPORTS) -> Path:
    """``reports/<slug>-<year>[-<peers>]``: the folder of one briefing pack.

    The peer group is part of the name unless it is the default (province), so a
    pack for another peer group never overwrites the province pack. The slug is
    ASCII letters, digits and hyphens, so it cannot leave ``reports_dir``.
    """
    from spbe_tools.safe_output import safe_slug  # late: keeps this module dependency-free

    suffix = f"-{safe_slug(peers)}" if peers and peers != DEFAULT_PEERS else ""
    return Path(reports_dir) / f"{safe_slug(name)}-{int(year)}{suffix}"


def notebook_out_dir(out_dir: str | Path | None, name: str, year: int,
                     peers: str | None = None) -> Path:
    """Where a notebook writes its tables: ``out_dir`` when given (relative paths from
    the project root), else ``reports/<slug>-<year>[-<peers>]`` under the project root,
    the same folder ``spbe brief`` writes the pack into."""
    return project_path(out_dir or report_dir(name, year, peers))
