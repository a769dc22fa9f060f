"""Studio pages of a course's learners, for its staff (admins, its owner, co-instructors): add a
cohort, open every day for one learner. Both are forms on the studio course page
(catalog/studio/course_edit.html), which lists the cohorts with their progress and the enrolments."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from momentum.accounts.policy import Access, caller, page_access
from momentum.catalog.queries import staffed_course_or_404
from momentum.catalog.staff import require_course_staff
from momentum.learning import actions, queries
from momentum.lib.problems import Problem


def _course_page(pk: int, anchor: str) -> HttpResponse:
    return redirect(reverse("catalog:studio_course", args=[pk]) + anchor)


def _cohort_fields(form: QueryDict) -> tuple[str, date, int | None] | str:
    """(name, starts_on, capacity) from the studio's cohort form, or what is wrong with it."""
    name, capacity_text = form.get("name", "").strip()[:200], form.get("capacity", "").strip()
    try:
        starts_on = date.fromisoformat(form.get("starts_on", ""))
        capacity = int(capacity_text) if capacity_text else None
    except ValueError:
        return "Give the cohort a start date (YYYY-MM-DD) and, if it has one, a capacity in figures."
    if not name or (capacity is not None and not 1 <= capacity <= 100_000):
        return "A cohort needs a name, and a capacity between 1 and 100,000 when it has one."
    return name, starts_on, capacity


@page_access(Access.COURSE_STAFF)
@require_POST
def cohort_new(request: HttpRequest, pk: int) -> HttpResponse:
    course = staffed_course_or_404(request.user, pk)
    fields = _cohort_fields(request.POST)
    if isinstance(fields, str):
        messages.error(request, fields)
        return _course_page(course.pk, "#cohorts")
    name, starts_on, capacity = fields
    try:
        actions.do_create_cohort(course, name=name, starts_on=starts_on, capacity=capacity, actor=caller(request),
                                 request=request)  # fmt: skip
    except Problem as problem:
        messages.error(request, problem.detail)
    else:
        messages.success(
            request,
            _("Cohort “%(name)s” added: its day 1 opens on %(isoformat)s.")
            % {"name": name, "isoformat": starts_on.isoformat()},
        )
    return _course_page(course.pk, "#cohorts")


@page_access(Access.COURSE_STAFF)
@require_POST
def open_all_days(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        enrollment = queries.enrollment_of_course_or_404(pk)
    except Problem as problem:
        messages.error(request, problem.detail)
        return redirect("catalog:studio_courses")
    require_course_staff(request.user, enrollment.course)
    actions.do_open_all_days(enrollment, actor=caller(request), request=request)
    messages.success(
        request,
        _("Every day of %(title)s is open for %(email)s.")
        % {"title": enrollment.course.title, "email": enrollment.user.email},
    )
    return _course_page(enrollment.course_id, "#learners")
