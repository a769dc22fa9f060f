"""Reading discussions: who may take part in a lesson's thread, the thread itself, one comment
loaded and authorised (``comment_for``), and the studio's moderation queue."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from momentum.catalog.models import Course, Lesson
from momentum.catalog.staff import is_course_staff, staffed_courses
from momentum.discussions.models import EDIT_WINDOW, Comment, CommentReport, PostingSuspension
from momentum.learning.models import Enrollment
from momentum.learning.queries import lesson_refusal
from momentum.lib import clock, plain_rows
from momentum.lib.markdown import render_cached
from momentum.lib.problems import Problem
from momentum.platform.caching import Region

Order = Literal["newest", "oldest"]


@dataclass(frozen=True)
class Participant:
    """Who is reading or writing a lesson's thread, and which thread is theirs."""

    user: Any
    lesson: Lesson
    staff: bool
    cohort_id: int | None  # the learner's cohort; for staff, None (they see every thread)
    suspended: bool = False  # a moderator stopped the learner's posting in this course

    def sees(self, comment: Comment) -> bool:
        if self.staff:
            return True
        return comment.cohort_id == self.cohort_id and comment.hidden_at is None


def _enrollment(user: Any, course: Course) -> Enrollment | None:
    """The learner's enrolment with ``suspended`` (posting in this course), in one query."""
    suspended = PostingSuspension.objects.filter(user=user, course=course)
    return (
        Enrollment.objects.select_related("cohort")
        .filter(user=user, course=course)
        .annotate(suspended=Exists(suspended))
        .first()
    )


def _judge(user: Any, lesson: Lesson, opened_by: Enrollment | None = None) -> Participant | Problem:
    """``user`` as a participant of ``lesson``'s thread, or why not: 401 anonymous; 403
    ``not_enrolled`` for anyone neither enrolled nor on the course's staff (a free preview lesson
    included); then the lesson's own rules (402 premium lapsed, 403 ``lesson_locked``).
    ``opened_by``: the enrolment by which the caller already found the lesson open to ``user``."""
    if not getattr(user, "is_authenticated", False):
        return Problem(401, "not_authenticated", _("Sign in and enrol in this course to join its discussions."))
    if is_course_staff(user, lesson.course):
        return Participant(user, lesson, staff=True, cohort_id=None)
    if opened_by is not None:
        # on every lesson page with a thread: plain SQL (lib/plain_rows.py)
        suspended = plain_rows.exists(PostingSuspension, "user_id = %s AND course_id = %s", [user.pk, lesson.course_id])
        return Participant(user, lesson, staff=False, cohort_id=opened_by.cohort_id, suspended=suspended)
    enrollment = _enrollment(user, lesson.course)
    if enrollment is None:
        return Problem(403, "not_enrolled", _("Only the course's learners take part in its discussions: enrol first."))
    problem = None if lesson.is_preview else lesson_refusal(user, lesson, enrollment=enrollment)
    if problem is not None:
        return problem
    return Participant(
        user,
        lesson,
        staff=False,
        cohort_id=enrollment.cohort_id,
        suspended=bool(getattr(enrollment, "suspended", False)),
    )


def participant_refusal(user: Any, lesson: Lesson) -> Problem | None:
    judged = _judge(user, lesson)
    return judged if isinstance(judged, Problem) else None


def participant_or_none(user: Any, lesson: Lesson, opened_by: Enrollment | None = None) -> Participant | None:
    judged = _judge(user, lesson, opened_by)
    return judged if isinstance(judged, Participant) else None


def participant(user: Any, lesson: Lesson) -> Participant:
    judged = _judge(user, lesson)
    if isinstance(judged, Problem):
        raise judged
    return judged


def in_thread(cohort_id: int | None) -> Q:
    """The comments of one thread: a cohort's, or the course-wide one (no cohort)."""
    return Q(cohort__isnull=True) if cohort_id is None else Q(cohort_id=cohort_id)


def _visible(reader: Participant, comments: QuerySet[Comment]) -> QuerySet[Comment]:
    if reader.staff:
        return comments
    return comments.filter(in_thread(reader.cohort_id), hidden_at__isnull=True)


def thread(reader: Participant, *, order: Order = "newest") -> QuerySet[Comment]:
    """The top-level comments the reader sees (newest first by default), each with its visible
    replies (oldest first) prefetched as ``visible_replies``. A deleted comment stays only while it
    has replies (as a placeholder)."""
    replies = _visible(reader, Comment.objects.select_related("author").filter(deleted_at__isnull=True))
    tops = _visible(reader, Comment.objects.filter(lesson=reader.lesson, parent__isnull=True))
    tops = tops.filter(Q(deleted_at__isnull=True) | Exists(replies.filter(parent=OuterRef("pk"))))
    ordering = ["-created_at", "-pk"] if order == "newest" else ["created_at", "pk"]
    return (
        tops.select_related("author", "cohort")
        .prefetch_related(Prefetch("replies", queryset=replies.order_by("created_at", "pk"), to_attr="visible_replies"))
        .order_by(*ordering)
    )


def comment_or_none(pk: int) -> Comment | None:
    return Comment.objects.select_related("lesson__course", "author", "parent").filter(pk=pk).first()


def comment_for(user: Any, pk: int) -> tuple[Comment, Participant]:
    """A comment the caller may see, with the caller as a participant of its lesson: 404 when it
    does not exist, was deleted, or is not in the caller's thread (another cohort's, or hidden and
    the caller is not staff); the participant refusal (401/403) when the caller may not take part."""
    comment = comment_or_none(pk)
    if comment is None or comment.deleted_at is not None:
        raise Problem(404, "not_found", _("No such comment."))
    reader = participant(user, comment.lesson)
    if not reader.sees(comment) or (comment.parent is not None and not reader.sees(comment.parent)):
        raise Problem(404, "not_found", _("No such comment."))
    return comment, reader


def participants_of(lesson: Lesson, cohort_id: int | None) -> list[Any]:
    """The people who wrote in a thread (the ones a mention can reach), with their accounts."""
    from django.contrib.auth import get_user_model

    authors = Comment.objects.filter(in_thread(cohort_id), lesson=lesson, author__isnull=False, deleted_at__isnull=True)
    return list(get_user_model().objects.filter(pk__in=authors.values("author_id"), is_active=True))


# --- The studio's moderation queue ------------------------------------------------------------


def moderated_courses(user: Any) -> list[int] | None:
    """The ids of the courses ``user`` moderates; None for every course (admins)."""
    if getattr(user, "is_admin", False):
        return None
    return list(staffed_courses(user, Course.objects.all()).values_list("pk", flat=True))


def moderation_queue(user: Any, *, hidden: bool = False) -> QuerySet[Comment]:
    """Comments with open reports in the courses ``user`` moderates, the most recently reported
    first, each with ``open_reports`` and ``last_reported_at``; with ``hidden``, the hidden
    comments instead, the most recently hidden first."""
    open_reports = Q(reports__resolved_at__isnull=True)
    comments = Comment.objects.filter(deleted_at__isnull=True)
    if hidden:
        comments = comments.filter(hidden_at__isnull=False)
    else:
        comments = comments.filter(
            Exists(CommentReport.objects.filter(comment=OuterRef("pk"), resolved_at__isnull=True))
        )
    courses = moderated_courses(user)
    if courses is not None:
        comments = comments.filter(lesson__course_id__in=courses)
    suspended = PostingSuspension.objects.filter(user=OuterRef("author_id"), course=OuterRef("lesson__course_id"))
    return (
        comments.annotate(
            open_reports=Count("reports", filter=open_reports, distinct=True),
            last_reported_at=Max("reports__created_at", filter=open_reports),
            author_suspended=Exists(suspended),
        )
        .select_related("author", "lesson__course", "cohort")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=CommentReport.objects.filter(resolved_at__isnull=True).order_by("-created_at"),
                to_attr="open_report_list",
            )
        )
        .order_by("-hidden_at" if hidden else "-last_reported_at", "-pk")
    )


def moderated_comment(user: Any, pk: int) -> Comment:
    """A comment of a course ``user`` moderates (404 otherwise, deleted ones included)."""
    comment = comment_or_none(pk)
    if comment is None or comment.deleted_at is not None or not is_course_staff(user, comment.lesson.course):
        raise Problem(404, "not_found", _("No such comment."))
    return comment


# --- What a reader is shown ------------------------------------------------------------------

DELETED_USER = "deleted user"


def item(comment: Comment, reader: Participant, *, with_replies: bool = True) -> dict[str, Any]:
    """A comment as the API and the page show it to ``reader``."""
    author = comment.author
    own = author is not None and author.pk == getattr(reader.user, "pk", None)
    editable_until = comment.created_at + EDIT_WINDOW if own and comment.deleted_at is None else None
    shown: dict[str, Any] = {
        "id": comment.pk,
        "parent_id": comment.parent_id,
        "author": {"id": author.pk if author else None, "display_name": _name(author)},
        "body_html": comment.body_html,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "hidden": comment.hidden_at is not None,
        "deleted": comment.deleted_at is not None,
        "cohort_id": comment.cohort_id,
        "editable_until": editable_until if editable_until and editable_until > clock.now() else None,
        "own": own,
        # For the page: the same sanitiser's output (cached by text), marked safe by it alone.
        "body": render_cached(comment.body_markdown) if comment.deleted_at is None else "",
        "body_markdown": comment.body_markdown if own else "",
    }
    if with_replies:
        shown["replies"] = [
            item(reply, reader, with_replies=False) for reply in getattr(comment, "visible_replies", [])
        ]
    return shown


def _name(author: Any) -> str:
    if author is None:
        return DELETED_USER
    return str(author.display_name or "A learner")


PAGE_SIZE = 10


# A cohort's page of a lesson's thread, as learners see it. Comment writes move the revision
# (migration 0002); an author's new display name shows when the entry's minute is up.
THREADS = Region("discussion_threads", ttl_seconds=60, scopes=("discussions",))


def _page_of_thread(reader: Participant, order: Order, number: int) -> tuple[list[Comment], int, int]:
    """Page ``number`` of the thread ``reader`` sees (the last page when past the end), how many
    top-level comments the thread has, and the page's number."""
    comments = thread(reader, order=order)
    shown = list(comments[(number - 1) * PAGE_SIZE : number * PAGE_SIZE])
    # A first page that is not full holds the whole thread: no COUNT needed.
    count = len(shown) if number == 1 and len(shown) < PAGE_SIZE else comments.count()
    pages = max(1, -(-count // PAGE_SIZE))
    if number > pages:  # past the end (a stale link): the last page
        number = pages
        shown = list(comments[(number - 1) * PAGE_SIZE : number * PAGE_SIZE])
    return shown, count, number


def panel(
    user: Any,
    lesson: Lesson,
    *,
    page: str | None = None,
    order: str | None = None,
    opened_by: Enrollment | None = None,
    fresh: bool = False,
) -> dict[str, Any] | None:
    """What the lesson page's thread shows ``user`` (None when they do not take part): one page of
    top-level comments, with their replies, newest first unless ``order`` is "oldest".
    ``opened_by``: the enrolment by which the page found the lesson open to ``user`` (not read
    and judged again). ``fresh``: read around the shared cache (the writer's answer after their
    own write: a process's memory learns of a commit a few milliseconds after it)."""
    reader = participant_or_none(user, lesson, opened_by)
    if reader is None:
        return None
    chosen: Order = "oldest" if order == "oldest" else "newest"
    number = int(page) if page and page.isdigit() and 0 < int(page) <= 100_000 else 1
    if reader.staff or fresh:  # every thread, hidden comments included; or just written: read afresh
        shown, count, number = _page_of_thread(reader, chosen, number)
    else:  # the same page for every learner of the cohort: read once per change of any comment
        key = f"{lesson.pk}:{reader.cohort_id}:{chosen}:{number}"
        shown, count, number = THREADS.get_or_build(key, lambda: _page_of_thread(reader, chosen, number))
    pages = max(1, -(-count // PAGE_SIZE))
    return {
        "lesson": lesson,
        "course": lesson.course,
        "reader": reader,
        "comments": [item(comment, reader) for comment in shown],
        "count": count,
        "page": number,
        "pages": pages,
        "previous_page": number - 1 if number > 1 else None,
        "next_page": number + 1 if number < pages else None,
        "order": chosen,
        "suspended": reader.suspended,
    }
