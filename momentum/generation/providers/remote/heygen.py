"""Lesson videos from HeyGen: an avatar speaks the lesson's narration (API v2 create, v1 status).

``submit`` creates the video and returns HeyGen's video id. HeyGen charges for every video it
creates and its create call takes no idempotency key, so a submission that may repeat an earlier
one (the answer was lost to a timeout or a dropped connection, or the worker died before the
workflow recorded it) must not create a second video: a request with a ``key`` carries it as the
``callback_id`` and at the end of the title, and ``submit`` first looks for a video with that
key among the account's most recent ones (v1 video.list) and reuses it unless it failed.
``status`` is asked until the video is completed (its ``video_url`` and duration; the video
seconds are the usage) or failed. ``download`` fetches the finished MP4, refusing addresses on
private networks like every provider address.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx
from django.conf import settings

from momentum.generation.providers.base import ProviderError, Usage, VideoRequest, VideoStatus, VideoSubmission
from momentum.generation.providers.remote import check_provider_url, http_error
from momentum.lib.object_keys import parse_id

NAME = "heygen"
MAX_VIDEO_BYTES = 1024 * 1024 * 1024
MAX_REDIRECTS = 3
DIMENSION = {"width": 1280, "height": 720}
MAX_TITLE = 200
# How far back ``submit`` looks for an earlier submission of the same key: an interrupted one is
# among the account's newest videos (video.list answers newest first).
LOOKUP_PAGES = 3
LOOKUP_PAGE_SIZE = 100


class HeyGenVideoProvider:
    name = NAME

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        avatar_id: str | None = None,
        voice_id: str | None = None,
        timeout: float | None = None,
    ) -> None:
        self.base_url = check_provider_url(
            base_url or settings.HEYGEN_BASE_URL, provider=NAME, setting="MOMENTUM_HEYGEN_BASE_URL"
        ).rstrip("/")
        self.api_key = api_key if api_key is not None else settings.HEYGEN_API_KEY
        self.avatar_id = avatar_id if avatar_id is not None else settings.HEYGEN_AVATAR_ID
        self.voice_id = voice_id if voice_id is not None else settings.HEYGEN_VOICE_ID
        missing = [
            variable
            for variable, value in (
                ("MOMENTUM_HEYGEN_API_KEY", self.api_key),
                ("MOMENTUM_HEYGEN_AVATAR_ID", self.avatar_id),
                ("MOMENTUM_HEYGEN_VOICE_ID", self.voice_id),
            )
            if not value
        ]
        if missing:
            raise ProviderError(f"{NAME}: {', '.join(missing)} must be set", provider=NAME, retryable=False)
        self.timeout = timeout if timeout is not None else settings.PROVIDER_TIMEOUT_SECONDS

    def submit(self, request: VideoRequest) -> VideoSubmission:
        if request.key and (earlier := self.find(request.key)) is not None:
            return VideoSubmission(external_id=earlier)
        title = f"{request.course_title} · day {request.day}: {request.lesson_title}"
        if request.key:
            tag = f" [{request.key}]"
            title = title[: MAX_TITLE - len(tag)] + tag
        body: dict[str, Any] = {
            "title": title[:MAX_TITLE],
            "video_inputs": [
                {
                    "character": {"type": "avatar", "avatar_id": self.avatar_id, "avatar_style": "normal"},
                    "voice": {
                        "type": "text",
                        "input_text": request.narration[:5000],
                        "voice_id": self.voice_for(request.language),
                    },
                    "background": {"type": "color", "value": request.accent_color},
                }
            ],
            "dimension": DIMENSION,
        }
        if request.key:
            body["callback_id"] = request.key
        answer = self._request("POST", "/v2/video/generate", json=body)
        video_id = (answer.get("data") or {}).get("video_id")
        if not isinstance(video_id, str) or not video_id:
            raise ProviderError(f"{NAME}: the answer has no video_id", provider=NAME, retryable=True)
        return VideoSubmission(external_id=video_id)

    def voice_for(self, language: str) -> str:
        """The voice for ``language``: MOMENTUM_HEYGEN_VOICE_<LANG> when set, else MOMENTUM_HEYGEN_VOICE_ID."""
        voices: dict[str, str] = settings.HEYGEN_VOICES
        return voices.get(language.lower().split("-")[0]) or self.voice_id

    def find(self, key: str) -> str | None:
        """The id of the newest video submitted with ``key`` that did not fail, if any."""
        tag = f"[{key}]"
        token: str | None = None
        for _ in range(LOOKUP_PAGES):
            params: dict[str, Any] = {"limit": LOOKUP_PAGE_SIZE}
            if token:
                params["token"] = token
            data: dict[str, Any] = self._request("GET", "/v1/video.list", params=params).get("data") or {}
            for video in data.get("videos") or []:
                if not isinstance(video, dict) or not str(video.get("video_title") or "").endswith(tag):
                    continue
                if video.get("status") != "failed" and isinstance(video.get("video_id"), str) and video["video_id"]:
                    return str(video["video_id"])
            token = data.get("token")
            if not token:
                return None
        return None

    def status(self, external_id: str) -> VideoStatus:
        answer = self._request("GET", "/v1/video_status.get", params={"video_id": external_id})
        data: dict[str, Any] = answer.get("data") or {}
        state = data.get("status")
        if state == "completed":
            url = data.get("video_url")
            if not isinstance(url, str) or not url:
                raise ProviderError(f"{NAME}: a completed video without video_url", provider=NAME, retryable=True)
            seconds = _seconds(data.get("duration"))
            return VideoStatus(state="done", url=url, duration_seconds=seconds, usage=Usage(video_seconds=seconds))
        if state == "failed":
            error = data.get("error")
            detail = (error.get("message") or error.get("detail")) if isinstance(error, dict) else error
            return VideoStatus(state="failed", error=f"{NAME}: the video failed: {detail or 'no reason given'}"[:500])
        if state in ("pending", "waiting", "processing"):
            return VideoStatus(state="processing")
        raise ProviderError(f"{NAME}: unknown video status {state!r}", provider=NAME, retryable=True)

    def download(self, url: str, target: Path) -> int:
        """Stream the finished video at ``url`` into ``target``; the number of bytes written."""
        headers = {"Accept": "video/mp4,*/*"}
        with httpx.Client(timeout=self.timeout, follow_redirects=False) as client:
            for _ in range(MAX_REDIRECTS + 1):
                check_provider_url(url, provider=NAME, setting="video_url")
                try:
                    with client.stream("GET", url, headers=headers) as response:
                        if response.is_redirect and response.headers.get("location"):
                            url = urljoin(url, response.headers["location"])
                            continue
                        if response.status_code != 200:
                            raise http_error(
                                NAME, response.status_code, "video download failed", headers=response.headers
                            )
                        return _save(response, target)
                except httpx.TimeoutException as error:
                    raise ProviderError(
                        f"{NAME}: the video download timed out", provider=NAME, retryable=True
                    ) from error
                except httpx.TransportError as error:
                    raise ProviderError(
                        f"{NAME}: the video download failed: {error}", provider=NAME, retryable=True
                    ) from error
        raise ProviderError(f"{NAME}: too many redirects downloading the video", provider=NAME, retryable=False)

    def _request(self, method: str, path: str, **options: Any) -> dict[str, Any]:
        try:
            response = httpx.request(
                method,
                self.base_url + path,
                headers={"X-Api-Key": self.api_key, "Accept": "application/json"},
                timeout=self.timeout,
                follow_redirects=False,
                **options,
            )
        except httpx.TimeoutException as error:
            raise ProviderError(f"{NAME}: no answer within {self.timeout} s", provider=NAME, retryable=True) from error
        except httpx.TransportError as error:
            raise ProviderError(f"{NAME}: connection failed: {error}", provider=NAME, retryable=True) from error
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if response.status_code != 200:
            raise http_error(NAME, response.status_code, _message(answer, response), headers=response.headers)
        if not isinstance(answer, dict):
            raise ProviderError(f"{NAME}: the answer is not a JSON object", provider=NAME, retryable=True)
        if answer.get("error"):
            raise ProviderError(f"{NAME}: {_message(answer, response)}", provider=NAME, retryable=False)
        return answer


def _save(response: httpx.Response, target: Path) -> int:
    declared = response.headers.get("content-length")
    if (length := parse_id(declared or "")) is not None and length > MAX_VIDEO_BYTES:
        raise ProviderError(f"{NAME}: the video is larger than {MAX_VIDEO_BYTES} bytes", provider=NAME, retryable=False)
    written = 0
    partial = target.with_name(target.name + ".part")
    with partial.open("wb") as file:
        for chunk in response.iter_bytes(1024 * 1024):
            written += len(chunk)
            if written > MAX_VIDEO_BYTES:
                partial.unlink(missing_ok=True)
                raise ProviderError(
                    f"{NAME}: the video is larger than {MAX_VIDEO_BYTES} bytes", provider=NAME, retryable=False
                )
            file.write(chunk)
    partial.replace(target)
    return written


def _seconds(value: Any) -> Decimal:
    try:
        seconds = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return Decimal("0")
    return seconds.quantize(Decimal("0.001")) if seconds.is_finite() and seconds > 0 else Decimal("0")


def _message(answer: Any, response: httpx.Response) -> str:
    if isinstance(answer, dict):
        error = answer.get("error")
        if isinstance(error, dict):
            return f"{error.get('code', 'error')}: {error.get('message', '')}"
        if answer.get("message"):
            return str(answer["message"])
    return response.text[:200] or response.reason_phrase
