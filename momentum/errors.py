"""Error pages: problem+json under /api, a styled page everywhere else."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from momentum.lib.problems import Problem, problem_response


def _respond(request: HttpRequest, status: int, code: str, detail: str, template: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return problem_response(Problem(status, code, detail), request)
    return render(request, template, {"detail": detail}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):  # a body that outgrew MOMENTUM_MAX_BODY_BYTES
        from momentum.ops.request_limits import payload_too_large

        return payload_too_large(request)
    return _respond(request, 400, "bad_request", "The request could not be understood.", "errors/400.html")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _respond(request, 403, "forbidden", "You are not allowed to open this page.", "errors/403.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A state-changing request without a valid CSRF token (settings.CSRF_FAILURE_VIEW)."""
    if request.path.startswith("/api/"):
        return problem_response(Problem(403, "csrf_failed", CSRF_DETAIL), request)
    from django.views.csrf import csrf_failure as django_csrf_failure

    return django_csrf_failure(request, reason)


CSRF_DETAIL = "CSRF check failed: with the session cookie send the X-CSRFToken header, or use a bearer token."


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _respond(request, 404, "not_found", "There is nothing at this address.", "errors/404.html")


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return problem_response(Problem(500, "internal_error", "Something went wrong on our side."), request)
    return render(request, "errors/500.html", status=500)
