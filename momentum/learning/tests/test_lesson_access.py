"""GET /courses/{course}/lessons/{lesson} and the lesson video: open to previews, enrolled learners, admins."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files import File

from momentum.catalog.models import Lesson, Status
from tests.factories import make_course

pytestmark = pytest.mark.django_db


def lesson_path(course: Any, day: int) -> str:
    return f"/courses/{course.slug}/lessons/{course.lessons.get(day=day).pk}"


def test_a_preview_lesson_is_open_to_anyone(api: Any, course: Any) -> None:
    body = api.get(lesson_path(course, 1)).json()
    assert body["day"] == 1
    assert "<strong>practise</strong>" in body["content_html"]
    assert "<script" not in body["content_html"]
    assert body["content_markdown"].startswith("# Day 1")


def test_other_lessons_need_an_enrollment(api: Any, api_as: Any, learner: Any, course: Any) -> None:
    anonymous = api.get(lesson_path(course, 2))
    signed_in = api_as(learner).get(lesson_path(course, 2))
    assert (anonymous.status_code, signed_in.status_code) == (401, 403)
    assert signed_in.json()["code"] == "not_enrolled"


def test_enrolled_learners_and_admins_open_every_lesson(api_as: Any, enrolled: Any, admin: Any, course: Any) -> None:
    assert api_as(enrolled).get(lesson_path(course, 5)).status_code == 200
    assert api_as(admin).get(lesson_path(course, 5)).status_code == 200


def test_lessons_of_hidden_courses_are_not_found(api_as: Any, learner: Any, admin: Any) -> None:
    draft = make_course("Draft course", status=Status.DRAFT)
    assert api_as(learner).get(lesson_path(draft, 1)).status_code == 404
    assert api_as(admin).get(lesson_path(draft, 1)).status_code == 200


def test_a_lesson_of_another_course_is_not_found(api: Any, course: Any) -> None:
    other = make_course("Other course")
    assert api.get(f"/courses/{course.slug}/lessons/{other.lessons.get(day=1).pk}").status_code == 404


@pytest.fixture
def video_lesson(course: Any, mp4: Path) -> Lesson:
    lesson: Lesson = course.lessons.get(day=2)
    with mp4.open("rb") as handle:
        lesson.video.save("lesson.mp4", File(handle))
    return lesson


def test_the_lesson_gives_its_video_address(api_as: Any, enrolled: Any, course: Any, video_lesson: Lesson) -> None:
    body = api_as(enrolled).get(lesson_path(course, 2)).json()
    assert body["video_url"].endswith(f"/lessons/{video_lesson.pk}/video")


def test_a_range_request_gets_the_part_asked_for(client: Any, enrolled: Any, video_lesson: Lesson, mp4: Path) -> None:
    client.force_login(enrolled)
    size = mp4.stat().st_size
    response = client.get(f"/lessons/{video_lesson.pk}/video", HTTP_RANGE="bytes=100-199")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-199/{size}"
    assert response["Content-Type"] == "video/mp4"
    assert b"".join(response.streaming_content) == mp4.read_bytes()[100:200]


def test_an_open_ended_or_suffix_range_is_answered(client: Any, enrolled: Any, video_lesson: Lesson, mp4: Path) -> None:
    client.force_login(enrolled)
    size, data = mp4.stat().st_size, mp4.read_bytes()
    tail = client.get(f"/lessons/{video_lesson.pk}/video", HTTP_RANGE=f"bytes={size - 10}-")
    suffix = client.get(f"/lessons/{video_lesson.pk}/video", HTTP_RANGE="bytes=-20")
    assert b"".join(tail.streaming_content) == data[-10:]
    assert b"".join(suffix.streaming_content) == data[-20:]
    assert suffix["Content-Length"] == "20"


def test_without_a_range_the_whole_video_is_sent(client: Any, enrolled: Any, video_lesson: Lesson, mp4: Path) -> None:
    client.force_login(enrolled)
    response = client.get(f"/lessons/{video_lesson.pk}/video")
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert b"".join(response.streaming_content) == mp4.read_bytes()


def test_a_range_beyond_the_end_is_unsatisfiable(client: Any, enrolled: Any, video_lesson: Lesson, mp4: Path) -> None:
    client.force_login(enrolled)
    response = client.get(f"/lessons/{video_lesson.pk}/video", HTTP_RANGE=f"bytes={mp4.stat().st_size}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{mp4.stat().st_size}"


def test_the_video_is_refused_to_learners_who_may_not_open_the_lesson(
    client: Any, learner: Any, video_lesson: Lesson
) -> None:
    assert client.get(f"/lessons/{video_lesson.pk}/video").status_code == 401
    client.force_login(learner)
    assert client.get(f"/lessons/{video_lesson.pk}/video").status_code == 403
