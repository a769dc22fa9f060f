"""A small Momentum cluster on this machine for integration tests: web and worker processes on a
PostgreSQL database and a Redis database of their own, on free ports, stopped cleanly.

    with Cluster.on_postgres(tmp_path) as cluster:
        cluster.migrate()
        web = cluster.start_web()          # `momentum serve --no-worker` on a free port
        cluster.start_worker()             # `momentum worker`
        cluster.shell("print(1)")          # Python in the cluster's settings (momentum shell -c)
        status, body = web.get("/readyz")

All processes share one data folder, as processes of one machine do (and so one metrics folder).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.migrated_databases import TestDatabaseTemplate

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def request(url: str, *, method: str = "GET", token: str = "", body: Any = None) -> tuple[int, bytes]:
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json"} if data is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310  (local test server)
    try:
        with urllib.request.urlopen(req, timeout=10) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@dataclass
class Web:
    url: str
    process: subprocess.Popen[bytes]

    def get(self, path: str, token: str = "") -> tuple[int, bytes]:
        return request(self.url + path, token=token)

    def post(self, path: str, body: Any = None, token: str = "") -> tuple[int, bytes]:
        return request(self.url + path, method="POST", token=token, body=body if body is not None else {})

    def patch(self, path: str, body: Any, token: str = "") -> tuple[int, bytes]:
        return request(self.url + path, method="PATCH", token=token, body=body)


@dataclass
class Cluster:
    root: Path
    env: dict[str, str]
    databases: list[str] = field(default_factory=list)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @classmethod
    @contextlib.contextmanager
    def on_postgres(
        cls, root: Path, database_url: str, redis_url: str, *, template: TestDatabaseTemplate | None = None
    ) -> Iterator[Cluster]:
        """A cluster on a new PostgreSQL database (and its workflow database) beside ``database_url``'s:
        a copy of the pass's migrated ``template`` when given (its ``migrate`` then finds nothing of
        ours to apply), else an empty one."""
        import psycopg

        server, name = database_url.rsplit("/", 1)
        cluster_db = f"{name[:40]}_cluster_{uuid.uuid4().hex[:6]}"
        if template is not None:
            template.copy_to(cluster_db)
        else:
            with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{cluster_db}"')
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("MOMENTUM_", "DBOS_", "PYTEST_"))},
            "DJANGO_SETTINGS_MODULE": "momentum.settings",
            "MOMENTUM_ENV": "test",
            "MOMENTUM_DOTENV": os.devnull,
            "MOMENTUM_DATA_DIR": str(root / "data"),
            "DATABASE_URL": f"{server}/{cluster_db}",
            "DBOS_SYSTEM_DATABASE_URL": f"{server.replace('postgres://', 'postgresql://', 1)}/{cluster_db}_dbos",
            "REDIS_URL": redis_url,
            "MOMENTUM_CACHE_PREFIX": f"cluster-{cluster_db}",
            "MOMENTUM_BACKUP_TARGET": str(root / "backups"),
            "MOMENTUM_QUEUE_POLL_SECONDS": os.environ["MOMENTUM_QUEUE_POLL_SECONDS"],  # the test profile's
            "MOMENTUM_LOG_LEVEL": "WARNING",
            "MOMENTUM_DB_POOL_MIN": "1",
            "MOMENTUM_DB_POOL_MAX": "4",
            "MOMENTUM_WEB_THREADS": "4",
            "PYTHONPATH": str(ROOT),
        }
        cluster = cls(root, env, databases=[f"{server}/{cluster_db}", f"{server}/{cluster_db}_dbos"])
        try:
            yield cluster
        finally:
            cluster.stop()
            with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
                for url in cluster.databases:
                    admin.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')

    @classmethod
    @contextlib.contextmanager
    def on_sqlite(cls, root: Path) -> Iterator[Cluster]:
        """A cluster on the embedded default: one SQLite file, and a local cache in each process."""
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("MOMENTUM_", "DBOS_", "PYTEST_"))},
            "DJANGO_SETTINGS_MODULE": "momentum.settings",
            "MOMENTUM_ENV": "test",
            "MOMENTUM_DOTENV": os.devnull,
            "MOMENTUM_DATA_DIR": str(root / "data"),
            "MOMENTUM_LOG_LEVEL": "WARNING",
            "MOMENTUM_WEB_THREADS": "4",
            "PYTHONPATH": str(ROOT),
        }
        env.pop("DATABASE_URL", None)
        env.pop("REDIS_URL", None)
        cluster = cls(root, env)
        try:
            yield cluster
        finally:
            cluster.stop()

    def run(self, *args: str) -> str:
        result = subprocess.run([sys.executable, "-m", "momentum.cli", *args], env=self.env, cwd=ROOT,
                                capture_output=True, text=True, timeout=180, check=False)  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(f"momentum {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def migrate(self) -> None:
        self.run("migrate", "-v", "0")

    def shell(self, code: str) -> str:
        """Run Python with the cluster's settings (a separate process, like an operator's shell)."""
        return self.run("shell", "-c", code).strip()

    def _start(self, *args: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen([sys.executable, "-m", "momentum.cli", *args], env=self.env, cwd=ROOT,
                                   start_new_session=True)  # fmt: skip
        self.processes.append(process)
        return process

    def start_web(self, *, processes: int = 1) -> Web:
        port = free_port()
        process = self._start("serve", "--no-worker", "--host", "127.0.0.1", "--port", str(port),
                              "--workers", str(processes))  # fmt: skip
        web = Web(f"http://127.0.0.1:{port}", process)
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the web server on port {port} exited with {process.returncode}")
            with contextlib.suppress(OSError):
                if web.get("/healthz")[0] == 200:
                    return web
            if time.monotonic() > deadline:
                raise RuntimeError(f"the web server on port {port} did not answer")
            time.sleep(0.3)

    def start_worker(self) -> subprocess.Popen[bytes]:
        return self._start("worker")

    def stop(self) -> None:
        for process in self.processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        for process in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()


class WorkerProcess:
    """A `momentum worker` in its own process group, to start, stop and kill -9."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "momentum.cli", "worker"], cwd=ROOT, env=self.env, start_new_session=True
        )

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_for(condition: Any, timeout: float = 60, interval: float = 0.2) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(interval)
