"""Durable workflows of the analytics app: the daily rollup, on a schedule and on demand."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings

from momentum.platform import durable

QUEUE = "analytics"
QUEUES: dict[str, dict[str, Any]] = {
    # One pass at a time across all workers (the pass also locks its cursors).
    QUEUE: {"global_concurrency": 1},
}


@durable.step(retries_allowed=True, max_attempts=3, interval_seconds=2.0)
def roll_up_step() -> dict[str, int]:
    from momentum.analytics.actions import do_roll_up

    return do_roll_up().as_dict()


@durable.workflow("analytics.scheduled_roll_up")
def scheduled_roll_up(scheduled_at: datetime, context: Any) -> dict[str, int]:
    return roll_up_step()


@durable.workflow("analytics.roll_up_now")
def roll_up_now(request_id: str | None = None) -> dict[str, int]:
    with durable.bind_request(request_id):
        return roll_up_step()


SCHEDULES = [
    {
        "schedule_name": "analytics.scheduled_roll_up",
        "workflow_fn": scheduled_roll_up,
        "schedule": f"15 */{settings.ANALYTICS_ROLLUP_MINUTES} * * * *",
    },
]
