"""Writes of the generation app: starting, cancelling and retrying jobs (audited), and the job's
and its steps' progress as the workflow reports it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.http import HttpRequest
from django.utils import timezone

from momentum.accounts.models import User
from momentum.audit.actions import do_record_audit
from momentum.catalog.models import Category, Level, Pacing
from momentum.generation import queries
from momentum.generation.audit_actions import AuditAction
from momentum.generation.models import (
    GenerationJob,
    GenerationStep,
    JobStatus,
    Language,
    ProviderCall,
    StepName,
    StepStatus,
)
from momentum.generation.providers import configured
from momentum.generation.references.models import ReferenceDocument
from momentum.lib import request_context
from momentum.lib.problems import Conflict, Invalid, Problem
from momentum.observability import metrics
from momentum.sitesettings.queries import ai_spend, site_settings, start_of_day, start_of_month

QUEUE = "generation"
FINISHED = (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)


@dataclass(frozen=True)
class JobRequest:
    topic: str
    category: Category
    duration_days: int
    level: str = Level.BEGINNER
    pacing: str = Pacing.DAILY
    language: str = Language.EN
    audience: str = ""
    tone: str = ""
    include_video: bool = True
    include_thumbnail: bool = True
    include_quizzes: bool = True
    reference_documents: list[ReferenceDocument] = field(default_factory=list)

    def same_as(self, job: GenerationJob) -> bool:
        return (
            job.topic == self.topic
            and job.category_id == self.category.pk
            and job.duration_days == self.duration_days
            and job.level == self.level
            and job.pacing == self.pacing
            and job.language == self.language
            and job.include_video == self.include_video
            and job.include_thumbnail == self.include_thumbnail
            and job.include_quizzes == self.include_quizzes
            and {str(d.pk) for d in job.reference_documents.all()} == {str(d.pk) for d in self.reference_documents}
        )


MIN_TOPIC_LENGTH = 3


def clean_topic(topic: str) -> str:
    """The topic with its spaces collapsed; ``Invalid`` when too little is left to write a course about."""
    cleaned = " ".join(topic.split())
    if len(cleaned) < MIN_TOPIC_LENGTH:
        raise Invalid(
            "topic",
            f"say what the course teaches, in at least {MIN_TOPIC_LENGTH} characters (e.g. “Knife skills”)",
            rule="min_length",
        )
    return cleaned


def step_names(duration_days: int) -> list[str]:
    """Every step of a job, in order: what the job page lists from the start."""
    days = range(1, duration_days + 1)
    return [
        str(StepName.VALIDATE),
        str(StepName.REFERENCES),
        str(StepName.OUTLINE),
        *(StepName.LESSON.of_day(day) for day in days),
        *(StepName.QUIZ.of_day(day) for day in days),
        *(StepName.VIDEO.of_day(day) for day in days),
        str(StepName.THUMBNAIL),
        str(StepName.SAVE),
        str(StepName.NOTIFY),
    ]


def daily_quota(user: Any) -> int:
    """How many jobs ``user`` may start per UTC day: the per-admin quota, or an instructor's own."""
    row = site_settings()
    return row.generation_daily_quota if getattr(user, "is_admin", False) else row.instructor_generation_daily_quota


def instructor_spend_today(user: Any, now: datetime) -> Decimal:
    """What the provider calls of ``user``'s jobs cost today (UTC)."""
    total = ProviderCall.objects.filter(job__created_by=user, created_at__gte=start_of_day(now)).aggregate(
        total=Sum("cost_usd")
    )["total"]
    return Decimal(total or 0)


def _check_allowance(user: Any) -> None:
    """429 when the caller's daily job quota (per admin, or an instructor's own), an instructor's own
    daily budget, or the site's daily or monthly budget is used up."""
    now = timezone.now()
    row = site_settings()
    quota = daily_quota(user)
    started_today = GenerationJob.objects.filter(created_by=user, created_at__gte=start_of_day(now)).count()
    tomorrow = start_of_day(now) + timedelta(days=1)
    until_tomorrow = str(max(1, math.ceil((tomorrow - now).total_seconds())))
    who = "admin" if getattr(user, "is_admin", False) else "instructor"
    if started_today >= quota:
        raise Problem(
            429, "generation_quota_exceeded",
            f"You have started {started_today} generation jobs today, the daily quota per {who} "
            f"({quota}); start more tomorrow (UTC) or ask an admin to raise the quota in the studio's settings.",
            headers={"Retry-After": until_tomorrow},
        )  # fmt: skip
    if who == "instructor":
        own = instructor_spend_today(user, now)
        if own >= row.instructor_generation_daily_budget_usd:
            raise Problem(
                429, "generation_budget_exhausted",
                f"Your AI generation budget for today is spent (${own:.2f} of "
                f"${row.instructor_generation_daily_budget_usd:.2f}); start more tomorrow (UTC).",
                headers={"Retry-After": until_tomorrow},
            )  # fmt: skip
    spend = ai_spend(now)
    if spend.month_usd >= spend.monthly_budget_usd:
        next_month = (start_of_month(now) + timedelta(days=32)).replace(day=1)
        raise Problem(
            429, "generation_budget_exhausted",
            f"This month's AI generation budget is spent (${spend.month_usd:.2f} of "
            f"${spend.monthly_budget_usd:.2f}); no new jobs until next month or until an admin raises the budget.",
            headers={"Retry-After": str(math.ceil((next_month - now).total_seconds()))},
        )  # fmt: skip
    if spend.today_usd >= spend.daily_budget_usd:
        raise Problem(
            429, "generation_budget_exhausted",
            f"Today's AI generation budget is spent (${spend.today_usd:.2f} of ${spend.daily_budget_usd:.2f}); "
            "no new jobs until tomorrow (UTC) or until an admin raises the budget.",
            headers={"Retry-After": until_tomorrow},
        )  # fmt: skip


def _enqueue_after_commit(job: GenerationJob, workflow_id: str) -> None:
    from momentum.generation import workflows
    from momentum.platform import durable

    job_id, request_id = str(job.pk), request_context.current_request_id() or ""
    transaction.on_commit(
        lambda: durable.enqueue(workflows.generate_course, job_id, request_id, queue=QUEUE, workflow_id=workflow_id)
    )


def do_start_job(
    user: Any, spec: JobRequest, *, idempotency_key: str = "", request: HttpRequest | None = None
) -> tuple[GenerationJob, bool]:
    """Queue a job for ``spec`` (quota and budget permitting); (job, created). The same
    Idempotency-Key returns the job it first started."""
    if idempotency_key:
        existing = GenerationJob.objects.filter(created_by=user, idempotency_key=idempotency_key).first()
        if existing is not None:
            return _same_job(existing, spec), False
    clean_topic(spec.topic)  # refused here, before a job is queued that could only fail
    _check_allowance(user)
    try:
        with transaction.atomic():
            job = GenerationJob.objects.create(
                created_by=user,
                idempotency_key=idempotency_key,
                topic=spec.topic,
                category=spec.category,
                duration_days=spec.duration_days,
                level=spec.level,
                pacing=spec.pacing,
                language=spec.language,
                audience=spec.audience,
                tone=spec.tone,
                include_video=spec.include_video,
                include_thumbnail=spec.include_thumbnail,
                include_quizzes=spec.include_quizzes,
                providers=configured(),
                request_id=request_context.current_request_id() or "",
            )
            job.reference_documents.set(spec.reference_documents)
            GenerationStep.objects.bulk_create(
                GenerationStep(job=job, name=name, position=position, status=_initial_status(job, name))
                for position, name in enumerate(step_names(job.duration_days))
            )
            do_record_audit(
                AuditAction.GENERATION_JOB_STARTED, actor=user, resource=job, request=request,
                metadata={"topic": job.topic, "duration_days": job.duration_days, "category": spec.category.slug},
            )  # fmt: skip
            _enqueue_after_commit(job, str(job.pk))
    except IntegrityError:  # the same key, twice at once: the first one won
        existing = GenerationJob.objects.filter(created_by=user, idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return _same_job(existing, spec), False
    return job, True


def _same_job(job: GenerationJob, spec: JobRequest) -> GenerationJob:
    if not spec.same_as(job):
        raise Problem(422, "idempotency_key_reused", "This Idempotency-Key was used with a different request body.")
    return job


def _add_missing_steps(job: GenerationJob) -> None:
    """Every step row the workflow reads (a job made by an older release or the demo data may
    lack some): the missing ones are added, PENDING, so a retry runs them."""
    names = step_names(job.duration_days)
    have = set(job.steps.values_list("name", flat=True))
    GenerationStep.objects.bulk_create(
        (
            GenerationStep(job=job, name=name, position=position, status=_initial_status(job, name))
            for position, name in enumerate(names)
            if name not in have
        ),
        ignore_conflicts=True,
    )


def _initial_status(job: GenerationJob, name: str) -> str:
    if (
        (name.startswith(f"{StepName.VIDEO}-") and not job.include_video)
        or (name.startswith(f"{StepName.QUIZ}-") and not job.include_quizzes)
        or (name == StepName.THUMBNAIL and not job.include_thumbnail)
    ):
        return StepStatus.SKIPPED
    return StepStatus.PENDING


@transaction.atomic
def do_cancel_job(job: GenerationJob, *, actor: User | None, request: HttpRequest | None = None) -> GenerationJob:
    """Stop a queued or running job: no further step starts; what it made so far stays on the bill."""
    job = GenerationJob.objects.select_for_update().get(pk=job.pk)
    if job.status in FINISHED:
        raise Conflict(
            "job_finished", f"This job has already ended ({job.status.lower()}); there is nothing to cancel."
        )
    job.status = JobStatus.CANCELLED
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "finished_at", "updated_at"])
    job.steps.filter(status__in=[StepStatus.PENDING, StepStatus.RUNNING]).update(
        status=StepStatus.SKIPPED, finished_at=timezone.now(), error="cancelled"
    )
    do_record_audit(AuditAction.GENERATION_JOB_CANCELLED, actor=actor, resource=job, request=request)
    metrics.GENERATION_JOBS.labels(JobStatus.CANCELLED).inc()
    # The workflow is not cancelled in DBOS: a run cancelled under it ends in DBOS's error log
    # (it awaits its own recorded outcome and gets DBOSAwaitedWorkflowCancelledError). Each step
    # reads the job's status before it starts, so the workflow ends by itself, quietly, at its
    # next step (a queued one at its first).
    return job


@transaction.atomic
def do_retry_job(job: GenerationJob, *, actor: User | None, request: HttpRequest | None = None) -> GenerationJob:
    """Run a failed job again from its failed step: the steps that succeeded keep their results."""
    job = GenerationJob.objects.select_for_update().get(pk=job.pk)
    if job.status != JobStatus.FAILED:
        raise Conflict("job_not_failed", f"Only a failed job can be retried; this one is {job.status.lower()}.")
    retries = int(job.providers.get("retries", 0)) + 1
    job.status = JobStatus.QUEUED
    job.error = ""
    job.finished_at = None
    job.providers = {**job.providers, **configured(), "retries": retries}
    job.save(update_fields=["status", "error", "finished_at", "providers", "updated_at"])
    job.steps.filter(status__in=[StepStatus.FAILED, StepStatus.RUNNING]).update(status=StepStatus.PENDING, error="")
    _add_missing_steps(job)
    do_record_audit(
        AuditAction.GENERATION_JOB_RETRIED, actor=actor, resource=job, request=request, metadata={"retry": retries}
    )
    _enqueue_after_commit(job, queries.workflow_id(job))
    return job


# --- Progress, written by the workflow's steps ----------------------------------------------------


def do_begin_job(job_id: str) -> bool:
    """The workflow starts (or resumes): False when the job was cancelled, has ended or is gone
    (a database restored from a backup older than the job)."""
    with transaction.atomic():
        job = GenerationJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status in FINISHED:
            return False
        job.status = JobStatus.RUNNING
        job.started_at = job.started_at or timezone.now()
        job.save(update_fields=["status", "started_at", "updated_at"])
    return True


def do_start_step(job_id: str, name: str) -> GenerationStep:
    step = GenerationStep.objects.get(job__pk=job_id, name=name)
    if step.status != StepStatus.RUNNING:
        GenerationStep.objects.filter(pk=step.pk).update(
            status=StepStatus.RUNNING, started_at=timezone.now(), error="", finished_at=None
        )
        step.refresh_from_db()
    return step


def do_count_attempt(step: GenerationStep) -> None:
    GenerationStep.objects.filter(pk=step.pk).update(attempts=F("attempts") + 1)


def do_finish_step(step: GenerationStep, *, output: dict[str, Any] | None = None) -> None:
    fields: dict[str, Any] = {"status": StepStatus.SUCCEEDED, "finished_at": timezone.now(), "error": ""}
    if output is not None:
        fields["output"] = output
    GenerationStep.objects.filter(pk=step.pk).update(**fields)


def do_update_step_output(step: GenerationStep, output: dict[str, Any]) -> None:
    GenerationStep.objects.filter(pk=step.pk).update(output=output)


def do_fail_step(step: GenerationStep, error: str) -> None:
    GenerationStep.objects.filter(pk=step.pk).update(
        status=StepStatus.FAILED, finished_at=timezone.now(), error=error[:2000]
    )


def do_add_warning(job_id: str, warning: str) -> None:
    with transaction.atomic():
        job = GenerationJob.objects.select_for_update().get(pk=job_id)
        if warning not in job.warnings:
            job.warnings = [*job.warnings, warning]
            job.save(update_fields=["warnings", "updated_at"])


def do_finish_job(job_id: str, status: JobStatus, *, error: str = "") -> str:
    """The job ends (once): its status, the metric, the analytics event."""
    from momentum.analytics.actions import do_record_event
    from momentum.analytics.models import EventKind

    with transaction.atomic():
        job = GenerationJob.objects.select_for_update().get(pk=job_id)
        if job.status in FINISHED:
            return str(job.status)
        job.status = status
        job.error = error[:4000]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at", "updated_at"])
        do_record_event(
            EventKind.GENERATION_FINISHED, user=job.created_by, course=job.course, value=job.cost_usd,
            properties={"job_id": str(job.pk), "status": status},
        )  # fmt: skip
    metrics.GENERATION_JOBS.labels(status).inc()
    return str(status)
