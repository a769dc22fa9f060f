"""POST /auth/verify-email with the key from the emailed link; POST /auth/password-reset never enumerates accounts."""

from typing import Any

import pytest
from allauth.account.models import EmailAddress

from momentum.accounts.models import User
from momentum.accounts.tests.conftest import link_in
from momentum.audit.models import AuditLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(api: Any, mailoutbox: list[Any]) -> tuple[User, str]:
    """A new account and the verification link it was sent."""
    body = api.post("/auth/register", {"email": "nia@example.com", "password": "violet-otter-73"}).json()
    return User.objects.get(pk=body["id"]), link_in(mailoutbox[-1].body, "/accounts/confirm-email/")


def test_the_key_from_the_emailed_link_verifies_the_account(api: Any, registered: tuple[User, str]) -> None:
    user, link = registered
    key = link.rstrip("/").rsplit("/", 1)[-1]

    response = api.post("/auth/verify-email", {"key": key})

    assert response.status_code == 200
    assert response.json() == {"email": "nia@example.com", "email_verified": True}
    user.refresh_from_db()
    assert user.email_verified
    assert EmailAddress.objects.get(user=user).verified
    assert AuditLog.objects.filter(action="auth.email_verified", subject=user).exists()


def test_a_made_up_key_is_refused(api: Any) -> None:
    response = api.post("/auth/verify-email", {"key": "MQ:1tSomething:made-up"})

    assert (response.status_code, response.json()["code"]) == (422, "invalid_key")


def test_a_key_works_once(api: Any, registered: tuple[User, str]) -> None:
    key = registered[1].rstrip("/").rsplit("/", 1)[-1]
    api.post("/auth/verify-email", {"key": key})

    assert api.post("/auth/verify-email", {"key": key}).status_code == 422


def test_verifying_sets_no_cookie(api: Any, registered: tuple[User, str]) -> None:
    key = registered[1].rstrip("/").rsplit("/", 1)[-1]

    response = api.post("/auth/verify-email", {"key": key})

    assert not response.cookies


def test_a_password_reset_is_accepted_for_an_account_and_emails_a_link(
    api: Any, learner: User, mailoutbox: list[Any]
) -> None:
    response = api.post("/auth/password-reset", {"email": learner.email})

    assert response.status_code == 202
    [message] = mailoutbox
    assert message.to == [learner.email]
    assert link_in(message.body, "/accounts/password/reset/key/")


def test_a_password_reset_for_an_unknown_address_gets_the_same_answer(api: Any, learner: User) -> None:
    known = api.post("/auth/password-reset", {"email": learner.email})
    unknown = api.post("/auth/password-reset", {"email": "nobody@example.com"})

    assert (unknown.status_code, unknown.json()) == (known.status_code, known.json())


def test_the_reset_link_sets_a_new_password_and_ends_app_sessions(
    api: Any, client: Any, learner: User, mailoutbox: list[Any], sign_in: Any
) -> None:
    pair = sign_in(learner)
    api.post("/auth/password-reset", {"email": learner.email})
    link = link_in(mailoutbox[0].body, "/accounts/password/reset/key/")

    form = client.get(link, follow=True)
    response = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"password1": "fresh-maple-2024!", "password2": "fresh-maple-2024!"},
    )

    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password("fresh-maple-2024!")
    assert api.post("/auth/refresh", {"refresh_token": pair["refresh_token"]}).status_code == 401
    assert AuditLog.objects.filter(action="auth.password_reset", subject=learner).exists()
