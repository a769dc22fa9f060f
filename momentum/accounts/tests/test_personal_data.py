"""GDPR through the API: GET /me/export holds everything personal; DELETE /me erases it and keeps the aggregates."""

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from momentum.accounts.models import RefreshToken, User
from momentum.achievements.models import BadgeAward
from momentum.analytics.models import LearningEvent
from momentum.audit.models import AuditLog
from momentum.billing.models import Payment
from momentum.credentials.models import Credential
from momentum.learning.models import Enrollment, LessonProgress
from tests.factories import PASSWORD, History, make_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(learner: User) -> History:
    return make_history(learner)


def test_the_export_holds_profile_learning_payments_badges_and_audit_events(
    api_as: Any, learner: User, history: History, sign_in: Any
) -> None:
    sign_in(learner)  # leaves a sign-in event with the learner's address

    response = api_as(learner).get("/me/export")

    assert response.status_code == 200
    data = response.json()
    assert data["profile"]["email"] == learner.email
    assert [e["course"]["slug"] for e in data["enrollments"]] == [history.course.slug]
    assert [p["lesson_id"] for p in data["progress"]] == [history.progress.lesson_id]
    assert [c["id"] for c in data["certificates"]] == [str(history.certificate.id)]
    assert [c["badge"]["code"] for c in data["badge_credentials"]] == ["first-lesson"]
    assert [b["badge"]["code"] for b in data["badges"]] == ["first-lesson"]
    assert [p["id"] for p in data["payments"]] == [str(history.payment.id)]
    assert {e["kind"] for e in data["learning_events"]} >= {"enrolled", "lesson_completed"}
    actions = {e["action"] for e in data["audit_events"]}
    assert {"account.created", "auth.signed_in"} <= actions
    assert data["email_addresses"] == [{"email": learner.email, "verified": True, "primary": True}]
    assert len(data["api_sessions"]) == 1


def test_the_export_holds_nothing_of_anyone_else(api_as: Any, learner: User, stranger: User) -> None:
    make_history(stranger)

    data = api_as(learner).get("/me/export").json()

    assert stranger.email not in str(data)
    assert (data["enrollments"], data["payments"], data["badges"]) == ([], [], [])


def test_exporting_is_audited(api_as: Any, learner: User) -> None:
    api_as(learner).get("/me/export")

    assert AuditLog.objects.filter(action="account.data_exported", subject=learner).exists()


def test_the_profile_page_offers_the_export_as_a_download(client: Client, learner: User, history: History) -> None:
    client.force_login(learner)

    response = client.post("/profile/privacy/export/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="momentum-my-data-')
    assert b'"enrollments"' in response.content


def test_deleting_the_account_needs_the_password(api_as: Any, learner: User) -> None:
    response = api_as(learner).delete("/me", {"password": "not-the-password-1"})

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_password"
    learner.refresh_from_db()
    assert learner.is_active
    assert learner.erased_at is None


def test_after_deletion_the_account_cannot_sign_in_or_use_its_tokens(api: Any, learner: User, sign_in: Any) -> None:
    pair = sign_in(learner)
    bearer = f"Bearer {pair['access_token']}"

    response = api.delete("/me", {"password": PASSWORD}, HTTP_AUTHORIZATION=bearer)

    assert response.status_code == 204
    assert api.post("/auth/token", {"email": "lee.learner@example.com", "password": PASSWORD}).status_code == 401
    assert api.get("/me", HTTP_AUTHORIZATION=bearer).status_code == 401
    assert api.post("/auth/refresh", {"refresh_token": pair["refresh_token"]}).status_code == 401


def test_deletion_erases_personal_data(api_as: Any, learner: User, history: History, totp_secret: str) -> None:
    learner.age_range, learner.country, learner.occupation = "25_34", "DE", "Nurse"
    learner.save()

    api_as(learner).delete("/me", {"password": PASSWORD})

    learner.refresh_from_db()
    assert learner.email.endswith("@erased.invalid")
    assert (learner.display_name, learner.age_range, learner.country, learner.occupation) == ("", "", "", "")
    assert not learner.is_active
    assert not learner.has_usable_password()
    assert learner.erased_at
    for model in (Enrollment, LessonProgress, BadgeAward, RefreshToken, EmailAddress):
        assert not model.objects.filter(user=learner).exists(), model.__name__
    # the credentials stay only as revoked, detached positions of the status list
    assert not Credential.objects.filter(user=learner, erased_at__isnull=True).exists()
    assert not Credential.objects.filter(user=learner, revoked_at__isnull=True).exists()
    assert not Credential.objects.filter(user=learner, enrollment__isnull=False).exists()
    assert not AuditLog.objects.filter(subject=learner, ip_address__isnull=False).exists()
    assert not AuditLog.objects.filter(actor=learner, ip_address__isnull=False).exists()


def test_deletion_keeps_payments_and_aggregates_without_the_person(
    api_as: Any, learner: User, history: History
) -> None:
    events_before = LearningEvent.objects.count()

    api_as(learner).delete("/me", {"password": PASSWORD})

    payment = Payment.objects.get(pk=history.payment.pk)
    assert (payment.amount_cents, payment.user_id) == (900, learner.pk)
    assert LearningEvent.objects.count() == events_before
    assert not LearningEvent.objects.filter(user=learner).exists()
    assert AuditLog.objects.filter(action="account.erased", subject=learner).exists()


def test_the_address_can_sign_up_again_after_deletion(api: Any, api_as: Any, learner: User) -> None:
    api_as(learner).delete("/me", {"password": PASSWORD})

    response = api.post("/auth/register", {"email": "lee.learner@example.com", "password": "violet-otter-73"})

    assert response.status_code == 201
    assert response.json()["id"] != learner.pk


def test_deleting_from_the_privacy_page_signs_out_and_erases(client: Client, learner: User) -> None:
    client.force_login(learner)

    response = client.post("/profile/privacy/delete/", {"password": PASSWORD})

    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.erased_at is not None
    assert client.get("/profile/").status_code == 302  # back to the sign-in page


def test_a_wrong_password_on_the_privacy_page_keeps_the_account(client: Client, learner: User) -> None:
    client.force_login(learner)

    response = client.post("/profile/privacy/delete/", {"password": "not-the-password-1"})

    assert response.status_code == 422
    assert b"That is not your password." in response.content
    learner.refresh_from_db()
    assert learner.erased_at is None


def test_the_export_schema_lists_every_section_the_apps_export(learner: User) -> None:
    from momentum.accounts import gdpr
    from momentum.accounts.schemas import PersonalDataOut

    assert set(gdpr.export(learner)) == set(PersonalDataOut.model_fields)


def test_deleting_the_account_sends_a_last_mail_naming_the_site(
    client: Client, learner: User, mailoutbox: list[Any], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SITE_NAME = "Momentum Test Academy"
    client.force_login(learner)

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/profile/privacy/delete/", {"password": PASSWORD})

    [message] = mailoutbox
    assert message.to == ["lee.learner@example.com"]
    assert message.subject == "[Momentum Test Academy] Your account has been deleted"
    assert "Your Momentum Test Academy account has been deleted" in message.body
    assert settings.SITE_URL in message.body


def test_a_deleted_account_keeps_no_role(api_as: Any, premium_learner: User) -> None:
    api_as(premium_learner).delete("/me", {"password": PASSWORD})

    premium_learner.refresh_from_db()
    assert premium_learner.role == "FREE"
    assert not premium_learner.is_premium
