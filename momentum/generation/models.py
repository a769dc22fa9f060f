"""AI course generation: jobs, their steps, and every paid provider call."""

from __future__ import annotations

import uuid
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q

from momentum.catalog.models import DURATIONS, Category, Course, Level, Pacing
from momentum.generation.references.models import ReferenceDocument
from momentum.lib.durations import short_duration
from momentum.lib.timestamps import Timestamped


class Language(models.TextChoices):
    """The languages a course can be generated in: those the offline generator's templates are
    translated into (momentum/generation/locale) and the narration has a voice for."""

    EN = "en", "English"
    ES = "es", "Español"
    AR = "ar", "العربية"


class JobStatus(models.TextChoices):
    QUEUED = "QUEUED", "Queued"
    RUNNING = "RUNNING", "Running"
    SUCCEEDED = "SUCCEEDED", "Succeeded"
    FAILED = "FAILED", "Failed"
    CANCELLED = "CANCELLED", "Cancelled"


class GenerationJob(Timestamped):
    """One request to generate a course. Its id is also its workflow id and idempotency key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="generation_jobs")
    idempotency_key = models.CharField(max_length=255, blank=True)
    topic = models.CharField(max_length=500)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+")
    duration_days = models.PositiveSmallIntegerField()
    audience = models.CharField(max_length=300, blank=True)
    level = models.CharField(max_length=12, choices=Level, default=Level.BEGINNER)
    pacing = models.CharField(max_length=10, choices=Pacing, default=Pacing.DAILY, db_default=Pacing.DAILY)
    tone = models.CharField(max_length=100, blank=True)
    language = models.CharField(max_length=3, choices=Language, default=Language.EN, db_default=Language.EN)
    include_video = models.BooleanField(default=True)
    include_thumbnail = models.BooleanField(default=True)
    include_quizzes = models.BooleanField(default=True)
    reference_documents = models.ManyToManyField(ReferenceDocument, blank=True, related_name="generation_jobs")
    status = models.CharField(max_length=9, choices=JobStatus, default=JobStatus.QUEUED)
    providers = models.JSONField(default=dict, blank=True, help_text="Which provider served text, video, thumbnail")
    warnings = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    course = models.ForeignKey(Course, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    cost_usd = models.DecimalField(max_digits=12, decimal_places=6, default=Decimal("0"))
    request_id = models.CharField(max_length=128, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(duration_days__in=DURATIONS), name="job_duration_7_14_21"),
            models.CheckConstraint(condition=Q(pacing__in=Pacing.values), name="job_pacing_valid"),
            models.CheckConstraint(condition=Q(language__in=Language.values), name="job_language_supported"),
            models.CheckConstraint(condition=Q(status__in=JobStatus.values), name="job_status_valid"),
            models.CheckConstraint(condition=Q(cost_usd__gte=0), name="job_cost_not_negative"),
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"], condition=~Q(idempotency_key=""), name="job_idempotency_key"
            ),
        ]
        indexes = [
            models.Index(fields=["created_by", "-created_at"], name="job_by_creator"),
            models.Index(fields=["status", "-created_at"], name="job_by_status"),
        ]


class StepName(StrEnum):
    """The steps of a job, by the name of their ``GenerationStep`` row. A per-day step's row is
    named ``<step>-<day>`` ("lesson-3", "quiz-3", "video-3")."""

    VALIDATE = "validate"
    REFERENCES = "references"
    OUTLINE = "outline"
    LESSON = "lesson"
    QUIZ = "quiz"
    VIDEO = "video"
    THUMBNAIL = "thumbnail"
    SAVE = "save"
    NOTIFY = "notify"

    @property
    def per_day(self) -> bool:
        return self in (StepName.LESSON, StepName.QUIZ, StepName.VIDEO)

    def of_day(self, day: int) -> str:
        """The row name of this per-day step for ``day``."""
        return f"{self}-{day}"

    def day_of(self, row_name: str) -> int:
        """The day in a per-day row name ("lesson-3" → 3)."""
        return int(row_name.removeprefix(f"{self}-"))


class StepStatus(models.TextChoices):
    PENDING = "PENDING", "Pending"
    RUNNING = "RUNNING", "Running"
    SUCCEEDED = "SUCCEEDED", "Succeeded"
    FAILED = "FAILED", "Failed"
    SKIPPED = "SKIPPED", "Skipped"


class GenerationStep(Timestamped):
    job = models.ForeignKey(GenerationJob, on_delete=models.CASCADE, related_name="steps")
    name = models.CharField(max_length=60)
    position = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=9, choices=StepStatus, default=StepStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    output = models.JSONField(default=dict, blank=True)
    cost_usd = models.DecimalField(max_digits=12, decimal_places=6, default=Decimal("0"))

    class Meta:
        ordering: ClassVar = ["job", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "name"], name="step_name_unique_per_job"),
            models.CheckConstraint(condition=Q(status__in=StepStatus.values), name="step_status_valid"),
        ]

    @property
    def took(self) -> str:
        """How long the step ran ("4 s", "1 min 12 s"); "" until it has ended."""
        if self.started_at is None or self.finished_at is None:
            return ""
        return short_duration(self.finished_at - self.started_at)


class ProviderCall(models.Model):
    """One call to a paid provider and what it cost, from the price table in settings."""

    job = models.ForeignKey(GenerationJob, on_delete=models.CASCADE, null=True, blank=True, related_name="calls")
    step = models.ForeignKey(GenerationStep, on_delete=models.SET_NULL, null=True, blank=True, related_name="calls")
    kind = models.CharField(max_length=10, help_text="text, video or image")
    provider = models.CharField(max_length=30)
    model = models.CharField(max_length=120, blank=True)
    operation = models.CharField(max_length=60)
    ok = models.BooleanField(default=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    input_tokens = models.PositiveIntegerField(default=0)
    output_tokens = models.PositiveIntegerField(default=0)
    video_seconds = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    images = models.PositiveSmallIntegerField(default=0)
    cost_usd = models.DecimalField(max_digits=12, decimal_places=6, default=Decimal("0"))
    duration_ms = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(cost_usd__gte=0), name="call_cost_not_negative")]
        indexes = [
            models.Index(fields=["created_at"], name="call_by_day"),
            models.Index(fields=["provider", "created_at"], name="call_by_provider"),
        ]
