"""Offline, end to end: a topic becomes a publishable draft course with lessons, videos and a thumbnail."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail

from momentum.accounts.models import Notification
from momentum.catalog.models import Course, Status
from momentum.generation.models import GenerationStep, JobStatus, ProviderCall
from momentum.generation.tests.pipeline import job_body, streams_of, wait_for_job

pytestmark = pytest.mark.integration


def test_a_seven_day_course_is_generated_offline_with_lessons_videos_and_a_thumbnail(
    workflows: None, admin, api_as
) -> None:
    # Given an admin and the offline providers (local text, slides video, title-card thumbnail)
    client = api_as(admin)

    # When they ask for a 7-day course
    response = client.post("/generation-jobs", job_body(topic="Home espresso brewing"))
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "QUEUED"
    job = wait_for_job(response.json()["id"])

    # Then the job succeeds without warnings, and its draft has seven lessons of real text
    assert job.status == JobStatus.SUCCEEDED, (job.error, job.warnings)
    assert job.warnings == []
    assert job.course_id is not None
    course = Course.objects.get(pk=job.course_id)
    assert course.status == Status.DRAFT
    lessons = list(course.lessons.order_by("day"))
    assert [lesson.day for lesson in lessons] == [1, 2, 3, 4, 5, 6, 7]
    assert all(len(lesson.content_markdown) > 500 for lesson in lessons)
    assert len({lesson.title for lesson in lessons}) == 7
    # ... seven MP4s that ffprobe reads with a video and an audio stream
    for lesson in lessons:
        assert (lesson.video.name or "").endswith(".mp4")
        assert streams_of(lesson.video.path) == {"video", "audio"}
    # ... each captioned from its narration (generated, in the course's language)
    tracks = [lesson.captions.get() for lesson in lessons]
    assert {(track.language, track.source) for track in tracks} == {("en", "GENERATED")}
    assert all(track.vtt.startswith("WEBVTT") and "-->" in track.vtt for track in tracks)
    # ... whose rendering folders were removed once the videos were stored
    slides = Path(settings.DATA_DIR) / "generation" / "slides"
    assert not [folder for folder in slides.iterdir() if folder.is_dir()] if slides.exists() else True
    # ... and a PNG thumbnail
    with course.thumbnail.open("rb") as thumbnail:
        assert thumbnail.read(8) == b"\x89PNG\r\n\x1a\n"
    # Every step is done, each provider call recorded; the admin was told, in the app and by email
    assert set(GenerationStep.objects.filter(job=job).values_list("status", flat=True)) == {"SUCCEEDED"}
    assert ProviderCall.objects.filter(job=job, kind="text", ok=True).count() == 15  # outline, lessons, quizzes
    assert Notification.objects.filter(user=admin, kind="generation_finished").count() == 1
    # A video made on the first try shows one attempt (its status polls are not attempts)
    assert set(
        GenerationStep.objects.filter(job=job, name__startswith="video-").values_list("attempts", flat=True)
    ) == {1}
    assert [message.subject for message in mail.outbox if "Draft ready" in message.subject]

    # And the draft is published once an admin has reviewed every lesson (and its quiz)
    assert client.post(f"/courses/{course.slug}/publish").json()["code"] == "unreviewed_lessons"
    for lesson in lessons:
        client.patch(f"/courses/{course.slug}/lessons/{lesson.pk}", {"reviewed": True})
    published = client.post(f"/courses/{course.slug}/publish")
    assert published.status_code == 200, published.content
    assert published.json()["status"] == "PUBLISHED"


def test_the_job_api_shows_steps_attempts_and_costs(workflows: None, admin, api_as) -> None:
    client = api_as(admin)
    started = client.post("/generation-jobs", job_body(include_video=False, include_thumbnail=False)).json()
    wait_for_job(started["id"])

    job = client.get(f"/generation-jobs/{started['id']}").json()

    assert job["status"] == "SUCCEEDED"
    names = [step["name"] for step in job["steps"]]
    assert names[:3] == ["validate", "references", "outline"]
    assert names[-3:] == ["thumbnail", "save", "notify"]
    statuses = {step["name"]: step["status"] for step in job["steps"]}
    assert statuses["video-1"] == "SKIPPED"
    assert statuses["thumbnail"] == "SKIPPED"
    assert statuses["lesson-7"] == "SUCCEEDED"
    assert {step["attempts"] for step in job["steps"] if step["name"].startswith("lesson-")} == {1}
    assert job["cost_usd_total"] == "0.000000"  # the offline providers are free
    assert job["course_id"] is not None
    listed = client.get("/generation-jobs").json()
    assert listed["count"] == 1
    assert listed["items"][0]["id"] == started["id"]


def test_the_draft_takes_the_pacing_the_job_asked_for(workflows: None, admin, api_as) -> None:
    client = api_as(admin)
    quick = {"include_video": False, "include_thumbnail": False}
    daily = client.post("/generation-jobs", job_body(**quick)).json()
    self_paced = client.post("/generation-jobs", job_body(topic="Houseplant care", pacing="SELF_PACED", **quick)).json()
    assert client.post("/generation-jobs", job_body(pacing="HOURLY", **quick)).status_code == 422
    courses = {name: Course.objects.get(pk=wait_for_job(job["id"]).course_id or 0) for name, job in
               (("daily", daily), ("self_paced", self_paced))}  # fmt: skip
    assert (daily["pacing"], self_paced["pacing"]) == ("DAILY", "SELF_PACED")
    assert (courses["daily"].pacing, courses["self_paced"].pacing) == ("DAILY", "SELF_PACED")
