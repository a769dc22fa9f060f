"""What a generation provider is: the small interfaces the workflow calls, and their data.

Three kinds, each chosen by a setting, the offline implementation first:

    text       MOMENTUM_TEXT_PROVIDER       local | anthropic | bedrock | openai
    video      MOMENTUM_VIDEO_PROVIDER      slides | heygen
    thumbnail  MOMENTUM_THUMBNAIL_PROVIDER  local | bedrock

A provider does one call and reports what it used (``Usage``); it neither retries, nor
records costs, nor keeps a circuit: the workflow's resilience layer does that around every
call, the same way for every provider. A provider signals a failure with ``ProviderError``,
saying whether trying again may help and, when the remote said so, after how long.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Generic, Literal, Protocol, TypeVar

from pydantic import BaseModel, Field, model_validator

Kind = Literal["text", "video", "thumbnail"]


@dataclass(frozen=True)
class Usage:
    """What one call consumed; priced by the table in settings (GENERATION_PRICES)."""

    input_tokens: int = 0
    output_tokens: int = 0
    video_seconds: Decimal = Decimal("0")
    images: int = 0


class ProviderError(Exception):
    """A provider call that did not give a usable answer.

    ``retryable``: a later attempt may succeed (429, 5xx, timeout, connection reset, invalid
    JSON the model may get right next time); False for what will fail the same way again
    (401/403, 400, a refused request). ``retry_after``: seconds the remote asked us to wait.
    """

    def __init__(
        self,
        message: str,
        *,
        provider: str,
        retryable: bool,
        retry_after: float | None = None,
        http_status: int | None = None,
        usage: Usage | None = None,
    ) -> None:
        super().__init__(message)
        self.provider = provider
        self.retryable = retryable
        self.retry_after = retry_after
        self.http_status = http_status
        self.usage = usage or Usage()  # what a failed call still cost (e.g. tokens of invalid JSON)


# --- Text -----------------------------------------------------------------------------------


class OutlineDay(BaseModel):
    day: int = Field(ge=1, le=21)
    title: str = Field(min_length=3, max_length=200)
    summary: str = Field(min_length=10, max_length=1000)
    objectives: list[str] = Field(min_length=1, max_length=6)


class Outline(BaseModel):
    """The course plan: one entry per day, days 1..duration_days in order."""

    title: str = Field(min_length=3, max_length=200)
    description: str = Field(min_length=20, max_length=2000)
    days: list[OutlineDay] = Field(min_length=7, max_length=21)


class LessonDraft(BaseModel):
    title: str = Field(min_length=3, max_length=200)
    summary: str = Field(min_length=10, max_length=1000)
    content_markdown: str = Field(min_length=200, max_length=40_000)
    narration: str = Field(min_length=20, max_length=4000, description="What the video's narrator says")
    duration_minutes: int = Field(ge=3, le=60)

    @model_validator(mode="after")
    def _content_does_not_repeat_the_title(self) -> LessonDraft:
        self.content_markdown = without_title_heading(self.content_markdown, self.title)
        return self


# A first heading, ATX ("# Title") or setext ("Title" over "====="), after any blank lines.
_FIRST_HEADING = re.compile(
    r"\A\s*(?:#{1,6}[ \t]+(?P<atx>[^\n]*?)[ \t#]*|(?P<setext>[^\n]+)\n[ \t]*(?:=+|-+)[ \t]*)(?:\n|\Z)"
)
_DAY_PREFIX = re.compile(r"^\s*(?:day|lesson)\s+\d+\s*[:.\-\u2013\u2014]\s*", re.IGNORECASE)


def _comparable(title: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", _DAY_PREFIX.sub("", title)).lower().split())


def without_title_heading(markdown: str, title: str) -> str:
    """``markdown`` without a leading heading that only repeats ``title`` ("Day 3: " aside): the
    lesson page shows the title as its own heading, so the text would say it twice."""
    match = _FIRST_HEADING.match(markdown)
    if match is None:
        return markdown
    heading = match["atx"] if match["atx"] is not None else match["setext"]
    if not _comparable(heading) or _comparable(heading) != _comparable(title):
        return markdown
    return markdown[match.end() :].lstrip("\n")


class QuizOptionDraft(BaseModel):
    text: str = Field(min_length=1, max_length=300)
    correct: bool


class QuizQuestionDraft(BaseModel):
    """One question as a text provider writes it. The rules beyond the schema (one right option
    for a single-choice question, distinct options, a key the lesson states...) are checked by
    the workflow before anything is saved (generation.quiz_keys)."""

    kind: Literal["single", "multiple", "short_text"]
    prompt: str = Field(min_length=5, max_length=1000)
    options: list[QuizOptionDraft] = Field(default_factory=list, max_length=6)
    accepted_answers: list[str] = Field(default_factory=list, max_length=10)
    explanation: str = Field(min_length=5, max_length=2000, description="Why the right answer is right")


class QuizDraft(BaseModel):
    """A lesson's quiz: 3 to 5 questions answered from the lesson's own text."""

    questions: list[QuizQuestionDraft] = Field(min_length=3, max_length=5)


@dataclass(frozen=True)
class CourseBrief:
    """What the admin asked for, plus the reference passages that ground it."""

    topic: str
    duration_days: int
    level: str  # BEGINNER | INTERMEDIATE | ADVANCED
    category: str  # the category's name
    audience: str = ""
    tone: str = ""
    passages: tuple[str, ...] = ()  # the reference chunks most relevant to the topic
    language: str = "en"  # what the course is written in (an interface language code: en, es, ar)


T = TypeVar("T", bound=BaseModel)


@dataclass(frozen=True)
class TextResult(Generic[T]):
    value: T
    usage: Usage
    model: str


class TextProvider(Protocol):
    name: str

    def outline(self, brief: CourseBrief) -> TextResult[Outline]: ...

    def lesson(
        self, brief: CourseBrief, outline: Outline, day: int, passages: tuple[str, ...]
    ) -> TextResult[LessonDraft]:
        """The lesson of ``day`` (1-based), grounded in ``passages`` (reference chunks for that day)."""
        ...

    def quiz(
        self,
        brief: CourseBrief,
        outline: Outline,
        lesson: LessonDraft,
        day: int,
        passages: tuple[str, ...],
        *,
        feedback: tuple[str, ...] = (),
    ) -> TextResult[QuizDraft]:
        """A quiz on day ``day``'s ``lesson`` whose answers the lesson (or ``passages``) states;
        ``feedback``: why an earlier quiz for this lesson was rejected."""
        ...


# --- Video ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class VideoRequest:
    course_title: str
    day: int
    lesson_title: str
    narration: str
    key_points: tuple[str, ...]
    accent_color: str = "#2563eb"
    language: str = "en"  # the narration's language: it picks the voice
    # The same for every submission of one lesson's video (its job and day): a provider that
    # charges per video finds the video an earlier, interrupted submission made and reuses it.
    key: str = ""


@dataclass(frozen=True)
class VideoSubmission:
    external_id: str  # what status() is asked about; the slides provider renders at once
    usage: Usage = field(default_factory=Usage)


@dataclass(frozen=True)
class VideoStatus:
    state: Literal["processing", "done", "failed"]
    file: Path | None = None  # a finished MP4 on local disk (slides), or
    url: str | None = None  # a finished MP4 to download (heygen)
    duration_seconds: Decimal = Decimal("0")
    error: str = ""
    usage: Usage = field(default_factory=Usage)  # billed when the video is done (video seconds)
    # WebVTT captions of the narration, timed to the audio, when the provider measured them (slides);
    # empty: the workflow estimates them from the narration and the video's duration.
    captions: str = ""
    voice: str = ""  # the voice that spoke the narration, when the provider says (slides: the espeak-ng voice)


class VideoProvider(Protocol):
    name: str

    def submit(self, request: VideoRequest) -> VideoSubmission: ...

    def status(self, external_id: str) -> VideoStatus: ...


# --- Thumbnail ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThumbnailRequest:
    title: str
    category: str
    background: str  # the category's colours, "#rrggbb"
    foreground: str


@dataclass(frozen=True)
class Thumbnail:
    png: bytes
    usage: Usage = field(default_factory=Usage)
    model: str = ""


class ThumbnailProvider(Protocol):
    name: str

    def render(self, request: ThumbnailRequest) -> Thumbnail: ...
