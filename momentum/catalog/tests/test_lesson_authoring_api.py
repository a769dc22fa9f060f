"""Lesson authoring through the API: one lesson per day, day moves, deletes, video links."""

from __future__ import annotations

import socket

import pytest

from momentum.audit.models import AuditLog
from momentum.catalog.models import Lesson
from momentum.catalog.tests.authoring import draft_course, published_course

pytestmark = pytest.mark.django_db

LESSON = {"day": 1, "title": "Hold the pencil loosely", "content_markdown": "# Warm up\n\nDraw *circles*."}


def test_an_admin_writes_a_lesson_for_a_free_day(admin, api_as) -> None:
    course = draft_course()

    response = api_as(admin).post(f"/courses/{course.slug}/lessons", LESSON)

    assert response.status_code == 201
    body = response.json()
    assert body["day"] == 1
    assert body["content_html"] == "<h2>Warm up</h2>\n<p>Draw <em>circles</em>.</p>\n"
    assert AuditLog.objects.filter(action="lesson.created", resource_id=str(body["id"])).exists()


def test_a_second_lesson_for_the_same_day_is_day_taken(admin, api_as) -> None:
    course = draft_course(written=[1])

    response = api_as(admin).post(f"/courses/{course.slug}/lessons", LESSON)

    assert response.status_code == 409
    assert response.json()["code"] == "day_taken"
    assert course.lessons.count() == 1


def test_a_day_beyond_the_course_is_refused_naming_the_field(admin, api_as) -> None:
    course = draft_course(days=7)

    response = api_as(admin).post(f"/courses/{course.slug}/lessons", {**LESSON, "day": 8})

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "day", "message": "must be between 1 and 7 for this course", "rule": "range"}
    ]


def test_moving_a_lesson_to_a_free_day_keeps_it_and_to_a_taken_day_is_refused(admin, api_as) -> None:
    course = draft_course(written=[1, 2])
    lesson = course.lessons.get(day=2)
    client = api_as(admin)

    moved = client.patch(f"/courses/{course.pk}/lessons/{lesson.pk}", {"day": 5})
    assert moved.status_code == 200
    assert moved.json()["day"] == 5
    assert AuditLog.objects.get(action="lesson.updated").metadata["moved_from_day"] == 2

    taken = client.patch(f"/courses/{course.pk}/lessons/{lesson.pk}", {"day": 1})
    assert taken.status_code == 409
    assert taken.json()["code"] == "day_taken"
    lesson.refresh_from_db()
    assert lesson.day == 5


def test_a_lesson_of_a_draft_is_deleted(admin, api_as) -> None:
    course = draft_course(written=[1, 2])
    lesson = course.lessons.get(day=2)

    assert api_as(admin).delete(f"/courses/{course.pk}/lessons/{lesson.pk}").status_code == 204
    assert list(course.lessons.values_list("day", flat=True)) == [1]


def test_a_lesson_of_a_published_course_is_not_deleted(admin, api_as) -> None:
    course = published_course()
    lesson = course.lessons.get(day=3)

    response = api_as(admin).delete(f"/courses/{course.pk}/lessons/{lesson.pk}")

    assert response.status_code == 409
    assert response.json()["code"] == "course_published"
    assert Lesson.objects.filter(pk=lesson.pk).exists()


def test_a_lesson_of_another_course_is_404(admin, api_as) -> None:
    course = draft_course(written=[1])
    other = draft_course(title="Another course", written=[1])
    lesson = other.lessons.get()

    assert api_as(admin).patch(f"/courses/{course.pk}/lessons/{lesson.pk}", {"title": "x"}).status_code == 404


def test_a_public_video_url_is_kept(admin, api_as) -> None:
    course = draft_course()
    url = "https://93.184.215.14/videos/day-1.mp4"

    response = api_as(admin).post(f"/courses/{course.pk}/lessons", {**LESSON, "video_url": url})

    assert response.status_code == 201
    assert response.json()["video_url"] == url
    assert response.json()["has_video"] is True


@pytest.mark.parametrize(
    ("url", "rule"),
    [
        ("http://127.0.0.1:8000/admin", "url_public"),
        ("http://localhost/video.mp4", "url_public"),
        ("http://169.254.169.254/latest/meta-data/", "url_public"),
        ("http://10.0.0.7/video.mp4", "url_public"),
        ("http://[::1]/video.mp4", "url_public"),
        ("http://[::ffff:127.0.0.1]/video.mp4", "url_public"),
        ("http://192.168.1.20/video.mp4", "url_public"),
        ("file:///etc/passwd", "url_scheme"),
        ("javascript:alert(1)", "url_scheme"),
        ("https://user:secret@93.184.215.14/v.mp4", "url_credentials"),
        ("https://video.invalid/v.mp4", "url_public"),
        ("http://media-server/v.mp4", "url_public"),
        ("http://2130706433/v.mp4", "url_public"),
        ("http://0177.0.0.1/v.mp4", "url_public"),
    ],
)
def test_video_urls_to_private_or_odd_targets_are_refused(admin, api_as, url, rule) -> None:
    course = draft_course()

    response = api_as(admin).post(f"/courses/{course.pk}/lessons", {**LESSON, "video_url": url})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "video_url"
    assert response.json()["errors"][0]["rule"] == rule


@pytest.mark.parametrize("url", ["https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://vimeo.com/76979871"])
def test_a_video_link_is_saved_offline_without_asking_dns(admin, api_as, monkeypatch, url) -> None:
    # Given no DNS (offline, or a resolver that would answer anything): the link is only handed
    # to the learner's browser, so its form is all the server checks
    asked: list[str] = []

    def no_dns(host: str, *args: object, **kwargs: object) -> None:
        asked.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "offline")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    course = draft_course()

    response = api_as(admin).post(f"/courses/{course.pk}/lessons", {**LESSON, "video_url": url})

    assert response.status_code == 201, response.content
    assert response.json()["video_url"] == url
    assert asked == []


def test_a_setting_allows_private_video_urls_for_a_local_media_server(admin, api_as, settings) -> None:
    settings.ALLOW_PRIVATE_MEDIA_URLS = True
    course = draft_course()

    response = api_as(admin).post(
        f"/courses/{course.pk}/lessons", {**LESSON, "video_url": "http://127.0.0.1:9000/v.mp4"}
    )

    assert response.status_code == 201
