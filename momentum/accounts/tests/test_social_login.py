"""Google, Facebook and Apple sign-in appear when their keys are set, and only then."""

import json
import secrets
from pathlib import Path

import pytest

from momentum.ops.tests.test_profiles import manage
from tests.migrated_databases import copy_process_databases

SCRIPT = """
import json
from django.conf import settings
from django.test import Client
from django.urls import reverse
page = Client().get("/accounts/login/").content.decode()
print(json.dumps({
    "providers": sorted(settings.SOCIALACCOUNT_PROVIDERS),
    "urls": [reverse(name) for name in ("google_login", "facebook_login", "apple_login")],
    "buttons": [name for name in ("Google", "Facebook", "Apple") if f"Continue with {name}" in page],
    "form_action": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"],
}))
"""

KEYS = {
    "MOMENTUM_GOOGLE_CLIENT_ID": "id.apps.googleusercontent.com",
    "MOMENTUM_GOOGLE_CLIENT_SECRET": "google-secret",
    "MOMENTUM_FACEBOOK_APP_ID": "1234",
    "MOMENTUM_FACEBOOK_APP_SECRET": "facebook-secret",
    "MOMENTUM_APPLE_CLIENT_ID": "com.example.momentum.web",
    "MOMENTUM_APPLE_TEAM_ID": "TEAM123456",
    "MOMENTUM_APPLE_KEY_ID": "KEY1234567",
    "MOMENTUM_APPLE_PRIVATE_KEY": "-----BEGIN PRIVATE KEY-----\\nMIGTAgEAMBMG\\n-----END PRIVATE KEY-----",
}


# `manage.py` on SQLite files of its own, whatever the pass
@pytest.mark.embedded_default
def test_with_their_keys_the_three_providers_are_offered(tmp_path: Path, migrated_process_data: Path) -> None:
    copy_process_databases(migrated_process_data, tmp_path)
    result = manage("shell", "-c", SCRIPT, MOMENTUM_ENV="test", MOMENTUM_DATA_DIR=str(tmp_path),
                    MOMENTUM_SECRET_KEY=secrets.token_urlsafe(64), **KEYS)  # fmt: skip

    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["providers"] == ["apple", "facebook", "google"]
    assert found["urls"] == ["/accounts/google/login/", "/accounts/facebook/login/", "/accounts/apple/login/"]
    assert found["buttons"] == ["Google", "Facebook", "Apple"]
    assert set(found["form_action"]) == {
        "'self'", "https://accounts.google.com", "https://www.facebook.com", "https://appleid.apple.com",
    }  # fmt: skip


@pytest.mark.django_db
def test_without_keys_no_provider_is_offered() -> None:
    from django.conf import settings
    from django.test import Client

    assert settings.SOCIALACCOUNT_PROVIDERS == {}
    assert b"Continue with" not in Client().get("/accounts/login/").content
