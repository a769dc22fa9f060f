"""Reading analytics: every figure comes from the daily rollups plus the not-yet-rolled-up tail.

``Snapshot`` reads the rollup cursors once and computes the tail once: the learning events
and provider calls past the cursors (append-only, so their figures simply add) and the days
of generation jobs that changed since the last pass (recomputed live and used instead of
their rolled-up rows). Figures are therefore exact at any moment, whether or not the
scheduled rollup has run, while the raw event table is only read past the cursor.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import Q, Sum
from django.utils import timezone

from momentum.analytics import rollups
from momentum.analytics.actions import CALLS_CURSOR, EVENTS_CURSOR, JOB_SETTLE, JOBS_CURSOR
from momentum.analytics.models import ActiveUserDay, DailyMetric, LearningEvent, RollupCursor
from momentum.analytics.rollups import Metric

ACTIVE_WINDOW_DAYS = 7


@dataclass(frozen=True)
class Tail:
    figures: rollups.Figures
    pairs: set[tuple[date, int]]
    stale_job_days: set[date]
    events: int


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def buckets(start: date, end: date, interval: str) -> list[date]:
    """The first day of every bucket (a day, or a week starting on Monday) from start to end."""
    if interval == "week":
        first, step = week_start(start), timedelta(days=7)
    else:
        first, step = start, timedelta(days=1)
    out, day = [], first
    while day <= end:
        out.append(day)
        day += step
    return out


class Snapshot:
    """The analytics figures as of now; build one per request."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or timezone.now()
        self.today = self.now.astimezone(UTC).date()

    @cached_property
    def tail(self) -> Tail:
        from momentum.generation.models import GenerationJob, ProviderCall

        cursors = {cursor.name: cursor for cursor in RollupCursor.objects.all()}
        events_after = cursors[EVENTS_CURSOR].last_event_id if EVENTS_CURSOR in cursors else 0
        calls_after = cursors[CALLS_CURSOR].last_event_id if CALLS_CURSOR in cursors else 0
        watermark = cursors[JOBS_CURSOR].watermark if JOBS_CURSOR in cursors else None
        events = LearningEvent.objects.filter(id__gt=events_after)
        figures = rollups.event_figures(events)
        rollups.merge(figures, rollups.call_figures(ProviderCall.objects.filter(id__gt=calls_after)))
        changed = GenerationJob.objects.all()
        if watermark is not None:
            changed = changed.filter(updated_at__gte=watermark - JOB_SETTLE)
        stale = rollups.created_days(changed)
        if stale:
            live = GenerationJob.objects.filter(rollups.in_days("created_at", stale))
            rollups.merge(figures, rollups.job_figures(live))
        return Tail(figures=figures, pairs=rollups.active_pairs(events), stale_job_days=stale, events=events.count())

    # --- Figures by day ------------------------------------------------------------------------

    def daily(
        self, metrics: Iterable[str], start: date | None = None, end: date | None = None, *, per_course: bool = False
    ) -> rollups.Figures:
        """{(day, metric, course id or None): value} from start to end (inclusive), rollups + tail."""
        wanted = set(metrics)
        rows = DailyMetric.objects.filter(metric__in=wanted, course__isnull=not per_course)
        if start is not None:
            rows = rows.filter(date__gte=start)
        if end is not None:
            rows = rows.filter(date__lte=end)
        stale = self.tail.stale_job_days
        if stale and wanted & set(rollups.JOB_METRICS):  # those days' job rows are replaced by live counts
            rows = rows.exclude(Q(metric__in=rollups.JOB_METRICS) & Q(date__in=stale))
        figures = rollups.new_figures()
        for row in rows.values("date", "metric", "course_id").annotate(total=Sum("value")).order_by():
            figures[(row["date"], row["metric"], row["course_id"])] += row["total"]
        for (day, metric, course), value in self.tail.figures.items():
            if (
                metric in wanted
                and (course is not None) == per_course
                and (start is None or day >= start)
                and (end is None or day <= end)
            ):
                figures[(day, metric, course)] += value
        return figures

    def totals(self, metrics: Iterable[str], start: date | None = None, end: date | None = None) -> dict[str, Decimal]:
        wanted = list(metrics)
        out = dict.fromkeys(wanted, Decimal(0))
        for (_day, metric, _course), value in self.daily(wanted, start, end).items():
            out[metric] += value
        return out

    def course_totals(
        self, metrics: Iterable[str], start: date | None = None, end: date | None = None
    ) -> dict[tuple[int, str], Decimal]:
        out: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
        for (_day, metric, course), value in self.daily(metrics, start, end, per_course=True).items():
            if course is not None:
                out[(course, metric)] += value
        return out

    def course_totals_matching(
        self, prefix: str, start: date | None = None, end: date | None = None
    ) -> dict[tuple[int, str], Decimal]:
        """Per-course totals of every metric whose name starts with ``prefix`` (day_completions:N)."""
        names = set(
            DailyMetric.objects.filter(metric__startswith=prefix, course__isnull=False)
            .values_list("metric", flat=True)
            .distinct()
        )
        names |= {
            metric for (_day, metric, course) in self.tail.figures if course is not None and metric.startswith(prefix)
        }
        return self.course_totals(names, start, end)

    # --- Active people -------------------------------------------------------------------------

    def active_users(self, start: date, end: date) -> int:
        """Distinct people with any learning event from start to end (inclusive)."""
        rolled = ActiveUserDay.objects.filter(date__gte=start, date__lte=end)
        counted = rolled.values("user_id").distinct().count()
        fresh = {user for day, user in self.tail.pairs if start <= day <= end}
        if fresh:
            fresh -= set(rolled.filter(user_id__in=fresh).values_list("user_id", flat=True))
        return counted + len(fresh)

    def active_series(self, start: date, end: date, interval: str) -> dict[date, int]:
        """Distinct active people per bucket (day or week)."""
        firsts = buckets(start, end, interval)
        begin = firsts[0] if firsts else start
        pairs = set(ActiveUserDay.objects.filter(date__gte=begin, date__lte=end).values_list("date", "user_id"))
        pairs |= {(day, user) for day, user in self.tail.pairs if begin <= day <= end}
        people: dict[date, set[int]] = {first: set() for first in firsts}
        for day, user in pairs:
            people.setdefault(week_start(day) if interval == "week" else day, set()).add(user)
        return {first: len(people[first]) for first in firsts}

    # --- The API's shapes ----------------------------------------------------------------------

    def overview(self) -> dict[str, Any]:
        totals = self.totals(
            [
                Metric.SIGNUPS, Metric.ENROLLMENTS, Metric.UNENROLLMENTS, Metric.COMPLETIONS, Metric.REVENUE_CENTS,
                Metric.GENERATION_JOBS, Metric.GENERATION_SUCCEEDED, Metric.GENERATION_FAILED,
                Metric.GENERATION_COST_USD,
            ]
        )  # fmt: skip
        enrollments = int(totals[Metric.ENROLLMENTS] - totals[Metric.UNENROLLMENTS])
        completions = int(totals[Metric.COMPLETIONS])
        return {
            "users_total": int(totals[Metric.SIGNUPS]),
            "users_active_7d": self.active_users(self.today - timedelta(days=ACTIVE_WINDOW_DAYS - 1), self.today),
            "enrollments_total": enrollments,
            "completions_total": completions,
            "completion_rate": completion_rate(completions, enrollments),
            "revenue_cents_total": int(totals[Metric.REVENUE_CENTS]),
            "generation": {
                "jobs_total": int(totals[Metric.GENERATION_JOBS]),
                "succeeded": int(totals[Metric.GENERATION_SUCCEEDED]),
                "failed": int(totals[Metric.GENERATION_FAILED]),
                "cost_usd_total": round(float(totals[Metric.GENERATION_COST_USD]), 6),
            },
        }

    def series(self, metric: str, start: date, end: date, interval: str = "day") -> list[tuple[date, float | int]]:
        """One point per bucket from start to end, zeros included."""
        firsts = buckets(start, end, interval)
        if not firsts:
            return []
        if metric == Metric.ACTIVE_USERS:
            return list(self.active_series(start, end, interval).items())
        values: dict[date, Decimal] = dict.fromkeys(firsts, Decimal(0))
        for (day, _metric, _course), value in self.daily([metric], start, end).items():
            values[week_start(day) if interval == "week" else day] += value
        as_float = metric == Metric.GENERATION_COST_USD
        return [(first, round(float(value), 6) if as_float else int(value)) for first, value in values.items()]


def payments_received(start: date, end: date) -> list[tuple[date, int]]:
    """Cents paid each UTC day from ``start`` to ``end`` (refunded payments too, on the day they were
    paid): never negative, unlike the net revenue_cents, where a refund subtracts on its own day."""
    from django.db.models.functions import TruncDate

    from momentum.billing.models import Payment, PaymentStatus

    begin = datetime.combine(start, datetime.min.time(), tzinfo=UTC)
    finish = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    rows = (
        Payment.objects.filter(
            paid_at__gte=begin, paid_at__lt=finish, status__in=[PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED]
        )
        .annotate(day=TruncDate("paid_at", tzinfo=UTC))
        .values("day")
        .annotate(cents=Sum("amount_cents"))
        .order_by()
    )
    paid = {row["day"]: int(row["cents"] or 0) for row in rows}
    return [(start + timedelta(days=n), paid.get(start + timedelta(days=n), 0)) for n in range((end - start).days + 1)]


def completion_rate(completions: int | Decimal, enrollments: int | Decimal) -> float:
    """Completions / enrolments, 0 when nobody enrolled (four decimals)."""
    if not enrollments:
        return 0.0
    return round(float(completions) / float(enrollments), 4)


def halfway_day(duration_days: int) -> int:
    return math.ceil(duration_days / 2)


def last_rollup_at() -> datetime | None:
    """When the learning events were last rolled up (``None`` before the first pass)."""
    cursor = RollupCursor.objects.filter(name=EVENTS_CURSOR).first()
    return cursor.updated_at if cursor else None
