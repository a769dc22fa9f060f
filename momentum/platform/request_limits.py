"""Request limits: body size (413) and request rates (429 with Retry-After).

Rates are counted in fixed windows in the cache, so with Redis they hold across every web
process and machine; with the embedded disk cache, across the processes of the machine.
Three budgets, one variable each:

    MOMENTUM_RATELIMIT_ANON   300/m  per IP address, for signed-out callers
    MOMENTUM_RATELIMIT_USER   600/m  per account, for signed-in callers (bearer token or session)
    MOMENTUM_RATELIMIT_ADMIN  300/m  per admin, on operations and pages declared Access.ADMIN

The admin budget is enforced by the authorisation policy (it knows which operations are admin
ones); the other two by ``RateLimitMiddleware`` on every request except static files and probes.
Failed sign-ins have their own, stricter limiter (allauth's; see momentum/accounts/signin.py).
A cache that does not answer lets requests through: rate limiting must not take the site down.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from momentum.lib.cache_fallback import UNAVAILABLE, FallbackRedisCache
from momentum.lib.logs import get_logger
from momentum.lib.problems import Problem, problem_response
from momentum.platform.client_address import client_ip

log = get_logger("momentum.ratelimit")

UNLIMITED_PREFIXES = ("/healthz", "/readyz", "/metrics")


def _now() -> float:
    """The clock the windows are cut from (tests pin it so a burst never straddles a boundary)."""
    return time.time()


def _count(key: str, ttl: int, delta: int = 1) -> int:
    """Add ``delta`` to the counter ``key`` (created with ``ttl`` seconds to live); its new value."""
    # One round trip instead of Django's three (add, exists, incr), while Redis answers; while
    # the local fallback stands in for it, the counts are per process (cache_fallback.py).
    # (The backend itself: `django.core.cache.cache` is a proxy, never an instance of RedisCache.)
    cache = caches["default"]
    if isinstance(cache, RedisCache) and not getattr(cache, "degraded", False):
        full_key = cache.make_and_validate_key(key)
        try:
            with cache._cache.get_client(full_key, write=True).pipeline() as pipe:
                pipe.incr(full_key, delta)
                pipe.expire(full_key, ttl)
                count, _expiry_set = pipe.execute()
        except UNAVAILABLE as error:
            if not isinstance(cache, FallbackRedisCache):
                raise
            cache.mark_unavailable(error)
        else:
            return int(count)
    # Elsewhere (the disk cache shared by this machine's processes, or the local fallback), one
    # write while the window's counter exists, and the add only for the first request of a window.
    try:
        return int(cache.incr(key, delta))
    except ValueError:  # no counter yet for this window
        pass
    cache.add(key, 0, timeout=ttl)
    try:
        return int(cache.incr(key, delta))
    except ValueError:  # evicted between add and incr
        cache.set(key, delta, timeout=ttl)
        return delta


# Local counting (issue 21): each process counts its own requests and adds them to the shared
# counter in batches, so most requests cost no cache round trip. A batch is a hundredth of the
# rate (at least 1: a rate under 200 requests per window is counted in the shared store at every
# request, exactly as before). A process refuses as soon as what it knows (the shared count at its
# last sync plus its own since) is over the rate, so it never refuses early; with P processes the
# shared limit can be passed by at most P batches, 1 % of the rate each. Nothing is synced on a
# timer: a learner's few requests a minute would each have been a round trip, and a count left
# unsynced when its window ends no longer limits anyone.
SYNC_SHARE = 100


class _Tally:
    __slots__ = ("known", "unsynced")

    def __init__(self) -> None:
        self.known = 0  # the shared counter's value at this process's last sync
        self.unsynced = 0  # this process's requests since then


_tallies: dict[str, _Tally] = {}
_tallies_lock = threading.Lock()


def _counted(key: str, ttl: int, requests: int) -> int:
    """One more request on ``key``: the best count this process knows, synced at each batch."""
    batch = max(1, requests // SYNC_SHARE)
    with _tallies_lock:
        tally = _tallies.get(key)
        if tally is None:
            if len(_tallies) > 10_000:  # windows past: forget them
                _tallies.clear()
            tally = _tallies[key] = _Tally()
        tally.unsynced += 1
        estimate = tally.known + tally.unsynced
        if estimate <= requests and tally.unsynced < batch:
            return estimate
        if estimate > requests and tally.known > requests:
            return estimate  # over already by the shared count: nothing to learn from a round trip
        delta, tally.unsynced = tally.unsynced, 0
    try:
        count = _count(key, ttl, delta)
    except BaseException:
        with _tallies_lock:
            tally.unsynced += delta
        raise
    with _tallies_lock:
        tally.known = count
        return count + tally.unsynced


def forget_local_counts() -> None:
    """Drop what this process counted and has not synced (the shared counters were emptied)."""
    with _tallies_lock:
        _tallies.clear()


def consume(scope: str, ident: str, rate: tuple[int, int]) -> int | None:
    """Count one request against ``rate`` (requests, seconds) for ``scope:ident``.

    Returns None while within the rate, else the seconds until the window resets.
    """
    requests, seconds = rate
    now = _now()
    window = int(now // seconds)
    try:
        count = _counted(f"ratelimit:{scope}:{ident}:{window}", seconds + 1, requests)
    except Exception as error:  # a cache outage must not become a site outage
        log.warning("ratelimit_cache_unavailable", error=f"{type(error).__name__}: {error}")
        return None
    if count > requests:
        return max(1, math.ceil((window + 1) * seconds - now))
    return None


def admin_retry_after(user_id: int) -> int | None:
    """Count one admin operation of this admin; seconds to wait when over MOMENTUM_RATELIMIT_ADMIN."""
    return consume("admin", str(user_id), settings.RATELIMIT_ADMIN)


def rate_limited_problem(retry_after: int) -> Problem:
    return Problem(
        429,
        "rate_limited",
        _("Too many requests; retry in %(seconds)d s.") % {"seconds": retry_after},
        headers={"Retry-After": str(retry_after)},
    )


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    """429: problem+json under /api, a page elsewhere; both with Retry-After."""
    if request.path.startswith("/api/"):
        return problem_response(rate_limited_problem(retry_after), request)
    response = render(request, "errors/429.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def handler429(request: HttpRequest) -> HttpResponse:
    """allauth's own rate limits (sign-up, password reset...) answer through this."""
    return too_many_requests(request, 60)


def payload_too_large(request: HttpRequest) -> HttpResponse:
    problem = Problem(413, "payload_too_large", _("The request body is larger than this server accepts."))
    if request.path.startswith("/api/"):
        return problem_response(problem, request)
    from momentum.platform.errors import render_error_page

    return render_error_page(request, "errors/413.html", {"detail": problem.detail}, status=413)


# Whose bearer token a request carries. Tokens belong to accounts, which installs its reader at ready
# (``read_bearer_tokens_with``); until then a bearer token names no one and its caller counts by address.
_token_readers: list[Callable[[str], str | None]] = []


def read_bearer_tokens_with(reader: Callable[[str], str | None] | None) -> None:
    """Key a bearer-token caller's budget by ``reader(token)``, the account it names (``None``: stop)."""
    _token_readers[:] = [reader] if reader is not None else []


def _bearer_subject(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    if header[:7].lower() != "bearer " or not _token_readers:
        return None
    return _token_readers[0](header[7:].strip())


class RateLimitMiddleware:
    """Per-IP budget for signed-out callers, per-account budget for signed-in ones."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if path.startswith((settings.STATIC_URL, settings.MEDIA_URL, *UNLIMITED_PREFIXES)):
            return self.get_response(request)
        subject = _bearer_subject(request)
        if subject is None and request.user.is_authenticated:
            subject = str(request.user.pk)
        if subject is not None:
            retry_after = consume("user", subject, settings.RATELIMIT_USER)
        else:
            retry_after = consume("anon", client_ip(request) or "unknown", settings.RATELIMIT_ANON)
        if retry_after is not None:
            log.info("rate_limited", path=path, scope="user" if subject else "anon", retry_after=retry_after)
            return too_many_requests(request, retry_after)
        return self.get_response(request)


class BodySizeLimitMiddleware:
    """413 before a byte of an oversized body is read (by its Content-Length).

    Plain bodies (JSON, forms) may be MOMENTUM_MAX_BODY_BYTES; multipart bodies may carry the
    largest file any upload accepts (each upload checks its own, smaller limit). A body that
    grows past the limit without announcing its length is refused by Django when read
    (momentum.platform.errors turns that into the same 413).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if request.content_type == "multipart/form-data":
            limit = (
                max(
                    settings.MAX_UPLOAD_BYTES,
                    settings.MAX_VIDEO_UPLOAD_BYTES,
                    settings.MAX_REFERENCE_PDF_BYTES,
                    settings.MAX_COURSE_PACKAGE_BYTES,
                )
                + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            )
        else:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if length > limit:
            return payload_too_large(request)
        return self.get_response(request)
