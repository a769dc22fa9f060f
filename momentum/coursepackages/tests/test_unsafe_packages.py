"""POST /courses/import refuses what it cannot read or must not trust: 422 ``invalid_package`` with
the reason in ``errors[0].rule`` (413 past the size limit), and no course, lesson or file is left."""

from __future__ import annotations

import io
import json
import os
import stat
import zipfile
from typing import Any

import pytest
from django.test.client import MULTIPART_CONTENT as MULTIPART

from momentum.accounts.models import User
from momentum.catalog.models import Course
from momentum.coursepackages.tests.conftest import upload, zip_of

pytestmark = pytest.mark.django_db

MANIFEST = """<?xml version="1.0"?>
<manifest identifier="m" xmlns="http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1">
  <organizations><organization identifier="o"><item identifier="r">
    <item identifier="d1"><title>Day</title><item identifier="l1" identifierref="p1"><title>Page</title></item></item>
  </item></organization></organizations>
  <resources>
    <resource identifier="p1" type="webcontent" href="page.html"><file href="page.html"/></resource>
  </resources>
</manifest>"""


def refusal(user: User, api_as: Any, data: bytes, status: int = 422) -> dict[str, Any]:
    courses = Course.objects.count()
    response = api_as(user).post("/courses/import", {"file": upload(data)}, content_type=MULTIPART)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    assert Course.objects.count() == courses
    return dict(response.json())


def rule(body: dict[str, Any]) -> str:
    assert body["code"] == "invalid_package", body
    return str(body["errors"][0]["rule"])


def test_a_file_that_is_not_a_zip_is_refused(instructor: User, api_as) -> None:
    assert rule(refusal(instructor, api_as, b"%PDF-1.4 not a zip")) == "not_zip"


def test_a_zip_without_a_manifest_is_refused(instructor: User, api_as) -> None:
    body = refusal(instructor, api_as, zip_of({"readme.txt": "hello"}))

    assert rule(body) == "no_manifest"
    assert "imsmanifest.xml" in body["detail"]


def test_a_manifest_that_is_not_xml_is_refused(instructor: User, api_as) -> None:
    body = refusal(instructor, api_as, zip_of({"imsmanifest.xml": "<manifest><unclosed></manifest>"}))

    assert rule(body) == "bad_xml"


def test_an_entity_expansion_bomb_is_refused(instructor: User, api_as) -> None:
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><manifest>&lol2;</manifest>'
    )

    assert rule(refusal(instructor, api_as, zip_of({"imsmanifest.xml": laughs}))) == "xml_doctype"


def test_an_external_entity_is_refused_and_never_read(instructor: User, api_as) -> None:
    xxe = '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY x SYSTEM "file:///etc/passwd">]><manifest>&x;</manifest>'

    body = refusal(instructor, api_as, zip_of({"imsmanifest.xml": xxe}))

    assert rule(body) == "xml_doctype"
    assert "root:" not in json.dumps(body)


@pytest.mark.parametrize("name", ["../evil.html", "/etc/evil.html", "lessons/../../evil.html", "C:/evil.html",
                                  "lessons\\..\\evil.html"])  # fmt: skip
def test_a_member_whose_path_leaves_the_package_is_refused(instructor: User, api_as, name: str) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("imsmanifest.xml", MANIFEST)
        archive.writestr(zipfile.ZipInfo(name), "<p>escape</p>")

    assert rule(refusal(instructor, api_as, buffer.getvalue())) == "unsafe_path"


def test_a_symbolic_link_is_refused(instructor: User, api_as) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("imsmanifest.xml", MANIFEST)
        link = zipfile.ZipInfo("page.html")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")

    assert rule(refusal(instructor, api_as, buffer.getvalue())) == "symlink"


def test_a_member_that_unpacks_far_past_its_packed_size_is_a_zip_bomb(instructor: User, api_as) -> None:
    bomb = zip_of({"imsmanifest.xml": MANIFEST, "page.html": b"\0" * (8 * 1024 * 1024)})

    assert len(bomb) < 64 * 1024
    assert rule(refusal(instructor, api_as, bomb)) == "zip_bomb"


def test_a_package_past_the_unpacked_size_limit_is_a_zip_bomb(instructor: User, api_as, settings) -> None:
    settings.MAX_COURSE_PACKAGE_UNPACKED_BYTES = 4096
    data = zip_of({"imsmanifest.xml": MANIFEST, "page.html": "<p>" + "Plants grow. " * 400 + "</p>"})

    assert rule(refusal(instructor, api_as, data)) == "zip_bomb"


def test_a_package_with_too_many_members_is_refused(instructor: User, api_as, monkeypatch) -> None:
    monkeypatch.setattr("momentum.coursepackages.archive.MAX_MEMBERS", 3)
    data = zip_of({"imsmanifest.xml": MANIFEST, **{f"extra/{n}.txt": "x" for n in range(3)}})

    assert rule(refusal(instructor, api_as, data)) == "too_many_files"


def test_an_upload_past_the_package_size_limit_is_413(instructor: User, api_as, settings) -> None:
    settings.MAX_COURSE_PACKAGE_BYTES = 2048
    data = zip_of({"imsmanifest.xml": MANIFEST, "media/noise.bin": os.urandom(4096)})

    body = refusal(instructor, api_as, data, status=413)

    assert body["code"] == "payload_too_large"


def test_a_momentum_package_that_breaks_a_rule_is_refused_whole(instructor: User, api_as) -> None:
    package = {
        "format": "momentum-course-package", "version": 1,
        "course": {"title": "Broken", "duration_days": 7},
        "lessons": [{"day": 1, "title": "One", "quiz": {"pass_percent": 70, "questions": [
            {"kind": "single", "prompt": "Two right?", "options": [{"text": "A", "correct": True},
                                                                   {"text": "B", "correct": True}]}]}}],
    }  # fmt: skip

    body = refusal(instructor, api_as, zip_of({"momentum.json": json.dumps(package)}))

    assert rule(body) == "bad_quiz"
    assert "day 1" in body["detail"]


def test_a_momentum_package_from_a_newer_version_is_refused(instructor: User, api_as) -> None:
    package = {"format": "momentum-course-package", "version": 99, "course": {"title": "Later", "duration_days": 7}}

    assert rule(refusal(instructor, api_as, zip_of({"momentum.json": json.dumps(package)}))) == "version"


def test_a_momentum_package_naming_a_missing_video_is_refused(instructor: User, api_as) -> None:
    package = {"format": "momentum-course-package", "version": 1, "course": {"title": "Gap", "duration_days": 7},
               "lessons": [{"day": 1, "title": "One", "video": "media/day-01.mp4"}]}  # fmt: skip

    assert rule(refusal(instructor, api_as, zip_of({"momentum.json": json.dumps(package)}))) == "missing_file"


def test_a_video_that_is_not_a_video_is_refused(instructor: User, api_as) -> None:
    package = {"format": "momentum-course-package", "version": 1, "course": {"title": "Fake", "duration_days": 7},
               "lessons": [{"day": 1, "title": "One", "video": "media/day-01.mp4"}]}  # fmt: skip
    data = zip_of({"momentum.json": json.dumps(package), "media/day-01.mp4": b"#!/bin/sh\nrm -rf /\n"})

    assert rule(refusal(instructor, api_as, data)) == "bad_media"


def test_a_learner_may_not_import(learner: User, api_as) -> None:
    response = api_as(learner).post("/courses/import", {"file": upload(zip_of({"a": "b"}))}, content_type=MULTIPART)

    assert response.status_code == 403
