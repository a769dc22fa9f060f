"""Catalogue operations for admins: course and lesson authoring, publishing, archiving.

The output schemas here are the admin's view of a course (status, price, missing days, every
lesson); the public view lives in ``public``. Both share the router and its paths.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import File, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from momentum.accounts.policy import Access, api_access
from momentum.api_problems import problems
from momentum.catalog import actions, media, queries
from momentum.catalog.api import router
from momentum.catalog.models import Category, Course, Lesson, Level, Pacing
from momentum.catalog.models import Status as CourseStatus
from momentum.lib.input_types import JsonBool
from momentum.lib.markdown import render
from momentum.lib.problems import Invalid, NotFound
from momentum.ops.idempotency import run_once

ADMIN = api_access(Access.ADMIN)

# --- Schemas ----------------------------------------------------------------------------------


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


class AdminCourseOut(Schema):
    id: int
    slug: str
    title: str
    description: str
    category: CategoryRef
    duration_days: int
    level: str
    pacing: Pacing
    status: CourseStatus
    is_premium: bool
    price_cents: int
    currency: str
    thumbnail_url: str | None
    lesson_count: int
    enrollment_count: int
    missing_days: list[int]
    lessons: list[AdminLessonSummary]
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    archived_at: datetime | None


class CourseIn(Schema):
    title: str = Field(min_length=1, max_length=500)
    description: str = Field("", max_length=20_000)
    category: str | int = Field(description="slug or id")
    duration_days: Literal[7, 14, 21]
    level: Level = Level.BEGINNER
    pacing: Pacing = Field(Pacing.DAILY, description="DAILY: one day opens a day; SELF_PACED: every day open")
    is_premium: JsonBool = False
    price_cents: int = Field(0, ge=0, le=10_000_000)


class CoursePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=500)
    description: str | None = Field(None, max_length=20_000)
    category: str | int | None = Field(None, description="slug or id")
    duration_days: Literal[7, 14, 21] | None = None
    level: Level | None = None
    pacing: Pacing | None = None
    is_premium: JsonBool | None = None
    price_cents: int | None = Field(None, ge=0, le=10_000_000)


class LessonIn(Schema):
    day: int = Field(ge=1, le=21)
    title: str = Field(min_length=1, max_length=500)
    content_markdown: str = Field("", max_length=200_000)
    video_url: str | None = Field(None, max_length=1000, description="http(s) URL of a public video")
    duration_minutes: int = Field(10, ge=0, le=600)
    is_preview: JsonBool = False


class LessonPatch(Schema):
    day: int | None = Field(None, ge=1, le=21)
    title: str | None = Field(None, min_length=1, max_length=500)
    content_markdown: str | None = Field(None, max_length=200_000)
    video_url: str | None = Field(None, max_length=1000, description="http(s) URL; empty string removes it")
    duration_minutes: int | None = Field(None, ge=0, le=600)
    is_preview: JsonBool | None = None


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
    created_at: datetime
    updated_at: datetime


# --- Shaping ----------------------------------------------------------------------------------


def course_out(course: Course) -> dict[str, Any]:
    lessons = list(course.lessons.order_by("day"))
    present = {lesson.day for lesson in lessons}
    return {
        "id": course.pk,
        "slug": course.slug,
        "title": course.title,
        "description": course.description,
        "category": {"id": course.category.pk, "slug": course.category.slug, "name": course.category.name},
        "duration_days": course.duration_days,
        "level": course.level,
        "pacing": course.pacing,
        "status": course.status,
        "is_premium": course.is_premium,
        "price_cents": course.price_cents,
        "currency": course.currency,
        "thumbnail_url": course.thumbnail.url if course.thumbnail else None,
        "lesson_count": len(lessons),
        "enrollment_count": course.enrollment_count,
        "missing_days": [day for day in range(1, course.duration_days + 1) if day not in present],
        "lessons": [
            {
                "id": lesson.pk,
                "day": lesson.day,
                "title": lesson.title,
                "duration_minutes": lesson.duration_minutes,
                "has_video": lesson.has_video,
                "is_preview": lesson.is_preview,
            }
            for lesson in lessons
        ],
        "created_at": course.created_at,
        "updated_at": course.updated_at,
        "published_at": course.published_at,
        "archived_at": course.archived_at,
    }


def lesson_video_url(lesson: Lesson) -> str | None:
    if lesson.video:
        return str(lesson.video.url)
    return lesson.video_url or None


def lesson_out(lesson: Lesson) -> dict[str, Any]:
    return {
        "id": lesson.pk,
        "course_id": lesson.course_id,
        "day": lesson.day,
        "title": lesson.title,
        "content_markdown": lesson.content_markdown,
        "content_html": str(render(lesson.content_markdown)),
        "video_url": lesson_video_url(lesson),
        "has_video": lesson.has_video,
        "duration_minutes": lesson.duration_minutes,
        "is_preview": lesson.is_preview,
        "created_at": lesson.created_at,
        "updated_at": lesson.updated_at,
    }


def category_from(key: str | int) -> Category:
    category = queries.category_by_key(key)
    if category is None:
        raise Invalid("category", f"no category has the slug or id {key!r}", rule="exists")
    return category


def _course(request: HttpRequest, key: str) -> Course:
    return queries.visible_course_or_404(request.user, key)


def _lesson(course: Course, key: int) -> Lesson:
    lesson = queries.lesson_of(course, key)
    if lesson is None:
        raise NotFound("This course has no such lesson.")
    return lesson


def _json(data: dict[str, Any]) -> dict[str, Any]:
    """A response body as JSON types (idempotent replays store it)."""
    return AdminCourseOut.model_validate(data).model_dump(mode="json")


# --- Courses ----------------------------------------------------------------------------------


@router.post("/courses", response={201: AdminCourseOut}, auth=ADMIN)
def create_course(request: HttpRequest, payload: CourseIn) -> Status[dict[str, Any]]:
    """Create a DRAFT course. An `Idempotency-Key` header makes a repeat return the first course."""
    body = payload.model_dump(mode="json")

    def work() -> tuple[int, dict[str, Any]]:
        course = actions.do_create_course(
            title=payload.title.strip(),
            description=payload.description,
            category=category_from(payload.category),
            duration_days=payload.duration_days,
            level=payload.level,
            pacing=payload.pacing,
            is_premium=payload.is_premium,
            price_cents=payload.price_cents,
            title_card=True,
            actor=request.user,
            request=request,
        )
        return 201, _json(course_out(course))

    if payload.is_premium and payload.price_cents <= 0:
        raise Invalid("price_cents", "a premium course needs a price above 0", rule="premium_needs_price")
    status, created = run_once(
        user=request.user,
        scope="catalog.create_course",
        key=request.headers.get("Idempotency-Key"),
        body=body,
        work=work,
    )
    return Status(status, created)


@router.patch(
    "/courses/{course}", response=AdminCourseOut, auth=ADMIN,
    openapi_extra=problems({409: "`lessons_beyond_duration`, `incomplete_course`"}),
)  # fmt: skip
def update_course(request: HttpRequest, course: str, payload: CoursePatch) -> dict[str, Any]:
    changes = payload.model_dump(exclude_unset=True)
    for name in ("title", "duration_days", "level", "pacing", "is_premium", "price_cents", "category"):
        if name in changes and changes[name] is None:
            raise Invalid(name, "must not be null", rule="not_null")
    if "category" in changes:
        changes["category"] = category_from(changes["category"])
    if "title" in changes:
        changes["title"] = changes["title"].strip()
    if "description" in changes and changes["description"] is None:
        changes["description"] = ""
    updated = actions.do_update_course(_course(request, course), actor=request.user, request=request, **changes)
    return course_out(updated)


@router.delete(
    "/courses/{course}", response={204: None}, auth=ADMIN,
    openapi_extra=problems({409: "`course_in_use`: archive it instead"}),
)  # fmt: skip
def delete_course(request: HttpRequest, course: str) -> Status[None]:
    """Remove a draft; archive a published course (its learners and payments refer to it)."""
    actions.do_delete_course(_course(request, course), actor=request.user, request=request)
    return Status(204, None)


@router.post(
    "/courses/{course}/publish", response=AdminCourseOut, auth=ADMIN,
    openapi_extra=problems({409: "`incomplete_course`"}),
)  # fmt: skip
def publish_course(request: HttpRequest, course: str) -> dict[str, Any]:
    """Publish (or re-publish an archived course); 409 `incomplete_course` with `missing_days`
    unless there is exactly one lesson for each day 1..duration_days."""
    return course_out(actions.do_publish_course(_course(request, course), actor=request.user, request=request))


@router.post("/courses/{course}/archive", response=AdminCourseOut, auth=ADMIN)
def archive_course(request: HttpRequest, course: str) -> dict[str, Any]:
    return course_out(actions.do_archive_course(_course(request, course), actor=request.user, request=request))


@router.post("/courses/{course}/thumbnail", response=AdminCourseOut, auth=ADMIN)
def upload_course_thumbnail(request: HttpRequest, course: str, file: File[UploadedFile]) -> dict[str, Any]:
    """Multipart `file`: a PNG, JPEG, WebP or GIF image (re-encoded as PNG); 413 past the size limit."""
    target = _course(request, course)
    png = media.thumbnail_png(file, field="file")
    return course_out(actions.do_set_thumbnail(target, png, actor=request.user, request=request))


# --- Lessons ----------------------------------------------------------------------------------


@router.post(
    "/courses/{course}/lessons", response={201: AdminLessonOut}, auth=ADMIN,
    openapi_extra=problems({409: "`day_taken`"}),
)  # fmt: skip
def create_lesson(request: HttpRequest, course: str, payload: LessonIn) -> Status[dict[str, Any]]:
    """A lesson for a free day; 409 `day_taken` when the day has one."""
    lesson = actions.do_create_lesson(
        _course(request, course),
        day=payload.day,
        title=payload.title.strip(),
        content_markdown=payload.content_markdown,
        video_url=(payload.video_url or "").strip(),
        duration_minutes=payload.duration_minutes,
        is_preview=payload.is_preview,
        actor=request.user,
        request=request,
    )
    return Status(201, lesson_out(lesson))


@router.patch(
    "/courses/{course}/lessons/{lesson}", response=AdminLessonOut, auth=ADMIN,
    openapi_extra=problems({409: "`day_taken`"}),
)  # fmt: skip
def update_lesson(request: HttpRequest, course: str, lesson: int, payload: LessonPatch) -> dict[str, Any]:
    """Change a lesson; moving it to a day that has a lesson is 409 `day_taken`."""
    changes = payload.model_dump(exclude_unset=True)
    for name in ("day", "title", "duration_minutes", "is_preview"):
        if name in changes and changes[name] is None:
            raise Invalid(name, "must not be null", rule="not_null")
    for name in ("content_markdown", "video_url"):
        if name in changes:
            changes[name] = (changes[name] or "").strip() if name == "video_url" else (changes[name] or "")
    if "title" in changes:
        changes["title"] = changes["title"].strip()
    target = _lesson(_course(request, course), lesson)
    return lesson_out(actions.do_update_lesson(target, actor=request.user, request=request, **changes))


@router.delete(
    "/courses/{course}/lessons/{lesson}", response={204: None}, auth=ADMIN,
    openapi_extra=problems({409: "`course_published`: lessons of a published course stay"}),
)  # fmt: skip
def delete_lesson(request: HttpRequest, course: str, lesson: int) -> Status[None]:
    """Remove a lesson of a draft or archived course; 409 `course_published` otherwise."""
    actions.do_delete_lesson(_lesson(_course(request, course), lesson), actor=request.user, request=request)
    return Status(204, None)


@router.post("/courses/{course}/lessons/{lesson}/video", response=AdminLessonOut, auth=ADMIN)
def upload_lesson_video(
    request: HttpRequest,
    course: str,
    lesson: int,
    file: File[UploadedFile],
) -> dict[str, Any]:
    """Multipart `file`: an MP4, WebM or Ogg video, checked by its content; 413 past the size limit."""
    target = _lesson(_course(request, course), lesson)
    media.check_video(file, field="file")
    return lesson_out(actions.do_set_lesson_video(target, file, actor=request.user, request=request))
