"""Each environment profile starts only with settings that are safe for it."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

# Each test runs `manage.py` on SQLite files of its own, whatever the pass (manage() drops DATABASE_URL).
pytestmark = pytest.mark.embedded_default

ROOT = Path(__file__).resolve().parents[3]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("MOMENTUM_", "DATABASE_URL", "REDIS_URL", "DBOS_"))
    }
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    clean["MOMENTUM_DOTENV"] = os.devnull
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def prod_env(tmp_path: Path) -> dict[str, str]:
    return {
        "MOMENTUM_ENV": "prod",
        "MOMENTUM_SECRET_KEY": secrets.token_urlsafe(64),
        "MOMENTUM_ALLOWED_HOSTS": "learn.example.com",
        "MOMENTUM_DATA_DIR": str(tmp_path),
    }


def test_prod_settings_pass_djangos_deployment_checklist(prod_env: dict[str, str]) -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", **prod_env)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_prod_refuses_to_start_with_the_development_secret_key(prod_env: dict[str, str]) -> None:
    prod_env.pop("MOMENTUM_SECRET_KEY")
    result = manage("check", **prod_env)
    assert result.returncode != 0
    assert "MOMENTUM_SECRET_KEY must be set" in result.stderr


def test_prod_refuses_to_start_with_debug_on(prod_env: dict[str, str]) -> None:
    result = manage("check", MOMENTUM_DEBUG="true", **prod_env)
    assert result.returncode != 0
    assert "MOMENTUM_DEBUG must be off" in result.stderr


@pytest.mark.parametrize("hosts", ["*", "learn.example.com,*", ".example.com,*.example.com", ""])
def test_prod_refuses_a_wildcard_or_empty_host_list(prod_env: dict[str, str], hosts: str) -> None:
    prod_env["MOMENTUM_ALLOWED_HOSTS"] = hosts
    result = manage("check", **prod_env)
    assert result.returncode != 0
    assert "MOMENTUM_ALLOWED_HOSTS" in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("MOMENTUM_DEBUG", "maybe", "is not a boolean"),
        ("MOMENTUM_ENV", "production", "must be one of"),
        ("MOMENTUM_ACCESS_TOKEN_TTL", "15m", "is not an integer"),
        ("DATABASE_URL", "mysql://root@localhost/momentum", "must point to SQLite or PostgreSQL"),
    ],
)
def test_a_malformed_setting_stops_start_up_naming_the_variable(
    tmp_path: Path, name: str, value: str, expected: str
) -> None:
    result = manage("check", MOMENTUM_DATA_DIR=str(tmp_path), **{name: value})
    assert result.returncode != 0
    assert name in result.stderr
    assert expected in result.stderr


def test_staging_keeps_its_data_apart_from_dev(tmp_path: Path) -> None:
    staging = {"MOMENTUM_ENV": "staging", "MOMENTUM_SECRET_KEY": secrets.token_urlsafe(64)}
    result = manage(
        "shell", "-c", "from django.conf import settings; print(settings.DATA_DIR)",
        MOMENTUM_ALLOWED_HOSTS="staging.example.com", **staging,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("var/staging")
