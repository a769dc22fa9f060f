"""A cancelled job's workflow notices at its next step and ends quietly: no step runs after the
cancel, nothing lands in the error log, and the workflow's own record is a normal ending."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from dbos import DBOS

from momentum.catalog.models import Category
from momentum.generation import actions
from momentum.generation.models import GenerationJob, GenerationStep, JobStatus, StepStatus
from momentum.generation.providers.offline.local_text import LocalTextProvider
from momentum.generation.tests.pipeline import job_body, wait_for_job

pytestmark = pytest.mark.integration


class Gate:
    """Holds the worker inside a function until the test has done its part."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()

    def around(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def held(*args: Any, **kwargs: Any) -> Any:
            result = original(*args, **kwargs)
            self.entered.set()
            assert self.release.wait(60), "the test never released the worker"
            return result

        return held


def _cancel_while_held(api_as: Any, admin: Any, gate: Gate, **body: Any) -> GenerationJob:
    client = api_as(admin)
    started = client.post("/generation-jobs", job_body(include_video=False, include_thumbnail=False, **body)).json()
    assert gate.entered.wait(60)
    assert client.post(f"/generation-jobs/{started['id']}/cancel").status_code == 202
    gate.release.set()
    return wait_for_job(started["id"])


def test_a_job_cancelled_while_a_lesson_is_written_ends_its_workflow_quietly(
    workflows: None, admin: Any, api_as: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a job whose first lesson is being written
    gate = Gate()
    monkeypatch.setattr(LocalTextProvider, "lesson", gate.around(LocalTextProvider.lesson))
    caplog.set_level(logging.WARNING)

    # When the admin cancels it
    job = _cancel_while_held(api_as, admin, gate)

    # Then its workflow ends as cancelled, with no error logged and no step left running
    assert job.status == JobStatus.CANCELLED
    assert DBOS.retrieve_workflow(str(job.pk)).get_result() == JobStatus.CANCELLED
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert not job.steps.filter(status=StepStatus.RUNNING).exists()
    assert job.course_id is None


def test_a_job_cancelled_as_it_begins_runs_none_of_its_steps(
    workflows: None, admin: Any, api_as: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Given a job whose workflow has just begun
    gate = Gate()
    monkeypatch.setattr(actions, "do_begin_job", gate.around(actions.do_begin_job))
    caplog.set_level(logging.WARNING)

    # When the admin cancels it before its first step
    job = _cancel_while_held(api_as, admin, gate)

    # Then no step ran: each stays as the cancel left it
    assert DBOS.retrieve_workflow(str(job.pk)).get_result() == JobStatus.CANCELLED
    assert set(job.steps.values_list("status", flat=True)) == {StepStatus.SKIPPED}
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_a_failed_job_missing_some_step_rows_is_retried_to_the_end(workflows: None, admin: Any, api_as: Any) -> None:
    # Given a failed job that has only some of its step rows (as the demo data's jobs have)
    job = GenerationJob.objects.create(
        created_by=admin, topic="Home espresso brewing", category=Category.objects.get(slug="health-wellness"),
        duration_days=7, status=JobStatus.FAILED, include_video=False, include_thumbnail=False,
        error="text provider: circuit open",
    )  # fmt: skip
    GenerationStep.objects.create(job=job, name="outline", status=StepStatus.FAILED, error="circuit open")

    # When the admin retries it
    assert api_as(admin).post(f"/generation-jobs/{job.pk}/retry").status_code == 202

    # Then it runs every step and succeeds
    job = wait_for_job(job.pk, timeout=120)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.steps.filter(name="validate", status=StepStatus.SUCCEEDED).exists()
    assert job.course_id is not None


@pytest.mark.django_db
def test_a_workflow_whose_job_is_gone_ends_without_running_a_step() -> None:
    # e.g. the database was restored from a backup older than the job; its workflow still runs
    assert actions.do_begin_job(str(uuid.uuid4())) is False
