"""\"Recommended for you\": courses in the categories a learner follows, the most followed first.

A learner's affinity for a category is the number of their enrolments in it (a finished course
counts double). Candidates are published courses they have not enrolled in, ordered by the
affinity of their category, then popularity. With no history, or if anything goes wrong, the
answer is the popular courses they have not taken.
"""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError
from django.db.models import Case, Count, IntegerField, Q, Value, When

from momentum.catalog.models import Course
from momentum.catalog.queries import published_courses
from momentum.learning.models import Enrollment
from momentum.lib.logs import get_logger

log = get_logger("momentum.learning.recommendations")


def _affinities(user: Any) -> dict[int, int]:
    rows = (
        Enrollment.objects.filter(user=user)
        .values("course__category")
        .annotate(n=Count("id"), finished=Count("id", filter=Q(completed_at__isnull=False)))
    )
    return {row["course__category"]: row["n"] + row["finished"] for row in rows}


def _candidates(user: Any) -> Any:
    courses = published_courses()
    if getattr(user, "is_authenticated", False):
        courses = courses.exclude(enrollments__user=user)
    return courses


def popular_for(user: Any, limit: int) -> list[Course]:
    return list(_candidates(user).order_by("-enrollment_count", "-created_at", "-id")[:limit])


def recommended_for(user: Any, limit: int = 4) -> list[Course]:
    if not getattr(user, "is_authenticated", False):
        return popular_for(user, limit)
    try:
        affinity = _affinities(user)
        if not affinity:
            return popular_for(user, limit)
        weight = Case(
            *(When(category_id=category, then=Value(score)) for category, score in affinity.items()),
            default=Value(0),
            output_field=IntegerField(),
        )
        return list(
            _candidates(user)
            .annotate(affinity=weight)
            .order_by("-affinity", "-enrollment_count", "-created_at")[:limit]
        )
    except DatabaseError:
        log.exception("recommendations_failed", user_id=user.pk)
        return popular_for(user, limit)
