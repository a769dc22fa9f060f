"""Without Redis, the web processes of one machine share one cache (the disk cache in the data folder):
sign-in throttling counts every wrong password, whichever process answered it.

A real `momentum serve` with two web processes. Each HTTP/1.1 connection stays with the process that
accepted it, so the test holds keep-alive connections, finds out from /proc which process holds each,
and spreads the wrong passwords over two processes. With a cache per process (the local-memory
default before), one process had seen three failures and the other two: the sixth was let through.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.integration.test_serve import children_of, free_port, get
from tests.migrated_databases import copy_process_databases

pytestmark = [pytest.mark.integration, pytest.mark.embedded_default]
ROOT = Path(__file__).resolve().parents[2]
EMAIL = "shared.cache@example.com"


def descendants_of(pid: int) -> list[int]:
    found = children_of(pid)
    for child in list(found):
        found += descendants_of(child)
    return found


def server_process_of(connection: http.client.HTTPConnection, port: int, candidates: list[int]) -> int:
    """The process holding the server side of ``connection`` (its socket's inode, from /proc)."""
    assert connection.sock is not None
    client_port = connection.sock.getsockname()[1]
    inode = ""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = fields[1], fields[2]
        if int(local.split(":")[1], 16) == port and int(remote.split(":")[1], 16) == client_port:
            inode = fields[9]
    assert inode, f"no server socket for the connection from port {client_port}"
    for pid in candidates:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if os.readlink(fd) == f"socket:[{inode}]":
                    return pid
            except OSError:
                continue
    raise AssertionError(f"no process holds socket {inode}")


def sign_in(connection: http.client.HTTPConnection, password: str) -> int:
    body = json.dumps({"email": EMAIL, "password": password})
    connection.request("POST", "/api/v1/auth/token", body, {"Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    return response.status


def test_the_sixth_wrong_password_is_refused_by_every_web_process(tmp_path: Path, migrated_process_data: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "momentum.settings",
        "MOMENTUM_ENV": "test",
        "MOMENTUM_DATA_DIR": str(tmp_path),
        "MOMENTUM_WEB_WORKERS": "2",
        "MOMENTUM_EMBEDDED_WORKER": "false",
        "MOMENTUM_SIGNIN_FAILURES_PER_ACCOUNT": "5",
        "PORT": str(port),
        "MOMENTUM_DOTENV": os.devnull,
    }
    for name in ("DBOS_SYSTEM_DATABASE_URL", "DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)  # the embedded default: SQLite files and the disk cache in the data folder
    copy_process_databases(migrated_process_data, tmp_path)
    server = subprocess.Popen([sys.executable, "-m", "momentum.cli", "serve"], env=env, cwd=ROOT)
    connections: list[http.client.HTTPConnection] = []
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                assert get(f"http://127.0.0.1:{port}/readyz")[0] == 200
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        register = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        body = json.dumps({"email": EMAIL, "password": "a-long-good-password-42", "display_name": "Cass"})
        register.request("POST", "/api/v1/auth/register", body, {"Content-Type": "application/json"})
        assert register.getresponse().status == 201
        register.close()

        # given: a kept-alive connection to each of the two web processes
        processes = descendants_of(server.pid)
        by_process: dict[int, http.client.HTTPConnection] = {}
        for _ in range(40):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            connections.append(connection)
            by_process.setdefault(server_process_of(connection, port, processes), connection)
            if len(by_process) == 2:
                break
        assert len(by_process) == 2, "the two web processes did not both accept a connection"
        first, second = by_process.values()

        # when: five wrong passwords, spread over both processes
        failures = [sign_in(connection, "wrong-password") for connection in (first, second, first, second, first)]

        # then: each process refuses the sixth attempt, even with the right password
        assert failures == [401] * 5
        assert sign_in(second, "wrong-password") == 429
        assert sign_in(first, "wrong-password") == 429
        assert sign_in(second, "a-long-good-password-42") == 429
    finally:
        for connection in connections:
            connection.close()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
