"""Shared set-up of the course package tests: a course with everything a package carries."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from momentum.accounts.models import Role, User
from momentum.assessments.actions import do_put_quiz
from momentum.assessments.specs import OptionSpec, QuestionKind, QuestionSpec, QuizSpec
from momentum.catalog.actions import do_put_caption_track, do_set_thumbnail
from momentum.catalog.models import CaptionSource, Course, Lesson
from tests.factories import make_course, make_user

MP4 = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + bytes(range(256)) * 64
VTT_EN = "WEBVTT\n\n00:00:00.500 --> 00:00:03.000\nWelcome to day one.\n"
VTT_ES = "WEBVTT\n\n00:00:00.500 --> 00:00:03.000\nBienvenidos al primer día.\n"

QUIZ = QuizSpec(
    questions=(
        QuestionSpec(QuestionKind.SINGLE, "Which gas do plants take in?", "They fix carbon from CO2.",
                     (OptionSpec("Oxygen", False), OptionSpec("Carbon dioxide", True), OptionSpec("Helium", False))),
        QuestionSpec(QuestionKind.MULTIPLE, "Which are primary colours of light?", "Red, green and blue.",
                     (OptionSpec("Red", True), OptionSpec("Green", True), OptionSpec("Yellow", False))),
        QuestionSpec(QuestionKind.TRUE_FALSE, "Water boils at 100 °C at sea level.", "",
                     (OptionSpec("True", True), OptionSpec("False", False))),
        QuestionSpec(QuestionKind.SHORT_TEXT, "The chemical symbol of gold?", "From Latin aurum.",
                     accepted_answers=("Au", "au.")),
    ),
    pass_percent=80,
    max_attempts=3,
)  # fmt: skip


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 36), "#3355ff").save(buffer, format="PNG")
    return buffer.getvalue()


def upload(data: bytes, name: str = "course.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/zip")


def zip_of(files: dict[str, bytes | str], **infos: Any) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture
def instructor(db: None) -> User:
    return make_user("ines.instructor@example.com", role=Role.INSTRUCTOR)


@pytest.fixture
def full_course(instructor: User) -> Course:
    """A 7-day course owned by the instructor: thumbnail, a video on day 1, captions in two
    languages, an external video on day 2, a quiz of every kind on day 1, a generated day 3."""
    course = make_course("Everyday science", slug="everyday-science", is_premium=True, price_cents=1900)
    Course.objects.filter(pk=course.pk).update(owner=instructor, metadata={"audience": "curious adults"})
    course.refresh_from_db()
    do_set_thumbnail(course, png_bytes())
    day1 = course.lessons.get(day=1)
    day1.video.save("everyday-day-1.mp4", ContentFile(MP4), save=True)
    do_put_caption_track(day1, language="en", vtt=VTT_EN)
    do_put_caption_track(day1, language="es", vtt=VTT_ES, source=CaptionSource.GENERATED)
    Lesson.objects.filter(course=course, day=2).update(video_url="https://video.example.org/watch/42")
    Lesson.objects.filter(course=course, day=3).update(needs_review=True)
    do_put_quiz(None, day1, QUIZ)
    do_put_quiz(None, course.lessons.get(day=2), QuizSpec(questions=QUIZ.questions[2:3]), needs_review=True)
    return course
