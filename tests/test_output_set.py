"""The processed folder is one build: killed builds, two builds at once, mixed sets, --out FILE."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from spbe_tools import cli
from spbe_tools.build import OUTPUT_FILES, build, run_build, write_outputs
from spbe_tools.errors import ConfigError, InputError
from spbe_tools.output_set import LOCK_NAME, write_lock
from spbe_tools.processed import load_processed  # noqa: E402

KILL_DURING_SWAP = textwrap.dedent("""
    import os, signal, sys
    from spbe_tools import output_set
    from spbe_tools.build import build
    real, moved = os.replace, []
    def dying_replace(src, dst):
        real(src, dst)
        moved.append(dst)
        if len(moved) == 5:  # new results.csv in place, the rest still old: then SIGKILL
            os.kill(os.getpid(), signal.SIGKILL)
    output_set.os.replace = dying_replace
    build(sys.argv[1], sys.argv[2])
""")


def _annex_only_2023(raw_dir: Path, annex_2023: Path) -> Path:
    return raw_dir


def test_a_build_killed_mid_swap_is_refused_by_readers_and_repaired_by_the_next(
        raw_dir, annex_2023, tmp_path):
    out, reference = tmp_path / "out", tmp_path / "reference"
    build(raw_dir, reference)
    clean = {n: (reference / n).read_bytes() for n in OUTPUT_FILES}
    older = run_build(raw_dir)  # the folder holds an older set, which the next build replaces
    older.results = older.results.iloc[:0]
    write_outputs(older, out)
    killed = subprocess.run([sys.executable, "-c", KILL_DURING_SWAP, str(raw_dir), str(out)],
                            capture_output=True)
    assert killed.returncode == -9
    assert (out / LOCK_NAME).exists() and list(out.parent.glob(".spbe-build-*"))
    with pytest.raises(InputError, match="interrupted"):
        load_processed(out)
    build(raw_dir, out)  # the next build takes over the dead lock and cleans up
    assert {n: (out / n).read_bytes() for n in OUTPUT_FILES} == clean
    assert not (out / LOCK_NAME).exists() and not list(out.parent.glob(".spbe-build-*"))
    load_processed(out)


def test_a_folder_mixing_two_builds_is_refused_naming_the_table(raw_dir, annex_2023, tmp_path):
    out, other = tmp_path / "out", tmp_path / "other"
    build(raw_dir, out)
    result = run_build(raw_dir)
    result.results = result.results.iloc[:1]
    write_outputs(result, other)
    (out / "results.csv").write_bytes((other / "results.csv").read_bytes())
    with pytest.raises(InputError, match="results.csv does not match manifest.json"):
        load_processed(out)


def test_a_second_build_while_one_writes_is_refused_and_a_dead_lock_is_taken_over(
        raw_dir, annex_2023, tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        (out / LOCK_NAME).write_text(f"{holder.pid}\n")
        with pytest.raises(ConfigError, match="another spbe build"):
            build(raw_dir, out)
        assert cli.main(["build", "--raw", str(raw_dir), "--out", str(out), "--quiet"]) == 2
        assert f"process {holder.pid}" in capsys.readouterr().err
        with pytest.raises(InputError, match="a build is writing"):
            load_processed(out)
    finally:
        holder.kill()
        holder.wait()
    build(raw_dir, out)  # the holder is gone: its lock is stale
    assert (out / "results.csv").is_file() and not (out / LOCK_NAME).exists()


def test_the_lock_is_released_when_the_write_fails(raw_dir, annex_2023, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(RuntimeError):
        write_outputs(run_build(raw_dir), out, _fail_after=3)
    assert not (out / LOCK_NAME).exists()
    assert not [n for n in OUTPUT_FILES if (out / n).exists()]  # nothing half-written
    with write_lock(out):
        assert (out / LOCK_NAME).read_text().strip() == str(os.getpid())


def test_out_that_is_a_file_is_exit_2_without_traceback(raw_dir, annex_2023, tmp_path, capsys):
    target = tmp_path / "results.txt"
    target.write_text("mine")
    assert cli.main(["build", "--raw", str(raw_dir), "--out", str(target), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "is a file" in err and "Traceback" not in err
    assert target.read_text() == "mine"


def test_tables_without_a_manifest_are_read_as_they_are(tmp_path):
    from _frames import results_frame

    results_frame().to_csv(tmp_path / "results.csv", index=False)
    results, _ = load_processed(tmp_path)
    assert len(results) == len(results_frame())
