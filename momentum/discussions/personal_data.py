"""Personal data of discussions (GDPR export and erasure).

Export: the person's comments (with their Markdown) and the reports they made.
Erasure: their replies and their comments nobody answered are removed; a comment others replied
to stays as a text-less placeholder by "deleted user" (momentum.discussions.actions.do_erase_comments_of).
"""

from __future__ import annotations

from typing import Any

from momentum.discussions.actions import do_erase_comments_of
from momentum.discussions.models import Comment, CommentReport


def export(user: Any) -> dict[str, Any]:
    comments = Comment.objects.filter(author=user).select_related("lesson__course").order_by("created_at", "pk")
    reports = CommentReport.objects.filter(reporter=user).order_by("created_at", "pk")
    return {
        "comments": [
            {
                "id": c.pk,
                "course": c.lesson.course.slug,
                "day": c.lesson.day,
                "parent_id": c.parent_id,
                "body_markdown": c.body_markdown,
                "created_at": c.created_at.isoformat(),
                "edited_at": c.edited_at.isoformat() if c.edited_at else None,
                "hidden": c.hidden_at is not None,
                "deleted": c.deleted_at is not None,
            }
            for c in comments
        ],
        "comment_reports": [
            {"comment_id": r.comment_id, "reason": r.reason, "created_at": r.created_at.isoformat()} for r in reports
        ],
    }


def erase(user: Any) -> None:
    do_erase_comments_of(user)
