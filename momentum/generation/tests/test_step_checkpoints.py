"""A release must not rename a checkpointed step: DBOS replays a resumed workflow's steps by the
names it recorded, and a renamed step stops a pending job with DBOSUnexpectedStepError."""

from __future__ import annotations

from typing import Any

import pytest
from dbos import DBOS

from momentum.generation.models import JobStatus
from momentum.generation.tests.pipeline import job_body, wait_for_job

pytestmark = pytest.mark.integration

# The names DBOS recorded for the generation steps before @generation_step took their preamble
# and write_text_step's body was split into write_outline and write_lesson (a quiz, added later,
# is a text request under the same write_text_step).
EARLIER_STEP_NAMES = {
    "begin",
    "still_running",
    "validate",
    "gather_references",
    "write_text_step",
    "submit_video",
    "poll_video",
    "make_thumbnail",
    "save_course",
    "notify",
    "finish",
    "generation.write_text",  # the child workflows, recorded in their parent by name
    "generation.make_video",
}


def _recorded_steps(workflow_id: str) -> list[str]:
    names: list[str] = []
    children: list[str] = []
    for step in DBOS.list_workflow_steps(workflow_id):
        names.append(step["function_name"])
        child = step.get("child_workflow_id")
        if child and child not in children:
            children.append(child)
    for child in children:
        names += _recorded_steps(child)
    return names


def test_a_job_records_its_steps_under_the_names_earlier_releases_gave_them(
    workflows: None, admin: Any, api_as: Any
) -> None:
    response = api_as(admin).post("/generation-jobs", job_body(topic="Knife skills at home", duration_days=7))
    job = wait_for_job(response.json()["id"])
    assert job.status == JobStatus.SUCCEEDED, (job.error, job.warnings)

    recorded = _recorded_steps(str(job.pk))

    assert {name for name in recorded if not name.startswith("DBOS.")} <= EARLIER_STEP_NAMES
    assert recorded.count("write_text_step") == 15  # the outline, seven lessons and seven quizzes
