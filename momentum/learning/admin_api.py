"""Cohorts, enrolments and analytics of a course, for its staff (admins, its owner, co-instructors):
POST/GET /courses/{course}/cohorts, GET /courses/{course}/enrollments, PATCH /enrollments/{id}
(``unlock_all``), GET /courses/{course}/analytics."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Schema, Status
from pydantic import Field

from momentum.accounts.policy import Access, api_access, caller
from momentum.catalog.queries import staffed_course_or_404
from momentum.catalog.staff import require_course_staff
from momentum.learning import actions, queries
from momentum.learning.api import router
from momentum.lib import clock
from momentum.lib.pagination import Page, PageParams, paginate
from momentum.lib.problems import Invalid
from momentum.platform.api_problems import problems

STAFF = api_access(Access.COURSE_STAFF)


class CohortIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    starts_on: date = Field(description="Day 1 opens on this date, at midnight in each learner's time zone")
    capacity: int | None = Field(None, ge=1, le=100_000, description="null: no limit")


class CohortOut(Schema):
    id: int
    course_id: int
    name: str
    starts_on: date
    capacity: int | None
    learners: int = 0
    created_at: datetime


class UserRef(Schema):
    id: int
    email: str
    display_name: str


class CourseEnrollmentOut(Schema):
    id: int
    user: UserRef
    cohort_id: int | None
    enrolled_at: datetime
    completed_at: datetime | None
    progress_percent: int
    all_days_open: bool = Field(description="An admin opened every day for this learner")

    @staticmethod
    def resolve_progress_percent(enrollment: Any) -> int:
        return queries.progress_percent(enrollment)

    @staticmethod
    def resolve_all_days_open(enrollment: Any) -> bool:
        return enrollment.all_days_open_since is not None


class DayReach(Schema):
    day: int
    learners_completed: int = Field(description="learners who completed this day's lesson")


class CourseAnalyticsOut(Schema):
    course_id: int
    enrollments_total: int
    enrollments_7d: int
    completions_total: int
    completion_rate: float = Field(description="completions_total / enrollments_total (0 when nobody enrolled)")
    learners_active_7d: int = Field(description="learners who completed a lesson in the last 7 days")
    lessons_completed: int
    days: list[DayReach]


class EnrollmentPatch(Schema):
    unlock_all: Literal[True] = Field(description="true: open every day of the course for this learner")


@router.post(
    "/courses/{course}/cohorts", response={201: CohortOut}, auth=STAFF,
    openapi_extra=problems({409: "`cohort_name_taken`"}),
)  # fmt: skip
def create_cohort(request: HttpRequest, course: str, payload: CohortIn) -> Status[Any]:
    """A cohort: its learners' day 1 opens on ``starts_on`` in each learner's time zone."""
    name = payload.name.strip()
    if not name:
        raise Invalid("name", _("must not be blank"), rule="not_blank")
    found = staffed_course_or_404(request.user, course)
    cohort = actions.do_create_cohort(
        found, name=name, starts_on=payload.starts_on, capacity=payload.capacity, actor=caller(request), request=request
    )
    return Status(201, cohort)


@router.get("/courses/{course}/cohorts", response=Page[CohortOut], auth=STAFF)
def list_cohorts(request: HttpRequest, course: str, paging: Query[PageParams]) -> dict[str, Any]:
    """Every cohort of the course, soonest first, with its number of learners."""
    return paginate(queries.cohorts_of(staffed_course_or_404(request.user, course)), paging)


@router.get("/courses/{course}/enrollments", response=Page[CourseEnrollmentOut], auth=STAFF)
def list_course_enrollments(request: HttpRequest, course: str, paging: Query[PageParams]) -> dict[str, Any]:
    """The course's learners, newest first, with their cohort and progress."""
    return paginate(queries.course_enrollments(staffed_course_or_404(request.user, course)), paging)


@router.patch("/enrollments/{id}", response=CourseEnrollmentOut, auth=STAFF)
def update_enrollment(request: HttpRequest, id: int, payload: EnrollmentPatch) -> Any:
    """``{unlock_all: true}`` opens every day of a daily-paced course for that learner (audited)."""
    enrollment = queries.enrollment_of_course_or_404(id)
    require_course_staff(request.user, enrollment.course)
    actions.do_open_all_days(enrollment, actor=caller(request), request=request)
    return queries.course_enrollments(enrollment.course).get(pk=enrollment.pk)


@router.get("/courses/{course}/analytics", response=CourseAnalyticsOut, auth=STAFF)
def course_analytics(request: HttpRequest, course: str) -> dict[str, Any]:
    """The course's own figures for its staff: learners, completions, last week's activity, and how
    many learners completed each day (the site-wide figures are GET /admin/analytics/*, admins only)."""
    return queries.course_analytics(staffed_course_or_404(request.user, course), clock.now())
