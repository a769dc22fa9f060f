"""Durable workflows of web push: the hourly push reminders and the retries of deliveries a push
service put off (429, 5xx, timeouts)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from momentum.platform import durable
from momentum.webpush import actions, reminders

QUEUES: dict[str, dict[str, Any]] = {"pushes": {"worker_concurrency": 4}}


@durable.step(retries_allowed=True, max_attempts=3)
def push_notice_step(user_id: int, kind: str, title: str, body: str, url: str) -> bool:
    from momentum.webpush.channel import push_now

    return push_now(user_id, kind, title, body, url)


@durable.workflow("webpush.push_notice")
def push_notice(user_id: int, kind: str, title: str, body: str, url: str) -> bool:
    """A notice the learner wants pushed (accounts.channels' "push" channel), queued by a request."""
    return push_notice_step(user_id, kind, title, body, url)


@durable.step()
def find_learners_to_push(moment: datetime) -> list[int]:
    return reminders.due_push_learner_ids(moment)


@durable.step(retries_allowed=True, max_attempts=3)
def push_reminder(user_id: int, moment: datetime) -> bool:
    return reminders.send_push_reminder(user_id, moment)


@durable.workflow("webpush.push_reminders")
def push_reminders(scheduled_at: datetime, context: Any) -> int:
    """Every hour: push a reminder to the learners whose chosen local hour it is."""
    return sum(push_reminder(user_id, scheduled_at) for user_id in find_learners_to_push(scheduled_at))


@durable.step()
def retry_deliveries(moment: datetime) -> int:
    return actions.do_retry_due_deliveries(moment)


@durable.workflow("webpush.retry_deliveries")
def retry_due_deliveries(scheduled_at: datetime, context: Any) -> int:
    """Every five minutes: try again the pushes a push service put off."""
    return retry_deliveries(scheduled_at)


SCHEDULES: list[dict[str, Any]] = [
    {"schedule_name": "webpush.push_reminders", "workflow_fn": push_reminders, "schedule": "0 5 * * * *"},
    {"schedule_name": "webpush.retry_deliveries", "workflow_fn": retry_due_deliveries, "schedule": "0 */5 * * * *"},
]
