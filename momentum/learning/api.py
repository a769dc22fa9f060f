"""The learning app's API operations: enrolment, progress, the learner's enrolments and stats."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from ninja.responses import Status

from momentum.accounts.policy import Access, api_access
from momentum.catalog.queries import visible_course_or_404, visible_lesson_or_404
from momentum.learning import actions, queries
from momentum.learning.schemas import EnrollmentIn, EnrollmentOut, ProgressIn, ProgressOut, StatsOut
from momentum.lib.pagination import Page, PageParams, paginate
from momentum.platform.api_problems import problems

router = Router(tags=["learning"])


def _enrollment_body(user: Any, course_id: int) -> Any:
    return queries.enrollments_with_progress(user).get(course_id=course_id)


@router.post(
    "/courses/{course}/enrollment",
    response={200: EnrollmentOut, 201: EnrollmentOut},
    auth=api_access(Access.VERIFIED),
    openapi_extra=problems({
        402: "`payment_required`: a premium course",
        409: "`cohort_full`: the chosen cohort has no place left",
    }),
)  # fmt: skip
def enroll(request: HttpRequest, course: str, body: EnrollmentIn | None = None) -> Status[Any]:
    """Enrol the caller: 201 the first time, 200 with the same body after (402 for a premium course
    without access). In the cohort ``cohort_id`` when given, else in the course's next upcoming cohort
    with room (when it has one)."""
    found = visible_course_or_404(request.user, course)
    cohort_id = body.cohort_id if body is not None else None
    _, created = actions.do_enroll(request.user, found, cohort_id=cohort_id, request=request)
    return Status(201 if created else 200, _enrollment_body(request.user, found.pk))


@router.delete("/courses/{course}/enrollment", response={204: None}, auth=api_access(Access.OWNER))
def unenroll(request: HttpRequest, course: str) -> HttpResponse:
    """Leave a course (progress is kept should the learner come back)."""
    found = visible_course_or_404(request.user, course)
    actions.do_unenroll(request.user, found, request=request)
    return HttpResponse(status=204)


@router.put(
    "/courses/{course}/lessons/{lesson}/progress",
    response=ProgressOut,
    auth=api_access(Access.OWNER),
    openapi_extra=problems({
        402: "`payment_required`: a premium course's lesson, without access to the course (its free preview excepted)",
        409: "`quiz_not_passed`: completing a lesson whose quiz the caller has not passed",
    }),
)  # fmt: skip
def record_progress(request: HttpRequest, course: str, lesson: int, body: ProgressIn) -> dict[str, Any]:
    """Upsert the caller's progress on a lesson of a course they are enrolled in (403 otherwise) and
    may open (403 ``lesson_locked`` while its day is not open, 402 when a premium course's access ended)."""
    found = visible_lesson_or_404(request.user, course, lesson_id=lesson)
    result = actions.do_record_progress(
        request.user, found, completed=body.completed, position_seconds=body.position_seconds
    )
    return {
        "lesson_id": found.pk,
        "completed": result.progress.completed,
        "completed_at": result.progress.completed_at,
        "position_seconds": result.progress.position_seconds,
        "course_completed": result.enrollment.completed_at is not None,
        "badges_awarded": [award.badge.code for award in result.badges],
    }


@router.get("/me/enrollments", response=Page[EnrollmentOut], auth=api_access(Access.AUTHENTICATED))
def my_enrollments(request: HttpRequest, paging: Query[PageParams]) -> dict[str, Any]:
    """The caller's courses with their progress, unfinished first."""
    return paginate(queries.enrollments_with_progress(request.user), paging)


@router.get("/me/stats", response=StatsOut, auth=api_access(Access.AUTHENTICATED))
def my_stats(request: HttpRequest) -> queries.LearnerStats:
    """Lessons and courses completed, minutes learned, current and longest streak."""
    return queries.progress_summary(request.user)


from momentum.learning import admin_api  # noqa: E402, F401  (registers its operations)
