"""Backups: consistent snapshots with a manifest, restores and drills that prove them (both databases)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from momentum.catalog.models import Category, Course, Lesson
from momentum.learning.models import Enrollment
from momentum.recovery import engines, manifest, media, service
from momentum.recovery import restore as recovery
from momentum.recovery.engines import BackupError
from momentum.recovery.models import BackupRun, OperationKind, OperationStatus

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def catalogue(admin: Any, learner: Any, media_root: Path) -> Course:
    category = Category.objects.get(slug="health-wellness")
    course = Course.objects.create(slug="sleep-better", title="Sleep better", category=category,
                                   duration_days=7, created_by=admin)  # fmt: skip
    for day in range(1, 8):
        Lesson.objects.create(course=course, day=day, title=f"Day {day}", content_markdown=f"Lesson {day} ✓")
    Enrollment.objects.create(user=learner, course=course)
    default_storage.save("thumbnails/sleep-better.png", ContentFile(b"\x89PNG fake thumbnail"))
    return course


def live_facts(exclude: tuple[str, ...] = ("ops_backuprun",)) -> dict[str, tuple[int, str]]:
    with engines.engine_for().live() as inspector:
        return {
            table: (facts.rows, facts.checksum) for table, facts in inspector.facts().items() if table not in exclude
        }


def manifest_facts(location: str, exclude: tuple[str, ...] = ("ops_backuprun",)) -> dict[str, tuple[int, str]]:
    tables = manifest.read(Path(location))["database"]["tables"]
    return {table: (facts["rows"], facts["checksum"]) for table, facts in tables.items() if table not in exclude}


def test_a_backup_holds_the_database_and_media_with_a_manifest_of_checksums_and_row_counts(
    catalogue: Course, backup_target: Path
) -> None:
    run = service.create_backup()

    assert run.status == OperationStatus.SUCCEEDED
    folder = Path(run.location)
    assert folder.parent == backup_target
    body = manifest.read(folder)
    assert body["database"]["tables"]["catalog_lesson"]["rows"] == 7
    assert body["database"]["tables"]["learning_enrollment"]["rows"] == 1
    assert body["media"]["files"] == 1
    assert manifest.file_problems(folder, body) == []
    assert run.size_bytes == sum(item["bytes"] for item in body["files"].values())


def test_a_restore_brings_back_the_exact_rows_and_media_of_the_backup(catalogue: Course, backup_target: Path) -> None:
    # Given a backup, after which lessons, an enrolment and a thumbnail were lost
    run = service.create_backup()
    before = live_facts()
    Enrollment.objects.all().delete()
    Lesson.objects.filter(day__gt=3).delete()
    default_storage.delete("thumbnails/sleep-better.png")
    assert live_facts() != before

    # When the backup is restored
    restored = recovery.restore_backup(run.location)

    # Then every table has the backup's row count and checksum, and the media file is back
    assert restored.kind == OperationKind.RESTORE
    assert restored.status == OperationStatus.SUCCEEDED
    assert live_facts() == manifest_facts(run.location) == before
    assert Lesson.objects.filter(course=catalogue).count() == 7
    assert default_storage.open("thumbnails/sleep-better.png").read() == b"\x89PNG fake thumbnail"
    assert BackupRun.objects.get(pk=run.pk).status == OperationStatus.SUCCEEDED


def test_a_drill_restores_the_latest_backup_into_a_scratch_database_and_records_the_time_to_restore(
    catalogue: Course, backup_target: Path
) -> None:
    service.create_backup()
    untouched = live_facts(exclude=("ops_backuprun",))

    drill = recovery.run_drill()

    assert drill.kind == OperationKind.DRILL
    assert drill.status == OperationStatus.SUCCEEDED, drill.error
    assert drill.manifest["problems"] == []
    assert drill.manifest["rto_seconds"] > 0
    assert drill.duration_seconds == drill.manifest["rto_seconds"]
    assert drill.manifest["foreign_keys_checked"] > 20
    assert drill.manifest["media_files"] == 1
    assert live_facts(exclude=("ops_backuprun",)) == untouched  # the live database was not touched


def test_a_drill_fails_when_the_restored_data_differs_from_the_manifest(catalogue: Course, backup_target: Path) -> None:
    run = service.create_backup()
    path = Path(run.location) / manifest.FILE_NAME
    body = json.loads(path.read_text())
    body["database"]["tables"]["catalog_lesson"]["rows"] = 8
    path.write_text(json.dumps(body))

    drill = recovery.run_drill(location=run.location)

    assert drill.status == OperationStatus.FAILED
    assert "catalog_lesson: 7 rows, the backup had 8" in drill.error


def test_verify_backup_refuses_a_damaged_file(catalogue: Course, backup_target: Path) -> None:
    run = service.create_backup()
    damaged = Path(run.location) / media.FILE_NAME
    damaged.write_bytes(damaged.read_bytes()[:-100] + b"x" * 100)

    with pytest.raises(BackupError, match=r"media\.tar: SHA-256 differs"):
        recovery.check_backup(run.location)


def test_verify_backup_verifies_a_renamed_copy_of_a_backup_folder(
    catalogue: Course, backup_target: Path, tmp_path: Path
) -> None:
    import shutil

    run = service.create_backup()
    copy = tmp_path / "copied to a USB stick" / "nightly"
    shutil.copytree(run.location, copy)

    out = StringIO()
    call_command("verify_backup", str(copy), stdout=out)

    assert "is sound" in out.getvalue()
    assert json.loads(out.getvalue().split("\n}")[0] + "}")["backup"] == Path(run.location).name


def test_a_backup_that_fails_midway_leaves_nothing_behind_and_the_previous_backup_valid(
    catalogue: Course, backup_target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    previous = service.create_backup()

    def disk_full(folder: Path, storage: Any = None) -> Any:
        (folder / media.FILE_NAME).write_bytes(b"half an archive")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(media, "archive", disk_full)
    with pytest.raises(OSError, match="No space left"):
        service.create_backup()

    failed = BackupRun.objects.filter(kind=OperationKind.BACKUP).order_by("-pk").first()
    assert failed is not None
    assert failed.status == OperationStatus.FAILED
    assert "No space left on device" in failed.error
    assert sorted(entry.name for entry in backup_target.iterdir()) == [Path(previous.location).name]
    assert recovery.check_backup().name == Path(previous.location).name


def test_retention_keeps_the_newest_backups_and_the_newest_of_each_recent_day() -> None:
    names = [
        f"momentum-prod-202611{day:02d}T{hour:02d}0000.000000Z-abcdef" for day in (20, 21, 22) for hour in (1, 9, 17)
    ]

    kept = service.retained(names, keep_recent=2, keep_daily=2)

    assert kept == {
        "momentum-prod-20261122T090000.000000Z-abcdef",
        "momentum-prod-20261122T170000.000000Z-abcdef",
        "momentum-prod-20261121T170000.000000Z-abcdef",
    }


def test_old_backups_are_deleted_after_a_new_one_by_the_retention_policy(
    catalogue: Course, backup_target: Path, settings: Any
) -> None:
    settings.BACKUP_KEEP_RECENT, settings.BACKUP_KEEP_DAILY = 2, 0
    runs = [service.create_backup(include_media=False) for _ in range(3)]

    assert sorted(entry.name for entry in backup_target.iterdir()) == sorted(Path(r.location).name for r in runs[1:])


def test_a_production_backup_is_not_restored_outside_prod_unless_anonymised(
    catalogue: Course, backup_target: Path, settings: Any
) -> None:
    settings.MOMENTUM_ENV = "prod"
    run = service.create_backup(include_media=False)
    settings.MOMENTUM_ENV = "staging"

    with pytest.raises(BackupError, match="momentum anonymize"):
        recovery.restore_backup(run.location)


def test_backups_go_to_and_come_back_from_s3_compatible_storage(catalogue: Course, s3_bucket: str) -> None:
    run = service.create_backup()

    assert run.location.startswith(f"s3://{s3_bucket}/backups/momentum-test-")
    drill = recovery.run_drill()
    assert drill.status == OperationStatus.SUCCEEDED, drill.error
    assert drill.location == run.location
    Lesson.objects.filter(day=7).delete()
    recovery.restore_backup("latest")
    assert Lesson.objects.filter(course=catalogue).count() == 7


def test_the_commands_back_up_verify_and_drill(catalogue: Course, backup_target: Path) -> None:
    out = StringIO()
    call_command("backup", stdout=out)
    location = json.loads(out.getvalue())["location"]

    out = StringIO()
    call_command("verify_backup", location, stdout=out)
    assert "is sound" in out.getvalue()

    out = StringIO()
    call_command("dr_drill", stdout=out)
    assert "Restored and verified" in out.getvalue()
    assert BackupRun.objects.filter(kind=OperationKind.DRILL, status=OperationStatus.SUCCEEDED).count() == 1
