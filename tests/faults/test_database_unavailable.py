"""The database is unreachable or drops mid-write: 503s that say so, and nothing half-written."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connection

from momentum.analytics.models import EventKind, LearningEvent
from momentum.audit.models import AuditLog
from momentum.learning.models import Enrollment
from tests.factories import make_course
from tests.integration.cluster import Cluster, Web, free_port


@pytest.fixture
def web_without_database(tmp_path: Path) -> Iterator[Web]:
    """`momentum serve` whose PostgreSQL address has nothing listening (as when the database is down)."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("MOMENTUM_", "DBOS_", "PYTEST_", "REDIS_"))},
        "DJANGO_SETTINGS_MODULE": "momentum.settings",
        "MOMENTUM_ENV": "test",
        "MOMENTUM_DOTENV": os.devnull,
        "MOMENTUM_DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/momentum",
        "DBOS_SYSTEM_DATABASE_URL": f"sqlite:///{tmp_path}/data/dbos.sqlite3",
        "MOMENTUM_DB_POOL_MIN": "0",
        "MOMENTUM_DB_POOL_TIMEOUT": "1",
        "MOMENTUM_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
    }
    cluster = Cluster(tmp_path, env)
    try:
        yield cluster.start_web()
    finally:
        cluster.stop()


@pytest.mark.integration
def test_with_the_database_down_readyz_is_503_and_names_the_database(web_without_database: Web) -> None:
    status, body = web_without_database.get("/readyz")

    checks = json.loads(body)["checks"]
    assert status == 503
    assert json.loads(body)["status"] == "unavailable"
    assert checks["database"]["ok"] is False
    assert checks["database"]["error"]
    assert checks["storage"]["ok"] is True


@pytest.mark.integration
def test_with_the_database_down_the_api_answers_a_503_problem_not_a_traceback(web_without_database: Web) -> None:
    status, body = web_without_database.get("/api/v1/courses")
    signed_in_status, signed_in_body = web_without_database.get("/api/v1/me", token="not-a-real-token")

    problem = json.loads(body)
    assert status == 503
    assert problem["code"] == "database_unavailable"
    assert "Traceback" not in body.decode()
    assert signed_in_status in (401, 503)  # a malformed token is refused before the database is asked
    assert "Traceback" not in signed_in_body.decode()


@pytest.mark.integration
def test_with_the_database_down_pages_say_so_with_a_503(web_without_database: Web) -> None:
    status, body = web_without_database.get("/courses/")

    assert status == 503
    assert b"The database does not answer right now" in body


@contextlib.contextmanager
def connection_drops_on_audit_write() -> Iterator[None]:
    """The database connection fails at the third write of an enrolment (its audit record)."""

    def drop(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.lstrip().upper().startswith("INSERT") and AuditLog._meta.db_table in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(drop):
        yield


@pytest.mark.django_db
def test_an_enrolment_whose_write_fails_midway_leaves_no_enrolment_event_or_audit_row(
    learner: Any, api_as: Any
) -> None:
    course = make_course("Seven days of rest", duration_days=7)

    with connection_drops_on_audit_write():
        response = api_as(learner).post(f"/courses/{course.slug}/enrollment")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "database_unavailable"
    assert not Enrollment.objects.filter(user=learner).exists()
    assert not LearningEvent.objects.filter(user=learner, kind=EventKind.ENROLLED).exists()
    assert not AuditLog.objects.filter(action="enrollment.created").exists()
