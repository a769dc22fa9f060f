"""Request IDs: accept or make one, expose it to logs and background work, echo it back."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from momentum.lib import request_context
from momentum.lib.logs import get_logger
from momentum.lib.problems import Problem, problem_response
from momentum.observability import metrics

log = get_logger("momentum.request")
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
        request_id = request_context.clean_request_id(request.headers.get("X-Request-ID"))
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.perf_counter()
        metrics.HTTP_IN_FLIGHT.inc()
        try:
            with request_context.bound(request_id=request_id):
                response = self.get_response(request)
                response["X-Request-ID"] = request_id
                duration = time.perf_counter() - started
                route = route_label(request)
                method = request.method if request.method in KNOWN_METHODS else "OTHER"
                metrics.HTTP_REQUESTS.labels(method, route, str(response.status_code)).inc()
                metrics.HTTP_LATENCY.labels(method, route).observe(duration)
                user = getattr(request, "user", None)
                log.info(
                    "request",
                    method=request.method,
                    path=loggable_path(request),
                    route=route,
                    status=response.status_code,
                    duration_ms=round(duration * 1000, 2),
                    user_id=user.pk if user is not None and user.is_authenticated else None,
                )
        finally:
            metrics.HTTP_IN_FLIGHT.dec()
        return response


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
        if "\x00" in request.path_info or any("\x00" in key or "\x00" in value for key, value in _query_items(request)):
            from momentum.errors import bad_request

            return bad_request(request)
        return self.get_response(request)


def _query_items(request: HttpRequest) -> list[tuple[str, str]]:
    return [(key, value) for key, values in request.GET.lists() for value in values]
