"""Error pages: problem+json under /api, a styled page everywhere else."""

from __future__ import annotations

import sys

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
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


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _respond(request, 404, "not_found", "There is nothing at this address.", "errors/404.html")


DATABASE_UNAVAILABLE = "The database does not answer right now; nothing was changed. Try again in a moment."


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: the database is down or unreachable (not a bug of the request)."""
    if request.path.startswith("/api/"):
        problem = Problem(503, "database_unavailable", DATABASE_UNAVAILABLE, headers={"Retry-After": "5"})
        return problem_response(problem, request)
    response = render(request, "errors/503.html", {"detail": DATABASE_UNAVAILABLE}, status=503)
    response["Retry-After"] = "5"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this while handling the exception: one from the database's connection
    # (refused, dropped, timed out) is an outage to report as such, not a bug.
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        return database_unavailable(request)
    if request.path.startswith("/api/"):
        return problem_response(Problem(500, "internal_error", "Something went wrong on our side."), request)
    return render(request, "errors/500.html", status=500)
