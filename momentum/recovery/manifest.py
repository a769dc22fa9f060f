"""The manifest that describes a backup, and the checksums of its files.

A backup is complete when its manifest exists: locally the backup's folder appears under its
final name only once everything is written; in a bucket the manifest is uploaded last.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FORMAT = 1
FILE_NAME = "manifest.json"
NAME_PATTERN = re.compile(r"^momentum-(?P<env>[a-z]+)-(?P<stamp>\d{8}T\d{6}\.\d{6}Z)-(?P<id>[0-9a-f]{6})$")
STAMP = "%Y%m%dT%H%M%S.%fZ"  # names sort in time order


def backup_name(environment: str, when: datetime, suffix: str) -> str:
    return f"momentum-{environment}-{when.astimezone(UTC).strftime(STAMP)}-{suffix}"


def taken_at(name: str) -> datetime | None:
    match = NAME_PATTERN.match(name)
    if match is None:
        return None
    return datetime.strptime(match["stamp"], STAMP).replace(tzinfo=UTC)


def environment_of(name: str) -> str | None:
    match = NAME_PATTERN.match(name)
    return match["env"] if match else None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def describe_files(folder: Path, names: list[str]) -> dict[str, dict[str, Any]]:
    return {name: {"bytes": (folder / name).stat().st_size, "sha256": sha256_of(folder / name)} for name in names}


def write(folder: Path, manifest: dict[str, Any]) -> Path:
    path = folder / FILE_NAME
    path.write_text(json.dumps({"format": FORMAT, **manifest}, indent=2, sort_keys=True), encoding="utf-8")
    return path


def read(folder: Path) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads((folder / FILE_NAME).read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise ValueError(f"unknown manifest format {manifest.get('format')!r}")
    return manifest


def file_problems(folder: Path, manifest: dict[str, Any]) -> list[str]:
    """Files missing or whose size or SHA-256 differ from the manifest."""
    problems = []
    for name, expected in sorted(manifest.get("files", {}).items()):
        path = folder / name
        if not path.is_file():
            problems.append(f"{name} is missing")
        elif path.stat().st_size != expected["bytes"]:
            problems.append(f"{name}: {path.stat().st_size} bytes, the manifest says {expected['bytes']}")
        elif sha256_of(path) != expected["sha256"]:
            problems.append(f"{name}: SHA-256 differs from the manifest")
    return problems
