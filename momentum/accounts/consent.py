"""Cookie consent: only essential cookies until the visitor chooses.

Essential cookies (set without asking): the session, the CSRF token, one-off messages, and this
choice itself. Momentum sets no other cookie today; code that ever wants to (analytics,
preferences) must ask ``allows(request, "optional")`` first. The notice in base.html shows
until a choice is made, and the privacy page lets the visitor change it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

ESSENTIAL = "essential"
ALL = "all"
CHOICES = (ESSENTIAL, ALL)


def choice(request: HttpRequest) -> str | None:
    value = request.COOKIES.get(settings.CONSENT_COOKIE_NAME)
    return value if value in CHOICES else None


def allows(request: HttpRequest, purpose: str) -> bool:
    """Essential purposes always; anything else only after the visitor accepted optional cookies."""
    return purpose == ESSENTIAL or choice(request) == ALL


def remember(response: HttpResponse, value: str, *, secure: bool) -> None:
    response.set_cookie(
        settings.CONSENT_COOKIE_NAME,
        value,
        max_age=settings.CONSENT_COOKIE_MAX_AGE,
        secure=secure or settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def cookie_notice(request: HttpRequest) -> dict[str, Any]:
    """Template context: whether to show the notice (no choice made yet)."""
    return {"cookie_notice": choice(request) is None and not request.path.startswith("/api/")}
