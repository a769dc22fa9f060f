"""Schemathesis fuzzes every operation of /api/openapi.json, as a stranger, a learner and an admin.

The app runs in this process (Django's WSGI handler) against the suite's database with the demo
catalogue seeded, so generated requests meet real courses, lessons and accounts. Each response
must not be a 5xx, must carry a status code the operation documents, and must match the
documented schema and content type. ``MOMENTUM_FUZZ_EXAMPLES`` sets the examples per operation
and persona (``make fuzz`` raises it).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conftest import make_user
from momentum.accounts.models import Role

EXAMPLES = int(os.environ.get("MOMENTUM_FUZZ_EXAMPLES", "8"))
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance]
REQUESTS = {"count": 0}


def _load_schema() -> Any:
    from momentum.api import api

    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema())
    loaded.app = WSGIHandler()
    return loaded


schema = _load_schema()


@pytest.fixture(autouse=True)
def _in_process_app(settings: Any) -> Iterator[None]:
    """Serve as Django's test client does: the test's connection stays open between requests."""
    # Fuzzing sends thousands of requests a minute from one address and one account.
    settings.RATELIMIT_ANON = settings.RATELIMIT_USER = settings.RATELIMIT_ADMIN = (1_000_000, 60)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def personas(db: None) -> dict[str, dict[str, str]]:
    """The headers each persona sends: none, a learner's bearer token, an admin's."""
    from momentum.accounts.tokens import issue_access_token

    learner = make_user("fuzz.learner@example.com", display_name="Fuzz Learner")
    admin = make_user("fuzz.admin@example.com", role=Role.ADMIN, display_name="Fuzz Admin")
    return {
        "anonymous": {},
        "learner": {"Authorization": f"Bearer {issue_access_token(learner)}"},
        "admin": {"Authorization": f"Bearer {issue_access_token(admin)}"},
    }


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_every_operation_answers_as_documented(case: Any, personas: dict[str, dict[str, str]]) -> None:
    for headers in personas.values():  # the same request, from each side of the access policy
        REQUESTS["count"] += 1
        case.call_and_validate(headers=headers, checks=CHECKS)


@pytest.fixture(scope="module", autouse=True)
def _report_request_count() -> Iterator[None]:
    yield
    print(f"\nfuzzed {REQUESTS['count']} requests ({EXAMPLES} examples per operation, 3 personas)")  # noqa: T201
