"""GET /admin/analytics/overview and /timeseries, and the on-demand rollup."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from dbos import DBOS

from momentum.analytics.models import DailyMetric, EventKind, LearningEvent
from momentum.analytics.tests.happenings import days_ago, event

pytestmark = pytest.mark.django_db


def test_the_overview_has_every_figure_of_the_contract(admin, api_as) -> None:
    response = api_as(admin).get("/admin/analytics/overview")

    assert response.status_code == 200
    assert response.json() == {
        "users_total": 1,
        "users_active_7d": 1,
        "enrollments_total": 0,
        "completions_total": 0,
        "completion_rate": 0.0,
        "revenue_cents_total": 0,
        "generation": {"jobs_total": 0, "succeeded": 0, "failed": 0, "cost_usd_total": 0.0},
    }


@pytest.mark.parametrize("who", ["learner", "premium_learner"])
def test_analytics_are_for_admins_only(request, api_as, who) -> None:
    client = api_as(request.getfixturevalue(who))
    assert client.get("/admin/analytics/overview").status_code == 403
    assert client.get("/admin/analytics/timeseries", {"metric": "signups"}).status_code == 403


def test_a_daily_series_has_one_point_per_day_with_zeros(admin, learner, stranger, api_as) -> None:
    LearningEvent.objects.filter(kind=EventKind.SIGNED_UP).update(occurred_at=days_ago(2))
    start, end = days_ago(4).date(), days_ago(0).date()

    response = api_as(admin).get(
        "/admin/analytics/timeseries", {"metric": "signups", "from": start.isoformat(), "to": end.isoformat()}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["metric"] == "signups"
    assert body["interval"] == "day"
    assert [point["value"] for point in body["points"]] == [0, 0, 3, 0, 0]
    assert body["points"][0]["t"] == start.isoformat()


def test_a_weekly_series_starts_each_point_on_a_monday(admin, learner, api_as) -> None:
    LearningEvent.objects.filter(kind=EventKind.SIGNED_UP).update(occurred_at=days_ago(0))
    end = days_ago(0).date()
    start = end - timedelta(days=20)

    body = (
        api_as(admin)
        .get(
            "/admin/analytics/timeseries",
            {"metric": "signups", "interval": "week", "from": start.isoformat(), "to": end.isoformat()},
        )
        .json()
    )

    assert {date.fromisoformat(point["t"]).weekday() for point in body["points"]} == {0}
    assert sum(point["value"] for point in body["points"]) == 2
    assert body["points"][-1]["value"] == 2


def test_revenue_is_in_cents_and_generation_cost_in_dollars(admin, learner, api_as) -> None:
    event(EventKind.PAYMENT_SUCCEEDED, user=learner, value=1900)
    today = days_ago(0).date().isoformat()
    client = api_as(admin)

    revenue = client.get("/admin/analytics/timeseries", {"metric": "revenue", "from": today, "to": today}).json()
    cost = client.get("/admin/analytics/timeseries", {"metric": "generation_cost", "from": today, "to": today}).json()

    assert revenue["points"] == [{"t": today, "value": 1900}]
    assert cost["points"] == [{"t": today, "value": 0.0}]


@pytest.mark.parametrize(
    ("query", "field", "rule"),
    [
        ({"metric": "visits"}, "metric", "enum"),
        ({"metric": "signups", "interval": "hour"}, "interval", "enum"),
        ({"metric": "signups", "from": "2026-02-30"}, "from", "date_from_datetime_parsing"),
        ({"metric": "signups", "from": "2026-03-02", "to": "2026-03-01"}, "from", "date_order"),
        ({"metric": "signups", "from": "2020-01-01", "to": "2026-01-01"}, "to", "max_points"),
        ({}, "metric", "missing"),
    ],
)
def test_bad_series_requests_name_the_field_and_the_rule(admin, api_as, query, field, rule) -> None:
    response = api_as(admin).get("/admin/analytics/timeseries", query)

    assert response.status_code == 422
    assert (field, rule) in [(error["field"], error["rule"]) for error in response.json()["errors"]]


@pytest.mark.django_db(transaction=True)
def test_an_admin_runs_the_rollup_on_demand_as_a_workflow(workflows, admin, learner, api_as) -> None:
    response = api_as(admin).post("/admin/analytics/rollup")

    assert response.status_code == 202
    result: dict[str, Any] = DBOS.retrieve_workflow(response.json()["workflow_id"]).get_result()
    assert result["events_read"] == 2
    assert DailyMetric.objects.get(metric="signups", course__isnull=True).value == 2


@pytest.mark.django_db(transaction=True)
def test_an_on_demand_rollup_is_in_the_audit_log_with_who_asked(workflows, admin, api_as, client) -> None:
    from momentum.audit.models import AuditLog

    workflow_id = api_as(admin).post("/admin/analytics/rollup").json()["workflow_id"]
    client.force_login(admin)
    client.post("/studio/rollup/")

    entries = AuditLog.objects.filter(action="analytics.rollup_requested")
    assert [entry.actor_id for entry in entries] == [admin.pk, admin.pk]
    assert workflow_id in {entry.resource_id for entry in entries}
    for entry in entries:  # both passes end here, not in the next test
        DBOS.retrieve_workflow(entry.resource_id).get_result()


@pytest.mark.django_db(transaction=True)
def test_the_scheduled_rollup_runs_as_a_workflow(workflows, admin) -> None:
    from django.utils import timezone

    from momentum.analytics.workflows import QUEUE, scheduled_roll_up
    from momentum.platform import durable

    workflow_id = durable.enqueue(scheduled_roll_up, timezone.now(), None, queue=QUEUE)

    assert DBOS.retrieve_workflow(workflow_id).get_result()["events_read"] == 1
    assert DailyMetric.objects.filter(metric="signups").exists()
