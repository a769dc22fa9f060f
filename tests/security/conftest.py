"""Shared by the security suites: the access matrix's world of objects, and no request-rate limits
(the suites send thousands of hostile requests; the limits have their own tests)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.security.inspection import forget_database_state
from tests.test_access_matrix import _world_of_the_module, world  # noqa: F401  (fixtures, shared)

UNLIMITED = (1_000_000, 60)


@pytest.fixture(autouse=True)
def _database_state_of_this_test() -> None:
    forget_database_state()


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any) -> None:
    settings.RATELIMIT_ANON = UNLIMITED
    settings.RATELIMIT_USER = UNLIMITED
    settings.RATELIMIT_ADMIN = UNLIMITED
    settings.ACCOUNT_RATE_LIMITS = {
        action: ",".join(re.sub(r"^\d+", "1000000", part) for part in rate.split(","))
        for action, rate in settings.ACCOUNT_RATE_LIMITS.items()
    }
