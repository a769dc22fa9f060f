"""The analytics app's API: the admin overview, time series, and an on-demand rollup."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import ConfigDict, Field

from momentum.accounts.policy import Access, api_access, caller
from momentum.analytics.queries import Snapshot
from momentum.analytics.rollups import Metric
from momentum.lib.problems import Invalid

router = Router(tags=["analytics"])
ADMIN = api_access(Access.ADMIN)
DEFAULT_DAYS = 30
MAX_POINTS = 400


class GenerationFigures(Schema):
    jobs_total: int
    succeeded: int
    failed: int
    cost_usd_total: float


class Overview(Schema):
    users_total: int = Field(description="accounts ever created (signed_up events)")
    users_active_7d: int = Field(description="distinct people with any learning event today and the 6 days before")
    enrollments_total: int = Field(description="enrolments made minus enrolments left")
    completions_total: int = Field(description="courses completed")
    completion_rate: float = Field(description="completions_total / enrollments_total, 0 when none")
    revenue_cents_total: int = Field(description="succeeded payments minus refunds, in cents")
    generation: GenerationFigures


class SeriesMetric(StrEnum):
    SIGNUPS = "signups"
    ENROLLMENTS = "enrollments"
    COMPLETIONS = "completions"
    REVENUE = "revenue"
    GENERATION_COST = "generation_cost"
    ACTIVE_USERS = "active_users"
    LESSON_COMPLETIONS = "lesson_completions"


SERIES_SOURCE = {
    SeriesMetric.SIGNUPS: Metric.SIGNUPS,
    SeriesMetric.ENROLLMENTS: Metric.ENROLLMENTS,
    SeriesMetric.COMPLETIONS: Metric.COMPLETIONS,
    SeriesMetric.REVENUE: Metric.REVENUE_CENTS,
    SeriesMetric.GENERATION_COST: Metric.GENERATION_COST_USD,
    SeriesMetric.ACTIVE_USERS: Metric.ACTIVE_USERS,
    SeriesMetric.LESSON_COMPLETIONS: Metric.LESSON_COMPLETIONS,
}


class Interval(StrEnum):
    DAY = "day"
    WEEK = "week"


class SeriesQuery(Schema):
    model_config = ConfigDict(populate_by_name=True)

    metric: SeriesMetric
    interval: Interval = Interval.DAY
    from_: date | None = Field(None, alias="from", description="first day (UTC), default 29 days before `to`")
    to: date | None = Field(None, description="last day (UTC), default today")


class Point(Schema):
    t: date = Field(description="the day, or the Monday of the week")
    value: int | float


class Series(Schema):
    metric: SeriesMetric
    interval: Interval
    points: list[Point]


def series_range(start: date | None, end: date | None, interval: str, today: date) -> tuple[date, date]:
    """The validated (from, to) of a time series request."""
    end = end or today
    start = start or end - timedelta(days=DEFAULT_DAYS - 1 if interval == Interval.DAY else 7 * 12 - 1)
    if start > end:
        raise Invalid("from", _("must be on or before `to`"), rule="date_order")
    points = (end - start).days + 1 if interval == Interval.DAY else (end - start).days // 7 + 1
    if points > MAX_POINTS:
        raise Invalid(
            "to",
            _("the range has %(points)s points; at most %(MAX_POINTS)s per request")
            % {"points": points, "MAX_POINTS": MAX_POINTS},
            rule="max_points",
        )
    return start, end


@router.get("/admin/analytics/overview", response=Overview, auth=ADMIN, tags=["admin"])
def analytics_overview(request: HttpRequest) -> dict[str, Any]:
    """Site-wide figures from the daily rollups plus the events not yet rolled up."""
    return Snapshot().overview()


@router.get("/admin/analytics/timeseries", response=Series, auth=ADMIN, tags=["admin"])
def analytics_timeseries(request: HttpRequest, query: Query[SeriesQuery]) -> dict[str, Any]:
    """One point per day or week from `from` to `to` (inclusive, UTC), zeros included. Revenue is in
    cents, generation cost in USD, active users are distinct per bucket."""
    snapshot = Snapshot()
    start, end = series_range(query.from_, query.to, query.interval, snapshot.today)
    points = snapshot.series(SERIES_SOURCE[query.metric], start, end, query.interval)
    return {
        "metric": query.metric,
        "interval": query.interval,
        "points": [{"t": t, "value": value} for t, value in points],
    }


class RollupQueued(Schema):
    workflow_id: str


@router.post("/admin/analytics/rollup", response={202: RollupQueued}, auth=ADMIN, tags=["admin"])
def analytics_rollup(request: HttpRequest) -> Status[dict[str, str]]:
    """Bring the daily rollups up to date now (the same pass runs on a schedule)."""
    from momentum.analytics.actions import do_request_rollup

    return Status(202, {"workflow_id": do_request_rollup(actor=caller(request), request=request)})
