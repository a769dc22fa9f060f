"""Writes of the analytics app: learning events, one per learning action, and their daily rollups."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.http import HttpRequest
from django.utils import timezone

from momentum.accounts.models import User
from momentum.analytics import rollups
from momentum.analytics.audit_actions import AuditAction
from momentum.analytics.models import ActiveUserDay, DailyMetric, EventKind, LearningEvent, RollupCursor
from momentum.lib import write_buffer
from momentum.lib.logs import get_logger
from momentum.lib.write_buffer import WriteBuffer

log = get_logger("momentum.analytics")


def do_record_event(
    kind: EventKind,
    *,
    user: Any = None,
    course: Any = None,
    lesson: Any = None,
    value: Decimal | int | float = 0,
    properties: dict[str, Any] | None = None,
    occurred_at: datetime | None = None,
) -> LearningEvent:
    return LearningEvent.objects.create(
        kind=kind,
        user=user if getattr(user, "pk", None) else None,
        course=course,
        lesson=lesson,
        value=Decimal(str(value)),
        properties=properties or {},
        occurred_at=occurred_at or timezone.now(),
    )


def _write_events(pending: dict[Hashable, LearningEvent]) -> None:
    """One INSERT for a batch of buffered events; row by row when one of them no longer fits (its
    lesson or course deleted since), so the others are kept."""
    events = list(pending.values())
    if len(events) == 1:  # written through (the test profile) or a quiet second: one INSERT, no savepoint
        events[0].save(force_insert=True)
        return
    try:
        with transaction.atomic():
            LearningEvent.objects.bulk_create(events, batch_size=1000)
    except IntegrityError:
        for event in events:
            event.pk = None
            try:
                with transaction.atomic():
                    event.save(force_insert=True)
            except IntegrityError:
                log.warning("buffered_event_dropped", kind=event.kind, lesson_id=event.lesson_id)


BUFFERED_EVENTS: WriteBuffer[LearningEvent] = write_buffer.register(
    WriteBuffer("learning_events", _write_events, interval=settings.WRITE_BUFFER_SECONDS)
)


def do_record_event_later(
    kind: EventKind, *, user: Any = None, course: Any = None, lesson: Any = None, occurred_at: datetime | None = None
) -> None:
    """Record an event that may wait a second (a lesson view): no write in the caller's request.

    The flusher writes the batch within ``WRITE_BUFFER_SECONDS``; a crash may lose that much of
    them. Events other code reacts to (completions, payments) go through ``do_record_event``.
    """
    BUFFERED_EVENTS.add(
        LearningEvent(
            kind=kind,
            user_id=user.pk if getattr(user, "pk", None) else None,
            course_id=getattr(course, "pk", None),
            lesson_id=getattr(lesson, "pk", None),
            occurred_at=occurred_at or timezone.now(),
        )
    )


# --- The incremental daily rollup -------------------------------------------------------------

EVENTS_CURSOR = "learning_events"
CALLS_CURSOR = "provider_calls"
JOBS_CURSOR = "generation_jobs"
# Jobs change after they are created; a job updated this long before a pass may still have been
# committing during it, so the next pass looks at it again.
JOB_SETTLE = timedelta(minutes=10)


@dataclass(frozen=True)
class RollupReport:
    events_read: int
    calls_read: int
    days_recomputed: int
    last_event_id: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _cursor(name: str) -> RollupCursor:
    try:
        with transaction.atomic():
            cursor, _ = RollupCursor.objects.get_or_create(name=name)
    except IntegrityError:  # created by a concurrent pass
        cursor = RollupCursor.objects.get(name=name)
    return RollupCursor.objects.select_for_update().get(pk=cursor.pk)


def _replace(days: set[date], metrics: Q, figures: rollups.Figures) -> None:
    """The rows of ``metrics`` on ``days`` become ``figures`` (zeros are simply absent)."""
    DailyMetric.objects.filter(metrics, date__in=days).delete()
    DailyMetric.objects.bulk_create(
        [
            DailyMetric(date=day, metric=metric, course_id=course, value=value)
            for (day, metric, course), value in figures.items()
            if day in days and value
        ],
        batch_size=500,
    )


def _recent_days(now: datetime) -> set[date]:
    today = now.astimezone(UTC).date()
    return {today, today - timedelta(days=1)}


def _roll_up_events(now: datetime) -> tuple[int, set[date], int]:
    cursor = _cursor(EVENTS_CURSOR)
    last_id = LearningEvent.objects.aggregate(last=Max("id"))["last"] or 0
    fresh = LearningEvent.objects.filter(id__gt=cursor.last_event_id, id__lte=last_id)
    read = fresh.count()
    days = rollups.event_days(fresh) | _recent_days(now)
    scope = LearningEvent.objects.filter(rollups.in_days("occurred_at", days), id__lte=last_id)
    figures = rollups.event_figures(scope)
    pairs = rollups.active_pairs(scope)
    ActiveUserDay.objects.filter(date__in=days).delete()
    ActiveUserDay.objects.bulk_create([ActiveUserDay(date=day, user_id=user) for day, user in pairs], batch_size=1000)
    for day, _user in pairs:
        figures[(day, rollups.Metric.ACTIVE_USERS, None)] += 1
    event_metrics = Q(metric__in=rollups.EVENT_METRICS) | Q(metric__startswith=rollups.DAY_COMPLETIONS)
    _replace(days, event_metrics, figures)
    cursor.last_event_id = last_id
    cursor.save(update_fields=["last_event_id", "updated_at"])
    return read, days, last_id


def _roll_up_calls(now: datetime) -> tuple[int, set[date]]:
    from momentum.generation.models import ProviderCall

    cursor = _cursor(CALLS_CURSOR)
    last_id = ProviderCall.objects.aggregate(last=Max("id"))["last"] or 0
    fresh = ProviderCall.objects.filter(id__gt=cursor.last_event_id, id__lte=last_id)
    read = fresh.count()
    days = rollups.created_days(fresh) | _recent_days(now)
    scope = ProviderCall.objects.filter(rollups.in_days("created_at", days), id__lte=last_id)
    _replace(days, Q(metric__in=rollups.CALL_METRICS), rollups.call_figures(scope))
    cursor.last_event_id = last_id
    cursor.save(update_fields=["last_event_id", "updated_at"])
    return read, days


def _roll_up_jobs(now: datetime) -> set[date]:
    from momentum.generation.models import GenerationJob

    cursor = _cursor(JOBS_CURSOR)
    changed = GenerationJob.objects.all()
    if cursor.watermark is not None:
        changed = changed.filter(updated_at__gte=cursor.watermark - JOB_SETTLE)
    days = rollups.created_days(changed) | _recent_days(now)
    scope = GenerationJob.objects.filter(rollups.in_days("created_at", days))
    _replace(days, Q(metric__in=rollups.JOB_METRICS), rollups.job_figures(scope))
    cursor.watermark = now
    cursor.save(update_fields=["watermark", "updated_at"])
    return days


@transaction.atomic
def do_roll_up(*, now: datetime | None = None) -> RollupReport:
    """Bring the daily rollups up to date with every source, incrementally.

    Only the days that received new events (or calls, or changed jobs) since the last pass,
    plus today and yesterday, are recomputed, each from scratch: a pass is idempotent, and
    late or backdated events land on their own day. The cursors are locked for the pass, so
    passes never overlap.
    """
    now = now or timezone.now()
    events_read, event_days, last_event_id = _roll_up_events(now)
    calls_read, call_days = _roll_up_calls(now)
    job_days = _roll_up_jobs(now)
    report = RollupReport(
        events_read=events_read,
        calls_read=calls_read,
        days_recomputed=len(event_days | call_days | job_days),
        last_event_id=last_event_id,
    )
    log.info("analytics_rolled_up", **report.as_dict())
    return report


def do_request_rollup(*, actor: User | None, request: HttpRequest | None = None) -> str:
    """Queue a roll-up pass now (the same pass runs on a schedule); returns its workflow ID."""
    from momentum.analytics.workflows import QUEUE, roll_up_now  # the workflow module imports this one
    from momentum.audit.actions import do_record_audit
    from momentum.lib import request_context
    from momentum.platform import durable

    workflow_id = durable.enqueue(roll_up_now, request_context.current_request_id(), queue=QUEUE)
    do_record_audit(
        AuditAction.ANALYTICS_ROLLUP_REQUESTED,
        actor=actor,
        resource_type="analytics_rollup",
        resource_id=workflow_id,
        request=request,
    )
    return workflow_id
