"""SQL injection, XSS and hostile text sent through every API operation's inputs.

The operations, their parameters and their body fields come from the OpenAPI document, so an
operation added later is swept without editing this file. Each is called as the persona it is
meant for (an admin for admin operations, a learner with history for the signed-in ones, nobody
for public and provider ones), one input at a time replaced by each payload of
payloads.swept() (all of payloads.ALL in `make fuzz`):

- never a 5xx, never a database error in the answer;
- a refused write (4xx) leaves the database as it was;
- what was stored comes back inert (no script, handler or script URL in ``*_html`` fields).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client

from conftest import ApiClient
from momentum.accounts.policy import Access
from momentum.api import api
from tests.security import payloads
from tests.security.inspection import active_content, database_state
from tests.test_access_matrix import OPERATIONS, World, value_for

pytestmark = pytest.mark.django_db

SCHEMA = api.get_openapi_schema(path_prefix="/api")
ACCESS = {(method, path): access for method, path, access in OPERATIONS}


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    """Follow $ref and pick the first non-null branch of anyOf (Optional fields)."""
    while True:
        if "$ref" in schema:
            schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
        elif "anyOf" in schema:
            branches = [branch for branch in schema["anyOf"] if branch.get("type") != "null"]
            schema = branches[0] if branches else {}
        elif "allOf" in schema and len(schema["allOf"]) == 1:
            schema = schema["allOf"][0]
        else:
            return schema


def example(schema: dict[str, Any]) -> Any:  # noqa: PLR0911
    """A plausible valid value for ``schema``, so that the payload is the one input being judged."""
    schema = resolve(schema)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1) if "maximum" not in schema else int(schema.get("minimum", 0))
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return False
    if kind == "array":
        return []
    if kind == "object":
        properties = schema.get("properties", {})
        return {name: example(properties[name]) for name in schema.get("required", [])}
    return "text"


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    access: Access
    spec: dict[str, Any]

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    def body_schema(self) -> tuple[str, dict[str, Any]] | None:
        content = self.spec.get("requestBody", {}).get("content", {})
        for content_type, media in content.items():
            return content_type, resolve(media.get("schema", {}))
        return None


def operations() -> Iterator[Operation]:
    for path, item in SCHEMA["paths"].items():
        for method, spec in item.items():
            key = (method.upper(), path)
            assert key in ACCESS, f"{key} is in the OpenAPI document but not in the access matrix"
            yield Operation(method.upper(), path, ACCESS[key], spec)


ALL_OPERATIONS = sorted(operations(), key=lambda op: op.label)


@dataclass(frozen=True)
class Attempt:
    """One hostile request: where the payload went, and the request's parts."""

    where: str
    path: str
    query: str
    body: bytes | None
    content_type: str
    headers: dict[str, str]
    files: dict[str, Any] | None = None


def encoded(value: str) -> str:
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def json_bytes(body: Any) -> bytes:
    return json.dumps(body).encode()  # lone surrogates become \ud800 escapes, as a hostile client sends


def attempts(op: Operation, world: World, payload: str) -> Iterator[Attempt]:
    """Each input of ``op`` in turn carrying ``payload``, the others valid."""
    path = _fill(op.path, world)
    parameters = op.spec.get("parameters", [])
    base_query = {
        p["name"]: example(p.get("schema", {})) for p in parameters if p["in"] == "query" and p.get("required")
    }
    body_spec = op.body_schema()
    content_type, schema = body_spec if body_spec else ("application/json", {})
    base_body = example(schema) if schema.get("type") == "object" else {}
    multipart = content_type.startswith("multipart/")

    def request(where: str, *, path_: str = path, query: dict[str, Any] | None = None, body: Any = base_body,
                headers: dict[str, str] | None = None, raw: bytes | None = None) -> Attempt:  # fmt: skip
        query_string = "&".join(f"{encoded(str(k))}={encoded(str(v))}" for k, v in (query or base_query).items())
        if multipart:
            files = {
                name: (payload[:200], payload.encode("utf-8", "surrogatepass")) for name in schema.get("properties", {})
            }
            return Attempt(where, path_, query_string, None, content_type, headers or {}, files)
        data = raw if raw is not None else (json_bytes(body) if op.method not in ("GET", "HEAD") else None)
        return Attempt(where, path_, query_string, data, "application/json", headers or {})

    for parameter in parameters:
        name, location = parameter["name"], parameter["in"]
        if location == "query":
            yield request(f"query {name}", query={**base_query, name: payload})
        elif location == "path":
            yield request(f"path {name}", path_=_fill(op.path, world, {name: encoded(payload)}))
        elif location == "header":
            yield request(f"header {name}", headers={name: payload.replace("\r", "").replace("\n", "")[:8000]})
    if body_spec is None:
        return
    if multipart:
        yield request("file name and content")
        return
    properties = schema.get("properties", {})
    for name, field in properties.items():
        yield request(f"body {name}", body={**base_body, name: payload})
        nested = resolve(field)
        for inner in nested.get("properties", {}) if nested.get("type") == "object" else {}:
            yield request(f"body {name}.{inner}", body={**base_body, name: {**example(nested), inner: payload}})
    if not properties:  # a free-form body (a provider's webhook): hostile values where events keep theirs
        yield request("body", body={"id": payload, "type": payload, "data": {"object": {"id": payload}}})
    yield request("raw body", raw=payload.encode("utf-8", "surrogatepass"))


def _fill(path: str, world: World, overrides: dict[str, str] | None = None) -> str:
    def value(name: str) -> str:
        return (overrides or {}).get(name) or value_for(world, path, name)

    import re

    return re.sub(r"\{(\w+)\}", lambda match: value(match.group(1)), path)


def caller(op: Operation, world: World) -> Client:
    if op.access in (Access.PUBLIC, Access.PROVIDER):
        return ApiClient()
    return ApiClient(world.users["admin"] if op.access is Access.ADMIN else world.owner)


def send(client: Client, op: Operation, attempt: Attempt) -> Any:
    url = attempt.path + (f"?{attempt.query}" if attempt.query else "")
    headers: dict[str, Any] = {
        f"HTTP_{name.upper().replace('-', '_')}": value for name, value in attempt.headers.items()
    }
    if attempt.files is not None:
        return client.generic(
            op.method, url, multipart(attempt.files), f"multipart/form-data; boundary={BOUNDARY}", **headers
        )
    return client.generic(op.method, url, attempt.body or b"", attempt.content_type, **headers)


BOUNDARY = "hostile-boundary-7MA4YWxkTrZu0gW"


def multipart(files: dict[str, tuple[str, bytes]]) -> bytes:
    """A multipart body whose file names are sent byte for byte, as a hostile client would."""
    parts = []
    for field, (filename, content) in files.items():
        name = filename.replace('"', "%22").replace("\r", "").replace("\n", "").encode("utf-8", "surrogatepass")
        parts.append(
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"".encode()
            + name + b'"\r\nContent-Type: application/octet-stream\r\n\r\n' + content + b"\r\n"
        )  # fmt: skip
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


class Tally:
    """Counts kept across the suite, for the security report."""

    payloads_sent = 0
    operations: set[str] = set()


@pytest.mark.parametrize("op", ALL_OPERATIONS, ids=[op.label for op in ALL_OPERATIONS])
def test_hostile_input_never_breaks_an_operation_or_changes_data_it_refuses(world: World, op: Operation) -> None:
    client = caller(op, world)
    problems: list[str] = []
    _fill(op.path, world)  # the path's objects (some made on first use) exist before the state is taken
    state = database_state()
    sent = 0
    for payload in payloads.swept():
        for attempt in attempts(op, world, payload):
            response = send(client, op, attempt)
            sent += 1
            text = response.content.decode("utf-8", "replace")
            label = f"{attempt.where}={payload[:40]!r}"
            if response.status_code >= 500:
                problems.append(f"{label}: {response.status_code} {text[:200]}")
                continue
            leaked = payloads.leaks_database_error(text) if response.status_code >= 400 else None
            if leaked:
                problems.append(f"{label}: the answer shows a database error ({leaked}): {text[:200]}")
            if op.method != "GET":
                after = database_state()
                if response.status_code >= 400 and after != state:
                    problems.append(
                        f"{label}: refused with {response.status_code} but changed {after.changed_since(state)}"
                    )
                state = after
            if response.content and response.get("Content-Type", "").startswith("application/json"):
                problems.extend(f"{label}: {found}" for found in _active_html_fields(response.json()))
    Tally.payloads_sent += sent
    assert sent > 0 or not _has_inputs(op), f"{op.label}: no input was swept"
    assert not problems, f"{op.label} as {op.access}:\n" + "\n".join(problems[:20])


def _has_inputs(op: Operation) -> bool:
    return bool(op.spec.get("parameters")) or op.body_schema() is not None


def _active_html_fields(document: Any) -> Iterator[str]:
    """Fields of an answer that carry rendered HTML (``*_html``) must hold no active content."""
    if isinstance(document, dict):
        for key, value in document.items():
            if key.endswith("_html") and isinstance(value, str):
                yield from active_content(value)
            else:
                yield from _active_html_fields(value)
    elif isinstance(document, list):
        for item in document:
            yield from _active_html_fields(item)


def test_the_sweep_covers_every_documented_operation() -> None:
    documented = {(verb.upper(), path) for path, item in SCHEMA["paths"].items() for verb in item}
    assert {(op.method, op.path) for op in ALL_OPERATIONS} == documented
    without_inputs = [op.label for op in ALL_OPERATIONS if not _has_inputs(op)]
    # Operations with no input at all are still called (by the access matrix); say which they are.
    assert all(" /api/v1/" in label for label in without_inputs)


def test_a_nul_character_is_refused_as_a_bad_request_on_every_database(world: World) -> None:
    """PostgreSQL cannot hold a NUL in text: it is refused before any query, the same everywhere."""
    client = ApiClient(world.users["admin"])
    answers = [
        client.get("/courses/nul%00byte"),
        client.get("/courses?q=nul%00byte"),
        client.patch(f"/courses/{world.course.slug}", {"title": "nul\x00byte"}),
        Client().get("/courses/?q=nul%00byte"),
    ]

    assert [answer.status_code for answer in answers] == [400, 400, 400, 400]
    assert answers[0].json()["code"] == "bad_request"
