"""Helpers for the authoring tests: courses with some or all of their lessons written."""

from __future__ import annotations

from typing import Any

from momentum.catalog.actions import NewLesson, do_add_lessons, do_create_course, do_upsert_lesson
from momentum.catalog.models import Category, Course


def draft_course(
    *, days: int = 7, written: int | list[int] = 0, title: str = "Seven days of sketching", **fields: Any
) -> Course:
    """A draft course whose lessons for ``written`` days exist (the first N days, or the listed days)."""
    course = do_create_course(
        title=title, category=Category.objects.get(slug="creative-arts"), duration_days=days, **fields
    )
    for day in range(1, written + 1) if isinstance(written, int) else written:
        do_upsert_lesson(course, day=day, title=f"Day {day}: a line a day", content_markdown=f"Draw **{day}** lines.")
    return course


def published_course(*, days: int = 7, **fields: Any) -> Course:
    from momentum.catalog.actions import do_publish_course

    return do_publish_course(draft_course(days=days, written=days, **fields))


def generated_course(days: int = 7, *, with_quizzes: bool = False, review_note: str = "") -> Course:
    """A draft as the generator saves it: every lesson (and quiz) needing review."""
    course = do_create_course(
        title="Knife skills at home",
        category=Category.objects.get(slug="creative-arts"),
        duration_days=days,
        metadata={"review_note": review_note},
    )
    lessons = do_add_lessons(
        course,
        [
            NewLesson(day=day, title=f"Day {day}: cuts", content_markdown="Hold the knife.", duration_minutes=10,
                      needs_review=True)
            for day in range(1, days + 1)
        ],
    )  # fmt: skip
    if with_quizzes:
        from momentum.assessments.actions import do_put_quiz
        from momentum.assessments.tests.factories import quiz_spec

        for lesson in lessons:
            do_put_quiz(None, lesson, quiz_spec(), needs_review=True)
    return course
