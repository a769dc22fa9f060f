"""A generation worker killed with SIGKILL in the middle of a job finishes it after a restart: the
course exists once and the fake provider servers answered each completed call exactly once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from momentum.catalog.models import Category, Course
from momentum.generation import actions
from momentum.generation.models import GenerationJob, JobStatus, StepStatus
from momentum.generation.tests.fake_servers import API_KEYS
from momentum.platform import durable
from tests.integration.cluster import WorkerProcess

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def wait_for(condition: Callable[[], bool], timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.2)


class FakeServer:
    """A fake provider in a process of its own (python -m momentum.generation.tests.fake_servers)."""

    def __init__(self, kind: str, *extra: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "momentum.generation.tests.fake_servers", "--kind", kind, *extra],
            cwd=ROOT, stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().decode().strip()

    def calls(self, purpose: str) -> list[dict[str, Any]]:
        with urllib.request.urlopen(f"{self.url}/_calls", timeout=5) as response:  # noqa: S310  (local)
            return [call for call in json.load(response)["calls"] if call["purpose"] == purpose]

    def requests(self) -> list[dict[str, Any]]:
        with urllib.request.urlopen(f"{self.url}/_calls", timeout=5) as response:  # noqa: S310  (local)
            return list(json.load(response)["requests"])

    def fail_next(self, mode: str, *, on: str) -> None:
        request = urllib.request.Request(  # noqa: S310  (local)
            f"{self.url}/_faults", data=json.dumps({"mode": mode, "on": on}).encode(), method="POST"
        )
        with urllib.request.urlopen(request, timeout=5):  # noqa: S310  (local)
            pass

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def fake_provider_settings(text: FakeServer, video: FakeServer) -> dict[str, str]:
    """What points a worker's generation at the fake OpenAI-compatible and HeyGen servers."""
    return {
        "MOMENTUM_TEXT_PROVIDER": "openai",
        "MOMENTUM_OPENAI_BASE_URL": f"{text.url}/v1",
        "MOMENTUM_OPENAI_API_KEY": API_KEYS["openai"],
        "MOMENTUM_VIDEO_PROVIDER": "heygen",
        "MOMENTUM_HEYGEN_BASE_URL": video.url,
        "MOMENTUM_HEYGEN_API_KEY": API_KEYS["heygen"],
        "MOMENTUM_HEYGEN_AVATAR_ID": "avatar",
        "MOMENTUM_HEYGEN_VOICE_ID": "voice",
        "MOMENTUM_ALLOW_PRIVATE_PROVIDER_URLS": "true",
    }


@pytest.fixture
def fakes() -> Iterator[tuple[FakeServer, FakeServer]]:
    text, video = FakeServer("openai"), FakeServer("heygen", "--processing-polls", "3")
    yield text, video
    text.stop()
    video.stop()


@pytest.fixture
def workflow_database(tmp_path: Path) -> Iterator[str]:
    """A workflow system database of the test's own, for the worker process."""
    url = settings.DBOS_SYSTEM_DATABASE_URL
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'dbos.sqlite3'}"
        return
    import psycopg

    probe_url = f"{url}_genrecovery"
    base, name = probe_url.rsplit("/", 1)
    yield probe_url
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _database_url() -> str:
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    return f"{server}/{name}"


def _worker(settings: Any, workflow_database: str, text: FakeServer, video: FakeServer) -> WorkerProcess:
    """A worker process pointed at the fake providers, and this process enqueueing on its workflow database."""
    worker = WorkerProcess(
        {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "momentum.settings",
            "MOMENTUM_ENV": "test",
            "MOMENTUM_DATA_DIR": str(settings.DATA_DIR),
            "MOMENTUM_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "DATABASE_URL": _database_url(),
            "DBOS_SYSTEM_DATABASE_URL": workflow_database,
            "MOMENTUM_EXECUTOR_ID": "generation-recovery",
            "MOMENTUM_QUEUE_POLL_SECONDS": os.environ["MOMENTUM_QUEUE_POLL_SECONDS"],  # the test profile's
            "MOMENTUM_VIDEO_POLL_SECONDS": "0.5",
            **fake_provider_settings(text, video),
            "PYTHONPATH": str(ROOT),
        }
    )
    # The job is enqueued on the worker's own workflow database (this process runs none of it)
    settings.DBOS_SYSTEM_DATABASE_URL = workflow_database
    durable.release_system_database()
    return worker


def test_a_worker_killed_mid_job_finishes_it_after_a_restart_without_repeating_calls(
    transactional_db: None, admin, workflow_database: str, fakes: Any, settings: Any
) -> None:
    text, video = fakes
    worker = _worker(settings, workflow_database, text, video)
    worker.start()
    try:
        spec = actions.JobRequest(topic="Sourdough baking", category=Category.objects.get(slug="health-wellness"),
                                  duration_days=7, include_thumbnail=True)  # fmt: skip
        job, _ = actions.do_start_job(admin, spec)
        steps = job.steps

        # Given a job whose lessons are written and whose videos are being made
        wait_for(lambda: steps.filter(name__startswith="video-", output__has_key="external_id").count() >= 2)
        # When the worker is killed with SIGKILL, then restarted
        worker.kill()
        assert GenerationJob.objects.get(pk=job.pk).status == JobStatus.RUNNING
        worker.start()

        # Then the job finishes
        wait_for(lambda: GenerationJob.objects.get(pk=job.pk).status != JobStatus.RUNNING)
        job.refresh_from_db()
        assert job.status == JobStatus.SUCCEEDED, (job.error, job.warnings)
        assert job.warnings == []
        assert set(steps.values_list("status", flat=True)) == {StepStatus.SUCCEEDED}
        # ... the course exists once, with a video for every lesson
        courses = Course.objects.filter(metadata__generated_by_job=str(job.pk))
        assert courses.count() == 1
        assert all(lesson.video for lesson in courses.get().lessons.all())
        # ... and each completed provider call was made exactly once
        assert len(text.calls("outline")) == 1
        assert sorted(call["day"] for call in text.calls("lesson")) == [1, 2, 3, 4, 5, 6, 7]
        assert len(video.calls("video.generate")) == 7
        assert len(video.calls("video.download")) == 7
    finally:
        worker.stop()
        durable.release_system_database()


def test_a_worker_killed_while_heygen_holds_its_answer_has_that_video_made_once(
    transactional_db: None, admin, workflow_database: str, fakes: Any, settings: Any
) -> None:
    text, video = fakes
    # HeyGen will make the first video it is asked for, and hold back its answer
    video.fail_next("held_answer", on="/v2/video/generate")
    worker = _worker(settings, workflow_database, text, video)
    worker.start()
    try:
        spec = actions.JobRequest(topic="Sourdough baking", category=Category.objects.get(slug="health-wellness"),
                                  duration_days=7, include_thumbnail=False)  # fmt: skip
        job, _ = actions.do_start_job(admin, spec)

        # Given the worker waits for HeyGen's answer to a video HeyGen has made
        wait_for(lambda: any(request["fault"] == "held_answer" for request in video.requests()))
        # When the worker is killed, then restarted (the submission's step runs again)
        worker.kill()
        worker.start()

        # Then the job finishes with a video for every lesson, each made (and paid for) once
        wait_for(lambda: GenerationJob.objects.get(pk=job.pk).status != JobStatus.RUNNING)
        job.refresh_from_db()
        assert job.status == JobStatus.SUCCEEDED, (job.error, job.warnings)
        assert job.warnings == []
        assert len(video.calls("video.generate")) == 7
        assert len(video.calls("video.download")) == 7
    finally:
        worker.stop()
        durable.release_system_database()
