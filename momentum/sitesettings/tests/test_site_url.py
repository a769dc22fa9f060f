"""Links in email point where the site runs: in dev and test the site URL follows HOST and PORT."""

from __future__ import annotations

from pathlib import Path

import pytest

from momentum.ops.tests.test_profiles import manage

# Each test runs `manage.py` on SQLite files of its own, whatever the pass (manage() drops DATABASE_URL).
pytestmark = pytest.mark.embedded_default

PRINT_SITE_URL = "from django.conf import settings; print(settings.SITE_URL)"


def site_url(tmp_path: Path, **env: str) -> str:
    result = manage("shell", "-c", PRINT_SITE_URL, MOMENTUM_DATA_DIR=str(tmp_path), **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("profile", ["dev", "test"])
def test_the_site_url_follows_the_port_the_site_runs_on(tmp_path: Path, profile: str) -> None:
    assert site_url(tmp_path, MOMENTUM_ENV=profile, PORT="8100") == "http://127.0.0.1:8100"


def test_a_site_listening_on_every_address_links_to_this_machine(tmp_path: Path) -> None:
    assert site_url(tmp_path, MOMENTUM_ENV="dev", HOST="0.0.0.0", PORT="9000") == "http://127.0.0.1:9000"  # noqa: S104


def test_momentum_site_url_wins_over_host_and_port(tmp_path: Path) -> None:
    url = site_url(tmp_path, MOMENTUM_ENV="dev", PORT="8100", MOMENTUM_SITE_URL="https://learn.example.com/")
    assert url == "https://learn.example.com"


def test_a_port_that_is_not_a_number_is_refused_by_name(tmp_path: Path) -> None:
    result = manage("shell", "-c", PRINT_SITE_URL, MOMENTUM_ENV="dev", MOMENTUM_DATA_DIR=str(tmp_path), PORT="http")
    assert result.returncode != 0
    assert "PORT='http' is not an integer" in result.stderr


def test_email_is_sent_in_the_sites_name(tmp_path: Path) -> None:
    result = manage(
        "shell", "-c", "from django.conf import settings; print(settings.DEFAULT_FROM_EMAIL)",
        MOMENTUM_ENV="dev", MOMENTUM_DATA_DIR=str(tmp_path), MOMENTUM_SITE_NAME="Momentum Test Academy",
    )  # fmt: skip
    assert result.stdout.strip().splitlines()[-1] == "Momentum Test Academy <no-reply@momentum.localhost>"
