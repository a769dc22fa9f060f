"""The media archive: every file of the media storage (local folder or S3) in one tar, and a
tree checksum (path, size and SHA-256 of every file) that a restore or drill recomputes."""

from __future__ import annotations

import hashlib
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.core.files.base import File
from django.core.files.storage import Storage, default_storage

FILE_NAME = "media.tar"
SKIPPED_PREFIXES = ("readyz/",)  # the readiness probe's short-lived files


@dataclass
class MediaFacts:
    files: int
    bytes: int
    tree_sha256: str

    def as_dict(self) -> dict[str, Any]:
        return {"file": FILE_NAME, "files": self.files, "bytes": self.bytes, "tree_sha256": self.tree_sha256}


def _walk(storage: Storage, folder: str = "") -> Iterator[str]:
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        path = f"{folder}{name}"
        if not path.startswith(SKIPPED_PREFIXES):
            yield path
    for name in sorted(directories):
        yield from _walk(storage, f"{folder}{name}/")


class _Hashing:
    """A read-only stream that hashes what passes through it."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.stream.read(size)
        self.digest.update(chunk)
        return chunk


class _Tree:
    def __init__(self) -> None:
        self.digest = hashlib.sha256()
        self.files = 0
        self.bytes = 0

    def add(self, name: str, size: int, sha256: str) -> None:
        self.digest.update(f"{name}\t{size}\t{sha256}\n".encode())
        self.files += 1
        self.bytes += size

    def facts(self) -> MediaFacts:
        return MediaFacts(self.files, self.bytes, self.digest.hexdigest())


def archive(folder: Path, storage: Storage | None = None) -> MediaFacts:
    """Write ``folder/media.tar`` with every file of the storage."""
    storage = storage or default_storage
    tree = _Tree()
    with tarfile.open(folder / FILE_NAME, "w", format=tarfile.PAX_FORMAT) as tar:
        for name in _walk(storage):
            try:
                size = storage.size(name)
                handle = storage.open(name, "rb")
            except FileNotFoundError:
                continue  # deleted while we walked
            with handle:
                info = tarfile.TarInfo(name)
                info.size = size
                info.mode = 0o640
                reader = _Hashing(handle)
                tar.addfile(info, reader)
            tree.add(name, size, reader.digest.hexdigest())
    return tree.facts()


def _members(path: Path) -> Iterator[tuple[tarfile.TarInfo, IO[bytes]]]:
    with tarfile.open(path, "r") as tar:
        for member in tar:
            if not member.isfile() or member.name.startswith("/") or ".." in Path(member.name).parts:
                continue
            stream = tar.extractfile(member)
            if stream is not None:
                yield member, stream


def verify(path: Path) -> MediaFacts:
    """Recompute the tree checksum from the archive (nothing is written)."""
    tree = _Tree()
    for member, stream in _members(path):
        digest = hashlib.sha256()
        while chunk := stream.read(1024 * 1024):
            digest.update(chunk)
        tree.add(member.name, member.size, digest.hexdigest())
    return tree.facts()


def restore(path: Path, storage: Storage | None = None) -> MediaFacts:
    """Put every archived file back under its own name (replacing a file of that name)."""
    storage = storage or default_storage
    tree = _Tree()
    for member, stream in _members(path):
        digest = hashlib.sha256()
        with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
            while chunk := stream.read(1024 * 1024):
                digest.update(chunk)
                spool.write(chunk)
            spool.seek(0)
            if storage.exists(member.name):
                storage.delete(member.name)
            saved = storage.save(member.name, File(spool, name=member.name))
        if saved != member.name:
            raise RuntimeError(f"media storage saved {member.name} as {saved}")
        tree.add(member.name, member.size, digest.hexdigest())
    return tree.facts()
