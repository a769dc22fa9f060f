"""The admin's view of courses and lessons (status, price, missing days, every lesson), read from
the models by ninja: the operations in ``admin`` return ``Course`` and ``Lesson`` objects.

A course's lessons are read from ``course.lessons.all()``: pass a course through
``queries.with_lessons`` first so that they are loaded once, in day order.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from momentum.catalog.models import Course, Lesson, Level, Pacing
from momentum.catalog.models import Status as CourseStatus
from momentum.lib.input_types import JsonBool
from momentum.lib.markdown import render


class CategoryRef(Schema):
    id: int
    slug: str
    name: str


class AdminLessonSummary(Schema):
    id: int
    day: int
    title: str
    duration_minutes: int
    has_video: bool
    is_preview: bool
    needs_review: bool


class AdminCourseOut(Schema):
    id: int
    slug: str
    title: str
    description: str
    category: CategoryRef
    duration_days: int
    level: str
    pacing: Pacing
    language: str = Field(description="The language the course is written in (ISO 639 code)")
    status: CourseStatus
    is_premium: bool
    price_cents: int
    currency: str
    thumbnail_url: str | None
    lesson_count: int
    enrollment_count: int
    missing_days: list[int]
    unreviewed_days: list[int] = Field(description="days whose generated lesson or quiz awaits review")
    lessons: list[AdminLessonSummary]
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    archived_at: datetime | None
    owner_id: int | None = Field(description="the instructor (or admin) who created it; null: site-owned")
    publish_requested_at: datetime | None = Field(
        description="set while an instructor's request to publish waits for an admin's approval"
    )

    # The resolvers read a Course; an idempotent replay validates the body stored by the first
    # request (a dict), already shaped.

    @staticmethod
    def resolve_thumbnail_url(course: Course | dict[str, Any]) -> str | None:
        if isinstance(course, dict):
            return course["thumbnail_url"]  # type: ignore[no-any-return]
        return str(course.thumbnail.url) if course.thumbnail else None

    @staticmethod
    def resolve_lessons(course: Course | dict[str, Any]) -> list[Any]:
        return course["lessons"] if isinstance(course, dict) else list(course.lessons.all())

    @staticmethod
    def resolve_lesson_count(course: Course | dict[str, Any]) -> int:
        return course["lesson_count"] if isinstance(course, dict) else len(course.lessons.all())

    @staticmethod
    def resolve_missing_days(course: Course | dict[str, Any]) -> list[int]:
        if isinstance(course, dict):
            return course["missing_days"]  # type: ignore[no-any-return]
        present = {lesson.day for lesson in course.lessons.all()}
        return [day for day in range(1, course.duration_days + 1) if day not in present]

    @staticmethod
    def resolve_unreviewed_days(course: Course | dict[str, Any]) -> list[int]:
        if isinstance(course, dict):
            return course["unreviewed_days"]  # type: ignore[no-any-return]
        from momentum.catalog.actions import unreviewed_days

        return unreviewed_days(course)


LANGUAGE_HELP = "The language the course is written in: an ISO 639 code (en default, es, ar...); 422 otherwise"


class CourseIn(Schema):
    title: str = Field(min_length=1, max_length=500)
    description: str = Field("", max_length=20_000)
    category: str | int = Field(description="slug or id")
    duration_days: Literal[7, 14, 21]
    level: Level = Level.BEGINNER
    pacing: Pacing = Field(Pacing.DAILY, description="DAILY: one day opens a day; SELF_PACED: every day open")
    language: str = Field("en", min_length=2, max_length=35, description=LANGUAGE_HELP)
    is_premium: JsonBool = False
    price_cents: int = Field(0, ge=0, le=10_000_000)


class CoursePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=500)
    description: str | None = Field(None, max_length=20_000)
    category: str | int | None = Field(None, description="slug or id")
    duration_days: Literal[7, 14, 21] | None = None
    level: Level | None = None
    pacing: Pacing | None = None
    language: str | None = Field(None, min_length=2, max_length=35, description=LANGUAGE_HELP)
    is_premium: JsonBool | None = None
    price_cents: int | None = Field(None, ge=0, le=10_000_000)


class LessonIn(Schema):
    day: int = Field(ge=1, le=21)
    title: str = Field(min_length=1, max_length=500)
    content_markdown: str = Field("", max_length=200_000)
    video_url: str | None = Field(None, max_length=1000, description="http(s) URL of a public video")
    duration_minutes: int = Field(10, ge=0, le=600)
    is_preview: JsonBool = False
    reviewed: JsonBool = Field(True, description="false marks the lesson as needing review")


class LessonPatch(Schema):
    day: int | None = Field(None, ge=1, le=21)
    title: str | None = Field(None, min_length=1, max_length=500)
    content_markdown: str | None = Field(None, max_length=200_000)
    video_url: str | None = Field(None, max_length=1000, description="http(s) URL; empty string removes it")
    duration_minutes: int | None = Field(None, ge=0, le=600)
    is_preview: JsonBool | None = None
    reviewed: JsonBool | None = Field(
        None, description="true: reviewed (lesson and quiz); false: needs review again. Any edit counts as a review."
    )


class AdminLessonOut(Schema):
    id: int
    course_id: int
    day: int
    title: str
    content_markdown: str
    content_html: str
    video_url: str | None
    has_video: bool
    duration_minutes: int
    is_preview: bool
    needs_review: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_content_html(lesson: Lesson) -> str:
        return str(render(lesson.content_markdown))

    @staticmethod
    def resolve_video_url(lesson: Lesson) -> str | None:
        return str(lesson.video.url) if lesson.video else lesson.video_url or None


class InstructorRef(Schema):
    id: int
    display_name: str
    email: str
    role: Literal["owner", "co_instructor"]


class CourseStaffOut(Schema):
    """Who runs a course besides the admins: its owner and its co-instructors."""

    items: list[InstructorRef]


class CoInstructorIn(Schema):
    email: str = Field(min_length=3, max_length=254, description="an active INSTRUCTOR account's email address")


class CaptionTrackOut(Schema):
    lesson_id: int
    language: str = Field(description="BCP 47 tag, in its standard form (`pt-BR`)")
    url: str = Field(description="Where the WebVTT file is served (`text/vtt`), to those who may open the lesson")
    source: str = Field(description="UPLOADED or GENERATED (from the narration of a generated video)")
    updated_at: datetime
