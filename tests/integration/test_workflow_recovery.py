"""A worker killed in the middle of a workflow finishes it after a restart, without
repeating the step that had already finished."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from dbos import DBOS, DBOSClient
from django.conf import settings

from tests.integration.cluster import WorkerProcess

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def wait_for(condition: Callable[[], bool], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.1)


@pytest.fixture
def system_database_url(tmp_path: Path) -> Iterator[str]:
    url = settings.DBOS_SYSTEM_DATABASE_URL
    if url.startswith("postgres"):
        import psycopg

        probe_url = f"{url}_recovery"
        base, name = probe_url.rsplit("/", 1)
        yield probe_url
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        yield f"sqlite:///{tmp_path / 'dbos.sqlite3'}"


class Worker(WorkerProcess):
    def __init__(self, data_dir: Path, system_database_url: str) -> None:
        super().__init__(
            {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "momentum.settings",
                "MOMENTUM_ENV": "test",
                "MOMENTUM_DATA_DIR": str(data_dir),
                "DBOS_SYSTEM_DATABASE_URL": system_database_url,
                "MOMENTUM_EXTRA_WORKFLOW_MODULES": "tests.integration.probe_workflows",
                "MOMENTUM_QUEUE_POLL_SECONDS": os.environ["MOMENTUM_QUEUE_POLL_SECONDS"],  # the test profile's
                "PYTHONPATH": str(ROOT),
            }
        )


def test_a_killed_worker_resumes_the_workflow_at_the_unfinished_step(tmp_path: Path, system_database_url: str) -> None:
    folder = tmp_path / "probe"
    folder.mkdir()
    worker = Worker(tmp_path / "data", system_database_url)
    DBOS.migrate(system_database_url)
    worker.start()
    client = DBOSClient(system_database_url=system_database_url)
    try:
        # Given a two-step workflow whose first step has finished
        client.enqueue(
            {"queue_name": "probe", "workflow_name": "probe.two_steps", "workflow_id": "probe-1",
             "app_version": settings.DBOS_APPLICATION_VERSION},
            str(folder),
        )  # fmt: skip
        wait_for((folder / "first.log").exists)
        time.sleep(0.5)  # let DBOS checkpoint the first step's result

        # When the worker is killed in the middle of the second step, then restarted
        worker.kill()
        assert client.retrieve_workflow("probe-1").get_status().status == "PENDING"
        worker.start()
        (folder / "go").touch()

        # Then the workflow finishes, and the first step ran exactly once
        wait_for(lambda: client.retrieve_workflow("probe-1").get_status().status == "SUCCESS")
        assert client.retrieve_workflow("probe-1").get_result() == ["first done", "second done"]
        assert (folder / "first.log").read_text() == "ran\n"
        assert (folder / "second.log").read_text() == "ran\n"
    finally:
        worker.stop()
        client.destroy()
