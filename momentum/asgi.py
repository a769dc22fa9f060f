"""The web entry point served by granian (``--interface asginl``).

Sync Django views run on a thread pool through a2wsgi (Django's own ASGI handler would run
every sync view on one thread per process); only server-sent event streams take Django's
ASGI path, where they are async views that hold no thread while they wait. Measured in
bench/results/2026-11-24-server-interface.md; decided in docs/adr/0001.
"""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import quote_from_bytes

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "momentum.settings")

from a2wsgi import WSGIMiddleware
from django.conf import settings
from django.core.asgi import get_asgi_application
from django.core.wsgi import get_wsgi_application

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


_sync = WSGIMiddleware(get_wsgi_application(), workers=settings.WEB_THREADS)  # type: ignore[arg-type]
_async = get_asgi_application()


async def application(scope: Any, receive: Any, send: Any) -> None:
    if scope["type"] == "http":
        scope = ascii_query(scope)
    if scope["type"] == "http" and STREAMING_PATHS.match(scope["path"]):
        await _async(scope, receive, send)
    else:

        async def receive_coroutine() -> Any:
            # a2wsgi hands receive() to asyncio.run_coroutine_threadsafe, which takes only a
            # coroutine; granian's receive returns another awaitable, so every request body failed.
            return await receive()

        await _sync(scope, receive_coroutine, send)
