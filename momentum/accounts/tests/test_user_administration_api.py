"""User administration through the API: find people, change roles, turn accounts off."""

from __future__ import annotations

import pytest

from momentum.accounts.models import RefreshToken, Role, User
from momentum.audit.models import AuditLog

pytestmark = pytest.mark.django_db


def test_an_admin_lists_users_newest_first_with_a_page_count(admin, learner, premium_learner, api_as) -> None:
    response = api_as(admin).get("/admin/users", {"page_size": 2})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert body["page"] == 1
    assert body["page_size"] == 2
    assert [item["email"] for item in body["items"]] == [premium_learner.email, learner.email]


def test_users_are_found_by_part_of_their_email_or_name(admin, learner, premium_learner, api_as) -> None:
    by_name = api_as(admin).get("/admin/users", {"q": "pia"}).json()
    by_email = api_as(admin).get("/admin/users", {"q": "lee.learner@"}).json()

    assert [item["email"] for item in by_name["items"]] == [premium_learner.email]
    assert [item["email"] for item in by_email["items"]] == [learner.email]


def test_users_are_filtered_by_role(admin, learner, premium_learner, api_as) -> None:
    body = api_as(admin).get("/admin/users", {"role": "PREMIUM"}).json()
    assert [item["role"] for item in body["items"]] == ["PREMIUM"]


def test_a_page_size_over_100_is_refused_naming_the_field(admin, api_as) -> None:
    response = api_as(admin).get("/admin/users", {"page_size": 101})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "page_size"
    assert response.json()["errors"][0]["rule"] == "less_than_equal"


def test_an_unknown_role_filter_is_refused(admin, api_as) -> None:
    response = api_as(admin).get("/admin/users", {"role": "OWNER"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "role"


def test_learners_may_not_list_users(learner, api_as) -> None:
    assert api_as(learner).get("/admin/users").status_code == 403


def test_an_admin_makes_a_learner_premium_and_the_change_is_audited(admin, learner, api_as) -> None:
    response = api_as(admin).patch(f"/admin/users/{learner.pk}", {"role": "PREMIUM"})

    assert response.status_code == 200
    assert response.json()["role"] == "PREMIUM"
    learner.refresh_from_db()
    assert learner.role == Role.PREMIUM
    audit = AuditLog.objects.get(action="account.role_changed")
    assert audit.actor == admin
    assert audit.subject == learner
    assert audit.metadata["from"] == "FREE"
    assert audit.metadata["to"] == "PREMIUM"


def test_a_deactivated_account_cannot_use_its_tokens(admin, learner, api_as) -> None:
    RefreshToken.objects.create(
        user=learner, token_hash="a" * 64, expires_at=learner.created_at.replace(year=learner.created_at.year + 1)
    )
    client_of_learner = api_as(learner)

    response = api_as(admin).patch(f"/admin/users/{learner.pk}", {"is_active": False})

    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert RefreshToken.objects.get(user=learner).revoked_at is not None
    assert client_of_learner.get("/admin/users").status_code == 401
    assert AuditLog.objects.filter(action="account.deactivated", subject=learner, actor=admin).exists()


def test_a_deactivated_account_is_turned_back_on(admin, learner, api_as) -> None:
    client = api_as(admin)
    client.patch(f"/admin/users/{learner.pk}", {"is_active": False})

    response = client.patch(f"/admin/users/{learner.pk}", {"is_active": True})

    assert response.json()["is_active"] is True
    assert AuditLog.objects.filter(action="account.reactivated", subject=learner).exists()


@pytest.mark.parametrize("change", [{"role": "FREE"}, {"is_active": False}])
def test_the_only_admin_cannot_demote_or_deactivate_themself(admin, api_as, change) -> None:
    response = api_as(admin).patch(f"/admin/users/{admin.pk}", change)

    assert response.status_code == 409
    assert response.json()["code"] == "last_admin"
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN
    assert admin.is_active
    assert not AuditLog.objects.filter(action__in=["account.role_changed", "account.deactivated"]).exists()


def test_an_admin_may_step_down_when_another_admin_remains(admin, learner, api_as) -> None:
    client = api_as(admin)
    client.patch(f"/admin/users/{learner.pk}", {"role": "ADMIN"})

    response = client.patch(f"/admin/users/{admin.pk}", {"role": "FREE"})

    assert response.status_code == 200
    assert User.objects.filter(role=Role.ADMIN, is_active=True).get() == learner


def test_an_unknown_user_is_404(admin, api_as) -> None:
    assert api_as(admin).patch("/admin/users/999999", {"role": "FREE"}).status_code == 404
