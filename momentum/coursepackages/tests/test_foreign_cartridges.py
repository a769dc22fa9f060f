"""POST /courses/import with a Common Cartridge made by another LMS: the fixtures under
cartridges/ were written by hand from the specification's examples, one in the layout Canvas
exports (CC 1.1), one in Moodle's (CC 1.3, xml:base folders); each is zipped as it lies."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test.client import MULTIPART_CONTENT as MULTIPART

from momentum.accounts.models import User
from momentum.assessments.queries import quiz_specs_of
from momentum.assessments.specs import OptionSpec, QuestionKind, QuestionSpec
from momentum.catalog.models import Course
from momentum.coursepackages.tests.conftest import upload

pytestmark = pytest.mark.django_db

CARTRIDGES = Path(__file__).parent / "cartridges"


def cartridge(name: str) -> bytes:
    folder = CARTRIDGES / name
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


@pytest.fixture(scope="module")
def canvas() -> bytes:
    return cartridge("canvas")


@pytest.fixture(scope="module")
def moodle() -> bytes:
    return cartridge("moodle")


def import_(user: User, api_as: Any, data: bytes) -> Any:
    return api_as(user).post("/courses/import", {"file": upload(data, "export.imscc")}, content_type=MULTIPART)


def quizzes(course: Course) -> dict[int, Any]:
    lessons = list(course.lessons.order_by("day"))
    days = {lesson.pk: lesson.day for lesson in lessons}
    return {days[pk]: spec for pk, (spec, _) in quiz_specs_of(lessons).items()}


def test_a_canvas_cartridge_becomes_a_draft_with_a_lesson_per_module(instructor: User, api_as, canvas) -> None:
    response = import_(instructor, api_as, canvas)

    assert response.status_code == 201, response.content
    body = response.json()
    course = Course.objects.get(pk=body["id"])
    assert (body["format"], course.status, course.owner) == ("common_cartridge", "DRAFT", instructor)
    assert (course.title, course.description) == ("Plant Biology 101", "How plants make food, drink water and grow.")
    assert course.duration_days == 7
    assert list(course.lessons.order_by("day").values_list("day", "title")) == [
        (1, "Week 1: Welcome"), (2, "Week 2: Photosynthesis"),
    ]  # fmt: skip


def test_canvas_pages_and_links_become_sanitised_lesson_text(instructor: User, api_as, canvas) -> None:
    course = Course.objects.get(pk=import_(instructor, api_as, canvas).json()["id"])

    welcome = course.lessons.get(day=1).content_markdown
    photosynthesis = course.lessons.get(day=2).content_markdown
    assert "**how plants live**" in welcome
    assert "[overview of plants](https://en.wikipedia.org/wiki/Plant)" in welcome
    assert "- Week 2: photosynthesis" in welcome
    assert "[Botanical glossary](https://www.example.org/botany/glossary)" in welcome
    assert "alert" not in welcome
    assert "*light*" in photosynthesis
    assert "| CO2 + water | sugar + O2 |" in photosynthesis
    assert "IMS-CC-FILEBASE" not in photosynthesis


def test_a_canvas_quiz_keeps_its_answers_and_skips_an_essay_with_a_warning(instructor: User, api_as, canvas) -> None:
    body = import_(instructor, api_as, canvas).json()

    spec = quizzes(Course.objects.get(pk=body["id"]))[2]
    assert spec.max_attempts == 2
    assert spec.questions == (
        QuestionSpec(QuestionKind.SINGLE, "Which gas do plants **release**?", "Oxygen leaves through the stomata.",
                     (OptionSpec("Oxygen", True), OptionSpec("Nitrogen", False), OptionSpec("Argon", False))),
        QuestionSpec(QuestionKind.MULTIPLE, "What does photosynthesis need?", "",
                     (OptionSpec("Light", True), OptionSpec("Water", True), OptionSpec("Salt", False))),
    )  # fmt: skip
    warnings = "\n".join(body["warnings"])
    assert "cc.essay.v0p1" in warnings
    assert "imsdt_xmlv1p1" in warnings  # the discussion topic


def test_a_moodle_cartridge_imports_its_topics_pages_links_and_quiz(instructor: User, api_as, moodle) -> None:
    response = import_(instructor, api_as, moodle)

    assert response.status_code == 201, response.content
    course = Course.objects.get(pk=response.json()["id"])
    assert course.title == "Introduction to Astronomy"
    assert list(course.lessons.order_by("day").values_list("title", flat=True)) == [
        "Topic 1: The night sky", "Topic 2: Telescopes", "Topic 3: Check your knowledge",
    ]  # fmt: skip
    sky = course.lessons.get(day=1).content_markdown
    assert "**Pole Star**" in sky
    assert "1. Face north." in sky
    assert "steal" not in sky
    assert "[How telescopes work (video)](https://videos.example.org/telescopes)" in (
        course.lessons.get(day=2).content_markdown
    )


def test_a_moodle_quiz_keeps_true_false_and_fill_in_the_blank(instructor: User, api_as, moodle) -> None:
    body = import_(instructor, api_as, moodle).json()

    spec = quizzes(Course.objects.get(pk=body["id"]))[3]
    assert spec.max_attempts is None
    assert spec.questions == (
        QuestionSpec(QuestionKind.TRUE_FALSE, "The Sun is a star.", "It is a G-type main-sequence star.",
                     (OptionSpec("True", True), OptionSpec("False", False))),
        QuestionSpec(QuestionKind.SHORT_TEXT, "Which planet is closest to the Sun?", "",
                     accepted_answers=("Mercury", "Planet Mercury")),
    )  # fmt: skip


def test_what_moodle_has_and_momentum_does_not_is_listed_as_skipped(instructor: User, api_as, moodle) -> None:
    warnings = "\n".join(import_(instructor, api_as, moodle).json()["warnings"])

    assert "cc.pattern_match.v0p1" in warnings
    assert "single-choice question needs exactly one right option" in warnings
    assert "imsbasiclti_xmlv1p0" in warnings
    assert "star-chart.pdf" in warnings


def test_imported_quizzes_wait_for_review_before_publishing(instructor: User, api_as, moodle) -> None:
    course = Course.objects.get(pk=import_(instructor, api_as, moodle).json()["id"])

    assert course.lessons.get(day=3).quiz.needs_review
