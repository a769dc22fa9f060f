"""Request IDs: accept or make one, expose it to logs and background work, echo it back."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty

from momentum.lib import request_context
from momentum.lib.logs import get_logger
from momentum.lib.problems import Problem, problem_response
from momentum.platform.meters import meter

log = get_logger("momentum.request")
# The request line is built only when it would be written (structlog runs its processors, the
# timestamp included, before the standard logger's level drops the line).
_request_log = logging.getLogger("momentum.request")
KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def route_label(request: HttpRequest) -> str:
    """The URL pattern that answered (never the raw path, which would make a label per URL)."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return f"/{match.route}"
    if request.path.startswith(settings.STATIC_URL):
        return "<static>"
    return "<unmatched>"


# Path parameters that are credentials (emailed confirmation and reset keys, signed links): the
# request log shows the route with these replaced, so a log reader cannot replay the link.
SECRET_PATH_PARAMETERS = {"key", "token"}
REDACTED = "[redacted]"


def loggable_path(request: HttpRequest) -> str:
    """``request.path`` with the values of secret path parameters redacted."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is None:
        return path
    for name, value in match.kwargs.items():
        if name in SECRET_PATH_PARAMETERS and value:
            path = path.replace(str(value), REDACTED)
    return path


class RequestIDMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_context.clean_request_id(request.META.get("HTTP_X_REQUEST_ID"))
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.perf_counter()
        counting = meter()
        counting.http_in_flight(+1)
        try:
            with request_context.bound(request_id=request_id):
                response = self.get_response(request)
                response["X-Request-ID"] = request_id
                duration = time.perf_counter() - started
                route = route_label(request)
                method = request.method if request.method in KNOWN_METHODS else "OTHER"
                counting.http_answered(method, route, response.status_code, duration)
                if _request_log.isEnabledFor(logging.INFO):
                    log.info(
                        "request",
                        method=request.method,
                        path=loggable_path(request),
                        route=route,
                        status=response.status_code,
                        duration_ms=round(duration * 1000, 2),
                        user_id=known_user_id(request),
                    )
        finally:
            counting.http_in_flight(-1)
        return response


def known_user_id(request: HttpRequest) -> Any:
    """The signed-in user's id when the request already knows who asked (None otherwise): the
    request log does not load a session that nothing else needed (a bearer-token caller is set
    on ``request.auth``/``request.user`` by the API, a session's user once something read it)."""
    user = request.__dict__.get("user")
    if user is None:
        return None
    if hasattr(user, "_wrapped"):  # Django's lazy user: only when something has already loaded it
        if user._wrapped is empty:
            return None
        user = user._wrapped
    return user.pk if user.is_authenticated else None


class ApiProblemMiddleware:
    """Under /api, every error is problem+json, including those raised outside the API's views
    (an unknown path, a wrong method, a body too large, CSRF)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith(("application/problem+json", "application/json"))
        ):
            problem = Problem(response.status_code)
            replacement = problem_response(problem, request)
            for header in ("Allow", "Retry-After", "WWW-Authenticate"):
                if header in response:
                    replacement[header] = response[header]
            return replacement
        return response


class NulCharacterMiddleware:
    """Refuse (400) an address whose path or query holds a NUL character: no text column can hold
    one (PostgreSQL refuses it outright), so a lookup with it would otherwise fail as a 500.
    Form bodies are checked by Django's form fields, JSON bodies by the API's parser."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info or (_may_hold_nul(request) and _query_has_nul(request)):
            from momentum.platform.errors import bad_request

            return bad_request(request)
        return self.get_response(request)


def _may_hold_nul(request: HttpRequest) -> bool:
    """Whether the raw query string could decode to a NUL (``%00`` or the byte itself): most
    queries cannot, and are not parsed here for nothing."""
    raw = request.META.get("QUERY_STRING", "")
    return "%00" in raw or "\x00" in raw


def _query_has_nul(request: HttpRequest) -> bool:
    return any("\x00" in key or "\x00" in value for key, value in _query_items(request))


def _query_items(request: HttpRequest) -> list[tuple[str, str]]:
    return [(key, value) for key, values in request.GET.lists() for value in values]


class LazyMessageMiddleware(MessageMiddleware):
    """Django's messages, with the storage made when something reads or adds a message: most
    requests (every API call) never do, and Django's makes a cookie and a session storage for
    each (issue 21). The response is only updated when the storage was made."""

    def process_request(self, request: HttpRequest) -> None:
        request._messages = SimpleLazyObject(lambda: default_storage(request))  # type: ignore[attr-defined]

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        messages = request.__dict__.get("_messages")
        if isinstance(messages, SimpleLazyObject) and messages._wrapped is empty:
            return response
        return super().process_response(request, response)
