"""GET /courses/{course}/export then POST /courses/import: Momentum's own package comes back whole."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.test.client import MULTIPART_CONTENT as MULTIPART
from PIL import Image

from momentum.accounts.models import User
from momentum.assessments.queries import quiz_specs_of
from momentum.audit.models import AuditLog
from momentum.catalog.models import Course
from momentum.coursepackages.tests.conftest import MP4, upload

pytestmark = pytest.mark.django_db


def export(client: Any, course: str) -> bytes:
    response = client.get(f"/courses/{course}/export")
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def import_(client: Any, data: bytes, **fields: str) -> Any:
    return client.post("/courses/import", {"file": upload(data), **fields}, content_type=MULTIPART)


def pixels(png: bytes) -> tuple[Any, ...]:
    with Image.open(io.BytesIO(png)) as image:
        return (image.size, image.convert("RGB").tobytes())


def content(package: bytes) -> dict[str, Any]:
    """What a package says about its course, leaving out when it was made. The thumbnail by its
    pixels: an imported image is re-encoded (never stored as uploaded), the picture is the same."""
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        data = json.loads(archive.read("momentum.json"))
        files: dict[str, Any] = {name: archive.read(name) for name in archive.namelist()
                                 if name.startswith(("media/", "captions/", "lessons/", "assessments/"))}  # fmt: skip
    data.pop("exported_at")
    files["media/thumbnail.png"] = pixels(files["media/thumbnail.png"])
    return {"momentum.json": data, "files": files}


def test_export_import_export_gives_the_same_course(full_course: Course, instructor: User, api_as) -> None:
    # given
    client = api_as(instructor)
    first = export(client, full_course.slug)

    # when
    response = import_(client, first)
    second = export(client, response.json()["slug"])

    # then
    assert response.status_code == 201, response.content
    assert content(second) == content(first)
    copy = Course.objects.get(pk=response.json()["id"])
    assert (copy.status, copy.owner, copy.is_premium, copy.price_cents) == ("DRAFT", instructor, True, 1900)
    assert response.json()["format"] == "momentum"
    assert response.json()["warnings"] == []


def test_the_imported_quizzes_are_identical_answers_and_explanations_included(
    full_course: Course, instructor: User, api_as
) -> None:
    client = api_as(instructor)

    copy = Course.objects.get(pk=import_(client, export(client, full_course.slug)).json()["id"])

    original = quiz_specs_of(list(full_course.lessons.order_by("day")))
    copied = quiz_specs_of(list(copy.lessons.order_by("day")))
    by_day = {lesson.pk: lesson.day for lesson in [*full_course.lessons.all(), *copy.lessons.all()]}
    assert {by_day[pk]: spec for pk, spec in copied.items()} == {by_day[pk]: spec for pk, spec in original.items()}


def test_the_media_come_back_byte_for_byte(full_course: Course, instructor: User, api_as) -> None:
    client = api_as(instructor)

    copy = Course.objects.get(pk=import_(client, export(client, full_course.slug)).json()["id"])

    day1 = copy.lessons.get(day=1)
    with day1.video.open("rb") as video:
        assert video.read() == MP4
    with copy.thumbnail.open("rb") as thumbnail, full_course.thumbnail.open("rb") as original:
        assert pixels(thumbnail.read()) == pixels(original.read())
    assert {track.language: track.source for track in day1.captions.all()} == {"en": "UPLOADED", "es": "GENERATED"}


def test_export_and_import_are_audited(full_course: Course, instructor: User, api_as) -> None:
    client = api_as(instructor)

    new_id = import_(client, export(client, full_course.slug)).json()["id"]

    assert AuditLog.objects.filter(action="course.exported", resource_id=str(full_course.pk), actor=instructor).exists()
    assert AuditLog.objects.filter(action="course.imported", resource_id=str(new_id), actor=instructor).exists()


def test_an_import_may_choose_the_category(full_course: Course, instructor: User, api_as) -> None:
    client = api_as(instructor)

    response = import_(client, export(client, full_course.slug), category="business")

    assert Course.objects.get(pk=response.json()["id"]).category.slug == "business"


def test_an_unknown_category_is_a_field_error(full_course: Course, instructor: User, api_as) -> None:
    client = api_as(instructor)

    response = import_(client, export(client, full_course.slug), category="no-such-category")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "category"


def test_a_course_without_thumbnail_comes_back_without_one(instructor: User, api_as) -> None:
    from tests.factories import make_course

    course = make_course("Bare course", status="DRAFT")
    Course.objects.filter(pk=course.pk).update(owner=instructor, thumbnail="")
    client = api_as(instructor)

    copy = Course.objects.get(pk=import_(client, export(client, course.slug)).json()["id"])

    assert not copy.thumbnail
