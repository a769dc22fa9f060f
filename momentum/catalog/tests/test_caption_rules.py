"""The database holds the caption rules by itself (SQLite and PostgreSQL alike): one track per
lesson and language, a known source, a language tag's shape, WebVTT text."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DataError, IntegrityError, transaction

from momentum.catalog.models import CaptionTrack, Lesson
from tests.factories import make_course

pytestmark = pytest.mark.django_db

VTT = "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nHi.\n"


@pytest.fixture
def lesson(db: None) -> Lesson:
    return make_course("Rules of captions", duration_days=7).lessons.get(day=1)


def _refused(**fields: Any) -> bool:
    try:
        with transaction.atomic():
            CaptionTrack.objects.bulk_create([CaptionTrack(**fields)])  # no model validation: the database decides
    except (IntegrityError, DataError):  # PostgreSQL refuses an over-long value by its column type
        return True
    return False


def test_a_lesson_has_one_track_per_language(lesson: Lesson) -> None:
    CaptionTrack.objects.create(lesson=lesson, language="en", vtt=VTT)

    assert _refused(lesson=lesson, language="en", vtt=VTT)
    assert not _refused(lesson=lesson, language="es", vtt=VTT)


@pytest.mark.parametrize("language", ["", "e", "en us", "en_US", "-en", "en-", "en--us", "x" * 36])
def test_a_language_that_is_not_shaped_like_a_tag_is_refused(lesson: Lesson, language: str) -> None:
    assert _refused(lesson=lesson, language=language, vtt=VTT)


def test_an_unknown_source_is_refused(lesson: Lesson) -> None:
    assert _refused(lesson=lesson, language="en", vtt=VTT, source="SCRAPED")


def test_text_that_is_not_webvtt_is_refused(lesson: Lesson) -> None:
    assert _refused(lesson=lesson, language="en", vtt="1\n00:00:00,000 --> 00:00:01,000\nHi.\n")


def test_deleting_a_lesson_deletes_its_captions(lesson: Lesson) -> None:
    CaptionTrack.objects.create(lesson=lesson, language="en", vtt=VTT)

    Lesson.objects.filter(pk=lesson.pk).delete()

    assert not CaptionTrack.objects.exists()
