"""Narrated videos for a few demo courses: seed-demo queues them, the worker renders and stores them."""

from __future__ import annotations

import io
from typing import Any

import pytest

from momentum.catalog.models import Course
from momentum.generation import demo
from momentum.generation.tests.pipeline import streams_of
from momentum.lib import captions
from momentum.platform import durable
from tests.factories import make_course

LESSON = """Good sleep starts long before bedtime. Tonight you will notice what your evenings look like.

## Why the evening matters

Your body clock reads *light* and routine. A [steady wind-down](https://example.com/x) tells it night is coming.

## Try it today

- Dim the lights an hour before bed.
- Write down when you went to sleep.
"""


@pytest.fixture
def demo_course(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Course:
    settings.DEMO_VIDEOS = True
    course = make_course("Better sleep in 7 days", category="health-wellness")
    Course.objects.filter(pk=course.pk).update(metadata={"demo": True})
    course.lessons.exclude(day=1).delete()  # one lesson: one video to render
    course.lessons.filter(day=1).update(title="Your evening, as it is", content_markdown=LESSON)
    monkeypatch.setattr(demo, "DEMO_VIDEO_COURSES", (course.slug,))
    return course


@pytest.mark.integration
def test_seeding_queues_a_narrated_video_that_the_worker_renders_onto_the_lesson(
    workflows: None, demo_course: Course
) -> None:
    out = io.StringIO()
    lesson = demo_course.lessons.get()

    demo.seed(admin=None, learner=None, stdout=out)

    assert "Queued 1 narrated demo videos" in out.getvalue()
    result: Any = durable.client().retrieve_workflow(demo.workflow_id(lesson)).get_result()
    assert result == "stored"
    lesson.refresh_from_db()
    assert (lesson.video.name or "").endswith(".mp4")
    assert streams_of(lesson.video.path) == {"video", "audio"}
    # ... with its captions, in the course's language, timed to the narration as it was spoken
    track = lesson.captions.get()
    assert (track.language, track.source) == ("en", "GENERATED")
    assert captions.cues_of(track.vtt)[0].text == "Day 1: Your evening, as it is."
    # seeding again queues nothing: the lesson has its video
    again = io.StringIO()
    demo.seed(admin=None, learner=None, stdout=again)
    assert again.getvalue() == ""


@pytest.mark.django_db
def test_the_narration_is_the_lessons_own_prose_and_its_sections_are_the_slides(demo_course: Course) -> None:
    request = demo.video_request(demo_course.lessons.get())

    assert request.narration.startswith("Day 1: Your evening, as it is. Good sleep starts long before bedtime.")
    assert "A steady wind-down tells it night is coming." in request.narration
    assert not set("#*[]()") & set(request.narration)
    assert request.key_points == ("Why the evening matters", "Try it today")


@pytest.mark.django_db
def test_with_demo_videos_switched_off_seeding_queues_none(demo_course: Course, settings: Any) -> None:
    settings.DEMO_VIDEOS = False
    out = io.StringIO()

    demo.seed(admin=None, learner=None, stdout=out)

    # the one demo lesson's quiz is reported, and no video is queued (the line saying so is absent)
    assert out.getvalue() == "Demo quizzes written offline: 1 made, 0 lessons without a valid one."
