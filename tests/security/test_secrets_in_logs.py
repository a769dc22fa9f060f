"""Secrets never reach the logs, problem bodies or error pages: passwords, access and refresh
tokens, emailed confirmation and reset keys, second-factor secrets and codes, webhook signatures
and signing secrets, the provider API keys of the settings.

The structured JSON log of each flow is captured at DEBUG (every line any logger writes, in the
format production writes it) and searched for every secret the flow used.
"""

from __future__ import annotations

import io
import json
import logging
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import Client

from conftest import ApiClient
from tests.factories import PASSWORD
from tests.test_access_matrix import World

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Violet-harbour-lights-93"


@pytest.fixture
def logs() -> Iterator[io.StringIO]:
    """Everything logged during the test, as the JSON lines production writes."""
    root = logging.getLogger()
    formatter = next((handler.formatter for handler in root.handlers if handler.formatter), None)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.setLevel(logging.DEBUG)
    levels = {name: logging.getLogger(name).level for name in ("", "momentum", "django", "django.request", "allauth")}
    root.addHandler(handler)
    for name in levels:
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def assert_absent(secrets: dict[str, str], *texts: str) -> None:
    for label, secret in secrets.items():
        assert secret, f"{label} is empty: the flow did not produce it"
        for text in texts:
            pattern = rf"(?<![0-9A-Za-z]){re.escape(secret)}(?![0-9A-Za-z])"
            assert not re.search(pattern, text), f"{label} ({secret[:6]}...) appears in:\n{_line(text, secret)}"


def _line(text: str, secret: str) -> str:
    return next((line[:400] for line in text.splitlines() if secret in line), text[:400])


def mails(outbox: list[Any]) -> list[str]:
    return [str(message.body) for message in outbox]


def test_passwords_and_tokens_of_the_api_are_never_logged(
    world: World, logs: io.StringIO, mailoutbox: list[Any]
) -> None:
    api = ApiClient()
    answers = [
        api.post("/auth/register", {"email": "rae@example.com", "password": NEW_PASSWORD, "display_name": "Rae"}),
        api.post("/auth/register", {"email": "weak@example.com", "password": "Weak-pw", "display_name": "W"}),
        api.post("/auth/token", {"email": world.owner.email, "password": "Wrong-guess-123"}),
    ]
    pair = api.post("/auth/token", {"email": world.owner.email, "password": PASSWORD}).json()
    answers.append(api.get("/me", HTTP_AUTHORIZATION=f"Bearer {pair['access_token']}"))
    renewed = api.post("/auth/refresh", {"refresh_token": pair["refresh_token"]}).json()
    answers.append(api.post("/auth/refresh", {"refresh_token": pair["refresh_token"]}))  # reuse: family revoked
    answers.append(api.get("/me", HTTP_AUTHORIZATION="Bearer " + pair["access_token"][:-3] + "abc"))
    key = re.search(r"/confirm-email/([-:\w]+)/", mails(mailoutbox)[0])
    assert key
    answers.append(api.post("/auth/verify-email", {"key": key.group(1)}))
    answers.append(api.post("/auth/verify-email", {"key": key.group(1) + "x"}))

    secrets = {
        "new password": NEW_PASSWORD, "weak password": "Weak-pw", "wrong password": "Wrong-guess-123",
        "password": PASSWORD, "access token": pair["access_token"], "refresh token": pair["refresh_token"],
        "renewed refresh token": renewed["refresh_token"], "email key": key.group(1),
    }  # fmt: skip
    assert_absent(secrets, logs.getvalue(), *(answer.content.decode() for answer in answers))
    assert '"event": "request"' in logs.getvalue()  # the capture saw the request log


def test_the_password_reset_key_is_never_logged(world: World, logs: io.StringIO, mailoutbox: list[Any]) -> None:
    browser = Client()
    browser.post("/accounts/password/reset/", {"email": world.owner.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/(\w+)-([^/\s]+)/)", mails(mailoutbox)[-1])
    assert link
    path, key = link.group(1), link.group(3)
    form = browser.get(path, follow=True)
    answer = browser.post(form.redirect_chain[-1][0] if form.redirect_chain else path,
                          {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})  # fmt: skip
    assert answer.status_code in (200, 302)
    ApiClient().post("/api/v1/auth/password-reset", {"email": world.owner.email})

    assert_absent({"reset key": key, "new password": NEW_PASSWORD}, logs.getvalue())


def test_sign_in_passwords_and_second_factor_codes_are_never_logged(world: World, logs: io.StringIO) -> None:
    secret = generate_totp_secret()
    TOTP.activate(world.owner, secret)
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    browser = Client()
    browser.post("/accounts/login/", {"login": world.owner.email, "password": "Wrong-guess-123"})
    browser.post("/accounts/login/", {"login": world.owner.email, "password": PASSWORD})
    browser.post("/accounts/2fa/authenticate/", {"code": "000000" if code != "000000" else "111111"})
    browser.post("/accounts/2fa/authenticate/", {"code": code})
    api_answer = ApiClient().post("/api/v1/auth/token", {"email": world.owner.email, "password": PASSWORD,
                                                          "otp_code": code})  # fmt: skip

    assert "_auth_user_id" in browser.session
    assert_absent(
        {"password": PASSWORD, "wrong password": "Wrong-guess-123", "TOTP secret": secret, "TOTP code": code},
        logs.getvalue(),
    )
    assert_absent({"TOTP secret": secret, "password": PASSWORD}, api_answer.content.decode())


def test_webhook_signatures_and_secrets_are_never_logged(world: World, logs: io.StringIO, settings: Any) -> None:
    from momentum.billing.tests.fake_stripe import sign

    event = {"id": "evt_log_1", "object": "event", "type": "checkout.session.completed",
             "data": {"object": {"id": "cs_unknown", "object": "checkout.session"}}}  # fmt: skip
    body = json.dumps(event)
    genuine = sign(body, settings.SANDBOX_WEBHOOK_SECRET)
    forged = sign(body, "whsec_forged_secret_value_1234567890")
    client = Client()
    answers = [
        client.post("/api/v1/payments/webhook", body, "application/json", HTTP_MOMENTUM_SANDBOX_SIGNATURE=header)
        for header in (genuine, forged)
    ]

    secrets = {"signature": genuine.split("v1=")[-1], "forged signature": forged.split("v1=")[-1],
               "signing secret": settings.SANDBOX_WEBHOOK_SECRET}  # fmt: skip
    assert_absent(secrets, logs.getvalue(), *(answer.content.decode() for answer in answers))


def test_api_keys_in_the_settings_show_nowhere(world: World, logs: io.StringIO, settings: Any) -> None:
    keys = {
        "STRIPE_SECRET_KEY": "sk_test_secretmarker0001",
        "STRIPE_WEBHOOK_SECRET": "whsec_secretmarker0002",
        "ANTHROPIC_API_KEY": "sk-ant-secretmarker0003",
        "OPENAI_API_KEY": "sk-openai-secretmarker0004",
    }
    for name, value in keys.items():
        setattr(settings, name, value)
    admin = Client()
    admin.force_login(world.users["admin"])
    pages = [admin.get(url) for url in ("/studio/settings/", "/studio/ops/", "/readyz", "/metrics", "/studio/")]
    pages.append(admin.get("/api/v1/admin/alarms"))
    pages.append(Client().get("/no-such-page/"))

    assert_absent(keys, logs.getvalue(), *(page.content.decode() for page in pages))
    assert_absent({"Django secret key": settings.SECRET_KEY}, logs.getvalue(), *(p.content.decode() for p in pages))
