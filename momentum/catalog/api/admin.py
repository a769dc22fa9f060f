"""Catalogue operations for course staff: course and lesson authoring, publishing, archiving, and
the course's co-instructors. Admins may use them on every course; an instructor on the courses they
own or co-teach (``queries.staffed_course_or_404``: 403 ``not_course_owner`` otherwise).

The output schemas here are the admin's view of a course (status, price, missing days, every
lesson); the public view lives in ``public``. Both share the router and its paths.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Status
from ninja.files import UploadedFile

from momentum.accounts import queries as account_queries
from momentum.accounts.policy import Access, api_access, caller
from momentum.catalog import actions, media, queries, staff
from momentum.catalog.api import router
from momentum.catalog.api.admin_schemas import (
    AdminCourseOut,
    AdminLessonOut,
    CaptionTrackOut,
    CoInstructorIn,
    CourseIn,
    CoursePatch,
    CourseStaffOut,
    LessonIn,
    LessonPatch,
)
from momentum.catalog.models import Category, Course, Lesson
from momentum.learning import queries as learning
from momentum.lib import language_tags
from momentum.lib.problems import Invalid, NotFound
from momentum.platform.api_problems import problems
from momentum.platform.idempotency import run_once

STAFF = api_access(Access.COURSE_STAFF)


def category_from(key: str | int) -> Category:
    category = queries.category_by_key(key)
    if category is None:
        raise Invalid("category", _("no category has the slug or id %(key)r") % {"key": key}, rule="exists")
    return category


def _course(request: HttpRequest, key: str) -> Course:
    return queries.staffed_course_or_404(request.user, key)


def _lesson(course: Course, key: int) -> Lesson:
    lesson = queries.lesson_of(course, key)
    if lesson is None:
        raise NotFound(_("This course has no such lesson."))
    return lesson


def _json(course: Course) -> dict[str, Any]:
    """A response body as JSON types (idempotent replays store it)."""
    return AdminCourseOut.from_orm(queries.with_lessons(course)).model_dump(mode="json")


# --- Courses ----------------------------------------------------------------------------------


@router.post("/courses", response={201: AdminCourseOut}, auth=STAFF)
def create_course(request: HttpRequest, payload: CourseIn) -> Status[dict[str, Any]]:
    """Create a DRAFT course. An `Idempotency-Key` header makes a repeat return the first course."""
    if payload.is_premium and payload.price_cents <= 0:
        raise Invalid("price_cents", _("a premium course needs a price above 0"), rule="premium_needs_price")

    def work() -> tuple[int, dict[str, Any]]:
        fields = payload.model_dump(exclude={"title", "category"})
        category = category_from(payload.category)
        course = actions.do_create_course(
            title=payload.title.strip(), category=category, title_card=True, actor=caller(request), request=request,
            **fields,
        )  # fmt: skip
        return 201, _json(course)

    key = request.headers.get("Idempotency-Key")
    body = payload.model_dump(mode="json")
    status, created = run_once(user=request.user, scope="catalog.create_course", key=key, body=body, work=work)
    return Status(status, created)


@router.patch(
    "/courses/{course}", response=AdminCourseOut, auth=STAFF,
    openapi_extra=problems({409: "`lessons_beyond_duration`, `incomplete_course`"}),
)  # fmt: skip
def update_course(request: HttpRequest, course: str, payload: CoursePatch) -> Course:
    changes = payload.model_dump(exclude_unset=True)
    for name in ("title", "duration_days", "level", "pacing", "language", "is_premium", "price_cents", "category"):
        if name in changes and changes[name] is None:
            raise Invalid(name, "must not be null", rule="not_null")
    if "category" in changes:
        changes["category"] = category_from(changes["category"])
    if "title" in changes:
        changes["title"] = changes["title"].strip()
    if "description" in changes and changes["description"] is None:
        changes["description"] = ""
    updated = actions.do_update_course(_course(request, course), actor=caller(request), request=request, **changes)
    return queries.with_lessons(updated)


@router.delete(
    "/courses/{course}", response={204: None}, auth=STAFF,
    openapi_extra=problems({409: "`course_in_use`: archive it instead"}),
)  # fmt: skip
def delete_course(request: HttpRequest, course: str) -> Status[None]:
    """Remove a draft; archive a published course (its learners and payments refer to it)."""
    actions.do_delete_course(_course(request, course), actor=caller(request), request=request)
    return Status(204, None)


@router.post(
    "/courses/{course}/publish", response=AdminCourseOut, auth=STAFF,
    openapi_extra=problems({409: "`incomplete_course`, `unreviewed_lessons`"}),
)  # fmt: skip
def publish_course(request: HttpRequest, course: str) -> Course:
    """Publish (or re-publish an archived course); 409 `incomplete_course` with `missing_days`
    unless there is exactly one lesson for each day 1..duration_days; 409 `unreviewed_lessons`
    with `days` while a generated lesson or quiz has not been reviewed. An instructor, on a site
    whose setting is that an admin approves, asks instead: the course keeps its status and gets
    `publish_requested_at` (the admins' approval queue); an admin's publish approves it."""
    return queries.with_lessons(
        actions.do_publish_course(_course(request, course), actor=caller(request), request=request)
    )


@router.post("/courses/{course}/archive", response=AdminCourseOut, auth=STAFF)
def archive_course(request: HttpRequest, course: str) -> Course:
    return queries.with_lessons(
        actions.do_archive_course(_course(request, course), actor=caller(request), request=request)
    )


@router.post("/courses/{course}/thumbnail", response=AdminCourseOut, auth=STAFF)
def upload_course_thumbnail(request: HttpRequest, course: str, file: File[UploadedFile]) -> Course:
    """Multipart `file`: a PNG, JPEG, WebP or GIF image (re-encoded as PNG); 413 past the size limit."""
    target = _course(request, course)
    png = media.thumbnail_png(file, field="file")
    return queries.with_lessons(actions.do_set_thumbnail(target, png, actor=caller(request), request=request))


# --- Lessons ----------------------------------------------------------------------------------


@router.post(
    "/courses/{course}/lessons", response={201: AdminLessonOut}, auth=STAFF,
    openapi_extra=problems({409: "`day_taken`"}),
)  # fmt: skip
def create_lesson(request: HttpRequest, course: str, payload: LessonIn) -> Status[Lesson]:
    """A lesson for a free day; 409 `day_taken` when the day has one."""
    lesson = actions.do_create_lesson(
        _course(request, course),
        day=payload.day,
        title=payload.title.strip(),
        content_markdown=payload.content_markdown,
        video_url=(payload.video_url or "").strip(),
        duration_minutes=payload.duration_minutes,
        is_preview=payload.is_preview,
        reviewed=payload.reviewed,
        actor=caller(request),
        request=request,
    )
    return Status(201, lesson)


@router.patch(
    "/courses/{course}/lessons/{lesson}", response=AdminLessonOut, auth=STAFF,
    openapi_extra=problems({409: "`day_taken`"}),
)  # fmt: skip
def update_lesson(request: HttpRequest, course: str, lesson: int, payload: LessonPatch) -> Lesson:
    """Change a lesson; moving it to a day that has a lesson is 409 `day_taken`. An edit, or
    `reviewed: true`, clears `needs_review` on the lesson and its quiz."""
    changes = payload.model_dump(exclude_unset=True)
    reviewed = changes.pop("reviewed", None)
    for name in ("day", "title", "duration_minutes", "is_preview"):
        if name in changes and changes[name] is None:
            raise Invalid(name, "must not be null", rule="not_null")
    for name in ("content_markdown", "video_url"):
        if name in changes:
            changes[name] = (changes[name] or "").strip() if name == "video_url" else (changes[name] or "")
    if "title" in changes:
        changes["title"] = changes["title"].strip()
    target = _lesson(_course(request, course), lesson)
    return actions.do_update_lesson(target, reviewed=reviewed, actor=caller(request), request=request, **changes)


@router.delete(
    "/courses/{course}/lessons/{lesson}", response={204: None}, auth=STAFF,
    openapi_extra=problems({409: "`course_published`: lessons of a published course stay"}),
)  # fmt: skip
def delete_lesson(request: HttpRequest, course: str, lesson: int) -> Status[None]:
    """Remove a lesson of a draft or archived course; 409 `course_published` otherwise."""
    actions.do_delete_lesson(_lesson(_course(request, course), lesson), actor=caller(request), request=request)
    return Status(204, None)


@router.post("/courses/{course}/lessons/{lesson}/video", response=AdminLessonOut, auth=STAFF)
def upload_lesson_video(
    request: HttpRequest,
    course: str,
    lesson: int,
    file: File[UploadedFile],
) -> Lesson:
    """Multipart `file`: an MP4, WebM or Ogg video, checked by its content; 413 past the size limit."""
    target = _lesson(_course(request, course), lesson)
    media.check_video(file, field="file")
    return actions.do_set_lesson_video(target, file, actor=caller(request), request=request)


# --- Co-instructors ---------------------------------------------------------------------------


@router.get("/courses/{course}/instructors", response=CourseStaffOut, auth=STAFF)
def list_instructors(request: HttpRequest, course: str) -> dict[str, Any]:
    """The course's owner and co-instructors (admins run every course and are not listed)."""
    return {"items": queries.course_instructors(_course(request, course))}


@router.post(
    "/courses/{course}/instructors", response={201: CourseStaffOut}, auth=STAFF,
    openapi_extra=problems({409: "`already_course_staff`"}),
)  # fmt: skip
def add_instructor(request: HttpRequest, course: str, payload: CoInstructorIn) -> Status[dict[str, Any]]:
    """The owner (or an admin) adds another INSTRUCTOR by email (audited; they are notified);
    403 `not_course_owner` for a co-instructor; 422 when no active instructor has the address."""
    target = staff.require_course_owner(request.user, _course(request, course))
    user = account_queries.active_instructor_by_email(payload.email)
    if user is None:
        raise Invalid("email", _("no active instructor account has this address"), rule="instructor")
    actions.do_add_co_instructor(target, user, actor=caller(request), request=request)
    return Status(201, {"items": queries.course_instructors(target)})


@router.delete("/courses/{course}/instructors/{instructor}", response={204: None}, auth=STAFF)
def remove_instructor(request: HttpRequest, course: str, instructor: int) -> Status[None]:
    """The owner (or an admin) removes a co-instructor (audited); 404 when they are not one."""
    target = staff.require_course_owner(request.user, _course(request, course))
    actions.do_remove_co_instructor(target, instructor, actor=caller(request), request=request)
    return Status(204, None)


# --- Captions ---------------------------------------------------------------------------------


def caption_language(value: str, field: str = "language") -> str:
    language = language_tags.standard(value)
    if language is None:
        raise Invalid(field, f"{value[:40]!r} is not a BCP 47 language tag (en, es, pt-BR)", rule="bcp47")
    return language


@router.post(
    "/courses/{course}/captions", response={201: CaptionTrackOut}, auth=STAFF,
    openapi_extra=problems({
        422: "`invalid_captions`: the file does not parse (the problem names the line, `errors[0].line`); "
        "`unsupported_media`: not a .vtt or .srt file; `validation_error`: not a BCP 47 `language`",
    }),
)  # fmt: skip
def upload_captions(
    request: HttpRequest, course: str, lesson: int, file: File[UploadedFile], language: Form[str]
) -> Status[dict[str, Any]]:
    """Multipart `file` (WebVTT .vtt, or SubRip .srt converted to WebVTT) and `language` (BCP 47):
    the captions of lesson `lesson` (a query parameter) in that language. Uploading again in the
    same language replaces the track. 413 past the size limit."""
    target = _lesson(_course(request, course), lesson)
    tag = caption_language(language)
    vtt = media.caption_webvtt(file, field="file")
    track = actions.do_put_caption_track(target, language=tag, vtt=vtt, actor=caller(request), request=request)
    return Status(201, {
        "lesson_id": target.pk, "language": track.language, "source": track.source, "updated_at": track.updated_at,
        "url": learning.caption_url(request, target.pk, track.language),
    })  # fmt: skip
