"""What keeps generation in bounds: quota, budget, idempotency, a failing provider, cancel and retry."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from momentum.audit.models import AuditLog
from momentum.catalog.models import Category, Course
from momentum.generation import actions, resilience
from momentum.generation import workflows as pipeline
from momentum.generation.models import GenerationJob, GenerationStep, JobStatus, ProviderCall
from momentum.generation.providers.base import Usage, VideoRequest
from momentum.generation.providers.remote.heygen import HeyGenVideoProvider
from momentum.generation.tests.fake_servers import API_KEYS, FakeProvider
from momentum.generation.tests.pipeline import job_body, wait_for_job
from momentum.observability.queries import circuit_states
from momentum.sitesettings.models import SiteSettings

pytestmark = pytest.mark.integration


@pytest.fixture
def quick_retries(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    monkeypatch.setattr(resilience, "BACKOFF_BASE_SECONDS", 0.01)
    settings.VIDEO_POLL_SECONDS = 0.1


@pytest.fixture
def heygen(settings: Any, quick_retries: None) -> Iterator[FakeProvider]:
    with FakeProvider("heygen") as fake:
        settings.VIDEO_PROVIDER = "heygen"
        settings.HEYGEN_BASE_URL = fake.url
        settings.HEYGEN_API_KEY = API_KEYS["heygen"]
        settings.HEYGEN_AVATAR_ID = "avatar"
        settings.HEYGEN_VOICE_ID = "voice"
        settings.ALLOW_PRIVATE_PROVIDER_URLS = True
        yield fake


@pytest.fixture
def openai(settings: Any, quick_retries: None) -> Iterator[FakeProvider]:
    with FakeProvider("openai") as fake:
        settings.TEXT_PROVIDER = "openai"
        settings.OPENAI_BASE_URL = f"{fake.url}/v1"
        settings.OPENAI_API_KEY = API_KEYS["openai"]
        settings.ALLOW_PRIVATE_PROVIDER_URLS = True
        yield fake


def test_with_the_video_provider_failing_the_circuit_opens_and_the_course_is_saved_without_video(
    workflows: None, admin, api_as, heygen: FakeProvider, settings: Any
) -> None:
    # Given a video provider that answers every request with a 500
    settings.CIRCUIT_FAILURE_THRESHOLD = 3
    heygen.fail_next("server_error", times=1000)

    # When a 7-day course with videos is generated
    started = api_as(admin).post("/generation-jobs", job_body()).json()
    job = wait_for_job(started["id"])

    # Then the circuit opened and stopped further calls, the course is saved without video,
    # and the job succeeded with a warning for each day
    assert {c["provider"]: c["state"] for c in circuit_states()}["heygen"] == "open"
    in_flight = pipeline.QUEUES[pipeline.MEDIA_QUEUE]["worker_concurrency"]  # videos made side by side
    assert len(heygen.requests) <= settings.CIRCUIT_FAILURE_THRESHOLD + in_flight - 1
    assert job.status == JobStatus.SUCCEEDED
    assert len(job.warnings) == 7
    assert "circuit open" in job.warnings[-1]
    assert job.course_id is not None
    course = Course.objects.get(pk=job.course_id)
    assert course.lessons.count() == 7
    assert not any(lesson.has_video for lesson in course.lessons.all())
    shown = api_as(admin).get(f"/generation-jobs/{job.pk}").json()
    assert shown["warnings"] == job.warnings
    assert {s["status"] for s in shown["steps"] if s["name"].startswith("video-")} == {"FAILED"}


def test_a_slow_video_is_polled_until_ready_and_billed_by_its_seconds(
    workflows: None, admin, api_as, heygen: FakeProvider
) -> None:
    heygen.processing_polls = 2
    started = api_as(admin).post("/generation-jobs", job_body(include_thumbnail=False)).json()
    job = wait_for_job(started["id"])

    assert job.status == JobStatus.SUCCEEDED, job.warnings
    assert len(heygen.calls_for("video.generate")) == 7
    # three polls, one submission: each video took one attempt
    assert set(
        GenerationStep.objects.filter(job=job, name__startswith="video-").values_list("attempts", flat=True)
    ) == {1}
    assert job.course_id is not None
    assert all(lesson.video for lesson in Course.objects.get(pk=job.course_id or 0).lessons.all())
    video_cost = sum(c.cost_usd for c in ProviderCall.objects.filter(job=job, provider="heygen"))
    assert video_cost > 0
    assert job.cost_usd == video_cost


def test_a_failed_job_retried_resumes_at_the_failed_step(workflows: None, admin, api_as, openai: FakeProvider) -> None:
    # Given a job whose outline failed (the text provider refused the key once)
    openai.fail_next("unauthorized", times=1)
    client = api_as(admin)
    started = client.post("/generation-jobs", job_body(include_video=False, include_thumbnail=False)).json()
    failed = wait_for_job(started["id"])
    assert failed.status == JobStatus.FAILED
    assert "outline" in failed.error
    validated_at = failed.steps.get(name="validate").finished_at

    # When the admin retries it
    response = client.post(f"/generation-jobs/{failed.pk}/retry")
    assert response.status_code == 202
    job = wait_for_job(failed.pk)

    # Then it succeeds; the steps that had succeeded were not run again, each call was made once
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.steps.get(name="validate").finished_at == validated_at
    assert len(openai.calls_for("outline")) == 1
    assert sorted(call["day"] for call in openai.calls_for("lesson")) == [1, 2, 3, 4, 5, 6, 7]
    assert AuditLog.objects.filter(action="generation.job_retried", resource_id=str(job.pk)).exists()


def test_a_new_job_is_refused_when_the_monthly_budget_is_spent(admin, api_as) -> None:
    SiteSettings.objects.update_or_create(id=1, defaults={"generation_monthly_budget_usd": Decimal("5.00")})
    ProviderCall.objects.create(kind="video", provider="heygen", operation="video-1", cost_usd=Decimal("5.01"))

    response = api_as(admin).post("/generation-jobs", job_body())

    assert response.status_code == 429
    problem = response.json()
    assert problem["code"] == "generation_budget_exhausted"
    assert "This month's AI generation budget is spent ($5.01 of $5.00)" in problem["detail"]
    assert GenerationJob.objects.count() == 0


def test_a_new_job_is_refused_when_the_daily_budget_is_spent(admin, api_as) -> None:
    SiteSettings.objects.update_or_create(id=1, defaults={"generation_daily_budget_usd": Decimal("1.00")})
    ProviderCall.objects.create(kind="text", provider="anthropic", operation="outline", cost_usd=Decimal("1.50"))

    response = api_as(admin).post("/generation-jobs", job_body())

    assert response.status_code == 429
    assert "Today's AI generation budget is spent" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0


def test_past_the_daily_quota_an_admin_gets_generation_quota_exceeded(
    admin, api_as, django_capture_on_commit_callbacks
) -> None:
    SiteSettings.objects.update_or_create(id=1, defaults={"generation_daily_quota": 2})
    client = api_as(admin)
    with django_capture_on_commit_callbacks(execute=False):
        assert client.post("/generation-jobs", job_body(topic="One")).status_code == 202
        assert client.post("/generation-jobs", job_body(topic="Two")).status_code == 202
        response = client.post("/generation-jobs", job_body(topic="Three"))

    assert response.status_code == 429
    assert response.json()["code"] == "generation_quota_exceeded"
    assert "Retry-After" in response


def test_the_same_idempotency_key_returns_the_same_job(admin, api_as, django_capture_on_commit_callbacks) -> None:
    client = api_as(admin)
    with django_capture_on_commit_callbacks(execute=False):
        first = client.post("/generation-jobs", job_body(), HTTP_IDEMPOTENCY_KEY="course-42")
        again = client.post("/generation-jobs", job_body(), HTTP_IDEMPOTENCY_KEY="course-42")
        other = client.post("/generation-jobs", job_body(topic="Else"), HTTP_IDEMPOTENCY_KEY="course-42")

    assert first.status_code == again.status_code == 202
    assert again.json()["id"] == first.json()["id"]
    assert GenerationJob.objects.count() == 1
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"


def test_a_cancelled_job_stops_and_saves_no_course(workflows: None, admin, api_as) -> None:
    client = api_as(admin)
    started = client.post("/generation-jobs", job_body(duration_days=21)).json()

    response = client.post(f"/generation-jobs/{started['id']}/cancel")

    assert response.status_code == 202
    assert response.json()["status"] == "CANCELLED"
    job = wait_for_job(started["id"])
    assert job.status == JobStatus.CANCELLED
    assert job.course_id is None
    assert client.post(f"/generation-jobs/{job.pk}/cancel").json()["code"] == "job_finished"
    assert AuditLog.objects.filter(action="generation.job_cancelled").count() == 1


def test_only_admins_may_start_jobs(learner, api_as, api) -> None:
    assert api.post("/generation-jobs", job_body()).status_code == 401
    assert api_as(learner).post("/generation-jobs", job_body()).status_code == 403


def test_an_unknown_category_is_a_field_error(admin, api_as) -> None:
    response = api_as(admin).post("/generation-jobs", job_body(category="astrology"))

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "category"


def test_a_job_without_a_category_is_a_field_error(admin, api_as) -> None:
    body = job_body()
    del body["category"]

    response = api_as(admin).post("/generation-jobs", body)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "category"
    assert not GenerationJob.objects.exists()


def test_a_video_submission_whose_answer_was_lost_makes_one_video_per_lesson(
    workflows: None, admin, api_as, heygen: FakeProvider
) -> None:
    # Given HeyGen creates day 1's video but the answer never reaches the worker
    heygen.fail_next("lost_answer", on="/v2/video/generate")

    started = api_as(admin).post("/generation-jobs", job_body(include_thumbnail=False)).json()
    job = wait_for_job(started["id"])

    # Then the retried submission found that video: HeyGen made (and charges for) one per lesson
    assert job.status == JobStatus.SUCCEEDED, (job.error, job.warnings)
    assert job.warnings == []
    assert len(heygen.calls_for("video.generate")) == 7
    assert all(lesson.video for lesson in Course.objects.get(pk=job.course_id or 0).lessons.all())


def test_a_video_poll_run_again_after_a_crash_bills_the_video_once(
    admin, heygen: FakeProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given day 1's video is made at HeyGen and its step is waiting for it
    heygen.processing_polls = 0
    job, _ = actions.do_start_job(
        admin, actions.JobRequest(topic="Knife skills", category=Category.objects.get(slug="health-wellness"),
                                  duration_days=7, include_thumbnail=False),
    )  # fmt: skip
    external_id = HeyGenVideoProvider().submit(
        VideoRequest(course_title="Knife skills", day=1, lesson_title="Grip", narration="Hold the knife like this.",
                     key_points=("grip",), key=f"momentum-{job.pk}-day-1")
    ).external_id  # fmt: skip
    lesson = {"title": "Grip", "summary": "How to hold a chef's knife.", "content_markdown": "Hold it. " * 30,
              "narration": "Hold the knife like this.", "duration_minutes": 5}  # fmt: skip
    actions.do_finish_step(actions.do_start_step(str(job.pk), "lesson-1"), output={"lesson": lesson})
    step = actions.do_start_step(str(job.pk), "video-1")
    actions.do_update_step_output(step, {"external_id": external_id, "polls": 0})
    # ... and the worker dies after the poll that found it done, before the step was checkpointed
    crash = RuntimeError("worker killed")
    stored = pipeline._store_video

    def store_once(*args: Any) -> str:
        monkeypatch.setattr(pipeline, "_store_video", stored)
        raise crash

    monkeypatch.setattr(pipeline, "_store_video", store_once)
    poll = inspect.unwrap(pipeline.poll_video)  # the step's body, as a recovering worker runs it
    with pytest.raises(RuntimeError):
        poll(str(job.pk), 1, external_id)

    # When the poll runs again
    assert poll(str(job.pk), 1, external_id) == "done"

    # Then the video's seconds are on the bill once
    job.refresh_from_db()
    one_video = resilience.price("heygen", Usage(video_seconds=Decimal("2")))
    assert one_video > 0
    assert job.cost_usd == one_video
    assert ProviderCall.objects.filter(job=job, video_seconds__gt=0).count() == 1
