"""Durable workflows of the learning app: the daily reminder email (see reminders.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from momentum.learning import reminders
from momentum.platform import durable

QUEUES: dict[str, dict[str, Any]] = {}


@durable.step()
def find_due_learners(moment: datetime) -> list[int]:
    return reminders.due_learner_ids(moment)


@durable.step(retries_allowed=True, max_attempts=3)
def remind(user_id: int, moment: datetime) -> bool:
    return reminders.send_reminder(user_id, moment)


@durable.workflow("learning.daily_reminders")
def daily_reminders(scheduled_at: datetime, context: Any) -> int:
    """Every hour: remind the learners for whom it is now the reminder hour."""
    sent = 0
    for user_id in find_due_learners(scheduled_at):
        sent += int(remind(user_id, scheduled_at))
    return sent


SCHEDULES: list[dict[str, Any]] = [
    {"schedule_name": "learning.daily_reminders", "workflow_fn": daily_reminders, "schedule": "0 0 * * * *"},
]
