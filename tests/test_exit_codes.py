"""Exit statuses scripts can rely on: 0 done, 1 findings (check) / failed file (build),
2 a readable error (SpbeError, bad argument), 3 a crash (an unexpected exception) with a
one-line message pointing at the log that holds the traceback."""
from __future__ import annotations

import re
from pathlib import Path

from spbe_tools import cli


def _crashing_parser(monkeypatch):
    real = cli.make_parser

    def make_parser(*args):
        parser = real(*args)

        def boom(args):
            raise RuntimeError("something nobody expected")
        parser.set_defaults(func=boom)
        for action in parser._subparsers._group_actions:
            for sub in action.choices.values():
                sub.set_defaults(func=boom)
        return parser
    monkeypatch.setattr(cli, "make_parser", make_parser)


def test_an_unexpected_exception_exits_3_with_one_line_naming_the_log(monkeypatch, tmp_path,
                                                                      capsys):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", None)
    _crashing_parser(monkeypatch)
    assert cli.main(["regions", "Kota Bengkulu"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("spbe regions: unexpected error (RuntimeError: something nobody "
                          "expected); a bug, not a problem in your data; see the traceback in ")
    log = Path(re.search(r"traceback in (\S+\.log)", err).group(1))
    assert log.parent == tmp_path
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text and "something nobody expected" in text
    assert "argv: ['regions', 'Kota Bengkulu']" in text


def test_a_readable_error_stays_exit_2_and_check_findings_stay_exit_1(tmp_path, capsys):
    from _workbooks import make_workbook

    assert cli.main(["lock", "--processed", str(tmp_path / "none")]) == 2
    assert "no processed results to lock" in capsys.readouterr().err
    make_workbook(tmp_path / "raw" / "a.xlsx", {"S": ([["HASIL EVALUASI SPBE TAHUN 2023"],
                                                     ["Instansi", "Indeks", "Predikat"],
                                                     ["Kota Bengkulu", 2.61, "Sedang"]], [])})
    assert cli.main(["check", str(tmp_path / "raw")]) == 1
