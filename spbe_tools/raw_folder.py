"""Which files under the raw folder(s) are inputs, each as a
:class:`RawFile` (its path, the name every output gives it, its sidecar and checksum).

Light on purpose (no openpyxl, no pandas): ``spbe build`` asks it, before anything heavy
is imported, whether any input changed since the last build.
"""
from __future__ import annotations

import stat
from pathlib import Path

from spbe_tools.errors import InputError
from spbe_tools.output_set import sha256_of

__all__ = ["ALIAS_FILE_NAME", "MAX_SIDECAR_BYTES", "UNSUPPORTED_SUFFIXES", "WORKBOOK_SUFFIXES",
           "RawFile", "alias_files", "existing_sidecar", "raw_files", "sidecar_file_problem",
           "sidecar_name_of", "sidecar_path", "workbooks"]

ALIAS_FILE_NAME = "aliases.csv"  # analyst-confirmed name matches, beside the raw workbooks
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
UNSUPPORTED_SUFFIXES = {".xls", ".ods", ".xlsb"}

#: A sidecar holds a dozen short keys (spbe extract's pdf block included: about 2 KB);
#: 64 KiB is thirty times that, and keeps the manifest (which copies it) small.
MAX_SIDECAR_BYTES = 65_536


def sidecar_path(workbook: Path) -> Path:
    """Where a workbook's sidecar is, or would be: ``<stem>.source.yml`` beside it."""
    return workbook.with_name(workbook.stem + ".source.yml")


def existing_sidecar(workbook: Path) -> Path | None:
    """The workbook's sidecar when there is one; a link counts even when broken, so that
    reading it says what is wrong rather than the build ignoring it."""
    path = sidecar_path(workbook)
    return path if path.exists() or path.is_symlink() else None


def sidecar_name_of(workbook_name: str) -> str:
    """The name messages and the manifest give the sidecar of the workbook so named."""
    return sidecar_path(Path(workbook_name)).as_posix()


class RawFile:
    """One input file of the raw folder(s), named once for every step that reads it.

    ``path``: where it is (absolute). ``name``: its provenance, written to the tables'
    ``source_file`` and the manifest: the path under its raw folder, prefixed by the
    folder's name when a build reads several folders. Immutable; equal by (path, name).
    """

    # A plain class, not a dataclass: importing dataclasses (inspect, ast) takes about 6 ms,
    # a tenth of an unchanged `spbe build` (python -X importtime).
    __slots__ = ("path", "name", "_sha256")

    def __init__(self, path: Path, name: str):
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "_sha256", None)

    def __setattr__(self, key: str, value: object) -> None:
        raise AttributeError(f"a RawFile is immutable: cannot set {key!r}")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RawFile):
            return NotImplemented
        return (self.path, self.name) == (other.path, other.name)

    def __hash__(self) -> int:
        return hash((self.path, self.name))

    def __repr__(self) -> str:
        return f"RawFile(path={self.path!r}, name={self.name!r})"

    def __reduce__(self):  # to reading worker processes, rebuilt through __init__
        return (RawFile, (self.path, self.name))

    @classmethod
    def under(cls, path: Path, root: Path, prefix: str = "") -> RawFile:
        """The file ``path`` found under the raw folder ``root``."""
        return cls(Path(path).absolute(), prefix + Path(path).relative_to(root).as_posix())

    @property
    def sidecar(self) -> Path | None:
        """Its sidecar when there is one (:func:`existing_sidecar`), looked up when asked."""
        return existing_sidecar(self.path)

    @property
    def sidecar_name(self) -> str:
        """The provenance name of its sidecar (messages, the manifest)."""
        return sidecar_name_of(self.name)

    @property
    def sha256(self) -> str:
        """sha256 (hex) of its bytes, read the first time it is asked (OSError if unreadable)."""
        if self._sha256 is None:
            object.__setattr__(self, "_sha256", sha256_of(self.path))
        return self._sha256


def _file_kind(mode: int) -> str:
    return ("a folder" if stat.S_ISDIR(mode) else "a named pipe (FIFO)" if stat.S_ISFIFO(mode)
            else "a socket" if stat.S_ISSOCK(mode) else "a device" if stat.S_ISCHR(mode)
            or stat.S_ISBLK(mode) else "not a regular file")


def sidecar_file_problem(path: Path, shown: str) -> InputError | None:
    """The InputError for a sidecar that is not a regular file or is larger than
    :data:`MAX_SIDECAR_BYTES` (checked with ``stat``, without opening it: a named pipe
    would block a read for ever); None when it may be read."""
    try:
        info = path.stat()
    except OSError as exc:
        return InputError(f"the sidecar cannot be read ({exc.strerror or exc})", file=shown)
    if not stat.S_ISREG(info.st_mode):
        return InputError("the sidecar is not a regular file", file=shown,
                          expected="a YAML text file", found=_file_kind(info.st_mode))
    if info.st_size > MAX_SIDECAR_BYTES:
        return InputError("the sidecar is too large", file=shown,
                          expected=f"at most {MAX_SIDECAR_BYTES:,} bytes (a dozen short keys)",
                          found=f"{info.st_size:,} bytes")
    return None


def raw_files(raw_dir: Path, prefix: str = "") -> list[RawFile]:
    """Workbooks under ``raw_dir`` (recursively, sorted by name), their names prefixed by
    ``prefix``; unsupported formats are listed too so they fail with a "convert to .xlsx"
    message rather than being skipped silently, office lock files are not."""
    if not raw_dir.is_dir():
        raise InputError("the raw folder does not exist or is not a folder", file=str(raw_dir))
    wanted = WORKBOOK_SUFFIXES | UNSUPPORTED_SUFFIXES
    found = (RawFile.under(p, raw_dir, prefix) for p in raw_dir.rglob("*")
             if p.is_file() and p.suffix.lower() in wanted
             and not p.name.startswith(("~$", ".~lock")))
    return sorted(found, key=lambda raw: raw.name)


def workbooks(raw_dirs: list[Path]) -> list[RawFile]:
    """The workbooks of the raw folders in reading order; with several raw folders each
    name is prefixed by its folder's name so provenance stays unambiguous."""
    out = []
    for root in raw_dirs:
        prefix = f"{root.name}/" if len(raw_dirs) > 1 else ""
        out.extend(raw_files(root, prefix))
    return out


def alias_files(raw_dirs: list[Path]) -> tuple[Path, ...]:
    """The analyst alias files (``aliases.csv``) of the raw folders that have one."""
    return tuple(d / ALIAS_FILE_NAME for d in raw_dirs if (d / ALIAS_FILE_NAME).exists())
