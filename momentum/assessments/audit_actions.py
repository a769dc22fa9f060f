"""The audit actions of quizzes: the ``action`` of their AuditLog rows.

One member per audited change, so every place that records it is greppable; the values are the
strings stored in the audit log (never rename one: existing rows and their filters keep them).
"""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    QUIZ_CREATED = "quiz.created"
    QUIZ_DELETED = "quiz.deleted"
    QUIZ_REVIEWED = "quiz.reviewed"
    QUIZ_UPDATED = "quiz.updated"
