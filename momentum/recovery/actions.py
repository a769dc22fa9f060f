"""Writes of recovery: backups and drills asked for by an admin (a worker makes them)."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from momentum.accounts.models import User
from momentum.audit.actions import do_record_audit
from momentum.lib import request_context
from momentum.recovery.audit_actions import AuditAction
from momentum.recovery.models import BackupRun, OperationKind, OperationStatus


def _enqueue_after_commit(workflow_name: str, run: BackupRun) -> None:
    from momentum.platform import durable
    from momentum.recovery import workflows

    workflow = {"backup": workflows.backup, "drill": workflows.restore_drill}[workflow_name]
    request_id = request_context.current_request_id() or ""
    transaction.on_commit(
        lambda: durable.enqueue(workflow, run.pk, request_id, queue="backups", workflow_id=f"ops-{run.kind}-{run.pk}")
    )


@transaction.atomic
def do_request_backup(*, actor: User | None, request: HttpRequest | None = None) -> BackupRun:
    """Queue a backup now (the same as the scheduled ones); a worker makes it."""
    run = BackupRun.objects.create(kind=OperationKind.BACKUP, status=OperationStatus.RUNNING)
    do_record_audit(AuditAction.BACKUP_REQUESTED, actor=actor, resource=run, request=request)
    _enqueue_after_commit("backup", run)
    return run


@transaction.atomic
def do_request_drill(*, actor: User | None, request: HttpRequest | None = None) -> BackupRun:
    """Queue a restore drill of the latest backup; a worker runs it."""
    run = BackupRun.objects.create(kind=OperationKind.DRILL, status=OperationStatus.RUNNING)
    do_record_audit(AuditAction.DRILL_REQUESTED, actor=actor, resource=run, request=request)
    _enqueue_after_commit("drill", run)
    return run
