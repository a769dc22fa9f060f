"""The LTI API: admins manage platform registrations; a course's staff read its class lists."""

from __future__ import annotations

import pytest

from momentum.audit.models import AuditLog
from momentum.lti.models import LtiPlatform
from momentum.lti.tests.factories import make_platform
from tests.factories import make_course

pytestmark = pytest.mark.django_db

BODY = {
    "name": "Moodle", "issuer": "https://moodle.school.edu", "client_id": "abc123",
    "auth_login_url": "https://moodle.school.edu/mod/lti/auth.php",
    "auth_token_url": "https://moodle.school.edu/mod/lti/token.php",
    "keyset_url": "https://moodle.school.edu/mod/lti/certs.php", "deployment_ids": ["1"],
}  # fmt: skip


def test_an_admin_registers_a_platform(api_as, admin) -> None:
    response = api_as(admin).post("/admin/lti/platforms", BODY)
    assert response.status_code == 201
    assert response.json()["deployment_ids"] == ["1"]
    assert AuditLog.objects.filter(action="lti.platform_registered").exists()


def test_registering_the_same_issuer_and_client_id_twice_is_a_conflict(api_as, admin) -> None:
    api_as(admin).post("/admin/lti/platforms", BODY)
    response = api_as(admin).post("/admin/lti/platforms", BODY)
    assert response.status_code == 409
    assert response.json()["code"] == "platform_exists"


@pytest.mark.parametrize(
    "change", [{"issuer": "moodle"}, {"keyset_url": "ftp://x/y"}, {"deployment_ids": []}, {"deployment_ids": [" "]}]
)
def test_a_registration_that_cannot_work_is_422(api_as, admin, change) -> None:
    response = api_as(admin).post("/admin/lti/platforms", {**BODY, **change})
    assert response.status_code == 422
    assert not LtiPlatform.objects.exists()


def test_an_admin_replaces_and_removes_a_registration(api_as, admin) -> None:
    platform = make_platform()
    client = api_as(admin)
    assert client.put(f"/admin/lti/platforms/{platform.pk}", {**BODY, "deployment_ids": ["9"]}).json()[
        "deployment_ids"
    ] == ["9"]
    assert client.delete(f"/admin/lti/platforms/{platform.pk}").status_code == 204
    assert client.get(f"/admin/lti/platforms/{platform.pk}").status_code == 404


def test_a_course_without_lti_launches_has_no_class_lists(api_as, admin) -> None:
    course = make_course()
    response = api_as(admin).get(f"/courses/{course.slug}/lti/members")
    assert response.status_code == 200
    assert response.json() == []
