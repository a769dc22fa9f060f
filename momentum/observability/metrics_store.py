"""The metrics directory shared by the processes of one machine (prometheus-client multiprocess mode).

Each process writes ``<type>_<pid>.db`` files. Three chores keep the directory right:

- ``claim()`` at the start of ``momentum serve`` and ``momentum worker``: the first process
  to start on an idle directory empties it (a restart begins from zero, which Prometheus reads
  as a counter reset); every user then holds a shared lock for its life, so a second server
  starting beside a running one does not wipe that one's figures. Other ``momentum`` commands
  claim it with ``clean=False`` (they never empty it, but are users while they run).
- ``compact_dead_processes()``, run periodically: a dead process's counters and histograms are
  added into ``counter_archive.db`` / ``histogram_archive.db`` (totals never go backwards) and
  its gauges are dropped (a dead process has no current value); the directory stays small
  however often processes come and go.
- ``MultiProcessCollector``: adds up the files, under a shared lock so that a scrape never sees
  a compaction half done.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from prometheus_client import multiprocess
from prometheus_client.mmap_dict import MmapedDict
from prometheus_client.registry import Collector

from momentum.lib.processes import is_running

USERS_LOCK = ".users.lock"
COMPACT_LOCK = ".compact.lock"
ARCHIVED_TYPES = ("counter", "histogram", "summary")


def _pid_of(path: str) -> int | None:
    stem = os.path.basename(path).removesuffix(".db")
    last = stem.rsplit("_", 1)[-1]
    return int(last) if last.isdigit() else None


def claim(directory: Path, *, clean: bool = True) -> IO[str]:
    """Register this process as a user of ``directory``; empty it first when nobody else uses it.

    Keep the returned handle open for the life of the process (it holds the shared lock).
    """
    directory.mkdir(parents=True, exist_ok=True)
    handle = (directory / USERS_LOCK).open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        fcntl.flock(handle, fcntl.LOCK_SH)  # others run: keep their figures
        return handle
    if clean:
        for path in glob.glob(str(directory / "*.db")):
            if _pid_of(path) != os.getpid():
                with contextlib.suppress(FileNotFoundError):
                    os.remove(path)
    fcntl.flock(handle, fcntl.LOCK_SH)
    return handle


@contextlib.contextmanager
def _locked(directory: Path, mode: int) -> Iterator[None]:
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / COMPACT_LOCK).open("a+") as handle:
        fcntl.flock(handle, mode)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _merge_into_archive(directory: Path, kind: str, dead_files: list[str]) -> None:
    archive = directory / f"{kind}_archive.db"
    totals: dict[str, float] = defaultdict(float)
    for path in [str(archive), *dead_files] if archive.exists() else dead_files:
        for key, value, _timestamp, _position in MmapedDict.read_all_values_from_file(path):  # type: ignore[no-untyped-call]
            totals[key] += value
    staging = directory / f".{kind}_archive.tmp"
    staging.unlink(missing_ok=True)
    merged = MmapedDict(str(staging))  # type: ignore[no-untyped-call]
    try:
        for key, value in totals.items():
            merged.write_value(key, value, 0.0)  # type: ignore[no-untyped-call]
    finally:
        merged.close()  # type: ignore[no-untyped-call]
    os.replace(staging, archive)


def compact_dead_processes(directory: Path) -> int:
    """Fold the files of processes that have exited into the archive; returns how many were folded."""
    if not directory.is_dir():
        return 0
    with _locked(directory, fcntl.LOCK_EX):
        dead: dict[str, list[str]] = defaultdict(list)
        for path in glob.glob(str(directory / "*.db")):
            pid = _pid_of(path)
            if pid is None or pid == os.getpid() or is_running(pid):
                continue
            kind = os.path.basename(path).split("_", 1)[0]
            dead[kind].append(path)
        folded = 0
        for kind, files in dead.items():
            if kind in ARCHIVED_TYPES:
                _merge_into_archive(directory, kind, files)
            for path in files:
                os.remove(path)
                folded += 1
        return folded


class LockedMultiProcessCollector(Collector):
    """prometheus-client's MultiProcessCollector, reading while no compaction runs."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def collect(self) -> Iterable[Any]:
        with _locked(self.directory, fcntl.LOCK_SH):
            files = glob.glob(str(self.directory / "*.db"))
            return list(multiprocess.MultiProcessCollector.merge(files, accumulate=True))  # type: ignore[no-untyped-call]
