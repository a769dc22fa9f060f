"""momentum check-config: besides the database and cache, the AI providers, payments, mail and the site URL."""

from __future__ import annotations

import json
import socket
from io import StringIO
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command

from momentum.sitesettings import config_checks

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_offline_defaults_all_pass(settings: Any, tmp_path: Any) -> None:
    settings.MAIL_DIR = tmp_path / "mail"
    settings.SITE_URL = "http://127.0.0.1:8000"

    checks = config_checks.all_checks()

    assert config_checks.failures(checks) == []
    assert checks["ai_providers"]["text"]["configured"] == "local"
    assert checks["ai_providers"]["text"]["detail"].startswith("offline, built in")
    assert checks["payments"]["configured"] == "sandbox"
    assert checks["mail"]["configured"] == "files"
    assert checks["xapi"] == {"configured": "off", "ok": True,
                              "detail": "no LRS configured: no xAPI statement is recorded"}  # fmt: skip


def test_a_remote_ai_provider_that_does_not_answer_is_named(settings: Any) -> None:
    cache.clear()
    settings.TEXT_PROVIDER = "openai"
    settings.OPENAI_BASE_URL = f"http://127.0.0.1:{closed_port()}/v1"

    checks = config_checks.all_checks()

    assert checks["ai_providers"]["text"]["configured"] == "openai"
    assert checks["ai_providers"]["text"]["detail"].startswith("not reachable")
    assert "ai_providers.text" in config_checks.failures(checks)


def test_stripe_that_does_not_answer_is_named(settings: Any) -> None:
    settings.PAYMENTS_PROVIDER = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{closed_port()}"

    payments = config_checks.payments()

    assert not payments["ok"]
    assert "is not reachable" in payments["detail"]


def test_an_smtp_server_that_does_not_answer_is_named(settings: Any) -> None:
    settings.EMAIL_URL = "smtp://mail.invalid"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()

    mail = config_checks.mail()

    assert not mail["ok"]
    assert "is not reachable" in mail["detail"]


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("127.0.0.1:8000", "is not an http(s) address"),
        ("https://learn.elsewhere.example", "which MOMENTUM_ALLOWED_HOSTS does not list"),
    ],
)
def test_a_site_url_that_cannot_work_is_explained(settings: Any, url: str, says: str) -> None:
    settings.SITE_URL = url

    site = config_checks.site_url()

    assert not site["ok"]
    assert says in site["detail"]


def test_the_command_prints_every_check_and_fails_on_a_broken_one(settings: Any, tmp_path: Any) -> None:
    settings.MAIL_DIR = tmp_path / "mail"
    settings.SITE_URL = "https://learn.elsewhere.example"
    out = StringIO()

    with pytest.raises(CommandError, match="site_url"):
        call_command("check_config", stdout=out)

    printed = out.getvalue()
    for section in ('"ai_providers"', '"payments"', '"mail"', '"site_url"'):
        assert section in printed
    assert json.loads(printed[printed.index('{\n  "ai_providers"') :])["payments"]["ok"] is True


def test_an_lrs_without_credentials_or_over_http_when_deployed_is_explained(settings: Any) -> None:
    settings.XAPI_LRS_URL = "http://lrs.example.org/xAPI"
    settings.XAPI_LRS_USERNAME = settings.XAPI_LRS_PASSWORD = ""
    settings.DEPLOYED = True

    found = config_checks.xapi()

    assert found["ok"] is False
    assert "MOMENTUM_XAPI_LRS_USERNAME and MOMENTUM_XAPI_LRS_PASSWORD must be set" in found["detail"]
    assert "must use https" in found["detail"]
    assert config_checks.xapi()["configured"] != "off"
