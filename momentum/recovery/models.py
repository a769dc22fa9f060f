"""Backups, restores and restore drills, and their outcomes."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone


class OperationKind(models.TextChoices):
    BACKUP = "backup", "Backup"
    RESTORE = "restore", "Restore"
    DRILL = "drill", "Restore drill"


class OperationStatus(models.TextChoices):
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class BackupRun(models.Model):
    """A backup, restore or disaster-recovery drill and its outcome."""

    kind = models.CharField(max_length=8, choices=OperationKind)
    status = models.CharField(max_length=9, choices=OperationStatus, default=OperationStatus.RUNNING)
    location = models.CharField(max_length=1000, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    manifest = models.JSONField(default=dict, blank=True)
    duration_seconds = models.FloatField(default=0)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "ops_backuprun"  # the table of the app it came from (ops); its rows stay
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=OperationKind.values), name="backup_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=OperationStatus.values), name="backup_status_valid"),
        ]
        indexes = [models.Index(fields=["kind", "status", "-started_at"], name="backup_latest")]
