"""Steps 1–2 for a whole raw folder: read each workbook once, from the read cache when it
did not change, the others on the machine's cores.

Each workbook's reading is independent of the others (:func:`~spbe_tools.ingest.read_workbook`
gives its report, rows and LHE sheets), so the workbooks the cache does not hold are read
by worker processes when that pays: several of them, enough bytes, a platform that can
``fork`` (workers then start with the package already imported, in milliseconds) and a
process with no other thread (forking a threaded process, e.g. a Jupyter kernel, can
deadlock; it then reads them one after the other). Outcomes come back in file order, so
the outputs are the same bytes whichever way they were read.
"""
from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from spbe_tools.errors import InputError
from spbe_tools.ingest import FileReport, read_workbook
from spbe_tools.raw_folder import RawFile, sidecar_file_problem
from spbe_tools.read_cache import ReadCache

__all__ = ["PARALLEL_MIN_BYTES", "read_all", "workers_for"]

#: Below this many bytes of workbooks to read, starting workers costs more than it saves
#: (measured: the 76 KB of the shipped data read no faster on two workers, the 154 KB of seven
#: national annexes 1.2x faster; python -m benchmarks build).
PARALLEL_MIN_BYTES = 128 * 1024

Outcome = tuple  # (FileReport, rows, LHE sheets), or the InputError the workbook raised


def workers_for(files: list[RawFile], jobs: int | None) -> int:
    """How many worker processes to read ``files`` with (0: read them here). ``jobs``: the
    user's choice (1 = no workers), None to decide from the files and the machine."""
    if jobs is not None and jobs <= 1:
        return 0
    if len(files) < 2 or "fork" not in multiprocessing.get_all_start_methods() \
            or threading.active_count() > 1:
        return 0
    if jobs is None:
        try:
            size = sum(file.path.stat().st_size for file in files)
        except OSError:
            return 0
        if size < PARALLEL_MIN_BYTES:
            return 0
    return max(0, min(jobs or os.cpu_count() or 1, len(files)))


def _read(file: RawFile, engine: str) -> Outcome | InputError:
    """One workbook's outcome, or its InputError returned (not raised) so a worker sends
    it back like any other outcome."""
    try:
        return read_workbook(file, engine=engine)
    except InputError as exc:
        return exc


def _cache_key(file: RawFile, cache: ReadCache | None) -> str | None:
    """The read-cache key of a workbook, or None when it cannot be cached safely (no cache,
    or a sidecar that is not a small regular file: reading it says why)."""
    if cache is None:
        return None
    sidecar = file.sidecar
    try:
        if sidecar is not None and sidecar_file_problem(sidecar, file.name) is not None:
            return None
        return cache.key(file.sha256, sidecar, file.name)
    except OSError:
        return None


def read_all(files: list[RawFile], *, cache: ReadCache | None = None,
             jobs: int | None = None, engine: str = "openpyxl"
             ) -> Iterator[Outcome | InputError]:
    """The outcome of each workbook in ``files``, in that order: from ``cache`` when it holds
    it, else read by ``engine`` (by workers when :func:`workers_for` says so) and stored
    in the cache."""
    keys = [_cache_key(f, cache) for f in files]
    stored = [cache.get(k, FileReport) if cache is not None and k else None for k in keys]
    todo = [f for f, s in zip(files, stored) if s is None]
    workers = workers_for(todo, jobs)
    futures: dict[int, Future] = {}
    pool = None
    if workers:
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
        futures = {i: pool.submit(_read, f, engine) for i, f in enumerate(files)
                   if stored[i] is None}
    try:
        for i, file in enumerate(files):
            if stored[i] is not None:
                yield stored[i]
                continue
            if pool is not None:
                outcome = futures[i].result()
            else:
                outcome = _read(file, engine)
            if keys[i] and cache is not None and not isinstance(outcome, InputError):
                cache.put(keys[i], outcome)
            yield outcome
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
