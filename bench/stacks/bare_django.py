"""Django with no middleware behind the same ASGI-to-WSGI bridge (a2wsgi) as momentum.asgi."""

from __future__ import annotations

import os
from typing import Any

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.stacks.bare_settings"

from a2wsgi import WSGIMiddleware
from django.conf import settings
from django.core.wsgi import get_wsgi_application

_sync = WSGIMiddleware(get_wsgi_application(), workers=settings.WEB_THREADS)  # type: ignore[arg-type]


async def application(scope: Any, receive: Any, send: Any) -> None:
    async def receive_coroutine() -> Any:  # as momentum.asgi does for granian's receive
        return await receive()

    await _sync(scope, receive_coroutine, send)
