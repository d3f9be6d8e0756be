"""The processed folder as one set: one writer at a time, the manifest last, readers check.

``spbe build`` writes seven tables and ``manifest.json`` into ``--out``. Users open the
tables directly (``results.csv`` in Excel), so they stay plain files in that folder, and
the set is kept whole another way:

* **One writer.** A build takes ``.spbe-build.lock`` in the folder (created exclusively,
  holding its process id) for its write phase; a second build exits 2 naming the holder.
  A lock left by a build that no longer runs (killed) is taken over.
* **Manifest last.** New files are written beside the folder, then moved in one by one
  with the manifest last; the manifest lists the sha256 of every table.
* **Readers check.** :func:`verify` refuses a folder whose lock is present (a build is
  writing, or one was killed mid-swap) or whose tables do not match the manifest (a mix
  of two builds, or a table changed by hand), naming the file. A folder without a
  manifest (tables made by hand or by another tool) is read as it is.
* Staging folders ``.spbe-build-*`` left by a killed build are removed by the next one.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from spbe_tools.errors import ConfigError, InputError

__all__ = ["LOCK_NAME", "MANIFEST", "STAGING_PREFIX", "check_not_writing", "check_out_dir",
           "holds", "replace_set", "sha256_of", "verify", "write_atomic", "write_lock"]

LOCK_NAME = ".spbe-build.lock"
MANIFEST = "manifest.json"
STAGING_PREFIX = ".spbe-build-"


def check_out_dir(out_dir: Path) -> None:
    """ConfigError (exit 2) when ``--out`` exists and is not a folder."""
    if out_dir.exists() and not out_dir.is_dir():
        raise ConfigError("--out must be a folder; this is a file", file=str(out_dir),
                          expected="a folder (it is created if missing)", found="a file")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists but not ours, or the platform cannot tell: assume running
    return True


def _holder(lock: Path) -> int | None:
    """The process id written in a lock file, or None when unreadable."""
    try:
        return int(lock.read_text(encoding="ascii").split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _take(lock: Path) -> bool:
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(f"{os.getpid()}\n")
    return True


@contextmanager
def write_lock(out_dir: Path) -> Iterator[Path]:
    """Hold the folder's build lock for the ``with`` block (ConfigError if another build
    holds it); a lock whose process is gone is taken over."""
    out_dir.mkdir(parents=True, exist_ok=True)
    lock = out_dir / LOCK_NAME
    if not _take(lock):
        pid = _holder(lock)
        if pid is not None and pid != os.getpid() and _pid_alive(pid):
            raise ConfigError("another spbe build is writing to this folder; wait for it to "
                              "finish", file=str(out_dir), expected="no other build",
                              found=f"{LOCK_NAME} held by process {pid}")
        lock.unlink(missing_ok=True)  # left by a build that was killed
        if not _take(lock):
            raise ConfigError("another spbe build took this folder at the same moment",
                              file=str(out_dir))
    try:
        yield lock
    finally:
        lock.unlink(missing_ok=True)


def _remove_stale_staging(out_dir: Path) -> None:
    for stale in out_dir.parent.glob(f"{STAGING_PREFIX}*"):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)


def replace_set(out_dir: Path, files: Mapping[str, bytes], *,
                _fail_after: int | None = None) -> None:
    """Write ``files`` (name -> bytes, manifest included) as the folder's new set.

    Call inside :func:`write_lock`. The manifest moves in last, after every table; on a
    failure the tables moved so far are put back, so the folder is the old set again
    (readers would refuse a mix anyway: its tables would not match the manifest).
    ``_fail_after`` is for tests: fail after that many files were moved in.
    """
    _remove_stale_staging(out_dir)
    tmp = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir.parent))
    old = tmp / ".old"
    old.mkdir()
    order = [n for n in files if n != MANIFEST] + [MANIFEST]
    moved: list[str] = []
    try:
        for name in order:
            (tmp / name).write_bytes(files[name])
        for name in order:
            if _fail_after is not None and len(moved) >= _fail_after:
                raise RuntimeError(f"injected failure after {len(moved)} file(s)")
            if (out_dir / name).exists():
                os.replace(out_dir / name, old / name)
            moved.append(name)
            os.replace(tmp / name, out_dir / name)
    except BaseException:
        for name in reversed(moved):  # the old set back where it was
            if (old / name).exists():
                os.replace(old / name, out_dir / name)
            else:
                (out_dir / name).unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def holds(out_dir: Path, files: Mapping[str, bytes]) -> bool:
    """True when ``out_dir`` already holds exactly ``files`` (same names, same bytes) and no
    staging is left beside it: writing them again would change nothing."""
    if any(out_dir.parent.glob(f"{STAGING_PREFIX}*")):
        return False
    try:
        return all((out_dir / name).is_file() and not (out_dir / name).is_symlink()
                   and (out_dir / name).stat().st_size == len(data)
                   and sha256_of(out_dir / name) == hashlib.sha256(data).hexdigest()
                   for name, data in files.items())
    except OSError:
        return False


def sha256_of(path: Path) -> str:
    """sha256 (hex) of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_not_writing(folder: Path) -> None:
    """InputError (exit 2) when a build holds the folder's lock, or left it when killed."""
    lock = Path(folder) / LOCK_NAME
    if lock.exists():
        pid = _holder(lock)
        running = pid is not None and pid != os.getpid() and _pid_alive(pid)
        raise InputError(
            "a build is writing this folder; try again when it has finished" if running else
            "a build was interrupted while writing this folder; run `spbe build` again",
            file=str(folder), expected="a complete build", found=f"{LOCK_NAME}"
            + (f" of process {pid}" if pid else ""))


def verify(folder: Path, names: tuple[str, ...] = ("results.csv", "scores.csv")) -> None:
    """InputError (exit 2) unless ``folder`` holds one complete build of ``names``.

    Checked: no build lock (a build writing, or one killed mid-swap), and each named
    table present in the manifest has the manifest's sha256. No manifest: nothing to
    check (tables made by hand are read as they are).
    """
    folder = Path(folder)
    check_not_writing(folder)
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return
    try:
        outputs = json.loads(manifest.read_text(encoding="utf-8")).get("outputs", {})
    except (OSError, ValueError, AttributeError) as exc:
        raise InputError("manifest.json is damaged; run `spbe build` again",
                         file=str(manifest), found=str(exc)[:200]) from None
    for name in names:
        expected = (outputs.get(name) or {}).get("sha256") if isinstance(outputs, dict) else None
        if expected and (folder / name).is_file() and sha256_of(folder / name) != expected:
            raise InputError(f"{name} does not match manifest.json: the folder mixes two "
                             "builds, or the table was changed after `spbe build`; run "
                             "`spbe build` again (edit data/raw, not the built tables)",
                             file=str(folder / name), expected=f"sha256 {expected[:12]}…",
                             found=f"sha256 {sha256_of(folder / name)[:12]}…")


def write_atomic(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder (``.<name>.*.tmp``)
    and a rename, so a reader never sees half a file (its folder is made when missing); the
    file is readable by others (0644), like any file the user writes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
