"""A raw query string through the ASGI entry point ``momentum serve`` runs (issue 14): a byte that
is not UTF-8 is a 400 (a page, or a problem under /api), never a plain-text 500; UTF-8 is read as
text. Apart from test_malformed_input.py because these run on committed data (the ASGI handler
opens its own connection), where that module shares one world in a transaction."""

from __future__ import annotations

import json
from typing import Any

import pytest


def _through_asgi(path: str, query: bytes) -> tuple[int, dict[str, str], bytes]:
    """One GET through momentum.asgi.application, the entry point ``momentum serve`` runs."""
    from asgiref.sync import async_to_sync

    from momentum.asgi import application

    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": query, "root_path": "",
        "headers": [(b"host", b"testserver")], "client": ("127.0.0.1", 50000), "server": ("testserver", 80),
    }  # fmt: skip
    async_to_sync(application)(scope, receive, send)
    start = next(message for message in sent if message["type"] == "http.response.start")
    headers = {name.decode().lower(): value.decode() for name, value in start["headers"]}
    body = b"".join(message.get("body", b"") for message in sent if message["type"] == "http.response.body")
    return start["status"], headers, body


@pytest.mark.django_db(transaction=True)
def test_a_raw_non_utf8_query_byte_sent_to_the_server_is_a_400_page_not_a_plain_text_500() -> None:
    status, headers, body = _through_asgi("/courses/", b"q=caf\xe9")

    assert status == 400
    assert headers["content-type"].startswith("text/html")
    assert b"UTF-8" in body


@pytest.mark.django_db(transaction=True)
def test_a_raw_non_utf8_query_byte_sent_to_the_api_is_a_400_problem() -> None:
    status, headers, body = _through_asgi("/api/v1/courses", b"q=caf\xe9")

    assert status == 400
    assert headers["content-type"] == "application/problem+json"
    assert json.loads(body)["code"] == "bad_request"


@pytest.mark.django_db(transaction=True)
def test_a_raw_utf8_query_sent_to_the_server_is_read_as_text() -> None:
    status, _, body = _through_asgi("/courses/", "q=café".encode())

    assert status == 200
    assert "café" in body.decode()
