"""The shipped workbooks of the national reports are what the product's own path makes of
the reports: the tools regenerate them byte for byte from data/sources/laporan."""
from __future__ import annotations

from pathlib import Path

import pytest

from _tools import load_tool

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "data" / "sources" / "laporan"
RAW = ROOT / "data" / "raw"


def _same_files(made: Path, shipped: Path) -> None:
    names = sorted(p.name for p in made.iterdir())
    assert names == sorted(p.name for p in shipped.iterdir())
    for name in names:
        assert (made / name).read_bytes() == (shipped / name).read_bytes(), name


def test_the_report_workbooks_regenerate_byte_for_byte(tmp_path):
    tool = load_tool("make_report_annexes")
    assert tool.main([str(SOURCES), str(tmp_path)]) == 0
    _same_files(tmp_path / "laporan", RAW / "laporan")


def test_the_national_tables_regenerate_byte_for_byte(tmp_path):
    tool = load_tool("make_national_tables")
    assert tool.main([str(SOURCES), str(tmp_path)]) == 0
    _same_files(tmp_path / "national", RAW / "national")


def test_a_decision_for_a_row_the_reader_does_not_flag_stops_the_tool(tmp_path):
    tool = load_tool("make_report_annexes")
    decisions = tool.load_decisions(SOURCES / "review_decisions.csv")
    decisions[(2023, 910)] = {"decision": "keep", "empty_cells": "", "reason": "x"}
    with pytest.raises(SystemExit, match="baris 910 has a decision but is not flagged"):
        tool.ship(SOURCES, tmp_path, 2023, decisions)


def test_a_flagged_row_without_a_decision_stops_the_tool(tmp_path):
    tool = load_tool("make_report_annexes")
    decisions = tool.load_decisions(SOURCES / "review_decisions.csv")
    del decisions[(2024, 1406)]
    with pytest.raises(SystemExit, match="baris 1406.*has no decision"):
        tool.ship(SOURCES, tmp_path, 2024, decisions)
