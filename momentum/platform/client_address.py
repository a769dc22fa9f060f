"""Who is calling: the caller's address, for rate limits, sign-in throttles and the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest | None) -> str | None:
    """The caller's address as the server saw it (a trusted proxy's X-Forwarded-For when configured)."""
    if request is None:
        return None
    if settings.SECURE_PROXY_SSL_HEADER and request.headers.get("X-Forwarded-For"):
        return request.headers["X-Forwarded-For"].split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None
