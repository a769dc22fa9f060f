"""A lesson's thread: comments (one level of replies), reports, and posting suspensions.

Threads: a comment belongs to a lesson and to a cohort (null: the course-wide thread). Learners in
a cohort read and write their cohort's thread; learners without one, the course-wide thread;
course staff see every thread. A reply always hangs off a top-level comment (one level deep).
"""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils import timezone

from momentum.catalog.models import Course, Lesson
from momentum.learning.models import Cohort

BODY_MAX_CHARS = 5_000
EDIT_WINDOW = timedelta(minutes=15)


class Comment(models.Model):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="comments")
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, null=True, blank=True, related_name="comments")
    # Null once the author's account is erased: the comment then reads "deleted user".
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments"
    )
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies")
    body_markdown = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A deleted comment that has replies stays as a placeholder (its text gone); one without is removed.
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(LessThanOrEqual(Length("body_markdown"), BODY_MAX_CHARS)), name="comment_body_max_length"
            ),
            models.CheckConstraint(
                condition=(Q(deleted_at__isnull=True) & Q(GreaterThan(Length("body_markdown"), 0)))
                | (Q(deleted_at__isnull=False) & Q(body_markdown="") & Q(body_html="")),
                name="comment_body_present_unless_deleted",
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="comment_not_its_own_parent"),
            models.CheckConstraint(
                condition=Q(edited_at__isnull=True) | Q(edited_at__gte=F("created_at")),
                name="comment_edited_after_created",
            ),
        ]
        indexes = [
            models.Index(fields=["lesson", "cohort", "parent", "-created_at"], name="comment_thread"),
            models.Index(fields=["author", "created_at"], name="comment_by_author"),
        ]

    @property
    def hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


class CommentReport(models.Model):
    """One person's report of one comment; the moderation queue lists comments with open reports."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="comment_report_one_per_person"),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True) | Q(resolved_at__gte=F("created_at")),
                name="comment_report_resolved_after_made",
            ),
        ]
        indexes = [models.Index(fields=["resolved_at", "-created_at"], name="comment_report_queue")]


class PostingSuspension(models.Model):
    """The author may no longer post in this course's discussions (per course: course staff moderate
    their own course, so their reach stops there). Lifting it removes the row."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posting_suspensions")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="posting_suspensions")
    reason = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="posting_suspension_one_per_course"),
        ]
