"""Audit retention: events stay in the database MOMENTUM_AUDIT_RETENTION_DAYS (90), then move to storage.

A scheduled workflow (daily, 03:23 UTC) takes every whole UTC day older than the retention
period, writes its events as gzipped JSON lines to the ``archive`` storage
(``archive/audit-logs/YYYY/MM/audit-YYYY-MM-DD-<digest>.jsonl.gz``, files or S3), reads the file
back to check it, and only then deletes the rows. Each chunk of a day is one step: the file name
is a digest of its content, so a step retried after a crash rewrites nothing and deletes the same
rows. Archives are kept 7 years (the evaluation's compliance figure) by a bucket lifecycle rule
or the operator; Momentum never deletes them.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db.models.functions import TruncDate

from momentum.audit.models import AuditLog
from momentum.lib.logs import get_logger
from momentum.platform import durable

log = get_logger("momentum.audit_retention")

CHUNK = 10_000  # rows per archive file (and per step)
DAYS_PER_RUN = 400  # a first run on a long backlog stops here and continues the next night
DELETE_BATCH = 500  # ids per DELETE ... IN (...): within SQLite's variable limit

QUEUES: dict[str, dict[str, Any]] = {"audit-retention": {"worker_concurrency": 1}}


def archive_storage() -> Storage:
    return storages["archive"]


def cutoff_for(moment: datetime) -> datetime:
    """Events before this instant (midnight UTC, retention days ago) leave the database."""
    day = (moment.astimezone(UTC) - timedelta(days=settings.AUDIT_RETENTION_DAYS)).date()
    return datetime.combine(day, time.min, tzinfo=UTC)


def _line(event: AuditLog) -> bytes:
    record = {
        "id": str(event.id),
        "created_at": event.created_at.isoformat(),
        "action": event.action,
        "actor_id": event.actor_id,
        "subject_id": event.subject_id,
        "resource_type": event.resource_type,
        "resource_id": event.resource_id,
        "ip_address": event.ip_address,
        "user_agent": event.user_agent,
        "metadata": event.metadata,
        "request_id": event.request_id,
    }
    return json.dumps(record, sort_keys=True, separators=(",", ":"), default=str).encode() + b"\n"


@durable.step()
def days_to_archive(cutoff_iso: str) -> list[str]:
    cutoff = datetime.fromisoformat(cutoff_iso)
    days = (
        AuditLog.objects.filter(created_at__lt=cutoff)
        .annotate(day=TruncDate("created_at", tzinfo=UTC))
        .values_list("day", flat=True)
        .distinct()
        .order_by("day")
    )
    return [day.isoformat() for day in days[:DAYS_PER_RUN]]


@durable.step(retries_allowed=True, max_attempts=5)
def archive_chunk(day_iso: str, cutoff_iso: str) -> int:
    """Archive (and then delete) up to CHUNK events of one UTC day; returns how many."""
    start = datetime.combine(date.fromisoformat(day_iso), time.min, tzinfo=UTC)
    end = min(start + timedelta(days=1), datetime.fromisoformat(cutoff_iso))
    events = list(
        AuditLog.objects.filter(created_at__gte=start, created_at__lt=end).order_by("created_at", "id")[:CHUNK]
    )
    if not events:
        return 0
    payload = gzip.compress(b"".join(_line(event) for event in events), mtime=0)
    digest = hashlib.sha256(payload).hexdigest()
    name = f"{settings.AUDIT_ARCHIVE_PREFIX}/{start:%Y/%m}/audit-{day_iso}-{digest[:16]}.jsonl.gz"
    storage = archive_storage()
    if not storage.exists(name):
        saved = storage.save(name, ContentFile(payload))
        if saved != name:
            raise RuntimeError(f"archive storage stored {name} as {saved}")
    with storage.open(name, "rb") as stored:
        if hashlib.sha256(stored.read()).hexdigest() != digest:
            raise RuntimeError(f"archive {name} does not read back as written; rows kept")
    ids = [event.id for event in events]
    for index in range(0, len(ids), DELETE_BATCH):
        AuditLog.objects.filter(pk__in=ids[index : index + DELETE_BATCH]).delete()
    log.info("audit_archived", day=day_iso, events=len(events), file=name)
    return len(events)


@durable.workflow("ops.archive_audit_logs")
def archive_audit_logs(scheduled_at: datetime, context: Any) -> int:
    cutoff_iso = cutoff_for(scheduled_at).isoformat()
    archived = 0
    for day_iso in days_to_archive(cutoff_iso):
        while True:
            count = archive_chunk(day_iso, cutoff_iso)
            archived += count
            if count < CHUNK:
                break
    return archived


SCHEDULES = [
    {"schedule_name": "ops.archive_audit_logs", "workflow_fn": archive_audit_logs, "schedule": "0 23 3 * * *"},
]
