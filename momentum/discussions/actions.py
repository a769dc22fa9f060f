"""Every write of discussions: posting, replying, editing and deleting one's comments, reporting,
and the moderators' hide, restore, dismiss, warn and suspend (each audited)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from momentum.accounts.actions import do_notify
from momentum.accounts.models import NotificationKind
from momentum.audit.actions import do_record_audit
from momentum.catalog.models import Course
from momentum.discussions import mentions, queries
from momentum.discussions.audit_actions import AuditAction
from momentum.discussions.models import BODY_MAX_CHARS, EDIT_WINDOW, Comment, CommentReport, PostingSuspension
from momentum.discussions.queries import Participant
from momentum.lib import clock
from momentum.lib.markdown import render
from momentum.lib.problems import Problem
from momentum.platform import request_limits

EXCERPT_CHARS = 140


def comment_url(comment: Comment) -> str:
    lesson = comment.lesson
    return reverse("learning:lesson", args=[lesson.course.slug, lesson.day]) + f"#comment-{comment.pk}"


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT_CHARS else flat[: EXCERPT_CHARS - 1] + "…"


def _check_body(body: str) -> str:
    if not body.strip():
        message = "Write something first."
        raise Problem(422, "validation_error", message,
                      errors=[{"field": "body_markdown", "message": message, "rule": "required"}])  # fmt: skip
    if len(body) > BODY_MAX_CHARS:
        message = f"A comment holds at most {BODY_MAX_CHARS:,} characters."
        raise Problem(422, "validation_error", message,
                      errors=[{"field": "body_markdown", "message": message, "rule": "max_length"}])  # fmt: skip
    if "\x00" in body:  # PostgreSQL text cannot hold it: refused on both engines alike
        message = "A comment cannot contain a NUL character."
        raise Problem(422, "validation_error", message,
                      errors=[{"field": "body_markdown", "message": message, "rule": "no_nul"}])  # fmt: skip
    return body


def _ensure_may_post(writer: Participant) -> None:
    if writer.staff:
        return
    if writer.suspended:
        raise Problem(
            403, "posting_suspended", _("A moderator has suspended your posting in this course's discussions.")
        )
    retry_after = request_limits.consume("comment", str(writer.user.pk), settings.DISCUSSION_COMMENT_RATE)
    if retry_after is not None:
        raise Problem(
            429,
            "rate_limited",
            _("You are commenting fast; wait %(seconds)s s before the next one.") % {"seconds": retry_after},
            headers={"Retry-After": str(retry_after)},
        )


def _parent(writer: Participant, parent_id: int | None) -> Comment | None:
    """The top-level comment a reply hangs off: replying to a reply answers its top comment."""
    if parent_id is None:
        return None
    parent = Comment.objects.select_related("parent", "author").filter(pk=parent_id, lesson=writer.lesson).first()
    if parent is not None and parent.parent is not None:
        parent = parent.parent
    if parent is None or parent.deleted_at is not None or not writer.sees(parent):
        message = "Reply to a comment of this lesson's thread."
        raise Problem(422, "invalid_parent", message,
                      errors=[{"field": "parent_id", "message": message, "rule": "invalid_parent"}])  # fmt: skip
    return parent


@transaction.atomic
def do_post_comment(writer: Participant, body_markdown: str, *, parent_id: int | None = None) -> Comment:
    """Post a comment (or a reply) in the writer's thread; notify the parent's author ("reply") and
    the thread's participants it mentions ("mention")."""
    body = _check_body(body_markdown)
    parent = _parent(writer, parent_id)
    _ensure_may_post(writer)
    comment = Comment.objects.create(
        lesson=writer.lesson,
        cohort_id=parent.cohort_id if parent is not None else writer.cohort_id,
        author=writer.user,
        parent=parent,
        body_markdown=body,
        body_html=str(render(body)),
        created_at=clock.now(),
    )
    _notify(comment, parent)
    return comment


def _notify(comment: Comment, parent: Comment | None) -> None:
    writer = comment.author
    assert writer is not None  # noqa: S101  (just written by them)
    name = writer.display_name or "Someone"
    url = comment_url(comment)
    told = {writer.pk}
    if parent is not None and parent.author is not None and parent.author.is_active and parent.author.pk not in told:
        with translation.override(getattr(parent.author, "language", "") or translation.get_language()):
            title = _("%(name)s replied to your comment on “%(title)s”") % {"name": name, "title": comment.lesson.title}
        do_notify(
            parent.author, kind=NotificationKind.REPLY, url=url,
            title=title, body=_excerpt(comment.body_markdown),
        )  # fmt: skip
        told.add(parent.author.pk)
    for person in mentions.mentioned(comment.body_markdown, queries.participants_of(comment.lesson, comment.cohort_id)):
        if person.pk in told:
            continue
        with translation.override(getattr(person, "language", "") or translation.get_language()):
            title = _("%(name)s mentioned you on “%(title)s”") % {"name": name, "title": comment.lesson.title}
        do_notify(person, kind=NotificationKind.MENTION, title=title,
                  body=_excerpt(comment.body_markdown), url=url)  # fmt: skip
        told.add(person.pk)


def _own(writer: Participant, comment: Comment) -> None:
    if comment.author_id != writer.user.pk:
        raise Problem(403, "not_comment_author", _("Only its author may change or delete a comment."))


@transaction.atomic
def do_edit_comment(writer: Participant, comment: Comment, body_markdown: str) -> Comment:
    """The author rewrites their comment, within 15 minutes of posting it (409 ``edit_window_closed``)."""
    _own(writer, comment)
    body = _check_body(body_markdown)
    now = clock.now()
    if now - comment.created_at > EDIT_WINDOW:
        minutes = int(EDIT_WINDOW.total_seconds() // 60)
        raise Problem(
            409,
            "edit_window_closed",
            _("A comment can be edited for %(minutes)s minutes after posting.") % {"minutes": minutes},
        )
    if writer.suspended:
        raise Problem(
            403, "posting_suspended", _("A moderator has suspended your posting in this course's discussions.")
        )
    comment.body_markdown = body
    comment.body_html = str(render(body))
    comment.edited_at = now
    comment.save(update_fields=["body_markdown", "body_html", "edited_at"])
    return comment


def _remove(comment: Comment, *, when: Any) -> None:
    """A comment with replies stays as a placeholder without its text; any other goes."""
    if comment.parent_id is None and comment.replies.filter(deleted_at__isnull=True).exists():
        comment.body_markdown = comment.body_html = ""
        comment.deleted_at = when
        comment.save(update_fields=["body_markdown", "body_html", "deleted_at"])
    else:
        comment.delete()


@transaction.atomic
def do_delete_comment(writer: Participant, comment: Comment) -> None:
    """The author deletes their comment (any time)."""
    _own(writer, comment)
    _remove(comment, when=clock.now())


def do_report_comment(reporter: Any, comment: Comment, *, reason: str = "") -> CommentReport:
    """One report per person per comment: reporting again changes nothing."""
    try:
        with transaction.atomic():
            report, _created = CommentReport.objects.get_or_create(
                comment=comment, reporter=reporter, defaults={"reason": reason[:500], "created_at": clock.now()}
            )
    except IntegrityError:  # the same person's report, sent twice at once
        report = CommentReport.objects.get(comment=comment, reporter=reporter)
    return report


# --- Moderation (course staff) ----------------------------------------------------------------


def _audit(action: AuditAction, moderator: Any, comment: Comment, request: HttpRequest | None, **metadata: Any) -> None:
    do_record_audit(
        action, actor=moderator, subject=comment.author, resource=comment, request=request,
        metadata={"course_id": comment.lesson.course_id, "lesson_id": comment.lesson_id, **metadata},
    )  # fmt: skip


@transaction.atomic
def do_hide_comment(moderator: Any, comment: Comment, *, request: HttpRequest | None = None) -> Comment:
    """Hide a comment (and so its replies) from learners; staff still see it. Its open reports are
    settled: it leaves the queue of reported comments for the list of hidden ones."""
    if comment.hidden_at is None:
        comment.hidden_at = clock.now()
        comment.hidden_by = moderator
        comment.save(update_fields=["hidden_at", "hidden_by"])
        _audit(AuditAction.COMMENT_HIDDEN, moderator, comment, request)
    CommentReport.objects.filter(comment=comment, resolved_at__isnull=True).update(resolved_at=clock.now())
    return comment


@transaction.atomic
def do_restore_comment(moderator: Any, comment: Comment, *, request: HttpRequest | None = None) -> Comment:
    """Show a hidden comment to learners again."""
    if comment.hidden_at is not None:
        comment.hidden_at = None
        comment.hidden_by = None
        comment.save(update_fields=["hidden_at", "hidden_by"])
        _audit(AuditAction.COMMENT_RESTORED, moderator, comment, request)
    return comment


@transaction.atomic
def do_dismiss_reports(moderator: Any, comment: Comment, *, request: HttpRequest | None = None) -> int:
    """Settle the comment's open reports: it leaves the moderation queue as it is."""
    settled = CommentReport.objects.filter(comment=comment, resolved_at__isnull=True).update(resolved_at=clock.now())
    if settled:
        _audit(AuditAction.COMMENT_REPORTS_DISMISSED, moderator, comment, request, reports=settled)
    return settled


@transaction.atomic
def do_warn_author(moderator: Any, comment: Comment, *, message: str = "", request: HttpRequest | None = None) -> None:
    """Tell the comment's author (a notification) that it broke the discussion rules."""
    if comment.author is None:
        raise Problem(409, "author_gone", _("This comment's author has deleted their account."))
    with translation.override(getattr(comment.author, "language", "") or translation.get_language()):
        body = message.strip() or _("Please keep the discussion kind and on topic.")
        title = _("A moderator warned you about your comment on “%(title)s”") % {"title": comment.lesson.title}
    do_notify(comment.author, kind=NotificationKind.WARNING, title=title,
              body=_excerpt(body), url=comment_url(comment))  # fmt: skip
    _audit(AuditAction.AUTHOR_WARNED, moderator, comment, request)


@transaction.atomic
def do_suspend_posting(
    moderator: Any, comment: Comment, *, reason: str = "", request: HttpRequest | None = None
) -> PostingSuspension:
    """Stop the comment's author from posting in its course's discussions (they still read them)."""
    if comment.author is None:
        raise Problem(409, "author_gone", _("This comment's author has deleted their account."))
    course = Course.objects.get(pk=comment.lesson.course_id)
    suspension, created = PostingSuspension.objects.get_or_create(
        user=comment.author, course=course,
        defaults={"reason": reason[:500], "created_by": moderator, "created_at": clock.now()},
    )  # fmt: skip
    if created:
        _audit(AuditAction.POSTING_SUSPENDED, moderator, comment, request, reason=reason[:500])
    return suspension


@transaction.atomic
def do_lift_suspension(moderator: Any, comment: Comment, *, request: HttpRequest | None = None) -> bool:
    """Let the comment's author post in its course's discussions again."""
    if comment.author_id is None:
        return False
    lifted, _rows = PostingSuspension.objects.filter(
        user_id=comment.author_id, course_id=comment.lesson.course_id
    ).delete()
    if lifted:
        _audit(AuditAction.POSTING_RESTORED, moderator, comment, request)
    return bool(lifted)


MODERATIONS = ("hide", "restore", "dismiss", "warn", "suspend", "lift")


def do_moderate(
    moderator: Any, comment: Comment, action: str, *, note: str = "", request: HttpRequest | None = None
) -> None:
    """One of the moderation queue's actions by its name (``MODERATIONS``); ``note`` is the warning's
    message or the suspension's reason."""
    if action == "hide":
        do_hide_comment(moderator, comment, request=request)
    elif action == "restore":
        do_restore_comment(moderator, comment, request=request)
    elif action == "dismiss":
        do_dismiss_reports(moderator, comment, request=request)
    elif action == "warn":
        do_warn_author(moderator, comment, message=note, request=request)
    elif action == "suspend":
        do_suspend_posting(moderator, comment, reason=note, request=request)
    elif action == "lift":
        do_lift_suspension(moderator, comment, request=request)
    else:
        raise Problem(404, "not_found", _("No such moderation action."))


def do_erase_comments_of(user: Any) -> None:
    """An erased account's comments (callers hold the transaction): its replies go; its top-level
    comments go too, except those others replied to, which stay as text-less placeholders by
    "deleted user" so the replies keep their place. Its reports and suspensions go."""
    now = clock.now()
    Comment.objects.filter(author=user, parent__isnull=False).delete()
    for comment in Comment.objects.filter(author=user, parent__isnull=True):
        _remove(comment, when=now)
    Comment.objects.filter(author=user).update(author=None)
    CommentReport.objects.filter(reporter=user).delete()
    PostingSuspension.objects.filter(user=user).delete()
