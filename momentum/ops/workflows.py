"""Durable work of the operations app: the in-app alarm evaluator, hourly housekeeping (idempotency
records, interrupted backup runs). Schedules come from the settings ("off" disables)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from momentum import durable
from momentum.ops.models import IdempotencyRecord

IDEMPOTENCY_RETENTION = timedelta(hours=24)

QUEUES: dict[str, dict[str, Any]] = {
    "maintenance": {"worker_concurrency": 1},
}


@durable.step()
def purge_idempotency_records() -> int:
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=timezone.now() - IDEMPOTENCY_RETENTION).delete()
    return deleted


@durable.step()
def mark_interrupted_runs() -> int:
    from momentum.recovery import service

    return service.mark_interrupted_runs()


@durable.workflow("ops.hourly_housekeeping")
def hourly_housekeeping(scheduled_at: datetime, context: Any) -> int:
    mark_interrupted_runs()
    return purge_idempotency_records()


# --- Alarms ----------------------------------------------------------------------------------------


@durable.step()
def evaluate_alarms_step() -> list[str]:
    from momentum.ops import alarms

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
SCHEDULES = [
    {"schedule_name": "ops.hourly_housekeeping", "workflow_fn": hourly_housekeeping, "schedule": "0 17 * * * *"},
    *[entry for entry in _OPTIONAL if not _off(str(entry["schedule"]))],
]
UNSCHEDULED = [str(entry["schedule_name"]) for entry in _OPTIONAL if _off(str(entry["schedule"]))]
