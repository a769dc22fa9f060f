"""Input and output shapes of the discussion operations."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from momentum.discussions.models import BODY_MAX_CHARS
from momentum.lib.pagination import PageParams


class CommentIn(Schema):
    body_markdown: str = Field(min_length=1, max_length=BODY_MAX_CHARS)
    parent_id: int | None = Field(None, ge=1, le=2**63 - 1, description="Reply to this comment (a reply to a "
                                  "reply answers its top-level comment: replies are one level deep)")  # fmt: skip


class CommentEditIn(Schema):
    body_markdown: str = Field(min_length=1, max_length=BODY_MAX_CHARS)


class ThreadParams(PageParams):
    order: Literal["newest", "oldest"] = Field("newest", description="Top-level comments newest or oldest first")


class AuthorOut(Schema):
    id: int | None
    display_name: str


class ReplyOut(Schema):
    id: int
    parent_id: int | None
    author: AuthorOut
    body_html: str = Field(description="Rendered Markdown, sanitised; empty for a deleted comment")
    created_at: datetime
    edited_at: datetime | None
    hidden: bool
    deleted: bool
    cohort_id: int | None
    editable_until: datetime | None = Field(description="Until when the caller may edit it (their own, recent)")


class CommentOut(ReplyOut):
    replies: list[ReplyOut]
