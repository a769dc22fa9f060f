"""Using backups: verify one, restore one, and the restore drill that measures the time to restore.

A drill restores the backup into a scratch database (a temporary SQLite file, or a new
PostgreSQL database dropped afterwards), recomputes every table's row count and checksum,
checks every foreign key and the media archive's checksums, and records how long it took:
the RTO we can actually meet.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from momentum.recovery import inspection, manifest, media
from momentum.recovery.engines import BackupError, PostgresEngine, SqliteEngine, engine_for, work_dir
from momentum.recovery.models import BackupRun, OperationKind, OperationStatus
from momentum.recovery.service import finish_run, start_run, summary
from momentum.recovery.targets import LocalTarget, S3Target, split_location, target_for


def resolve(location: str | None) -> tuple[LocalTarget | S3Target, str]:
    """``None``/"latest" → the newest backup at MOMENTUM_BACKUP_TARGET; a backup's name → that one
    there; a backup's folder (any folder holding a manifest, whatever its name) or s3:// address →
    that backup; a target → its newest backup."""
    if location in (None, "", "latest"):
        target = target_for(None)
    elif "://" not in location and (folder := Path(location).expanduser()).joinpath(manifest.FILE_NAME).is_file():
        # A backup's own folder, whatever it is called now (a renamed or copied backup): its
        # manifest says what it holds, and the name is only where it was first written.
        folder = folder.resolve()
        return LocalTarget(folder.parent), folder.name
    elif manifest.NAME_PATTERN.match(location.rstrip("/").rsplit("/", 1)[-1]):
        if "/" not in location:
            return target_for(None), location
        return split_location(location)
    else:
        target = target_for(location)
    names = target.names()
    if not names:
        raise BackupError(f"there is no finished backup at {target.location('')}")
    return target, names[-1]


@contextmanager
def fetched(location: str | None) -> Iterator[tuple[str, Path, dict[str, Any]]]:
    """The backup's files in a local folder, with its manifest, once their checksums are verified."""
    target, name = resolve(location)
    with tempfile.TemporaryDirectory(dir=work_dir(), prefix="fetch-") as scratch:
        folder = target.fetch(name, Path(scratch))
        try:
            body = manifest.read(folder)
        except (OSError, ValueError) as error:
            raise BackupError(f"{target.location(name)}: unreadable manifest ({error})") from error
        problems = manifest.file_problems(folder, body)
        if problems:
            raise BackupError(f"{target.location(name)} is damaged: " + "; ".join(problems))
        yield target.location(name), folder, body


def _scratch_engine(vendor: str) -> SqliteEngine | PostgresEngine:
    if vendor == "sqlite":
        return SqliteEngine(Path(settings.DATA_DIR) / "unused.sqlite3")  # a SQLite backup needs no server
    return engine_for(vendor)


@dataclass
class CheckReport:
    location: str = ""
    name: str = ""
    backup_created_at: str = ""
    tables: int = 0
    rows: int = 0
    foreign_keys_checked: int = 0
    media_files: int = 0
    restore_seconds: float = 0.0
    total_seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "backup": self.name, "location": self.location, "backup_created_at": self.backup_created_at,
            "tables": self.tables, "rows": self.rows, "foreign_keys_checked": self.foreign_keys_checked,
            "media_files": self.media_files, "restore_seconds": round(self.restore_seconds, 3),
            "rto_seconds": round(self.total_seconds, 3), "problems": self.problems,
        }  # fmt: skip


def check_backup(location: str | None = None, *, restore: bool = True) -> CheckReport:
    """Verify a backup: file checksums always; with ``restore``, a full restore into a scratch
    database with row counts, checksums and foreign keys compared, and the media archive's tree."""
    report = CheckReport()
    started = time.monotonic()
    with fetched(location) as (where, folder, body):
        report.location, report.name, report.backup_created_at = where, body["name"], body["created_at"]
        expected = body["database"]["tables"]
        report.tables, report.rows = len(expected), sum(table["rows"] for table in expected.values())
        if restore:
            engine = _scratch_engine(body["database"]["vendor"])
            with engine.scratch(folder / body["database"]["file"]) as inspector:
                report.restore_seconds = time.monotonic() - started
                report.problems.extend(inspection.compare(expected, inspector.facts()))
                integrity = inspector.integrity()
                report.foreign_keys_checked = integrity.foreign_keys_checked
                report.problems.extend(integrity.orphans + integrity.problems)
            if body.get("media"):
                facts = media.verify(folder / media.FILE_NAME)
                report.media_files = facts.files
                if facts.tree_sha256 != body["media"]["tree_sha256"]:
                    report.problems.append("the media archive's files differ from the manifest")
    report.total_seconds = time.monotonic() - started
    return report


def run_drill(run: BackupRun | None = None, *, location: str | None = None) -> BackupRun:
    """Restore the latest (or given) backup into a scratch database, check it, record the RTO."""
    run = run or start_run(OperationKind.DRILL)
    started = time.monotonic()
    try:
        report = check_backup(location, restore=True)
    except Exception as error:
        finish_run(run, started=started, error=error)
        raise
    problem = BackupError("; ".join(report.problems)) if report.problems else None
    return finish_run(run, started=started, error=problem, location=report.location, manifest=report.as_dict(),
                      duration_seconds=round(report.total_seconds, 3))  # fmt: skip


def _unknown_migrations(applied: dict[str, str]) -> list[str]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return [f"{app}.{name}" for app, name in sorted(applied.items()) if (app, name) not in loader.disk_migrations]


def restore_backup(
    location: str | None = None, *, include_media: bool = True, allow_personal_data: bool = False
) -> BackupRun:
    """Replace the configured database (and media files) with a backup, verify, migrate forward."""
    started = time.monotonic()
    with fetched(location) as (where, folder, body):
        database = body["database"]
        if (body["environment"] == "prod" and settings.MOMENTUM_ENV != "prod" and not body.get("anonymized")
                and not allow_personal_data):  # fmt: skip
            raise BackupError(
                f"{body['name']} holds production personal data; make a staging copy with `momentum anonymize` "
                "(or pass --allow-personal-data if this really is what you want)"
            )
        unknown = _unknown_migrations(database["migrations"])
        if unknown:
            raise BackupError(f"the backup's schema is newer than this code ({', '.join(unknown)}): deploy it first")
        engine = engine_for(database["vendor"])
        engine.restore_live(folder / database["file"])
        with engine.live() as inspector:
            problems = inspection.compare(database["tables"], inspector.facts())
        if problems:
            raise BackupError("restored, but the database differs from the backup: " + "; ".join(problems))
        media_files = 0
        if include_media and body.get("media"):
            facts = media.restore(folder / media.FILE_NAME)
            media_files = facts.files
            if facts.tree_sha256 != body["media"]["tree_sha256"]:
                raise BackupError("restored, but the media files differ from the manifest")
    connections.close_all()
    call_command("migrate", interactive=False, verbosity=0)
    _settle_history(body, where)
    run = start_run(OperationKind.RESTORE, where)
    return finish_run(run, started=started, manifest={
        "backup": body["name"], "backup_created_at": body["created_at"], "tables": len(database["tables"]),
        "rows": sum(table["rows"] for table in database["tables"].values()), "media_files": media_files,
    })  # fmt: skip


def _settle_history(body: dict[str, Any], location: str) -> None:
    """The restored history still shows the restored backup as running (it was, at snapshot time)."""
    now = timezone.now()
    BackupRun.objects.filter(pk=body.get("run_id") or 0, status=OperationStatus.RUNNING).update(
        status=OperationStatus.SUCCEEDED, location=location, finished_at=now, manifest=summary(body),
        size_bytes=sum(item["bytes"] for item in body["files"].values()),
    )  # fmt: skip
    BackupRun.objects.filter(status=OperationStatus.RUNNING).update(
        status=OperationStatus.FAILED, error="interrupted: the database was restored from an earlier backup",
        finished_at=now,
    )  # fmt: skip
