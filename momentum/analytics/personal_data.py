"""Personal data of the analytics app: a person's learning events (GDPR export and erasure).

Erasure detaches the events from the person instead of deleting them, so that every
aggregate (daily rollups, completion rates, revenue) stays true.
"""

from __future__ import annotations

from typing import Any

from momentum.analytics.models import LearningEvent


def export(user: Any) -> dict[str, Any]:
    events = LearningEvent.objects.filter(user=user).order_by("occurred_at", "pk")
    return {
        "learning_events": [
            {
                "kind": e.kind,
                "course_id": e.course_id,
                "lesson_id": e.lesson_id,
                "value": str(e.value),
                "properties": e.properties,
                "occurred_at": e.occurred_at.isoformat(),
            }
            for e in events
        ]
    }


def erase(user: Any) -> None:
    LearningEvent.objects.filter(user=user).update(user=None)
