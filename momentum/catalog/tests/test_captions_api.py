"""Captions through the API: an admin uploads .vtt (or .srt, converted) per lesson and language,
learners get them with the lesson (``captions``, ``transcript``) and read them as WebVTT from
their url, under the lesson's own access rule."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import MULTIPART_CONTENT as MULTIPART

from momentum.accounts.models import User
from momentum.audit.models import AuditLog
from momentum.catalog.models import CaptionSource, CaptionTrack, Course, Lesson, Pacing
from momentum.learning.models import Enrollment
from momentum.lib.clock import travel_to
from tests.factories import make_course, signed_in_client

pytestmark = pytest.mark.django_db

VTT = b"""WEBVTT

00:00:00.500 --> 00:00:03.000
Welcome to day one.

00:00:03.000 --> 00:00:06.250
Today we <b>practise</b> breathing.
"""
SRT = b"""1\r
00:00:00,500 --> 00:00:03,000\r
Bienvenidos al primer d\xc3\xada.\r
\r
2\r
00:00:03,000 --> 00:00:06,250\r
Hoy practicamos la respiraci\xc3\xb3n.\r
"""
BROKEN = b"""WEBVTT

00:00:00.500 --> 00:00:03.000
Welcome to day one.

00:00:03.000 -> 00:00:06.250
Today we practise breathing.
"""


@pytest.fixture
def course(db: None) -> Course:
    return make_course("Calm breathing", duration_days=7, video_url="https://example.com/day.mp4")


def _lesson(course: Course, day: int) -> Lesson:
    return course.lessons.get(day=day)


def _upload(client: Any, course: Course, lesson: Lesson, data: bytes, *, name: str, language: str) -> Any:
    upload = SimpleUploadedFile(name, data, content_type="text/vtt")
    return client.post(
        f"/courses/{course.slug}/captions?lesson={lesson.pk}", {"file": upload, "language": language},
        content_type=MULTIPART,
    )  # fmt: skip


def test_an_uploaded_vtt_file_is_served_as_webvtt_at_the_url_it_answers(
    admin: User, api_as: Any, course: Course
) -> None:
    lesson = _lesson(course, 1)

    response = _upload(api_as(admin), course, lesson, VTT, name="day-1.vtt", language="en")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["lesson_id"], body["language"], body["source"]) == (lesson.pk, "en", "UPLOADED")
    served = signed_in_client(admin).get(body["url"])
    assert served.status_code == 200
    assert served["Content-Type"] == "text/vtt; charset=utf-8"
    text = served.content.decode()
    assert text.startswith("WEBVTT")
    assert "00:00:03.000 --> 00:00:06.250\nToday we <b>practise</b> breathing." in text


def test_an_srt_file_is_converted_to_webvtt(admin: User, api_as: Any, course: Course) -> None:
    lesson = _lesson(course, 1)

    response = _upload(api_as(admin), course, lesson, SRT, name="dia-1.srt", language="es")

    assert response.status_code == 201, response.content
    served = signed_in_client(admin).get(response.json()["url"]).content.decode()
    assert served.startswith("WEBVTT\n")
    assert "00:00:00.500 --> 00:00:03.000\nBienvenidos al primer día." in served
    assert "," not in served.split("\n")[2]  # WebVTT's decimal point, not SRT's comma


def test_a_file_that_does_not_parse_is_422_naming_its_line(admin: User, api_as: Any, course: Course) -> None:
    lesson = _lesson(course, 1)

    response = _upload(api_as(admin), course, lesson, BROKEN, name="day-1.vtt", language="en")

    assert response.status_code == 422
    problem = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert problem["code"] == "invalid_captions"
    assert problem["errors"][0]["line"] == 6
    assert "line 6" in problem["detail"]
    assert not CaptionTrack.objects.exists()


@pytest.mark.parametrize(
    "case",
    [
        ("day-1.srt", b"1\n00:00:01,000 --> 00:00:02,000\nHello\n\n2\n00:00:0x,000 --> 00:00:04,000\nBye\n", 6),
        ("day-1.vtt", b"00:00:01.000 --> 00:00:02.000\nNo header\n", 1),
        ("day-1.vtt", b"WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nBackwards\n", 3),
        ("day-1.vtt", b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\xff\xfe broken\n", 4),
    ],
    ids=["srt bad timing", "no WEBVTT line", "ends before it starts", "not UTF-8"],
)
def test_every_kind_of_broken_file_names_the_line(
    admin: User, api_as: Any, course: Course, case: tuple[str, bytes, int]
) -> None:
    name, data, line = case
    response = _upload(api_as(admin), course, _lesson(course, 1), data, name=name, language="en")

    assert response.status_code == 422
    assert response.json()["errors"][0]["line"] == line


def test_a_file_that_is_not_vtt_or_srt_is_refused(admin: User, api_as: Any, course: Course) -> None:
    response = _upload(api_as(admin), course, _lesson(course, 1), VTT, name="day-1.txt", language="en")

    assert response.status_code == 422
    assert response.json()["code"] == "unsupported_media"


def test_a_caption_file_over_the_size_limit_is_413(admin: User, api_as: Any, course: Course, settings: Any) -> None:
    settings.MAX_CAPTION_UPLOAD_BYTES = 1024
    big = VTT + b"\n".join(b"NOTE " + b"x" * 80 for _ in range(20))

    response = _upload(api_as(admin), course, _lesson(course, 1), big, name="day-1.vtt", language="en")

    assert response.status_code == 413
    assert response.json()["errors"][0]["rule"] == "max_size"


def test_a_language_that_is_not_a_bcp_47_tag_is_422(admin: User, api_as: Any, course: Course) -> None:
    response = _upload(api_as(admin), course, _lesson(course, 1), VTT, name="day-1.vtt", language="english please")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "language"


def test_the_language_is_stored_in_its_standard_form(admin: User, api_as: Any, course: Course) -> None:
    response = _upload(api_as(admin), course, _lesson(course, 1), VTT, name="day-1.vtt", language="pt-br")

    assert response.json()["language"] == "pt-BR"


def test_uploading_again_in_a_language_replaces_its_track(admin: User, api_as: Any, course: Course) -> None:
    lesson = _lesson(course, 1)
    _upload(api_as(admin), course, lesson, VTT, name="day-1.vtt", language="en")

    again = _upload(api_as(admin), course, lesson, VTT.replace(b"Welcome", b"Hello"), name="day-1.vtt", language="en")

    assert again.status_code == 201
    tracks = list(CaptionTrack.objects.filter(lesson=lesson))
    assert len(tracks) == 1
    assert "Hello to day one." in tracks[0].vtt
    logged = AuditLog.objects.filter(action="lesson.captions_uploaded")
    assert sorted(entry.metadata["replaced"] for entry in logged) == [False, True]
    assert {entry.actor_id for entry in logged} == {admin.pk}


def test_only_admins_upload_captions(learner: User, api_as: Any, api: Any, course: Course) -> None:
    lesson = _lesson(course, 1)

    assert _upload(api_as(learner), course, lesson, VTT, name="day-1.vtt", language="en").status_code == 403
    assert api.post(f"/courses/{course.slug}/captions?lesson={lesson.pk}", {}).status_code == 401
    assert not CaptionTrack.objects.exists()


def test_the_lesson_lists_its_captions_course_language_first_and_a_transcript(
    admin: User, learner: User, api_as: Any, course: Course
) -> None:
    lesson = _lesson(course, 2)
    _upload(api_as(admin), course, lesson, SRT, name="dia-2.srt", language="es")
    _upload(api_as(admin), course, lesson, VTT, name="day-2.vtt", language="en")
    Enrollment.objects.create(user=learner, course=course)

    body = api_as(learner).get(f"/courses/{course.slug}/lessons/{lesson.pk}").json()

    assert [track["language"] for track in body["captions"]] == ["en", "es"]
    assert body["captions"][0]["url"].endswith(f"/lessons/{lesson.pk}/captions/en.vtt")
    assert body["transcript"] == "Welcome to day one. Today we practise breathing."


def test_a_lesson_without_video_has_no_transcript(admin: User, api_as: Any) -> None:
    course = make_course("Quiet reading", duration_days=7)
    lesson = _lesson(course, 1)

    body = api_as(admin).get(f"/courses/{course.slug}/lessons/{lesson.pk}").json()

    assert body["captions"] == []
    assert body["transcript"] is None


def test_captions_are_read_by_whoever_may_open_the_lesson(
    admin: User, learner: User, stranger: User, api_as: Any, course: Course
) -> None:
    preview, members_only = _lesson(course, 1), _lesson(course, 2)
    urls = {day.day: _upload(api_as(admin), course, day, VTT, name="x.vtt", language="en").json()["url"]
            for day in (preview, members_only)}  # fmt: skip
    Enrollment.objects.create(user=learner, course=course)

    assert signed_in_client(None).get(urls[1]).status_code == 200  # a preview lesson: anyone
    assert signed_in_client(None).get(urls[2]).status_code == 401
    assert signed_in_client(stranger).get(urls[2]).status_code == 403
    assert signed_in_client(learner).get(urls[2]).status_code == 200
    assert signed_in_client(admin).get(urls[2]).status_code == 200
    assert VTT.decode().split("\n")[3] not in signed_in_client(stranger).get(urls[2]).content.decode()


def test_a_language_the_lesson_has_no_captions_in_is_404(admin: User, api_as: Any, course: Course) -> None:
    lesson = _lesson(course, 1)

    response = signed_in_client(admin).get(f"/lessons/{lesson.pk}/captions/fr.vtt")

    assert response.status_code == 404


def test_a_locked_day_keeps_its_captions_locked(admin: User, learner: User, api_as: Any) -> None:
    daily = make_course("One breath a day", duration_days=7, pacing=Pacing.DAILY, video_url="https://example.com/v.mp4")
    day_two = _lesson(daily, 2)
    url = _upload(api_as(admin), daily, day_two, VTT, name="x.vtt", language="en").json()["url"]
    sunday = datetime(2026, 12, 6, 10, tzinfo=UTC)
    with travel_to(sunday):
        api_as(learner).post(f"/courses/{daily.slug}/enrollment")
        locked = signed_in_client(learner).get(url)
    with travel_to(datetime(2026, 12, 7, 0, 0, tzinfo=UTC)):
        opened = signed_in_client(learner).get(url)

    assert locked.status_code == 403
    assert "Welcome" not in locked.content.decode()
    assert opened.status_code == 200


def test_captions_are_cacheable_and_revalidate_with_their_etag(admin: User, api_as: Any, course: Course) -> None:
    url = _upload(api_as(admin), course, _lesson(course, 1), VTT, name="x.vtt", language="en").json()["url"]
    client = signed_in_client(admin)

    first = client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["Cache-Control"] == "private, max-age=60"
    assert again.status_code == 304
    assert again.content == b""


def test_generated_and_uploaded_tracks_keep_their_source(admin: User, api_as: Any, course: Course) -> None:
    from momentum.catalog.actions import do_put_caption_track
    from momentum.lib import captions

    lesson = _lesson(course, 3)
    do_put_caption_track(
        lesson, language="en", vtt=captions.write([captions.Cue(0, 2.5, "Hi.")]), source=CaptionSource.GENERATED
    )

    body = api_as(admin).get(f"/courses/{course.slug}/lessons/{lesson.pk}").json()

    assert body["transcript"] == "Hi."
    assert CaptionTrack.objects.get(lesson=lesson).source == "GENERATED"
    assert AuditLog.objects.filter(action="lesson.captions_generated").count() == 1
