"""In Chromium, a lesson with an uploaded video and captions: the player loads the captions track
(its cues reach ``video.textTracks``) and the transcript is on the page beside the video."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files import File

from momentum.catalog.actions import do_put_caption_track, do_set_lesson_video
from momentum.learning.actions import do_enroll
from momentum.lib import captions
from tests.e2e.test_studio_authoring import sign_in
from tests.factories import make_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CUES = [captions.Cue(0.0, 1.0, "Water the fern in the morning."), captions.Cue(1.0, 2.0, "Let the soil dry a little.")]


@pytest.fixture(scope="module", autouse=True)
def _orm_beside_playwright() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def webm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two seconds of WebM (VP8), a format Debian's Chromium plays."""
    ffmpeg = shutil.which("ffmpeg")
    assert ffmpeg, "ffmpeg is needed by this test: run .ci/system-packages"
    target = tmp_path_factory.mktemp("video") / "day-2.webm"
    subprocess.run(
        [ffmpeg, "-loglevel", "error", "-f", "lavfi", "-i", "color=c=0x2563eb:s=160x90:d=2:r=5",
         "-c:v", "libvpx", "-b:v", "50k", str(target)],
        check=True, timeout=60,
    )  # fmt: skip
    return target


def test_the_lesson_video_loads_its_captions_and_shows_the_transcript(
    page: Any, live_server: Any, learner: Any, webm: Path, screenshot: Any
) -> None:
    # given a learner enrolled in a course whose day 2 has a video with English captions
    course = make_course("Seven Days of Ferns", category="health-wellness", duration_days=7)
    do_enroll(learner, course)
    lesson = course.lessons.get(day=2)
    with webm.open("rb") as video:
        do_set_lesson_video(lesson, File(video, name="day-2.webm"))
    do_put_caption_track(lesson, language="en", vtt=captions.write(CUES))
    sign_in(page, live_server, learner)

    # when they open the lesson
    page.goto(f"/courses/{course.slug}/day/2/")

    # then the player has a captions track that Chromium loads, shown by default
    track = page.locator("#lesson-video track")
    assert (track.get_attribute("kind"), track.get_attribute("srclang"), track.get_attribute("label")) == (
        "captions", "en", "English",
    )  # fmt: skip
    page.wait_for_function("() => (document.querySelector('#lesson-video').textTracks[0].cues || []).length === 2")
    loaded = page.evaluate(
        "() => { const t = document.querySelector('#lesson-video').textTracks[0];"
        " return {kind: t.kind, language: t.language, mode: t.mode, first: t.cues[0].text}; }"
    )
    assert loaded == {
        "kind": "captions",
        "language": "en",
        "mode": "showing",
        "first": "Water the fern in the morning.",
    }
    # ... and shows the cue of the moment over the picture
    page.evaluate("() => { document.querySelector('#lesson-video').currentTime = 1.5; }")
    page.wait_for_function(
        "() => [...(document.querySelector('#lesson-video').textTracks[0].activeCues || [])]"
        ".some(cue => cue.text === 'Let the soil dry a little.')"
    )
    # and the transcript is on the page, readable as it is
    assert page.get_by_role("heading", name="Transcript").is_visible()
    assert page.get_by_text("Water the fern in the morning. Let the soil dry a little.").is_visible()
    screenshot(page, "lesson-with-captions")
    assert page.js_errors == []
