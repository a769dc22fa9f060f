"""Sign-in, sign-out, password and two-factor changes on allauth's pages each leave an audit event."""

from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.test import Client

from momentum.accounts.models import RefreshToken, User
from momentum.accounts.tests.conftest import totp_code
from momentum.audit.models import AuditLog
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in_on_the_page(client: Client, user: User, password: str = PASSWORD) -> Any:
    return client.post("/accounts/login/", {"login": user.email, "password": password}, HTTP_USER_AGENT="Firefox/140")


def actions_about(user: User) -> list[str]:
    return list(AuditLog.objects.filter(subject=user).order_by("created_at").values_list("action", flat=True))


def test_signing_in_on_the_page_is_audited_with_address_and_browser(client: Client, learner: User) -> None:
    sign_in_on_the_page(client, learner)

    event = AuditLog.objects.get(action="auth.signed_in")
    assert (event.actor, event.ip_address, event.user_agent, event.metadata["via"]) == (
        learner,
        "127.0.0.1",
        "Firefox/140",
        "web",
    )


def test_a_wrong_password_on_the_page_is_audited(client: Client, learner: User) -> None:
    sign_in_on_the_page(client, learner, "not-the-password-1")

    assert AuditLog.objects.get(action="auth.sign_in_failed").metadata == {
        "via": "web",
        "reason": "invalid_credentials",
    }


def test_signing_out_is_audited(client: Client, learner: User) -> None:
    sign_in_on_the_page(client, learner)

    client.post("/accounts/logout/")

    assert actions_about(learner)[-1] == "auth.signed_out"


def test_changing_the_password_is_audited_and_signs_apps_out(client: Client, learner: User, sign_in: Any) -> None:
    sign_in(learner)
    sign_in_on_the_page(client, learner)

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "a-brand-new-secret-5", "password2": "a-brand-new-secret-5"},
    )

    assert response.status_code == 302
    assert "auth.password_changed" in actions_about(learner)
    assert not RefreshToken.objects.filter(user=learner, revoked_at__isnull=True).exists()


def test_turning_two_factor_on_and_off_is_audited(
    client: Client, learner: User, django_capture_on_commit_callbacks: Any
) -> None:
    sign_in_on_the_page(client, learner)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})  # allauth asks again before MFA changes
    client.get("/accounts/2fa/totp/activate/")
    secret = client.session[SECRET_SESSION_KEY]

    with django_capture_on_commit_callbacks(execute=True):  # allauth announces it after commit
        activated = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    deactivated = client.post("/accounts/2fa/totp/deactivate/")

    assert (activated.status_code, deactivated.status_code) == (302, 302)
    assert not Authenticator.objects.filter(user=learner, type=Authenticator.Type.TOTP).exists()
    actions = actions_about(learner)
    assert actions.index("auth.mfa_enabled") < actions.index("auth.mfa_disabled")
