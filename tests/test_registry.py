"""The registry answers for evaluation years and frameworks: its own error, naming what was
asked for, and the default framework."""
from __future__ import annotations

from pathlib import Path

import pytest

from spbe_tools import cli, registry
from spbe_tools.errors import ConfigError, NotRegisteredError

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


def test_an_unknown_year_is_named_with_the_known_ones():
    with pytest.raises(NotRegisteredError) as err:
        registry.evaluation(2017)
    assert isinstance(err.value, ConfigError) and err.value.found == "2017"
    assert "year 2017" in err.value.message and "2023" in err.value.message


def test_an_unknown_framework_is_named_with_the_known_ones():
    with pytest.raises(NotRegisteredError) as err:
        registry.framework("spbe-2099")
    assert err.value.found == "spbe-2099" and "spbe-59-2020" in err.value.message


@pytest.mark.parametrize("year, known", [(2023, True), (2017, False), ("2023", False),
                                         (2023.5, False), (True, False), (None, False)])
def test_is_evaluation_year_takes_whole_registered_years_only(year, known):
    assert registry.is_evaluation_year(year) is known


def test_the_default_framework_is_a_registered_one_and_the_template_uses_it(tmp_path):
    assert registry.default_framework() in registry.frameworks()
    out = tmp_path / "lhe.xlsx"
    assert cli.main(["template", "lhe", "--out", str(out)]) == 0
    from openpyxl import load_workbook
    text = " ".join(str(c.value) for row in load_workbook(out).active.iter_rows()
                    for c in row if c.value is not None)
    assert registry.default_framework() in text


@pytest.mark.parametrize("argv", [["compare", "--region", "Kota Bengkulu", "--year", "2017",
                                   "--processed", "processed"],
                                  ["template", "lhe", "--year", "2017", "--out", "x.xlsx"]])
def test_commands_report_an_unknown_year_through_the_registry(argv, tmp_path, capsys,
                                                              monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["build", "--raw", str(RAW), "--out", "processed"]) in (0, 1)
    capsys.readouterr()
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "2017" in err and "known years" in err and "Traceback" not in err
