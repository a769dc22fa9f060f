"""Stateful fuzzing: an admin follows the documented links (create a course, add lessons, edit, delete).

Each scenario starts from the same data: its writes are rolled back to a savepoint and the cache is
emptied when it ends. Hypothesis replays a scenario to shrink or confirm it, and a replay that met
the courses (or the cached idempotent answers) of earlier scenarios drew different links: Hypothesis
called that a flaky strategy (seen on PostgreSQL + Redis)."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import transaction
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests.fuzz.conftest import CHECKS, EXAMPLES, REQUESTS, schema


def test_sequences_of_linked_operations_answer_as_documented(personas: dict[str, dict[str, str]]) -> None:
    class AsAdmin(schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            self.savepoint = transaction.savepoint()

        def teardown(self) -> None:
            transaction.savepoint_rollback(self.savepoint)
            cache.clear()

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": personas["admin"]}

        def validate_response(self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any) -> None:
            REQUESTS["count"] += 1
            case.validate_response(response, checks=CHECKS)

    AsAdmin.run(
        settings=hypothesis_settings(
            max_examples=EXAMPLES * 2,
            stateful_step_count=6,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
    )
