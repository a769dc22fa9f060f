"""Reads of the xAPI app: is it on, which statements are due, how long the oldest has waited."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings

from momentum.xapi.models import OutboxStatement, OutboxStatus


def enabled() -> bool:
    return bool(settings.XAPI_LRS_URL)


def due_statements(now: datetime, limit: int) -> list[tuple[int, datetime]]:
    """(id, next attempt) of the pending statements due by ``now``, oldest first."""
    due = OutboxStatement.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
    return list(due.order_by("created_at", "pk").values_list("pk", "next_attempt_at")[:limit])


def pending_count() -> int:
    return OutboxStatement.objects.filter(status=OutboxStatus.PENDING).count()


def oldest_pending_seconds(now: datetime) -> float:
    """How long the oldest unsent statement has waited (0 when none waits)."""
    oldest = (
        OutboxStatement.objects.filter(status=OutboxStatus.PENDING)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return max((now - oldest).total_seconds(), 0.0) if oldest is not None else 0.0
