"""Rebuild only what changed (issue 16): the read cache, the unchanged-build record, and a
CLI that imports a command's modules only when that command runs."""
from __future__ import annotations

import pickle
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

from spbe_tools import read_cache, read_jobs
from spbe_tools.build import OUTPUT_FILES, build
from spbe_tools.cli import COMMANDS, main, make_parser
from spbe_tools.commands import SUMMARIES
from spbe_tools.errors import InputError
from spbe_tools.raw_folder import workbooks
from spbe_tools.read_cache import CACHE_DIR_NAME
from spbe_tools.read_jobs import workers_for

from _workbooks import make_workbook

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _second_workbook(raw_dir: Path, value: float = 2.34) -> Path:
    rows = [["HASIL EVALUASI SPBE TAHUN 2022"], ["Nama Instansi", "Indeks", "Predikat"],
            ["Kota Bengkulu", value, "Cukup"], ["Kabupaten Lebong", 2.5, "Cukup"]]
    return make_workbook(raw_dir / "seri_2022.xlsx", {"Hasil": (rows, [])},
                         sidecar={"publisher": "test", "evaluation_year": 2022,
                                  "source_urls": ["https://example.org/2022"]})


def _outputs(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in OUTPUT_FILES}


def _entries(out: Path) -> list[Path]:
    return sorted((out / CACHE_DIR_NAME).glob("*.entry"))


def test_a_rebuild_takes_unchanged_workbooks_from_the_cache_with_identical_outputs(
        raw_dir, annex_2023, tmp_path):
    _second_workbook(raw_dir)
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    first = build(raw_dir, out)
    assert first.read_from_cache == 0 and len(_entries(out)) == 2
    again = build(raw_dir, out)
    assert again.read_from_cache == 2 and again.unchanged
    assert _outputs(out) == _outputs(build(raw_dir, fresh, cache=False).out_dir)
    assert not (fresh / CACHE_DIR_NAME).exists()


def test_only_the_changed_workbook_is_read_again_and_the_outputs_follow_it(raw_dir, annex_2023,
                                                                         tmp_path):
    _second_workbook(raw_dir)
    out = tmp_path / "out"
    build(raw_dir, out)
    _second_workbook(raw_dir, value=2.41)
    result = build(raw_dir, out)
    assert result.read_from_cache == 1 and not result.unchanged
    got = result.results.set_index(["year", "instansi_code"])["index"]
    assert got[(2022, "17.71")] == 2.41
    assert _outputs(out) == _outputs(build(raw_dir, tmp_path / "fresh", cache=False).out_dir)
    assert len(_entries(out)) == 2  # the entry of the old bytes is gone


def test_a_sidecar_change_invalidates_its_workbook(raw_dir, annex_2023, tmp_path):
    out = tmp_path / "out"
    build(raw_dir, out)
    sidecar = raw_dir / "annex_2023.source.yml"
    meta = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
    sidecar.write_text(yaml.safe_dump({**meta, "source_urls": ["https://example.org/baru"]}),
                       encoding="utf-8")
    result = build(raw_dir, out)
    assert result.read_from_cache == 0
    assert set(result.results["sumber"]) == {"https://example.org/baru"}


def test_a_damaged_cache_entry_is_ignored_and_rebuilt_never_trusted(raw_dir, annex_2023,
                                                                   tmp_path):
    out = tmp_path / "out"
    clean = _outputs(build(raw_dir, out).out_dir)
    (entry,) = _entries(out)
    data = entry.read_bytes()
    head = data.index(b"\n", data.index(b"\n") + 1) + 1  # magic line, checksum line
    report, rows, lhe = pickle.loads(data[head:])
    # a payload that unpickles well but is not what was stored (rows lost): only the
    # checksum can tell, and it must
    entry.write_bytes(data[:head] + pickle.dumps((report, rows[:1], lhe)))
    result = build(raw_dir, out)
    assert result.read_from_cache == 0
    assert _outputs(out) == clean
    data = bytearray(entry.read_bytes())
    data[-20] ^= 0xFF  # one flipped byte
    entry.write_bytes(bytes(data))
    assert build(raw_dir, out).read_from_cache == 0
    assert _outputs(out) == clean
    entry.write_bytes(b"not a cache entry at all")
    assert build(raw_dir, out).read_from_cache == 0


def test_an_entry_written_by_other_code_is_not_used(raw_dir, annex_2023, tmp_path, monkeypatch):
    out = tmp_path / "out"
    build(raw_dir, out)
    monkeypatch.setattr(read_cache, "code_fingerprint", lambda: "another version of the code")
    assert build(raw_dir, out).read_from_cache == 0


def test_a_new_alias_line_reaches_names_read_from_the_cache(raw_dir, tmp_path):
    """Reading resolves no name (issue 15): workbooks come from the cache, and a new analyst
    alias still names both a results row and an LHE row, then the unchanged build is redone."""
    rows = [["HASIL EVALUASI SPBE TAHUN 2023"], ["Instansi", "Indeks", "Predikat"],
            ["Pemkot Bkl", 2.61, "Baik"]]
    make_workbook(raw_dir / "a.xlsx", {"S": (rows, [])})
    lhe = [["INDEKS DOMAIN SPBE TAHUN 2023"],
           ["Nama Pemda", "Domain 1", "Domain 2", "Domain 3", "Domain 4", "Indeks SPBE"],
           ["Pemkot Bkl", 2.4, 2.8, 2.5, 2.7, 2.61]]
    make_workbook(raw_dir / "lhe.xlsx", {"LHE": (lhe, [])})
    out = tmp_path / "out"
    first = build(raw_dir, out, strict=False)
    assert first.results.empty and first.scores.empty and len(first.rejects) == 2
    (raw_dir / "aliases.csv").write_text("alias,code,valid_from,valid_to,note\n"
                                         "Pemkot Bkl,17.71,,,confirmed by the analyst\n",
                                         encoding="utf-8")
    result = build(raw_dir, out, strict=False)
    assert result.read_from_cache == 2 and not result.unchanged
    assert list(result.results["instansi_code"]) == ["17.71"]
    assert set(result.scores["instansi_code"]) == {"17.71"} and len(result.scores) == 5
    assert result.rejects.empty


def test_cli_says_unchanged_and_rebuilds_a_table_changed_by_hand(raw_dir, annex_2023, tmp_path,
                                                                 capsys):
    out = tmp_path / "out"
    args = ["build", "--raw", str(raw_dir), "--out", str(out)]
    assert main(args) == 0
    clean = _outputs(out)
    capsys.readouterr()
    assert main(args) == 0
    assert "unchanged since the last build (no input changed)" in capsys.readouterr().out
    (out / "results.csv").write_text("edited in Excel\n", encoding="utf-8")
    assert main(args) == 0
    said = capsys.readouterr().out
    assert "written to" in said and "1 unchanged workbook(s) taken from the read cache" in said
    assert _outputs(out) == clean


def test_cli_rebuilds_when_a_lock_file_changes(raw_dir, annex_2023, tmp_path, capsys):
    out, locked = tmp_path / "out", tmp_path / "locked"
    locked.mkdir()
    args = ["build", "--raw", str(raw_dir), "--out", str(out), "--locked", str(locked)]
    assert main(args) == 0
    assert main(["lock", "--processed", str(out), "--locked", str(locked), "--years", "2023"]) == 0
    capsys.readouterr()
    assert main(args) == 0
    assert "unchanged since the last build" not in capsys.readouterr().out
    assert main(args) == 0
    assert "unchanged since the last build" in capsys.readouterr().out


def test_no_cache_reads_everything_and_keeps_no_cache(raw_dir, annex_2023, tmp_path, capsys):
    out = tmp_path / "out"
    args = ["build", "--raw", str(raw_dir), "--out", str(out), "--no-cache"]
    assert main(args) == 0 and main(args) == 0
    assert "unchanged since the last build" not in capsys.readouterr().out
    assert not (out / CACHE_DIR_NAME).exists()


HEAVY = ("pandas", "openpyxl", "matplotlib", "numpy", "pptx", "docx")


@pytest.mark.parametrize("argv", [["--help"], ["regions", "Kota Bengkulu"]])
def test_help_and_regions_import_none_of_the_heavy_libraries(argv):
    code = (f"import sys\nfrom spbe_tools import cli\ntry:\n    cli.main({argv!r})\n"
            "except SystemExit:\n    pass\n"
            f"print('LOADED', sorted(m for m in {HEAVY!r} if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "LOADED []"
    if argv == ["regions", "Kota Bengkulu"]:
        assert "-> 17.71  Kota Bengkulu" in proc.stdout


def test_every_command_has_its_summary_and_its_full_parser():
    assert COMMANDS == tuple(SUMMARIES)
    full = make_parser()
    (sub,) = full._subparsers._group_actions
    assert list(sub.choices) == list(COMMANDS)
    for name, parser in sub.choices.items():
        assert parser.get_default("func") is not None, name
    helps = {a.dest: a.help for a in sub._choices_actions}
    assert helps == SUMMARIES


def _mixed_folder(raw_dir: Path) -> Path:
    """An annex, a wide series, an LHE workbook and two that fail as a whole."""
    _second_workbook(raw_dir)
    lhe = PROJECT_ROOT / "data" / "raw" / "lhe"
    for source in lhe.iterdir():
        (raw_dir / source.name).write_bytes(source.read_bytes())
    (raw_dir / "rusak.xlsx").write_bytes(b"PK\x03\x04 truncated")
    make_workbook(raw_dir / "kosong.xlsx", {"S": ([["Catatan rapat"], ["tidak ada tabel"]], [])})
    return raw_dir


@pytest.fixture
def pools(monkeypatch) -> list:
    """The worker pools a build starts. Earlier tests may leave a thread behind (tqdm's
    monitor); the rule about threads is tested on its own below."""
    started = []

    class Recorded(read_jobs.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            started.append(args)
            super().__init__(*args, **kwargs)
    monkeypatch.setattr(read_jobs, "ProcessPoolExecutor", Recorded)
    monkeypatch.setattr(read_jobs.threading, "active_count", lambda: 1)
    return started


def test_reading_in_worker_processes_gives_the_same_bytes_as_reading_here(raw_dir, annex_2023,
                                                                          tmp_path, pools):
    _mixed_folder(raw_dir)
    here = build(raw_dir, tmp_path / "here", strict=False, cache=False, jobs=1)
    assert pools == []
    workers = build(raw_dir, tmp_path / "workers", strict=False, cache=False, jobs=2)
    assert pools == [(2,)]
    assert _outputs(tmp_path / "workers") == _outputs(tmp_path / "here")
    assert len(here.scores) and here.manifest["totals"]["failed_files"] == 2
    rejects = workers.rejects[workers.rejects["reason"].str.startswith("file not read")]
    # the error came back from a worker with its sheet and row, not just its text
    assert list(zip(rejects["source_file"], rejects["source_sheet"])) == [("kosong.xlsx", "S"),
                                                                          ("rusak.xlsx", "")]


def test_a_strict_build_with_workers_stops_at_the_first_failed_file_in_reading_order(
        raw_dir, annex_2023, tmp_path, pools):
    _mixed_folder(raw_dir)
    with pytest.raises(InputError) as caught:
        build(raw_dir, tmp_path / "o", cache=False, jobs=2)
    assert pools == [(2,)]
    assert caught.value.file == "kosong.xlsx" and caught.value.sheet == "S"
    assert not (tmp_path / "o" / "results.csv").exists()


def test_workers_are_not_started_for_small_folders_or_when_threads_run(raw_dir, annex_2023,
                                                                       monkeypatch):
    files = workbooks([raw_dir])
    real_count = threading.active_count
    monkeypatch.setattr(read_jobs.threading, "active_count", lambda: 1)  # as in `spbe build`
    assert workers_for(files * 3, None) == 0  # a few kilobytes: cheaper to read here
    assert workers_for(files * 3, 1) == 0
    assert workers_for(files * 3, 2) == 2
    assert workers_for(files, 2) == 0  # one workbook
    monkeypatch.setattr(read_jobs.threading, "active_count", real_count)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:  # forking a process that runs other threads (a Jupyter kernel) can deadlock
        assert workers_for(files * 3, 2) == 0
    finally:
        stop.set()
        thread.join()
