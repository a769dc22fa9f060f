"""The audit actions of course packages: the ``action`` of their AuditLog rows.

Never rename a value: existing rows and their filters keep them.
"""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    COURSE_EXPORTED = "course.exported"
    COURSE_IMPORTED = "course.imported"
