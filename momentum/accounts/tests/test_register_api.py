"""POST /auth/register: a FREE, unverified account and a verification email; no duplicates, no weak passwords."""

from typing import Any

import pytest

from momentum.accounts.models import Role, User
from momentum.accounts.tests.conftest import link_in
from momentum.audit.models import AuditLog

pytestmark = pytest.mark.django_db


def test_registering_creates_a_free_unverified_account(api: Any) -> None:
    response = api.post(
        "/auth/register", {"email": "New.Person@Example.com", "password": "violet-otter-73", "display_name": "Nia"}
    )

    assert response.status_code == 201
    body = response.json()
    assert body == {
        "id": body["id"],
        "email": "new.person@example.com",
        "display_name": "Nia",
        "role": "FREE",
        "email_verified": False,
    }
    user = User.objects.get(pk=body["id"])
    assert (user.role, user.email_verified) == (Role.FREE, False)
    assert user.password.startswith("argon2")


def test_registering_sends_a_verification_link(api: Any, mailoutbox: list[Any]) -> None:
    api.post("/auth/register", {"email": "nia@example.com", "password": "violet-otter-73"})

    [message] = mailoutbox
    assert message.to == ["nia@example.com"]
    assert link_in(message.body, "/accounts/confirm-email/")


def test_the_verification_email_names_the_site_not_the_host(api: Any, mailoutbox: list[Any], settings: Any) -> None:
    settings.SITE_NAME = "Momentum Test Academy"

    api.post("/auth/register", {"email": "nia@example.com", "password": "violet-otter-73"}, HTTP_HOST="127.0.0.1:8100")

    [message] = mailoutbox
    assert message.subject.startswith("[Momentum Test Academy] ")
    assert "Hello from Momentum Test Academy!" in message.body
    assert "Hello from 127.0.0.1:8100" not in message.body


def test_registering_is_audited(api: Any) -> None:
    body = api.post("/auth/register", {"email": "nia@example.com", "password": "violet-otter-73"}).json()

    assert AuditLog.objects.filter(action="account.created", subject_id=body["id"]).exists()


def test_registering_a_taken_email_is_a_conflict(api: Any, learner: User) -> None:
    response = api.post("/auth/register", {"email": learner.email.upper(), "password": "violet-otter-73"})

    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "email_taken"


@pytest.mark.parametrize(
    "password",
    ["short1", "password123", "12345678901", "lettersonly", "nia@example.com1"],
    ids=["too-short", "common", "numeric", "no-digit-or-symbol", "like-the-email"],
)
def test_a_weak_password_is_refused_with_the_reason(api: Any, password: str) -> None:
    response = api.post("/auth/register", {"email": "nia@example.com", "password": password})

    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "weak_password"
    assert problem["errors"][0]["field"] == "password"
    assert not User.objects.filter(email="nia@example.com").exists()


def test_text_that_is_not_unicode_is_refused_as_an_unreadable_body(api: Any) -> None:
    response = api.post("/auth/register", {"email": "}<#@x\udbf8y", "password": "violet-otter-73"})

    assert response.status_code == 400  # a lone surrogate: JSON may spell it, no database can store it
    assert not User.objects.exists()


def test_a_malformed_email_is_refused(api: Any) -> None:
    response = api.post("/auth/register", {"email": "not-an-address", "password": "violet-otter-73"})

    assert response.status_code == 422


@pytest.mark.parametrize("email", ["a@\U0010e156.example", "two@@example.com"])
def test_registering_an_address_mail_cannot_reach_is_refused_before_any_account_exists(api: Any, email: str) -> None:
    response = api.post("/auth/register", {"email": email, "password": "violet-otter-73"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "email"
    assert not User.objects.exists()
