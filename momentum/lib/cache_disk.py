"""The embedded default cache: DiskCache's Django backend, shared by every process of the machine.

Without Redis, the web processes, the workers and the command line of one machine share one
cache in the data folder (SQLite files in WAL mode, under ``<data dir>/cache``), so a sign-in
throttle, a rate-limit counter or a quota sees every process's traffic, not its own share of
it (docs/adr/0005-a-disk-cache-shared-by-the-processes-of-a-machine.md). ``incr`` is atomic across processes.

Django builds a cache backend for each request context and closes it after each request; a
``FanoutCache`` opens its SQLite files when built. So one ``FanoutCache`` per directory serves
the whole process, and ``close`` leaves its per-thread connections open for the next request
(DiskCache reopens them itself in a forked child).
"""

from __future__ import annotations

import threading
from typing import Any

from diskcache import DjangoCache, FanoutCache
from django.core.cache.backends.base import BaseCache

_SHARED: dict[tuple[str, int, float, str], FanoutCache] = {}
_SHARED_LOCK = threading.Lock()


def _shared_fanout(directory: str, shards: int, timeout: float, options: dict[str, Any]) -> FanoutCache:
    key = (directory, shards, timeout, repr(sorted(options.items())))
    fanout = _SHARED.get(key)
    if fanout is None:
        with _SHARED_LOCK:
            fanout = _SHARED.get(key)
            if fanout is None:
                fanout = _SHARED[key] = FanoutCache(directory, shards, timeout, **options)
    return fanout


class SharedDiskCache(DjangoCache):  # type: ignore[misc]
    """``diskcache.DjangoCache`` with one ``FanoutCache`` per directory for the whole process."""

    def __init__(self, directory: str, params: dict[str, Any]) -> None:
        BaseCache.__init__(self, params)
        self._cache = _shared_fanout(
            str(directory),
            int(params.get("SHARDS", 8)),
            float(params.get("DATABASE_TIMEOUT", 0.010)),
            dict(params.get("OPTIONS") or {}),
        )

    def close(self, **kwargs: Any) -> None:
        """Django calls this after every request: the connections stay open for the next one."""
