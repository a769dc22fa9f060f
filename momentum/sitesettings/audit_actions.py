"""The audit actions of the site settings (values as stored since ops recorded them)."""

from enum import StrEnum


class AuditAction(StrEnum):
    UPDATED = "settings.updated"
    EMAIL_CHECKED = "settings.email_checked"
