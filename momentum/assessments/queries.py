"""Reading quizzes: whether a learner passed a lesson's quiz, which lessons still need review."""

from __future__ import annotations

from typing import Any

from momentum.assessments.models import Attempt, Quiz
from momentum.catalog.models import Course, Lesson


def lesson_quiz_passed(user: Any, lesson: Lesson) -> bool:
    """True when the lesson has no quiz or ``user`` has passed it."""
    quiz = Quiz.objects.filter(lesson=lesson).first()
    if quiz is None:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return Attempt.objects.filter(quiz=quiz, user=user, passed=True).exists()


def lessons_with_unreviewed_quiz(course: Course) -> list[int]:
    """The days of ``course`` whose quiz still needs review, in order."""
    return list(
        Quiz.objects.filter(lesson__course=course, needs_review=True)
        .order_by("lesson__day")
        .values_list("lesson__day", flat=True)
    )
