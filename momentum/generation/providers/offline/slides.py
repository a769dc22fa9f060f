"""The offline video provider: narrated slides, rendered at once on this machine.

Slides are drawn with Pillow (a title slide, then one slide per key point, 1280x720, in the
category's accent colour), the narration is spoken by espeak-ng, and ffmpeg assembles both into
an MP4 (H.264 + AAC, yuv420p, +faststart) as long as the narration. Slides change rarely, so the
video runs at a low frame rate with a still-image tune: small files, fast to encode, and a
scrubbable key frame every few seconds.

The narration is spoken one sentence at a time and the pieces joined into one track, so each
sentence's start and end are known to the sample: ``captions.vtt`` (WebVTT, by lib.captions) has a
cue per sentence (longer ones cut in readable pieces) timed to the audio it belongs to.

The external id is a digest of the request: the same lesson renders once, and ``status`` finds
the finished file again after a restart.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import textwrap
import uuid
import wave
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image, ImageDraw

from momentum.generation.providers.base import ProviderError, Usage, VideoRequest, VideoStatus, VideoSubmission
from momentum.generation.providers.offline.title_card import font
from momentum.lib import captions
from momentum.lib.terms import sentences

WIDTH, HEIGHT = 1280, 720
FPS = 5
VOICE = "en-us"  # the voice of a language without one of its own
# The espeak-ng voice that narrates each generation language (`espeak-ng --voices` lists them).
VOICES = {"en": "en-us", "es": "es", "ar": "ar"}
WORDS_PER_MINUTE = 160
ESPEAK_TIMEOUT_SECONDS = 120
FFMPEG_TIMEOUT_SECONDS = 600
MAX_KEY_POINT_SLIDES = 8
RENDER_VERSION = 2  # 2: narration spoken per sentence, with timed captions
# H.264 tuned for still images at a low frame rate (a key frame every 4 s); mono AAC speech with the
# fast coder (a fifth of the default coder's CPU time; plenty for synthetic speech at 64 kbit/s).
ENCODING = (
    f"-c:v libx264 -preset veryfast -tune stillimage -crf 28 -r {FPS} -g {FPS * 4} -pix_fmt yuv420p "
    "-c:a aac -aac_coder fast -b:a 64k -ac 1"
).split()
INSTALL_HINT = {
    "ffmpeg": "install it with `apt-get install ffmpeg` (Debian/Ubuntu) or `brew install ffmpeg` (macOS)",
    "espeak-ng": "install it with `apt-get install espeak-ng` (Debian/Ubuntu) or `brew install espeak-ng` (macOS)",
}
_EXTERNAL_ID = re.compile(r"^[0-9a-f]{32}$")
_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_INK = (17, 24, 39)
_PAPER = (248, 250, 252)
_MUTED = (100, 116, 139)


def _rgb(color: str) -> tuple[int, int, int]:
    """The accent as RGB, darkened when it is too light to carry white text."""
    value = color.lstrip("#") if _HEX_COLOUR.match(color) else "2563eb"
    rgb = int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
    luminance = (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255
    return _mix(rgb, (0, 0, 0), 0.45) if luminance > 0.55 else rgb


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


def _wrap(draw: ImageDraw.ImageDraw, text: str, size: int, width: int) -> list[str]:
    """``text`` in lines that fit ``width`` pixels at ``size``."""
    for chars in range(60, 8, -2):
        lines = textwrap.wrap(text, chars)
        if all(draw.textlength(line, font=font(size)) <= width for line in lines):
            return lines
    return textwrap.wrap(text, 8)


def _fitted(
    draw: ImageDraw.ImageDraw, text: str, sizes: tuple[int, ...], width: int, max_lines: int
) -> tuple[int, list[str]]:
    """The largest of ``sizes`` at which ``text`` fits in ``max_lines`` lines (cut with … otherwise)."""
    for size in sizes:
        lines = _wrap(draw, text, size, width)
        if len(lines) <= max_lines:
            return size, lines
    size = sizes[-1]
    lines = _wrap(draw, text, size, width)[:max_lines]
    lines[-1] = lines[-1].rstrip(".,;: ") + "…"
    return size, lines


def title_slide(request: VideoRequest) -> Image.Image:
    accent = _rgb(request.accent_color)
    image = Image.new("RGB", (WIDTH, HEIGHT), accent)
    draw = ImageDraw.Draw(image)
    dark = _mix(accent, (0, 0, 0), 0.45)
    for y in range(HEIGHT):
        draw.line([(0, y), (WIDTH, y)], fill=_mix(accent, dark, y / HEIGHT))
    margin = 96
    course = _fitted(draw, request.course_title, (34, 28), WIDTH - 2 * margin, 2)
    y = margin
    for line in course[1]:
        draw.text((margin, y), line, font=font(course[0]), fill=_mix(accent, (255, 255, 255), 0.75))
        y += course[0] + 10
    label = gettext("DAY %(day)s") % {"day": request.day}
    label_width = draw.textlength(label, font=font(30))
    y += 28
    draw.rounded_rectangle([margin, y, margin + label_width + 40, y + 54], radius=27, fill=(255, 255, 255))
    draw.text((margin + 20, y + 11), label, font=font(30), fill=dark)
    size, lines = _fitted(draw, request.lesson_title, (72, 60, 48), WIDTH - 2 * margin, 4)
    y = HEIGHT - margin - len(lines) * (size + 14)
    for line in lines:
        draw.text((margin, y), line, font=font(size), fill=(255, 255, 255))
        y += size + 14
    return image


def point_slide(request: VideoRequest, point: str, number: int, total: int) -> Image.Image:
    accent = _rgb(request.accent_color)
    image = Image.new("RGB", (WIDTH, HEIGHT), _PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, WIDTH, 88], fill=accent)
    heading = gettext("Day %(day)s · %(title)s") % {"day": request.day, "title": request.lesson_title}
    header = _fitted(draw, heading, (30, 26), WIDTH - 240, 1)
    draw.text((72, 44 - header[0] // 2 - 4), header[1][0], font=font(header[0]), fill=(255, 255, 255))
    counter = f"{number}/{total}"
    draw.text((WIDTH - 72 - draw.textlength(counter, font=font(26)), 28), counter, font=font(26), fill=(255, 255, 255))
    size, lines = _fitted(draw, point, (56, 48, 40, 34), WIDTH - 230, 6)
    block = len(lines) * (size + 16)
    y = 360 - block // 2
    draw.rectangle([72, y - 24, 84, y + block + 8], fill=accent)
    for line in lines:
        draw.text((120, y), line, font=font(size), fill=_INK)
        y += size + 16
    footer = _fitted(draw, request.course_title, (24,), WIDTH - 144, 1)
    draw.text((72, HEIGHT - 60), footer[1][0], font=font(24), fill=_MUTED)
    return image


def key_points(request: VideoRequest) -> list[str]:
    """The points shown after the title slide: the request's, or the narration's first sentences."""
    points = [p.strip() for p in request.key_points if p.strip()]
    if not points:
        points = [s for s in sentences(request.narration) if len(s) >= 20][1:4] or [request.lesson_title]
    return points[:MAX_KEY_POINT_SLIDES]


def slide_durations(total: float, slides: int) -> list[float]:
    """How long each slide shows: the title slide briefly, the points share the rest evenly."""
    if slides == 1:
        return [total]
    title = min(5.0, total * 0.2)
    rest = (total - title) / (slides - 1)
    return [title] + [rest] * (slides - 1)


def voice_for(language: str) -> str:
    """The espeak-ng voice for a language code ("es" → "es"); English's for a language without one."""
    return VOICES.get(language.lower().split("-")[0], VOICE)


def _external_id(request: VideoRequest) -> str:
    fields = [request.course_title, str(request.day), request.lesson_title, request.narration, request.accent_color]
    fields += list(request.key_points)
    voice = voice_for(request.language)
    digest = hashlib.sha256(json.dumps([RENDER_VERSION, FPS, voice, WORDS_PER_MINUTE, *fields]).encode()).hexdigest()
    return digest[:32]


class SlidesVideoProvider:
    """The ``slides`` video provider. Offline and free; needs ffmpeg and espeak-ng on the PATH."""

    name = "slides"

    def __init__(self, work_dir: Path | None = None) -> None:
        self.work_dir = work_dir or Path(settings.DATA_DIR) / "generation" / "slides"

    def probe(self) -> str:
        found = {tool: shutil.which(tool) for tool in ("ffmpeg", "espeak-ng")}
        missing = [tool for tool, path in found.items() if path is None]
        if missing:
            return "missing " + "; ".join(f"{tool} ({INSTALL_HINT[tool]})" for tool in missing)
        return "slides with " + ", ".join(f"{tool} at {path}" for tool, path in found.items())

    def _tools(self) -> tuple[str, str]:
        ffmpeg, espeak = shutil.which("ffmpeg"), shutil.which("espeak-ng")
        missing = [tool for tool, path in (("ffmpeg", ffmpeg), ("espeak-ng", espeak)) if path is None]
        if missing or ffmpeg is None or espeak is None:
            raise ProviderError(
                "The slides video provider needs "
                + " and ".join(missing)
                + " on the PATH: "
                + "; ".join(f"{tool}: {INSTALL_HINT[tool]}" for tool in missing)
                + ". Until then courses are generated without video.",
                provider=self.name,
                retryable=False,
            )
        return ffmpeg, espeak

    def _folder(self, external_id: str) -> Path:
        if not _EXTERNAL_ID.match(external_id):
            raise ProviderError(f"not a slides video id: {external_id!r}", provider=self.name, retryable=False)
        return self.work_dir / external_id

    def submit(self, request: VideoRequest) -> VideoSubmission:
        ffmpeg, espeak = self._tools()
        external_id = _external_id(request)
        folder = self._folder(external_id)
        if (folder / "meta.json").exists():
            return VideoSubmission(external_id=external_id)
        scratch = self.work_dir / f".{external_id}.{uuid.uuid4().hex}"
        scratch.mkdir(parents=True)
        try:
            duration = self._render(request, scratch, ffmpeg=ffmpeg, espeak=espeak)
            meta = {"duration_seconds": f"{duration:.2f}", "voice": voice_for(request.language)}
            (scratch / "meta.json").write_text(json.dumps(meta))
            try:
                scratch.rename(folder)
            except OSError:  # rendered concurrently by another worker: theirs is as good as ours
                if not (folder / "meta.json").exists():
                    raise
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return VideoSubmission(external_id=external_id)

    def status(self, external_id: str) -> VideoStatus:
        folder = self._folder(external_id)
        meta = folder / "meta.json"
        if not meta.exists():
            return VideoStatus(state="failed", error=f"no rendered video {external_id} (the work folder was removed?)")
        rendered = json.loads(meta.read_text())
        duration = Decimal(rendered["duration_seconds"])
        timed = folder / "captions.vtt"
        return VideoStatus(
            state="done",
            voice=str(rendered.get("voice", "")),
            file=folder / "video.mp4",
            duration_seconds=duration,
            usage=Usage(),
            captions=timed.read_text(encoding="utf-8") if timed.exists() else "",
        )

    def discard(self, external_id: str) -> None:
        """Remove a rendered video's work folder, once the caller has stored the MP4 elsewhere."""
        shutil.rmtree(self._folder(external_id), ignore_errors=True)

    def _speak(
        self, narration: str, folder: Path, *, espeak: str, voice: str = VOICE
    ) -> tuple[Path, list[tuple[str, float]]]:
        """The narration as one WAV file, spoken sentence by sentence, and how long each sentence lasts."""
        said = sentences(narration) or [narration.strip()]
        (folder / "narration.txt").write_text("\n".join(said), encoding="utf-8")
        speech = folder / "narration.wav"
        spoken: list[tuple[str, float]] = []
        with wave.open(str(speech), "wb") as joined:
            for number, sentence in enumerate(said):
                text, piece = folder / f"sentence{number:03d}.txt", folder / f"sentence{number:03d}.wav"
                text.write_text(sentence, encoding="utf-8")
                self._run(
                    [espeak, "-v", voice, "-s", str(WORDS_PER_MINUTE), "-w", str(piece), "-f", str(text)],
                    tool="espeak-ng",
                    timeout=ESPEAK_TIMEOUT_SECONDS,
                )
                with wave.open(str(piece)) as audio:
                    if number == 0:
                        joined.setparams(audio.getparams())
                    frames = audio.readframes(audio.getnframes())
                    spoken.append((sentence, audio.getnframes() / audio.getframerate()))
                joined.writeframes(frames)
                text.unlink()
                piece.unlink()
        return speech, spoken

    def _render(self, request: VideoRequest, folder: Path, *, ffmpeg: str, espeak: str) -> float:
        speech, spoken = self._speak(request.narration, folder, espeak=espeak, voice=voice_for(request.language))
        with wave.open(str(speech)) as audio:
            frames: int = audio.getnframes()
            rate: int = audio.getframerate()
        duration = frames / rate
        if duration <= 0:
            raise ProviderError("espeak-ng produced no audio for the narration", provider=self.name, retryable=False)
        (folder / "captions.vtt").write_text(captions.write(captions.back_to_back(spoken)), encoding="utf-8")

        points = key_points(request)
        with translation.override(request.language):
            images = [title_slide(request)] + [
                point_slide(request, point, number, len(points)) for number, point in enumerate(points, start=1)
            ]
        playlist = ["ffconcat version 1.0"]
        for number, (image, seconds) in enumerate(zip(images, slide_durations(duration, len(images)), strict=True)):
            name = f"slide{number:02d}.png"
            image.save(folder / name, format="PNG", compress_level=1)
            playlist += [f"file {name}", f"duration {seconds:.3f}"]
        playlist.append(f"file slide{len(images) - 1:02d}.png")  # the concat demuxer needs the last one twice
        (folder / "slides.ffconcat").write_text("\n".join(playlist) + "\n")
        inputs = [
            "-f",
            "concat",
            "-i",
            str(folder / "slides.ffconcat"),
            "-i",
            str(speech),
            "-map",
            "0:v",
            "-map",
            "1:a",
        ]
        output = ["-t", f"{duration:.3f}", "-movflags", "+faststart", str(folder / "video.mp4")]
        self._run(
            [ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *inputs, *ENCODING, *output],
            tool="ffmpeg",
            timeout=FFMPEG_TIMEOUT_SECONDS,
        )
        for intermediate in [speech, *folder.glob("slide*.png")]:
            intermediate.unlink()
        return duration

    def _run(self, command: list[str], *, tool: str, timeout: float) -> None:
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=timeout)  # noqa: S603
        except subprocess.TimeoutExpired as error:
            raise ProviderError(
                f"{tool} took longer than {timeout:.0f} s", provider=self.name, retryable=True
            ) from error
        except subprocess.CalledProcessError as error:
            detail = error.stderr.decode(errors="replace").strip()[-500:]
            raise ProviderError(
                f"{tool} failed (exit {error.returncode}): {detail}", provider=self.name, retryable=False
            ) from error
