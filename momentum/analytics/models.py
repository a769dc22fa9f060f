"""Learning events as they happen, and the daily rollups that dashboards read."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from momentum.catalog.models import Course, Lesson


class EventKind(models.TextChoices):
    SIGNED_UP = "signed_up", "Signed up"
    ENROLLED = "enrolled", "Enrolled"
    UNENROLLED = "unenrolled", "Left a course"
    LESSON_VIEWED = "lesson_viewed", "Opened a lesson"
    LESSON_COMPLETED = "lesson_completed", "Completed a lesson"
    COURSE_COMPLETED = "course_completed", "Completed a course"
    QUIZ_ATTEMPTED = "quiz_attempted", "Took a quiz"
    BADGE_AWARDED = "badge_awarded", "Earned a badge"
    PAYMENT_SUCCEEDED = "payment_succeeded", "Paid"
    PAYMENT_REFUNDED = "payment_refunded", "Refunded"
    GENERATION_FINISHED = "generation_finished", "Generated a course"


class LearningEvent(models.Model):
    # SET_NULL: erasing a person keeps the event (anonymous) so aggregates survive.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=30, choices=EventKind)
    course = models.ForeignKey(Course, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    lesson = models.ForeignKey(Lesson, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    value = models.DecimalField(max_digits=14, decimal_places=6, default=0, help_text="Minutes, cents or USD")
    properties = models.JSONField(default=dict, blank=True)
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid")]
        indexes = [
            models.Index(fields=["occurred_at"], name="event_by_time"),
            models.Index(fields=["kind", "occurred_at"], name="event_by_kind_time"),
            models.Index(fields=["user", "occurred_at"], name="event_by_user_time"),
        ]


class DailyMetric(models.Model):
    """One figure for one UTC day, site-wide (course empty) or for one course."""

    date = models.DateField()
    metric = models.CharField(max_length=40)
    course = models.ForeignKey(Course, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    value = models.DecimalField(max_digits=16, decimal_places=6, default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["date", "metric"], condition=Q(course__isnull=True), name="daily_metric_site_unique"
            ),
            models.UniqueConstraint(
                fields=["date", "metric", "course"],
                condition=Q(course__isnull=False),
                name="daily_metric_course_unique",
            ),
        ]
        indexes = [models.Index(fields=["metric", "date"], name="daily_metric_series")]


class RollupCursor(models.Model):
    """How far the incremental rollup has read a source: the last row id of an append-only table
    (events, provider calls), or the time of the last pass over a table whose rows change (jobs)."""

    name = models.CharField(max_length=40, unique=True)
    last_event_id = models.BigIntegerField(default=0)
    watermark = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)


class ActiveUserDay(models.Model):
    """One row per person per UTC day with any learning event: distinct active learners over any
    range are counted from these, never from the raw events. The bare user id (no foreign key) keeps
    the counts of erased accounts, which is all it says about them."""

    date = models.DateField()
    user_id = models.BigIntegerField()

    class Meta:
        # The unique index also serves range scans by date.
        constraints = [models.UniqueConstraint(fields=["date", "user_id"], name="active_user_day_unique")]
