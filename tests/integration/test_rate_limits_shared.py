"""With Redis, rate-limit counters are shared: requests counted by one process limit another."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db,
    pytest.mark.skipif(not django_settings.REDIS_URL, reason="needs Redis (the PostgreSQL + Redis pass)"),
]
ROOT = Path(__file__).resolve().parents[2]
RATE = (3, 1_000_000)  # one window for the whole test, whatever the clock says
ADDRESS = "203.0.113.9"


def test_another_process_spends_the_budget_of_this_one(client: Client, settings: Any) -> None:
    settings.RATELIMIT_ANON = RATE
    other_process = (
        "import django; django.setup(); from momentum.platform.request_limits import consume; "
        f"print([consume('anon', '{ADDRESS}', {RATE!r}) for _ in range(3)])"
    )
    result = subprocess.run(
        [sys.executable, "-c", other_process],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "momentum.test_settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[None, None, None]"

    response = client.get("/privacy/", REMOTE_ADDR=ADDRESS)

    assert response.status_code == 429
    assert client.get("/privacy/", REMOTE_ADDR="203.0.113.10").status_code == 200
