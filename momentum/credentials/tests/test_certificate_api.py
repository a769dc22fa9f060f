"""The certificate operations of the API: a learner's list, the public check, revocation by an admin."""

from __future__ import annotations

from typing import Any

import pytest

from momentum.audit.models import AuditLog
from momentum.credentials.models import Credential
from tests.factories import make_history

pytestmark = pytest.mark.django_db


def test_a_learner_lists_their_certificates_with_every_address(
    api_as: Any, learner: Any, stranger: Any, certificate: Credential, course: Any
) -> None:
    make_history(stranger)

    items = api_as(learner).get("/me/certificates").json()["items"]

    base = f"/certificates/{certificate.id}"
    assert items == [{
        "id": str(certificate.id),
        "course": {"id": course.pk, "slug": "sleep-better", "title": "Sleep Better in Seven Days"},
        "issued_at": items[0]["issued_at"],
        "revoked_at": None,
        "verify_url": f"{_site()}{base}/",
        "pdf_url": f"{_site()}/api/v1{base}/pdf",
        "credential_url": f"{_site()}/api/v1{base}/credential",
        "credential_jwt_url": f"{_site()}/api/v1{base}/credential.jwt",
    }]  # fmt: skip


def _site() -> str:
    from django.conf import settings

    return str(settings.SITE_URL).rstrip("/")


def test_listing_certificates_needs_an_account(api: Any) -> None:
    assert api.get("/me/certificates").status_code == 401


def test_anyone_checks_a_certificate(api: Any, learner: Any, certificate: Credential) -> None:
    response = api.get(f"/certificates/{certificate.id}")

    assert response.status_code == 200
    assert response.json() == {
        "id": str(certificate.id), "status": "valid", "learner_name": "Lee Learner",
        "course_title": "Sleep Better in Seven Days", "issued_at": response.json()["issued_at"], "revoked_at": None,
    }  # fmt: skip


@pytest.mark.parametrize("unknown", ["6f1c2a9e-3b7d-4e55-9a10-2c4d8e6f0b13", "not-a-uuid", "0" * 40])
def test_an_unknown_or_malformed_id_is_not_found(api: Any, unknown: str) -> None:
    response = api.get(f"/certificates/{unknown}")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"


def test_a_badge_credential_is_not_a_certificate(api: Any, learner: Any) -> None:
    history = make_history(learner)

    assert api.get(f"/certificates/{history.badge_credential.id}").status_code == 404


def test_an_admin_revokes_a_certificate_with_a_reason_and_it_is_audited(
    api: Any, api_as: Any, admin: Any, certificate: Credential
) -> None:
    response = api_as(admin).post(f"/certificates/{certificate.id}/revoke", {"reason": "Plagiarised quiz answers"})

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["revoke_reason"], body["kind"]) == (
        "revoked",
        "Plagiarised quiz answers",
        "CERTIFICATE",
    )
    checked = api.get(f"/certificates/{certificate.id}").json()
    assert checked["status"] == "revoked"
    assert checked["revoked_at"] == body["revoked_at"]
    log = AuditLog.objects.get(action="credential.revoked")
    assert (log.actor_id, log.resource_id, log.metadata["reason"]) == (
        admin.pk, str(certificate.id), "Plagiarised quiz answers",
    )  # fmt: skip


def test_revoking_twice_keeps_the_first_revocation(api_as: Any, admin: Any, certificate: Credential) -> None:
    client = api_as(admin)
    first = client.post(f"/certificates/{certificate.id}/revoke", {"reason": "First reason"}).json()

    again = client.post(f"/certificates/{certificate.id}/revoke", {"reason": "Second reason"})

    assert again.status_code == 200
    assert again.json() == first
    assert AuditLog.objects.filter(action="credential.revoked").count() == 1


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}, {"reason": "x" * 1001}, {"reason": 7}])
def test_revoking_needs_a_reason(api_as: Any, admin: Any, certificate: Credential, body: dict[str, Any]) -> None:
    response = api_as(admin).post(f"/certificates/{certificate.id}/revoke", body)

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_only_an_admin_revokes(api: Any, api_as: Any, learner: Any, certificate: Credential) -> None:
    assert api.post(f"/certificates/{certificate.id}/revoke", {"reason": "no"}).status_code == 401
    assert api_as(learner).post(f"/certificates/{certificate.id}/revoke", {"reason": "no"}).status_code == 403
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_revoking_an_unknown_id_is_not_found(api_as: Any, admin: Any) -> None:
    assert api_as(admin).post("/certificates/nope/revoke", {"reason": "x"}).status_code == 404


def test_an_admin_revokes_a_badge_credential_too(api_as: Any, admin: Any, learner: Any) -> None:
    history = make_history(learner)

    response = api_as(admin).post(f"/certificates/{history.badge_credential.id}/revoke", {"reason": "Awarded in error"})

    assert (response.status_code, response.json()["kind"], response.json()["status"]) == (200, "BADGE", "revoked")


def test_my_badges_link_each_award_to_its_credential(api_as: Any, learner: Any) -> None:
    history = make_history(learner)

    [item] = api_as(learner).get("/me/badges").json()["items"]

    assert item["credential_url"] == f"{_site()}/api/v1/badge-credentials/{history.badge_credential.id}/credential"
    assert item["credential_image_url"] == f"{_site()}/api/v1/badge-credentials/{history.badge_credential.id}/image.png"


def test_an_erased_learners_certificate_is_not_found(
    api: Any, api_as: Any, learner: Any, certificate: Credential
) -> None:
    assert api_as(learner).delete("/me", {"password": "correct-horse-42"}).status_code == 204

    assert api.get(f"/certificates/{certificate.id}").status_code == 404
    erased = Credential.objects.get(pk=certificate.pk)
    assert erased.revoked_at is not None
    assert erased.erased_at is not None
    assert erased.enrollment is None


def test_the_export_holds_the_learners_certificates(api_as: Any, learner: Any, certificate: Credential) -> None:
    data = api_as(learner).get("/me/export").json()

    assert [(c["id"], c["course"]["slug"]) for c in data["certificates"]] == [(str(certificate.id), "sleep-better")]
