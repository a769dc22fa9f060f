"""Captions as WebVTT: reading uploaded .vtt and .srt files, writing timed cues, plain transcripts.

webvtt-py reads and writes the files. Since its 0.5 it skips a cue block it cannot read instead
of saying where (glut23/webvtt-py#53, #54), and it reads an SRT cue with a broken timing as
nothing at all, so ``read_upload`` first walks the lines itself: a file that does not parse is a
``CaptionFileError`` naming the line, never captions with cues silently missing. What is stored
is what webvtt-py writes back, so every track we serve has the same, valid shape.

Timing generated cues: ``back_to_back`` lays cues end to end from measured durations (the slides
narration, spoken one sentence at a time); ``spread_over`` shares a known total between sentences
by their length (a provider's video whose speech we cannot measure piece by piece).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

MAX_CUE_CHARS = 84  # two lines of about 42 characters: what a viewer reads in a glance
_VTT_TIME = r"(?:\d{2,}:)?[0-5]\d:[0-5]\d\.\d{3}"
_SRT_TIME = r"\d{1,2}:[0-5]\d:[0-5]\d[,.]\d{1,3}"
_VTT_TIMING = re.compile(rf"^({_VTT_TIME})[ \t]+-->[ \t]+({_VTT_TIME})(?:[ \t]+.*)?$")
_SRT_TIMING = re.compile(rf"^\s*({_SRT_TIME})\s+-->\s+({_SRT_TIME})(?:\s+.*)?$")
_TAG = re.compile(r"<[^>]*>")
_HEADER = re.compile(r"^WEBVTT(?:[ \t].*)?$")
_METADATA_BLOCK = re.compile(r"^(?:NOTE(?:[ \t].*)?|STYLE[ \t]*|REGION[ \t]*)$")


class CaptionFileError(ValueError):
    """A caption file that does not parse; ``line`` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Cue:
    start: float  # seconds
    end: float
    text: str


def seconds(timestamp: str) -> float:
    """``hh:mm:ss.ttt`` (or ``mm:ss.ttt``, or SRT's comma) in seconds."""
    clock, _, fraction = timestamp.replace(",", ".").partition(".")
    parts = [int(part) for part in clock.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0)
    return parts[0] * 3600 + parts[1] * 60 + parts[2] + int(fraction.ljust(3, "0")[:3]) / 1000


def _timestamp(value: float) -> str:
    millis = round(value * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def _lines(data: bytes) -> list[str]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CaptionFileError(line, "is not UTF-8 text") from None
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _blocks(lines: list[str], first: int = 0) -> Iterable[tuple[int, list[str]]]:
    """(1-based line number of the block's first line, its lines) for each blank-line separated block."""
    block: list[str] = []
    start = first
    for number, line in enumerate(lines[first:], start=first):
        if line.strip():
            if not block:
                start = number
            block.append(line)
        elif block:
            yield start + 1, block
            block = []
    if block:
        yield start + 1, block


def _check_timing(match: re.Match[str], line: int, previous_start: float) -> float:
    start, end = seconds(match[1]), seconds(match[2])
    if end <= start:
        raise CaptionFileError(line, f"the cue ends ({match[2]}) before it starts ({match[1]})")
    if start < previous_start:
        raise CaptionFileError(line, f"the cue starts ({match[1]}) before the cue above it: cues must be in order")
    return start


def _check_vtt(lines: list[str]) -> int:
    """The number of cues of a WebVTT file; CaptionFileError at the first line that breaks the format."""
    if not lines or not _HEADER.match(lines[0]):
        raise CaptionFileError(1, "a WebVTT file starts with the line WEBVTT")
    header_end = next((n for n, line in enumerate(lines) if not line.strip()), len(lines))
    cues, previous = 0, 0.0
    for start, block in _blocks(lines, header_end):
        if _METADATA_BLOCK.match(block[0]) and "-->" not in block[0]:
            if cues and not block[0].startswith("NOTE"):
                raise CaptionFileError(start, f"{block[0].strip()} blocks come before the first cue")
            continue
        # the timing is the first line, or the second after a cue identifier; with neither, the first
        # line is the one that should have been a timing
        timing_at = 1 if "-->" not in block[0] and len(block) > 1 and "-->" in block[1] else 0
        if "-->" not in block[timing_at]:
            raise CaptionFileError(start, f"expected a cue timing (00:00:01.000 --> 00:00:04.000), "
                                   f"found {block[0].strip()[:60]!r}")  # fmt: skip
        match = _VTT_TIMING.match(block[timing_at].strip())
        if match is None:
            raise CaptionFileError(start + timing_at, f"{block[timing_at].strip()[:60]!r} is not a cue timing "
                                   "(hh:mm:ss.ttt --> hh:mm:ss.ttt)")  # fmt: skip
        previous = _check_timing(match, start + timing_at, previous)
        for offset, text in enumerate(block[timing_at + 1 :], start=timing_at + 1):
            if "-->" in text:
                raise CaptionFileError(start + offset, "cue text may not contain '-->' (a blank line is missing?)")
        cues += 1
    return cues


def _check_srt(lines: list[str]) -> int:
    cues, previous = 0, 0.0
    for start, block in _blocks(lines):
        timing_at = 1 if block[0].strip().isdigit() else 0
        if timing_at >= len(block):
            raise CaptionFileError(start, f"cue {block[0].strip()} has no timing line")
        match = _SRT_TIMING.match(block[timing_at])
        if match is None:
            raise CaptionFileError(start + timing_at, f"{block[timing_at].strip()[:60]!r} is not an SRT timing "
                                   "(hh:mm:ss,ttt --> hh:mm:ss,ttt)")  # fmt: skip
        previous = _check_timing(match, start + timing_at, previous)
        if timing_at + 1 >= len(block):
            raise CaptionFileError(start + timing_at, "the cue has no text")
        cues += 1
    return cues


def read_upload(data: bytes, *, srt: bool) -> str:
    """The WebVTT text of an uploaded caption file (``srt``: SubRip, converted), or CaptionFileError."""
    lines = _lines(data)
    expected = _check_srt(lines) if srt else _check_vtt(lines)
    if expected == 0:
        raise CaptionFileError(len(lines), "the file has no cues")
    text = "\n".join(lines)
    try:
        captions = webvtt.from_buffer(io.StringIO(text), format="srt") if srt else webvtt.from_string(text, strict=True)
        if len(captions.captions) != expected:
            raise MalformedCaptionError(f"{expected - len(captions.captions)} cues could not be read")
        return captions.content
    except (MalformedCaptionError, MalformedFileError, ValueError) as error:
        raise CaptionFileError(1, f"the captions could not be read: {error}") from None


def write(cues: Sequence[Cue]) -> str:
    """WebVTT text of ``cues`` (written by webvtt-py)."""
    captions = [webvtt.Caption(_timestamp(cue.start), _timestamp(cue.end), cue.text) for cue in cues]
    return webvtt.WebVTT(captions=captions).content


def cues_of(vtt: str) -> list[Cue]:
    """The cues of stored WebVTT text."""
    return [Cue(seconds(c.start), seconds(c.end), c.raw_text) for c in webvtt.from_string(vtt).captions]


def transcript(vtt: str) -> str:
    """The words of the captions as plain text, one paragraph (a repeated cue said once)."""
    said: list[str] = []
    for caption in webvtt.from_string(vtt).captions:
        text = " ".join(_TAG.sub("", caption.raw_text).split())
        if text and (not said or said[-1] != text):
            said.append(text)
    return " ".join(said)


def _chunks(sentence: str) -> list[str]:
    """A sentence in pieces of at most MAX_CUE_CHARS characters, cut between words."""
    words, pieces, current = sentence.split(), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > MAX_CUE_CHARS:
            pieces.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        pieces.append(current)
    return pieces


def _split(text: str, start: float, end: float) -> list[Cue]:
    """``text`` spoken from ``start`` to ``end``, as cues short enough to read, timed by length."""
    pieces = _chunks(text)
    total = sum(len(piece) for piece in pieces) or 1
    cues, at = [], start
    for number, piece in enumerate(pieces):
        until = end if number == len(pieces) - 1 else at + (end - start) * len(piece) / total
        cues.append(Cue(round(at, 3), round(until, 3), piece))
        at = until
    return cues


def back_to_back(spoken: Sequence[tuple[str, float]]) -> list[Cue]:
    """Cues for sentences spoken one after another, each lasting its measured number of seconds."""
    cues: list[Cue] = []
    at = 0.0
    for text, duration in spoken:
        if text.strip() and duration > 0:
            cues += _split(text, at, at + duration)
        at += duration
    return cues


PAUSE_WEIGHT = 12  # a sentence's pause, in characters' worth of speech


def spread_over(sentences: Sequence[str], total_seconds: float) -> list[Cue]:
    """Cues for ``sentences`` spoken over ``total_seconds``: each gets a share by its length (plus
    a pause), the estimate for speech we cannot measure sentence by sentence."""
    said = [sentence for sentence in sentences if sentence.strip()]
    weights = [len(sentence) + PAUSE_WEIGHT for sentence in said]
    scale = total_seconds / (sum(weights) or 1)
    return back_to_back([(sentence, weight * scale) for sentence, weight in zip(said, weights, strict=True)])
