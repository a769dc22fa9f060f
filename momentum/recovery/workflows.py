"""Durable work of backups and restore drills: on demand (queued by the actions) and scheduled.
Schedules come from the settings ("off" disables); workflow names keep the ``ops.`` prefix DBOS
recorded them under."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings

from momentum.platform import durable
from momentum.recovery.models import BackupRun, OperationKind, OperationStatus

QUEUES: dict[str, dict[str, Any]] = {
    "backups": {"concurrency": 1},  # one backup or drill at a time, across all workers
}


@durable.step()
def start_run(kind: str) -> int:
    return BackupRun.objects.create(kind=kind, status=OperationStatus.RUNNING).pk


@durable.step()
def perform_backup(run_id: int) -> str:
    """Make the backup recorded as ``run_id`` (again, if a crash interrupted it: a new one is written)."""
    from momentum.recovery import service

    run = BackupRun.objects.get(pk=run_id)
    if run.status == OperationStatus.SUCCEEDED:
        return run.location
    try:
        return service.create_backup(run).location
    except Exception as error:
        return _recorded_failure(run_id, error)


@durable.step()
def perform_drill(run_id: int) -> str:
    from momentum.recovery import restore as recovery

    run = BackupRun.objects.get(pk=run_id)
    if run.status != OperationStatus.RUNNING:
        return run.status
    try:
        return recovery.run_drill(run).status
    except Exception as error:
        return _recorded_failure(run_id, error)


def _recorded_failure(run_id: int, error: Exception) -> str:
    """A failure the run has recorded (its status, error and log line, which the admin's page and
    the alarms read) ends the workflow as that run's status: it is not a workflow error, whose
    traceback DBOS would log. An ``error`` the run did not record is raised again."""
    run = BackupRun.objects.get(pk=run_id)
    if run.status != OperationStatus.FAILED:
        raise error
    return str(run.status)


@durable.workflow("ops.backup")
def backup(run_id: int, request_id: str = "") -> str:
    with durable.bind_request(request_id):
        return perform_backup(run_id)


@durable.workflow("ops.restore_drill")
def restore_drill(run_id: int, request_id: str = "") -> str:
    with durable.bind_request(request_id):
        return perform_drill(run_id)


@durable.workflow("ops.scheduled_backup")
def scheduled_backup(scheduled_at: datetime, context: Any) -> str:
    return perform_backup(start_run(OperationKind.BACKUP))


@durable.workflow("ops.scheduled_restore_drill")
def scheduled_restore_drill(scheduled_at: datetime, context: Any) -> str:
    return perform_drill(start_run(OperationKind.DRILL))


def _off(schedule: str) -> bool:
    return schedule.strip().lower() in ("", "off", "none", "false")


_OPTIONAL = [
    # Backups and drills share the "backups" queue: never two at once, whoever asked.
    {"schedule_name": "ops.scheduled_backup", "workflow_fn": scheduled_backup,
     "schedule": settings.BACKUP_SCHEDULE, "queue_name": "backups"},
    {"schedule_name": "ops.scheduled_restore_drill", "workflow_fn": scheduled_restore_drill,
     "schedule": settings.DR_DRILL_SCHEDULE, "queue_name": "backups"},
]  # fmt: skip
SCHEDULES = [entry for entry in _OPTIONAL if not _off(str(entry["schedule"]))]
UNSCHEDULED = [str(entry["schedule_name"]) for entry in _OPTIONAL if _off(str(entry["schedule"]))]
