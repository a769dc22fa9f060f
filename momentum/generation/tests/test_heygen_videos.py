"""The HeyGen video adapter against a local server speaking HeyGen's API: a video is created,
polled until it is ready, downloaded; failures say whether trying again may help."""

from __future__ import annotations

import dataclasses
import itertools
import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from momentum.generation import narration_captions
from momentum.generation.providers.base import ProviderError, VideoRequest
from momentum.generation.providers.remote import heygen
from momentum.generation.providers.remote.heygen import HeyGenVideoProvider
from momentum.generation.tests.fake_servers import FakeProvider
from momentum.lib import captions

REQUEST = VideoRequest(
    course_title="Sourdough baking",
    day=2,
    lesson_title="Feeding the starter",
    narration="Welcome to day two. Today you feed your starter and watch it rise.",
    key_points=("Feed twice a day", "Keep it warm"),
    accent_color="#b45309",
)


def test_a_video_is_created_then_polled_until_it_is_ready(fake_heygen: FakeProvider) -> None:
    provider = HeyGenVideoProvider()

    submission = provider.submit(REQUEST)
    first = provider.status(submission.external_id)
    second = provider.status(submission.external_id)

    assert first.state == "processing"
    assert second.state == "done"
    assert second.url == f"{fake_heygen.url}/files/{submission.external_id}.mp4"
    assert second.duration_seconds == Decimal("2.000")
    assert second.usage.video_seconds == Decimal("2.000")
    (created,) = fake_heygen.calls_for("video.generate")
    assert created["video_id"] == submission.external_id
    assert "day 2" in created["title"]


@pytest.mark.skipif(shutil.which("ffprobe") is None, reason="needs ffprobe")
def test_the_finished_video_downloads_as_an_mp4_with_picture_and_sound(
    fake_heygen: FakeProvider, tmp_path: Path
) -> None:
    provider = HeyGenVideoProvider()
    submission = provider.submit(REQUEST)
    while (status := provider.status(submission.external_id)).state == "processing":
        pass
    assert status.url is not None

    size = provider.download(status.url, tmp_path / "day-2.mp4")

    assert size == (tmp_path / "day-2.mp4").stat().st_size > 0
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_type", "-of", "json", str(tmp_path / "day-2.mp4")],
        capture_output=True,
        check=True,
        text=True,
    )
    assert sorted(stream["codec_type"] for stream in json.loads(probe.stdout)["streams"]) == ["audio", "video"]


def test_a_video_heygen_could_not_make_is_reported_failed_with_the_reason(fake_heygen: FakeProvider) -> None:
    fake_heygen.fail_next("video_failed", on="/v2/video/generate")
    provider = HeyGenVideoProvider()
    submission = provider.submit(REQUEST)

    statuses = [provider.status(submission.external_id).state for _ in range(2)]
    final = provider.status(submission.external_id)

    assert statuses == ["processing", "failed"]
    assert final.state == "failed"
    assert "Avatar rendering failed" in final.error


def test_a_rate_limited_submission_is_retryable_after_the_wait_heygen_asked_for(fake_heygen: FakeProvider) -> None:
    fake_heygen.fail_next("rate_limit", retry_after=12)

    with pytest.raises(ProviderError) as raised:
        HeyGenVideoProvider().submit(REQUEST)

    assert raised.value.retryable
    assert raised.value.retry_after == 12
    assert fake_heygen.calls == []


def test_a_status_server_error_is_retryable(fake_heygen: FakeProvider) -> None:
    provider = HeyGenVideoProvider()
    submission = provider.submit(REQUEST)
    fake_heygen.fail_next("server_error", on="/v1/video_status.get")

    with pytest.raises(ProviderError) as raised:
        provider.status(submission.external_id)

    assert raised.value.retryable
    assert raised.value.http_status == 500


def test_a_status_answer_that_is_not_json_is_retryable(fake_heygen: FakeProvider) -> None:
    provider = HeyGenVideoProvider()
    submission = provider.submit(REQUEST)
    fake_heygen.fail_next("malformed_body")

    with pytest.raises(ProviderError) as raised:
        provider.status(submission.external_id)

    assert raised.value.retryable


def test_a_hanging_heygen_times_out_as_a_retryable_error(fake_heygen: FakeProvider, settings: Any) -> None:
    settings.PROVIDER_TIMEOUT_SECONDS = 0.3
    fake_heygen.fail_next("hang")

    with pytest.raises(ProviderError) as raised:
        HeyGenVideoProvider().submit(REQUEST)

    assert raised.value.retryable


def test_a_rejected_api_key_is_not_retryable(fake_heygen: FakeProvider) -> None:
    with pytest.raises(ProviderError) as raised:
        HeyGenVideoProvider(api_key="wrong-key").submit(REQUEST)

    assert not raised.value.retryable
    assert raised.value.http_status == 401


def test_heygen_without_an_avatar_and_a_voice_is_refused_with_the_settings_to_set(
    fake_heygen: FakeProvider, settings: Any
) -> None:
    settings.HEYGEN_AVATAR_ID = ""
    settings.HEYGEN_VOICE_ID = ""

    with pytest.raises(ProviderError) as raised:
        HeyGenVideoProvider()

    assert not raised.value.retryable
    assert "MOMENTUM_HEYGEN_AVATAR_ID, MOMENTUM_HEYGEN_VOICE_ID" in str(raised.value)


KEYED = VideoRequest(**{**REQUEST.__dict__, "key": "momentum-job-1-day-2"})


def test_a_submission_whose_answer_was_lost_is_not_made_again_when_retried(fake_heygen: FakeProvider) -> None:
    # Given HeyGen created the video but the connection closed before its answer
    fake_heygen.fail_next("lost_answer", on="/v2/video/generate")
    provider = HeyGenVideoProvider()
    with pytest.raises(ProviderError) as lost:
        provider.submit(KEYED)
    assert lost.value.retryable

    # When the same lesson's video is submitted again
    submission = provider.submit(KEYED)

    # Then HeyGen made one video, the one the retry reports
    (created,) = fake_heygen.calls_for("video.generate")
    assert submission.external_id == created["video_id"]
    assert created["callback_id"] == "momentum-job-1-day-2"


def test_a_video_that_failed_is_submitted_anew(fake_heygen: FakeProvider) -> None:
    fake_heygen.fail_next("video_failed", on="/v2/video/generate")
    provider = HeyGenVideoProvider()
    first = provider.submit(KEYED)
    while provider.status(first.external_id).state == "processing":
        pass

    again = provider.submit(KEYED)

    assert again.external_id != first.external_id
    assert len(fake_heygen.calls_for("video.generate")) == 2


def test_another_lessons_video_is_not_taken_for_this_one(fake_heygen: FakeProvider) -> None:
    provider = HeyGenVideoProvider()
    other = provider.submit(VideoRequest(**{**REQUEST.__dict__, "key": "momentum-job-1-day-22"}))

    mine = provider.submit(KEYED)

    assert mine.external_id != other.external_id


def test_an_earlier_submission_is_found_past_the_first_page_of_videos(
    fake_heygen: FakeProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(heygen, "LOOKUP_PAGE_SIZE", 2)
    provider = HeyGenVideoProvider()
    first = provider.submit(KEYED)
    for day in (3, 4, 5):
        provider.submit(VideoRequest(**{**REQUEST.__dict__, "key": f"momentum-job-1-day-{day}"}))

    again = provider.submit(KEYED)

    assert again.external_id == first.external_id
    assert len(fake_heygen.calls_for("video.generate")) == 4


@pytest.mark.skipif(shutil.which("ffprobe") is None, reason="needs ffprobe")
def test_a_heygen_video_is_captioned_from_its_script_over_the_length_heygen_reports(
    fake_heygen: FakeProvider, tmp_path: Path
) -> None:
    provider = HeyGenVideoProvider()
    submission = provider.submit(REQUEST)
    while (status := provider.status(submission.external_id)).state == "processing":
        pass
    assert status.url is not None
    provider.download(status.url, tmp_path / "day-2.mp4")

    vtt = narration_captions.captions_for(REQUEST.narration, status, tmp_path / "day-2.mp4")

    cues = captions.cues_of(vtt)
    assert [cue.text for cue in cues] == ["Welcome to day two.", "Today you feed your starter and watch it rise."]
    assert all(before.end <= after.start for before, after in itertools.pairwise(cues))
    assert cues[-1].end == float(status.duration_seconds)
    assert abs(cues[-1].end - narration_captions.media_seconds(tmp_path / "day-2.mp4")) < 0.5


@pytest.mark.skipif(shutil.which("ffprobe") is None, reason="needs ffprobe")
def test_without_a_reported_length_the_downloaded_file_is_measured(fake_heygen: FakeProvider, tmp_path: Path) -> None:
    provider = HeyGenVideoProvider()
    submission = provider.submit(REQUEST)
    while (status := provider.status(submission.external_id)).state == "processing":
        pass
    assert status.url is not None
    provider.download(status.url, tmp_path / "day-2.mp4")
    unreported = dataclasses.replace(status, duration_seconds=Decimal("0"))

    cues = captions.cues_of(narration_captions.captions_for(REQUEST.narration, unreported, tmp_path / "day-2.mp4"))

    assert abs(cues[-1].end - narration_captions.media_seconds(tmp_path / "day-2.mp4")) < 0.01
