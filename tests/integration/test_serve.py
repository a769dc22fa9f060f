"""`momentum serve`: one command starts the web processes and a worker, and stops them all."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from momentum.cli import _port_is_free, web_children
from tests.migrated_databases import copy_process_databases

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310  (local test server)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def post_json(url: str, body: object) -> tuple[int, bytes]:
    request = urllib.request.Request(  # noqa: S310  (local test server)
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.embedded_default  # its own SQLite files in either pass: about processes, not the database
def test_serve_answers_on_port_and_stops_every_child(tmp_path: Path, migrated_process_data: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "momentum.settings",
        "MOMENTUM_ENV": "test",
        "MOMENTUM_DATA_DIR": str(tmp_path),
        "MOMENTUM_WEB_WORKERS": "1",
        "PORT": str(port),
        "MOMENTUM_DOTENV": os.devnull,
    }
    env.pop("DBOS_SYSTEM_DATABASE_URL", None)
    env.pop("DATABASE_URL", None)
    copy_process_databases(migrated_process_data, tmp_path)
    server = subprocess.Popen([sys.executable, "-m", "momentum.cli", "serve"], env=env, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, body = get(f"http://127.0.0.1:{port}/readyz")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        assert status == 200
        assert json.loads(body)["checks"]["workflows"]["ok"] is True
        assert get(f"http://127.0.0.1:{port}/")[0] == 200
        assert post_json(f"http://127.0.0.1:{port}/api/v1/payments/webhook", {})[0] == 400  # the body was read
        assert len(children_of(server.pid)) == 2  # the web server and the workflow worker
        descendants = children_of(server.pid)
        # ... with glibc malloc told to give memory back (a process kept ~320 MB after sign-ins without)
        for pid in descendants:
            environment = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            assert b"MALLOC_ARENA_MAX=2" in environment
            assert b"MALLOC_MMAP_THRESHOLD_=131072" in environment
    finally:
        server.send_signal(signal.SIGINT)  # Ctrl-C (test_serve_supervision.py stops with SIGTERM)
        server.wait(timeout=60)
    assert server.returncode == 0
    state = json.loads(next((tmp_path / "run").glob("serve-*.json")).read_text())
    assert {child["state"] for child in state["children"].values()} == {"stopped"}
    still_there = [pid for pid in descendants if Path(f"/proc/{pid}").exists()]
    assert not still_there  # serve reaped each child before it returned
    assert _port_is_free("127.0.0.1", port)  # `momentum serve` could start again at once


def test_on_linux_each_web_process_is_a_granian_server_of_its_own_sharing_the_port() -> None:
    specs = web_children("127.0.0.1", 8000, 3, platform="linux")

    assert [(spec.name, spec.kind) for spec in specs] == [("web-1", "web"), ("web-2", "web"), ("web-3", "web")]
    assert all(spec.argv[list(spec.argv).index("--workers") + 1] == "1" for spec in specs)
    assert all("--respawn-failed-workers" not in spec.argv for spec in specs)  # serve restarts them


def test_elsewhere_one_granian_server_respawns_its_own_workers() -> None:
    [spec] = web_children("127.0.0.1", 8000, 3, platform="darwin")

    assert spec.argv[list(spec.argv).index("--workers") + 1] == "3"
    assert "--respawn-failed-workers" in spec.argv
