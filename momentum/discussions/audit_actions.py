"""The audit actions of discussions: the ``action`` of their AuditLog rows (moderation only;
learners' own posts, edits and deletions are not audited, they are the thread itself).

Never rename a value: existing rows and their filters keep them.
"""

from __future__ import annotations

from enum import StrEnum


class AuditAction(StrEnum):
    COMMENT_HIDDEN = "comment.hidden"
    COMMENT_RESTORED = "comment.restored"
    COMMENT_REPORTS_DISMISSED = "comment.reports_dismissed"
    AUTHOR_WARNED = "comment.author_warned"
    POSTING_SUSPENDED = "discussion.posting_suspended"
    POSTING_RESTORED = "discussion.posting_restored"
