"""Writes that may wait a second: gathered in memory, written in one batch by a background flusher.

A read that records something on the side (a lesson view event, a learner's "last active" time)
should not pay for a database write of its own. It hands the record to a ``WriteBuffer``; one
flusher thread per process writes every buffer's pending records at most every ``interval``
seconds, in one batch per buffer (one INSERT of many rows, one UPDATE per learner), and once more
when the interpreter exits.

What a crash may lose: the records gathered since the last flush, at most ``interval`` seconds of
them (a killed process, a failed flush twice over). Nothing a learner would miss goes through a
buffer: progress and completions stay synchronous writes in the request that makes them.

``interval`` 0 writes through: ``add`` calls the sink at once (the test profile, where the rows
must be in the test's own transaction). The clock is injectable, so tests move time instead of
sleeping: ``buffer.flush_if_due(now=...)``.
"""

from __future__ import annotations

import atexit
import itertools
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from django.db import connections

from momentum.lib.logs import get_logger

log = get_logger("momentum.write_buffer")
V = TypeVar("V")


class WriteBuffer(Generic[V]):
    """Pending records of one kind, keyed; a record added under a pending key is merged into it.

    ``sink`` receives the pending records (key -> value) and writes them; it runs in the flusher
    thread. ``merge`` (old, new) -> kept decides what one key keeps (e.g. the later of two
    times); without it every record gets a key of its own. ``limit`` bounds the memory a stalled
    database can cost: past it, new records are dropped and counted in ``dropped``.
    """

    def __init__(
        self,
        name: str,
        sink: Callable[[dict[Hashable, V]], None],
        *,
        interval: float = 1.0,
        merge: Callable[[V, V], V] | None = None,
        limit: int = 50_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self.sink = sink
        self.interval = interval
        self.merge = merge
        self.limit = limit
        self.clock = clock
        self.dropped = 0
        self._pending: dict[Hashable, V] = {}
        self._lock = threading.Lock()
        self._serial = itertools.count()
        self._last_flush = clock()

    def add(self, value: V, key: Hashable | None = None) -> None:
        if self.interval <= 0:
            self.sink({key if key is not None else 0: value})
            return
        with self._lock:
            if key is None:
                key = ("serial", next(self._serial))
            if key in self._pending and self.merge is not None:
                self._pending[key] = self.merge(self._pending[key], value)
            elif len(self._pending) < self.limit:
                self._pending[key] = value
            else:
                self.dropped += 1
        _FLUSHER.ensure_started()

    def pending(self) -> int:
        return len(self._pending)

    def flush(self) -> int:
        """Write what is pending now; the number of records written. A failed write puts the
        records back (within ``limit``) for the next flush and is logged, never raised."""
        with self._lock:
            batch, self._pending = self._pending, {}
            self._last_flush = self.clock()
        if not batch:
            return 0
        try:
            self.sink(batch)
        except Exception as error:
            log.warning("write_buffer_flush_failed", buffer=self.name, records=len(batch),
                        error=f"{type(error).__name__}: {error}")  # fmt: skip
            with self._lock:
                for key, value in batch.items():
                    if key in self._pending and self.merge is not None:
                        self._pending[key] = self.merge(value, self._pending[key])
                    elif key not in self._pending and len(self._pending) < self.limit:
                        self._pending[key] = value
            return 0
        return len(batch)

    def flush_if_due(self, now: float | None = None) -> int:
        """Flush when ``interval`` has passed since the last flush (``now`` defaults to the clock)."""
        now = self.clock() if now is None else now
        if now - self._last_flush < self.interval:
            return 0
        return self.flush()

    def discard(self) -> int:
        """Forget what is pending (what a crash does): the number of records lost."""
        with self._lock:
            lost, self._pending = len(self._pending), {}
        return lost


class _Flusher:
    """One daemon thread per process that flushes every registered buffer when it is due."""

    def __init__(self) -> None:
        self.buffers: list[WriteBuffer[Any]] = []
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._lock = threading.Lock()

    def register(self, buffer: WriteBuffer[Any]) -> WriteBuffer[Any]:
        self.buffers.append(buffer)
        return buffer

    def ensure_started(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="momentum-write-buffer", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        tick = min((b.interval for b in self.buffers if b.interval > 0), default=1.0)
        while not self._stop.wait(tick):
            self.flush_due()
            # Django closes a request thread's connections; this thread's are handed back here
            # (to the pool on PostgreSQL), so an idle process holds none.
            connections.close_all()

    def flush_due(self) -> None:
        for buffer in list(self.buffers):
            buffer.flush_if_due()

    def flush_all(self) -> int:
        return sum(buffer.flush() for buffer in list(self.buffers))

    def stop(self) -> None:
        """Stop the thread and write what is pending (at exit, and when a server stops)."""
        self._stop.set()
        self.flush_all()


_FLUSHER = _Flusher()
atexit.register(_FLUSHER.stop)


def register(buffer: WriteBuffer[V]) -> WriteBuffer[V]:
    """Let the process's flusher write ``buffer``."""
    _FLUSHER.register(buffer)
    return buffer


def flush_all() -> int:
    """Write every registered buffer's pending records now (shutdown paths, tests)."""
    return _FLUSHER.flush_all()


def stop() -> None:
    _FLUSHER.stop()
