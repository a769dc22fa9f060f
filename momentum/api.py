"""The REST API: one NinjaAPI at /api, version 1 under /api/v1, errors as problem+json."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import BadRequest, PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.errors import AuthorizationError as NinjaAuthorizationError
from ninja.parser import Parser

from momentum.lib.logs import get_logger
from momentum.lib.problems import Problem, problem_response
from momentum.platform import project_api
from momentum.platform.errors import CSRF_DETAIL, database_unavailable, is_storage_failure, storage_unavailable

log = get_logger("momentum.api")


class JsonParser(Parser):
    """JSON bodies, refusing text no database column can hold.

    JSON may spell a lone surrogate (``"\\ud800"``), which no driver can encode, or a NUL
    (``"\\u0000"``), which PostgreSQL refuses in text; either would fail at the first query as a
    500. Refused here instead, as a body that cannot be parsed (400).
    """

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        for text in _strings(data):
            text.encode()  # UnicodeEncodeError (a ValueError) on a lone surrogate
            if "\x00" in text:
                raise ValueError("the body contains a NUL character")
        return data


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _nul_free(value: Any, location: tuple[str, ...]) -> None:
    """PostgreSQL text cannot hold NUL (U+0000): refuse it as invalid input, not a 500 at the database."""
    if isinstance(value, str) and "\x00" in value:
        raise ValidationError([{"loc": location, "msg": "must not contain NUL characters", "type": "nul_character"}])
    if isinstance(value, dict):
        for key, item in value.items():
            _nul_free(key, (*location, str(key)))
            _nul_free(item, (*location, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _nul_free(item, (*location, str(index)))


class NulRefusingParser(JsonParser):
    def parse_body(self, request: HttpRequest) -> Any:
        body = super().parse_body(request)
        _nul_free(body, ("body",))
        return body

    def parse_querydict(self, data: Any, list_fields: list[str], request: HttpRequest) -> Any:
        parsed = super().parse_querydict(data, list_fields, request)
        _nul_free(parsed, ())
        return parsed


class MomentumAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        from momentum.accounts.schemas import ProblemOut
        from momentum.api_links import document_links
        from momentum.generation.event_docs import document_job_events
        from momentum.platform.api_problems import document_problems

        schema = document_links(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))
        schema = document_job_events(schema)
        return document_problems(schema, ProblemOut.model_json_schema(ref_template="#/components/schemas/{model}"))


api = MomentumAPI(
    title="Momentum API",
    version="1",
    description="Short daily courses, their learners and the AI pipeline that writes them. "
    "Errors are application/problem+json (RFC 9457) with a stable `code`.",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=NulRefusingParser(),
)
project_api.register(api)


def _field_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    fields = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload", "query", "path")]
        fields.append(
            {
                "field": ".".join(location) or "body",
                "message": str(error.get("msg", "is invalid")),
                "rule": str(error.get("type", "invalid")),
            }
        )
    return fields


@api.exception_handler(Problem)
def _problem(request: HttpRequest, exc: Problem) -> HttpResponse:
    return problem_response(exc, request)


@api.exception_handler(ValidationError)
def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = _field_errors(exc.errors)
    detail = "; ".join(f"{error['field']}: {error['message']}" for error in errors[:5])
    return problem_response(Problem(422, "validation_error", detail, errors=errors), request)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    problem = Problem(401, "not_authenticated", _("Sign in: send a bearer access token or a session cookie."))
    response = problem_response(problem, request)
    response["WWW-Authenticate"] = 'Bearer realm="momentum"'
    return response


@api.exception_handler(NinjaAuthorizationError)
def _forbidden_ninja(request: HttpRequest, exc: NinjaAuthorizationError) -> HttpResponse:
    return problem_response(Problem(403, "forbidden", str(exc.message) or "Not allowed."), request)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    detail = str(exc) or "Not allowed."
    if "CSRF" in detail:
        return problem_response(Problem(403, "csrf_failed", detail), request)
    return problem_response(Problem(403, "forbidden", detail), request)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(Problem(404, "not_found", _("Not found.")), request)


@api.exception_handler(Throttled)
def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    wait = int(exc.wait or 1) if hasattr(exc, "wait") else 1
    problem = Problem(
        429,
        "rate_limited",
        _("Too many requests; retry in %(seconds)d s.") % {"seconds": wait},
        headers={"Retry-After": str(wait)},
    )
    return problem_response(problem, request)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return problem_response(Problem(413, "payload_too_large", _("The request body is too large.")), request)


@api.exception_handler(MultiPartParserError)
@api.exception_handler(BadRequest)
@api.exception_handler(SuspiciousOperation)
def _unreadable(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A body Django could not parse (MalformedRequestMiddleware refuses most before they get here)."""
    log.info("malformed_request", path=request.path, reason=f"{type(exc).__name__}: {exc}"[:300])
    return problem_response(Problem(400, "bad_request", _("The request body could not be parsed.")), request)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    status = exc.status_code
    if status == 400:
        return problem_response(Problem(400, "bad_request", str(exc.message) or "Malformed request."), request)
    if status == 403 and "CSRF" in str(exc.message):  # django-ninja's session-cookie check
        return problem_response(Problem(403, "csrf_failed", CSRF_DETAIL), request)
    return problem_response(Problem(status, None, str(exc.message)), request)


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def _database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.error("database_unavailable", path=request.path, error=f"{type(exc).__name__}: {exc}"[:300])
    return database_unavailable(request)


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    if is_storage_failure(exc):
        log.error("storage_unavailable", path=request.path, error=f"{type(exc).__name__}: {exc}"[:300])
        return storage_unavailable(request)
    log.exception("unhandled_api_error", path=request.path)
    return problem_response(
        Problem(500, "internal_error", _("Something went wrong on our side; it has been logged.")), request
    )


def _mount_routers() -> None:
    from momentum.accounts.api import router as accounts
    from momentum.achievements.api import router as achievements
    from momentum.analytics.api import router as analytics
    from momentum.assessments.api import router as assessments
    from momentum.audit.api import router as audit
    from momentum.billing.api import router as billing
    from momentum.catalog.api import router as catalog
    from momentum.coursepackages.api import router as coursepackages
    from momentum.credentials.api import router as credentials
    from momentum.discussions.api import router as discussions
    from momentum.generation.api import router as generation
    from momentum.generation.references.api import router as references
    from momentum.learning.api import router as learning
    from momentum.lti.api import router as lti
    from momentum.observability.api import router as observability
    from momentum.recovery.api import router as recovery
    from momentum.webpush.api import router as webpush

    # Each router is mounted here, not nested in another: django-ninja drops the leading slash of a
    # nested router's prefix, which breaks its paths in the OpenAPI document.
    routers = (
        accounts,
        # before catalog: its /courses/{course} would otherwise answer POST /courses/import with a 405
        coursepackages,
        catalog,
        learning,
        assessments,
        discussions,
        achievements,
        credentials,
        billing,
        generation,
        references,
        analytics,
        audit,
        recovery,
        observability,
        webpush,
        lti,
    )
    for router in routers:
        api.add_router("/v1", router)


_mount_routers()
