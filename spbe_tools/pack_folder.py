"""The folder of a briefing pack: built aside, swapped in whole, and only ever replacing
a folder that ``spbe brief`` wrote itself.

A pack folder carries a marker file (:data:`MARKER`) listing the files the brief wrote.
A destination is accepted when it does not exist, is an empty folder, or is a marked
pack holding nothing but the files its marker lists. Anything else (a user's folder,
``--out data``, ``--out .``, a file, a pack into which someone saved their own notes)
is refused with exit status 2, before any work is done and again just before the swap,
so nothing the brief did not write is ever deleted.

The pack is built in a hidden staging folder beside the destination and moved into
place with :func:`os.replace` when complete; a killed run leaves only hidden
``.<name>.tmp-*``/``.<name>.old-*`` folders, which the next run removes.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from spbe_tools.errors import ConfigError

__all__ = ["MARKER", "check_destination", "staging", "swap_into_place", "write_marker"]

MARKER = ".spbe-brief.json"
_SHOWN = 5  # foreign entries named in a refusal


def _marked_files(folder: Path) -> set[str] | None:
    """The files the marker says the brief wrote, or None when there is no valid marker."""
    try:
        data = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = data.get("files") if isinstance(data, dict) else None
    if data.get("written_by") != "spbe brief" or not isinstance(files, list):
        return None
    return {f for f in files if isinstance(f, str)}


def _entries(folder: Path) -> list[str]:
    """Every entry of ``folder`` (recursively), as sorted relative POSIX paths; folders end in /."""
    out = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        out.append(rel + "/" if path.is_dir() and not path.is_symlink() else rel)
    return out


def _refuse(out: Path, message: str, found: str) -> ConfigError:
    return ConfigError(message, file=str(out),
                       expected="a new or empty folder, or a pack folder written by spbe brief",
                       found=found)


def _check_not_around_cwd(out: Path) -> None:
    here, target = Path.cwd().resolve(), out.resolve()
    if target == here or target in here.parents:
        raise _refuse(out, "the pack would replace the current folder or one that holds it",
                      f"{target}")


def check_destination(out: Path) -> None:
    """Raise :class:`ConfigError` (exit 2) unless the brief may (re)place ``out``."""
    out = Path(out)
    if not out.exists() and not out.is_symlink():
        return
    if out.is_symlink() or not out.is_dir():
        raise _refuse(out, "is a file, not a folder", "a file")
    _check_not_around_cwd(out)
    owned = _marked_files(out)
    if owned is None:
        top = sorted(p.name + ("/" if p.is_dir() else "") for p in out.iterdir())
        if not top:
            return
        shown = ", ".join(top[:_SHOWN]) + (" …" if len(top) > _SHOWN else "")
        raise _refuse(out, f"this folder was not written by spbe brief (no {MARKER}); "
                      "the brief never replaces it", shown)
    foreign = [e for e in _entries(out) if e != MARKER and e not in owned]
    if foreign:
        shown = ", ".join(foreign[:_SHOWN]) + (" …" if len(foreign) > _SHOWN else "")
        raise _refuse(out, "the pack folder holds files spbe brief did not write; move them "
                      "out first, the brief never deletes them", shown)


def write_marker(folder: Path) -> Path:
    """Record the files now in ``folder`` as written by the brief (sorted: byte-stable)."""
    files = [e for e in _entries(folder) if e != MARKER]
    marker = folder / MARKER
    marker.write_text(json.dumps({"written_by": "spbe brief", "files": files}, indent=1)
                      + "\n", encoding="utf-8")
    return marker


def _remove_stale(out: Path) -> None:
    """Hidden staging folders of this pack left by a killed run."""
    for prefix in (f".{out.name}.tmp-", f".{out.name}.old-"):
        for stale in out.parent.glob(f"{prefix}*"):
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale, ignore_errors=True)


@contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A hidden folder beside ``out`` to build the pack in; removed if the build fails."""
    out = Path(out)
    check_destination(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(out)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    tmp.chmod(0o755)  # mkdtemp makes 0700; the pack is an ordinary shared folder
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def swap_into_place(tmp: Path, out: Path) -> None:
    """Replace ``out`` by the complete ``tmp`` folder, marker written last.

    The old pack is moved aside first and deleted only after the new one is in place;
    the destination is checked again, so files saved into it meanwhile are kept.
    """
    write_marker(tmp)
    check_destination(out)
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.replace(out, old / out.name)
    try:
        os.replace(tmp, out)
    except BaseException:
        if old is not None:  # put the previous pack back where it was
            os.replace(old / out.name, out)
            old.rmdir()
        raise
    if old is not None:
        shutil.rmtree(old)
