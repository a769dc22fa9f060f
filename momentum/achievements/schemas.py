"""Shapes of the achievements operations."""

from __future__ import annotations

from datetime import datetime

from ninja import Schema


class BadgeOut(Schema):
    code: str
    name: str
    description: str
    criteria: str
    icon: str


class BadgeSummary(Schema):
    code: str
    name: str
    description: str


class AwardOut(Schema):
    badge: BadgeSummary
    awarded_at: datetime
