"""The lesson editor's captions: upload a file per language, see the lesson's tracks, delete one."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from momentum.accounts.models import User
from momentum.catalog.models import CaptionTrack, Course
from momentum.catalog.tests.authoring import draft_course

pytestmark = pytest.mark.django_db

SRT = b"1\n00:00:00,000 --> 00:00:02,000\nHola.\n"


@pytest.fixture
def studio(admin: User) -> Client:
    client = Client()
    client.force_login(admin)
    return client


@pytest.fixture
def course(db: None) -> Course:
    return draft_course(written=[1])


def _upload(studio: Client, course: Course, data: bytes, name: str, language: str) -> Any:
    return studio.post(
        reverse("catalog:studio_lesson_captions", args=[course.pk, 1]),
        {"language": language, "file": SimpleUploadedFile(name, data)},
        follow=True,
    )


def test_an_uploaded_srt_is_listed_in_the_lesson_editor(studio: Client, course: Course) -> None:
    response = _upload(studio, course, SRT, "dia-1.srt", "es")

    page = response.content.decode()
    assert response.redirect_chain[-1][0].endswith("#captions")
    assert "Captions (es) saved for day 1." in page
    assert 'id="captions-es"' in page
    assert CaptionTrack.objects.get().vtt.startswith("WEBVTT")


def test_a_broken_file_is_refused_with_its_line_on_the_page(studio: Client, course: Course) -> None:
    response = _upload(studio, course, b"WEBVTT\n\nnonsense\n", "day-1.vtt", "en")

    assert response.status_code == 422
    error = response.content.decode().split('id="caption-error"', 1)[1].split("</p>", 1)[0]
    assert "The captions were not saved" in error
    assert "line 3" in error
    assert not CaptionTrack.objects.exists()


def test_a_track_is_deleted_from_the_editor(studio: Client, course: Course) -> None:
    _upload(studio, course, SRT, "dia-1.srt", "es")

    response = studio.post(reverse("catalog:studio_lesson_caption_delete", args=[course.pk, 1, "es"]), follow=True)

    assert "Captions (es) deleted." in response.content.decode()
    assert 'id="captions-es"' not in response.content.decode()
    assert not CaptionTrack.objects.exists()


def test_learners_cannot_upload_captions(learner: User, course: Course) -> None:
    client = Client()
    client.force_login(learner)

    response = client.post(
        reverse("catalog:studio_lesson_captions", args=[course.pk, 1]),
        {"language": "en", "file": SimpleUploadedFile("x.srt", SRT)},
    )

    assert response.status_code == 403
    assert not CaptionTrack.objects.exists()
