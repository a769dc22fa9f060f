"""Django cache backends that count their hits and misses (momentum_cache_lookups_total{cache="default"}).

The settings swap these in for Django's Redis and local-memory backends; they change nothing
else. Code with its own caching layer may count its lookups with ``metrics.record_cache_lookup``.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

from momentum.lib.cache_fallback import FallbackRedisCache
from momentum.ops import metrics

_MISSING = object()


class _Metered:
    """Mixed in before a Django backend: counts ``get``/``get_many`` results."""

    metered_name = "default"

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        value = super().get(key, _MISSING, version=version)  # type: ignore[misc]
        hit = value is not _MISSING
        metrics.CACHE_LOOKUPS.labels(self.metered_name, "hit" if hit else "miss").inc()
        return value if hit else default

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        keys = list(keys)
        found: dict[Any, Any] = super().get_many(keys, version=version)  # type: ignore[misc]
        if found:
            metrics.CACHE_LOOKUPS.labels(self.metered_name, "hit").inc(len(found))
        if len(keys) > len(found):
            metrics.CACHE_LOOKUPS.labels(self.metered_name, "miss").inc(len(keys) - len(found))
        return found


class MeteredRedisCache(_Metered, RedisCache):
    pass


class MeteredLocMemCache(_Metered, LocMemCache):
    pass


class MeteredFallbackRedisCache(_Metered, FallbackRedisCache):
    pass
