"""Cookie consent: only essential cookies until the visitor chooses.

Essential cookies (set without asking): the session, the CSRF token, one-off messages, and this
choice itself. Momentum sets no other cookie out of the box. Code that adds one (analytics,
preferences) lists it in ``settings.CONSENT_OPTIONAL_COOKIES`` and asks
``allows(request, "optional")`` before setting it. Only then is there a choice to make: the notice
in base.html shows until the visitor chooses, and the privacy pages let them change it. With no
optional cookie there is nothing to ask, so neither the notice nor the choice is shown.
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


def optional_cookies() -> dict[str, str]:
    """The optional cookies this site may set, name: purpose (empty out of the box)."""
    return dict(settings.CONSENT_OPTIONAL_COOKIES)


def cookie_notice(request: HttpRequest) -> dict[str, Any]:
    """Template context: the optional cookies, and whether to ask about them (no choice made yet)."""
    optional = optional_cookies()
    return {
        "optional_cookies": optional,
        "cookie_notice": bool(optional) and choice(request) is None and not request.path.startswith("/api/"),
    }
