"""Reads of backups, restores and drills: the latest success, recent runs, ages."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from momentum.recovery.models import BackupRun, OperationKind, OperationStatus


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
