"""The web entry point served by granian (``--interface asginl``).

Sync Django views run on a thread pool through momentum/lib/wsgi_bridge.py (Django's own ASGI
handler would run every sync view on one thread per process); only server-sent event streams
take Django's ASGI path, where they are async views that hold no thread while they wait.
Measured in bench/results/2026-11-24-server-interface.md and 2026-12-07-wsgi-bridge.md; decided
in docs/adr/0001 and 0025.
"""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import quote_from_bytes

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "momentum.settings")

import json

from django.conf import settings
from django.core.asgi import get_asgi_application
from django.core.wsgi import get_wsgi_application

from momentum.lib.problems import PROBLEM_CONTENT_TYPE, TYPE_BASE
from momentum.lib.wsgi_bridge import WsgiBridge
from momentum.platform.meters import meter

# Paths answered by async views that stream (text/event-stream).
STREAMING_PATHS = re.compile(r"^/api/v1/generation-jobs/[^/]+/events/?$")
_ASCII = "".join(chr(code) for code in range(0x80))


def ascii_query(scope: Any) -> Any:
    """``scope`` with the raw bytes of its query string that are not ASCII percent-encoded.

    A client may send ``?q=café`` unencoded: a2wsgi decodes the query string as ASCII and Django's
    ASGI handler as UTF-8, either failing as a plain-text 500 before Django's middleware runs.
    Encoded, the query reaches MalformedRequestMiddleware, which accepts it when it is UTF-8 and
    answers 400 otherwise (momentum/platform/request_framing.py).
    """
    query = scope.get("query_string", b"")
    if query.isascii():
        return scope
    return {**scope, "query_string": quote_from_bytes(query, safe=_ASCII).encode("ascii")}


_sync = WsgiBridge(get_wsgi_application(), workers=settings.WEB_THREADS)
_async = get_asgi_application()

# Sign-ins (Argon2, ~50 ms of CPU each) admitted into this process at once: as many as its
# hashing gate runs and queues (momentum/accounts/passwords.py). One more is answered here, at
# once, with 503 and Retry-After, rather than queueing for a thread until the client times out
# (issue 21: at 64 connections the queue was in front of Django, where the gate cannot see it).
SIGN_IN_PATH = "/api/v1/auth/token"
_sign_ins = [0]


def _sign_in_bound() -> int:
    from momentum.accounts import passwords

    return passwords._HASHING.running + passwords._HASHING.waiting


_BUSY_BODY = json.dumps(
    {
        "type": TYPE_BASE + "sign_in_busy",
        "title": "Service unavailable",
        "status": 503,
        "detail": "Too many sign-ins at this moment; nothing was checked. Try again in a second.",
        "code": "sign_in_busy",
        "instance": SIGN_IN_PATH,
    }
).encode()
_BUSY_HEADERS = [
    (b"content-type", PROBLEM_CONTENT_TYPE.encode()),
    (b"content-length", str(len(_BUSY_BODY)).encode()),
    (b"retry-after", b"1"),
    (b"x-content-type-options", b"nosniff"),
    (b"cache-control", b"no-store"),
]


async def _busy(send: Any) -> None:
    meter().http_answered("POST", SIGN_IN_PATH, 503, 0.0)
    await send({"type": "http.response.start", "status": 503, "headers": _BUSY_HEADERS})
    await send({"type": "http.response.body", "body": _BUSY_BODY})


async def application(scope: Any, receive: Any, send: Any) -> None:
    if scope["type"] == "http":
        scope = ascii_query(scope)
    if scope["type"] == "http" and STREAMING_PATHS.match(scope["path"]):
        await _async(scope, receive, send)
    elif scope["type"] == "http" and scope["path"] == SIGN_IN_PATH and scope["method"] == "POST":
        if _sign_ins[0] >= _sign_in_bound():
            await _busy(send)
            return
        _sign_ins[0] += 1  # the event loop is one thread: no lock
        try:
            await _sync(scope, receive, send)
        finally:
            _sign_ins[0] -= 1
    else:
        await _sync(scope, receive, send)
