"""Admins register, change and remove LTI platforms in the studio; every change is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from momentum.audit.models import AuditLog
from momentum.lti.models import LtiDeployment, LtiPlatform
from momentum.lti.tests.factories import make_platform
from tests.factories import signed_in_client

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Canvas", "issuer": "https://canvas.instructure.com", "client_id": "10000000000001",
    "auth_login_url": "https://sso.canvaslms.com/api/lti/authorize_redirect",
    "auth_token_url": "https://sso.canvaslms.com/login/oauth2/token",
    "keyset_url": "https://sso.canvaslms.com/api/lti/security/jwks", "auth_audience": "",
    "deployment_ids": "1:abc\n2:def\n",
}  # fmt: skip


def test_it_registers_a_platform_with_its_deployments(admin) -> None:
    response = signed_in_client(admin).post(reverse("lti:studio_platform_new"), FORM)
    assert response.status_code == 302
    platform = LtiPlatform.objects.get()
    assert sorted(LtiDeployment.objects.values_list("deployment_id", flat=True)) == ["1:abc", "2:def"]
    assert AuditLog.objects.filter(action="lti.platform_registered", resource_id=str(platform.pk)).exists()


def test_it_says_so_when_the_issuer_and_client_id_are_registered_already(admin) -> None:
    make_platform(issuer=FORM["issuer"], client_id=FORM["client_id"])
    response = signed_in_client(admin).post(reverse("lti:studio_platform_new"), FORM)
    assert response.status_code == 422
    assert LtiPlatform.objects.count() == 1


def test_it_refuses_a_platform_without_deployment_ids(admin) -> None:
    response = signed_in_client(admin).post(reverse("lti:studio_platform_new"), {**FORM, "deployment_ids": " \n"})
    assert response.status_code == 422
    assert "at least one deployment ID" in response.content.decode()


def test_it_changes_the_deployments_and_removes_a_platform(admin) -> None:
    platform = make_platform()
    LtiDeployment.objects.create(platform=platform, deployment_id="old")
    client = signed_in_client(admin)
    client.post(reverse("lti:studio_platform_edit", args=[platform.pk]), {**FORM, "deployment_ids": "new"})
    assert list(platform.deployments.values_list("deployment_id", flat=True)) == ["new"]
    client.post(reverse("lti:studio_platform_delete", args=[platform.pk]))
    assert not LtiPlatform.objects.exists()
    assert AuditLog.objects.filter(action="lti.platform_deleted").exists()


def test_the_list_shows_the_urls_to_give_the_platform(admin) -> None:
    page = signed_in_client(admin).get(reverse("lti:studio_platforms")).content.decode()
    assert "/lti/login/" in page
    assert "/lti/jwks/" in page


def test_a_learner_may_not_register_a_platform(learner) -> None:
    assert signed_in_client(learner).post(reverse("lti:studio_platform_new"), FORM).status_code == 403
    assert not LtiPlatform.objects.exists()
