"""Thumbnails and lesson videos: real images and videos within their limits, nothing else."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import MULTIPART_CONTENT as MULTIPART
from PIL import Image

from momentum.catalog.tests.authoring import draft_course

pytestmark = pytest.mark.django_db

MP4_HEAD = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + b"\x00" * 64
WEBM_HEAD = b"\x1a\x45\xdf\xa3" + b"\x00" * 64


def image_bytes(size: tuple[int, int] = (800, 450), fmt: str = "JPEG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "#3340d6").save(out, format=fmt)
    return out.getvalue()


def test_an_uploaded_jpeg_becomes_the_course_thumbnail_as_a_png(admin, api_as) -> None:
    course = draft_course()
    upload = SimpleUploadedFile("cover.jpg", image_bytes(), content_type="image/jpeg")

    response = api_as(admin).post(f"/courses/{course.pk}/thumbnail", {"file": upload}, content_type=MULTIPART)

    assert response.status_code == 200, response.content
    course.refresh_from_db()
    assert (course.thumbnail.name or "").endswith(".png")
    with Image.open(course.thumbnail.open("rb")) as stored:
        assert stored.format == "PNG"
        assert stored.size == (800, 450)


def test_a_wide_thumbnail_is_scaled_down(admin, api_as) -> None:
    course = draft_course()
    upload = SimpleUploadedFile("wide.png", image_bytes((3200, 1800), "PNG"), content_type="image/png")

    api_as(admin).post(f"/courses/{course.pk}/thumbnail", {"file": upload}, content_type=MULTIPART)

    course.refresh_from_db()
    with Image.open(course.thumbnail.open("rb")) as stored:
        assert stored.size == (1600, 900)


def test_a_file_that_is_not_an_image_is_refused_as_a_thumbnail(admin, api_as) -> None:
    course = draft_course()
    upload = SimpleUploadedFile("cover.png", b"<svg onload=alert(1)></svg>", content_type="image/png")

    response = api_as(admin).post(f"/courses/{course.pk}/thumbnail", {"file": upload}, content_type=MULTIPART)

    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "field": "file",
        "message": "is not an image we can read (PNG, JPEG, WebP or GIF)",
        "rule": "media_type",
    }
    course.refresh_from_db()
    assert not course.thumbnail


def test_a_thumbnail_over_the_size_limit_is_413(admin, api_as, settings) -> None:
    settings.MAX_THUMBNAIL_UPLOAD_BYTES = 2048
    course = draft_course()
    upload = SimpleUploadedFile("cover.png", image_bytes((900, 900), "BMP"), content_type="image/png")

    response = api_as(admin).post(f"/courses/{course.pk}/thumbnail", {"file": upload}, content_type=MULTIPART)

    assert response.status_code == 413
    assert response.json()["errors"][0]["rule"] == "max_size"


def test_an_mp4_upload_becomes_the_lesson_video(admin, api_as) -> None:
    course = draft_course(written=[1])
    lesson = course.lessons.get()
    upload = SimpleUploadedFile("day-1.mp4", MP4_HEAD, content_type="video/mp4")

    response = api_as(admin).post(
        f"/courses/{course.pk}/lessons/{lesson.pk}/video", {"file": upload}, content_type=MULTIPART
    )

    assert response.status_code == 200, response.content
    assert response.json()["has_video"] is True
    lesson.refresh_from_db()
    assert (lesson.video.name or "").endswith(".mp4")
    assert lesson.video.read() == MP4_HEAD


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("day-1.mp4", b"#!/bin/sh\nrm -rf /\n" + b"\x00" * 40, "does not look like a video file (MP4, WebM or Ogg)"),
        ("day-1.exe", MP4_HEAD, "must be an .mp4, .m4v, .mov, .webm, .mkv or .ogv file"),
        ("day-1.mp4", WEBM_HEAD, "is a matroska file but is named .mp4"),
        ("day-1.mp4", b"", "is empty"),
    ],
)
def test_a_file_that_is_not_the_video_it_claims_is_refused(admin, api_as, name, content, message) -> None:
    course = draft_course(written=[1])
    lesson = course.lessons.get()
    upload = SimpleUploadedFile(name, content, content_type="video/mp4")

    response = api_as(admin).post(
        f"/courses/{course.pk}/lessons/{lesson.pk}/video", {"file": upload}, content_type=MULTIPART
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == message
    lesson.refresh_from_db()
    assert not lesson.video


def test_a_video_over_the_size_limit_is_413(admin, api_as, settings) -> None:
    settings.MAX_VIDEO_UPLOAD_BYTES = 1024
    course = draft_course(written=[1])
    lesson = course.lessons.get()
    upload = SimpleUploadedFile("day-1.mp4", MP4_HEAD + b"\x00" * 2048, content_type="video/mp4")

    response = api_as(admin).post(
        f"/courses/{course.pk}/lessons/{lesson.pk}/video", {"file": upload}, content_type=MULTIPART
    )

    assert response.status_code == 413
