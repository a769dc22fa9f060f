"""POST /auth/token: a token pair for the right password, and the second factor when it is on."""

from typing import Any

import pytest

from momentum.accounts.models import RefreshToken, User
from momentum.accounts.tests.conftest import recovery_codes, totp_code
from momentum.audit.models import AuditLog
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_right_password_returns_a_bearer_pair_that_works(api: Any, api_as: Any, learner: User) -> None:
    response = api.post("/auth/token", {"email": learner.email, "password": PASSWORD})

    assert response.status_code == 200
    pair = response.json()
    assert (pair["token_type"], pair["expires_in"]) == ("Bearer", 900)
    me = api.get("/me", HTTP_AUTHORIZATION=f"Bearer {pair['access_token']}")
    assert me.json()["email"] == learner.email


def test_the_refresh_token_is_stored_only_as_a_hash(api: Any, learner: User) -> None:
    pair = api.post("/auth/token", {"email": learner.email, "password": PASSWORD}).json()

    stored = RefreshToken.objects.get(user=learner)
    assert pair["refresh_token"] not in stored.token_hash
    assert len(stored.token_hash) == 64
    assert (stored.expires_at - stored.created_at).days == 30


def test_the_email_is_matched_without_regard_to_case(api: Any, learner: User) -> None:
    response = api.post("/auth/token", {"email": learner.email.upper(), "password": PASSWORD})

    assert response.status_code == 200


@pytest.mark.parametrize(
    "email", ["lee.learner@example.com", "nobody@example.com"], ids=["wrong-password", "no-account"]
)
def test_wrong_credentials_are_refused_alike(api: Any, learner: User, email: str) -> None:
    response = api.post("/auth/token", {"email": email, "password": "not-the-password-1"})

    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"


def test_a_failed_sign_in_is_audited_with_address_and_browser(api: Any, learner: User) -> None:
    api.post("/auth/token", {"email": learner.email, "password": "not-the-password-1"}, HTTP_USER_AGENT="curl/8")

    event = AuditLog.objects.get(action="auth.sign_in_failed")
    assert (event.subject, event.ip_address, event.user_agent) == (learner, "127.0.0.1", "curl/8")
    assert event.metadata == {"via": "api", "reason": "invalid_credentials"}


def test_a_successful_sign_in_is_audited(api: Any, learner: User) -> None:
    api.post("/auth/token", {"email": learner.email, "password": PASSWORD})

    event = AuditLog.objects.get(action="auth.signed_in")
    assert (event.actor, event.metadata["via"]) == (learner, "api")


def test_a_deactivated_account_cannot_sign_in(api: Any, learner: User) -> None:
    User.objects.filter(pk=learner.pk).update(is_active=False)

    response = api.post("/auth/token", {"email": learner.email, "password": PASSWORD})

    assert response.status_code == 401


def test_an_unverified_account_can_sign_in(api: Any, unverified_learner: User) -> None:
    response = api.post("/auth/token", {"email": unverified_learner.email, "password": PASSWORD})

    assert response.status_code == 200


def test_with_two_factor_on_the_password_alone_asks_for_the_code(api: Any, learner: User, totp_secret: str) -> None:
    response = api.post("/auth/token", {"email": learner.email, "password": PASSWORD})

    assert response.status_code == 401
    assert response.json()["code"] == "mfa_required"
    assert not RefreshToken.objects.exists()


def test_with_two_factor_on_the_current_code_signs_in(api: Any, learner: User, totp_secret: str) -> None:
    response = api.post(
        "/auth/token", {"email": learner.email, "password": PASSWORD, "otp_code": totp_code(totp_secret)}
    )

    assert response.status_code == 200
    assert "access_token" in response.json()


def test_with_two_factor_on_a_wrong_code_is_refused_and_audited(api: Any, learner: User, totp_secret: str) -> None:
    wrong = totp_code(totp_secret, offset=40)

    response = api.post("/auth/token", {"email": learner.email, "password": PASSWORD, "otp_code": wrong})

    assert response.status_code == 401
    assert response.json()["code"] == "mfa_required"
    assert AuditLog.objects.filter(action="auth.mfa_failed", subject=learner).exists()


def test_a_totp_code_works_once(api: Any, learner: User, totp_secret: str) -> None:
    code = totp_code(totp_secret)
    api.post("/auth/token", {"email": learner.email, "password": PASSWORD, "otp_code": code})

    replay = api.post("/auth/token", {"email": learner.email, "password": PASSWORD, "otp_code": code})

    assert replay.status_code == 401


def test_a_recovery_code_signs_in_once(api: Any, learner: User, totp_secret: str) -> None:
    code = recovery_codes(learner)[0]

    first = api.post("/auth/token", {"email": learner.email, "password": PASSWORD, "otp_code": code})
    second = api.post("/auth/token", {"email": learner.email, "password": PASSWORD, "otp_code": code})

    assert (first.status_code, second.status_code) == (200, 401)
    assert AuditLog.objects.filter(action="auth.recovery_code_used", subject=learner).exists()
