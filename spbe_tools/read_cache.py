"""Remember what reading each raw workbook gave, so a rebuild parses only
the workbooks that changed.

An entry is the outcome of :func:`spbe_tools.ingest.read_workbook` for one workbook (its
report, result rows and LHE sheets), keyed by everything that outcome depends on:

* the sha256 of the workbook's bytes and of its sidecar's bytes (or its absence);
* its provenance name (``source_file``, the path relative to the raw folder);
* the code: the package version and the bytes of every source and data file of
  ``spbe_tools``, plus the versions of the libraries that read (openpyxl,
  python-calamine, PyYAML) and hold what was read (pandas, pyarrow). Reading resolves no
  name, so the matcher's library (rapidfuzz) is not part of it.

Any change to any of them is another key, so a stale entry can never be used. An entry is
stored as a header line, the sha256 of its payload, and the pickled payload; an entry
whose header or checksum does not match, or that does not unpickle to the expected
shape, is ignored (and removed) and the workbook is read again: a damaged cache costs
time, never a wrong value. Entries that a build did not use are removed after it, so the
cache holds one build's worth. Like Python's own ``__pycache__``, the cache is local data
this program wrote in the user's own folder (``<out>/.spbe-cache/``); it is never shipped
and never read from anywhere else. ``spbe build --no-cache`` bypasses it.
"""
from __future__ import annotations

import functools
import hashlib
import json
import pickle
from collections.abc import Mapping, Sequence
from importlib import metadata
from pathlib import Path

from spbe_tools import output_set
from spbe_tools.errors import InputError
from spbe_tools.output_set import sha256_of
from spbe_tools.raw_folder import alias_files, sidecar_file_problem, workbooks

__all__ = ["CACHE_DIR_NAME", "ReadCache", "code_fingerprint", "inputs_key", "record_build",
           "unchanged_build"]

CACHE_DIR_NAME = ".spbe-cache"
_MAGIC = b"spbe-read-cache 1\n"
_BUILD_RECORD = "build.json"
_SUFFIX = ".entry"
#: Files of the package whose bytes can change what reading gives.
_CODE_SUFFIXES = {".py", ".csv", ".yaml", ".yml", ".json", ".txt"}


@functools.cache
def code_fingerprint() -> str:
    """sha256 over the package version, every source/data file of ``spbe_tools`` (path and
    bytes) and the versions of the reading libraries (hex, 64 characters)."""
    from spbe_tools import __version__

    versions = " ".join(_version(d) for d in ("openpyxl", "python-calamine", "pandas",
                                              "pyarrow", "PyYAML"))
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"{__version__} {versions}".encode())
    for path in sorted(root.rglob("*")):
        if path.suffix in _CODE_SUFFIXES and "__pycache__" not in path.parts and path.is_file():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _version(distribution: str) -> str:
    try:
        return f"{distribution}={metadata.version(distribution)}"
    except metadata.PackageNotFoundError:
        return f"{distribution}=none"


class ReadCache:
    """The read cache in ``folder`` for one build.

    ``engine``: the reader (part of every key). Reading resolves no name, so the analyst
    alias files are not (they are part of :func:`inputs_key`).
    """

    def __init__(self, folder: Path, engine: str = "openpyxl"):
        self.folder = Path(folder)
        self._base = f"{code_fingerprint()} {engine}"
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0

    def key(self, workbook_sha: str, sidecar: Path | None, source_file: str) -> str:
        """The entry name for a workbook (hex sha256 of everything its reading depends on)."""
        sidecar_sha = sha256_of(sidecar) if sidecar is not None else "no sidecar"
        return hashlib.sha256(f"{self._base} {workbook_sha} {sidecar_sha} {source_file}"
                              .encode()).hexdigest()

    def get(self, key: str, expected: type) -> tuple | None:
        """The stored outcome for ``key`` (a 3-tuple whose first item is an ``expected``),
        or None when there is none or it cannot be trusted (then it is removed)."""
        self.used.add(key)
        path = self.folder / (key + _SUFFIX)
        try:
            data = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        value = _decode(data, expected)
        if value is None:
            path.unlink(missing_ok=True)
            self.misses += 1
        else:
            self.hits += 1
        return value

    def put(self, key: str, value: tuple) -> None:
        """Store ``value`` under ``key`` (atomically: a reader sees the whole entry or none);
        a folder that cannot be written only costs the next build its speed."""
        self.used.add(key)
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        data = _MAGIC + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload
        try:
            output_set.write_atomic(self.folder / (key + _SUFFIX), data)
        except OSError:
            return

    def prune(self) -> None:
        """Remove the entries (and temporary files) this build did not use."""
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            stale = ((path.name.startswith(".") and path.suffix == ".tmp")  # a killed write
                     or (path.suffix == _SUFFIX and path.stem not in self.used))
            if stale and path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)


def _decode(data: bytes, expected: type) -> tuple | None:
    head = len(_MAGIC) + 65
    if not data.startswith(_MAGIC) or len(data) < head or data[head - 1:head] != b"\n":
        return None
    checksum, payload = data[len(_MAGIC):head - 1].decode("ascii", "replace"), data[head:]
    if hashlib.sha256(payload).hexdigest() != checksum:
        return None
    try:
        value = pickle.loads(payload)  # our own checksummed local cache, like __pycache__
    except Exception:  # noqa: BLE001 -- any unpickling failure: read the workbook again
        return None
    if not (isinstance(value, tuple) and len(value) == 3 and isinstance(value[0], expected)):
        return None
    return value


# ---------------------------------------------------------------- the whole build

def inputs_key(raw_dirs: Sequence[Path], locked_dir: Path | None, strict: bool,
               engine: str = "openpyxl") -> str | None:
    """sha256 (hex) of everything a build's outputs depend on: the code, every workbook's
    name, bytes and sidecar, the alias files, the lock folder's files, ``strict`` and the
    reader ``engine``; None
    when an input cannot be fingerprinted safely (a missing raw folder, a sidecar that is
    not a small regular file): then the build runs and says why."""
    digest = hashlib.sha256(f"{code_fingerprint()} strict={bool(strict)} {engine}".encode())
    dirs = [Path(d) for d in raw_dirs]
    try:
        for raw in workbooks(dirs):
            sidecar = raw.sidecar
            if sidecar is not None and sidecar_file_problem(sidecar, raw.name) is not None:
                return None
            side = sha256_of(sidecar) if sidecar is not None else "-"
            digest.update(f"\0wb {raw.name} {raw.sha256} {side}".encode())
        for path in alias_files(dirs):
            digest.update(f"\0alias {path} {sha256_of(path)}".encode())
        if locked_dir is not None:
            for path in sorted(Path(locked_dir).rglob("*")):
                if path.is_file():
                    rel = path.relative_to(locked_dir).as_posix()
                    digest.update(f"\0lock {rel} {sha256_of(path)}".encode())
    except (InputError, OSError):
        return None
    return digest.hexdigest()


def record_build(out_dir: Path, key: str, outputs: Mapping[str, str], totals: dict) -> None:
    """Remember that ``out_dir`` holds ``outputs`` (name -> sha256) built from inputs
    ``key``, with the manifest's ``totals`` (for the summary line of an unchanged build)."""
    folder = Path(out_dir) / CACHE_DIR_NAME
    data = json.dumps({"key": key, "outputs": dict(outputs), "totals": totals},
                      sort_keys=True, indent=1).encode()
    try:
        output_set.write_atomic(folder / _BUILD_RECORD, data)
    except OSError:
        return


def unchanged_build(out_dir: Path, key: str | None) -> dict | None:
    """The manifest totals of the last build into ``out_dir`` when its inputs ``key`` are
    the same and the folder still holds exactly what it wrote (every file's sha256, no
    build writing or interrupted); None otherwise (then build)."""
    out_dir = Path(out_dir)
    if key is None:
        return None
    try:
        record = json.loads((out_dir / CACHE_DIR_NAME / _BUILD_RECORD).read_bytes())
        if not isinstance(record, dict) or record.get("key") != key:
            return None
        outputs, totals = record["outputs"], record["totals"]
        if (out_dir / output_set.LOCK_NAME).exists() or any(
                out_dir.parent.glob(f"{output_set.STAGING_PREFIX}*")):
            return None
        if not outputs or not all(
                (out_dir / name).is_file() and sha256_of(out_dir / name) == sha
                for name, sha in outputs.items()):
            return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # no record, or one that cannot be trusted: build
    return totals if isinstance(totals, dict) else None
