"""Durable work of observability: the in-app alarm evaluator, on its schedule ("off" disables).
The workflow and schedule keep the ``ops.`` names DBOS recorded them under."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings

from momentum.platform import durable

QUEUES: dict[str, dict[str, Any]] = {
    "maintenance": {"worker_concurrency": 1},
}


@durable.step()
def evaluate_alarms_step() -> list[str]:
    from momentum.observability import alarms

    return [state.name for state in alarms.evaluate()]


@durable.workflow("ops.evaluate_alarms")
def evaluate_alarms(scheduled_at: datetime, context: Any) -> list[str]:
    return evaluate_alarms_step()


def _off(schedule: str) -> bool:
    return schedule.strip().lower() in ("", "off", "none", "false")


_OPTIONAL = [
    {"schedule_name": "ops.evaluate_alarms", "workflow_fn": evaluate_alarms,
     "schedule": settings.ALARM_SCHEDULE, "queue_name": "maintenance"},
]  # fmt: skip
SCHEDULES = [entry for entry in _OPTIONAL if not _off(str(entry["schedule"]))]
UNSCHEDULED = [str(entry["schedule_name"]) for entry in _OPTIONAL if _off(str(entry["schedule"]))]
