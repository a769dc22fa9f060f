"""Liveness, readiness, request IDs and the error shape of the API."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_answers_while_the_process_lives(client: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_each_dependency(client: Any) -> None:
    from momentum.platform import durable

    durable.migrate_system_database()  # as `momentum migrate` does; this test worker may not have yet
    response = client.get("/readyz")
    assert response.status_code == 200
    checks = response.json()["checks"]
    assert set(checks) == {"database", "cache", "storage", "workflows"}
    assert all(check["ok"] for check in checks.values())


def test_readyz_is_503_when_a_dependency_fails(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from momentum.observability import health

    def broken() -> dict[str, Any]:
        raise ConnectionError("cache unreachable")

    monkeypatch.setitem(health.CHECKS, "cache", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    cache_check = response.json()["checks"]["cache"]
    assert cache_check["ok"] is False
    assert cache_check["error"] == "ConnectionError: cache unreachable"


def test_every_response_carries_a_request_id(client: Any) -> None:
    first, second = client.get("/healthz"), client.get("/")
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_client_request_id_is_echoed(client: Any) -> None:
    response = client.get("/healthz", HTTP_X_REQUEST_ID="checkout-7f3a")
    assert response["X-Request-ID"] == "checkout-7f3a"


def test_an_unsafe_client_request_id_is_replaced(client: Any) -> None:
    response = client.get("/healthz", HTTP_X_REQUEST_ID="evil\nHeader: injected")
    assert response["X-Request-ID"] != "evil\nHeader: injected"
    assert len(response["X-Request-ID"]) == 32


def test_an_unknown_api_path_is_a_problem_document(client: Any) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "not_found"
    assert body["status"] == 404
    assert body["type"].endswith("/not_found")


def test_an_unknown_page_is_a_friendly_page(client: Any) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"There is nothing at this address" in response.content


def test_the_openapi_document_and_its_docs_are_served_locally(client: Any) -> None:
    document = client.get("/api/openapi.json")
    assert document.status_code == 200
    assert document.json()["info"]["title"] == "Momentum API"
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert b"cdn." not in docs.content
    assert b"/static/ninja/" in docs.content


def test_readyz_is_degraded_not_down_while_serve_restarts_its_worker(
    client: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from momentum.platform import durable

    durable.migrate_system_database()
    # Given `momentum serve` saw its worker killed and is restarting it
    state = tmp_path / "serve-1.json"
    worker = {"kind": "worker", "state": "restarting", "pid": None, "since": 0, "last_exit": -9}
    state.write_text(json.dumps({"pid": 1, "children": {"worker": worker}, "restarts": {"worker": [0]}}))
    monkeypatch.setenv("MOMENTUM_SUPERVISOR_STATE", str(state))

    response = client.get("/readyz")

    # Then the site says it is degraded, with 200: load balancers keep sending traffic
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    workflows = response.json()["checks"]["workflows"]
    assert workflows["worker"] == "restarting"
    assert workflows["note"] == (
        "no workflow worker runs: work waits in the queue until it is back (it exited with status -9 (SIGKILL))"
    )


def test_readyz_is_ready_once_the_worker_runs_again(
    client: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from momentum.platform import durable

    durable.migrate_system_database()
    state = tmp_path / "serve-1.json"
    worker = {"kind": "worker", "state": "running", "pid": 12, "since": 0, "last_exit": -9}
    state.write_text(json.dumps({"pid": 1, "children": {"worker": worker}, "restarts": {"worker": [0]}}))
    monkeypatch.setenv("MOMENTUM_SUPERVISOR_STATE", str(state))

    response = client.get("/readyz")

    assert response.json()["status"] == "ready"
    assert response.json()["checks"]["workflows"]["worker"] == "running"
