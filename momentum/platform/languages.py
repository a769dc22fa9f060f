"""The interface language of each request: which one, and saying so in the response.

The order (ADR 0017): the signed-in user's ``language``, else the switcher's cookie, else the
``Accept-Language`` header, else the site default (``MOMENTUM_DEFAULT_LANGUAGE``).

Two small middlewares, because the user is known only after authentication while errors can be
answered before it (a body too large, a malformed request):

- ``LanguageMiddleware`` sits outside everything that answers: it activates the cookie's or the
  header's language (Django's parser, cached per header value), and on the way out sets
  ``Content-Language`` to the language the answer was written in and ``Vary: Accept-Language, Cookie``;
- ``UserLanguageMiddleware`` sits after ``AuthenticationMiddleware`` and switches to the session user's
  ``language`` when they chose one. A bearer-token caller is known only inside the API's auth, which
  calls ``activate_for`` (accounts/policy.py).

Both cost a dictionary look-up or two per request; the session user is loaded once and is needed by
the rest of the request anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

Direction = Literal["ltr", "rtl"]


def interface_languages() -> list[dict[str, str]]:
    """GET /languages: ``{code, name, direction}`` of every interface language, the site default first."""
    bidi = set(settings.LANGUAGES_BIDI)
    languages = [
        {"code": code, "name": name, "direction": "rtl" if code in bidi else "ltr"} for code, name in settings.LANGUAGES
    ]
    return sorted(languages, key=lambda language: language["code"] != settings.LANGUAGE_CODE)


def language_codes() -> tuple[str, ...]:
    return tuple(code for code, _ in settings.LANGUAGES)


def is_interface_language(code: object) -> bool:
    return isinstance(code, str) and code in language_codes()


def direction(code: str) -> Direction:
    return "rtl" if code in settings.LANGUAGES_BIDI else "ltr"


def activate_for(request: HttpRequest, user: Any) -> None:
    """Answer ``request`` in ``user``'s chosen language, if they chose one."""
    chosen = getattr(user, "language", "")
    if chosen and is_interface_language(chosen):
        translation.activate(chosen)
        request.LANGUAGE_CODE = chosen


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
            response.headers.setdefault("Content-Language", translation.get_language())
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        finally:
            # The thread serves other requests next: none inherits this one's language.
            translation.activate(settings.LANGUAGE_CODE)
        return response


class UserLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            activate_for(request, user)
        return self.get_response(request)
