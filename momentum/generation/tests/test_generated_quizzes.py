"""Generated quizzes, end to end: a quiz per lesson, validated, regenerated or dropped, keys spread
over the option positions, saved for the admin to review (offline and with a remote model)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from momentum.assessments.models import Option, Quiz
from momentum.catalog.models import Course
from momentum.generation import resilience
from momentum.generation.models import GenerationStep, JobStatus, ProviderCall
from momentum.generation.tests.fake_servers import API_KEYS, FakeProvider
from momentum.generation.tests.pipeline import job_body, wait_for_job

pytestmark = pytest.mark.integration

NO_MEDIA = {"include_video": False, "include_thumbnail": False}


@pytest.fixture
def openai(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeProvider]:
    monkeypatch.setattr(resilience, "BACKOFF_BASE_SECONDS", 0.01)
    with FakeProvider("openai") as fake:
        settings.TEXT_PROVIDER = "openai"
        settings.OPENAI_BASE_URL = f"{fake.url}/v1"
        settings.OPENAI_API_KEY = API_KEYS["openai"]
        settings.ALLOW_PRIVATE_PROVIDER_URLS = True
        yield fake


def key_shares(course: Course) -> dict[int, float]:
    """The share of the course's keys (single/multiple choice) at each option position."""
    keys = list(
        Option.objects.filter(
            question__quiz__lesson__course=course, question__kind__in=["single", "multiple"], is_correct=True
        ).values_list("position", flat=True)
    )
    return {position: keys.count(position) / len(keys) for position in set(keys)}


def test_an_offline_course_gets_a_working_quiz_for_every_lesson_waiting_for_review(
    workflows: None, admin, api_as
) -> None:
    client = api_as(admin)

    job = wait_for_job(client.post("/generation-jobs", job_body(**NO_MEDIA)).json()["id"])

    assert job.status == JobStatus.SUCCEEDED, (job.error, job.warnings)
    assert job.course_id is not None
    course = Course.objects.get(pk=job.course_id)
    quizzes = Quiz.objects.filter(lesson__course=course)
    assert quizzes.count() == 7
    assert {quiz.needs_review for quiz in quizzes} == {True}
    assert all(3 <= quiz.questions.count() <= 5 for quiz in quizzes)
    assert max(key_shares(course).values()) <= 0.40
    assert "generated offline" in course.metadata["review_note"]
    assert all("generated offline" not in lesson.content_markdown for lesson in course.lessons.all())
    # the generated draft waits for review: publishing names every day
    refused = client.post(f"/courses/{course.slug}/publish")
    assert refused.status_code == 409
    assert refused.json()["code"] == "unreviewed_lessons"
    assert refused.json()["days"] == [1, 2, 3, 4, 5, 6, 7]


def test_a_job_without_quizzes_writes_none(workflows: None, admin, api_as) -> None:
    job = wait_for_job(api_as(admin).post("/generation-jobs", job_body(include_quizzes=False, **NO_MEDIA)).json()["id"])

    assert job.status == JobStatus.SUCCEEDED
    assert job.course_id is not None
    assert not Quiz.objects.filter(lesson__course_id=job.course_id).exists()
    assert set(job.steps.filter(name__startswith="quiz-").values_list("status", flat=True)) == {"SKIPPED"}


def test_a_remote_models_keys_all_at_b_are_spread_over_the_positions(
    workflows: None, admin, api_as, openai: FakeProvider
) -> None:
    job = wait_for_job(api_as(admin).post("/generation-jobs", job_body(**NO_MEDIA)).json()["id"])

    assert job.status == JobStatus.SUCCEEDED, (job.error, job.warnings)
    assert job.course_id is not None
    course = Course.objects.get(pk=job.course_id)
    assert Quiz.objects.filter(lesson__course=course).count() == 7
    figures = job.steps.get(name="save").output["quizzes"]
    assert figures["key_positions_as_written"] == {"B": 21}
    assert max(key_shares(course).values()) <= 0.40
    assert len(openai.calls_for("quiz")) == 7


def test_a_quiz_that_fails_validation_is_written_again_and_each_try_is_costed(
    workflows: None, admin, api_as, openai: FakeProvider
) -> None:
    # Given a model that answers day 2 with two right options, and day 3 with a repeated option
    openai.fail_quiz(2, "two_right")
    openai.fail_quiz(3, "repeated_options")

    job = wait_for_job(api_as(admin).post("/generation-jobs", job_body(**NO_MEDIA)).json()["id"])

    # Then both were written again once, each call recorded with its cost, and saved as valid quizzes
    assert job.status == JobStatus.SUCCEEDED, (job.error, job.warnings)
    assert job.warnings == []
    assert sorted(call["day"] for call in openai.calls_for("quiz")) == [1, 2, 2, 3, 3, 4, 5, 6, 7]
    day_2 = GenerationStep.objects.get(job=job, name="quiz-2")
    assert day_2.attempts == 2
    assert day_2.output["rejections"][0]["problems"] == [
        "Question 1: a single-choice question needs exactly one right option",
        "Question 1: the right answer 'A long warm-up' is not stated in the lesson",
    ]
    assert ProviderCall.objects.filter(step=day_2, kind="text").count() == 2
    assert job.course_id is not None
    assert Quiz.objects.filter(lesson__course_id=job.course_id).count() == 7
    figures = job.steps.get(name="save").output["quizzes"]
    assert figures["drafts_rejected"] == 2
    assert figures["rejected_because"] == {
        "a single-choice question needs exactly one right option": 1,
        "the key is not stated in the lesson": 1,
        "two options say the same thing": 1,
    }


def test_a_quiz_whose_key_the_lesson_never_states_is_dropped_after_three_tries_with_a_warning(
    workflows: None, admin, api_as, openai: FakeProvider
) -> None:
    openai.fail_quiz(4, "key_absent", times=3)

    job = wait_for_job(api_as(admin).post("/generation-jobs", job_body(**NO_MEDIA)).json()["id"])

    assert job.status == JobStatus.SUCCEEDED, job.error
    assert len([call for call in openai.calls_for("quiz") if call["day"] == 4]) == 3
    assert len(job.warnings) == 1
    assert job.warnings[0].startswith("Day 4 has no quiz: 3 drafts failed validation")
    assert "'A strong cup of coffee' is not stated in the lesson" in job.warnings[0]
    assert job.course_id is not None
    saved_days = sorted(Quiz.objects.filter(lesson__course_id=job.course_id).values_list("lesson__day", flat=True))
    assert saved_days == [1, 2, 3, 5, 6, 7]
    assert job.steps.get(name="save").output["quizzes"]["dropped_days"] == [4]
