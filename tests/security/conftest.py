"""Shared by the security suites: the access matrix's world of objects, and no request-rate limits
(the suites send thousands of hostile requests; the limits have their own tests)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.test_access_matrix import world  # noqa: F401  (a fixture, shared)

UNLIMITED = (1_000_000, 60)


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any) -> None:
    settings.RATELIMIT_ANON = UNLIMITED
    settings.RATELIMIT_USER = UNLIMITED
    settings.RATELIMIT_ADMIN = UNLIMITED
    settings.ACCOUNT_RATE_LIMITS = {
        action: ",".join(re.sub(r"^\d+", "1000000", part) for part in rate.split(","))
        for action, rate in settings.ACCOUNT_RATE_LIMITS.items()
    }
