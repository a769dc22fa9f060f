"""Redis goes away: the site keeps answering from a local in-process cache and /readyz says so."""

from __future__ import annotations

import contextvars
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache, caches

from momentum.lib.cache_fallback import FallbackRedisCache
from tests.integration.cluster import free_port


def _degraded(backend: object) -> bool:
    """Whether the cache backend serves from its local fallback (read afresh at each call)."""
    assert isinstance(backend, FallbackRedisCache)
    return backend.degraded


pytestmark = pytest.mark.django_db


def _redis_cache(settings: Any, port: int) -> FallbackRedisCache:
    settings.CACHES = {
        "default": {
            "BACKEND": "momentum.observability.cache_metrics.MeteredFallbackRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "KEY_PREFIX": "faults",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1, "FALLBACK_RETRY_SECONDS": 0},
        }
    }
    default = caches["default"]
    assert isinstance(default, FallbackRedisCache)
    return default


@pytest.fixture
def live_redis(redis_server: str) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    port = free_port()
    process = subprocess.Popen([redis_server, "--port", str(port), "--save", "", "--appendonly", "no"],
                               stdout=subprocess.DEVNULL)  # fmt: skip
    import redis

    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield process, port
    process.kill()
    process.wait()


def test_with_redis_unreachable_the_api_answers_and_readyz_reports_the_cache_degraded(
    settings: Any, client: Any, api: Any
) -> None:
    _redis_cache(settings, free_port())  # nothing listens there

    listing = api.get("/courses")
    ready = client.get("/readyz")

    assert listing.status_code == 200
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "degraded"
    assert body["checks"]["cache"]["ok"] is True
    assert body["checks"]["cache"]["degraded"] is True
    assert body["checks"]["cache"]["fallback"] == "local in-process cache"
    assert "ConnectionError" in body["checks"]["cache"]["error"]


def test_values_cached_while_redis_is_down_are_still_found_until_it_returns(settings: Any) -> None:
    _redis_cache(settings, free_port())

    cache.set("greeting", "hello", 60)
    cache.add("visits", 0, 60)

    assert cache.get("greeting") == "hello"
    assert cache.incr("visits") == 1
    assert caches["default"].degraded is True  # type: ignore[attr-defined]


def test_a_redis_killed_while_serving_falls_back_and_is_used_again_when_it_comes_back(
    settings: Any, client: Any, api: Any, live_redis: tuple[subprocess.Popen[bytes], int], redis_server: str
) -> None:
    process, port = live_redis
    default = _redis_cache(settings, port)
    cache.set("before", "in redis", 60)
    assert client.get("/readyz").json()["status"] == "ready"

    process.kill()  # Redis dies under the running site
    process.wait()
    after_kill = api.get("/courses")
    cache.set("during", "local", 60)

    assert after_kill.status_code == 200
    assert cache.get("during") == "local"
    assert _degraded(default) is True
    assert client.get("/readyz").json()["checks"]["cache"]["degraded"] is True

    restarted = subprocess.Popen([redis_server, "--port", str(port), "--save", "", "--appendonly", "no"],
                                 stdout=subprocess.DEVNULL)  # fmt: skip
    try:
        for _ in range(100):
            if client.get("/readyz").json()["status"] == "ready":
                break
            time.sleep(0.05)
        cache.set("after", "in redis again", 60)

        assert _degraded(default) is False
        assert client.get("/readyz").json()["checks"]["cache"] == {
            "ok": True, "backend": "MeteredFallbackRedisCache", "ms": pytest.approx(0, abs=10_000)
        }  # fmt: skip
        assert default._cache.get_client().get(default.make_and_validate_key("after")) is not None
    finally:
        restarted.kill()
        restarted.wait()


def test_an_outage_seen_by_one_request_holds_for_the_next_requests(settings: Any) -> None:
    # The web server runs each request in a fresh context, where Django builds a new backend:
    # the back-off must outlive it, or every request would wait for the dead Redis again.
    settings.CACHES = {
        "default": {
            "BACKEND": "momentum.observability.cache_metrics.MeteredFallbackRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "FALLBACK_RETRY_SECONDS": 60},
        }
    }

    def a_request_reads_the_cache() -> bool:
        backend = caches.create_connection("default")
        backend.get("anything")
        return _degraded(backend)

    def a_new_request_knows_it_is_down() -> bool:
        return _degraded(caches.create_connection("default"))

    assert contextvars.Context().run(a_request_reads_the_cache)
    assert contextvars.Context().run(a_new_request_knows_it_is_down)


def test_operations_answered_locally_count_in_the_fallback_metric(settings: Any) -> None:
    from momentum.observability import metrics

    def answered_locally(operation: str) -> float:
        return float(metrics.CACHE_FALLBACKS.labels(operation)._value.get())

    before = answered_locally("set"), answered_locally("get")
    _redis_cache(settings, free_port())

    cache.set("greeting", "hello", 60)
    cache.get("greeting")

    assert (answered_locally("set"), answered_locally("get")) == (before[0] + 1, before[1] + 1)
