"""Hourly housekeeping: idempotency records expire, backup runs a crash interrupted are marked failed."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from momentum.platform import durable
from momentum.platform.models import IdempotencyRecord

IDEMPOTENCY_RETENTION = timedelta(hours=24)


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


SCHEDULES = [
    {"schedule_name": "ops.hourly_housekeeping", "workflow_fn": hourly_housekeeping, "schedule": "0 17 * * * *"},
]
