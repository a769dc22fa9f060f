"""Checks on the files admins upload for a course: thumbnails, lesson videos and captions.

A thumbnail must be a real image (PNG, JPEG, WebP or GIF) within the size limit; it is
decoded and re-encoded as a PNG no wider than 1600 px, so what we store and serve is an
image we produced, with no metadata or trailing payload. A video must be within its size
limit and start like an MP4/QuickTime, WebM/Matroska or Ogg file, with a matching extension.
Captions must be a .vtt or .srt file within their size limit that reads line by line
(``lib.captions``); what is stored is WebVTT written back by webvtt-py.
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from PIL import Image, UnidentifiedImageError

from momentum.lib import captions
from momentum.lib.problems import Problem, file_too_large

IMAGE_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}
MAX_IMAGE_PIXELS = 40_000_000  # refuse decompression bombs before decoding
THUMBNAIL_MAX_WIDTH = 1600
VIDEO_EXTENSIONS = {"mp4": "mp4", "m4v": "mp4", "mov": "mp4", "webm": "matroska", "mkv": "matroska", "ogv": "ogg"}


def _unsupported(field: str, message: str) -> Problem:
    return Problem(
        422,
        "unsupported_media",
        f"{field}: {message}",
        errors=[{"field": field, "message": message, "rule": "media_type"}],
    )


def thumbnail_png(upload: Any, *, field: str = "thumbnail") -> bytes:
    """The uploaded image, checked and re-encoded as PNG bytes."""
    limit = settings.MAX_THUMBNAIL_UPLOAD_BYTES
    if upload.size is None or upload.size > limit:
        raise file_too_large(field, limit)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise file_too_large(field, limit)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
            probe.verify()
        if kind not in IMAGE_FORMATS:
            raise _unsupported(field, "must be a PNG, JPEG, WebP or GIF image")
        if width * height > MAX_IMAGE_PIXELS or width < 16 or height < 16:
            raise _unsupported(field, "must be between 16 x 16 pixels and 40 megapixels")
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            picture = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _unsupported(field, "is not an image we can read (PNG, JPEG, WebP or GIF)") from None
    if picture.width > THUMBNAIL_MAX_WIDTH:
        picture = picture.resize(
            (THUMBNAIL_MAX_WIDTH, round(picture.height * THUMBNAIL_MAX_WIDTH / picture.width)), Image.Resampling.LANCZOS
        )
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _container(head: bytes) -> str | None:
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "matroska"
    if head.startswith(b"OggS"):
        return "ogg"
    return None


def check_video(upload: Any, *, field: str = "video") -> None:
    """Refuse a video upload that is too large or is not the video its name says it is."""
    limit = settings.MAX_VIDEO_UPLOAD_BYTES
    if upload.size is None or upload.size > limit:
        raise file_too_large(field, limit)
    if upload.size == 0:
        raise _unsupported(field, "is empty")
    name = (upload.name or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    expected = VIDEO_EXTENSIONS.get(extension)
    if expected is None:
        raise _unsupported(field, "must be an .mp4, .m4v, .mov, .webm, .mkv or .ogv file")
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    found = _container(head)
    if found is None:
        raise _unsupported(field, "does not look like a video file (MP4, WebM or Ogg)")
    if found != expected:
        raise _unsupported(field, f"is a {found} file but is named .{extension}")


CAPTION_EXTENSIONS = ("vtt", "srt")


def caption_webvtt(upload: Any, *, field: str = "file") -> str:
    """The WebVTT text of an uploaded .vtt or .srt file (SRT converted); 413 past the size limit,
    422 ``invalid_captions`` naming the line of a file that does not parse."""
    limit = settings.MAX_CAPTION_UPLOAD_BYTES
    if upload.size is None or upload.size > limit:
        raise file_too_large(field, limit)
    name = (upload.name or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in CAPTION_EXTENSIONS:
        raise _unsupported(field, "must be a WebVTT (.vtt) or SubRip (.srt) file")
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise file_too_large(field, limit)
    try:
        return captions.read_upload(data, srt=extension == "srt")
    except captions.CaptionFileError as error:
        raise Problem(
            422,
            "invalid_captions",
            f"{field}: {error}",
            errors=[{"field": field, "message": str(error), "rule": "caption_format", "line": error.line}],
        ) from None
