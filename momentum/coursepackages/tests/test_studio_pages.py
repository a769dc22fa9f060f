"""The studio's Export button and Import form."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from momentum.accounts.models import User
from momentum.catalog.models import Course

pytestmark = pytest.mark.django_db


def browser(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_course_page_offers_the_export_and_it_downloads_the_package(full_course: Course, instructor: User) -> None:
    client = browser(instructor)

    page = client.get(f"/studio/courses/{full_course.pk}/").content.decode()
    response = client.get(f"/studio/courses/{full_course.pk}/export/")

    assert f'href="/studio/courses/{full_course.pk}/export/"' in page
    assert response.status_code == 200
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    with zipfile.ZipFile(io.BytesIO(body)) as package:
        assert {"imsmanifest.xml", "momentum.json"} <= set(package.namelist())


def test_importing_from_the_studio_opens_the_new_draft(full_course: Course, instructor: User) -> None:
    client = browser(instructor)
    data = b"".join(client.get(f"/studio/courses/{full_course.pk}/export/").streaming_content)  # type: ignore[attr-defined]

    response = client.post("/studio/courses/import/", {"file": SimpleUploadedFile("course.zip", data)})

    copy = Course.objects.exclude(pk=full_course.pk).get(title=full_course.title)
    assert response.status_code == 302
    assert response["Location"] == f"/studio/courses/{copy.pk}/"
    assert "Imported" in client.get(response["Location"]).content.decode()


def test_a_bad_package_says_why_on_the_page(instructor: User) -> None:
    response = browser(instructor).post("/studio/courses/import/", {"file": SimpleUploadedFile("x.zip", b"nope")})

    assert response.status_code == 422
    assert "not a zip archive" in response.content.decode()
