"""``momentum.json``: Momentum's own description of a course inside its package, for a lossless
round trip. Every field of the course, its lessons, their captions and quizzes (with the answer
key and explanations); media are files of the zip named here by their path.

Version 1. A reader refuses a higher version (422) rather than guess; a new optional field
does not need a new version, a changed meaning does.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

FORMAT = "momentum-course-package"
VERSION = 1
MANIFEST_NAME = "momentum.json"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OptionData(_Strict):
    text: str = Field(min_length=1, max_length=500)
    correct: bool


class QuestionData(_Strict):
    kind: Literal["single", "multiple", "true_false", "short_text"]
    prompt: str = Field(min_length=1, max_length=10_000)
    explanation: str = Field(default="", max_length=10_000)
    accepted_answers: list[str] = Field(default_factory=list, max_length=50)
    options: list[OptionData] = Field(default_factory=list, max_length=6)


class QuizData(_Strict):
    pass_percent: int = Field(ge=0, le=100)
    max_attempts: int | None = Field(default=None, ge=1, le=1000)
    needs_review: bool = False
    questions: list[QuestionData] = Field(min_length=1, max_length=50)


class CaptionData(_Strict):
    language: str = Field(min_length=2, max_length=35)
    source: Literal["UPLOADED", "GENERATED"] = "UPLOADED"
    file: str = Field(min_length=1, max_length=300)


class LessonData(_Strict):
    day: int = Field(ge=1, le=21)
    title: str = Field(min_length=1, max_length=500)
    content_markdown: str = Field(default="", max_length=200_000)
    video: str | None = Field(default=None, max_length=300)
    video_url: str = Field(default="", max_length=1000)
    duration_minutes: int = Field(default=10, ge=0, le=600)
    is_preview: bool = False
    needs_review: bool = False
    captions: list[CaptionData] = Field(default_factory=list, max_length=50)
    quiz: QuizData | None = None


class CourseData(_Strict):
    title: str = Field(min_length=1, max_length=500)
    description: str = Field(default="", max_length=20_000)
    category: str = Field(default="", max_length=60)
    duration_days: Literal[7, 14, 21]
    level: Literal["BEGINNER", "INTERMEDIATE", "ADVANCED"] = "BEGINNER"
    pacing: Literal["DAILY", "SELF_PACED"] = "DAILY"
    is_premium: bool = False
    price_cents: int = Field(default=0, ge=0, le=100_000_000)
    currency: str = Field(default="usd", min_length=3, max_length=3)
    metadata: dict[str, Any] = Field(default_factory=dict)
    thumbnail: str | None = Field(default=None, max_length=300)


class PackageData(_Strict):
    format: Literal["momentum-course-package"]
    version: int = Field(ge=1)
    exported_at: str = ""
    course: CourseData
    lessons: list[LessonData] = Field(default_factory=list, max_length=21)
