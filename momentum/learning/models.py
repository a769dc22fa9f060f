"""A learner's path through a course: enrolment, progress per lesson, certificates."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from momentum.catalog.models import Course, Lesson


class Cohort(models.Model):
    """A group of learners who start a course together: everyone's day 1 opens on ``starts_on``
    (local midnight in each learner's time zone). ``capacity`` None: no limit."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="cohorts")
    name = models.CharField(max_length=200)
    starts_on = models.DateField()
    capacity = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["course", "name"], name="cohort_name_unique_per_course"),
            models.CheckConstraint(condition=~Q(name=""), name="cohort_name_not_empty"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1, capacity__lte=100_000),
                name="cohort_capacity_positive",
            ),
        ]
        indexes = [models.Index(fields=["course", "starts_on"], name="cohort_by_course_start")]

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_on.isoformat()})"


class Enrollment(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrollments")
    enrolled_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, null=True, blank=True, related_name="enrollments")
    # Set when an admin opened every day of a daily-paced course for this learner.
    all_days_open_since = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="enrollment_one_per_user_course"),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | Q(completed_at__gte=F("enrolled_at")),
                name="enrollment_completed_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-enrolled_at"], name="enrollment_by_user"),
            models.Index(fields=["course", "completed_at"], name="enrollment_by_course"),
            models.Index(fields=["enrolled_at"], name="enrollment_by_date"),
        ]

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


class LessonProgress(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    # The lesson's course, kept alongside so a course's progress is one indexed range.
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="+")
    completed = models.BooleanField(default=False)
    completed_at = models.DateTimeField(null=True, blank=True)
    # The learner's local calendar day of completion: streaks count these.
    completed_on = models.DateField(null=True, blank=True)
    position_seconds = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "lesson progress"
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="progress_one_per_user_lesson"),
            models.CheckConstraint(
                condition=Q(completed=False) | Q(completed_at__isnull=False, completed_on__isnull=False),
                name="progress_completed_has_time",
            ),
            models.CheckConstraint(condition=Q(position_seconds__lte=86400), name="progress_position_bounded"),
        ]
        indexes = [
            models.Index(fields=["user", "course"], name="progress_user_course"),
            models.Index(fields=["user", "completed_on"], name="progress_user_day"),
            models.Index(fields=["completed_at"], name="progress_completed_at"),
        ]


class ReminderKind(models.TextChoices):
    """What went out to a learner on one of their local days (each at most once a day)."""

    REMINDER = "reminder", "The daily reminder email"
    DAY_OPENED = "day_opened", "Today's lesson is open"
    STREAK_AT_RISK = "streak_at_risk", "Your streak is at risk"
    COHORT_STARTING = "cohort_starting", "Your cohort starts tomorrow"


class ReminderDelivery(models.Model):
    """A daily reminder or notice sent to a learner on one of their local days (at most one of each
    kind a day: the row is written in the transaction that sends it)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ReminderKind, default=ReminderKind.REMINDER)
    local_date = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "local_date"], name="reminder_once_per_kind_and_day"),
            models.CheckConstraint(condition=Q(kind__in=ReminderKind.values), name="reminder_kind_valid"),
        ]
        indexes = [models.Index(fields=["sent_at"], name="reminder_by_time")]
