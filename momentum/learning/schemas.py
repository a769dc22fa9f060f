"""Shapes of the learning operations (API.md, Learning and /me)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import Field

from momentum.learning.queries import progress_percent
from momentum.lib.input_types import JsonBool


class CourseRef(Schema):
    id: int
    slug: str
    title: str


class EnrollmentIn(Schema):
    cohort_id: int | None = Field(None, ge=1, description="A cohort of the course; omitted: the next one with room")


class EnrollmentOut(Schema):
    course: CourseRef
    enrolled_at: datetime
    completed_at: datetime | None
    progress_percent: int
    lessons_completed: int
    next_lesson_day: int | None
    cohort_id: int | None = None

    @staticmethod
    def resolve_progress_percent(enrollment: Any) -> int:
        return progress_percent(enrollment)


class ProgressIn(Schema):
    completed: JsonBool
    position_seconds: int | None = Field(None, ge=0, le=86400)


class ProgressOut(Schema):
    lesson_id: int
    completed: bool
    completed_at: datetime | None
    position_seconds: int
    course_completed: bool = Field(description="The enrolment is complete (now or before)")
    badges_awarded: list[str] = Field(description="Codes of badges this request awarded")


class StatsOut(Schema):
    lessons_completed: int
    courses_completed: int
    minutes_learned: int
    current_streak_days: int
    longest_streak_days: int
    streak_freezes_available: int = Field(
        description="Freezes held (0-2): one earned per 7 days learned in a row; a missed day spends one"
    )
