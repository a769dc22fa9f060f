"""Reading the catalogue for the studio: every course, whatever its status, with authoring state."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from momentum.catalog import staff
from momentum.catalog.models import Course, Lesson


def courses(
    user: Any, *, q: str = "", status: str = "", category: str = "", duration: int | None = None
) -> QuerySet[Course]:
    """Courses for the studio's list, most recently changed first."""
    found = staff.staffed_courses(user, Course.objects.select_related("category", "owner"))
    if q.strip():
        found = found.filter(Q(title__icontains=q.strip()) | Q(slug__icontains=q.strip()))
    if status:
        found = found.filter(status=status)
    if category:
        found = found.filter(category__slug=category)
    if duration:
        found = found.filter(duration_days=duration)
    return found.order_by("-updated_at", "-pk")


def course(pk: int, user: Any) -> Course:
    """The course ``pk`` for a studio page: 404 when absent, 403 ``not_course_owner`` (the 403 page)
    unless ``user`` runs it (momentum/catalog/staff.py)."""
    return staff.require_course_staff(user, get_object_or_404(Course.objects.select_related("category"), pk=pk))


@dataclass(frozen=True)
class Day:
    """One day of a course in the editor: its lesson, or None when the day is still missing."""

    number: int
    lesson: Lesson | None

    @property
    def missing(self) -> bool:
        return self.lesson is None


def days(course: Course) -> list[Day]:
    """Every day 1..duration in order, with its lesson or flagged as missing."""
    by_day = {lesson.day: lesson for lesson in course.lessons.order_by("day")}
    return [Day(number, by_day.get(number)) for number in range(1, course.duration_days + 1)]


def lesson_on(course: Course, day: int) -> Lesson | None:
    return course.lessons.filter(day=day).first()


@dataclass(frozen=True)
class ReviewItem:
    """One day of the review checklist: its lesson (None while missing) and whether the lesson and
    its quiz still wait for an admin's review."""

    day: int
    lesson: Lesson | None
    lesson_needs_review: bool
    has_quiz: bool
    quiz_needs_review: bool

    @property
    def done(self) -> bool:
        return self.lesson is not None and not self.lesson_needs_review and not self.quiz_needs_review


def review_checklist(course: Course) -> list[ReviewItem]:
    """Every day of the course with what is left to review before it can be published."""
    lessons = {lesson.day: lesson for lesson in course.lessons.select_related("quiz").order_by("day")}
    items = []
    for day in range(1, course.duration_days + 1):
        lesson = lessons.get(day)
        quiz = getattr(lesson, "quiz", None) if lesson is not None else None
        items.append(
            ReviewItem(
                day=day,
                lesson=lesson,
                lesson_needs_review=bool(lesson and lesson.needs_review),
                has_quiz=quiz is not None,
                quiz_needs_review=bool(quiz and quiz.needs_review),
            )
        )
    return items
