"""Shapes of the achievements operations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema

from momentum.credentials.queries import badge_credential_url, badge_image_url


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
    credential_url: str | None  # the award's Open Badges 3.0 credential (None for an award made before them)
    credential_image_url: str | None  # the badge's PNG with that credential baked in

    @staticmethod
    def resolve_credential_url(award: Any) -> str | None:
        credential = getattr(award, "credential", None)
        return badge_credential_url(credential.id) if credential is not None else None

    @staticmethod
    def resolve_credential_image_url(award: Any) -> str | None:
        credential = getattr(award, "credential", None)
        return badge_image_url(credential.id) if credential is not None else None
