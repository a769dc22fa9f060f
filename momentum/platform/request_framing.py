"""Requests whose framing is malformed are refused (400) before anything reads them.

Django parses the query string and the body lazily, wherever ``request.GET`` or ``request.POST``
is first touched: in the CSRF middleware, in a view, in django-ninja. A malformed request then
failed there as a 500 (``MultiPartParserError: Invalid boundary`` escapes every handler), or was
read with its bytes silently replaced. ``MalformedRequestMiddleware`` runs before all of them
and answers 400 (problem+json under /api, the error page elsewhere) when:

- the query string, once percent-decoded, is not UTF-8 (``?q=caf%E9``; a raw non-ASCII byte is
  percent-encoded by momentum.asgi before it gets here, so it meets the same rule);
- ``Content-Length`` is not a non-negative integer in ASCII digits;
- a ``multipart/form-data`` body has no boundary, an invalid one, or a non-ASCII Content-Type;
- an ``application/x-www-form-urlencoded`` body declares a charset other than UTF-8;
- a ``multipart/form-data`` POST cannot be parsed (a part's base64 that does not decode, too many
  parts or fields): it is parsed here, first, so every later reader gets the parsed form.

Each refusal is logged as ``malformed_request`` (info) and as a request with status 400: it is
the client's error, not ours.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from django.utils.http import parse_header_parameters

from momentum.lib.logs import get_logger
from momentum.platform.errors import malformed_request
from momentum.platform.request_limits import payload_too_large

log = get_logger("momentum.request")

_CONTENT_LENGTH = re.compile(r"[0-9]+")
_UTF8 = ("utf-8", "utf8")


def _raw_query(request: HttpRequest) -> bytes:
    query = request.META.get("QUERY_STRING", "")
    if isinstance(query, bytes):
        return query
    try:
        return str(query).encode("iso-8859-1")  # WSGI carries the request's bytes as latin-1 text
    except UnicodeEncodeError:
        return str(query).encode()


def framing_error(request: HttpRequest) -> str | None:
    """Why the query string or the body's framing cannot be read, or None when they can."""
    query = _raw_query(request).replace(b"+", b" ")
    try:
        unquote_to_bytes(query).decode("utf-8")
    except UnicodeDecodeError:
        return "The query string is not valid UTF-8 once percent-decoded."
    length = request.META.get("CONTENT_LENGTH") or ""
    if length and not _CONTENT_LENGTH.fullmatch(str(length)):
        return "The Content-Length header is not a whole number of bytes."
    content_type = str(request.META.get("CONTENT_TYPE") or "")
    if not content_type.isascii():
        return "The Content-Type header holds characters other than ASCII."
    media_type, parameters = parse_header_parameters(content_type)
    if media_type == "multipart/form-data":
        boundary = parameters.get("boundary") or ""
        if not MultiPartParser.boundary_re.fullmatch(boundary):
            return "A multipart/form-data body needs a boundary parameter of printable ASCII characters."
    if media_type == "application/x-www-form-urlencoded" and parameters.get("charset", "utf-8").lower() not in _UTF8:
        return "A form body (application/x-www-form-urlencoded) must be UTF-8."
    return None


class MalformedRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reason = framing_error(request)
        if reason is None and request.method == "POST" and request.content_type == "multipart/form-data":
            try:
                request.POST  # noqa: B018  (parsed once here; every later reader gets this result)
            except RequestDataTooBig:
                return payload_too_large(request)
            except (MultiPartParserError, BadRequest, SuspiciousOperation) as error:
                reason = f"The multipart/form-data body could not be parsed: {error}"[:300]
        if reason is not None:
            log.info("malformed_request", path=request.path, reason=reason)
            return malformed_request(request, reason)
        return self.get_response(request)
