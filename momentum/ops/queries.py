"""Reads of the operations app: spend against budget, backups, disks, alarms, circuits, today's figures."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import QuerySet, Sum
from django.utils import timezone

from momentum.ops.models import AlarmState, BackupRun, OperationKind, OperationStatus, SiteSettings


def site_settings() -> SiteSettings:
    """The settings row, or its defaults when nobody saved it yet (reading never writes)."""
    return SiteSettings.objects.filter(id=1).first() or SiteSettings()


def start_of_day(now: datetime | None = None) -> datetime:
    now = now or timezone.now()
    return now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def start_of_month(now: datetime | None = None) -> datetime:
    return start_of_day(now).replace(day=1)


@dataclass(frozen=True)
class Spend:
    today_usd: Decimal
    month_usd: Decimal
    daily_budget_usd: Decimal
    monthly_budget_usd: Decimal

    @property
    def daily_ratio(self) -> float:
        return float(self.today_usd / self.daily_budget_usd) if self.daily_budget_usd else 0.0

    @property
    def monthly_ratio(self) -> float:
        return float(self.month_usd / self.monthly_budget_usd) if self.monthly_budget_usd else 0.0

    @property
    def daily_percent(self) -> int:
        return min(100, round(self.daily_ratio * 100))

    @property
    def monthly_percent(self) -> int:
        return min(100, round(self.monthly_ratio * 100))


def ai_spend(now: datetime | None = None) -> Spend:
    """What provider calls cost today and this month (UTC), against the budgets in the site settings."""
    from momentum.generation.models import ProviderCall

    def total(since: datetime) -> Decimal:
        value = ProviderCall.objects.filter(created_at__gte=since).aggregate(total=Sum("cost_usd"))["total"]
        return Decimal(value or 0)

    row = site_settings()
    return Spend(
        today_usd=total(start_of_day(now)),
        month_usd=total(start_of_month(now)),
        daily_budget_usd=row.generation_daily_budget_usd,
        monthly_budget_usd=row.generation_monthly_budget_usd,
    )


def last_successful(kind: OperationKind) -> BackupRun | None:
    return BackupRun.objects.filter(kind=kind, status=OperationStatus.SUCCEEDED).order_by("-finished_at", "-id").first()


def installed_at() -> datetime:
    """When the database was first migrated: the start of the clock for "never backed up"."""
    from django.db.migrations.recorder import MigrationRecorder

    first = MigrationRecorder.Migration.objects.order_by("applied").values_list("applied", flat=True).first()
    return first or timezone.now()


def last_success_time(kind: OperationKind) -> datetime:
    """When a run of ``kind`` last succeeded, or the installation time when none ever did."""
    run = last_successful(kind)
    return run.finished_at if run is not None and run.finished_at is not None else installed_at()


def recent_runs(kind: OperationKind | None = None, limit: int = 10) -> list[BackupRun]:
    runs = BackupRun.objects.order_by("-started_at", "-id")
    if kind is not None:
        runs = runs.filter(kind=kind)
    return list(runs[:limit])


def backup_runs(kind: str | None = None) -> QuerySet[BackupRun]:
    """Every backup, restore and drill, newest first (``kind``: only those)."""
    runs = BackupRun.objects.order_by("-started_at", "-id")
    return runs.filter(kind=kind) if kind else runs


def age_minutes(run: BackupRun | None, now: datetime | None = None) -> float | None:
    if run is None or run.finished_at is None:
        return None
    return ((now or timezone.now()) - run.finished_at).total_seconds() / 60


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
    """Each configured provider's circuit ({provider, state, failures}), by provider name."""
    from momentum.generation.queries import provider_status

    circuits = [
        {"provider": status.provider, "state": status.circuit, "failures": status.failures}
        for status in provider_status()
    ]
    return sorted(circuits, key=lambda circuit: str(circuit["provider"]))


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
