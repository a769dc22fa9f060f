"""`momentum serve` keeps the site up when one of its processes dies (issue 24).

Under a real `momentum serve` (two web processes, the embedded worker) running a generation job
against the fake providers, the worker and then a web process are killed with SIGKILL, as the
kernel's out-of-memory killer would. A client polls a page throughout.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.integration.cluster import free_port
from tests.integration.test_generation_recovery import FakeServer, fake_provider_settings
from tests.integration.test_serve import children_of
from tests.migrated_databases import copy_process_databases

pytestmark = [pytest.mark.integration, pytest.mark.embedded_default]
ROOT = Path(__file__).resolve().parents[2]


def wait_for(condition: Callable[[], Any], timeout: float = 300) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.2)


@dataclass
class Site:
    url: str
    token: str = ""

    def call(self, path: str, *, method: str = "GET", body: Any = None, timeout: float = 60) -> tuple[int, bytes]:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310  (local test server)
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def json(self, path: str, **options: Any) -> Any:
        status, body = self.call(path, **options)
        assert status < 300, (path, status, body[:500])
        return json.loads(body)


@dataclass
class Poller:
    """A client that asks for a page again and again, on a new connection each time."""

    site: Site
    path: str = "/"
    answered: int = 0
    failures: list[tuple[float, str]] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stopping.is_set():
            try:
                status, _ = self.site.call(self.path)
                if status != 200:
                    self.failures.append((time.monotonic(), f"HTTP {status}"))
                else:
                    self.answered += 1
            except OSError as error:  # refused, reset, timed out
                self.failures.append((time.monotonic(), f"{type(error).__name__}: {error}"))
            self.stopping.wait(0.05)

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=90)


def listeners(port: int) -> int:
    """Sockets listening on ``port`` (each web process has its own, SO_REUSEPORT)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with Path(table).open() as lines:
            next(lines)
            for line in lines:
                local, state = line.split()[1], line.split()[3]
                count += int(local.rsplit(":", 1)[1], 16) == port and state == "0A"
    return count


def supervisor_state(data_dir: Path, pid: int) -> dict[str, Any]:
    try:
        return json.loads((data_dir / "run" / f"serve-{pid}.json").read_text())  # type: ignore[no-any-return]
    except (OSError, ValueError):
        return {}


def videos_being_made(data_dir: Path, job_id: str) -> int:
    """Video steps submitted and polled at least once, while none has finished: the media queue's
    two slots are busy polling and nothing is being paid for (read from the site's SQLite file)."""
    with contextlib.closing(sqlite3.connect(data_dir / "momentum.sqlite3", timeout=20)) as db:
        rows = db.execute(
            "SELECT status, json_extract(output, '$.polls') FROM generation_generationstep "
            "WHERE job_id = ? AND name LIKE 'video-%' AND json_extract(output, '$.external_id') IS NOT NULL",
            (job_id.replace("-", ""),),
        ).fetchall()
    if any(status != "RUNNING" for status, _ in rows):
        return 0
    return sum(1 for _, polls in rows if (polls or 0) >= 1)


def metric(text: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in text.splitlines():
        match = re.match(rf"^{name}\{{(.*)\}} (\S+)$", line)
        if match and ",".join(sorted(match.group(1).split(","))) == wanted:
            return float(match.group(2))
    return 0.0


@pytest.fixture
def fakes() -> Iterator[tuple[FakeServer, FakeServer]]:
    text, video = FakeServer("openai"), FakeServer("heygen", "--processing-polls", "8")
    yield text, video
    text.stop()
    video.stop()


@pytest.mark.timeout(900)  # a generation job, two kills and restarts of real processes
def test_killed_processes_come_back_and_the_site_answers_throughout(
    tmp_path: Path, fakes: Any, migrated_process_data: Path
) -> None:
    text, video = fakes
    port = free_port()
    data_dir = tmp_path / "data"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("MOMENTUM_", "DBOS_", "PYTEST_"))},
        "DJANGO_SETTINGS_MODULE": "momentum.settings",
        "MOMENTUM_ENV": "test",
        "MOMENTUM_DOTENV": os.devnull,
        "MOMENTUM_DATA_DIR": str(data_dir),
        "MOMENTUM_LOG_LEVEL": "WARNING",
        "MOMENTUM_WEB_WORKERS": "2",
        "MOMENTUM_QUEUE_POLL_SECONDS": os.environ["MOMENTUM_QUEUE_POLL_SECONDS"],  # the test profile's
        "MOMENTUM_VIDEO_POLL_SECONDS": "0.3",
        "MOMENTUM_RESTART_ALARM_COUNT": "0",  # the first restart fires the alarm, so this test sees it
        # The pollers ask several times a second, and the web processes now count requests in one
        # shared cache: rate limits are not what this test is about.
        "MOMENTUM_RATELIMIT_ANON": "100000/m",
        "MOMENTUM_RATELIMIT_USER": "100000/m",
        "MOMENTUM_RATELIMIT_ADMIN": "100000/m",
        **fake_provider_settings(text, video),
        "PORT": str(port),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DATABASE_URL", None)  # processes on SQLite files of their own
    env.pop("REDIS_URL", None)

    def momentum(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "momentum.cli", *args], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=300, check=True)  # fmt: skip
        return done.stdout

    copy_process_databases(migrated_process_data, data_dir)
    token = momentum("shell", "-c",
        "from momentum.accounts.actions import do_ensure_admin\n"
        "from momentum.accounts.tokens import issue_access_token\n"
        "user, _ = do_ensure_admin('ops.serve@example.com', 'Correct-horse-42!'); print(issue_access_token(user))",
    ).strip().splitlines()[-1]  # fmt: skip
    server = subprocess.Popen([sys.executable, "-m", "momentum.cli", "serve"], env=env, cwd=ROOT,
                              start_new_session=True)  # fmt: skip
    site = Site(f"http://127.0.0.1:{port}", token)
    poller = Poller(site)
    try:
        wait_for(lambda: listeners(port) == 2 and site.json("/readyz")["status"] == "ready")
        poller.thread.start()

        # Given a 7-day generation job with videos, under way
        job = site.json("/api/v1/generation-jobs", method="POST", body={
            "topic": "Sourdough baking", "category": "health-wellness", "duration_days": 7,
        })  # fmt: skip
        # (killed while the first videos are being made, between provider calls: a kill between a
        # provider's answer and the step's checkpoint would make that call again, see the report)
        wait_for(lambda: videos_being_made(data_dir, job["id"]) >= 2)

        # When the workflow worker is killed with SIGKILL
        worker_pid = supervisor_state(data_dir, server.pid)["children"]["worker"]["pid"]
        os.kill(worker_pid, signal.SIGKILL)

        # Then the site says it is degraded (200), and work is still accepted: it waits in the queue
        readiness = wait_for(lambda: (ready := site.json("/readyz"))["status"] == "degraded" and ready)
        assert readiness["checks"]["workflows"]["worker"] in ("restarting", "starting")
        assert site.json(f"/api/v1/generation-jobs/{job['id']}")["status"] == "RUNNING"
        status, body = site.call("/api/v1/admin/backups", method="POST", body={})
        assert status == 202, body
        backup_id = json.loads(body)["id"]
        # ... and the worker comes back
        wait_for(lambda: site.json("/readyz")["status"] == "ready")
        assert poller.failures == []

        # When a web process is killed with SIGKILL
        granian_servers = [pid for pid in children_of(server.pid) if pid != worker_pid]
        web_process = next(pid for master in granian_servers for pid in children_of(master))
        os.kill(web_process, signal.SIGKILL)
        # Then it comes back too
        wait_for(lambda: listeners(port) == 1)
        wait_for(lambda: listeners(port) == 2)

        # ... the job finishes, with no provider call made twice
        finished = wait_for(lambda: (found := site.json(f"/api/v1/generation-jobs/{job['id']}"))["status"]
                            not in ("QUEUED", "RUNNING") and found)  # fmt: skip
        assert finished["status"] == "SUCCEEDED", (finished["error"], finished["warnings"])
        assert finished["warnings"] == []
        assert len(text.calls("outline")) == 1
        assert sorted(call["day"] for call in text.calls("lesson")) == [1, 2, 3, 4, 5, 6, 7]
        assert len(video.calls("video.generate")) == 7
        assert len(video.calls("video.download")) == 7
        # ... the work accepted while the worker was down was done
        backup = wait_for(lambda: (run := site.json(f"/api/v1/admin/backups/{backup_id}"))["status"]
                          in ("succeeded", "failed") and run)  # fmt: skip
        assert backup["status"] == "succeeded", backup["error"]
        poller.stop()
        # ... the page answered throughout, but for the killed web process's request in flight, if any
        assert len(poller.failures) <= 1, poller.failures
        assert poller.answered > 0

        # ... and the restarts are counted, and the alarm fires
        _, exported = site.call("/metrics")
        figures = exported.decode()
        assert metric(figures, "momentum_process_restarts_total", process="worker") == 1
        assert metric(figures, "momentum_process_restarts_total", process="web") == 1
        assert metric(figures, "momentum_alarm_firing", alarm="MomentumProcessRestarting", severity="warning") == 1
        alarms = site.json("/api/v1/admin/alarms")
        restarting = next(alarm for alarm in alarms["items"] if alarm["name"] == "MomentumProcessRestarting")
        assert restarting["firing"] is True
    finally:
        poller.stop()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=90)
    # A clean stop still stops everything
    assert server.returncode == 0
    assert listeners(port) == 0
