"""Anonymous reads of the catalogue, its pages and the certificate verify page answered from this
process's memory, before the framework parses anything (issue 21, docs/adr/0022-request-path.md).

``AnonymousCacheMiddleware`` sits right after the request-ID middleware (so every answer still
has its request ID, metric and log line). A GET or HEAD of a path in
``settings.ANONYMOUS_CACHE_PATHS`` with no ``Authorization`` header and no session or messages
cookie is looked up in a bounded in-memory table; a hit is answered with the stored body and
headers (security headers included, as the stack made them) without sessions, CSRF,
authentication, URL resolution or the view. A miss goes through the whole stack; a 200 with no
``Set-Cookie``, no ``private``/``no-store`` and no CSP nonce is stored. Every answer of these
paths carries an ``ETag`` (a digest of the stored body) and ``Vary: Accept-Language,
Authorization, Cookie``, and an ``If-None-Match`` that matches is answered 304 with no body.

Pages hold a CSRF token (htmx's header, the language switcher's form): rendered for these
requests, the token is a placeholder of a token's length (the ``csrf_placeholder`` context
processor), stored as such, and replaced on every answer by a token masked afresh from the
visitor's own CSRF cookie; a visitor without one is given one, as Django's CSRF middleware would.

The key is the scheme, host, path, raw query, the negotiated language (Accept-Language and the
language cookie, as Django's LocaleMiddleware decides), every cookie but the CSRF one (the consent
choice changes a page), the htmx request header and the day (course details list upcoming
cohorts). An entry is valid at the revisions of the cache scopes its path reads (the
"catalogue"; the verify page also "credentials") it was rendered at (``ops_cacherevision``, moved
by database triggers on every write to what they read, docs/adr/0003); the revisions are known
without a query per request where the database can push them:

- PostgreSQL: a trigger on ``ops_cacherevision`` sends ``NOTIFY momentum_cache_revision`` with
  the scope and its new revision when a transaction that moved it commits; one thread per
  process LISTENs and keeps the newest revision of each shared scope in memory. A read first
  looks whether a notification is waiting on the listening socket or being applied; if so, it
  waits (a quarter second at most, else it reads the database) until the thread has applied it.
  So a change is seen by every read that starts after its notification reached the process, in
  every process, even while the listening thread waits its turn for the interpreter (which can
  take the 5 ms of Python's switch interval and more on a busy machine). What remains is the time
  the database's own backend takes to write the notification after the commit, well under the
  writer's answer's way back. While the listening connection is down, nothing is served from memory.
- SQLite (one machine, one file): the request's own connection reads the revision rows, an
  in-process primary-key read of microseconds with no round trip; it sees the connection's own
  uncommitted writes, so tests in transactions never meet another state's entries.

Entries also expire after ``settings.ANONYMOUS_CACHE_SECONDS`` (the catalogue region's 5 minutes).
Rate limits still apply to a hit (the local tally, momentum/platform/request_limits.py).
"""

from __future__ import annotations

import hashlib
import re
import select
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Self

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header

from momentum.lib import clock
from momentum.lib.logs import get_logger
from momentum.lib.sized_lru import SizedLRU

log = get_logger("momentum.anonymous_cache")

CHANNEL = "momentum_cache_revision"
SCOPE = "catalogue"
Revisions = tuple[int, ...]
# What a page rendered for the table holds where the visitor's CSRF token goes: a token's length
# (64), so that swapping them keeps Content-Length, and only characters no escaping changes.
CSRF_PLACEHOLDER = "AnonymousCacheCsrfPlaceholder".ljust(64, "X")
_PLACEHOLDER = CSRF_PLACEHOLDER.encode()
_CSRF_SECRET = re.compile(r"[a-zA-Z0-9]{32}")
VARY = ("Accept-Language", "Authorization", "Cookie")
# Headers the stack sets per request: never stored, and made afresh by the middleware outside.
_PER_REQUEST_HEADERS = {"x-request-id", "date", "set-cookie"}


@dataclass(frozen=True)
class Entry:
    revision: Revisions
    stored_at: float
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    etag: str
    holds_csrf: bool = False


# The table of entries by key, bounded by their bodies' total size.
Table = SizedLRU[tuple[str, ...], Entry]


# --- The revision of the catalogue, pushed ------------------------------------------------------


class RevisionListener:
    """The newest revision of each shared cache scope that PostgreSQL announced (LISTEN/NOTIFY),
    kept by one daemon thread per process. ``current`` (the catalogue's) and ``revisions()`` are
    None while the listening connection is down (and until it has read the revisions once): the
    caller then serves nothing from memory."""

    def __init__(self, conninfo: str, *, reconnect_seconds: float = 1.0, catch_up_seconds: float = 0.25) -> None:
        self.conninfo = conninfo
        self.reconnect_seconds = reconnect_seconds
        self.catch_up_seconds = catch_up_seconds
        self.connected = False
        self._revisions: dict[str, int] = {}
        self._socket: int | None = None  # the listening connection's, while it is up
        self._applying = False  # the thread has read notifications it has not yet applied
        self.changed = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="cache-revision-listener", daemon=True)
        self._stopping = threading.Event()

    @property
    def current(self) -> int | None:
        return self._revisions.get(SCOPE, 0) if self.connected else None

    def revisions(self, scopes: tuple[str, ...]) -> Revisions | None:
        """The scopes' revisions, with every notification that has reached this process applied."""
        if self._behind():
            with self.changed:
                caught_up = self.changed.wait_for(lambda: not self._behind(), timeout=self.catch_up_seconds)
            if not caught_up:
                return None  # the thread is slow to catch up: the caller reads the database
        if not self.connected:
            return None
        known = self._revisions
        return tuple(known.get(scope, 0) for scope in scopes)

    def _behind(self) -> bool:
        """A notification waits on the socket or is being applied. The socket is looked at first:
        once the thread has read it, ``_applying`` holds until what it read is applied."""
        socket = self._socket
        if socket is None:
            return False
        return _readable(socket, timeout_ms=0) or self._applying

    def stop(self) -> None:
        """Close the listening connection and end the thread (tests, before their database goes)."""
        self._stopping.set()  # the thread checks it at least every second
        self._thread.join(timeout=10)

    def start(self) -> Self:
        self._thread.start()
        return self

    def _connected(self, revisions: dict[str, int]) -> None:
        with self.changed:
            self._revisions = revisions
            self.connected = True
            self.changed.notify_all()

    def wait_for(self, predicate: Callable[[int | None], bool], timeout: float) -> bool:
        """Block until ``predicate(current)`` holds (for tests and the benchmark), at most ``timeout``."""
        with self.changed:
            return self.changed.wait_for(lambda: predicate(self.current), timeout=timeout)

    def _wait_readable(self, socket: int) -> bool:
        """Until the socket has something to read (True) or a second has passed."""
        return _readable(socket, timeout_ms=1000)

    def _apply(self, conn: Any, revisions: dict[str, int]) -> dict[str, int]:
        """``revisions`` with every notification the connection has received (without waiting)."""
        newer = dict(revisions)
        for notice in conn.notifies(timeout=0):
            scope, _, revision = notice.payload.partition(":")
            newer[scope] = max(int(revision), newer.get(scope, -1))
        return newer

    def _listen(self, conn: Any, socket: int) -> None:
        while not self._stopping.is_set():
            if not self._wait_readable(socket):
                continue
            with self.changed:
                self._applying = True
            newer = self._apply(conn, self._revisions)  # an error: _run marks the listener down
            with self.changed:
                self._revisions = newer
                self._applying = False
                self.changed.notify_all()

    def _run(self) -> None:
        import psycopg

        while not self._stopping.is_set():
            try:
                with psycopg.connect(self.conninfo, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    rows = conn.execute(
                        "SELECT scope, revision FROM ops_cacherevision WHERE scope NOT LIKE 'learner:%%'"
                    ).fetchall()
                    self._socket = conn.fileno()
                    try:
                        # What was announced while the rows were read, the connection kept: applied too.
                        self._connected(self._apply(conn, {scope: int(revision) for scope, revision in rows}))
                        self._listen(conn, self._socket)
                    finally:
                        self._socket = None  # before the connection closes: readers stop looking at it
            except Exception as error:  # the database went away: serve nothing from memory until back
                if self._stopping.is_set():
                    break
                log.warning("cache_revision_listener_down", error=f"{type(error).__name__}: {error}")
                with self.changed:
                    self.connected = False
                    self._applying = False
                    self.changed.notify_all()
                self._stopping.wait(self.reconnect_seconds)


def _readable(socket: int, *, timeout_ms: int) -> bool:
    """Whether the socket has data (or an error, or is closed: the reader finds out) within the timeout."""
    poller = select.poll()
    poller.register(socket, select.POLLIN)
    return bool(poller.poll(timeout_ms))


def _conninfo() -> str:
    from psycopg.conninfo import make_conninfo

    db = connection.settings_dict
    parts = {"dbname": db["NAME"], "user": db.get("USER"), "password": db.get("PASSWORD"),
             "host": db.get("HOST"), "port": str(db.get("PORT") or "")}  # fmt: skip
    return make_conninfo(**{k: v for k, v in parts.items() if v})


_listeners: dict[str, RevisionListener] = {}
_listeners_by_name: dict[str, RevisionListener] = {}
_listeners_lock = threading.Lock()


def listener() -> RevisionListener:
    """This process's listener for the default database (started on first use)."""
    name = connection.settings_dict["NAME"]
    found = _listeners_by_name.get(name)
    if found is not None:
        return found
    conninfo = _conninfo()
    with _listeners_lock:
        found = _listeners.get(conninfo)
        if found is None:
            found = _listeners[conninfo] = RevisionListener(conninfo).start()
        _listeners_by_name[name] = found
        return found


def stop_listeners() -> None:
    """Stop every listener of this process (tests: before the test database is dropped)."""
    with _listeners_lock:
        found = list(_listeners.values())
        _listeners.clear()
        _listeners_by_name.clear()
    for each in found:
        each.stop()


def _sqlite_revisions(scopes: tuple[str, ...]) -> Revisions:
    connection.ensure_connection()
    marks = ", ".join("?" * len(scopes))
    rows = dict(
        connection.connection.execute(
            f"SELECT scope, revision FROM ops_cacherevision WHERE scope IN ({marks})",  # noqa: S608  (placeholders)
            scopes,
        ).fetchall()
    )
    return tuple(int(rows.get(scope, 0)) for scope in scopes)


def current_revision(scopes: tuple[str, ...] = (SCOPE,)) -> Revisions | None:
    """The revisions of these scopes as this process knows them now; None: do not serve from memory."""
    if connection.vendor == "postgresql":
        return listener().revisions(scopes)
    if connection.vendor == "sqlite":
        return _sqlite_revisions(scopes)
    return None


def csrf_placeholder(request: HttpRequest) -> dict[str, Any]:
    """Context processor: a page rendered for the table holds the placeholder, not a token."""
    return {"csrf_token": CSRF_PLACEHOLDER} if getattr(request, "anonymous_cache_csrf", False) else {}


def _visitor_token(request: HttpRequest) -> tuple[str, bool]:
    """A token masked afresh from the visitor's CSRF cookie, and whether the cookie must be set
    (they had none, or not one this site made): then ``request.META["CSRF_COOKIE"]`` is its secret."""
    secret = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    if _CSRF_SECRET.fullmatch(secret):
        request.META["CSRF_COOKIE"] = secret
        return get_token(request), False
    request.META.pop("CSRF_COOKIE", None)
    return get_token(request), True


def _set_csrf_cookie(request: HttpRequest, response: HttpResponse) -> None:
    """As Django's CSRF middleware sets it."""
    response.set_cookie(
        settings.CSRF_COOKIE_NAME,
        request.META["CSRF_COOKIE"],
        max_age=settings.CSRF_COOKIE_AGE,
        domain=settings.CSRF_COOKIE_DOMAIN,
        path=settings.CSRF_COOKIE_PATH,
        secure=settings.CSRF_COOKIE_SECURE,
        httponly=settings.CSRF_COOKIE_HTTPONLY,
        samesite=settings.CSRF_COOKIE_SAMESITE,  # type: ignore[arg-type]
    )


def _with_visitor_token(request: HttpRequest, response: HttpResponse, body: bytes) -> None:
    """The response's body is ``body`` with the placeholder swapped for the visitor's token."""
    if response.cookies.get(settings.CSRF_COOKIE_NAME) is not None:  # the stack made a secret already
        token, new = get_token(request), False
    else:
        token, new = _visitor_token(request)
    response.content = body.replace(_PLACEHOLDER, token.encode())
    if new:
        _set_csrf_cookie(request, response)


# --- The middleware -------------------------------------------------------------------------------


@lru_cache(maxsize=512)
def _language(cookie_language: str, accept_language: str) -> str:
    """The language Django's LocaleMiddleware would pick from the cookie and Accept-Language."""
    if cookie_language:
        try:
            return get_supported_language_variant(cookie_language)
        except LookupError:
            pass
    for code, _quality in parse_accept_lang_header(accept_language):
        if code == "*":
            break
        try:
            return get_supported_language_variant(code)
        except LookupError:
            continue
    try:
        return get_supported_language_variant(settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def etag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def _matches(if_none_match: str, etag: str) -> bool:
    if not if_none_match:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags


class AnonymousCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.table = Table(settings.ANONYMOUS_CACHE_BYTES)
        _tables.append(self.table)
        patterns = [(path, tuple(scopes)) for path, scopes in settings.ANONYMOUS_CACHE_PATHS]
        self.paths = re.compile("|".join(f"(?P<p{i}>{path})" for i, (path, _) in enumerate(patterns)) or r"(?!)")
        self.scopes = {f"p{i}": scopes for i, (_, scopes) in enumerate(patterns)}
        self.private_cookies = (
            f"{settings.SESSION_COOKIE_NAME}=",
            f"{getattr(settings, 'MESSAGE_COOKIE_NAME', 'messages')}=",
        )

    def _key(self, request: HttpRequest) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """The entry's key and the cache scopes it is valid by; None: not for the table."""
        meta = request.META
        if not settings.ANONYMOUS_CACHE or request.method not in ("GET", "HEAD"):
            return None
        if "HTTP_AUTHORIZATION" in meta:
            return None
        matched = self.paths.fullmatch(request.path_info)
        if matched is None or matched.lastgroup is None:
            return None
        cookies = meta.get("HTTP_COOKIE", "")
        if cookies and any(name in cookies for name in self.private_cookies):
            return None
        jar = request.COOKIES if cookies else {}
        language = _language(jar.get(settings.LANGUAGE_COOKIE_NAME, ""), meta.get("HTTP_ACCEPT_LANGUAGE", ""))
        kept = ";".join(f"{name}={value}" for name, value in sorted(jar.items()) if name != settings.CSRF_COOKIE_NAME)
        key = (
            meta.get("wsgi.url_scheme", "http"),
            meta.get("HTTP_HOST", ""),
            request.path_info,
            meta.get("QUERY_STRING", ""),
            language,
            meta.get("HTTP_HX_REQUEST", ""),
            clock.now().date().isoformat(),
            kept,
        )
        return key, self.scopes[matched.lastgroup]

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        keyed = self._key(request)
        if keyed is None:
            return self.get_response(request)
        key, scopes = keyed
        try:
            revision = current_revision(scopes)
        except Exception as error:  # the revision cannot be read: the stack answers as it would
            log.warning("anonymous_cache_revision_unreadable", error=f"{type(error).__name__}: {error}")
            revision = None
        if revision is not None:
            entry = self.table.get(key)
            if (
                entry is not None
                and entry.revision == revision
                and time.monotonic() - entry.stored_at < settings.ANONYMOUS_CACHE_SECONDS
            ):
                limited = _rate_limited(request)
                if limited is not None:
                    return limited
                return _answer(request, entry)
        return self._through_the_stack(request, key, revision)

    def _through_the_stack(
        self, request: HttpRequest, key: tuple[str, ...], revision: Revisions | None
    ) -> HttpResponseBase:
        # pages rendered for the table hold the CSRF placeholder (csrf_placeholder, above)
        request.anonymous_cache_csrf = True  # type: ignore[attr-defined]
        response = self.get_response(request)
        if not isinstance(response, HttpResponse) or getattr(response, "streaming", False):
            return response
        body = response.content
        holds_csrf = _PLACEHOLDER in body
        if response.status_code != 200:
            if holds_csrf:
                _with_visitor_token(request, response, body)
            return response
        etag = etag_of(body)
        response["ETag"] = etag
        patch_vary_headers(response, VARY)
        if revision is not None and _storable(request, response):
            headers = tuple((k, v) for k, v in response.items() if k.lower() not in _PER_REQUEST_HEADERS)
            self.table.put(key, Entry(revision, time.monotonic(), 200, headers, body, etag, holds_csrf), len(body))
        if holds_csrf:
            _with_visitor_token(request, response, body)
        if _matches(request.META.get("HTTP_IF_NONE_MATCH", ""), etag) and not response.cookies:
            return _not_modified(response.items(), etag)
        return response


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.cookies or getattr(request, "_csp_nonce", None) is not None:
        return False
    control = response.get("Cache-Control", "").lower()
    return "private" not in control and "no-store" not in control


def _answer(request: HttpRequest, entry: Entry) -> HttpResponse:
    token, new_cookie = _visitor_token(request) if entry.holds_csrf else ("", False)
    if not new_cookie and _matches(request.META.get("HTTP_IF_NONE_MATCH", ""), entry.etag):
        return _not_modified(entry.headers, entry.etag)
    body = entry.body.replace(_PLACEHOLDER, token.encode()) if entry.holds_csrf else entry.body
    response = HttpResponse(body if request.method == "GET" else b"", status=entry.status)
    for name, value in entry.headers:
        response[name] = value
    if request.method == "HEAD":
        response["Content-Length"] = str(len(entry.body))
    if new_cookie:
        _set_csrf_cookie(request, response)
    return response


# Headers a 304 repeats (RFC 9110 15.4.5): what a cache would update its stored copy with.
_NOT_MODIFIED_HEADERS = {"cache-control", "content-location", "etag", "expires", "vary"}


def _not_modified(headers: Any, etag: str) -> HttpResponse:
    response = HttpResponse(status=304)
    del response["Content-Type"]
    for name, value in headers:
        if name.lower() in _NOT_MODIFIED_HEADERS:
            response[name] = value
    response["ETag"] = etag
    return response


def _rate_limited(request: HttpRequest) -> HttpResponse | None:
    from momentum.platform.client_address import client_ip
    from momentum.platform.request_limits import consume, too_many_requests

    retry_after = consume("anon", client_ip(request) or "unknown", settings.RATELIMIT_ANON)
    return None if retry_after is None else too_many_requests(request, retry_after)


_tables: list[Table] = []


def clear() -> None:
    """Empty every process-local table (tests)."""
    for table in _tables:
        table.clear()
