"""Catalogue operations for everyone: categories, courses, lessons."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Schema

from momentum.accounts.policy import Access, api_access
from momentum.catalog import queries
from momentum.catalog.api import router
from momentum.catalog.api.public_schemas import CategoryOut, CourseDetail, CourseFilters, CourseItem, LessonContent
from momentum.catalog.models import Pacing
from momentum.learning import queries as learning
from momentum.lib import clock
from momentum.lib.markdown import render_cached
from momentum.lib.pagination import Page, PageParams, paginate
from momentum.platform import project_api
from momentum.platform.api_problems import problems
from momentum.platform.caching import CATALOGUE, CATEGORIES, cached_response


def _json(
    request: HttpRequest, schema: type[Schema], value: Any, context: dict[str, Any] | None = None
) -> HttpResponse:
    """``value`` rendered exactly as ninja renders a ``response=schema`` operation."""
    data = schema.model_validate(value, context={"request": request, **(context or {})}).model_dump()
    return project_api.render(request, data)


@router.get("/categories", response=Page[CategoryOut], auth=api_access(Access.PUBLIC))
def list_categories(request: HttpRequest, paging: Query[PageParams]) -> HttpResponse:
    return cached_response(
        CATEGORIES,
        request,
        f"categories|{paging.model_dump_json()}",
        lambda: _json(request, Page[CategoryOut], paginate(queries.categories(), paging)),
    )


@router.get("/courses", response=Page[CourseItem], auth=api_access(Access.PUBLIC))
def list_courses(
    request: HttpRequest, filters: Query[CourseFilters], paging: Query[PageParams]
) -> HttpResponse | dict[str, Any]:
    """Published courses (admins may filter by ``status``), filtered, searched and sorted; those in
    the caller's language (their profile's, else ``Accept-Language``) first."""
    prefer = queries.reader_language(request)
    if queries.is_admin(request.user):  # drafts and archived courses: never cached
        return paginate(queries.catalogue(request.user, **filters.dict(), prefer=prefer), paging)
    return cached_response(
        CATALOGUE,
        request,
        f"courses|{prefer}|{filters.model_dump_json()}|{paging.model_dump_json()}",
        lambda: _json(
            request,
            Page[CourseItem],
            paginate(queries.catalogue(request.user, **filters.dict(), prefer=prefer), paging),
        ),
    )


@router.get("/courses/{course}", response=CourseDetail, auth=api_access(Access.PUBLIC))
def get_course(request: HttpRequest, course: str) -> Any:
    """A course with its outline and upcoming cohorts; drafts and archived courses are 404 except to
    admins. ``available_at`` is the caller's: in a daily-paced course a learner's days open one a day
    from their start; to anyone not enrolled (anonymous too) every day reads open (null), since their
    days start counting when they enrol."""
    now = clock.now()
    today = now.date()

    def detail(schedule: Any = None) -> HttpResponse:
        found = queries.visible_course_or_404(request.user, course, with_lessons=True)
        context = {"schedule": schedule, "now": now, "cohorts": learning.upcoming_cohorts(found, today)}
        return _json(request, CourseDetail, found, context)

    if queries.is_admin(request.user):
        return detail()
    enrollment = learning.enrollment_by_key(request.user, course)
    if enrollment is not None and enrollment.course.pacing == Pacing.DAILY:
        return detail(learning.schedule_of(request.user, enrollment.course, enrollment))
    return cached_response(CATALOGUE, request, f"course|{course}|{today.isoformat()}", detail)


@router.get(
    "/courses/{course}/lessons/{lesson}", response=LessonContent, auth=api_access(Access.PUBLIC),
    openapi_extra=problems({
        401: "`not_authenticated`: sign in to open a lesson that is not a preview",
        402: "`payment_required`: a premium course",
        403: "`not_enrolled`; `lesson_locked` with `available_at` while a daily-paced day is not open yet",
    }),
)  # fmt: skip
def get_lesson(request: HttpRequest, course: str, lesson: int) -> dict[str, Any]:
    """A lesson's content: for preview lessons anyone, otherwise enrolled learners and admins (401/403)."""
    found = queries.visible_lesson_or_404(request.user, course, lesson_id=lesson)
    learning.ensure_lesson_open(request.user, found)
    captions = learning.captions_of(request, found)
    return {
        "id": found.pk,
        "day": found.day,
        "title": found.title,
        "content_markdown": found.content_markdown,
        "content_html": str(render_cached(found.content_markdown)),
        "video_url": learning.video_url(request, found),
        "duration_minutes": found.duration_minutes,
        "has_quiz": queries.lesson_has_quiz(found),
        "is_preview": found.is_preview,
        "captions": [{"language": link.language, "url": link.url} for link in captions.links],
        "transcript": captions.transcript,
    }
