"""Helpers for the authoring tests: courses with some or all of their lessons written."""

from __future__ import annotations

from typing import Any

from momentum.catalog.actions import do_create_course, do_upsert_lesson
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
