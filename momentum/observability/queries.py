"""Reads of the operations app: spend against budget, backups, disks, alarms, circuits, today's figures."""

from __future__ import annotations

import shutil
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from momentum.observability.models import AlarmState
from momentum.sitesettings.queries import start_of_day


@dataclass(frozen=True)
class Volume:
    name: str
    path: str
    total_bytes: int
    free_bytes: int

    @property
    def free_ratio(self) -> float:
        return self.free_bytes / self.total_bytes if self.total_bytes else 1.0

    @property
    def used_percent(self) -> int:
        return round((1 - self.free_ratio) * 100)


def volumes() -> list[Volume]:
    """The local disks Momentum writes to: the data folder, local media, a local backup folder."""
    candidates = {"data": Path(settings.DATA_DIR)}
    if settings.STORAGE_BACKEND == "local":
        candidates["media"] = Path(settings.MEDIA_ROOT)
    if "://" not in settings.BACKUP_TARGET:
        candidates["backups"] = Path(settings.BACKUP_TARGET)
    found = []
    for name, path in candidates.items():
        existing = path
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        usage = shutil.disk_usage(existing)
        found.append(Volume(name, str(path), usage.total, usage.free))
    return found


def alarm_states() -> list[AlarmState]:
    return list(AlarmState.objects.order_by("-firing", "severity", "name"))


def circuit_states() -> list[dict[str, Any]]:
    """Each configured provider's circuit (closed, open, half-open) with its probe, by provider name."""
    from momentum.generation.queries import provider_status

    return sorted(
        ({**asdict(status), "state": status.circuit} for status in provider_status().values()),
        key=lambda entry: str(entry["provider"]),
    )


def figures_today(now: datetime | None = None) -> dict[str, Any]:
    """Today's business figures (UTC) from the database: the same things the business counters count."""
    from momentum.accounts.models import User
    from momentum.billing.models import Payment, PaymentStatus
    from momentum.generation.models import GenerationJob
    from momentum.learning.models import Enrollment

    since = start_of_day(now)
    revenue = Payment.objects.filter(status=PaymentStatus.SUCCEEDED, paid_at__gte=since).aggregate(
        total=Sum("amount_cents")
    )["total"]
    return {
        "signups": User.objects.filter(created_at__gte=since).count(),
        "enrollments": Enrollment.objects.filter(enrolled_at__gte=since).count(),
        "completions": Enrollment.objects.filter(completed_at__gte=since).count(),
        "generation_jobs": GenerationJob.objects.filter(created_at__gte=since).count(),
        "revenue_cents": int(revenue or 0),
    }


def since_hours(hours: float) -> datetime:
    return timezone.now() - timedelta(hours=hours)
