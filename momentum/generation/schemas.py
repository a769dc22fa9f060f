"""Shapes of the generation API (API.md, Administration: generation-jobs)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from ninja import Schema
from pydantic import Field, field_validator

from momentum.catalog.models import Level, Pacing
from momentum.generation.models import Language
from momentum.lib.input_types import JsonBool


class JobIn(Schema):
    topic: str = Field(min_length=3, max_length=500, description="What the course teaches")
    category: str | int = Field(description="Category slug or id")
    duration_days: Literal[7, 14, 21]
    audience: str = Field("", max_length=300)
    level: Level = Level.BEGINNER
    pacing: Pacing = Field(Pacing.DAILY, description="The draft course's pacing: DAILY (default) or SELF_PACED")
    tone: str = Field("", max_length=100)
    language: Language = Field(
        Language.EN, description="The language the course is written, narrated and captioned in: en, es or ar"
    )
    reference_document_ids: list[UUID] = Field(default_factory=list, max_length=10)
    include_video: JsonBool = True
    include_thumbnail: JsonBool = True
    include_quizzes: JsonBool = Field(True, description="a quiz per lesson, validated, for the admin to review")

    @field_validator("topic")
    @classmethod
    def _topic_has_words(cls, value: str) -> str:
        value = " ".join(value.split())
        if len(value) < 3:
            raise ValueError("must have at least 3 characters besides spaces")
        return value


class StepOut(Schema):
    name: str
    status: str
    attempts: int
    started_at: datetime | None
    finished_at: datetime | None
    cost_usd: Decimal
    error: str


class JobOut(Schema):
    id: UUID
    status: Literal["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"]
    topic: str
    category: str = Field(description="The category's slug")
    duration_days: int
    level: str
    pacing: str
    language: str
    include_video: bool
    include_thumbnail: bool
    include_quizzes: bool
    warnings: list[str]
    error: str
    steps: list[StepOut]
    cost_usd_total: Decimal
    course_id: int | None
    providers: dict[str, Any]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class JobPage(Schema):
    items: list[JobOut]
    count: int
    page: int
    page_size: int
