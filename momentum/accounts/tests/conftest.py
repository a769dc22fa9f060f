"""Fixtures of the accounts tests: signing in through the API, second factors, emails on disk."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

from momentum.accounts.models import User
from tests.factories import PASSWORD


def totp_code(secret: str, *, offset: int = 0) -> str:
    """The code an authenticator app shows now (offset: how many 30-second steps away)."""
    return str(format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset)))


@pytest.fixture
def totp_secret(learner: User) -> str:
    """TOTP (and recovery codes) turned on for the learner; the shared secret."""
    secret: str = generate_totp_secret()
    TOTP.activate(learner, secret)
    RecoveryCodes.activate(learner)
    return secret


def recovery_codes(user: User) -> list[str]:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    return list(authenticator.wrap().get_unused_codes())


@pytest.fixture
def sign_in(api: Any) -> Any:
    """sign_in(user) -> the token pair the API returns for the user's password."""

    def issue(user: User, password: str = PASSWORD, **extra: Any) -> dict[str, Any]:
        response = api.post("/auth/token", {"email": user.email, "password": password, **extra})
        assert response.status_code == 200, response.content
        return response.json()  # type: ignore[no-any-return]

    return issue


def link_in(body: str, fragment: str) -> str:
    """The first link in an email body whose address contains ``fragment``."""
    match = re.search(rf"https?://\S*{re.escape(fragment)}\S*", body)
    assert match, f"no link with {fragment} in:\n{body}"
    return match.group(0)
