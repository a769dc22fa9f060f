"""GET /courses/{course}/export: the zip reads as an IMS Common Cartridge 1.3 with QTI 1.2 quizzes."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.test.client import MULTIPART_CONTENT as MULTIPART
from lxml import etree

from momentum.accounts.models import Role, User
from momentum.assessments.queries import quiz_specs_of
from momentum.catalog.models import Course
from momentum.coursepackages.tests.conftest import upload
from tests.factories import make_user

pytestmark = pytest.mark.django_db

CP = "http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1"
QTI = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
NS = {"cp": CP, "qti": QTI, "lom": "http://ltsc.ieee.org/xsd/imsccv1p3/LOM/manifest"}


@pytest.fixture
def package(full_course: Course, instructor: User, api_as) -> zipfile.ZipFile:
    response = api_as(instructor).get(f"/courses/{full_course.slug}/export")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="everyday-science.imscc.zip"'
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def xml(package: zipfile.ZipFile, name: str) -> Any:
    return etree.fromstring(package.read(name))


def test_the_manifest_is_a_common_cartridge_1_3(package: zipfile.ZipFile) -> None:
    manifest = xml(package, "imsmanifest.xml")

    assert manifest.tag == f"{{{CP}}}manifest"
    assert manifest.findtext("cp:metadata/cp:schema", namespaces=NS) == "IMS Common Cartridge"
    assert manifest.findtext("cp:metadata/cp:schemaversion", namespaces=NS) == "1.3.0"
    assert manifest.findtext("cp:metadata/lom:lom/lom:general/lom:title/lom:string", namespaces=NS) == (
        "Everyday science"
    )


def test_the_organization_has_one_item_per_day_and_every_reference_resolves(package: zipfile.ZipFile) -> None:
    manifest = xml(package, "imsmanifest.xml")

    days = manifest.findall("cp:organizations/cp:organization/cp:item/cp:item", NS)
    resources = {resource.get("identifier"): resource for resource in manifest.iterfind(".//cp:resource", NS)}
    references = [item.get("identifierref") for item in manifest.iterfind(".//cp:item[@identifierref]", NS)]
    files = [file.get("href") for file in manifest.iterfind(".//cp:file", NS)]
    assert [day.findtext("cp:title", namespaces=NS) for day in days][:2] == [
        "Day 1: Everyday science: day 1", "Day 2: Everyday science: day 2",
    ]  # fmt: skip
    assert len(days) == 7
    assert all(reference in resources for reference in references)
    assert set(files) <= set(package.namelist())
    assert resources["res_day-01_quiz"].get("type") == "imsqti_xmlv1p2/imscc_xmlv1p3/assessment"
    assert resources["res_day-01_page"].get("type") == "webcontent"


def test_captions_and_video_travel_with_the_lesson_page(package: zipfile.ZipFile) -> None:
    manifest = xml(package, "imsmanifest.xml")

    page = manifest.find(".//cp:resource[@identifier='res_day-01_page']", NS)
    assert [file.get("href") for file in page.iterfind("cp:file", NS)] == [
        "lessons/day-01.html", "media/day-01.mp4", "captions/day-01.en.vtt", "captions/day-01.es.vtt",
    ]  # fmt: skip
    html = package.read("lessons/day-01.html").decode()
    assert '<track kind="captions" srclang="es" src="../captions/day-01.es.vtt"/>' in html


def test_lesson_pages_are_sanitised(package: zipfile.ZipFile) -> None:
    html = package.read("lessons/day-01.html").decode()

    assert "<strong>practise</strong>" in html
    assert "<script>" not in html


def test_each_question_kind_carries_its_common_cartridge_profile(package: zipfile.ZipFile) -> None:
    quiz = xml(package, "assessments/day-01/assessment.xml")

    profiles = [
        item.findtext("qti:itemmetadata/qti:qtimetadata/qti:qtimetadatafield[qti:fieldlabel='cc_profile']/qti:fieldentry",
                      namespaces=NS)
        for item in quiz.iterfind(".//qti:item", NS)
    ]  # fmt: skip
    assert quiz.tag == f"{{{QTI}}}questestinterop"
    assert profiles == ["cc.multiple_choice.v0p1", "cc.multiple_response.v0p1", "cc.true_false.v0p1", "cc.fib.v0p1"]
    attempts = quiz.findtext(".//qti:assessment/qti:qtimetadata/qti:qtimetadatafield[qti:fieldlabel='cc_maxattempts']"
                             "/qti:fieldentry", namespaces=NS)  # fmt: skip
    assert attempts == "3"


def test_the_answer_key_is_in_the_scoring_condition(package: zipfile.ZipFile) -> None:
    quiz = xml(package, "assessments/day-01/assessment.xml")

    single, multiple, _, fill_in = quiz.iterfind(".//qti:item", NS)
    right = single.findtext(".//qti:respcondition/qti:conditionvar/qti:varequal", namespaces=NS)
    label = single.find(f".//qti:response_label[@ident='{right}']", NS)
    assert label.findtext(".//qti:mattext", namespaces=NS) == "Carbon dioxide"
    assert len(multiple.findall(".//qti:conditionvar/qti:and/qti:not/qti:varequal", NS)) == 1
    assert [value.text for value in fill_in.iterfind(".//qti:conditionvar/qti:or/qti:varequal", NS)] == ["Au", "au."]
    assert single.findtext(".//qti:itemfeedback[@ident='general_fb']//qti:mattext", namespaces=NS) == (
        "They fix carbon from CO2."
    )


def test_the_cartridge_alone_imports_as_a_common_cartridge(
    package: zipfile.ZipFile, full_course: Course, instructor: User, api_as
) -> None:
    """Without momentum.json, another LMS's view of the export: the same days and quizzes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as stripped:
        for name in package.namelist():
            if name != "momentum.json":
                stripped.writestr(name, package.read(name))

    body = api_as(instructor).post("/courses/import", {"file": upload(buffer.getvalue())}, content_type=MULTIPART)

    copy = Course.objects.get(pk=body.json()["id"])
    assert body.json()["format"] == "common_cartridge"
    assert copy.lessons.count() == 7
    original = quiz_specs_of(list(full_course.lessons.order_by("day")))
    copied = quiz_specs_of(list(copy.lessons.order_by("day")))
    assert [spec.questions for spec, _ in copied.values()] == [spec.questions for spec, _ in original.values()]


def test_another_instructor_cannot_export_the_course(full_course: Course, api_as) -> None:
    intruder = make_user("ivan.intruder@example.com", role=Role.INSTRUCTOR)

    response = api_as(intruder).get(f"/courses/{full_course.slug}/export")

    assert response.status_code == 403
    assert response.json()["code"] == "not_course_owner"
