"""The audit actions of the LTI tool: the ``action`` of their AuditLog rows (never rename one)."""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    PLATFORM_REGISTERED = "lti.platform_registered"
    PLATFORM_CHANGED = "lti.platform_changed"
    PLATFORM_DELETED = "lti.platform_deleted"
    IDENTITY_LINKED = "lti.identity_linked"
    LAUNCHED = "lti.launched"
    COURSE_LINKED = "lti.course_linked"
