"""Personal data of the learning app: enrolments and lesson progress (GDPR export and erasure); the
certificates are the credentials app's."""

from __future__ import annotations

from typing import Any

from momentum.learning.models import Enrollment, LessonProgress


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export(user: Any) -> dict[str, Any]:
    enrollments = Enrollment.objects.filter(user=user).select_related("course").order_by("enrolled_at")
    progress = LessonProgress.objects.filter(user=user).select_related("lesson", "course").order_by("created_at")
    return {
        "enrollments": [
            {
                "course": {"id": e.course_id, "slug": e.course.slug, "title": e.course.title},
                "enrolled_at": _iso(e.enrolled_at),
                "completed_at": _iso(e.completed_at),
                "last_activity_at": _iso(e.last_activity_at),
            }
            for e in enrollments
        ],
        "progress": [
            {
                "course": p.course.slug,
                "lesson_id": p.lesson_id,
                "day": p.lesson.day,
                "completed": p.completed,
                "completed_at": _iso(p.completed_at),
                "completed_on": _iso(p.completed_on),
                "position_seconds": p.position_seconds,
            }
            for p in progress
        ],
    }


def erase(user: Any) -> None:
    """Personal learning records go; the aggregates live on in analytics (events without a person)."""
    LessonProgress.objects.filter(user=user).delete()
    Enrollment.objects.filter(user=user).delete()
