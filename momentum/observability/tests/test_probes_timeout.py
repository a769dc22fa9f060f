"""Readiness answers within its time limit even when a dependency hangs."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from momentum.observability import health

pytestmark = pytest.mark.django_db


def test_a_dependency_that_does_not_answer_is_reported_instead_of_holding_the_probe(
    client: Any, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    settings.READINESS_TIMEOUT_SECONDS = 0.3
    release = threading.Event()

    def hangs() -> dict[str, Any]:
        release.wait(30)  # like a connection pool waiting for an unreachable PostgreSQL
        return {}

    monkeypatch.setitem(health.CHECKS, "database", hangs)
    try:
        response = client.get("/readyz")
    finally:
        release.set()

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == {"ok": False, "error": "no answer within 0.3 s", "ms": 300.0}
    assert checks["cache"]["ok"] is True
