"""Fixtures of the operations tests: a backup folder, a media folder, a real local S3 server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def media_root(tmp_path: Path, settings: Any) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


@pytest.fixture
def backup_target(tmp_path: Path, settings: Any, media_root: Path) -> Path:
    settings.BACKUP_TARGET = str(tmp_path / "backups")
    return Path(settings.BACKUP_TARGET)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """moto's standalone S3-compatible HTTP server on 127.0.0.1 (a separate process)."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"},
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("moto's S3 server did not start") from None
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def s3_bucket(s3_server: str, settings: Any, media_root: Path) -> str:
    """An empty bucket on the local S3 server; backups go to s3://<bucket>/backups."""
    import uuid

    import boto3

    settings.BACKUP_S3 = {"endpoint_url": s3_server, "region_name": "us-east-1",
                          "aws_access_key_id": "test", "aws_secret_access_key": "test"}  # fmt: skip
    bucket = f"momentum-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", **settings.BACKUP_S3).create_bucket(Bucket=bucket)
    settings.BACKUP_TARGET = f"s3://{bucket}/backups"
    return bucket
