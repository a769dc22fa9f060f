"""Admins start backups and drills through the API; a worker does them."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from dbos import DBOS

from momentum.audit.models import AuditLog
from momentum.recovery import manifest
from momentum.recovery.models import BackupRun, OperationStatus

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_admin_starts_a_backup_and_a_worker_makes_it(
    workflows: None, admin: Any, api_as: Any, backup_target: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="momentum.backups")

    response = api_as(admin).post("/admin/backups", HTTP_X_REQUEST_ID="ops-backup-test")

    assert response.status_code == 202
    body = response.json()
    assert body["kind"] == "backup"
    assert body["status"] == "running"
    location: str = DBOS.retrieve_workflow(f"ops-backup-{body['id']}").get_result()
    run = BackupRun.objects.get(pk=body["id"])
    assert run.status == OperationStatus.SUCCEEDED
    assert run.location == location
    assert manifest.file_problems(Path(location), manifest.read(Path(location))) == []
    audit = AuditLog.objects.get(action="ops.backup_requested")
    assert audit.actor == admin
    assert audit.request_id == "ops-backup-test"
    # the worker's step logged under the request that started it
    finished = [record.msg for record in caplog.records if isinstance(record.msg, dict)
                and record.msg.get("event") == "backup_finished"]  # fmt: skip
    assert finished[0]["request_id"] == "ops-backup-test"


def test_an_admin_starts_a_restore_drill_of_the_latest_backup(
    workflows: None, admin: Any, api_as: Any, backup_target: Path
) -> None:
    client = api_as(admin)
    backup = client.post("/admin/backups").json()
    DBOS.retrieve_workflow(f"ops-backup-{backup['id']}").get_result()

    drill = client.post("/admin/restore-drills").json()
    DBOS.retrieve_workflow(f"ops-drill-{drill['id']}").get_result()

    shown = client.get(f"/admin/backups/{drill['id']}").json()
    assert shown["status"] == "succeeded"
    assert shown["manifest"]["problems"] == []
    assert shown["manifest"]["rto_seconds"] > 0
    listed = client.get("/admin/backups", {"kind": "drill"}).json()
    assert listed["count"] == 1
    assert listed["items"][0]["id"] == drill["id"]


def test_learners_may_not_start_backups(learner: Any, api_as: Any, api: Any) -> None:
    assert api_as(learner).post("/admin/backups").status_code == 403
    assert api.post("/admin/backups").status_code == 401
    assert BackupRun.objects.count() == 0


def test_alarm_states_are_listed_for_admins(admin: Any, api_as: Any) -> None:
    from momentum.observability import alarms

    alarms.evaluate()

    items = api_as(admin).get("/admin/alarms").json()["items"]
    assert {item["name"] for item in items} == {alarm.name for alarm in alarms.catalogue()}


def test_a_page_number_past_any_list_is_a_validation_error_not_a_crash(admin: Any, api_as: Any) -> None:
    response = api_as(admin).get("/admin/backups", {"page": 243456357094875136})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "page"


def test_a_drill_with_no_backup_to_restore_ends_as_a_failed_run_without_a_workflow_error(
    workflows: None, admin: Any, api_as: Any, backup_target: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    client = api_as(admin)

    drill = client.post("/admin/restore-drills").json()

    assert DBOS.retrieve_workflow(f"ops-drill-{drill['id']}").get_result() == OperationStatus.FAILED
    shown = client.get(f"/admin/backups/{drill['id']}").json()
    assert shown["status"] == "failed"
    assert "no finished backup" in shown["error"]
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR] == []


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    from momentum.recovery import service

    def no_space(*args: Any, **kwargs: Any) -> Any:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(service, "engine_for", no_space)


def test_a_backup_that_fails_ends_as_a_failed_run_without_a_workflow_error(
    workflows: None, admin: Any, api_as: Any, full_disk: None, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)

    backup = api_as(admin).post("/admin/backups").json()

    assert DBOS.retrieve_workflow(f"ops-backup-{backup['id']}").get_result() == OperationStatus.FAILED
    run = BackupRun.objects.get(pk=backup["id"])
    assert run.status == OperationStatus.FAILED
    assert "No space left on device" in run.error
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR] == []
