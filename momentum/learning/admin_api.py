"""Cohorts and enrolments of a course, for admins: POST/GET /courses/{course}/cohorts,
GET /courses/{course}/enrollments, PATCH /enrollments/{id} (``unlock_all``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Schema, Status
from pydantic import Field

from momentum.accounts.policy import Access, api_access, caller
from momentum.catalog.queries import visible_course_or_404
from momentum.learning import actions, queries
from momentum.learning.api import router
from momentum.lib.pagination import Page, PageParams, paginate
from momentum.lib.problems import Invalid
from momentum.platform.api_problems import problems

ADMIN = api_access(Access.ADMIN)


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


class EnrollmentPatch(Schema):
    unlock_all: Literal[True] = Field(description="true: open every day of the course for this learner")


@router.post(
    "/courses/{course}/cohorts", response={201: CohortOut}, auth=ADMIN,
    openapi_extra=problems({409: "`cohort_name_taken`"}),
)  # fmt: skip
def create_cohort(request: HttpRequest, course: str, payload: CohortIn) -> Status[Any]:
    """A cohort: its learners' day 1 opens on ``starts_on`` in each learner's time zone."""
    name = payload.name.strip()
    if not name:
        raise Invalid("name", "must not be blank", rule="not_blank")
    found = visible_course_or_404(request.user, course)
    cohort = actions.do_create_cohort(
        found, name=name, starts_on=payload.starts_on, capacity=payload.capacity, actor=caller(request), request=request
    )
    return Status(201, cohort)


@router.get("/courses/{course}/cohorts", response=Page[CohortOut], auth=ADMIN)
def list_cohorts(request: HttpRequest, course: str, paging: Query[PageParams]) -> dict[str, Any]:
    """Every cohort of the course, soonest first, with its number of learners."""
    return paginate(queries.cohorts_of(visible_course_or_404(request.user, course)), paging)


@router.get("/courses/{course}/enrollments", response=Page[CourseEnrollmentOut], auth=ADMIN)
def list_course_enrollments(request: HttpRequest, course: str, paging: Query[PageParams]) -> dict[str, Any]:
    """The course's learners, newest first, with their cohort and progress."""
    return paginate(queries.course_enrollments(visible_course_or_404(request.user, course)), paging)


@router.patch("/enrollments/{id}", response=CourseEnrollmentOut, auth=ADMIN)
def update_enrollment(request: HttpRequest, id: int, payload: EnrollmentPatch) -> Any:
    """``{unlock_all: true}`` opens every day of a daily-paced course for that learner (audited)."""
    enrollment = queries.enrollment_of_course_or_404(id)
    actions.do_open_all_days(enrollment, actor=caller(request), request=request)
    return queries.course_enrollments(enrollment.course).get(pk=enrollment.pk)
