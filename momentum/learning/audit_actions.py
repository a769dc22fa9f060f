"""The audit actions of learning (enrollments, reminders): the ``action`` of their AuditLog rows.

One member per audited change, so every place that records it is greppable; the values are the
strings stored in the audit log (never rename one: existing rows and their filters keep them).
"""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    COHORT_CREATED = "cohort.created"
    ENROLLMENT_ALL_DAYS_OPENED = "enrollment.all_days_opened"
    ENROLLMENT_CREATED = "enrollment.created"
    ENROLLMENT_DELETED = "enrollment.deleted"
    REMINDERS_SUBSCRIBED = "reminders.subscribed"
    REMINDERS_UNSUBSCRIBED = "reminders.unsubscribed"
