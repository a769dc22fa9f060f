"""Reads of the operations app: spend against budget, backups, disks, alarms, circuits, today's figures."""

from __future__ import annotations

import importlib
import shutil
from dataclasses import dataclass
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
    """Each provider's circuit: from generation.queries.provider_status() when that exists, else
    from the circuit gauge the generation code sets in the worker processes."""
    try:
        provider_status = getattr(importlib.import_module("momentum.generation.queries"), "provider_status", None)
    except ImportError:
        provider_status = None
    if provider_status is not None:
        return _normalise_circuits(provider_status())
    from momentum.observability import metrics_export

    return [
        {"provider": provider, "state": _state_name(value)}
        for provider, value in sorted(metrics_export.gauge_values("momentum_circuit_open", "provider").items())
    ]


def _state_name(value: float) -> str:
    return "open" if value >= 1 else "half-open" if value > 0 else "closed"


def _normalise_circuits(status: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    if isinstance(status, dict):
        for provider, detail in status.items():
            entry = dict(detail) if isinstance(detail, dict) else {"state": detail}
            entry.setdefault("provider", provider)
            items.append(entry)
    else:
        for detail in status or []:
            entry = dict(detail) if isinstance(detail, dict) else dict(vars(detail))
            entry.setdefault("provider", entry.get("name", "?"))
            items.append(entry)
    for entry in items:
        state = entry.get("state", entry.get("circuit", "closed"))
        entry["state"] = _state_name(float(state)) if isinstance(state, int | float) else str(state).lower()
    return sorted(items, key=lambda entry: str(entry["provider"]))


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
