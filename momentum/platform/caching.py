"""The caching layer: reads cached in Django's cache, keyed by a revision the database keeps.

A ``Region`` is a family of cached reads with one time to live and the revision scopes its
reads depend on:

    CATALOGUE   course lists and course details   5 min    "catalogue"
    CATEGORIES  the category list                 24 h     "catalogue"
    LEARNER     a learner's progress summaries    1 min    "learner:<user id>" and "catalogue"
    FRAGMENTS   rendered pieces of pages          1 h      none: keyed by a digest of their content

and, defined by the app that reads them, ``discussions.queries.THREADS`` (a cohort's page of a
lesson's thread, 1 min, "discussions").

Invalidation is not a call each write path must remember: triggers on the tables a scope
reads from move its revision (``ops.CacheRevision``) in the writing transaction, and every
entry is keyed by the revision it was computed at. A read costs one primary-key lookup of the
revision plus one cache GET; a write is visible to the next read in every process, with the
machine's disk cache as with Redis. Hits and misses are counted per region
(``momentum_cache_lookups_total{cache=<region>}``). A cache that fails is skipped: the read is
computed from the database as if nothing were cached.

Regions shared by every caller (no per-learner scope) also keep what they built in this
process's memory (``settings.REGIONS_IN_MEMORY``), in front of Django's cache: valid at the
revisions the database pushes (``anonymous_cache.current_revision``: PostgreSQL's NOTIFY, or
SQLite's own connection), so a hit costs neither the revision query nor the cache round trip
and its unpickling (the lesson page reads two such entries; ADR 0022 item 8 gives what that
saved). A value from memory is the same object for every request of the process: callers read
it and never change it.
"""

from __future__ import annotations

import hashlib
import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.http import HttpRequest, HttpResponse

from momentum.lib.logs import get_logger
from momentum.lib.sized_lru import SizedLRU
from momentum.platform.meters import meter
from momentum.platform.models import CacheRevision

log = get_logger("momentum.caching")
T = TypeVar("T")
_MISSING = object()


_REVISIONS_SQL = "SELECT scope, revision FROM {table} WHERE scope IN ({places})"


def revisions(scopes: tuple[str, ...]) -> str:
    """The current revisions of ``scopes`` (0 before a scope's first write), as one key part."""
    if not scopes:  # a region keyed by content (FRAGMENTS) depends on no revision
        return "-"
    # Every cached read runs this: plain SQL costs 0.15 ms where the ORM's query costs 0.35 ms.
    # On the database the entry's rows are read from (the router's choice): a revision read on the
    # primary while a lagging replica builds the entry would file old data under the new revision.
    connection = connections[router.db_for_read(CacheRevision)]
    sql = _REVISIONS_SQL.format(
        table=connection.ops.quote_name(CacheRevision._meta.db_table), places=", ".join(["%s"] * len(scopes))
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, scopes)
        found = dict(cursor.fetchall())
    return ".".join(str(found.get(scope, 0)) for scope in scopes)


class MemoryTier(SizedLRU[tuple[str, str], tuple[tuple[int, ...], float, Any]]):
    """Built values by (region, key), each with the revisions it was built at, bounded by the
    values' pickled size (``limit_bytes``; Python objects take a few times that)."""

    def fresh(self, key: tuple[str, str], revision: tuple[int, ...], ttl_seconds: float) -> Any:
        """The value built at ``revision`` within its time to live, or ``_MISSING``."""
        found = self.get(key)
        if found is None or found[0] != revision or time.monotonic() - found[1] >= ttl_seconds:
            return _MISSING
        return found[2]

    def keep(self, key: tuple[str, str], revision: tuple[int, ...], value: Any) -> None:
        try:  # once per build, not per read: what the entry weighs
            size = len(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        except Exception:  # a value that does not pickle is not kept
            return
        self.put(key, (revision, time.monotonic(), value), size)


MEMORY = MemoryTier(limit_bytes=settings.REGIONS_IN_MEMORY_BYTES)


def _pushed_revisions(scopes: tuple[str, ...]) -> tuple[int, ...] | None:
    """The scopes' revisions as the database pushes them to this process; None: not from memory
    (switched off, the listener is down, or reads go to a replica that may lag the announcement)."""
    if not settings.REGIONS_IN_MEMORY:
        return None
    if not scopes:  # keyed by content, valid at every revision and on every replica
        return ()
    if router.db_for_read(CacheRevision) != DEFAULT_DB_ALIAS:
        return None
    from momentum.platform.anonymous_cache import current_revision

    try:
        return current_revision(scopes)
    except Exception as error:  # the revision cannot be read: Django's cache answers as it would
        log.warning("cache_revision_unreadable", error=f"{type(error).__name__}: {error}")
        return None


@dataclass(frozen=True)
class Region:
    name: str
    ttl_seconds: int
    scopes: tuple[str, ...]  # "learner:{owner}" is the scope of the owner's own rows

    def key_for(self, key: str, owner: int | None = None) -> str:
        """The cache key of ``key`` at the current revisions of the region's scopes."""
        scopes = tuple(scope.format(owner=owner) for scope in self.scopes)
        digest = hashlib.blake2b(f"{'|'.join(scopes)}|{key}".encode(), digest_size=16).hexdigest()
        return f"{self.name}:{revisions(scopes)}:{digest}"

    def get_or_build(self, key: str, build: Callable[[], T], *, owner: int | None = None, in_memory: bool = True) -> T:
        """The entry for ``key`` at the scopes' current revisions, built (and stored) when missing.

        ``owner``: the user whose rows a per-learner region reads. ``in_memory``: False for what
        the process keeps elsewhere already (whole responses: the anonymous cache holds those).
        """
        if in_memory and owner is None and not self.per_learner:
            revision = _pushed_revisions(self.scopes)
            if revision is not None:
                value = MEMORY.fresh((self.name, key), revision, self.ttl_seconds)
                if value is not _MISSING:
                    meter().cache_lookup(self.name, hit=True)
                    return value  # type: ignore[no-any-return]
                value = self._from_cache(key, build, owner)
                MEMORY.keep((self.name, key), revision, value)
                return value
        return self._from_cache(key, build, owner)

    @property
    def per_learner(self) -> bool:
        return any("{owner}" in scope for scope in self.scopes)

    def _from_cache(self, key: str, build: Callable[[], T], owner: int | None) -> T:
        full_key = self.key_for(key, owner)
        try:
            value = cache.get(full_key, _MISSING)
        except Exception as error:  # a failing cache must not fail the read
            log.warning("cache_unavailable", region=self.name, error=f"{type(error).__name__}: {error}")
            return build()
        if value is not _MISSING:
            meter().cache_lookup(self.name, hit=True)
            return value  # type: ignore[no-any-return]
        meter().cache_lookup(self.name, hit=False)
        value = build()
        try:
            cache.set(full_key, value, timeout=self.ttl_seconds)
        except Exception as error:
            log.warning("cache_unavailable", region=self.name, error=f"{type(error).__name__}: {error}")
        return value


def content_digest(parts: Any) -> str:
    """A short stable digest of ``parts`` (an iterable of reprs-able values), for keys of what is
    rendered from them: the same parts give the same key in every process."""
    return hashlib.blake2b(repr(list(parts)).encode(), digest_size=12).hexdigest()


def kept_here(key: str, build: Callable[[], T], *, ttl_seconds: float = 60 * 60) -> T:
    """What ``build`` makes, kept in this process's memory under ``key`` and never shared with
    other processes: for what depends on the process too (its static URLs, its compiled
    catalogues), which another release's processes, sharing Redis, must not be handed. The key
    names everything else the value depends on; no revision is read."""
    value = MEMORY.fresh(("here", key), (), ttl_seconds)
    if value is _MISSING:
        value = build()
        MEMORY.keep(("here", key), (), value)
    return value  # type: ignore[no-any-return]


CATALOGUE = Region("catalogue", ttl_seconds=5 * 60, scopes=("catalogue",))
CATEGORIES = Region("categories", ttl_seconds=24 * 60 * 60, scopes=("catalogue",))
LEARNER = Region("learner", ttl_seconds=60, scopes=("learner:{owner}", "catalogue"))
# Pieces of pages rendered once and put together per request (the quiz's form, the outline's
# days), each keyed by a digest of what it shows (``content_digest``): no revision to read.
FRAGMENTS = Region("fragments", ttl_seconds=60 * 60, scopes=())


@dataclass(frozen=True)
class CachedBody:
    content: bytes
    content_type: str


def cached_response(
    region: Region, request: HttpRequest, key: str, render: Callable[[], HttpResponse], *, owner: int | None = None
) -> HttpResponse:
    """A whole 200 response from ``region``: the body is rendered once per revision and key.

    The key should name everything the body depends on; the request's scheme and host (in
    absolute URLs) are added here. Responses other than 200 are returned, never stored.
    """
    full_key = f"{request.scheme}://{request.get_host()}|{key}"
    rendered: list[HttpResponse] = []

    def build() -> CachedBody | None:
        response = render()
        rendered.append(response)
        if response.status_code != 200 or getattr(response, "streaming", False):
            return None
        return CachedBody(response.content, response["Content-Type"])

    body = region.get_or_build(full_key, build, owner=owner, in_memory=False)
    if rendered:
        return rendered[0]
    if body is None:  # a stored refusal is never served: render afresh
        return render()
    return HttpResponse(body.content, content_type=body.content_type)
