"""Fixtures of the xAPI tests: Ralph started as a real LRS (one per test module), settings that point
Momentum at it, and a fault proxy in front of it that answers what a test scripts (503, 429, a lost
answer) before it passes requests on."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from momentum.xapi.tests.ralph_lrs import PASSWORD, USERNAME, RalphServer


@pytest.fixture(scope="module")
def ralph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RalphServer]:
    server = RalphServer(tmp_path_factory.mktemp("ralph"))
    server.start()
    yield server
    server.stop()


def point_at(settings: Any, url: str) -> None:
    settings.XAPI_LRS_URL = url
    settings.XAPI_LRS_USERNAME = USERNAME
    settings.XAPI_LRS_PASSWORD = PASSWORD


@pytest.fixture
def to_ralph(settings: Any, ralph: RalphServer) -> RalphServer:
    """Momentum sends its statements to Ralph."""
    point_at(settings, ralph.xapi_url)
    return ralph


class FaultProxy:
    """An HTTP proxy to the LRS that answers the scripted statuses first ("lost" passes the request
    on and then answers 502, as when the LRS stored a batch but its answer never arrived)."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.script: list[str] = []
        self.seen: list[str] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                step = proxy.script.pop(0) if proxy.script else "pass"
                proxy.seen.append(step)
                if step in ("pass", "lost"):
                    status, answer = proxy.forward(self.path, body, dict(self.headers))
                    if step == "pass":
                        self._answer(status, answer)
                        return
                    status, answer = 502, b"bad gateway"
                else:
                    status, answer = int(step), b'{"detail": "try later"}'
                self._answer(status, answer, retry_after="1" if status == 429 else None)

            def _answer(self, status: int, body: bytes, retry_after: str | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                if retry_after:
                    self.send_header("Retry-After", retry_after)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/xAPI"

    def forward(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        keep = {k: v for k, v in headers.items() if k.lower() in ("authorization", "content-type",
                                                                   "x-experience-api-version")}  # fmt: skip
        request = urllib.request.Request(f"{self.upstream}{path.removeprefix('/xAPI')}", data=body,  # noqa: S310
                                         headers=keep, method="POST")  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def proxy(settings: Any, ralph: RalphServer) -> Iterator[FaultProxy]:
    """Momentum sends to Ralph through a proxy whose first answers the test scripts."""
    found = FaultProxy(ralph.xapi_url)
    point_at(settings, found.url)
    yield found
    found.close()
