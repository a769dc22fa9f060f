"""The offline video provider renders narrated slides into an MP4 any browser can play."""

from __future__ import annotations

import io
import itertools
import json
import shutil
import subprocess
import wave
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image

from momentum.generation.providers.base import ProviderError, ThumbnailRequest, VideoRequest
from momentum.generation.providers.offline.local_thumbnail import TitleCardThumbnailProvider
from momentum.generation.providers.offline.slides import SlidesVideoProvider
from momentum.lib import captions
from momentum.lib.terms import sentences

NARRATION = (
    "Welcome to day two of Plant biology. Today we look at how leaves turn light into sugar. "
    "Chlorophyll absorbs red and blue light. The Calvin cycle fixes carbon dioxide. "
    "See you in the next lesson."
)
REQUEST = VideoRequest(
    course_title="Plant biology: a 7-day beginner course",
    day=2,
    lesson_title="Understanding photosynthesis",
    narration=NARRATION,
    key_points=("Chlorophyll absorbs red and blue light", "The Calvin cycle fixes carbon dioxide"),
    accent_color="#15803d",
)


def probe(video: Path) -> dict[str, object]:
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_streams", "-show_format", str(video)],
        check=True,
        capture_output=True,
    )
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def spoken_seconds(text: str, tmp_path: Path) -> float:
    """How long espeak-ng takes to say ``text``, measured apart from the provider."""
    target = tmp_path / "reference.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "160", "-w", str(target), text], check=True)
    with wave.open(str(target)) as audio:
        return float(audio.getnframes() / audio.getframerate())


def path_with_only(tmp_path: Path, *tools: str) -> str:
    folder = tmp_path / "bin"
    folder.mkdir()
    for tool in tools:
        found = shutil.which(tool)
        assert found, f"{tool} is needed by this test: run .ci/system-packages"
        (folder / tool).symlink_to(found)
    return str(folder)


@pytest.fixture(scope="module")
def work_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One rendering shared by the tests that only look at its result (a render takes seconds)."""
    folder = tmp_path_factory.mktemp("slides")
    SlidesVideoProvider(folder).submit(REQUEST)
    return folder


def test_a_lesson_becomes_an_mp4_with_video_and_audio_as_long_as_its_narration(work_dir: Path, tmp_path: Path) -> None:
    provider = SlidesVideoProvider(work_dir)

    submission = provider.submit(REQUEST)
    status = provider.status(submission.external_id)

    assert status.state == "done"
    assert status.file is not None
    info = probe(status.file)
    streams = info["streams"]
    assert isinstance(streams, list)
    video = [s for s in streams if s["codec_type"] == "video"]
    audio = [s for s in streams if s["codec_type"] == "audio"]
    assert len(video) == 1
    assert len(audio) == 1
    assert (video[0]["codec_name"], video[0]["pix_fmt"], video[0]["width"], video[0]["height"]) == (
        "h264", "yuv420p", 1280, 720,
    )  # fmt: skip
    assert audio[0]["codec_name"] == "aac"
    expected = spoken_seconds(NARRATION, tmp_path)
    assert isinstance(info["format"], dict)
    assert abs(float(info["format"]["duration"]) - expected) < 0.5
    assert abs(status.duration_seconds - Decimal(f"{expected:.2f}")) < Decimal("0.5")


def test_the_video_starts_playing_before_it_is_fully_downloaded(work_dir: Path) -> None:
    provider = SlidesVideoProvider(work_dir)

    status = provider.status(provider.submit(REQUEST).external_id)

    assert status.file is not None
    data = status.file.read_bytes()
    assert data.index(b"moov") < data.index(b"mdat")  # +faststart: the index comes first


def test_the_same_lesson_is_rendered_only_once(work_dir: Path) -> None:
    provider = SlidesVideoProvider(work_dir)
    first = provider.submit(REQUEST)
    file = provider.status(first.external_id).file
    assert file is not None
    rendered_at = file.stat().st_mtime_ns

    second = SlidesVideoProvider(work_dir).submit(REQUEST)

    assert second.external_id == first.external_id
    assert file.stat().st_mtime_ns == rendered_at
    assert sorted(p.name for p in work_dir.iterdir()) == [first.external_id]


def test_without_espeak_ng_the_video_fails_for_good_with_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", path_with_only(tmp_path, "ffmpeg"))

    with pytest.raises(ProviderError) as failure:
        SlidesVideoProvider(tmp_path / "work").submit(REQUEST)

    assert failure.value.retryable is False
    assert "espeak-ng" in str(failure.value)
    assert "apt-get install espeak-ng" in str(failure.value)
    assert "ffmpeg" not in str(failure.value).split(":")[0]


def test_without_ffmpeg_the_video_fails_for_good_with_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", path_with_only(tmp_path, "espeak-ng"))

    with pytest.raises(ProviderError) as failure:
        SlidesVideoProvider(tmp_path / "work").submit(REQUEST)

    assert failure.value.retryable is False
    assert "apt-get install ffmpeg" in str(failure.value)
    assert "missing ffmpeg" in SlidesVideoProvider(tmp_path / "work").probe()


def test_the_probe_names_the_tools_it_found() -> None:
    report = SlidesVideoProvider().probe()

    assert "ffmpeg" in report
    assert "espeak-ng" in report
    assert "missing" not in report


def test_an_unknown_video_reports_failed_and_a_forged_id_is_refused(tmp_path: Path) -> None:
    provider = SlidesVideoProvider(tmp_path / "work")

    assert provider.status("0" * 32).state == "failed"
    with pytest.raises(ProviderError) as failure:
        provider.status("../../etc/passwd")
    assert failure.value.retryable is False


def test_a_stored_video_can_be_discarded_from_the_work_folder(tmp_path: Path) -> None:
    provider = SlidesVideoProvider(tmp_path / "work")
    submission = provider.submit(REQUEST)

    provider.discard(submission.external_id)

    assert list((tmp_path / "work").iterdir()) == []
    assert provider.status(submission.external_id).state == "failed"


def test_the_local_thumbnail_is_a_title_card_png() -> None:
    request = ThumbnailRequest(title="Plant biology", category="Science", background="#14532d", foreground="#86efac")

    thumbnail = TitleCardThumbnailProvider().render(request)

    image = Image.open(io.BytesIO(thumbnail.png))
    assert (image.format, image.size) == ("PNG", (1280, 720))
    assert image.getpixel((5, 0)) == (0x14, 0x53, 0x2D)
    assert thumbnail.usage.images == 0


def test_the_video_comes_with_captions_timed_to_its_narration_sentence_by_sentence(work_dir: Path) -> None:
    provider = SlidesVideoProvider(work_dir)

    status = provider.status(provider.submit(REQUEST).external_id)

    assert status.file is not None
    cues = captions.cues_of(status.captions)
    assert [cue.text for cue in cues] == sentences(NARRATION)
    assert cues[0].start == 0
    assert all(cue.start < cue.end for cue in cues)
    assert all(before.end <= after.start for before, after in itertools.pairwise(cues))  # in order, no overlap
    streams = probe(status.file)["streams"]
    assert isinstance(streams, list)
    (audio,) = [stream for stream in streams if stream["codec_type"] == "audio"]
    assert abs(cues[-1].end - float(audio["duration"])) < 0.5
