"""Backups and restore drills, for admins: /admin/backups, /admin/restore-drills."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router

from momentum.accounts.policy import Access, api_access, caller
from momentum.recovery import actions, queries
from momentum.recovery.models import BackupRun
from momentum.recovery.schemas import BackupRunAccepted, BackupRunOut, BackupRunPage

router = Router(tags=["operations"])

MAX_PAGE_SIZE = 100


def kept_id(name: str) -> str:
    """The operationId the endpoint had before ops was split, so that the OpenAPI document stays."""
    return f"momentum_ops_backups_api_{name}"


@router.get("/admin/backups", response=BackupRunPage, auth=api_access(Access.ADMIN),
            operation_id=kept_id("list_backup_runs"), summary="Backups, restores and drills")  # fmt: skip
def list_backup_runs(
    request: HttpRequest,
    kind: Literal["backup", "restore", "drill"] | None = None,
    page: int = Query(1, ge=1, le=100_000),  # type: ignore[type-arg]
    page_size: int = Query(20, ge=1, le=MAX_PAGE_SIZE),  # type: ignore[type-arg]
) -> dict[str, object]:
    runs = queries.backup_runs(kind)
    start = (page - 1) * page_size
    return {"items": list(runs[start : start + page_size]), "count": runs.count(), "page": page,
            "page_size": page_size}  # fmt: skip


@router.post("/admin/backups", response={202: BackupRunAccepted}, auth=api_access(Access.ADMIN),
             operation_id=kept_id("request_backup"),
             summary="Back up now (a worker makes the backup)")  # fmt: skip
def request_backup(request: HttpRequest) -> tuple[int, BackupRun]:
    return 202, actions.do_request_backup(actor=caller(request), request=request)


@router.get("/admin/backups/{run_id}", response=BackupRunOut, auth=api_access(Access.ADMIN),
            operation_id=kept_id("get_backup_run"),
            summary="One backup, restore or drill")  # fmt: skip
def get_backup_run(request: HttpRequest, run_id: int) -> BackupRun:
    return get_object_or_404(BackupRun, pk=run_id)


@router.post("/admin/restore-drills", response={202: BackupRunAccepted}, auth=api_access(Access.ADMIN),
             operation_id=kept_id("request_drill"),
             summary="Restore the latest backup into a scratch database and check it")  # fmt: skip
def request_drill(request: HttpRequest) -> tuple[int, BackupRun]:
    return 202, actions.do_request_drill(actor=caller(request), request=request)
