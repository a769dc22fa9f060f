"""Personal data of the assessments app: the learner's quiz attempts (GDPR export and erasure)."""

from __future__ import annotations

from typing import Any

from momentum.assessments.models import Attempt


def export(user: Any) -> dict[str, Any]:
    attempts = Attempt.objects.filter(user=user).select_related("quiz__lesson__course").order_by("submitted_at")
    return {
        "quiz_attempts": [
            {
                "course": a.quiz.lesson.course.slug,
                "day": a.quiz.lesson.day,
                "number": a.number,
                "score_percent": a.score_percent,
                "passed": a.passed,
                "answers": a.answers,
                "started_at": a.started_at.isoformat() if a.started_at else None,
                "submitted_at": a.submitted_at.isoformat(),
            }
            for a in attempts
        ]
    }


def erase(user: Any) -> None:
    """Attempts go; their scores live on in analytics as events without a person."""
    Attempt.objects.filter(user=user).delete()
