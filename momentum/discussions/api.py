"""The discussion operations: a lesson's thread (read, post), one's own comment (edit, delete),
reports, and the staff's hide and restore. Enrolled learners and the course's staff only."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from momentum.accounts.policy import Access, api_access, caller
from momentum.catalog.queries import visible_lesson_or_404
from momentum.discussions import actions, queries
from momentum.discussions.schemas import CommentEditIn, CommentIn, CommentOut, ReplyOut, ThreadParams
from momentum.lib.pagination import Page, paginate
from momentum.lib.problems import Problem
from momentum.platform.api_problems import problems

router = Router(tags=["discussions"])
# Signed in; the operation decides who takes part (the course's learners and staff).
MEMBER = api_access(Access.OWNER)
NOT_MEMBER = "`not_enrolled`: neither enrolled in the course nor on its staff; `lesson_locked`"
NO_COMMENT = "`not_found`: no such comment in the caller's thread"


@router.get(
    "/courses/{course}/lessons/{lesson}/comments", response=Page[CommentOut], auth=MEMBER,
    openapi_extra=problems({402: "`payment_required`", 403: NOT_MEMBER}),
)  # fmt: skip
def list_comments(request: HttpRequest, course: str, lesson: int, paging: Query[ThreadParams]) -> dict[str, Any]:
    """The caller's thread of the lesson: their cohort's (or the course-wide one without a cohort);
    staff see every thread, hidden comments included. Top-level comments paginated, each with its
    replies (oldest first)."""
    reader = queries.participant(caller(request), visible_lesson_or_404(request.user, course, lesson_id=lesson))
    page = paginate(queries.thread(reader, order=paging.order), paging)
    page["items"] = [queries.item(comment, reader) for comment in page["items"]]
    return page


@router.post(
    "/courses/{course}/lessons/{lesson}/comments", response={201: CommentOut}, auth=MEMBER,
    openapi_extra=problems({402: "`payment_required`", 403: NOT_MEMBER + "; `posting_suspended`",
                            422: "`validation_error` (empty, or over 5,000 characters); `invalid_parent`",
                            429: "`rate_limited`: too many comments a minute (`Retry-After`)"}),
)  # fmt: skip
def post_comment(request: HttpRequest, course: str, lesson: int, body: CommentIn) -> Status[dict[str, Any]]:
    """Post in the caller's thread, or reply (`parent_id`). A reply notifies the parent's author;
    `@Name` notifies that participant of the thread."""
    writer = queries.participant(caller(request), visible_lesson_or_404(request.user, course, lesson_id=lesson))
    comment = actions.do_post_comment(writer, body.body_markdown, parent_id=body.parent_id)
    comment.visible_replies = []  # type: ignore[attr-defined]
    return Status(201, queries.item(comment, writer))


@router.patch(
    "/comments/{comment_id}", response=ReplyOut, auth=MEMBER,
    openapi_extra=problems({403: "`not_comment_author`; `posting_suspended`; " + NOT_MEMBER, 404: NO_COMMENT,
                            409: "`edit_window_closed`: more than 15 minutes after posting"}),
)  # fmt: skip
def edit_comment(request: HttpRequest, comment_id: int, body: CommentEditIn) -> dict[str, Any]:
    """Rewrite one's own comment, within 15 minutes of posting it."""
    comment, writer = queries.comment_for(caller(request), comment_id)
    return queries.item(actions.do_edit_comment(writer, comment, body.body_markdown), writer, with_replies=False)


@router.delete(
    "/comments/{comment_id}", response={204: None}, auth=MEMBER,
    openapi_extra=problems({403: "`not_comment_author`; " + NOT_MEMBER, 404: NO_COMMENT}),
)  # fmt: skip
def delete_comment(request: HttpRequest, comment_id: int) -> Status[None]:
    """Delete one's own comment (one with replies stays as a placeholder without its text)."""
    comment, writer = queries.comment_for(caller(request), comment_id)
    actions.do_delete_comment(writer, comment)
    return Status(204, None)


@router.post(
    "/comments/{comment_id}/report", response={202: None}, auth=MEMBER,
    openapi_extra=problems({403: NOT_MEMBER, 404: NO_COMMENT}),
)  # fmt: skip
def report_comment(request: HttpRequest, comment_id: int) -> Status[None]:
    """Report a comment to the course's moderators (once per person: reporting again changes nothing)."""
    comment, reader = queries.comment_for(caller(request), comment_id)
    actions.do_report_comment(reader.user, comment)
    return Status(202, None)


def _moderated(request: HttpRequest, pk: int) -> Any:
    comment, reader = queries.comment_for(caller(request), pk)
    if not reader.staff:
        raise Problem(403, "not_course_staff", _("Only the course's staff moderate its discussions."))
    return comment, reader


@router.post(
    "/comments/{comment_id}/hide", response=ReplyOut, auth=MEMBER,
    openapi_extra=problems({403: "`not_course_staff`; " + NOT_MEMBER, 404: NO_COMMENT}),
)  # fmt: skip
def hide_comment(request: HttpRequest, comment_id: int) -> dict[str, Any]:
    """Hide a comment (and its replies) from learners; the course's staff still see it. Audited."""
    comment, reader = _moderated(request, comment_id)
    return queries.item(actions.do_hide_comment(reader.user, comment, request=request), reader, with_replies=False)


@router.post(
    "/comments/{comment_id}/restore", response=ReplyOut, auth=MEMBER,
    openapi_extra=problems({403: "`not_course_staff`; " + NOT_MEMBER, 404: NO_COMMENT}),
)  # fmt: skip
def restore_comment(request: HttpRequest, comment_id: int) -> dict[str, Any]:
    """Show a hidden comment to learners again. Audited."""
    comment, reader = _moderated(request, comment_id)
    return queries.item(actions.do_restore_comment(reader.user, comment, request=request), reader, with_replies=False)
