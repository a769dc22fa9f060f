"""Writes of the operations app: the audit trail, backups and drills asked for by an admin."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from momentum.lib import request_context
from momentum.ops.models import AuditLog, BackupRun, OperationKind, OperationStatus
from momentum.platform.client_address import client_ip


def do_record_audit(
    action: str,
    *,
    actor: Any = None,
    subject: Any = None,
    resource: Any = None,
    resource_type: str = "",
    resource_id: str | int | None = None,
    request: HttpRequest | None = None,
    metadata: dict[str, Any] | None = None,
) -> AuditLog:
    """Record who did ``action`` to what. Call it inside the action's transaction."""
    if resource is not None:
        resource_type = resource_type or resource._meta.model_name
        resource_id = resource.pk
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditLog.objects.create(
        action=action,
        actor=actor,
        subject=subject,
        resource_type=resource_type,
        resource_id="" if resource_id is None else str(resource_id),
        ip_address=client_ip(request),
        user_agent=(request.headers.get("User-Agent", "") if request is not None else "")[:1000],
        metadata=metadata or {},
        request_id=request_context.current_request_id() or "",
    )


def _enqueue_after_commit(workflow_name: str, run: BackupRun) -> None:
    from momentum.ops import workflows
    from momentum.platform import durable

    workflow = {"backup": workflows.backup, "drill": workflows.restore_drill}[workflow_name]
    request_id = request_context.current_request_id() or ""
    transaction.on_commit(
        lambda: durable.enqueue(workflow, run.pk, request_id, queue="backups", workflow_id=f"ops-{run.kind}-{run.pk}")
    )


@transaction.atomic
def do_request_backup(*, actor: Any, request: HttpRequest | None = None) -> BackupRun:
    """Queue a backup now (the same as the scheduled ones); a worker makes it."""
    run = BackupRun.objects.create(kind=OperationKind.BACKUP, status=OperationStatus.RUNNING)
    do_record_audit("ops.backup_requested", actor=actor, resource=run, request=request)
    _enqueue_after_commit("backup", run)
    return run


@transaction.atomic
def do_request_drill(*, actor: Any, request: HttpRequest | None = None) -> BackupRun:
    """Queue a restore drill of the latest backup; a worker runs it."""
    run = BackupRun.objects.create(kind=OperationKind.DRILL, status=OperationStatus.RUNNING)
    do_record_audit("ops.drill_requested", actor=actor, resource=run, request=request)
    _enqueue_after_commit("drill", run)
    return run
