"""Reading a learner's path: who may open a lesson, enrolments with progress, stats and streaks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, IntegerField, Max, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse

from momentum.achievements.rules import Facts
from momentum.billing.queries import has_premium_access
from momentum.catalog.models import Course, Lesson
from momentum.catalog.queries import is_admin, visible_courses
from momentum.learning.models import Enrollment, LessonProgress
from momentum.learning.streaks import Streak, local_date, streak
from momentum.lib.problems import Problem
from momentum.platform.caching import LEARNER


def enrollment_of(user: Any, course: Course) -> Enrollment | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Enrollment.objects.filter(user=user, course=course).first()


def lesson_refusal(user: Any, lesson: Lesson, *, enrolled: bool | None = None) -> Problem | None:
    """Why ``user`` may not open ``lesson`` (401 anonymous, 403 not enrolled, 402 premium lapsed), or None.

    Preview lessons are open to anyone who can see the course; the rest to admins and to
    enrolled learners (with access to the course when it is premium).
    """
    if lesson.is_preview:
        return None
    if not getattr(user, "is_authenticated", False):
        return Problem(401, "not_authenticated", "Sign in and enrol in this course to open this lesson.")
    if is_admin(user):
        return None
    if enrolled is None:
        enrolled = Enrollment.objects.filter(user=user, course_id=lesson.course_id).exists()
    if not enrolled:
        return Problem(403, "not_enrolled", "Enrol in this course to open this lesson.")
    if not has_premium_access(user, lesson.course):
        return Problem(402, "payment_required", "This premium course needs a purchase or a premium plan.")
    return None


def ensure_lesson_open(user: Any, lesson: Lesson) -> None:
    problem = lesson_refusal(user, lesson)
    if problem is not None:
        raise problem


def video_url(request: HttpRequest, lesson: Lesson) -> str | None:
    """Where the lesson's video plays from: our access-checked media view, or its external address."""
    if lesson.video:
        return request.build_absolute_uri(reverse("learning:lesson_video", args=[lesson.pk]))
    return lesson.video_url or None


def _completed(user: Any) -> QuerySet[LessonProgress]:
    return LessonProgress.objects.filter(user=user, completed=True)


def enrollments_with_progress(user: Any) -> QuerySet[Any]:
    """The learner's enrolments in courses they may see, each with ``lessons_completed`` and
    ``next_lesson_day`` computed by the database (one query, whatever the number)."""
    done_in_course = (
        LessonProgress.objects.filter(user=OuterRef("user"), course=OuterRef("course"), completed=True)
        .values("course")
        .annotate(n=Count("id"))
        .values("n")
    )
    done_lesson = LessonProgress.objects.filter(lesson=OuterRef("pk"), user=OuterRef(OuterRef("user")), completed=True)
    next_day = (
        Lesson.objects.filter(course=OuterRef("course")).exclude(Exists(done_lesson)).order_by("day").values("day")[:1]
    )
    return (
        Enrollment.objects.filter(user=user, course__in=visible_courses(user).values("pk"))
        .select_related("course", "course__category")
        .annotate(
            lessons_completed=Coalesce(Subquery(done_in_course, output_field=IntegerField()), Value(0)),
            next_lesson_day=Subquery(next_day, output_field=IntegerField()),
        )
        .order_by("completed_at", "-last_activity_at", "-enrolled_at")
    )


def progress_percent(enrollment: Any) -> int:
    total = enrollment.course.lesson_count
    if enrollment.completed_at is not None:
        return 100
    return min(100, round(100 * enrollment.lessons_completed / total)) if total else 0


def course_progress(user: Any, course: Course) -> dict[int, LessonProgress]:
    """The learner's progress in one course, by lesson id."""
    if not getattr(user, "is_authenticated", False):
        return {}
    return {p.lesson_id: p for p in LessonProgress.objects.filter(user=user, course=course)}


@dataclass(frozen=True)
class LearnerStats:
    lessons_completed: int
    courses_completed: int
    minutes_learned: int
    current_streak_days: int
    longest_streak_days: int
    longest_course_days: int
    today: date

    def facts(self) -> Facts:
        return Facts(
            lessons_completed=self.lessons_completed,
            courses_completed=self.courses_completed,
            streak_days=self.longest_streak_days,
            longest_course_days=self.longest_course_days,
        )


def streak_of(user: Any, today: date | None = None) -> Streak:
    days = _completed(user).values_list("completed_on", flat=True).distinct()
    return streak((day for day in days if day is not None), today or local_date(user))


def learner_stats(user: Any, today: date | None = None) -> LearnerStats:
    """Four queries, whatever the learner's history."""
    today = today or local_date(user)
    lessons = _completed(user).aggregate(n=Count("id"), minutes=Sum("lesson__duration_minutes"))
    courses = Enrollment.objects.filter(user=user, completed_at__isnull=False).aggregate(
        n=Count("id"), longest=Max("course__duration_days")
    )
    run = streak_of(user, today)
    return LearnerStats(
        lessons_completed=lessons["n"],
        courses_completed=courses["n"],
        minutes_learned=lessons["minutes"] or 0,
        current_streak_days=run.current,
        longest_streak_days=run.longest,
        longest_course_days=courses["longest"] or 0,
        today=today,
    )


def progress_summary(user: Any) -> LearnerStats:
    """``learner_stats`` of today, cached for a minute and until the learner's next write."""
    today = local_date(user)
    return LEARNER.get_or_build(f"stats|{today.isoformat()}", lambda: learner_stats(user, today), owner=user.pk)


def enrollment_summaries(user: Any) -> list[Any]:
    """``enrollments_with_progress`` as a list, cached like ``progress_summary``."""
    return LEARNER.get_or_build("enrollments", lambda: list(enrollments_with_progress(user)), owner=user.pk)


def daily_activity(user: Any, *, start: date, end: date) -> dict[date, dict[str, int]]:
    """Lessons completed and minutes learned per local day between ``start`` and ``end``."""
    rows = (
        _completed(user)
        .filter(completed_on__gte=start, completed_on__lte=end)
        .values("completed_on")
        .annotate(lessons=Count("id"), minutes=Sum("lesson__duration_minutes"))
    )
    return {
        row["completed_on"]: {"lessons": row["lessons"], "minutes": row["minutes"] or 0}
        for row in rows
        if row["completed_on"] is not None
    }


def days_between(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]
