"""Reads on a replica, when there is one (``DATABASE_REPLICA_URL``), and never a read of stale data
by the person who just wrote it.

    request ──► ReplicaRoutingMiddleware ──► view
                 GET/HEAD, no pin cookie:   reads ─► "replica"
                 anything else:             reads ─► "default" (the primary)
                 any write                  ─► "default", and the rest of the request reads there;
                                               the response sets the pin cookie: for
                                               DATABASE_PIN_SECONDS this browser's reads stay on
                                               the primary (the replica's lag, with margin)

Outside a request (workers, the write-buffer flusher, management commands) everything goes to
the primary: only a web request that asked nothing of the database yet may read a replica, so a
workflow step never reads behind its own write. A read inside ``transaction.atomic`` goes to the
primary too (it may lock, and it must see the transaction's writes). Migrations run only on the
primary; the replica receives them by replication.

The pin cookie is not signed: a client that forges it only sends its own reads to the primary.
Without a replica (SQLite, or PostgreSQL without ``DATABASE_REPLICA_URL``) neither the router nor
the middleware is installed.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

PRIMARY = "default"
REPLICA = "replica"
PIN_COOKIE = "momentum_db_pin"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class Route:
    """Where this request's reads go; mutable, so a write deep in a view moves what follows."""

    replica_allowed: bool = False
    wrote: bool = False


_route: contextvars.ContextVar[Route | None] = contextvars.ContextVar("momentum_db_route", default=None)


def reads_go_to() -> str:
    route = _route.get()
    if route is None or not route.replica_allowed or route.wrote or connections[PRIMARY].in_atomic_block:
        return PRIMARY
    return REPLICA


class PrimaryReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str:
        return reads_go_to()

    def db_for_write(self, model: Any, **hints: Any) -> str:
        route = _route.get()
        if route is not None:
            route.wrote = True
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the same data on both

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == PRIMARY


class ReplicaRoutingMiddleware:
    """Decides per request whether its reads may go to the replica, and pins a writer's browser
    to the primary for ``DATABASE_PIN_SECONDS``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        route = Route(replica_allowed=request.method in SAFE_METHODS and PIN_COOKIE not in request.COOKIES)
        token = _route.set(route)
        try:
            response = self.get_response(request)
        finally:
            _route.reset(token)
        if route.wrote and settings.DATABASE_PIN_SECONDS > 0:
            response.set_cookie(PIN_COOKIE, "1", max_age=int(settings.DATABASE_PIN_SECONDS) or 1,
                                httponly=True, samesite="Lax", secure=request.is_secure())  # fmt: skip
        return response
