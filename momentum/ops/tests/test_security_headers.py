"""Security headers on every answer: a strict Content-Security-Policy and its companions.

Prod adds HSTS and secure, host-only cookies."""

import json
import secrets
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from momentum.ops.tests.test_profiles import manage

pytestmark = pytest.mark.django_db


def directives(response: Any) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {part.strip().split(" ", 1)[0]: part.strip() for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/privacy/", "/api/v1/me", "/api/docs", "/no-such-page/"])
def test_every_answer_has_a_strict_content_security_policy(client: Client, path: str) -> None:
    policy = directives(client.get(path))

    assert policy["script-src"] == "script-src 'self'"
    assert policy["style-src"] == "style-src 'self'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert policy["frame-src"] == "frame-src https://www.youtube-nocookie.com https://player.vimeo.com"
    assert policy["object-src"] == "object-src 'none'"
    assert policy["base-uri"] == "base-uri 'none'"
    assert "unsafe" not in client.get(path)["Content-Security-Policy"]


def test_the_companion_headers_are_set(client: Client) -> None:
    response = client.get("/")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]


# `manage.py` on SQLite files of its own, whatever the pass
@pytest.mark.embedded_default
def test_prod_sends_hsts_and_secure_host_only_cookies(tmp_path: Path) -> None:
    script = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'hsts': s.SECURE_HSTS_SECONDS,"
        "'session': [s.SESSION_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY],"
        "'csrf': [s.CSRF_COOKIE_NAME, s.CSRF_COOKIE_SECURE],"
        "'upgrade': s.CONTENT_SECURITY_POLICY['DIRECTIVES'].get('upgrade-insecure-requests')}))"
    )
    result = manage(
        "shell", "-c", script, MOMENTUM_ENV="prod", MOMENTUM_SECRET_KEY=secrets.token_urlsafe(64),
        MOMENTUM_ALLOWED_HOSTS="learn.example.com", MOMENTUM_DATA_DIR=str(tmp_path),
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["hsts"] >= 31536000
    assert values["session"] == ["__Host-momentum_session", True, True]
    assert values["csrf"] == ["__Host-momentum_csrf", True]
    assert values["upgrade"] is True
