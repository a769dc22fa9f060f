"""lib/outbound.py: a session to addresses others chose connects only to public addresses, checked
when each connection opens: a name that resolves inward only then (as a rebinding DNS answers) is
refused before anything is sent. With private hosts allowed, the same name is reached as named."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest
import requests

from momentum.lib.outbound import InvalidIPAddress, session_to_public_hosts
from momentum.lib.tests.local_http import LocalServer

REBOUND = "push.example.com"  # a public name: accepted when saved (safe_urls.check_url_form)


@pytest.fixture
def server() -> Iterator[tuple[LocalServer, list[dict[str, str]]]]:
    seen: list[dict[str, str]] = []

    def respond(request: BaseHTTPRequestHandler, method: str) -> None:
        seen.append({"method": method, "path": request.path, "host": request.headers["Host"]})
        request.send_response(201)
        request.send_header("Content-Length", "0")
        request.end_headers()

    running = LocalServer(respond)
    yield running, seen
    running.stop()


@pytest.fixture
def rebinding_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """The resolver answers 127.0.0.1 for REBOUND, as a DNS under an attacker's control may."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        return real("127.0.0.1" if host == REBOUND else host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_loopback_address_is_never_connected_to(server: tuple[LocalServer, list[Any]], host: str) -> None:
    running, seen = server
    session = session_to_public_hosts(timeout=5, allow_private=False)

    with pytest.raises(InvalidIPAddress):
        session.post(f"http://{host}:{running.port}/push", data=b"x")

    assert seen == []


@pytest.mark.usefixtures("rebinding_dns")
def test_a_public_name_that_resolves_inward_when_asked_is_refused(server: tuple[LocalServer, list[Any]]) -> None:
    running, seen = server
    session = session_to_public_hosts(timeout=5, allow_private=False)

    with pytest.raises(requests.RequestException):
        session.post(f"http://{REBOUND}:{running.port}/push", data=b"x")

    assert seen == []


@pytest.mark.usefixtures("rebinding_dns")
def test_allowed_private_hosts_are_reached_by_name(server: tuple[LocalServer, list[Any]]) -> None:
    running, seen = server
    session = session_to_public_hosts(timeout=5, allow_private=True, user_agent="Momentum-test")

    answer = session.post(f"http://{REBOUND}:{running.port}/push", data=b"x")

    assert answer.status_code == 201
    assert seen == [{"method": "POST", "path": "/push", "host": f"{REBOUND}:{running.port}"}]
