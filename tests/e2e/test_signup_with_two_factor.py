"""In Chromium: sign up, verify the address from the email on disk, turn on TOTP, sign in again with a code."""

from __future__ import annotations

import email
import re
import time
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from momentum.accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "ines.new@example.com"
PASSWORD = "lantern-harbour-58"


def totp_code(secret: str, *, offset: int = 0) -> str:
    return str(format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset)))


def verification_link(mail_dir: Path) -> str:
    """The link in the one email on disk (as the file backend of dev and test writes it)."""
    [path] = sorted(mail_dir.glob("*.eml"))
    message = email.message_from_bytes(path.read_bytes())
    assert message["To"] == EMAIL
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    body = part.get_payload(decode=True).decode()  # type: ignore[union-attr]
    match = re.search(r"https?://\S+/accounts/confirm-email/\S+/", body)
    assert match, body
    return match.group(0)


@pytest.fixture
def mail_on_disk(settings: Any, mail_dir: Path) -> Path:
    settings.EMAIL_BACKEND = "momentum.lib.mailfiles.EmlFileBackend"  # pytest-django swaps in locmem
    return mail_dir


def test_sign_up_verify_turn_on_totp_and_sign_in_with_a_code(
    page: Any, live_server: Any, mail_on_disk: Path, screenshot: Any
) -> None:
    # Sign up
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Your name").fill("Ines")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    screenshot(page, "1-sign-up")
    page.get_by_role("button", name="Sign Up").click()
    # the answer a registered address gets too (no enumeration): check your inbox
    page.wait_for_url(f"{live_server.url}/accounts/confirm-email/")
    user = User.objects.get(email=EMAIL)
    assert not user.email_verified

    # Verify the address with the link from the email file: it signs the new learner in
    link = verification_link(mail_on_disk)
    assert link.startswith(live_server.url)  # the link follows the site the learner signed up on
    page.goto(link)
    screenshot(page, "2-confirm-email")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"{live_server.url}/dashboard/")  # a new learner lands on their dashboard
    user = User.objects.get(pk=user.pk)
    assert user.email_verified

    # Turn on two-factor authentication from the security page
    page.goto("/profile/security/")
    page.get_by_role("link", name="Turn on two-factor authentication").click()
    page.get_by_role("link", name="Activate").click()
    page.get_by_label("Password").fill(PASSWORD)  # allauth asks again before a security change
    page.get_by_role("button", name="Confirm").click()
    secret = page.locator("#authenticator_secret").input_value()
    screenshot(page, "3-activate-totp")
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/"))
    screenshot(page, "4-recovery-codes")
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    # Sign out, then sign in: the password alone is not enough
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/"))
    screenshot(page, "5-enter-code")
    page.get_by_label("Code").fill(totp_code(secret, offset=1))  # the activation spent the current one
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{live_server.url}/dashboard/")
    assert page.get_by_role("link", name="Account").is_visible()
    assert page.js_errors == []
