"""Captions of a generated lesson video, from its narration script.

The slides provider measures them itself (each sentence spoken apart: ``VideoStatus.captions``).
A provider that only returns a finished video (HeyGen) gets captions estimated from the script:
each sentence's share of the video by its length, scaled to the video's duration as the provider
reported it, or as ffprobe measures the downloaded file when the provider did not say.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from momentum.generation.providers.base import VideoStatus
from momentum.lib import captions
from momentum.lib.logs import get_logger
from momentum.lib.terms import sentences

log = get_logger("momentum.generation.captions")
FFPROBE_TIMEOUT_SECONDS = 30


def media_seconds(path: Path) -> float:
    """How long the media file at ``path`` plays (ffprobe), or 0 when that cannot be told."""
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        return 0.0
    try:
        result = subprocess.run(  # noqa: S603
            [ffprobe, "-v", "error", "-print_format", "json", "-show_format", str(path)],
            check=True,
            capture_output=True,
            timeout=FFPROBE_TIMEOUT_SECONDS,
        )
        return max(float(json.loads(result.stdout)["format"]["duration"]), 0.0)
    except (subprocess.SubprocessError, OSError, ValueError, KeyError, TypeError):
        return 0.0


def captions_for(narration: str, status: VideoStatus, video: Path | None) -> str:
    """WebVTT captions of the finished video ``status`` (its file at ``video``), or '' when its
    length cannot be known."""
    if status.captions:
        return status.captions
    seconds = float(status.duration_seconds) or (media_seconds(video) if video is not None else 0.0)
    said = sentences(narration) or [narration.strip()]
    if seconds <= 0 or not any(said):
        log.warning("captions_not_timed", reason="the video's duration is unknown")
        return ""
    return captions.write(captions.spread_over(said, seconds))
