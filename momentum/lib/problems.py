"""RFC 9457 problem details: the one error shape of the API.

Domain code raises ``Problem`` (or a subclass); the API's exception handlers turn it,
and every other error under /api, into ``application/problem+json``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "https://momentum.dev/problems/"

_TITLES: dict[int, str | _StrPromise] = {
    400: _("Bad request"),
    401: _("Not authenticated"),
    402: _("Payment required"),
    403: _("Forbidden"),
    404: _("Not found"),
    405: _("Method not allowed"),
    409: _("Conflict"),
    413: _("Payload too large"),
    415: _("Unsupported media type"),
    422: _("Invalid input"),
    429: _("Too many requests"),
    500: _("Internal server error"),
    503: _("Service unavailable"),
}

_DEFAULT_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    402: "payment_required",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}


class Problem(Exception):
    """An error a client can act on: an HTTP status, a stable code and a sentence."""

    def __init__(
        self,
        status: int,
        code: str | None = None,
        detail: str | _StrPromise = "",
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        self.status = status
        self.code = code or _DEFAULT_CODES.get(status, "error")
        # Raised while answering a request: a lazy text is put into words now, in the caller's language.
        self.detail: str = str(detail or _TITLES.get(status, _("Error")))
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra or {}
        super().__init__(f"{status} {self.code}: {self.detail}")


_NOT_FOUND = _("Not found.")


class NotFound(Problem):
    def __init__(self, detail: str | _StrPromise = _NOT_FOUND) -> None:
        super().__init__(404, "not_found", detail)


class Conflict(Problem):
    def __init__(self, code: str, detail: str | _StrPromise, **extra: Any) -> None:
        super().__init__(409, code, detail, extra=extra or None)


class Invalid(Problem):
    """422 with field errors: ``Invalid("title", "must not be empty")``."""

    def __init__(
        self, field: str, message: str | _StrPromise, *, rule: str = "invalid", code: str = "validation_error"
    ) -> None:
        super().__init__(
            422, code, f"{field}: {message}", errors=[{"field": field, "message": str(message), "rule": rule}]
        )


def file_too_large(field: str, limit: int, what: str = "the file") -> Problem:
    """413 ``payload_too_large`` for an uploaded file over ``limit`` bytes (``what`` names it in the detail)."""
    megabytes = limit / (1024 * 1024)
    return Problem(
        413,
        "payload_too_large",
        f"{field}: {what} is larger than {megabytes:.0f} MB",
        errors=[{"field": field, "message": f"must be at most {megabytes:.0f} MB", "rule": "max_size"}],
    )


def problem_body(problem: Problem, request: HttpRequest | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": TYPE_BASE + problem.code,
        "title": str(_TITLES.get(problem.status, _("Error"))),
        "status": problem.status,
        "detail": str(problem.detail),
        "code": problem.code,
    }
    if problem.errors is not None:
        body["errors"] = problem.errors
    if request is not None:
        body["instance"] = request.path
    body.update(problem.extra)
    return body


def problem_response(problem: Problem, request: HttpRequest | None = None) -> JsonResponse:
    response = JsonResponse(problem_body(problem, request), status=problem.status, content_type=PROBLEM_CONTENT_TYPE)
    for name, value in problem.headers.items():
        response[name] = value
    return response
