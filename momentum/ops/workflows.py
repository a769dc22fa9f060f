"""Durable work of the operations app: backups and restore drills (on demand and scheduled), the
in-app alarm evaluator, hourly housekeeping. Schedules come from the settings ("off" disables)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from momentum import durable
from momentum.ops import audit_retention  # its workflow, queue and schedule run with ours
from momentum.ops.models import BackupRun, IdempotencyRecord, OperationKind, OperationStatus

IDEMPOTENCY_RETENTION = timedelta(hours=24)

QUEUES: dict[str, dict[str, Any]] = {
    "maintenance": {"worker_concurrency": 1},
    "backups": {"concurrency": 1},  # one backup or drill at a time, across all workers
    **audit_retention.QUEUES,
}


@durable.step()
def purge_idempotency_records() -> int:
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=timezone.now() - IDEMPOTENCY_RETENTION).delete()
    return deleted


@durable.step()
def mark_interrupted_runs() -> int:
    from momentum.ops.backups import service

    return service.mark_interrupted_runs()


@durable.workflow("ops.hourly_housekeeping")
def hourly_housekeeping(scheduled_at: datetime, context: Any) -> int:
    mark_interrupted_runs()
    return purge_idempotency_records()


# --- Backups and drills ----------------------------------------------------------------------------


@durable.step()
def start_run(kind: str) -> int:
    return BackupRun.objects.create(kind=kind, status=OperationStatus.RUNNING).pk


@durable.step()
def perform_backup(run_id: int) -> str:
    """Make the backup recorded as ``run_id`` (again, if a crash interrupted it: a new one is written)."""
    from momentum.ops.backups import service

    run = BackupRun.objects.get(pk=run_id)
    if run.status == OperationStatus.SUCCEEDED:
        return run.location
    try:
        return service.create_backup(run).location
    except Exception as error:
        return _recorded_failure(run_id, error)


@durable.step()
def perform_drill(run_id: int) -> str:
    from momentum.ops.backups import recovery

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
    # Backups and drills share the "backups" queue: never two at once, whoever asked.
    {"schedule_name": "ops.scheduled_backup", "workflow_fn": scheduled_backup,
     "schedule": settings.BACKUP_SCHEDULE, "queue_name": "backups"},
    {"schedule_name": "ops.scheduled_restore_drill", "workflow_fn": scheduled_restore_drill,
     "schedule": settings.DR_DRILL_SCHEDULE, "queue_name": "backups"},
    {"schedule_name": "ops.evaluate_alarms", "workflow_fn": evaluate_alarms,
     "schedule": settings.ALARM_SCHEDULE, "queue_name": "maintenance"},
]  # fmt: skip
SCHEDULES = [
    {"schedule_name": "ops.hourly_housekeeping", "workflow_fn": hourly_housekeeping, "schedule": "0 17 * * * *"},
    *[entry for entry in _OPTIONAL if not _off(str(entry["schedule"]))],
    *audit_retention.SCHEDULES,
]
UNSCHEDULED = [str(entry["schedule_name"]) for entry in _OPTIONAL if _off(str(entry["schedule"]))]
