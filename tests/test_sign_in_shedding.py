"""Sign-ins beyond what a web process admits are answered 503 + Retry-After by the ASGI entry
point at once, before they queue for one of its threads (issue 21, ADR 0022)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from momentum import asgi


def _post(path: str) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": path, "raw_path": path.encode(), "query_string": b"",
             "headers": [(b"content-type", b"application/json")], "http_version": "1.1", "scheme": "http",
             "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 5000), "root_path": ""}  # fmt: skip

    async def answered() -> None:
        await asgi.application(scope, receive, send)

    asyncio.run(answered())
    return sent


def test_a_sign_in_beyond_the_processs_bound_is_a_503_problem_with_retry_after() -> None:
    bound = asgi._sign_in_bound()
    asgi._sign_ins[0] = bound  # as many sign-ins in this process as its gate runs and queues
    try:
        start, body = _post(asgi.SIGN_IN_PATH)
    finally:
        asgi._sign_ins[0] = 0

    headers = dict(start["headers"])
    assert start["status"] == 503
    assert headers[b"retry-after"] == b"1"
    assert headers[b"content-type"] == b"application/problem+json"
    problem = json.loads(body["body"])
    assert problem["code"] == "sign_in_busy"
    assert problem["status"] == 503
    assert bound >= 3  # the gate runs at least one and queues two more per core
