"""The error responses every API operation can give, written into the OpenAPI document.

Routers declare the answers particular to an operation (``201``, ``409 already_enrolled``...).
The answers that come from the shared machinery are added here, from what the operation is,
so the document lists every status a client can meet:

- any operation: ``400`` (a query string that is not UTF-8, a body whose framing is malformed, such
  as multipart without a boundary or a bad Content-Length: any request can carry those), ``429``
  (the rate limits) and ``503`` (a dependency such as the database is down);
- one that takes a body: ``413`` (too large), ``415`` (wrong media type);
- one that takes parameters or a body: ``400`` also for a body that cannot be parsed, or text no
  database can hold (a NUL character or a lone surrogate), and ``422`` (validation);
- one that needs an account: ``401`` (no valid credentials) and ``403`` (not allowed);
- one with path parameters: ``404`` (no such object, or one the caller may not see).

Every problem is ``application/problem+json`` (RFC 9457), never ``application/json``.
"""

from __future__ import annotations

from typing import Any

from momentum.lib.problems import PROBLEM_CONTENT_TYPE

PROBLEM_SCHEMA_NAME = "ProblemOut"
_DESCRIPTIONS = {
    400: "Bad Request: the query string or the body cannot be read (not UTF-8, malformed framing such as "
    "multipart without a boundary), or it or the address holds a NUL character",
    401: "Unauthorized: send a valid bearer access token or a session cookie",
    403: "Forbidden: the caller may not do this",
    404: "Not Found",
    413: "Content Too Large: the body is larger than the server accepts",
    415: "Unsupported Media Type",
    422: "Unprocessable Content: a parameter or a field is invalid",
    429: "Too Many Requests: see Retry-After",
    503: "Service Unavailable: a dependency (database, storage) does not answer; retry later",
}
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def _statuses(operation: dict[str, Any]) -> list[int]:
    parameters = operation.get("parameters", [])
    has_body = "requestBody" in operation
    statuses = [400, 429, 503]
    if has_body:
        statuses += [413, 415]
    if has_body or parameters:
        statuses.append(422)
    if operation.get("security"):
        statuses += [401, 403]
    if any(parameter.get("in") == "path" for parameter in parameters):
        statuses.append(404)
    return statuses


def document_problems(schema: dict[str, Any], problem_schema: dict[str, Any]) -> dict[str, Any]:
    """Add the shared problem responses to every operation of ``schema`` (in place)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault(PROBLEM_SCHEMA_NAME, problem_schema)
    reference = {"$ref": f"#/components/schemas/{PROBLEM_SCHEMA_NAME}"}
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in _METHODS:
                continue
            responses = {str(status): response for status, response in operation.get("responses", {}).items()}
            for response in responses.values():
                content = response.get("content", {})
                if content.get("application/json", {}).get("schema") == reference:
                    response["content"] = {PROBLEM_CONTENT_TYPE: content["application/json"]}
            for status in _statuses(operation):
                responses.setdefault(
                    str(status),
                    {"description": _DESCRIPTIONS[status], "content": {PROBLEM_CONTENT_TYPE: {"schema": reference}}},
                )
            operation["responses"] = dict(sorted(responses.items()))
    return schema


def problems(described: dict[int, str], **openapi_extra: Any) -> dict[str, Any]:
    """``openapi_extra`` for the problems particular to one operation: ``{409: "`day_taken`"}``.

    Anything else the operation documents by hand (``requestBody=``, ``responses=`` with a non-problem
    answer) passes through, the problems added to its responses.
    """
    reference = {"$ref": f"#/components/schemas/{PROBLEM_SCHEMA_NAME}"}
    responses = dict(openapi_extra.pop("responses", {}))
    for status, text in described.items():
        responses[status] = {"description": text, "content": {PROBLEM_CONTENT_TYPE: {"schema": reference}}}
    return {**openapi_extra, "responses": responses}
