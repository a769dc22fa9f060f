"""Error pages: problem+json under /api, a styled page everywhere else."""

from __future__ import annotations

import errno
import sys

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from momentum.lib.problems import Problem, problem_response


def _respond(request: HttpRequest, status: int, code: str, detail: str, template: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return problem_response(Problem(status, code, detail), request)
    return render_error_page(request, template, {"detail": detail}, status=status)


def render_error_page(request: HttpRequest, template: str, context: dict[str, object], *, status: int) -> HttpResponse:
    """An error page, also for a request refused before AuthenticationMiddleware ran (it shows
    the page as to a signed-out visitor: the request was not read far enough to know who sent it)."""
    if not hasattr(request, "user"):
        request.user = AnonymousUser()
    return render(request, template, context, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):  # a body that outgrew MOMENTUM_MAX_BODY_BYTES
        from momentum.platform.request_limits import payload_too_large

        return payload_too_large(request)
    return _respond(request, 400, "bad_request", "The request could not be understood.", "errors/400.html")


def malformed_request(request: HttpRequest, detail: str) -> HttpResponse:
    """400 for a request whose query string or body framing cannot be read (momentum.platform.request_framing)."""
    return _respond(request, 400, "bad_request", detail, "errors/400.html")


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


DATABASE_UNAVAILABLE = "The database does not answer right now; nothing was changed. Try again in a moment."


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: the database is down or unreachable (not a bug of the request)."""
    if request.path.startswith("/api/"):
        problem = Problem(503, "database_unavailable", DATABASE_UNAVAILABLE, headers={"Retry-After": "5"})
        return problem_response(problem, request)
    response = render(request, "errors/503.html", {"detail": DATABASE_UNAVAILABLE}, status=503)
    response["Retry-After"] = "5"
    return response


STORAGE_UNAVAILABLE = "The file storage cannot be written to right now (full or read-only); nothing was saved."
# Errors of a file system or disk, not of the request: read-only, full, over quota, refused.
STORAGE_ERRNOS = {errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EIO}


def is_storage_failure(error: BaseException | None) -> bool:
    return isinstance(error, OSError) and error.errno in STORAGE_ERRNOS


def storage_unavailable(request: HttpRequest) -> HttpResponse:
    """503: the media storage refuses writes (an operator must act; the request was fine)."""
    if request.path.startswith("/api/"):
        return problem_response(Problem(503, "storage_unavailable", STORAGE_UNAVAILABLE), request)
    return render(request, "errors/503.html", {"detail": STORAGE_UNAVAILABLE}, status=503)


def busy(request: HttpRequest, problem: Problem) -> HttpResponse:
    """503 with the problem's Retry-After: problem+json under /api, the 503 page elsewhere."""
    if request.path.startswith("/api/"):
        return problem_response(problem, request)
    response = render(request, "errors/503.html", {"detail": problem.detail}, status=503)
    for name, value in problem.headers.items():
        response[name] = value
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this while handling the exception: one from the database's connection
    # (refused, dropped, timed out) is an outage to report as such, not a bug.
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        return database_unavailable(request)
    if is_storage_failure(sys.exc_info()[1]):
        return storage_unavailable(request)
    raised = sys.exc_info()[1]
    if isinstance(raised, Problem) and raised.status == 503:  # a bounded resource is busy (sign-in hashing)
        return busy(request, raised)
    if request.path.startswith("/api/"):
        return problem_response(Problem(500, "internal_error", _("Something went wrong on our side.")), request)
    return render(request, "errors/500.html", status=500)
