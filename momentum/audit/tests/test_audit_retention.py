"""Audit retention: events older than 90 days move to storage as gzipped JSON lines, nothing else moves."""

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from dbos import DBOS
from django.utils import timezone

from momentum.accounts.models import User
from momentum.audit import workflows as audit_retention
from momentum.audit.actions import do_record_audit
from momentum.audit.models import AuditLog
from momentum.platform import durable

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def archive_dir(tmp_path: Path, settings: Any) -> Path:
    settings.STORAGES = {
        **settings.STORAGES,
        "archive": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    return tmp_path


def event_at(when: datetime, action: str = "auth.signed_in", **fields: Any) -> AuditLog:
    event = do_record_audit(action, **fields)
    AuditLog.objects.filter(pk=event.pk).update(created_at=when)
    return event


def archived_lines(archive_dir: Path) -> list[dict[str, Any]]:
    lines = []
    for path in sorted(archive_dir.rglob("*.jsonl.gz")):
        lines += [json.loads(line) for line in gzip.decompress(path.read_bytes()).splitlines()]
    return lines


def run(when: datetime) -> int:
    workflow_id = durable.enqueue(audit_retention.archive_audit_logs, when, None, queue="audit-retention")
    return DBOS.retrieve_workflow(workflow_id).get_result()


def test_events_past_retention_are_archived_and_deleted(workflows: None, archive_dir: Path, learner: User) -> None:
    now = timezone.now()
    old = [event_at(now - timedelta(days=days), subject=learner, metadata={"n": days}) for days in (120, 100, 100, 95)]
    recent = event_at(now - timedelta(days=10), subject=learner)

    archived = run(now)

    assert archived == 4
    assert not AuditLog.objects.filter(created_at__lt=now - timedelta(days=90)).exists()
    assert AuditLog.objects.filter(pk=recent.pk).exists()
    lines = archived_lines(archive_dir)
    assert sorted(line["id"] for line in lines) == sorted(str(event.pk) for event in old)
    assert all(line["subject_id"] == learner.pk for line in lines)
    assert {line["metadata"]["n"] for line in lines} == {120, 100, 95}


def test_archives_are_one_file_per_day_named_by_date(workflows: None, archive_dir: Path) -> None:
    event_at(datetime(2026, 3, 1, 8, 0, tzinfo=UTC))
    event_at(datetime(2026, 3, 1, 22, 0, tzinfo=UTC))
    event_at(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))

    run(datetime(2026, 9, 1, 3, 23, tzinfo=UTC))

    names = sorted(path.name[:17] for path in archive_dir.rglob("*.jsonl.gz"))
    assert names == ["audit-2026-03-01-", "audit-2026-03-02-"]
    assert all(path.parent.as_posix().endswith("archive/audit-logs/2026/03") for path in archive_dir.rglob("*.gz"))


def test_running_again_archives_nothing_twice(workflows: None, archive_dir: Path) -> None:
    now = timezone.now()
    event_at(now - timedelta(days=200))
    run(now)

    assert run(now + timedelta(days=1)) == 0
    assert len(archived_lines(archive_dir)) == 1


def test_the_cutoff_is_midnight_utc_retention_days_back(settings: Any) -> None:
    settings.AUDIT_RETENTION_DAYS = 90

    cutoff = audit_retention.cutoff_for(datetime(2026, 6, 30, 3, 23, tzinfo=UTC))

    assert cutoff == datetime(2026, 4, 1, 0, 0, tzinfo=UTC)


def test_the_workflow_runs_nightly() -> None:
    [schedule] = audit_retention.SCHEDULES
    assert (schedule["schedule"], schedule["workflow_fn"]) == ("0 23 3 * * *", audit_retention.archive_audit_logs)
