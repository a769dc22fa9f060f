"""Shapes of the achievements operations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse
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
    credential_url: str | None
    credential_image_url: str | None

    @staticmethod
    def resolve_credential_url(award: Any, context: Any) -> str | None:
        return _credential_link(award, context, "api:badge_credential")

    @staticmethod
    def resolve_credential_image_url(award: Any, context: Any) -> str | None:
        return _credential_link(award, context, "api:badge_credential_image")


def _credential_link(award: Any, context: Any, url_name: str) -> str | None:
    """The award's Open Badges credential (credentials app), when it has one."""
    credential = getattr(award, "credential", None)
    if credential is None:
        return None
    return str(context["request"].build_absolute_uri(reverse(url_name, kwargs={"credential_id": credential.pk})))
