"""Being framed by an LMS: a launched session may be shown inside its platform's iframe.

After a launch the session remembers the platform's origins; answers to that session then carry
``Content-Security-Policy: frame-ancestors <those origins>`` instead of 'none' (and no
X-Frame-Options), and, over HTTPS, its session and CSRF cookies are re-sent ``SameSite=None;
Secure`` so the browser sends them from inside the third-party iframe. Plain HTTP (dev, tests)
keeps Lax cookies: browsers refuse SameSite=None without Secure. Every other session is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase

SESSION_FRAME_ORIGINS = "lti_frame_origins"


def remember(request: HttpRequest, origins: list[str]) -> None:
    request.session[SESSION_FRAME_ORIGINS] = origins[:5]


class LtiFrameMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        origins = session.get(SESSION_FRAME_ORIGINS) if session is not None else None
        if not origins:
            return response
        response.xframe_options_exempt = True  # type: ignore[attr-defined]  # XFrameOptionsMiddleware answers after us
        response._csp_replace = {"frame-ancestors": list(origins)}  # type: ignore[attr-defined]
        if request.is_secure():
            for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
                if name in response.cookies:
                    response.cookies[name]["samesite"] = "None"
                    response.cookies[name]["secure"] = True
        return response
