"""The course package operations' output."""

from __future__ import annotations

from typing import Literal

from ninja import Schema


class ImportedCourseOut(Schema):
    id: int
    slug: str
    title: str
    status: str
    duration_days: int
    lesson_count: int
    quiz_count: int
    format: Literal["momentum", "common_cartridge"]
    warnings: list[str]
