"""On the demo data, every dashboard figure equals the same figure computed from the raw tables.

The dashboard and the overview API read the daily rollups (plus the not-yet-rolled-up tail);
this test recomputes each figure from the tables the actions write (accounts, enrolments,
payments, generation jobs and provider calls, and the raw event table for active people) and
finds the same numbers, in the API, on the dashboard page and in the daily series.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.db.models.functions import TruncDate
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from momentum.accounts.models import User
from momentum.analytics.models import ActiveUserDay, DailyMetric, LearningEvent, RollupCursor
from momentum.billing.models import Payment, PaymentStatus
from momentum.generation.models import GenerationJob, JobStatus, ProviderCall
from momentum.learning.models import Enrollment

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db: None) -> None:
    """The demo data, as `make run` loads it (seed-demo: the catalogue, then each app's demo)."""
    call_command("seed_demo", stdout=io.StringIO())


def raw_overview() -> dict[str, Any]:
    today = timezone.now().astimezone(UTC).date()
    week_start = datetime.combine(today - timedelta(days=6), time.min, tzinfo=UTC)
    enrollments = Enrollment.objects.count()
    completions = Enrollment.objects.filter(completed_at__isnull=False).count()
    jobs = GenerationJob.objects.all()
    return {
        "users_total": User.objects.count(),
        "users_active_7d": LearningEvent.objects.filter(occurred_at__gte=week_start, user__isnull=False)
        .values("user_id")
        .distinct()
        .count(),
        "enrollments_total": enrollments,
        "completions_total": completions,
        "completion_rate": round(completions / enrollments, 4) if enrollments else 0.0,
        "revenue_cents_total": Payment.objects.filter(status=PaymentStatus.SUCCEEDED).aggregate(
            total=Sum("amount_cents")
        )["total"]
        or 0,
        "generation": {
            "jobs_total": jobs.count(),
            "succeeded": jobs.filter(status=JobStatus.SUCCEEDED).count(),
            "failed": jobs.filter(status=JobStatus.FAILED).count(),
            "cost_usd_total": round(float(ProviderCall.objects.aggregate(total=Sum("cost_usd"))["total"] or 0), 6),
        },
    }


def per_day(rows: object) -> Counter[str]:
    counts: Counter[str] = Counter()
    for day, value in rows:  # type: ignore[attr-defined]
        counts[day.isoformat()] += value
    return counts


def series(client, metric: str, start, end) -> Counter[str]:
    response = client.get("/admin/analytics/timeseries", {"metric": metric, "from": str(start), "to": str(end)})
    return Counter({point["t"]: point["value"] for point in response.json()["points"] if point["value"]})


def test_every_dashboard_figure_equals_the_raw_tables(demo, api_as) -> None:
    admin = User.objects.get(email="admin@momentum.localhost")
    raw = raw_overview()
    assert raw["users_total"] >= 40  # the demo has something to show
    assert raw["enrollments_total"] >= 30
    assert raw["completions_total"] >= 3
    assert raw["revenue_cents_total"] > 0

    assert api_as(admin).get("/admin/analytics/overview").json() == raw

    client = Client()
    client.force_login(admin)
    page = client.get(reverse("analytics:studio_dashboard")).content.decode()
    shown = dict(re.findall(r'data-kpi="([a-z_.0-9]+)" data-value="([^"]*)"', page))
    generation = raw.pop("generation")
    expected = {key: str(value) for key, value in raw.items()}
    expected.update({f"generation.{key}": str(value) for key, value in generation.items()})
    assert shown == expected
    assert_daily_series_equal_the_raw_tables(api_as(admin))

    # The same figures without any rollup: everything is then the not-yet-rolled-up tail.
    DailyMetric.objects.all().delete()
    ActiveUserDay.objects.all().delete()
    RollupCursor.objects.all().delete()
    assert api_as(admin).get("/admin/analytics/overview").json() == {**raw, "generation": generation}
    assert_daily_series_equal_the_raw_tables(api_as(admin))


def assert_daily_series_equal_the_raw_tables(client) -> None:
    end = timezone.now().astimezone(UTC).date()
    start = end - timedelta(days=89)
    since = datetime.combine(start, time.min, tzinfo=UTC)

    def by_day(queryset, field: str, value: str | None = None):
        rows = queryset.filter(**{f"{field}__gte": since}).annotate(day=TruncDate(field, tzinfo=UTC))
        if value is None:
            return per_day((row.day, 1) for row in rows)
        return per_day((row.day, getattr(row, value)) for row in rows)

    assert series(client, "signups", start, end) == by_day(User.objects.all(), "created_at")
    assert series(client, "enrollments", start, end) == by_day(Enrollment.objects.all(), "enrolled_at")
    assert series(client, "completions", start, end) == by_day(Enrollment.objects.all(), "completed_at")
    revenue = by_day(Payment.objects.exclude(paid_at=None), "paid_at", "amount_cents")
    revenue.subtract(by_day(Payment.objects.exclude(refunded_at=None), "refunded_at", "amount_cents"))
    assert series(client, "revenue", start, end) == Counter({day: cents for day, cents in revenue.items() if cents})
    costs = by_day(ProviderCall.objects.all(), "created_at", "cost_usd")
    assert series(client, "generation_cost", start, end) == Counter(
        {day: round(float(Decimal(cost)), 6) for day, cost in costs.items()}
    )
    active = LearningEvent.objects.filter(occurred_at__gte=since, user__isnull=False).annotate(
        day=TruncDate("occurred_at", tzinfo=UTC)
    )
    assert series(client, "active_users", start, end) == Counter(
        {
            day.isoformat(): n
            for day, n in Counter(day for day, _ in active.values_list("day", "user_id").distinct()).items()
        }
    )
