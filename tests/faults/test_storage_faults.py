"""The file storage refuses writes, or the disk fills during a backup: clear failures, nothing false left."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import MULTIPART_CONTENT as MULTIPART
from PIL import Image

from momentum.recovery import restore as recovery
from momentum.recovery import service
from momentum.recovery.models import BackupRun, OperationKind, OperationStatus
from tests.factories import make_course

pytestmark = pytest.mark.django_db(transaction=True)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 450), (40, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def test_with_read_only_storage_readyz_is_503_and_names_the_storage(
    client: Any, settings: Any, mount_tmpfs: Callable[..., Path]
) -> None:
    settings.MEDIA_ROOT = mount_tmpfs(read_only=True)

    response = client.get("/readyz")

    assert response.status_code == 503
    storage = response.json()["checks"]["storage"]
    assert storage["ok"] is False
    assert "Read-only file system" in storage["error"]
    assert response.json()["checks"]["database"]["ok"] is True


def test_an_upload_to_read_only_storage_is_a_503_problem_and_changes_nothing(
    admin: Any, api_as: Any, settings: Any, mount_tmpfs: Callable[..., Path]
) -> None:
    course = make_course("Thumbnails", duration_days=7)
    settings.MEDIA_ROOT = mount_tmpfs(read_only=True)

    response = api_as(admin).post(
        f"/courses/{course.slug}/thumbnail",
        {"file": SimpleUploadedFile("cover.png", png(), content_type="image/png")},
        content_type=MULTIPART,
    )

    assert response.status_code == 503
    assert response.json()["code"] == "storage_unavailable"
    course.refresh_from_db()
    assert not course.thumbnail


def test_a_backup_to_a_read_only_target_fails_with_the_reason_recorded(
    admin: Any, settings: Any, tmp_path: Path, mount_tmpfs: Callable[..., Path]
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKUP_TARGET = str(mount_tmpfs(read_only=True))

    with pytest.raises(OSError, match="Read-only file system"):
        service.create_backup()

    run = BackupRun.objects.get(kind=OperationKind.BACKUP)
    assert run.status == OperationStatus.FAILED
    assert "Read-only file system" in run.error


def test_a_disk_that_fills_during_a_backup_fails_it_cleanly_and_the_previous_backup_stays_valid(
    admin: Any, settings: Any, tmp_path: Path, mount_tmpfs: Callable[..., Path]
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    target = mount_tmpfs(size="16m")
    settings.BACKUP_TARGET = str(target)
    make_course("Backed up", duration_days=7)
    previous = service.create_backup()
    # Fill the file system (a real tmpfs of 16 MiB) up to its last few kilobytes.
    # Unbuffered, so the failing write is the last one: closing the file has nothing left to flush.
    with (target / "filler").open("wb", buffering=0) as filler:
        try:
            while True:
                filler.write(b"\0" * 65536)
        except OSError:
            pass
    (target / "filler").write_bytes(b"\0" * ((target / "filler").stat().st_size - 8192))

    # The SQLite snapshot says "database or disk is full"; pg_dump's output, "No space left on device".
    with pytest.raises(Exception, match=r"disk is full|No space left on device"):
        service.create_backup()

    failed = BackupRun.objects.filter(kind=OperationKind.BACKUP).order_by("-pk").first()
    assert failed is not None
    assert failed.status == OperationStatus.FAILED
    assert "disk is full" in failed.error or "No space left on device" in failed.error
    assert sorted(entry.name for entry in target.iterdir()) == sorted([Path(previous.location).name, "filler"])
    assert recovery.check_backup().name == Path(previous.location).name
