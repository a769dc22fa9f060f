"""API schemas of backups and drills."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Schema


class BackupRunOut(Schema):
    id: int
    kind: Literal["backup", "restore", "drill"]
    status: Literal["running", "succeeded", "failed"]
    location: str
    size_bytes: int
    duration_seconds: float
    error: str
    started_at: datetime
    finished_at: datetime | None
    manifest: dict[str, Any]


class BackupRunPage(Schema):
    items: list[BackupRunOut]
    count: int
    page: int
    page_size: int


class BackupRunAccepted(Schema):
    id: int
    kind: Literal["backup", "drill"]
    status: Literal["running"]
