"""Faults injected for real: closed ports, a Redis server killed, read-only and full file systems."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest


@pytest.fixture
def mount_tmpfs(tmp_path: Path) -> Iterator[Callable[..., Path]]:
    """``mount_tmpfs(size="4m", read_only=False)``: a small file system of its own (needs root)."""
    mounted: list[Path] = []

    def mount(*, size: str = "4m", read_only: bool = False) -> Path:
        point = tmp_path / f"fs-{uuid.uuid4().hex[:6]}"
        point.mkdir()
        options = f"size={size},mode=0777" + (",ro" if read_only else "")
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)],
                              capture_output=True, check=False)  # fmt: skip
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
        mounted.append(point)
        return point

    yield mount
    for point in reversed(mounted):
        subprocess.run(["umount", "-l", str(point)], check=False)


@pytest.fixture
def redis_server() -> str:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    return shutil.which("redis-server") or ""
