"""The audit actions of web push: the ``action`` of their AuditLog rows (never rename one)."""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    PUSH_SUBSCRIBED = "push.subscribed"
    PUSH_UNSUBSCRIBED = "push.unsubscribed"
