"""ops split into audit, recovery, observability, sitesettings and platform (state only): a database
made with the old layout keeps every row of every moved table (docs/adr/0008)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from momentum.audit.models import AuditLog
from momentum.observability.models import AlarmState, MetricSample
from momentum.platform.models import CacheRevision, IdempotencyRecord
from momentum.recovery.models import BackupRun, OperationKind, OperationStatus
from momentum.sitesettings.models import SiteSettings

BEFORE = ("ops", "0004_cache_revisions")  # the layout of main before the split
NEW_APPS = ("audit", "recovery", "observability", "sitesettings", "platform")
TAKEN = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def old_layout(transactional_db: None) -> Iterator[Any]:
    """The database migrated back to the layout before the split; forward again afterwards."""
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE, *((app, None) for app in NEW_APPS)])
    try:
        yield MigrationExecutor(connection).loader.project_state(BEFORE).apps
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_a_database_made_before_the_split_keeps_every_row_of_the_moved_tables(old_layout: Any, admin: Any) -> None:
    # Given a database with the old layout and a row in each of ops' tables
    def old(name: str) -> Any:
        return old_layout.get_model("ops", name)

    event = old("AuditLog").objects.create(
        action="ops.backup_requested", actor_id=admin.pk, subject_id=admin.pk, resource_type="backuprun",
        resource_id="7", ip_address="203.0.113.9", metadata={"why": "drill"}, created_at=TAKEN,
    )  # fmt: skip
    old("IdempotencyRecord").objects.create(
        user_id=admin.pk, scope="checkout", key="k-1", request_hash="h" * 64, response_status=201,
        response_body={"id": 1}, created_at=TAKEN,
    )  # fmt: skip
    old("SiteSettings").objects.create(id=1, site_name="Field School", generation_monthly_budget_usd=Decimal("42.50"))
    run = old("BackupRun").objects.create(
        kind="backup", status="succeeded", location="/backups/b-1", size_bytes=1234, manifest={"tables": 3},
        started_at=TAKEN, finished_at=TAKEN,
    )  # fmt: skip
    old("AlarmState").objects.create(name="backup_stale", severity="critical", firing=True, value=26.0, since=TAKEN)
    sample = old("MetricSample").objects.create(taken_at=TAKEN, values={"requests": 12})
    old("CacheRevision").objects.update_or_create(scope="split-test", defaults={"revision": 1234567})

    # When it is migrated to the new layout
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    # Then the new apps' models read every row, unchanged
    moved = AuditLog.objects.get(pk=event.pk)
    assert (moved.action, moved.actor, moved.subject, moved.resource_id, moved.ip_address, moved.metadata) == (
        "ops.backup_requested", admin, admin, "7", "203.0.113.9", {"why": "drill"},
    )  # fmt: skip
    record = IdempotencyRecord.objects.get(user=admin, scope="checkout", key="k-1")
    assert (record.response_status, record.response_body) == (201, {"id": 1})
    assert (SiteSettings.load().site_name, SiteSettings.load().generation_monthly_budget_usd) == (
        "Field School", Decimal("42.50"),
    )  # fmt: skip
    backup = BackupRun.objects.get(pk=run.pk)
    assert (backup.kind, backup.status, backup.location, backup.manifest) == (
        OperationKind.BACKUP, OperationStatus.SUCCEEDED, "/backups/b-1", {"tables": 3},
    )  # fmt: skip
    alarm = AlarmState.objects.get(name="backup_stale")
    assert (alarm.firing, alarm.value, alarm.severity) == (True, 26.0, "critical")
    assert MetricSample.objects.get(pk=sample.pk).values == {"requests": 12}
    assert CacheRevision.objects.get(scope="split-test").revision == 1234567
