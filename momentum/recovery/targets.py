"""Where backups live: a local folder or an S3-compatible bucket (``s3://bucket/prefix``).

Each backup is a folder (or key prefix) named ``momentum-<env>-<UTC time>-<id>`` holding the
database dump, the media archive and ``manifest.json``. A backup without its manifest is
unfinished and never offered for a restore.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlparse

from django.conf import settings

from momentum.recovery import manifest

PARTIAL_PREFIX = ".partial-"


class Target(Protocol):
    def names(self) -> list[str]: ...
    def location(self, name: str) -> str: ...
    def publish(self, staging: Path, name: str) -> None: ...
    def fetch(self, name: str, into: Path) -> Path: ...
    def delete(self, name: str) -> None: ...
    def staging_dir(self, name: str) -> Path | None: ...


class LocalTarget:
    def __init__(self, root: Path) -> None:
        self.root = root

    def names(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(
            entry.name
            for entry in self.root.iterdir()
            if entry.is_dir() and not entry.name.startswith(".") and (entry / manifest.FILE_NAME).is_file()
        )

    def location(self, name: str) -> str:
        return str(self.root / name)

    def staging_dir(self, name: str) -> Path:
        """Write the backup here, beside its final place, so publishing is a rename."""
        self.root.mkdir(parents=True, exist_ok=True)
        folder = self.root / f"{PARTIAL_PREFIX}{name}"
        folder.mkdir()
        return folder

    def publish(self, staging: Path, name: str) -> None:
        os.replace(staging, self.root / name)  # atomic: the backup exists whole or not at all

    def fetch(self, name: str, into: Path) -> Path:
        folder = self.root / name
        if not (folder / manifest.FILE_NAME).is_file():
            raise FileNotFoundError(f"no backup {name} in {self.root}")
        return folder  # read in place

    def delete(self, name: str) -> None:
        shutil.rmtree(self.root / name, ignore_errors=True)

    def discard_partials(self) -> list[str]:
        """Remove unfinished backups (a crash or a full disk in the middle of one)."""
        removed = []
        if self.root.is_dir():
            for entry in self.root.iterdir():
                if entry.name.startswith(PARTIAL_PREFIX):
                    shutil.rmtree(entry, ignore_errors=True)
                    removed.append(entry.name)
        return removed


class S3Target:
    def __init__(self, bucket: str, prefix: str, client: Any) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.client = client

    def _key(self, *parts: str) -> str:
        return "/".join(part for part in (self.prefix, *parts) if part)

    def _objects(self, prefix: str) -> list[str]:
        keys: list[str] = []
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            keys.extend(item["Key"] for item in page.get("Contents", []))
        return keys

    def names(self) -> list[str]:
        root = self._key("") + "/" if self.prefix else ""
        complete = set()
        for key in self._objects(root):
            name, _, file_name = key[len(root) :].partition("/")
            if file_name == manifest.FILE_NAME:
                complete.add(name)
        return sorted(complete)

    def location(self, name: str) -> str:
        return f"s3://{self.bucket}/{self._key(name)}"

    def staging_dir(self, name: str) -> None:
        return None  # built in the local work folder, then uploaded

    def publish(self, staging: Path, name: str) -> None:
        files = sorted(path for path in staging.iterdir() if path.name != manifest.FILE_NAME)
        for path in [*files, staging / manifest.FILE_NAME]:  # the manifest last: it completes the backup
            self.client.upload_file(str(path), self.bucket, self._key(name, path.name))

    def fetch(self, name: str, into: Path) -> Path:
        folder = into / name
        folder.mkdir(parents=True, exist_ok=True)
        keys = self._objects(self._key(name) + "/")
        if self._key(name, manifest.FILE_NAME) not in keys:
            raise FileNotFoundError(f"no backup {name} in {self.location('')}")
        for key in keys:
            self.client.download_file(self.bucket, key, str(folder / key.rsplit("/", 1)[-1]))
        return folder

    def delete(self, name: str) -> None:
        keys = self._objects(self._key(name) + "/")
        for start in range(0, len(keys), 1000):
            chunk = [{"Key": key} for key in keys[start : start + 1000]]
            self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": chunk, "Quiet": True})

    def discard_partials(self) -> list[str]:
        return []  # an upload without its manifest is ignored; retention deletes only finished backups


def s3_client() -> Any:
    import boto3

    options = settings.BACKUP_S3
    return boto3.client(
        "s3", endpoint_url=options["endpoint_url"], region_name=options["region_name"],
        aws_access_key_id=options["aws_access_key_id"], aws_secret_access_key=options["aws_secret_access_key"],
    )  # fmt: skip


def target_for(location: str | None = None) -> LocalTarget | S3Target:
    """The target named by ``location`` (a folder or s3://bucket/prefix), by default MOMENTUM_BACKUP_TARGET."""
    location = location or settings.BACKUP_TARGET
    if location.startswith("s3://"):
        parts = urlparse(location)
        if not parts.netloc:
            raise ValueError(f"{location!r} names no bucket")
        return S3Target(parts.netloc, parts.path, s3_client())
    return LocalTarget(Path(location).expanduser().resolve())


def split_location(location: str) -> tuple[LocalTarget | S3Target, str]:
    """A backup's full location (its folder, or s3://bucket/prefix/name) as (target, name)."""
    trimmed = location.rstrip("/")
    parent, _, name = trimmed.rpartition("/")
    if trimmed.startswith("s3://"):
        return target_for(parent), name
    return LocalTarget(Path(parent or ".").expanduser().resolve()), name
