"""Making backups: ``create_backup`` (what `momentum backup` and the scheduled workflow run) and
the retention policy. Each run is recorded as a BackupRun, shown on /studio/ops."""

from __future__ import annotations

import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from momentum.lib.logs import get_logger
from momentum.observability import metrics
from momentum.recovery import manifest, media
from momentum.recovery.engines import Dump, engine_for, work_dir
from momentum.recovery.models import BackupRun, OperationKind, OperationStatus
from momentum.recovery.targets import LocalTarget, S3Target, target_for

log = get_logger("momentum.backups")


def start_run(kind: OperationKind, location: str = "") -> BackupRun:
    return BackupRun.objects.create(kind=kind, status=OperationStatus.RUNNING, location=location)


def finish_run(run: BackupRun, *, started: float, error: BaseException | None = None, **fields: Any) -> BackupRun:
    run.status = OperationStatus.FAILED if error is not None else OperationStatus.SUCCEEDED
    run.error = f"{type(error).__name__}: {error}"[:4000] if error is not None else ""
    run.finished_at = timezone.now()
    run.duration_seconds = round(time.monotonic() - started, 3)
    for name, value in fields.items():
        setattr(run, name, value)
    run.save()
    metrics.BACKUP_RUNS.labels(run.kind, run.status).inc()
    log.info(f"{run.kind}_finished", run_id=run.pk, status=run.status, location=run.location,
             seconds=run.duration_seconds, error=run.error or None)  # fmt: skip
    return run


@contextmanager
def _staging(target: LocalTarget | S3Target, name: str) -> Iterator[Path]:
    """A folder to build the backup in; removed on failure (a full disk leaves nothing behind)."""
    folder = target.staging_dir(name) or Path(tempfile.mkdtemp(dir=work_dir(), prefix=".partial-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # gone after a successful local publish already


def build_manifest(
    *, name: str, dump: Dump, vendor: str, media_facts: media.MediaFacts | None, folder: Path, **extra: Any
) -> dict[str, Any]:
    files = [dump.path.name, *([media.FILE_NAME] if media_facts is not None else [])]
    return {
        "name": name,
        "created_at": timezone.now().isoformat(),
        "environment": settings.MOMENTUM_ENV,
        "anonymized": False,
        "app_version": version("momentum"),
        "database": {
            "vendor": vendor,
            "file": dump.path.name,
            "migrations": dump.migrations,
            "tables": {table: {"rows": facts.rows, "checksum": facts.checksum} for table, facts in dump.tables.items()},
        },
        "media": media_facts.as_dict() if media_facts is not None else None,
        "files": manifest.describe_files(folder, files),
        **extra,
    }


def summary(body: dict[str, Any]) -> dict[str, Any]:
    """What the BackupRun row keeps of a manifest (the per-table figures stay in the backup)."""
    tables = body["database"]["tables"]
    return {
        "name": body["name"],
        "environment": body["environment"],
        "anonymized": body.get("anonymized", False),
        "vendor": body["database"]["vendor"],
        "tables": len(tables),
        "rows": sum(table["rows"] for table in tables.values()),
        "media_files": (body.get("media") or {}).get("files", 0),
        "files": body["files"],
    }


def create_backup(
    run: BackupRun | None = None, *, location: str | None = None, include_media: bool | None = None
) -> BackupRun:
    """Back up the database (consistent online snapshot) and media to the target; apply retention."""
    run = run or start_run(OperationKind.BACKUP)
    started = time.monotonic()
    include_media = settings.BACKUP_INCLUDE_MEDIA if include_media is None else include_media
    try:
        target = target_for(location)
        name = manifest.backup_name(settings.MOMENTUM_ENV, timezone.now(), uuid.uuid4().hex[:6])
        engine = engine_for()
        with _staging(target, name) as folder:
            dump = engine.dump(folder)
            media_facts = media.archive(folder) if include_media else None
            body = build_manifest(name=name, dump=dump, vendor=engine.vendor, media_facts=media_facts,
                                  folder=folder, run_id=run.pk)  # fmt: skip
            manifest.write(folder, body)
            target.publish(folder, name)
    except Exception as error:
        finish_run(run, started=started, error=error)
        raise
    run = finish_run(
        run, started=started, location=target.location(name), manifest=summary(body),
        size_bytes=sum(item["bytes"] for item in body["files"].values()),
    )  # fmt: skip
    try:
        apply_retention(target)
    except Exception as error:  # the backup is made; a failed clean-up is logged and retried next time
        log.warning("backup_retention_failed", error=f"{type(error).__name__}: {error}")
    return run


def retained(names: list[str], *, keep_recent: int, keep_daily: int) -> set[str]:
    """The newest ``keep_recent`` backups, plus the newest of each of the ``keep_daily`` latest days."""
    dated = sorted((stamp, name) for name in names if (stamp := manifest.taken_at(name)) is not None)
    keep = {name for _, name in dated[-keep_recent:]}
    newest_of_day: dict[Any, str] = {}
    for stamp, name in dated:
        newest_of_day[stamp.date()] = name
    keep.update(newest_of_day[day] for day in sorted(newest_of_day)[-keep_daily:] if keep_daily)
    return keep


def apply_retention(target: LocalTarget | S3Target) -> list[str]:
    """Delete this environment's backups that the policy no longer keeps; returns their names."""
    names = [name for name in target.names() if manifest.environment_of(name) == settings.MOMENTUM_ENV]
    if not names:
        return []
    keep = retained(names, keep_recent=settings.BACKUP_KEEP_RECENT, keep_daily=settings.BACKUP_KEEP_DAILY)
    keep.add(names[-1])  # never the newest
    deleted = [name for name in names if name not in keep]
    for name in deleted:
        target.delete(name)
    if isinstance(target, LocalTarget):
        _discard_stale_partials(target)
    if deleted:
        log.info("backups_pruned", deleted=deleted)
    return deleted


def _discard_stale_partials(target: LocalTarget) -> None:
    cutoff = time.time() - settings.BACKUP_TIMEOUT_SECONDS
    if not target.root.is_dir():
        return
    for entry in target.root.iterdir():
        if entry.name.startswith(".partial-") and entry.stat().st_mtime < cutoff:
            shutil.rmtree(entry, ignore_errors=True)


def mark_interrupted_runs() -> int:
    """Runs left RUNNING by a process that died: failed, so that they stop looking alive."""
    cutoff = timezone.now() - timedelta(seconds=settings.BACKUP_TIMEOUT_SECONDS * 2)
    return BackupRun.objects.filter(status=OperationStatus.RUNNING, started_at__lt=cutoff).update(
        status=OperationStatus.FAILED, error="interrupted: the process running it stopped", finished_at=timezone.now()
    )
