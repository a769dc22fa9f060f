"""Fixtures of the learning tests: a published 7-day course, an enrolled learner, a real MP4."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from momentum.analytics import actions as analytics_actions
from momentum.catalog.models import Course
from momentum.learning import actions as learning_actions
from momentum.learning.actions import do_enroll
from momentum.lib.write_buffer import WriteBuffer
from tests.factories import make_course


@pytest.fixture
def course(db: None) -> Course:
    return make_course("Seven days of Python", duration_days=7, lesson_minutes=12)


@pytest.fixture
def enrolled(learner: Any, course: Course) -> Any:
    do_enroll(learner, course)
    return learner


@pytest.fixture(scope="session")
def mp4(tmp_path_factory: Any) -> Path:
    """A real 6-second H.264 MP4 with a moving test pattern and a tone, made by ffmpeg."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        pytest.fail("ffmpeg is needed for the video tests (make test installs it)")
    path: Path = tmp_path_factory.mktemp("video") / "lesson.mp4"
    subprocess.run(
        [ffmpeg, "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=duration=6:size=320x180:rate=15",
         "-f", "lavfi", "-i", "sine=frequency=440:duration=6", "-c:v", "libx264", "-pix_fmt", "yuv420p",
         "-profile:v", "baseline", "-c:a", "aac", "-shortest", "-movflags", "+faststart", "-y", str(path)],
        check=True, timeout=60,
    )  # fmt: skip
    return path


@pytest.fixture
def eml_mail(settings: Any, mail_dir: Path) -> Path:
    """Email written as .eml files under this test's mail_dir, as in dev (Django's test runner
    would otherwise keep it in memory)."""
    settings.EMAIL_BACKEND = "momentum.lib.mailfiles.EmlFileBackend"
    return mail_dir


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[Clock]:
    """The two learning buffers, buffering (1 s) on a clock the test moves, and empty afterwards."""
    moved = Clock()
    buffers: list[WriteBuffer[Any]] = [analytics_actions.BUFFERED_EVENTS, learning_actions.LAST_ACTIVITY]
    for buffer in buffers:
        monkeypatch.setattr(buffer, "interval", 1.0)
        monkeypatch.setattr(buffer, "clock", moved)
        monkeypatch.setattr(buffer, "_last_flush", moved.now)
        # the flusher thread must not run in a test: its connection cannot see the test's transaction
        monkeypatch.setattr("momentum.lib.write_buffer._FLUSHER.ensure_started", lambda: None)
    yield moved
    for buffer in buffers:
        buffer.discard()
