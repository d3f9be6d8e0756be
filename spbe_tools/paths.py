"""The only module that knows directories.

Command-line defaults (``data/raw``, ``data/processed``, ``reports``) are relative
to the current directory, as users type them; ``PROJECT_ROOT`` is for notebooks
and tests that need the checkout's own folders wherever they run from.
"""
from __future__ import annotations

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
