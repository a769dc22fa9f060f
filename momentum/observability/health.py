"""Liveness and readiness: what each dependency says right now.

The checks run side by side on a small thread pool and readiness answers within
``MOMENTUM_READINESS_TIMEOUT`` seconds whatever happens: a dependency that does not answer
in time (PostgreSQL unreachable makes the connection pool wait its own 10 s) is reported as
timed out instead of holding the probe.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, connections

from momentum.lib import supervisor
from momentum.lib.cache_fallback import UNAVAILABLE, FallbackRedisCache
from momentum.platform import durable


def _database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def _cache() -> dict[str, Any]:
    default = caches["default"]
    if isinstance(default, FallbackRedisCache):
        try:
            default.probe()
        except UNAVAILABLE:  # the site keeps serving from the local cache: degraded, not down
            return {"backend": default.__class__.__name__, **default.status()}
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not return what was written")
    cache.delete(key)
    return {"backend": caches["default"].__class__.__name__}


def _storage() -> dict[str, Any]:
    name = default_storage.save(f"readyz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    default_storage.delete(name)
    return {"backend": default_storage.__class__.__name__}


def _workflows() -> dict[str, Any]:
    return {**durable.system_database_status(), **supervised_worker()}


def supervised_worker() -> dict[str, Any]:
    """Under `momentum serve` with its embedded worker: whether that worker runs now. While it is
    being restarted the site is degraded, not down: work is still accepted and waits in the queue."""
    state = supervisor.read_state(os.environ.get(supervisor.STATE_FILE_VARIABLE))
    if state is None:
        return {}
    workers = [child for child in state.get("children", {}).values() if child.get("kind") == "worker"]
    if not workers:
        return {}
    down = [child for child in workers if child.get("state") != supervisor.RUNNING]
    if not down:
        return {"worker": supervisor.RUNNING}
    child = down[0]
    last_exit = child.get("last_exit")
    return {
        "worker": child.get("state"),
        "degraded": True,
        "note": "no workflow worker runs: work waits in the queue until it is back"
        + ("" if last_exit is None else f" (it exited with status {supervisor.describe_status(last_exit)})"),
    }


CHECKS: dict[str, Callable[[], dict[str, Any]]] = {
    "database": _database,
    "cache": _cache,
    "storage": _storage,
    "workflows": _workflows,
}


_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="readiness")


def _run(check: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        result = {"ok": True, **check()}
    except Exception as error:  # a failing dependency is the answer, not a crash
        result = {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
    finally:
        connections.close_all()  # this pool thread's connections only
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def readiness(timeout: float | None = None) -> tuple[bool, dict[str, Any]]:
    timeout = settings.READINESS_TIMEOUT_SECONDS if timeout is None else timeout
    futures = {name: _pool.submit(_run, check) for name, check in CHECKS.items()}
    wait(futures.values(), timeout=timeout)
    results: dict[str, Any] = {}
    for name, future in futures.items():
        if future.done():
            results[name] = future.result()
        else:
            future.cancel()
            results[name] = {"ok": False, "error": f"no answer within {timeout:g} s", "ms": round(timeout * 1000, 1)}
    return all(result["ok"] for result in results.values()), results


def degraded(results: dict[str, Any]) -> list[str]:
    """The checks that pass only because a stand-in answers (the local cache for Redis)."""
    return [name for name, result in results.items() if result.get("degraded")]
