"""Shared helpers of the pipeline tests: start a job through the API, wait for it to end."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from typing import Any

from momentum.generation.models import GenerationJob, JobStatus

ENDED = (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)


def job_body(**overrides: Any) -> dict[str, Any]:
    return {
        "topic": "Home espresso brewing",
        "category": "health-wellness",
        "duration_days": 7,
        "level": "BEGINNER",
        "audience": "people with a new espresso machine",
        "include_video": True,
        "include_thumbnail": True,
        **overrides,
    }


def wait_for_job(job_id: Any, timeout: float = 280) -> GenerationJob:
    deadline = time.monotonic() + timeout
    while True:
        job = GenerationJob.objects.get(pk=job_id)
        if job.status in ENDED:
            return job
        if time.monotonic() > deadline:
            steps = list(job.steps.values_list("name", "status", "error"))
            raise AssertionError(f"job still {job.status} after {timeout} s: {steps}")
        time.sleep(0.2)


def streams_of(path: str) -> set[str]:
    """The kinds of stream (video, audio) ffprobe reads in a media file."""
    ffprobe = shutil.which("ffprobe") or "ffprobe"
    result = subprocess.run(
        [ffprobe, "-v", "error", "-show_entries", "stream=codec_type", "-of", "json", path],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return {stream["codec_type"] for stream in json.loads(result.stdout)["streams"]}
