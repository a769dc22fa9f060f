"""The WSGI bridge between granian's ASGI and Django: a request's body reaches the application
whole, however it was sent; a response reaches the client whole, in order, and its iterable is
closed once, also when the client leaves; an error in the application is not swallowed.

The first tests call the bridge as an ASGI server would, with recorded messages; the last ones
serve bridge_app.py from a real granian and talk to it over HTTP."""

from __future__ import annotations

import asyncio
import hashlib
import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from momentum.lib.wsgi_bridge import WsgiBridge

ROOT = Path(__file__).resolve().parents[3]


def _scope(method: str = "GET", path: str = "/", headers: list[tuple[bytes, bytes]] | None = None) -> dict[str, Any]:
    return {"type": "http", "http_version": "1.1", "method": method, "scheme": "http", "path": path,
            "query_string": b"", "root_path": "", "headers": headers or [],
            "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000)}  # fmt: skip


class _Exchange:
    """One request through the bridge: the body arrives in ``parts``; what the bridge sends is kept."""

    def __init__(self, parts: list[bytes] | None = None, *, send_fails_after: int | None = None) -> None:
        self.parts = list(parts or [b""])
        self.received = 0
        self.sent: list[dict[str, Any]] = []
        self.send_fails_after = send_fails_after

    async def receive(self) -> dict[str, Any]:
        self.received += 1
        body = self.parts.pop(0)
        return {"type": "http.request", "body": body, "more_body": bool(self.parts)}

    async def send(self, message: dict[str, Any]) -> None:
        if self.send_fails_after is not None and len(self.sent) >= self.send_fails_after:
            raise ConnectionResetError("the client has gone")
        self.sent.append(message)

    def run(self, bridge: WsgiBridge, scope: dict[str, Any]) -> None:
        asyncio.run(bridge(scope, self.receive, self.send))

    @property
    def status(self) -> int:
        return int(self.sent[0]["status"])

    @property
    def body(self) -> bytes:
        return b"".join(message.get("body", b"") for message in self.sent[1:])


def _reading_app(seen: list[bytes]) -> Callable[..., Any]:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        seen.append(environ["wsgi.input"].read())
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"read"]

    return app


class _Closing:
    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks, self.closed = chunks, 0

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.chunks)

    def close(self) -> None:
        self.closed += 1


def test_a_small_body_sent_in_parts_reaches_the_application_whole() -> None:
    seen: list[bytes] = []
    exchange = _Exchange([b'{"comp', b'leted": true}'])

    exchange.run(WsgiBridge(_reading_app(seen), workers=1), _scope("PUT", headers=[(b"content-length", b"19")]))

    assert seen == [b'{"completed": true}']
    assert (exchange.status, exchange.body) == (200, b"read")


def test_a_large_or_chunked_body_is_read_as_the_application_asks_for_it() -> None:
    for headers in ([(b"content-length", b"200000")], [(b"transfer-encoding", b"chunked")]):
        seen: list[bytes] = []
        exchange = _Exchange([b"a" * 100_000, b"b" * 100_000])

        exchange.run(WsgiBridge(_reading_app(seen), workers=1, body_in_memory=1024), _scope("POST", headers=headers))

        assert seen == [b"a" * 100_000 + b"b" * 100_000]


def test_a_large_body_the_application_refuses_unread_is_never_received() -> None:
    def refuses(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response("413 Content Too Large", [("Content-Type", "text/plain")])
        return [b"too large"]

    exchange = _Exchange([b"x" * 5000])

    exchange.run(
        WsgiBridge(refuses, workers=1, body_in_memory=1024), _scope("POST", headers=[(b"content-length", b"5000")])
    )

    assert (exchange.status, exchange.received) == (413, 0)


def test_a_client_that_leaves_before_its_body_has_arrived_runs_nothing() -> None:
    ran: list[bool] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        ran.append(True)
        start_response("200 OK", [])
        return [b""]

    exchange = _Exchange()

    async def disconnect() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    bridge = WsgiBridge(app, workers=1)
    asyncio.run(bridge(_scope("POST", headers=[(b"content-length", b"10")]), disconnect, exchange.send))

    assert ran == []
    assert exchange.sent == []


def test_an_ordinary_response_is_sent_whole_with_every_header_and_closed_once() -> None:
    response = _Closing([b"<p>hello</p>"])

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> _Closing:
        start_response("201 Created", [("Set-Cookie", "a=1"), ("Set-Cookie", "b=2"), ("Content-Type", "text/html")])
        return response

    exchange = _Exchange()
    exchange.run(WsgiBridge(app, workers=1), _scope())

    assert exchange.sent[0]["headers"] == [(b"set-cookie", b"a=1"), (b"set-cookie", b"b=2"),
                                           (b"content-type", b"text/html")]  # fmt: skip
    assert exchange.sent[1:] == [{"type": "http.response.body", "body": b"<p>hello</p>"}]
    assert (exchange.status, response.closed) == (201, 1)


def test_a_long_response_is_sent_in_order_as_it_comes_and_closed_once() -> None:
    chunks = [bytes([65 + index]) * 3000 for index in range(10)]
    response = _Closing(chunks)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> _Closing:
        start_response("200 OK", [("Content-Type", "video/mp4")])
        return response

    exchange = _Exchange()
    exchange.run(WsgiBridge(app, workers=1, chunk_bytes=8192), _scope())

    bodies = exchange.sent[1:]
    assert exchange.body == b"".join(chunks)
    assert all(message["more_body"] for message in bodies[:-1])
    assert not bodies[-1].get("more_body", False)
    assert len(bodies) > 2  # sent in batches, not gathered whole
    assert response.closed == 1


def test_a_long_response_whose_client_leaves_is_closed_once() -> None:
    response = _Closing([b"x" * 5000] * 20)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> _Closing:
        start_response("200 OK", [])
        return response

    exchange = _Exchange(send_fails_after=2)
    with pytest.raises(ConnectionResetError):
        exchange.run(WsgiBridge(app, workers=1, chunk_bytes=8192), _scope())

    assert response.closed == 1


def test_an_error_in_the_application_reaches_the_server_and_nothing_is_sent() -> None:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        raise RuntimeError("the view failed")

    exchange = _Exchange()
    with pytest.raises(RuntimeError, match="the view failed"):
        exchange.run(WsgiBridge(app, workers=1), _scope())

    assert exchange.sent == []


def test_an_error_page_started_after_a_first_start_replaces_it() -> None:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/html")])
        start_response("500 Internal Server Error", [("Content-Type", "text/plain")], (None, None, None))
        return [b"failed"]

    exchange = _Exchange()
    exchange.run(WsgiBridge(app, workers=1), _scope())

    assert exchange.status == 500
    assert exchange.sent[0]["headers"] == [(b"content-type", b"text/plain")]


# --- Through a real granian -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    closed = tmp_path_factory.mktemp("bridge") / "closed"
    closed.touch()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = subprocess.Popen(
        [sys.executable, "-m", "granian", "--interface", "asginl", "--host", "127.0.0.1", "--port", str(port),
         "--workers", "1", "--no-ws", "--log-level", "warning", "momentum.lib.tests.bridge_app:application"],
        cwd=ROOT, env={**os.environ, "BRIDGE_TEST_CLOSED": str(closed)}, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)  # polling for the server's port, not waiting out a delay
        yield port, closed
    finally:
        server.terminate()
        server.wait(timeout=30)


def _request(port: int, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        chunked = (headers or {}).get("Transfer-Encoding") == "chunked"
        connection.request(method, path, body=body, headers=headers or {}, encode_chunked=chunked)
        response = connection.getresponse()
        assert response.status == 200
        return response.read()
    finally:
        connection.close()


def test_through_granian_an_upload_sent_chunked_reaches_the_application_whole(served: tuple[int, Path]) -> None:
    port, _ = served
    parts = [os.urandom(50_000) for _ in range(8)]

    answer = _request(port, "POST", "/echo", body=iter(parts), headers={"Transfer-Encoding": "chunked"})

    whole = b"".join(parts)
    assert answer.decode() == f"{len(whole)} {hashlib.sha256(whole).hexdigest()}"


def test_through_granian_a_small_body_reaches_the_application_whole(served: tuple[int, Path]) -> None:
    port, _ = served

    assert _request(port, "POST", "/echo", body=b"x" * 700).decode().startswith("700 ")


def test_through_granian_a_long_download_arrives_whole_and_is_closed(served: tuple[int, Path]) -> None:
    port, closed = served
    before = closed.read_text().count("closed")

    body = _request(port, "GET", "/stream?chunks=300&size=1000")

    assert len(body) == 300_000
    assert body[:20] == b"01234567890123456789"
    deadline = time.monotonic() + 10
    while closed.read_text().count("closed") == before and time.monotonic() < deadline:
        time.sleep(0.01)  # the close runs on the server's pool just after the last byte
    assert closed.read_text().count("closed") == before + 1
