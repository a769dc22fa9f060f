"""Malformed input is the client's error (4xx), on every API operation and every page: issue 23's
findings of an outside fuzz, and issue 14's raw non-UTF-8 query string, each as a regression.

- An id-or-slug written with non-ASCII digits ("³", for which ``str.isdigit()`` is true and
  ``int()`` fails) or a number no column holds, in any path parameter or filter: never a 500.
- A body with malformed framing (multipart without a boundary or with a broken one, a bad
  Content-Length): 400 before anything parses it, problem+json under /api, the error page elsewhere.
- A query string that is not UTF-8 (percent-encoded here; raw bytes through the ASGI entry point
  ``momentum serve`` runs in test_malformed_query_asgi.py): 400, logged as a request answered 400,
  not as an error.

The sweeps read the operations from the OpenAPI document and the pages from the URL patterns
(tests/test_access_matrix.py), so a new route is covered without editing this file.
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from conftest import ApiClient
from momentum.api import api
from tests.test_access_matrix import OPERATIONS, PAGES, World, fill

pytestmark = pytest.mark.django_db

# Strings an id-or-slug parameter must survive: superscript three, Arabic-Indic "12", a number
# past any integer column, and the mixed case of both.
UNUSUAL_KEYS = ["³", "١٢", "9" * 30, "1²"]
KEYED_PARAMETERS = re.compile(r"\{(course|lesson|id|user_id|run_id)\}")
PAGE_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")
NO_BOUNDARY = "multipart/form-data"
BROKEN_FRAMINGS: dict[str, dict[str, Any]] = {
    "multipart without a boundary": {"CONTENT_TYPE": NO_BOUNDARY},
    "multipart with an empty boundary": {"CONTENT_TYPE": "multipart/form-data; boundary="},
    "multipart with a boundary past 200 characters": {"CONTENT_TYPE": f"multipart/form-data; boundary={'b' * 300}"},
    "multipart with a non-ASCII boundary": {"CONTENT_TYPE": "multipart/form-data; boundary=caf\xe9"},
    "a Content-Length that is not a number": {"CONTENT_TYPE": "application/json", "CONTENT_LENGTH": "ten"},
    "a negative Content-Length": {"CONTENT_TYPE": "application/json", "CONTENT_LENGTH": "-1"},
    "a Content-Length of superscript digits": {"CONTENT_TYPE": "application/json", "CONTENT_LENGTH": "³"},
    "a form body in Latin-1": {"CONTENT_TYPE": "application/x-www-form-urlencoded; charset=latin-1"},
}


def _api_keyed_operations() -> list[tuple[str, str]]:
    return [(method, path) for method, path, _ in OPERATIONS if KEYED_PARAMETERS.search(path)]


def _send(client: Client, method: str, url: str, **extra: Any) -> Any:
    if method in ("GET", "HEAD", "OPTIONS", "DELETE"):
        return client.generic(method, url, **extra)
    return client.generic(method, url, data="{}", content_type="application/json", **extra)


def _admin_page_client(world: World) -> Client:
    client = Client(enforce_csrf_checks=False)
    client.force_login(world.users["admin"])
    return client


# --- 1. Non-ASCII digits in an id or slug ------------------------------------------------------


def test_a_course_address_of_superscript_digits_is_not_found_for_anyone(api: ApiClient) -> None:
    response = api.get("/api/v1/courses/%C2%B3")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("method", "path"), _api_keyed_operations(), ids=[f"{m} {p}" for m, p in _api_keyed_operations()]
)
def test_every_id_or_slug_parameter_of_the_api_answers_unusual_digits_with_a_4xx(
    world: World, method: str, path: str
) -> None:
    admin = ApiClient(world.users["admin"])
    for name in KEYED_PARAMETERS.findall(path):
        for key in UNUSUAL_KEYS:
            url = fill(world, path.replace(f"{{{name}}}", key))

            response = _send(admin, method, url)

            assert 400 <= response.status_code < 500, f"{method} {url}: {response.status_code}"


PAGES_WITH_PARAMETERS = [page for page in PAGES if PAGE_PARAMETER.search(page.route)]


@pytest.mark.parametrize("page", PAGES_WITH_PARAMETERS, ids=[page.route for page in PAGES_WITH_PARAMETERS])
def test_every_page_address_answers_unusual_digits_in_its_parameters_with_a_4xx_or_a_redirect(
    world: World, page: Any
) -> None:
    client = _admin_page_client(world)
    for key in UNUSUAL_KEYS:
        url = "/" + PAGE_PARAMETER.sub(key, page.route).replace("^", "").replace("$", "")

        for method in ("GET", "POST"):
            response = client.generic(method, url)

            assert response.status_code < 500, f"{method} {url}: {response.status_code}"


@pytest.mark.parametrize(
    "url",
    [
        "/courses/?category=%C2%B3",
        "/courses/?duration_days=%C2%B3",
        "/api/v1/courses?category=%C2%B3",
        "/api/v1/admin/audit-logs?actor=%C2%B3",
        "/api/v1/admin/audit-logs?subject=" + "9" * 30,
        "/studio/audit/?actor=%C2%B3",
    ],
)
def test_an_id_or_slug_filter_of_unusual_digits_finds_nothing_instead_of_failing(world: World, url: str) -> None:
    client = ApiClient(world.users["admin"]) if url.startswith("/api/") else _admin_page_client(world)

    response = client.get(url)

    assert response.status_code in (200, 422), f"{url}: {response.status_code}"


# --- 2. Malformed body framing ------------------------------------------------------------------

UPLOADS = [
    ("POST", "/api/v1/reference-documents"),
    ("POST", "/api/v1/courses/{course}/thumbnail"),
    ("POST", "/api/v1/courses/{course}/lessons/{lesson}/video"),
]


@pytest.mark.parametrize(("method", "path"), UPLOADS, ids=[path for _, path in UPLOADS])
def test_an_upload_in_multipart_without_a_boundary_is_a_400_problem(world: World, method: str, path: str) -> None:
    admin = ApiClient(world.users["admin"])

    response = admin.generic(method, fill(world, path), data=b"--x\r\n\r\n--x--\r\n", content_type=NO_BOUNDARY)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "boundary" in response.json()["detail"]


@pytest.mark.parametrize(
    ("method", "path"), [(m, p) for m, p, _ in OPERATIONS], ids=[f"{m} {p}" for m, p, _ in OPERATIONS]
)
def test_every_api_operation_refuses_malformed_body_framing_with_a_400_problem(
    world: World, method: str, path: str
) -> None:
    admin = ApiClient(world.users["admin"])
    url = fill(world, path)
    for case, headers in BROKEN_FRAMINGS.items():
        response = admin.generic(method, url, data=b"x=1", **headers)

        assert response.status_code == 400, f"{case}, {method} {url}: {response.status_code}"
        assert response["Content-Type"] == "application/problem+json", case


def test_a_file_part_whose_base64_does_not_decode_is_a_400_problem(world: World) -> None:
    admin = ApiClient(world.users["admin"])
    body = (
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n@@@@!\r\n--b--\r\n"
    )

    response = admin.generic(
        "POST",
        fill(world, "/api/v1/courses/{course}/thumbnail"),
        data=body,
        content_type="multipart/form-data; boundary=b",
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


FORM_PAGES = [page for page in PAGES if not page.route.startswith(("api/", "healthz", "readyz", "metrics"))]


@pytest.mark.parametrize("page", FORM_PAGES, ids=[page.route for page in FORM_PAGES])
def test_every_page_refuses_a_post_in_multipart_without_a_boundary_with_a_400_page(world: World, page: Any) -> None:
    client = _admin_page_client(world)

    response = client.generic("POST", page.url(world), data=b"--x\r\n\r\n--x--\r\n", content_type=NO_BOUNDARY)

    assert response.status_code == 400, f"{page.route}: {response.status_code}"
    assert response["Content-Type"].startswith("text/html")
    assert b"boundary" in response.content


# --- 3. A query string that is not UTF-8 ----------------------------------------------------------


@pytest.fixture
def request_log() -> Iterator[io.StringIO]:
    """The JSON lines the request logger writes during the test."""
    root = logging.getLogger()
    formatter = next((handler.formatter for handler in root.handlers if handler.formatter), None)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    levels = {name: logging.getLogger(name).level for name in ("", "momentum", "django", "django.request")}
    root.addHandler(handler)
    for name in levels:
        logging.getLogger(name).setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def _lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.startswith("{")]


def test_a_query_string_that_is_not_utf8_is_a_400_page_logged_as_a_bad_request(
    client: Client, request_log: io.StringIO
) -> None:
    response = client.get("/courses/", QUERY_STRING="q=caf%E9")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert b"UTF-8" in response.content
    lines = _lines(request_log)
    assert {"event": "request", "status": 400} in [
        {"event": line.get("event"), "status": line.get("status")} for line in lines
    ]
    assert not [line for line in lines if line.get("level") in ("error", "critical")]


def test_a_query_string_that_is_not_utf8_is_a_400_problem_under_the_api(api: ApiClient) -> None:
    response = api.get("/api/v1/courses", QUERY_STRING="q=caf%E9")

    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_a_raw_utf8_query_string_is_read_as_text(client: Client) -> None:
    response = client.get("/courses/", QUERY_STRING="q=café".encode().decode("iso-8859-1"))

    assert response.status_code == 200
    assert "café" in response.content.decode()


def test_every_operation_documents_the_400_of_a_malformed_request() -> None:
    document = api.get_openapi_schema(path_prefix="/api")

    missing = [
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if "400" not in operation["responses"]
    ]

    assert missing == []
