"""Shapes of the public catalogue operations (API.md, Catalogue)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from momentum.catalog.models import DURATIONS, Level


class CategoryOut(Schema):
    id: int
    slug: str
    name: str


def _a_duration(days: int | None) -> int | None:
    if days is not None and days not in DURATIONS:
        raise PydanticCustomError("duration", "must be one of {allowed}", {"allowed": ", ".join(map(str, DURATIONS))})
    return days


def _upper_or_none(value: object) -> object:
    """Levels in any case; an empty parameter (a form's "any level") is no filter."""
    return (value.upper() or None) if isinstance(value, str) else value


class CourseFilters(Schema):
    q: str = Field(
        "", max_length=200, description="Full text over title and description: courses having any of the words, "
        "best first; a misspelt word is corrected from the titles"
    )  # fmt: skip
    category: str = Field("", max_length=60, description="Category slug or id")
    duration_days: Annotated[int | None, AfterValidator(_a_duration)] = Field(
        None, description=f"One of {', '.join(map(str, DURATIONS))}", json_schema_extra={"enum": [*DURATIONS, None]}
    )
    level: Annotated[Level | None, BeforeValidator(_upper_or_none)] = Field(
        None, description="BEGINNER, INTERMEDIATE or ADVANCED (any case)"
    )
    language: str = Field(
        "", max_length=35, pattern="^(|[A-Za-z]{2,3})$",
        description="Courses written in this language (ISO 639 code: en, es, ar...). Without it, the caller's "
        "language (their profile's, else Accept-Language) comes first",
    )  # fmt: skip
    price: str = Field("", pattern="^(|free|paid)$", description="free or paid (premium) courses")
    sort: str = Field(
        "", pattern="^(|newest|popular|title|relevance)$", description="newest (default), popular, title; "
        "relevance is the default when searching"
    )  # fmt: skip
    status: str = Field("", pattern="^(|DRAFT|PUBLISHED|ARCHIVED)$", description="Admins only")


class CourseItem(Schema):
    id: int
    slug: str
    title: str
    description: str
    category: CategoryOut
    duration_days: int
    level: str
    language: str = Field(description="ISO 639 code of the language the course is written in")
    pacing: str
    status: str
    is_premium: bool
    price_cents: int
    currency: str
    thumbnail_url: str | None
    lesson_count: int
    enrollment_count: int
    created_at: datetime
    published_at: datetime | None

    @staticmethod
    def resolve_thumbnail_url(course: Any, context: Any) -> str | None:
        if not course.thumbnail:
            return None
        request = context["request"]
        return str(request.build_absolute_uri(course.thumbnail.url))


class LessonOutline(Schema):
    id: int
    day: int
    title: str
    duration_minutes: int
    has_video: bool
    has_quiz: bool = False
    is_preview: bool
    available_at: datetime | None = Field(
        None, description="When this day opens for the caller (a daily-paced course); null when open"
    )


class CohortOut(Schema):
    id: int
    name: str
    starts_on: date
    capacity: int | None
    learners: int
    has_room: bool


class CourseDetail(CourseItem):
    lessons: list[LessonOutline]
    cohorts: list[CohortOut] = Field(description="Upcoming cohorts, soonest first")

    @staticmethod
    def resolve_lessons(course: Any, context: Any) -> list[Any]:
        """Each lesson with ``available_at`` from the caller's schedule (context ``schedule``, ``now``);
        callers without one (not enrolled, anonymous, admins) see every day open."""
        schedule, now = context.get("schedule"), context.get("now")
        lessons = list(course.lessons.all())
        for lesson in lessons:
            lesson.available_at = (
                schedule.available_at(lesson.day, now=now, is_preview=lesson.is_preview) if schedule else None
            )
        return lessons

    @staticmethod
    def resolve_cohorts(course: Any, context: Any) -> list[Any]:
        return list(context.get("cohorts", []))


class CaptionLinkOut(Schema):
    language: str = Field(description="BCP 47 tag")
    url: str = Field(description="`text/vtt`, to those who may open the lesson")


class LessonContent(Schema):
    id: int
    day: int
    title: str
    content_markdown: str
    content_html: str
    video_url: str | None
    duration_minutes: int
    has_quiz: bool
    is_preview: bool
    captions: list[CaptionLinkOut] = Field(
        description="Caption tracks (WebVTT), the default first: the course's language, else the first uploaded"
    )
    transcript: str | None = Field(
        description="What the video says, as plain text (its default captions); null without a video or captions"
    )
