"""The demo learner's history (called by `momentum seed-demo`): a finished 7-day course three weeks
ago, a 14-day course followed every day up to yesterday (a 5-day streak, today's lesson still to
do), a 21-day course just started; the badges this earns. Idempotent: once the learner has an
enrolment, nothing more is done. Each daily-paced demo course gets a cohort starting next Monday
(once)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from momentum.accounts.actions import do_mark_notifications_read, do_notify
from momentum.accounts.models import NotificationKind
from momentum.accounts.queries import notifications
from momentum.catalog.models import Course, Pacing, Status
from momentum.learning import queries
from momentum.learning.actions import do_create_cohort, do_enroll, do_record_progress
from momentum.learning.models import Cohort, Enrollment


def _pick(duration_days: int, *, exclude: list[int]) -> Course | None:
    """A self-paced course: the history is written in the past, a day a day or faster."""
    courses = Course.objects.filter(
        status=Status.PUBLISHED, is_premium=False, duration_days=duration_days, pacing=Pacing.SELF_PACED
    )
    return courses.exclude(pk__in=exclude).order_by("-enrollment_count", "slug").first()


def _follow(learner: Any, course: Course, *, start: Any, days: int, position_on_next: int = 0) -> None:
    do_enroll(learner, course, now=start)
    lessons = list(course.lessons.order_by("day"))
    for offset, lesson in enumerate(lessons[:days]):
        do_record_progress(learner, lesson, completed=True, position_seconds=lesson.duration_minutes * 60,
                           now=start + timedelta(days=offset, hours=offset % 3))  # fmt: skip
    if position_on_next and len(lessons) > days:
        do_record_progress(learner, lessons[days], completed=False, position_seconds=position_on_next,
                           now=start + timedelta(days=max(days - 1, 0), hours=1))  # fmt: skip


def _next_week_cohorts(admin: Any, stdout: Any) -> None:
    today = timezone.now().date()
    next_monday = today + timedelta(days=7 - today.weekday())
    for course in Course.objects.filter(status=Status.PUBLISHED, pacing=Pacing.DAILY, metadata__demo=True):
        if not Cohort.objects.filter(course=course).exists():
            do_create_cohort(course, name="Next week", starts_on=next_monday, capacity=30, actor=admin)
            stdout.write(f"Demo cohort: {course.title} starts {next_monday.isoformat()} (30 places).")


def seed(*, admin: Any, learner: Any, stdout: Any) -> None:
    _next_week_cohorts(admin, stdout)
    if Enrollment.objects.filter(user=learner).exists():
        stdout.write("The demo learner's history is already there.")
        return
    evening = timezone.now().replace(hour=19, minute=0, second=0, microsecond=0)
    chosen: list[int] = []
    plan = [(7, 30, 7, 0), (14, 5, 5, 140), (21, 1, 1, 0)]  # duration, days ago, lessons done, position
    for duration, days_ago, done, position in plan:
        course = _pick(duration, exclude=chosen)
        if course is None:
            continue
        chosen.append(course.pk)
        _follow(learner, course, start=evening - timedelta(days=days_ago), days=done, position_on_next=position)
    _notices(learner)
    stdout.write(
        f"Demo learner history: {len(chosen)} enrolments, lessons over the last days, a streak, badges, notifications."
    )


def _notices(learner: Any) -> None:
    """The badges and the finished course notified themselves as the history was written: all but the
    latest are read; a streak at risk waits unread in the bell beside it."""
    older = [notice.pk for notice in notifications(learner)[1:]]
    do_mark_notifications_read(learner, older)
    run = queries.streak_of(learner)
    if run.current:
        do_notify(
            learner, kind=NotificationKind.STREAK_AT_RISK, title=f"Your {run.current}-day streak is at risk",
            body="You have not learned today yet: a lesson before midnight keeps your streak.",
            url=reverse("learning:dashboard"),
        )  # fmt: skip
