"""The embedded default cache (no REDIS_URL) is one cache for every process of the machine."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache, caches

from momentum.lib.cache_disk import SharedDiskCache

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.skipif(bool(settings.REDIS_URL), reason="the embedded default: no Redis")


def in_another_process(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.core.cache import cache; {code}"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "momentum.test_settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_cache_lives_in_this_test_workers_data_folder() -> None:
    backend = caches["default"]

    assert isinstance(backend, SharedDiskCache)
    assert Path(backend.directory) == settings.DATA_DIR / "cache"


def test_another_process_reads_what_this_one_wrote_and_counts_on() -> None:
    cache.set("shared:greeting", "hello from the test", 60)
    cache.set("shared:counter", 1, 60)

    seen = in_another_process("print(cache.get('shared:greeting'), cache.incr('shared:counter'))")

    assert seen == "hello from the test 2"
    assert cache.incr("shared:counter") == 3


def test_clearing_the_cache_empties_it_for_every_process() -> None:
    cache.set("shared:stale", "old", 60)

    cache.clear()

    assert in_another_process("print(cache.get('shared:stale', 'gone'))") == "gone"
