"""What each source contributes to the daily rollups (``DailyMetric``), per UTC day.

Sources and the figures they give, site-wide (course empty) and per course:

    learning events   signups; enrollments, unenrollments, lesson_completions, completions,
                      day_completions:<N> (per course only: completions of the lesson of day N);
                      revenue_cents (succeeded minus refunded), payments, refunds;
                      active_users (distinct people with any event that day, from ActiveUserDay)
    provider calls    generation_cost_usd (sum of ProviderCall.cost_usd, by the call's day)
    generation jobs   generation_jobs, generation_jobs_succeeded, generation_jobs_failed
                      (by the day the job was created, with its current status)

The same functions compute a recomputed day for the rollup (``analytics.actions.do_roll_up``)
and the not-yet-rolled-up tail that queries add on top (``analytics.queries``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate

from momentum.analytics.models import EventKind, LearningEvent


class Metric(StrEnum):
    SIGNUPS = "signups"
    ENROLLMENTS = "enrollments"
    UNENROLLMENTS = "unenrollments"
    LESSON_COMPLETIONS = "lesson_completions"
    COMPLETIONS = "completions"
    REVENUE_CENTS = "revenue_cents"
    PAYMENTS = "payments"
    REFUNDS = "refunds"
    ACTIVE_USERS = "active_users"
    GENERATION_JOBS = "generation_jobs"
    GENERATION_SUCCEEDED = "generation_jobs_succeeded"
    GENERATION_FAILED = "generation_jobs_failed"
    GENERATION_COST_USD = "generation_cost_usd"


DAY_COMPLETIONS = "day_completions:"
EVENT_METRICS = [
    Metric.SIGNUPS, Metric.ENROLLMENTS, Metric.UNENROLLMENTS, Metric.LESSON_COMPLETIONS, Metric.COMPLETIONS,
    Metric.REVENUE_CENTS, Metric.PAYMENTS, Metric.REFUNDS, Metric.ACTIVE_USERS,
]  # fmt: skip
CALL_METRICS = [Metric.GENERATION_COST_USD]
JOB_METRICS = [Metric.GENERATION_JOBS, Metric.GENERATION_SUCCEEDED, Metric.GENERATION_FAILED]

# (day, metric, course id or None) -> value
Key = tuple[date, str, int | None]
Figures = defaultdict[Key, Decimal]


def day_metric(day: int) -> str:
    return f"{DAY_COMPLETIONS}{day}"


def new_figures() -> Figures:
    return defaultdict(Decimal)


def merge(into: Figures, other: Figures) -> Figures:
    for key, value in other.items():
        into[key] += value
    return into


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def in_days(field: str, days: Iterable[date]) -> Q:
    """``field`` (a timestamp) falls on one of ``days`` (UTC): one range per run of consecutive days."""
    ordered = sorted(set(days))
    condition = Q(pk__in=[])
    run_start: date | None = None
    previous: date | None = None
    for day in [*ordered, None]:
        if day is not None and previous is not None and day == previous + timedelta(days=1):
            previous = day
            continue
        if run_start is not None and previous is not None:
            condition |= Q(
                **{f"{field}__gte": day_start(run_start), f"{field}__lt": day_start(previous + timedelta(days=1))}
            )
        run_start = previous = day
    return condition


def _by_day(queryset: QuerySet[Any], field: str) -> QuerySet[Any]:
    annotated: QuerySet[Any] = queryset.annotate(day=TruncDate(field, tzinfo=UTC))
    return annotated


def event_days(events: QuerySet[LearningEvent]) -> set[date]:
    return set(_by_day(events, "occurred_at").values_list("day", flat=True).distinct().order_by())


# kind -> [(metric, what to add: "count" or +/-"value", per course as well)]
_EVENT_RULES: dict[str, list[tuple[str, str, bool]]] = {
    EventKind.SIGNED_UP: [(Metric.SIGNUPS, "count", False)],
    EventKind.ENROLLED: [(Metric.ENROLLMENTS, "count", True)],
    EventKind.UNENROLLED: [(Metric.UNENROLLMENTS, "count", True)],
    EventKind.LESSON_COMPLETED: [(Metric.LESSON_COMPLETIONS, "count", True)],
    EventKind.COURSE_COMPLETED: [(Metric.COMPLETIONS, "count", True)],
    EventKind.PAYMENT_SUCCEEDED: [(Metric.REVENUE_CENTS, "+value", True), (Metric.PAYMENTS, "count", True)],
    EventKind.PAYMENT_REFUNDED: [(Metric.REVENUE_CENTS, "-value", True), (Metric.REFUNDS, "count", True)],
}


def event_figures(events: QuerySet[LearningEvent]) -> Figures:
    """Every event-based figure of ``events`` except active_users (see ``active_pairs``)."""
    figures = new_figures()
    rows = (
        _by_day(events, "occurred_at")
        .values("day", "kind", "course_id", "lesson__day")
        .annotate(n=Count("id"), total=Sum("value"))
        .order_by()
    )
    for row in rows:
        day, course = row["day"], row["course_id"]
        amounts = {"count": Decimal(row["n"]), "+value": row["total"] or Decimal(0)}
        amounts["-value"] = -amounts["+value"]
        for metric, amount, per_course in _EVENT_RULES.get(row["kind"], []):
            figures[(day, metric, None)] += amounts[amount]
            if per_course and course is not None:
                figures[(day, metric, course)] += amounts[amount]
        if row["kind"] == EventKind.LESSON_COMPLETED and course is not None and row["lesson__day"] is not None:
            figures[(day, day_metric(row["lesson__day"]), course)] += amounts["count"]
    return figures


def active_pairs(events: QuerySet[LearningEvent]) -> set[tuple[date, int]]:
    """(day, user id) for every person with an event on that day."""
    rows = _by_day(events.filter(user__isnull=False), "occurred_at").values_list("day", "user_id").distinct()
    return set(rows.order_by())


def call_figures(calls: QuerySet[Any]) -> Figures:
    figures = new_figures()
    for row in _by_day(calls, "created_at").values("day").annotate(cost=Sum("cost_usd")).order_by():
        figures[(row["day"], Metric.GENERATION_COST_USD, None)] += row["cost"] or Decimal(0)
    return figures


def created_days(jobs: QuerySet[Any]) -> set[date]:
    return set(_by_day(jobs, "created_at").values_list("day", flat=True).distinct().order_by())


def job_figures(jobs: QuerySet[Any]) -> Figures:
    from momentum.generation.models import JobStatus

    figures = new_figures()
    for row in _by_day(jobs, "created_at").values("day", "status").annotate(n=Count("id")).order_by():
        n = Decimal(row["n"])
        figures[(row["day"], Metric.GENERATION_JOBS, None)] += n
        if row["status"] == JobStatus.SUCCEEDED:
            figures[(row["day"], Metric.GENERATION_SUCCEEDED, None)] += n
        elif row["status"] == JobStatus.FAILED:
            figures[(row["day"], Metric.GENERATION_FAILED, None)] += n
    return figures
