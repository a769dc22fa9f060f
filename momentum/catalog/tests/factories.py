"""Courses for tests, made through the catalogue's own actions.

``make_course`` makes SELF_PACED courses (every day open at enrolment) although new courses default
to DAILY: a test about pacing asks for ``pacing=Pacing.DAILY``; the others need not move a clock.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from momentum.catalog.actions import do_create_course, do_publish_course, do_upsert_lesson
from momentum.catalog.models import Category, Course, Pacing, Status


def make_course(
    title: str,
    *,
    description: str = "A short daily course.",
    category: str = "technology",
    duration_days: int = 7,
    level: str = "BEGINNER",
    pacing: str = Pacing.SELF_PACED,
    status: str = Status.PUBLISHED,
    is_premium: bool = False,
    price_cents: int = 0,
    created_at: datetime | None = None,
    lesson_minutes: int = 10,
    **lesson_fields: Any,
) -> Course:
    course = do_create_course(
        title=title,
        description=description,
        category=Category.objects.get(slug=category),
        duration_days=duration_days,
        level=level,
        pacing=pacing,
        is_premium=is_premium,
        price_cents=price_cents or (4900 if is_premium else 0),
    )
    for day in range(1, duration_days + 1):
        do_upsert_lesson(
            course,
            day=day,
            title=f"{title}: day {day}",
            content_markdown=f"# Day {day}\n\nToday you **practise** step {day}.\n\n<script>alert(1)</script>",
            duration_minutes=lesson_minutes,
            is_preview=day == 1,
            **lesson_fields,
        )
    if status != Status.DRAFT:
        course = do_publish_course(course)
    if status == Status.ARCHIVED:
        Course.objects.filter(pk=course.pk).update(status=Status.ARCHIVED)
    if created_at is not None:
        Course.objects.filter(pk=course.pk).update(created_at=created_at)
    course.refresh_from_db()
    return course
