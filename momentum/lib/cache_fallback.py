"""A Redis cache that keeps the site up when Redis goes away.

Every operation goes to Redis. When Redis does not answer (connection refused or reset, a
timeout), the operation is answered by a local in-process cache instead, and Redis is left
alone for ``FALLBACK_RETRY_SECONDS`` (an ``OPTIONS`` key, default 5) before it is tried again:
a dead Redis costs one failed attempt per back-off, not one per request. Each switch is logged
(``cache_fallback_on`` / ``cache_fallback_off``) and every operation answered locally counts in
``momentum_cache_fallbacks_total``; ``/readyz`` reports the cache as degraded meanwhile.

The local cache is per process, so while it stands in, processes do not share cached values or
rate-limit counters: the site is slower to agree with itself, but it answers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from momentum.lib.logs import get_logger

log = get_logger("momentum.cache")

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
DEFAULT_RETRY_SECONDS = 5.0


# Counts an operation answered locally. The library names no app: ops installs its counter at ready
# (``on_fallback``); until then (and in a process without ops) nothing is counted.
_counters: list[Callable[[str], None]] = []


def on_fallback(count: Callable[[str], None] | None) -> None:
    """Call ``count(operation)`` for every cache operation answered by the local stand-in (``None``: stop)."""
    _counters[:] = [count] if count is not None else []


def _count_fallback(operation: str) -> None:
    for count in _counters:
        count(operation)


class _Outage:
    """Whether Redis at one address is down, for every backend instance of the process (Django
    builds a backend per request context, so state kept on the instance would be forgotten at
    every request and each would wait for Redis again)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.down_since: float | None = None
        self.last_error = ""


_OUTAGES: dict[str, _Outage] = {}
_OUTAGES_LOCK = threading.Lock()


def _outage_of(server: str) -> _Outage:
    with _OUTAGES_LOCK:
        return _OUTAGES.setdefault(server, _Outage())


class FallbackRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        params = {**params, "OPTIONS": dict(params.get("OPTIONS") or {})}
        self.retry_seconds = float(params["OPTIONS"].pop("FALLBACK_RETRY_SECONDS", DEFAULT_RETRY_SECONDS))
        super().__init__(server, params)
        local_params = {key: value for key, value in params.items() if key != "OPTIONS"}
        self.local = LocMemCache(f"fallback:{server}", {**local_params, "OPTIONS": {"MAX_ENTRIES": 10000}})
        self._outage = _outage_of(str(server))

    # --- state -----------------------------------------------------------------------------

    @property
    def degraded(self) -> bool:
        """True while the local cache stands in for Redis."""
        return self._outage.down_since is not None

    def status(self) -> dict[str, Any]:
        """What /readyz says: Redis answering, or the local cache standing in since when and why."""
        since = self._outage.down_since
        if since is None:
            return {"degraded": False}
        return {
            "degraded": True,
            "fallback": "local in-process cache",
            "down_for_s": round(time.monotonic() - since, 1),
            "error": self._outage.last_error,
        }

    def probe(self) -> None:
        """Ask Redis itself now (whatever the back-off), updating the state; raises if it does not answer."""
        try:
            self._cache.get_client(write=True).ping()
        except UNAVAILABLE as error:
            self._went_down(error)
            raise
        self._came_back()

    def mark_unavailable(self, error: BaseException) -> None:
        """For code that talks to Redis directly (a pipeline): it did not answer."""
        self._went_down(error)

    def _went_down(self, error: BaseException) -> None:
        outage = self._outage
        with outage.lock:
            outage.down_until = time.monotonic() + self.retry_seconds
            outage.last_error = f"{type(error).__name__}: {error}"[:200]
            if outage.down_since is None:
                outage.down_since = time.monotonic()
                log.warning("cache_fallback_on", error=outage.last_error, retry_seconds=self.retry_seconds)

    def _came_back(self) -> None:
        outage = self._outage
        if outage.down_since is None:
            return
        with outage.lock:
            if outage.down_since is not None:
                log.warning("cache_fallback_off", down_for_s=round(time.monotonic() - outage.down_since, 1))
            outage.down_since = None
            outage.down_until = 0.0

    def _call(self, operation: str, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() >= self._outage.down_until:
            try:
                result = getattr(super(), operation)(*args, **kwargs)
            except UNAVAILABLE as error:
                self._went_down(error)
            else:
                self._came_back()
                return result
        _count_fallback(operation)
        return getattr(self.local, operation)(*args, **kwargs)

    # --- Django's cache API ----------------------------------------------------------------

    def add(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("add", *args, **kwargs)

    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("get", *args, **kwargs)

    def set(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("set", *args, **kwargs)

    def touch(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("touch", *args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("delete_many", *args, **kwargs)

    def clear(self) -> Any:
        self.local.clear()
        return self._call("clear")
