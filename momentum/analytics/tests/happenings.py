"""Things that happen on the site, written the way the apps write them, for the analytics tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from momentum.analytics.actions import do_record_event
from momentum.analytics.models import EventKind, LearningEvent


def days_ago(days: int, *, hour: int = 12) -> datetime:
    today = timezone.now().astimezone(UTC).replace(hour=hour, minute=0, second=0, microsecond=0)
    return today - timedelta(days=days)


def event(kind: EventKind, *, ago: int = 0, hour: int = 12, **fields: Any) -> LearningEvent:
    return do_record_event(kind, occurred_at=days_ago(ago, hour=hour), **fields)


def job(admin: Any, *, status: str = "SUCCEEDED", ago: int = 0, cost: str = "0") -> Any:
    from momentum.catalog.models import Category
    from momentum.generation.models import GenerationJob, ProviderCall

    created = job_ = GenerationJob.objects.create(
        created_by=admin,
        topic="Watercolour basics",
        category=Category.objects.get(slug="creative-arts"),
        duration_days=7,
        status=status,
        cost_usd=Decimal(cost),
    )
    GenerationJob.objects.filter(pk=created.pk).update(created_at=days_ago(ago))
    if Decimal(cost):
        call = ProviderCall.objects.create(
            job=job_, kind="text", provider="anthropic", operation="outline", cost_usd=Decimal(cost)
        )
        ProviderCall.objects.filter(pk=call.pk).update(created_at=days_ago(ago))
    job_.refresh_from_db()
    return job_
